# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Tests of ParaACERegressor."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import (
    HistGradientBoostingRegressor,
    RandomForestRegressor,
)
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_interact.inspection import pairwise_interactions
from sklearn_interact.inspection._validation import all_pairs
from sklearn_interact.neural import ParaACEClassifier, ParaACERegressor
from sklearn_interact.neural._paraace import count_parameters, default_teacher
from sklearn_interact.neural._paraace_module import student_n_parameters


def _small(**params):
    """A small, fast instance (tiny blocks, few epochs)."""
    defaults = {
        "teacher": Ridge(),
        "n_interactions": 2,
        "hidden_layer_sizes": (8,),
        "n_fixup": 3,
        "max_epochs": 5,
        "max_pulls": 10,
        "batch_size": 32,
        "lr": 1e-2,
        "random_state": 0,
    }
    defaults.update(params)
    return ParaACERegressor(**defaults)


@parametrize_with_checks([_small()])
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def interaction_data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(400, 4))
    # The product is strong enough for a 30-tree forest on 400 rows to show
    # it clearly (with 2 * x0 * x1 the forest's mixed differences of (0, 1),
    # (0, 2) and (2, 3) were within 5% of each other, even exhaustively).
    y = 4 * X[:, 0] * X[:, 1] + np.sin(2 * X[:, 2]) + 0.5 * X[:, 3]
    return X, y


@pytest.fixture(scope="module")
def fitted(interaction_data):
    X, y = interaction_data
    teacher = RandomForestRegressor(n_estimators=30, min_samples_leaf=3)
    model = _small(
        teacher=teacher,
        n_interactions=1,
        hidden_layer_sizes=(16, 4),
        max_epochs=100,
        max_pulls=40,
        n_iter_no_change=10,
    )
    return model.fit(X, y)


def test_detects_the_pair_with_a_forest_teacher(fitted, interaction_data):
    X, _ = interaction_data
    assert fitted.top_k_pairs_ == [(0, 1)]
    assert fitted.terms_ == [(0,), (1,), (2,), (3,), (0, 1)]
    matrix = fitted.interactions_
    bandit = fitted.detection_.bandit
    # Each pair's score is its arm's mean reward, in both triangles.
    for arm, (i, j) in enumerate(all_pairs(4)):
        assert matrix[i, j] == matrix[j, i] == bandit.means[arm]
    assert np.unravel_index(np.argmax(matrix), matrix.shape) in [(0, 1), (1, 0)]
    ci = fitted.interaction_ci_
    assert ci.shape == (4, 4, 2)
    # Steps slid inside the data keep their full width at the edges, so the
    # forest's jumps there no longer make (1, 2) look like (0, 1) (both used
    # to reach the 40-pull cap): the bandit separates them before the cap.
    assert ci[0, 1, 0] > ci[1, 2, 1]
    assert not bandit.hit_cap and not bandit.capped.any()
    # The teacher was seeded from random_state and is a fitted forest.
    assert fitted.teacher_.random_state is not None
    assert fitted.detection_.n_model_evaluations <= (
        fitted.detection_.n_exhaustive_evaluations
    )
    assert fitted.detection_.bandit.total_pulls * 4 == (
        fitted.detection_.n_model_evaluations
    )


def test_student_fits_and_contributions_add_up(fitted, interaction_data):
    X, y = interaction_data
    pred = fitted.predict(X)
    assert np.sqrt(np.mean((pred - y) ** 2)) < 0.3 * y.std()
    terms = fitted.term_contributions(X)
    fixup = fitted.fixup_contribution(X)
    assert terms.shape == (len(X), 5)
    np.testing.assert_allclose(
        terms.sum(axis=1) + fixup + fitted.intercept_, pred, rtol=1e-5, atol=1e-5
    )
    # Centred on the training data.
    np.testing.assert_allclose(terms.mean(axis=0), 0.0, atol=1e-5)
    # Each term depends only on its own features.
    X_changed = X.copy()
    X_changed[:, 2:] = 0.0
    changed = fitted.term_contributions(X_changed)
    np.testing.assert_allclose(changed[:, [0, 1, 4]], terms[:, [0, 1, 4]], atol=1e-6)
    assert fitted.term_importances_.shape == (5,)
    assert 0.0 <= fitted.fixup_share_ <= 1.0


def test_parameter_counts(fitted):
    # Blocks 1-16-4-1 (4 of them) and 2-16-4-1, fix-up of 3 units on 5 blocks.
    block_1 = 1 * 16 + 16 + 16 * 4 + 4 + 4 + 1
    block_2 = block_1 + 16
    fixup = 5 * 3 + 3 + 3 * 5 + 5
    assert fitted.n_parameters_ == 4 * block_1 + block_2 + fixup + 6
    # A forest stores a feature and a threshold per split, a value per leaf.
    trees = [t.tree_ for t in fitted.teacher_.estimators_]
    numbers = sum(2 * (t.node_count - t.n_leaves) + t.n_leaves for t in trees)
    assert fitted.teacher_n_parameters_ == numbers
    assert fitted.compression_ratio_ == pytest.approx(numbers / fitted.n_parameters_)


def test_shape_functions(fitted, interaction_data):
    X, _ = interaction_data
    main = fitted.shape_function((2,), grid_resolution=7)
    assert main.term == (2,)
    assert main.contribution.shape == (7,)
    np.testing.assert_allclose(main.grid[0][[0, -1]], [X[:, 2].min(), X[:, 2].max()])
    pair = fitted.shape_function(4, grid_resolution=5)
    assert pair.term == (0, 1)
    assert pair.contribution.shape == (5, 5)
    # The shape agrees with term_contributions at the grid points.
    X_grid = np.zeros((5, 4))
    X_grid[:, 0] = pair.grid[0]
    X_grid[:, 1] = pair.grid[1][2]
    np.testing.assert_allclose(
        fitted.term_contributions(X_grid)[:, 4], pair.contribution[:, 2], atol=1e-5
    )
    with pytest.raises(ValueError, match="not one of the terms"):
        fitted.shape_function((2, 3))
    with pytest.raises(ValueError, match="out of range"):
        fitted.shape_function(9)


def test_additive_target_goes_to_main_effects():
    rng = np.random.RandomState(1)
    X = rng.uniform(-1, 1, size=(500, 3))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + 0.5 * X[:, 2]
    model = _small(
        teacher=Ridge(),
        n_interactions=1,
        hidden_layer_sizes=(16, 4),
        max_epochs=150,
        n_iter_no_change=20,
    ).fit(X, y)
    terms = model.term_contributions(X)
    fixup = model.fixup_contribution(X)
    variances = np.append(terms.var(axis=0), fixup.var())
    main_share = variances[:3].sum() / variances.sum()
    assert main_share > 0.9
    assert model.fixup_share_ < 0.1


def test_higher_order_and_selection_modes():
    X3 = np.random.RandomState(2).uniform(-1, 1, size=(600, 5))
    y3 = 4 * X3[:, 0] * X3[:, 1] * X3[:, 4] + 0.2 * X3[:, 2]
    teacher = HistGradientBoostingRegressor(max_iter=100, random_state=0)
    model = _small(
        teacher=teacher,
        n_interactions=3,
        max_order=3,
        selection="exhaustive",
        max_pulls=100,
    ).fit(X3, y3)
    assert sorted(model.top_k_pairs_) == [(0, 1), (0, 4), (1, 4)]
    assert model.interaction_ci_ is None
    assert list(model.higher_order_interactions_) == [(0, 1, 4)]
    assert model.higher_order_interactions_[(0, 1, 4)] > 0

    # A frozen teacher is used as it is; the same seed detects the same pairs.
    frozen = FrozenEstimator(model.teacher_)
    refit = _small(
        teacher=frozen,
        n_interactions=3,
        selection="exhaustive",
        max_pulls=100,
    ).fit(X3, y3)
    assert refit.teacher_ is frozen
    assert refit.top_k_pairs_ == model.top_k_pairs_
    np.testing.assert_array_equal(refit.interactions_, model.interactions_)


def test_more_interactions_than_pairs_and_one_feature():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = X[:, 0] * X[:, 1]
    model = _small(n_interactions=10).fit(X, y)
    assert len(model.top_k_pairs_) == 3
    model = _small().fit(X[:, :1], y)
    assert model.terms_ == [(0,)]
    assert model.top_k_pairs_ == []


def test_grid_search_over_n_interactions(interaction_data):
    X, y = interaction_data
    search = GridSearchCV(_small(max_epochs=3), {"n_interactions": [0, 1]}, cv=2).fit(
        X[:100], y[:100]
    )
    assert search.best_params_["n_interactions"] in (0, 1)


def test_engine_reads_the_student(fitted, interaction_data):
    X, _ = interaction_data
    result = pairwise_interactions(fitted, X[:50], random_state=0, uncertainty=None)
    assert result.interactions.shape == (4, 4)
    assert result.top_k_pairs[0] == (0, 1)


def test_count_parameters():
    X = np.random.RandomState(0).normal(size=(50, 3))
    y = X[:, 0]
    mlp = MLPRegressor(hidden_layer_sizes=(4,), max_iter=5).fit(X, y)
    assert count_parameters(mlp) == 3 * 4 + 4 + 4 + 1
    assert count_parameters(Ridge().fit(X, y)) == 4
    tree = DecisionTreeRegressor(max_depth=2).fit(X, y)
    # Depth 2: 3 splits (feature, threshold) and 4 leaves (value).
    assert count_parameters(tree) == 3 * 2 + 4
    hgb = HistGradientBoostingRegressor(max_iter=3).fit(X, y)
    nodes = [p[0].nodes for p in hgb._predictors]
    assert count_parameters(hgb) == sum(
        2 * (len(n) - n["is_leaf"].sum()) + n["is_leaf"].sum() for n in nodes
    )
    assert count_parameters(object()) is None
    teacher = default_teacher(random_state=0)
    assert teacher.regressor.steps[-1][1].hidden_layer_sizes == (2000, 900)


def test_default_teacher_is_used(monkeypatch):
    import sklearn_interact.neural._paraace as paraace

    monkeypatch.setattr(paraace, "DEFAULT_TEACHER_HIDDEN", (8,))
    X = np.random.RandomState(0).normal(size=(150, 3))
    y = X[:, 0] * X[:, 1]
    model = _small(teacher=None).fit(X, y)
    assert count_parameters(model.teacher_) == 3 * 8 + 8 + 8 + 1
    assert model.compression_ratio_ == pytest.approx(
        model.teacher_n_parameters_ / model.n_parameters_
    )


def test_errors(interaction_data):
    X, y = interaction_data
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        _small(hidden_layer_sizes=()).fit(X, y)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        _small(hidden_layer_sizes=(4, 0)).fit(X, y)
    with pytest.raises(ValueError, match="n_interactions"):
        _small(n_interactions=-1).fit(X, y)
    with pytest.raises(NotFittedError):
        _small().term_contributions(X)
    with pytest.raises(NotFittedError):
        _small().shape_function(0)
    model = clone(_small()).fit(X[:50], y[:50])
    with pytest.raises(ValueError, match="features"):
        model.term_contributions(X[:, :3])


def test_default_teacher_is_sized_from_the_data():
    def mlp(teacher):
        return teacher.regressor.steps[-1][1]

    assert mlp(default_teacher(n_samples=5000)).hidden_layer_sizes == (2000, 900)
    small = mlp(default_teacher(n_samples=200))
    assert small.hidden_layer_sizes == (200, 90)
    assert small.early_stopping
    # Below 20 rows the 10% validation split would hold fewer than 2 rows,
    # which MLPRegressor refuses ("The validation set is too small").
    tiny = mlp(default_teacher(n_samples=10))
    assert tiny.hidden_layer_sizes == (10, 4)
    assert not tiny.early_stopping
    X = np.random.RandomState(0).normal(size=(10, 3))
    model = _small(teacher=None, max_epochs=2).fit(X, X[:, 0] * X[:, 1])
    assert mlp(model.teacher_).hidden_layer_sizes == (10, 4)


def test_teacher_errors_name_the_teacher():
    # The message of a teacher's failure is about the teacher's parameters
    # (here its validation_fraction), not the student's.
    X = np.random.RandomState(0).normal(size=(10, 3))
    teacher = MLPRegressor(early_stopping=True, max_iter=5)
    with pytest.raises(
        ValueError, match="teacher MLPRegressor could not be fitted.*validation set"
    ):
        _small(teacher=teacher).fit(X, X[:, 0])


def test_student_is_sized_below_its_teacher():
    # A forest of 400 numbers (splits count 2, leaves 1) against a student
    # of (50, 8) blocks with 16,000: "auto" shrinks the blocks until the
    # student is the smaller model.
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 4))
    y = X[:, 0] * X[:, 1] + X[:, 2]
    teacher = RandomForestRegressor(n_estimators=4, max_depth=5, random_state=0)
    model = _small(
        teacher=teacher, hidden_layer_sizes="auto", n_interactions=2, max_epochs=3
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no "larger than" warning
        model.fit(X, y)
    assert model.compression_ratio_ > 1
    width = model.hidden_layer_sizes_[0]
    assert 1 <= width < 50
    assert model.hidden_layer_sizes_ == (width, max(1, round(width * 8 / 50)))
    # One unit wider would not have been smaller than the teacher.
    wider = (width + 1, max(1, round((width + 1) * 8 / 50)))
    assert student_n_parameters(model.terms_, wider, 3) >= (model.teacher_n_parameters_)
    assert model.n_parameters_ == student_n_parameters(
        model.terms_, model.hidden_layer_sizes_, 3
    )
    # A large teacher keeps the paper's blocks.
    big = _small(
        teacher=MLPRegressor(hidden_layer_sizes=(200, 100), max_iter=5),
        hidden_layer_sizes="auto",
        max_epochs=2,
    ).fit(X, y)
    assert big.hidden_layer_sizes_ == (50, 8)


def test_a_student_larger_than_its_teacher_is_named():
    X = np.random.RandomState(0).uniform(-1, 1, size=(100, 3))
    y = X[:, 0] * X[:, 1]
    # Explicit widths: used as given, with a warning.
    with pytest.warns(UserWarning, match="not fewer than its teacher Ridge.*'auto'"):
        model = _small(teacher=Ridge(), hidden_layer_sizes=(8,)).fit(X, y)
    assert model.compression_ratio_ < 1
    # "auto" against a 4-number teacher: even (1, 1) blocks are larger.
    with pytest.warns(UserWarning, match="cannot be smaller: even its smallest"):
        model = _small(teacher=Ridge(), hidden_layer_sizes="auto").fit(X, y)
    assert model.hidden_layer_sizes_ == (1, 1)


# -- ParaACEClassifier --------------------------------------------------------
def _labels(n=1500, seed=0, n_classes=2):
    """Labels drawn from logits ``a_k 4 x0 x1 + b_k sin(2 x2) + c_k x3``."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 4))
    pair, main = 4 * X[:, 0] * X[:, 1], np.sin(2 * X[:, 2]) + 0.5 * X[:, 3]
    logits = [np.zeros(n), pair + main, -pair + 2 * main][:n_classes]
    logits = np.column_stack(logits)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = (rng.uniform(size=(n, 1)) > p.cumsum(axis=1)).sum(axis=1)
    return X, y


def _small_classifier(**params):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import PolynomialFeatures

    teacher = make_pipeline(PolynomialFeatures(2), LogisticRegression(max_iter=500))
    defaults = dict(
        teacher=teacher,
        n_interactions=1,
        hidden_layer_sizes=(16, 4),
        n_fixup=3,
        max_epochs=60,
        n_iter_no_change=10,
        max_pulls=30,
        lr=1e-2,
        random_state=0,
    )
    return ParaACEClassifier(**{**defaults, **params})


@pytest.mark.parametrize("n_classes", [2, 3])
def test_classifier_detects_the_pair_on_the_teachers_log_odds(n_classes):
    X, y = _labels(n_classes=n_classes)
    model = _small_classifier().fit(X, y)
    assert model.classes_.tolist() == list(range(n_classes))
    assert model.top_k_pairs_ == [(0, 1)]
    assert model.terms_ == [(0,), (1,), (2,), (3,), (0, 1)]
    expected = (
        "log-odds of class 1"
        if n_classes == 2
        else "mean over 3 classes of the log-odds of each class"
    )
    assert model.interaction_scale_ == expected
    assert model.score(X, y) > (0.7 if n_classes == 2 else 0.55)
    terms = model.term_contributions(X[:30])
    total = terms.sum(axis=1) + model.fixup_contribution(X[:30]) + model.intercept_
    z = model.decision_function(X[:30])
    if n_classes == 2:
        assert terms.shape == (30, 5)
        np.testing.assert_allclose(total, z, atol=1e-5)
    else:
        assert terms.shape == (30, 5, 3)
        log_odds = (3 * z - z.sum(axis=1, keepdims=True)) / 2
        np.testing.assert_allclose(total, log_odds, atol=1e-5)
    shape = model.shape_function((0, 1), grid_resolution=4)
    assert shape.contribution.shape == (4, 4) + (() if n_classes == 2 else (3,))


def test_classifier_default_teacher_is_a_classifier_sized_from_the_data():
    from sklearn.neural_network import MLPClassifier

    from sklearn_interact.neural._paraace import default_classifier_teacher

    X, y = _labels(n=200)
    model = _small_classifier(teacher=None, max_epochs=5).fit(X, y)
    mlp = model.teacher_.steps[-1][1]
    assert isinstance(mlp, MLPClassifier)
    assert mlp.hidden_layer_sizes == (400, 180)  # 200 rows: a fifth of the size
    assert mlp.coefs_[0].dtype == np.float32
    assert model.compression_ratio_ == pytest.approx(
        model.teacher_n_parameters_ / model.n_parameters_
    )
    full = default_classifier_teacher(random_state=0)
    assert full.steps[-1][1].hidden_layer_sizes == (2000, 900)
    tiny = default_classifier_teacher(y=np.array([0, 1] * 5)).steps[-1][1]
    assert tiny.hidden_layer_sizes == (200, 90) and not tiny.early_stopping
    with pytest.raises(ValueError, match="must be a classifier"):
        _small_classifier(teacher=Ridge()).fit(X, y)


def test_classifier_grid_search_over_the_number_of_pairs():
    X, y = _labels(n=400)
    search = GridSearchCV(
        _small_classifier(max_epochs=10), {"n_interactions": [0, 1]}, cv=2
    ).fit(X, y)
    assert search.best_params_["n_interactions"] in (0, 1)
    assert search.best_estimator_.predict_proba(X[:3]).shape == (3, 2)
