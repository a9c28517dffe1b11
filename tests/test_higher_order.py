# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
import numpy as np
import pytest
import torch
from sklearn.ensemble import RandomForestRegressor
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_interact.inspection import higher_order_interactions, make_model_function
from sklearn_interact.inspection._hessians import mixed_derivative_extensions


class Polynomial(torch.nn.Module):
    """x0 x1 x2 (3-way) + x3 x4 x5 x6 / 2 (4-way) + sin(x7 + x8) (pair)."""

    def forward(self, x):
        return (
            x[:, 0] * x[:, 1] * x[:, 2]
            + 0.5 * x[:, 3] * x[:, 4] * x[:, 5] * x[:, 6]
            + torch.sin(x[:, 7] + x[:, 8])
        )


def _data(n=300, p=10, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, size=(n, p))


def test_mixed_derivative_extensions_matches_calculus():
    class Cubic(torch.nn.Module):
        def forward(self, x):
            return x[:, 0] ** 2 * x[:, 1] * x[:, 2]

    fn = make_model_function(Cubic())
    X = np.array([[1.5, -2.0, 0.5], [0.3, 1.0, 2.0]])
    deriv = mixed_derivative_extensions(fn, X, np.array([[0, 1], [1, 2]]))
    assert deriv.shape == (2, 2, 3)
    # d3 f / dx0 dx1 dx2 = 2 x0; d3 f / dx0 dx1 dx0 = 2 x2.
    np.testing.assert_allclose(deriv[:, 0, 2], 2 * X[:, 0])
    np.testing.assert_allclose(deriv[:, 0, 0], 2 * X[:, 2])
    # d3 f / dx1 dx2 dx0 = 2 x0 again (symmetry), dx1 dx2 dx1 = 0.
    np.testing.assert_allclose(deriv[:, 1, 0], 2 * X[:, 0])
    np.testing.assert_allclose(deriv[:, 1, 1], 0.0)


@pytest.mark.parametrize("method", ["hessian", "finite_difference"])
def test_recovers_three_and_four_way_terms(method):
    X = _data()
    result = higher_order_interactions(
        Polynomial(), X, max_order=4, method=method, random_state=0
    )
    assert list(result.by_order[3])[0] == (0, 1, 2)
    assert list(result.by_order[4])[0] == (3, 4, 5, 6)
    assert set(result.higher_order_interactions) == set(result.by_order[3]) | set(
        result.by_order[4]
    )
    # Pairs inside the true terms outrank every pair across terms.
    assert result.interactions[7, 8] > result.interactions[0, 3]
    # Tuples that cross two additive terms have zero mixed derivative.
    assert result.by_order[3].get((0, 1, 3), 0.0) == pytest.approx(0.0, abs=1e-8)


def test_exact_and_finite_differences_agree_on_multilinear_terms():
    # Central differences are exact for a multilinear function.
    class Multilinear(torch.nn.Module):
        def forward(self, x):
            return x[:, 0] * x[:, 1] * x[:, 2] + 3 * x[:, 1] * x[:, 3]

    X = _data(p=4)
    kw = dict(max_order=3, random_state=0)
    exact = higher_order_interactions(Multilinear(), X, method="hessian", **kw)
    fd = higher_order_interactions(Multilinear(), X, method="finite_difference", **kw)
    for key, value in exact.by_order[3].items():
        assert fd.by_order[3][key] == pytest.approx(value, abs=1e-8)
    np.testing.assert_allclose(exact.interactions, fd.interactions, atol=1e-8)


def test_n_keep_bounds_the_candidates_and_black_box_works():
    X = _data(n=200, p=6)
    y = X[:, 0] * X[:, 1] * X[:, 2]
    forest = RandomForestRegressor(n_estimators=5, random_state=0).fit(X, y)
    kw = dict(max_order=3, n_keep=2, random_state=0)
    one_row = higher_order_interactions(forest, X, max_samples=1, **kw)
    assert one_row.method == "finite_difference"
    # One row: the extensions of its 2 strongest pairs only.
    assert len(one_row.by_order[3]) <= 2 * (6 - 2)
    assert all(len(k) == 3 and list(k) == sorted(k) for k in one_row.by_order[3])
    # Algorithm 1 extends every row's own top tuples.
    per_row = higher_order_interactions(forest, X, max_samples=3, **kw)
    assert len(per_row.rows) == 3
    assert len(per_row.by_order[3]) <= 3 * 2 * (6 - 2)


def test_errors():
    X = _data(p=3)
    with pytest.raises(ValueError, match="exceeds the number of features"):
        higher_order_interactions(Polynomial(), X, max_order=4)
    with pytest.raises(InvalidParameterError):
        higher_order_interactions(Polynomial(), X, max_order=6)
    forest = RandomForestRegressor(n_estimators=2).fit(X, X[:, 0])
    with pytest.raises(ValueError, match="differentiable"):
        higher_order_interactions(forest, X, method="hessian")
