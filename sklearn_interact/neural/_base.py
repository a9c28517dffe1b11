# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Shared scaffolding of the torch-backed regressors and classifiers.

Each public estimator is a ``RegressorMixin`` or ``ClassifierMixin`` estimator
that *builds and holds* a skorch net inside ``fit`` (composition, not
inheritance). :class:`BaseNeuralEstimator` owns what they all share, and
:class:`BaseNeuralRegressor` / :class:`BaseNeuralClassifier` the target:

* input validation (``validate_data``), feature standardization (the network
  sees ``z``-scores; derivatives are mapped back to the original units);
  regressors standardize a 1-D float target and train on the squared error;
  classifiers encode their labels (``classes_``) and train on the cross
  entropy of their logits (one logit for two classes, one per class
  otherwise);
* seeding: one integer drawn from ``random_state`` seeds torch (weights,
  dropout, shuffling) inside a forked RNG, and the validation split;
* training through skorch with Adam, an optional validation split with early
  stopping, and an optional ``penalty()`` of the torch module added to the
  training loss;
* ``predict`` (and ``predict_proba``, ``decision_function``), in float64, so
  that a row's prediction does not depend on the other rows of the batch; the
  exact torch function used by :mod:`sklearn_interact.inspection`
  (``__sklearn_interact_function__``: predictions of a regressor, logits of a
  classifier); and the shared interaction attributes, in target units
  (log-odds for a classifier, see :meth:`BaseNeuralEstimator._target_units`);
* persistence: ``__getstate__`` stores the trained network as numpy arrays
  (its ``state_dict``) and its training history as plain lists, and
  ``__setstate__`` rebuilds it, so that pickle, joblib and skops save and load
  the estimators without torch objects in the saved state, and a model fitted
  on a GPU loads on a machine without one.

A model is written once, as a mixin over :class:`BaseNeuralEstimator`, and
becomes a regressor and a classifier by adding the task's base class (e.g.
``NITRegressor(_NITModel, BaseNeuralRegressor)``). The model implements
``_build_module(n_features)`` (a module with ``self._n_outputs`` outputs) and
``_fit_interactions(X)`` and may override ``_fit_networks(Xs, ys, seed)`` for
multi-stage training, ``_before_networks(X, y, rng)`` for work that must
precede training (e.g. fitting a teacher) and ``_function_module()`` for the
module the inspection engine differentiates.
"""

import copy
import numbers
import warnings

import numpy as np
import torch
from scipy.special import expit, softmax
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    _fit_context,
    is_classifier,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data
from skorch import NeuralNet, NeuralNetRegressor
from skorch.callbacks import EarlyStopping
from skorch.dataset import ValidSplit
from skorch.history import History

from sklearn_interact.inspection._features import TabularData, warn_constant_columns
from sklearn_interact.inspection._model_checks import (
    warn_constant_target,
    warn_identical_columns,
    warn_poor_fit,
)
from sklearn_interact.inspection._model_function import log_odds_weights
from sklearn_interact.inspection._validation import top_pairs
from sklearn_interact.utils._torch import draw_seed, resolve_device, torch_seed
from sklearn_interact.utils._warnings import user_stacklevel


class _Penalty:
    """Adds ``module_.penalty()`` to the training loss of a skorch net."""

    def get_loss(self, y_pred, y_true, X=None, training=False):
        loss = super().get_loss(y_pred, y_true, X=X, training=training)
        penalty = getattr(self.module_, "penalty", None)
        if training and penalty is not None:
            loss = loss + penalty()
        return loss


class _PenalizedNet(_Penalty, NeuralNetRegressor):
    """skorch regressor that adds ``module_.penalty()`` to the training loss."""


class _PenalizedClassifierNet(_Penalty, NeuralNet):
    """skorch net on logits (cross entropy) that adds ``module_.penalty()``."""


def _silent(*args, **kwargs):
    return None


def _frozen(module, *, dtype, device):
    """``module`` as ``dtype`` on ``device``, in eval mode, without gradients."""
    module = module.to(device=device, dtype=dtype).eval()
    for param in module.parameters():
        param.requires_grad_(False)
    return module


def _to_numpy(tensor):
    return tensor.cpu().numpy().astype(np.float64)


def _loaded_device(device):
    """The device a loaded model runs on: its own, or the CPU without CUDA."""
    device = torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        warnings.warn(
            f"The model was fitted on device {str(device)!r}, but CUDA is not "
            "available here; it is loaded on the CPU.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
        return torch.device("cpu")
    return device


class AdditiveTermsMixin:
    """``term_contributions`` of the estimators that are additive models.

    The class sets ``terms_`` (one feature-index tuple per term) and
    ``intercept_`` and implements ``_centered_terms(X)``.
    """

    def _centered_terms(self, X):
        """Term contributions at validated rows ``X``, centred, target units."""
        raise NotImplementedError

    def term_contributions(self, X):
        """Contribution of each additive term, in the target's units.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows at which to evaluate the terms.

        Returns
        -------
        contributions : ndarray of shape (n_samples, len(terms_)) or \
                (n_samples, len(terms_), n_classes)
            Column ``t`` depends only on the features ``terms_[t]`` and has
            mean zero on the training data. The row sums plus ``intercept_``
            equal :meth:`predict` of a regressor and the log-odds
            (``decision_function``) of a binary classifier, once the fix-up
            layer's part is added where the model has one
            (:meth:`~sklearn_interact.neural.ParaACERegressor.fixup_contribution`).
            A multiclass classifier has one slice per class: the log-odds of
            that class against the other classes, ``log p_k - mean_{j != k}
            log p_j``.
        """
        return self._centered_terms(self._validate_predict(X))


class BaseNeuralEstimator(BaseEstimator):
    """Base class of the torch-backed estimators; not for direct use.

    Subclasses must have the parameters ``hidden_layer_sizes``, ``lr``,
    ``max_epochs``, ``batch_size``, ``early_stopping``, ``validation_fraction``,
    ``n_iter_no_change``, ``tol``, ``device``, ``random_state`` and ``verbose``.
    The task (regression or classification) comes from
    :class:`BaseNeuralRegressor` or :class:`BaseNeuralClassifier`.
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(numbers.Integral, 1, None, closed="left"),
        ],
        "lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    # -- to implement -----------------------------------------------------
    def _build_module(self, n_features):
        """Return the torch module trained on standardized data.

        Its output has ``self._n_outputs`` columns.
        """
        raise NotImplementedError

    def _fit_interactions(self, X):
        """Set ``interactions_``, ``interaction_ci_``, ``top_k_pairs_``, ..."""
        raise NotImplementedError

    def _before_networks(self, X, y, rng):
        """Work that precedes training, on validated raw data (default: none).

        ``rng`` is the estimator's random state; seeds drawn here come before
        the training seed.
        """

    # -- the task: set by BaseNeuralRegressor / BaseNeuralClassifier -------
    def _validate_target(self, y):
        """Validate ``y`` (1-D) and set the target's attributes."""
        raise NotImplementedError

    def _encode_target(self, y):
        """The training target of the network."""
        raise NotImplementedError

    def _net_options(self):
        """skorch net class and criterion of the task."""
        raise NotImplementedError

    def _output_weights(self):
        """``W`` of shape ``(n_outputs, n_explained)``: outputs -> target units.

        Column ``k`` maps the module's raw output row ``(n_outputs,)`` to one
        explained value: the prediction of a regressor (``y_scale_``), the
        log-odds of a binary classifier's positive class, or the log-odds of
        class ``k`` of a multiclass classifier.
        """
        raise NotImplementedError

    # -- parameters and data ----------------------------------------------
    def _hidden_sizes(self):
        """``hidden_layer_sizes`` as a tuple of ints (an int is one layer)."""
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, numbers.Integral) else list(sizes)
        if not sizes or any(
            not isinstance(s, numbers.Integral) or s < 1 for s in sizes
        ):
            raise ValueError(
                "hidden_layer_sizes must be a positive integer or a non-empty "
                f"sequence of positive integers, got {self.hidden_layer_sizes!r}."
            )
        return tuple(int(s) for s in sizes)

    def _validate_predict(self, X):
        check_is_fitted(self)
        return validate_data(
            self,
            X,
            reset=False,
            dtype=(np.float64, np.float32),
            force_writeable=True,
        )

    def _set_scaling(self, X):
        self.x_mean_ = X.mean(axis=0).astype(np.float64)
        scale = X.std(axis=0).astype(np.float64)
        # A constant column (max == min; its computed std can be 1e-16 rather
        # than 0) is centred but not scaled.
        scale[np.ptp(X, axis=0) == 0] = 1.0
        self.x_scale_ = scale

    def _standardize_X(self, X, dtype=np.float64):
        """``z``-scores of ``X``: float64 for prediction (training casts them
        to float32)."""
        z = (np.asarray(X, dtype=np.float64) - self.x_mean_) / self.x_scale_
        return z.astype(dtype, copy=False)

    def _target_units(self, raw):
        """Module outputs in target units (see :meth:`_output_weights`).

        ``raw`` has a trailing axis of ``n_outputs`` values when the module
        has several outputs (a multiclass classifier), and none otherwise;
        so has the result (the log-odds of each class).
        """
        W = self._output_weights()
        raw = np.asarray(raw, dtype=np.float64)
        if W.shape[0] == 1:
            return raw * W[0, 0]
        return raw @ W

    # -- training ---------------------------------------------------------
    def _make_net(
        self,
        module,
        *,
        lr=None,
        max_epochs=None,
        seed=0,
        callbacks=None,
        early_stopping=None,
        n_rows=None,
    ):
        """A skorch net around ``module`` with this estimator's settings
        (``n_rows``: the rows it will be trained on, for ``batch_size="auto"``)."""
        early_stopping = (
            self.early_stopping if early_stopping is None else early_stopping
        )
        cbs = list(callbacks or [])
        train_split = None
        if early_stopping:
            train_split = ValidSplit(self.validation_fraction, random_state=seed)
            cbs.append(
                (
                    "early_stopping",
                    EarlyStopping(
                        monitor="valid_loss",
                        patience=self.n_iter_no_change,
                        threshold=self.tol,
                        threshold_mode=self._tol_mode,
                        load_best=True,
                        sink=print if self.verbose else _silent,
                    ),
                )
            )
        net_class, criterion = self._net_options()
        return net_class(
            module=module,
            criterion=criterion,
            optimizer=torch.optim.Adam,
            lr=self.lr if lr is None else lr,
            max_epochs=self.max_epochs if max_epochs is None else max_epochs,
            batch_size=self._batch_size(n_rows, early_stopping),
            train_split=train_split,
            callbacks=cbs,
            verbose=int(self.verbose),
            device=str(self._device),
            iterator_train__shuffle=True,
        )

    def _batch_size(self, n_rows, early_stopping):
        """``batch_size``, or for ``"auto"`` a sixteenth of the training rows
        (after the validation split) between 16 and 256: at least 16 steps
        per epoch, so that small data gets the optimization that schedules
        counted in epochs assume."""
        if self.batch_size != "auto":
            return self.batch_size
        if n_rows is None:  # a net rebuilt to be loaded, not trained
            return 256
        if early_stopping:
            n_rows = int(n_rows * (1.0 - self.validation_fraction))
        return int(min(256, max(16, n_rows // 16)))

    def _train(self, module, Xs, ys, *, seed, **net_params):
        """Train ``module`` on standardized arrays; return the fitted net.

        Called inside the seeded torch context set up by :meth:`fit`; ``seed``
        fixes the validation split.
        """
        net_params.setdefault("n_rows", len(Xs))
        net = self._make_net(module, seed=seed, **net_params)
        net.fit(Xs, ys)
        return net

    def _fit_networks(self, Xs, ys, seed):
        """Train the model; return the fitted net. Override for more stages."""
        module = self._build_module(Xs.shape[1])
        return self._train(module, Xs, ys, seed=seed)

    # Not skipped: ParaACE fits a user-given teacher, whose parameters are
    # validated like those of any nested estimator.
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Train the network, then compute its interaction attributes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Target values (class labels for a classifier).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        self._hidden_sizes()
        X, y = validate_data(
            self,
            X,
            y,
            dtype=(np.float64, np.float32),
            y_numeric=not is_classifier(self),
            multi_output=not is_classifier(self),
            force_writeable=True,
            ensure_min_samples=2,
        )
        y = self._validate_target(y)
        self._device = resolve_device(self.device)
        # Say it when interactions will be 0 or unidentifiable by design.
        warn_constant_columns(TabularData(X))
        warn_identical_columns(X)
        constant_target = not is_classifier(self) and warn_constant_target(
            y, self.__class__.__name__
        )
        rng = check_random_state(self.random_state)
        self._before_networks(X, y, rng)
        seed = draw_seed(rng)
        self._set_scaling(X)
        Xs = self._standardize_X(X).astype(np.float32)
        ys = self._encode_target(y)
        # Weight initialisation, dropout noise and shuffling all draw from
        # torch's generator, seeded here without touching the caller's stream.
        with torch_seed(seed, self._device):
            self.net_ = self._fit_networks(Xs, ys, seed)
        self._predict_module = self._frozen_module(torch.float64)
        self._record_history(self.net_)
        if not constant_target:
            self._warn_if_poor_fit(X, y)
        self._interaction_seed = draw_seed(rng)
        self._fit_interactions(X)
        return self

    def _warn_if_poor_fit(self, X, y):
        """Warn when the fitted network fits poorly (default: no check)."""

    def _record_history(self, net):
        history = net.history
        self.n_iter_ = len(history)
        self.loss_curve_ = [float(v) for v in history[:, "train_loss"]]
        if "valid_loss" in history[-1]:
            self.validation_scores_ = [float(v) for v in history[:, "valid_loss"]]
            self.best_loss_ = float(min(self.validation_scores_))
        else:
            self.validation_scores_ = None
            self.best_loss_ = float(min(self.loss_curve_))

    # -- prediction -------------------------------------------------------
    @property
    def module_(self):
        """The trained torch module (works on standardized inputs)."""
        return self.net_.module_

    def _module_outputs(self, Xs, method=None):
        """Float64 outputs of ``module_`` (or its ``method``) at standardized rows.

        A method returning a tuple of tensors gives a tuple of arrays. The
        module runs in float64, so that a row's output does not depend on the
        other rows of the batch (float32 matrix products do, by 1e-7).
        """
        module = getattr(self, "_predict_module", None)
        if module is None:  # during fit, before the float64 copy is made
            module = self._frozen_module(torch.float64)
        with torch.no_grad():
            x = torch.as_tensor(
                np.asarray(Xs, dtype=np.float64),
                dtype=torch.float64,
                device=self._device,
            )
            out = module(x) if method is None else getattr(module, method)(x)
        if isinstance(out, tuple):
            return tuple(_to_numpy(o) for o in out)
        return _to_numpy(out)

    def _frozen_module(self, dtype=torch.float32):
        """A copy of the trained module for evaluation only."""
        return _frozen(copy.deepcopy(self.module_), dtype=dtype, device=self._device)

    def _function_module(self):
        """A copy of the trained module, the one the inspection engine sees."""
        return copy.deepcopy(self.module_)

    # -- persistence ------------------------------------------------------
    def __getstate__(self):
        # The trained network travels as numpy arrays and its history as plain
        # lists: no torch object is left in the state, so skops can save it
        # (it cannot construct tensors), pickles do not depend on torch's own
        # serialization, and a model fitted on a GPU loads anywhere.
        state = dict(super().__getstate__())
        state.pop("_predict_module", None)
        if "_noise_cache" in state:
            state["_noise_cache"] = None
        if isinstance(state.get("_device"), torch.device):
            state["_device"] = str(state["_device"])
        net = state.get("net_")
        if isinstance(net, NeuralNet):
            state["net_"] = {
                "module_state": {
                    name: tensor.detach().cpu().numpy().copy()
                    for name, tensor in net.module_.state_dict().items()
                },
                "history": [dict(row) for row in net.history],
            }
        return state

    def __setstate__(self, state):
        state = dict(state)
        saved_net = state.get("net_")
        super().__setstate__(state)
        if isinstance(state.get("_device"), str):
            self._device = _loaded_device(state["_device"])
        if isinstance(saved_net, dict):
            self.net_ = self._restore_net(saved_net)
            self._predict_module = self._frozen_module(torch.float64)

    def _rebuild_module(self):
        """An untrained module of the fitted architecture (before its weights).

        Subclasses whose module is changed after ``_build_module`` (fixed
        gates, say) redo those changes here.
        """
        return self._build_module(self.n_features_in_)

    def _restore_net(self, saved):
        """The skorch net around the saved weights, with its training history.

        The optimizer's state is not saved: a loaded model predicts and is
        measured exactly as the saved one, and ``fit`` trains anew.
        """
        # Building the module draws initial weights; the caller's torch
        # random stream is left as it was.
        with torch.random.fork_rng(devices=[]):
            module = self._rebuild_module()
        module.load_state_dict(
            {
                name: torch.as_tensor(value)
                for name, value in saved["module_state"].items()
            }
        )
        module = module.to(self._device)
        net = self._make_net(module)
        net.initialize()
        net.history_ = History(saved["history"])
        return net

    def __sklearn_interact_function__(self, *, dtype=torch.float64, device=None):
        """The fitted model as a differentiable torch function of raw inputs.

        A regressor's function gives its predictions ``(n,)``; a classifier's
        gives its logits ``(n, 1)`` (two classes) or ``(n, n_classes)``.
        Used by :func:`sklearn_interact.inspection.make_model_function`.
        """
        check_is_fitted(self)
        device = self._device if device is None else device
        module = _frozen(self._function_module(), dtype=dtype, device=device)
        mean = torch.as_tensor(self.x_mean_, dtype=dtype, device=device)
        scale = torch.as_tensor(self.x_scale_, dtype=dtype, device=device)
        finish = self._finish_function

        def function(x):
            return finish(module((x - mean) / scale))

        return function

    # -- interactions -----------------------------------------------------
    def _set_interactions(self, matrix, ci=None, *, top_k=None, pairs=None):
        """Store the shared interaction attributes.

        ``top_k_pairs_`` is ``pairs`` when given (a method's own selection),
        else the ``top_k`` strongest pairs (all pairs when None).
        ``interaction_scale_`` names the scale of ``interactions_``.
        """
        matrix = np.asarray(matrix, dtype=np.float64)
        matrix = 0.5 * (matrix + matrix.T)
        np.fill_diagonal(matrix, 0.0)
        self.interactions_ = matrix
        self.interaction_ci_ = ci
        # The intervals of a fitted network describe that network (posterior
        # draws, its own bootstrap): the model's interaction.
        self.interaction_estimand_ = None if ci is None else "model"
        self.interaction_scale_ = self._scale_name()
        p = matrix.shape[0]
        if pairs is None:
            k = p * (p - 1) // 2 if top_k is None else top_k
            pairs = top_pairs(matrix, k)
        self.top_k_pairs_ = [(int(min(i, j)), int(max(i, j))) for i, j in pairs]


class BaseNeuralRegressor(RegressorMixin, BaseNeuralEstimator):
    """Base class of the torch-backed regressors; not for direct use.

    The network is trained on the squared error of the standardized target;
    predictions and derivatives are in the target's units. Early stopping
    counts an improvement of the validation loss larger than ``tol`` times
    the best loss so far.
    """

    _tol_mode = "rel"

    def _validate_target(self, y):
        y = column_or_1d(y, warn=True).astype(np.float64)
        self._n_outputs = 1
        self.y_mean_ = float(y.mean())
        y_scale = float(y.std()) if np.ptp(y) > 0 else 0.0
        self.y_scale_ = y_scale if y_scale > 0 else 1.0
        return np.array(y, copy=True)

    def _encode_target(self, y):
        return ((y - self.y_mean_) / self.y_scale_).astype(np.float32).reshape(-1, 1)

    def _net_options(self):
        return _PenalizedNet, torch.nn.MSELoss

    def _output_weights(self):
        return np.array([[self.y_scale_]])

    def _scale_name(self):
        return "prediction"

    def _finish_function(self, out):
        return out.reshape(-1) * self.y_scale_ + self.y_mean_

    def _warn_if_poor_fit(self, X, y):
        """Name the fitted network in a warning when its R^2 is poor.

        Held-out R^2 when early stopping kept a validation split of at least
        30 rows (one minus the best validation MSE, the target being
        standardized; on fewer rows it is too noisy to judge by), else the
        R^2 on the training data.
        """
        n_valid = np.ceil(self.validation_fraction * X.shape[0])
        if self.validation_scores_ is not None and n_valid >= 30:
            score = 1.0 - min(self.validation_scores_)
            where = "on the held-out validation split"
        else:
            z = self._module_outputs(self._standardize_X(X)).reshape(-1)
            residual = y - (z * self.y_scale_ + self.y_mean_)
            score = 1.0 - float(np.mean(residual**2) / np.var(y))
            where = "on the training data"
        warn_poor_fit(self.__class__.__name__, score, where)

    def predict(self, X):
        """Predict with the trained network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted values.
        """
        X = self._validate_predict(X)
        z = self._module_outputs(self._standardize_X(X)).reshape(-1)
        return (z * self.y_scale_ + self.y_mean_).astype(X.dtype, copy=False)


class BaseNeuralClassifier(ClassifierMixin, BaseNeuralEstimator):
    """Base class of the torch-backed classifiers; not for direct use.

    The network outputs logits: one (the log-odds of ``classes_[1]``) for two
    classes, trained on the binary cross entropy; one per class otherwise,
    trained on the softmax cross entropy. Interactions and additive terms are
    on the log-odds scale: of the positive class for two classes, and for
    several classes the mean over classes of the scores of each class's
    log-odds ``log p_k - mean_{j != k} log p_j`` (the scale of
    :func:`~sklearn_interact.inspection.make_model_function`).

    Early stopping counts an improvement of the validation cross entropy
    larger than ``tol`` (absolute, in nats, as
    :class:`~sklearn.neural_network.MLPClassifier` does): the cross entropy of
    separable classes tends to zero, so a relative criterion never stopped.
    """

    _tol_mode = "abs"

    def _validate_target(self, y):
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                f"{self.__class__.__name__} needs samples of at least 2 classes "
                f"in the data, but the data contains only one class: "
                f"{self.classes_[0]!r}."
            )
        self._n_outputs = 1 if n_classes == 2 else n_classes
        # Logits are not standardized; shared code reads these two.
        self.y_mean_, self.y_scale_ = 0.0, 1.0
        return y

    def _encode_target(self, y):
        encoded = np.searchsorted(self.classes_, y)
        if self._n_outputs == 1:
            return encoded.astype(np.float32).reshape(-1, 1)
        return encoded.astype(np.int64)

    def _net_options(self):
        if self._n_outputs == 1:
            return _PenalizedClassifierNet, torch.nn.BCEWithLogitsLoss
        return _PenalizedClassifierNet, torch.nn.CrossEntropyLoss

    def _output_weights(self):
        K = self._n_outputs
        if K == 1:
            return np.array([[1.0]])
        return np.stack([log_odds_weights(K, k) for k in range(K)], axis=1)

    def _scale_name(self):
        if self._n_outputs == 1:
            return f"log-odds of class {self.classes_[1]}"
        return f"mean over {self._n_outputs} classes of the log-odds of each class"

    def _finish_function(self, out):
        return out

    def decision_function(self, X):
        """The logits of the trained network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For two classes, the log-odds of ``classes_[1]``; otherwise the
            logit of every class (the softmax of the row gives
            :meth:`predict_proba`).
        """
        X = self._validate_predict(X)
        z = self._module_outputs(self._standardize_X(X))
        return z[:, 0] if z.shape[1] == 1 else z

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        z = self.decision_function(X)
        if z.ndim == 1:
            p = expit(z)
            return np.column_stack([1.0 - p, p])
        return softmax(z, axis=1)

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The most probable class of each row.
        """
        z = self.decision_function(X)
        index = (z > 0).astype(np.intp) if z.ndim == 1 else z.argmax(axis=1)
        return self.classes_[index]
