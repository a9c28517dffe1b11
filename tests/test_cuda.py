"""The device="cuda" paths: run on a machine with a GPU, skipped elsewhere."""

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.neural_network import MLPRegressor

from sklearn_interact.inspection import make_model_function, pairwise_interactions
from sklearn_interact.inspection._hessians import exact_hessians
from sklearn_interact.neural import (
    BayesianMLPRegressor,
    NITRegressor,
    ParaACERegressor,
)
from sklearn_interact.utils._torch import resolve_device

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


def test_cuda_request_without_gpu_is_a_clear_error():
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(ValueError, match="CUDA is not available"):
        resolve_device("cuda")


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 4))
    return X, X[:, 0] * X[:, 1] + np.sin(2 * X[:, 2])


@pytest.mark.gpu
@cuda
def test_exact_hessians_on_cuda_match_cpu(data):
    X, y = data
    mlp = MLPRegressor(hidden_layer_sizes=(16, 8), max_iter=200, random_state=0)
    mlp.fit(X, y)
    cpu = exact_hessians(make_model_function(mlp), X)
    gpu = exact_hessians(make_model_function(mlp, device="cuda"), X)
    np.testing.assert_allclose(gpu, cpu, rtol=1e-9, atol=1e-12)
    a = pairwise_interactions(mlp, X, random_state=0)
    b = pairwise_interactions(
        make_model_function(mlp, device="cuda"), X, random_state=0
    )
    np.testing.assert_allclose(a.interactions, b.interactions, rtol=1e-9)


def _estimators():
    yield NITRegressor(
        n_blocks=3,
        hidden_layer_sizes=(4,),
        max_epochs=5,
        max_disentangle_epochs=3,
        early_stopping=False,
    )
    yield ParaACERegressor(
        teacher=Ridge(),
        n_interactions=2,
        hidden_layer_sizes=(8,),
        n_fixup=3,
        max_epochs=5,
        max_pulls=10,
    )
    yield BayesianMLPRegressor(
        hidden_layer_sizes=(16,),
        max_epochs=5,
        early_stopping=False,
        n_draws=4,
        max_samples=30,
    )


@pytest.mark.gpu
@cuda
@pytest.mark.parametrize(
    "estimator", list(_estimators()), ids=lambda e: e.__class__.__name__
)
def test_estimators_fit_on_cuda(estimator, data):
    X, y = data
    estimator.set_params(device="cuda", random_state=0).fit(X, y)
    assert next(estimator.module_.parameters()).device.type == "cuda"
    pred = estimator.predict(X)
    assert pred.shape == (300,) and np.all(np.isfinite(pred))
    assert np.all(np.isfinite(estimator.interactions_))
    r = pairwise_interactions(
        make_model_function(estimator, device="cuda"),
        X,
        uncertainty=None,
        aggregation="eah",
        random_state=0,
    )
    assert np.all(np.isfinite(r.interactions))


# ---------------------------------------------------------------------------
# device="auto": CUDA when available, else the CPU, with the CPU's results.


def test_auto_device_resolves_to_cuda_or_cpu():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected
    assert resolve_device(None).type == "cpu"


def test_auto_device_in_make_model_function(data):
    X, y = data
    mlp = MLPRegressor(hidden_layer_sizes=(16, 8), max_iter=200, random_state=0)
    mlp.fit(X, y)
    auto = make_model_function(mlp, device="auto")
    assert auto.device == resolve_device("auto")
    a = pairwise_interactions(mlp, X, random_state=0)
    b = pairwise_interactions(auto, X, random_state=0)
    np.testing.assert_allclose(b.interactions, a.interactions, rtol=1e-9)


@pytest.mark.parametrize(
    "estimator", list(_estimators()), ids=lambda e: e.__class__.__name__
)
def test_estimators_accept_auto_device(estimator, data):
    if torch.cuda.is_available():
        pytest.skip("CPU results are compared on a machine without a GPU")
    X, y = data
    cpu = clone(estimator).set_params(device="cpu", random_state=0).fit(X, y)
    auto = clone(estimator).set_params(device="auto", random_state=0).fit(X, y)
    assert next(auto.module_.parameters()).device.type == "cpu"
    np.testing.assert_allclose(auto.predict(X), cpu.predict(X))
    np.testing.assert_allclose(auto.interactions_, cpu.interactions_)
