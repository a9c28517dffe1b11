# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import NotFittedError

from sklearn_interact.inspection import AdditiveTermsDisplay
from sklearn_interact.neural import NITRegressor


class _KnownGAM(RegressorMixin, BaseEstimator):
    """An additive model with known terms: x0**2, x1 * x2 and x0 * x1 * x2."""

    def fit(self, X, y=None):
        self.terms_ = [(0,), (1, 2), (0, 1, 2)]
        self.intercept_ = 1.5
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def term_contributions(self, X):
        X = np.asarray(X, dtype=float)
        return np.column_stack(
            [X[:, 0] ** 2, X[:, 1] * X[:, 2], X[:, 0] * X[:, 1] * X[:, 2]]
        )

    def predict(self, X):
        return self.term_contributions(X).sum(axis=1) + self.intercept_


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, size=(300, 4))


def test_from_estimator_computes_the_shape_functions(pyplot, data):
    gam = _KnownGAM().fit(data)
    display = AdditiveTermsDisplay.from_estimator(
        gam, data, grid_resolution=7, percentiles=(0, 1)
    )
    # the 3-feature term is skipped by default
    assert display.terms == [(0,), (1, 2)]
    (g0,) = display.grids[0]
    np.testing.assert_allclose(g0, np.linspace(data[:, 0].min(), data[:, 0].max(), 7))
    np.testing.assert_allclose(display.values[0], g0**2)
    g1, g2 = display.grids[1]
    np.testing.assert_allclose(display.values[1], np.outer(g1, g2))
    assert display.ax_.shape == (2,)
    assert display.figure_ is display.ax_[0].figure
    assert display.lines_[0] is not None and display.lines_[1] is None
    assert display.images_[1] is not None and display.images_[0] is None
    assert display.colorbars_[1] is not None
    np.testing.assert_allclose(display.lines_[0].get_ydata(), g0**2)
    assert display.ax_[0].get_xlabel() == "x0"
    assert display.ax_[1].get_ylabel() == "x2"
    assert "1.5" in display.figure_._suptitle.get_text()


def test_terms_selection_and_names(pyplot, data):
    gam = _KnownGAM().fit(data)
    names = ["a", "b", "c", "d"]
    display = AdditiveTermsDisplay.from_estimator(
        gam, data, terms=[(2, 1)], feature_names=names, grid_resolution=5
    )
    assert display.terms == [(1, 2)]
    assert display.ax_[0].get_title() == "b x c"
    display = AdditiveTermsDisplay.from_estimator(gam, data, terms=[0])
    assert display.terms == [(0,)]


def test_dataframe_input_uses_column_names(pyplot, data):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(data, columns=["a", "b", "c", "d"])
    display = AdditiveTermsDisplay.from_estimator(_KnownGAM().fit(frame), frame)
    assert display.ax_[0].get_xlabel() == "a"


def test_few_unique_values_use_the_values(pyplot, data):
    data = data.copy()
    data[:, 0] = np.round(data[:, 0])  # -1, 0, 1
    display = AdditiveTermsDisplay.from_estimator(_KnownGAM().fit(data), data)
    np.testing.assert_array_equal(display.grids[0][0], [-1.0, 0.0, 1.0])


def test_plot_on_given_axes(pyplot, data):
    gam = _KnownGAM().fit(data)
    fig, axes = pyplot.subplots(1, 2)
    display = AdditiveTermsDisplay.from_estimator(gam, data, ax=axes)
    assert list(display.ax_) == list(axes)
    # a single Axes is split into one panel per term
    fig, ax = pyplot.subplots()
    display = AdditiveTermsDisplay.from_estimator(gam, data, ax=ax, n_cols=1)
    assert len(display.ax_) == 2 and display.figure_ is fig
    # the stored grids can be drawn again
    display.plot(line_kw={"color": "red"}, heatmap_kw={"cmap": "viridis"})
    assert display.lines_[0].get_color() == "red"


def test_errors(pyplot, data):
    gam = _KnownGAM().fit(data)
    with pytest.raises(ValueError, match="order 3"):
        AdditiveTermsDisplay.from_estimator(gam, data, terms=[2])
    with pytest.raises(ValueError, match="not one of"):
        AdditiveTermsDisplay.from_estimator(gam, data, terms=[(0, 3)])
    with pytest.raises(ValueError, match="out of range"):
        AdditiveTermsDisplay.from_estimator(gam, data, terms=[5])
    with pytest.raises(ValueError, match="grid_resolution"):
        AdditiveTermsDisplay.from_estimator(gam, data, grid_resolution=1)
    with pytest.raises(ValueError, match="percentiles"):
        AdditiveTermsDisplay.from_estimator(gam, data, percentiles=(0.9, 0.1))
    fig, axes = pyplot.subplots(1, 3)
    with pytest.raises(ValueError, match="Expected 2 axes"):
        AdditiveTermsDisplay.from_estimator(gam, data, ax=axes)
    with pytest.raises(TypeError, match="not an additive model"):
        AdditiveTermsDisplay.from_estimator(_NotAdditive().fit(data), data)
    with pytest.raises(NotFittedError):
        AdditiveTermsDisplay.from_estimator(NITRegressor(), data)


class _NotAdditive(BaseEstimator):
    def fit(self, X, y=None):
        self.coef_ = 1.0
        return self


def test_nit_shape_functions_match_term_contributions(pyplot, data):
    y = np.sin(2 * data[:, 0]) + data[:, 1] * data[:, 2]
    nit = NITRegressor(
        n_blocks=4,
        hidden_layer_sizes=(6,),
        max_epochs=5,
        max_disentangle_epochs=4,
        anneal_epochs=2,
        random_state=0,
    ).fit(data, y)
    display = AdditiveTermsDisplay.from_estimator(nit, data, grid_resolution=9)
    assert display.terms == [t for t in nit.terms_ if len(t) <= 2]
    for term, grids, values in zip(
        display.terms, display.grids, display.values, strict=True
    ):
        k = nit.terms_.index(term)
        rows = np.tile(np.median(data, axis=0), (grids[0].size, 1))
        rows[:, term[0]] = grids[0]
        if len(term) == 1:
            np.testing.assert_allclose(
                values, nit.term_contributions(rows)[:, k], rtol=1e-6
            )


def test_paraace_follows_the_protocol(pyplot, data):
    from sklearn.linear_model import Ridge

    from sklearn_interact.neural import ParaACERegressor

    y = data[:, 0] * data[:, 1] + data[:, 2]
    model = ParaACERegressor(
        teacher=Ridge(),
        n_interactions=1,
        hidden_layer_sizes=(4,),
        n_fixup=0,
        max_epochs=3,
        max_pulls=5,
        batch_size=64,
        random_state=0,
    ).fit(data, y)
    display = AdditiveTermsDisplay.from_estimator(model, data, grid_resolution=5)
    assert display.terms == [tuple(t) for t in model.terms_ if len(t) <= 2]
    assert len(display.ax_) == len(display.terms)


def test_classifier_contributions_to_the_log_odds_of_a_class(pyplot, data):
    from sklearn_interact.neural import NITClassifier

    y = np.array(["a", "b", "c"])[np.digitize(data[:, 0] * data[:, 1], [-0.2, 0.2])]
    nit = NITClassifier(
        n_blocks=3,
        hidden_layer_sizes=(4,),
        max_epochs=3,
        max_disentangle_epochs=3,
        random_state=0,
    ).fit(data, y)
    with pytest.raises(ValueError, match="target=<class label>"):
        AdditiveTermsDisplay.from_estimator(nit, data)
    display = AdditiveTermsDisplay.from_estimator(
        nit, data, target="c", grid_resolution=5
    )
    label = "contribution to the log-odds of class c"
    rows = np.tile(np.median(data, axis=0), (5, 1))
    for panel, term in enumerate(display.terms):
        if len(term) == 2:
            assert display.colorbars_[panel].ax.get_ylabel() == label
            continue
        assert display.ax_[panel].get_ylabel() == label
        rows[:, term[0]] = display.grids[panel][0]
        k = nit.terms_.index(term)
        np.testing.assert_allclose(
            display.values[panel], nit.term_contributions(rows)[:, k, 2], atol=1e-10
        )
        rows = np.tile(np.median(data, axis=0), (5, 1))
    assert f"{nit.intercept_[2]:.4g}" in display.figure_._suptitle.get_text()
    binary = NITClassifier(
        n_blocks=3,
        hidden_layer_sizes=(4,),
        max_epochs=3,
        max_disentangle_epochs=3,
        random_state=0,
    ).fit(data, data[:, 0] > 0)
    plus = AdditiveTermsDisplay.from_estimator(binary, data, grid_resolution=5)
    minus = AdditiveTermsDisplay.from_estimator(
        binary, data, target=False, grid_resolution=5
    )
    np.testing.assert_allclose(minus.values[0], -plus.values[0])
