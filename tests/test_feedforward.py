import numpy as np
import pytest
import torch
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler

from sklearn_interact.inspection import make_model_function
from sklearn_interact.inspection._feedforward import (
    Activation,
    FeedForwardFunction,
    activation_of_module,
)
from sklearn_interact.inspection._hessians import _double_backward, exact_hessians

ACTIVATION_MODULES = [
    torch.nn.Softplus(),
    torch.nn.Softplus(beta=3.0, threshold=2.0),  # the linear branch is reached
    torch.nn.GELU(),
    torch.nn.Tanh(),
    torch.nn.Sigmoid(),
    torch.nn.ReLU(),
    torch.nn.Identity(),
]


@pytest.fixture
def X():
    return np.random.RandomState(0).normal(size=(40, 4))


def _autograd_hessians(function, X):
    """Reference: p double-backward passes through the forward computation."""
    return _double_backward(function, torch.as_tensor(X), False).numpy()


@pytest.mark.parametrize("module", ACTIVATION_MODULES, ids=repr)
def test_activation_derivatives_match_autograd(module):
    z = torch.linspace(-4, 4, 81, dtype=torch.float64).requires_grad_(True)
    value, first, second = activation_of_module(module)(z)
    np.testing.assert_allclose(value.detach(), module(z).detach(), atol=1e-12)
    (g,) = torch.autograd.grad(module(z).sum(), z, create_graph=True)
    np.testing.assert_allclose(first.detach(), g.detach(), atol=1e-12)
    if g.requires_grad:
        (h,) = torch.autograd.grad(g.sum(), z)
    else:  # piecewise linear: zero curvature
        h = torch.zeros_like(z)
    np.testing.assert_allclose(second.detach(), h, atol=1e-12)


def test_one_hidden_layer_against_the_formula(X):
    # f(x) = sum_k v_k softplus(x W_k + b_k): H_ij = sum_k v_k s''(z_k) W_ik W_jk.
    rng = np.random.RandomState(1)
    W, b, v = rng.normal(size=(4, 6)), rng.normal(size=6), rng.normal(size=(6, 1))
    t = [torch.as_tensor(a) for a in (W, b, v)]
    fn = FeedForwardFunction(
        [(t[0], t[1], Activation("softplus")), (t[2], torch.zeros(1), None)]
    )
    z = X @ W + b
    s = 1.0 / (1.0 + np.exp(-z))
    expected = np.einsum("nk,ik,jk->nij", v[:, 0] * s * (1 - s), W, W)
    np.testing.assert_allclose(fn.hessians(torch.as_tensor(X)), expected, atol=1e-12)


@pytest.mark.parametrize("module", ACTIVATION_MODULES, ids=repr)
def test_sequential_takes_the_closed_form(X, module):
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Dropout(0.1),  # before any layer: the identity in eval mode
        torch.nn.Linear(4, 8),
        module,
        torch.nn.Dropout(0.3),
        torch.nn.Linear(8, 5),  # two Linear layers in a row
        torch.nn.Linear(5, 6),
        torch.nn.Tanh(),
        torch.nn.Linear(6, 3),
    )
    fn = make_model_function(net, activation=None, target=2)
    assert isinstance(fn.torch_function, FeedForwardFunction)
    with torch.no_grad():
        expected = net.double().eval()(torch.as_tensor(X))[:, 2].numpy()
    np.testing.assert_allclose(fn(X), expected, atol=1e-12)
    H = exact_hessians(fn, X)
    np.testing.assert_allclose(H, _autograd_hessians(fn.torch_function, X), atol=1e-12)
    np.testing.assert_allclose(H, H.transpose(0, 2, 1), atol=1e-14)


@pytest.mark.parametrize(
    "net",
    [
        torch.nn.Sequential(
            torch.nn.Linear(4, 5),
            torch.nn.GELU(approximate="tanh"),
            torch.nn.Linear(5, 1),
        ),
        torch.nn.Sequential(torch.nn.Linear(4, 1), torch.nn.Sigmoid()),
        torch.nn.Sequential(
            torch.nn.Linear(4, 5),
            torch.nn.Tanh(),
            torch.nn.Tanh(),
            torch.nn.Linear(5, 1),
        ),
        torch.nn.Sequential(torch.nn.Tanh(), torch.nn.Linear(4, 1)),
        torch.nn.Sequential(
            torch.nn.Linear(4, 5), torch.nn.LayerNorm(5), torch.nn.Linear(5, 1)
        ),
    ],
    ids=["gelu-tanh", "output-sigmoid", "two-activations", "first-activation", "norm"],
)
def test_other_structures_take_the_generic_path(X, net):
    fn = make_model_function(net)
    assert not isinstance(fn.torch_function, FeedForwardFunction)
    assert exact_hessians(fn, X).shape == (40, 4, 4)


@pytest.mark.parametrize("hidden", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("swap", ["softplus", "gelu", None])
@pytest.mark.parametrize("scalers", [(), (StandardScaler(), MinMaxScaler())])
def test_sklearn_mlp_closed_form(X, hidden, swap, scalers):
    y = X[:, 0] * X[:, 1] + np.sin(X[:, 2])
    mlp = MLPRegressor(
        hidden_layer_sizes=(7, 5), activation=hidden, max_iter=30, random_state=0
    )
    model = make_pipeline(*scalers, mlp)
    with pytest.warns(Warning):  # ConvergenceWarning at max_iter
        model.fit(X, y)
    fn = make_model_function(model, activation=swap)
    assert isinstance(fn.torch_function, FeedForwardFunction)
    if swap is None or hidden != "relu":
        np.testing.assert_allclose(fn(X), model.predict(X), atol=1e-10)
    H = exact_hessians(fn, X)
    np.testing.assert_allclose(H, _autograd_hessians(fn.torch_function, X), atol=1e-12)


def test_scalers_fold_into_the_first_layer(X):
    y = X[:, 0] * X[:, 1]
    model = make_pipeline(
        StandardScaler(with_std=False),
        MaxAbsScaler(),
        MLPRegressor(hidden_layer_sizes=(6,), activation="tanh", random_state=0),
    )
    with pytest.warns(Warning):
        model.fit(X, y)
    fn = make_model_function(model)
    assert isinstance(fn.torch_function, FeedForwardFunction)
    np.testing.assert_allclose(fn(X), model.predict(X), atol=1e-10)


def test_classifier_probabilities_take_the_generic_path(X):
    clf = MLPClassifier(hidden_layer_sizes=(5,), max_iter=30, random_state=0)
    with pytest.warns(Warning):
        clf.fit(X, X[:, 0] * X[:, 1] > 0)
    fn = make_model_function(clf, activation=None, response_method="predict_proba")
    assert not isinstance(fn.torch_function, FeedForwardFunction)
    np.testing.assert_allclose(fn(X), clf.predict_proba(X)[:, 1], atol=1e-10)
    # The log-odds are the network's logit: a linear output, in closed form.
    fn = make_model_function(clf, activation=None)
    assert isinstance(fn.torch_function, FeedForwardFunction)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(fn(X), np.log(proba[:, 1] / proba[:, 0]), atol=1e-10)


def test_chunks_are_sized_by_the_widest_layer(X):
    wide = torch.nn.Sequential(
        torch.nn.Linear(4, 3000), torch.nn.Softplus(), torch.nn.Linear(3000, 1)
    )
    fn = make_model_function(wide)
    assert fn.torch_function.max_width == 3000
    X = np.tile(X, (10, 1))  # 400 rows: several chunks at this width
    H = exact_hessians(fn, X)
    np.testing.assert_allclose(
        H, exact_hessians(fn, X, chunk_size=len(X)), rtol=1e-12, atol=1e-14
    )


@pytest.mark.parametrize("depth", [0, 1, 3])
def test_gradients_match_autograd(X, depth):
    torch.manual_seed(0)
    layers, width = [], 4
    for _ in range(depth):
        layers += [torch.nn.Linear(width, 6), torch.nn.GELU()]
        width = 6
    fn = make_model_function(torch.nn.Sequential(*layers, torch.nn.Linear(width, 1)))
    x = torch.as_tensor(X).requires_grad_(True)
    (expected,) = torch.autograd.grad(fn.torch_function(x).sum(), x)
    hessian, gradient = fn.torch_function.hessians(x.detach(), return_gradients=True)
    np.testing.assert_allclose(gradient, expected, atol=1e-12)
    np.testing.assert_allclose(hessian, fn.torch_function.hessians(x.detach()))
