# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Bayesian Group Expected Hessian over posterior draws (Cui et al., 2020).

A Bayesian model is given as a *draw function* ``f(x, k)``: the prediction of
posterior draw ``k`` at rows ``x``. The flow is the engine's, run once per draw
and vectorized across draws:

1. :func:`posterior_pair_hessians` -- local estimates: exact Hessians of
   every draw at every evaluation row through the engine's Hessian kernel
   (:func:`~sklearn_interact.inspection._hessians.exact_hessians`). Draws are
   batched: each block of rows carries its draw index as an extra input
   column, so one vectorized call covers many draws.
2. :func:`bayesian_group_expected_hessian` -- aggregation: one M-GEH (or EAH
   / AEH) per draw through the engine's
   :func:`~sklearn_interact.inspection._aggregation.aggregate`, with the
   absolute value taken *inside* each draw (Cui et al., appendix Eq. 1).
3. Uncertainty: the draws are posterior samples, summarised by
   :func:`~sklearn_interact.inspection._uncertainty.posterior_summary`
   (credible intervals, p-values), with
   :func:`~sklearn_interact.inspection._uncertainty.benjamini_hochberg` for
   false discovery rate control and
   :func:`~sklearn_interact.inspection.permutation_null` for the permutation
   null (appendix Sec. 7).
"""

import numpy as np
import torch

from sklearn_interact.inspection._aggregation import aggregate
from sklearn_interact.inspection._hessians import exact_hessians
from sklearn_interact.inspection._model_function import ModelFunction
from sklearn_interact.inspection._validation import all_pairs
from sklearn_interact.utils._torch import resolve_device

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
        Device of the computation (CPU when None; ``"auto"``: CUDA when
        available).

    Returns
    -------
    local : ndarray of shape (n_draws, n_samples, n_pairs)
        Hessian entries for the pairs ``all_pairs(q)`` of the ``q`` selected
        features (all features when ``features`` is None).
    """
    X = np.asarray(X, dtype=np.float64)
    per_draw = X.ndim == 3
    n, p = X.shape[-2:]
    device = resolve_device(device)
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


def bayesian_group_expected_hessian(local, kind="geh", *, clusters=None):
    """One global interaction score per posterior draw.

    Parameters
    ----------
    local : ndarray of shape (n_draws, n_samples, n_pairs)
        Local Hessian entries of each draw, e.g. from
        :func:`posterior_pair_hessians`.
    kind : {"geh", "eah", "aeh", "mean_squared"}, default="geh"
        Aggregation applied to each draw (absolute value inside each draw).
    clusters : ndarray of shape (n_samples,), default=None
        Row-cluster labels for ``"geh"`` (e.g. from
        :func:`~sklearn_interact.inspection._aggregation.row_clusters`), shared
        by all draws.

    Returns
    -------
    samples : ndarray of shape (n_draws, n_pairs)
        Posterior samples of the global interaction scores.
    """
    local = np.asarray(local, dtype=np.float64)
    n_draws, n, n_pairs = local.shape
    flat = local.transpose(1, 0, 2).reshape(n, n_draws * n_pairs)
    return aggregate(flat, kind, clusters=clusters).reshape(n_draws, n_pairs)
