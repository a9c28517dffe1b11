# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Tests of the Bayesian M-GEH helpers."""

import numpy as np
import torch

from sklearn_interact.inspection._aggregation import aggregate, kmeans_clusters
from sklearn_interact.inspection._bayesian import (
    bayesian_group_expected_hessian,
    posterior_pair_hessians,
)

# Draw k of a toy posterior: a_k * x0 * x1 + b_k * x2^2 + x1 * x2^2.
A = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
B = torch.tensor([0.3, 0.1, -1.0], dtype=torch.float64)


def _draw_function(x, draw):
    a, b = A.to(x.dtype)[draw], B.to(x.dtype)[draw]
    return a * x[:, 0] * x[:, 1] + b * x[:, 2] ** 2 + x[:, 1] * x[:, 2] ** 2


def _true_local(X, k):
    """Exact pair Hessians (0,1), (0,2), (1,2) of draw k."""
    n = X.shape[0]
    return np.column_stack([np.full(n, A[k].item()), np.zeros(n), 2.0 * X[:, 2]])


def test_posterior_pair_hessians_match_analytic():
    X = np.random.RandomState(0).normal(size=(11, 3))
    local = posterior_pair_hessians(_draw_function, X, 3, dtype=torch.float64)
    assert local.shape == (3, 11, 3)
    for k in range(3):
        np.testing.assert_allclose(local[k], _true_local(X, k), atol=1e-10)


def test_posterior_pair_hessians_scale_features_and_per_draw_rows():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(3, 5, 3))  # one set of rows per draw
    scale = np.array([2.0, 3.0, 0.5])
    local = posterior_pair_hessians(
        _draw_function, X, 3, scale=scale, dtype=torch.float64
    )
    for k in range(3):
        expected = _true_local(X[k], k) * np.array([6.0, 1.0, 1.5])
        np.testing.assert_allclose(local[k], expected, atol=1e-10)
    # Restricting to features (1, 2) holds feature 0 at each row's value.
    sub = posterior_pair_hessians(
        _draw_function, X, 3, features=[1, 2], dtype=torch.float64
    )
    assert sub.shape == (3, 5, 1)
    for k in range(3):
        np.testing.assert_allclose(sub[k, :, 0], 2.0 * X[k, :, 2], atol=1e-10)


def test_bayesian_geh_takes_absolute_value_inside_each_draw():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    local = rng.normal(size=(4, 40, 3))
    groups = kmeans_clusters(X, 3, random_state=0)
    samples = bayesian_group_expected_hessian(local, "geh", clusters=groups)
    for k in range(4):
        np.testing.assert_allclose(
            samples[k], aggregate(local[k], "geh", clusters=groups)
        )
    np.testing.assert_allclose(
        bayesian_group_expected_hessian(local, "aeh")[1],
        np.abs(local[1].mean(axis=0)),
    )
    np.testing.assert_allclose(
        bayesian_group_expected_hessian(local, "eah")[2],
        np.abs(local[2]).mean(axis=0),
    )
