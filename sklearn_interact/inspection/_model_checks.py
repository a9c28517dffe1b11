# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Checks of a model function against the data it is about to be measured on.

Run once by each public function right after the model function is built and
before any kernel runs, so that a mismatch fails with a message that names
it instead of deep inside a kernel (a wrong width used to surface as torch's
"mat1 and mat2 shapes cannot be multiplied" from the closed-form Hessians):

* :func:`check_model_width` -- ``X`` has as many columns as the model was
  fitted on;
* :func:`check_single_output` -- a regressor with several outputs is
  explained only on an output the caller chose (a two-output regressor used
  to be explained on its second output, the rule meant for the positive class
  of a binary classifier);
* :func:`check_enough_rows` -- global scores on the standardized scale need
  at least two rows (one row has no spread: every score was silently 0).

And warnings, so that no score is 0 or meaningless without a word:

* :func:`warn_identical_columns` -- two identical columns: a model may split
  one effect between them in any proportion;
* :func:`warn_all_zero` -- every score exactly 0 (an additive or flat model
  on these rows);
* :func:`warn_constant_target` and :func:`warn_poor_fit` -- the measured model
  fits the data poorly (held-out R^2, or the score on the rows it was given,
  below :data:`POOR_FIT_R2`), so its interactions describe a poor model.
"""

import hashlib
import warnings

import numpy as np
import torch
from sklearn.base import is_classifier, is_regressor
from sklearn.compose import TransformedTargetRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import r2_score
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import Pipeline
from skorch import NeuralNet

from sklearn_interact.inspection._feedforward import FeedForwardFunction
from sklearn_interact.inspection._model_function import ModelFunction
from sklearn_interact.utils._warnings import user_stacklevel


def _unwrap(estimator):
    while isinstance(estimator, FrozenEstimator):
        estimator = estimator.estimator
    return estimator


def _sequential_width(module):
    """Input width of an ``nn.Sequential`` whose first layer is ``Linear``."""
    if not isinstance(module, torch.nn.Sequential):
        return None
    for child in module:
        if isinstance(child, (torch.nn.Dropout, torch.nn.Identity)):
            continue
        return child.in_features if isinstance(child, torch.nn.Linear) else None
    return None


def expected_n_features(model_function):
    """Number of input columns the model was fitted on, or None if unknown."""
    if isinstance(model_function.torch_function, FeedForwardFunction):
        return int(model_function.torch_function.layers[0][0].shape[0])
    estimator = _unwrap(model_function.estimator)
    if estimator is None:
        return None
    n_features = getattr(estimator, "n_features_in_", None)
    if n_features is not None:
        return int(n_features)
    if isinstance(estimator, NeuralNet):
        estimator = getattr(estimator, "module_", None)
    if isinstance(estimator, torch.nn.Module):
        return _sequential_width(estimator)
    return None


def check_model_width(model_function, X, *, what="X"):
    """Raise when ``X`` has not the number of columns the model expects."""
    expected = expected_n_features(model_function)
    if expected is not None and X.shape[1] != expected:
        raise ValueError(
            f"{what} has {X.shape[1]} features, but {model_function.description} "
            f"is expecting {expected} features as input."
        )


def n_regression_outputs(estimator):
    """Number of outputs of a fitted regressor, or None (classifier, unknown)."""
    estimator = _unwrap(estimator)
    if isinstance(estimator, Pipeline):
        return n_regression_outputs(estimator.steps[-1][1])
    if isinstance(estimator, TransformedTargetRegressor):
        return n_regression_outputs(getattr(estimator, "regressor_", None))
    if estimator is None or isinstance(estimator, (torch.nn.Module, NeuralNet)):
        return None  # a torch model's two outputs may be a binary classifier's
    try:
        if is_classifier(estimator):
            return None
    except (AttributeError, TypeError):  # not a scikit-learn estimator
        return None
    if isinstance(estimator, MultiOutputRegressor):
        return len(getattr(estimator, "estimators_", ()))
    n_outputs = getattr(estimator, "n_outputs_", None)
    if n_outputs is not None:
        return int(n_outputs)
    coef = getattr(estimator, "coef_", None)
    if coef is not None:
        return int(coef.shape[0]) if np.ndim(coef) == 2 else 1
    return None


def check_single_output(model_function):
    """Raise when a multi-output regressor is explained without a chosen output."""
    if not isinstance(model_function, ModelFunction):
        return
    if model_function.options.get("target") is not None:
        return
    n_outputs = n_regression_outputs(model_function.estimator)
    if n_outputs is not None and n_outputs > 1:
        name = _unwrap(model_function.estimator).__class__.__name__
        raise ValueError(
            f"{name} predicts {n_outputs} outputs; choose the one whose "
            "interactions are measured: pass make_model_function(estimator, "
            "target=k) in place of the estimator."
        )


def check_model_input(model_function, X, *, what="X"):
    """:func:`check_model_width` and :func:`check_single_output` together."""
    check_single_output(model_function)
    check_model_width(model_function, X, what=what)
    return model_function


#: R^2 below which a measured model is named in a warning as a poor fit.
POOR_FIT_R2 = 0.1


def warn_identical_columns(X):
    """Warn when two columns of ``X`` are identical (and not constant)."""
    first = {}
    pairs = []
    for j in range(X.shape[1]):
        column = np.ascontiguousarray(X[:, j])
        if X.shape[0] < 2 or np.ptp(column) == 0:
            continue  # constant columns have their own warning
        # A digest, not the column's bytes: no copy of X is kept.
        key = hashlib.blake2b(column, digest_size=16).digest()
        if key in first and np.array_equal(X[:, first[key]], column):
            pairs.append((first[key], j))
        else:
            first.setdefault(key, j)
    if pairs:
        warnings.warn(
            f"Features {pairs} are identical columns of X: a model can split "
            "one effect between them in any proportion, so their interactions "
            "with the others are not identifiable separately.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )


def warn_all_zero(scores, function_name):
    """Warn when there are pairs (or tuples) and every score is exactly 0."""
    scores = np.asarray(scores)
    if scores.size and np.all(scores == 0):
        warnings.warn(
            f"{function_name}: every score is exactly 0. The model does not "
            "respond to any two features jointly at these rows: it is additive "
            "or flat there (e.g. saturated units, or trees that split on one "
            "feature at a time).",
            UserWarning,
            stacklevel=user_stacklevel(),
        )


def warn_constant_target(y, name):
    """Warn and return True when the target ``y`` is constant."""
    y = np.asarray(y)
    if y.size and y.dtype.kind in "biuf" and np.ptp(y) == 0:
        warnings.warn(
            f"{name}: y is constant, so a model of it is flat and every "
            "interaction is 0.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
        return True
    return False


def warn_poor_fit(name, score, where, *, threshold=POOR_FIT_R2, kind="R^2"):
    """Warn when ``score`` is below ``threshold``."""
    if np.isfinite(score) and score < threshold:
        warnings.warn(
            f"{name} fits the data poorly: {kind} = {score:.3g} {where} (below "
            f"{threshold}). Its interactions describe a poor model of the data; "
            "measure a better one.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )


def warn_if_poorly_fitted(estimator, X, y, *, name, where, predict=None):
    """Warn when a fitted model scores poorly on ``(X, y)`` (or y is constant).

    Regressors: R^2 below :data:`POOR_FIT_R2`, of ``predict(X)`` when given
    (the model function, which takes the validated ``X`` whatever the model's
    own input dtype), else of ``estimator.score``; classifiers: accuracy no
    better than always predicting the most frequent class. Models that are
    neither, or that cannot be scored on these data, are left alone.
    """
    if y is None or warn_constant_target(y, name):
        return
    try:
        regressor, classifier = is_regressor(estimator), is_classifier(estimator)
    except (AttributeError, TypeError):  # not a scikit-learn estimator
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if regressor and predict is not None:
                y_true = np.asarray(y, dtype=np.float64)
                if y_true.ndim != 1:
                    return
                score = float(r2_score(y_true, predict(X)))
            elif regressor or classifier:
                score = float(estimator.score(X, y))
            else:
                return
    except Exception:  # noqa: BLE001 - a diagnostic: what cannot be scored is left
        return
    if regressor:
        warn_poor_fit(name, score, where)
    else:
        _, counts = np.unique(np.asarray(y), return_counts=True)
        majority = counts.max() / counts.sum()
        if score <= majority:
            warn_poor_fit(
                name,
                score,
                f"{where}, no better than always predicting the most frequent "
                f"class ({majority:.3g})",
                threshold=majority + 1e-12,
                kind="accuracy",
            )


def check_enough_rows(X, function_name, *, min_rows=2):
    """Raise when ``X`` has fewer rows than a global score needs."""
    if X.shape[0] < min_rows:
        raise ValueError(
            f"{function_name} needs at least {min_rows} rows of X: its scores "
            "are per unit of each feature's spread, which "
            f"{X.shape[0]} row cannot define; got X of shape "
            f"{X.shape}."
        )
