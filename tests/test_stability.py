"""interaction_stability_score: a score of the measured interactions, so that
a grid search over M (n_clusters) means something."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV

from sklearn_interact import BayesianMLPRegressor, InteractionSelector
from sklearn_interact.metrics import interaction_stability_score
from sklearn_interact.metrics._stability import (
    local_interaction_values,
    rank_weighted_distance_between,
)

GRID = {"n_clusters": [1, 2, 4, 8]}


def _sign_regions(seed=0, n=900):
    """x0 x1 changes sign between two well separated regions of x4.

    With one cluster (AEH) its opposite signs cancel into noise; with clusters
    that separate the regions it is the strongest pair, ahead of x2 x3.
    """
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 5))
    X[:, 4] = np.sign(X[:, 4]) + 0.1 * rng.normal(size=n)
    y = X[:, 0] * X[:, 1] * np.sign(X[:, 4]) + 0.4 * X[:, 2] * X[:, 3]
    return X, y + 0.05 * rng.normal(size=n)


def test_rank_weighted_distance_between():
    a = np.array([3.0, 2.0, 1.0])
    assert rank_weighted_distance_between(a, 2 * a) == 0.0
    swapped = rank_weighted_distance_between(a, np.array([2.0, 3.0, 1.0]))
    assert swapped == pytest.approx(2 * (1 / 6) ** 2)
    # Weak pairs changing places count little, strong ones a lot.
    weak = rank_weighted_distance_between([10.0, 0.2, 0.1], [10.0, 0.1, 0.2])
    assert weak < swapped / 100


def test_search_over_m_picks_m_that_separates_the_regions():
    X, y = _sign_regions()
    selector = InteractionSelector(
        HistGradientBoostingRegressor(max_iter=50, random_state=0),
        uncertainty=None,
        random_state=0,
    )
    search = GridSearchCV(
        selector, GRID, cv=3, scoring=interaction_stability_score
    ).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert search.best_params_["n_clusters"] >= 4
    # One cluster lets x0 x1 cancel: its ranking is far less stable.
    assert scores[0] < 5 * scores.max()
    # ... and it indeed hides the pair that M = 4 finds.
    best = search.best_estimator_
    hidden = InteractionSelector(
        best.estimator_, prefit=True, n_clusters=1, uncertainty=None, random_state=0
    ).fit(X, y)
    assert best.top_k_pairs_[0] == (0, 1)
    assert hidden.top_k_pairs_[0] != (0, 1)


@pytest.mark.slow
def test_search_over_m_of_the_bayesian_mlp():
    X, y = _sign_regions()
    model = BayesianMLPRegressor(
        hidden_layer_sizes=(32, 32),
        max_epochs=60,
        lr=3e-3,
        early_stopping=False,
        n_draws=10,
        max_samples=300,
        random_state=0,
    )
    # n_clusters changes no prediction: R^2 scores every candidate the same
    # (the search was a no-op), while the stability of the interactions
    # tells them apart.
    search = GridSearchCV(
        model,
        GRID,
        cv=3,
        scoring={"r2": "r2", "stability": interaction_stability_score},
        refit="stability",
    ).fit(X, y)
    assert np.ptp(search.cv_results_["mean_test_r2"]) == 0
    scores = search.cv_results_["mean_test_stability"]
    assert search.best_params_["n_clusters"] >= 4
    assert scores[0] < 3 * scores.max()


def test_any_fitted_model_and_its_own_settings():
    X, y = _sign_regions(n=300)
    model = HistGradientBoostingRegressor(max_iter=30, random_state=0).fit(X, y)
    score = interaction_stability_score(model, X, n_splits=3)
    assert -np.inf < score <= 0
    local = local_interaction_values(model, X)
    assert local.local.shape == (1, 300, 10)
    assert local.aggregation == "geh" and local.n_clusters == "auto"
    selector = InteractionSelector(
        model, prefit=True, aggregation="eah", max_samples=100, uncertainty=None
    ).fit(X, y)
    own = local_interaction_values(selector, X)
    assert own.local.shape == (1, 100, 10) and own.aggregation == "eah"
    # The same rows, the same score.
    assert interaction_stability_score(selector, X) == interaction_stability_score(
        selector, X
    )


def test_errors():
    X, y = _sign_regions(n=60)
    model = HistGradientBoostingRegressor(max_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="at least 4 rows"):
        interaction_stability_score(model, X[:3])
    with pytest.raises(ValueError, match="X has 4 features"):
        interaction_stability_score(model, X[:, :4])


def test_categorical_pairs_are_aggregated_as_pairwise_interactions_does():
    # A categorical pair's signed level components are averaged before their
    # root mean square, as in pairwise_interactions: over all rows in one
    # cluster the stability path's scores are the AEH scores.
    pd = pytest.importorskip("pandas")
    from sklearn_interact.inspection import pairwise_interactions
    from sklearn_interact.metrics._stability import _scores

    rng = np.random.RandomState(0)
    n = 300
    c = rng.choice(["a", "b", "c"], size=n)
    x, z = rng.uniform(-1, 1, size=(2, n))
    y = (c == "a") * x + np.sin(3 * x) * z + 0.1 * rng.normal(size=n)
    X = pd.DataFrame({"c": pd.Categorical(c), "x": x, "z": z})
    model = HistGradientBoostingRegressor(
        categorical_features="from_dtype", max_iter=50, random_state=0
    ).fit(X, y)
    local = local_interaction_values(model, X)
    rows = np.arange(n)
    scores = _scores(local, local.local, "geh", rows, np.zeros(n, dtype=int))
    expected = pairwise_interactions(
        model, X, aggregation="aeh", max_samples=None, uncertainty=None
    ).interactions[np.triu_indices(3, 1)]
    np.testing.assert_allclose(scores, expected, rtol=1e-10)
    # The mean of the row values (the old aggregation, non-negative RMS per
    # row) is larger for the categorical pairs, whose level contrasts change
    # sign between rows.
    old = np.abs(local.local[0].mean(axis=0))
    assert np.all(old[:2] > scores[:2])
