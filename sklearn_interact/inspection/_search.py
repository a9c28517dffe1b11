# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 4 of the flow: which pairs or tuples to evaluate.

* all pairs, vectorized (:func:`~sklearn_interact.inspection._derivatives.all_pairs`);
* :func:`ucb_top_arms`, the UCB best-k-arm bandit of ParaACE (Zhang et al.,
  Algorithm 1), for when model evaluations are expensive or pairs are many;
* :func:`clique_candidates`, higher-order candidates from cliques of detected
  pairs (ParaACE Algorithm 2).
"""

import itertools

import numpy as np
from sklearn.utils import Bunch, check_random_state


def ucb_top_arms(
    pull, n_arms, n_top, *, n_init=3, max_pulls=100, delta=None, random_state=None
):
    """Find the ``n_top`` arms with the largest mean reward by UCB.

    This is Algorithm 1 of Zhang et al. (2022). Every arm is pulled ``n_init``
    times; then, at each iteration, the arm with the highest upper confidence
    bound among the undecided ones is pulled once more (an arm pulled
    ``max_pulls`` times has its mean taken as exact, radius 0). An arm whose
    lower bound exceeds every other undecided arm's upper bound joins the
    result. The confidence radius follows Eq. 2,
    ``C(l) = sqrt(2 sigma^2 log(2 / delta) / l)``, with ``sigma`` the arm's
    sample standard deviation of rewards (the sub-Gaussian parameter is not
    known in advance).

    Parameters
    ----------
    pull : callable
        ``pull(arms, rng)`` takes an int array of arm indices (repeats allowed)
        and returns one reward per entry, each from an independent draw.
    n_arms : int
        Number of arms.
    n_top : int
        Number of best arms wanted.
    n_init : int, default=3
        Initial pulls per arm.
    max_pulls : int, default=100
        Cap ``m`` on the pulls of one arm.
    delta : float, default=None
        Error probability of each interval; ``None`` uses ``1 / n_arms**2``
        (the rate of the paper's Theorem 3.2).
    random_state : int, RandomState instance or None

    Returns
    -------
    result : Bunch
        ``selected`` (arms in the order they were found), ``means``, ``lower``,
        ``upper``, ``n_pulls`` (per arm) and ``total_pulls``.
    """
    rng = check_random_state(random_state)
    n_top = min(n_top, n_arms)
    if delta is None:
        delta = 1.0 / max(n_arms, 2) ** 2
    log_term = 2.0 * np.log(2.0 / delta)

    arms = np.repeat(np.arange(n_arms), n_init)
    rewards = np.asarray(pull(arms, rng), dtype=float).reshape(n_arms, n_init)
    count = np.full(n_arms, n_init, dtype=float)
    total = rewards.sum(axis=1)
    total_sq = (rewards**2).sum(axis=1)

    def radius(idx):
        mean = total[idx] / count[idx]
        var = np.maximum(total_sq[idx] / count[idx] - mean**2, 0.0)
        var = var * count[idx] / np.maximum(count[idx] - 1, 1)
        r = np.sqrt(var * log_term / count[idx])
        return np.where(count[idx] >= max_pulls, 0.0, r)

    means = total / count
    rad = radius(np.arange(n_arms))
    undecided = np.ones(n_arms, dtype=bool)
    selected = []
    max_iter = n_arms * max_pulls + 1
    for _ in range(max_iter):
        if len(selected) >= n_top:
            break
        ucb = np.where(undecided, means + rad, -np.inf)
        best = int(np.argmax(ucb))
        if count[best] < max_pulls:
            reward = float(np.asarray(pull(np.array([best]), rng))[0])
            total[best] += reward
            total_sq[best] += reward**2
            count[best] += 1
            means[best] = total[best] / count[best]
            rad[best] = radius(np.array([best]))[0]
        ucb = np.where(undecided, means + rad, -np.inf)
        others = np.delete(ucb, best)
        if others.size == 0 or np.all(others < means[best] - rad[best]):
            selected.append(best)
            undecided[best] = False
    return Bunch(
        selected=np.asarray(selected, dtype=np.intp),
        means=means,
        lower=means - rad,
        upper=means + rad,
        n_pulls=count.astype(np.intp),
        total_pulls=int(count.sum()),
    )


def clique_candidates(pairs, order):
    """Tuples of size ``order`` whose every pair is among ``pairs``.

    These are the ``order``-cliques of the graph whose edges are the detected
    pairs (ParaACE Algorithm 2; heredity: a higher-order interaction is a
    candidate only if all its pairwise sub-interactions were detected).

    Parameters
    ----------
    pairs : iterable of (int, int)
    order : int
        Size of the tuples, at least 3.

    Returns
    -------
    tuples : list of tuple of int
        Sorted index tuples, in lexicographic order.
    """
    edges = {tuple(sorted(map(int, p))) for p in pairs}
    neighbours = {}
    for i, j in edges:
        neighbours.setdefault(i, set()).add(j)
        neighbours.setdefault(j, set()).add(i)
    cliques = set()

    def extend(clique, candidates):
        if len(clique) == order:
            cliques.add(tuple(sorted(clique)))
            return
        for v in sorted(candidates):
            if v > clique[-1]:
                extend(clique + [v], candidates & neighbours[v])

    for v in sorted(neighbours):
        extend([v], neighbours[v])
    return sorted(cliques)


def top_tuples_expansion(scores, n_features, n_keep):
    """Candidates of the next order from the ``n_keep`` strongest tuples.

    Each kept tuple is extended by every feature it does not contain (T-NID's
    top-k expansion per order).

    Parameters
    ----------
    scores : dict
        Sorted index tuple -> strength, all of one order.
    n_features : int
    n_keep : int

    Returns
    -------
    tuples : list of tuple of int
    """
    kept = sorted(scores, key=lambda t: -scores[t])[:n_keep]
    out = set()
    for t, f in itertools.product(kept, range(n_features)):
        if f not in t:
            out.add(tuple(sorted(t + (f,))))
    return sorted(out)
