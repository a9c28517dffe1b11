import numpy as np
import pytest
from sklearn.ensemble import RandomForestRegressor

from sklearn_interact import InteractionSelector
from sklearn_interact.inspection import InteractionDisplay


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(200, 3))
    return X, X[:, 0] * X[:, 1] + X[:, 2]


def test_heatmap_from_fitted_selector(pyplot, data):
    X, y = data
    sel = InteractionSelector(
        RandomForestRegressor(n_estimators=10, random_state=0),
        n_resamples=10,
        random_state=0,
    ).fit(X, y)
    disp = InteractionDisplay.from_estimator(sel, feature_names=["a", "b", "c"])
    np.testing.assert_array_equal(disp.image_.get_array(), sel.interactions_)
    assert [t.get_text() for t in disp.ax_.get_xticklabels()] == ["a", "b", "c"]
    assert disp.figure_ is disp.ax_.figure


def test_bar_from_raw_model_with_ci(pyplot, data):
    X, y = data
    model = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, y)
    fig, ax = pyplot.subplots()
    disp = InteractionDisplay.from_estimator(
        model, X, kind="bar", top_k=2, ax=ax, n_resamples=10, random_state=0
    )
    assert disp.ax_ is ax
    assert len(disp.bars_) == 2
    # Strongest pair drawn last (top of a horizontal bar chart).
    assert disp.ax_.get_yticklabels()[-1].get_text() == "x0 x x1"


def test_errors(pyplot, data):
    X, y = data
    model = RandomForestRegressor(n_estimators=3, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="pass X"):
        InteractionDisplay.from_estimator(model)
    with pytest.raises(ValueError, match="kind"):
        InteractionDisplay(np.zeros((2, 2))).plot(kind="pie")


def test_classifier_scale_is_labelled(pyplot, data):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = data
    labels = np.where(y > 0, "pos", "neg")
    sel = InteractionSelector(
        HistGradientBoostingClassifier(max_iter=20, random_state=0),
        n_resamples=10,
        random_state=0,
    ).fit(X, labels)
    disp = InteractionDisplay.from_estimator(sel)
    assert "log-odds of class pos" in disp.image_.colorbar.ax.get_ylabel()
    model = sel.estimator_
    disp = InteractionDisplay.from_estimator(
        model, X, kind="bar", response_method="predict_proba", n_resamples=10
    )
    assert "probability of class pos" in disp.ax_.get_xlabel()
