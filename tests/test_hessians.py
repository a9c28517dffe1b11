import numpy as np
import pytest
import torch

from sklearn_interact.inspection import make_model_function
from sklearn_interact.inspection._differences import mixed_differences
from sklearn_interact.inspection._hessians import (
    _double_backward,
    _hessian_chunk_vmap,
    default_chunk_size,
    exact_hessians,
    hessian_kernel,
)
from sklearn_interact.inspection._validation import all_pairs, pairs_to_matrix


class Analytic(torch.nn.Module):
    """f(x) = x0 * x1 + sin(x2) * x3."""

    def forward(self, x):
        return x[:, 0] * x[:, 1] + torch.sin(x[:, 2]) * x[:, 3]


def analytic_hessian(x):
    H = np.zeros((4, 4))
    H[0, 1] = H[1, 0] = 1.0
    H[2, 2] = -np.sin(x[2]) * x[3]
    H[2, 3] = H[3, 2] = np.cos(x[2])
    return H


class Additive(torch.nn.Module):
    def forward(self, x):
        return torch.sin(x[:, 0]) + x[:, 1] ** 3 + torch.exp(x[:, 2] / 3)


@pytest.fixture
def X():
    return np.random.RandomState(0).normal(size=(50, 4))


def test_exact_hessian_matches_analytic(X):
    H = exact_hessians(make_model_function(Analytic()), X, chunk_size=7)
    expected = np.stack([analytic_hessian(x) for x in X])
    np.testing.assert_allclose(H, expected, atol=1e-6)


def test_exact_hessian_scaled(X):
    scale = np.array([1.0, 2.0, 3.0, 4.0])
    fn = make_model_function(Analytic())
    np.testing.assert_allclose(
        exact_hessians(fn, X, scale=scale),
        exact_hessians(fn, X) * np.outer(scale, scale),
    )


def test_additive_model_has_no_interactions(X):
    H = exact_hessians(make_model_function(Additive()), X[:, :3])
    off = H * (1 - np.eye(3))
    assert np.abs(off).max() < 1e-8


def test_gradients(X):
    fn = make_model_function(Analytic())
    H, g = exact_hessians(fn, X, chunk_size=7, return_gradients=True)
    np.testing.assert_allclose(g[:, 0], X[:, 1])
    np.testing.assert_allclose(g[:, 3], np.sin(X[:, 2]))
    np.testing.assert_allclose(H, exact_hessians(fn, X))
    scale = np.array([1.0, 2.0, 3.0, 4.0])
    _, g_scaled = exact_hessians(fn, X, scale=scale, return_gradients=True)
    np.testing.assert_allclose(g_scaled, g * scale)


def test_finite_differences_converge_to_hessian(X):
    fn = make_model_function(Analytic())
    pairs = all_pairs(4)
    fd = pairs_to_matrix(mixed_differences(fn, X, pairs, step=1e-3), 4)
    H = exact_hessians(fn, X) * (1 - np.eye(4))
    np.testing.assert_allclose(fd, H, atol=1e-5)


@pytest.mark.parametrize("module", [Analytic(), Additive()])
def test_hessian_kernels_agree(X, module):
    # The GPU kernel (vmap) and the CPU kernel (double backward) are the same
    # Hessian, also where the model is partly linear or additive.
    x = torch.as_tensor(X, dtype=torch.float64)
    np.testing.assert_allclose(
        _hessian_chunk_vmap(module, x).numpy(),
        _double_backward(module, x, False).numpy(),
        atol=1e-12,
    )
    H = _hessian_chunk_vmap(module, x).numpy()
    if isinstance(module, Analytic):
        np.testing.assert_allclose(H[0], analytic_hessian(X[0]), atol=1e-12)


class DataDependent(torch.nn.Module):
    """x0 * x1, behind a branch on the data that vmap cannot batch."""

    def forward(self, x):
        scale = 2.0 if bool(x[:, 0].abs().sum() >= 0) else 1.0
        return scale * x[:, 0] * x[:, 1]


def test_gpu_kernel_falls_back_to_double_backward(X):
    x = torch.as_tensor(X, dtype=torch.float64)
    with pytest.raises(RuntimeError):
        _hessian_chunk_vmap(DataDependent(), x)
    kernel = hessian_kernel(DataDependent(), "cuda")  # the GPU choice
    expected = np.zeros((4, 4))
    expected[0, 1] = expected[1, 0] = 2.0
    for _ in range(2):  # the second chunk goes straight to double backward
        H = kernel(x).numpy()
        np.testing.assert_allclose(H, np.broadcast_to(expected, H.shape), atol=1e-12)


def test_default_chunk_size_is_larger_on_a_gpu():
    cpu = default_chunk_size(30)
    gpu = default_chunk_size(30, device="cuda")
    assert 8 <= cpu < gpu <= 16384


def test_black_box_has_no_exact_hessian(X):
    from sklearn.tree import DecisionTreeRegressor

    tree = DecisionTreeRegressor().fit(X, X[:, 0])
    with pytest.raises(ValueError, match="not differentiable"):
        exact_hessians(make_model_function(tree), X)
