# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""A score of measured interactions themselves: their stability across rows.

Parameters such as the number ``M`` of row clusters of M-GEH change only the
measured interactions, not the predictions, so a prediction score cannot
choose them (every candidate of a grid search scored the same). This score
asks instead whether the interactions a fitted model shows on one half of
the held-out rows are those it shows on the other half.
"""

import numbers

import numpy as np
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from sklearn_interact.inspection._aggregation import (
    AGGREGATIONS,
    _normalised_ranked,
    aggregate_terms,
    kmeans_clusters,
    mean_over_outputs,
    row_clusters,
)
from sklearn_interact.inspection._bayesian import bayesian_group_expected_hessian
from sklearn_interact.inspection._features import (
    tabular_input,
    warn_constant_columns,
)
from sklearn_interact.inspection._local_estimate import local_pair_components
from sklearn_interact.inspection._model_checks import check_model_input
from sklearn_interact.inspection._model_function import as_model_function
from sklearn_interact.inspection._validation import DEFAULT_STEP, resolve_method


def rank_weighted_distance_between(first, second):
    """Rank-weighted distance between two sets of pair scores (Cui et al. Eq. 7).

    Both are normalised to sum to one (``w``) and ranked (``pi``);
    ``sum (w_1 - w_2)^2 (pi_1 - pi_2)^2``: 0 when the two rank the pairs
    alike, large when strong pairs change places.
    """
    w1, r1 = _normalised_ranked(np.asarray(first, dtype=np.float64))
    w2, r2 = _normalised_ranked(np.asarray(second, dtype=np.float64))
    return float(np.sum((w1 - w2) ** 2 * (r1 - r2) ** 2))


def local_interaction_values(estimator, X):
    """The per-row pair values an estimator aggregates, and how it aggregates.

    Estimators that measure interactions their own way (this library's)
    provide ``__sklearn_interact_local__(X)``; any other fitted model gets
    the defaults of :func:`~sklearn_interact.inspection.pairwise_interactions`
    (exact Hessians or finite differences, M-GEH with ``M`` chosen by
    ``"auto"``).

    Returns
    -------
    local : Bunch
        ``local`` (ndarray of shape (n_draws, n_rows, n_pairs): one draw
        unless the model is Bayesian), ``rows`` (the inputs the rows are
        clustered on), ``aggregation`` and ``n_clusters``; for a measured
        model also ``components`` (the signed level components of its
        categorical pairs, aggregated as ``pairwise_interactions`` does) and
        ``n_outputs`` (the classes of a multiclass summary, whose scores are
        averaged).
    """
    hook = getattr(estimator, "__sklearn_interact_local__", None)
    if hook is not None:
        return hook(X)
    data = tabular_input(X)
    warn_constant_columns(data)
    function = as_model_function(estimator)
    check_model_input(function, data.codes)
    function = function.for_data(data)
    method = resolve_method("auto", function)
    rows = np.arange(data.shape[0])
    components = local_pair_components(function, data, rows, method, step=DEFAULT_STEP)
    return Bunch(
        local=components.row_values()[None],
        components=components,
        n_outputs=len(function.outputs),
        rows=data.cluster_features(rows),
        aggregation="geh",
        n_clusters="auto",
    )


def _scores(local, values, kind, rows, labels):
    """Pair scores of ``rows`` (the mean over posterior draws). Signed level
    components, where the model's values come with them, are aggregated as
    :func:`~sklearn_interact.inspection.pairwise_interactions` does: each
    component averaged within a cluster before the root mean square."""
    components = local.get("components")
    if components is None:
        return bayesian_group_expected_hessian(
            values[:, rows], kind, clusters=labels
        ).mean(axis=0)
    scores = aggregate_terms(components.take_rows(rows), kind, clusters=labels)
    return mean_over_outputs(scores, local.n_outputs)


@validate_params(
    {
        "estimator": "no_validation",
        "X": ["array-like"],
        "y": ["array-like", None],
        "n_splits": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def interaction_stability_score(estimator, X, y=None, *, n_splits=20, random_state=0):
    """Stability of a fitted model's interaction ranking across halves of X.

    The model's local interaction values are computed once at the rows of
    ``X`` (posterior draws for
    :class:`~sklearn_interact.neural.BayesianMLPRegressor`), the rows are
    grouped into the model's ``M`` clusters once (its ``n_clusters``), and
    then, ``n_splits`` times, the rows are split at random into two halves
    whose pair scores (the model's aggregation, M-GEH by default) are
    compared by the rank-weighted distance of the Group Expected Hessian (Cui
    et al., Eq. 7). The score is minus the mean distance: 0 when every pair
    of halves ranks the pairs alike, lower when strong pairs change places.
    This is the bootstrap of the library's intervals (rows resampled within
    fixed clusters) asked whether the ranking holds up.

    Its signature is that of a scorer, so it is passed as is to
    :class:`~sklearn.model_selection.GridSearchCV` (``scoring=``) to choose
    parameters that change only the measured interactions, such as the
    number ``M`` of row clusters (``n_clusters``), which a prediction score
    cannot tell apart: each candidate is scored on its held-out fold. Too
    small an ``M`` lets interactions of opposite signs in different regions
    cancel into noise that ranks differently from half to half; too large an
    ``M`` leaves clusters of a few rows whose means change with the rows.
    Between the two the score levels off, as Cui et al.'s curve of
    ``Delta^2_M`` does; the search picks an ``M`` on that plateau.

    Parameters
    ----------
    estimator : object
        A fitted model: :class:`~sklearn_interact.InteractionSelector`,
        :class:`~sklearn_interact.neural.BayesianMLPRegressor` (each measured
        with its own settings), or any model
        :func:`~sklearn_interact.inspection.pairwise_interactions` measures
        (at its defaults).
    X : array-like of shape (n_samples, n_features)
        Rows to measure on (the held-out fold in a search), at least 4.
    y : array-like, default=None
        Ignored; present for the scorer signature.
    n_splits : int, default=20
        Random splits into halves; the score is the mean over them.
    random_state : int, RandomState instance or None, default=0
        Controls the clusters and the splits.

    Returns
    -------
    score : float
        Minus the mean rank-weighted distance between the halves (at most 0;
        larger is more stable).

    References
    ----------
    .. [1] T. Cui, P. Marttinen, S. Kaski. "Learning Global Pairwise
       Interactions with Bayesian Neural Networks". ECAI 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingRegressor
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_interact import InteractionSelector
    >>> from sklearn_interact.metrics import interaction_stability_score
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(600, 4))
    >>> X[:, 3] = np.sign(X[:, 3])  # two regions, where x0 x1 flips sign
    >>> y = X[:, 0] * X[:, 1] * X[:, 3] + 0.4 * X[:, 1] * X[:, 2]
    >>> selector = InteractionSelector(
    ...     HistGradientBoostingRegressor(max_iter=50, random_state=0),
    ...     uncertainty=None, random_state=0)
    >>> search = GridSearchCV(selector, {"n_clusters": [1, 4]}, cv=3,
    ...                       scoring=interaction_stability_score).fit(X, y)
    >>> search.best_params_
    {'n_clusters': 4}
    """
    local = local_interaction_values(estimator, X)
    values = np.asarray(local.local, dtype=np.float64)
    n = values.shape[1]
    if n < 4:
        raise ValueError(
            f"interaction_stability_score needs at least 4 rows of X (two "
            f"halves of 2); got {n}."
        )
    rng = check_random_state(random_state)
    kind = local.aggregation
    labels = None
    if AGGREGATIONS[kind].needs_clusters:
        if local.n_clusters == "auto":
            labels = row_clusters(
                values.mean(axis=0), local.rows, "auto", random_state=rng
            ).labels
        else:
            labels = kmeans_clusters(local.rows, local.n_clusters, random_state=rng)
    distances = []
    for _ in range(n_splits):
        order = rng.permutation(n)
        halves = [np.sort(order[: n // 2]), np.sort(order[n // 2 :])]
        first, second = (
            _scores(local, values, kind, h, None if labels is None else labels[h])
            for h in halves
        )
        distances.append(rank_weighted_distance_between(first, second))
    return -float(np.mean(distances))
