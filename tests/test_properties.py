"""Property-based tests (hypothesis) of the measuring functions.

* additive functions have no interactions, for every local method and
  aggregation (tolerance: 1e-9 times the size of the function's values);
* permuting the features permutes the interaction matrix;
* exact Hessians scale as 1/c when a feature is scaled by c, and scores on
  the standardized scale do not change at all;
* Integrated Hessians of random small networks are complete: their entries
  add up to f(x) - f(baseline);
* bootstrap intervals contain the point estimate and shrink as rows grow.

Thirty examples each, derandomized (the same examples on every run), keep the
whole file to a few seconds.
"""

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sklearn_interact.inspection import (
    integrated_hessians,
    local_interactions,
    pairwise_interactions,
)

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
METHODS = ["hessian", "finite_difference", "integrated", "expected"]
AGGREGATIONS = ["eah", "aeh", "geh", "mean_squared"]


class Additive(torch.nn.Module):
    """f(x) = sum_j a_j sin(b_j x_j) + c_j x_j^2 + d_j x_j."""

    def __init__(self, coefficients):
        super().__init__()
        self.register_buffer("coef", torch.as_tensor(coefficients, dtype=torch.float64))

    def forward(self, x):
        a, b, c, d = self.coef
        return (a * torch.sin(b * x) + c * x**2 + d * x).sum(dim=1)


def _random_net(seed, p, width=6, activation=torch.nn.Tanh):
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(p, width),
        activation(),
        torch.nn.Linear(width, width),
        activation(),
        torch.nn.Linear(width, 1),
    ).double()


class Permuted(torch.nn.Module):
    """``module`` reading its features from permuted columns."""

    def __init__(self, module, permutation):
        super().__init__()
        self.module = module
        self.inverse = np.argsort(permutation)

    def forward(self, x):
        return self.module(x[:, self.inverse]).reshape(-1)


class Scaled(torch.nn.Module):
    """``module`` reading feature ``k`` in units ``c`` times larger."""

    def __init__(self, module, k, c):
        super().__init__()
        self.module, self.k, self.c = module, k, c

    def forward(self, x):
        factor = torch.ones(x.shape[1], dtype=x.dtype)
        factor[self.k] = 1.0 / self.c
        return self.module(x * factor).reshape(-1)


coefficients = st.integers(2, 5).flatmap(
    lambda p: st.lists(
        st.lists(st.floats(-2, 2), min_size=p, max_size=p), min_size=4, max_size=4
    )
)
seeds = st.integers(0, 2**16)


def _data(seed, n, p):
    return np.random.RandomState(seed).uniform(-1.5, 1.5, size=(n, p))


@SETTINGS
@given(coefficients, seeds, st.sampled_from(METHODS), st.sampled_from(AGGREGATIONS))
def test_additive_functions_have_no_interactions(coef, seed, method, aggregation):
    model = Additive(coef)
    p = len(coef[0])
    X = _data(seed, 30, p)
    result = pairwise_interactions(
        model,
        X,
        method=method,
        aggregation=aggregation,
        n_clusters=3,
        uncertainty=None,
        random_state=0,
    )
    size = 1.0 + np.abs(model(torch.as_tensor(X)).numpy()).max()
    power = 2 if aggregation == "mean_squared" else 1
    assert np.abs(result.interactions).max() <= (1e-9 * size) ** power


@SETTINGS
@given(
    seeds, st.permutations(range(4)), st.sampled_from(["eah", "aeh", "mean_squared"])
)
def test_permuting_features_permutes_the_matrix(seed, permutation, aggregation):
    permutation = np.asarray(permutation)
    net = _random_net(seed, 4)
    X = _data(seed, 40, 4)
    kwargs = dict(aggregation=aggregation, uncertainty=None, max_samples=None)
    for method in ("hessian", "finite_difference"):
        M = pairwise_interactions(net, X, method=method, **kwargs).interactions
        M_perm = pairwise_interactions(
            Permuted(net, permutation), X[:, permutation], method=method, **kwargs
        ).interactions
        np.testing.assert_allclose(
            M_perm, M[np.ix_(permutation, permutation)], rtol=1e-9, atol=1e-12
        )


@SETTINGS
@given(seeds, st.integers(0, 3), st.floats(1e-3, 1e3))
def test_hessians_scale_as_one_over_c_and_standardized_scores_do_not(seed, k, c):
    net = _random_net(seed, 4)
    X = _data(seed, 25, 4)
    X_scaled = X.copy()
    X_scaled[:, k] *= c
    scaled = Scaled(net, k, c)
    H = local_interactions(net, X, method="hessian").interaction_values
    H_scaled = local_interactions(scaled, X_scaled, method="hessian").interaction_values
    factor = np.ones(4)
    factor[k] = 1.0 / c
    np.testing.assert_allclose(
        H_scaled, H * np.outer(factor, factor), rtol=1e-7, atol=1e-12
    )
    kwargs = dict(method="hessian", aggregation="eah", uncertainty=None)
    M = pairwise_interactions(net, X, **kwargs)
    M_scaled = pairwise_interactions(scaled, X_scaled, **kwargs)
    np.testing.assert_allclose(M_scaled.interactions, M.interactions, rtol=1e-7)
    assert M_scaled.top_k_pairs == M.top_k_pairs


@SETTINGS
@given(
    seeds,
    st.integers(2, 5),
    st.sampled_from([torch.nn.Tanh, torch.nn.Softplus, torch.nn.Sigmoid]),
)
def test_integrated_hessians_are_complete(seed, p, activation):
    net = _random_net(seed, p, activation=activation)
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(6, p))
    baseline = rng.normal(size=p)
    result = integrated_hessians(net, X, baseline, tol=1e-6)
    with torch.no_grad():
        f_x = net(torch.as_tensor(X)).numpy().ravel()
        f_b = net(torch.as_tensor(baseline[None])).numpy().ravel()
    total = result.interaction_values.sum(axis=(1, 2))
    # Checked against the network itself, not the function's own report.
    np.testing.assert_allclose(total, f_x - f_b, rtol=1e-5, atol=1e-8)
    # Each row sums to the Integrated Gradients of its feature.
    np.testing.assert_allclose(
        result.interaction_values.sum(axis=2), result.attributions, atol=1e-12
    )


class ThreeWay(torch.nn.Module):
    """a x0 x1 x2 + b x1 x3: the Hessian of (0, 1) varies with x2 from row to row."""

    def __init__(self, a, b):
        super().__init__()
        self.a, self.b = a, b

    def forward(self, x):
        return self.a * x[:, 0] * x[:, 1] * x[:, 2] + self.b * x[:, 1] * x[:, 3]


@SETTINGS
@given(
    seeds,
    st.floats(0.5, 3),
    st.floats(0.5, 3),
    st.sampled_from(["eah", "mean_squared", "geh"]),
)
def test_bootstrap_intervals_contain_the_estimate_and_shrink(seed, a, b, aggregation):
    model = ThreeWay(a, b)
    kwargs = dict(
        method="hessian",
        aggregation=aggregation,
        n_clusters=4,
        n_resamples=200,
        max_samples=None,
        random_state=seed,
    )
    small = pairwise_interactions(model, _data(seed, 100, 4), **kwargs)
    large = pairwise_interactions(model, _data(seed + 1, 1600, 4), **kwargs)
    for result in (small, large):
        M, ci = result.interactions, result.interaction_ci
        # The pairs with an interaction that changes from row to row.
        for i, j in [(0, 1), (0, 2), (1, 2)]:
            assert ci[i, j, 0] <= M[i, j] <= ci[i, j, 1]
    # 16 times the rows: the intervals of those pairs are about 4 times
    # narrower (at least 2 times here: 200 resamples, and near-zero cluster
    # means of M-GEH, make the widths noisy).
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        width_small = small.interaction_ci[i, j, 1] - small.interaction_ci[i, j, 0]
        width_large = large.interaction_ci[i, j, 1] - large.interaction_ci[i, j, 0]
        assert width_large < width_small / 2


@pytest.mark.parametrize("method", METHODS)
def test_additive_tolerance_is_tight_enough_to_fail(method):
    # The tolerance above is not vacuous: a product term of 1e-6 breaks it.
    class Nearly(Additive):
        def forward(self, x):
            return super().forward(x) + 1e-6 * x[:, 0] * x[:, 1]

    model = Nearly([[1.0, 1.0]] * 4)
    X = _data(0, 30, 2)
    result = pairwise_interactions(
        model, X, method=method, aggregation="eah", uncertainty=None
    )
    size = 1.0 + np.abs(model(torch.as_tensor(X)).numpy()).max()
    assert np.abs(result.interactions).max() > 1e-9 * size
