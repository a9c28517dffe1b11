# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Displays of local (per-row) interaction values.

* :class:`LocalInteractionDisplay`: the interaction matrix of one row, main
  effects on the diagonal (Integrated / Expected Hessians), in a diverging
  colormap centred at zero.
* :class:`InteractionDependenceDisplay`: the interaction value of a pair
  ``(i, j)`` at every row against the value of feature ``i``, coloured by
  feature ``j`` (Janizek et al., Figures 7-8).
"""

import numpy as np
from sklearn.utils._optional_dependencies import check_matplotlib_support

from sklearn_interact.inspection._features import tabular_input
from sklearn_interact.inspection._local import local_interactions
from sklearn_interact.inspection._model_function import (
    PLAIN_SCALES,
    as_model_function,
    check_feature_names,
)
from sklearn_interact.inspection._validation import check_interaction_input


def _feature_names(feature_names, X, n_features):
    if feature_names is None and hasattr(X, "columns"):
        feature_names = list(X.columns)
    if feature_names is None:
        return [f"x{i}" for i in range(n_features)]
    feature_names = [str(n) for n in feature_names]
    if len(feature_names) != n_features:
        raise ValueError(
            f"feature_names has {len(feature_names)} names for {n_features} features."
        )
    return feature_names


def _feature_index(feature, feature_names):
    if isinstance(feature, str):
        if feature not in feature_names:
            raise ValueError(f"Unknown feature {feature!r}.")
        return feature_names.index(feature)
    feature = int(feature)
    if not 0 <= feature < len(feature_names):
        raise ValueError(
            f"Feature index {feature} is out of range for "
            f"{len(feature_names)} features."
        )
    return feature


#: Rows (the explained one and others of X) that set a black box's steps and
#: levels in :meth:`LocalInteractionDisplay.from_estimator`.
MAX_REFERENCE_ROWS = 1000


def _as_table(X):
    """A DataFrame as it is (its own column types); anything else as an array."""
    return X if hasattr(X, "iloc") else check_interaction_input(X)


def _rows(X, index):
    return X.iloc[index] if hasattr(X, "iloc") else np.asarray(X)[index]


def _local_values(estimator, X, kwargs):
    """:func:`local_interactions` of ``X``, Expected Hessians by default.

    Without a ``baseline`` or ``method`` in ``kwargs``, a differentiable model
    gets Expected Hessians with baselines drawn from ``X`` (a black box, local
    finite differences). The model function is built once.
    """
    kwargs = dict(kwargs)
    fn = as_model_function(
        estimator, response_method=kwargs.pop("response_method", "auto")
    )
    if "baseline" not in kwargs and kwargs.get("method", "auto") == "auto":
        if fn.exact and tabular_input(X).all_continuous:
            kwargs.update(method="expected", baseline=X)
    return fn, kwargs


class LocalInteractionDisplay:
    """The interaction matrix of one row.

    Parameters
    ----------
    values : ndarray of shape (n_features, n_features)
        Interaction values of the row; the diagonal holds main effects for
        Integrated / Expected Hessians.
    feature_names : list of str, default=None
        Defaults to ``x0, x1, ...``.
    row : int, default=None
        Index of the row, used in the title.
    scale : str, default=None
        The scale of the values (e.g. ``"log-odds of class 1"``), shown in
        the colorbar label.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    image_ : matplotlib AxesImage
    texts_ : ndarray of matplotlib Text or None
        Cell annotations (``annotate=True``).

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_interact.inspection import LocalInteractionDisplay
    >>> values = np.array([[0.3, -0.2], [-0.2, 0.4]])
    >>> disp = LocalInteractionDisplay(values, feature_names=["a", "b"]).plot()
    >>> disp.image_.get_array().shape
    (2, 2)
    """

    def __init__(self, values, *, feature_names=None, row=None, scale=None):
        self.values = np.asarray(values, dtype=float)
        if self.values.ndim != 2 or self.values.shape[0] != self.values.shape[1]:
            raise ValueError(
                f"values must be a square matrix; got shape {self.values.shape}."
            )
        self.feature_names = _feature_names(feature_names, None, self.values.shape[0])
        self.row = row
        self.scale = scale

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        *,
        row=0,
        feature_names=None,
        ax=None,
        annotate=None,
        **kwargs,
    ):
        """Explain one row of ``X`` and plot its interaction matrix.

        Parameters
        ----------
        estimator : object
            A fitted model (see
            :func:`~sklearn_interact.inspection.local_interactions`).
        X : array-like of shape (n_samples, n_features)
            Data, as the model takes it (a DataFrame keeps its column
            types); row ``row`` is explained. Without a ``baseline`` or
            ``method`` in ``kwargs``, a differentiable model gets Expected
            Hessians with baselines drawn from ``X``; otherwise (a black box,
            or columns that are not continuous) local finite differences and
            level contrasts whose steps and levels come from the row and up
            to 999 other rows of ``X``.
        row : int, default=0
            Row to explain.
        feature_names : list of str, default=None
            Defaults to the columns of a DataFrame ``X``, or ``x0, x1, ...``.
        ax : matplotlib Axes, default=None
        annotate : bool, default=None
            Write values in the cells; by default when there are at most 10
            features.
        **kwargs : dict
            Passed to :func:`local_interactions` (``baseline``, ``method``,
            ``n_samples``, ``random_state``...).

        Returns
        -------
        display : LocalInteractionDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        # All of X is checked, not only the row explained: it also holds the
        # background of Expected Hessians. X is taken as the model takes it
        # (strings, categories, missing values for a Pipeline that handles
        # them), as by local_interactions.
        X = _as_table(X)
        n, p = tabular_input(X).shape
        names = _feature_names(feature_names, X, p)
        if not -n <= row < n:
            raise ValueError(f"row={row} is out of range for {n} rows.")
        fn, kwargs = _local_values(estimator, X, kwargs)
        check_feature_names(fn, X)
        if kwargs.get("method") == "expected" and kwargs.get("baseline") is None:
            kwargs["baseline"] = X
        baseline = kwargs.get("baseline")
        if (
            kwargs.get("method", "auto") in ("auto", "integrated")
            and baseline is not None
            and np.ndim(baseline) == 2
            and np.shape(baseline)[0] == n
        ):
            kwargs["baseline"] = _rows(baseline, [row])
        method = kwargs.get("method", "auto")
        if method in ("integrated", "expected") or (
            method == "auto" and kwargs.get("baseline") is not None
        ):
            result = local_interactions(fn, _rows(X, [row]), **kwargs)
        else:
            # Steps and levels come from the rows measured: the row with up
            # to MAX_REFERENCE_ROWS - 1 others of X (one row alone has no
            # spread and a single level, and would give exactly 0).
            kwargs.pop("max_samples", None)
            row = row % n
            others = np.delete(np.arange(n), row)
            seed = kwargs.get("random_state", 0)
            rng = np.random.RandomState(seed if isinstance(seed, int) else 0)
            take = min(others.size, MAX_REFERENCE_ROWS - 1)
            index = np.concatenate([[row], np.sort(rng.choice(others, take, False))])
            result = local_interactions(fn, _rows(X, index), **kwargs)
        display = cls(
            result.interaction_values[0],
            feature_names=names,
            row=row,
            scale=result.scale,
        )
        return display.plot(ax=ax, annotate=annotate)

    def plot(self, *, ax=None, cmap="RdBu_r", annotate=None, colorbar=True):
        """Draw the matrix.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
        cmap : str, default="RdBu_r"
            Diverging colormap, centred at zero.
        annotate : bool, default=None
            Write values in the cells; by default when there are at most 10
            features.
        colorbar : bool, default=True

        Returns
        -------
        display : LocalInteractionDisplay
        """
        check_matplotlib_support(f"{self.__class__.__name__}.plot")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        p = self.values.shape[0]
        limit = float(np.max(np.abs(self.values), initial=0.0)) or 1.0
        self.image_ = ax.imshow(self.values, cmap=cmap, vmin=-limit, vmax=limit)
        names = self.feature_names
        ax.set_xticks(range(p), labels=names, rotation=45, ha="right")
        ax.set_yticks(range(p), labels=names)
        if annotate is None:
            annotate = p <= 10
        self.texts_ = None
        if annotate:
            self.texts_ = np.empty((p, p), dtype=object)
            for i in range(p):
                for j in range(p):
                    self.texts_[i, j] = ax.text(
                        j,
                        i,
                        f"{self.values[i, j]:.2g}",
                        ha="center",
                        va="center",
                        fontsize=8,
                    )
        if colorbar:
            label = "interaction value"
            if self.scale and self.scale not in PLAIN_SCALES:
                label += f"\n({self.scale})"
            ax.figure.colorbar(self.image_, ax=ax, label=label)
        title = "Local interactions"
        if self.row is not None:
            title += f" (row {self.row})"
        ax.set_title(title)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self


class InteractionDependenceDisplay:
    """Interaction value of a pair against one feature, coloured by another.

    Each point is a row: x-axis the value of feature ``i``, y-axis the
    interaction value ``Gamma_ij`` of that row (or the main effect
    ``Gamma_ii`` when ``i == j``), colour the value of feature ``color``
    (Janizek et al., Figures 7-8).

    Parameters
    ----------
    feature_values : ndarray of shape (n_samples,)
        Values of feature ``i``.
    interaction_values : ndarray of shape (n_samples,)
        Interaction values of the pair, per row.
    color_values : ndarray of shape (n_samples,) or None
        Values of the colouring feature.
    feature_name, interaction_name, color_name : str
        Axis and colorbar labels.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    scatter_ : matplotlib PathCollection
    colorbar_ : matplotlib Colorbar or None

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_interact.inspection import InteractionDependenceDisplay
    >>> x = np.linspace(-1, 1, 20)
    >>> disp = InteractionDependenceDisplay(x, x * 0.5, -x).plot()
    >>> disp.scatter_.get_offsets().shape
    (20, 2)
    """

    def __init__(
        self,
        feature_values,
        interaction_values,
        color_values=None,
        *,
        feature_name="x_i",
        interaction_name="interaction",
        color_name=None,
    ):
        self.feature_values = np.asarray(feature_values, dtype=float)
        self.interaction_values = np.asarray(interaction_values, dtype=float)
        if self.feature_values.shape != self.interaction_values.shape:
            raise ValueError(
                "feature_values and interaction_values must have the same shape; "
                f"got {self.feature_values.shape} and "
                f"{self.interaction_values.shape}."
            )
        self.color_values = (
            None if color_values is None else np.asarray(color_values, dtype=float)
        )
        self.feature_name = feature_name
        self.interaction_name = interaction_name
        self.color_name = color_name

    @classmethod
    def from_values(
        cls,
        values,
        X,
        features,
        *,
        color=None,
        feature_names=None,
        ax=None,
        scale=None,
    ):
        """Plot precomputed local values (e.g. ``local_interactions(...)``).

        Parameters
        ----------
        values : ndarray of shape (n_samples, n_features, n_features)
            Per-row interaction matrices.
        X : array-like of shape (n_samples, n_features)
            The explained rows.
        features : tuple of (int or str)
            The pair ``(i, j)``; ``i`` is on the x-axis.
        color : int or str, default=None
            Feature used for colour; ``j`` by default.
        feature_names : list of str, default=None
        ax : matplotlib Axes, default=None
        scale : str, default=None
            The scale of the values (e.g. ``result.scale``), shown in the
            axis label.

        Returns
        -------
        display : InteractionDependenceDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_values")
        values = np.asarray(values, dtype=float)
        X_arr = np.asarray(X, dtype=float)
        n, p = X_arr.shape
        if values.shape != (n, p, p):
            raise ValueError(
                f"values must have shape ({n}, {p}, {p}) for X of shape "
                f"{X_arr.shape}; got {values.shape}."
            )
        names = _feature_names(feature_names, X, p)
        if len(features) != 2:
            raise ValueError(f"features must be a pair (i, j); got {features!r}.")
        i, j = (_feature_index(f, names) for f in features)
        c = j if color is None else _feature_index(color, names)
        label = (
            f"main effect of {names[i]}"
            if i == j
            else f"interaction {names[i]} x {names[j]}"
        )
        if scale and scale not in PLAIN_SCALES:
            label += f"\n({scale})"
        display = cls(
            X_arr[:, i],
            values[:, i, j],
            X_arr[:, c],
            feature_name=names[i],
            interaction_name=label,
            color_name=names[c],
        )
        return display.plot(ax=ax)

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        features,
        *,
        color=None,
        feature_names=None,
        ax=None,
        **kwargs,
    ):
        """Explain every row of ``X`` and plot one pair's dependence.

        Parameters
        ----------
        estimator : object
            A fitted model.
        X : array-like of shape (n_samples, n_features)
            Rows to explain. Without a ``baseline`` or ``method`` in
            ``kwargs``, a differentiable model gets Expected Hessians with
            baselines drawn from ``X`` (a black box, local finite
            differences).
        features : tuple of (int or str)
            The pair ``(i, j)``.
        color : int or str, default=None
            Feature used for colour; ``j`` by default.
        feature_names : list of str, default=None
        ax : matplotlib Axes, default=None
        **kwargs : dict
            Passed to :func:`local_interactions`.

        Returns
        -------
        display : InteractionDependenceDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        X = _as_table(X)
        data = tabular_input(X)
        names = _feature_names(feature_names, X, data.n_features)
        plotted = [_feature_index(f, names) for f in features]
        if color is not None:
            plotted.append(_feature_index(color, names))
        categorical = [names[j] for j in plotted if data.kinds[j] == "categorical"]
        if categorical:
            raise ValueError(
                f"Features {categorical} are categorical: a dependence plot "
                "needs numeric axes. Show their interactions with "
                "LocalInteractionDisplay or interaction_table."
            )
        fn, kwargs = _local_values(estimator, X, kwargs)
        check_feature_names(fn, X)
        result = local_interactions(fn, X, **kwargs)
        rows = result["rows"]
        return cls.from_values(
            result.interaction_values,
            data.codes[rows],
            features,
            color=color,
            feature_names=names,
            ax=ax,
            scale=result.scale,
        )

    def plot(self, *, ax=None, cmap="coolwarm", colorbar=True, **scatter_kwargs):
        """Draw the scatter plot.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
        cmap : str, default="coolwarm"
        colorbar : bool, default=True
        **scatter_kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.scatter`.

        Returns
        -------
        display : InteractionDependenceDisplay
        """
        check_matplotlib_support(f"{self.__class__.__name__}.plot")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        scatter_kwargs.setdefault("s", 12)
        if self.color_values is None:
            self.scatter_ = ax.scatter(
                self.feature_values, self.interaction_values, **scatter_kwargs
            )
        else:
            self.scatter_ = ax.scatter(
                self.feature_values,
                self.interaction_values,
                c=self.color_values,
                cmap=cmap,
                **scatter_kwargs,
            )
        ax.axhline(0.0, color="grey", linewidth=0.8, zorder=0)
        ax.set_xlabel(self.feature_name)
        ax.set_ylabel(self.interaction_name)
        self.colorbar_ = None
        if colorbar and self.color_values is not None:
            self.colorbar_ = ax.figure.colorbar(
                self.scatter_, ax=ax, label=self.color_name
            )
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
