# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 3 of the flow: local estimates become global interaction scores.

Every aggregation takes local values ``L`` of shape ``(n_samples, n_terms)``
(one column per pair or tuple) and optional row weights ``W`` of shape
``(n_weightings, n_samples)``. A single unweighted estimate uses one row of ones;
bootstrap resamples use multinomial counts, so that one matrix product gives all
resampled estimates at once.

* ``"eah"``: expected absolute Hessian, ``E|H|`` (Cui et al.; M = N groups).
* ``"aeh"``: absolute expected Hessian, ``|E H|`` (M = 1 group).
* ``"geh"``: M-group expected Hessian, ``sum_m |A_m|/N * |mean_{A_m} H|`` with
  k-means groups on the inputs (Cui et al., Eq. 6).
* ``"mean_squared"``: ``E[H^2]``, the score of ParaACE and Friedman's H.
"""

import numpy as np
from sklearn.cluster import KMeans
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

AGGREGATIONS = ("eah", "aeh", "geh", "mean_squared")


def _as_weights(weights, n):
    if weights is None:
        return np.ones((1, n))
    weights = np.asarray(weights, dtype=np.float64)
    return weights[None] if weights.ndim == 1 else weights


def kmeans_groups(X, n_groups, *, random_state=None, n_init=3):
    """Group rows by k-means on standardized inputs.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_groups : int
        Number of groups ``M``. ``M >= n_samples`` puts every row in its own
        group; ``M = 1`` puts all rows in one.
    random_state : int, RandomState instance or None
    n_init : int, default=3
        k-means restarts.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
    """
    n = X.shape[0]
    if n_groups >= n:
        return np.arange(n)
    if n_groups <= 1:
        return np.zeros(n, dtype=np.intp)
    std = X.std(axis=0)
    std[std == 0] = 1.0
    Z = (X - X.mean(axis=0)) / std
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    km = KMeans(n_clusters=n_groups, n_init=n_init, random_state=seed)
    # One thread: the problem is small, and OpenMP threads spinning against
    # torch's or joblib's workers are far slower than a single thread.
    with threadpool_limits(limits=1):
        return km.fit_predict(Z)


def aggregate(local, kind, *, groups=None, weights=None):
    """Aggregate local values into global scores.

    Parameters
    ----------
    local : ndarray of shape (n_samples, n_terms)
        Local derivative estimates, one column per pair or tuple.
    kind : {"eah", "aeh", "geh", "mean_squared"}
        The aggregation.
    groups : ndarray of shape (n_samples,), default=None
        Group labels for ``"geh"``.
    weights : ndarray of shape (n_samples,) or (n_weightings, n_samples)
        Row weights (e.g. bootstrap counts).

    Returns
    -------
    scores : ndarray of shape (n_terms,) or (n_weightings, n_terms)
        One row per weighting when ``weights`` is 2-D.
    """
    local = np.asarray(local, dtype=np.float64)
    n = local.shape[0]
    W = _as_weights(weights, n)
    total = W.sum(axis=1, keepdims=True)
    if kind == "eah":
        out = W @ np.abs(local) / total
    elif kind == "aeh":
        out = np.abs(W @ local) / total
    elif kind == "mean_squared":
        out = W @ local**2 / total
    elif kind == "geh":
        if groups is None:
            raise ValueError("aggregation='geh' needs group labels.")
        groups = np.asarray(groups)
        out = np.zeros((W.shape[0], local.shape[1]))
        for label in np.unique(groups):
            mask = groups == label
            # (|A_m| / N) * |mean over A_m| equals |sum over A_m| / N.
            out += np.abs(W[:, mask] @ local[mask]) / total
    else:
        raise ValueError(f"Unknown aggregation {kind!r}; use one of {AGGREGATIONS}.")
    return out[0] if np.ndim(weights) < 2 else out


def rank_weighted_distance(local, X, *, max_groups=30, random_state=None):
    """Rank-weighted distance between M-GEH and (M-1)-GEH (Cui et al., Eq. 7).

    For each ``M`` the M-GEH scores ``w_M`` are normalised to sum to one and
    ranked (``pi_M``); the distance is

    .. math:: \\Delta^2_M = \\sum_{pairs} (w_M - w_{M-1})^2 (\\pi_M - \\pi_{M-1})^2.

    Parameters
    ----------
    local : ndarray of shape (n_samples, n_terms)
    X : ndarray of shape (n_samples, n_features)
        Inputs on which the groups are formed.
    max_groups : int, default=30
        Largest ``M`` examined, capped at ``n_samples // 10`` so that groups
        keep about ten rows or more on average.
    random_state : int, RandomState instance or None

    Returns
    -------
    n_groups : ndarray of shape (n_values,)
        The values ``M = 2, ..., max_groups``.
    distances : ndarray of shape (n_values,)
        ``Delta^2_M`` for each ``M``.
    """
    rng = check_random_state(random_state)
    max_groups = int(min(max_groups, local.shape[0] // 10))
    previous = _normalised_ranked(aggregate(local, "aeh"))
    ms, distances = [], []
    for m in range(2, max_groups + 1):
        groups = kmeans_groups(X, m, random_state=rng, n_init=1)
        current = _normalised_ranked(aggregate(local, "geh", groups=groups))
        distances.append(
            np.sum((current[0] - previous[0]) ** 2 * (current[1] - previous[1]) ** 2)
        )
        ms.append(m)
        previous = current
    return np.asarray(ms), np.asarray(distances)


def _normalised_ranked(scores):
    total = scores.sum()
    w = scores / total if total > 0 else np.zeros_like(scores)
    ranks = np.argsort(np.argsort(w, kind="stable"), kind="stable").astype(float)
    return w, ranks


def choose_n_groups(n_groups, distances, *, tol=0.2, window=5):
    """Pick ``M`` where the rank-weighted distance curve has flattened.

    The paper chooses ``M`` by eye where the curve of ``Delta^2_M`` levels
    off. The rule used here makes that reproducible: smooth the curve with a
    running median over ``window`` consecutive values of ``M`` (k-means
    restarts and near-tied weak pairs make single values noisy), then take the
    smallest ``M`` from which the smoothed curve stays at or below ``tol``
    times its maximum.

    Parameters
    ----------
    n_groups : ndarray of shape (n_values,)
        Candidate ``M`` values, increasing.
    distances : ndarray of shape (n_values,)
        ``Delta^2_M`` for each candidate.
    tol : float, default=0.2
        Fraction of the peak below which the curve counts as flat.
    window : int, default=5
        Width of the running median.

    Returns
    -------
    n_groups : int
    """
    n_groups = np.asarray(n_groups)
    distances = np.asarray(distances, dtype=float)
    if distances.size == 0:
        return 1
    half = window // 2
    padded = np.pad(distances, half, mode="edge")
    smooth = np.array(
        [np.median(padded[k : k + window]) for k in range(distances.size)]
    )
    if smooth.max() <= 0:
        return int(n_groups[0])
    above = np.flatnonzero(smooth > tol * smooth.max())
    position = above[-1] + 1 if above.size else 0
    position = min(position, len(n_groups) - 1)
    return int(n_groups[position])
