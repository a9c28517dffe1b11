# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Local (per-row) interactions: Hessians, differences and path integrals.

The public functions of this module compose the adapter (stage 1) with one
local-estimate kernel (stage 2): exact Hessians
(:mod:`._hessians`), mixed finite differences (:mod:`._differences`) or
Integrated / Expected Hessians (:mod:`._path`).
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
from sklearn_interact.inspection._hessians import exact_hessians
from sklearn_interact.inspection._local_estimate import (
    _check_path_data,
    local_pair_values,
)
from sklearn_interact.inspection._model_checks import check_model_input
from sklearn_interact.inspection._model_function import (
    RESPONSE_METHODS,
    as_model_function,
    check_feature_names,
    check_single_output,
)
from sklearn_interact.inspection._path import (
    DEFAULT_EXPECTED_N_STEPS,
    DEFAULT_N_SAMPLES,
    DEFAULT_N_STEPS,
    expected_from_function,
    integrated_from_function,
)
from sklearn_interact.inspection._validation import (
    DEFAULT_STEP,
    METHODS,
    all_pairs,
    check_interaction_input,
    pairs_to_matrix,
    resolve_method,
    sample_rows,
)

_PATH_CONSTRAINTS = {
    "estimator": "no_validation",
    "X": ["array-like"],
    "n_steps": [Interval(numbers.Integral, 1, None, closed="left")],
    "tol": [Interval(numbers.Real, 0, None, closed="neither"), None],
    "max_steps": [Interval(numbers.Integral, 1, None, closed="left")],
    "response_method": [StrOptions(set(RESPONSE_METHODS))],
}


def _exact_model_function(estimator, response_method, X):
    fn = as_model_function(estimator, response_method=response_method)
    check_single_output(fn, "Integrated and Expected Hessians")
    check_model_input(fn, X)
    if not fn.exact:
        raise ValueError(
            f"Integrated and Expected Hessians need a differentiable model, but "
            f"{fn.description} is a black box (torch modules, skorch nets, "
            "scikit-learn MLPs and this library's estimators are differentiable)."
        )
    return fn


@validate_params(
    {
        "estimator": "no_validation",
        "X": ["array-like"],
        "method": [StrOptions(set(METHODS))],
        "step": [Interval(numbers.Real, 0, None, closed="neither")],
        "baseline": ["array-like", None],
        "n_steps": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_samples": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "tol": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "max_samples": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "response_method": [StrOptions(set(RESPONSE_METHODS))],
        "feature_types": [list, tuple, dict, None],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def local_interactions(
    estimator,
    X,
    *,
    method="auto",
    step=DEFAULT_STEP,
    baseline=None,
    n_steps=None,
    n_samples=None,
    tol=None,
    max_samples=None,
    response_method="auto",
    feature_types=None,
    n_jobs=None,
    random_state=None,
):
    """Per-row pairwise interaction values (local Hessians).

    Parameters
    ----------
    estimator : object
        A fitted model, or the result of :func:`make_model_function` (see
        :func:`pairwise_interactions`).
    X : array-like or DataFrame of shape (n_samples, n_features)
        Rows to explain, in the model's input format (categorical columns and
        missing values as the model takes them; see
        :func:`pairwise_interactions`).
    method : {"auto", "hessian", "finite_difference", "integrated", \
            "expected"}, default="auto"
        Exact Hessians when the model is differentiable, else finite
        differences; with a ``baseline``, ``"auto"`` means ``"integrated"``.
        Binary, discrete and categorical columns always enter by their level
        contrasts (per unit of the column; a categorical column per unit of
        its scale ``sqrt((1 - sum pi^2) / 2)``).
        ``"integrated"``: Integrated Hessians (see
        :func:`integrated_hessians`); ``"expected"``: Expected Hessians with
        baselines drawn from ``baseline`` (background rows; ``X`` if None).
    step : float, default=0.8
        Finite-difference step of continuous columns, in standard deviations
        with far-out values clipped (the values are derivatives per unit of
        each column's scale).
    baseline : array-like, default=None
        ``"integrated"``: the path start, shape (n_features,) or
        (n_samples, n_features), zeros if None. ``"expected"``: background
        rows the baselines are drawn from.
    n_steps : int, default=None
        Path quadrature nodes (32 for ``"integrated"``, 8 for
        ``"expected"`` when None).
    n_samples : int, default=None
        Baselines drawn per row for ``"expected"`` (32 when None).
    tol : float, default=None
        Raise the path nodes of each row until its relative completeness
        error is below ``tol``.
    max_samples : int, default=None
        Explain only this many randomly chosen rows.
    response_method : {"auto", "log_odds", "predict_proba", \
            "decision_function", "predict"}, default="auto"
        A regressor's prediction, or a classifier's log-odds (``"auto"``),
        probability or decision function; a multiclass classifier needs one
        class (see :func:`make_model_function`'s ``target``).
    feature_types : list or dict, default=None
        Type of each column (see :func:`pairwise_interactions`); inferred
        when None.
    n_jobs : int, default=None
        Parallel jobs for chunked black-box evaluation.
    random_state : int, RandomState instance or None, default=None
        Controls the explained rows (``max_samples``) and the baselines of
        ``"expected"``.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``interaction_values``: ndarray (n_rows, n_features, n_features).
        For ``"hessian"`` / ``"finite_difference"``: symmetric per-row second
        derivatives with respect to the original features (the diagonal is
        zero for finite differences). For ``"integrated"`` / ``"expected"``:
        the path-integrated interactions in output units, main effects on the
        diagonal, with the completeness report of :func:`integrated_hessians`.
        ``rows``: indices of the explained rows; ``method``; ``scale`` (what
        the values are derivatives of, e.g. ``"log-odds of class 1"``).

    Examples
    --------
    >>> import torch
    >>> import numpy as np
    >>> from sklearn_interact.inspection import local_interactions
    >>> class Product(torch.nn.Module):
    ...     def forward(self, x):
    ...         return x[:, 0] * x[:, 1]
    >>> X = np.array([[1.0, 2.0], [-1.0, 0.0]])
    >>> local_interactions(Product(), X).interaction_values[0, 0, 1].round(3)
    np.float64(1.0)
    """
    data = tabular_input(X, feature_types)
    rng = check_random_state(random_state)
    fn = as_model_function(estimator, response_method=response_method, n_jobs=n_jobs)
    check_single_output(fn, "Local interactions")
    check_model_input(fn, data.codes)
    fn = fn.for_data(data)
    if method == "auto" and baseline is not None:
        method = "integrated"
    method = resolve_method(method, fn)
    if method == "finite_difference" or (
        method == "hessian" and not data.all_continuous
    ):
        # Steps (a spread) and levels come from the rows of X.
        if data.shape[0] < 2:
            raise ValueError(
                f"local_interactions with method={method!r} takes the steps and "
                "levels of its finite differences and level contrasts from the "
                "rows of X, and one row has no spread: every value would be 0. "
                "Pass the row with others of X (values are returned for every "
                "row), or use LocalInteractionDisplay.from_estimator, which "
                "does so."
            )
        warn_constant_columns(data)
    rows = sample_rows(data.shape[0], max_samples, rng)
    p = data.n_features
    if method in ("integrated", "expected"):
        _check_path_data(data)
        X = data.codes
    X_rows = data.codes[rows]
    if method == "integrated":
        if baseline is not None:
            baseline = check_interaction_input(np.atleast_2d(baseline), name="baseline")
            if baseline.shape[0] == X.shape[0] > 1:
                baseline = baseline[rows]
        result = integrated_from_function(
            fn, X_rows, baseline, n_steps=n_steps or DEFAULT_N_STEPS, tol=tol
        )
    elif method == "expected":
        background = X if baseline is None else baseline
        background = check_interaction_input(background, name="baseline")
        _check_width(background, X, "The background rows (baseline)")
        result = expected_from_function(
            fn,
            X_rows,
            background,
            n_samples=n_samples or DEFAULT_N_SAMPLES,
            n_steps=n_steps or DEFAULT_EXPECTED_N_STEPS,
            tol=tol,
            random_state=rng,
        )
    elif method == "hessian":
        matrix = exact_hessians(fn, X_rows)
        other = np.flatnonzero([k != "continuous" for k in data.kinds])
        if other.size:  # level contrasts for binary, discrete, categorical
            pairs = all_pairs(p)
            some = np.isin(pairs, other).any(axis=1)
            grid = FeatureGrid.from_data(data, rows, step=step, standardize=False)
            values = tuple_contrasts(fn, X_rows, pairs[some], grid)
            matrix[:, pairs[some, 0], pairs[some, 1]] = values
            matrix[:, pairs[some, 1], pairs[some, 0]] = values
            matrix[:, other, other] = 0.0
        result = Bunch(interaction_values=matrix)
    else:
        values = local_pair_values(fn, data, rows, method, step=step, standardize=False)
        result = Bunch(interaction_values=pairs_to_matrix(values, p))
    result.rows = rows
    result.method = method
    result.feature_types = list(data.kinds)
    result.scale = fn.scale
    return result


def _check_width(A, X, what):
    if A.shape[1] != X.shape[1]:
        raise ValueError(f"{what} have {A.shape[1]} features but X has {X.shape[1]}.")


@validate_params(
    {**_PATH_CONSTRAINTS, "baseline": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def integrated_hessians(
    estimator,
    X,
    baseline=None,
    *,
    n_steps=DEFAULT_N_STEPS,
    tol=None,
    max_steps=256,
    response_method="auto",
):
    """Integrated Hessians: per-row interaction matrices relative to a baseline.

    For each row ``x`` the matrix ``Gamma(x)`` holds the pairwise interactions
    ``Gamma_ij`` (Janizek et al., Eq. 3) and, on the diagonal, the main effect
    of each feature with its interactions taken out (Eq. 21). Its entries add
    up to ``f(x) - f(baseline)`` (interaction completeness) and each row sums
    to the Integrated Gradients attribution of that feature.

    Parameters
    ----------
    estimator : object
        A fitted differentiable model: ``torch.nn.Module``, skorch net,
        scikit-learn MLP (ReLU is replaced by ``softplus(beta)`` at
        explanation time), a Pipeline of linear scalers ending in one of
        those, or an estimator of this library; or the result of
        :func:`make_model_function` for another ReLU replacement, softplus
        sharpness (smaller converges with fewer nodes, paper Theorem 1),
        class (``target``) or device.
    X : array-like of shape (n_samples, n_features)
        Rows to explain, in the model's input units.
    baseline : array-like of shape (n_features,) or (n_samples, n_features), \
            default=None
        Start of the integration path; ``None`` means the zero vector (the
        paper's choice when zero means "no signal"). For tabular data the
        column means or a background sample (:func:`expected_hessians`) are
        often more meaningful.
    n_steps : int, default=32
        Quadrature nodes along the path. The default Gauss rule reaches a
        completeness error below 1% on smooth networks (see BENCHMARKS.md).
    tol : float, default=None
        When given, rows whose relative completeness error
        ``|sum Gamma - (f(x) - f(x'))| / |f(x) - f(x')|`` exceeds ``tol`` are
        recomputed with twice as many nodes, until ``max_steps``.
    max_steps : int, default=256
        Upper bound on the nodes used by ``tol``.
    response_method : {"auto", "log_odds", "predict_proba", \
            "decision_function", "predict"}, default="auto"
        A regressor's prediction, or a classifier's log-odds (``"auto"``),
        probability or decision function; a multiclass classifier needs one
        class (see :func:`make_model_function`'s ``target``).

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``interaction_values``: ndarray (n_samples, n_features, n_features),
          symmetric.
        - ``attributions``: ndarray (n_samples, n_features), the row sums
          (Integrated Gradients).
        - ``output_difference``: ``f(x) - f(baseline)`` per row.
        - ``completeness_error``, ``relative_completeness_error``: per row.
        - ``n_steps``: nodes used per row; ``converged``: per row (all True
          when ``tol`` is None).
        - ``baseline``: ndarray (n_samples, n_features).
        - ``scale``: the output's scale (e.g. ``"log-odds of class 1"``).

    References
    ----------
    .. [1] J. D. Janizek, P. Sturmfels, S.-I. Lee. "Explaining Explanations:
       Axiomatic Feature Interactions for Deep Networks". JMLR 22, 2021.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklearn_interact.inspection import integrated_hessians
    >>> class Product(torch.nn.Module):
    ...     def forward(self, x):
    ...         return x[:, 0] * x[:, 1]
    >>> result = integrated_hessians(Product(), np.array([[2.0, 3.0]]))
    >>> result.interaction_values[0].round(6)
    array([[1.5, 1.5],
           [1.5, 1.5]])
    >>> round(float(result.interaction_values[0].sum()), 6)  # f(x) - f(0) = 2 * 3
    6.0
    """
    given, X = X, check_interaction_input(X)
    fn = _exact_model_function(estimator, response_method, X)
    check_feature_names(fn, given)
    result = integrated_from_function(
        fn, X, baseline, n_steps=n_steps, tol=tol, max_steps=max_steps
    )
    result.scale = fn.scale
    return result


@validate_params(
    {
        **_PATH_CONSTRAINTS,
        "background": ["array-like"],
        "n_samples": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def expected_hessians(
    estimator,
    X,
    background,
    *,
    n_samples=DEFAULT_N_SAMPLES,
    n_steps=DEFAULT_EXPECTED_N_STEPS,
    tol=None,
    max_steps=256,
    response_method="auto",
    random_state=None,
):
    """Expected Hessians: Integrated Hessians averaged over sampled baselines.

    For each row, ``n_samples`` baselines are drawn from ``background``
    (without replacement when there are enough) and the Integrated Hessians
    of the row against each of them are averaged (Janizek et al., Eq. 8, 22,
    23). The entries of each matrix add up to ``f(x)`` minus the mean output
    at the drawn baselines; this completeness error measures the path
    quadrature, and ``background_output_difference`` (``f(x)`` minus the
    mean over all of ``background``) shows the sampling error that more
    ``n_samples`` reduce.

    Parameters
    ----------
    estimator : object
        A fitted differentiable model (see :func:`integrated_hessians`).
    X : array-like of shape (n_samples_X, n_features)
        Rows to explain.
    background : array-like of shape (n_background, n_features)
        Data the baselines are drawn from (typically training rows).
    n_samples : int, default=32
        Baselines drawn per row.
    n_steps : int, default=8
        Quadrature nodes along each row-baseline path.
    tol : float, default=None
        When given, rows whose relative completeness error exceeds ``tol``
        are recomputed with twice as many path nodes, until ``max_steps``.
    max_steps : int, default=256
        Upper bound on the nodes used by ``tol``.
    response_method : {"auto", "log_odds", "predict_proba", \
            "decision_function", "predict"}, default="auto"
        A regressor's prediction, or a classifier's log-odds (``"auto"``),
        probability or decision function; a multiclass classifier needs one
        class (see :func:`make_model_function`'s ``target``).
    random_state : int, RandomState instance or None, default=None
        Controls the drawn baselines.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        The fields of :func:`integrated_hessians` (``output_difference`` is
        relative to the drawn baselines), plus ``background_output_difference``
        and ``baseline_indices`` (n_samples_X, n_samples) into ``background``.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklearn_interact.inspection import expected_hessians
    >>> class Product(torch.nn.Module):
    ...     def forward(self, x):
    ...         return x[:, 0] * x[:, 1]
    >>> X = np.random.RandomState(0).normal(size=(50, 2))
    >>> result = expected_hessians(Product(), X[:3], X, random_state=0)
    >>> bool(np.all(result.relative_completeness_error < 1e-6))
    True
    """
    given, X = X, check_interaction_input(X)
    given_background = background
    background = check_interaction_input(background, name="background")
    _check_width(background, X, "The background rows")
    fn = _exact_model_function(estimator, response_method, X)
    check_feature_names(fn, given)
    check_feature_names(fn, given_background)
    result = expected_from_function(
        fn,
        X,
        background,
        n_samples=n_samples,
        n_steps=n_steps,
        tol=tol,
        max_steps=max_steps,
        random_state=random_state,
    )
    result.scale = fn.scale
    return result
