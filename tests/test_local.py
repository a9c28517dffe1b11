# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
import warnings

import numpy as np
import pytest
import torch
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

from sklearn_interact.inspection import (
    expected_hessians,
    integrated_hessians,
    local_interactions,
    pairwise_interactions,
)


class Product(torch.nn.Module):
    def forward(self, x):
        return x[:, 0] * x[:, 1]


class XOR(torch.nn.Module):
    """A sigmoid network computing XOR of two binary inputs (Janizek Sec. 4)."""

    def forward(self, x):
        s = x[:, 0] + x[:, 1]
        return torch.sigmoid(20 * (s - 0.5)) - torch.sigmoid(20 * (s - 1.5))


class Additive(torch.nn.Module):
    def forward(self, x):
        return torch.sin(x[:, 0]) + x[:, 1] ** 2


def _random_mlp(depth, activation, n_features=8, width=16, seed=0):
    torch.manual_seed(seed)
    layers, d_in = [], n_features
    for _ in range(depth):
        layers += [torch.nn.Linear(d_in, width), activation()]
        d_in = width
    layers.append(torch.nn.Linear(d_in, 1))
    return torch.nn.Sequential(*layers)


def test_product_matches_closed_form():
    # f = x0 x1, baseline 0: Gamma_01 = x0 x1 / 4 = Gamma_00 = Gamma_11.
    result = integrated_hessians(Product(), np.array([[2.0, 3.0], [-1.0, 4.0]]))
    expected = np.array([[[1.5, 1.5], [1.5, 1.5]], [[-1.0, -1.0], [-1.0, -1.0]]])
    np.testing.assert_allclose(result.interaction_values, expected, atol=1e-10)
    np.testing.assert_allclose(result.attributions.sum(1), [6.0, -4.0])


def test_additive_model_has_no_interaction_and_self_completeness():
    X = np.array([[1.0, 2.0], [-0.5, 0.3]])
    base = np.array([0.2, -1.0])
    result = integrated_hessians(Additive(), X, base)
    values = result.interaction_values
    np.testing.assert_allclose(values[:, 0, 1], 0.0, atol=1e-10)
    # Self completeness: the main effect is the feature's own output change.
    np.testing.assert_allclose(values[:, 0, 0], np.sin(X[:, 0]) - np.sin(base[0]))
    np.testing.assert_allclose(values[:, 1, 1], X[:, 1] ** 2 - base[1] ** 2)


def test_xor_example_of_janizek_section_4():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    result = integrated_hessians(XOR(), X, baseline=np.zeros(2), n_steps=64)
    values = result.interaction_values
    # (0, 0) is the baseline: every interaction is 0.
    np.testing.assert_allclose(values[0], 0.0, atol=1e-12)
    # (1, 1): same output as the baseline, negative interaction, positive
    # self-interactions that it cancels.
    assert values[1, 0, 1] < -0.1
    assert values[1, 0, 0] > 0.1 and values[1, 1, 1] > 0.1
    assert values[1].sum() == pytest.approx(result.output_difference[1], abs=1e-5)
    # A plain Hessian at (1, 1) sees nothing: the network is saturated there.
    hess = local_interactions(XOR(), X[1:]).interaction_values[0, 0, 1]
    assert abs(hess) < 0.1 * abs(values[1, 0, 1])


@pytest.mark.parametrize(
    "activation", [torch.nn.Softplus, torch.nn.GELU, torch.nn.ReLU, torch.nn.Tanh]
)
@pytest.mark.parametrize("depth", [2, 5])
def test_completeness_within_one_percent_by_default(activation, depth):
    net = _random_mlp(depth, activation)
    X = np.random.RandomState(0).normal(size=(6, 8))
    result = integrated_hessians(net, X)
    assert np.all(result.relative_completeness_error < 0.01)
    np.testing.assert_allclose(
        result.interaction_values, np.swapaxes(result.interaction_values, 1, 2)
    )
    np.testing.assert_allclose(
        result.interaction_values.sum((1, 2)), result.output_difference, rtol=0.01
    )


def test_sklearn_relu_mlp_is_smoothed_and_complete():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(200, 3))
    y = X[:, 0] * X[:, 1] + X[:, 2]
    mlp = MLPRegressor(hidden_layer_sizes=(16,), max_iter=200, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    result = integrated_hessians(mlp, X[:5], X.mean(0))
    assert np.all(result.relative_completeness_error < 0.01)
    assert np.abs(result.interaction_values[:, 0, 1]).sum() > 0


def test_tol_raises_nodes_until_converged():
    net = _random_mlp(3, torch.nn.Softplus)
    X = np.random.RandomState(1).normal(size=(4, 8))
    coarse = integrated_hessians(net, X, n_steps=1)
    result = integrated_hessians(net, X, n_steps=1, tol=1e-3)
    assert result.converged.all()
    assert np.all(result.relative_completeness_error <= 1e-3)
    assert np.any(coarse.relative_completeness_error > 1e-3)
    assert result.n_steps.max() > coarse.n_steps.max()
    with pytest.warns(ConvergenceWarning, match="did not reach"):
        integrated_hessians(net, X, n_steps=1, tol=1e-12, max_steps=2)


def test_expected_hessians_completeness_and_sampling():
    net = _random_mlp(2, torch.nn.GELU, n_features=4)
    rng = np.random.RandomState(0)
    background = rng.normal(size=(100, 4))
    X = rng.normal(size=(3, 4))
    result = expected_hessians(net, X, background, n_samples=16, random_state=0)
    assert result.baseline_indices.shape == (3, 16)
    assert np.all(result.relative_completeness_error < 1e-3)
    # Same result for the same seed, and the mean of IH over the same baselines.
    again = expected_hessians(net, X, background, n_samples=16, random_state=0)
    np.testing.assert_allclose(result.interaction_values, again.interaction_values)
    manual = np.mean(
        [
            integrated_hessians(net, X[:1], background[k]).interaction_values[0]
            for k in result.baseline_indices[0]
        ],
        axis=0,
    )
    np.testing.assert_allclose(result.interaction_values[0], manual, atol=1e-6)


def test_local_and_pairwise_entry_points():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(60, 3))
    local = local_interactions(Product(), X[:, :2], baseline=np.zeros(2))
    assert local.method == "integrated"
    np.testing.assert_allclose(local.interaction_values.sum((1, 2)), X[:, 0] * X[:, 1])
    expected = local_interactions(
        Product(), X[:, :2], method="expected", n_samples=4, random_state=0
    )
    assert expected.interaction_values.shape == (60, 2, 2)

    class Model(torch.nn.Module):
        def forward(self, x):
            return 2 * x[:, 0] * x[:, 2] + torch.sin(x[:, 1])

    for method in ("integrated", "expected"):
        result = pairwise_interactions(
            Model(), X, method=method, uncertainty=None, random_state=0
        )
        assert result.top_k_pairs[0] == (0, 2)
        assert result.aggregation == "eah"
        assert result.interactions[0, 1] == pytest.approx(0.0, abs=1e-10)


def test_errors():
    X = np.random.RandomState(0).normal(size=(20, 2))
    forest = RandomForestRegressor(n_estimators=2, random_state=0).fit(X, X[:, 0])
    with pytest.raises(ValueError, match="differentiable"):
        integrated_hessians(forest, X)
    with pytest.raises(ValueError, match="differentiable"):
        pairwise_interactions(forest, X, method="integrated")
    with pytest.raises(ValueError, match="baseline must have shape"):
        integrated_hessians(Product(), X, np.zeros(3))
    with pytest.raises(ValueError, match="features but X has"):
        expected_hessians(Product(), X, np.zeros((5, 3)))
    with pytest.raises(ValueError, match="n_steps"):
        integrated_hessians(Product(), X, n_steps=0)


def test_skorch_net_is_explained_exactly():
    from skorch import NeuralNetRegressor

    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(64, 3)).astype(np.float32)
    y = (X[:, 0] * X[:, 1])[:, None].astype(np.float32)
    torch.manual_seed(0)
    net = NeuralNetRegressor(
        torch.nn.Sequential(
            torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1)
        ),
        max_epochs=2,
        train_split=None,
        verbose=0,
    ).fit(X, y)
    result = expected_hessians(net, X[:3], X, n_samples=4, tol=1e-6, random_state=0)
    assert result.converged.all()
    assert np.all(result.relative_completeness_error <= 1e-6)


def test_local_hessians_and_differences():
    class Known(torch.nn.Module):
        def forward(self, x):
            return 2 * x[:, 0] * x[:, 1] + x[:, 2] * x[:, 3] + torch.sin(x[:, 4])

    X = np.random.RandomState(0).uniform(-1, 1, size=(100, 5))
    r = local_interactions(Known(), X[:10])
    np.testing.assert_allclose(r.interaction_values[:, 0, 1], 2.0)
    np.testing.assert_allclose(r.interaction_values[:, 4, 4], -np.sin(X[:10, 4]))
    model = HistGradientBoostingRegressor(random_state=0).fit(X, X[:, 0] * X[:, 1])
    r = local_interactions(model, X, max_samples=5, random_state=0)
    assert r.interaction_values.shape == (5, 5, 5) and r.method == "finite_difference"


def test_path_methods_explain_a_classifier_on_the_log_odds_scale():
    from sklearn.neural_network import MLPClassifier

    from sklearn_interact.inspection import make_model_function

    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 3))
    y = np.digitize(2 * X[:, 0] * X[:, 1] + X[:, 2], [-0.5, 0.5])
    clf = MLPClassifier(
        hidden_layer_sizes=(8,), activation="tanh", max_iter=500, random_state=0
    ).fit(X, y)
    with pytest.raises(ValueError, match="target=<class label>"):
        integrated_hessians(clf, X[:3])
    with pytest.raises(ValueError, match="Local interactions needs one output"):
        local_interactions(clf, X[:3])
    fn = make_model_function(clf, target=2)
    log_p = np.log(clf.predict_proba(X[:5]))
    log_odds = log_p[:, 2] - log_p[:, :2].mean(axis=1)
    result = integrated_hessians(fn, X[:5], np.zeros(3), n_steps=16)
    assert result.scale == "log-odds of class 2"
    # Completeness on the log-odds: the entries add up to f(x) - f(0).
    f0 = fn(np.zeros((1, 3)))[0]
    np.testing.assert_allclose(
        result.interaction_values.sum(axis=(1, 2)), log_odds - f0, atol=1e-5
    )
    result = expected_hessians(fn, X[:5], X, n_samples=8, random_state=0)
    assert result.scale == "log-odds of class 2"
    assert np.all(result.relative_completeness_error < 1e-3)
    result = local_interactions(fn, X[:5])
    assert result.method == "hessian" and result.scale == "log-odds of class 2"
