# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
import numpy as np
import pytest
import torch
from sklearn.ensemble import RandomForestRegressor

from sklearn_interact.inspection import (
    InteractionDependenceDisplay,
    LocalInteractionDisplay,
    local_interactions,
)


class Model(torch.nn.Module):
    def forward(self, x):
        return x[:, 0] * x[:, 1] + torch.sin(x[:, 2])


def _data(n=40):
    return np.random.RandomState(0).uniform(-1, 1, size=(n, 3))


def test_local_matrix_from_estimator_integrated(pyplot):
    X = _data()
    disp = LocalInteractionDisplay.from_estimator(
        Model(), X, row=3, baseline=np.zeros(3), feature_names=["a", "b", "c"]
    )
    # Integrated Hessians of x0 x1 from 0: every entry of the 2x2 block is
    # x0 x1 / 4; the matrix adds up to f(x) - f(0).
    x = X[3]
    np.testing.assert_allclose(disp.values[0, 1], x[0] * x[1] / 4, atol=1e-8)
    assert disp.values.sum() == pytest.approx(x[0] * x[1] + np.sin(x[2]))
    assert disp.image_.get_array().shape == (3, 3)
    clim = disp.image_.get_clim()
    assert clim[0] == pytest.approx(-clim[1])  # centred at zero
    assert disp.texts_.shape == (3, 3)
    assert [t.get_text() for t in disp.ax_.get_xticklabels()] == ["a", "b", "c"]
    assert disp.ax_.get_title() == "Local interactions (row 3)"
    assert disp.figure_ is disp.ax_.figure


def test_local_matrix_defaults_to_expected_and_black_box(pyplot):
    X = _data()
    disp = LocalInteractionDisplay.from_estimator(
        Model(), X, row=0, n_samples=4, random_state=0
    )
    expected = local_interactions(
        Model(), X[[0]], method="expected", baseline=X, n_samples=4, random_state=0
    )
    np.testing.assert_allclose(disp.values, expected.interaction_values[0])
    forest = RandomForestRegressor(n_estimators=3, random_state=0).fit(X, X[:, 0])
    disp = LocalInteractionDisplay.from_estimator(forest, X, row=1, annotate=False)
    assert disp.texts_ is None
    np.testing.assert_allclose(np.diag(disp.values), 0.0)  # finite differences


def test_dependence_plot_from_values_and_estimator(pyplot):
    X = _data()
    values = local_interactions(Model(), X, baseline=np.zeros(3)).interaction_values
    disp = InteractionDependenceDisplay.from_values(
        values, X, (0, 1), feature_names=["a", "b", "c"]
    )
    offsets = disp.scatter_.get_offsets()
    np.testing.assert_allclose(offsets[:, 0], X[:, 0])
    np.testing.assert_allclose(offsets[:, 1], X[:, 0] * X[:, 1] / 4, atol=1e-8)
    np.testing.assert_allclose(disp.scatter_.get_array(), X[:, 1])
    assert disp.ax_.get_xlabel() == "a"
    assert disp.ax_.get_ylabel() == "interaction a x b"
    assert disp.colorbar_ is not None

    fig, ax = pyplot.subplots()
    disp = InteractionDependenceDisplay.from_estimator(
        Model(), X, ("x2", "x2"), color=0, ax=ax, n_samples=4, random_state=0
    )
    assert disp.ax_ is ax
    assert disp.ax_.get_ylabel() == "main effect of x2"
    np.testing.assert_allclose(disp.scatter_.get_array(), X[:, 0])


def test_errors(pyplot):
    X = _data()
    values = np.zeros((40, 3, 3))
    with pytest.raises(ValueError, match="square"):
        LocalInteractionDisplay(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="must have shape"):
        InteractionDependenceDisplay.from_values(values[:5], X, (0, 1))
    with pytest.raises(ValueError, match="Unknown feature"):
        InteractionDependenceDisplay.from_values(values, X, ("a", "x1"))
    with pytest.raises(ValueError, match="out of range"):
        InteractionDependenceDisplay.from_values(values, X, (0, 5))
    with pytest.raises(ValueError, match="a pair"):
        InteractionDependenceDisplay.from_values(values, X, (0,))
    with pytest.raises(ValueError, match="out of range"):
        LocalInteractionDisplay.from_estimator(Model(), X, row=100)
    with pytest.raises(ValueError, match="names for"):
        LocalInteractionDisplay(np.zeros((2, 2)), feature_names=["a"])


def test_classifier_local_displays_name_the_class(pyplot):
    from sklearn.neural_network import MLPClassifier

    from sklearn_interact.inspection import make_model_function

    X = _data(200)
    y = np.digitize(X[:, 0] * X[:, 1] + X[:, 2], [-0.3, 0.3])
    clf = MLPClassifier(hidden_layer_sizes=(6,), max_iter=200, random_state=0)
    clf.fit(X, y)
    with pytest.raises(ValueError, match="target=<class label>"):
        LocalInteractionDisplay.from_estimator(clf, X, n_samples=4)
    fn = make_model_function(clf, target=2)
    disp = LocalInteractionDisplay.from_estimator(fn, X, n_samples=4, random_state=0)
    assert "log-odds of class 2" in disp.image_.colorbar.ax.get_ylabel()
    disp = InteractionDependenceDisplay.from_estimator(
        fn, X[:30], (0, 1), method="hessian"
    )
    assert "log-odds of class 2" in disp.ax_.get_ylabel()


def test_displays_take_a_raw_frame_through_its_pipeline(pyplot):
    """Strings go to the Pipeline that encodes them, as in local_interactions:
    a category's slope shows in the matrix; a dependence plot of numeric
    columns works and one of the categorical column is refused clearly."""
    pd = pytest.importorskip("pandas")
    from sklearn.compose import make_column_transformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    rng = np.random.RandomState(0)
    n = 400
    X = pd.DataFrame(
        {
            "c": rng.choice(["a", "b"], n),
            "x": rng.uniform(-1, 1, n),
            "z": rng.uniform(-1, 1, n),
        }
    )
    y = np.where(X["c"] == "a", 2.0, -2.0) * X["x"] + X["z"]
    model = make_pipeline(
        make_column_transformer((OneHotEncoder(), ["c"]), remainder="passthrough"),
        HistGradientBoostingRegressor(random_state=0),
    ).fit(X, y)
    local = LocalInteractionDisplay.from_estimator(model, X, row=3)
    assert local.feature_names == ["c", "x", "z"]
    assert abs(local.values[0, 1]) > 5 * abs(local.values[1, 2])
    dependence = InteractionDependenceDisplay.from_estimator(
        model, X, ("x", "z"), random_state=0
    )
    assert dependence.feature_values.shape == dependence.interaction_values.shape
    with pytest.raises(ValueError, match="categorical"):
        InteractionDependenceDisplay.from_estimator(model, X, ("c", "x"))
    with pytest.raises(ValueError, match="feature names"):
        LocalInteractionDisplay.from_estimator(model, X[["x", "c", "z"]])
