"""Warnings of the library name the user's line, however deep they are raised."""

import warnings

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression

from sklearn_interact import InteractionSelector
from sklearn_interact.inspection import pairwise_interactions
from sklearn_interact.utils._warnings import user_stacklevel


def _constant_column_data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(200, 3))
    X[:, 2] = 1.0  # a constant column: every measure warns about it
    return X, X[:, 0] * X[:, 1]


@pytest.mark.parametrize(
    "measure",
    [
        lambda X, y: pairwise_interactions(LinearRegression().fit(X, y), X),
        lambda X, y: InteractionSelector(
            HistGradientBoostingRegressor(max_iter=10), uncertainty=None
        ).fit(X, y),
    ],
    ids=["function", "meta-estimator"],
)
def test_warnings_point_at_the_callers_line(measure):
    X, y = _constant_column_data()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        measure(X, y)
    ours = [w for w in caught if "constant" in str(w.message)]
    assert ours, [str(w.message) for w in caught]
    # Through validate_params and the selector's fit, the warning still names
    # this file, not scikit-learn's or this library's internals.
    assert all(w.filename == __file__ for w in ours), [w.filename for w in ours]


def test_user_stacklevel_counts_internal_frames():
    # Called from a test (not internal), the calling function is the user's.
    assert user_stacklevel() == 1
