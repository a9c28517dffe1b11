# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""InteractionDisplay: a heatmap or ranked bar chart of pairwise interactions."""

import numpy as np
from sklearn.utils._optional_dependencies import check_matplotlib_support

from sklearn_interact.inspection._model_function import PLAIN_SCALES
from sklearn_interact.inspection._pairwise import pairwise_interactions
from sklearn_interact.inspection._validation import top_pairs

#: How the title names the estimand of the intervals.
ESTIMAND_TEXT = {
    "model": "intervals: this fitted model's interaction",
    "data": "intervals: the data's interaction (refits)",
}


class InteractionDisplay:
    """Visualize pairwise interaction strengths.

    Build it with :meth:`from_estimator` (from any object with
    ``interactions_``, or by measuring a fitted model on ``X``); the
    constructor only stores precomputed values.

    Parameters
    ----------
    interactions : ndarray of shape (n_features, n_features)
        Symmetric interaction strengths.
    feature_names : list of str, default=None
        Defaults to ``x0, x1, ...``.
    interaction_ci : ndarray of shape (n_features, n_features, 2), default=None
        Lower and upper interval bounds, drawn as whiskers by ``kind="bar"``.
    scale : str, default=None
        What the strengths are measured on (e.g. ``"log-odds of class 1"``),
        shown in the axis label (unless it is a model's plain prediction).
    estimand : {"model", "data"}, default=None
        Whose interaction the intervals describe (this fitted model's, or the
        data's: refits), named in the title of ``kind="bar"`` when intervals
        are drawn.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the plot.
    figure_ : matplotlib Figure
        Figure containing the plot.
    image_ : matplotlib AxesImage or None
        The heatmap (``kind="heatmap"``).
    bars_ : matplotlib BarContainer or None
        The bars (``kind="bar"``).

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_interact.inspection import InteractionDisplay
    >>> M = np.array([[0, 2.0, 0.1], [2.0, 0, 0.5], [0.1, 0.5, 0]])
    >>> disp = InteractionDisplay(M, feature_names=["a", "b", "c"]).plot()
    >>> disp.image_.get_array().shape
    (3, 3)
    """

    def __init__(
        self,
        interactions,
        *,
        feature_names=None,
        interaction_ci=None,
        scale=None,
        estimand=None,
    ):
        self.interactions = np.asarray(interactions, dtype=float)
        p = self.interactions.shape[0]
        self.feature_names = (
            [f"x{i}" for i in range(p)]
            if feature_names is None
            else [str(n) for n in feature_names]
        )
        self.interaction_ci = interaction_ci
        self.scale = scale
        self.estimand = estimand

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X=None,
        *,
        kind="heatmap",
        top_k=10,
        feature_names=None,
        ax=None,
        **kwargs,
    ):
        """Plot the interactions of a fitted estimator.

        Parameters
        ----------
        estimator : object
            An object with ``interactions_`` (:class:`InteractionSelector`,
            the neural estimators of this library), a result of
            :func:`~sklearn_interact.inspection.interaction_test` or
            :func:`~sklearn_interact.inspection.pairwise_interactions`, or any
            fitted model, which
            is then measured on ``X`` with
            :func:`~sklearn_interact.inspection.pairwise_interactions`.
        X : array-like of shape (n_samples, n_features), default=None
            Rows to measure on; needed only when ``estimator`` has no
            ``interactions_``.
        kind : {"heatmap", "bar"}, default="heatmap"
            A matrix heatmap, or the ``top_k`` pairs as bars with interval
            whiskers.
        top_k : int, default=10
            Pairs shown by ``kind="bar"``.
        feature_names : list of str, default=None
            Defaults to ``feature_names_in_``, the columns of a DataFrame ``X``,
            or ``x0, x1, ...``.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created if None.
        **kwargs : dict
            Passed to :func:`pairwise_interactions` when measuring.

        Returns
        -------
        display : InteractionDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        if feature_names is None:
            feature_names = getattr(estimator, "feature_names_in_", None)
        if feature_names is None and hasattr(X, "columns"):
            feature_names = list(X.columns)
        estimand = None
        if hasattr(estimator, "interactions_"):
            interactions = estimator.interactions_
            ci = getattr(estimator, "interaction_ci_", None)
            scale = getattr(estimator, "interaction_scale_", None)
            estimand = getattr(estimator, "interaction_estimand_", None)
        elif isinstance(estimator, dict) and "interactions" in estimator:
            interactions = estimator["interactions"]
            ci = estimator.get("interaction_ci")
            scale, estimand = estimator.get("scale"), estimator.get("estimand")
        else:
            if X is None:
                raise ValueError(
                    f"{estimator.__class__.__name__} has no interactions_; pass X "
                    "to measure them."
                )
            result = pairwise_interactions(estimator, X, **kwargs)
            interactions, ci = result.interactions, result.interaction_ci
            scale, estimand = result.scale, result.estimand
        display = cls(
            interactions,
            feature_names=feature_names,
            interaction_ci=ci,
            scale=scale,
            estimand=estimand,
        )
        return display.plot(kind=kind, top_k=top_k, ax=ax)

    def plot(self, *, kind="heatmap", top_k=10, ax=None, cmap="viridis"):
        """Draw the plot.

        Parameters
        ----------
        kind : {"heatmap", "bar"}, default="heatmap"
        top_k : int, default=10
            Pairs shown by ``kind="bar"``.
        ax : matplotlib Axes, default=None
        cmap : str, default="viridis"
            Colormap of the heatmap.

        Returns
        -------
        display : InteractionDisplay
        """
        check_matplotlib_support(f"{self.__class__.__name__}.plot")
        import matplotlib.pyplot as plt

        if kind not in ("heatmap", "bar"):
            raise ValueError(f"kind must be 'heatmap' or 'bar', got {kind!r}.")
        if ax is None:
            _, ax = plt.subplots()
        self.image_ = self.bars_ = None
        names = self.feature_names
        label = "interaction strength"
        if self.scale and self.scale not in PLAIN_SCALES:
            label += f"\n({self.scale})"
        if kind == "heatmap":
            self.image_ = ax.imshow(self.interactions, cmap=cmap)
            ax.set_xticks(range(len(names)), labels=names, rotation=45, ha="right")
            ax.set_yticks(range(len(names)), labels=names)
            ax.figure.colorbar(self.image_, ax=ax, label=label)
            ax.set_title("Pairwise interactions")
        else:
            pairs = top_pairs(self.interactions, top_k)[::-1]
            labels = [f"{names[i]} x {names[j]}" for i, j in pairs]
            values = np.array([self.interactions[i, j] for i, j in pairs])
            xerr = None
            if self.interaction_ci is not None and pairs:
                ci = np.array([self.interaction_ci[i, j] for i, j in pairs])
                xerr = np.abs(np.vstack([values - ci[:, 0], ci[:, 1] - values]))
            self.bars_ = ax.barh(labels, values, xerr=xerr, capsize=3)
            ax.set_xlabel(label)
            title = f"Top {len(pairs)} interactions"
            if xerr is not None and self.estimand in ESTIMAND_TEXT:
                title += f"\n{ESTIMAND_TEXT[self.estimand]}"
            ax.set_title(title)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
