# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 3 of the flow: local estimates become global interaction scores.

Every aggregation takes local values ``L`` of shape ``(n_samples, n_terms)``
(one column per pair or tuple) and optional row weights ``W`` of shape
``(n_weightings, n_samples)``. A single unweighted estimate uses one row of ones;
bootstrap resamples use Poisson counts, so that one matrix product gives all
resampled estimates at once. Every aggregation is a ratio of weighted sums over
rows, so it streams: :class:`ScoreAccumulator` adds chunks of rows to running
sums, with memory independent of the number of rows.

The registry :data:`AGGREGATIONS` is the only list of aggregations: the public
functions and estimators take their allowed names from it, and the bandit uses
every entry that has a per-row reward. A new aggregation is one entry here.

* ``"eah"``: expected absolute Hessian, ``E|H|`` (Cui et al.; M = N clusters).
* ``"aeh"``: absolute expected Hessian, ``|E H|`` (M = 1 cluster).
* ``"geh"``: M-group expected Hessian, ``sum_m |A_m|/N * |mean_{A_m} H|`` with
  the rows split into ``M`` k-means clusters on the inputs (Cui et al., Eq. 6;
  the paper calls the clusters "groups").
* ``"mean_squared"``: ``E[H^2]``, the score of ParaACE and Friedman's H.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances_argmin
from sklearn.utils import Bunch, check_random_state
from threadpoolctl import threadpool_limits

#: Largest number of row clusters examined by ``n_clusters="auto"``.
MAX_AUTO_CLUSTERS = 30


class Aggregation(NamedTuple):
    """One way of turning local values into a global score.

    Every aggregation is a ratio of weighted sums over rows, so that it
    streams: chunks of rows add to running sums (:class:`ScoreAccumulator`)
    and memory does not grow with the number of rows. The score of a term is

    ``sum_groups g(sum_{rows r in group} w_r * row_value(L_r)) / sum_r w_r``

    over the rows where the term is observed, with ``g = abs`` when
    ``absolute`` (else the identity) and the groups the row clusters when
    ``needs_clusters`` (else one group of all rows). ``row_reward`` is the
    per-row value whose mean is the score (None when the score is not such a
    mean; only these aggregations can be estimated by the bandit).
    """

    row_value: Callable
    absolute: bool = False
    row_reward: Callable | None = None
    needs_clusters: bool = False


def _identity(local):
    return local


AGGREGATIONS = {
    "eah": Aggregation(np.abs, row_reward=np.abs),
    "aeh": Aggregation(_identity, absolute=True),
    "geh": Aggregation(_identity, absolute=True, needs_clusters=True),
    "mean_squared": Aggregation(np.square, row_reward=np.square),
}


def _check_kind(kind):
    if kind not in AGGREGATIONS:
        raise ValueError(
            f"Unknown aggregation {kind!r}; use one of {sorted(AGGREGATIONS)}."
        )
    return AGGREGATIONS[kind]


class ScoreAccumulator:
    """Running sums of an aggregation over chunks of rows.

    Memory is ``O(n_weightings * n_groups * n_terms)`` whatever the number of
    rows (``n_groups`` is the number of row clusters for ``"geh"``, else 1):
    local values are consumed chunk by chunk. The scores of all the rows
    added equal :func:`aggregate` of the stacked chunks (up to the order of
    floating-point sums).

    Parameters
    ----------
    kind : str
        A key of :data:`AGGREGATIONS`.
    """

    def __init__(self, kind):
        self.kind = kind
        self.spec = _check_kind(kind)
        self.total = None
        self.sums = {}

    def add(self, local, *, weights=None, clusters=None):
        """Add the local values of a chunk of rows.

        Parameters
        ----------
        local : ndarray of shape (n_rows, n_terms)
            NaN where a term is not observed.
        weights : ndarray of shape (n_weightings, n_rows), default=None
            Row weights (one row of ones when None).
        clusters : ndarray of shape (n_rows,), default=None
            Cluster labels of the rows (aggregations that need them).
        """
        spec = self.spec
        if spec.needs_clusters and clusters is None:
            raise ValueError(f"aggregation={self.kind!r} needs row-cluster labels.")
        local = np.asarray(local, dtype=np.float64)
        n = local.shape[0]
        W = np.ones((1, n)) if weights is None else np.asarray(weights, np.float64)
        observed = ~np.isnan(local)
        if observed.all():
            total = np.broadcast_to(W.sum(axis=1, keepdims=True), (W.shape[0], 1))
        else:
            local = np.where(observed, local, 0.0)
            total = W @ observed
        self.total = total if self.total is None else self.total + total
        value = spec.row_value(local)
        if not spec.needs_clusters:
            self._add_sum(0, W @ value)
            return self
        clusters = np.asarray(clusters)
        for label in np.unique(clusters):
            mask = clusters == label
            self._add_sum(label, W[:, mask] @ value[mask])
        return self

    def _add_sum(self, label, value):
        if label in self.sums:
            self.sums[label] = self.sums[label] + value
        else:
            self.sums[label] = value

    def scores(self):
        """Scores, shape ``(n_weightings, n_terms)``; 0 where undefined."""
        with np.errstate(invalid="ignore", divide="ignore"):
            out = None
            for label in sorted(self.sums):
                part = self.sums[label]
                part = np.abs(part) / self.total if self.spec.absolute else part
                if not self.spec.absolute:
                    part = part / self.total
                out = part if out is None else out + part
        return np.where(np.isfinite(out), out, 0.0)


def aggregate(local, kind, *, clusters=None, weights=None):
    """Aggregate local values into global scores.

    Parameters
    ----------
    local : ndarray of shape (n_samples, n_terms)
        Local derivative estimates, one column per pair or tuple.
    kind : str
        A key of :data:`AGGREGATIONS`.
    clusters : ndarray of shape (n_samples,), default=None
        Row-cluster labels, for aggregations that need them (``"geh"``).
    weights : ndarray of shape (n_samples,) or (n_weightings, n_samples)
        Row weights (e.g. bootstrap counts).

    Returns
    -------
    scores : ndarray of shape (n_terms,) or (n_weightings, n_terms)
        One row per weighting when ``weights`` is 2-D. Missing local values
        (NaN: a feature of the term is missing at that row) are left out: each
        term is aggregated over the rows where it is defined (0 when it is
        defined nowhere).
    """
    spec = _check_kind(kind)
    if spec.needs_clusters and clusters is None:
        raise ValueError(f"aggregation={kind!r} needs row-cluster labels.")
    W = None
    if weights is not None:
        W = np.asarray(weights, dtype=np.float64)
        W = W[None] if W.ndim == 1 else W
    out = ScoreAccumulator(kind).add(local, weights=W, clusters=clusters).scores()
    return out[0] if np.ndim(weights) < 2 else out


class TermComponents(NamedTuple):
    """Local values of terms, each as one or more signed components.

    A pair of numeric columns is one component, its signed local value; a
    pair with a categorical column one component per level (or pair of
    levels), centred over the levels, with the levels' frequencies as
    weights (see :func:`~sklearn_interact.inspection._differences.tuple_components`).
    """

    values: np.ndarray  # (n_samples, n_components)
    owner: np.ndarray  # (n_components,), sorted: the term of each component
    weights: np.ndarray  # (n_components,)
    n_terms: int

    @classmethod
    def of_values(cls, values):
        """One component per term."""
        n_terms = values.shape[1]
        return cls(values, np.arange(n_terms), np.ones(n_terms), n_terms)

    @classmethod
    def stack(cls, parts):
        """Terms of several parts side by side (e.g. the classes of a summary)."""
        offsets = np.cumsum([0] + [part.n_terms for part in parts])
        return cls(
            np.hstack([part.values for part in parts]),
            np.concatenate([part.owner + o for part, o in zip(parts, offsets)]),
            np.concatenate([part.weights for part in parts]),
            int(offsets[-1]),
        )

    def _starts(self):
        return np.searchsorted(self.owner, np.arange(self.n_terms))

    def _combine(self, squares):
        """Sum of weighted squares per term (NaN stays within its term)."""
        if squares.shape[-1] == 0:
            return np.zeros(squares.shape[:-1] + (self.n_terms,))
        return np.add.reduceat(squares * self.weights, self._starts(), axis=-1)

    def row_values(self):
        """One value per row and term: the signed value of a one-component
        term, the weighted root mean square of the components otherwise."""
        single = np.bincount(self.owner, minlength=self.n_terms) == 1
        single &= self.weights[self._starts()] == 1.0
        if single.all():
            return self.values
        out = np.sqrt(self._combine(self.values**2))
        out[:, single] = self.values[:, self._starts()[single]]
        return out

    def take_rows(self, index):
        """The same terms at a subset of rows."""
        return self._replace(values=self.values[index])

    def aggregation_input(self, kind):
        """What aggregation ``kind`` averages over rows: each term's row
        values for a mean of row values (``row_reward``: EAH, mean squared),
        the signed components for a magnitude of means (AEH, M-GEH)."""
        spec = AGGREGATIONS.get(kind)  # unknown kinds: aggregate() says so
        if spec is None or spec.row_reward is not None:
            return self.row_values()
        return self.values

    def aggregation_output(self, kind, scores):
        """Term scores from the scores of :meth:`aggregation_input`: the
        weighted root mean square of the components' scores."""
        spec = AGGREGATIONS.get(kind)
        if spec is None or spec.row_reward is not None:
            return scores
        return np.sqrt(self._combine(np.asarray(scores) ** 2))


def aggregate_terms(local, kind, *, clusters=None, weights=None):
    """Aggregate :class:`TermComponents` into global scores of their terms.

    An aggregation that is a mean of per-row values (``row_reward``: EAH,
    mean squared) takes each term's row values. One that averages signed
    values before taking their magnitude (AEH, M-GEH) averages every
    component, then takes the weighted root mean square of the components'
    scores: contrasts of a categorical column that change sign from row to
    row cancel, as the signed values of numeric pairs do.

    Parameters
    ----------
    local : TermComponents
    kind, clusters, weights
        As in :func:`aggregate`.

    Returns
    -------
    scores : ndarray of shape (n_terms,) or (n_weightings, n_terms)
    """
    scores = aggregate(
        local.aggregation_input(kind), kind, clusters=clusters, weights=weights
    )
    return local.aggregation_output(kind, scores)


def mean_over_outputs(scores, n_outputs):
    """The mean over outputs of scores laid out output after output.

    The global score of a summary over classes is the mean of the per-class
    scores: ``scores[..., k * n_terms + t]`` is term ``t`` of class ``k``.

    Parameters
    ----------
    scores : ndarray of shape (..., n_outputs * n_terms)
    n_outputs : int

    Returns
    -------
    mean : ndarray of shape (..., n_terms)
    """
    scores = np.asarray(scores)
    if n_outputs == 1:
        return scores
    return scores.reshape(*scores.shape[:-1], n_outputs, -1).mean(axis=-2)


class RowClusterModel:
    """Assigns new rows to the clusters fitted on others (nearest centre).

    Streaming M-GEH fits k-means on a subsample of the evaluation rows and
    assigns every chunk of rows with :meth:`predict`.
    """

    def __init__(self, mean, std, centers):
        self.mean, self.std, self.centers = mean, std, centers

    def predict(self, X):
        """Cluster labels of the rows of ``X``, shape ``(n_rows,)``."""
        X = np.asarray(X, dtype=np.float64)
        if self.centers is None:
            return np.zeros(X.shape[0], dtype=np.intp)
        Z = (X - self.mean) / self.std
        with threadpool_limits(limits=1):
            return pairwise_distances_argmin(Z, self.centers)


def kmeans_clusters(X, n_clusters, *, random_state=None, n_init=3, return_model=False):
    """Cluster rows by k-means on standardized inputs.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int
        Number of clusters ``M``. ``M >= n_samples`` puts every row in its
        own cluster; ``M = 1`` puts all rows in one.
    random_state : int, RandomState instance or None
    n_init : int, default=3
        k-means restarts.
    return_model : bool, default=False
        Also return a :class:`RowClusterModel` that assigns other rows.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
    model : RowClusterModel
        Only with ``return_model=True``.
    """
    n = X.shape[0]
    std = X.std(axis=0)
    std[std == 0] = 1.0
    mean = X.mean(axis=0)
    if n_clusters >= n:
        labels = np.arange(n)
        model = RowClusterModel(mean, std, (X - mean) / std)
    elif n_clusters <= 1:
        labels = np.zeros(n, dtype=np.intp)
        model = RowClusterModel(mean, std, None)
    else:
        Z = (X - mean) / std
        seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
        km = KMeans(n_clusters=n_clusters, n_init=n_init, random_state=seed)
        # One thread: the problem is small, and OpenMP threads spinning against
        # torch's or joblib's workers are far slower than a single thread.
        with threadpool_limits(limits=1):
            labels = km.fit_predict(Z)
        model = RowClusterModel(mean, std, km.cluster_centers_)
    return (labels, model) if return_model else labels


def rank_weighted_distance(local, X, *, max_clusters=30, random_state=None):
    """Rank-weighted distance between M-GEH and (M-1)-GEH (Cui et al., Eq. 7).

    For each ``M`` the M-GEH scores ``w_M`` are normalised to sum to one and
    ranked (``pi_M``); the distance is

    .. math:: \\Delta^2_M = \\sum_{pairs} (w_M - w_{M-1})^2 (\\pi_M - \\pi_{M-1})^2.

    Parameters
    ----------
    local : ndarray of shape (n_samples, n_terms)
    X : ndarray of shape (n_samples, n_features)
        Inputs on which the clusters are formed.
    max_clusters : int, default=30
        Largest ``M`` examined, capped at ``n_samples // 10`` so that clusters
        keep about ten rows or more on average.
    random_state : int, RandomState instance or None

    Returns
    -------
    n_clusters : ndarray of shape (n_values,)
        The values ``M = 2, ..., max_clusters``.
    distances : ndarray of shape (n_values,)
        ``Delta^2_M`` for each ``M``.
    """
    rng = check_random_state(random_state)
    max_clusters = int(min(max_clusters, local.shape[0] // 10))
    previous = _normalised_ranked(aggregate(local, "aeh"))
    ms, distances = [], []
    for m in range(2, max_clusters + 1):
        labels = kmeans_clusters(X, m, random_state=rng, n_init=1)
        current = _normalised_ranked(aggregate(local, "geh", clusters=labels))
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


def choose_n_clusters(n_clusters, distances, *, tol=0.2, window=5):
    """Pick ``M`` where the rank-weighted distance curve has flattened.

    The paper chooses ``M`` by eye where the curve of ``Delta^2_M`` levels
    off. The rule used here makes that reproducible: smooth the curve with a
    running median over ``window`` consecutive values of ``M`` (k-means
    restarts and near-tied weak pairs make single values noisy), then take the
    smallest ``M`` from which the smoothed curve stays at or below ``tol``
    times its maximum.

    Parameters
    ----------
    n_clusters : ndarray of shape (n_values,)
        Candidate ``M`` values, increasing.
    distances : ndarray of shape (n_values,)
        ``Delta^2_M`` for each candidate.
    tol : float, default=0.2
        Fraction of the peak below which the curve counts as flat.
    window : int, default=5
        Width of the running median.

    Returns
    -------
    n_clusters : int
    """
    n_clusters = np.asarray(n_clusters)
    distances = np.asarray(distances, dtype=float)
    if distances.size == 0:
        return 1
    half = window // 2
    padded = np.pad(distances, half, mode="edge")
    smooth = np.array(
        [np.median(padded[k : k + window]) for k in range(distances.size)]
    )
    if smooth.max() <= 0:
        return int(n_clusters[0])
    above = np.flatnonzero(smooth > tol * smooth.max())
    position = above[-1] + 1 if above.size else 0
    position = min(position, len(n_clusters) - 1)
    return int(n_clusters[position])


def row_clusters(
    local, X, n_clusters, *, max_clusters=MAX_AUTO_CLUSTERS, random_state=None
):
    """The row clusters of M-GEH, with ``M`` chosen from the data when "auto".

    Parameters
    ----------
    local : ndarray of shape (n_samples, n_terms)
        Local values (used only to choose ``M``).
    X : ndarray of shape (n_samples, n_features)
        Inputs on which the clusters are formed.
    n_clusters : int or "auto"
        ``M``; ``"auto"`` picks it from the rank-weighted distance curve
        (:func:`rank_weighted_distance`, :func:`choose_n_clusters`).
    max_clusters : int, default=30
        Largest ``M`` examined by ``"auto"``.
    random_state : int, RandomState instance or None

    Returns
    -------
    result : Bunch
        ``labels`` (n_samples,), ``n_clusters`` (int, at most ``n_samples``),
        ``model`` (a :class:`RowClusterModel` that assigns other rows) and
        ``curve`` (Bunch ``n_clusters``, ``distances``; None unless
        ``"auto"`` examined a curve).
    """
    rng = check_random_state(random_state)
    n = X.shape[0]
    curve = None
    if n_clusters == "auto":
        if local.shape[-1] == 0:
            n_clusters = 1
        else:
            ms, dist = rank_weighted_distance(
                local, X, max_clusters=max_clusters, random_state=rng
            )
            n_clusters = choose_n_clusters(ms, dist)
            curve = Bunch(n_clusters=ms, distances=dist)
    n_clusters = min(int(n_clusters), n)
    labels, model = kmeans_clusters(X, n_clusters, random_state=rng, return_model=True)
    return Bunch(labels=labels, n_clusters=n_clusters, curve=curve, model=model)
