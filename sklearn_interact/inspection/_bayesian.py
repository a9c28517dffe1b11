# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Bayesian Group Expected Hessian over posterior draws (Cui et al., 2020).

A Bayesian model is given as a *draw function* ``f(x, k)``: the prediction of
posterior draw ``k`` at rows ``x``. The flow is the engine's, run once per draw
and vectorized across draws:

1. :func:`posterior_pair_hessians` -- exact Hessians of every draw at every
   evaluation row through :func:`~sklearn_interact.inspection.exact_hessians`.
   Draws are batched: each block of rows carries its draw index as an extra
   input column, so one vectorized call covers many draws.
2. :func:`bayesian_group_expected_hessian` -- one M-GEH (or EAH / AEH) per
   draw through :func:`~sklearn_interact.inspection.aggregate`, with the
   absolute value taken *inside* each draw (Cui et al., appendix Eq. 1).
3. :func:`posterior_summary` -- posterior mean and standard deviation,
   Gaussian (``m +- z sqrt(v)``) and quantile credible intervals, and the
   Gaussian two-sided p-value of "the interaction is zero".
4. :func:`permutation_null` -- refits on permuted targets (through joblib) for
   the null distribution of the largest interaction score (appendix Sec. 7).

:func:`~sklearn_interact.inspection._uncertainty.benjamini_hochberg` turns the
per-pair p-values into decisions with a false discovery rate guarantee.
"""

import numpy as np
import torch
from joblib import Parallel, delayed
from scipy.stats import norm
from sklearn.base import clone
from sklearn.utils import Bunch, check_random_state

from sklearn_interact.inspection._adapters import ModelFunction
from sklearn_interact.inspection._aggregation import aggregate
from sklearn_interact.inspection._derivatives import all_pairs, exact_hessians

# Upper bound on the float64 entries of one block of Hessians.
_MAX_BLOCK_ELEMENTS = 2**22


def _augmented_function(draw_function, n_features, features, base):
    """Torch function of ``[x_sub, draw, (row)]`` columns for the engine."""
    q = n_features if features is None else len(features)
    if features is None:

        def function(xa):
            return draw_function(xa[:, :q], xa[:, q].long())

        return function

    # Rows are rebuilt as base[row] with the selected columns replaced by x_sub:
    # x = rest[row] + x_sub @ embed, differentiable in x_sub only.
    embed = torch.zeros(q, n_features, dtype=base.dtype, device=base.device)
    embed[torch.arange(q), torch.as_tensor(features)] = 1.0
    rest = base.clone()
    rest[..., torch.as_tensor(features)] = 0.0

    def function(xa):
        draw = xa[:, q].long()
        row = xa[:, q + 1].long()
        full = rest[draw, row] if rest.ndim == 3 else rest[row]
        return draw_function(full + xa[:, :q] @ embed, draw)

    return function


def posterior_pair_hessians(
    draw_function,
    X,
    n_draws,
    *,
    features=None,
    scale=None,
    dtype=torch.float32,
    device=None,
):
    """Pairwise Hessian entries of every posterior draw at every row.

    Parameters
    ----------
    draw_function : callable
        ``draw_function(x, draw) -> Tensor of shape (m,)`` for a float tensor
        ``x`` of shape ``(m, n_features)`` and a long tensor ``draw`` of shape
        ``(m,)`` giving each row's posterior draw; differentiable in ``x`` by
        :mod:`torch.func`.
    X : ndarray of shape (n_samples, n_features) or (n_draws, n_samples, n_features)
        Evaluation rows, shared by all draws or given per draw.
    n_draws : int
        Number of posterior draws ``K``.
    features : array-like of int, default=None
        Restrict the Hessian to these features (the others are held at each
        row's value); all features when None.
    scale : ndarray of shape (n_features,), default=None
        Hessians are taken with respect to ``x / scale`` when given.
    dtype : torch.dtype, default=torch.float32
        Precision of the derivative computation.
    device : str or torch.device, default=None
        Device of the computation (CPU when None).

    Returns
    -------
    local : ndarray of shape (n_draws, n_samples, n_pairs)
        Hessian entries for the pairs ``all_pairs(q)`` of the ``q`` selected
        features (all features when ``features`` is None).
    """
    X = np.asarray(X, dtype=np.float64)
    per_draw = X.ndim == 3
    n, p = X.shape[-2:]
    device = torch.device("cpu") if device is None else torch.device(device)
    features = None if features is None else np.asarray(features, dtype=np.intp)
    sub = X if features is None else X[..., features]
    q = sub.shape[-1]
    pairs = all_pairs(q)
    out = np.zeros((n_draws, n, len(pairs)))
    if len(pairs) == 0 or n_draws == 0:
        return out
    base = None if features is None else torch.as_tensor(X, dtype=dtype, device=device)
    function = _augmented_function(draw_function, p, features, base)
    n_extra = 1 if features is None else 2
    width = q + n_extra
    model_function = ModelFunction(
        lambda x: (
            function(torch.as_tensor(x, dtype=dtype, device=device))
            .detach()
            .cpu()
            .numpy()
        ),
        function,
        dtype=dtype,
        device=device,
        description="posterior draw function",
    )
    scale_aug = None
    if scale is not None:
        scale = np.asarray(scale, dtype=np.float64)
        sel = scale if features is None else scale[features]
        scale_aug = np.concatenate([sel, np.ones(n_extra)])
    draws_per_block = max(1, _MAX_BLOCK_ELEMENTS // (n * width * width))
    rows = np.arange(n, dtype=np.float64)
    for start in range(0, n_draws, draws_per_block):
        draws = np.arange(start, min(start + draws_per_block, n_draws))
        block = sub[draws] if per_draw else np.broadcast_to(sub, (len(draws), n, q))
        cols = [block.reshape(-1, q), np.repeat(draws, n).astype(np.float64)[:, None]]
        if features is not None:
            cols.append(np.tile(rows, len(draws))[:, None])
        H = exact_hessians(model_function, np.hstack(cols), scale=scale_aug)
        out[draws] = H[:, pairs[:, 0], pairs[:, 1]].reshape(len(draws), n, -1)
    return out


def bayesian_group_expected_hessian(local, kind="geh", *, groups=None):
    """One global interaction score per posterior draw.

    Parameters
    ----------
    local : ndarray of shape (n_draws, n_samples, n_pairs)
        Local Hessian entries of each draw, e.g. from
        :func:`posterior_pair_hessians`.
    kind : {"geh", "eah", "aeh", "mean_squared"}, default="geh"
        Aggregation applied to each draw (absolute value inside each draw).
    groups : ndarray of shape (n_samples,), default=None
        Group labels for ``"geh"`` (e.g. from
        :func:`~sklearn_interact.inspection.kmeans_groups`), shared by all draws.

    Returns
    -------
    samples : ndarray of shape (n_draws, n_pairs)
        Posterior samples of the global interaction scores.
    """
    local = np.asarray(local, dtype=np.float64)
    n_draws, n, n_pairs = local.shape
    flat = local.transpose(1, 0, 2).reshape(n, n_draws * n_pairs)
    return aggregate(flat, kind, groups=groups).reshape(n_draws, n_pairs)


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

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.inspection._bayesian import posterior_summary
    >>> rng = np.random.RandomState(0)
    >>> samples = np.column_stack([rng.normal(3, 1, 400), rng.normal(0.5, 1, 400)])
    >>> summary = posterior_summary(samples, 0.95)
    >>> bool(summary.pvalues[0] < 0.05), bool(summary.pvalues[1] < 0.05)
    (True, False)
    """
    samples = np.asarray(samples, dtype=np.float64)
    mean = samples.mean(axis=0)
    std = samples.std(axis=0, ddof=1) if samples.shape[0] > 1 else np.zeros_like(mean)
    z = norm.ppf(0.5 + confidence_level / 2.0)
    normal_ci = np.stack([mean - z * std, mean + z * std], axis=-1)
    alpha = (1.0 - confidence_level) / 2.0
    lower, upper = np.quantile(samples, [alpha, 1.0 - alpha], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(std > 0, np.abs(mean) / np.where(std > 0, std, 1.0), np.inf)
    ratio = np.where((std == 0) & (mean == 0), 0.0, ratio)
    pvalues = 2.0 * norm.sf(ratio)
    return Bunch(
        mean=mean,
        std=std,
        normal_ci=normal_ci,
        quantile_ci=np.stack([lower, upper], axis=-1),
        pvalues=pvalues,
    )


def _fit_permuted(estimator, X, y, seed, measure):
    rng = np.random.RandomState(seed)
    y_perm = np.asarray(y)[rng.permutation(len(y))]
    est = clone(estimator)
    if "random_state" in est.get_params(deep=False):
        est.set_params(random_state=seed)
    est.fit(X, y_perm)
    extra = None if measure is None else measure(est)
    return np.asarray(est.interactions_, dtype=np.float64), extra


def permutation_null(
    estimator,
    X,
    y,
    *,
    n_permutations=20,
    observed=None,
    measure=None,
    n_jobs=None,
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
        Unfitted template with an ``interactions_`` attribute after ``fit``;
        cloned for every refit, with ``random_state`` set per permutation.
    X : array-like of shape (n_samples, n_features)
        Training inputs.
    y : array-like of shape (n_samples,)
        Training target.
    n_permutations : int, default=20
        Number of permuted refits ``B``.
    observed : ndarray of shape (n_features, n_features), default=None
        Observed interaction scores; when None, a clone is fitted on the
        unpermuted data.
    measure : callable, default=None
        ``measure(fitted_estimator)`` evaluated on each permuted refit (e.g.
        the share of pairs called significant); results in ``null_measures``.
    n_jobs : int, default=None
        Refits run through :class:`joblib.Parallel`, so that a Dask or Ray
        backend spreads them over a cluster.
    random_state : int, RandomState instance or None, default=None
        Seeds the permutations and the refits.

    Returns
    -------
    result : Bunch
        ``observed`` (p, p), ``null_max`` (n_permutations,),
        ``null_interactions`` (n_permutations, p, p), ``pvalues`` (p, p) and
        ``null_measures`` (list, or None without ``measure``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.inspection._bayesian import permutation_null
    >>> from sklearn_interact.neural import BayesianMLPRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(60, 3))
    >>> y = X[:, 0] * X[:, 1] + 0.1 * rng.normal(size=60)
    >>> est = BayesianMLPRegressor(hidden_layer_sizes=(8,), max_epochs=3,
    ...                            n_draws=5, early_stopping=False,
    ...                            random_state=0)
    >>> null = permutation_null(est, X, y, n_permutations=3, random_state=0)
    >>> null.null_max.shape, null.pvalues.shape
    ((3,), (3, 3))
    """
    rng = check_random_state(random_state)
    seeds = rng.randint(np.iinfo(np.int32).max, size=n_permutations)
    if observed is None:
        est = clone(estimator)
        if "random_state" in est.get_params(deep=False):
            est.set_params(random_state=int(rng.randint(np.iinfo(np.int32).max)))
        observed = est.fit(X, y).interactions_
    observed = np.asarray(observed, dtype=np.float64)
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fit_permuted)(estimator, X, y, seed, measure) for seed in seeds
    )
    null = np.stack([r[0] for r in results])
    null_max = null.max(axis=(1, 2)) if null.size else np.zeros(n_permutations)
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
