"""scikit-learn's common estimator checks on small test instances."""

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

from sklearn_interact import (
    BayesianMLPClassifier,
    InteractionSelector,
    NITClassifier,
    ParaACEClassifier,
)


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
    # The classifiers at their default settings: what a user gets (their
    # sizes scale with the data, so that the checks' small sets stay cheap).
    yield NITClassifier()
    yield ParaACEClassifier()
    yield BayesianMLPClassifier()


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
