import numpy as np
import pytest
import torch
from sklearn.ensemble import RandomForestRegressor
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from skorch import NeuralNetRegressor

from sklearn_interact.inspection import make_model_function
from sklearn_interact.inspection._feedforward import FeedForwardFunction


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 3))
    y = X[:, 0] * X[:, 1] + X[:, 2]
    return X, y


def test_sklearn_mlp_rebuilt_exactly(data):
    X, y = data
    mlp = MLPRegressor(
        hidden_layer_sizes=(7, 5), activation="tanh", max_iter=50, random_state=0
    ).fit(X, y)
    fn = make_model_function(mlp)
    assert fn.exact
    np.testing.assert_allclose(fn(X), mlp.predict(X), rtol=1e-10, atol=1e-10)


def test_relu_swapped_for_softplus(data):
    X, y = data
    mlp = MLPRegressor(hidden_layer_sizes=(6,), max_iter=50, random_state=0).fit(X, y)
    kept = make_model_function(mlp, activation=None)
    np.testing.assert_allclose(kept(X), mlp.predict(X), rtol=1e-10)
    smooth = make_model_function(mlp, activation="auto", beta=1e4)
    # softplus with a large beta is ReLU up to log(2) / beta per unit.
    np.testing.assert_allclose(smooth(X), mlp.predict(X), atol=1e-3)
    gelu = make_model_function(mlp, activation="gelu")
    assert not np.allclose(gelu(X), mlp.predict(X))


def test_mlp_classifier_log_odds_and_probability(data):
    X, y = data
    clf = MLPClassifier(hidden_layer_sizes=(5,), max_iter=50, random_state=0)
    clf.fit(X, y > 0)
    proba = clf.predict_proba(X)
    fn = make_model_function(clf, activation=None)
    assert fn.scale == "log-odds of class True"
    np.testing.assert_allclose(fn(X), np.log(proba[:, 1] / proba[:, 0]), rtol=1e-8)
    fn = make_model_function(clf, activation=None, response_method="predict_proba")
    assert fn.scale == "probability of class True"
    np.testing.assert_allclose(fn(X), proba[:, 1], rtol=1e-8)


def test_pipeline_of_scalers_is_exact(data):
    X, y = data
    for scaler in (StandardScaler(), MinMaxScaler()):
        pipe = make_pipeline(
            scaler, MLPRegressor(hidden_layer_sizes=(5,), max_iter=30, random_state=0)
        ).fit(X, y)
        fn = make_model_function(pipe, activation=None)
        assert fn.exact
        np.testing.assert_allclose(fn(X), pipe.predict(X), rtol=1e-8)


def test_black_box_and_frozen(data):
    X, y = data
    forest = RandomForestRegressor(n_estimators=5, random_state=0).fit(X, y)
    fn = make_model_function(FrozenEstimator(forest))
    assert not fn.exact
    np.testing.assert_allclose(fn(X), forest.predict(X))
    assert fn.n_evaluations == X.shape[0]


def test_chunked_evaluation_matches(data):
    X, y = data
    forest = RandomForestRegressor(n_estimators=5, random_state=0).fit(X, y)
    fn = make_model_function(forest, batch_size=7)
    np.testing.assert_allclose(fn(X), forest.predict(X))


def test_n_jobs_splits_only_large_calls(data, monkeypatch):
    """Calls below 2 * MIN_ROWS_PER_JOB rows stay in one process; larger ones
    go through joblib, with the same values either way."""
    from sklearn_interact.inspection import _model_function

    X, y = data
    forest = RandomForestRegressor(n_estimators=5, random_state=0).fit(X, y)
    calls = []
    real = _model_function.Parallel

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(_model_function, "Parallel", spy)
    fn = make_model_function(forest, batch_size=7, n_jobs=2)
    np.testing.assert_allclose(fn(X), forest.predict(X))
    assert calls == []
    monkeypatch.setattr(_model_function, "MIN_ROWS_PER_JOB", 4)
    np.testing.assert_allclose(fn(X), forest.predict(X))
    assert len(calls) == 1


def test_torch_module_and_skorch_net(data):
    X, y = data
    torch.manual_seed(0)
    module = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1)
    )
    fn = make_model_function(module, activation=None)
    expected = module(torch.as_tensor(X, dtype=torch.float32)).detach().numpy()[:, 0]
    np.testing.assert_allclose(fn(X), expected, rtol=1e-5)
    # The user's module is not modified by the activation swap.
    make_model_function(module, activation="auto")
    assert isinstance(module[1], torch.nn.ReLU)

    net = NeuralNetRegressor(module, max_epochs=1, verbose=0, train_split=None)
    net.fit(X.astype(np.float32), y.astype(np.float32).reshape(-1, 1))
    fn = make_model_function(net, activation=None)
    np.testing.assert_allclose(
        fn(X), net.predict(X.astype(np.float32))[:, 0], rtol=1e-5
    )


def test_dataframe_models_get_named_columns(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    forest = RandomForestRegressor(n_estimators=3, random_state=0).fit(frame, y)
    fn = make_model_function(forest)
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("error")
        np.testing.assert_allclose(fn(X), forest.predict(frame))


def test_errors(data):
    X, y = data
    with pytest.raises(NotFittedError):
        make_model_function(RandomForestRegressor())
    with pytest.raises(ValueError, match="activation"):
        make_model_function(RandomForestRegressor().fit(X, y), activation="tanh")
    clf = LogisticRegression().fit(X, np.digitize(y, [-1, 0, 1]))
    fn = make_model_function(clf)
    with pytest.raises(ValueError, match="target=<class label>"):
        fn(X)
    fn = make_model_function(clf, target=2, response_method="predict_proba")
    np.testing.assert_allclose(fn(X), clf.predict_proba(X)[:, 2])
    with pytest.raises(ValueError, match="no method"):
        make_model_function(
            RandomForestRegressor().fit(X, y), response_method="predict_proba"
        )


def test_shared_relu_instance_is_swapped_everywhere():
    torch.manual_seed(0)
    relu = torch.nn.ReLU()
    layers = [torch.nn.Linear(2, 3), torch.nn.Linear(3, 3), torch.nn.Linear(3, 1)]
    module = torch.nn.Sequential(layers[0], relu, layers[1], relu, layers[2]).double()
    smooth = torch.nn.Sequential(
        layers[0],
        torch.nn.Softplus(beta=10.0),
        layers[1],
        torch.nn.Softplus(beta=10.0),
        layers[2],
    ).double()
    X = np.random.RandomState(0).normal(size=(20, 2))
    fn = make_model_function(module, activation="auto", beta=10.0)
    expected = smooth(torch.as_tensor(X)).detach().numpy()[:, 0]
    np.testing.assert_allclose(fn(X), expected, rtol=1e-12)


# -- classifiers: the log-odds scale, class labels, hard labels ----------------
def _labels(X, names=("no", "yes")):
    return np.where(X[:, 0] + 0.5 * X[:, 1] > 0, names[1], names[0])


def test_classifier_defaults_to_log_odds_of_the_positive_class(data):
    X, _ = data
    clf = LogisticRegression().fit(X, _labels(X))
    fn = make_model_function(clf)
    assert fn.scale == "log-odds of class yes"
    assert not fn.exact and len(fn.outputs) == 1
    # LogisticRegression's decision function is its logit.
    np.testing.assert_allclose(fn(X), clf.decision_function(X), atol=1e-8)
    fn = make_model_function(clf, target="no")
    assert fn.scale == "log-odds of class no"
    np.testing.assert_allclose(fn(X), -clf.decision_function(X), atol=1e-8)
    fn = make_model_function(clf, response_method="predict_proba", target="no")
    assert fn.scale == "probability of class no"
    np.testing.assert_allclose(fn(X), clf.predict_proba(X)[:, 0])
    fn = make_model_function(clf, response_method="decision_function")
    assert fn.scale == "decision function of class yes"
    np.testing.assert_allclose(fn(X), clf.decision_function(X))


def test_class_is_chosen_by_label_not_position(data):
    X, _ = data
    y = np.array(["b", "c", "a"])[np.digitize(X[:, 0], [-0.5, 0.5])]
    clf = LogisticRegression().fit(X, y)
    proba = clf.predict_proba(X)  # columns a, b, c
    log_p = np.log(proba)
    for k, label in enumerate(clf.classes_):
        fn = make_model_function(clf, target=label)
        assert fn.scale == f"log-odds of class {label}"
        others = np.delete(log_p, k, axis=1).mean(axis=1)
        np.testing.assert_allclose(fn(X), log_p[:, k] - others, atol=1e-8)
    with pytest.raises(ValueError, match=r"target=2 is not a class .*'a', 'b', 'c'"):
        make_model_function(clf, target=2)


def test_multiclass_without_target_is_a_summary_over_classes(data):
    X, _ = data
    clf = LogisticRegression().fit(X, np.digitize(X[:, 0], [-0.5, 0.5]))
    fn = make_model_function(clf)
    assert fn.scale == "mean over 3 classes of the log-odds of each class"
    assert [f.scale for f in fn.outputs] == [f"log-odds of class {k}" for k in range(3)]
    with pytest.raises(ValueError, match=r"summarized over its 3 classes"):
        fn(X)
    # Refits are explained the same way.
    again = fn.for_estimator(clf)
    assert len(again.outputs) == 3 and again.scale == fn.scale
    evaluated = sum(len(X) for f in fn.outputs if f(X) is not None)
    assert fn.n_evaluations == evaluated


def test_hard_labels_are_refused(data):
    X, _ = data
    clf = LogisticRegression().fit(X, _labels(X))
    with pytest.raises(ValueError, match="hard class labels"):
        make_model_function(clf, response_method="predict")
    with pytest.raises(ValueError, match="needs a classifier"):
        make_model_function(
            RandomForestRegressor(n_estimators=2).fit(X, X[:, 0]),
            response_method="log_odds",
        )


def test_classifier_without_probabilities_uses_its_decision_function(data):
    from sklearn.svm import LinearSVC

    X, _ = data
    svm = LinearSVC().fit(X, _labels(X))
    fn = make_model_function(svm)
    assert fn.scale == "decision function of class yes"
    np.testing.assert_allclose(fn(X), svm.decision_function(X))
    with pytest.raises(ValueError, match="no predict_proba"):
        make_model_function(svm, response_method="log_odds")


def test_saturated_probabilities_warn(data):
    from sklearn.tree import DecisionTreeClassifier

    X, _ = data
    tree = DecisionTreeClassifier(random_state=0).fit(X, _labels(X))
    fn = make_model_function(tree)
    with pytest.warns(UserWarning, match="predicts probabilities of 0 or 1"):
        values = fn(X)
    assert np.all(np.isfinite(values))


def test_mlp_classifier_log_odds_are_exact_and_match_the_black_box(data):
    """Multiclass MLP: exact log-odds (closed form) equal the probabilities'."""
    from sklearn.preprocessing import FunctionTransformer

    X, _ = data
    clf = MLPClassifier(
        hidden_layer_sizes=(6,), activation="tanh", max_iter=300, random_state=0
    ).fit(X, np.digitize(X[:, 0] * X[:, 1], [-0.3, 0.3]))
    # A FunctionTransformer makes the pipeline a black box: log(predict_proba).
    black_box = make_pipeline(FunctionTransformer(), clf)
    for label in clf.classes_:
        exact = make_model_function(clf, target=label, activation=None)
        assert isinstance(exact.torch_function, FeedForwardFunction)
        other = make_model_function(black_box, target=label)
        assert not other.exact and other.scale == exact.scale
        np.testing.assert_allclose(exact(X), other(X), atol=1e-8)


def test_skorch_classifiers_are_explained_on_their_logits(data):
    from skorch import NeuralNetBinaryClassifier, NeuralNetClassifier

    X, _ = data
    X32 = X.astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    torch.manual_seed(0)
    net = NeuralNetClassifier(
        torch.nn.Sequential(
            torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)
        ),
        criterion=torch.nn.CrossEntropyLoss,
        max_epochs=2,
        train_split=None,
        verbose=0,
    ).fit(X32, y)
    proba = net.predict_proba(X32).astype(np.float64)
    fn = make_model_function(net)
    assert fn.exact and fn.scale == "log-odds of class 1"
    np.testing.assert_allclose(fn(X), np.log(proba[:, 1] / proba[:, 0]), atol=1e-5)

    class Logit(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(3, 1)

        def forward(self, x):
            return self.linear(x)[:, 0]

    binary = NeuralNetBinaryClassifier(
        Logit, max_epochs=2, train_split=None, verbose=0
    ).fit(X32, y.astype(np.float32))
    fn = make_model_function(binary)
    p = binary.predict_proba(X32)[:, 1].astype(np.float64)
    np.testing.assert_allclose(fn(X), np.log(p / (1 - p)), atol=1e-4)


# -- classifiers on mixed-type tables (issues 13 and 14 together) -------------
def _mixed_labels(n=300, n_classes=2, seed=0):
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(
        {
            "c": pd.Categorical(rng.choice(["a", "b"], n)),
            "x": rng.uniform(-1, 1, n),
            "z": rng.uniform(-1, 1, n),
        }
    )
    logit = np.where(X["c"] == "a", 3.0, -3.0) * X["x"] + X["z"]
    y = np.where(rng.uniform(size=n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    if n_classes == 3:
        y[rng.uniform(size=n) < 0.3] = "maybe"
    return X, y


@pytest.mark.parametrize("n_classes", [2, 3])
def test_classifier_on_a_mixed_table_keeps_the_log_odds(n_classes):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.preprocessing import OneHotEncoder

    from sklearn_interact.inspection._features import tabular_input
    from sklearn_interact.inspection._model_function import ClassSummary

    X, y = _mixed_labels(n_classes=n_classes)
    data = tabular_input(X, None)
    target = "yes"
    # A black box evaluated on decoded codes: its log-odds, of the chosen class.
    gbm = HistGradientBoostingClassifier(
        categorical_features="from_dtype", max_iter=10, random_state=0
    ).fit(X, y)
    decoded = make_model_function(gbm, target=target).for_data(data)
    assert decoded.scale == "log-odds of class yes"
    assert not decoded.exact
    k = list(gbm.classes_).index(target)
    proba = np.clip(gbm.predict_proba(X.iloc[:20]), 1e-12, 1)
    logp = np.log(proba)
    expected = logp[:, k] - np.delete(logp, k, axis=1).mean(axis=1)
    np.testing.assert_allclose(decoded(data.codes[:20]), expected, atol=1e-8)
    # An exact encoded pipeline: the same values as its own black box.
    encode = ColumnTransformer(
        [("c", OneHotEncoder(), ["c"]), ("n", StandardScaler(), ["x", "z"])]
    )
    mlp = MLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0)
    pipe = make_pipeline(encode, mlp).fit(X, y)
    exact = make_model_function(pipe, target=target, activation=None).for_data(data)
    assert exact.exact and exact.scale == "log-odds of class yes"
    black_box = make_model_function(pipe, target=target, activation=None)._black_box
    np.testing.assert_allclose(
        exact(data.codes[:20]), black_box(X.iloc[:20]), atol=1e-8
    )
    # Without a target, a multiclass model is a summary over its classes.
    summary = make_model_function(pipe).for_data(data)
    if n_classes == 3:
        assert isinstance(summary, ClassSummary)
        assert all(f.exact for f in summary.outputs)
        assert summary.scale.startswith("mean over 3 classes")
    else:
        assert summary.scale == "log-odds of class yes"
