# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""The ground floor of the engine: checks and small helpers every stage shares.

Nothing here knows about models or derivatives; every other module of
:mod:`sklearn_interact.inspection` may import from this one, and this one
imports from none of them.
"""

import warnings

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array

#: Default finite-difference step on the standardized scale (see BENCHMARKS.md).
DEFAULT_STEP = 0.8

#: Local-estimate methods and which of them need a differentiable model.
METHODS = ("auto", "hessian", "finite_difference", "integrated", "expected")
_EXACT_METHODS = ("hessian", "integrated", "expected")


def check_interaction_input(X, *, name="X"):
    """Validate a numeric 2-D float array with at least one row."""
    return check_array(
        X,
        dtype=np.float64,
        ensure_all_finite=True,
        force_writeable=True,
        input_name=name,
    )


def sample_rows(n_samples, max_samples, random_state):
    """Sorted indices of ``max_samples`` rows drawn without replacement.

    All rows (``arange(n_samples)``) when ``max_samples`` is None or not
    smaller than ``n_samples``; the generator is then left untouched.
    """
    if max_samples is None or max_samples >= n_samples:
        return np.arange(n_samples)
    rng = check_random_state(random_state)
    return np.sort(rng.choice(n_samples, size=max_samples, replace=False))


def feature_scale(X):
    """Per-feature standard deviation (0 for constant columns, with a warning)."""
    scale = X.std(axis=0)
    # Exactly 0 for a constant column: the computed std of 60 copies of 0.7 is
    # about 1e-16, which passed for a feature and was divided by.
    scale[np.ptp(X, axis=0) == 0] = 0.0
    constant = np.flatnonzero(scale == 0)
    if constant.size and X.shape[0] > 1:
        warnings.warn(
            f"Features {constant.tolist()} are constant in X; their interactions "
            "are reported as 0.",
            UserWarning,
            stacklevel=3,
        )
    return scale


def all_pairs(n_features):
    """Index pairs ``(i, j)``, ``i < j``, in row-major upper-triangle order."""
    i, j = np.triu_indices(n_features, k=1)
    return np.column_stack([i, j])


def pairs_to_matrix(values, n_features, *, fill=0.0):
    """Place per-pair values (last axis) into symmetric matrices."""
    values = np.asarray(values)
    i, j = np.triu_indices(n_features, k=1)
    out = np.full(values.shape[:-1] + (n_features, n_features), fill, dtype=float)
    out[..., i, j] = values
    out[..., j, i] = values
    return out


def top_pairs(matrix, k):
    """The ``k`` strongest pairs ``(i, j)``, ``i < j``, strongest first."""
    pairs = all_pairs(matrix.shape[0])
    scores = matrix[pairs[:, 0], pairs[:, 1]]
    order = np.argsort(-scores, kind="stable")[: min(k, len(pairs))]
    return [(int(pairs[o, 0]), int(pairs[o, 1])) for o in order]


def resolve_method(method, model_function, allowed=METHODS):
    """The local-estimate method to use for ``model_function``.

    ``"auto"`` is exact Hessians for differentiable models and finite
    differences otherwise; an exact method on a black box is an error.
    """
    if method not in allowed:
        raise ValueError(f"method must be one of {allowed}, got {method!r}.")
    if method == "auto":
        return "hessian" if model_function.exact else "finite_difference"
    if method in _EXACT_METHODS and not model_function.exact:
        raise ValueError(
            f"method={method!r} needs a differentiable model, but "
            f"{model_function.description} is a black box; use "
            "method='finite_difference' or 'auto'."
        )
    return method
