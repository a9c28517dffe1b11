import warnings

import numpy as np
import pytest
import torch
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_interact.inspection import pairwise_interactions


class Known(torch.nn.Module):
    """f(x) = 2 x0 x1 + x2 x3 + sin(x4): pairs (0, 1) > (2, 3), rest zero."""

    def forward(self, x):
        return 2 * x[:, 0] * x[:, 1] + x[:, 2] * x[:, 3] + torch.sin(x[:, 4])


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(600, 5))
    y = Known()(torch.as_tensor(X)).numpy()
    return X, y


def test_exact_scores_match_known_function(data):
    X, _ = data
    std = X.std(axis=0)
    for aggregation in ("eah", "aeh", "geh", "mean_squared"):
        r = pairwise_interactions(
            Known(),
            X,
            aggregation=aggregation,
            n_clusters=4,
            uncertainty=None,
            max_samples=None,
        )
        expected = 2 * std[0] * std[1]
        power = 2 if aggregation == "mean_squared" else 1
        np.testing.assert_allclose(r.interactions[0, 1], expected**power, rtol=1e-8)
        np.testing.assert_allclose(
            r.interactions[2, 3], (std[2] * std[3]) ** power, rtol=1e-8
        )
        mask = np.ones((5, 5), bool)
        mask[[0, 1, 2, 3], [1, 0, 3, 2]] = False
        assert np.abs(r.interactions[mask]).max() < 1e-12
        assert r.top_k_pairs[:2] == [(0, 1), (2, 3)]
        assert r.method == "hessian"


def test_black_box_finite_differences_rank_true_pairs(data):
    X, y = data
    model = HistGradientBoostingRegressor(random_state=0).fit(X, y)
    r = pairwise_interactions(model, X, random_state=0, n_resamples=20)
    assert r.method == "finite_difference"
    assert set(r.top_k_pairs[:2]) == {(0, 1), (2, 3)}
    # The percentile interval of each true pair brackets its point estimate
    # and lies above the intervals of all the other pairs.
    ci = r.interaction_ci
    assert ci.shape == (5, 5, 2)
    others = np.ones((5, 5), dtype=bool)
    others[[0, 1, 2, 3], [1, 0, 3, 2]] = False
    np.fill_diagonal(others, False)
    for i, j in [(0, 1), (2, 3)]:
        assert ci[i, j, 0] <= r.interactions[i, j] <= ci[i, j, 1]
        assert ci[i, j, 0] > ci[..., 1][others].max()
    # Four points per pair per evaluation row.
    assert r.n_model_evaluations == 4 * 10 * 600


def test_additive_black_box_below_tolerance():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 3))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + X[:, 2]
    model = HistGradientBoostingRegressor(
        random_state=0, interaction_cst="no_interactions"
    )
    model.fit(X, y)
    r = pairwise_interactions(model, X, uncertainty=None, aggregation="eah")
    # Exact additivity of the trees makes every mixed difference vanish up to
    # floating point error (documented tolerance 1e-10).
    assert np.abs(r.interactions).max() < 1e-10


def test_ucb_search_finds_top_pairs(data):
    X, y = data
    r = pairwise_interactions(
        Known(), X, method="finite_difference", search="ucb", top_k=2, random_state=0
    )
    assert r.aggregation == "mean_squared"
    assert set(r.top_k_pairs) == {(0, 1), (2, 3)}
    assert r.bandit.total_pulls * 4 == r.n_model_evaluations
    assert r.n_model_evaluations < 10 * 100 * 4
    # A bilinear function's mixed differences are exact and the same at every
    # row: the mean rewards are the squared true values, with no spread.
    std = X.std(axis=0)
    ci = r.interaction_ci
    np.testing.assert_allclose(r.interactions[0, 1], (2 * std[0] * std[1]) ** 2)
    np.testing.assert_allclose(r.interactions[2, 3], (std[2] * std[3]) ** 2)
    np.testing.assert_allclose(ci[0, 1], r.interactions[0, 1])
    assert not r.bandit.hit_cap


def test_refit_uncertainty(data):
    X, y = data
    model = RandomForestRegressor(n_estimators=10, random_state=0).fit(X[:200], y[:200])
    r = pairwise_interactions(
        model,
        X[:200],
        y[:200],
        uncertainty="refit",
        n_resamples=3,
        max_samples=50,
        aggregation="eah",
        random_state=0,
    )
    assert r.interaction_ci.shape == (5, 5, 2)
    assert r.interaction_ci[0, 1, 1] > r.interaction_ci[0, 1, 0]
    with pytest.raises(ValueError, match="needs the training targets"):
        pairwise_interactions(model, X, uncertainty="refit")
    with pytest.raises(ValueError, match="FrozenEstimator"):
        pairwise_interactions(FrozenEstimator(model), X, y, uncertainty="refit")


def test_reproducible(data):
    X, y = data
    model = HistGradientBoostingRegressor(random_state=0).fit(X, y)
    a = pairwise_interactions(model, X, max_samples=100, random_state=3)
    b = pairwise_interactions(model, X, max_samples=100, random_state=3)
    np.testing.assert_array_equal(a.interactions, b.interactions)
    np.testing.assert_array_equal(a.interaction_ci, b.interaction_ci)


def test_bad_input(data):
    X, y = data
    model = LinearRegression().fit(X, y)
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        pairwise_interactions(model, bad)
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        pairwise_interactions(model, bad)
    with pytest.raises(ValueError, match="expecting 5 features"):
        pairwise_interactions(model, np.array([["a", "b"], ["c", "d"]]))
    # Strings the model cannot take: the model's own error, not a silent result.
    with pytest.raises(ValueError, match="could not convert"):
        pairwise_interactions(model, np.full((3, 5), "a"))
    with pytest.raises(ValueError, match="0 sample"):
        pairwise_interactions(model, X[:0])
    with pytest.raises(InvalidParameterError):
        pairwise_interactions(model, X, aggregation="median")
    with pytest.raises(ValueError, match="black box"):
        pairwise_interactions(model, X, method="hessian")
    with pytest.raises(ValueError, match="search='ucb'"):
        pairwise_interactions(model, X, search="ucb", aggregation="geh")


def test_single_feature_gives_empty_result():
    X = np.linspace(0, 1, 20)[:, None]
    model = LinearRegression().fit(X, X[:, 0])
    r = pairwise_interactions(model, X)
    assert r.interactions.shape == (1, 1)
    assert r.top_k_pairs == []


def test_constant_feature_warns_and_is_zero():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 3))
    X[:, 2] = 1.0
    model = RandomForestRegressor(n_estimators=5, random_state=0).fit(
        X, X[:, 0] * X[:, 1]
    )
    with pytest.warns(UserWarning, match="constant"):
        r = pairwise_interactions(model, X, uncertainty=None)
    assert np.all(r.interactions[2] == 0)


# -- classifiers ----------------------------------------------------------------
@pytest.fixture(scope="module")
def logistic_data():
    """A logistic model whose logit is additive: 2 x0 - x1 + 0.5 x2."""
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(2000, 3))
    logit = 2 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2]
    y = (rng.uniform(size=2000) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


@pytest.mark.parametrize("search", ["all", "ucb"])
def test_additive_logit_has_no_interaction_on_the_log_odds_scale(logistic_data, search):
    from sklearn.linear_model import LogisticRegression

    X, y = logistic_data
    clf = LogisticRegression().fit(X, y)
    kwargs = dict(search=search, top_k=3, max_pulls=20, random_state=0)
    log_odds = pairwise_interactions(clf, X, **kwargs)
    assert log_odds.scale == "log-odds of class 1"
    assert np.abs(log_odds.interactions).max() < 1e-9
    proba = pairwise_interactions(clf, X, response_method="predict_proba", **kwargs)
    assert proba.scale == "probability of class 1"
    # The sigmoid alone makes every pair interact, most of all the pair with
    # the largest coefficients.
    assert proba.interactions[0, 1] > 1e-3
    assert proba.top_k_pairs[0] == (0, 1)


def test_exact_probability_hessian_is_the_sigmoid_curvature(logistic_data):
    """MLPClassifier with an identity activation: logit = a + x @ w, exactly."""
    from sklearn.neural_network import MLPClassifier

    from sklearn_interact.inspection import local_interactions, make_model_function

    X, y = logistic_data
    clf = MLPClassifier(
        hidden_layer_sizes=(4,), activation="identity", max_iter=300, random_state=0
    ).fit(X, y)
    w = clf.coefs_[0] @ clf.coefs_[1][:, 0]
    z = clf.predict_proba(X)[:, 1]
    H = local_interactions(clf, X[:50]).interaction_values
    np.testing.assert_allclose(H, 0.0, atol=1e-12)
    fn = make_model_function(clf, response_method="predict_proba")
    H = local_interactions(fn, X[:50]).interaction_values
    s = z[:50]
    expected = (s * (1 - s) * (1 - 2 * s))[:, None, None] * np.outer(w, w)[None]
    np.testing.assert_allclose(H, expected, atol=1e-10)


def test_multiclass_scores_are_the_mean_of_the_class_scores(logistic_data):
    from sklearn.ensemble import HistGradientBoostingClassifier

    from sklearn_interact.inspection import make_model_function

    X, _ = logistic_data
    y = np.array(["lo", "mid", "hi"])[np.digitize(X[:, 0] * X[:, 1], [-0.2, 0.2])]
    clf = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(X, y)
    kwargs = dict(aggregation="eah", max_samples=200, random_state=0)
    summary = pairwise_interactions(clf, X, **kwargs)
    assert summary.scale == "mean over 3 classes of the log-odds of each class"
    per_class = [
        pairwise_interactions(make_model_function(clf, target=c), X, **kwargs)
        for c in clf.classes_
    ]
    np.testing.assert_allclose(
        summary.interactions, np.mean([r.interactions for r in per_class], axis=0)
    )
    assert summary.top_k_pairs[0] == (0, 1)
    # Intervals: the bootstrap of the mean over classes (same resampled rows).
    ci = summary.interaction_ci
    assert ci.shape == (3, 3, 2) and np.all(ci[..., 0] <= ci[..., 1])
    assert ci[0, 1, 0] > max(ci[0, 2, 1], ci[1, 2, 1])
    # The bandit averages the classes' rewards too.
    bandit = pairwise_interactions(clf, X, search="ucb", top_k=1, random_state=0)
    assert bandit.top_k_pairs[0] == (0, 1)


# ---------------------------------------------------------------------------
# Rows stream in chunks: results do not depend on the chunking.


class Curved(torch.nn.Module):
    """A function with row-varying Hessians of both signs."""

    def forward(self, x):
        return torch.sin(x[:, 0] * x[:, 1]) + x[:, 2] ** 2 * x[:, 3] + x[:, 4]


def _streamed(X, chunk_rows, method, aggregation, n_clusters, model=None):
    from sklearn_interact.inspection._features import tabular_input
    from sklearn_interact.inspection._model_function import as_model_function
    from sklearn_interact.inspection._pairwise import stream_pair_scores
    from sklearn_interact.inspection._validation import all_pairs

    data = tabular_input(X, None)
    function = as_model_function(model or Curved()).for_data(data)
    return stream_pair_scores(
        function,
        data,
        np.arange(X.shape[0]),
        method,
        aggregation,
        step=0.8,
        pairs=all_pairs(X.shape[1]),
        n_clusters=n_clusters,
        n_resamples=20,
        random_state=0,
        chunk_rows=chunk_rows,
    )


@pytest.mark.parametrize(
    "aggregation, n_clusters",
    [("geh", "auto"), ("geh", 3), ("eah", 1), ("aeh", 1), ("mean_squared", 1)],
)
@pytest.mark.parametrize("method", ["hessian", "finite_difference"])
def test_chunked_scores_equal_unchunked(data, method, aggregation, n_clusters):
    X = data[0][:300]
    whole = _streamed(X, None, method, aggregation, n_clusters)
    for chunk_rows in (37, 128):
        chunked = _streamed(X, chunk_rows, method, aggregation, n_clusters)
        # (atol: sums that cancel to ~1e-34 differ in their rounding)
        np.testing.assert_allclose(chunked.scores, whole.scores, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(
            chunked.samples, whole.samples, rtol=1e-10, atol=1e-12
        )
        if aggregation == "geh":
            assert chunked.clusters.n_clusters == whole.clusters.n_clusters


def test_pairwise_interactions_stream_rows(data, monkeypatch):
    """Through the public function: chunks of 256 rows, same result."""
    from sklearn_interact.inspection import _pairwise

    X = data[0]
    kwargs = dict(max_samples=None, n_resamples=30, random_state=1)
    whole = pairwise_interactions(Curved(), X, **kwargs)
    monkeypatch.setattr(_pairwise, "_STREAM_ELEMENTS", 1)  # 256-row chunks
    chunked = pairwise_interactions(Curved(), X, **kwargs)
    np.testing.assert_allclose(chunked.interactions, whole.interactions, rtol=1e-10)
    np.testing.assert_allclose(chunked.interaction_ci, whole.interaction_ci, rtol=1e-10)
    assert chunked.n_clusters == whole.n_clusters
    assert chunked.n_model_evaluations == whole.n_model_evaluations


def test_streamed_clusters_from_a_subsample(data, monkeypatch):
    """Beyond the cluster rows, k-means is fitted on a subsample and rows are
    assigned chunk by chunk; the ranking stays that of all rows."""
    from sklearn_interact.inspection import _pairwise

    X = data[0]
    whole = pairwise_interactions(
        Known(), X, max_samples=None, n_clusters=4, uncertainty=None, random_state=0
    )
    monkeypatch.setattr(_pairwise, "_STREAM_ELEMENTS", 1)
    monkeypatch.setattr(_pairwise, "_CLUSTER_ROWS", 200)
    monkeypatch.setattr(_pairwise, "cluster_fit_rows", lambda n_terms: 200)
    sub = pairwise_interactions(
        Known(), X, max_samples=None, n_clusters=4, uncertainty=None, random_state=0
    )
    assert sub.n_clusters == 4
    assert sub.top_k_pairs[:2] == whole.top_k_pairs[:2] == [(0, 1), (2, 3)]
    np.testing.assert_allclose(sub.interactions, whole.interactions, atol=0.05)


def test_screen_warns_that_left_out_pairs_were_not_measured():
    """A black box with more than 30 features is screened by default: the
    pairs of the features it leaves out score 0 without being measured, and
    a warning names those features."""
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 42))
    y = X[:, 0] * X[:, 1] + X[:, 2]
    model = HistGradientBoostingRegressor(max_iter=20, random_state=0).fit(X, y)
    with pytest.warns(UserWarning, match="kept 40 of 42 features") as record:
        r = pairwise_interactions(
            model, X, uncertainty=None, max_samples=50, random_state=0
        )
    assert r.search == "screen"
    left_out = np.setdiff1d(np.arange(42), r.screen.features)
    message = next(str(w.message) for w in record if "kept 40" in str(w.message))
    named = message[message.index("(") + 1 : message.index(")")].split(", ")
    assert named == [f"x{j}" for j in left_out]
    assert np.all(r.interactions[left_out] == 0)
    # Every pair measured: no such warning.
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        pairwise_interactions(
            model, X, search="all", uncertainty=None, max_samples=50, random_state=0
        )
    assert not any("feature screen" in str(w.message) for w in record)
