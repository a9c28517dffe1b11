# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""InteractionSelector: measure a model's interactions, append the top ones."""

import copy
import numbers

import numpy as np
import torch
from sklearn.base import (
    BaseEstimator,
    MetaEstimatorMixin,
    TransformerMixin,
    _fit_context,
    clone,
)
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.utils import Bunch, check_random_state, get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)
from skorch import NeuralNet

from sklearn_interact.inspection._feature_groups import group_interactions
from sklearn_interact.inspection._features import (
    MAX_CATEGORICAL_LEVELS,
    tabular_input,
)
from sklearn_interact.inspection._higher_order import higher_order_interactions
from sklearn_interact.inspection._interaction_test import interaction_test
from sklearn_interact.inspection._local_estimate import local_pair_components
from sklearn_interact.inspection._model_checks import warn_if_poorly_fitted
from sklearn_interact.inspection._model_function import (
    MODEL_CONSTRAINTS,
    make_model_function,
)
from sklearn_interact.inspection._pairwise import (
    PAIRWISE_CONSTRAINTS,
    pairwise_interactions,
)
from sklearn_interact.inspection._table import interaction_table
from sklearn_interact.inspection._validation import (
    DEFAULT_STEP,
    resolve_method,
    sample_rows,
)


class InteractionSelector(MetaEstimatorMixin, TransformerMixin, BaseEstimator):
    """Measure the feature interactions of a model and append the strongest.

    A meta-transformer in the style of
    :class:`~sklearn.feature_selection.SelectFromModel`: ``fit`` clones and
    fits ``estimator`` (or uses an already fitted one, see ``prefit`` and
    :class:`~sklearn.frozen.FrozenEstimator`), measures its pairwise
    interactions with :func:`~sklearn_interact.inspection.pairwise_interactions`,
    and ``transform`` returns ``X`` with the products of the ``top_k``
    strongest pairs appended as new columns (named ``"a*b"``). In a
    :class:`~sklearn.pipeline.Pipeline` this gives a downstream model, e.g. a
    linear one, the interaction terms that the wrapped model found;
    :class:`~sklearn.model_selection.GridSearchCV` can tune ``top_k`` and
    ``n_clusters``.

    Interactions are measured on the training rows passed to ``fit``, per
    unit of each column's scale (its standard deviation with far-out values
    clipped; a binary or categorical column's as its type has it, see
    :func:`~sklearn_interact.inspection.pairwise_interactions`). Differentiable
    models (torch modules, skorch nets, scikit-learn MLPs with ReLU swapped for
    softplus, this library's estimators) get exact Hessians; any other model
    gets mixed finite differences.

    Parameters
    ----------
    estimator : object
        The model whose interactions are measured: a scikit-learn estimator or
        Pipeline, a skorch net, a ``FrozenEstimator`` around a fitted model, or
        (with ``prefit=True``) a fitted model or ``torch.nn.Module``.
    top_k : int, default=10
        Number of interaction terms appended by ``transform`` (capped at the
        number of pairs).
    method : {"auto", "hessian", "finite_difference", "integrated", \
            "expected"}, default="auto"
        Exact Hessians when the model is differentiable, else finite
        differences. ``"integrated"`` / ``"expected"`` score each pair by its
        mean absolute Integrated Hessian (from the column means) / Expected
        Hessian (baselines drawn from ``X``), differentiable models only.
    aggregation : {"auto", "eah", "aeh", "geh", "mean_squared"}, default="auto"
        How per-row values become one score per pair; ``"auto"`` is the
        M-group expected Hessian (``"geh"``), or the mean squared difference
        with ``search="ucb"``.
    n_clusters : int or "auto", default="auto"
        Number ``M`` of k-means clusters of the rows for ``"geh"`` (the
        paper's "groups"); ``"auto"`` picks it from the rank-weighted distance
        curve.
    search : {"auto", "all", "ucb", "screen"}, default="auto"
        Score every pair; run the UCB bandit (ParaACE) that spends model
        evaluations on the likely ``top_k`` pairs; or first screen the
        features (wide data; see
        :func:`~sklearn_interact.inspection.pairwise_interactions`).
        ``"auto"`` scores every pair up to 200 features for a differentiable
        model and 30 for a black box, and screens beyond.
    step : float, default=0.8
        Finite-difference step on the standardized scale.
    max_pulls : int, default=100
        With ``search="ucb"``, the cap on the evaluations of one pair.
    max_samples : int or None, default=1000
        Rows of ``X`` used to measure interactions (all if None).
    uncertainty : {"bootstrap", "refit", "test"} or None, default="bootstrap"
        ``"bootstrap"`` resamples the evaluation rows: intervals of the
        *model's* interaction (this fitted model, not what a fit on new data
        would find); ``"refit"`` refits clones of the estimator on bootstrap
        resamples of the training data: intervals of the *data's*
        interaction; ``"test"`` runs
        :func:`~sklearn_interact.inspection.interaction_test` (refits on
        cross-fitting folds, a held-out test of every pair) for
        ``interaction_pvalues_``, ``interaction_pvalues_adjusted_`` and
        ``interaction_significant_`` (the data's interaction; no interval);
        ``None`` gives ``interaction_ci_ = None``. ``interaction_estimand_``
        says which.
    n_resamples : int, default=100
        Bootstrap resamples or refits (not used by ``"test"``).
    confidence_level : float, default=0.95
        Level of ``interaction_ci_``.
    multiple_testing : {"bh", "holm"} or None, default="bh"
        With ``uncertainty="test"``, the adjustment of the p-values over the
        tested pairs behind ``interaction_significant_`` (at level
        ``1 - confidence_level``): Benjamini-Hochberg, Holm, or none.
    prefit : bool, default=False
        Whether ``estimator`` is already fitted. If True, ``fit`` checks that
        it is fitted and keeps a deep copy; ``FrozenEstimator(estimator)`` is
        the equivalent that also survives ``clone``.
    response_method : {"auto", "log_odds", "predict_proba", \
            "decision_function", "predict"}, default="auto"
        Which output of the model is explained: a regressor's prediction; a
        classifier's log-odds (``"auto"``; on this scale a logistic
        regression has no interactions), probability (``"predict_proba"``)
        or decision function. Hard labels (``"predict"`` of a classifier)
        are refused. See
        :func:`~sklearn_interact.inspection.make_model_function`.
    target : label or int, default=None
        The class (a label of the classifier's ``classes_``) whose log-odds
        or probability is explained. None: the positive class
        ``classes_[1]`` of a binary classifier, and for a multiclass one the
        mean over classes of the per-class scores. For a model with several
        outputs that is not a classifier, the output's position.
        ``uncertainty="test"`` tests the probability of one class: this one,
        which a multiclass classifier needs.
    activation : {"auto", "softplus", "gelu"} or None, default="auto"
        ReLU replacement at explanation time for differentiable models.
    device : str, default="cpu"
        Torch device for exact derivatives.
    n_jobs : int, default=None
        Parallel jobs for chunked evaluation and refits (joblib).
    max_order : int, default=2
        With 3 to 5, also measure interactions of up to ``max_order``
        features (T-NID: mixed derivatives at representative rows with
        top-k expansion per order; exact or finite differences, so any model)
        into ``higher_order_interactions_`` (capped at the number of
        features). ``transform`` still appends pairwise products only.
    feature_types : list or dict, default=None
        Type of each column (``"continuous"``, ``"discrete"``, ``"binary"`` or
        ``"categorical"``), which sets how it is perturbed (see
        :func:`~sklearn_interact.inspection.pairwise_interactions`); None
        infers it from the data.
    feature_groups : dict or list of array-like of int, default=None
        Groups of columns (e.g. the one-hot columns of one categorical
        variable); when given, ``group_interactions_`` holds their Taylor-CAM
        interactions (see
        :func:`~sklearn_interact.inspection.group_interactions`).
    verbose : int, default=0
        Progress on stderr while measuring: the stages, and a progress bar of
        long work (chunks of rows, bandit selections, refits). Quiet when 0.
    random_state : int, RandomState instance or None, default=None
        Controls row sampling, k-means, the bandit and resampling. When the
        wrapped estimator has a ``random_state`` left at None, its clone gets a
        seed drawn from this one, so that one seed fixes the whole fit.

    Attributes
    ----------
    estimator_ : object
        The fitted model that was measured.
    interactions_ : ndarray of shape (n_features_in_, n_features_in_)
        Symmetric interaction strengths with a zero diagonal; larger is
        stronger.
    interaction_ci_ : ndarray of shape (n_features_in_, n_features_in_, 2) or None
        Lower and upper bounds at ``confidence_level``.
    interaction_estimand_ : {"model", "data"} or None
        Whose interaction ``interaction_ci_`` and the p-values describe:
        ``"model"`` for ``uncertainty="bootstrap"`` (or the bandit), ``"data"``
        for ``"refit"`` and ``"test"``.
    interaction_pvalues_ : ndarray of shape (n_features_in_, n_features_in_)
        With ``uncertainty="test"``: raw one-sided p-values of H0 "the pair
        does not interact" (NaN for pairs the screen left out).
    interaction_pvalues_adjusted_ : ndarray of shape (n_features_in_, \
            n_features_in_)
        With ``uncertainty="test"``: p-values after ``multiple_testing``.
    interaction_significant_ : ndarray of bool of shape (n_features_in_, \
            n_features_in_)
        With ``uncertainty="test"``: adjusted p-value at most
        ``1 - confidence_level``.
    interaction_test_ : Bunch or None
        With ``uncertainty="test"``, the full result of
        :func:`~sklearn_interact.inspection.interaction_test`.
    top_k_pairs_ : list of tuple of int
        The ``top_k`` strongest pairs ``(i, j)``, ``i < j``, strongest first.
    feature_types_ : list of str
        The type of each column, as inferred or given.
    interaction_scale_ : str
        What the interactions are derivatives of: ``"prediction"`` for a
        regressor, ``"log-odds of class <label>"`` (or the probability, or
        the mean over the classes of a multiclass classifier) for a
        classifier.
    n_clusters_ : int or None
        The number of row clusters ``M`` used by ``"geh"``.
    n_clusters_curve_ : Bunch or None
        ``n_clusters`` and ``distances`` of the rank-weighted distance curve
        when ``n_clusters="auto"``.
    n_model_evaluations_ : int
        Rows evaluated by the model while measuring.
    higher_order_interactions_ : dict or None
        Sorted feature-index tuple of 3 to ``max_order`` features -> strength,
        strongest first within each order; None when ``max_order=2``.
    group_interactions_ : ndarray of shape (n_groups, n_groups) or None
        Symmetric group interaction strengths when ``feature_groups`` is given.
    group_names_ : list of str or None
        Names of the groups (keys of a dict ``feature_groups``, else
        ``g0, g1, ...``).
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``. Defined only when ``X`` has
        feature names that are all strings.

    See Also
    --------
    sklearn_interact.inspection.pairwise_interactions : The measuring function.
    sklearn_interact.inspection.interaction_table : A ranked table of pairs.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingRegressor
    >>> from sklearn_interact import InteractionSelector
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(400, 3))
    >>> y = X[:, 0] * X[:, 1] + X[:, 2]
    >>> selector = InteractionSelector(
    ...     HistGradientBoostingRegressor(), top_k=1, random_state=0
    ... ).fit(X, y)
    >>> selector.top_k_pairs_
    [(0, 1)]
    >>> selector.transform(X).shape
    (400, 4)
    >>> selector.get_feature_names_out().tolist()
    ['x0', 'x1', 'x2', 'x0*x1']
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"]), HasMethods(["predict"]), torch.nn.Module],
        **PAIRWISE_CONSTRAINTS,
        "uncertainty": [StrOptions({"bootstrap", "refit", "test"}), None],
        "multiple_testing": [StrOptions({"bh", "holm"}), None],
        "prefit": ["boolean"],
        "target": MODEL_CONSTRAINTS["target"],
        "activation": MODEL_CONSTRAINTS["activation"],
        "device": MODEL_CONSTRAINTS["device"],
        "max_order": [Interval(numbers.Integral, 2, 5, closed="both")],
        "feature_groups": [dict, list, tuple, None],
    }

    def __init__(
        self,
        estimator,
        *,
        top_k=10,
        method="auto",
        aggregation="auto",
        n_clusters="auto",
        search="auto",
        step=DEFAULT_STEP,
        max_pulls=100,
        max_samples=1000,
        uncertainty="bootstrap",
        n_resamples=100,
        confidence_level=0.95,
        multiple_testing="bh",
        prefit=False,
        response_method="auto",
        target=None,
        activation="auto",
        device="cpu",
        n_jobs=None,
        max_order=2,
        feature_groups=None,
        feature_types=None,
        verbose=0,
        random_state=None,
    ):
        self.estimator = estimator
        self.top_k = top_k
        self.method = method
        self.aggregation = aggregation
        self.n_clusters = n_clusters
        self.search = search
        self.step = step
        self.max_pulls = max_pulls
        self.max_samples = max_samples
        self.uncertainty = uncertainty
        self.n_resamples = n_resamples
        self.confidence_level = confidence_level
        self.multiple_testing = multiple_testing
        self.prefit = prefit
        self.response_method = response_method
        self.target = target
        self.activation = activation
        self.device = device
        self.n_jobs = n_jobs
        self.max_order = max_order
        self.feature_groups = feature_groups
        self.feature_types = feature_types
        self.verbose = verbose
        self.random_state = random_state

    def _fit_estimator(self, X, y, rng, fit_params):
        if self.prefit:
            if not isinstance(self.estimator, torch.nn.Module):
                try:
                    check_is_fitted(self.estimator)
                except NotFittedError as exc:
                    raise NotFittedError(
                        "When `prefit=True`, `estimator` is expected to be a "
                        "fitted estimator."
                    ) from exc
            return copy.deepcopy(self.estimator)
        if isinstance(self.estimator, torch.nn.Module):
            raise TypeError(
                "A torch.nn.Module has no fit method; pass prefit=True to measure "
                "it as it is."
            )
        estimator = clone(self.estimator)
        if not isinstance(estimator, FrozenEstimator):
            params = estimator.get_params(deep=False)
            if "random_state" in params and params["random_state"] is None:
                if self.random_state is not None:
                    estimator.set_params(random_state=rng.randint(2**31 - 1))
        if _routing_enabled():
            routed = process_routing(self, "fit", **fit_params)
            fit_params = routed["estimator"]["fit"]
        if y is None:
            return estimator.fit(X, **fit_params)
        return estimator.fit(X, y, **fit_params)

    @_fit_context(
        # The wrapped estimator is validated when it is fitted.
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y=None, **fit_params):
        """Fit the estimator (unless prefit) and measure its interactions.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; interactions are measured on these rows.
        y : array-like of shape (n_samples,), default=None
            Target values, passed to the estimator's ``fit``.
        **fit_params : dict
            Passed to the estimator's ``fit`` (routed when metadata routing is
            enabled).

        Returns
        -------
        self : object
            Fitted selector.
        """
        X = self._check_input(X, reset=True)
        if y is None and get_tags(self).target_tags.required:
            raise ValueError(
                f"{self.__class__.__name__} requires y to be passed, but the "
                "target y is None."
            )
        rng = check_random_state(self.random_state)
        self.estimator_ = self._fit_estimator(X, y, rng, fit_params)
        self._check_missing(X, self.estimator_)
        # The model becomes a function once; every measurement below uses it.
        model_function = make_model_function(
            self.estimator_,
            response_method=self.response_method,
            target=self.target,
            activation=self.activation,
            device=str(self.device),
            n_jobs=self.n_jobs,
        )
        frame = hasattr(X, "columns")
        warn_if_poorly_fitted(
            self.estimator_,
            X,
            y,
            name=f"{self.__class__.__name__}: the measured "
            f"{self.estimator_.__class__.__name__}",
            where=(
                "on the rows passed to fit"
                if self.prefit or isinstance(self.estimator_, FrozenEstimator)
                else "on its own training rows"
            ),
            # A DataFrame is scored by the estimator itself (its dtypes kept).
            predict=None if frame else model_function,
        )
        result = pairwise_interactions(
            model_function,
            X,
            y,
            method=self.method,
            aggregation=self.aggregation,
            n_clusters=self.n_clusters,
            search=self.search,
            top_k=self.top_k,
            step=self.step,
            max_pulls=self.max_pulls,
            max_samples=self.max_samples,
            uncertainty=None if self.uncertainty == "test" else self.uncertainty,
            n_resamples=self.n_resamples,
            confidence_level=self.confidence_level,
            feature_types=self.feature_types,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
            random_state=rng,
        )
        self.feature_types_ = result.feature_types
        self._levels = result.feature_levels
        self.interactions_ = result.interactions
        self.interaction_ci_ = result.interaction_ci
        self.interaction_scale_ = result.scale
        self.top_k_pairs_ = result.top_k_pairs
        self.n_clusters_ = result.n_clusters
        self.n_clusters_curve_ = result.n_clusters_curve
        self.method_ = result.method
        self.aggregation_ = result.aggregation
        self.n_model_evaluations_ = result.n_model_evaluations
        self.interaction_estimand_ = result.estimand
        self.interaction_test_ = None
        for stale in (
            "interaction_pvalues_",
            "interaction_pvalues_adjusted_",
            "interaction_significant_",
        ):
            self.__dict__.pop(stale, None)
        if self.uncertainty == "test":
            self._fit_test(X, y, rng, fit_params)
        self._fit_higher_order_and_groups(model_function, X, rng)
        return self

    def _fit_test(self, X, y, rng, fit_params):
        """The held-out test of every pair (the data's interaction)."""
        if self.prefit or isinstance(self.estimator, FrozenEstimator):
            raise ValueError(
                "uncertainty='test' refits clones of the estimator on "
                "cross-fitting folds; a prefit or frozen estimator cannot be "
                "refitted. Pass the unfitted estimator."
            )
        if y is None:
            raise ValueError("uncertainty='test' needs the training targets y.")
        result = interaction_test(
            self.estimator,
            X,
            y,
            target=self.target,
            multiple_testing=self.multiple_testing,
            alpha=1.0 - self.confidence_level,
            fit_params=fit_params or None,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
            random_state=rng,
        )
        self.interaction_test_ = result
        self.interaction_pvalues_ = result.interaction_pvalues
        self.interaction_pvalues_adjusted_ = result.interaction_pvalues_adjusted
        self.interaction_significant_ = result.interaction_significant
        self.interaction_estimand_ = "data"

    def _fit_higher_order_and_groups(self, model_function, X, rng):
        """``higher_order_interactions_`` and ``group_interactions_``."""
        method = self.method
        if method not in ("hessian", "finite_difference"):
            method = "auto"
        common = dict(method=method, step=self.step, random_state=rng)
        self.higher_order_interactions_ = None
        max_order = min(self.max_order, X.shape[1])
        if self.max_order > 2:
            self.higher_order_interactions_ = {}
        if max_order > 2:
            self.higher_order_interactions_ = higher_order_interactions(
                model_function,
                X,
                max_order=max_order,
                feature_types=self.feature_types,
                **common,
            ).higher_order_interactions
        self.group_interactions_ = self.group_names_ = None
        if self.feature_groups is not None:
            groups = group_interactions(
                model_function,
                X,
                self.feature_groups,
                max_samples=self.max_samples,
                **common,
            )
            self.group_interactions_ = groups.interactions
            self.group_names_ = groups.group_names

    def _check_input(self, X, *, reset):
        """Check ``X`` as the wrapped estimator would take it.

        Numeric arrays are validated as scikit-learn does, DataFrames keep
        their columns and dtypes (strings, categories) with their names
        recorded or checked. Missing values are the estimator's business: it
        accepts or refuses them (a Pipeline that imputes them and
        HistGradientBoosting take them; see :meth:`_check_missing`).
        """
        if hasattr(X, "columns") and hasattr(X, "iloc"):
            validate_data(self, X, reset=reset, skip_check_array=True)
            if reset and X.shape[0] < 2:
                raise ValueError(
                    f"Found array with {X.shape[0]} sample(s) while a minimum of 2 "
                    "is required: interactions are measured per unit of each "
                    "feature's spread, which one row cannot define."
                )
            return X
        text = np.asarray(X).dtype.kind in "OUS" if hasattr(X, "__len__") else False
        # Two rows at least in fit: interactions are measured per standard
        # deviation of each feature, which one row cannot define.
        return validate_data(
            self,
            X,
            dtype=None if text else [np.float64, np.float32],
            ensure_all_finite="allow-nan",
            ensure_min_samples=2 if reset else 1,
            reset=reset,
        )

    def _check_missing(self, X, estimator):
        """Refuse missing values where ``estimator`` cannot take them.

        A torch module or skorch net would propagate NaN silently: refused.
        Otherwise the estimator's tags decide, and where they say no (a
        Pipeline's tags do even when its first step imputes), the estimator's
        own ``predict`` on one row with a missing value does.
        """
        frame = hasattr(X, "columns")
        numeric = X.select_dtypes("number").to_numpy() if frame else X
        if not frame and numeric.dtype.kind in "OUS":
            # Text in an array: the estimator takes it, or says it cannot.
            text = np.vectorize(lambda v: isinstance(v, str), otypes=[bool])(X)
            if text.any():
                row = int(np.flatnonzero(text.any(axis=1))[0])
                getattr(estimator, "predict", lambda Z: None)(X[[row]])
            return
        if numeric.dtype.kind not in "fc":
            return
        missing = np.isnan(numeric.astype(np.float64)).any(axis=1)
        if not missing.any():
            return
        if isinstance(estimator, (torch.nn.Module, NeuralNet)):
            raise ValueError(
                "Input X contains NaN, which a torch model cannot take; impute "
                "the missing values first."
            )
        if get_tags(estimator).input_tags.allow_nan:
            return
        row = int(np.flatnonzero(missing)[0])
        sample = X.iloc[[row]] if frame else X[[row]]
        getattr(estimator, "predict", lambda Z: None)(sample)

    def _interaction_columns(self):
        """``(name, i, j, level)`` of each appended column (see ``transform``)."""
        names = _check_feature_names_in(self, None)
        columns = []
        for i, j in self.top_k_pairs_:
            cat_i = self.feature_types_[i] == "categorical"
            cat_j = self.feature_types_[j] == "categorical"
            if cat_i == cat_j:
                columns.append((f"{names[i]}*{names[j]}", i, j, None))
                continue
            c, x = (i, j) if cat_i else (j, i)
            for level in self._levels[c][:MAX_CATEGORICAL_LEVELS]:
                columns.append((f"{names[c]}={level}*{names[x]}", c, x, level))
        return columns

    def __sklearn_interact_local__(self, X):
        """Local pair values of ``estimator_`` at rows ``X``, measured as in
        ``fit``, and how they are aggregated (used by
        :func:`~sklearn_interact.metrics.interaction_stability_score`)."""
        check_is_fitted(self)
        X = self._check_input(X, reset=False)
        data = tabular_input(X, self.feature_types)
        model_function = make_model_function(
            self.estimator_,
            response_method=self.response_method,
            target=self.target,
            activation=self.activation,
            device=str(self.device),
            n_jobs=self.n_jobs,
        ).for_data(data)
        rows = sample_rows(data.shape[0], self.max_samples, 0)
        components = local_pair_components(
            model_function,
            data,
            rows,
            resolve_method(self.method, model_function),
            step=self.step,
        )
        return Bunch(
            local=components.row_values()[None],
            components=components,
            n_outputs=len(model_function.outputs),
            rows=data.cluster_features(rows),
            aggregation=self.aggregation_,
            n_clusters=self.n_clusters,
        )

    def transform(self, X):
        """Append the interaction terms of the ``top_k_pairs_`` to ``X``.

        A pair of numeric columns (continuous, discrete or binary) appends
        their product ``X[:, i] * X[:, j]``, named ``"a*b"``. A pair of a
        categorical column ``c`` and a numeric column ``x`` appends one
        column per level of ``c`` (its most frequent levels at fit time),
        ``x * (c == level)``, named ``"c=level*x"``: a separate slope of ``x``
        per level. A pair of two categorical columns appends their combined
        level, the string ``"a_level|b_level"``, named ``"a*b"``. Missing
        values stay missing.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
            Input samples, in the format used in ``fit``.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features_out)
            ``X`` followed by the interaction columns (see
            :meth:`get_feature_names_out`); an object array when ``X`` holds
            strings.
        """
        check_is_fitted(self)
        X_in = self._check_input(X, reset=False)
        self._check_missing(X_in, self.estimator_)
        frame = hasattr(X_in, "columns")
        base = X_in.to_numpy() if frame else np.asarray(X_in)
        if base.dtype.kind == "O" and not any(isinstance(v, str) for v in base.flat):
            base = base.astype(np.float64)  # numbers with None: None is missing
        columns = self._interaction_columns()
        if not columns:
            return base
        values = [base[:, j] for j in range(base.shape[1])]
        for _, i, j, level in columns:
            a, b = base[:, i], base[:, j]
            if level is not None:
                match = np.asarray(
                    [v is not None and str(v) == str(level) for v in a], dtype=float
                )
                values.append(b.astype(np.float64) * match)
            elif self.feature_types_[i] == "categorical":
                values.append(
                    np.asarray(
                        [
                            None if _missing(u) or _missing(v) else f"{u}|{v}"
                            for u, v in zip(a, b)
                        ],
                        dtype=object,
                    )
                )
            else:
                values.append(a * b)
        numeric = all(np.asarray(v).dtype.kind in "biuf" for v in values)
        if numeric and not frame:
            dtype = base.dtype if base.dtype.kind == "f" else np.float64
            return np.column_stack(values).astype(dtype, copy=False)
        if numeric:
            return np.column_stack(values).astype(np.float64)
        return np.column_stack([np.asarray(v, dtype=object) for v in values])

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: the inputs, then the interaction terms.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names; defaults to ``feature_names_in_`` or
            ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``"a*b"`` per pair of numeric (or of categorical) columns,
            ``"c=level*x"`` per level of a categorical column paired with a
            numeric one (see :meth:`transform`).
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        terms = []
        for _, i, j, level in self._interaction_columns():
            if level is None:
                terms.append(f"{names[i]}*{names[j]}")
            else:
                terms.append(f"{names[i]}={level}*{names[j]}")
        return np.asarray([*names, *terms], dtype=object)

    def interaction_table(self, top_k=None):
        """Ranked table of all measured pairs (names, strength, interval).

        Parameters
        ----------
        top_k : int, default=None
            Keep only the ``top_k`` strongest pairs.

        Returns
        -------
        table : pandas.DataFrame or dict of ndarray
            See :func:`~sklearn_interact.inspection.interaction_table`.
        """
        check_is_fitted(self)
        names = getattr(self, "feature_names_in_", None)
        return interaction_table(self, feature_names=names, top_k=top_k)

    def get_metadata_routing(self):
        """Route ``fit`` metadata to the wrapped estimator's ``fit``.

        Returns
        -------
        routing : MetadataRouter
        """
        return MetadataRouter(owner=self).add(
            estimator=self.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if not isinstance(self.estimator, torch.nn.Module):
            inner = get_tags(self.estimator)
            tags.target_tags.required = inner.target_tags.required
        tags.input_tags.allow_nan = False
        if not isinstance(self.estimator, (torch.nn.Module, NeuralNet)):
            tags.input_tags.allow_nan = get_tags(self.estimator).input_tags.allow_nan
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def _missing(value):
    return value is None or (isinstance(value, float) and np.isnan(value))
