# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, PolynomialFeatures, StandardScaler

from sklearn_interact.inspection import group_interactions
from sklearn_interact.inspection._feature_groups import groups_from_column_transformer


class Bilinear(torch.nn.Module):
    def forward(self, x):
        return (x[:, 0] + x[:, 1]) * x[:, 2] + x[:, 3]


def _categorical_data(n=600, seed=0):
    rng = np.random.RandomState(seed)
    cat = rng.choice(["a", "b", "c", "d"], n)
    X = pd.DataFrame(
        {
            "cat": cat,
            "x1": rng.uniform(-1, 1, n),
            "x2": rng.uniform(-1, 1, n),
            "x3": rng.uniform(-1, 1, n),
        }
    )
    effect = pd.Series(cat).map({"a": 2.0, "b": -1.0, "c": 0.0, "d": 1.0})
    y = effect.to_numpy() * X.x1 + 0.5 * X.x2 * X.x3 + X.x2 + 0.3 * effect
    return X, y.to_numpy()


def _preprocessor():
    return ColumnTransformer(
        [
            ("cat", OneHotEncoder(), ["cat"]),
            ("num", StandardScaler(), ["x1", "x2", "x3"]),
        ]
    )


def test_salience_matches_closed_form():
    X = np.random.RandomState(0).normal(size=(50, 4))
    groups = {"ab": [0, 1], "c": [2], "d": [3]}
    result = group_interactions(Bilinear(), X, groups, max_samples=None)
    u = X - X.mean(0)
    s = X.std(0)
    # S_{ab,c} = ((u0 + u1) s2)^2 and S_{c,ab} = (u2 (s0 + s1))^2.
    np.testing.assert_allclose(
        result.local_salience[:, 0, 1], ((u[:, 0] + u[:, 1]) * s[2]) ** 2
    )
    np.testing.assert_allclose(
        result.local_salience[:, 1, 0], (u[:, 2] * (s[0] + s[1])) ** 2
    )
    np.testing.assert_allclose(result.interactions[:, 2], 0.0, atol=1e-12)
    np.testing.assert_allclose(result.interactions, result.interactions.T)
    assert result.top_k_names[0] == ("ab", "c")
    # Reference 0 is the paper's raw-input form.
    raw = group_interactions(Bilinear(), X, groups, reference=0.0)
    np.testing.assert_allclose(
        raw.local_salience[:, 0, 1], ((X[:, 0] + X[:, 1]) * s[2]) ** 2
    )


def test_finite_differences_match_exact_on_bilinear_model():
    X = np.random.RandomState(1).normal(size=(30, 4))
    groups = [[0, 1], [2], [3]]
    exact = group_interactions(Bilinear(), X, groups, method="hessian")
    fd = group_interactions(Bilinear(), X, groups, method="finite_difference")
    np.testing.assert_allclose(fd.local_salience, exact.local_salience, atol=1e-8)
    assert exact.group_names == ["g0", "g1", "g2"]


def test_groups_from_column_transformer():
    X, _ = _categorical_data(n=40)
    X["z"] = 1.0
    ct = ColumnTransformer(
        [
            ("cat", OneHotEncoder(), ["cat"]),
            ("num", StandardScaler(), ["x1", "x2"]),
            ("poly", PolynomialFeatures(2, include_bias=False), ["x3", "z"]),
        ],
        remainder="drop",
    ).fit(X)
    groups = groups_from_column_transformer(ct)
    assert groups == {
        "cat": [0, 1, 2, 3],
        "x1": [4],
        "x2": [5],
        "poly": [6, 7, 8, 9, 10],
    }
    ct = ColumnTransformer(
        [("cat", OneHotEncoder(), [0])], remainder="passthrough"
    ).fit(np.array([[0, 1.0], [1, 2.0], [2, 3.0]]))
    assert groups_from_column_transformer(ct) == {"x0": [0, 1, 2], "x1": [3]}
    with pytest.raises(TypeError, match="ColumnTransformer"):
        groups_from_column_transformer(StandardScaler())


@pytest.mark.parametrize("model", ["mlp", "hgb"])
def test_categorical_numeric_interaction_ranks_first(model):
    X, y = _categorical_data()
    if model == "mlp":
        est = MLPRegressor(hidden_layer_sizes=(32,), max_iter=300, random_state=0)
    else:
        est = HistGradientBoostingRegressor(max_iter=50, random_state=0)
    pipe = make_pipeline(_preprocessor(), est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipe.fit(X, y)
    result = group_interactions(pipe, X, max_samples=200, random_state=0)
    assert result.group_names == ["cat", "x1", "x2", "x3"]
    assert result.top_k_names[0] == ("cat", "x1")
    assert result.method == ("hessian" if model == "mlp" else "finite_difference")


def test_errors():
    X = np.random.RandomState(0).normal(size=(20, 4))
    with pytest.raises(ValueError, match="feature_groups is required"):
        group_interactions(Bilinear(), X)
    with pytest.raises(ValueError, match="outside"):
        group_interactions(Bilinear(), X, [[0, 1], [7]])
    with pytest.raises(ValueError, match="empty"):
        group_interactions(Bilinear(), X, {"a": [], "b": [1]})
    with pytest.raises(ValueError, match="at least two"):
        group_interactions(Bilinear(), X, [[0, 1]])
    with pytest.raises(TypeError, match="column indices"):
        group_interactions(Bilinear(), X, [["a"], [1]])
