"""Saving and loading fitted estimators: pickle, joblib and skops.

Every round trip must give identical predictions, identical fitted
interactions and identical interactions measured again on the loaded model;
skops needs only the trusted types listed in the README; a model fitted on a
GPU loads on a machine without one.
"""

import io
import pickle
import re
from pathlib import Path

import joblib
import numpy as np
import pytest
import torch
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.neural_network import MLPRegressor

from sklearn_interact import (
    BayesianMLPClassifier,
    BayesianMLPRegressor,
    InteractionSelector,
    NITClassifier,
    NITRegressor,
    ParaACEClassifier,
    ParaACERegressor,
)
from sklearn_interact.inspection import pairwise_interactions

sio = pytest.importorskip("skops.io")

README = Path(__file__).resolve().parents[1] / "README.md"


def _documented_trusted_types():
    """The names in the README's list of types to trust when loading with skops."""
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- skops-trusted-types -->")[1]
    return set(re.findall(r"`([\w.]+)`", section.split("<!-- /skops")[0]))


def _pickle(est):
    return pickle.loads(pickle.dumps(est))


def _joblib(est):
    buffer = io.BytesIO()
    joblib.dump(est, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


def _skops(est):
    data = sio.dumps(est)
    untrusted = set(sio.get_untrusted_types(data=data))
    # The library's own types must be the README's; the others belong to the
    # wrapped model (a forest's Tree, say), which skops judges on its own.
    ours = {
        t
        for t in untrusted
        if t.startswith("sklearn_interact.") or t == "sklearn.utils._bunch.Bunch"
    }
    missing = ours - _documented_trusted_types()
    assert not missing, f"not in the README's list of trusted types: {missing}"
    return sio.loads(data, trusted=sorted(untrusted))


ROUND_TRIPS = {"pickle": _pickle, "joblib": _joblib, "skops": _skops}


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(150, 4))
    y = X[:, 0] * X[:, 1] + X[:, 2] + 0.05 * rng.normal(size=150)
    return X, y


def _estimators():
    small = dict(max_epochs=4, random_state=0)
    return {
        "nit": NITRegressor(
            n_blocks=4, hidden_layer_sizes=(8,), max_disentangle_epochs=4, **small
        ),
        "paraace_default_teacher": ParaACERegressor(
            n_interactions=2, hidden_layer_sizes=(8,), max_pulls=20, **small
        ),
        "paraace_forest": ParaACERegressor(
            RandomForestRegressor(n_estimators=5, random_state=0),
            n_interactions=2,
            hidden_layer_sizes=(8,),
            max_pulls=20,
            **small,
        ),
        "bayesian": BayesianMLPRegressor(
            hidden_layer_sizes=(8, 8), n_draws=6, max_samples=60, **small
        ),
        "selector_hgb": InteractionSelector(
            HistGradientBoostingRegressor(max_iter=10, random_state=0),
            n_resamples=10,
            max_samples=60,
            random_state=0,
        ),
        "selector_mlp": InteractionSelector(
            MLPRegressor(hidden_layer_sizes=(8,), max_iter=50, random_state=0),
            n_resamples=10,
            max_samples=60,
            random_state=0,
        ),
    }


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return {name: est.fit(X, y) for name, est in _estimators().items()}


def _outputs(est, X):
    out = {"interactions": est.interactions_}
    if est.interaction_ci_ is not None:
        out["interaction_ci"] = est.interaction_ci_
    if hasattr(est, "predict"):
        out["predict"] = est.predict(X)
    if hasattr(est, "transform"):
        out["transform"] = est.transform(X)
    if isinstance(est, InteractionSelector):
        measured = est.estimator_
    else:
        measured = est
    out["measured"] = pairwise_interactions(
        measured, X[:40], uncertainty=None, n_clusters=3, random_state=0
    ).interactions
    return out


@pytest.mark.parametrize("how", list(ROUND_TRIPS))
@pytest.mark.parametrize("name", list(_estimators()))
def test_round_trip_gives_identical_results(fitted, data, name, how):
    X, _ = data
    est = fitted[name]
    before = _outputs(est, X)
    loaded = ROUND_TRIPS[how](est)
    after = _outputs(loaded, X)
    assert before.keys() == after.keys()
    for key in before:
        np.testing.assert_array_equal(after[key], before[key], err_msg=key)
    assert loaded.top_k_pairs_ == est.top_k_pairs_
    # The loaded model keeps its fitted history.
    if hasattr(est, "net_"):
        assert len(loaded.net_.history) == len(est.net_.history)


@pytest.mark.parametrize("name", ["nit", "paraace_forest", "bayesian"])
def test_saved_state_holds_no_torch_object(fitted, name):
    state = fitted[name].__getstate__()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                yield from walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                yield from walk(v)
        else:
            yield value

    found = [
        type(v).__name__
        for v in walk(state)
        if isinstance(v, (torch.Tensor, torch.nn.Module, torch.device))
    ]
    assert not found


def test_loading_leaves_the_torch_random_stream_alone(fitted):
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    _pickle(fitted["bayesian"])
    np.testing.assert_array_equal(torch.rand(3), expected)


@pytest.mark.parametrize("name", ["nit", "paraace_forest", "bayesian"])
def test_model_fitted_on_cuda_loads_on_cpu(fitted, data, name, monkeypatch):
    # A CUDA fit leaves device "cuda" in the saved state (the arrays are
    # numpy either way); loading where CUDA is absent must fall back to the
    # CPU with a warning, not fail.
    X, _ = data
    est = fitted[name]
    state = est.__getstate__()
    state["_device"] = "cuda:0"
    state["device"] = "cuda"
    saved = pickle.dumps((type(est), state))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    cls, loaded_state = pickle.loads(saved)
    loaded = cls.__new__(cls)
    with pytest.warns(UserWarning, match="CUDA is not available"):
        loaded.__setstate__(loaded_state)
    assert loaded._device == torch.device("cpu")
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))


def test_unfitted_estimators_round_trip():
    for est in _estimators().values():
        for how, trip in ROUND_TRIPS.items():
            loaded = trip(est)
            assert loaded.get_params().keys() == est.get_params().keys(), how


def _classifiers():
    small = dict(max_epochs=4, random_state=0)
    return {
        "nit": NITClassifier(
            n_blocks=4, hidden_layer_sizes=(8,), max_disentangle_epochs=4, **small
        ),
        "paraace": ParaACEClassifier(
            n_interactions=2, hidden_layer_sizes=(8,), max_pulls=20, **small
        ),
        "bayesian": BayesianMLPClassifier(
            hidden_layer_sizes=(8, 8), n_draws=6, max_samples=60, **small
        ),
    }


@pytest.mark.parametrize("how", list(ROUND_TRIPS))
@pytest.mark.parametrize("name", list(_classifiers()))
def test_classifier_round_trip_keeps_log_odds_and_interactions(data, name, how):
    # The classifiers (issue 14) are saved as numpy arrays like the
    # regressors (issue 16): same probabilities, logits and scale.
    X, y = data
    labels = np.array(["low", "mid", "high"])[np.digitize(y, [-0.5, 0.5])]
    est = _classifiers()[name].fit(X, labels)
    state = est.__getstate__()
    assert not isinstance(state["net_"], torch.nn.Module)
    loaded = ROUND_TRIPS[how](est)
    np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))
    np.testing.assert_array_equal(loaded.decision_function(X), est.decision_function(X))
    assert loaded.decision_function(X).dtype == np.float64
    np.testing.assert_array_equal(loaded.interactions_, est.interactions_)
    assert loaded.interaction_scale_ == est.interaction_scale_
