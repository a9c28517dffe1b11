# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Is this interaction real? A held-out test of every pair, for any model.

The data's interaction (would the model class find it again on new data?),
as opposed to the model's (what one fitted model computes, see
:func:`~sklearn_interact.inspection.pairwise_interactions`):

1. *Cross-fitting in a ring.* The rows are split into ``n_splits = K``
   folds; refit ``k`` (a clone of the estimator, :class:`joblib.Parallel`)
   trains on the ``w = (K - 1) // 2`` folds ``k, ..., k + w - 1`` and is
   tested on fold ``k + w`` (mod ``K``), so every row is tested once. The
   usual cross-fitting (train on all folds but one) makes the held-out sums
   of two refits correlated under H0: refit A's spurious interaction is
   fitted to the noise of rows that test refit B, and B's to rows that test
   A, so the stacked statistic's variance is larger than its standard error
   says (measured: 8-15% of null pairs below 0.05 with two folds and
   gradient boosting). In the ring, no two refits each train on the other's
   test fold (``K >= 2 w + 1``), every held-out sum has a noise factor
   independent of all the others, and the sums are uncorrelated.
2. *The model's pure interaction* of a pair, a fixed function of the training
   folds: the double-centred two-way partial dependence
   ``h_ij = PD_ij - PD_i - PD_j + mean`` on a grid of each column (its levels,
   or ``grid_resolution`` quantiles), over background rows, evaluated at the
   held-out rows by their grid cell.
3. *The test.* On the held-out rows of all folds, ``y`` is regressed by least squares on
   per-fold indicators of the cells of ``x_i`` and of ``x_j`` (which absorb any main
   effect and any centring error), on the refit with ``x_j``, with ``x_i`` and with both
   set to a central value (functions without ``x_j``, without ``x_i``, without either:
   everything the model has but the pair's interaction, one coefficient per fold) and on
   ``h_ij``. Under H0 "``i`` and ``j`` do not interact" the coefficient of ``h_ij`` is
   0; the statistic is its t-ratio with a heteroscedasticity-robust (HC3) standard error
   and the p-value is one-sided (a real interaction makes the model's interaction
   predict new data: a positive coefficient).
4. *Screen.* With many pairs, a feature-level test of the same kind (the
   part of ``f`` that is not additive in ``x_k``) on a separate quarter of the
   held-out rows keeps the features that interact with something (level
   ``SCREEN_LEVEL``, and never fewer than the ``MIN_SCREENED_FEATURES`` with
   the smallest screen p-values); only pairs of two kept features are tested,
   on the other held-out rows, so that the screen does not bias their
   p-values.
5. *Multiple testing* over the tested pairs: Benjamini-Hochberg or Holm.
6. *The size of the data's interaction*, model-free: the variance of the
   pair's pure interaction (doubly centred two-way conditional mean) over
   the product of the two columns' grid distributions. On each fold's
   held-out rows, the target minus the refit's anchored parts (everything it
   has but the pair's interaction) is averaged per grid cell and doubly
   centred; its weighted squared norm, minus the cell means' noise, is an
   unbiased estimate whatever the refit learned (the refit only removes
   signal, and noise with it). The interval is the mean over the folds +-
   ``z`` standard errors of a Gaussian quadratic form, clipped at 0
   (:func:`held_out_variance`). ``n_resamples`` bootstrap refits add the
   refits' own variances of ``h_ij`` (what the model class estimates at a
   fold's size), for comparison.
"""

import numbers
import time
import warnings

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import norm
from scipy.stats import t as student_t
from sklearn.base import is_classifier
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    column_or_1d,
)

from sklearn_interact.inspection._features import tabular_input
from sklearn_interact.inspection._uncertainty import _refit, _take, adjust_pvalues
from sklearn_interact.inspection._validation import all_pairs
from sklearn_interact.utils._warnings import user_stacklevel

#: With ``screen="auto"``, features are screened when there are more pairs.
MAX_UNSCREENED_PAIRS = 45
#: The screen always keeps this many features (45 pairs), the most promising
#: first, so that it only ever saves computation beyond an unscreened test.
MIN_SCREENED_FEATURES = 10
#: Level of the feature screen (liberal: it only saves computation).
SCREEN_LEVEL = 0.2
#: Standard errors between the model-free estimate with and without the
#: refit's anchored parts beyond which a pair's estimate is flagged.
REFIT_GAP = 4.0
#: Share of each fold's held-out rows that the screen uses.
SCREEN_FRACTION = 0.25


class _Table:
    """The user's rows for the refits, and their codes to perturb.

    The codes are those of ``TabularData`` (categorical columns as level
    indices, NaN where a value is missing); perturbed codes are decoded into
    the model's input (its levels, missing values and the DataFrame's
    dtypes), so a Pipeline that encodes or imputes sees what it was fitted
    on.
    """

    def __init__(self, X):
        self.data = tabular_input(X)
        if self.data.shape[0] < 4:
            raise ValueError(
                f"Found array with {self.data.shape[0]} sample(s) (shape="
                f"{self.data.shape}) while a minimum of 4 is required."
            )
        self.values = self.data.codes
        self.categorical = self.data.categorical
        self.X = X if self.data.is_frame else self.data.decode(self.values)

    def rows(self, idx):
        return _take(self.X, idx)

    def tiled(self, idx, reps):
        """Codes of rows ``idx`` repeated ``reps`` times, block after block."""
        return self.values[np.tile(np.asarray(idx), reps)]


def _grid(column, resolution, categorical=False):
    """Grid values of a column, each row's cell and the cells' weights.

    Numeric columns: their values when there are at most ``resolution``,
    else ``resolution`` quantiles; categorical columns: every level. Missing
    values (NaN) are a cell of their own, whose grid value is NaN (the model
    gets a missing value, as in the data); ``reference`` (the central value
    of the anchored parts) is the median cell, the most frequent level of a
    categorical column, never the missing cell.
    """
    missing = np.isnan(column)
    observed = column[~missing]
    levels = np.unique(observed)
    if categorical or levels.size <= resolution:
        values = levels
    else:
        q = (np.arange(resolution) + 0.5) / resolution
        values = np.unique(np.quantile(observed, q, method="inverted_cdf"))
    edges = (values[1:] + values[:-1]) / 2.0
    grid = Bunch(points=values, edges=edges, missing=None, categorical=categorical)
    if missing.any():
        grid.points = np.append(values, np.nan)
        grid.missing = values.size
    cells = _cells(grid, column)
    grid.weights = np.bincount(cells, minlength=grid.points.size) / column.size
    observed_weights = grid.weights[: values.size]
    if values.size == 0:
        grid.reference = np.nan
    elif categorical:
        grid.reference = values[int(np.argmax(observed_weights))]
    else:
        # Exactly the old median cell when nothing is missing (no drift from
        # a renormalised half).
        half = 0.5 if grid.missing is None else 0.5 * observed_weights.sum()
        k = int(np.searchsorted(np.cumsum(observed_weights), half))
        grid.reference = values[min(k, values.size - 1)]
    return grid


def _cells(grid, values):
    """The grid cell of each value (missing values: the missing cell, or the
    reference's cell when the grid's rows had none; a level of a categorical
    column that the grid's rows did not have: the reference's cell)."""
    cells = np.searchsorted(grid.edges, values)
    missing = np.isnan(values)
    if grid.categorical and "reference" in grid:  # (all seen while gridding)
        unseen = ~missing & ~np.isin(values, grid.points)
        cells[unseen] = np.searchsorted(grid.edges, grid.reference)
    if missing.any():
        if grid.missing is not None:
            cells[missing] = grid.missing
        else:
            cells[missing] = np.searchsorted(grid.edges, grid.reference)
    return cells


def _codes(grids_of, values, rows_of, column):
    """Grid cells of ``column`` at each fold's rows (that fold's grid), stacked,
    and the largest number of cells."""
    codes = np.concatenate(
        [
            _cells(grids[column], values[rows, column])
            for grids, rows in zip(grids_of, rows_of)
        ]
    )
    return codes, max(grids[column].points.size for grids in grids_of)


def _response(estimator, label, table):
    """The regression function, or the probability of class ``label``, of
    codes of ``table``."""
    decode = table.data.decode
    if label is None:
        return lambda Z: np.asarray(
            estimator.predict(decode(Z)), dtype=np.float64
        ).ravel()
    position = np.flatnonzero(np.asarray(estimator.classes_) == label)
    if position.size == 0:
        raise ValueError(
            f"interaction_test: class {label!r} is missing from the training "
            "rows of a fold; use fewer folds or more rows of that class."
        )
    position = int(position[0])
    return lambda Z: np.asarray(estimator.predict_proba(decode(Z)))[:, position]


def _pair_table(predict, table, background, grids, i, j):
    """Double-centred two-way partial dependence ``h`` on the grid of (i, j)."""
    gi, gj = grids[i], grids[j]
    n_i, n_j, n_bg = gi.points.size, gj.points.size, len(background)
    Z = table.tiled(background, n_i * n_j)
    Z[:, i] = np.repeat(gi.points, n_j * n_bg)
    Z[:, j] = np.tile(np.repeat(gj.points, n_bg), n_i)
    F = predict(Z).reshape(n_i, n_j, n_bg).mean(axis=-1)
    wi, wj = gi.weights, gj.weights
    return F - (F @ wj)[:, None] - (wi @ F)[None, :] + wi @ F @ wj


def _variance(h, gi, gj):
    """Variance of ``h`` over the product of the two columns' distributions."""
    return float(gi.weights @ (h**2) @ gj.weights)


def _snapped(predict, table, rows, grids, columns):
    """The model at ``rows`` with ``columns`` moved to their grid values."""
    Z = table.tiled(rows, 1)
    for k in columns:
        cells = _cells(grids[k], table.values[rows, k])
        Z[:, k] = grids[k].points[cells]
    return predict(Z)


def _feature_part(predict, table, background, grids, k, rows):
    """The model at ``rows`` (``x_k`` on its grid) and its part that is not
    additive in ``x_k``."""
    grid = grids[k]
    n_k, n_rows, n_bg = grid.points.size, len(rows), len(background)
    Z = table.tiled(rows, n_k)
    Z[:, k] = np.repeat(grid.points, n_rows)
    others = grid.weights @ predict(Z).reshape(n_k, n_rows)
    Z = table.tiled(background, n_k)
    Z[:, k] = np.repeat(grid.points, n_bg)
    pd_k = predict(Z).reshape(n_k, n_bg).mean(axis=1)
    pd_k = pd_k - grid.weights @ pd_k
    f_rows = _snapped(predict, table, rows, grids, [k])
    cells = _cells(grid, table.values[rows, k])
    return f_rows, f_rows - others - pd_k[cells]


def _fit_fold(estimator, table, y, train, seed, fit_params):
    start = time.perf_counter()
    model = _refit(
        estimator, table.rows(train), _take(y, train), seed, fit_params=fit_params
    )
    return model, time.perf_counter() - start


def _fold_features(model, label, table, background, grids, features, rows):
    predict = _response(model, label, table)
    parts = [
        _feature_part(predict, table, background, grids, k, rows) for k in features
    ]
    return np.stack([a for a, _ in parts]), np.stack([b for _, b in parts])


def _anchored(predict, table, rows, grids, i, j):
    """The model at ``rows`` with ``x_j``, ``x_i``, then both at their central
    grid values: functions without ``x_j``, without ``x_i`` and without
    either, which carry everything but the pair's interaction."""
    out = []
    for columns in ((j,), (i,), (i, j)):
        Z = table.tiled(rows, 1)
        for k in columns:
            Z[:, k] = grids[k].reference
        out.append(predict(Z))
    return np.stack(out)


def _fold_pairs(model, label, table, background, grids, pairs, rows=None):
    """Each pair's ``h`` table and, at ``rows``, the anchored model parts."""
    predict = _response(model, label, table)
    tables = [_pair_table(predict, table, background, grids, i, j) for i, j in pairs]
    if rows is None:
        return tables
    parts = [_anchored(predict, table, rows, grids, i, j) for i, j in pairs]
    return tables, parts


def _resample_variances(
    estimator, table, y, m, seed, fit_params, label, background, grids, pairs
):
    idx = np.random.RandomState(seed).randint(0, len(y), m)
    model = _refit(estimator, table.rows(idx), _take(y, idx), seed, fit_params)
    tables = _fold_pairs(model, label, table, background, grids, pairs)
    return np.array(
        [_variance(h, grids[i], grids[j]) for h, (i, j) in zip(tables, pairs)]
    )


def _one_hot(codes, width):
    out = np.zeros((codes.size, width))
    out[np.arange(codes.size), codes] = 1.0
    return out


def held_out_regression(y, nuisance, h):
    """One-sided robust t-test of the coefficient of ``h`` in OLS of ``y``.

    ``y`` is regressed on the columns of ``nuisance`` and on ``h``; by
    Frisch-Waugh-Lovell the coefficient is ``<h~, y~> / <h~, h~>`` with ``~``
    the residuals on ``nuisance``. Its standard error is the
    heteroscedasticity-robust HC3 one (each squared residual divided by
    ``(1 - leverage)^2``; MacKinnon and White, 1985), which stays calibrated
    when a few rows carry much of ``h~`` (a tree's spiky interaction).

    Returns
    -------
    coefficient, statistic, pvalue : float
        The p-value is ``P(T >= statistic)``, ``T`` Student's t with ``d - 1``
        degrees of freedom, ``d = (sum h~^2)^2 / sum h~^4`` the effective
        number of rows carrying ``h~``; 1 when ``h`` is (numerically)
        explained by ``nuisance`` (a model without this interaction).
    """
    q, r = np.linalg.qr(nuisance)
    keep = np.abs(np.diag(r)) > 1e-10 * max(np.abs(np.diag(r)).max(), 1e-300)
    q = q[:, keep]
    h_res = h - q @ (q.T @ h)
    denom = float(h_res @ h_res)
    scale = max(float(np.var(y)), np.finfo(float).tiny)
    if denom <= 1e-20 * scale * y.size:
        return 0.0, 0.0, 1.0
    y_res = y - q @ (q.T @ y)
    coefficient = float(h_res @ y_res) / denom
    residual = y_res - coefficient * h_res
    leverage = np.einsum("ij,ij->i", q, q) + h_res**2 / denom
    residual = residual / np.maximum(1.0 - leverage, 1e-3)
    variance = float((h_res**2) @ (residual**2)) / denom**2
    if variance <= 0:
        return coefficient, 0.0, 1.0
    statistic = coefficient / np.sqrt(variance)
    # Student's t with the effective number of rows that carry h~ (Kish):
    # a tree's spiky interaction rests on a few cells, where the robust
    # standard error is itself uncertain; for a smooth h~ this is the normal.
    dof = max(denom**2 / float(np.sum(h_res**4)) - 1.0, 1.0)
    return coefficient, float(statistic), float(student_t.sf(statistic, dof))


def _test(y, folds, cells, others, h):
    """The held-out test of one pair (or feature) over the stacked folds.

    ``cells`` is a list of (cell codes, number of cells) of the columns whose
    per-fold indicators are nuisance regressors; ``others`` holds further
    nuisance regressors (rows), functions that carry no interaction of the
    tested pair (feature) and so are orthogonal to ``h`` under H0.
    """
    n_folds = int(folds.max()) + 1
    blocks = [
        _one_hot(folds * width + codes, n_folds * width) for codes, width in cells
    ]
    # The other regressors get one coefficient per fold (per refit).
    others = np.atleast_2d(others)
    member = [folds == k for k in range(n_folds)]
    per_fold = [column * m for column in others for m in member if m.any()]
    nuisance = np.column_stack([*blocks, *per_fold])
    return held_out_regression(y, nuisance, h)


def held_out_variance(r, codes_i, codes_j, w_i, w_j):
    """Model-free estimate of a pair's interaction variance on held-out rows.

    ``r`` is the target minus everything a refit has but the pair's
    interaction (its anchored parts), at held-out rows in the grid cells
    ``codes_i`` x ``codes_j``. The doubly centred cell means ``t`` of ``r``
    (weights ``w_i``, ``w_j``: the columns' marginal cell frequencies)
    estimate the pair's pure interaction on the grid whatever the refit got
    right: a function of one column, or of neither, is removed by the double
    centring (for independent columns), and the refit only lowers the noise.
    The squared norm ``Q = sum w_a w_b t_ab^2`` is biased upwards by the
    cell means' noise, ``sum_ab s^2 / n_ab w_a (1 - w_a) w_b (1 - w_b)``
    (``s^2`` the pooled within-cell variance), which is subtracted; the
    variance of ``Q`` is that of a Gaussian quadratic form.

    Returns
    -------
    estimate, variance : float
        The debiased estimate (may be negative) and its sampling variance.
    """
    A, B = w_i.size, w_j.size
    cell = codes_i * B + codes_j
    counts = np.bincount(cell, minlength=A * B).reshape(A, B).astype(float)
    sums = np.bincount(cell, weights=r, minlength=A * B).reshape(A, B)
    observed = counts > 0
    means = np.divide(sums, counts, out=np.zeros((A, B)), where=observed)
    squares = np.bincount(cell, weights=r**2, minlength=A * B).reshape(A, B)
    within = float(np.sum(squares - counts * means**2))
    dof = float(np.sum(np.maximum(counts - 1.0, 0.0)))
    s2 = within / dof if dof > 0 else float(np.var(r))
    if not observed.all():  # an empty cell: its additive fill contributes 0
        w_rows = (observed * w_j).sum(axis=1)
        w_cols = (observed * w_i[:, None]).sum(axis=0)
        row = np.divide(
            (means * w_j).sum(axis=1), w_rows, out=np.zeros(A), where=w_rows > 0
        )
        col = np.divide(
            (means * w_i[:, None]).sum(axis=0),
            w_cols,
            out=np.zeros(B),
            where=w_cols > 0,
        )
        fill = row[:, None] + col[None, :] - float(w_i @ row)
        means = np.where(observed, means, fill)
    t = means - (means @ w_j)[:, None] - (w_i @ means)[None, :] + w_i @ means @ w_j
    S = np.divide(s2, counts, out=np.zeros((A, B)), where=observed)
    g_i = np.diag(w_i) - np.outer(w_i, w_i)  # C' diag(w) C, C = I - 1 w'
    g_j = np.diag(w_j) - np.outer(w_j, w_j)
    Q = float(w_i @ t**2 @ w_j)
    bias = float(np.sum(S * np.outer(np.diag(g_i), np.diag(g_j))))
    u = g_i @ means @ g_j
    variance = 4.0 * float(np.sum(u**2 * S)) + 2.0 * float(
        np.sum(S * ((g_i**2) @ S @ (g_j**2)))
    )
    return Q - bias, variance


def _pooled_estimate(target, cells, weights):
    """:func:`held_out_variance` on each fold's held-out rows, averaged over
    the folds (independent), and the variance of that mean."""
    codes_i, codes_j, offsets = cells
    parts = [
        held_out_variance(
            target[start:stop],
            codes_i[start:stop],
            codes_j[start:stop],
            w_i,
            w_j,
        )
        for start, stop, (w_i, w_j) in zip(offsets[:-1], offsets[1:], weights)
    ]
    n_folds = len(parts)
    return float(np.mean([e for e, _ in parts])), sum(v for _, v in parts) / n_folds**2


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "pairs": ["array-like", None],
        "target": [numbers.Real, str, None],
        "n_splits": [Interval(numbers.Integral, 3, None, closed="left")],
        "grid_resolution": [Interval(numbers.Integral, 2, None, closed="left")],
        "max_samples": [Interval(numbers.Integral, 1, None, closed="left")],
        "screen": [StrOptions({"auto", "features"}), None],
        "multiple_testing": [StrOptions({"bh", "holm"}), None],
        "alpha": [Interval(numbers.Real, 0, 1, closed="neither")],
        "n_resamples": [Interval(numbers.Integral, 0, None, closed="left")],
        "confidence_level": [Interval(numbers.Real, 0, 1, closed="neither")],
        "fit_params": [dict, None],
        "n_jobs": [numbers.Integral, None],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=False,
)
def interaction_test(
    estimator,
    X,
    y,
    *,
    pairs=None,
    target=None,
    n_splits=3,
    grid_resolution=10,
    max_samples=200,
    screen="auto",
    multiple_testing="bh",
    alpha=0.05,
    n_resamples=0,
    confidence_level=0.95,
    fit_params=None,
    n_jobs=None,
    verbose=0,
    random_state=None,
):
    """Test every pair for a real interaction, by refits and held-out rows.

    The *data's* interaction: would the model class find the interaction
    again on new data? (The *model's* interaction, what one fitted model
    computes, is :func:`pairwise_interactions`; its bootstrap intervals
    resample evaluation rows of that one model.) For every pair ``(i, j)``
    the null hypothesis is "``x_i`` and ``x_j`` do not interact": the
    regression function is a sum of a function without ``x_i`` and one
    without ``x_j``.

    The rows are split into ``n_splits`` folds; each refit of a clone of
    ``estimator`` trains on ``(n_splits - 1) // 2`` consecutive folds and is
    tested on the next one, so that every row is tested once and no two
    refits train on each other's test rows. Each refit's pure interaction of
    the pair, the double-centred two-way partial dependence
    ``h_ij = PD_ij - PD_i - PD_j + mean`` (on a grid of ``grid_resolution``
    quantiles or levels per column, averaged over ``max_samples`` background
    rows, grid and background from its training folds), is a fixed function
    given its training folds. On the held-out rows, ``y`` is regressed on per-fold
    indicators of the grid cells of ``x_i`` and ``x_j``, on the refit with ``x_j``,
    ``x_i`` and both set to a central value (which carry everything but the pair's
    interaction) and on ``h_ij``; the pair's p-value is the one-sided robust t-test of a
    positive coefficient of ``h_ij``. The held-out noise is independent of ``h_ij``, so
    under H0 the statistic is approximately standard normal whatever the model
    (independent columns; with dependent columns the refit's other parts carry what they
    share). P-values are then adjusted over the tested pairs.

    Parameters
    ----------
    estimator : estimator object
        An unfitted regressor or classifier (explained on the probability of
        the class ``target``); cloned and refitted, with a ``random_state``
        drawn from ``random_state`` when it has one.
    X : array-like of shape (n_samples, n_features)
        Training inputs as the estimator takes them: an array, or a DataFrame
        whose categorical columns (pandas category, string or object dtype)
        are gridded on their levels; missing values (NaN, None) are a grid
        cell of their own and go to the model as they are.
    y : array-like of shape (n_samples,)
        Target.
    pairs : array-like of shape (n_pairs, 2), default=None
        The pairs to test; all pairs when None (then screened, see
        ``screen``).
    target : label, default=None
        For a classifier, the class whose probability is tested (an element
        of ``np.unique(y)``); None means the second class of a binary
        classifier, and a multiclass classifier needs one. Ignored for
        regressors.
    n_splits : int, default=3
        Number of folds and refits (at least 3); each refit trains on
        ``(n_splits - 1) // 2`` folds (a third of the rows by default).
    grid_resolution : int, default=10
        Grid values per column: its levels when it has at most that many,
        else quantiles.
    max_samples : int, default=200
        Background rows of the partial dependences.
    screen : {"auto", "features"} or None, default="auto"
        ``"features"``: a feature-level test on a quarter of the held-out rows
        keeps the features that interact with anything (one-sided p-value at
        most 0.2, and at least the ten with the smallest p-values), and only
        pairs of two kept features are tested, on the other rows. ``"auto"``
        screens when ``pairs`` is None and there are more than 45 pairs (10
        features). None tests every pair on every row.
    multiple_testing : {"bh", "holm"} or None, default="bh"
        Adjustment over the tested pairs: Benjamini-Hochberg (false discovery
        rate), Holm (family-wise error) or none.
    alpha : float, default=0.05
        Level of ``interaction_significant`` (on the adjusted p-values).
    n_resamples : int, default=0
        Refits on bootstrap resamples whose own interaction variances are
        returned in ``samples`` (what the model class estimates at a fold's
        size); 0 for none. ``interaction_ci`` needs none.
    confidence_level : float, default=0.95
        Level of ``interaction_ci``.
    fit_params : dict, default=None
        Passed to every refit's ``fit``.
    n_jobs : int, default=None
        Refits run through :class:`joblib.Parallel` (a Dask or Ray backend
        spreads them over a cluster).
    verbose : int, default=0
        Progress messages (stages, and joblib's).
    random_state : int, RandomState instance or None, default=None
        Seeds the folds, the background rows, the screen's rows, the
        resamples and each refit.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        With matrices of shape ``(n_features, n_features)``:
        ``interaction_pvalues`` (raw one-sided p-values, NaN for pairs not
        tested), ``interaction_pvalues_adjusted``, ``interaction_significant``
        (adjusted p-value at most ``alpha``), ``statistics``, ``coefficients``
        (1 when the model's interaction predicts new data at full size),
        ``tested``, ``interactions`` (the held-out, model-free estimate of
        the variance of the pair's pure interaction, clipped at 0; 0 when not
        tested), ``interaction_ci`` (``(..., 2)``, its interval at
        ``confidence_level``), ``model_variances`` (the variance of the
        refits' ``h_ij``, mean over the folds: shrunk by regularization);
        ``samples`` (the bootstrap refits' variances, or None),
        ``pairs`` (the tested pairs), ``screen_pvalues`` (per feature, or
        None), ``estimand`` (``"data"``), ``scale``, ``multiple_testing``,
        ``alpha``, ``n_splits``, ``n_refits`` and ``fit_time`` (seconds of
        the fold refits).

    See Also
    --------
    pairwise_interactions : The model's interactions.
    permutation_null : Refits on permuted targets.
    interaction_table : A ranked table of the result.

    References
    ----------
    .. [1] L. Wasserman, K. Roeder. "High-dimensional variable selection".
       Annals of Statistics 37(5A), 2009.
    .. [2] J. Lei, M. G'Sell, A. Rinaldo, R. Tibshirani, L. Wasserman.
       "Distribution-free predictive inference for regression". JASA, 2018.
    .. [3] V. Chernozhukov et al. "Double/debiased machine learning for
       treatment and structural parameters". Econometrics Journal, 2018.
    .. [4] J. H. Friedman, B. E. Popescu. "Predictive learning via rule
       ensembles". Annals of Applied Statistics, 2008 (the H-statistic).
    .. [5] Y. Benjamini, Y. Hochberg. "Controlling the false discovery rate".
       JRSS B, 1995; S. Holm. "A simple sequentially rejective multiple test
       procedure". Scandinavian Journal of Statistics, 1979.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import PolynomialFeatures
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn_interact.inspection import interaction_test
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(400, 3))
    >>> y = X[:, 0] * X[:, 1] + X[:, 2] + 0.3 * rng.normal(size=400)
    >>> model = make_pipeline(PolynomialFeatures(2), Ridge(1e-3))
    >>> result = interaction_test(model, X, y, random_state=0)
    >>> bool(result.interaction_significant[0, 1])
    True
    >>> result.estimand
    'data'
    """
    table = _Table(X)
    y = column_or_1d(y, warn=True)
    check_consistent_length(table.values, y)
    n, p = table.values.shape
    if p < 2:
        raise ValueError("interaction_test needs at least two features.")
    if n < 2 * n_splits:
        raise ValueError(
            f"interaction_test needs at least {2 * n_splits} rows for "
            f"n_splits={n_splits}; got {n}."
        )
    label = None
    if is_classifier(estimator):
        classes = np.unique(y)
        if target is None:
            if classes.size != 2:
                raise ValueError(
                    "interaction_test explains a classifier on the probability of "
                    f"one class; y has {classes.size} classes: pass target=<label>, "
                    f"one of {classes.tolist()}."
                )
            label = classes[1]
        elif target in classes.tolist():
            label = classes[classes.tolist().index(target)]
        else:
            raise ValueError(
                f"target={target!r} is not a class of y {classes.tolist()}."
            )
        y_num = (y == label).astype(np.float64)
        scale = f"probability of class {label}"
    else:
        y_num = check_array(
            y, ensure_2d=False, dtype=np.float64, input_name="y"
        ).astype(np.float64)
        y = y_num
        scale = "prediction"
    if np.ptp(y_num) == 0:
        warnings.warn(
            "interaction_test: y is constant; no interaction can be found and "
            "every p-value is 1.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    if pairs is None:
        pairs_arr = all_pairs(p)
    else:
        pairs_arr = np.asarray(pairs, dtype=np.intp).reshape(-1, 2)
        if pairs_arr.size and (pairs_arr.min() < 0 or pairs_arr.max() >= p):
            raise ValueError(f"pairs must hold column indices in [0, {p - 1}].")
        if np.any(pairs_arr[:, 0] == pairs_arr[:, 1]):
            raise ValueError("pairs must hold two different columns.")
        pairs_arr = np.unique(np.sort(pairs_arr, axis=1), axis=0)
    use_screen = screen == "features" or (
        screen == "auto" and pairs is None and len(pairs_arr) > MAX_UNSCREENED_PAIRS
    )

    def log(message):
        if verbose:
            print(f"[interaction_test] {message}", flush=True)

    rng = check_random_state(random_state)
    folds = np.empty(n, dtype=np.intp)
    folds[rng.permutation(n)] = np.arange(n) % n_splits
    seeds = rng.randint(np.iinfo(np.int32).max, size=n_splits)
    # Each fold's grid and background rows come from its training rows only,
    # so that its h is a fixed function, independent of the held-out rows.
    # Refit k trains on the ``width`` folds k, k+1, ... and is tested on the
    # next fold: each fold is tested once, and no two refits each train on
    # the other's test fold (see the module docstring), so that the held-out
    # sums of different refits are uncorrelated under H0.
    width = (n_splits - 1) // 2
    train_of = [
        np.flatnonzero(np.isin(folds, (k + np.arange(width)) % n_splits))
        for k in range(n_splits)
    ]
    test_fold = [(k + width) % n_splits for k in range(n_splits)]
    grids_of = [
        [
            _grid(table.values[train, c], grid_resolution, table.categorical[c])
            for c in range(p)
        ]
        for train in train_of
    ]
    background_of = [
        np.sort(rng.choice(train, size=min(max_samples, train.size), replace=False))
        for train in train_of
    ]
    screen_rows = np.zeros(n, dtype=bool)
    if use_screen:
        for k in range(n_splits):
            members = np.flatnonzero(folds == k)
            take = max(1, int(round(SCREEN_FRACTION * members.size)))
            screen_rows[rng.choice(members, size=take, replace=False)] = True

    parallel = Parallel(n_jobs=n_jobs, verbose=verbose)
    log(f"refitting {n_splits} folds")
    fits = parallel(
        delayed(_fit_fold)(estimator, table, y, train_of[k], seeds[k], fit_params)
        for k in range(n_splits)
    )
    models = [fit[0] for fit in fits]
    fit_time = float(sum(fit[1] for fit in fits))

    screen_pvalues = None
    if use_screen:
        candidates = np.unique(pairs_arr)
        log(f"screening {candidates.size} features")
        rows_of = [
            np.flatnonzero((folds == test_fold[k]) & screen_rows)
            for k in range(n_splits)
        ]
        parts = parallel(
            delayed(_fold_features)(
                models[k],
                label,
                table,
                background_of[k],
                grids_of[k],
                candidates,
                rows_of[k],
            )
            for k in range(n_splits)
        )
        stacked = np.concatenate(rows_of)
        f_all = np.concatenate([part[0] for part in parts], axis=1)
        h_all = np.concatenate([part[1] for part in parts], axis=1)
        screen_pvalues = np.full(p, np.nan)
        for a, k in enumerate(candidates):
            screen_pvalues[k] = _test(
                y_num[stacked],
                folds[stacked],
                [_codes(grids_of, table.values, rows_of, k)],
                f_all[a] - h_all[a],
                h_all[a],
            )[2]
        # The features below the screen's level, and at least the
        # MIN_SCREENED_FEATURES most promising ones: under the global null the
        # screen then still tests as many pairs as an unscreened test of ten
        # features, with p-values as valid as theirs (separate rows).
        order = candidates[np.argsort(screen_pvalues[candidates], kind="stable")]
        n_keep = max(
            int(np.sum(screen_pvalues[candidates] <= SCREEN_LEVEL)),
            min(MIN_SCREENED_FEATURES, candidates.size),
        )
        keep = np.zeros(p, dtype=bool)
        keep[order[:n_keep]] = True
        pairs_arr = pairs_arr[keep[pairs_arr[:, 0]] & keep[pairs_arr[:, 1]]]
        log(f"{int(np.nansum(keep))} features kept, {len(pairs_arr)} pairs to test")

    pair_list = [tuple(int(v) for v in pair) for pair in pairs_arr]
    log(f"testing {len(pair_list)} pairs")
    rows_of = [
        np.flatnonzero((folds == test_fold[k]) & ~screen_rows) for k in range(n_splits)
    ]
    results = parallel(
        delayed(_fold_pairs)(
            models[k],
            label,
            table,
            background_of[k],
            grids_of[k],
            pair_list,
            rows_of[k],
        )
        for k in range(n_splits)
    )
    tables = [r[0] for r in results]
    rows = np.concatenate(rows_of)
    nan = np.full((p, p), np.nan)
    pvalues, statistics, coefficients = nan.copy(), nan.copy(), nan.copy()
    interactions = np.zeros((p, p))
    model_variances = np.zeros((p, p))
    interaction_ci = np.zeros((p, p, 2))
    z = float(norm.ppf(0.5 + confidence_level / 2.0))
    tested = np.zeros((p, p), dtype=bool)
    refit_dependent = []
    for a, (i, j) in enumerate(pair_list):
        codes_i = _codes(grids_of, table.values, rows_of, i)
        codes_j = _codes(grids_of, table.values, rows_of, j)
        offsets = np.cumsum([0] + [r.size for r in rows_of])
        h = np.concatenate(
            [
                tables[k][a][
                    codes_i[0][offsets[k] : offsets[k + 1]],
                    codes_j[0][offsets[k] : offsets[k + 1]],
                ]
                for k in range(n_splits)
            ]
        )
        anchored = np.concatenate([results[k][1][a] for k in range(n_splits)], axis=1)
        coefficient, statistic, pvalue = _test(
            y_num[rows], folds[rows], [codes_i, codes_j], anchored, h
        )
        for matrix, value in (
            (pvalues, pvalue),
            (statistics, statistic),
            (coefficients, coefficient),
        ):
            matrix[i, j] = matrix[j, i] = value
        # The model-free estimate of the pair's interaction variance and its
        # interval, from each fold's held-out rows (independent across folds).
        residual = y_num[rows] - anchored[0] - anchored[1] + anchored[2]
        cells = (codes_i[0], codes_j[0], offsets)
        weights = [(grids[i].weights, grids[j].weights) for grids in grids_of]
        estimate, variance = _pooled_estimate(residual, cells, weights)
        std = float(np.sqrt(variance))
        # The same estimand from the target itself (noisier, but it does not
        # use the refit): with independent columns both are unbiased, so a
        # gap of many standard errors means the refit's anchored parts, taken
        # off the data's support, leaked into the estimate.
        # Such a pair gets the estimate of the target alone, which the refit
        # cannot inflate (bounded by the target's variance, wider interval).
        plain, plain_variance = _pooled_estimate(y_num[rows], cells, weights)
        if abs(estimate - plain) > REFIT_GAP * np.sqrt(variance + plain_variance):
            refit_dependent.append((i, j))
            estimate, std = plain, float(np.sqrt(plain_variance))
        lower, upper = estimate - z * std, estimate + z * std
        interactions[i, j] = interactions[j, i] = max(estimate, 0.0)
        interaction_ci[i, j] = interaction_ci[j, i] = (max(lower, 0.0), max(upper, 0.0))
        model_variances[i, j] = model_variances[j, i] = np.mean(
            [
                _variance(tables[k][a], grids_of[k][i], grids_of[k][j])
                for k in range(n_splits)
            ]
        )
        tested[i, j] = tested[j, i] = True

    if refit_dependent:
        listed = ", ".join(
            f"{table.data.name(i)} x {table.data.name(j)}" for i, j in refit_dependent
        )
        warnings.warn(
            f"interaction_test: the model-free estimate of {listed} depends on "
            "the refit: with its anchored parts subtracted and from the target "
            f"alone, the estimates differ by more than {REFIT_GAP:g} standard "
            "errors. This happens when columns are dependent and the refit "
            "extrapolates where one column is set to its central value beside "
            "columns correlated with it. Their interactions and intervals are "
            "taken from the target alone (wider, and free of the refit); their "
            "p-values, like every estimate here, assume roughly independent "
            "columns.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )

    iu = np.triu_indices(p, k=1)
    _, adjusted_upper = adjust_pvalues(pvalues[iu], multiple_testing, alpha)
    adjusted = nan.copy()
    adjusted[iu] = adjusted_upper
    adjusted.T[iu] = adjusted_upper
    with np.errstate(invalid="ignore"):
        significant = adjusted <= alpha

    samples = None
    if n_resamples and pair_list:
        log(f"refitting {n_resamples} bootstrap resamples")
        m = int(train_of[0].size)
        grids = [
            _grid(table.values[:, c], grid_resolution, table.categorical[c])
            for c in range(p)
        ]
        background = np.sort(rng.choice(n, size=min(max_samples, n), replace=False))
        resample_seeds = rng.randint(np.iinfo(np.int32).max, size=n_resamples)
        draws = np.asarray(
            parallel(
                delayed(_resample_variances)(
                    estimator,
                    table,
                    y,
                    m,
                    seed,
                    fit_params,
                    label,
                    background,
                    grids,
                    pair_list,
                )
                for seed in resample_seeds
            )
        )
        samples = np.zeros((n_resamples, p, p))
        for a, (i, j) in enumerate(pair_list):
            samples[:, i, j] = samples[:, j, i] = draws[:, a]
    log("done")
    return Bunch(
        interactions=interactions,
        interaction_ci=interaction_ci,
        model_variances=model_variances,
        interaction_pvalues=pvalues,
        interaction_pvalues_adjusted=adjusted,
        interaction_significant=significant,
        statistics=statistics,
        coefficients=coefficients,
        tested=tested,
        samples=samples,
        pairs=np.asarray(pair_list, dtype=np.intp).reshape(-1, 2),
        screen_pvalues=screen_pvalues,
        estimand="data",
        scale=scale,
        multiple_testing=multiple_testing,
        alpha=alpha,
        n_splits=n_splits,
        n_refits=n_splits + (n_resamples if pair_list else 0),
        fit_time=fit_time,
    )
