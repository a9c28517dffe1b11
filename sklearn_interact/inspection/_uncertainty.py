# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 5 of the flow: intervals around global interaction scores.

* :func:`bootstrap_weights` and :func:`percentile_interval` -- bootstrap over the
  evaluation rows: resampled estimates come from multinomial row weights in one
  matrix product (see :func:`~sklearn_interact.inspection._aggregation.aggregate`).
* :func:`refit_resamples` -- refit clones of an estimator on bootstrap resamples
  of the training data, measure each, and return the stack of estimates. The
  refits run through :class:`joblib.Parallel`, so a Dask or Ray backend spreads
  them over a cluster unchanged.
* :func:`normal_interval` -- mean +- z * standard error.
"""

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import norm
from sklearn.base import clone
from sklearn.utils import check_random_state


def bootstrap_weights(n_samples, n_resamples, *, random_state=None):
    """Multinomial bootstrap counts, shape ``(n_resamples, n_samples)``."""
    rng = check_random_state(random_state)
    return rng.multinomial(
        n_samples, np.full(n_samples, 1.0 / n_samples), size=n_resamples
    ).astype(np.float64)


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


def _refit_one(estimator, X, y, measure, seed, fit_params):
    rng = np.random.RandomState(seed)
    idx = rng.randint(0, X.shape[0], X.shape[0])
    est = clone(estimator)
    if "random_state" in est.get_params(deep=False):
        est.set_params(random_state=seed)
    est.fit(_take(X, idx), _take(y, idx), **fit_params)
    return measure(est)


def _take(a, idx):
    return a.iloc[idx] if hasattr(a, "iloc") else np.asarray(a)[idx]


def refit_resamples(
    estimator,
    X,
    y,
    measure,
    *,
    n_resamples=10,
    n_jobs=None,
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
    random_state : int, RandomState instance or None
        Seeds the resampling and each refit's ``random_state``.
    fit_params : dict, default=None

    Returns
    -------
    samples : ndarray of shape (n_resamples, ...)
    """
    rng = check_random_state(random_state)
    seeds = rng.randint(np.iinfo(np.int32).max, size=n_resamples)
    results = Parallel(n_jobs=n_jobs)(
        delayed(_refit_one)(estimator, X, y, measure, seed, fit_params or {})
        for seed in seeds
    )
    return np.asarray(results)


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

    Examples
    --------
    >>> from sklearn_interact.inspection._uncertainty import benjamini_hochberg
    >>> reject, adjusted = benjamini_hochberg([0.001, 0.02, 0.04, 0.5], alpha=0.05)
    >>> reject.tolist()
    [True, True, False, False]
    """
    pvalues = np.asarray(pvalues, dtype=np.float64)
    flat = pvalues.ravel()
    valid = np.flatnonzero(~np.isnan(flat))
    adjusted = np.full(flat.shape, np.nan)
    m = valid.size
    if m:
        order = valid[np.argsort(flat[valid], kind="stable")]
        ranked = flat[order] * m / np.arange(1, m + 1)
        # Step-up: the adjusted value is the running minimum from the top.
        ranked = np.minimum.accumulate(ranked[::-1])[::-1]
        adjusted[order] = np.minimum(ranked, 1.0)
    adjusted = adjusted.reshape(pvalues.shape)
    with np.errstate(invalid="ignore"):
        reject = adjusted <= alpha
    return reject, adjusted
