import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from sklearn_interact.inspection._uncertainty import (
    bootstrap_weights,
    normal_interval,
    percentile_interval,
    refit_resamples,
)


def test_bootstrap_weights_are_multinomial_counts():
    W = bootstrap_weights(50, 200, random_state=0)
    assert W.shape == (200, 50)
    np.testing.assert_array_equal(W.sum(axis=1), 50)
    assert np.all(W >= 0)
    np.testing.assert_array_equal(W, bootstrap_weights(50, 200, random_state=0))


def test_bootstrap_interval_covers_the_mean():
    """Percentile bootstrap of a mean covers the truth ~95% of the time."""
    rng = np.random.RandomState(0)
    hits = 0
    for _ in range(200):
        x = rng.normal(loc=1.0, size=(60, 1))
        W = bootstrap_weights(60, 200, random_state=rng)
        samples = W @ x / 60
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
