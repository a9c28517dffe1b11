# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 2 of the flow: local (per-row) derivative estimates.

* :func:`exact_hessians` -- exact per-row Hessians: in closed form for
  feed-forward networks (:mod:`._feedforward`), otherwise by batched double
  backward (CPU) or :mod:`torch.func` (``vmap`` over rows of forward-over-reverse
  ``jacfwd(jacrev(f))``, GPU), chunked so that memory stays bounded for any
  number of rows.
* :func:`finite_difference_mixed` -- mixed central differences of any order for
  black-box models (ParaACE Eq. 1 for pairs; ``2**k`` points for order ``k``),
  all tuples of a chunk of rows evaluated in one batched model call.

Both work on the *standardized* scale when given ``scale``: the derivative is
taken with respect to ``z = x / scale``, so that ``d2f/dz_i dz_j =
scale_i * scale_j * d2f/dx_i dx_j`` is comparable across features measured in
different units.
"""

import functools
import itertools
import warnings

import numpy as np
import torch
from torch.func import jacfwd, jacrev, vmap

# Upper bound on the number of float64 entries a chunk may materialise
# (64 MiB on the CPU; 512 MiB on a GPU, where larger chunks keep it busy).
_MAX_CHUNK_ELEMENTS = 2**23
_MAX_CHUNK_ELEMENTS_GPU = 2**26


def default_chunk_size(n_features, width=64, device="cpu"):
    """Rows per chunk for exact Hessians, from a memory budget."""
    per_row = n_features * (n_features + 4 * width)
    if torch.device(device).type == "cpu":
        budget, most = _MAX_CHUNK_ELEMENTS, 8192
    else:
        budget, most = _MAX_CHUNK_ELEMENTS_GPU, 16384
    return int(np.clip(budget // max(per_row, 1), 8, most))


def _row_function(torch_function):
    def f(x):
        return torch_function(x.unsqueeze(0)).squeeze(0)

    return f


def _hessian_chunk_vmap(torch_function, x):
    """Hessians by vmap(jacfwd(jacrev)): one vectorized call, fastest on a GPU."""
    with warnings.catch_warnings():
        # torch.func scripts a helper on first use, which recent torch flags as
        # deprecated; nothing a user of this function can act on.
        warnings.filterwarnings(
            "ignore", message=".*torch.jit.script.*", category=DeprecationWarning
        )
        return vmap(jacfwd(jacrev(_row_function(torch_function))))(x)


def _hessian_kernel(torch_function, device):
    """Per-chunk Hessian function ``x -> (n, p, p)`` for ``torch_function``.

    Feed-forward networks use their closed form (:mod:`._feedforward`: one
    backward and one forward-mode pass), cheaper than either generic kernel.
    Otherwise, on the CPU, batched double backward (p backward passes over the
    whole chunk) beats ``vmap(jacfwd(jacrev))`` and has no first-call
    overhead; on a GPU the single vectorized vmap call is several times faster
    (see benchmarks/results/speed_cuda.md). Both need a row-wise model (rows do
    not interact), which every model in eval mode is. When vmap cannot batch
    an operation, the kernel switches to double backward for good.
    """
    closed_form = getattr(torch_function, "hessians", None)
    if closed_form is not None:
        return closed_form
    if torch.device(device).type == "cpu":
        return functools.partial(_hessian_chunk_loop, torch_function)
    use_vmap = True

    def batched(x):
        nonlocal use_vmap
        if use_vmap:
            try:
                return _hessian_chunk_vmap(torch_function, x)
            except RuntimeError:
                use_vmap = False
        return _hessian_chunk_loop(torch_function, x)

    return batched


def _hessian_chunk_loop(torch_function, x):
    """Hessians by ``p`` batched double-backward passes (row-wise functions)."""
    x = x.detach().clone().requires_grad_(True)
    n, p = x.shape
    with torch.enable_grad():
        out = torch_function(x)
        if not out.requires_grad:  # constant model
            return torch.zeros(n, p, p, dtype=x.dtype, device=x.device)
        (grad,) = torch.autograd.grad(
            out.sum(), x, create_graph=True, allow_unused=True
        )
        if grad is None or not grad.requires_grad:  # constant or linear model
            return torch.zeros(n, p, p, dtype=x.dtype, device=x.device)
        cols = []
        for j in range(p):
            (col,) = torch.autograd.grad(
                grad[:, j].sum(), x, retain_graph=j < p - 1, allow_unused=True
            )
            cols.append(torch.zeros_like(x) if col is None else col)
    return torch.stack(cols, dim=2)


def exact_hessians(model_function, X, *, scale=None, chunk_size=None):
    """Exact Hessians of a differentiable model at each row of ``X``.

    Parameters
    ----------
    model_function : ModelFunction
        An exact function (``model_function.exact`` is True).
    X : ndarray of shape (n_samples, n_features)
        Rows at which the Hessian is evaluated.
    scale : ndarray of shape (n_features,), default=None
        When given, return Hessians with respect to ``x / scale``.
    chunk_size : int, default=None
        Rows per vectorized call; ``None`` picks it from a memory budget.

    Returns
    -------
    hessians : ndarray of shape (n_samples, n_features, n_features)
    """
    if not model_function.exact:
        raise ValueError(
            f"{model_function.description} is not differentiable; use "
            "finite differences (method='finite_difference')."
        )
    X = np.asarray(X)
    n, p = X.shape
    device = torch.device(model_function.device)
    fn = model_function.torch_function
    # The closed form holds (rows, p, width) Jacobians: size chunks by width.
    width = getattr(fn, "max_width", 64)
    chunk_size = chunk_size or default_chunk_size(p, width=width, device=device)
    out = np.empty((n, p, p), dtype=np.float64)
    compute = _hessian_kernel(fn, device)
    for start in range(0, n, chunk_size):
        x = torch.as_tensor(
            X[start : start + chunk_size],
            dtype=model_function.dtype,
            device=model_function.device,
        )
        h = compute(x)
        out[start : start + x.shape[0]] = h.detach().cpu().numpy()
    model_function.n_evaluations += n
    if scale is not None:
        out *= np.outer(scale, scale)[None]
    return out


def exact_gradients(model_function, X, *, scale=None, chunk_size=None):
    """Exact gradients of a differentiable model at each row of ``X``.

    Returns
    -------
    gradients : ndarray of shape (n_samples, n_features)
    """
    X = np.asarray(X)
    n, p = X.shape
    chunk_size = chunk_size or 8 * default_chunk_size(p)
    out = np.empty((n, p), dtype=np.float64)
    fn = model_function.torch_function
    for start in range(0, n, chunk_size):
        x = torch.as_tensor(
            X[start : start + chunk_size],
            dtype=model_function.dtype,
            device=model_function.device,
        )
        x.requires_grad_(True)
        with torch.enable_grad():
            (g,) = torch.autograd.grad(fn(x).sum(), x)
        out[start : start + x.shape[0]] = g.detach().cpu().numpy()
    if scale is not None:
        out *= scale[None]
    return out


def _sign_patterns(order):
    """All ``2**order`` sign vectors and the product of each one's signs."""
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=order)))
    return signs, signs.prod(axis=1)


def finite_difference_mixed(
    model_function, X, tuples, *, step, scale=None, max_elements=_MAX_CHUNK_ELEMENTS
):
    """Mixed central finite differences of order ``k`` for index tuples.

    For a tuple ``(i_1, ..., i_k)`` and row ``x`` this is

    .. math::
        \\frac{1}{(2h)^k} \\sum_{s \\in \\{\\pm 1\\}^k} \\Big(\\prod_l s_l\\Big)
        f\\big(x + h \\sum_l s_l \\sigma_{i_l} e_{i_l}\\big),

    the ``k``-th mixed derivative on the standardized scale up to
    ``O(h^2)``. For ``k = 2`` it is ParaACE Eq. 1 (four points); ``k = 3`` uses
    eight and ``k = 4`` sixteen points.

    Parameters
    ----------
    model_function : ModelFunction
        Any model function (black box or exact).
    X : ndarray of shape (n_samples, n_features)
        Base rows.
    tuples : array-like of shape (n_tuples, k)
        Feature indices, distinct within each tuple.
    step : float
        Step ``h`` on the standardized scale.
    scale : ndarray of shape (n_features,), default=None
        Per-feature scale (standard deviation); ``None`` means 1.
    max_elements : int
        Memory budget that sets how many rows go into one model call.

    Returns
    -------
    differences : ndarray of shape (n_samples, n_tuples)
    """
    X = np.asarray(X, dtype=np.float64)
    tuples = np.asarray(tuples, dtype=np.intp)
    if tuples.ndim != 2:
        raise ValueError("tuples must be a 2-D array of feature indices.")
    n, p = X.shape
    n_tuples, order = tuples.shape
    if n_tuples == 0:
        return np.zeros((n, 0))
    scale = np.ones(p) if scale is None else np.asarray(scale, dtype=np.float64)
    signs, coef = _sign_patterns(order)
    n_points = signs.shape[0]
    # delta[t, s, :] is the displacement of sign pattern s for tuple t.
    delta = np.zeros((n_tuples, n_points, p))
    rows = np.arange(n_tuples)[:, None]
    for level in range(order):
        idx = tuples[:, level]
        delta[rows, np.arange(n_points)[None, :], idx[:, None]] += (
            step * signs[None, :, level] * scale[idx][:, None]
        )
    chunk = max(1, max_elements // (n_tuples * n_points * p))
    out = np.empty((n, n_tuples))
    for start in range(0, n, chunk):
        xb = X[start : start + chunk]
        points = xb[:, None, None, :] + delta[None]
        values = model_function(points.reshape(-1, p))
        values = values.reshape(xb.shape[0], n_tuples, n_points)
        out[start : start + xb.shape[0]] = values @ coef
    return out / (2.0 * step) ** order


def all_pairs(n_features):
    """Index pairs ``(i, j)``, ``i < j``, in row-major upper-triangle order."""
    i, j = np.triu_indices(n_features, k=1)
    return np.column_stack([i, j])


def pairs_to_matrix(values, n_features, *, fill=0.0):
    """Place per-pair values (last axis) into symmetric matrices."""
    values = np.asarray(values)
    i, j = np.triu_indices(n_features, k=1)
    out = np.full(values.shape[:-1] + (n_features, n_features), fill, dtype=float)
    out[..., i, j] = values
    out[..., j, i] = values
    return out
