# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 2 of the flow, exact kernels: derivatives of differentiable models.

* :func:`hessian_kernel` -- the one Hessian kernel, ``x -> (n, p, p)`` for a
  chunk of rows (and the gradients on request): in closed form for
  feed-forward networks (:mod:`._feedforward`), otherwise by batched double
  backward (CPU) or :mod:`torch.func` (``vmap`` over rows of
  forward-over-reverse ``jacfwd(jacrev(f))``, GPU).
* :func:`exact_hessians`, :func:`exact_gradients` -- the kernel over all rows
  of an array, chunked so that memory stays bounded for any number of rows.
* :func:`mixed_derivative_extensions` -- exact mixed derivatives of order 3 to
  5 by nested automatic differentiation (T-NID).
* :func:`exact_gradients` and :func:`subset_hessians` -- the first-order
  pass of the feature screen and the Hessian of the features it kept (wide
  data).

With ``scale`` the derivative is taken with respect to ``z = x / scale``, so
that ``d2f/dz_i dz_j = scale_i * scale_j * d2f/dx_i dx_j`` is comparable across
features measured in different units.
"""

import warnings

import numpy as np
import torch
from torch.func import jacfwd, jacrev, vmap

# Upper bound on the number of float64 entries a chunk may materialise
# (64 MiB on the CPU; 512 MiB on a GPU, where larger chunks keep it busy).
_MAX_CHUNK_ELEMENTS = 2**23
_MAX_CHUNK_ELEMENTS_GPU = 2**26
# Float64 entries one chunk of replicated rows may hold in nested graphs
# (rows x features x a guess of the network width).
_MAX_NESTED_ELEMENTS = 2**22


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


def hessian_kernel(torch_function, device, *, return_gradients=False):
    """Per-chunk Hessian function ``x -> (n, p, p)`` for ``torch_function``.

    With ``return_gradients`` it returns ``(hessians, gradients)``, the
    gradients of shape ``(n, p)`` (path integrals need both).

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
        return lambda x: closed_form(x, return_gradients=return_gradients)
    if return_gradients or torch.device(device).type == "cpu":
        return lambda x: _double_backward(torch_function, x, return_gradients)
    use_vmap = True

    def batched(x):
        nonlocal use_vmap
        if use_vmap:
            try:
                return _hessian_chunk_vmap(torch_function, x)
            except RuntimeError:
                use_vmap = False
        return _double_backward(torch_function, x, False)

    return batched


def _double_backward(torch_function, x, return_gradients):
    """Hessians by ``p`` batched double-backward passes (row-wise functions)."""
    x = x.detach().clone().requires_grad_(True)
    n, p = x.shape
    zeros = torch.zeros(n, p, p, dtype=x.dtype, device=x.device)
    grad = None
    with torch.enable_grad():
        out = torch_function(x)
        if out.requires_grad:
            (grad,) = torch.autograd.grad(
                out.sum(), x, create_graph=True, allow_unused=True
            )
        if grad is None:  # constant model
            hess, grad = zeros, torch.zeros(n, p, dtype=x.dtype, device=x.device)
        elif not grad.requires_grad:  # linear model
            hess = zeros
        else:
            cols = []
            for j in range(p):
                (col,) = torch.autograd.grad(
                    grad[:, j].sum(), x, retain_graph=j < p - 1, allow_unused=True
                )
                cols.append(torch.zeros_like(x) if col is None else col)
            hess = torch.stack(cols, dim=2)
    if return_gradients:
        return hess.detach(), grad.detach()
    return hess.detach()


def exact_hessians(
    model_function, X, *, scale=None, chunk_size=None, return_gradients=False
):
    """Exact Hessians of a differentiable model at each row of ``X``.

    Parameters
    ----------
    model_function : ModelFunction
        An exact function (``model_function.exact`` is True).
    X : ndarray of shape (n_samples, n_features)
        Rows at which the Hessian is evaluated.
    scale : ndarray of shape (n_features,), default=None
        When given, return derivatives with respect to ``x / scale``.
    chunk_size : int, default=None
        Rows per vectorized call; ``None`` picks it from a memory budget.
    return_gradients : bool, default=False
        Also return the gradients.

    Returns
    -------
    hessians : ndarray of shape (n_samples, n_features, n_features)
    gradients : ndarray of shape (n_samples, n_features)
        Only with ``return_gradients=True``.
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
    hessians = np.empty((n, p, p), dtype=np.float64)
    gradients = np.empty((n, p), dtype=np.float64) if return_gradients else None
    compute = hessian_kernel(fn, device, return_gradients=return_gradients)
    for start in range(0, n, chunk_size):
        x = torch.as_tensor(
            X[start : start + chunk_size],
            dtype=model_function.dtype,
            device=model_function.device,
        )
        stop = start + x.shape[0]
        if return_gradients:
            h, g = compute(x)
            gradients[start:stop] = g.detach().cpu().numpy()
        else:
            h = compute(x)
        hessians[start:stop] = h.detach().cpu().numpy()
    model_function.n_evaluations += n
    if scale is not None:
        hessians *= np.outer(scale, scale)[None]
        if return_gradients:
            gradients *= scale[None]
    return (hessians, gradients) if return_gradients else hessians


def exact_gradients(model_function, X, *, scale=None, chunk_size=None):
    """Exact input gradients of a differentiable model at each row of ``X``.

    One backward pass per chunk of rows: the cheap first-order pass of the
    feature screen (no Hessian is formed).

    Returns
    -------
    gradients : ndarray of shape (n_samples, n_features)
    """
    X = np.asarray(X)
    n, p = X.shape
    fn = model_function.torch_function
    chunk_size = chunk_size or 8 * default_chunk_size(p, device=model_function.device)
    out = np.empty((n, p), dtype=np.float64)
    for start in range(0, n, chunk_size):
        x = torch.as_tensor(
            X[start : start + chunk_size],
            dtype=model_function.dtype,
            device=model_function.device,
        ).requires_grad_(True)
        with torch.enable_grad():
            value = fn(x)
            if value.requires_grad:
                (g,) = torch.autograd.grad(value.sum(), x, allow_unused=True)
            else:
                g = None
        out[start : start + x.shape[0]] = 0.0 if g is None else g.detach().cpu().numpy()
    model_function.n_evaluations += n
    if scale is not None:
        out *= scale[None]
    return out


def subset_hessians(model_function, X, features, *, scale=None, chunk_size=None):
    """Exact Hessians with respect to ``features`` only, the others held fixed.

    For wide data, after a screen has kept ``m`` of ``p`` features: ``m``
    backward passes per chunk instead of the ``p x p`` Hessian.

    Returns
    -------
    hessians : ndarray of shape (n_samples, m, m)
    """
    X = np.asarray(X)
    n, p = X.shape
    features = np.asarray(features, dtype=np.intp)
    m = len(features)
    fn = model_function.torch_function
    dtype, device = model_function.dtype, model_function.device
    index = torch.as_tensor(features, device=device)
    width = getattr(fn, "max_width", 64)
    if chunk_size is None:
        # Per row: the (m, m) Hessian and (m, width) intermediates of the kept
        # features, and a few copies of the row's p inputs and activations.
        per_row = m * (m + 4 * width) + 4 * (p + width)
        budget = _MAX_CHUNK_ELEMENTS
        if torch.device(device).type != "cpu":
            budget = _MAX_CHUNK_ELEMENTS_GPU
        chunk_size = int(np.clip(budget // per_row, 8, 8192))
    out = np.empty((n, m, m), dtype=np.float64)
    for start in range(0, n, chunk_size):
        base = torch.as_tensor(
            X[start : start + chunk_size], dtype=dtype, device=device
        )

        def restricted(z, base=base):
            return fn(base.index_copy(1, index, z))

        h = _double_backward(restricted, base[:, index], False)
        out[start : start + base.shape[0]] = h.cpu().numpy()
    model_function.n_evaluations += n
    if scale is not None:
        s = np.asarray(scale)[features]
        out *= np.outer(s, s)[None]
    return out


def mixed_derivative_extensions(model_function, X, tuples, *, chunk_size=None):
    """Exact ``d^(m+1) f / dx_{t_1} ... dx_{t_m} dx_j`` for every ``j``.

    Parameters
    ----------
    model_function : ModelFunction
        An exact model function.
    X : ndarray of shape (n_samples, n_features)
    tuples : array-like of int, shape (n_tuples, m)
        Feature indices to differentiate along first (``m >= 1``; repeated
        indices are allowed and give pure derivatives).
    chunk_size : int, default=None
        Replicated rows per batch.

    Returns
    -------
    derivatives : ndarray of shape (n_samples, n_tuples, n_features)
        Raw-scale derivatives; entry ``[r, t, j]`` extends tuple ``t`` by
        feature ``j``.
    """
    X = np.asarray(X, dtype=np.float64)
    tuples = np.asarray(tuples, dtype=np.int64)
    n, p = X.shape
    n_tuples, m = tuples.shape
    fn = model_function.torch_function
    dtype, device = model_function.dtype, model_function.device
    if chunk_size is None:
        chunk_size = max(1, _MAX_NESTED_ELEMENTS // (p * 256 * (m + 1)))
    reps = np.repeat(X, n_tuples, axis=0)
    idx_all = np.tile(tuples, (n, 1))
    out = np.empty((n * n_tuples, p))
    for start in range(0, n * n_tuples, chunk_size):
        stop = min(start + chunk_size, n * n_tuples)
        x = torch.as_tensor(reps[start:stop], dtype=dtype, device=device)
        x.requires_grad_(True)
        idx = torch.as_tensor(idx_all[start:stop], device=device)
        with torch.enable_grad():
            value = fn(x)
            for level in range(m + 1):
                if not value.requires_grad:  # derivative identically zero
                    value = None
                    break
                (grad,) = torch.autograd.grad(
                    value.sum(), x, create_graph=level < m, allow_unused=True
                )
                if grad is None:
                    value = None
                    break
                if level < m:
                    value = grad.gather(1, idx[:, level : level + 1]).squeeze(1)
                else:
                    value = grad
        if value is None:
            out[start:stop] = 0.0
        else:
            out[start:stop] = value.detach().cpu().numpy()
    model_function.n_evaluations += n * n_tuples
    return out.reshape(n, n_tuples, p)
