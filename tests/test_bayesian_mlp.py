# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Tests of BayesianMLPRegressor and its Bayesian M-GEH interactions."""

import copy

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_interact.inspection import pairwise_interactions
from sklearn_interact.neural import BayesianMLPClassifier, BayesianMLPRegressor

# Small test instance (the defaults are for users): one narrow layer, a few
# fast epochs, few posterior draws and evaluation rows.
SMALL = {
    "hidden_layer_sizes": (16,),
    "max_epochs": 8,
    "lr": 0.05,
    "batch_size": 50,
    "early_stopping": False,
    "n_draws": 4,
    "max_samples": 30,
    "max_clusters": 4,
}


@parametrize_with_checks([BayesianMLPRegressor(**SMALL)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _data(n=400, seed=0, kind="product"):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 3))
    if kind == "product":
        y = X[:, 2] + 2.0 * X[:, 0] * X[:, 1]
    else:  # purely additive
        y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + 0.5 * X[:, 2]
    return X, y + 0.1 * rng.normal(size=n)


@pytest.fixture(scope="module")
def fitted():
    X, y = _data()
    est = BayesianMLPRegressor(
        hidden_layer_sizes=(32, 32),
        max_epochs=80,
        lr=3e-3,
        early_stopping=False,
        batch_size=64,
        n_draws=30,
        max_samples=200,
        n_clusters="auto",
        max_clusters=10,
        random_state=0,
    )
    return est.fit(X, y), X, y


def test_detects_the_true_interaction_with_calibrated_decisions(fitted):
    est, X, _ = fitted
    p = X.shape[1]
    assert est.top_k_pairs_[0] == (0, 1)
    assert est.interaction_significant_[0, 1]
    assert not est.interaction_significant_[0, 2]
    assert not est.interaction_significant_[1, 2]
    # Measuring again on the training rows gives the fitted attributes.
    again = est.posterior_interactions(X)
    np.testing.assert_allclose(again.interactions, est.interactions_)
    assert est.interaction_ci_.shape == (p, p, 2)
    # The empirical quantiles of the draws (not built around the mean)
    # bracket the posterior mean of the true pair, and exclude 0.
    q = est.interaction_quantile_ci_
    assert 0 < q[0, 1, 0] <= est.interactions_[0, 1] <= q[0, 1, 1]
    assert est.interaction_samples_.shape == (30, p, p)
    np.testing.assert_allclose(
        est.interactions_, est.interaction_samples_.mean(axis=0), atol=1e-12
    )
    # True value of d2y/dz0dz1 on the standardized scale: 2 * std0 * std1.
    truth = 2.0 * X[:, 0].std() * X[:, 1].std()
    assert est.interactions_[0, 1] == pytest.approx(truth, rel=0.5)
    assert 1 <= est.n_clusters_ <= 10
    assert (
        est.n_clusters_curve_.distances.shape == est.n_clusters_curve_.n_clusters.shape
    )
    assert est.feature_importances_.sum() == pytest.approx(1.0)
    assert [r.shape for r in est.dropout_rates_] == [(3,), (32,), (32,)]
    # x2 enters only through the main-effect part: the interaction network
    # learns to drop it more than the interacting features.
    rates = est.dropout_rates_[0]
    assert rates[2] > 2 * max(rates[0], rates[1])


def test_quantile_interval_and_alternative_aggregations(fitted):
    est, X, _ = fitted
    res = est.posterior_interactions(X, aggregation=["geh", "eah", "aeh"])
    assert set(res) == {"geh", "eah", "aeh"}
    # EAH >= M-GEH >= AEH draw by draw (triangle inequality).
    assert np.all(res["eah"].samples >= res["geh"].samples - 1e-9)
    assert np.all(res["geh"].samples >= res["aeh"].samples - 1e-9)
    assert res["eah"].n_clusters == min(est.max_samples, X.shape[0])
    assert res["aeh"].n_clusters == 1
    assert res["eah"].clusters is None
    labels = res["geh"].clusters
    assert labels.shape == (len(res["geh"].rows),)
    assert len(np.unique(labels)) == res["geh"].n_clusters
    q = est.interaction_quantile_ci_
    s = est.interaction_samples_
    np.testing.assert_allclose(q[0, 1, 0], np.quantile(s[:, 0, 1], 0.025))
    quant = BayesianMLPRegressor(**SMALL, interval="quantile", random_state=0)
    quant.fit(*_data()[:2])
    np.testing.assert_allclose(quant.interaction_ci_, quant.interaction_quantile_ci_)


def test_without_dropout_hessians_equal_the_engine(fitted):
    est, X, _ = fitted
    est = copy.deepcopy(est).set_params(max_samples=None)
    # Switch dropout off: p -> 0 makes every posterior draw the mean network.
    with torch.no_grad():
        for drop in est.module_.dropouts:
            drop.p_logit.fill_(-40.0)
    est._noise_cache = None
    ours = est.posterior_interactions(X, aggregation="eah")
    engine = pairwise_interactions(
        est,
        X,
        method="hessian",
        aggregation="eah",
        max_samples=None,
        uncertainty=None,
    )
    np.testing.assert_allclose(ours.interactions, engine.interactions, rtol=2e-3)
    np.testing.assert_allclose(ours.std, 0.0, atol=1e-6)


def test_additive_target_intervals_contain_zero_in_most_seeds():
    # Measured over 10 seeds in benchmarks/bench_bayesian.py; here 3 seeds,
    # of which at least 2 must have every pair's 95% interval contain 0.
    clean = 0
    for seed in range(3):
        X, y = _data(n=300, seed=seed, kind="additive")
        est = BayesianMLPRegressor(
            hidden_layer_sizes=(32, 32),
            max_epochs=40,
            lr=0.01,
            batch_size=64,
            n_draws=30,
            max_samples=150,
            n_clusters=5,
            random_state=seed,
        ).fit(X, y)
        ci = est.interaction_ci_[np.triu_indices(3, k=1)]
        clean += bool(np.all(ci[:, 0] <= 0))
    assert clean >= 2


def test_predict_std_and_sample_y(fitted):
    est, X, _ = fitted
    mean, std = est.predict(X[:20], return_std=True)
    np.testing.assert_allclose(mean, est.predict(X[:20]))
    assert std.shape == (20,) and np.all(std > 0)
    samples = est.sample_y(X[:20], n_samples=50, random_state=1)
    assert samples.shape == (20, 50)
    np.testing.assert_allclose(
        samples, est.sample_y(X[:20], n_samples=50, random_state=1)
    )
    # A sample is one function: the same draw on a subset gives the same values.
    np.testing.assert_allclose(
        est.sample_y(X[:5], n_samples=50, random_state=1), samples[:5], rtol=1e-5
    )
    # Posterior draws scatter around the mean network.
    assert np.abs(samples.mean(axis=1) - mean).mean() < 3 * std.mean()
    with pytest.raises(ValueError, match="n_samples"):
        est.sample_y(X[:5], n_samples=0)


def test_hidden_layer_interactions(fitted):
    est, X, _ = fitted
    res = est.hidden_interactions(X, layer=0, units=4, n_clusters=3)
    assert res.interactions.shape == (32, 32)
    assert len(res.units) == 4
    others = np.setdiff1d(np.arange(32), res.units)
    assert np.all(res.interactions[others] == 0)
    sub = res.interactions[np.ix_(res.units, res.units)]
    assert np.all(sub[np.triu_indices(4, k=1)] > 0)
    chosen = est.hidden_interactions(X, layer=-2, units=[3, 5], n_clusters=2)
    np.testing.assert_array_equal(chosen.units, [3, 5])
    assert chosen.interactions[3, 5] > 0
    # After the last hidden layer the output is linear: its units never
    # interact, and layer=-1 (the old default) gave an all-zero matrix.
    for layer in (-1, 1, 2):
        with pytest.raises(ValueError, match="not the last hidden layer"):
            est.hidden_interactions(X, layer=layer)
    one_layer = BayesianMLPRegressor(**SMALL, random_state=0).fit(X[:60], X[:60, 0])
    with pytest.raises(ValueError, match="at least two hidden layers"):
        one_layer.hidden_interactions(X)
    with pytest.raises(ValueError, match="units"):
        est.hidden_interactions(X, units=[1])


def test_max_features_restricts_the_hessian():
    X, y = _data()
    est = BayesianMLPRegressor(**{**SMALL, "max_features": 2}, random_state=0)
    est.fit(X, y)
    assert len(est.interaction_features_) == 2
    kept = set(est.interaction_features_.tolist())
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        if {i, j} <= kept:
            assert est.interactions_[i, j] > 0
        else:
            assert est.interactions_[i, j] == 0
            assert est.interaction_pvalues_[i, j] == 1.0


def test_grid_search_over_n_clusters_and_network_size():
    X, y = _data(n=120)
    search = GridSearchCV(
        BayesianMLPRegressor(**SMALL, random_state=0),
        {"n_clusters": [2, "auto"], "hidden_layer_sizes": [(8,), (16,)]},
        cv=2,
    )
    search.fit(X, y)
    assert search.best_estimator_.n_clusters in (2, "auto")
    assert hasattr(search.best_estimator_, "interactions_")


def test_errors():
    X, y = _data(n=60)
    with pytest.raises(NotFittedError):
        BayesianMLPRegressor().predict(X)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        BayesianMLPRegressor(**{**SMALL, "hidden_layer_sizes": (4, 0)}).fit(X, y)
    with pytest.raises(ValueError, match="n_clusters"):
        BayesianMLPRegressor(**{**SMALL, "n_clusters": "many"}).fit(X, y)
    est = BayesianMLPRegressor(**SMALL).fit(X, y)
    with pytest.raises(ValueError, match="aggregation"):
        est.posterior_interactions(X, aggregation="median")
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :2])


# -- BayesianMLPClassifier ----------------------------------------------------
def _labels(n=800, seed=0, n_classes=2):
    """Labels from the logits ``a_k (x2 + 3 x0 x1)`` (a_k = 0, 1, -1)."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 3))
    logit = X[:, 2] + 3.0 * X[:, 0] * X[:, 1]
    logits = np.column_stack([np.zeros(n), logit, -logit][:n_classes])
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = (rng.uniform(size=(n, 1)) > p.cumsum(axis=1)).sum(axis=1)
    return X, np.array(["a", "b", "c"])[y]


CLASSIFIER = dict(
    hidden_layer_sizes=(32, 32),
    max_epochs=60,
    lr=3e-3,
    early_stopping=False,
    batch_size=64,
    n_draws=20,
    max_samples=200,
    n_clusters=5,
    random_state=0,
)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_classifier_intervals_and_pvalues_on_the_log_odds(n_classes):
    X, y = _labels(n_classes=n_classes)
    est = BayesianMLPClassifier(**CLASSIFIER).fit(X, y)
    assert est.classes_.tolist() == ["a", "b", "c"][:n_classes]
    assert est.interaction_scale_ == (
        "log-odds of class b"
        if n_classes == 2
        else "mean over 3 classes of the log-odds of each class"
    )
    assert est.top_k_pairs_[0] == (0, 1)
    assert est.interaction_significant_[0, 1]
    assert not est.interaction_significant_[1, 2]
    assert est.interaction_ci_.shape == (3, 3, 2)
    assert est.interaction_ci_[0, 1, 0] > 0
    assert est.interaction_samples_.shape == (20, 3, 3)
    np.testing.assert_allclose(
        est.interactions_, est.interaction_samples_.mean(axis=0), atol=1e-12
    )
    proba = est.predict_proba(X[:20])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.array_equal(est.predict(X[:20]), est.classes_[proba.argmax(axis=1)])
    assert est.score(X, y) > 0.6
    hidden = est.hidden_interactions(X, units=4)
    assert hidden.interactions.shape == (32, 32)


def test_classifier_without_dropout_hessians_equal_the_engine():
    """With p -> 0 every draw is the mean network: M-GEH of its log-odds."""
    X, y = _labels(n=300)
    est = BayesianMLPClassifier(**dict(CLASSIFIER, max_epochs=5, max_samples=None))
    est.fit(X, y)
    for dropout in est.module_.dropouts:
        dropout.p_logit.data.fill_(-1e3)
    est._noise_cache = None
    ours = est.posterior_interactions(X, aggregation="eah")
    engine = pairwise_interactions(
        est, X, aggregation="eah", uncertainty=None, max_samples=None
    )
    assert engine.scale == "log-odds of class b"
    # The engine adds the main-effect part, whose cross derivatives are 0.
    np.testing.assert_allclose(ours.interactions, engine.interactions, rtol=1e-4)


def test_classifier_grid_search_over_n_clusters_and_permutation_null():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_interact.inspection import permutation_null

    X, y = _labels(n=200)
    params = dict(SMALL, random_state=0)
    pipe = make_pipeline(StandardScaler(), BayesianMLPClassifier(**params))
    search = GridSearchCV(
        pipe, {"bayesianmlpclassifier__n_clusters": [1, 3]}, cv=2
    ).fit(X, y)
    assert search.best_params_["bayesianmlpclassifier__n_clusters"] in (1, 3)
    null = permutation_null(
        BayesianMLPClassifier(**params), X, y, n_permutations=2, random_state=0
    )
    assert null.null_max.shape == (2,) and null.pvalues.shape == (3, 3)
