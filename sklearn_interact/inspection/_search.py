# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 4 of the flow: which pairs or tuples to evaluate.

* all pairs, vectorized
  (:func:`~sklearn_interact.inspection._validation.all_pairs`);
* :func:`ucb_top_arms`, the UCB best-k-arm bandit of ParaACE (Zhang et al.,
  Algorithm 1), for when model evaluations are expensive or pairs are many;
  :func:`ucb_search` runs it over feature tuples of a model, pulling mixed
  differences on common random rows;
* :func:`clique_candidates`, higher-order candidates from cliques of detected
  pairs (ParaACE Algorithm 2), scored by :func:`clique_interactions`;
* :func:`top_tuples_expansion`, T-NID's top-k expansion per order;
* :func:`screen_features`, for wide data: a first-order pass that keeps the
  features whose effect varies most with the other features, so that only
  pairs among them are scored (cost linear in the number of features).

Every strategy scores tuples with the one finite-difference kernel,
:func:`~sklearn_interact.inspection._differences.mixed_differences`.
"""

import itertools

import numpy as np
from sklearn.utils import Bunch, check_random_state

from sklearn_interact.inspection._differences import (
    FeatureGrid,
    mixed_differences,
    tuple_contrasts,
)
from sklearn_interact.inspection._hessians import exact_gradients
from sklearn_interact.inspection._validation import sample_rows
from sklearn_interact.utils._progress import Progress


def ucb_top_arms(
    pull,
    n_arms,
    n_top,
    *,
    n_init=5,
    max_pulls=100,
    delta=None,
    batch_size=1,
    progress=None,
):
    """Find the ``n_top`` arms with the largest mean reward by UCB.

    This is Algorithm 1 of Zhang et al. (2022). Every arm is pulled ``n_init``
    times; then, at each iteration, the undecided arm with the highest upper
    confidence bound is pulled once more (an arm pulled ``max_pulls`` times
    has its mean taken as exact, radius 0). An undecided arm whose lower bound
    exceeds every other undecided arm's upper bound joins the result; when all
    undecided arms are capped, the largest means fill the remaining places.
    The confidence radius follows Eq. 2,
    ``C(l) = sqrt(2 sigma^2 log(2 / delta) / l)``, with ``sigma`` the arm's
    sample standard deviation of rewards (the sub-Gaussian parameter is not
    known in advance).

    ``pull`` is told, for every entry, how many times that arm was pulled
    before (``draws``). A caller that gives the ``l``-th pull of every arm the
    same random draw (the same data row, say) compares the arms on common
    random numbers: the noise shared by all arms cancels in their ranking, and
    an arm pulled ``max_pulls`` times has exactly the mean of an exhaustive
    search over the first ``max_pulls`` draws.

    Parameters
    ----------
    pull : callable
        ``pull(arms, draws)`` takes an int array of arm indices (repeats
        allowed) and an int array of the same length, the number of earlier
        pulls of each entry's arm (repeats of one arm count up), and returns
        one reward per entry.
    n_arms : int
        Number of arms.
    n_top : int
        Number of best arms wanted.
    n_init : int, default=5
        Initial pulls per arm. The paper's experiments use 3; with 3, an arm
        whose three draws happen to fall where the model is flat (common for
        tree models) has a zero-width interval and is never pulled again.
        5 was chosen on the F1-F10 benchmark (MLP, random forest and
        gradient-boosting teachers): about 2 percentage points more
        evaluations than 3 (of the every-arm-m-times budget), and
        the bandit's ranking matches the exhaustive one (see BENCHMARKS.md).
    max_pulls : int, default=100
        Cap ``m`` on the pulls of one arm.
    delta : float, default=None
        Error probability of each interval; ``None`` uses ``1 / n_arms`` (the
        value of the authors' code), at most 0.05 so that a handful of arms
        still gets 95% intervals. The paper's analysis takes the far more
        conservative ``2 / (n_arms**3 m)``, which spends its evaluations on
        arms that a looser interval already separates.
    batch_size : int, default=1
        Arms pulled per iteration: the undecided arms of highest upper bound.
        ``1`` is the paper's schedule; :func:`ucb_search` raises it for many
        arms, where one small model call per pull would cost more in call
        overhead than the pulls themselves.
    progress : Progress, default=None
        Told of every selected arm (see ``utils/_progress.py``).

    Returns
    -------
    result : Bunch
        ``selected`` (arms in the order they were found), ``means``, ``lower``,
        ``upper``, ``std_error`` (the sample standard deviation over the
        square root of the pulls, per arm), ``n_pulls`` (per arm),
        ``total_pulls``, and what the cap decided: ``capped`` (per arm, pulled
        ``max_pulls`` times), ``selected_at_cap`` (per entry of ``selected``:
        its confidence interval, without the cap's zero radius, overlaps that
        of an arm left out, and one of the two reached the cap: the means at
        the cap, not the bounds, chose it) and ``hit_cap`` (any arm capped).
    """
    n_top = min(int(n_top), n_arms)
    n_init = max(1, min(int(n_init), int(max_pulls)))
    if delta is None:
        delta = min(0.05, 1.0 / n_arms)
    log_term = 2.0 * np.log(2.0 / delta)

    arms = np.repeat(np.arange(n_arms), n_init)
    draws = np.tile(np.arange(n_init), n_arms)
    rewards = np.asarray(pull(arms, draws), dtype=float).reshape(n_arms, n_init)
    count = np.full(n_arms, n_init, dtype=float)
    total = rewards.sum(axis=1)
    total_sq = (rewards**2).sum(axis=1)

    def statistics():
        mean = total / count
        var = np.maximum(total_sq / count - mean**2, 0.0)
        var = var * count / np.maximum(count - 1, 1)
        std_error = np.sqrt(var / count)
        rad = np.sqrt(log_term) * std_error
        rad[count >= max_pulls] = 0.0
        return mean, rad, std_error

    means, rad, std_error = statistics()
    undecided = np.ones(n_arms, dtype=bool)
    selected = []
    while len(selected) < n_top:
        _accept(means, rad, undecided, selected, n_top)
        if progress is not None:
            progress.update(
                len(selected) - progress.count, extra=f"{int(count.sum())} pulls"
            )
        if len(selected) >= n_top:
            break
        open_arms = np.flatnonzero(undecided & (count < max_pulls))
        if open_arms.size == 0:  # pragma: no cover - _accept fills the rest
            break
        order = np.argsort(-(means[open_arms] + rad[open_arms]), kind="stable")
        chosen = open_arms[order[: int(batch_size)]]
        reward = np.asarray(pull(chosen, count[chosen].astype(np.intp)), dtype=float)
        total[chosen] += reward
        total_sq[chosen] += reward**2
        count[chosen] += 1
        means, rad, std_error = statistics()
    capped = count >= max_pulls
    # The cap decided a selected arm when its interval and that of an arm
    # left out overlap once the cap no longer sets radii to 0, and one of the
    # two reached the cap.
    uncapped = np.sqrt(log_term) * std_error
    left_out = np.setdiff1d(np.arange(n_arms), selected)
    at_cap = []
    for arm in selected:
        overlap = means[left_out] + uncapped[left_out] >= means[arm] - uncapped[arm]
        at_cap.append(
            bool(overlap.any() and (capped[arm] or capped[left_out[overlap]].any()))
        )
    return Bunch(
        selected=np.asarray(selected, dtype=np.intp),
        means=means,
        lower=means - rad,
        upper=means + rad,
        std_error=std_error,
        n_pulls=count.astype(np.intp),
        total_pulls=int(count.sum()),
        capped=capped,
        selected_at_cap=np.asarray(at_cap, dtype=bool),
        hit_cap=bool(capped.any()),
    )


def _accept(means, rad, undecided, selected, n_top):
    """Move arms that stand out (or, once all are capped, the best) to ``selected``."""
    while len(selected) < n_top:
        candidates = np.flatnonzero(undecided)
        if candidates.size == 0:
            return
        lower = means[candidates] - rad[candidates]
        upper = means[candidates] + rad[candidates]
        if np.all(rad[candidates] == 0):
            best = int(np.argmax(means[candidates]))
        else:
            best = int(np.argmax(lower))
            others = np.delete(upper, best)
            if others.size and not np.all(others < lower[best]):
                return
        selected.append(int(candidates[best]))
        undecided[candidates[best]] = False


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


#: The bandit pulls one arm per iteration up to this many arms ...
_ONE_ARM_UP_TO = 100
#: ... and ``n_arms // _ARMS_PER_BATCH`` beyond.
_ARMS_PER_BATCH = 20


def common_row_pulls(model_function, X, tuples, grid, *, random_state):
    """Bandit pulls on common random rows: ``(arms, draws) -> differences``.

    The ``l``-th pull of every tuple uses the ``l``-th row of one random order
    of ``X``, so that tuples are compared on the same rows and a tuple pulled
    ``max_pulls`` times scores exactly as the exhaustive search on those rows.
    ``grid`` (a :class:`~sklearn_interact.inspection._differences.FeatureGrid`
    of all rows of ``X``) gives each feature's values and contrast per row.
    The differences have shape ``(n_outputs, n_pulls)``: one row per output
    of the model function (per class of a summary over classes).
    """
    rng = check_random_state(random_state)
    row_order = rng.permutation(X.shape[0])

    def differences(arms, draws):
        rows = row_order[draws % len(row_order)]
        return np.stack(
            [
                tuple_contrasts(f, X[rows], tuples[arms], grid.rows(rows), paired=True)
                for f in model_function.outputs
            ]
        )

    return differences


def ucb_search(
    model_function,
    X,
    tuples,
    reward,
    n_top,
    *,
    max_pulls,
    grid,
    random_state,
    verbose=0,
):
    """The UCB bandit over feature tuples of a model.

    Each pull is the contrast of one tuple at one row (:func:`common_row_pulls`;
    the mixed central difference for numeric columns), turned into a reward by
    ``reward`` (e.g. ``np.square`` for the mean squared Hessian); a summary
    over classes rewards the mean over classes, so that the bandit's scores
    are the means of the per-class scores. A pull at a row where a feature of
    the tuple is missing draws the next row instead is not possible with
    common rows, so such pulls reward 0 (documented in ``docs/design.md``).
    With ``verbose`` a progress bar of the selected tuples (and the pulls so
    far) is written to stderr.

    Returns
    -------
    bandit : Bunch
        The result of :func:`ucb_top_arms`; ``means`` are the tuples' scores.
    """
    # A tuple pulled once per row has seen every row: more pulls would repeat
    # rows, adding no information while shrinking its interval.
    max_pulls = min(max_pulls, X.shape[0])
    differences = common_row_pulls(
        model_function, X, tuples, grid, random_state=random_state
    )

    def pull(arms, draws):
        return np.nan_to_num(reward(differences(arms, draws)), nan=0.0).mean(axis=0)

    # One arm per iteration is the paper's schedule and the cheapest in pulls;
    # with hundreds of arms (after a screen) the model calls of four rows each
    # cost more in overhead than in evaluation, so pull one arm in twenty.
    batch = 1 if len(tuples) <= _ONE_ARM_UP_TO else len(tuples) // _ARMS_PER_BATCH
    with Progress(min(n_top, len(tuples)), "ucb bandit: selected", verbose) as bar:
        return ucb_top_arms(
            pull,
            len(tuples),
            n_top,
            max_pulls=max_pulls,
            batch_size=batch,
            progress=bar,
        )


def clique_interactions(
    model_function,
    X,
    pairs,
    *,
    max_order=4,
    step=0.8,
    search="all",
    n_top=10,
    max_pulls=100,
    max_samples=1000,
    random_state=None,
):
    """Strength of the higher-order interactions among cliques of detected pairs.

    ParaACE Algorithm 2: the candidates of order ``k`` (3 up to
    ``max_order``) are the ``k``-cliques of the graph whose edges are
    ``pairs`` (:func:`clique_candidates`). Each candidate is scored by the
    mean squared mixed central difference of order ``k`` (``2**k`` points
    with the sign of each point the product of its step signs, so ``8``
    points for triples and ``16`` for quadruples), on the standardized scale.
    For ``f = x1 x2 x3 x4`` the fourth difference of ``(0, 1, 2, 3)`` is
    exactly 1 (times the four standard deviations); for ``f = x1 x2 x3``
    every fourth difference is 0.

    Parameters
    ----------
    model_function : ModelFunction
        The model (see
        :func:`~sklearn_interact.inspection._model_function.make_model_function`).
    X : ndarray of shape (n_samples, n_features)
        Validated rows at which the differences are taken.
    pairs : iterable of (int, int)
        Detected pairs.
    max_order : int, default=4
        Highest order scored (at least 3).
    step : float, default=0.8
        Step on the standardized scale.
    search : {"all", "ucb"}, default="all"
        ``"all"`` scores every candidate on ``max_samples`` rows;
        ``"ucb"`` runs :func:`ucb_top_arms` over the candidates of each order
        (each pull: one row, the l-th pull of every candidate on the same
        row of a random order), looking for the ``n_top`` strongest.
    n_top : int, default=10
        Candidates wanted per order when ``search="ucb"``.
    max_pulls : int, default=100
        Bandit cap per candidate when ``search="ucb"``.
    max_samples : int or None, default=1000
        Rows used when ``search="all"`` (all rows if None or fewer).
    random_state : int, RandomState instance or None, default=None
        Row sampling and the bandit.

    Returns
    -------
    result : Bunch
        ``scores`` (dict: sorted index tuple -> strength, every candidate),
        ``candidates`` (dict: order -> list of tuples), ``bandits`` (dict:
        order -> bandit state, ``search="ucb"`` only) and
        ``n_model_evaluations``.
    """
    if int(max_order) < 3:
        raise ValueError(f"max_order must be at least 3, got {max_order}.")
    if search not in ("all", "ucb"):
        raise ValueError(f"search must be 'all' or 'ucb', got {search!r}.")
    rng = check_random_state(random_state)
    start = model_function.n_evaluations
    scale = X.std(axis=0)
    scores, candidates, bandits = {}, {}, {}
    if search == "all":
        X_eval = X[sample_rows(X.shape[0], max_samples, rng)]
    for order in range(3, int(max_order) + 1):
        tuples = clique_candidates(pairs, order)
        candidates[order] = tuples
        if not tuples:
            continue
        arr = np.asarray(tuples, dtype=np.intp)
        if search == "all":
            values = np.mean(
                [
                    (
                        mixed_differences(f, X_eval, arr, step=step, scale=scale) ** 2
                    ).mean(axis=0)
                    for f in model_function.outputs
                ],
                axis=0,
            )
        else:
            bandit = ucb_search(
                model_function,
                X,
                arr,
                np.square,
                n_top,
                max_pulls=max_pulls,
                grid=FeatureGrid.numeric(X, step=step, scale=scale),
                random_state=rng,
            )
            bandits[order] = bandit
            values = bandit.means
        scores.update({t: float(v) for t, v in zip(tuples, values)})
    return Bunch(
        scores=scores,
        candidates=candidates,
        bandits=bandits,
        n_model_evaluations=int(model_function.n_evaluations - start),
    )


def screen_features(model_function, data, rows, *, n_keep, step):
    """Keep the ``n_keep`` features most likely to interact (wide data).

    A feature ``i`` interacts when its effect, the partial derivative
    ``g_i = df/dz_i`` on the standardized scale, changes with the other
    features. Within a narrow bin of ``x_i`` its own curvature hardly moves
    ``g_i``, so the within-bin variance of ``g_i`` estimates
    ``sum_j (d^2 f / dz_i dz_j)^2`` over the other features ``j`` (exactly,
    for a function with pairwise products and independent features): the
    squared norm of the feature's row of the standardized Hessian without
    its diagonal. A true pair puts both its features high. ``g_i`` costs one
    backward pass per row for a differentiable model (all features at once)
    and two model evaluations per feature and row otherwise (the feature's
    own contrast: a step, a neighbouring or the other level, another
    category), so the screen is linear in the number of features.

    Parameters
    ----------
    model_function : ModelFunction
        Evaluates the codes of ``data``.
    data : TabularData
    rows : ndarray of int
        Rows the screen is evaluated at.
    n_keep : int
        Features kept.
    step : float
        Finite-difference step of continuous columns (black boxes).

    Returns
    -------
    result : Bunch
        ``features`` (the kept feature indices, sorted) and ``scores`` (the
        screen statistic of every feature).
    """
    Z = data.codes[rows]
    p = data.n_features
    grid = None
    scores = np.zeros(p)
    for function in model_function.outputs:  # a summary: mean over classes
        exact = function.exact and data.all_continuous and not np.isnan(Z).any()
        if exact:
            effects = exact_gradients(function, Z, scale=data.scale)
        else:
            if grid is None:
                grid = FeatureGrid.from_data(data, rows, step=step)
            effects = tuple_contrasts(function, Z, np.arange(p)[:, None], grid)
        scores += np.array(
            [
                _within_bin_variance(effects[:, j], Z[:, j], data.kinds[j])
                for j in range(p)
            ]
        )
    scores /= len(model_function.outputs)
    order = np.argsort(-scores, kind="stable")
    return Bunch(features=np.sort(order[: min(n_keep, p)]), scores=scores)


def _within_bin_variance(effect, x, kind, n_bins=10):
    """Mean variance of ``effect`` within bins of ``x`` (missing rows left out).

    Continuous columns are cut at their quantiles and, within each bin, the
    linear trend in ``x`` (the feature's own curvature) is removed; discrete
    and categorical ones are binned by level; a binary column's effect (the
    flip) does not depend on its own level, so its rows form one bin.
    """
    valid = ~(np.isnan(effect) | np.isnan(x))
    effect, x = effect[valid], x[valid]
    if effect.size < 2:
        return 0.0
    if kind == "continuous":
        edges = np.unique(np.quantile(x, np.linspace(0, 1, n_bins + 1)[1:-1]))
        bins = np.searchsorted(edges, x, side="right")
    elif kind == "binary":
        bins = np.zeros(x.shape, dtype=np.intp)
    else:
        bins = np.unique(x, return_inverse=True)[1]
    total, weight = 0.0, 0
    for b in np.unique(bins):
        inside = bins == b
        members = effect[inside]
        if members.size < 3:
            continue
        if kind == "continuous":  # the feature's own curvature: a linear trend
            design = np.column_stack([np.ones(members.size), x[inside]])
            coef = np.linalg.lstsq(design, members, rcond=None)[0]
            members = members - design @ coef
        total += np.mean((members - members.mean()) ** 2) * members.size
        weight += members.size
    return total / weight if weight else 0.0
