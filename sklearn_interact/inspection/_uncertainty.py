# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 5 of the flow: intervals, p-values and multiple testing.

* :func:`bootstrap_weights`, :func:`poisson_weights` -- bootstrap over the
  evaluation rows: resampled estimates come from Poisson(1) row weights in one
  matrix product per chunk of rows (see
  :class:`~sklearn_interact.inspection._aggregation.ScoreAccumulator`),
  drawn per block of rows from seeded streams, so that they do not depend on
  the chunking.
* :func:`percentile_interval`, :func:`normal_interval` -- the two interval
  routines (equal-tailed quantiles of samples; ``mean +- z * std``), used by
  every method: bootstrap, refits, the bandit and posterior draws.
* :func:`refit_resamples` -- refit clones of an estimator on bootstrap
  resamples of the training data and measure each refit.
* :func:`posterior_summary` -- mean, spread, credible intervals and p-values
  of posterior draws (the Bayesian M-GEH).
* :func:`permutation_null` -- refits on permuted targets: the null
  distribution of the largest interaction.
* :func:`benjamini_hochberg` -- false discovery rate control;
  :func:`holm` -- family-wise error control; :func:`adjust_pvalues` picks one.

Refits and permutations run through :class:`joblib.Parallel`, so a Dask or
Ray backend spreads them over a cluster unchanged.
"""

import numbers

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import norm
from sklearn.base import clone
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, validate_params
from sklearn.utils.validation import check_array, check_consistent_length

from sklearn_interact.utils._progress import Progress

#: Rows per block of Poisson bootstrap weights: block ``k`` (rows
#: ``k * 1024`` to ``(k + 1) * 1024``) has its own seeded stream.
BOOTSTRAP_BLOCK = 1024


def poisson_weights(seed, n_resamples, start, stop):
    """Poisson(1) bootstrap weights of rows ``start`` to ``stop``.

    The weight of row ``r`` in resample ``b`` depends only on ``seed``,
    ``b`` and ``r``: rows come in blocks of :data:`BOOTSTRAP_BLOCK`, each
    drawn from its own stream ``SeedSequence([seed, block])``, so any chunk
    of rows gets its weights without the others, and results do not depend
    on how the rows are chunked (nor on the number of rows).

    Returns
    -------
    weights : ndarray of shape (n_resamples, stop - start)
    """
    parts = []
    first = start // BOOTSTRAP_BLOCK
    last = (max(stop, start + 1) - 1) // BOOTSTRAP_BLOCK
    for block in range(first, last + 1):
        rng = np.random.default_rng([int(seed), block])
        drawn = rng.poisson(1.0, size=(n_resamples, BOOTSTRAP_BLOCK))
        lo = max(start - block * BOOTSTRAP_BLOCK, 0)
        hi = min(stop - block * BOOTSTRAP_BLOCK, BOOTSTRAP_BLOCK)
        parts.append(drawn[:, lo:hi])
    return np.hstack(parts).astype(np.float64)[:, : stop - start]


def bootstrap_seed(random_state):
    """One seed of the Poisson bootstrap streams, drawn from ``random_state``."""
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def bootstrap_weights(n_samples, n_resamples, *, random_state=None):
    """Poisson bootstrap weights, shape ``(n_resamples, n_samples)``.

    Each row enters each resample ``Poisson(1)`` times (the Poisson
    bootstrap: the multinomial counts of the classical bootstrap without
    their fixed total, which makes every row's weight independent of the
    others and lets chunks of rows be resampled on their own; see
    :func:`poisson_weights`). Aggregations divide by the total weight.
    """
    seed = bootstrap_seed(random_state)
    return poisson_weights(seed, n_resamples, 0, n_samples)


def percentile_interval(samples, confidence_level):
    """Equal-tailed percentile interval over the first axis.

    Returns
    -------
    interval : ndarray of shape ``samples.shape[1:] + (2,)``
    """
    alpha = (1.0 - confidence_level) / 2.0
    lower, upper = np.quantile(samples, [alpha, 1.0 - alpha], axis=0)
    return np.stack([lower, upper], axis=-1)


def normal_interval(mean, std, confidence_level):
    """Gaussian interval ``mean +- z * std`` at ``confidence_level``."""
    z = norm.ppf(0.5 + confidence_level / 2.0)
    return np.stack([mean - z * std, mean + z * std], axis=-1)


def _take(a, idx):
    return a.iloc[idx] if hasattr(a, "iloc") else np.asarray(a)[idx]


def _refit(estimator, X, y, seed, fit_params=None):
    """A clone of ``estimator`` fitted on ``(X, y)`` with ``random_state=seed``."""
    est = clone(estimator)
    if "random_state" in est.get_params(deep=False):
        est.set_params(random_state=seed)
    return est.fit(X, y, **(fit_params or {}))


def _refit_resample(estimator, X, y, measure, seed, fit_params):
    idx = np.random.RandomState(seed).randint(0, X.shape[0], X.shape[0])
    return measure(_refit(estimator, _take(X, idx), _take(y, idx), seed, fit_params))


def refit_resamples(
    estimator,
    X,
    y,
    measure,
    *,
    n_resamples=10,
    n_jobs=None,
    verbose=0,
    random_state=None,
    fit_params=None,
):
    """Refit ``estimator`` on bootstrap resamples and measure each refit.

    Parameters
    ----------
    estimator : estimator object
        Unfitted template; cloned for each resample.
    X, y : array-like
        Training data.
    measure : callable
        ``measure(fitted_estimator) -> ndarray``; e.g. pairwise scores on fixed
        evaluation rows.
    n_resamples : int, default=10
    n_jobs : int, default=None
        Refits in parallel (any joblib backend; each refit's seed is drawn
        beforehand, so results do not depend on the backend or ``n_jobs``).
    verbose : int, default=0
        A progress bar of the refits on stderr (quiet when 0).
    random_state : int, RandomState instance or None
        Seeds the resampling and each refit's ``random_state``.
    fit_params : dict, default=None

    Returns
    -------
    samples : ndarray of shape (n_resamples, ...)
    """
    rng = check_random_state(random_state)
    seeds = rng.randint(np.iinfo(np.int32).max, size=n_resamples)
    results = []
    with Progress(n_resamples, "refits", verbose) as progress:
        for result in Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_refit_resample)(estimator, X, y, measure, seed, fit_params)
            for seed in seeds
        ):
            results.append(result)
            progress.update()
    return np.asarray(results)


def posterior_summary(samples, confidence_level=0.95):
    """Posterior mean, spread, credible intervals and p-values.

    Parameters
    ----------
    samples : ndarray of shape (n_draws, ...)
        Posterior samples of the scores.
    confidence_level : float, default=0.95
        Level of the credible intervals.

    Returns
    -------
    summary : Bunch
        ``mean`` and ``std`` (``ddof=1``), ``normal_ci`` (``mean +- z std``),
        ``quantile_ci`` (equal-tailed empirical quantiles), both of shape
        ``samples.shape[1:] + (2,)``, and ``pvalues``: the two-sided Gaussian
        p-value ``2 * (1 - Phi(mean / std))`` of a zero score, so that
        ``pvalues < 1 - confidence_level`` exactly when ``normal_ci`` excludes
        zero.
    """
    samples = np.asarray(samples, dtype=np.float64)
    mean = samples.mean(axis=0)
    std = samples.std(axis=0, ddof=1) if samples.shape[0] > 1 else np.zeros_like(mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(std > 0, np.abs(mean) / np.where(std > 0, std, 1.0), np.inf)
    ratio = np.where((std == 0) & (mean == 0), 0.0, ratio)
    return Bunch(
        mean=mean,
        std=std,
        normal_ci=normal_interval(mean, std, confidence_level),
        quantile_ci=percentile_interval(samples, confidence_level),
        pvalues=2.0 * norm.sf(ratio),
    )


def _fit_permuted(estimator, X, y, seed, measure):
    rng = np.random.RandomState(seed)
    y_perm = np.asarray(y)[rng.permutation(len(y))]
    est = _refit(estimator, X, y_perm, seed)
    extra = None if measure is None else measure(est)
    return _interactions_of(est), extra


def _interactions_of(fitted):
    matrix = getattr(fitted, "interactions_", None)
    if matrix is None:
        raise TypeError(
            f"permutation_null needs an estimator that sets interactions_ in "
            f"fit; {fitted.__class__.__name__} does not (wrap a model in "
            "InteractionSelector)."
        )
    return np.asarray(matrix, dtype=np.float64)


@validate_params(
    {
        "estimator": [HasMethods(["fit"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "n_permutations": [Interval(numbers.Integral, 1, None, closed="left")],
        "observed": ["array-like", None],
        "measure": [callable, None],
        "n_jobs": [numbers.Integral, None],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=False,
)
def permutation_null(
    estimator,
    X,
    y,
    *,
    n_permutations=20,
    observed=None,
    measure=None,
    n_jobs=None,
    verbose=0,
    random_state=None,
):
    """Null distribution of the largest interaction by refits on permuted y.

    Permuting the target breaks every dependence on the inputs, so all
    interactions found by a refit are false. The maximum interaction score of
    each refit gives the null distribution of the largest score, and a pair's
    permutation p-value is ``(1 + #{b : max_b >= observed_ij}) / (1 + B)``;
    comparing with the maximum controls the family-wise error over all pairs
    (Cui et al., appendix Sec. 7).

    Parameters
    ----------
    estimator : estimator object
        Unfitted template with an ``interactions_`` attribute after ``fit``
        (:class:`~sklearn_interact.InteractionSelector` or an estimator of
        this library); cloned for every refit, with ``random_state`` set per
        permutation.
    X : array-like of shape (n_samples, n_features)
        Training inputs.
    y : array-like of shape (n_samples,)
        Training target.
    n_permutations : int, default=20
        Number of permuted refits ``B``.
    observed : array-like of shape (n_features, n_features), default=None
        Observed interaction scores; when None, a clone is fitted on the
        unpermuted data.
    measure : callable, default=None
        ``measure(fitted_estimator)`` evaluated on each permuted refit (e.g.
        the share of pairs called significant); results in ``null_measures``.
    n_jobs : int, default=None
        Refits run through :class:`joblib.Parallel`, so that a Dask or Ray
        backend spreads them over a cluster (each refit's seed is drawn
        beforehand: the result does not depend on the backend or ``n_jobs``).
    verbose : int, default=0
        A progress bar of the refits on stderr (quiet when 0).
    random_state : int, RandomState instance or None, default=None
        Seeds the permutations and the refits.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``observed`` (p, p), ``null_max`` (n_permutations,),
        ``null_interactions`` (n_permutations, p, p), ``pvalues`` (p, p) and
        ``null_measures`` (list, or None without ``measure``).

    References
    ----------
    .. [1] T. Cui, P. Marttinen, S. Kaski. "Learning Global Pairwise
       Interactions with Bayesian Neural Networks". ECAI 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn_interact import InteractionSelector
    >>> from sklearn_interact.inspection import permutation_null
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(60, 3))
    >>> y = X[:, 0] + 0.1 * rng.normal(size=60)
    >>> selector = InteractionSelector(LinearRegression(), uncertainty=None)
    >>> null = permutation_null(selector, X, y, n_permutations=3, random_state=0)
    >>> null.null_max.shape, null.pvalues.shape
    ((3,), (3, 3))
    """
    check_consistent_length(X, y)
    rng = check_random_state(random_state)
    seeds = rng.randint(np.iinfo(np.int32).max, size=n_permutations)
    if observed is None:
        seed = int(rng.randint(np.iinfo(np.int32).max))
        observed = _interactions_of(_refit(estimator, X, y, seed))
    observed = check_array(observed, input_name="observed")
    p = np.shape(X)[1]
    if observed.shape != (p, p):
        raise ValueError(
            f"observed must have shape ({p}, {p}) for X with {p} features; got "
            f"{observed.shape}."
        )
    results = []
    with Progress(n_permutations, "permutation_null", verbose) as progress:
        for result in Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_fit_permuted)(estimator, X, y, seed, measure) for seed in seeds
        ):
            results.append(result)
            progress.update()
    null = np.stack([r[0] for r in results])
    null_max = null.max(axis=(1, 2))
    exceed = (null_max[:, None, None] >= observed[None]).sum(axis=0)
    pvalues = (1.0 + exceed) / (1.0 + n_permutations)
    np.fill_diagonal(pvalues, 1.0)
    return Bunch(
        observed=observed,
        null_max=null_max,
        null_interactions=null,
        pvalues=pvalues,
        null_measures=None if measure is None else [r[1] for r in results],
    )


def benjamini_hochberg(pvalues, alpha=0.05):
    """Benjamini-Hochberg step-up procedure (false discovery rate control).

    With the ``m`` p-values sorted, ``p_(1) <= ... <= p_(m)``, every hypothesis
    up to the largest ``k`` with ``p_(k) <= k alpha / m`` is rejected. Under
    independence (or positive dependence) the expected share of false
    discoveries among the rejections is at most ``alpha``.

    Parameters
    ----------
    pvalues : array-like
        P-values of any shape; NaN entries are ignored (never rejected).
    alpha : float, default=0.05
        Target false discovery rate.

    Returns
    -------
    reject : ndarray of bool, same shape as ``pvalues``
        Hypotheses rejected at false discovery rate ``alpha``.
    adjusted : ndarray, same shape as ``pvalues``
        BH-adjusted p-values (``reject == adjusted <= alpha``).
    """

    def step_up(sorted_p):
        m = sorted_p.size
        # The adjusted value is the running minimum from the top.
        return np.minimum.accumulate((sorted_p * m / np.arange(1, m + 1))[::-1])[::-1]

    return _adjust_sorted(pvalues, alpha, step_up)


def holm(pvalues, alpha=0.05):
    """Holm's step-down procedure (family-wise error control).

    With the ``m`` p-values sorted, ``p_(k)`` is adjusted to
    ``max_{l <= k} min(1, (m - l + 1) p_(l))``; a hypothesis is rejected when
    its adjusted p-value is at most ``alpha``. The probability of any false
    rejection is at most ``alpha`` under any dependence (Holm, 1979).

    Parameters
    ----------
    pvalues : array-like
        P-values of any shape; NaN entries are ignored (never rejected).
    alpha : float, default=0.05
        Target family-wise error rate.

    Returns
    -------
    reject : ndarray of bool, same shape as ``pvalues``
    adjusted : ndarray, same shape as ``pvalues``
    """

    def step_down(sorted_p):
        m = sorted_p.size
        return np.maximum.accumulate(sorted_p * (m - np.arange(m)))

    return _adjust_sorted(pvalues, alpha, step_down)


def _adjust_sorted(pvalues, alpha, adjust):
    """Apply ``adjust`` (sorted p-values to adjusted ones) to the non-NaN
    p-values of any shape; adjusted values are capped at 1 and NaN stays NaN."""
    pvalues = np.asarray(pvalues, dtype=np.float64)
    flat = pvalues.ravel()
    valid = np.flatnonzero(~np.isnan(flat))
    adjusted = np.full(flat.shape, np.nan)
    if valid.size:
        order = valid[np.argsort(flat[valid], kind="stable")]
        adjusted[order] = np.minimum(adjust(flat[order]), 1.0)
    adjusted = adjusted.reshape(pvalues.shape)
    with np.errstate(invalid="ignore"):
        reject = adjusted <= alpha
    return reject, adjusted


def adjust_pvalues(pvalues, method, alpha=0.05):
    """Multiple-testing adjustment by name: ``"bh"``, ``"holm"`` or None.

    Returns ``(reject, adjusted)`` as :func:`benjamini_hochberg`; with None the
    adjusted p-values are the raw ones.
    """
    if method == "bh":
        return benjamini_hochberg(pvalues, alpha)
    if method == "holm":
        return holm(pvalues, alpha)
    adjusted = np.array(pvalues, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return adjusted <= alpha, adjusted
