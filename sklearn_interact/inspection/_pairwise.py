# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Global pairwise interactions: the five stages composed.

:func:`pairwise_interactions` builds the model function once (stage 1),
estimates local values at sampled rows (stage 2, or the bandit of stage 4
that pulls them pair by pair), aggregates them (stage 3) and adds intervals
(stage 5). It holds no kernel of its own.
"""

import numbers

import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from sklearn_interact.inspection._aggregation import (
    AGGREGATIONS,
    aggregate,
    kmeans_clusters,
    mean_over_outputs,
    row_clusters,
)
from sklearn_interact.inspection._local_estimate import local_pair_values
from sklearn_interact.inspection._model_function import (
    RESPONSE_METHODS,
    as_model_function,
)
from sklearn_interact.inspection._search import ucb_search
from sklearn_interact.inspection._uncertainty import (
    bootstrap_weights,
    normal_interval,
    percentile_interval,
    refit_resamples,
)
from sklearn_interact.inspection._validation import (
    DEFAULT_STEP,
    METHODS,
    all_pairs,
    check_interaction_input,
    feature_scale,
    pairs_to_matrix,
    resolve_method,
    sample_rows,
    top_pairs,
)

#: Aggregations whose score is a mean of per-row rewards (usable by the bandit).
_BANDIT_AGGREGATIONS = sorted(k for k, a in AGGREGATIONS.items() if a.row_reward)


#: Constraints of the measuring options of :func:`pairwise_interactions`;
#: :class:`~sklearn_interact.InteractionSelector` exposes the same options.
PAIRWISE_CONSTRAINTS = {
    "method": [StrOptions(set(METHODS))],
    "aggregation": [StrOptions({"auto", *AGGREGATIONS})],
    "n_clusters": [
        Interval(numbers.Integral, 1, None, closed="left"),
        StrOptions({"auto"}),
    ],
    "search": [StrOptions({"all", "ucb"})],
    "top_k": [Interval(numbers.Integral, 1, None, closed="left")],
    "step": [Interval(numbers.Real, 0, None, closed="neither")],
    "max_pulls": [Interval(numbers.Integral, 1, None, closed="left")],
    "max_samples": [Interval(numbers.Integral, 1, None, closed="left"), None],
    "uncertainty": [StrOptions({"bootstrap", "refit"}), None],
    "n_resamples": [Interval(numbers.Integral, 2, None, closed="left")],
    "confidence_level": [Interval(numbers.Real, 0, 1, closed="neither")],
    "response_method": [StrOptions(set(RESPONSE_METHODS))],
    "n_jobs": [numbers.Integral, None],
    "random_state": ["random_state"],
}


@validate_params(
    {
        "estimator": "no_validation",
        "X": ["array-like"],
        "y": ["array-like", None],
        **PAIRWISE_CONSTRAINTS,
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
    n_clusters="auto",
    search="all",
    top_k=10,
    step=DEFAULT_STEP,
    max_pulls=100,
    max_samples=1000,
    uncertainty="bootstrap",
    n_resamples=100,
    confidence_level=0.95,
    response_method="auto",
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
        ``torch.nn.Module`` or a :class:`~sklearn.frozen.FrozenEstimator`; or
        the result of :func:`make_model_function`, to explain it with other
        adapter options (ReLU replacement, class, device).
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
    n_clusters : int or "auto", default="auto"
        Number ``M`` of k-means clusters of the evaluation rows for ``"geh"``
        (the paper's "groups"); ``M = 1`` is AEH and ``M >= n_samples`` is
        EAH. ``"auto"`` picks ``M`` where the rank-weighted distance between
        M-GEH and (M-1)-GEH (Cui et al., Eq. 7) levels off.
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
    response_method : {"auto", "log_odds", "predict_proba", \
            "decision_function", "predict"}, default="auto"
        A regressor's prediction, or a classifier's log-odds (``"auto"``),
        probability or decision function, averaged over the classes of a
        multiclass one (see :func:`make_model_function`); ``scale`` names it.
        Ignored for a :func:`make_model_function` result (it has its own).
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
        - ``scale``: what the scores are derivatives of, e.g. ``"prediction"``
          or ``"log-odds of class 1"`` (see :func:`make_model_function`).
        - ``method``, ``aggregation``, ``n_clusters``.
        - ``n_clusters_curve``: Bunch ``(n_clusters, distances)`` when
          ``n_clusters="auto"``.
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
    p = X.shape[1]
    model_function = as_model_function(
        estimator, response_method=response_method, n_jobs=n_jobs
    )
    if uncertainty == "refit":
        if y is None:
            raise ValueError("uncertainty='refit' needs the training targets y.")
        if isinstance(model_function.estimator, FrozenEstimator):
            raise ValueError(
                "uncertainty='refit' refits clones of the estimator, but a "
                "FrozenEstimator cannot be refitted; use uncertainty='bootstrap'."
            )
    method = resolve_method(method, model_function)
    if aggregation == "auto":
        aggregation = "mean_squared" if search == "ucb" else "geh"
        if method in ("integrated", "expected"):
            aggregation = "eah"  # mean |Gamma_ij| over rows (Janizek et al.)
    if search == "ucb":
        if method in ("integrated", "expected"):
            raise ValueError(f"method={method!r} is not available with search='ucb'.")
        if AGGREGATIONS[aggregation].row_reward is None:
            raise ValueError(
                "search='ucb' estimates a mean reward per pair; use aggregation "
                f"in {_BANDIT_AGGREGATIONS}, not {aggregation!r}."
            )
        if uncertainty == "refit":
            raise ValueError("uncertainty='refit' is not available with search='ucb'.")
    scale = feature_scale(X)
    pairs = all_pairs(p)
    result = Bunch(
        scale=model_function.scale,
        method=method,
        aggregation=aggregation,
        n_clusters=None,
        n_clusters_curve=None,
        pairs=pairs,
        bandit=None,
    )
    start = model_function.n_evaluations
    if p < 2:
        scores, ci = np.zeros(0), None
    elif search == "ucb":
        bandit = ucb_search(
            model_function,
            X,
            pairs,
            AGGREGATIONS[aggregation].row_reward,
            top_k,
            max_pulls=max_pulls,
            step=step,
            scale=scale,
            random_state=rng,
        )
        result.bandit = bandit
        scores, ci = bandit.means, None
        if uncertainty is not None:
            ci = normal_interval(scores, bandit.std_error, confidence_level)
            ci = np.maximum(ci, 0.0)
    else:
        X_eval = X[sample_rows(X.shape[0], max_samples, rng)]
        local = local_pair_values(
            model_function, X_eval, method, step=step, scale=scale, random_state=rng
        )
        clusters = None
        if AGGREGATIONS[aggregation].needs_clusters:
            fitted = row_clusters(local, X_eval, n_clusters, random_state=rng)
            clusters = fitted.labels
            result.n_clusters = fitted.n_clusters
            result.n_clusters_curve = fitted.curve
        n_outputs = len(model_function.outputs)
        scores = aggregate(local, aggregation, clusters=clusters)
        scores = mean_over_outputs(scores, n_outputs)
        ci = None
        if uncertainty == "bootstrap":
            W = bootstrap_weights(X_eval.shape[0], n_resamples, random_state=rng)
            samples = aggregate(local, aggregation, clusters=clusters, weights=W)
            samples = mean_over_outputs(samples, n_outputs)
            ci = percentile_interval(samples, confidence_level)
        elif uncertainty == "refit":
            measure = _RefitMeasure(
                model_function,
                X_eval,
                method,
                aggregation,
                result.n_clusters,
                step,
                scale,
            )
            samples = refit_resamples(
                model_function.estimator,
                X,
                y,
                measure,
                n_resamples=n_resamples,
                n_jobs=n_jobs,
                random_state=rng,
            )
            ci = percentile_interval(samples, confidence_level)
    result.interactions = pairs_to_matrix(scores, p)
    result.pair_scores = np.asarray(scores)
    result.interaction_ci = None if ci is None else _ci_matrix(ci, p)
    result.top_k_pairs = top_pairs(result.interactions, top_k)
    result.n_model_evaluations = int(model_function.n_evaluations - start)
    return result


class _RefitMeasure:
    """Pairwise scores of a refitted model on fixed evaluation rows."""

    def __init__(
        self, model_function, X_eval, method, aggregation, n_clusters, step, scale
    ):
        self.model_function = model_function
        self.X_eval = X_eval
        self.method = method
        self.aggregation = aggregation
        self.n_clusters = n_clusters or 1
        self.step = step
        self.scale = scale

    def __call__(self, fitted):
        function = self.model_function.for_estimator(fitted)
        local = local_pair_values(
            function, self.X_eval, self.method, step=self.step, scale=self.scale
        )
        clusters = None
        if AGGREGATIONS[self.aggregation].needs_clusters:
            clusters = kmeans_clusters(self.X_eval, self.n_clusters, random_state=0)
        scores = aggregate(local, self.aggregation, clusters=clusters)
        return mean_over_outputs(scores, len(function.outputs))


def _ci_matrix(ci, p):
    """Per-pair intervals ``(n_pairs, 2)`` as a symmetric ``(p, p, 2)`` array."""
    return np.moveaxis(pairs_to_matrix(np.moveaxis(ci, -1, 0), p), 0, -1)
