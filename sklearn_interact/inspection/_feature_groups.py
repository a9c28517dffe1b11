# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Interactions between groups of columns (Taylor-CAM / Hessian-CAM).

Lerman et al. (Eq. 5, with their ``k = i`` variant) measure how much the
feature vector ``x_a`` of entity ``a`` changes the importance of entity ``b``
by the squared salience

.. math::
    S_{ab}(x) = \\Big(\\sum_{p \\in a} \\sum_{m \\in b} u_p\\,
    \\frac{\\partial^2 f(x)}{\\partial x_p \\partial x_m}\\, s_m\\Big)^2,

an input-times-derivative (Grad-CAM) importance of ``b`` differentiated along
``a``. Here ``u = x - r`` is the row relative to a reference ``r`` (the column
means by default; the paper's raw form is ``reference=0``) and ``s_m`` is the
standard deviation of column ``m``, so that ``S_ab`` is in squared output
units and groups of different sizes and units compare. The salience is
directional (``a`` on ``b``); the symmetric interaction is
``S_ab + S_ba`` (the paper's "mutual pairs"), averaged over rows.

A group is any set of input columns: the components of one entity or
embedding, a block of related measurements. For a
:class:`~sklearn.pipeline.Pipeline` that starts with a fitted
:class:`~sklearn.compose.ColumnTransformer` and no explicit groups, each
*raw* column is a group and the whole Pipeline is measured on the user's
columns by the engine's type-aware contrasts (a categorical column by
switching its level, whatever columns its encoder makes of it): Taylor-CAM's
directional derivative along a one-hot block moves a row off the one-hot
simplex and scored ``c1 x c2 = 0`` for a tree model whose only interaction
was between two categorical columns. Explicit ``feature_groups`` of such a
Pipeline index its transformed columns
(:func:`groups_from_column_transformer` gives them per raw column).

Differentiable models get exact Hessians; black boxes get the four-point mixed
difference of ``f`` along the two directions ``u|_a`` and ``s|_b``.
"""

import numbers

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from sklearn_interact.inspection._aggregation import aggregate
from sklearn_interact.inspection._differences import direction_differences
from sklearn_interact.inspection._features import (
    TabularData,
    tabular_input,
    warn_constant_columns,
)
from sklearn_interact.inspection._hessians import exact_hessians
from sklearn_interact.inspection._local_estimate import (
    local_pair_values,
    warn_silent_features,
)
from sklearn_interact.inspection._model_checks import (
    check_enough_rows,
    check_model_input,
    warn_all_zero,
    warn_identical_columns,
)
from sklearn_interact.inspection._model_function import (
    RESPONSE_METHODS,
    as_model_function,
    check_feature_names,
)
from sklearn_interact.inspection._validation import (
    DEFAULT_STEP,
    check_interaction_input,
    pairs_to_matrix,
    resolve_method,
    sample_rows,
    top_pairs,
)


def _input_names(column_transformer):
    names = getattr(column_transformer, "feature_names_in_", None)
    if names is not None:
        return [str(n) for n in names]
    return [f"x{i}" for i in range(column_transformer.n_features_in_)]


def groups_from_column_transformer(column_transformer):
    """Output columns of a fitted ColumnTransformer, grouped by input column.

    Parameters
    ----------
    column_transformer : ColumnTransformer
        A fitted :class:`~sklearn.compose.ColumnTransformer`.

    Returns
    -------
    groups : dict
        Original column name (``feature_names_in_``, else ``"x<i>"``) -> list
        of indices of the output columns derived from it, in output order.
        One-to-one transformers (scalers, ``"passthrough"``) give one column
        per input; a :class:`~sklearn.preprocessing.OneHotEncoder` gives the
        one-hot columns of each input, matched through its output names
        ``"<column>_<category>"``. Outputs that cannot be traced to a single
        input (e.g. polynomial features) form one group named after their
        transformer.
    """
    if not isinstance(column_transformer, ColumnTransformer):
        raise TypeError(
            "groups_from_column_transformer needs a fitted ColumnTransformer, got "
            f"{column_transformer.__class__.__name__}."
        )
    if not hasattr(column_transformer, "transformers_"):
        raise ValueError("The ColumnTransformer is not fitted.")
    names = _input_names(column_transformer)
    to_inputs = getattr(column_transformer, "_transformer_to_input_indices", {})
    groups = {}
    for name, transformer, _ in column_transformer.transformers_:
        if isinstance(transformer, str) and transformer == "drop":
            continue
        out = column_transformer.output_indices_[name]
        out_idx = list(range(out.start, out.stop))
        if not out_idx:
            continue
        in_idx = list(to_inputs.get(name, []))
        in_names = [names[i] for i in in_idx]
        if len(in_names) == len(out_idx):
            for col, o in zip(in_names, out_idx):
                groups.setdefault(col, []).append(o)
            continue
        assigned = _match_by_prefix(transformer, in_names, out_idx)
        if assigned is None:
            groups.setdefault(name, []).extend(out_idx)
        else:
            for col, o in assigned:
                groups.setdefault(col, []).append(o)
    return groups


def _match_by_prefix(transformer, in_names, out_idx):
    """Assign each output to the input whose ``name_`` prefixes its name."""
    try:
        out_names = list(transformer.get_feature_names_out(np.asarray(in_names)))
    except Exception:  # noqa: BLE001 - any transformer may refuse
        return None
    if len(out_names) != len(out_idx) or not in_names:
        return None
    by_length = sorted(in_names, key=len, reverse=True)
    assigned = []
    for name, o in zip(out_names, out_idx):
        owner = next((c for c in by_length if str(name).startswith(f"{c}_")), None)
        if owner is None:
            return None
        assigned.append((owner, o))
    return assigned


def _check_groups(feature_groups, n_features):
    if isinstance(feature_groups, dict):
        names = [str(k) for k in feature_groups]
        members = list(feature_groups.values())
    else:
        members = list(feature_groups)
        names = [f"g{i}" for i in range(len(members))]
    groups = []
    for name, cols in zip(names, members):
        cols = np.atleast_1d(np.asarray(cols))
        if cols.size == 0:
            raise ValueError(f"Feature group {name!r} is empty.")
        if not np.issubdtype(cols.dtype, np.integer):
            raise TypeError(
                f"Feature group {name!r} must hold column indices (int); got "
                f"{cols.dtype}."
            )
        if cols.min() < 0 or cols.max() >= n_features:
            raise ValueError(
                f"Feature group {name!r} has indices outside [0, {n_features})."
            )
        groups.append(np.unique(cols))
    if len(groups) < 2:
        raise ValueError("feature_groups must define at least two groups.")
    return names, groups


def _check_reference(reference, n_features):
    """``reference`` as a finite vector of ``n_features`` values."""
    try:
        ref = np.asarray(reference, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"reference must be numeric; got {reference!r}.") from exc
    if ref.ndim > 1 or (ref.ndim == 1 and ref.shape[0] != n_features):
        raise ValueError(
            f"reference must be 'mean', a number or an array of shape "
            f"({n_features},); got shape {ref.shape}."
        )
    if not np.all(np.isfinite(ref)):
        raise ValueError("reference must be finite; it contains NaN or infinity.")
    return np.broadcast_to(ref, (n_features,))


def _split_pipeline(estimator):
    """(ColumnTransformer, rest of the model) or (None, estimator)."""
    if isinstance(estimator, Pipeline) and isinstance(
        estimator.steps[0][1], ColumnTransformer
    ):
        rest = estimator.steps[1:]
        if not rest:
            raise ValueError("The Pipeline has no model after its ColumnTransformer.")
        model = rest[0][1] if len(rest) == 1 else Pipeline(rest)
        return estimator.steps[0][1], model
    return None, estimator


@validate_params(
    {
        "estimator": "no_validation",
        "X": ["array-like"],
        "feature_groups": [dict, list, tuple, None],
        "method": [StrOptions({"auto", "hessian", "finite_difference"})],
        "reference": [StrOptions({"mean"}), "array-like", numbers.Real],
        "step": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_samples": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "top_k": [Interval(numbers.Integral, 1, None, closed="left")],
        "response_method": [StrOptions(set(RESPONSE_METHODS))],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def group_interactions(
    estimator,
    X,
    feature_groups=None,
    *,
    method="auto",
    reference="mean",
    step=DEFAULT_STEP,
    max_samples=500,
    top_k=10,
    response_method="auto",
    random_state=None,
):
    """Interactions between groups of columns (Taylor-CAM, Lerman et al. Eq. 5).

    Parameters
    ----------
    estimator : object
        A fitted model. When it is a :class:`~sklearn.pipeline.Pipeline`
        whose first step is a fitted
        :class:`~sklearn.compose.ColumnTransformer`, ``X`` is in the
        pipeline's input format (e.g. a DataFrame with categorical columns).
        With ``feature_groups=None`` every raw column is a group and the
        score of a pair is the mean squared type-aware contrast of the whole
        Pipeline (see :func:`pairwise_interactions`; ``salience`` is then
        None). With explicit ``feature_groups``, the rest of the Pipeline is
        explained on the transformed columns by Taylor-CAM.
    X : array-like or DataFrame of shape (n_samples, n_features)
        Rows at which saliences are evaluated.
    feature_groups : dict or list of array-like of int, default=None
        Group name -> indices of the columns the explained model sees (a list
        gives names ``g0, g1, ...``). Required unless ``estimator`` starts
        with a ColumnTransformer. Columns in no group are ignored.
    method : {"auto", "hessian", "finite_difference"}, default="auto"
        Exact Hessians for differentiable models, else mixed differences.
    reference : "mean", float or array-like of shape (n_features,), \
            default="mean"
        The point ``r`` in ``u = x - r``; ``0`` is the paper's raw input.
    step : float, default=0.8
        Finite-difference step along the two group directions.
    max_samples : int or None, default=500
        Rows drawn from ``X`` (all if None or fewer).
    top_k : int, default=10
        Number of group pairs in ``top_k_pairs``.
    response_method : {"auto", "log_odds", "predict_proba", \
            "decision_function", "predict"}, default="auto"
        A regressor's prediction, or a classifier's log-odds (``"auto"``),
        probability or decision function, averaged over the classes of a
        multiclass one (see :func:`make_model_function`); ``scale`` names it.
        For other adapter options, pass the result of
        :func:`make_model_function` (of the model after the
        ColumnTransformer) as ``estimator``.
    random_state : int, RandomState instance or None, default=None
        Controls the row subsample.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``interactions``: ndarray (n_groups, n_groups), symmetric
          ``mean(S_ab + S_ba)``, zero diagonal.
        - ``salience``: ndarray (n_groups, n_groups), ``mean S_ab`` (row
          ``a`` acts on column ``b``).
        - ``local_salience``: ndarray (n_rows, n_groups, n_groups).
        - ``group_names``, ``feature_groups`` (list of index arrays),
          ``top_k_pairs`` (group index pairs), ``top_k_names`` (name pairs),
          ``rows``, ``method``, ``scale`` (e.g. ``"log-odds of class 1"``).

    References
    ----------
    .. [1] S. Lerman, C. Venuto, H. Kautz, C. Xu. "Explaining Local, Global,
       and Higher-Order Interactions in Deep Learning". ICCV 2021.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklearn_interact.inspection import group_interactions
    >>> class Model(torch.nn.Module):
    ...     def forward(self, x):
    ...         return (x[:, 0] + x[:, 1]) * x[:, 2] + x[:, 3]
    >>> X = np.random.RandomState(0).normal(size=(100, 4))
    >>> groups = {"ab": [0, 1], "c": [2], "d": [3]}
    >>> group_interactions(Model(), X, groups).top_k_names[0]
    ('ab', 'c')
    """
    rng = check_random_state(random_state)
    transformer, model = _split_pipeline(estimator)
    if transformer is not None and feature_groups is None:
        return _raw_column_interactions(
            estimator, X, method, step, max_samples, top_k, response_method, rng
        )
    if transformer is not None:
        Xt = transformer.transform(X)
        if hasattr(Xt, "toarray"):
            Xt = Xt.toarray()
        X = Xt
    elif feature_groups is None:
        raise ValueError(
            "feature_groups is required unless the estimator is a Pipeline that "
            "starts with a ColumnTransformer."
        )
    given, X = X, check_interaction_input(X)
    n, p = X.shape
    names, groups = _check_groups(feature_groups, p)
    G = len(groups)
    rows = sample_rows(n, max_samples, rng)
    X_eval = X[rows]
    check_enough_rows(X, "group_interactions")
    ref = (
        X.mean(axis=0) if isinstance(reference, str) else _check_reference(reference, p)
    )
    scale = X.std(axis=0)
    # Exactly 0 for a constant column (its computed std can be 1e-16).
    scale[np.ptp(X, axis=0) == 0] = 0.0
    warn_constant_columns(TabularData(X))
    warn_identical_columns(X)
    # U[r, :, a] = (x_r - ref) on the columns of group a; V[:, b] = s on b.
    member = np.zeros((p, G))
    for g, cols in enumerate(groups):
        member[cols, g] = 1.0
    U = (X_eval - ref)[:, :, None] * member[None]
    V = scale[:, None] * member

    fn = as_model_function(model, response_method=response_method)
    check_model_input(fn, X)
    check_feature_names(fn, given)
    method = resolve_method(method, fn)

    def squared_inner(f):
        if method == "hessian":
            H = exact_hessians(f, X_eval)
            return np.einsum("rpa,rpm,mb->rab", U, H, V) ** 2
        return direction_differences(f, X_eval, U, V, step=step) ** 2

    # A summary over classes gives the mean of the per-class saliences.
    local = np.mean([squared_inner(f) for f in fn.outputs], axis=0)
    diag = np.arange(G)
    local[:, diag, diag] = 0.0
    salience = local.mean(axis=0)
    interactions = salience + salience.T
    warn_all_zero(interactions[np.triu_indices(G, k=1)], "group_interactions")
    top = top_pairs(interactions, top_k)
    return Bunch(
        scale=fn.scale,
        interactions=interactions,
        salience=salience,
        local_salience=local,
        group_names=names,
        feature_groups=groups,
        top_k_pairs=top,
        top_k_names=[(names[a], names[b]) for a, b in top],
        rows=rows,
        method=method,
    )


def _raw_column_interactions(
    estimator, X, method, step, max_samples, top_k, response_method, rng
):
    """Interactions between the raw columns of a ColumnTransformer Pipeline.

    Each column is one group, perturbed by its own type (a categorical
    column by its level contrasts, whatever columns its encoder makes of it),
    and the whole Pipeline is the model; the score of a pair is the mean
    squared local contrast (as ``aggregation="mean_squared"`` of
    :func:`~sklearn_interact.inspection.pairwise_interactions`).
    """
    data = tabular_input(X)
    fn = as_model_function(estimator, response_method=response_method).for_data(data)
    method = resolve_method(method, fn)
    warn_constant_columns(data)
    rows = sample_rows(data.shape[0], max_samples, rng)
    local = local_pair_values(fn, data, rows, method, step=step)
    warn_silent_features(fn, data, rows, step=step)
    p = data.n_features
    interactions = pairs_to_matrix(aggregate(local, "mean_squared"), p)
    names = [data.name(j) for j in range(p)]
    top = top_pairs(interactions, top_k)
    return Bunch(
        interactions=interactions,
        salience=None,
        local_salience=None,
        local_values=local,
        group_names=names,
        feature_groups=[np.array([j]) for j in range(p)],
        feature_types=list(data.kinds),
        top_k_pairs=top,
        top_k_names=[(names[a], names[b]) for a, b in top],
        rows=rows,
        method=method,
    )
