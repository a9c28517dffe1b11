# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 2 of the flow: one local estimate per row and pair, for any method.

:func:`local_pair_values` is the single entry point that the composers use: it
picks the kernel of the resolved method and the column types (exact Hessians
for pairs of continuous columns of a differentiable model, level contrasts of
:mod:`._differences` for binary, discrete and categorical columns and for
black boxes, or Integrated / Expected Hessians) and returns per-row values of
every pair on the standardized scale (path methods are in output units).
:func:`warn_silent_features` names the columns whose perturbation never moves
the model.
For a summary over classes
(:class:`~sklearn_interact.inspection._model_function.ClassSummary`) it
returns the values of every class side by side; the composers aggregate them
column by column and average the scores over classes
(:func:`~sklearn_interact.inspection._aggregation.mean_over_outputs`).
"""

import warnings

import numpy as np
from sklearn.utils import check_random_state

from sklearn_interact.inspection._aggregation import TermComponents
from sklearn_interact.inspection._differences import (
    FeatureGrid,
    tuple_components,
    tuple_contrasts,
)
from sklearn_interact.inspection._hessians import exact_hessians, subset_hessians
from sklearn_interact.inspection._path import path_pair_values
from sklearn_interact.inspection._validation import all_pairs
from sklearn_interact.utils._warnings import user_stacklevel


def local_pair_values(
    model_function,
    data,
    rows,
    method,
    *,
    step,
    random_state=0,
    standardize=True,
    pairs=None,
):
    """Per-row pairwise values, shape ``(len(rows), n_outputs * n_pairs)``.

    Parameters
    ----------
    model_function : ModelFunction
        Evaluates the codes of ``data`` (see ``ModelFunction.for_data``).
    data : TabularData
        The columns, their types and scales.
    rows : ndarray of int
        Rows of ``data`` at which the values are taken.
    method : {"hessian", "finite_difference", "integrated", "expected"}
        A resolved method (see
        :func:`~sklearn_interact.inspection._validation.resolve_method`).
    step : float
        Finite-difference step of continuous columns, in units of their scale.
    random_state : int, RandomState instance or None, default=0
        Baselines of Expected Hessians.
    standardize : bool, default=True
        Values per unit of each column's scale (else per unit of the column).
    pairs : ndarray of shape (n_pairs, 2), default=None
        The pairs to measure (all pairs when None). Exact Hessians are then
        taken with respect to the features of these pairs only.

    Returns
    -------
    values : ndarray of shape (n_rows, n_outputs * n_pairs)
        Pairs in the order of :func:`all_pairs` (or of ``pairs``), output
        after output (``n_outputs`` is ``len(model_function.outputs)``, 1 but
        for a summary over classes, whose classes share the Expected
        Hessians' baselines); NaN where a feature of the pair is missing.
    """
    return local_pair_components(
        model_function,
        data,
        rows,
        method,
        step=step,
        random_state=random_state,
        standardize=standardize,
        pairs=pairs,
    ).row_values()


def local_pair_components(
    model_function,
    data,
    rows,
    method,
    *,
    step,
    random_state=0,
    standardize=True,
    pairs=None,
):
    """:func:`local_pair_values` as signed components, for aggregation.

    A pair with a categorical column has one component per level (see
    :func:`~sklearn_interact.inspection._differences.tuple_components`); its
    row value is their weighted root mean square. Aggregations that average
    before taking a magnitude (AEH, M-GEH) average each component
    (:func:`~sklearn_interact.inspection._aggregation.aggregate_terms`).

    Returns
    -------
    local : :class:`~sklearn_interact.inspection._aggregation.TermComponents`
        ``n_outputs * n_pairs`` terms, output after output.
    """
    outputs = model_function.outputs
    options = dict(step=step, standardize=standardize, pairs=pairs)
    if len(outputs) > 1:
        seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
        return TermComponents.stack(
            [
                _pair_components(f, data, rows, method, random_state=seed, **options)
                for f in outputs
            ]
        )
    return _pair_components(
        model_function, data, rows, method, random_state=random_state, **options
    )


def _pair_components(
    model_function, data, rows, method, *, step, random_state, standardize, pairs
):
    """:func:`local_pair_components` of a scalar function."""
    Z = data.codes[rows]
    p = data.n_features
    if pairs is None:
        pairs = all_pairs(p)
    if len(pairs) == 0:
        return TermComponents.of_values(np.zeros((len(rows), 0)))
    if method in ("integrated", "expected"):
        _check_path_data(data)
        values = path_pair_values(model_function, Z, method, random_state=random_state)
        position = {tuple(t): k for k, t in enumerate(all_pairs(p).tolist())}
        values = values[:, [position[tuple(t)] for t in pairs.tolist()]]
        return TermComponents.of_values(values)
    grid = FeatureGrid.from_data(data, rows, step=step, standardize=standardize)
    if method != "hessian":
        return TermComponents(
            *tuple_components(model_function, Z, pairs, grid), len(pairs)
        )
    scale = data.scale if standardize else None
    features = np.unique(pairs)
    if len(features) < p:  # e.g. after a screen: the Hessian of these only
        H = subset_hessians(model_function, Z, features, scale=scale)
        index = np.searchsorted(features, pairs)
        values = H[:, index[:, 0], index[:, 1]]
    else:
        H = exact_hessians(model_function, Z, scale=scale)
        values = H[:, pairs[:, 0], pairs[:, 1]]
    continuous = np.asarray([k == "continuous" for k in data.kinds])
    other = ~(continuous[pairs[:, 0]] & continuous[pairs[:, 1]])
    if not other.any():
        return TermComponents.of_values(values)
    exact = np.flatnonzero(~other)
    contrast, owner, weights = tuple_components(model_function, Z, pairs[other], grid)
    owner = np.concatenate([exact, np.flatnonzero(other)[owner]])
    order = np.argsort(owner, kind="stable")
    return TermComponents(
        np.hstack([values[:, exact], contrast])[:, order],
        owner[order],
        np.concatenate([np.ones(len(exact)), weights])[order],
        len(pairs),
    )


def _check_path_data(data):
    if not data.all_continuous or np.isnan(data.codes).any():
        raise ValueError(
            "Integrated and Expected Hessians integrate along straight paths "
            "between numeric rows; they need continuous columns without missing "
            "values. Use method='hessian' or 'finite_difference', which measure "
            "binary, discrete and categorical columns by level contrasts."
        )


def warn_silent_features(model_function, data, rows, *, step):
    """Warn about features whose perturbation never changes the model's output.

    Each feature's own contrast (its main effect: a step, a neighbouring level,
    a flipped level, another category) is evaluated at ``rows``; a feature
    whose every contrast is exactly 0 gets exactly 0 for all its interactions
    too, which would otherwise pass for "no interaction" (e.g. a tree that
    never splits on the column). Constant columns have their own warning.
    """
    Z = data.codes[rows]
    grid = FeatureGrid.from_data(data, rows, step=step)
    features = np.arange(data.n_features)[:, None]
    moved = np.zeros(data.n_features)
    for function in model_function.outputs:  # every class of a summary
        start = function.n_evaluations
        main = tuple_contrasts(function, Z, features, grid)
        # The check is not part of the measurement's evaluation count.
        function.n_evaluations = start
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            moved = np.maximum(moved, np.nanmax(np.abs(main), axis=0, initial=0.0))
    silent = np.flatnonzero((moved == 0) & (data.scale > 0))
    if silent.size:
        names = [data.name(j) for j in silent]
        warnings.warn(
            f"Perturbing the features {names} never changed the output of "
            f"{model_function.description} on the {len(rows)} evaluation rows "
            "(the model may not use them, or it is piecewise constant and the "
            "steps are too small to cross a split); their interactions are "
            "exactly 0.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    return silent
