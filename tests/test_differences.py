import numpy as np
import torch

from sklearn_interact.inspection import _differences, make_model_function
from sklearn_interact.inspection._differences import (
    FeatureGrid,
    direction_differences,
    mixed_differences,
)
from sklearn_interact.inspection._validation import all_pairs


class Analytic(torch.nn.Module):
    """f(x) = x0 * x1 + sin(x2) * x3."""

    def forward(self, x):
        return x[:, 0] * x[:, 1] + torch.sin(x[:, 2]) * x[:, 3]


def test_finite_differences_of_order_2_3_4():
    """Central mixed differences are exact for multilinear monomials."""

    class Poly(torch.nn.Module):
        def forward(self, x):
            return (
                x[:, 0] * x[:, 1] * x[:, 2] * x[:, 3]
                + 2 * x[:, 0] * x[:, 1]
                - 3 * x[:, 1] * x[:, 2]
                + x[:, 4] ** 2
            )

    fn = make_model_function(Poly())
    X = np.random.RandomState(1).normal(size=(6, 5))
    d2 = mixed_differences(fn, X, [[0, 1], [1, 2], [0, 4]], step=0.7)
    np.testing.assert_allclose(d2[:, 0], X[:, 2] * X[:, 3] + 2, atol=1e-9)
    np.testing.assert_allclose(d2[:, 1], X[:, 0] * X[:, 3] - 3, atol=1e-9)
    np.testing.assert_allclose(d2[:, 2], 0, atol=1e-9)
    d3 = mixed_differences(fn, X, [[0, 1, 2], [0, 1, 4]], step=0.3)
    np.testing.assert_allclose(d3[:, 0], X[:, 3], atol=1e-9)
    np.testing.assert_allclose(d3[:, 1], 0, atol=1e-9)
    d4 = mixed_differences(fn, X, [[0, 1, 2, 3], [0, 1, 2, 4]], step=1.1)
    np.testing.assert_allclose(d4[:, 0], 1.0, atol=1e-8)
    np.testing.assert_allclose(d4[:, 1], 0.0, atol=1e-8)


def test_finite_differences_respect_scale():
    class Product(torch.nn.Module):
        def forward(self, x):
            return x[:, 0] * x[:, 1]

    fn = make_model_function(Product())
    X = np.zeros((3, 2))
    d = mixed_differences(fn, X, [[0, 1]], step=0.5, scale=np.array([2.0, 5.0]))
    # Derivative with respect to x / scale: 2 * 5 * d2f/dx0dx1 = 10.
    np.testing.assert_allclose(d[:, 0], 10.0)


def test_chunking_does_not_change_results(monkeypatch):
    fn = make_model_function(Analytic())
    X = np.random.RandomState(0).normal(size=(50, 4))
    pairs = all_pairs(4)
    a = mixed_differences(fn, X, pairs, step=0.5)
    paired = mixed_differences(fn, X[:6], pairs, step=0.5, paired=True)
    monkeypatch.setattr(_differences, "_MAX_CHUNK_ELEMENTS", 100)
    np.testing.assert_allclose(mixed_differences(fn, X, pairs, step=0.5), a)
    np.testing.assert_allclose(
        mixed_differences(fn, X[:6], pairs, step=0.5, paired=True), paired
    )


def test_paired_differences_are_the_diagonal_of_crossed_ones():
    fn = make_model_function(Analytic())
    X = np.random.RandomState(2).normal(size=(6, 4))
    pairs = all_pairs(4)  # six pairs, one per row
    crossed = mixed_differences(fn, X, pairs, step=0.4)
    paired = mixed_differences(fn, X, pairs, step=0.4, paired=True)
    np.testing.assert_allclose(paired, np.diag(crossed), atol=1e-12)


def test_direction_differences_of_a_bilinear_function():
    """f = x^T A x has D_u D_v f = u^T (A + A^T) v for any directions."""
    A = np.random.RandomState(3).normal(size=(4, 4))
    At = torch.as_tensor(A)

    class Quadratic(torch.nn.Module):
        def forward(self, x):
            return torch.einsum("ni,ij,nj->n", x, At, x)

    fn = make_model_function(Quadratic())
    rng = np.random.RandomState(4)
    X = rng.normal(size=(5, 4))
    U = rng.normal(size=(5, 4, 2))
    V = rng.normal(size=(4, 3))
    d = direction_differences(fn, X, U, V, step=0.7)
    expected = np.einsum("rpa,pq,qb->rab", U, A + A.T, V)
    np.testing.assert_allclose(d, expected, atol=1e-9)


def test_steps_slide_inside_the_range_keeping_their_width():
    lower, upper, h = np.array([0.0]), np.array([1.0]), 0.3
    x = np.array([[0.0], [0.1], [0.5], [0.95], [1.0]])
    grid = FeatureGrid(
        x, ["continuous"], np.ones(1), h, np.ones(1), lower, upper, [None], [None]
    )
    plus, minus = grid.values[:, 0, 0], grid.values[:, 0, 1]
    np.testing.assert_allclose(plus - minus, 2 * h)
    assert np.all(minus >= 0) and np.all(plus <= 1)
    np.testing.assert_allclose(minus, [0.0, 0.0, 0.2, 0.4, 0.4])
    # A range narrower than 2h: the two points are its ends.
    narrow = FeatureGrid(
        x / 4,
        ["continuous"],
        np.ones(1),
        h,
        np.ones(1),
        lower,
        upper / 4,
        [None],
        [None],
    )
    np.testing.assert_allclose(narrow.values[:, 0, :2], [[0.25, 0.0]] * 5)
