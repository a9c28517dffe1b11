# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Tests of the Bayesian M-GEH helpers (and Benjamini-Hochberg)."""

import numpy as np
import pytest
import torch
from scipy.stats import norm
from sklearn.base import BaseEstimator, RegressorMixin

from sklearn_interact.inspection._aggregation import aggregate, kmeans_groups
from sklearn_interact.inspection._bayesian import (
    bayesian_group_expected_hessian,
    permutation_null,
    posterior_pair_hessians,
    posterior_summary,
)
from sklearn_interact.inspection._uncertainty import benjamini_hochberg

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
    groups = kmeans_groups(X, 3, random_state=0)
    samples = bayesian_group_expected_hessian(local, "geh", groups=groups)
    for k in range(4):
        np.testing.assert_allclose(
            samples[k], aggregate(local[k], "geh", groups=groups)
        )
    np.testing.assert_allclose(
        bayesian_group_expected_hessian(local, "aeh")[1],
        np.abs(local[1].mean(axis=0)),
    )
    np.testing.assert_allclose(
        bayesian_group_expected_hessian(local, "eah")[2],
        np.abs(local[2]).mean(axis=0),
    )


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
