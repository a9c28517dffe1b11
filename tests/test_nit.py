# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_interact.inspection import pairwise_interactions
from sklearn_interact.neural import NITClassifier, NITRegressor
from sklearn_interact.neural._nit import _merge_blocks

SMALL = dict(
    n_blocks=3,
    hidden_layer_sizes=(4,),
    lr=0.05,
    max_epochs=10,
    max_disentangle_epochs=3,
    batch_size=32,
    early_stopping=False,
    random_state=0,
)


@parametrize_with_checks([NITRegressor(**SMALL)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _toy(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 4))
    y = X[:, 0] * X[:, 1] + np.sin(2 * X[:, 2])
    return X, y


@pytest.fixture(scope="module")
def fitted():
    X, y = _toy()
    nit = NITRegressor(
        n_blocks=6,
        hidden_layer_sizes=(8, 8),
        max_order=2,
        max_disentangle_epochs=30,
        max_epochs=30,
        random_state=0,
    ).fit(X, y)
    return nit, X, y


def test_merge_blocks():
    terms, assignment = _merge_blocks([(0, 1), (1,), (2,), (0, 1), (1, 3), (4,)])
    assert terms == [(2,), (4,), (0, 1), (1, 3)]
    assert assignment == [2, 2, 0, 2, 3, 1]


def test_auto_annealing_length():
    # 5 epochs per feature, leaving room for the gates to settle afterwards.
    assert NITRegressor()._anneal_epochs(12) == 60
    assert NITRegressor(max_disentangle_epochs=50)._anneal_epochs(12) == 30
    assert NITRegressor(max_disentangle_epochs=10)._anneal_epochs(12) == 0
    assert NITRegressor(anneal_epochs=7)._anneal_epochs(12) == 7


def test_learns_the_toy_structure(fitted):
    nit, X, y = fitted
    # features 0 and 1 interact; 2 is a main effect; 3 is noise
    assert (0, 1) in nit.terms_
    assert all(len(t) <= 2 for t in nit.terms_)
    assert not any(3 in t for t in nit.terms_)
    assert nit.top_k_pairs_[0] == (0, 1)
    # a block of x2 may keep a weak spurious partner: far below the true pair
    strength = nit.interactions_.copy()
    strength[0, 1] = strength[1, 0] = 0
    assert strength.max() < 0.2 * nit.interactions_[0, 1]
    assert nit.score(X, y) > 0.9
    assert nit.interaction_ci_ is None
    assert nit.higher_order_interactions_ == {}


def test_term_contributions_protocol(fitted):
    nit, X, _ = fitted
    contrib = nit.term_contributions(X[:50])
    assert contrib.shape == (50, len(nit.terms_))
    np.testing.assert_allclose(
        contrib.sum(axis=1) + nit.intercept_, nit.predict(X[:50]), atol=1e-4
    )
    np.testing.assert_allclose(nit.term_contributions(X).mean(axis=0), 0, atol=1e-5)
    # each term depends only on its own features
    X2 = X[:50].copy()
    for k, term in enumerate(nit.terms_):
        others = [j for j in range(X.shape[1]) if j not in term]
        X2[:, others] = np.random.default_rng(k).uniform(-1, 1, (50, len(others)))
        np.testing.assert_allclose(
            nit.term_contributions(X2)[:, k], contrib[:, k], atol=1e-5
        )
        X2 = X[:50].copy()
    np.testing.assert_allclose(
        nit.term_importances_, nit.term_contributions(X).var(axis=0), rtol=1e-4
    )


def test_interactions_are_read_from_the_terms(fitted):
    nit, X, _ = fitted
    in_terms = np.zeros((4, 4), dtype=bool)
    for term in nit.terms_:
        for i in term:
            for j in term:
                in_terms[i, j] = i != j
    assert np.all(nit.interactions_[~in_terms] == 0)
    assert np.all(nit.interactions_[in_terms] > 0)
    strengths = [nit.interactions_[i, j] for i, j in nit.top_k_pairs_]
    assert strengths == sorted(strengths, reverse=True)
    # the pure interaction variance of x0 * x1 with x ~ U(-1, 1) is 1/9
    assert nit.interactions_[0, 1] == pytest.approx(1 / 9, rel=0.3)


def test_history_has_both_phases(fitted):
    nit, _, _ = fitted
    phases = [h["phase"] for h in nit.history_]
    assert phases[0] == "disentangle" and phases[-1] == "refit"
    assert phases.count("disentangle") == nit.n_iter_disentangle_
    assert phases.count("refit") == nit.n_iter_
    assert len(nit.disentangle_loss_curve_) == nit.n_iter_disentangle_
    assert nit.history_[nit.n_iter_disentangle_ - 1]["max_order"] <= 2
    assert all(h["penalty"] == 0.0 for h in nit.history_ if h["phase"] == "refit")
    assert nit.gates_.shape == (6, 4)


def test_max_order_one_is_additive_through_the_engine():
    X, y = _toy(n=600)
    nit = NITRegressor(
        n_blocks=4,
        hidden_layer_sizes=(6,),
        max_order=1,
        max_disentangle_epochs=5,
        max_epochs=5,
        random_state=0,
    ).fit(X, y)
    assert all(len(t) == 1 for t in nit.terms_)
    assert np.all(nit.interactions_ == 0)
    assert nit.top_k_pairs_ == []
    result = pairwise_interactions(nit, X[:100], aggregation="eah", method="hessian")
    off_diagonal = result.interactions[~np.eye(4, dtype=bool)]
    assert np.abs(off_diagonal).max() < 1e-8


def test_hessian_of_the_engine_finds_the_learned_pair(fitted):
    nit, X, _ = fitted
    result = pairwise_interactions(nit, X[:200], aggregation="eah", method="hessian")
    assert result.top_k_pairs[0] == (0, 1)


def test_order_cap_is_enforced_when_disentangling_stops_early():
    X, y = _toy(n=300)
    nit = NITRegressor(
        n_blocks=2,
        hidden_layer_sizes=(4,),
        max_order=1,
        max_disentangle_epochs=1,
        max_epochs=2,
        random_state=0,
    ).fit(X, y)
    assert nit.gates_.sum(axis=1).max() <= 1


def test_reproducible_with_random_state():
    X, y = _toy(n=300)
    params = dict(SMALL, max_epochs=3)
    a = NITRegressor(**params).fit(X, y).predict(X[:10])
    b = NITRegressor(**params).fit(X, y).predict(X[:10])
    np.testing.assert_array_equal(a, b)


def test_grid_search_over_order_and_alpha():
    X, y = _toy(n=300)
    params = dict(SMALL, max_epochs=2, max_disentangle_epochs=2)
    search = GridSearchCV(
        NITRegressor(**params),
        {"max_order": [1, 2], "alpha": [0.0, 0.1]},
        cv=2,
    ).fit(X, y)
    assert search.best_params_["max_order"] in (1, 2)
    assert hasattr(search.best_estimator_, "terms_")


@pytest.mark.parametrize(
    "params, match",
    [
        ({"hidden_layer_sizes": ()}, "hidden_layer_sizes"),
        ({"hidden_layer_sizes": (4, 0)}, "hidden_layer_sizes"),
        ({"max_order": 0}, "max_order"),
        ({"alpha": -1.0}, "alpha"),
        ({"gate_zeta": 0.5}, "gate_zeta"),
    ],
)
def test_invalid_parameters(params, match):
    X, y = _toy(n=50)
    with pytest.raises(ValueError, match=match):
        NITRegressor(**dict(SMALL, **params)).fit(X, y)


def test_not_fitted_and_wrong_shape(fitted):
    with pytest.raises(NotFittedError):
        NITRegressor().term_contributions(np.zeros((2, 4)))
    nit, _, _ = fitted
    with pytest.raises(ValueError, match="features"):
        nit.term_contributions(np.zeros((2, 3)))


# -- NITClassifier ------------------------------------------------------------
def _toy_labels(n=2000, seed=0, n_classes=2):
    """Labels drawn from logits ``a_k * 4 x0 x1 + b_k * 2 sin(2 x2)``."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 4))
    pair, main = 4 * X[:, 0] * X[:, 1], 2 * np.sin(2 * X[:, 2])
    if n_classes == 2:
        logits = np.column_stack([np.zeros(n), pair + main])
    else:
        logits = np.column_stack([np.zeros(n), pair + main, -pair + main])
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    labels = np.array(["no", "yes", "maybe"])[: p.shape[1]]
    y = labels[(rng.uniform(size=(n, 1)) > p.cumsum(axis=1)).sum(axis=1)]
    return X, y


CLASSIFIER = dict(
    n_blocks=6,
    hidden_layer_sizes=(8, 8),
    max_disentangle_epochs=30,
    max_epochs=30,
    random_state=0,
)


@pytest.fixture(scope="module")
def fitted_classifier():
    X, y = _toy_labels()
    return NITClassifier(**CLASSIFIER).fit(X, y), X, y


def test_classifier_learns_the_pair_on_the_log_odds_scale(fitted_classifier):
    nit, X, y = fitted_classifier
    assert nit.classes_.tolist() == ["no", "yes"]
    assert nit.interaction_scale_ == "log-odds of class yes"
    assert (0, 1) in nit.terms_ and nit.top_k_pairs_[0] == (0, 1)
    assert not any(3 in t for t in nit.terms_)
    # The pure interaction variance of 4 x0 x1 on the logit is 16 / 9.
    assert 0.5 < nit.interactions_[0, 1] < 3.0
    assert nit.score(X, y) > 0.75
    z = nit.decision_function(X[:50])
    np.testing.assert_allclose(
        nit.term_contributions(X[:50]).sum(axis=1) + nit.intercept_, z, atol=1e-4
    )
    proba = nit.predict_proba(X[:50])
    np.testing.assert_allclose(np.log(proba[:, 1] / proba[:, 0]), z, atol=1e-8)
    assert np.array_equal(nit.predict(X[:50]), nit.classes_[(z > 0).astype(int)])
    # The engine differentiates the same logit.
    result = pairwise_interactions(nit, X[:200], aggregation="eah")
    assert result.method == "hessian" and result.scale == nit.interaction_scale_
    assert result.top_k_pairs[0] == (0, 1)


def test_multiclass_classifier_terms_are_per_class_log_odds():
    X, y = _toy_labels(n=1500, n_classes=3)
    nit = NITClassifier(**CLASSIFIER).fit(X, y)
    assert nit.classes_.tolist() == ["maybe", "no", "yes"]
    assert nit.interaction_scale_ == (
        "mean over 3 classes of the log-odds of each class"
    )
    assert nit.top_k_pairs_[0] == (0, 1)
    contributions = nit.term_contributions(X[:40])
    assert contributions.shape == (40, len(nit.terms_), 3)
    assert nit.intercept_.shape == (3,)
    log_p = np.log(nit.predict_proba(X[:40]))
    log_odds = (3 * log_p - log_p.sum(axis=1, keepdims=True)) / 2
    np.testing.assert_allclose(
        contributions.sum(axis=1) + nit.intercept_, log_odds, atol=1e-4
    )


def test_classifier_in_pipeline_and_grid_search_over_order():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = _toy_labels(n=300)
    params = dict(SMALL, max_epochs=2, max_disentangle_epochs=2)
    pipe = make_pipeline(StandardScaler(), NITClassifier(**params))
    search = GridSearchCV(pipe, {"nitclassifier__max_order": [1, 2]}, cv=2).fit(X, y)
    assert search.best_params_["nitclassifier__max_order"] in (1, 2)
    assert search.predict(X[:5]).dtype == y.dtype


def test_a_model_without_terms_has_empty_attributes(fitted_classifier):
    import copy

    nit, X, _ = fitted_classifier
    nit = copy.deepcopy(nit)
    nit.gates_[:] = 0.0  # every gate closed: no term at all
    with pytest.warns(UserWarning, match="kept no term"):
        nit._fit_interactions(X)
    assert nit.terms_ == [] and nit.top_k_pairs_ == []
    assert nit.term_importances_.shape == (0,)
    assert nit.term_contributions(X[:3]).shape == (3, 0)
    assert np.all(nit.interactions_ == 0)
