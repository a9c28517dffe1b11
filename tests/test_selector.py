import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from skorch import NeuralNetRegressor

from sklearn_interact import InteractionSelector


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(400, 4))
    y = 2 * X[:, 0] * X[:, 1] + X[:, 2] + 0.05 * rng.normal(size=400)
    return X, y


def fast(estimator, **kwargs):
    params = dict(top_k=2, n_resamples=20, max_samples=200, random_state=0)
    params.update(kwargs)
    return InteractionSelector(estimator, **params)


def test_finds_and_appends_the_interaction(data):
    X, y = data
    sel = fast(HistGradientBoostingRegressor(random_state=0)).fit(X, y)
    assert sel.top_k_pairs_[0] == (0, 1)
    Xt = sel.transform(X)
    assert Xt.shape == (400, 6)
    np.testing.assert_allclose(Xt[:, 4], X[:, 0] * X[:, 1])
    assert sel.get_feature_names_out().tolist()[4] == "x0*x1"
    M = sel.interactions_
    # d2y/dz0dz1 = 2 std0 std1 at every row (standardized scale); the trees'
    # finite differences see about half of it, and far less of every other
    # pair.
    truth = 2 * X[:, 0].std() * X[:, 1].std()
    assert 0.3 * truth < M[0, 1] < 1.2 * truth
    others = M[np.triu_indices(4, k=1)][1:]
    assert others.max() < 0.2 * M[0, 1]
    assert sel.interaction_ci_.shape == (4, 4, 2)
    assert sel.n_model_evaluations_ > 0


def test_pipeline_with_linear_model_gains_from_interaction(data):
    X, y = data
    plain = LinearRegression().fit(X, y).score(X, y)
    pipe = make_pipeline(
        fast(HistGradientBoostingRegressor(random_state=0), top_k=1), LinearRegression()
    ).fit(X, y)
    assert pipe.score(X, y) > 0.99 > plain


def test_grid_search_over_top_k_and_n_clusters(data):
    X, y = data
    pipe = make_pipeline(
        fast(
            HistGradientBoostingRegressor(max_iter=30, random_state=0), uncertainty=None
        ),
        Ridge(alpha=1e-3),
    )
    search = GridSearchCV(
        pipe,
        {
            "interactionselector__top_k": [1, 3],
            "interactionselector__n_clusters": [1, 4],
        },
        cv=3,
    ).fit(X, y)
    assert search.best_params_["interactionselector__top_k"] in (1, 3)
    assert search.best_score_ > 0.95


def test_pandas_output_and_names(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=["age", "bmi", "bp", "s1"])
    sel = fast(RandomForestRegressor(n_estimators=20, random_state=0), top_k=1)
    sel.set_output(transform="pandas")
    out = sel.fit(frame, y).transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["age", "bmi", "bp", "s1", "age*bmi"]
    table = sel.interaction_table()
    assert (table.feature_a.iloc[0], table.feature_b.iloc[0]) == ("age", "bmi")
    assert table.ci_lower.iloc[0] <= table.strength.iloc[0] <= table.ci_upper.iloc[0]
    np.testing.assert_array_equal(sel.feature_names_in_, frame.columns)


def test_prefit_and_frozen(data):
    X, y = data
    forest = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, y)
    sel = fast(forest, prefit=True).fit(X, y)
    assert sel.estimator_ is not forest
    np.testing.assert_allclose(sel.estimator_.predict(X), forest.predict(X))
    frozen = fast(FrozenEstimator(forest)).fit(X, y)
    assert clone(frozen).estimator is frozen.estimator
    np.testing.assert_allclose(frozen.interactions_, sel.interactions_)
    with pytest.raises(NotFittedError, match="prefit=True"):
        fast(RandomForestRegressor(), prefit=True).fit(X, y)


def test_exact_models(data):
    X, y = data
    mlp = MLPRegressor(hidden_layer_sizes=(16,), max_iter=300, random_state=0)
    sel = fast(mlp).fit(X, y)
    assert sel.method_ == "hessian"
    module = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)
    ).double()
    sel = fast(module, prefit=True).fit(X)
    assert sel.interactions_.shape == (4, 4)
    with pytest.raises(TypeError, match="no fit method"):
        fast(module).fit(X, y)
    net = NeuralNetRegressor(
        torch.nn.Sequential(
            torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)
        ),
        max_epochs=2,
        verbose=0,
        train_split=None,
    ).fit(X.astype(np.float32), y.astype(np.float32).reshape(-1, 1))
    sel = fast(FrozenEstimator(net)).fit(X, y)
    assert sel.method_ == "hessian"


def test_ucb_search(data):
    X, y = data
    sel = fast(
        HistGradientBoostingRegressor(max_iter=30, random_state=0),
        top_k=1,
        search="ucb",
    ).fit(X, y)
    assert sel.top_k_pairs_ == [(0, 1)]


def test_random_state_fixes_the_whole_fit(data):
    X, y = data
    a = fast(RandomForestRegressor(n_estimators=5), random_state=1).fit(X, y)
    b = fast(RandomForestRegressor(n_estimators=5), random_state=1).fit(X, y)
    np.testing.assert_array_equal(a.interactions_, b.interactions_)


def test_bad_input(data):
    X, y = data
    sel = fast(LinearRegression()).fit(X, y)
    with pytest.raises(ValueError, match="4 features"):
        sel.transform(X[:, :3])
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fast(LinearRegression()).fit(bad, y)
    with pytest.raises(ValueError, match="requires y"):
        fast(LinearRegression()).fit(X)
    with pytest.raises(NotFittedError):
        fast(LinearRegression()).transform(X)


def test_single_feature_appends_nothing():
    X = np.linspace(-1, 1, 30)[:, None]
    sel = fast(LinearRegression()).fit(X, X[:, 0])
    assert sel.top_k_pairs_ == []
    assert sel.transform(X).shape == (30, 1)


# -- classifiers ----------------------------------------------------------------
@pytest.fixture(scope="module")
def labelled():
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(600, 4))
    logit = 4 * X[:, 0] * X[:, 2] + X[:, 1] + X[:, 1] * X[:, 2] * X[:, 3] * 6
    y = np.where(rng.uniform(size=600) < 1 / (1 + np.exp(-logit)), "sick", "well")
    return pd.DataFrame(X, columns=["age", "bmi", "glucose", "insulin"]), y


def _logistic_with_products(degree=2):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import PolynomialFeatures

    return make_pipeline(PolynomialFeatures(degree), LogisticRegression(max_iter=1000))


def test_classifier_interactions_on_the_log_odds_of_a_named_class(labelled):
    X, y = labelled
    selector = InteractionSelector(
        _logistic_with_products(), top_k=1, random_state=0
    ).fit(X, y)
    # classes_ = ["sick", "well"]: the positive class is "well".
    assert selector.interaction_scale_ == "log-odds of class well"
    assert selector.top_k_pairs_ == [(0, 2)]
    table = selector.interaction_table()
    assert table["feature_a"].iloc[0] == "age" and table["feature_b"].iloc[0] == (
        "glucose"
    )
    assert set(table["scale"]) == {"log-odds of class well"}
    # The other class: the same strengths (the log-odds only change sign).
    sick = InteractionSelector(
        _logistic_with_products(), top_k=1, target="sick", random_state=0
    ).fit(X, y)
    assert sick.interaction_scale_ == "log-odds of class sick"
    np.testing.assert_allclose(sick.interactions_, selector.interactions_)
    assert selector.transform(X).shape == (600, 5)
    with pytest.raises(ValueError, match="not a class"):
        InteractionSelector(_logistic_with_products(), target="ill").fit(X, y)
    with pytest.raises(ValueError, match="hard class labels"):
        InteractionSelector(_logistic_with_products(), response_method="predict").fit(
            X, y
        )


def test_classifier_refit_intervals_higher_order_and_groups(labelled):
    X, y = labelled
    selector = InteractionSelector(
        _logistic_with_products(degree=3),
        uncertainty="refit",
        n_resamples=3,
        max_samples=200,
        max_order=3,
        feature_groups={"ag": [0, 2], "bmi": [1], "ins": [3]},
        random_state=0,
    ).fit(X, y)
    ci = selector.interaction_ci_
    assert np.all(ci[..., 0] <= ci[..., 1])
    assert next(iter(selector.higher_order_interactions_)) == (1, 2, 3)
    assert selector.group_interactions_.shape == (3, 3)
    assert selector.group_interactions_[0, 2] > selector.group_interactions_[1, 2]


def test_multiclass_selector_reports_the_mean_over_classes(labelled):
    X, _ = labelled
    y = np.digitize(4 * X["age"] * X["glucose"], [-0.5, 0.5])
    selector = InteractionSelector(
        _logistic_with_products(), top_k=1, uncertainty=None, random_state=0
    ).fit(X, y)
    assert selector.interaction_scale_ == (
        "mean over 3 classes of the log-odds of each class"
    )
    assert selector.top_k_pairs_ == [(0, 2)]
    one = InteractionSelector(
        _logistic_with_products(), top_k=1, target=2, uncertainty=None, random_state=0
    ).fit(X, y)
    assert one.interaction_scale_ == "log-odds of class 2"
