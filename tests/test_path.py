# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""The path-integral kernel of Integrated / Expected Hessians."""

import numpy as np
import pytest
import torch

from sklearn_interact.inspection import make_model_function
from sklearn_interact.inspection._path import log_weight_gauss, path_hessians


@pytest.mark.parametrize("n_nodes", [1, 3, 8, 40])
def test_log_weight_gauss_reproduces_moments(n_nodes):
    # int_0^1 -log(t) t^k dt = 1 / (k + 1)^2, exact up to degree 2 n - 1.
    nodes, weights = log_weight_gauss(n_nodes)
    assert np.all((nodes > 0) & (nodes < 1))
    for k in range(2 * n_nodes):
        assert (weights * nodes**k).sum() == pytest.approx(1 / (k + 1) ** 2)


def test_path_hessians_of_a_cubic_average_paths_per_row():
    """f = x0^2 x1: exact with two nodes, and paths of one row are averaged."""

    class Cubic(torch.nn.Module):
        def forward(self, x):
            return x[:, 0] ** 2 * x[:, 1]

    fn = make_model_function(Cubic())
    X = np.array([[1.0, 2.0], [1.0, 2.0], [-1.0, 3.0]])
    base = np.array([[0.0, 0.0], [0.5, 1.0], [0.0, 0.0]])
    values = path_hessians(
        fn, X, base, *log_weight_gauss(2), row_index=np.array([0, 0, 1])
    )
    assert values.shape == (2, 2, 2)
    # Completeness of each path, averaged over the paths of the row.
    f = X[:, 0] ** 2 * X[:, 1] - base[:, 0] ** 2 * base[:, 1]
    np.testing.assert_allclose(
        values.sum(axis=(1, 2)), [f[:2].mean(), f[2]], atol=1e-12
    )
    np.testing.assert_allclose(values[1], values[1].T)
