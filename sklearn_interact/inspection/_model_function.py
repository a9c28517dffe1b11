# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Stage 1 of the flow (the adapter): a fitted model becomes a scalar function.

Two kinds of function come out of :func:`make_model_function`:

* an *exact* function, a torch callable ``(n, p) -> (n,)`` that autograd can
  differentiate (torch modules, skorch nets, scikit-learn MLPs, Pipelines of
  linear scalers ending in one of those, and the estimators of this library);
  feed-forward networks become a
  :class:`~sklearn_interact.inspection._feedforward.FeedForwardFunction`,
  whose Hessians have a closed form;
* a *black-box* function that only evaluates predictions in large batches
  (anything with ``predict``, ``predict_proba`` or ``decision_function``).

Both are wrapped in :class:`ModelFunction`, which every later stage consumes.
The adapter options (``response_method``, ``target``, ``activation``,
``beta``, ``device``) are declared and validated here only: a public function
builds its :class:`ModelFunction` once with :func:`as_model_function` and
passes it on, and a caller who needs a non-default option passes the result of
:func:`make_model_function` in place of the estimator.

The output scale is chosen here too, once for exact and black-box paths:

* regressors: the prediction;
* classifiers: the log-odds by default (``response_method="log_odds"``), the
  probability (``"predict_proba"``) or the model's own decision function;
  hard labels (``predict``) are refused. The log-odds of class ``k`` among
  ``K`` classes is ``log p_k - mean_{j != k} log p_j`` (the log-odds against
  the geometric mean of the other classes): the usual logit of the positive
  class for two classes, and a linear function of a softmax model's logits,
  so that a model whose logits are additive has no interaction on this scale;
* ``target`` selects a class by its label (an output by position for models
  without ``classes_``); a multiclass classifier without ``target`` becomes a
  *summary* function whose ``outputs`` are its per-class functions, and the
  global measures report the mean of the per-class scores.
"""

import copy
import numbers
import warnings

import numpy as np
import torch
from joblib import Parallel, delayed
from sklearn.base import is_classifier
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    OneHotEncoder,
    StandardScaler,
)
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet, NeuralNetBinaryClassifier

from sklearn_interact.inspection._feedforward import (
    Activation,
    FeedForwardFunction,
    sequential_feed_forward,
)
from sklearn_interact.utils._torch import resolve_device
from sklearn_interact.utils._warnings import user_stacklevel

#: Outputs of a fitted model that can be explained.
RESPONSE_METHODS = (
    "auto",
    "log_odds",
    "predict_proba",
    "decision_function",
    "predict",
)

#: Probabilities are clipped to ``[eps, 1]`` before their logarithm is taken.
MIN_PROBABILITY = 1e-12

#: Parameter constraints of the adapter options (:func:`make_model_function`);
#: an estimator that exposes some of them reuses these entries.
MODEL_CONSTRAINTS = {
    "response_method": [StrOptions(set(RESPONSE_METHODS))],
    "target": [numbers.Real, str, None],
    "activation": [StrOptions({"auto", "softplus", "gelu"}), None],
    "beta": [Interval(numbers.Real, 0, None, closed="neither")],
    "device": [str, torch.device],
}


#: A call is spread over joblib workers only when every job gets at least this
#: many rows (smaller work is faster in one process; see bench_scale.py).
MIN_ROWS_PER_JOB = 2**17


class ModelFunction:
    """A fitted model seen as a scalar function ``f(X) -> (n_samples,)``.

    Instances are built by :func:`make_model_function`; users rarely create
    them directly.

    Parameters
    ----------
    predict : callable
        Maps a float ndarray of shape ``(n, p)`` to an ndarray of shape ``(n,)``.
    torch_function : callable or None
        Maps a float tensor of shape ``(n, p)`` to a tensor of shape ``(n,)``,
        differentiable by autograd and :mod:`torch.func`. ``None`` for
        black-box models.
    dtype : torch.dtype
        dtype of the tensors ``torch_function`` expects.
    device : torch.device
        Device of the tensors ``torch_function`` expects.
    batch_size : int
        Rows per call of ``predict``; larger inputs are split into chunks.
    n_jobs : int or None
        Chunks are evaluated through :class:`joblib.Parallel`, so that
        ``joblib.parallel_config(backend="dask")`` spreads them on a cluster;
        only calls of at least ``2 * MIN_ROWS_PER_JOB`` rows are split (below,
        starting workers and sending them the model costs more than it
        saves).
    description : str
        What the function computes, for messages and reports.
    estimator : object, default=None
        The model this function was made from (the template of refits).
    options : dict, default=None
        The adapter options it was made with, so that a refitted clone of
        ``estimator`` is explained the same way (:meth:`for_estimator`).
    black_box : callable, default=None
        The model's own prediction on its input format (e.g. a DataFrame),
        for an exact function whose inputs must be decoded
        (:meth:`for_data`).
    scale : str, default="output"
        The scale of the function's values, as reported with every result
        (e.g. ``"prediction"``, ``"log-odds of class 1"``).

    Attributes
    ----------
    outputs : tuple of ModelFunction
        ``(self,)``; the per-class functions of a summary over classes.
    """

    def __init__(
        self,
        predict,
        torch_function=None,
        *,
        dtype=torch.float64,
        device=None,
        batch_size=65536,
        n_jobs=None,
        description="",
        estimator=None,
        options=None,
        black_box=None,
        scale="output",
    ):
        self._predict = predict
        self._black_box = predict if torch_function is None else black_box
        self.estimator = estimator
        self.options = {} if options is None else dict(options)
        self.torch_function = torch_function
        self.dtype = dtype
        self.device = torch.device("cpu") if device is None else device
        self.batch_size = batch_size
        self.n_jobs = n_jobs
        self.description = description
        self.scale = scale
        self.n_evaluations = 0

    @property
    def outputs(self):
        """The scalar functions this function summarizes: ``(self,)``."""
        return (self,)

    @property
    def exact(self):
        """Whether exact derivatives are available through autograd."""
        return self.torch_function is not None

    def for_estimator(self, estimator):
        """The function of another fitted ``estimator`` with the same options."""
        return make_model_function(estimator, **self.options)

    def for_data(self, data):
        """This function evaluated on the numeric codes of ``data``.

        ``data`` (a :class:`~sklearn_interact.inspection._features.TabularData`)
        is checked against the model's ``n_features_in_`` and
        ``feature_names_in_``: a DataFrame whose columns differ in name or
        order from those the model was fitted on is an error, as it is for
        the model's own ``predict``. When the model takes the codes as they
        are (numeric columns, no missing values) the function is returned
        unchanged; otherwise its inputs are decoded into the model's own
        format (a DataFrame with the original dtypes) and it is evaluated as
        a black box.
        """
        model = self.estimator
        while isinstance(model, FrozenEstimator):
            model = model.estimator
        _check_columns(model, data.n_features, data.feature_names)
        has_missing = np.isnan(data.codes).any()
        if not (data.categorical.any() or has_missing):
            if self.exact or not data.is_frame:
                return self
        if not has_missing and self.options:
            exact = _encoded_pipeline_function(model, data, self.options)
            if exact is not None:
                return ModelFunction(
                    _torch_predict(exact, self.dtype, self.device),
                    exact,
                    dtype=self.dtype,
                    device=self.device,
                    batch_size=self.batch_size,
                    n_jobs=self.n_jobs,
                    description=f"exact {model.__class__.__name__}",
                    estimator=self.estimator,
                    options=self.options,
                    black_box=self._black_box,
                    scale=self.scale,
                )
        if self._black_box is None:  # a torch module: numbers only
            if data.categorical.any():
                raise ValueError(
                    f"could not convert string to float: {self.description} "
                    "takes numeric columns, and X has text or categorical ones."
                )
            raise ValueError(
                f"Input X contains NaN, which {self.description} cannot take; "
                "impute the missing values first."
            )
        black_box = self._black_box
        if has_missing:  # the model says now whether it takes them
            row = int(np.flatnonzero(np.isnan(data.codes).any(axis=1))[0])
            black_box(data.decode(data.codes[[row]]))

        def predict(codes):
            return black_box(data.decode(codes))

        return ModelFunction(
            predict,
            None,
            dtype=self.dtype,
            device=self.device,
            batch_size=self.batch_size,
            n_jobs=self.n_jobs,
            description=self.description.removeprefix("exact "),
            estimator=self.estimator,
            options=self.options,
            scale=self.scale,
        )

    def __call__(self, X):
        """Evaluate the model on ``X`` in chunks of ``batch_size`` rows."""
        X = np.asarray(X)
        n = X.shape[0]
        self.n_evaluations += n
        if n <= self.batch_size:
            return self._predict(X)
        starts = range(0, n, self.batch_size)
        if self.n_jobs in (None, 1) or n < 2 * MIN_ROWS_PER_JOB:
            # Small work stays in this process: starting workers and sending
            # them the model costs more than it saves.
            parts = [self._predict(X[s : s + self.batch_size]) for s in starts]
        else:
            parts = Parallel(n_jobs=self.n_jobs)(
                delayed(self._predict)(X[s : s + self.batch_size]) for s in starts
            )
        return np.concatenate(parts)


class ClassSummary(ModelFunction):
    """The per-class functions of a multiclass classifier, measured together.

    Global measures (pairwise, higher-order and group interactions) score
    every class's function and report the mean of the per-class scores;
    signed per-row values (local interactions) need one class, and calling
    this function raises an error that says how to choose one.

    Parameters
    ----------
    outputs : list of ModelFunction
        One scalar function per class, in the order of ``classes_``.
    classes : array-like
        The class labels.
    **kwargs
        ``description``, ``estimator``, ``options``, ``scale``, ...
    """

    def __init__(self, outputs, classes, **kwargs):
        super().__init__(self._refuse, None, **kwargs)
        self._outputs = tuple(outputs)
        self.classes = np.asarray(classes).tolist()
        if all(f.exact for f in self._outputs):
            self.torch_function = self._refuse

    @property
    def outputs(self):
        return self._outputs

    def for_data(self, data):
        """The per-class functions, each evaluated on the codes of ``data``."""
        outputs = [f.for_data(data) for f in self._outputs]
        if all(a is b for a, b in zip(outputs, self._outputs)):
            return self
        return ClassSummary(
            outputs,
            self.classes,
            dtype=self.dtype,
            device=self.device,
            batch_size=self.batch_size,
            n_jobs=self.n_jobs,
            description=self.description,
            estimator=self.estimator,
            options=self.options,
            scale=self.scale,
        )

    @property
    def n_evaluations(self):
        return sum(f.n_evaluations for f in self._outputs)

    @n_evaluations.setter
    def n_evaluations(self, value):
        pass  # the count is the sum over the per-class functions

    def _refuse(self, X):
        raise ValueError(single_output_message(self, "This measure"))


def single_output_message(model_function, what):
    """Why ``what`` cannot use a summary over classes, and what to do."""
    return (
        f"{what} needs one output, but {model_function.description} is "
        f"summarized over its {len(model_function.outputs)} classes "
        f"{model_function.classes}; choose one with "
        "make_model_function(estimator, target=<class label>) and pass the "
        "result in place of the estimator."
    )


def check_single_output(model_function, what):
    """``model_function`` itself, or a clear error for a summary over classes."""
    if len(model_function.outputs) > 1:
        raise ValueError(single_output_message(model_function, what))
    return model_function


# -- output selection and scale ------------------------------------------
#
# A model's raw output is one of three *sources*: ``"value"`` (explained as
# it is: regressors, torch modules), ``"logits"`` (a classifier's logits: one
# column, the log-odds of the second class, for two classes; one column per
# class otherwise) or ``"probabilities"`` (one column per class). The response
# turns it into one scalar per row for one class (or output) ``column``.


def log_odds_weights(n_columns, column):
    """``c`` such that ``log_scores @ c`` is the log-odds of class ``column``.

    With one column (the logit of the second of two classes), ``c`` is ``+1``
    for class 1 and ``-1`` for class 0. With ``K >= 2`` columns of
    log-probabilities (or softmax logits), ``c = (K e_k - 1) / (K - 1)``:
    ``log p_k - mean_{j != k} log p_j``, which for two classes is the usual
    log-odds ``log(p_k / (1 - p_k))``.
    """
    if n_columns == 1:
        return np.array([1.0 if column == 1 else -1.0])
    c = np.full(n_columns, -1.0 / (n_columns - 1))
    c[column] = 1.0
    return c


def _value_column(n_columns, column):
    """Position of the explained column of an output that is used as it is."""
    if n_columns == 1:
        return 0
    if column is None:
        if n_columns == 2:
            return 1
        raise ValueError(
            f"The model has {n_columns} outputs; pass target to choose the one "
            "whose interactions are measured."
        )
    if not 0 <= column < n_columns:
        raise ValueError(
            f"target={column} is out of range for a model with {n_columns} outputs."
        )
    return int(column)


def _output_weights(source, response, n_columns, column):
    """``c`` when the explained value is ``output @ c``, else None."""
    if source == "value" or (source, response) == ("probabilities", "predict_proba"):
        c = np.zeros(n_columns)
        c[_value_column(n_columns, column)] = 1.0
        return c
    if source == "logits" and response in ("log_odds", "decision_function"):
        if n_columns == 1 or response == "log_odds":
            return log_odds_weights(n_columns, column)
        c = np.zeros(n_columns)
        c[column] = 1.0
        return c
    return None


def _select_output(out, source, response, column):
    """The explained value ``(n,)`` of a raw output tensor ``(n,)`` or ``(n, K)``."""
    if out.ndim == 1:
        out = out[:, None]
    n_columns = out.shape[1]
    c = _output_weights(source, response, n_columns, column)
    if c is not None:
        return out @ torch.as_tensor(c, dtype=out.dtype, device=out.device)
    if source == "logits":  # probabilities of logits
        if n_columns == 1:
            return torch.sigmoid(out[:, 0] if column == 1 else -out[:, 0])
        return torch.softmax(out, dim=1)[:, column]
    # log-odds of probabilities
    log_p = torch.log(out.clamp(min=MIN_PROBABILITY))
    c = log_odds_weights(n_columns, column)
    return log_p @ torch.as_tensor(c, dtype=out.dtype, device=out.device)


#: Scales that displays leave out of their labels (the model's own output).
PLAIN_SCALES = ("prediction", "output")

#: How the values of each response are named in reports.
_RESPONSE_NAMES = {
    "log_odds": "log-odds",
    "predict_proba": "probability",
    "decision_function": "decision function",
    "predict": "prediction",
    "output": "output",
}


def _scale_name(response, label, classifier):
    """How a function's values are reported, e.g. ``"log-odds of class 1"``."""
    name = _RESPONSE_NAMES[response]
    if classifier:
        return f"{name} of class {label}"
    return name if label is None else f"{name} {label}"


def _swap_relu(module, activation, beta):
    """Return a copy of ``module`` with every ``nn.ReLU`` replaced."""
    module = copy.deepcopy(module)

    def replace(parent):
        # Iterate ``_modules`` rather than ``named_children()``: the latter skips
        # a module instance that appears under several names, and every use of
        # a shared ReLU must be replaced.
        for name, child in list(parent._modules.items()):
            if isinstance(child, torch.nn.ReLU):
                if activation == "gelu":
                    setattr(parent, name, torch.nn.GELU())
                else:
                    setattr(parent, name, torch.nn.Softplus(beta=beta))
            else:
                replace(child)

    replace(module)
    return module


def _module_function(module, output, *, activation, beta, dtype, device):
    """Torch function of a module whose raw output is described by ``output``.

    ``output`` is ``(source, response, column)`` (see :func:`_select_output`).
    """
    if activation is not None:
        module = _swap_relu(
            module, "softplus" if activation == "auto" else activation, beta
        )
    else:
        module = copy.deepcopy(module)
    module = module.to(device=device, dtype=dtype).eval()
    for param in module.parameters():
        param.requires_grad_(False)
    source, response, column = output
    if _output_weights(source, response, 2, 1) is not None:  # a linear output
        feed_forward = sequential_feed_forward(
            module,
            lambda n: torch.as_tensor(_output_weights(source, response, n, column)),
        )
        if feed_forward is not None:
            return feed_forward

    def function(x):
        out = module(x)
        if isinstance(out, tuple):
            out = out[0]
        return _select_output(out, source, response, column)

    return function


def _mlp_activation(name, activation, beta):
    if name == "relu" and activation is not None:
        if activation == "gelu":
            return torch.nn.functional.gelu
        return lambda z: torch.nn.functional.softplus(z, beta=beta)
    return {
        "relu": torch.relu,
        "tanh": torch.tanh,
        "logistic": torch.sigmoid,
        "identity": lambda z: z,
    }[name]


def _mlp_closed_form_activation(name, activation, beta):
    """The :class:`Activation` equal to ``_mlp_activation(name, ...)``."""
    if name == "relu" and activation is not None:
        if activation == "gelu":
            return Activation("gelu")
        return Activation("softplus", beta=beta)
    return Activation({"logistic": "sigmoid"}.get(name, name))


def _sklearn_mlp_function(mlp, output, *, activation, beta, dtype, device):
    """Rebuild a fitted scikit-learn MLP as a torch function.

    The network up to its output activation gives the predictions of a
    regressor and the logits of a classifier; ``output`` selects from them.
    """
    weights = [torch.as_tensor(w, dtype=dtype, device=device) for w in mlp.coefs_]
    biases = [torch.as_tensor(b, dtype=dtype, device=device) for b in mlp.intercepts_]
    source, response, column = output
    c = _output_weights(source, response, weights[-1].shape[1], column)
    if c is not None:
        c = torch.as_tensor(c, dtype=dtype, device=device)
        smooth = _mlp_closed_form_activation(mlp.activation, activation, beta)
        return FeedForwardFunction(
            [(w, b, smooth) for w, b in zip(weights[:-1], biases[:-1])]
            + [(weights[-1] @ c[:, None], (biases[-1] @ c).reshape(1), None)]
        )
    hidden = _mlp_activation(mlp.activation, activation, beta)

    def function(x):
        h = x
        for w, b in zip(weights[:-1], biases[:-1]):
            h = hidden(h @ w + b)
        return _select_output(h @ weights[-1] + biases[-1], source, response, column)

    return function


def _scaler_affine(scaler, dtype, device):
    """``(mult, add)`` tensors of a fitted linear scaler (``x * mult + add``)."""
    if isinstance(scaler, StandardScaler):
        mean = 0.0 if scaler.mean_ is None else scaler.mean_
        scale = 1.0 if scaler.scale_ is None else scaler.scale_
        mult, add = 1.0 / np.asarray(scale), -np.asarray(mean) / np.asarray(scale)
    elif isinstance(scaler, MinMaxScaler) and not scaler.clip:
        mult, add = scaler.scale_, scaler.min_
    elif isinstance(scaler, MaxAbsScaler):
        mult, add = 1.0 / scaler.scale_, 0.0
    else:
        return None
    shape = (scaler.n_features_in_,)
    mult, add = (
        torch.as_tensor(
            np.broadcast_to(np.asarray(v, dtype=float), shape).copy(),
            dtype=dtype,
            device=device,
        )
        for v in (mult, add)
    )
    return mult, add


def _skorch_source(net):
    """What a skorch net's module outputs: ``"value"``, ``"logits"``, ... or None."""
    if not is_classifier(net):
        return "value"
    if isinstance(net, NeuralNetBinaryClassifier):
        return "logits"
    criterion = getattr(net, "criterion_", None)
    if isinstance(criterion, torch.nn.CrossEntropyLoss):
        return "logits"
    if isinstance(criterion, torch.nn.NLLLoss):  # skorch's default: probabilities
        return "probabilities"
    return None


def _exact_function(estimator, output, options):
    """Return a torch function for ``estimator`` or None when it is a black box.

    ``output`` is ``(response, column)``; ``options`` holds ``activation``,
    ``beta``, ``dtype`` and ``device``.
    """
    response, column = output
    if isinstance(estimator, NeuralNet):
        source = _skorch_source(estimator)
        if source is None or (source, response) == (
            "probabilities",
            "decision_function",
        ):
            return None
        return _module_function(
            estimator.module_, (source, response, column), **options
        )
    if isinstance(estimator, torch.nn.Module):
        return _module_function(estimator, ("value", response, column), **options)
    if hasattr(estimator, "__sklearn_interact_function__"):
        # This library's estimators: predictions of a regressor, logits of a
        # classifier, as a function of raw inputs.
        raw = estimator.__sklearn_interact_function__(
            dtype=options["dtype"], device=options["device"]
        )
        source = "logits" if is_classifier(estimator) else "value"

        def function(x):
            return _select_output(raw(x), source, response, column)

        return function
    if isinstance(estimator, (MLPRegressor, MLPClassifier)):
        source = "logits" if isinstance(estimator, MLPClassifier) else "value"
        return _sklearn_mlp_function(estimator, (source, response, column), **options)
    if isinstance(estimator, Pipeline):
        transforms = []
        for _, step in estimator.steps[:-1]:
            if step is None or step == "passthrough":
                continue
            affine = _scaler_affine(step, options["dtype"], options["device"])
            if affine is None:
                return None
            transforms.append(affine)
        final = _exact_function(estimator.steps[-1][1], output, options)
        if final is None:
            return None
        if isinstance(final, FeedForwardFunction):
            # Fold the scalers into the first layer, last scaler first.
            for mult, add in reversed(transforms):
                final = final.with_input_affine(mult, add)
            return final

        def function(x):
            for mult, add in transforms:
                x = x * mult + add
            return final(x)

        return function
    return None


def _resolve_response_method(estimator, response_method):
    """The response explained: ``"predict"``, ``"log_odds"``, ... (validated)."""
    name = estimator.__class__.__name__
    if isinstance(estimator, torch.nn.Module):
        if response_method not in ("auto", "predict"):
            raise ValueError(
                f"response_method={response_method!r} needs a classifier; a torch "
                "module's output is explained as it is."
            )
        return "output"
    classifier = is_classifier(estimator)
    if classifier and getattr(estimator, "out_activation_", None) == "logistic":
        if getattr(estimator, "n_outputs_", 1) > 1:
            raise ValueError(
                f"{name} is a multilabel classifier; multilabel outputs are not "
                "supported."
            )
    if response_method == "auto":
        if not classifier:
            if hasattr(estimator, "predict"):
                return "predict"
            raise TypeError(f"{name} has no predict method; it cannot be explained.")
        if hasattr(estimator, "predict_proba"):
            return "log_odds"
        if hasattr(estimator, "decision_function"):
            return "decision_function"
        raise TypeError(
            f"{name} has neither predict_proba nor decision_function; its hard "
            "labels cannot be explained."
        )
    if response_method == "predict" and classifier:
        raise ValueError(
            f"{name} is a classifier: its predict gives hard class labels, whose "
            "derivatives are zero almost everywhere and whose differences only "
            "show where the decision flips. Explain its log-odds "
            "(response_method='log_odds', the default) or its probabilities "
            "(response_method='predict_proba')."
        )
    if response_method == "log_odds":
        if not classifier:
            raise ValueError(
                f"response_method='log_odds' needs a classifier; {name} is not one."
            )
        if not hasattr(estimator, "predict_proba"):
            raise ValueError(
                f"{name} has no predict_proba, so its log-odds are unknown; use "
                "response_method='decision_function' (the model's own scale)."
            )
        return response_method
    if not hasattr(estimator, response_method):
        raise ValueError(f"{name} has no method {response_method!r}.")
    return response_method


def _class_column(classes, target, name):
    """Position of the class ``target`` (a label); None for no choice."""
    if target is None:
        return 1 if len(classes) == 2 else None
    matches = [k for k, label in enumerate(classes) if label == target]
    if not matches:
        raise ValueError(
            f"target={target!r} is not a class of {name}; its classes are "
            f"{np.asarray(classes).tolist()}."
        )
    return matches[0]


def _black_box_predict(estimator, response_method, select):
    method = getattr(estimator, response_method)
    names = getattr(estimator, "feature_names_in_", None)

    def predict(X):
        if names is not None and not hasattr(X, "columns"):
            import pandas as pd

            X = pd.DataFrame(X, columns=names)
        out = np.asarray(method(X), dtype=np.float64)
        return select(out)

    return predict


def _decision_is_logit(estimator):
    """Whether a classifier's ``decision_function`` is its logit.

    True for models whose ``predict_proba`` is the sigmoid (softmax) of their
    decision function: their log-odds are then read from it exactly, without
    the rounding and clipping of ``log(predict_proba)``.
    """
    if isinstance(estimator, Pipeline):
        estimator = estimator.steps[-1][1]
    if isinstance(estimator, GradientBoostingClassifier):
        return estimator.loss == "log_loss"
    return isinstance(
        estimator,
        (LogisticRegression, LogisticRegressionCV, HistGradientBoostingClassifier),
    )


def _black_box_select(source, response, column, name):
    """Selection of the explained value from a black box's output array."""

    def select(out):
        if (
            source == "probabilities"
            and response == "log_odds"
            and np.any(out < MIN_PROBABILITY)
        ):
            warnings.warn(
                f"{name} predicts probabilities of 0 or 1, whose log-odds are "
                f"infinite; they were clipped to [{MIN_PROBABILITY:g}, 1]. Tree "
                "ensembles and other models with saturated probabilities are "
                "better explained with response_method='predict_proba'.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        values = _select_output(torch.from_numpy(out), source, response, column)
        return values.numpy()

    return select


def _torch_predict(function, dtype, device):
    def predict(X):
        with torch.no_grad():
            x = torch.as_tensor(np.asarray(X), dtype=dtype, device=device)
            return function(x).detach().cpu().numpy().astype(np.float64, copy=False)

    return predict


@validate_params(
    {
        "estimator": "no_validation",
        **MODEL_CONSTRAINTS,
        "dtype": [torch.dtype],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": [numbers.Integral, None],
    },
    prefer_skip_nested_validation=True,
)
def make_model_function(
    estimator,
    *,
    response_method="auto",
    target=None,
    activation="auto",
    beta=10.0,
    dtype=torch.float64,
    device="cpu",
    batch_size=65536,
    n_jobs=None,
):
    """Turn a fitted model into a :class:`ModelFunction`.

    Parameters
    ----------
    estimator : object
        A fitted scikit-learn estimator or Pipeline, a fitted skorch net, a
        ``torch.nn.Module``, or a :class:`~sklearn.frozen.FrozenEstimator` around
        any of these.
    response_method : {"auto", "log_odds", "predict_proba", \
            "decision_function", "predict"}, default="auto"
        The output whose interactions are measured. ``"auto"`` uses
        ``predict`` for regressors and the log-odds for classifiers (their
        ``decision_function`` when they have no ``predict_proba``).
        ``"log_odds"``: the log-odds of a class, ``log p_k - mean_{j != k} log
        p_j`` (for two classes the logit ``log(p_1 / p_0)``), exact for
        differentiable models (from their logits), read from the decision
        function of models whose probabilities are its sigmoid or softmax
        (logistic regression, gradient boosting) and computed from
        ``predict_proba`` for other models, with probabilities clipped to
        ``[1e-12, 1]`` (with a warning). On this scale a model whose logits
        are additive (a logistic regression) has no interactions; on the
        probability scale (``"predict_proba"``) the sigmoid or softmax creates
        some.
        ``"decision_function"``: the model's own decision function.
        ``"predict"`` is refused for classifiers (hard labels).
    target : label or int, default=None
        For a classifier, the label (an element of ``classes_``) of the class
        whose log-odds or probability is explained; None means the positive
        class ``classes_[1]`` of a binary classifier and, for a multiclass
        one, every class: global measures then report the mean of the
        per-class scores (:class:`ClassSummary`), and local ones ask for a
        class. For other models with several outputs, the output's position
        (None: the only output, or the second of two).
    activation : {"auto", "softplus", "gelu"} or None, default="auto"
        Replace ReLU by a smooth activation at explanation time, without
        retraining (Janizek et al., Sec. 3). A ReLU network has a zero Hessian
        almost everywhere. ``"auto"`` and ``"softplus"`` use ``softplus(beta)``;
        ``None`` keeps the model as trained.
    beta : float, default=10.0
        Sharpness of the softplus replacement; larger is closer to ReLU.
    dtype : torch.dtype, default=torch.float64
        Precision of the exact function.
    device : str or torch.device, default="cpu"
        Device of the exact function; ``"auto"`` is ``"cuda"`` when a CUDA
        device is available and ``"cpu"`` otherwise.
    batch_size : int, default=65536
        Rows per model call on the black-box path.
    n_jobs : int, default=None
        Parallel jobs over chunks of rows (through joblib).

    Returns
    -------
    function : ModelFunction
        Pass it to any measuring function of
        :mod:`sklearn_interact.inspection` in place of the estimator. Its
        ``scale`` names what its values are (e.g. ``"log-odds of class 1"``);
        every result reports it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPRegressor
    >>> from sklearn_interact.inspection import (
    ...     make_model_function, pairwise_interactions)
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(200, 3))
    >>> y = X[:, 0] * X[:, 1]
    >>> mlp = MLPRegressor(hidden_layer_sizes=(16,), max_iter=300, random_state=0)
    >>> mlp = mlp.fit(X, y)
    >>> function = make_model_function(mlp, activation="gelu")
    >>> function.exact
    True
    >>> result = pairwise_interactions(function, X, random_state=0)
    >>> result.method
    'hessian'

    A classifier is explained on the log-odds scale of the class ``target``:

    >>> from sklearn.linear_model import LogisticRegression
    >>> clf = LogisticRegression().fit(X, np.where(y > 0, "pos", "neg"))
    >>> make_model_function(clf).scale
    'log-odds of class pos'
    >>> make_model_function(clf, response_method="predict_proba",
    ...                     target="neg").scale
    'probability of class neg'
    """
    options = dict(
        response_method=response_method,
        target=target,
        activation=activation,
        beta=beta,
        dtype=dtype,
        device=device,
        batch_size=batch_size,
        n_jobs=n_jobs,
    )
    device = resolve_device(device)
    original = estimator
    while isinstance(estimator, FrozenEstimator):
        estimator = estimator.estimator
    if not isinstance(estimator, torch.nn.Module):
        check_is_fitted(estimator)
    response = _resolve_response_method(estimator, response_method)
    name = estimator.__class__.__name__
    classifier = response != "output" and is_classifier(estimator)
    label = target
    if classifier:
        classes = np.asarray(estimator.classes_)
        column = _class_column(classes, target, name)
        if column is None:
            per_class = [
                make_model_function(original, **{**options, "target": label})
                for label in classes
            ]
            return ClassSummary(
                per_class,
                classes,
                dtype=dtype,
                device=device,
                batch_size=batch_size,
                n_jobs=n_jobs,
                description=f"{name} ({len(classes)} classes)",
                estimator=original,
                options=options,
                scale=(
                    f"mean over {len(classes)} classes of the "
                    f"{_RESPONSE_NAMES[response]} of each class"
                ),
            )
        label = (
            classes[column].item()
            if hasattr(classes[column], "item")
            else (classes[column])
        )
    else:
        if target is not None and not isinstance(target, numbers.Integral):
            raise ValueError(
                f"target={target!r}: {name} is not a classifier, so target is the "
                "position of an output (an integer)."
            )
        column = target
    exact = _exact_function(
        estimator,
        (response, column),
        dict(activation=activation, beta=beta, dtype=dtype, device=device),
    )
    black_box, method = None, response
    if not isinstance(estimator, torch.nn.Module):
        # The model's own prediction on the explained scale: the function
        # itself for a black box, and the evaluation of decoded inputs
        # (mixed-type tables, ModelFunction.for_data) for an exact one.
        method, source = {
            "log_odds": ("predict_proba", "probabilities"),
            "predict_proba": ("predict_proba", "probabilities"),
            "decision_function": ("decision_function", "logits"),
        }.get(response, (response, "value"))
        if not classifier and response == "decision_function":
            source = "value"
        if response == "log_odds" and _decision_is_logit(estimator):
            method, source = "decision_function", "logits"
        black_box = _black_box_predict(
            estimator, method, _black_box_select(source, response, column, name)
        )
    if exact is None:
        predict, description = black_box, f"{name}.{method}"
    else:
        predict, description = _torch_predict(exact, dtype, device), f"exact {name}"
    return ModelFunction(
        predict,
        exact,
        dtype=dtype,
        device=device,
        batch_size=batch_size,
        n_jobs=n_jobs,
        description=description,
        estimator=original,
        options=options,
        black_box=black_box,
        scale=_scale_name(response, label, classifier),
    )


def _encoded_pipeline_function(model, data, options):
    """Exact torch function of the codes of ``data`` for a Pipeline that
    starts with a ColumnTransformer of one-hot encoders, linear scalers and
    passthrough columns and ends in a differentiable model; None otherwise.

    One-hot blocks are looked up from each row's level (constant along every
    other column, so the Hessian of continuous columns is exact); scalers are
    affine. Pairs involving categorical columns are measured by level
    contrasts, which only evaluate the function.
    """
    if not isinstance(model, Pipeline) or len(model.steps) < 2:
        return None
    transformer = model.steps[0][1]
    if not isinstance(transformer, ColumnTransformer):
        return None
    rest = model.steps[1:]
    rest = rest[0][1] if len(rest) == 1 else Pipeline(rest)
    response = _resolve_response_method(rest, options["response_method"])
    target = options["target"]
    if response != "output" and is_classifier(rest):
        column = _class_column(
            np.asarray(rest.classes_), target, model.__class__.__name__
        )
        if column is None:  # a summary over classes: one function per class
            return None
    else:
        column = target
    tail = _exact_function(
        rest,
        (response, column),
        {k: options[k] for k in ("activation", "beta", "dtype")}
        | {"device": resolve_device(options["device"])},
    )
    if tail is None:
        return None
    dtype, device = options["dtype"], resolve_device(options["device"])
    to_inputs = getattr(transformer, "_transformer_to_input_indices", None)
    if to_inputs is None:
        return None
    blocks = []
    for name, step, _ in transformer.transformers_:
        out = transformer.output_indices_[name]
        if out.stop == out.start:
            continue
        columns = list(to_inputs[name])
        block = _block_function(step, columns, data, dtype, device)
        if block is None:
            return None
        blocks.append(block)

    def function(z):
        return tail(torch.cat([block(z) for block in blocks], dim=1))

    return function


def _block_function(step, columns, data, dtype, device):
    """Torch function of the codes giving one ColumnTransformer block."""
    index = torch.as_tensor(columns, dtype=torch.long, device=device)
    if isinstance(step, str) and step == "passthrough":
        if data.categorical[columns].any():
            return None
        return lambda z: z[:, index]
    affine = _scaler_affine(step, dtype, device)
    if affine is not None:
        if data.categorical[columns].any():
            return None
        mult, add = affine
        return lambda z: z[:, index] * mult + add
    if not isinstance(step, OneHotEncoder) or getattr(
        step, "_infrequent_enabled", False
    ):
        return None
    tables, lookups = [], []
    for k, j in enumerate(columns):
        levels = data.levels[j]
        if levels is None:  # a continuous column: no finite set of levels
            return None
        if data.kinds[j] == "categorical":  # codes are level positions
            lookups.append(None)
        else:  # codes are the values: find their position among the levels
            lookups.append(torch.as_tensor(levels, dtype=dtype, device=device))
        sample = np.empty((len(levels), len(columns)), dtype=object)
        for c in range(len(columns)):
            sample[:, c] = step.categories_[c][0]
        sample[:, k] = levels
        encoded = step.transform(_like_fit_input(step, sample))
        encoded = encoded.toarray() if hasattr(encoded, "toarray") else encoded
        widths = [
            len(cats)
            - (0 if step.drop_idx_ is None or step.drop_idx_[c] is None else 1)
            for c, cats in enumerate(step.categories_)
        ]
        start = int(np.sum(widths[:k]))
        tables.append(
            torch.as_tensor(
                np.asarray(encoded[:, start : start + widths[k]], dtype=np.float64),
                dtype=dtype,
                device=device,
            )
        )
    cols = [int(c) for c in columns]

    def one_hot(z):
        parts = []
        for table, lookup, c in zip(tables, lookups, cols):
            code = z[:, c].detach()
            position = code if lookup is None else torch.searchsorted(lookup, code)
            parts.append(table[position.long()])
        return torch.cat(parts, dim=1)

    return one_hot


def _like_fit_input(encoder, sample):
    """``sample`` with the column names the encoder was fitted with."""
    names = getattr(encoder, "feature_names_in_", None)
    if names is None:
        return sample
    import pandas as pd

    return pd.DataFrame(sample, columns=names)


def _check_columns(model, n_features, feature_names):
    """``n_features`` columns named ``feature_names`` (or None) are those
    ``model`` was fitted on."""
    n_in = getattr(model, "n_features_in_", None)
    if n_in is not None and n_in != n_features:
        raise ValueError(
            f"X has {n_features} features, but {model.__class__.__name__} "
            f"is expecting {n_in} features as input."
        )
    fitted = getattr(model, "feature_names_in_", None)
    if fitted is None or feature_names is None:
        return
    fitted = [str(c) for c in fitted]
    given = [str(c) for c in feature_names]
    if fitted == given:
        return
    message = "The feature names should match those that were passed during fit."
    unexpected = [c for c in given if c not in fitted]
    missing = [c for c in fitted if c not in given]
    if unexpected:
        message += f"\nFeature names unseen at fit time: {unexpected}"
    if missing:
        message += f"\nFeature names seen at fit time, yet now missing: {missing}"
    if not unexpected and not missing:
        message += (
            "\nFeature names must be in the same order as they were in fit: "
            f"{fitted}, got {given}."
        )
    raise ValueError(message)


def check_feature_names(model_function, X):
    """The columns of a DataFrame ``X`` against the model's ``feature_names_in_``.

    The functions that take numeric arrays (path methods, explicit column
    groups, the local displays) check names here, as :meth:`ModelFunction.for_data`
    does for the others: a DataFrame whose columns differ in name or order
    from those the model was fitted on is an error, never a relabelling.
    """
    columns = getattr(X, "columns", None)
    if columns is None:
        return
    _check_columns(model_function.estimator, len(columns), list(columns))


def as_model_function(estimator, *, response_method="auto", n_jobs=None):
    """``estimator`` as a :class:`ModelFunction`, built once per call.

    A :class:`ModelFunction` passes through unchanged (its own options win);
    anything else goes through :func:`make_model_function` with the default
    options and the given ``response_method`` and ``n_jobs``.
    """
    if isinstance(estimator, ModelFunction):
        return estimator
    return make_model_function(
        estimator, response_method=response_method, n_jobs=n_jobs
    )
