# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Higher-order interactions by mixed derivatives at representative rows (T-NID).

Lerman et al. measure the interaction of a feature set ``I`` at a row ``x`` by
the mixed partial derivative ``d^|I| f / prod_{i in I} dx_i`` (their
Definition 3.1), averaged in absolute value over a few *representative rows*,
and search the tuples order by order: all pairs, then only the extensions of
the ``k`` strongest tuples of the previous order (their Algorithm 1).

This composer holds no kernel: exact derivatives come from
:func:`~sklearn_interact.inspection._hessians.mixed_derivative_extensions`
(nested automatic differentiation, batched over rows and kept tuples; one last
backward pass gives every one-index extension of a tuple, T-NID's remark that
``IE_{t+j} = d IE_t / dx_j`` need not be recomputed from scratch), black boxes
use the engine's finite-difference kernel
(:func:`~sklearn_interact.inspection._differences.mixed_differences`, ``2**k``
points per tuple), and the expansion is a search strategy
(:func:`~sklearn_interact.inspection._search.top_tuples_expansion`). Both are
per unit of each column's scale (its standard deviation, far-out values
clipped; see :mod:`~sklearn_interact.inspection._features`), like the rest of
the library.
"""

import numbers

import numpy as np
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from sklearn_interact.inspection._differences import FeatureGrid, tuple_contrasts
from sklearn_interact.inspection._features import (
    tabular_input,
    warn_constant_columns,
)
from sklearn_interact.inspection._hessians import mixed_derivative_extensions
from sklearn_interact.inspection._model_checks import (
    check_enough_rows,
    check_model_input,
    warn_all_zero,
    warn_identical_columns,
)
from sklearn_interact.inspection._model_function import (
    RESPONSE_METHODS,
    as_model_function,
)
from sklearn_interact.inspection._search import top_tuples_expansion
from sklearn_interact.inspection._validation import (
    DEFAULT_STEP,
    all_pairs,
    pairs_to_matrix,
    resolve_method,
    sample_rows,
)

#: Representative rows drawn by default.
DEFAULT_N_ROWS = 30


def _exact_extensions(model_function, X_rows, kept, scale):
    """Scores of every extension of the ``kept`` tuples, per row."""
    p = X_rows.shape[1]
    kept_arr = np.asarray(kept, dtype=np.int64)
    deriv = mixed_derivative_extensions(model_function, X_rows, kept_arr)
    values = {}
    for t_pos, t in enumerate(kept):
        for j in range(p):
            if j in t:
                continue
            key = tuple(sorted(t + (j,)))
            local = np.abs(deriv[:, t_pos, j]) * np.prod(scale[list(key)])
            values.setdefault(key, []).append(local)
    # The same tuple reached from two parents is the same derivative.
    return {key: np.mean(v, axis=0) for key, v in values.items()}


@validate_params(
    {
        "estimator": "no_validation",
        "X": ["array-like"],
        "max_order": [Interval(numbers.Integral, 2, 5, closed="both")],
        "method": [StrOptions({"auto", "hessian", "finite_difference"})],
        "max_samples": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_keep": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "step": [Interval(numbers.Real, 0, None, closed="neither")],
        "response_method": [StrOptions(set(RESPONSE_METHODS))],
        "feature_types": [list, tuple, dict, None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def higher_order_interactions(
    estimator,
    X,
    *,
    max_order=3,
    method="auto",
    max_samples=DEFAULT_N_ROWS,
    n_keep=None,
    step=DEFAULT_STEP,
    response_method="auto",
    feature_types=None,
    random_state=None,
):
    """Interactions of order 2 to ``max_order`` of any fitted model (T-NID).

    The strength of a feature tuple is the mean absolute mixed partial
    derivative of the model along its features at a few representative rows
    (standardized scale). All pairs are scored; for each higher order, only
    the extensions of the ``n_keep`` strongest tuples of the previous order
    at each representative row are (Lerman et al., Algorithm 1); the union
    of all rows' candidates is then evaluated at every row, so each score is
    a mean over all rows.

    Parameters
    ----------
    estimator : object
        A fitted model, or the result of :func:`make_model_function` (see
        :func:`pairwise_interactions`; a ReLU network's higher derivatives
        vanish almost everywhere, so ReLU is replaced by a softplus).
    X : array-like of shape (n_samples, n_features)
        Data the representative rows are taken from.
    max_order : int, default=3
        Largest interaction order, from 2 to 5.
    method : {"auto", "hessian", "finite_difference"}, default="auto"
        ``"hessian"``: exact nested derivatives (differentiable models,
        continuous columns without missing values);
        ``"finite_difference"``: mixed central differences with ``2**k``
        points for order ``k`` (any model); ``"auto"``: exact when possible.
    max_samples : int, default=30
        Representative rows drawn at random from ``X`` (all rows if fewer).
        T-NID evaluates derivatives at a few representative rows (mean, min,
        mode plus one random row in the paper); 30 random rows had the best
        mean 3- to 5-way AUC among six such choices on a development run of
        the Tsang F1-F10 suite with its own data and model seeds, separate
        from the seeds reported in BENCHMARKS.md.
    n_keep : int, default=None
        Tuples of each order that are extended to the next order; ``None``
        means ``n_features`` (T-NID's ``k = d``).
    step : float, default=0.8
        Finite-difference step on the standardized scale.
    response_method : {"auto", "log_odds", "predict_proba", \
            "decision_function", "predict"}, default="auto"
        A regressor's prediction, or a classifier's log-odds (``"auto"``),
        probability or decision function, averaged over the classes of a
        multiclass one (see :func:`make_model_function`); ``scale`` names it.
    feature_types : list or dict, default=None
        Type of each column (see
        :func:`~sklearn_interact.inspection.pairwise_interactions`): binary,
        discrete and categorical columns enter a tuple through their level
        contrasts (and the tuple's score is then measured by finite
        differences, also for a differentiable model).
    random_state : int, RandomState instance or None, default=None
        Controls the random representative rows.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``higher_order_interactions``: dict, sorted index tuple of 3 to
          ``max_order`` features -> strength, strongest first within each
          order.
        - ``by_order``: dict order -> {tuple: strength}, orders 2 to
          ``max_order``.
        - ``interactions``: ndarray (n_features, n_features), pair strengths.
        - ``rows``: indices of the representative rows in ``X``.
        - ``method``, ``n_model_evaluations``, ``scale`` (the output's scale).

    References
    ----------
    .. [1] S. Lerman, C. Venuto, H. Kautz, C. Xu. "Explaining Local, Global,
       and Higher-Order Interactions in Deep Learning". ICCV 2021.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklearn_interact.inspection import higher_order_interactions
    >>> class Model(torch.nn.Module):
    ...     def forward(self, x):
    ...         return x[:, 0] * x[:, 1] * x[:, 2] + x[:, 3]
    >>> X = np.random.RandomState(0).uniform(-1, 1, size=(200, 4))
    >>> result = higher_order_interactions(Model(), X, random_state=0)
    >>> next(iter(result.higher_order_interactions))
    (0, 1, 2)
    """
    data = tabular_input(X, feature_types)
    n, p = data.shape
    if max_order > p:
        raise ValueError(f"max_order={max_order} exceeds the number of features ({p}).")
    fn = as_model_function(estimator, response_method=response_method)
    check_model_input(fn, data.codes)
    check_enough_rows(data.codes, "higher_order_interactions")
    warn_identical_columns(data.codes)
    fn = fn.for_data(data)
    exact_ready = data.all_continuous and not np.isnan(data.codes).any()
    if method == "auto" and not exact_ready:
        method = "finite_difference"
    method = resolve_method(method, fn)
    if method == "hessian" and not exact_ready:
        raise ValueError(
            "method='hessian' needs continuous columns without missing values; "
            f"the columns are {sorted(set(data.kinds))}. Use 'finite_difference'."
        )
    warn_constant_columns(data)
    start = fn.n_evaluations
    rows = sample_rows(n, max_samples, check_random_state(random_state))
    by_order = tuple_scores(
        fn,
        data.codes[rows],
        FeatureGrid.from_data(data, rows, step=step),
        data.scale,
        max_order=max_order,
        method=method,
        n_keep=p if n_keep is None else n_keep,
    )
    higher = {}
    for order in range(3, max_order + 1):
        higher.update(by_order[order])
    pair_scores = np.array([by_order[2][tuple(t)] for t in all_pairs(p).tolist()])
    warn_all_zero(
        [s for scores in by_order.values() for s in scores.values()],
        "higher_order_interactions",
    )
    return Bunch(
        scale=fn.scale,
        higher_order_interactions=higher,
        by_order=by_order,
        interactions=pairs_to_matrix(pair_scores, p),
        rows=rows,
        method=method,
        feature_types=list(data.kinds),
        n_model_evaluations=int(fn.n_evaluations - start),
    )


def tuple_scores(model_function, X_rows, grid, scale, *, max_order, method, n_keep):
    """Mean absolute mixed derivatives of tuples of order 2 to ``max_order``.

    ``grid`` (a :class:`~sklearn_interact.inspection._differences.FeatureGrid`
    of ``X_rows``) gives the finite-difference contrasts; ``scale`` the
    standardization of exact derivatives. A tuple's score is the mean over
    the rows where all its features are observed. For a summary over
    classes, the absolute derivatives of each row are averaged over the
    classes (so the scores are the means of the per-class scores, and the
    expansion keeps the tuples strongest on that mean).

    Returns
    -------
    by_order : dict
        Order -> {sorted index tuple: strength}, strongest first.
    """
    p = X_rows.shape[1]
    pairs = all_pairs(p)
    outputs = model_function.outputs

    def mean_abs(values_of):
        return np.mean([np.abs(values_of(f)) for f in outputs], axis=0)

    if method == "hessian":
        outer = np.outer(scale, scale)[None]
        pair_local = mean_abs(
            lambda f: (
                mixed_derivative_extensions(f, X_rows, np.arange(p)[:, None]) * outer
            )[:, pairs[:, 0], pairs[:, 1]]
        )
    else:
        pair_local = mean_abs(lambda f: tuple_contrasts(f, X_rows, pairs, grid))
    pair_scores = _row_mean(pair_local)
    by_order = {2: _sorted_scores(map(tuple, pairs.tolist()), pair_scores)}
    # Per-row values of the current order: tuple -> (n_rows,) absolute values.
    local = {tuple(int(i) for i in t): pair_local[:, k] for k, t in enumerate(pairs)}
    for order in range(3, max_order + 1):
        kept = _kept_tuples(local, by_order[order - 1], n_keep)
        if method == "hessian":
            per_output = [_exact_extensions(f, X_rows, kept, scale) for f in outputs]
            local = {
                key: np.mean([values[key] for values in per_output], axis=0)
                for key in per_output[0]
            }
        else:
            keys = top_tuples_expansion(dict.fromkeys(kept, 1.0), p, len(kept))
            values = mean_abs(
                lambda f, keys=keys: tuple_contrasts(f, X_rows, keys, grid)
            )
            local = {k: values[:, i] for i, k in enumerate(keys)}
        keys = list(local)
        scores = _row_mean(np.stack([local[k] for k in keys], axis=1))
        by_order[order] = _sorted_scores(keys, scores)
    return by_order


def _row_mean(values):
    """Mean over rows of each column, leaving out missing values (0 if none)."""
    observed = ~np.isnan(values)
    total = np.where(observed, values, 0.0).sum(axis=0)
    count = observed.sum(axis=0)
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def _kept_tuples(local, scores, n_keep):
    """Tuples to extend: the ``n_keep`` strongest at any row (Algorithm 1)."""
    keys = list(local)
    values = np.stack([local[k] for k in keys], axis=1)  # (n_rows, n_tuples)
    values = np.nan_to_num(values, nan=-np.inf)  # undefined: never kept
    kept = set()
    for row in values:
        top = np.argsort(-row, kind="stable")[:n_keep]
        kept.update(keys[t] for t in top)
    # Deterministic order: by global strength.
    return [k for k in scores if k in kept]


def _sorted_scores(keys, scores):
    keys = [tuple(int(i) for i in k) for k in keys]
    order = np.argsort(-np.asarray(scores), kind="stable")
    return {keys[o]: float(scores[o]) for o in order}
