# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 2 of the flow: one local estimate per row and pair, for any method.

:func:`local_pair_values` is the single entry point that the composers use: it
picks the kernel of the resolved method (exact Hessians, mixed finite
differences, or Integrated / Expected Hessians) and returns per-row values of
every pair on the standardized scale (path methods are in output units).
For a summary over classes
(:class:`~sklearn_interact.inspection._model_function.ClassSummary`) it
returns the values of every class side by side; the composers aggregate them
column by column and average the scores over classes
(:func:`~sklearn_interact.inspection._aggregation.mean_over_outputs`).
"""

import numpy as np
from sklearn.utils import check_random_state

from sklearn_interact.inspection._differences import mixed_differences
from sklearn_interact.inspection._hessians import exact_hessians
from sklearn_interact.inspection._path import path_pair_values
from sklearn_interact.inspection._validation import all_pairs


def local_pair_values(model_function, X, method, *, step, scale, random_state=0):
    """Per-row pairwise values, shape ``(n_samples, n_outputs * n_pairs)``.

    Parameters
    ----------
    model_function : ModelFunction
    X : ndarray of shape (n_samples, n_features)
    method : {"hessian", "finite_difference", "integrated", "expected"}
        A resolved method (see
        :func:`~sklearn_interact.inspection._validation.resolve_method`).
    step : float
        Finite-difference step on the standardized scale.
    scale : ndarray of shape (n_features,)
        Per-feature scale of the standardized derivatives.
    random_state : int, RandomState instance or None, default=0
        Baselines of Expected Hessians.

    Returns
    -------
    values : ndarray of shape (n_samples, n_outputs * n_pairs)
        Pairs in the order of :func:`all_pairs`, output after output
        (``n_outputs`` is ``len(model_function.outputs)``, 1 but for a
        summary over classes, whose classes share the Expected Hessians'
        baselines).
    """
    outputs = model_function.outputs
    if len(outputs) > 1:
        seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
        return np.hstack(
            [
                _pair_values(f, X, method, step=step, scale=scale, random_state=seed)
                for f in outputs
            ]
        )
    return _pair_values(
        model_function, X, method, step=step, scale=scale, random_state=random_state
    )


def _pair_values(model_function, X, method, *, step, scale, random_state):
    """:func:`local_pair_values` of a scalar function."""
    pairs = all_pairs(X.shape[1])
    if method in ("integrated", "expected"):
        return path_pair_values(model_function, X, method, random_state=random_state)
    if method == "hessian":
        H = exact_hessians(model_function, X, scale=scale)
        return H[:, pairs[:, 0], pairs[:, 1]]
    return mixed_differences(model_function, X, pairs, step=step, scale=scale)
