# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Tests of the search stage: UCB bandit, clique candidates, clique scores."""

import itertools

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from sklearn_interact.datasets import make_tsang_function
from sklearn_interact.inspection import make_model_function
from sklearn_interact.inspection._differences import FeatureGrid, mixed_differences
from sklearn_interact.inspection._search import (
    clique_candidates,
    clique_interactions,
    top_tuples_expansion,
    ucb_search,
    ucb_top_arms,
)
from sklearn_interact.inspection._validation import all_pairs, pairs_to_matrix
from sklearn_interact.metrics import interaction_roc_auc


class _Polynomial(RegressorMixin, BaseEstimator):
    """A 'fitted' model computing a fixed function of X (a black box)."""

    def __init__(self, function=None):
        self.function = function

    def fit(self, X, y=None):
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return self.function(np.asarray(X, dtype=np.float64))


def _gaussian_pull(means, noise, seed=0, max_draws=1000):
    # Independent noise per arm and draw, fixed in advance: reproducible.
    table = noise * np.random.RandomState(seed).standard_normal((len(means), max_draws))

    def pull(arms, draws):
        return means[arms] + table[arms, draws]

    return pull


def test_ucb_finds_the_best_arms():
    means = np.linspace(0.0, 3.0, 30)
    result = ucb_top_arms(_gaussian_pull(means, 0.1), 30, 5, max_pulls=200)
    assert sorted(result.selected.tolist()) == [25, 26, 27, 28, 29]
    # Arms 29-26 stand out; 25 (0.10 above 24, noise 0.1) reaches the cap
    # before its interval clears 24's, and the result says so.
    assert not result.selected_at_cap[:4].any()
    assert result.selected_at_cap[4] and result.capped[25]
    assert result.total_pulls == result.n_pulls.sum()
    assert np.all(result.n_pulls <= 200)
    # Arms far below the top are dropped after the initial pulls.
    assert result.n_pulls[:10].max() <= 5
    assert result.total_pulls < 0.4 * 30 * 200
    assert np.all(result.lower <= result.means)
    assert np.all(result.means <= result.upper)
    assert np.all(result.std_error > 0)


def test_ucb_draws_count_the_earlier_pulls_of_each_arm():
    seen = {}

    def pull(arms, draws):
        for arm, draw in zip(arms.tolist(), draws.tolist()):
            seen.setdefault(arm, []).append(draw)
        return np.linspace(0, 1, 6)[arms] + 0.3 * np.sin(7.0 * draws)

    result = ucb_top_arms(pull, 6, 2, max_pulls=20)
    for arm, draws in seen.items():
        # Each arm sees draws 0, 1, 2, ... in order, one per pull.
        assert draws == list(range(result.n_pulls[arm]))


def test_ucb_common_draws_cancel_shared_noise():
    # The noise depends only on the draw (a shared data row): with common
    # random numbers the arm differences are exact after the first pulls.
    means = np.linspace(0.0, 1.0, 10)
    shared = np.random.RandomState(0).standard_normal(100)

    def pull(arms, draws):
        return means[arms] + shared[draws]

    result = ucb_top_arms(pull, 10, 3, max_pulls=100)
    assert sorted(result.selected.tolist()) == [7, 8, 9]
    # Capped arms hold exactly the mean over the first max_pulls draws.
    capped = result.n_pulls == 100
    np.testing.assert_allclose(
        result.means[capped], means[capped] + shared.mean(), rtol=0, atol=1e-12
    )


def test_ucb_with_ties_stops_at_the_cap():
    # Identical arms can never be separated: the cap ends the search.
    result = ucb_top_arms(_gaussian_pull(np.zeros(4), 1.0), 4, 2, max_pulls=10)
    assert len(result.selected) == 2
    assert result.n_pulls.max() <= 10
    # ... and the result says so: the cap, not the bounds, chose both.
    assert result.hit_cap
    assert result.selected_at_cap.tolist() == [True, True]
    assert result.capped.sum() >= 3


def test_ucb_deterministic_rewards_and_more_top_than_arms():
    # Zero variance: every radius is 0 and the means decide at once.
    means = np.array([3.0, 1.0, 2.0])
    result = ucb_top_arms(_gaussian_pull(means, 0.0), 3, 5)
    assert result.selected.tolist() == [0, 2, 1]
    assert result.total_pulls == 15  # n_init = 5 pulls each


def test_ucb_matches_exhaustive_auc_on_fitted_teachers():
    """UCB reaches the exhaustive AUC with at most 40% of its evaluations.

    Exhaustive: every pair pulled ``max_pulls`` times (4 evaluations each).
    Averaged over F1-F10, a gradient-boosting teacher fitted on each.
    """
    # One thread: the many small predict calls of the bandit would otherwise
    # spend their time in OpenMP start-up on a busy machine.
    with threadpool_limits(1):
        gaps, fractions = _ucb_versus_exhaustive()
    # The benchmark (5 seeds, three kinds of teacher) holds the issue's
    # 0.01; one seed per function here, hence a looser bound on the gap.
    assert np.mean(gaps) <= 0.015
    assert np.mean(fractions) <= 0.40


def _ucb_versus_exhaustive():
    pairs = all_pairs(10)
    max_pulls = 100
    gaps, fractions = [], []
    for k in range(1, 11):
        X, y, terms = make_tsang_function(f"F{k}", 1500, noise=0.1, random_state=k)
        teacher = HistGradientBoostingRegressor(max_iter=100, random_state=0)
        teacher.fit(X, y)
        model = make_model_function(teacher)
        scale = X.std(axis=0)

        row_order = np.random.RandomState(k).permutation(X.shape[0])

        def pull(arms, draws, X=X, model=model, scale=scale, row_order=row_order):
            rows = X[row_order[draws]]
            return (
                mixed_differences(
                    model, rows, pairs[arms], step=0.8, scale=scale, paired=True
                )
                ** 2
            )

        arms = np.repeat(np.arange(len(pairs)), max_pulls)
        draws = np.tile(np.arange(max_pulls), len(pairs))
        exhaustive = pull(arms, draws).reshape(len(pairs), max_pulls).mean(axis=1)
        bandit = ucb_top_arms(pull, len(pairs), 10, max_pulls=max_pulls)
        auc_exhaustive = interaction_roc_auc(pairs_to_matrix(exhaustive, 10), terms)
        auc_ucb = interaction_roc_auc(pairs_to_matrix(bandit.means, 10), terms)
        gaps.append(auc_exhaustive - auc_ucb)
        fractions.append(bandit.total_pulls / (len(pairs) * max_pulls))
    return gaps, fractions


def test_clique_candidates():
    pairs = [(0, 1), (1, 2), (0, 2), (2, 3), (1, 3), (0, 3), (4, 5)]
    assert clique_candidates(pairs, 3) == [
        (0, 1, 2),
        (0, 1, 3),
        (0, 2, 3),
        (1, 2, 3),
    ]
    assert clique_candidates(pairs, 4) == [(0, 1, 2, 3)]
    assert clique_candidates([(0, 1)], 3) == []


def test_top_tuples_expansion():
    out = top_tuples_expansion({(0, 1): 2.0, (1, 2): 1.0}, 3, 1)
    assert out == [(0, 1, 2)]


@pytest.mark.parametrize(
    "function, tuples, derivative",
    [
        # f = x0^2 x1 + x1 x2: d2/dx0dx1 = 2 x0, d2/dx1dx2 = 1, d2/dx0dx2 = 0.
        (
            lambda X: X[:, 0] ** 2 * X[:, 1] + X[:, 1] * X[:, 2],
            [(0, 1), (1, 2), (0, 2)],
            lambda X: np.c_[2 * X[:, 0], np.ones(len(X)), np.zeros(len(X))],
        ),
        # f = x0 x1 x2^2 + x1 x3: d3/dx0dx1dx2 = 2 x2, d3/dx1dx2dx3 = 0.
        (
            lambda X: X[:, 0] * X[:, 1] * X[:, 2] ** 2 + X[:, 1] * X[:, 3],
            [(0, 1, 2), (1, 2, 3)],
            lambda X: np.c_[2 * X[:, 2], np.zeros(len(X))],
        ),
        # f = x0^2 x1 x2 x3: d4/dx0..dx3 = 2 x0.
        (
            lambda X: X[:, 0] ** 2 * X[:, 1] * X[:, 2] * X[:, 3],
            [(0, 1, 2, 3)],
            lambda X: (2 * X[:, 0])[:, None],
        ),
    ],
)
def test_finite_differences_equal_mixed_derivatives(function, tuples, derivative):
    # Central differences are exact when no variable has a degree above 2.
    X = np.random.RandomState(0).normal(size=(20, 4))
    model = make_model_function(_Polynomial(function).fit(X))
    values = mixed_differences(model, X, tuples, step=0.7)
    np.testing.assert_allclose(values, derivative(X), atol=1e-8)
    # The paired per-row version used by the bandit agrees.
    rows = np.repeat(X, len(tuples), axis=0)
    arr = np.tile(np.asarray(tuples), (len(X), 1))
    paired = mixed_differences(
        model, rows, arr, step=0.7, scale=np.ones(4), paired=True
    )
    np.testing.assert_allclose(paired, derivative(X).ravel(), atol=1e-8)


def test_clique_interactions_fourth_order_signs():
    X = np.random.RandomState(0).uniform(-1, 1, size=(40, 5))
    scale = X.std(axis=0)
    pairs = list(itertools.combinations(range(4), 2))
    # x1 x2 x3 x4: the fourth mixed derivative is 1 (times the scales).
    quad = _Polynomial(lambda X: np.prod(X[:, :4], axis=1)).fit(X)
    result = clique_interactions(
        make_model_function(quad), X, pairs, max_order=4, random_state=0
    )
    assert result.candidates[4] == [(0, 1, 2, 3)]
    expected = np.prod(scale[:4]) ** 2  # mean squared difference
    np.testing.assert_allclose(result.scores[(0, 1, 2, 3)], expected, rtol=1e-10)
    # 8 points per triple, 16 per quadruple, for each of the 40 rows.
    assert result.n_model_evaluations == 40 * (4 * 8 + 16)
    # x1 x2 x3: zero for the 4-tuple, nonzero only for (0, 1, 2).
    triple = _Polynomial(lambda X: np.prod(X[:, :3], axis=1)).fit(X)
    result = clique_interactions(
        make_model_function(triple), X, pairs, max_order=4, random_state=0
    )
    assert result.scores[(0, 1, 2, 3)] == pytest.approx(0.0, abs=1e-20)
    np.testing.assert_allclose(
        result.scores[(0, 1, 2)], np.prod(scale[:3]) ** 2, rtol=1e-10
    )
    for t in [(0, 1, 3), (0, 2, 3), (1, 2, 3)]:
        assert result.scores[t] == pytest.approx(0.0, abs=1e-20)


def test_clique_interactions_ucb():
    X = np.random.RandomState(0).uniform(-1, 1, size=(200, 5))
    model = _Polynomial(lambda X: X[:, 0] * X[:, 1] * X[:, 2] + X[:, 3]).fit(X)
    pairs = list(itertools.combinations(range(5), 2))
    result = clique_interactions(
        make_model_function(model),
        X,
        pairs,
        max_order=3,
        search="ucb",
        n_top=1,
        random_state=0,
    )
    assert result.bandits[3].selected.tolist() == [
        result.candidates[3].index((0, 1, 2))
    ]
    assert max(result.scores, key=result.scores.get) == (0, 1, 2)


def test_clique_interactions_errors():
    X = np.zeros((5, 3))
    model = _Polynomial(lambda X: X[:, 0]).fit(X)
    with pytest.raises(ValueError, match="max_order"):
        clique_interactions(make_model_function(model), X, [(0, 1)], max_order=2)
    with pytest.raises(ValueError, match="search"):
        clique_interactions(make_model_function(model), X, [(0, 1)], search="bad")


def test_screen_keeps_the_interacting_features():
    """Within-bin variance of each feature's effect = its Hessian row norm."""
    import torch

    from sklearn_interact.inspection._features import TabularData
    from sklearn_interact.inspection._search import screen_features

    rng = np.random.RandomState(0)
    p = 60
    X = rng.uniform(-1, 1, size=(400, p))

    class Sparse(torch.nn.Module):
        def forward(self, x):  # three pairs and curved main effects elsewhere
            inter = x[:, 0] * x[:, 1] + 2 * x[:, 10] * x[:, 11] + x[:, 20] * x[:, 21]
            return inter + torch.sin(3 * x[:, 30:]).sum(dim=1) + x[:, 40] ** 3

    data = TabularData(X)
    for model in (
        Sparse(),
        _Polynomial(lambda A: Sparse()(torch.as_tensor(A)).numpy()),
    ):
        fn = make_model_function(
            model if isinstance(model, torch.nn.Module) else model.fit(X)
        )
        screen = screen_features(
            fn.for_data(data), data, np.arange(400), n_keep=6, step=0.8
        )
        assert set(screen.features) == {0, 1, 10, 11, 20, 21}
        # Features with curved main effects only score about 0.
        assert screen.scores[30:].max() < 0.05 * screen.scores[[0, 1]].min()


def test_screen_search_on_wide_data_and_sparse_output():
    import scipy.sparse
    import torch

    from sklearn_interact.inspection import pairwise_interactions
    from sklearn_interact.inspection._pairwise import DENSE_LIMIT

    rng = np.random.RandomState(0)
    p = DENSE_LIMIT + 10
    X = rng.uniform(-1, 1, size=(60, p))

    class Wide(torch.nn.Module):
        def forward(self, x):
            return 3 * x[:, 5] * x[:, 7] + x[:, 100] * x[:, 2000] + x.sum(dim=1)

    r = pairwise_interactions(Wide(), X, top_k=2, uncertainty=None, random_state=0)
    assert r.search == "screen" and r.method == "hessian"
    assert r.top_k_pairs == [(5, 7), (100, 2000)]
    assert scipy.sparse.issparse(r.interactions)
    assert r.interactions[7, 5] == pytest.approx(r.pair_scores.max())
    assert len(r.pairs) == len(r.screen.features) * (len(r.screen.features) - 1) // 2


def test_ucb_search_pulls_a_tuple_at_most_once_per_row():
    # The l-th pull of a tuple uses the l-th row of one order; beyond the
    # number of rows, pulls would repeat rows and shrink intervals for nothing.
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(12, 4))
    # A model of noise: no pair stands out, so the bandit pulls to the cap.
    noise = rng.normal(size=12)
    model = make_model_function(
        HistGradientBoostingRegressor(max_iter=20, min_samples_leaf=2).fit(X, noise)
    )
    pairs = all_pairs(4)
    bandit = ucb_search(
        model,
        X,
        pairs,
        np.square,
        3,
        max_pulls=100,
        grid=FeatureGrid.numeric(X, step=0.8, scale=X.std(axis=0)),
        random_state=0,
    )
    assert bandit.n_pulls.max() <= 12


def test_black_box_screen_uses_at_most_its_row_budget(monkeypatch):
    """A black box is screened on evenly spaced evaluation rows (two model
    calls per feature and row), without touching the random state."""
    from sklearn_interact.inspection import _pairwise, pairwise_interactions

    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 40))
    y = 3 * X[:, 0] * X[:, 1] + X[:, 2]
    model = HistGradientBoostingRegressor(max_iter=50, random_state=0).fit(X, y)
    kwargs = dict(search="screen", top_k=2, max_samples=200, uncertainty=None)
    full = pairwise_interactions(model, X, random_state=0, **kwargs)
    monkeypatch.setattr(_pairwise, "_SCREEN_ROWS_BLACK_BOX", 100)
    half = pairwise_interactions(model, X, random_state=0, **kwargs)
    assert half.n_model_evaluations < full.n_model_evaluations
    assert half.top_k_pairs[0] == full.top_k_pairs[0] == (0, 1)
