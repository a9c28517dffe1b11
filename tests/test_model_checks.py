"""Checks of a model function against its data, and the warnings that keep
zeros and poor models from passing silently."""

import warnings

import numpy as np
import pytest
import torch
from sklearn.compose import TransformedTargetRegressor
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.multioutput import MultiOutputRegressor
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_interact.inspection import make_model_function
from sklearn_interact.inspection._model_checks import (
    check_enough_rows,
    check_model_input,
    expected_n_features,
    n_regression_outputs,
    warn_all_zero,
    warn_constant_target,
    warn_identical_columns,
    warn_if_poorly_fitted,
)

rng = np.random.RandomState(0)
X = rng.uniform(-1, 1, size=(40, 3))
y = X[:, 0] * X[:, 1] + X[:, 2]


@pytest.mark.parametrize(
    "model",
    [
        MLPRegressor(hidden_layer_sizes=(4,), max_iter=20).fit(X, y),
        make_pipeline(StandardScaler(), Ridge()).fit(X, y),
        FrozenEstimator(RandomForestRegressor(n_estimators=3).fit(X, y)),
        torch.nn.Sequential(
            torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1)
        ),
    ],
    ids=["mlp", "pipeline", "frozen-forest", "torch-sequential"],
)
def test_width_is_known_and_checked(model):
    function = make_model_function(model)
    assert expected_n_features(function) == 3
    check_model_input(function, X)
    with pytest.raises(ValueError, match="X has 2 features, but .* expecting 3"):
        check_model_input(function, X[:, :2])


def test_width_of_a_custom_module_is_unknown():
    class Product(torch.nn.Module):
        def forward(self, x):
            return x[:, 0] * x[:, 1]

    assert expected_n_features(make_model_function(Product())) is None


def test_outputs_of_regressors():
    Y = np.column_stack([y, -y])
    assert n_regression_outputs(Ridge().fit(X, y)) == 1
    assert n_regression_outputs(Ridge().fit(X, Y)) == 2
    assert n_regression_outputs(MLPRegressor(max_iter=5).fit(X, Y)) == 2
    assert n_regression_outputs(MultiOutputRegressor(Ridge()).fit(X, Y)) == 2
    assert n_regression_outputs(make_pipeline(StandardScaler(), Ridge()).fit(X, Y)) == 2
    target = TransformedTargetRegressor(Ridge()).fit(X, Y)
    assert n_regression_outputs(target) == 2
    classifier = LogisticRegression().fit(X, y > 0)
    assert n_regression_outputs(classifier) is None
    with pytest.raises(ValueError, match="predicts 2 outputs"):
        check_model_input(make_model_function(Ridge().fit(X, Y)), X)
    check_model_input(make_model_function(Ridge().fit(X, Y), target=1), X)


def test_enough_rows():
    check_enough_rows(X[:2], "f")
    with pytest.raises(ValueError, match="f needs at least 2 rows"):
        check_enough_rows(X[:1], "f")


def _messages(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in caught]


def test_identical_columns_are_named():
    Xd = np.column_stack([X, X[:, 1], np.ones(40), np.ones(40)])
    messages = _messages(lambda: warn_identical_columns(Xd))
    assert len(messages) == 1
    assert "[(1, 3)]" in messages[0]  # the constant pair has its own warning
    assert not _messages(lambda: warn_identical_columns(X))


def test_all_zero_scores_are_said():
    assert _messages(lambda: warn_all_zero(np.zeros(3), "f"))
    assert not _messages(lambda: warn_all_zero(np.array([0.0, 1e-300]), "f"))
    assert not _messages(lambda: warn_all_zero(np.zeros(0), "f"))


def test_constant_target():
    assert _messages(lambda: warn_constant_target(np.full(5, 0.7), "f"))
    assert not _messages(lambda: warn_constant_target(y, "f"))
    assert not _messages(lambda: warn_constant_target(np.array(["a", "a"]), "f"))


def test_poorly_fitted_models_are_named():
    good = Ridge().fit(X, y)
    poor = Ridge(alpha=1e6).fit(X, y)

    def warned(model, target=y, **kwargs):
        return _messages(
            lambda: warn_if_poorly_fitted(
                model, X, target, name="the Ridge", where="here", **kwargs
            )
        )

    assert not warned(good)
    (message,) = warned(poor)
    assert "the Ridge fits the data poorly: R^2 =" in message
    assert warned(poor, predict=poor.predict)
    labels = (y > 0).astype(int)
    blind = DummyClassifier().fit(X, labels)
    assert "most frequent class" in warned(blind, labels)[0]
    assert not warned(LogisticRegression().fit(X, labels), labels)
    # No target, a model that is neither, or one that cannot be scored: silent.
    assert not warned(poor, None)
    assert not warned(object())
