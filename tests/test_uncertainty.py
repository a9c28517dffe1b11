import numpy as np
import pytest
from scipy.stats import norm
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression

from sklearn_interact.inspection import permutation_null
from sklearn_interact.inspection._uncertainty import (
    benjamini_hochberg,
    bootstrap_weights,
    normal_interval,
    percentile_interval,
    posterior_summary,
    refit_resamples,
)


def test_bootstrap_weights_are_poisson_counts():
    W = bootstrap_weights(50, 200, random_state=0)
    assert W.shape == (200, 50)
    assert abs(W.mean() - 1.0) < 0.05 and abs(W.var() - 1.0) < 0.1
    assert np.all(W >= 0)
    np.testing.assert_array_equal(W, bootstrap_weights(50, 200, random_state=0))


def test_bootstrap_interval_covers_the_mean():
    """Percentile bootstrap of a mean covers the truth ~95% of the time."""
    rng = np.random.RandomState(0)
    hits = 0
    for _ in range(200):
        x = rng.normal(loc=1.0, size=(60, 1))
        W = bootstrap_weights(60, 200, random_state=rng)
        samples = W @ x / W.sum(axis=1, keepdims=True)
        lo, hi = percentile_interval(samples, 0.95)[0]
        hits += lo <= 1.0 <= hi
    assert 0.88 <= hits / 200 <= 0.99


def test_normal_interval():
    ci = normal_interval(np.array([1.0]), np.array([2.0]), 0.95)
    np.testing.assert_allclose(ci, [[1 - 1.959964 * 2, 1 + 1.959964 * 2]], rtol=1e-6)


def test_refit_resamples_vary_and_are_reproducible():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 2))
    y = X @ [1.0, -2.0] + rng.normal(scale=0.5, size=40)

    def measure(est):
        return est.coef_

    a = refit_resamples(
        LinearRegression(), X, y, measure, n_resamples=5, random_state=0
    )
    b = refit_resamples(
        LinearRegression(), X, y, measure, n_resamples=5, random_state=0, n_jobs=2
    )
    assert a.shape == (5, 2)
    np.testing.assert_allclose(a, b)
    assert a[:, 0].std() > 0


def test_refits_run_on_a_dask_cluster():
    """Refits go through joblib, so a Dask backend runs them unchanged."""
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 2))
    y = X @ [1.0, -2.0] + rng.normal(scale=0.5, size=40)
    local = refit_resamples(
        LinearRegression(), X, y, _coef, n_resamples=4, random_state=0
    )
    with distributed.Client(processes=False, n_workers=1, dashboard_address=None):
        with parallel_config(backend="dask"):
            remote = refit_resamples(
                LinearRegression(),
                X,
                y,
                _coef,
                n_resamples=4,
                random_state=0,
                n_jobs=2,
            )
    np.testing.assert_allclose(local, remote)


def _coef(est):
    return est.coef_


def test_posterior_summary_intervals_and_pvalues():
    rng = np.random.RandomState(0)
    samples = np.column_stack(
        [rng.normal(3.0, 1.0, 4000), rng.normal(0.5, 1.0, 4000), np.zeros(4000)]
    )
    s = posterior_summary(samples, 0.9)
    z = norm.ppf(0.95)
    np.testing.assert_allclose(s.normal_ci[:, 0], s.mean - z * s.std)
    np.testing.assert_allclose(s.normal_ci[:, 1], s.mean + z * s.std)
    np.testing.assert_allclose(s.std, samples.std(axis=0, ddof=1))
    np.testing.assert_allclose(
        s.quantile_ci[:2], [[1.35, 4.65], [-1.15, 2.15]], atol=0.1
    )
    # The p-value is below 1 - level exactly when the interval excludes 0.
    excludes = (s.normal_ci[:, 0] > 0) | (s.normal_ci[:, 1] < 0)
    np.testing.assert_array_equal(s.pvalues < 0.1, excludes)
    assert s.pvalues[0] == pytest.approx(2 * norm.sf(3.0), rel=0.2)
    assert s.pvalues[2] == 1.0


def test_benjamini_hochberg_matches_hand_computation():
    p = np.array([0.01, 0.04, 0.03, 0.2, 0.005])
    reject, adjusted = benjamini_hochberg(p, alpha=0.05)
    # Sorted: 0.005, 0.01, 0.03, 0.04, 0.2 -> p*m/rank = .025,.025,.05,.05,.2
    np.testing.assert_allclose(adjusted, [0.025, 0.05, 0.05, 0.2, 0.025])
    np.testing.assert_array_equal(reject, [True, True, True, False, True])
    # NaNs are ignored and never rejected; shape is kept.
    p2 = np.array([[np.nan, 0.001], [0.5, np.nan]])
    reject2, adjusted2 = benjamini_hochberg(p2, alpha=0.05)
    assert reject2.shape == (2, 2)
    np.testing.assert_array_equal(reject2, [[False, True], [False, False]])
    assert adjusted2[0, 1] == pytest.approx(0.002)


def test_benjamini_hochberg_controls_fdr_under_the_null():
    rng = np.random.RandomState(0)
    false_rejections = [
        benjamini_hochberg(rng.uniform(size=50), alpha=0.1)[0].any() for _ in range(300)
    ]
    # All hypotheses are null: FDR = P(any rejection) <= alpha.
    assert np.mean(false_rejections) <= 0.15


class _ProductScores(RegressorMixin, BaseEstimator):
    """Cheap stand-in: scores are |least-squares coefficients| of x_i x_j."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y):
        X = np.asarray(X)
        p = X.shape[1]
        i, j = np.triu_indices(p, k=1)
        Z = np.column_stack([X, X[:, i] * X[:, j], np.ones(len(X))])
        coef = np.linalg.lstsq(Z, y, rcond=None)[0][p : p + len(i)]
        self.interactions_ = np.zeros((p, p))
        self.interactions_[i, j] = self.interactions_[j, i] = np.abs(coef)
        return self


def test_permutation_null_detects_real_interaction_only():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 4))
    y = X[:, 0] + 2.0 * X[:, 1] * X[:, 2] + 0.5 * rng.normal(size=200)
    result = permutation_null(
        _ProductScores(),
        X,
        y,
        n_permutations=19,
        random_state=0,
        measure=lambda est: est.interactions_.max(),
    )
    assert result.null_max.shape == (19,)
    assert result.null_interactions.shape == (19, 4, 4)
    np.testing.assert_allclose(result.null_max, result.null_measures)
    # The true pair beats every null maximum: smallest possible p-value.
    assert result.pvalues[1, 2] == pytest.approx(1 / 20)
    others = [(0, 1), (0, 2), (0, 3), (1, 3), (2, 3)]
    assert min(result.pvalues[a, b] for a, b in others) > 0.05
    assert np.all(np.diag(result.pvalues) == 1.0)
    # Given observed scores skip the unpermuted fit and are returned unchanged.
    obs = np.eye(4)
    again = permutation_null(
        _ProductScores(), X, y, n_permutations=3, observed=obs, random_state=0
    )
    np.testing.assert_array_equal(again.observed, obs)


def test_permutation_null_rejects_bad_input():
    from sklearn.utils._param_validation import InvalidParameterError

    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 3))
    y = X[:, 0]
    for bad in (0, -1, "3"):
        with pytest.raises(InvalidParameterError, match="n_permutations"):
            permutation_null(_ProductScores(), X, y, n_permutations=bad)
    with pytest.raises(TypeError, match="interactions_"):
        permutation_null(LinearRegression(), X, y, n_permutations=2)
    with pytest.raises(ValueError, match="observed must have shape"):
        permutation_null(_ProductScores(), X, y, n_permutations=2, observed=np.eye(2))
    with pytest.raises(ValueError, match="NaN"):
        permutation_null(
            _ProductScores(), X, y, n_permutations=2, observed=np.full((3, 3), np.nan)
        )
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        permutation_null(_ProductScores(), X, y[:-1], n_permutations=2)


# ---------------------------------------------------------------------------
# A Dask cluster gives the results of the default backend (every seed is
# drawn before the work is spread).


def _dask_problem():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(120, 3))
    y = X[:, 0] * X[:, 1] + X[:, 2] + 0.05 * rng.normal(size=120)
    return X, y


def _refit_and_null(n_jobs):
    from sklearn.tree import DecisionTreeRegressor

    from sklearn_interact import InteractionSelector

    X, y = _dask_problem()
    selector = InteractionSelector(
        DecisionTreeRegressor(max_depth=4),
        top_k=2,
        uncertainty="refit",
        n_resamples=3,
        max_samples=40,
        n_jobs=n_jobs,
        random_state=0,
    ).fit(X, y)
    null = permutation_null(
        InteractionSelector(LinearRegression(), uncertainty=None),
        X,
        y,
        n_permutations=3,
        n_jobs=n_jobs,
        random_state=0,
    )
    return selector, null


@pytest.mark.filterwarnings("ignore:.*fits the data poorly")
def test_dask_backend_gives_the_default_results():
    distributed = pytest.importorskip("distributed")
    joblib = pytest.importorskip("joblib")
    default_selector, default_null = _refit_and_null(None)
    with distributed.Client(
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        )
    ) as client:
        with joblib.parallel_config(backend="dask"):
            selector, null = _refit_and_null(2)
        client.close()
    np.testing.assert_array_equal(
        selector.interactions_, default_selector.interactions_
    )
    np.testing.assert_array_equal(
        selector.interaction_ci_, default_selector.interaction_ci_
    )
    assert selector.top_k_pairs_ == default_selector.top_k_pairs_
    np.testing.assert_array_equal(null.null_max, default_null.null_max)
    np.testing.assert_array_equal(null.pvalues, default_null.pvalues)


@pytest.mark.filterwarnings("ignore:.*fits the data poorly")
def test_n_jobs_does_not_change_results():
    a_selector, a_null = _refit_and_null(1)
    b_selector, b_null = _refit_and_null(2)
    np.testing.assert_array_equal(a_selector.interactions_, b_selector.interactions_)
    np.testing.assert_array_equal(
        a_selector.interaction_ci_, b_selector.interaction_ci_
    )
    np.testing.assert_array_equal(a_null.null_interactions, b_null.null_interactions)
