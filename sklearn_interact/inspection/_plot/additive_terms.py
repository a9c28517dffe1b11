# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Draw the terms of an additive model: curves for features, heatmaps for pairs."""

import numbers

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils._optional_dependencies import check_matplotlib_support
from sklearn.utils.validation import check_array, check_is_fitted


def _feature_grid(values, grid_resolution, percentiles):
    """Evenly spaced grid between two percentiles, or the unique values."""
    values = np.asarray(values, dtype=np.float64)
    unique = np.unique(values)
    if unique.size <= grid_resolution:
        return unique
    low, high = np.percentile(values, np.multiply(percentiles, 100))
    if not high > low:
        low, high = unique[0], unique[-1]
    return np.linspace(low, high, grid_resolution)


def _select_terms(estimator_terms, terms):
    """Indices of the requested terms (all terms of order <= 2 when None)."""
    estimator_terms = [tuple(int(j) for j in t) for t in estimator_terms]
    if terms is None:
        return [k for k, t in enumerate(estimator_terms) if len(t) <= 2]
    selected = []
    for term in terms:
        if isinstance(term, numbers.Integral):
            if not 0 <= term < len(estimator_terms):
                raise ValueError(
                    f"term index {term} is out of range for an estimator with "
                    f"{len(estimator_terms)} terms."
                )
            k = int(term)
        else:
            key = tuple(sorted(int(j) for j in term))
            if key not in estimator_terms:
                raise ValueError(
                    f"term {key} is not one of the estimator's terms_ "
                    f"{estimator_terms}."
                )
            k = estimator_terms.index(key)
        if len(estimator_terms[k]) > 2:
            raise ValueError(
                f"term {estimator_terms[k]} has order {len(estimator_terms[k])}; "
                "only terms of one or two features can be drawn."
            )
        selected.append(k)
    return selected


def _class_choice(estimator, target):
    """``(column, sign, scale)`` of the class whose contributions are drawn.

    A regressor has no class (``column`` None, ``sign`` 1, ``scale`` None).
    A binary classifier's contributions are the log-odds of ``classes_[1]``:
    ``sign`` is -1 for ``classes_[0]``. A multiclass one has a trailing axis of
    classes, and ``column`` picks one.
    """
    if not is_classifier(estimator):
        if target is not None:
            raise ValueError("target is for classifiers only.")
        return None, 1.0, None
    classes = list(estimator.classes_)
    if target is None:
        if len(classes) > 2:
            raise ValueError(
                f"{type(estimator).__name__} has {len(classes)} classes {classes}; "
                "pass target=<class label> to draw the contributions to the "
                "log-odds of one class."
            )
        target = classes[1]
    matches = [k for k, c in enumerate(classes) if c == target]
    if not matches:
        raise ValueError(f"target={target!r} is not one of the classes {classes}.")
    k = matches[0]
    scale = f"log-odds of class {classes[k]}"
    if len(classes) == 2:
        return None, 1.0 if k == 1 else -1.0, scale
    return k, 1.0, scale


class AdditiveTermsDisplay:
    """Shape functions of an additive model with interactions.

    Draws one panel per term: a curve for a single-feature term and a heatmap
    for a pair. Works with any fitted estimator of the additive-model protocol:
    a ``terms_`` attribute (sorted feature-index tuples) and a
    ``term_contributions(X)`` method whose column ``t`` depends only on the
    features of ``terms_[t]``, e.g. :class:`~sklearn_interact.neural.NITRegressor`.

    It is recommended to use :meth:`from_estimator` to create an
    ``AdditiveTermsDisplay``; the constructor only stores precomputed grids.

    Parameters
    ----------
    terms : list of tuple of int
        Features of each drawn term (one or two features).
    grids : list of list of ndarray
        For each term, the grid of each of its features.
    values : list of ndarray
        For each term, its contribution on the grid: shape ``(n_grid,)`` for a
        single feature, ``(n_grid_0, n_grid_1)`` for a pair (first axis: the
        first feature).
    feature_names : list of str, default=None
        Names of all features; ``"x0"``, ``"x1"``, ... when None.
    intercept : float, default=None
        The model's constant, shown in the figure title when given.
    scale : str, default=None
        What the contributions add up to, e.g. ``"log-odds of class 1"`` for
        a classifier, shown in the axis labels.

    Attributes
    ----------
    ax_ : ndarray of matplotlib Axes
        One axes per term.
    figure_ : matplotlib Figure
        Figure of the axes.
    lines_ : ndarray of matplotlib Line2D or None
        The curve of each single-feature term (None for pairs).
    images_ : ndarray of matplotlib QuadMesh or None
        The heatmap of each pair (None for single features).
    colorbars_ : ndarray of matplotlib Colorbar or None
        The colorbar of each heatmap.

    See Also
    --------
    sklearn_interact.neural.NITRegressor : Neural GAM with interactions.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.inspection import AdditiveTermsDisplay
    >>> grid = np.linspace(-1, 1, 5)
    >>> display = AdditiveTermsDisplay(
    ...     terms=[(0,), (0, 1)],
    ...     grids=[[grid], [grid, grid]],
    ...     values=[grid**2, np.outer(grid, grid)],
    ... )
    >>> display.terms
    [(0,), (0, 1)]
    """

    def __init__(
        self, terms, grids, values, *, feature_names=None, intercept=None, scale=None
    ):
        self.terms = terms
        self.grids = grids
        self.values = values
        self.feature_names = feature_names
        self.intercept = intercept
        self.scale = scale

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        *,
        terms=None,
        grid_resolution=50,
        percentiles=(0.05, 0.95),
        feature_names=None,
        ax=None,
        n_cols=3,
        line_kw=None,
        heatmap_kw=None,
        target=None,
    ):
        """Compute the shape functions of a fitted additive model and draw them.

        Parameters
        ----------
        estimator : estimator
            Fitted estimator with ``terms_`` and ``term_contributions(X)``.
        X : array-like of shape (n_samples, n_features)
            Data that sets the grid of each feature (between ``percentiles``).
        terms : list of int or of tuple of int, default=None
            Terms to draw, as indices into ``estimator.terms_`` or as feature
            tuples. None draws every term of one or two features.
        grid_resolution : int, default=50
            Grid points per feature (features with fewer unique values use
            those values).
        percentiles : tuple of float, default=(0.05, 0.95)
            Lower and upper percentiles of each feature's grid.
        feature_names : list of str, default=None
            Feature names; by default ``estimator.feature_names_in_``, the
            columns of a DataFrame ``X`` or ``"x0"``, ``"x1"``, ...
        ax : matplotlib Axes or array-like of Axes, default=None
            Where to draw; see :meth:`plot`.
        n_cols : int, default=3
            Columns of the panel grid when the axes are created.
        line_kw : dict, default=None
            Keyword arguments of ``ax.plot`` for the curves.
        heatmap_kw : dict, default=None
            Keyword arguments of ``ax.pcolormesh`` for the heatmaps.
        target : label, default=None
            For a classifier, the class whose log-odds the contributions are
            drawn for (required with more than two classes); None is
            ``classes_[1]`` of a binary classifier.

        Returns
        -------
        display : AdditiveTermsDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        check_is_fitted(estimator)
        if not hasattr(estimator, "terms_") or not hasattr(
            estimator, "term_contributions"
        ):
            raise TypeError(
                f"{type(estimator).__name__} is not an additive model: it needs a "
                "fitted terms_ attribute and a term_contributions(X) method."
            )
        if not isinstance(grid_resolution, numbers.Integral) or grid_resolution < 2:
            raise ValueError(
                f"grid_resolution must be an integer >= 2, got {grid_resolution!r}."
            )
        low, high = percentiles
        if not 0 <= low < high <= 1:
            raise ValueError(
                "percentiles must be two increasing values in [0, 1], got "
                f"{percentiles!r}."
            )
        columns = getattr(X, "columns", None)
        X_array = check_array(X, dtype=np.float64, input_name="X")
        n_features = X_array.shape[1]
        expected = getattr(estimator, "n_features_in_", n_features)
        if n_features != expected:
            raise ValueError(
                f"X has {n_features} features, but {type(estimator).__name__} is "
                f"expecting {expected} features as input."
            )
        if feature_names is None:
            if hasattr(estimator, "feature_names_in_"):
                feature_names = [str(f) for f in estimator.feature_names_in_]
            elif columns is not None:
                feature_names = [str(c) for c in columns]
            else:
                feature_names = [f"x{j}" for j in range(n_features)]
        selected = _select_terms(estimator.terms_, terms)
        reference = np.median(X_array, axis=0)
        column, sign, scale = _class_choice(estimator, target)
        intercept = getattr(estimator, "intercept_", None)
        if intercept is not None:
            intercept = np.asarray(intercept)[() if column is None else column]
            intercept = float(sign * intercept)

        def contributions(rows):
            if columns is not None:
                import pandas as pd

                rows = pd.DataFrame(rows, columns=columns)
            values = np.asarray(estimator.term_contributions(rows))
            return sign * (values if column is None else values[..., column])

        plot_terms, grids, values = [], [], []
        for k in selected:
            term = tuple(int(j) for j in estimator.terms_[k])
            term_grids = [
                _feature_grid(X_array[:, j], grid_resolution, percentiles) for j in term
            ]
            mesh = np.meshgrid(*term_grids, indexing="ij")
            rows = np.tile(reference, (mesh[0].size, 1))
            for j, m in zip(term, mesh, strict=True):
                rows[:, j] = m.ravel()
            value = contributions(rows)[:, k].reshape(mesh[0].shape)
            plot_terms.append(term)
            grids.append(term_grids)
            values.append(value)
        display = cls(
            plot_terms,
            grids,
            values,
            feature_names=feature_names,
            intercept=intercept,
            scale=scale,
        )
        return display.plot(
            ax=ax, n_cols=n_cols, line_kw=line_kw, heatmap_kw=heatmap_kw
        )

    def _feature_name(self, j):
        if self.feature_names is None:
            return f"x{j}"
        return str(self.feature_names[j])

    def plot(self, ax=None, *, n_cols=3, line_kw=None, heatmap_kw=None):
        """Draw the shape functions.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            None creates a figure with one panel per term; a single Axes is
            split into a grid of panels covering it; an array-like must hold
            one Axes per term.
        n_cols : int, default=3
            Columns of the panel grid when the axes are created or split.
        line_kw : dict, default=None
            Keyword arguments of ``ax.plot`` for the curves.
        heatmap_kw : dict, default=None
            Keyword arguments of ``ax.pcolormesh`` for the heatmaps.

        Returns
        -------
        display : AdditiveTermsDisplay
            Object that stores the drawn artists.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt
        from matplotlib.axes import Axes

        n_terms = len(self.terms)
        if n_terms == 0:
            raise ValueError("There is no term to draw.")
        if not isinstance(n_cols, numbers.Integral) or n_cols < 1:
            raise ValueError(f"n_cols must be a positive integer, got {n_cols!r}.")
        n_cols = min(int(n_cols), n_terms)
        n_rows = -(-n_terms // n_cols)
        if ax is None:
            fig, axes = plt.subplots(
                n_rows,
                n_cols,
                figsize=(4 * n_cols, 3.2 * n_rows),
                squeeze=False,
                layout="constrained",
            )
            axes = axes.ravel()
        elif isinstance(ax, Axes):
            if n_terms == 1:
                fig, axes = ax.figure, np.array([ax])
            else:
                fig = ax.figure
                spec = ax.get_subplotspec().subgridspec(n_rows, n_cols)
                ax.remove()
                axes = np.array(
                    [
                        fig.add_subplot(spec[r, c])
                        for r in range(n_rows)
                        for c in range(n_cols)
                    ]
                )
        else:
            axes = np.asarray(ax, dtype=object).ravel()
            if axes.size != n_terms:
                raise ValueError(
                    f"Expected {n_terms} axes (one per term), got {axes.size}."
                )
            fig = axes[0].figure
        for extra in axes[n_terms:]:
            extra.set_visible(False)
        axes = axes[:n_terms]

        line_kw = {} if line_kw is None else dict(line_kw)
        label = "contribution" + (f" to the {self.scale}" if self.scale else "")
        heatmap_kw = {"cmap": "RdBu_r", "shading": "auto", **(heatmap_kw or {})}
        lines = np.full(n_terms, None, dtype=object)
        images = np.full(n_terms, None, dtype=object)
        colorbars = np.full(n_terms, None, dtype=object)
        for k, (term, grid, value, axis) in enumerate(
            zip(self.terms, self.grids, self.values, axes, strict=True)
        ):
            value = np.asarray(value)
            if len(term) == 1:
                (lines[k],) = axis.plot(grid[0], value, **line_kw)
                axis.set_xlabel(self._feature_name(term[0]))
                axis.set_ylabel(label)
            elif len(term) == 2:
                kw = dict(heatmap_kw)
                if "vmin" not in kw and "vmax" not in kw and "norm" not in kw:
                    bound = float(np.max(np.abs(value))) or 1.0
                    kw.update(vmin=-bound, vmax=bound)
                images[k] = axis.pcolormesh(grid[0], grid[1], value.T, **kw)
                colorbars[k] = fig.colorbar(images[k], ax=axis, label=label)
                axis.set_xlabel(self._feature_name(term[0]))
                axis.set_ylabel(self._feature_name(term[1]))
            else:
                raise ValueError(
                    f"term {tuple(term)} has order {len(term)}; only terms of "
                    "one or two features can be drawn."
                )
            axis.set_title(" x ".join(self._feature_name(j) for j in term))
        if self.intercept is not None:
            fig.suptitle(f"intercept = {self.intercept:.4g}")
        self.ax_ = axes
        self.figure_ = fig
        self.lines_ = lines
        self.images_ = images
        self.colorbars_ = colorbars
        return self
