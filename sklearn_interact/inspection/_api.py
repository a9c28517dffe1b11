# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""The functional layer: the five stages put together, as in sklearn.inspection."""

import numbers
import warnings

import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import check_array

from sklearn_interact.inspection._adapters import MODEL_CONSTRAINTS, make_model_function
from sklearn_interact.inspection._aggregation import (
    aggregate,
    choose_n_groups,
    kmeans_groups,
    rank_weighted_distance,
)
from sklearn_interact.inspection._derivatives import (
    _sign_patterns,
    all_pairs,
    exact_hessians,
    finite_difference_mixed,
    pairs_to_matrix,
)
from sklearn_interact.inspection._search import ucb_top_arms
from sklearn_interact.inspection._uncertainty import (
    bootstrap_weights,
    normal_interval,
    percentile_interval,
    refit_resamples,
)

#: Default finite-difference step on the standardized scale (see BENCHMARKS.md).
DEFAULT_STEP = 0.8
#: Largest number of groups examined by ``n_groups="auto"``.
MAX_AUTO_GROUPS = 30

_COMMON_CONSTRAINTS = {
    "method": [
        StrOptions({"auto", "hessian", "finite_difference", "integrated", "expected"})
    ],
    **MODEL_CONSTRAINTS,
    "step": [Interval(numbers.Real, 0, None, closed="neither")],
    "max_samples": [Interval(numbers.Integral, 1, None, closed="left"), None],
    "n_jobs": [numbers.Integral, None],
    "random_state": ["random_state"],
}


def check_interaction_input(X, *, name="X"):
    """Validate a numeric 2-D float array with at least one row."""
    return check_array(
        X,
        dtype=np.float64,
        ensure_all_finite=True,
        force_writeable=True,
        input_name=name,
    )


def feature_scale(X):
    """Per-feature standard deviation (0 for constant columns, with a warning)."""
    scale = X.std(axis=0)
    constant = np.flatnonzero(scale == 0)
    if constant.size and X.shape[0] > 1:
        warnings.warn(
            f"Features {constant.tolist()} are constant in X; their interactions "
            "are reported as 0.",
            UserWarning,
            stacklevel=3,
        )
    return scale


def _evaluation_rows(X, max_samples, rng):
    if max_samples is None or max_samples >= X.shape[0]:
        return X
    idx = rng.choice(X.shape[0], size=max_samples, replace=False)
    return X[np.sort(idx)]


def _resolve_method(method, model_function):
    if method == "auto":
        return "hessian" if model_function.exact else "finite_difference"
    if method in ("hessian", "integrated", "expected") and not model_function.exact:
        raise ValueError(
            f"method={method!r} needs a differentiable model, but "
            f"{model_function.description} is a black box; use "
            "method='finite_difference' or 'auto'."
        )
    return method


def local_pair_values(model_function, X, method, *, step, scale, random_state=0):
    """Per-row pairwise values, shape ``(n_samples, n_pairs)``."""
    p = X.shape[1]
    pairs = all_pairs(p)
    if method in ("integrated", "expected"):
        from sklearn_interact.inspection._path import path_pair_values

        return path_pair_values(model_function, X, method, random_state=random_state)
    if method == "hessian":
        H = exact_hessians(model_function, X, scale=scale)
        return H[:, pairs[:, 0], pairs[:, 1]]
    return finite_difference_mixed(model_function, X, pairs, step=step, scale=scale)


def top_pairs(matrix, k):
    """The ``k`` strongest pairs ``(i, j)``, ``i < j``, strongest first."""
    p = matrix.shape[0]
    pairs = all_pairs(p)
    scores = matrix[pairs[:, 0], pairs[:, 1]]
    order = np.argsort(-scores, kind="stable")[: min(k, len(pairs))]
    return [(int(pairs[o, 0]), int(pairs[o, 1])) for o in order]


@validate_params(
    {
        "estimator": "no_validation",
        "X": ["array-like"],
        "y": ["array-like", None],
        "aggregation": [StrOptions({"auto", "eah", "aeh", "geh", "mean_squared"})],
        "n_groups": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "search": [StrOptions({"all", "ucb"})],
        "top_k": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_pulls": [Interval(numbers.Integral, 1, None, closed="left")],
        "uncertainty": [StrOptions({"bootstrap", "refit"}), None],
        "n_resamples": [Interval(numbers.Integral, 2, None, closed="left")],
        "confidence_level": [Interval(numbers.Real, 0, 1, closed="neither")],
        **_COMMON_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def pairwise_interactions(
    estimator,
    X,
    y=None,
    *,
    method="auto",
    aggregation="auto",
    n_groups="auto",
    search="all",
    top_k=10,
    step=DEFAULT_STEP,
    max_pulls=100,
    max_samples=1000,
    uncertainty="bootstrap",
    n_resamples=100,
    confidence_level=0.95,
    response_method="auto",
    output_index=None,
    activation="auto",
    beta=10.0,
    device="cpu",
    n_jobs=None,
    random_state=None,
):
    """Global pairwise interaction strengths of a fitted model, with intervals.

    The model becomes a function (exact for torch modules, skorch nets,
    scikit-learn MLPs and this library's estimators; a black box otherwise),
    second derivatives are estimated at sampled rows, aggregated into one score
    per pair, and given a confidence interval.

    Derivatives are taken on the standardized scale, ``z = x / std(x)``, so
    scores are comparable across features measured in different units. A
    constant feature has zero interaction with every other.

    Parameters
    ----------
    estimator : object
        A fitted model: any scikit-learn estimator or Pipeline with
        ``predict`` / ``predict_proba`` / ``decision_function``, a skorch net, a
        ``torch.nn.Module`` or a :class:`~sklearn.frozen.FrozenEstimator`.
        With ``uncertainty="refit"`` it is also the template whose clones are
        refitted on bootstrap resamples of ``(X, y)``.
    X : array-like of shape (n_samples, n_features)
        Rows at which interactions are evaluated (typically held-out data).
    y : array-like of shape (n_samples,), default=None
        Targets; needed only by ``uncertainty="refit"``, which refits on
        bootstrap resamples of ``(X, y)``.
    method : {"auto", "hessian", "finite_difference", "integrated", \
            "expected"}, default="auto"
        ``"hessian"``: exact autograd Hessians; ``"finite_difference"``:
        four-point mixed differences with step ``step`` (ParaACE Eq. 1);
        ``"integrated"`` / ``"expected"``: Integrated Hessians from the column
        means of ``X`` / Expected Hessians with baselines drawn from ``X``
        (Janizek et al.; differentiable models only), summarized by the mean
        absolute value per pair (``aggregation="auto"`` is then ``"eah"``);
        ``"auto"`` uses exact Hessians whenever the model is differentiable.
    aggregation : {"auto", "eah", "aeh", "geh", "mean_squared"}, default="auto"
        How local values become a global score: expected absolute Hessian,
        absolute expected Hessian, M-group expected Hessian (Cui et al.) or the
        mean squared Hessian (ParaACE, Friedman). ``"auto"`` is ``"geh"`` with
        ``search="all"`` and ``"mean_squared"`` with ``search="ucb"``.
    n_groups : int or "auto", default="auto"
        Number ``M`` of k-means groups for ``"geh"``; ``M = 1`` is AEH and
        ``M >= n_samples`` is EAH. ``"auto"`` picks ``M`` from the
        rank-weighted distance curve (see :func:`choose_n_groups`).
    search : {"all", "ucb"}, default="all"
        ``"all"`` scores every pair at every evaluation row; ``"ucb"`` runs the
        UCB best-k-arm bandit (ParaACE Algorithm 1), which spends its
        evaluations on the pairs that may be among the ``top_k`` strongest.
    top_k : int, default=10
        Number of pairs in ``top_k_pairs`` (and wanted by the bandit).
    step : float, default=0.8
        Finite-difference step on the standardized scale.
    max_pulls : int, default=100
        Bandit cap on the pulls of one pair.
    max_samples : int or None, default=1000
        Evaluation rows drawn from ``X`` (all rows if None or fewer).
    uncertainty : {"bootstrap", "refit"} or None, default="bootstrap"
        ``"bootstrap"``: percentile intervals from resampling the evaluation
        rows; ``"refit"``: percentile intervals over refits on bootstrap
        resamples of the training data (model uncertainty, expensive);
        ``None``: no interval. With ``search="ucb"`` intervals are the
        Gaussian intervals of each pair's mean reward.
    n_resamples : int, default=100
        Bootstrap resamples (or refits).
    confidence_level : float, default=0.95
        Level of the intervals.
    response_method : {"auto", "predict", "predict_proba", \
            "decision_function"}, default="auto"
        Which output of the model is explained.
    output_index : int, default=None
        Column of a multi-output response.
    activation : {"auto", "softplus", "gelu"} or None, default="auto"
        ReLU replacement at explanation time for exact models.
    beta : float, default=10.0
        Softplus sharpness.
    device : str, default="cpu"
        Torch device for exact models.
    n_jobs : int, default=None
        Parallel jobs for chunked evaluation and refits (joblib).
    random_state : int, RandomState instance or None, default=None
        Controls row sampling, k-means, the bandit, and resampling.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``interactions``: ndarray (n_features, n_features), symmetric, zero
          diagonal, larger is stronger.
        - ``interaction_ci``: ndarray (n_features, n_features, 2) or None.
        - ``top_k_pairs``: list of ``(i, j)``, strongest first.
        - ``pairs``, ``pair_scores``: every pair and its score.
        - ``method``, ``aggregation``, ``n_groups``.
        - ``n_groups_curve``: Bunch ``(n_groups, distances)`` when
          ``n_groups="auto"``.
        - ``n_model_evaluations``: rows passed through the model (an exact
          Hessian row counts once).
        - ``bandit``: the bandit's state when ``search="ucb"``.

    References
    ----------
    .. [1] T. Cui, P. Marttinen, S. Kaski. "Learning Global Pairwise
       Interactions with Bayesian Neural Networks". ECAI 2020.
    .. [2] T. Zhang, F. Yin, Z.-Q. Luo. "Fast Generic Interaction Detection
       for Model Interpretability and Compression". ICLR 2022.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingRegressor
    >>> from sklearn_interact.inspection import pairwise_interactions
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(500, 3))
    >>> y = X[:, 0] * X[:, 1] + X[:, 2]
    >>> model = HistGradientBoostingRegressor(random_state=0).fit(X, y)
    >>> result = pairwise_interactions(model, X, random_state=0)
    >>> result.top_k_pairs[0]
    (0, 1)
    """
    X = check_interaction_input(X)
    rng = check_random_state(random_state)
    n, p = X.shape
    if uncertainty == "refit":
        if y is None:
            raise ValueError("uncertainty='refit' needs the training targets y.")
        if isinstance(estimator, FrozenEstimator):
            raise ValueError(
                "uncertainty='refit' refits clones of the estimator, but a "
                "FrozenEstimator cannot be refitted; use uncertainty='bootstrap'."
            )
    model_function = make_model_function(
        estimator,
        response_method=response_method,
        output_index=output_index,
        activation=activation,
        beta=beta,
        device=device,
        n_jobs=n_jobs,
    )
    method = _resolve_method(method, model_function)
    if aggregation == "auto":
        aggregation = "mean_squared" if search == "ucb" else "geh"
        if method in ("integrated", "expected"):
            aggregation = "eah"  # mean |Gamma_ij| over rows (Janizek et al.)
    if search == "ucb" and method in ("integrated", "expected"):
        raise ValueError(f"method={method!r} is not available with search='ucb'.")
    if search == "ucb" and aggregation not in ("eah", "mean_squared"):
        raise ValueError(
            "search='ucb' estimates a mean reward per pair; use "
            f"aggregation='mean_squared' or 'eah', not {aggregation!r}."
        )
    if search == "ucb" and uncertainty == "refit":
        raise ValueError("uncertainty='refit' is not available with search='ucb'.")
    scale = feature_scale(X)
    pairs = all_pairs(p)
    result = Bunch(
        method=method,
        aggregation=aggregation,
        n_groups=None,
        n_groups_curve=None,
        pairs=pairs,
        bandit=None,
    )
    if p < 2:
        return _finish(result, np.zeros(0), None, p, top_k, model_function)

    if search == "ucb":
        scores, ci = _ucb_scores(
            model_function,
            X,
            pairs,
            aggregation,
            step,
            scale,
            top_k,
            max_pulls,
            confidence_level,
            uncertainty,
            rng,
            result,
        )
        return _finish(result, scores, ci, p, top_k, model_function)

    X_eval = _evaluation_rows(X, max_samples, rng)
    local = local_pair_values(
        model_function, X_eval, method, step=step, scale=scale, random_state=rng
    )
    groups = None
    if aggregation == "geh":
        if n_groups == "auto":
            ms, dist = rank_weighted_distance(
                local, X_eval, max_groups=MAX_AUTO_GROUPS, random_state=rng
            )
            n_groups = choose_n_groups(ms, dist) if len(ms) else 1
            result.n_groups_curve = Bunch(n_groups=ms, distances=dist)
        result.n_groups = int(n_groups)
        groups = kmeans_groups(X_eval, n_groups, random_state=rng)
    scores = aggregate(local, aggregation, groups=groups)

    ci = None
    if uncertainty == "bootstrap":
        W = bootstrap_weights(X_eval.shape[0], n_resamples, random_state=rng)
        samples = aggregate(local, aggregation, groups=groups, weights=W)
        ci = percentile_interval(samples, confidence_level)
    elif uncertainty == "refit":
        params = {
            "method": method,
            "aggregation": aggregation,
            "n_groups": result.n_groups or 1,
            "step": step,
            "scale": scale,
            "response_method": response_method,
            "output_index": output_index,
            "activation": activation,
            "beta": beta,
            "device": device,
        }
        samples = refit_resamples(
            estimator,
            X,
            y,
            _RefitMeasure(X_eval, params),
            n_resamples=n_resamples,
            n_jobs=n_jobs,
            random_state=rng,
        )
        ci = percentile_interval(samples, confidence_level)
    return _finish(result, scores, ci, p, top_k, model_function)


class _RefitMeasure:
    """Pairwise scores of a refitted model on fixed evaluation rows."""

    def __init__(self, X_eval, params):
        self.X_eval = X_eval
        self.params = params

    def __call__(self, fitted):
        prm = self.params
        fn = make_model_function(
            fitted,
            response_method=prm["response_method"],
            output_index=prm["output_index"],
            activation=prm["activation"],
            beta=prm["beta"],
            device=prm["device"],
        )
        method = _resolve_method(prm["method"], fn)
        local = local_pair_values(
            fn, self.X_eval, method, step=prm["step"], scale=prm["scale"]
        )
        groups = None
        if prm["aggregation"] == "geh":
            groups = kmeans_groups(self.X_eval, prm["n_groups"], random_state=0)
        return aggregate(local, prm["aggregation"], groups=groups)


def _ucb_scores(
    model_function,
    X,
    pairs,
    aggregation,
    step,
    scale,
    top_k,
    max_pulls,
    confidence_level,
    uncertainty,
    rng,
    result,
):
    differences = _common_row_differences(model_function, X, pairs, step, scale, rng)

    def pull(arms, draws):
        values = differences(arms, draws)
        return values**2 if aggregation == "mean_squared" else np.abs(values)

    bandit = ucb_top_arms(pull, len(pairs), top_k, max_pulls=max_pulls)
    result.bandit = bandit
    scores = bandit.means
    ci = None
    if uncertainty is not None:
        ci = normal_interval(scores, bandit.std_error, confidence_level)
        ci = np.maximum(ci, 0.0)
    return scores, ci


def _common_row_differences(model_function, X, tuples, step, scale, rng):
    """Bandit pulls on common random rows: ``(arms, draws) -> differences``.

    The ``l``-th pull of every tuple uses the ``l``-th row of one random order
    of ``X``, so that tuples are compared on the same rows and a tuple pulled
    ``max_pulls`` times scores exactly as the exhaustive search on those rows.
    """
    row_order = rng.permutation(X.shape[0])

    def differences(arms, draws):
        rows = X[row_order[draws % len(row_order)]]
        return _fd_per_row(model_function, rows, tuples[arms], step, scale)

    return differences


def _fd_per_row(model_function, rows, tuples, step, scale):
    """Mixed differences of tuple ``t`` at row ``t`` (paired, not crossed)."""
    n, p = rows.shape
    order = tuples.shape[1]
    signs, coef = _sign_patterns(order)
    points = np.repeat(rows[:, None, :], signs.shape[0], axis=1)
    for level in range(order):
        idx = tuples[:, level]
        points[
            np.arange(n)[:, None], np.arange(signs.shape[0])[None], idx[:, None]
        ] += step * signs[None, :, level] * scale[idx][:, None]
    values = model_function(points.reshape(-1, p)).reshape(n, signs.shape[0])
    return values @ coef / (2.0 * step) ** order


def _finish(result, scores, ci, p, top_k, model_function):
    matrix = pairs_to_matrix(scores, p)
    result.interactions = matrix
    result.pair_scores = np.asarray(scores)
    if ci is not None:
        ci_matrix = np.zeros((p, p, 2))
        i, j = np.triu_indices(p, k=1)
        ci_matrix[i, j] = ci
        ci_matrix[j, i] = ci
        result.interaction_ci = ci_matrix
    else:
        result.interaction_ci = None
    result.top_k_pairs = top_pairs(matrix, top_k)
    result.n_model_evaluations = int(model_function.n_evaluations)
    return result


@validate_params(
    {
        "estimator": "no_validation",
        "X": ["array-like"],
        **_COMMON_CONSTRAINTS,
        "baseline": ["array-like", None],
        "n_steps": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_samples": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "tol": [Interval(numbers.Real, 0, None, closed="neither"), None],
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
    output_index=None,
    activation="auto",
    beta=10.0,
    device="cpu",
    n_jobs=None,
    random_state=None,
):
    """Per-row pairwise interaction values (local Hessians).

    Parameters
    ----------
    estimator : object
        A fitted model (see :func:`pairwise_interactions`).
    X : array-like of shape (n_samples, n_features)
        Rows to explain.
    method : {"auto", "hessian", "finite_difference", "integrated", \
            "expected"}, default="auto"
        Exact Hessians when the model is differentiable, else finite
        differences; with a ``baseline``, ``"auto"`` means ``"integrated"``.
        ``"integrated"``: Integrated Hessians (see
        :func:`integrated_hessians`); ``"expected"``: Expected Hessians with
        baselines drawn from ``baseline`` (background rows; ``X`` if None).
    step : float, default=0.8
        Finite-difference step on the standardized scale.
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
    response_method : str, default="auto"
    output_index : int, default=None
    activation : {"auto", "softplus", "gelu"} or None, default="auto"
    beta : float, default=10.0
    device : str, default="cpu"
    n_jobs : int, default=None
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``interaction_values``: ndarray (n_rows, n_features, n_features).
        For ``"hessian"`` / ``"finite_difference"``: symmetric per-row second
        derivatives with respect to the original features (the diagonal is
        zero for finite differences). For ``"integrated"`` / ``"expected"``:
        the path-integrated interactions in output units, main effects on the
        diagonal, with the completeness report of :func:`integrated_hessians`.
        ``rows``: indices of the explained rows; ``method``.

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
    X = check_interaction_input(X)
    rng = check_random_state(random_state)
    fn = make_model_function(
        estimator,
        response_method=response_method,
        output_index=output_index,
        activation=activation,
        beta=beta,
        device=device,
        n_jobs=n_jobs,
    )
    if method == "auto" and baseline is not None:
        method = "integrated"
    method = _resolve_method(method, fn)
    rows = np.arange(X.shape[0])
    if max_samples is not None and max_samples < X.shape[0]:
        rows = np.sort(rng.choice(X.shape[0], size=max_samples, replace=False))
    X_rows = X[rows]
    p = X.shape[1]
    if method in ("integrated", "expected"):
        from sklearn_interact.inspection._path import path_local_interactions

        return path_local_interactions(
            fn, X, rows, method, baseline, n_steps, n_samples, tol, rng
        )
    if method == "hessian":
        values = exact_hessians(fn, X_rows)
    else:
        pairs = all_pairs(p)
        scale = np.ones(p)
        values = pairs_to_matrix(
            finite_difference_mixed(fn, X_rows, pairs, step=step, scale=scale), p
        )
    return Bunch(interaction_values=values, rows=rows, method=method)


def interaction_table(estimator, *, feature_names=None, top_k=None):
    """A ranked, tidy table of the pairwise interactions of a fitted object.

    Parameters
    ----------
    estimator : object
        Anything with ``interactions_`` (and optionally ``interaction_ci_``,
        ``interaction_pvalues_``): :class:`InteractionSelector`, the neural
        estimators of this library, or a result of
        :func:`pairwise_interactions` (a Bunch with ``interactions``).
    feature_names : list of str, default=None
        Defaults to ``feature_names_in_`` or ``x0, x1, ...``.
    top_k : int, default=None
        Keep the ``top_k`` strongest pairs; all pairs if None.

    Returns
    -------
    table : pandas.DataFrame or dict of ndarray
        Columns ``feature_a``, ``feature_b``, ``i``, ``j``, ``strength``, and
        ``ci_lower`` / ``ci_upper`` / ``p_value`` when available, strongest
        first. A dict of columns when pandas is not installed.
    """

    def get(name):
        return (
            getattr(estimator, name + "_", None)
            if not isinstance(estimator, Bunch)
            else estimator.get(name)
        )

    matrix = get("interactions")
    if matrix is None:
        raise TypeError(
            f"{estimator.__class__.__name__} has no interactions_; fit it first."
        )
    p = matrix.shape[0]
    if feature_names is None:
        feature_names = getattr(estimator, "feature_names_in_", None)
    if feature_names is None:
        feature_names = [f"x{i}" for i in range(p)]
    feature_names = np.asarray(feature_names, dtype=object)
    pairs = top_pairs(matrix, p * (p - 1) // 2 if top_k is None else top_k)
    i = np.array([a for a, _ in pairs], dtype=int)
    j = np.array([b for _, b in pairs], dtype=int)
    table = {
        "feature_a": feature_names[i],
        "feature_b": feature_names[j],
        "i": i,
        "j": j,
        "strength": matrix[i, j],
    }
    ci = get("interaction_ci")
    if ci is not None:
        table["ci_lower"] = ci[i, j, 0]
        table["ci_upper"] = ci[i, j, 1]
    pvalues = get("interaction_pvalues")
    if pvalues is not None:
        table["p_value"] = pvalues[i, j]
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is optional
        return table
    return pd.DataFrame(table)
