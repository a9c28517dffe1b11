# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Global pairwise interactions: the five stages composed.

:func:`pairwise_interactions` builds the model function once (stage 1),
estimates local values at sampled rows (stage 2, or the bandit of stage 4
that pulls them pair by pair), aggregates them (stage 3) and adds intervals
(stage 5). It holds no kernel of its own.
"""

import numbers
import warnings

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.frozen import FrozenEstimator
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import check_consistent_length

from sklearn_interact.inspection._aggregation import (
    AGGREGATIONS,
    ScoreAccumulator,
    aggregate_terms,
    mean_over_outputs,
    row_clusters,
)
from sklearn_interact.inspection._differences import FeatureGrid
from sklearn_interact.inspection._features import (
    tabular_input,
    warn_constant_columns,
)
from sklearn_interact.inspection._local_estimate import (
    local_pair_components,
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
)
from sklearn_interact.inspection._search import screen_features, ucb_search
from sklearn_interact.inspection._uncertainty import (
    bootstrap_seed,
    bootstrap_weights,
    normal_interval,
    percentile_interval,
    poisson_weights,
    refit_resamples,
)
from sklearn_interact.inspection._validation import (
    DEFAULT_STEP,
    METHODS,
    all_pairs,
    resolve_method,
    sample_rows,
)
from sklearn_interact.utils._progress import Progress, progress_message
from sklearn_interact.utils._warnings import user_stacklevel

#: Rows on which every path checks that every feature moves the model.
_BANDIT_CHECK_ROWS = 100
#: search="auto" scores every pair up to this many features (exact models) ...
_AUTO_ALL_EXACT = 200
#: ... and up to this many for black boxes; beyond, it screens features.
_AUTO_ALL_BLACK_BOX = 30
#: The screen keeps at least this many features (and 3 * top_k).
_MIN_SCREENED = 40
#: The screen of a black box looks at most at this many evaluation rows (two
#: model calls per feature and row; on the 100-feature benchmark 500 rows kept
#: every planted feature, as 1,000 did, in 55% of the time).
_SCREEN_ROWS_BLACK_BOX = 500
#: Interaction matrices are dense up to this many features, sparse beyond.
DENSE_LIMIT = 2000
#: Local values held at once when rows stream (float64 entries: 16 MiB).
_STREAM_ELEMENTS = 2**21
#: Streamed M-GEH fits its row clusters on at most this many rows ...
_CLUSTER_ROWS = 10_000
#: ... and on fewer when their local values would exceed this (128 MiB).
_CLUSTER_ELEMENTS = 2**24

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
    "search": [StrOptions({"auto", "all", "ucb", "screen"})],
    "top_k": [Interval(numbers.Integral, 1, None, closed="left")],
    "step": [Interval(numbers.Real, 0, None, closed="neither")],
    "max_pulls": [Interval(numbers.Integral, 1, None, closed="left")],
    "max_samples": [Interval(numbers.Integral, 1, None, closed="left"), None],
    "uncertainty": [StrOptions({"bootstrap", "refit"}), None],
    "n_resamples": [Interval(numbers.Integral, 2, None, closed="left")],
    "confidence_level": [Interval(numbers.Real, 0, 1, closed="neither")],
    "response_method": [StrOptions(set(RESPONSE_METHODS))],
    "feature_types": [list, tuple, dict, None],
    "n_jobs": [numbers.Integral, None],
    "verbose": ["verbose"],
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
    search="auto",
    top_k=10,
    step=DEFAULT_STEP,
    max_pulls=100,
    max_samples=1000,
    uncertainty="bootstrap",
    n_resamples=100,
    confidence_level=0.95,
    response_method="auto",
    feature_types=None,
    n_jobs=None,
    verbose=0,
    random_state=None,
):
    """Global pairwise interaction strengths of a fitted model, with intervals.

    The model becomes a function (exact for torch modules, skorch nets,
    scikit-learn MLPs and this library's estimators; a black box otherwise),
    local interactions are estimated at sampled rows, aggregated into one
    score per pair, and given a confidence interval.

    ``X`` is what the model accepts: a numeric array, or a DataFrame with
    numeric, categorical (pandas ``category``, strings) and missing values
    for a model or Pipeline that handles them. Each column is measured by its
    type (``feature_types``, inferred from the data):

    - *continuous*: mixed central differences with steps of ``step`` standard
      deviations (far-out values clipped), kept inside the observed range
      (exact Hessians for pairs of continuous columns of a differentiable
      model);
    - *discrete* (integers with few values): differences between neighbouring
      observed levels; *binary*: the difference between its two levels;
    - *categorical*: the model at every level, centred on the levels'
      frequency-weighted mean; a row's value is the weighted standard
      deviation across levels (one score per column, not per dummy), and
      AEH / M-GEH average the signed level components before taking it.

    Scores are per unit of each column's scale (the standard deviation of a
    numeric column, its far-out values, beyond 3 IQR from the quartiles,
    clipped; the standard deviation of a binary one;
    ``sqrt((1 - sum pi^2) / 2)`` of a categorical one), so that columns in
    different units and of different types compare. A pair is
    measured on the rows where both its columns are observed. A constant
    column has zero interactions (with a warning), and so has a column whose
    perturbation never changes the model's output (with a warning that names
    it).

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
    X : array-like or DataFrame of shape (n_samples, n_features)
        Rows at which interactions are evaluated (typically held-out data), in
        the model's input format. A DataFrame must have the columns the model
        was fitted on, in the same order.
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
    search : {"auto", "all", "ucb", "screen"}, default="auto"
        ``"all"`` scores every pair at every evaluation row; ``"ucb"`` runs the
        UCB best-k-arm bandit (ParaACE Algorithm 1), which spends its
        evaluations on the pairs that may be among the ``top_k`` strongest;
        ``"screen"`` (wide data) first keeps the ``max(40, 3 * top_k)``
        features whose effect varies most with the other features (a pass
        linear in the number of features, on at most 500 of the evaluation
        rows for a black box, see ``result.screen``) and scores
        only the pairs among them: by exact Hessians of the kept features for
        a differentiable model, by the bandit for a black box. Pairs left out
        by the screen are not measured and score 0 (with a warning that names
        the features left out). ``"auto"`` scores every pair up to 200
        features for a differentiable model and 30 for a black box, and
        screens beyond.
    top_k : int, default=10
        Number of pairs in ``top_k_pairs`` (and wanted by the bandit).
    step : float, default=0.8
        Finite-difference step on the standardized scale.
    max_pulls : int, default=100
        Bandit cap on the pulls of one pair.
    max_samples : int or None, default=1000
        Evaluation rows drawn from ``X`` (all rows if None or fewer). Rows
        stream through the local estimates, the aggregation and the bootstrap
        in chunks, so that memory does not grow with their number (M-GEH
        beyond 10,000 rows fits its clusters on a random subsample of 10,000
        and assigns the others to the nearest centre).
    uncertainty : {"bootstrap", "refit"} or None, default="bootstrap"
        ``"bootstrap"``: percentile intervals from resampling the evaluation
        rows (the *model's* interaction: they describe this fitted model,
        not what another fit on new data would find; a Poisson bootstrap:
        each row enters each resample Poisson(1) times, drawn per block of
        rows so that chunking does not matter); ``"refit"`` (the *data's*
        interaction): percentile intervals over refits on bootstrap
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
    feature_types : list or dict, default=None
        Type of each column, ``"continuous"``, ``"discrete"``, ``"binary"`` or
        ``"categorical"``: a list with one entry per column (None entries are
        inferred) or a dict from column name or index to type. None infers
        them: pandas category / string / object columns are categorical, a
        column with two values binary, integers with at most 10 values
        discrete, anything else continuous.
    n_jobs : int, default=None
        Parallel jobs for chunked evaluation and refits (joblib).
    verbose : int, default=0
        Progress on stderr: the stages, and a progress bar of long work
        (chunks of rows, bandit selections, refits). Quiet when 0.
    random_state : int, RandomState instance or None, default=None
        Controls row sampling, k-means, the bandit, and resampling.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``interactions``: ndarray (n_features, n_features), symmetric, zero
          diagonal, larger is stronger (a ``scipy.sparse`` CSR matrix holding
          only the scored pairs beyond 2,000 features).
        - ``interaction_ci``: ndarray (n_features, n_features, 2) or None.
        - ``estimand``: whose interaction ``interaction_ci`` describes:
          ``"model"`` (``"bootstrap"``: the fitted model's, on resampled
          evaluation rows; the bandit's intervals), ``"data"`` (``"refit"``:
          what refits of the model class on new data would measure) or None.
        - ``top_k_pairs``: list of ``(i, j)``, strongest first.
        - ``pairs``, ``pair_scores``: every pair and its score.
        - ``scale``: what the scores are derivatives of, e.g. ``"prediction"``
          or ``"log-odds of class 1"`` (see :func:`make_model_function`).
        - ``method``, ``aggregation``, ``n_clusters``, ``feature_types`` (the
          type of each column) and ``feature_names`` (DataFrame columns).
        - ``n_clusters_curve``: Bunch ``(n_clusters, distances)`` when
          ``n_clusters="auto"``.
        - ``n_model_evaluations``: rows passed through the model to measure
          the interactions (an exact Hessian row counts once; the check that
          every feature moves the model is not counted).
        - ``bandit``: the bandit's state when it ran (its ``hit_cap`` and
          ``selected_at_cap`` say when pairs reached ``max_pulls`` and the
          cap, not the confidence bounds, decided between them: they are then
          ranked by their means, as the exhaustive search would; raise
          ``max_pulls`` for a confident choice); ``screen``: the kept
          ``features`` and every feature's screen ``scores`` when
          ``search="screen"``; ``search``: the search used.

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
    data = tabular_input(X, feature_types)
    rng = check_random_state(random_state)
    p = data.n_features
    model_function = as_model_function(
        estimator, response_method=response_method, n_jobs=n_jobs
    )
    check_model_input(model_function, data.codes)
    check_enough_rows(data.codes, "pairwise_interactions")
    warn_identical_columns(data.codes)
    if y is not None:
        check_consistent_length(X, y)
    if uncertainty == "refit":
        if y is None:
            raise ValueError("uncertainty='refit' needs the training targets y.")
        if isinstance(model_function.estimator, FrozenEstimator):
            raise ValueError(
                "uncertainty='refit' refits clones of the estimator, but a "
                "FrozenEstimator cannot be refitted; use uncertainty='bootstrap'."
            )
    fitted_function = model_function
    model_function = model_function.for_data(data)
    method = resolve_method(method, model_function)
    search = _resolve_search(search, model_function, p)
    bandit_path = search == "ucb" or (search == "screen" and method != "hessian")
    if aggregation == "auto":
        aggregation = "mean_squared" if bandit_path else "geh"
        if method in ("integrated", "expected"):
            aggregation = "eah"  # mean |Gamma_ij| over rows (Janizek et al.)
    if search in ("ucb", "screen") and method in ("integrated", "expected"):
        raise ValueError(f"method={method!r} is not available with search={search!r}.")
    if bandit_path:
        if AGGREGATIONS[aggregation].row_reward is None:
            raise ValueError(
                f"search={search!r} runs the bandit, which estimates a mean reward "
                f"per pair; use aggregation in {_BANDIT_AGGREGATIONS}, not "
                f"{aggregation!r}."
            )
        if uncertainty == "refit":
            raise ValueError(
                f"uncertainty='refit' is not available with search={search!r}."
            )
    warn_constant_columns(data)
    result = Bunch(
        # Whose interaction the intervals describe: this fitted model's
        # (resampled evaluation rows, the bandit's rewards) or the data's
        # (refits on resampled training data).
        estimand=None
        if uncertainty is None
        else ("data" if uncertainty == "refit" else "model"),
        scale=model_function.scale,
        method=method,
        aggregation=aggregation,
        search=search,
        n_clusters=None,
        n_clusters_curve=None,
        bandit=None,
        screen=None,
        feature_types=list(data.kinds),
        feature_names=data.feature_names,
        feature_levels=list(data.levels),
    )
    start = model_function.n_evaluations
    # The bandit draws its own rows (all of X, in a random order).
    rows = None if search == "ucb" else sample_rows(data.shape[0], max_samples, rng)
    pairs = all_pairs(p) if search != "screen" else None
    if p >= 2 and search == "screen":
        _progress(verbose, f"screening {p} features on {len(rows)} rows")
        n_keep = min(p, max(_MIN_SCREENED, 3 * top_k))
        screen_rows = rows
        if not model_function.exact and len(rows) > _SCREEN_ROWS_BLACK_BOX:
            # Two model calls per feature and row: evenly spaced rows of the
            # sample (no draw from the random state).
            spaced = np.linspace(0, len(rows) - 1, _SCREEN_ROWS_BLACK_BOX)
            screen_rows = rows[spaced.astype(np.intp)]
        result.screen = screen_features(
            model_function, data, screen_rows, n_keep=n_keep, step=step
        )
        kept = result.screen.features
        pairs = kept[all_pairs(len(kept))]
        _warn_screened_out(data, kept)
        _progress(verbose, f"kept {len(kept)} features: {len(pairs)} candidate pairs")
    result.pairs = pairs
    if p < 2:
        result.pairs = all_pairs(p)
        scores, ci = np.zeros(0), None
    elif bandit_path:
        warn_silent_features(
            model_function,
            data,
            np.arange(min(data.shape[0], _BANDIT_CHECK_ROWS)),
            step=step,
        )
        _progress(verbose, f"UCB bandit over {len(pairs)} pairs")
        bandit = ucb_search(
            model_function,
            data.codes,
            pairs,
            AGGREGATIONS[aggregation].row_reward,
            top_k,
            max_pulls=max_pulls,
            grid=FeatureGrid.from_data(data, step=step),
            random_state=rng,
            verbose=verbose,
        )
        result.bandit = bandit
        scores, ci = bandit.means, None
        if uncertainty is not None:
            ci = normal_interval(scores, bandit.std_error, confidence_level)
            ci = np.maximum(ci, 0.0)
    else:
        _progress(
            verbose, f"local {method} values of {len(pairs)} pairs at {len(rows)} rows"
        )
        streamed = stream_pair_scores(
            model_function,
            data,
            rows,
            method,
            aggregation,
            step=step,
            pairs=pairs,
            n_clusters=n_clusters,
            n_resamples=n_resamples if uncertainty == "bootstrap" else 0,
            random_state=rng,
            verbose=verbose,
        )
        warn_silent_features(model_function, data, rows[:_BANDIT_CHECK_ROWS], step=step)
        if streamed.clusters is not None:
            result.n_clusters = streamed.clusters.n_clusters
            result.n_clusters_curve = streamed.clusters.curve
        scores = streamed.scores
        ci = None
        if uncertainty == "bootstrap":
            ci = percentile_interval(streamed.samples, confidence_level)
        elif uncertainty == "refit":
            measure = _RefitMeasure(
                fitted_function,
                data,
                rows,
                method,
                aggregation,
                result.n_clusters,
                step,
                pairs,
            )
            samples = refit_resamples(
                fitted_function.estimator,
                X if hasattr(X, "iloc") else np.asarray(X),
                y,
                measure,
                n_resamples=n_resamples,
                n_jobs=n_jobs,
                verbose=verbose,
                random_state=rng,
            )
            ci = percentile_interval(samples, confidence_level)
    scores = np.asarray(scores, dtype=np.float64)
    warn_all_zero(scores, "pairwise_interactions")
    result.pair_scores = scores
    result.interactions = _pair_matrix(scores, result.pairs, p)
    result.interaction_ci = None
    if ci is not None and p <= DENSE_LIMIT:
        result.interaction_ci = np.stack(
            [
                _pair_matrix(ci[:, 0], result.pairs, p),
                _pair_matrix(ci[:, 1], result.pairs, p),
            ],
            axis=-1,
        )
    order = np.argsort(-scores, kind="stable")[: min(top_k, len(scores))]
    result.top_k_pairs = [tuple(int(v) for v in result.pairs[o]) for o in order]
    result.n_model_evaluations = int(model_function.n_evaluations - start)
    return result


def _warn_screened_out(data, kept):
    """Warn that the pairs of the features the screen left out were not
    measured: they score 0, which a reader would take for "no interaction"."""
    left_out = np.setdiff1d(np.arange(data.n_features), kept)
    if left_out.size == 0:
        return
    names = [data.name(j) for j in left_out]
    shown = ", ".join(map(str, names[:10])) + (", ..." if len(names) > 10 else "")
    warnings.warn(
        f"The feature screen kept {len(kept)} of {data.n_features} features; "
        f"the pairs of the other {len(names)} ({shown}) were not measured and "
        "score 0 with interval [0, 0]. The screen left them out because their "
        "effects vary least with the other features, so their interactions "
        "are probably weak, not known to be 0. Pass search='all' to measure "
        "every pair.",
        UserWarning,
        stacklevel=user_stacklevel(),
    )


def _resolve_search(search, model_function, p):
    """``"auto"``: every pair while that is cheap, else the screen.

    A differentiable model gets every pair from its exact Hessians up to
    ``_AUTO_ALL_EXACT`` features (one Hessian per row costs about ``p**2``);
    a black box up to ``_AUTO_ALL_BLACK_BOX`` (four model calls per pair and
    row). Beyond, the screen keeps the features most likely to interact and
    scores the pairs among them (exact Hessians of the kept features, or the
    UCB bandit for a black box).
    """
    if search != "auto":
        return search
    limit = _AUTO_ALL_EXACT if model_function.exact else _AUTO_ALL_BLACK_BOX
    return "all" if p <= limit else "screen"


def _pair_matrix(values, pairs, p):
    """Symmetric ``(p, p)`` matrix of per-pair values (sparse for very wide p)."""
    values = np.asarray(values, dtype=np.float64)
    if p <= DENSE_LIMIT:
        out = np.zeros((p, p))
        if len(pairs):
            out[pairs[:, 0], pairs[:, 1]] = values
            out[pairs[:, 1], pairs[:, 0]] = values
        return out
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return csr_matrix((np.concatenate([values, values]), (rows, cols)), shape=(p, p))


def _progress(verbose, message):
    progress_message(verbose, "pairwise_interactions", message)


def stream_rows(n_terms):
    """Evaluation rows per chunk: local values of about 2**21 floats (16 MiB)."""
    return int(np.clip(_STREAM_ELEMENTS // max(n_terms, 1), 256, 65536))


def cluster_fit_rows(n_terms):
    """Rows on which streamed M-GEH fits its clusters (and chooses ``M``)."""
    return int(min(_CLUSTER_ROWS, max(1000, _CLUSTER_ELEMENTS // max(n_terms, 1))))


def stream_pair_scores(
    model_function,
    data,
    rows,
    method,
    aggregation,
    *,
    step,
    pairs,
    n_clusters="auto",
    n_resamples=0,
    random_state=None,
    verbose=0,
    chunk_rows=None,
):
    """Aggregated pair scores (and bootstrap samples) over chunks of rows.

    Stages 2, 3 and 5 with memory independent of the number of rows: local
    values are computed for one chunk of ``chunk_rows`` rows at a time and
    added to running sums (:class:`ScoreAccumulator`), Poisson bootstrap
    weights are drawn per chunk from seeded streams
    (:func:`poisson_weights`), and the row clusters of M-GEH are fitted on at
    most :func:`cluster_fit_rows` rows (all rows when there are no more;
    otherwise a random subsample) and assigned chunk by chunk. Results do not
    depend on ``chunk_rows`` beyond floating-point summation order, except
    for Expected Hessians, whose baselines are drawn from each chunk's rows.

    Returns
    -------
    result : Bunch
        ``scores`` (n_pairs,), ``samples`` (n_resamples, n_pairs) or None,
        ``clusters`` (the Bunch of :func:`row_clusters`) or None.
    """
    rng = check_random_state(random_state)
    spec = AGGREGATIONS[aggregation]
    n_outputs = len(model_function.outputs)
    n = len(rows)
    n_terms = n_outputs * len(pairs)
    chunk_rows = chunk_rows or stream_rows(n_terms)
    if n <= chunk_rows:  # one chunk: every value in memory at once
        local = local_pair_components(
            model_function, data, rows, method, step=step, random_state=rng, pairs=pairs
        )
        clusters = labels = None
        if spec.needs_clusters:
            clusters = row_clusters(
                local.row_values(),
                data.cluster_features(rows),
                n_clusters,
                random_state=rng,
            )
            labels = clusters.labels
        scores = aggregate_terms(local, aggregation, clusters=labels)
        samples = None
        if n_resamples:
            W = bootstrap_weights(n, n_resamples, random_state=rng)
            samples = aggregate_terms(local, aggregation, clusters=labels, weights=W)
            samples = mean_over_outputs(samples, n_outputs)
        return Bunch(
            scores=mean_over_outputs(scores, n_outputs),
            samples=samples,
            clusters=clusters,
        )
    local_seed = rng
    if method == "expected" or n_outputs > 1:
        local_seed = int(rng.randint(np.iinfo(np.int32).max))
    options = dict(step=step, random_state=local_seed, pairs=pairs)
    clusters = stored = None
    if spec.needs_clusters:
        n_fit = cluster_fit_rows(n_terms)
        if n <= n_fit:
            fit_rows = rows
        else:
            fit_rows = np.sort(rng.choice(rows, size=n_fit, replace=False))
        fit_values = np.zeros((len(fit_rows), 0))
        if n_clusters == "auto" or n <= n_fit:
            _progress(verbose, f"row clusters from {len(fit_rows)} rows")
            local_fit = local_pair_components(
                model_function, data, fit_rows, method, **options
            )
            fit_values = local_fit.row_values()
            if n <= n_fit:  # the values of every row are already there
                stored = local_fit
        clusters = row_clusters(
            fit_values, data.cluster_features(fit_rows), n_clusters, random_state=rng
        )
    seed = bootstrap_seed(rng) if n_resamples else None
    total = ScoreAccumulator(aggregation)
    boot = ScoreAccumulator(aggregation) if n_resamples else None
    local = None
    starts = range(0, n, chunk_rows)
    progress = Progress(len(starts), "pairwise_interactions: rows", verbose)
    for start in starts:
        stop = min(start + chunk_rows, n)
        chunk = rows[start:stop]
        if stored is not None:
            local = stored.take_rows(slice(start, stop))
        else:
            local = local_pair_components(
                model_function, data, chunk, method, **options
            )
        values = local.aggregation_input(aggregation)
        labels = None
        if clusters is not None:
            if stored is not None:
                labels = clusters.labels[start:stop]
            else:
                labels = clusters.model.predict(data.cluster_features(chunk))
        total.add(values, clusters=labels)
        if boot is not None:
            W = poisson_weights(seed, n_resamples, start, stop)
            boot.add(values, weights=W, clusters=labels)
        progress.update()
    progress.close()
    # The components' scores become the pairs' (the same components in
    # every chunk: they depend on the pairs and the columns' levels only).
    scores = local.aggregation_output(aggregation, total.scores()[0])
    samples = None
    if boot is not None:
        samples = local.aggregation_output(aggregation, boot.scores())
        samples = mean_over_outputs(samples, n_outputs)
    return Bunch(
        scores=mean_over_outputs(scores, n_outputs),
        samples=samples,
        clusters=clusters,
    )


class _RefitMeasure:
    """Pairwise scores of a refitted model on fixed evaluation rows."""

    def __init__(
        self, model_function, data, rows, method, aggregation, n_clusters, step, pairs
    ):
        self.pairs = pairs
        self.model_function = model_function
        self.data = data
        self.rows = rows
        self.method = method
        self.aggregation = aggregation
        self.n_clusters = n_clusters or 1
        self.step = step

    def __call__(self, fitted):
        function = self.model_function.for_estimator(fitted).for_data(self.data)
        # The M of the original fit; a fresh RandomState(0) for the clusters
        # of every refit.
        return stream_pair_scores(
            function,
            self.data,
            self.rows,
            self.method,
            self.aggregation,
            step=self.step,
            pairs=self.pairs,
            n_clusters=self.n_clusters,
            random_state=np.random.RandomState(0),
        ).scores
