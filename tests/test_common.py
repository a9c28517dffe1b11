"""scikit-learn's common estimator checks: every public estimator at its
defaults, and small test instances with other settings."""

import inspect

import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.neural_network import MLPRegressor
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_get_feature_names_out_error,
    check_param_validation,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    parametrize_with_checks,
)

import sklearn_interact.feature_selection
import sklearn_interact.neural
from sklearn_interact import (
    BayesianMLPClassifier,
    BayesianMLPRegressor,
    InteractionSelector,
    NITClassifier,
    NITRegressor,
    ParaACEClassifier,
    ParaACERegressor,
)


def _default_instances():
    """Every public estimator at its defaults, as a user first meets it.

    InteractionSelector needs a model to measure: a cheap one. These fit the
    full-size defaults on the checks' tiny data (ParaACE's default teachers
    are sized from the data), so they are the slowest checks of the suite.
    """
    yield InteractionSelector(Ridge())
    yield NITRegressor()
    yield ParaACERegressor()
    yield BayesianMLPRegressor()
    yield NITClassifier()
    yield ParaACEClassifier()
    yield BayesianMLPClassifier()


@pytest.mark.slow
@parametrize_with_checks(list(_default_instances()))
def test_default_instance_passes_check_estimator(estimator, check):
    check(estimator)


def test_every_public_estimator_has_a_default_instance():
    public = {
        name
        for module in (sklearn_interact.feature_selection, sklearn_interact.neural)
        for name in module.__all__
        if inspect.isclass(getattr(module, name))
        and hasattr(getattr(module, name), "get_params")
    }
    checked = {type(est).__name__ for est in _default_instances()}
    assert public == checked


def _instances():
    # Small, fast selector instances; the defaults are for users.
    yield InteractionSelector(
        HistGradientBoostingRegressor(max_iter=10),
        top_k=2,
        n_clusters=2,
        n_resamples=10,
        max_samples=50,
    )
    yield InteractionSelector(
        MLPRegressor(hidden_layer_sizes=(4,), max_iter=20),
        top_k=2,
        n_clusters=2,
        n_resamples=10,
        max_samples=50,
    )
    yield InteractionSelector(Ridge(), top_k=3, search="ucb", max_pulls=10)


@parametrize_with_checks(list(_instances()))
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


EXTRA_CHECKS = [
    check_param_validation,
    check_dataframe_column_names_consistency,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    check_get_feature_names_out_error,
    check_set_output_transform,
    check_set_output_transform_pandas,
]


def test_extra_checks():
    est = next(_instances())
    for check in EXTRA_CHECKS:
        check(est.__class__.__name__, est)
