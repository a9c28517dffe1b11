# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Shared scaffolding of the torch-backed regressors.

Each public estimator is a ``RegressorMixin, BaseEstimator`` that *builds and
holds* a skorch :class:`~skorch.NeuralNetRegressor` inside ``fit``
(composition, not inheritance). This base class owns what they share:

* input validation (``validate_data``), a 1-D float target, feature and target
  standardization (the network sees ``z``-scores; predictions and derivatives
  are mapped back to the original units);
* seeding: one integer drawn from ``random_state`` seeds torch (weights,
  dropout, shuffling) inside a forked RNG, and the validation split;
* training through skorch with Adam, an optional validation split with early
  stopping, and an optional ``penalty()`` of the torch module added to the
  training loss;
* ``predict`` (in float64, so that a row's prediction does not depend on the
  other rows of the batch); the exact torch function used by
  :mod:`sklearn_interact.inspection` (``__sklearn_interact_function__``); and
  the shared interaction attributes;
* persistence: ``__getstate__`` stores the trained network as numpy arrays
  (its ``state_dict``) and its training history as plain lists, and
  ``__setstate__`` rebuilds it, so that pickle, joblib and skops save and load
  the estimators without torch objects in the saved state, and a model fitted
  on a GPU loads on a machine without one.

Subclasses implement ``_build_module(n_features)`` and ``_fit_interactions(X)``
and may override ``_fit_networks(Xs, ys, seed)`` for multi-stage training,
``_before_networks(X, y, rng)`` for work that must precede training (e.g.
fitting a teacher) and ``_function_module()`` for the module the inspection
engine differentiates.
"""

import copy
import numbers
import warnings

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data
from skorch import NeuralNetRegressor
from skorch.callbacks import EarlyStopping
from skorch.dataset import ValidSplit
from skorch.history import History

from sklearn_interact.inspection._features import TabularData, warn_constant_columns
from sklearn_interact.inspection._model_checks import (
    warn_constant_target,
    warn_identical_columns,
    warn_poor_fit,
)
from sklearn_interact.inspection._validation import top_pairs
from sklearn_interact.utils._torch import draw_seed, resolve_device, torch_seed


class _PenalizedNet(NeuralNetRegressor):
    """skorch regressor that adds ``module_.penalty()`` to the training loss."""

    def get_loss(self, y_pred, y_true, X=None, training=False):
        loss = super().get_loss(y_pred, y_true, X=X, training=training)
        penalty = getattr(self.module_, "penalty", None)
        if training and penalty is not None:
            loss = loss + penalty()
        return loss


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
            stacklevel=3,
        )
        return torch.device("cpu")
    return device


class AdditiveTermsMixin:
    """``term_contributions`` of the regressors that are additive models.

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
        contributions : ndarray of shape (n_samples, len(terms_))
            Column ``t`` depends only on the features ``terms_[t]`` and has
            mean zero on the training data. The row sums plus ``intercept_``
            equal :meth:`predict`, once the fix-up layer's part is added where
            the model has one
            (:meth:`~sklearn_interact.neural.ParaACERegressor.fixup_contribution`).
        """
        return self._centered_terms(self._validate_predict(X))


class BaseNeuralRegressor(RegressorMixin, BaseEstimator):
    """Base class of the torch-backed regressors; not for direct use.

    Subclasses must have the parameters ``hidden_layer_sizes``, ``lr``,
    ``max_epochs``, ``batch_size``, ``early_stopping``, ``validation_fraction``,
    ``n_iter_no_change``, ``tol``, ``device``, ``random_state`` and ``verbose``.
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
        """Return the torch module trained on standardized data."""
        raise NotImplementedError

    def _fit_interactions(self, X):
        """Set ``interactions_``, ``interaction_ci_``, ``top_k_pairs_``, ..."""
        raise NotImplementedError

    def _before_networks(self, X, y, rng):
        """Work that precedes training, on validated raw data (default: none).

        ``rng`` is the estimator's random state; seeds drawn here come before
        the training seed.
        """

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

    def _validate_train(self, X, y):
        X, y = validate_data(
            self,
            X,
            y,
            dtype=(np.float64, np.float32),
            y_numeric=True,
            multi_output=True,
            force_writeable=True,
            ensure_min_samples=2,
        )
        y = column_or_1d(y, warn=True).astype(np.float64)
        return X, np.array(y, copy=True)

    def _validate_predict(self, X):
        check_is_fitted(self)
        return validate_data(
            self,
            X,
            reset=False,
            dtype=(np.float64, np.float32),
            force_writeable=True,
        )

    def _set_scaling(self, X, y):
        self.x_mean_ = X.mean(axis=0).astype(np.float64)
        scale = X.std(axis=0).astype(np.float64)
        # A constant column (max == min; its computed std can be 1e-16 rather
        # than 0) is centred but not scaled.
        scale[np.ptp(X, axis=0) == 0] = 1.0
        self.x_scale_ = scale
        self.y_mean_ = float(y.mean())
        y_scale = float(y.std()) if np.ptp(y) > 0 else 0.0
        self.y_scale_ = y_scale if y_scale > 0 else 1.0

    def _standardize_X(self, X, dtype=np.float32):
        """Standardized rows: float32 for training, float64 for prediction."""
        return ((X - self.x_mean_) / self.x_scale_).astype(dtype)

    def _standardize_y(self, y):
        return ((y - self.y_mean_) / self.y_scale_).astype(np.float32).reshape(-1, 1)

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
    ):
        """A skorch net around ``module`` with this estimator's settings."""
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
                        threshold_mode="rel",
                        load_best=True,
                        sink=print if self.verbose else _silent,
                    ),
                )
            )
        return _PenalizedNet(
            module=module,
            optimizer=torch.optim.Adam,
            lr=self.lr if lr is None else lr,
            max_epochs=self.max_epochs if max_epochs is None else max_epochs,
            batch_size=self.batch_size,
            train_split=train_split,
            callbacks=cbs,
            verbose=int(self.verbose),
            device=str(self._device),
            iterator_train__shuffle=True,
        )

    def _train(self, module, Xs, ys, *, seed, **net_params):
        """Train ``module`` on standardized arrays; return the fitted net.

        Called inside the seeded torch context set up by :meth:`fit`; ``seed``
        fixes the validation split.
        """
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
            Target values.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        self._hidden_sizes()
        X, y = self._validate_train(X, y)
        self._device = resolve_device(self.device)
        # Say it when interactions will be 0 or unidentifiable by design.
        warn_constant_columns(TabularData(X))
        warn_identical_columns(X)
        constant_target = warn_constant_target(y, self.__class__.__name__)
        rng = check_random_state(self.random_state)
        self._before_networks(X, y, rng)
        seed = draw_seed(rng)
        self._set_scaling(X, y)
        Xs, ys = self._standardize_X(X), self._standardize_y(y)
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
            z = self._module_outputs(self._standardize_X(X, np.float64)).reshape(-1)
            residual = y - (z * self.y_scale_ + self.y_mean_)
            score = 1.0 - float(np.mean(residual**2) / np.var(y))
            where = "on the training data"
        warn_poor_fit(self.__class__.__name__, score, where)

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
        """Outputs of ``module_`` (or its ``method``) at standardized rows.

        Computed in float64 by a float64 copy of the trained module: in
        float32, a row's output changed with the other rows of the batch (by
        about 1e-7, through the blocking of the matrix products), so that
        predicting rows one by one or all together disagreed. A method
        returning a tuple of tensors gives a tuple of arrays.
        """
        module = self._predict_module
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
        z = self._module_outputs(self._standardize_X(X, np.float64)).reshape(-1)
        return (z * self.y_scale_ + self.y_mean_).astype(X.dtype, copy=False)

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
        if isinstance(net, NeuralNetRegressor):
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

        Used by :func:`sklearn_interact.inspection.make_model_function`.
        """
        check_is_fitted(self)
        device = self._device if device is None else device
        module = _frozen(self._function_module(), dtype=dtype, device=device)
        mean = torch.as_tensor(self.x_mean_, dtype=dtype, device=device)
        scale = torch.as_tensor(self.x_scale_, dtype=dtype, device=device)
        y_mean, y_scale = self.y_mean_, self.y_scale_

        def function(x):
            return module((x - mean) / scale).reshape(-1) * y_scale + y_mean

        return function

    # -- interactions -----------------------------------------------------
    def _set_interactions(self, matrix, ci=None, *, top_k=None, pairs=None):
        """Store the shared interaction attributes.

        ``top_k_pairs_`` is ``pairs`` when given (a method's own selection),
        else the ``top_k`` strongest pairs (all pairs when None).
        """
        matrix = np.asarray(matrix, dtype=np.float64)
        matrix = 0.5 * (matrix + matrix.T)
        np.fill_diagonal(matrix, 0.0)
        self.interactions_ = matrix
        self.interaction_ci_ = ci
        p = matrix.shape[0]
        if pairs is None:
            k = p * (p - 1) // 2 if top_k is None else top_k
            pairs = top_pairs(matrix, k)
        self.top_k_pairs_ = [(int(min(i, j)), int(max(i, j))) for i, j in pairs]
