# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
import warnings

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.neural_network import MLPRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_interact import InteractionSelector


def _data(n=400, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 5))
    y = 2 * X[:, 0] * X[:, 1] * X[:, 2] + X[:, 3] + 0.5 * X[:, 3] * X[:, 4]
    return X, y


@parametrize_with_checks(
    [
        InteractionSelector(
            HistGradientBoostingRegressor(max_iter=5),
            max_order=3,
            uncertainty=None,
            max_samples=20,
            top_k=2,
        )
    ]
)
def test_sklearn_compatible_with_higher_order(estimator, check):
    check(estimator)


def test_black_box_reports_three_way_interaction():
    X, y = _data()
    model = HistGradientBoostingRegressor(max_iter=100, random_state=0).fit(X, y)
    selector = InteractionSelector(
        FrozenEstimator(model), max_order=3, uncertainty=None, random_state=0
    ).fit(X, y)
    higher = selector.higher_order_interactions_
    assert next(iter(higher)) == (0, 1, 2)
    assert all(len(k) == 3 for k in higher)
    assert selector.group_interactions_ is None


def test_exact_model_integrated_method_and_groups():
    X, y = _data()
    mlp = MLPRegressor(hidden_layer_sizes=(32,), max_iter=300, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    selector = InteractionSelector(
        FrozenEstimator(mlp),
        method="integrated",
        max_order=3,
        feature_groups={"abc": [0, 1, 2], "d": [3], "e": [4]},
        uncertainty=None,
        max_samples=200,
        random_state=0,
    ).fit(X, y)
    assert selector.method_ == "integrated"
    assert selector.aggregation_ == "eah"
    true_pairs = {(0, 1), (0, 2), (1, 2), (3, 4)}
    assert set(selector.top_k_pairs_[:4]) == true_pairs
    assert next(iter(selector.higher_order_interactions_)) == (0, 1, 2)
    assert selector.group_names_ == ["abc", "d", "e"]
    G = selector.group_interactions_
    assert G.shape == (3, 3)
    assert G[1, 2] > G[0, 1]  # d x e is a true interaction, abc x d is not


def test_default_has_no_higher_order_and_bad_max_order():
    X, y = _data(n=100)
    model = HistGradientBoostingRegressor(max_iter=5)
    selector = InteractionSelector(model, uncertainty=None, max_samples=30).fit(X, y)
    assert selector.higher_order_interactions_ is None
    capped = InteractionSelector(model, max_order=5, uncertainty=None)
    capped.fit(X[:, :3], y)
    assert {len(k) for k in capped.higher_order_interactions_} == {3}
    with pytest.raises(ValueError, match="max_order"):
        InteractionSelector(model, max_order=6).fit(X, y)
