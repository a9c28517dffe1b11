# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Path-integrated local interactions: Integrated and Expected Hessians.

Janizek et al. define, for a row ``x``, a baseline ``x'`` and ``d = x - x'``,

.. math::
    \\Gamma_{ij}(x) = d_i d_j \\int_0^1\\!\\!\\int_0^1 \\alpha\\beta\\,
    \\partial_{ij} f(x' + \\alpha\\beta d)\\, d\\alpha\\, d\\beta
    + \\delta_{ij}\\, d_i \\int_0^1\\!\\!\\int_0^1
    \\partial_i f(x' + \\alpha\\beta d)\\, d\\alpha\\, d\\beta

(paper Eq. 3 and 21), whose entries add up to ``f(x) - f(x')`` (interaction
completeness, Eq. 5). Both integrands depend on ``(alpha, beta)`` only
through ``t = alpha * beta``, whose density on ``(0, 1)`` is ``-log t``, so the
double integral is the one-dimensional integral
``int_0^1 -log(t) g(t) dt``. We evaluate it with the Gauss rule for that
weight, which is exact for polynomials of degree ``2 n - 1`` in ``t`` with
``n`` nodes and converges much faster than the paper's ``k x k`` Riemann grid
(Eq. 29; ``benchmarks/bench_local.py`` compares the two).

Expected Hessians (Eq. 8, 22, 23) average the same quantity over baselines
drawn from background data; each drawn baseline gets the same quadrature.

All (row, baseline, node) points are flattened into one list and processed in
chunks: for each chunk, the engine's Hessian kernel
(:func:`~sklearn_interact.inspection._hessians.hessian_kernel`, with gradients)
gives the Hessians and gradients of every point at once (the reference code
instead loops over path points, with one backward pass per feature at each).
This module is the local-estimate kernel; :mod:`._local` holds the public
functions.
"""

import functools
import warnings

import numpy as np
import torch
from scipy.special import roots_legendre
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.validation import check_array

from sklearn_interact.inspection._hessians import default_chunk_size, hessian_kernel
from sklearn_interact.utils._warnings import user_stacklevel

#: Default quadrature nodes along each path (Integrated Hessians).
DEFAULT_N_STEPS = 32
#: Default baselines drawn per row (Expected Hessians).
DEFAULT_N_SAMPLES = 32
#: Default quadrature nodes along each drawn path (Expected Hessians).
DEFAULT_EXPECTED_N_STEPS = 8


@functools.lru_cache(maxsize=32)
def log_weight_gauss(n_nodes):
    """Gauss rule for ``int_0^1 -log(t) g(t) dt``.

    The recurrence coefficients of the orthogonal polynomials are computed by
    the discretized Stieltjes procedure on a tensor Gauss-Legendre rule in
    ``(alpha, beta)`` (``t = alpha * beta``), which reproduces every moment
    needed exactly; nodes and weights then come from the Jacobi matrix
    (Golub-Welsch).

    Parameters
    ----------
    n_nodes : int

    Returns
    -------
    nodes, weights : ndarray of shape (n_nodes,)
        Nodes in ``(0, 1)``; the weights add up to 1.
    """
    n = int(n_nodes)
    n_grid = max(n + 16, 64)
    a, w = roots_legendre(n_grid)
    a = (a + 1.0) / 2.0
    w = w / 2.0
    t = np.outer(a, a).ravel()
    wt = np.outer(w, w).ravel()
    alpha = np.zeros(n)
    b = np.zeros(n)
    p_prev = np.zeros_like(t)
    p = np.ones_like(t)
    norm = wt.sum()
    for k in range(n):
        alpha[k] = (wt * t * p * p).sum() / norm
        if k == n - 1:
            break
        p_next = (t - alpha[k]) * p - (b[k] if k else 0.0) * p_prev
        new_norm = (wt * p_next * p_next).sum()
        b[k + 1] = new_norm / norm
        s = np.sqrt(new_norm)
        p_prev, p, norm = p / s, p_next / s, 1.0
    off = np.sqrt(b[1:])
    jacobi = np.diag(alpha) + np.diag(off, 1) + np.diag(off, -1)
    nodes, vectors = np.linalg.eigh(jacobi)
    return nodes, vectors[0] ** 2


def path_hessians(
    model_function, X, baselines, nodes, weights, *, row_index=None, chunk_size=None
):
    """Sum of path-integrated Hessian terms over (row, baseline) paths.

    Parameters
    ----------
    model_function : ModelFunction
        An exact model function.
    X : ndarray of shape (n_paths, n_features)
        End point of each path.
    baselines : ndarray of shape (n_paths, n_features)
        Start point of each path.
    nodes, weights : ndarray of shape (n_nodes,)
        Path rule (see :func:`log_weight_gauss`).
    row_index : ndarray of shape (n_paths,), default=None
        Output row of each path; paths of one row are averaged. ``None`` means
        one path per row.
    chunk_size : int, default=None
        Points (path x node) per vectorized call.

    Returns
    -------
    values : ndarray of shape (n_rows, n_features, n_features)
        Integrated Hessians, main-effect terms on the diagonal.
    """
    X = np.asarray(X, dtype=np.float64)
    baselines = np.asarray(baselines, dtype=np.float64)
    n_paths, p = X.shape
    if row_index is None:
        row_index = np.arange(n_paths)
    n_rows = int(row_index.max()) + 1 if n_paths else 0
    counts = np.bincount(row_index, minlength=n_rows).astype(np.float64)
    n_nodes = len(nodes)
    chunk_size = chunk_size or default_chunk_size(p)
    dtype, device = model_function.dtype, model_function.device
    compute = hessian_kernel(
        model_function.torch_function, device, return_gradients=True
    )
    nodes_t = torch.as_tensor(nodes, dtype=dtype, device=device)
    weights_t = torch.as_tensor(weights, dtype=dtype, device=device)
    out = torch.zeros((n_rows, p, p), dtype=dtype, device=device)
    # Paths per chunk so that (paths x nodes) stays near chunk_size points; a
    # single path with more nodes than chunk_size is split over its nodes.
    paths_per_chunk = max(1, chunk_size // n_nodes)
    nodes_per_chunk = min(n_nodes, chunk_size)
    for start in range(0, n_paths, paths_per_chunk):
        stop = min(start + paths_per_chunk, n_paths)
        x0 = torch.as_tensor(baselines[start:stop], dtype=dtype, device=device)
        d = torch.as_tensor(X[start:stop], dtype=dtype, device=device) - x0
        rows = torch.as_tensor(row_index[start:stop], device=device)
        scale = torch.as_tensor(1.0 / counts[row_index[start:stop]], dtype=dtype)
        scale = scale.to(device)
        acc_h = torch.zeros((stop - start, p, p), dtype=dtype, device=device)
        acc_g = torch.zeros((stop - start, p), dtype=dtype, device=device)
        for n0 in range(0, n_nodes, nodes_per_chunk):
            t = nodes_t[n0 : n0 + nodes_per_chunk]
            w = weights_t[n0 : n0 + nodes_per_chunk]
            z = x0[:, None, :] + t[None, :, None] * d[:, None, :]
            hess, grad = compute(z.reshape(-1, p))
            hess = hess.reshape(stop - start, len(t), p, p)
            grad = grad.reshape(stop - start, len(t), p)
            acc_h += torch.einsum("k,cknm->cnm", w * t, hess)
            acc_g += torch.einsum("k,ckn->cn", w, grad)
        # Eq. 3 and 21: d_i d_j times the Hessian part, plus d_i times the
        # gradient part on the diagonal (the main effect).
        values = acc_h * (d[:, :, None] * d[:, None, :])
        values = values + torch.diag_embed(acc_g * d)
        out.index_add_(0, rows, values * scale[:, None, None])
    model_function.n_evaluations += n_paths * n_nodes
    return out.detach().cpu().numpy()


def _broadcast_baseline(baseline, X):
    n, p = X.shape
    if baseline is None:
        return np.zeros_like(X)
    baseline = check_array(
        baseline,
        dtype=np.float64,
        ensure_2d=False,
        ensure_all_finite=True,
        input_name="baseline",
    )
    if baseline.ndim == 1:
        baseline = baseline[None, :]
    if baseline.ndim != 2 or baseline.shape[1] != p or baseline.shape[0] not in (1, n):
        raise ValueError(
            f"baseline must have shape ({p},), (1, {p}) or ({n}, {p}) for X of "
            f"shape {X.shape}; got {baseline.shape}."
        )
    return np.broadcast_to(baseline, X.shape).copy()


def _relative_error(values, difference, outputs):
    """Absolute and relative completeness errors per row."""
    error = np.abs(values.sum(axis=(1, 2)) - difference)
    floor = 1e-6 * (1.0 + np.max(np.abs(outputs), initial=0.0))
    return error, error / np.maximum(np.abs(difference), floor)


def _integrate(
    fn,
    X,
    baselines,
    row_index,
    difference,
    outputs,
    n_steps,
    tol,
    max_steps,
    chunk_size,
):
    """Path integrals, doubling the nodes of unconverged rows until ``tol``."""
    n = X.shape[0] if row_index is None else int(row_index.max()) + 1
    values = path_hessians(
        fn,
        X,
        baselines,
        *log_weight_gauss(n_steps),
        row_index=row_index,
        chunk_size=chunk_size,
    )
    steps = np.full(n, n_steps)
    error, rel = _relative_error(values, difference, outputs)
    if tol is None:
        return values, steps, error, rel, np.ones(n, dtype=bool)
    current = n_steps
    while True:
        todo = np.flatnonzero(rel > tol)
        if todo.size == 0 or 2 * current > max_steps:
            break
        current *= 2
        if row_index is None:
            sel, sub_index = todo, None
        else:
            mask = np.isin(row_index, todo)
            sel = np.flatnonzero(mask)
            sub_index = np.searchsorted(todo, row_index[sel])
        nodes, weights = log_weight_gauss(current)
        values[todo] = path_hessians(
            fn,
            X[sel],
            baselines[sel],
            nodes,
            weights,
            row_index=sub_index,
            chunk_size=chunk_size,
        )
        steps[todo] = len(nodes)
        error[todo], rel[todo] = _relative_error(
            values[todo], difference[todo], outputs
        )
    converged = rel <= tol
    if not converged.all():
        warnings.warn(
            f"{int((~converged).sum())} of {n} rows did not reach a relative "
            f"completeness error of {tol} with max_steps={max_steps} path "
            f"nodes (largest error {rel.max():.3g}). Raise max_steps or, for "
            "ReLU models, lower beta (a smoother softplus).",
            ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    return values, steps, error, rel, converged


def integrated_from_function(
    fn,
    X,
    baseline=None,
    *,
    n_steps=DEFAULT_N_STEPS,
    tol=None,
    max_steps=256,
    chunk_size=None,
):
    """:func:`integrated_hessians` of a validated exact :class:`ModelFunction`."""
    baselines = _broadcast_baseline(baseline, X)
    f_x, f_b = fn(X), fn(baselines)
    difference = f_x - f_b
    values, steps, error, rel, converged = _integrate(
        fn,
        X,
        baselines,
        None,
        difference,
        np.concatenate([f_x, f_b]),
        n_steps,
        tol,
        max_steps,
        chunk_size,
    )
    return Bunch(
        interaction_values=values,
        attributions=values.sum(axis=2),
        output_difference=difference,
        completeness_error=error,
        relative_completeness_error=rel,
        n_steps=steps,
        converged=converged,
        baseline=baselines,
        method="integrated",
    )


def expected_from_function(
    fn,
    X,
    background,
    *,
    n_samples=DEFAULT_N_SAMPLES,
    n_steps=DEFAULT_EXPECTED_N_STEPS,
    tol=None,
    max_steps=256,
    chunk_size=None,
    random_state=None,
):
    """:func:`expected_hessians` of a validated exact :class:`ModelFunction`."""
    rng = check_random_state(random_state)
    n = X.shape[0]
    n_bg = background.shape[0]
    if n_bg >= n_samples:
        idx = np.stack([rng.choice(n_bg, n_samples, replace=False) for _ in range(n)])
    else:
        idx = rng.randint(0, n_bg, size=(n, n_samples))
    row_index = np.repeat(np.arange(n), n_samples)
    f_x, f_bg = fn(X), fn(background)
    difference = f_x - f_bg[idx].mean(axis=1)
    values, steps, error, rel, converged = _integrate(
        fn,
        np.repeat(X, n_samples, axis=0),
        background[idx.ravel()],
        row_index,
        difference,
        np.concatenate([f_x, f_bg]),
        n_steps,
        tol,
        max_steps,
        chunk_size,
    )
    return Bunch(
        interaction_values=values,
        attributions=values.sum(axis=2),
        output_difference=difference,
        background_output_difference=f_x - f_bg.mean(),
        completeness_error=error,
        relative_completeness_error=rel,
        n_steps=steps,
        converged=converged,
        baseline_indices=idx,
        method="expected",
    )


#: Settings of the global summaries (mean |Gamma| per pair over many rows):
#: per-row noise averages out over rows, so fewer samples are needed.
GLOBAL_N_STEPS = 16
GLOBAL_N_SAMPLES = 8


def path_pair_values(model_function, X, method, *, random_state=0):
    """Per-row Integrated / Expected Hessian values of every pair ``(n, P)``.

    ``"integrated"`` integrates from the column means of ``X``;
    ``"expected"`` draws baselines from ``X`` itself. Used by
    :func:`pairwise_interactions` for its global summary (mean absolute value
    per pair).
    """
    if method == "integrated":
        result = integrated_from_function(
            model_function, X, X.mean(axis=0), n_steps=GLOBAL_N_STEPS
        )
    else:
        result = expected_from_function(
            model_function,
            X,
            X,
            n_samples=GLOBAL_N_SAMPLES,
            n_steps=GLOBAL_N_STEPS // 2,
            random_state=random_state,
        )
    i, j = np.triu_indices(X.shape[1], k=1)
    return result.interaction_values[:, i, j]
