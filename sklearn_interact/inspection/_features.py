# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""The user's columns: their types, scales, levels and the numeric codes.

Real tables are mixed: continuous measurements, integer counts with a few
levels, 0/1 flags, strings and pandas categories, and missing values. The
engine measures all of them on the user's own columns. :class:`TabularData`
turns the rows into a float array of *codes* that every kernel can perturb
(continuous, discrete and binary columns as their values, categorical columns
as the index of their level; NaN stays NaN) and turns perturbed codes back into
what the model accepts (:meth:`TabularData.decode`: a DataFrame with the
original columns and dtypes, or the array itself).

Feature types are inferred as scikit-learn's
``HistGradientBoosting*(categorical_features="from_dtype")`` does, extended to
numbers: pandas ``category`` / string / object / bool-free text columns are
``"categorical"``; a numeric column with two observed values is ``"binary"``;
an integer-valued column with at most :data:`MAX_DISCRETE_LEVELS` values is
``"discrete"``; anything else is ``"continuous"``. ``feature_types`` overrides
the inference per column.

Scales make strengths comparable across columns and types (see
``docs/design.md``): continuous and discrete columns use their standard
deviation after clipping their far-out tails: the values among the most
extreme 1% at either end (:data:`TAIL_FRACTION`) that are also beyond Tukey's
far fences (more than :data:`FAR_OUT_IQR` = 3 interquartile ranges past the
quartiles). Light-tailed columns (uniform; normal, but for about two values
in a million) have no far-out values and keep their standard deviation
exactly; a few extreme outliers no longer inflate it; a skewed column is
clipped at most in its top 1%; a column whose middle half is a single value,
such as a sparse word count, keeps its standard deviation (its spread is in
the rows off that value). A binary column uses its standard deviation; a
categorical column ``sqrt((1 - sum_m pi_m^2) / 2)``, which is the standard
deviation of a two-level column's indicator and grows with the spread of the
level frequencies ``pi_m``.
"""

import numbers
import warnings

import numpy as np
from sklearn.utils.validation import check_array

from sklearn_interact.utils._warnings import user_stacklevel

#: Integer-valued numeric columns with at most this many distinct values are
#: "discrete" (differences between neighbouring levels).
MAX_DISCRETE_LEVELS = 10

#: Feature types, in the order used by ``feature_types``.
FEATURE_TYPES = ("continuous", "discrete", "binary", "categorical")

#: A column's scale is its standard deviation after clipping the values that
#: are both among its most extreme ``TAIL_FRACTION`` at either end and more
#: than ``FAR_OUT_IQR`` interquartile ranges beyond the quartiles (Tukey's
#: far-out values).
TAIL_FRACTION = 0.01
FAR_OUT_IQR = 3.0

#: Categorical levels contrasted by the kernels (the most frequent ones).
MAX_CATEGORICAL_LEVELS = 20


def _is_frame(X):
    return hasattr(X, "columns") and hasattr(X, "iloc")


def _is_categorical_dtype(dtype):
    kind = getattr(dtype, "kind", None)
    name = str(dtype)
    return name == "category" or name.startswith("string") or kind in ("O", "U", "S")


def _clipped_std(values):
    """Standard deviation of ``values`` with their far-out tails clipped.

    A value is clipped when it is both among the most extreme
    ``TAIL_FRACTION`` at its end and far out, beyond Tukey's far fence
    (``FAR_OUT_IQR`` interquartile ranges past the quartile); it is clipped
    to the larger of the two bounds, the nearest observed value at or beyond
    the percentile or the fence. Light-tailed data (uniform, normal) have no
    far-out values and keep their standard deviation exactly. A spike, a
    column whose middle half is one value (a sparse count or frequency,
    mostly 0), has no fences and keeps its standard deviation too: its
    spread lives in the few rows off the spike.
    """
    q25, q75 = np.quantile(values, [0.25, 0.75])
    iqr = q75 - q25
    if iqr == 0:
        return float(np.std(values))
    lower = min(
        np.quantile(values, TAIL_FRACTION, method="lower"), q25 - FAR_OUT_IQR * iqr
    )
    upper = max(
        np.quantile(values, 1.0 - TAIL_FRACTION, method="higher"),
        q75 + FAR_OUT_IQR * iqr,
    )
    return float(np.std(np.clip(values, lower, upper)))


class TabularData:
    """Columns of ``X`` as numeric codes, with their types and scales.

    Parameters
    ----------
    X : array-like or pandas DataFrame of shape (n_samples, n_features)
        The rows the interactions are measured on, in the model's input
        format.
    feature_types : list, dict or None, default=None
        Per-column type (``"continuous"``, ``"discrete"``, ``"binary"`` or
        ``"categorical"``): a list of ``n_features`` entries (None entries are
        inferred) or a dict from column name or index to type. None infers
        every column.

    Attributes
    ----------
    codes : ndarray of shape (n_samples, n_features)
        Float codes of the rows (NaN where a value is missing).
    kinds : list of str
        The type of each column.
    scale : ndarray of shape (n_features,)
        The scale of each column (see the module docstring); 0 for a column
        with a single observed value.
    levels : list
        Per column: the observed levels (numeric for discrete and binary
        columns, the original values for categorical ones, most frequent
        first), None for continuous columns.
    frequencies : list
        Per categorical column, the share of each level among the rows where
        it is observed; None for other columns.
    lower, upper : ndarray of shape (n_features,)
        Smallest and largest observed value of numeric columns (the support
        that finite-difference steps stay in).
    feature_names : ndarray of str or None
        Column names of a DataFrame.
    """

    def __init__(self, X, feature_types=None):
        self.is_frame = _is_frame(X)
        if self.is_frame:
            self.feature_names = np.asarray([str(c) for c in X.columns], dtype=object)
            self._columns = list(X.columns)
            self._dtypes = list(X.dtypes)
            columns = [X.iloc[:, j].to_numpy() for j in range(X.shape[1])]
        else:
            X = np.asarray(X)
            if X.ndim != 2:
                raise ValueError(
                    f"Expected a 2-D array, got an array of shape {X.shape}."
                )
            self.feature_names = None
            self._columns = None
            self._dtypes = [X.dtype] * X.shape[1]
            columns = [X[:, j] for j in range(X.shape[1])]
        self.n_features = len(columns)
        self.shape = (X.shape[0], self.n_features)
        requested = self._requested_types(feature_types)
        self.kinds, self.levels, self.frequencies = [], [], []
        codes = np.empty(self.shape, dtype=np.float64)
        self.scale = np.zeros(self.n_features)
        self.lower = np.full(self.n_features, np.nan)
        self.upper = np.full(self.n_features, np.nan)
        for j, column in enumerate(columns):
            kind = self._column_kind(j, column, requested[j])
            self.kinds.append(kind)
            if kind == "categorical":
                codes[:, j], levels, freq = self._categorical_codes(column)
                self.levels.append(levels)
                self.frequencies.append(freq)
                self.scale[j] = np.sqrt((1.0 - np.sum(freq**2)) / 2.0)
                continue
            values = self._numeric(j, column)
            codes[:, j] = values
            observed = values[~np.isnan(values)]
            self.frequencies.append(None)
            if observed.size == 0:
                self.levels.append(None)
                continue
            self.lower[j], self.upper[j] = observed.min(), observed.max()
            if self.lower[j] == self.upper[j]:  # constant: scale exactly 0
                self.levels.append(None if kind == "continuous" else observed[:1])
                continue
            if kind == "continuous":
                self.levels.append(None)
                self.scale[j] = _clipped_std(observed)
            else:
                self.levels.append(np.unique(observed))
                if kind == "binary":
                    self.scale[j] = float(np.std(observed))
                else:
                    self.scale[j] = _clipped_std(observed)
        self.codes = codes

    # -- construction -----------------------------------------------------
    def _requested_types(self, feature_types):
        p = self.n_features
        if feature_types is None:
            return [None] * p
        if isinstance(feature_types, dict):
            requested = [None] * p
            for key, kind in feature_types.items():
                if isinstance(key, numbers.Integral) and not isinstance(key, bool):
                    j = int(key)
                    if not 0 <= j < p:
                        raise ValueError(
                            f"feature_types names column {j}, but X has {p} columns."
                        )
                else:
                    names = (
                        [] if self.feature_names is None else list(self.feature_names)
                    )
                    if str(key) not in names:
                        raise ValueError(
                            f"feature_types names the column {key!r}, which is not "
                            "a column of X."
                        )
                    j = names.index(str(key))
                requested[j] = kind
        else:
            requested = list(feature_types)
            if len(requested) != p:
                raise ValueError(
                    f"feature_types has {len(requested)} entries but X has {p} columns."
                )
        for kind in requested:
            if kind is not None and kind not in FEATURE_TYPES:
                raise ValueError(
                    f"Unknown feature type {kind!r}; use one of {FEATURE_TYPES}."
                )
        return requested

    def name(self, j):
        """The name of column ``j`` (``x<j>`` for arrays)."""
        return f"x{j}" if self.feature_names is None else str(self.feature_names[j])

    def _column_kind(self, j, column, requested):
        text = _is_categorical_dtype(self._dtypes[j]) or column.dtype.kind in "OUS"
        if text and column.dtype.kind == "O" and str(self._dtypes[j]) != "category":
            self._check_not_mixed(j, column)
        if text and not self._all_numbers(column):
            if requested not in (None, "categorical"):
                raise ValueError(
                    f"Column {self.name(j)!r} holds non-numeric values and cannot "
                    f"be treated as {requested!r}; use 'categorical'."
                )
            return "categorical"
        if requested is not None:
            return requested
        if text and str(self._dtypes[j]) == "category":
            return "categorical"
        values = self._numeric(j, column)
        observed = np.unique(values[~np.isnan(values)])
        if observed.size == 2:
            return "binary"
        if 2 < observed.size <= MAX_DISCRETE_LEVELS and np.all(
            observed == np.round(observed)
        ):
            return "discrete"
        return "continuous"

    def _check_not_mixed(self, j, column):
        """A column of both numbers and strings is an error (as for
        scikit-learn's encoders), not a categorical column of every value."""
        kinds = {
            "number"
            if isinstance(v, numbers.Number) and not isinstance(v, bool)
            else "text"
            if isinstance(v, str)
            else None
            for v in column
            if not (v is None or (isinstance(v, float) and np.isnan(v)))
        }
        if {"number", "text"} <= kinds:
            example = next(v for v in column if isinstance(v, str))
            raise ValueError(
                f"could not convert string to float: {example!r}. Column "
                f"{self.name(j)!r} mixes numbers and strings; make it numeric, or "
                "text throughout for a categorical column."
            )

    @staticmethod
    def _all_numbers(column):
        for value in column:
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            if not isinstance(value, numbers.Number) or isinstance(value, bool):
                return False
        return True

    def _numeric(self, j, column):
        if column.dtype.kind == "c":
            raise ValueError(
                f"Column {self.name(j)!r} is complex; interactions need real numbers."
            )
        try:
            values = np.asarray(column, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"Column {self.name(j)!r} could not be read as numbers ({exc}); "
                "declare it categorical with feature_types."
            ) from exc
        if np.isinf(values).any():
            raise ValueError(
                f"Column {self.name(j)!r} contains infinity; interactions need "
                "finite values (missing values may be NaN)."
            )
        return values

    @staticmethod
    def _categorical_codes(column):
        values = np.asarray(column, dtype=object)
        missing = np.array(
            [v is None or (isinstance(v, float) and np.isnan(v)) for v in values]
        )
        try:
            missing |= np.asarray(
                [bool(v != v) if not isinstance(v, str) else False for v in values]
            )
        except (TypeError, ValueError):  # pragma: no cover - exotic objects
            pass
        observed = values[~missing]
        uniques, counts = np.unique(observed.astype(str), return_counts=True)
        # Keep the original objects of each level, most frequent first.
        order = np.argsort(-counts, kind="stable")
        first = {}
        for v in observed:
            first.setdefault(str(v), v)
        levels = np.asarray([first[uniques[k]] for k in order], dtype=object)
        position = {uniques[k]: i for i, k in enumerate(order)}
        codes = np.full(len(values), np.nan)
        codes[~missing] = [position[str(v)] for v in observed]
        freq = counts[order] / max(counts.sum(), 1)
        return codes, levels, freq.astype(np.float64)

    # -- use ---------------------------------------------------------------
    @property
    def categorical(self):
        """Boolean mask of the categorical columns."""
        return np.asarray([k == "categorical" for k in self.kinds], dtype=bool)

    @property
    def all_continuous(self):
        """Whether every column is continuous (the exact Hessian applies)."""
        return all(k == "continuous" for k in self.kinds)

    @property
    def needs_decoding(self):
        """Whether the model must receive something other than the codes."""
        return self.is_frame or self.categorical.any()

    def cluster_features(self, rows=None):
        """Numeric features of the rows for k-means: codes with missing values
        replaced by the column median and categorical columns one-hot."""
        codes = self.codes if rows is None else self.codes[rows]
        parts = []
        for j, kind in enumerate(self.kinds):
            column = codes[:, j]
            if kind == "categorical":
                k = min(len(self.levels[j]), MAX_CATEGORICAL_LEVELS)
                parts.append(column[:, None] == np.arange(k)[None, :])
                continue
            observed = self.codes[:, j][~np.isnan(self.codes[:, j])]
            fill = np.median(observed) if observed.size else 0.0
            parts.append(np.where(np.isnan(column), fill, column)[:, None])
        return np.hstack(parts).astype(np.float64)

    def decode(self, codes):
        """Codes of shape (m, n_features) in the model's input format."""
        codes = np.asarray(codes, dtype=np.float64)
        if not self.is_frame:
            if not self.categorical.any():
                return codes
            out = codes.astype(object)
            for j in np.flatnonzero(self.categorical):
                out[:, j] = self._level_values(j, codes[:, j])
            return out
        import pandas as pd

        data = {}
        for j, name in enumerate(self._columns):
            dtype = self._dtypes[j]
            if self.kinds[j] == "categorical":
                values = self._level_values(j, codes[:, j])
                if str(dtype) == "category":
                    values = pd.Categorical(values, categories=dtype.categories)
                data[name] = pd.Series(values, dtype=dtype, copy=False)
            else:
                data[name] = self._numeric_values(j, codes[:, j])
        return pd.DataFrame(data, columns=self._columns)

    def _level_values(self, j, codes):
        levels = self.levels[j]
        out = np.empty(len(codes), dtype=object)
        missing = np.isnan(codes)
        out[missing] = None
        out[~missing] = levels[codes[~missing].astype(np.intp)]
        return out

    def _numeric_values(self, j, values):
        dtype = self._dtypes[j]
        kind = getattr(dtype, "kind", "f")
        if kind in "iub" and not np.isnan(values).any():
            rounded = np.round(values)
            if np.array_equal(rounded, values):
                return rounded.astype(dtype)
        return values


def tabular_input(X, feature_types=None, *, name="X"):
    """Validate ``X`` and read its columns (a :class:`TabularData`).

    Numeric arrays are checked as scikit-learn does (2-D, at least one row,
    no infinity, dense); missing values (NaN) are allowed and passed to the
    model as they are. DataFrames keep their column names and dtypes.
    """
    if not _is_frame(X):
        X = check_array(
            X,
            dtype=None if _has_text(X) else np.float64,
            ensure_all_finite="allow-nan",
            force_writeable=True,
            input_name=name,
        )
        if X.dtype.kind == "c":
            raise ValueError(f"Complex data not supported in {name}.")
    elif X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(
            f"Found array with {X.shape[0]} sample(s) and {X.shape[1]} feature(s) "
            f"in {name}; a minimum of 1 is required."
        )
    return TabularData(X, feature_types)


def _has_text(X):
    dtype = getattr(X, "dtype", None)
    if dtype is not None:
        return dtype.kind in "OUS"
    try:
        return np.asarray(X).dtype.kind in "OUS"
    except (TypeError, ValueError):  # ragged input: let check_array explain
        return False


def warn_constant_columns(data):
    """Warn about columns with a single observed value (their scores are 0)."""
    constant = np.flatnonzero(data.scale == 0)
    if constant.size and data.shape[0] > 1:
        names = [data.name(j) for j in constant]
        warnings.warn(
            f"Features {names} are constant in X; their interactions are "
            "reported as 0.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
