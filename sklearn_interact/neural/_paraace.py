# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""ParaACE: interactions detected on a teacher, built into a transparent student.

Zhang, Yin and Luo (ICLR 2022). A fitted *teacher* (any regressor) is probed
with mixed finite differences; the UCB best-k-arm bandit (their Algorithm 1)
picks the ``K`` strongest pairs. The *student* is an additive network with one
small subnetwork per feature and per detected pair, plus a residual fix-up
layer, trained on the real labels.
"""

import numbers
import warnings

import numpy as np
import torch
from sklearn.base import clone, is_classifier
from sklearn.compose import TransformedTargetRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from sklearn_interact.inspection._model_checks import warn_poor_fit
from sklearn_interact.inspection._model_function import make_model_function
from sklearn_interact.inspection._pairwise import pairwise_interactions
from sklearn_interact.inspection._search import clique_interactions
from sklearn_interact.inspection._validation import DEFAULT_STEP, all_pairs
from sklearn_interact.neural._base import (
    AdditiveTermsMixin,
    BaseNeuralClassifier,
    BaseNeuralEstimator,
    BaseNeuralRegressor,
)
from sklearn_interact.neural._paraace_module import (
    ParaACEModule,
    student_n_parameters,
)
from sklearn_interact.utils._torch import draw_seed
from sklearn_interact.utils._warnings import user_stacklevel

#: Hidden widths of the default teacher: ~1.8 million weights for 10 features.
DEFAULT_TEACHER_HIDDEN = (2000, 900)


def _to_float32(X):
    return np.asarray(X, dtype=np.float32)


#: Fewest training rows with which the default teacher stops early: its
#: validation split (10%) must hold at least 2 rows.
MIN_ROWS_EARLY_STOPPING = 20

#: Settings of the default teachers' MLP, beside ``DEFAULT_TEACHER_HIDDEN``.
_TEACHER_MLP = dict(
    batch_size=100,
    learning_rate_init=1e-3,
    max_iter=300,
    early_stopping=True,
    n_iter_no_change=10,
)


def default_teacher(random_state=None, *, n_samples=None):
    """The default over-parameterized teacher of :class:`ParaACERegressor`.

    A ReLU :class:`~sklearn.neural_network.MLPRegressor` with hidden layers
    ``(2000, 900)`` (about 1.8 million weights for 10 features; the paper's
    teacher is ``p-5000-900-400-100-30-1``), Adam, early stopping on 10% of the
    training data, on standardized features and target, computed in float32.

    Sized from the data: with fewer than 2,000 training rows both widths
    shrink in proportion (no layer wider than the number of rows: 200 rows
    give ``(200, 90)``, still about 90 weights per row), and below 20 rows the
    teacher trains without early stopping, whose 10% validation split would
    hold fewer than 2 rows.

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Seed of the MLP.
    n_samples : int, default=None
        Number of training rows; None gives the full-size teacher.

    Returns
    -------
    teacher : TransformedTargetRegressor
        Unfitted.
    """
    hidden = DEFAULT_TEACHER_HIDDEN
    early_stopping = True
    if n_samples is not None:
        shrink = min(1.0, n_samples / max(hidden))
        hidden = tuple(max(1, round(width * shrink)) for width in hidden)
        early_stopping = n_samples >= MIN_ROWS_EARLY_STOPPING
    mlp = MLPRegressor(
        hidden_layer_sizes=hidden,
        **dict(_TEACHER_MLP, early_stopping=early_stopping),
        random_state=random_state,
    )
    pipe = make_pipeline(FunctionTransformer(_to_float32), StandardScaler(), mlp)
    return TransformedTargetRegressor(regressor=pipe, transformer=StandardScaler())


def default_classifier_teacher(random_state=None, y=None):
    """The default over-parameterized teacher of :class:`ParaACEClassifier`.

    The MLP of :func:`default_teacher` as a
    :class:`~sklearn.neural_network.MLPClassifier` (cross entropy), on
    standardized features. :class:`ParaACEClassifier` fits it on float32
    inputs; the inspection engine rebuilds it in float64 and reads its
    log-odds from its logits, exactly.

    Its size is scaled from the training labels ``y``: the hidden widths are
    ``(2000, 900)`` from 1,000 rows on and shrink in proportion below (to a
    tenth at most: 300 rows give ``(600, 270)``, still far more weights than
    rows), so that small data sets are cheap; early stopping is off when the
    10% validation split could not hold every class.

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Seed of the MLP.
    y : array-like of shape (n_samples,), default=None
        Training labels; None gives the full size.

    Returns
    -------
    teacher : Pipeline
        Unfitted.
    """
    hidden, early_stopping = DEFAULT_TEACHER_HIDDEN, True
    if y is not None:
        _, counts = np.unique(y, return_counts=True)
        share = min(1.0, max(0.1, len(y) / 1000))
        hidden = tuple(max(1, round(share * h)) for h in hidden)
        early_stopping = 0.1 * len(y) >= len(counts) and counts.min() >= 2
    params = dict(_TEACHER_MLP, early_stopping=early_stopping)
    if y is not None:
        params["batch_size"] = min(params["batch_size"], len(y))
    return make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=hidden, **params, random_state=random_state),
    )


#: The student's hidden widths with ``hidden_layer_sizes="auto"`` when the
#: teacher is large enough (the paper's 1-50-8-1 blocks).
DEFAULT_STUDENT_HIDDEN = (50, 8)


def _tree_numbers(n_nodes, n_leaves):
    """Numbers a tree stores to predict: a feature and a threshold per split,
    a value per leaf."""
    return int(2 * (n_nodes - n_leaves) + n_leaves)


def count_parameters(estimator):
    """Number of fitted parameters of a model, or None when unknown.

    Every model is counted in the numbers it stores to predict, so that a
    network and a tree ensemble compare:

    * torch modules, skorch nets and the library's neural estimators: the
      number of tensor entries of their parameters;
    * :class:`~sklearn.neural_network.MLPRegressor` (and classifier): weights
      and biases;
    * decision trees: two numbers per split node (the feature and the
      threshold) and one per leaf (its value); forests, bagging, AdaBoost and
      gradient boosting: the sum over their trees; histogram gradient
      boosting: the sum over its predictors' nodes, counted the same way;
    * linear models: ``coef_`` and ``intercept_`` entries;
    * pipelines and :class:`~sklearn.compose.TransformedTargetRegressor`: the
      final model (preprocessing steps count 0).

    Parameters
    ----------
    estimator : object
        A fitted model.

    Returns
    -------
    n_parameters : int or None
    """
    if isinstance(estimator, torch.nn.Module):
        return int(sum(p.numel() for p in estimator.parameters()))
    if isinstance(estimator, TransformedTargetRegressor):
        return count_parameters(estimator.regressor_)
    if isinstance(estimator, Pipeline):
        counts = [count_parameters(step) for _, step in estimator.steps]
        counts = [c for c in counts if c is not None]
        return int(sum(counts)) if counts else None
    if hasattr(estimator, "coefs_") and hasattr(estimator, "intercepts_"):
        arrays = [*estimator.coefs_, *estimator.intercepts_]
        return int(sum(np.size(a) for a in arrays))
    if hasattr(estimator, "tree_"):
        tree = estimator.tree_
        return _tree_numbers(tree.node_count, tree.n_leaves)
    if hasattr(estimator, "_predictors"):  # HistGradientBoosting
        return int(
            sum(
                _tree_numbers(len(p.nodes), int(p.nodes["is_leaf"].sum()))
                for row in estimator._predictors
                for p in row
            )
        )
    if hasattr(estimator, "estimators_"):
        members = np.ravel(np.asarray(estimator.estimators_, dtype=object))
        counts = [count_parameters(m) for m in members]
        if counts and all(c is not None for c in counts):
            return int(sum(counts))
        return None
    module = getattr(estimator, "module_", None)
    if isinstance(module, torch.nn.Module):
        return count_parameters(module)
    if hasattr(estimator, "coef_"):
        return int(
            np.size(estimator.coef_) + np.size(getattr(estimator, "intercept_", 0))
        )
    return None


class _ParaACEModel:
    """ParaACE, whatever the task: the teacher, the detection, the student.

    :class:`ParaACERegressor` and :class:`ParaACEClassifier` add the task's
    base class (:mod:`sklearn_interact.neural._base`) and default teacher.
    """

    _parameter_constraints: dict = {
        **BaseNeuralEstimator._parameter_constraints,
        "teacher": [HasMethods(["fit", "predict"]), None],
        "n_interactions": [Interval(numbers.Integral, 0, None, closed="left")],
        "selection": [StrOptions({"ucb", "exhaustive"})],
        "max_order": [Interval(numbers.Integral, 2, 4, closed="both")],
        "step": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_pulls": [Interval(numbers.Integral, 1, None, closed="left")],
        "confidence_level": [Interval(numbers.Real, 0, 1, closed="neither")],
        "n_fixup": [Interval(numbers.Integral, 0, None, closed="left")],
        "hidden_layer_sizes": [
            StrOptions({"auto"}),
            *BaseNeuralRegressor._parameter_constraints["hidden_layer_sizes"],
        ],
    }

    def __init__(
        self,
        teacher=None,
        *,
        n_interactions=20,
        selection="ucb",
        max_order=2,
        step=DEFAULT_STEP,
        max_pulls=100,
        confidence_level=0.95,
        hidden_layer_sizes="auto",
        n_fixup=15,
        lr=3e-3,
        max_epochs=1000,
        batch_size=128,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=50,
        tol=1e-4,
        device="cpu",
        random_state=None,
        verbose=0,
    ):
        self.teacher = teacher
        self.n_interactions = n_interactions
        self.selection = selection
        self.max_order = max_order
        self.step = step
        self.max_pulls = max_pulls
        self.confidence_level = confidence_level
        self.hidden_layer_sizes = hidden_layer_sizes
        self.n_fixup = n_fixup
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- fitting ----------------------------------------------------------
    def _before_networks(self, X, y, rng):
        # The teacher is fitted and its interactions detected before the
        # student exists: the detected pairs decide the student's blocks.
        teacher_seed, detection_seed = draw_seed(rng), draw_seed(rng)
        self.teacher_ = self._make_teacher(teacher_seed, y)
        try:
            # The default teacher trains in float32, twice as fast as float64.
            self.teacher_.fit(X.astype(np.float32) if self.teacher is None else X, y)
        except ValueError as exc:
            # Say whose parameters the message is about: the teacher's, not
            # the student's (both have e.g. a validation_fraction).
            raise ValueError(
                f"The teacher {self.teacher_.__class__.__name__} could not be "
                f"fitted: {exc}"
            ) from exc
        self.teacher_n_parameters_ = count_parameters(self.teacher_)
        self._detect(X, detection_seed)
        p = X.shape[1]
        self.terms_ = [(i,) for i in range(p)] + list(self.top_k_pairs_)
        self.hidden_layer_sizes_ = self._student_widths()

    def _hidden_sizes(self):
        if isinstance(self.hidden_layer_sizes, str):  # "auto"
            return DEFAULT_STUDENT_HIDDEN
        return super()._hidden_sizes()

    def _student_widths(self):
        """The block widths: as given, or "auto" sized below the teacher."""
        teacher = self.teacher_n_parameters_
        if not isinstance(self.hidden_layer_sizes, str):
            return self._hidden_sizes()
        if teacher is None:
            return DEFAULT_STUDENT_HIDDEN
        first, second = DEFAULT_STUDENT_HIDDEN
        for width in range(first, 0, -1):
            widths = (width, max(1, round(width * second / first)))
            if (
                student_n_parameters(self.terms_, widths, self.n_fixup, self._n_outputs)
                < teacher
            ):
                return widths
        return (1, 1)

    def _warn_if_larger_than_teacher(self):
        teacher = self.teacher_n_parameters_
        if teacher is None or self.n_parameters_ < teacher:
            return
        p, k = self.n_features_in_, len(self.terms_) - self.n_features_in_
        if isinstance(self.hidden_layer_sizes, str):
            why = (
                "It cannot be smaller: even its smallest blocks "
                f"(hidden_layer_sizes=(1, 1)) for {p} features and {k} pairs, "
                f"with a fix-up layer of {self.n_fixup} units, need that many; "
                "fewer pairs (n_interactions) or n_fixup=0 would shrink it"
            )
        else:
            why = (
                f"hidden_layer_sizes={self.hidden_layer_sizes!r} makes it so; "
                "hidden_layer_sizes='auto' sizes the student below its teacher "
                "where it can"
            )
        warnings.warn(
            f"The ParaACE student has {self.n_parameters_} parameters, not fewer "
            f"than its teacher {self.teacher_.__class__.__name__} ({teacher}): "
            f"compression_ratio_ = {self.compression_ratio_:.3g}. {why}.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )

    def _warn_if_poor_fit(self, X, y):
        # The interactions are the teacher's: judge the teacher (by R^2; a
        # classifier's score is an accuracy, which the check does not read).
        if is_classifier(self):
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            score = float(self.teacher_.score(X, y))
        warn_poor_fit(
            f"{self.__class__.__name__}'s teacher {self.teacher_.__class__.__name__}",
            score,
            "on the training data",
        )

    def _make_teacher(self, seed, y):
        if self.teacher is None:
            return self._default_teacher(seed, y)
        if is_classifier(self) and not is_classifier(self.teacher):
            raise ValueError(
                f"The teacher of {self.__class__.__name__} must be a classifier, "
                f"got {self.teacher!r}."
            )
        teacher = clone(self.teacher)
        params = teacher.get_params(deep=True)
        seeds = {
            name: seed
            for name, value in params.items()
            if (name == "random_state" or name.endswith("__random_state"))
            and value is None
        }
        if seeds:
            teacher.set_params(**seeds)
        return teacher

    def _detect(self, X, seed):
        """Choose the pairs of the student; set the interaction attributes."""
        p = X.shape[1]
        pairs = all_pairs(p)
        n_pairs = len(pairs)
        self.detection_ = Bunch(
            n_model_evaluations=0,
            n_exhaustive_evaluations=4 * n_pairs * self.max_pulls,
            bandit=None,
        )
        rng = check_random_state(seed)
        if n_pairs == 0:
            matrix, ci, chosen = np.zeros((p, p)), None, []
        else:
            k = min(self.n_interactions, n_pairs)
            matrix, ci, chosen = self._select_pairs(X, pairs, k, rng)
        self._set_interactions(matrix, ci, pairs=chosen)
        if self.max_order > 2:
            higher = clique_interactions(
                make_model_function(self.teacher_),
                X,
                self.top_k_pairs_,
                max_order=self.max_order,
                step=self.step,
                max_samples=self.max_pulls,
                random_state=rng,
            )
            self.higher_order_interactions_ = dict(
                sorted(higher.scores.items(), key=lambda item: -item[1])
            )
            self.detection_.n_model_evaluations += higher.n_model_evaluations

    def _select_pairs(self, X, pairs, k, rng):
        """Score the ``pairs`` on the teacher and keep the ``k`` strongest.

        Returns the pair-score matrix, its interval (or None) and the chosen
        pairs, strongest first; counts the teacher's evaluations in
        ``detection_``.
        """
        search = "ucb" if self.selection == "ucb" else "all"
        result = pairwise_interactions(
            self.teacher_,
            X,
            method="finite_difference",
            aggregation="mean_squared",
            search=search,
            top_k=max(k, 1),
            step=self.step,
            max_pulls=self.max_pulls,
            max_samples=self.max_pulls,
            uncertainty="bootstrap" if search == "ucb" else None,
            confidence_level=self.confidence_level,
            random_state=rng,
        )
        self.detection_.n_model_evaluations = result.n_model_evaluations
        if search == "ucb":
            self.detection_.bandit = result.bandit
            arms = result.bandit.selected[:k]
            arms = arms[np.argsort(-result.bandit.means[arms], kind="stable")]
            chosen = [tuple(int(v) for v in pairs[a]) for a in arms]
        else:
            chosen = list(result.top_k_pairs[:k])
        return result.interactions, result.interaction_ci, chosen

    def _build_module(self, n_features):
        return ParaACEModule(
            n_features,
            self.terms_,
            hidden_layer_sizes=self.hidden_layer_sizes_,
            n_fixup=self.n_fixup,
            n_outputs=self._n_outputs,
        )

    def _fit_networks(self, Xs, ys, seed):
        # Two stages: the main effects alone, then every block and the
        # fix-up layer jointly, starting from the main-effect fit. The pair
        # blocks (and the fix-up layer) thus hold what the main effects
        # cannot explain, instead of sharing the main effects with them.
        module = self._build_module(Xs.shape[1])
        if len(self.terms_) == Xs.shape[1] and self.n_fixup == 0:
            self.n_iter_main_ = 0
            return self._train(module, Xs, ys, seed=seed)
        module.set_stage("main")
        net = self._train(module, Xs, ys, seed=seed)
        self.n_iter_main_ = len(net.history)
        module = net.module_
        module.set_stage("all")
        return self._train(module, Xs, ys, seed=seed)

    def _fit_interactions(self, X):
        # The interactions themselves were detected on the teacher before
        # training (``_before_networks``); what is left is the student's size
        # and its centred terms.
        self.n_parameters_ = int(self.module_.n_parameters())
        if self.teacher_n_parameters_ is None:
            self.compression_ratio_ = float("nan")
        else:
            self.compression_ratio_ = self.teacher_n_parameters_ / self.n_parameters_
        self._warn_if_larger_than_teacher()
        self._center_terms(self._standardize_X(X, np.float64))

    def _center_terms(self, Xs):
        terms, fixup = self._decompose_standardized(Xs, centered=False)
        self._term_offsets = terms.mean(axis=0)
        self._fixup_offset = fixup.mean(axis=0)
        bias = self.module_.output.bias.detach().cpu().numpy()
        bias = bias[0] if bias.shape[0] == 1 else bias
        intercept = self.y_mean_ + self._target_units(
            bias + self._term_offsets.sum(axis=0) + self._fixup_offset
        )
        self.intercept_ = float(intercept) if np.ndim(intercept) == 0 else intercept
        # Target units: a multiclass model has a trailing axis of classes.
        n_terms = len(self.terms_)
        terms = self._target_units(terms - self._term_offsets)
        fixup = self._target_units(fixup - self._fixup_offset)
        self.term_importances_ = terms.std(axis=0).reshape(n_terms, -1).mean(axis=1)
        variances = np.append(
            terms.var(axis=0).reshape(n_terms, -1).sum(1), fixup.var(axis=0).sum()
        )
        total = variances.sum()
        self.fixup_share_ = float(variances[-1] / total) if total > 0 else 0.0
        self._x_range = (Xs.min(axis=0), Xs.max(axis=0))

    # -- transparency -----------------------------------------------------
    def _decompose_standardized(self, Xs, centered=True):
        terms, fixup = self._module_outputs(Xs, "decompose")
        if centered:
            terms = terms - self._term_offsets
            fixup = fixup - self._fixup_offset
        return terms, fixup

    def _centered_terms(self, X):
        # Term b: the output of its subnetwork times its output weight.
        terms, _ = self._decompose_standardized(self._standardize_X(X))
        return self._target_units(terms)

    def fixup_contribution(self, X):
        """The fix-up layer's part of the prediction, in the target's units.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data (the fix-up layer reads every term's output).

        Returns
        -------
        contribution : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Centred on the training data; in log-odds for a classifier (of
            each class, for more than two classes).
        """
        X = self._validate_predict(X)
        _, fixup = self._decompose_standardized(self._standardize_X(X))
        return self._target_units(fixup)

    def shape_function(self, term, *, grid_resolution=50):
        """A term's contribution on a grid over its features' training range.

        Parameters
        ----------
        term : int or tuple of int
            Position in ``terms_`` or the term itself, e.g. ``(0,)`` or
            ``(0, 3)``.
        grid_resolution : int, default=50
            Points per feature.

        Returns
        -------
        shape : Bunch
            ``term`` (the feature tuple), ``grid`` (list of 1-D arrays, one
            per feature, in raw units) and ``contribution`` (ndarray of shape
            ``(grid_resolution,) * len(term)``, the contribution; a pair's
            first axis follows its first feature; a trailing axis of classes
            for a multiclass classifier).
        """
        check_is_fitted(self)
        if isinstance(term, numbers.Integral):
            index = int(term)
            if not 0 <= index < len(self.terms_):
                raise ValueError(
                    f"term index {index} is out of range for {len(self.terms_)} terms."
                )
        else:
            key = tuple(sorted(int(i) for i in term))
            if key not in self.terms_:
                raise ValueError(f"{key} is not one of the terms {self.terms_}.")
            index = self.terms_.index(key)
        features = self.terms_[index]
        low, high = self._x_range
        axes = [np.linspace(low[f], high[f], grid_resolution) for f in features]
        mesh = np.meshgrid(*axes, indexing="ij")
        Xs = np.zeros((mesh[0].size, self.n_features_in_))
        for f, values in zip(features, mesh):
            Xs[:, f] = values.ravel()
        terms, _ = self._decompose_standardized(Xs)
        values = self._target_units(terms[:, index])
        values = values.reshape(mesh[0].shape + values.shape[1:])
        grid = [a * self.x_scale_[f] + self.x_mean_[f] for f, a in zip(features, axes)]
        return Bunch(term=features, grid=grid, contribution=values)


class ParaACERegressor(_ParaACEModel, AdditiveTermsMixin, BaseNeuralRegressor):
    """Interactions detected on a teacher, built into a transparent student.

    ParaACE (Zhang, Yin and Luo 2022) works in three steps:

    1. a *teacher* (any scikit-learn regressor; by default an
       over-parameterized MLP, see :func:`default_teacher`) is fitted;
    2. its ``n_interactions`` strongest pairs are found by the UCB best-k-arm
       bandit over all pairs (Algorithm 1), the reward of a pull being the
       squared mixed central difference of the teacher at a random training
       row (step ``step`` on the standardized scale, at most ``max_pulls``
       pulls per pair); with ``max_order`` 3 or 4, triples and quadruples
       among the cliques of the detected pairs are scored too (Algorithm 2);
    3. the *student*, one ReLU subnetwork per feature and per detected pair
       (all stacked in one batched network) plus a single residual fix-up
       layer, is trained on the real labels with Adam and early stopping on a
       validation split of the training data: first the main-effect blocks
       alone, then all blocks and the fix-up layer jointly (the pair blocks
       start from a zero output weight, so they learn what the main effects
       miss rather than share the main effects; the paper trains everything
       in one stage).

    The student is an additive model: :meth:`term_contributions` gives each
    term's part of the prediction and :meth:`fixup_contribution` the fix-up
    layer's, and ``term_contributions(X).sum(1) + fixup_contribution(X) +
    intercept_`` equals :meth:`predict`.

    Parameters
    ----------
    teacher : regressor or None, default=None
        Unfitted scikit-learn regressor, cloned in ``fit``. If it has a
        ``random_state`` parameter left at None, it is seeded from
        ``random_state``. None uses the default over-parameterized MLP
        (hidden layers ``(2000, 900)``, narrower with fewer than 2,000
        training rows; no early stopping below 20 rows).
    n_interactions : int, default=20
        Number ``K`` of pairs given a block in the student (at most all pairs).
    selection : {"ucb", "exhaustive"}, default="ucb"
        How the ``K`` pairs are chosen: the UCB bandit, or the exhaustive
        search (every pair at the same ``max_pulls`` random rows, ``4 *
        n_pairs * max_pulls`` teacher evaluations).
    max_order : {2, 3, 4}, default=2
        With 3 or 4, ``higher_order_interactions_`` holds the strengths of the
        triples (and quadruples) that are cliques of the detected pairs. The
        student keeps pair blocks only.
    step : float, default=0.8
        Finite-difference step on the standardized scale.
    max_pulls : int, default=100
        Bandit cap on the pulls of one pair (and the rows of the exhaustive
        search).
    confidence_level : float, default=0.95
        Level of ``interaction_ci_``.
    hidden_layer_sizes : "auto", int or tuple of int, default="auto"
        Hidden widths of every block subnetwork. ``"auto"`` uses the paper's
        ``(50, 8)`` (``1-50-8-1`` per feature, ``2-50-8-1`` per pair) when
        the student then has fewer parameters than the teacher, and otherwise
        the widest ``(h, round(h * 8 / 50))`` that does (a student larger
        than its teacher compresses nothing); when even ``(1, 1)`` is larger,
        it is used with a warning that says why. Explicit widths are used as
        given, with a warning when the student is larger than the teacher.
        The widths used are in ``hidden_layer_sizes_``.
    n_fixup : int, default=15
        Hidden units of the fix-up layer; 0 removes it.
    lr : float, default=3e-3
        Adam learning rate.
    max_epochs : int, default=1000
        Maximum number of training epochs.
    batch_size : int, default=128
        Mini-batch size.
    early_stopping : bool, default=True
        Stop when the validation loss stops improving (and keep the best
        epoch's weights).
    validation_fraction : float, default=0.1
        Fraction of the training data held out for early stopping.
    n_iter_no_change : int, default=50
        Patience of early stopping, in epochs.
    tol : float, default=1e-4
        Relative improvement counted as progress.
    device : str or torch.device, default="cpu"
        Torch device of the student ("cpu", "cuda", or "auto": CUDA when
        available).
    random_state : int, RandomState instance or None, default=None
        Controls the teacher's seed (when not set), the bandit, the student's
        initialization, shuffling and validation split.
    verbose : int, default=0
        Print training progress.

    Attributes
    ----------
    teacher_ : estimator
        The fitted teacher.
    interactions_ : ndarray of shape (n_features, n_features)
        Teacher's pair scores: the mean squared mixed difference (the bandit's
        mean reward).
    interaction_ci_ : ndarray of shape (n_features, n_features, 2) or None
        Normal intervals from the bandit's mean rewards and their standard
        errors (``selection="ucb"``), else None.
    top_k_pairs_ : list of tuple of int
        The pairs given a block in the student, strongest first.
    higher_order_interactions_ : dict
        Sorted index tuple -> strength (``max_order > 2`` only).
    detection_ : Bunch
        ``n_model_evaluations`` (teacher rows evaluated for detection),
        ``n_exhaustive_evaluations`` (``4 * n_pairs * max_pulls``) and
        ``bandit`` (the bandit's state, or None; ``bandit.hit_cap`` and
        ``bandit.selected_at_cap`` say when the cap on pulls, not the
        confidence bounds, decided which pairs were kept).
    terms_ : list of tuple of int
        The student's additive terms: every feature, then the pairs.
    intercept_ : float
        Constant of the prediction (raw units), term contributions being
        centred on the training data.
    term_importances_ : ndarray of shape (n_terms,)
        Standard deviation of each term's contribution on the training data.
    fixup_share_ : float
        Share of the fix-up layer in the variance of the prediction's parts on
        the training data: ``Var(fixup) / (sum of Var(term) + Var(fixup))``.
    hidden_layer_sizes_ : tuple of int
        The hidden widths of the blocks.
    n_parameters_ : int
        Parameters of the student in use (weights and biases).
    teacher_n_parameters_ : int or None
        Parameters of the teacher, in the numbers it stores to predict:
        weights and biases of a network; a feature and a threshold per split
        and a value per leaf of a tree. None when unknown.
    compression_ratio_ : float
        ``teacher_n_parameters_ / n_parameters_`` (nan when unknown); below 1
        the student is larger than the teacher (a warning says so).
    net_ : skorch.NeuralNetRegressor
        The trained student.
    n_iter_main_ : int
        Epochs of the first training stage (main effects alone).
    n_iter_, loss_curve_, validation_scores_, best_loss_
        Training history of the second stage (all blocks and the fix-up
        layer), in standardized units.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    References
    ----------
    .. [1] T. Zhang, F. Yin, Z.-Q. Luo. "Fast Generic Interaction Detection for
       Model Interpretability and Compression". ICLR 2022.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import RandomForestRegressor
    >>> from sklearn_interact.neural import ParaACERegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(300, 3))
    >>> y = 2 * X[:, 0] * X[:, 1] + 0.5 * X[:, 2]
    >>> teacher = RandomForestRegressor(n_estimators=20, min_samples_leaf=3,
    ...                                 random_state=0)
    >>> model = ParaACERegressor(teacher=teacher, n_interactions=1,
    ...                          hidden_layer_sizes=(8,), max_epochs=20,
    ...                          random_state=0).fit(X, y)
    >>> model.top_k_pairs_
    [(0, 1)]
    >>> model.terms_
    [(0,), (1,), (2,), (0, 1)]
    """

    @staticmethod
    def _default_teacher(random_state, y):
        return default_teacher(random_state=random_state, n_samples=len(y))


class ParaACEClassifier(_ParaACEModel, AdditiveTermsMixin, BaseNeuralClassifier):
    """Interactions detected on a teacher classifier, built into a student.

    ParaACE (Zhang, Yin and Luo 2022) for classification: a teacher
    classifier (by default an over-parameterized MLP, see
    :func:`default_classifier_teacher`) is fitted, its ``n_interactions``
    strongest pairs are found by the UCB bandit on the teacher's log-odds
    (for several classes, the mean over classes of the scores of each
    class's log-odds ``log p_k - mean_{j != k} log p_j``), and the student,
    one subnetwork per feature and per detected pair plus the fix-up layer,
    is trained on the labels with the cross entropy of its logits: one logit
    for two classes, one per class otherwise (the blocks are shared, each
    class has its own output weights). Everything else is as in
    :class:`ParaACERegressor`.

    Parameters
    ----------
    teacher : classifier or None, default=None
        Unfitted scikit-learn classifier, cloned in ``fit`` (seeded from
        ``random_state`` when its ``random_state`` is None); None uses
        :func:`default_classifier_teacher`. Its log-odds are read from
        ``predict_proba`` (exactly from the logits of an MLP), so a teacher
        whose probabilities reach 0 or 1 (a forest) is best avoided.
    n_interactions, selection, max_order, step, max_pulls, confidence_level, \
hidden_layer_sizes, n_fixup, lr, max_epochs, batch_size, early_stopping, \
validation_fraction, n_iter_no_change, tol, device, random_state, verbose
        As for :class:`ParaACERegressor` (same defaults; ``tol`` is absolute, see
        ``BaseNeuralClassifier``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    teacher_ : classifier
        The fitted teacher.
    interactions_, interaction_ci_, top_k_pairs_, higher_order_interactions_, detection_
        As for :class:`ParaACERegressor`, on the teacher's log-odds.
    interaction_scale_ : str
        The scale of ``interactions_``, e.g. ``"log-odds of class 1"``.
    terms_, intercept_, term_importances_, fixup_share_, n_parameters_, \
teacher_n_parameters_, compression_ratio_, n_iter_main_, net_, n_iter_, loss_curve_, \
validation_scores_, best_loss_, n_features_in_, feature_names_in_
        As for :class:`ParaACERegressor`; term contributions, the fix-up
        layer's part and ``intercept_`` are in log-odds, and add up to the
        log-odds (``decision_function`` for two classes; for more, one value
        per class, the log-odds of each class against the others).

    See Also
    --------
    ParaACERegressor : The same model for regression.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import PolynomialFeatures
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_interact.neural import ParaACEClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(400, 3))
    >>> y = (3 * X[:, 0] * X[:, 1] + X[:, 2] > 0).astype(int)
    >>> teacher = make_pipeline(PolynomialFeatures(2), LogisticRegression())
    >>> model = ParaACEClassifier(teacher=teacher, n_interactions=1,
    ...                           hidden_layer_sizes=(8,), max_epochs=20,
    ...                           random_state=0).fit(X, y)
    >>> model.top_k_pairs_
    [(0, 1)]
    >>> model.interaction_scale_
    'log-odds of class 1'
    """

    @staticmethod
    def _default_teacher(random_state, y):
        return default_classifier_teacher(random_state=random_state, y=y)
