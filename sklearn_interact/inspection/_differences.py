# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 2 of the flow, black-box kernel: mixed central finite differences.

For a row ``x``, directions ``d_1, ..., d_k`` and a step ``h``, the ``k``-th
mixed central difference is

.. math::
    \\frac{1}{(2h)^k} \\sum_{s \\in \\{\\pm 1\\}^k} \\Big(\\prod_l s_l\\Big)
    f\\big(x + h \\sum_l s_l d_l\\big),

the mixed directional derivative ``D_{d_1} ... D_{d_k} f(x)`` up to
``O(h^2)``. With ``d_l = sigma_{i_l} e_{i_l}`` (a feature's unit vector times
its scale) it is the mixed partial derivative of a feature tuple on the
standardized scale: ParaACE Eq. 1 for pairs (four points), eight points for
triples, sixteen for quadruples. Column groups (Taylor-CAM) use directions
that span several columns.

One kernel, :func:`_signed_sum`, evaluates every sign pattern of a chunk of
rows in one batched model call; :func:`mixed_differences` (feature tuples, at
every row or tuple ``t`` at row ``t``) and :func:`direction_differences`
(arbitrary directions) only build the displacements.
"""

import itertools

import numpy as np

# Upper bound on the float64 entries of the points of one model call.
_MAX_CHUNK_ELEMENTS = 2**23


def sign_patterns(order):
    """All ``2**order`` sign vectors and the product of each one's signs."""
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=order)))
    return signs, signs.prod(axis=1)


def _signed_sum(model_function, X, displacements, order, step, per_row_size):
    """``sum_s coef_s f(x + displacement_s) / (2 h)^k`` for every row and term.

    ``displacements(start, stop)`` returns an array of shape ``(m, T, S, p)``
    with ``m`` either ``stop - start`` (one set per row) or 1 (shared by all
    rows); ``S = 2**order`` sign patterns in the order of
    :func:`sign_patterns`. ``per_row_size`` is ``T * S * p``, the entries of
    one row's points, which sets the rows per model call.
    """
    n, p = X.shape
    _, coef = sign_patterns(order)
    chunk = max(1, _MAX_CHUNK_ELEMENTS // max(per_row_size, 1))
    out = None
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        delta = displacements(start, stop)
        points = X[start:stop, None, None, :] + delta
        values = model_function(points.reshape(-1, p))
        values = values.reshape(stop - start, delta.shape[1], delta.shape[2])
        if out is None:
            out = np.empty((n, delta.shape[1]))
        out[start:stop] = values @ coef
    if out is None:
        out = np.zeros((n, 0))
    return out / (2.0 * step) ** order


def mixed_differences(model_function, X, tuples, *, step, scale=None, paired=False):
    """Mixed central differences of feature tuples on the standardized scale.

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
    paired : bool, default=False
        ``False``: every tuple at every row, shape ``(n_samples, n_tuples)``.
        ``True``: tuple ``t`` at row ``t`` only (``n_tuples == n_samples``),
        shape ``(n_samples,)``; the bandit's pulls.

    Returns
    -------
    differences : ndarray of shape (n_samples, n_tuples) or (n_samples,)
    """
    X = np.asarray(X, dtype=np.float64)
    tuples = np.asarray(tuples, dtype=np.intp)
    if tuples.ndim != 2:
        raise ValueError("tuples must be a 2-D array of feature indices.")
    n, p = X.shape
    n_tuples, order = tuples.shape
    if paired and n_tuples != n:
        raise ValueError("paired differences need one tuple per row.")
    if n_tuples == 0:
        return np.zeros(n) if paired else np.zeros((n, 0))
    scale = np.ones(p) if scale is None else np.asarray(scale, dtype=np.float64)
    signs, _ = sign_patterns(order)
    n_points = signs.shape[0]
    # delta[t, s, :] is the displacement of sign pattern s for tuple t.
    delta = np.zeros((n_tuples, n_points, p))
    rows = np.arange(n_tuples)[:, None]
    for level in range(order):
        idx = tuples[:, level]
        delta[rows, np.arange(n_points)[None, :], idx[:, None]] += (
            step * signs[None, :, level] * scale[idx][:, None]
        )
    if paired:
        out = _signed_sum(
            model_function,
            X,
            lambda start, stop: delta[start:stop, None],
            order,
            step,
            n_points * p,
        )
        return out[:, 0]
    return _signed_sum(
        model_function,
        X,
        lambda start, stop: delta[None],
        order,
        step,
        n_tuples * n_points * p,
    )


def direction_differences(model_function, X, first, second, *, step):
    """Second mixed differences along row-wise directions, for all pairs.

    Parameters
    ----------
    model_function : ModelFunction
    X : ndarray of shape (n_samples, n_features)
    first : ndarray of shape (n_samples, n_features, A)
        Directions ``u_ra`` (one per row and column of the last axis).
    second : ndarray of shape (n_features, B)
        Directions ``v_b`` shared by all rows.
    step : float

    Returns
    -------
    differences : ndarray of shape (n_samples, A, B)
        ``D_{u_ra} D_{v_b} f(x_r)`` up to ``O(h^2)``.
    """
    X = np.asarray(X, dtype=np.float64)
    n, p = X.shape
    A, B = first.shape[2], second.shape[1]
    signs, _ = sign_patterns(2)

    def displacements(start, stop):
        u = first[start:stop].transpose(0, 2, 1)  # (m, A, p)
        # d[r, a, b, s, :] = h (s0 u_ra + s1 v_b)
        d = (
            step * signs[None, None, None, :, 0, None] * u[:, :, None, None, :]
            + step * signs[None, None, None, :, 1, None] * second.T[None, None, :, None]
        )
        return d.reshape(stop - start, A * B, 4, p)

    out = _signed_sum(model_function, X, displacements, 2, step, A * B * 4 * p)
    return out.reshape(n, A, B)
