# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 2 of the flow, black-box kernel: mixed differences on every column type.

For a row ``x`` and a tuple of features, each feature offers a small grid of
values and a contrast over it:

* a *continuous* column the two points ``x_i +- h s_i`` (slid inside the
  observed range near its ends, keeping their distance ``2 h s_i``, so that
  steps stay inside the data), a *discrete* column
  its neighbouring observed levels, a *binary* column its two levels; the
  contrast is their difference divided by the distance between the two
  values, times the column's scale ``s_i`` (a derivative per standard
  deviation, far-out values clipped);
* a *categorical* column every level (the most frequent ones); the contrast
  is the model's value at each level minus their frequency-weighted mean,
  one signed component per level.

The model is evaluated on the product grid of a tuple's features (``2**k``
points for ``k`` numeric features: ParaACE Eq. 1 for pairs) and the contrasts
are applied one feature after the other. For numeric features this is the
mixed central difference

.. math::
    \\frac{1}{\\prod_l \\Delta_l} \\sum_{s \\in \\{\\pm\\}^k}
    \\Big(\\prod_l s_l\\Big) f(x \\text{ with } x_{i_l} = v^{s_l}_{i_l})
    \\prod_l s_{i_l},

exact for multilinear functions and the mixed derivative on the standardized
scale up to ``O(h^2)``. A tuple with categorical features has one component
per combination of their levels: the numeric contrasts, centred over each
categorical column's levels with weights equal to the levels' frequencies
(doubly centred for two categorical columns: the pure interaction table). Its
value at a row is the frequency-weighted root mean square of the components,
the standard deviation across levels of what the numeric features do
(non-negative: a categorical column has no direction); for a two-level column
it equals the binary contrast times the indicator's standard deviation. The
signed components are kept for aggregations that average before taking a
magnitude (:func:`tuple_components`). A tuple is undefined (NaN) at a row
where one of its features is missing.

One kernel, :func:`_grid_contrasts`, serves every caller: all tuples at every
row (:func:`tuple_contrasts`, :func:`mixed_differences`), tuple ``t`` at row
``t`` (the bandit's pulls), and single features (main effects, for the
"never a silent zero" check). :func:`direction_differences` takes mixed
differences along arbitrary directions (column groups).
"""

import itertools

import numpy as np

from sklearn_interact.inspection._features import MAX_CATEGORICAL_LEVELS

# Upper bound on the float64 entries of the points of one model call.
_MAX_CHUNK_ELEMENTS = 2**23


class FeatureGrid:
    """Per-row grid values and contrasts of every feature.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, n_features)
        Rows as numeric codes (see
        :class:`~sklearn_interact.inspection._features.TabularData`).
    kinds : list of str
        Type of each column.
    scale : ndarray of shape (n_features,)
        Multiplier of each feature's contrast (its scale, or 1 for raw
        derivatives).
    step : float
        Step of continuous columns, in units of ``spread``.
    spread : ndarray of shape (n_features,)
        Scale of the steps of continuous columns.
    lower, upper : ndarray of shape (n_features,)
        Support of numeric columns (steps stay inside it).
    levels : list
        Observed levels of discrete and binary columns; categorical levels
        are codes ``0, 1, ...`` (most frequent first).
    frequencies : list
        Level frequencies of categorical columns.

    Notes
    -----
    A categorical column's contrast is multiplied by ``scale / spread``: 1
    for standardized scores (the spread across levels is already on the
    scale of a standard deviation), ``1 / sigma_c`` for raw values (per unit
    of the column's scale, as for the other types).
    """

    def __init__(
        self, codes, kinds, scale, step, spread, lower, upper, levels, frequencies
    ):
        n, p = codes.shape
        self.kinds = list(kinds)
        self.is_categorical = np.asarray([k == "categorical" for k in kinds], bool)
        self.size = np.full(p, 2, dtype=np.intp)
        for j, kind in enumerate(self.kinds):
            if kind == "categorical":
                self.size[j] = min(len(levels[j]), MAX_CATEGORICAL_LEVELS)
        width = int(self.size.max()) if p else 2
        self.values = np.zeros((n, p, width))
        self.coef = np.zeros((n, p))
        # Level weights of categorical columns: the same at every row (a
        # missing row's values are NaN through its coefficient), so any chunk
        # of rows gives the components' weights.
        self.weights = np.zeros((p, width))
        for j, kind in enumerate(self.kinds):
            x = codes[:, j]
            missing = np.isnan(x)
            if kind == "categorical":
                k = self.size[j]
                self.values[:, j, :k] = np.arange(k)
                freq = np.asarray(frequencies[j], dtype=np.float64)[:k]
                self.weights[j, :k] = freq / freq.sum()
                ratio = scale[j] / spread[j] if spread[j] > 0 else 0.0
                self.coef[:, j] = np.where(missing, np.nan, ratio)
                continue
            if kind == "binary":
                lo, hi = levels[j][0], levels[j][-1]
                plus, minus = np.full(n, hi), np.full(n, lo)
            elif kind == "discrete":
                grid = np.asarray(levels[j], dtype=np.float64)
                up = np.searchsorted(grid, x, side="right")  # first level > x
                down = np.searchsorted(grid, x, side="left") - 1  # last level < x
                plus = np.where(up < len(grid), grid[np.minimum(up, len(grid) - 1)], x)
                minus = np.where(down >= 0, grid[np.maximum(down, 0)], x)
            else:
                # Two points 2h apart around x, slid inside the observed range
                # near its ends: a shorter step there would inflate the jumps
                # of piecewise-constant models.
                h = step * spread[j]
                width = min(2.0 * h, upper[j] - lower[j])
                minus = np.clip(x - h, lower[j], upper[j] - width)
                plus = minus + width
            delta = plus - minus
            with np.errstate(divide="ignore", invalid="ignore"):
                coef = np.where(
                    delta > 0, scale[j] / np.where(delta > 0, delta, 1), 0.0
                )
            coef[missing] = np.nan
            self.values[:, j, 0] = np.where(missing, np.nan, plus)
            self.values[:, j, 1] = np.where(missing, np.nan, minus)
            self.coef[:, j] = coef

    @classmethod
    def numeric(cls, X, *, step, scale=None, spread=None):
        """All-continuous grid with unbounded support (plain central differences).

        ``scale`` (1 by default) multiplies each contrast and sets the steps
        ``h * scale`` (or ``h * spread`` when ``spread`` is given).
        """
        n, p = X.shape
        scale = np.ones(p) if scale is None else np.asarray(scale, dtype=np.float64)
        spread = scale if spread is None else np.asarray(spread, dtype=np.float64)
        inf = np.full(p, np.inf)
        return cls(
            X,
            ["continuous"] * p,
            scale,
            step,
            spread,
            -inf,
            inf,
            [None] * p,
            [None] * p,
        )

    @classmethod
    def from_data(cls, data, rows=None, *, step, standardize=True):
        """The grid of ``data`` (a ``TabularData``) at ``rows`` (all if None).

        With ``standardize`` each contrast is per unit of the column's scale
        (the engine's global scores); without, per unit of the column itself
        (raw derivatives; categorical contrasts in output units).
        """
        codes = data.codes if rows is None else data.codes[rows]
        scale = data.scale if standardize else np.ones(data.n_features)
        return cls(
            codes,
            data.kinds,
            scale,
            step,
            data.scale,
            data.lower,
            data.upper,
            data.levels,
            data.frequencies,
        )

    def rows(self, idx):
        """The grid of a subset of rows."""
        out = object.__new__(FeatureGrid)
        out.kinds, out.size = self.kinds, self.size
        out.is_categorical = self.is_categorical
        out.values = self.values[idx]
        out.coef = self.coef[idx]
        out.weights = self.weights
        return out


def _grid_contrasts(model_function, X, grid, tuples, *, paired, components=False):
    """Contrasts of ``tuples`` (crossed with rows, or paired with them).

    Returns ``(n, n_tuples)`` (crossed) or ``(n,)`` (paired); with
    ``components`` (crossed only) a list of blocks ``(members, values,
    weights)``: the tuples ``members`` of one grid shape, their signed
    components ``(n, len(members), K)`` and the components' weights
    ``(len(members), K)``.
    """
    X = np.asarray(X, dtype=np.float64)
    tuples = np.asarray(tuples, dtype=np.intp)
    n, p = X.shape
    n_tuples, order = tuples.shape
    out = np.full((n,) if paired else (n, n_tuples), np.nan)
    if n_tuples == 0 or n == 0:
        return [] if components else out
    # Grid shape of each tuple; categorical positions are negative.
    signature = grid.size[tuples] * np.where(grid.is_categorical[tuples], -1, 1)
    if not grid.is_categorical.any():  # every tuple has the numeric 2**k grid
        keys, inverse = signature[:1], np.zeros(n_tuples, dtype=np.intp)
    else:
        keys, inverse = np.unique(signature, axis=0, return_inverse=True)
    blocks = []
    for g, key in enumerate(keys):
        members = np.flatnonzero(inverse.ravel() == g)
        if paired:
            rows = members
            values, weights = _contrast_block(
                model_function, X[rows], grid.rows(rows), tuples[members][:, None], key
            )
            out[rows] = _row_values(values, weights)[:, 0]
            continue
        values, weights = _contrast_block(
            model_function, X, grid, tuples[members][None], key
        )
        if components:
            blocks.append((members, values, weights[0]))
        else:
            out[:, members] = _row_values(values, weights)
    return blocks if components else out


def _row_values(values, weights):
    """One value per row and tuple: the signed contrast of a numeric tuple,
    the weighted root mean square of the components of a categorical one."""
    if values.shape[-1] == 1 and np.all(weights == 1):
        return values[..., 0]
    return np.sqrt(np.sum(weights * values**2, axis=-1))


def _evaluate(model_function, n, per_row_size, build):
    """Model values at perturbed points, in chunks of rows.

    ``build(start, stop)`` returns the points of rows ``start:stop``, an array
    of shape ``(m, ..., n_features)``; the values come back in its shape
    without the last axis. ``per_row_size`` (entries of one row's points) sets
    the rows per model call.
    """
    chunk = max(1, _MAX_CHUNK_ELEMENTS // max(per_row_size, 1))
    parts = []
    for start in range(0, n, chunk):
        points = build(start, min(start + chunk, n))
        values = model_function(points.reshape(-1, points.shape[-1]))
        parts.append(values.reshape(points.shape[:-1]))
    return np.concatenate(parts) if parts else np.zeros((0,))


def _contrast_block(model_function, X, grid, tuples, key):
    """Contrasts of tuples that share one grid shape ``key``.

    ``tuples`` has shape (1 or n, T, k): the same tuples at every row, or one
    set per row. Returns the components and their weights, see :func:`_contract`.
    """
    n, p = X.shape
    T, order = tuples.shape[1], tuples.shape[2]
    sizes = np.abs(key)
    index = np.array(list(itertools.product(*[range(int(s)) for s in sizes])))
    S = index.shape[0]

    def rows_tuples(start, stop):
        if tuples.shape[0] == 1:
            return np.broadcast_to(tuples, (stop - start, T, order))
        return tuples[start:stop]

    def build(start, stop):
        m = stop - start
        tup = rows_tuples(start, stop)
        points = np.repeat(X[start:stop, None, :], T * S, axis=1).reshape(m, T, S, p)
        flat = points.reshape(-1)
        # Position of (row, tuple, grid point) in the flat array, feature 0.
        base = (np.arange(m * T * S) * p).reshape(m, T, S)
        r = np.arange(start, stop)[:, None]
        for level in range(order):
            feat = tup[:, :, level]  # (m, T)
            vals = grid.values[r, feat][:, :, index[:, level]]  # (m, T, S)
            flat[base + feat[:, :, None]] = vals
        return points

    f = _evaluate(model_function, n, T * S * p, build)
    f = f.reshape((n, T) + tuple(int(s) for s in sizes))
    return _contract(f, grid, rows_tuples(0, n), key)


def _contract(f, grid, tup, key):
    """Apply each feature's contrast to the grid of model values ``f``.

    Returns the components ``(n, T, K)`` and their weights ``(n, T, K)``
    (``K = 1`` and weight 1 for numeric tuples).
    """
    n, T = f.shape[:2]
    order = len(key)
    rows = np.arange(n)[:, None]
    categorical = [level for level in range(order) if key[level] < 0]
    # Numeric features: signed differences, from the last axis back.
    for level in reversed(range(order)):
        if key[level] < 0:
            continue
        axis = 2 + level
        c = grid.coef[rows, tup[:, :, level]]  # (n, T)
        diff = np.take(f, 0, axis=axis) - np.take(f, 1, axis=axis)
        f = diff * c.reshape((n, T) + (1,) * (diff.ndim - 2))
    if not categorical:
        return f[..., None], np.ones((n, T, 1))
    # Categorical features: centre over the levels of each, with the levels'
    # frequencies as weights (successive centring: the doubly centred table
    # for two categorical features).
    weight = np.ones((n, T) + (1,) * len(categorical))
    coef = np.ones((n, T))
    for a, level in enumerate(categorical):
        axis = 2 + a
        k = int(-key[level])
        shape = [n, T] + [1] * len(categorical)
        shape[axis] = k
        w = grid.weights[tup[:, :, level], :k].reshape(shape)
        f = f - np.sum(w * f, axis=axis, keepdims=True)
        weight = weight * w
        coef = coef * grid.coef[rows, tup[:, :, level]]
    f = f * coef.reshape((n, T) + (1,) * len(categorical))
    weight = np.broadcast_to(weight, f.shape)
    return f.reshape(n, T, -1), weight.reshape(n, T, -1)


def tuple_contrasts(model_function, X, tuples, grid, *, paired=False):
    """Local interaction values of feature tuples on any column types.

    Parameters
    ----------
    model_function : ModelFunction
        Evaluates numeric codes (see
        :class:`~sklearn_interact.inspection._features.TabularData`).
    X : ndarray of shape (n_samples, n_features)
        Rows as codes.
    tuples : array-like of shape (n_tuples, k)
        Feature indices, distinct within each tuple (``k = 1`` gives each
        feature's own contrast, its main effect).
    grid : FeatureGrid
        The per-row grids of ``X``.
    paired : bool, default=False
        ``False``: every tuple at every row, shape ``(n_samples, n_tuples)``.
        ``True``: tuple ``t`` at row ``t`` only (``n_tuples == n_samples``),
        shape ``(n_samples,)``; the bandit's pulls.

    Returns
    -------
    values : ndarray
        NaN where a feature of the tuple is missing.
    """
    tuples = np.asarray(tuples, dtype=np.intp)
    if tuples.ndim != 2:
        raise ValueError("tuples must be a 2-D array of feature indices.")
    if paired and tuples.shape[0] != np.shape(X)[0]:
        raise ValueError("paired differences need one tuple per row.")
    return _grid_contrasts(model_function, X, grid, tuples, paired=paired)


def tuple_components(model_function, X, tuples, grid):
    """Signed components of the local values of feature tuples, at every row.

    A numeric tuple has one component, its contrast (the values of
    :func:`tuple_contrasts`); a tuple with categorical features one per
    combination of their levels, centred over the levels (see the module
    notes). Aggregations that average before taking a magnitude average each
    component, so that contrasts that change sign from row to row cancel
    for categorical columns as they do for numeric ones.

    Parameters
    ----------
    model_function : ModelFunction
    X : ndarray of shape (n_samples, n_features)
        Rows as codes.
    tuples : array-like of shape (n_tuples, k)
    grid : FeatureGrid

    Returns
    -------
    values : ndarray of shape (n_samples, n_components)
        NaN where a feature of the tuple is missing.
    owner : ndarray of shape (n_components,)
        The tuple of each component.
    weights : ndarray of shape (n_components,)
        Component weights (1 for numeric tuples; the products of level
        frequencies, summing to 1 per tuple, for categorical ones).
    """
    tuples = np.asarray(tuples, dtype=np.intp)
    if tuples.ndim != 2:
        raise ValueError("tuples must be a 2-D array of feature indices.")
    n = np.shape(X)[0]
    blocks = _grid_contrasts(
        model_function, X, grid, tuples, paired=False, components=True
    )
    if not blocks:
        return np.zeros((n, 0)), np.zeros(0, dtype=np.intp), np.zeros(0)
    values = np.hstack([v.reshape(n, -1) for _, v, _ in blocks])
    owner = np.concatenate([np.repeat(m, v.shape[2]) for m, v, _ in blocks])
    weights = np.concatenate([w.ravel() for _, _, w in blocks])
    order = np.argsort(owner, kind="stable")
    return values[:, order], owner[order], weights[order]


def mixed_differences(model_function, X, tuples, *, step, scale=None, paired=False):
    """Mixed central differences of numeric feature tuples (unbounded steps).

    The kernel of :func:`tuple_contrasts` with every column continuous and no
    support: steps ``h * scale_i`` and contrasts on the scale ``scale``
    (derivatives with respect to ``x / scale``).

    Parameters
    ----------
    model_function : ModelFunction
    X : ndarray of shape (n_samples, n_features)
    tuples : array-like of shape (n_tuples, k)
    step : float
        Step ``h`` on the standardized scale.
    scale : ndarray of shape (n_features,), default=None
        Per-feature scale; ``None`` means 1 (raw derivatives).
    paired : bool, default=False
        Tuple ``t`` at row ``t`` only.

    Returns
    -------
    differences : ndarray of shape (n_samples, n_tuples) or (n_samples,)
    """
    X = np.asarray(X, dtype=np.float64)
    grid = FeatureGrid.numeric(X, step=step, scale=scale)
    return tuple_contrasts(model_function, X, tuples, grid, paired=paired)


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
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=2)))

    def build(start, stop):
        u = first[start:stop].transpose(0, 2, 1)  # (m, A, p)
        # d[r, a, b, s, :] = h (s0 u_ra + s1 v_b)
        d = (
            step * signs[None, None, None, :, 0, None] * u[:, :, None, None, :]
            + step * signs[None, None, None, :, 1, None] * second.T[None, None, :, None]
        )
        return X[start:stop, None, None, None, :] + d

    values = _evaluate(model_function, n, A * B * 4 * p, build)
    return values @ signs.prod(axis=1) / (2.0 * step) ** 2
