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
The adapter options (``response_method``, ``output_index``, ``activation``,
``beta``, ``device``) are declared and validated here only: a public function
builds its :class:`ModelFunction` once with :func:`as_model_function` and
passes it on, and a caller who needs a non-default option passes the result of
:func:`make_model_function` in place of the estimator.
"""

import copy
import numbers

import numpy as np
import torch
from joblib import Parallel, delayed
from sklearn.base import is_classifier
from sklearn.frozen import FrozenEstimator
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet

from sklearn_interact.inspection._feedforward import (
    Activation,
    FeedForwardFunction,
    output_column,
    sequential_feed_forward,
)
from sklearn_interact.utils._torch import resolve_device

#: Outputs of a fitted model that can be explained.
RESPONSE_METHODS = ("auto", "predict", "predict_proba", "decision_function")

#: Parameter constraints of the adapter options (:func:`make_model_function`);
#: an estimator that exposes some of them reuses these entries.
MODEL_CONSTRAINTS = {
    "response_method": [StrOptions(set(RESPONSE_METHODS))],
    "output_index": [Interval(numbers.Integral, 0, None, closed="left"), None],
    "activation": [StrOptions({"auto", "softplus", "gelu"}), None],
    "beta": [Interval(numbers.Real, 0, None, closed="neither")],
    "device": [str, torch.device],
}


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
        ``joblib.parallel_config(backend="dask")`` spreads them on a cluster.
    description : str
        What the function computes, for messages and reports.
    estimator : object, default=None
        The model this function was made from (the template of refits).
    options : dict, default=None
        The adapter options it was made with, so that a refitted clone of
        ``estimator`` is explained the same way (:meth:`for_estimator`).
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
    ):
        self._predict = predict
        self.estimator = estimator
        self.options = {} if options is None else dict(options)
        self.torch_function = torch_function
        self.dtype = dtype
        self.device = torch.device("cpu") if device is None else device
        self.batch_size = batch_size
        self.n_jobs = n_jobs
        self.description = description
        self.n_evaluations = 0

    @property
    def exact(self):
        """Whether exact derivatives are available through autograd."""
        return self.torch_function is not None

    def for_estimator(self, estimator):
        """The function of another fitted ``estimator`` with the same options."""
        return make_model_function(estimator, **self.options)

    def __call__(self, X):
        """Evaluate the model on ``X`` in chunks of ``batch_size`` rows."""
        X = np.asarray(X)
        n = X.shape[0]
        self.n_evaluations += n
        if n <= self.batch_size:
            return self._predict(X)
        starts = range(0, n, self.batch_size)
        if self.n_jobs in (None, 1):
            parts = [self._predict(X[s : s + self.batch_size]) for s in starts]
        else:
            parts = Parallel(n_jobs=self.n_jobs)(
                delayed(self._predict)(X[s : s + self.batch_size]) for s in starts
            )
        return np.concatenate(parts)


def _select_output(out, output_index, what):
    """Reduce a 1-D or 2-D model output to one column."""
    if out.ndim == 1:
        return out
    return out[:, output_column(out.shape[1], output_index, what)]


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


def _module_function(module, *, output_index, activation, beta, dtype, device):
    if activation is not None:
        module = _swap_relu(
            module, "softplus" if activation == "auto" else activation, beta
        )
    else:
        module = copy.deepcopy(module)
    module = module.to(device=device, dtype=dtype).eval()
    for param in module.parameters():
        param.requires_grad_(False)
    feed_forward = sequential_feed_forward(module, output_index)
    if feed_forward is not None:
        return feed_forward

    def function(x):
        out = module(x)
        if isinstance(out, tuple):
            out = out[0]
        return _select_output(out, output_index, "torch module")

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


def _sklearn_mlp_function(
    mlp, *, response_method, output_index, activation, beta, dtype, device
):
    """Rebuild a fitted scikit-learn MLP as a torch function."""
    weights = [torch.as_tensor(w, dtype=dtype, device=device) for w in mlp.coefs_]
    biases = [torch.as_tensor(b, dtype=dtype, device=device) for b in mlp.intercepts_]
    hidden = _mlp_activation(mlp.activation, activation, beta)
    out_act = mlp.out_activation_
    if isinstance(mlp, MLPClassifier) and response_method == "decision_function":
        out_act = "identity"
    if out_act == "identity":
        col = output_column(weights[-1].shape[1], output_index, "scikit-learn MLP")
        smooth = _mlp_closed_form_activation(mlp.activation, activation, beta)
        return FeedForwardFunction(
            [(w, b, smooth) for w, b in zip(weights[:-1], biases[:-1])]
            + [(weights[-1][:, col : col + 1], biases[-1][col : col + 1], None)]
        )

    def function(x):
        h = x
        for w, b in zip(weights[:-1], biases[:-1]):
            h = hidden(h @ w + b)
        z = h @ weights[-1] + biases[-1]
        if out_act == "logistic":
            z = torch.sigmoid(z)
            if isinstance(mlp, MLPClassifier) and z.shape[1] == 1:
                z = torch.cat([1 - z, z], dim=1)
        elif out_act == "softmax":
            z = torch.softmax(z, dim=1)
        return _select_output(z, output_index, "scikit-learn MLP")

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


def _exact_function(estimator, response_method, options):
    """Return a torch function for ``estimator`` or None when it is a black box.

    ``options`` holds ``output_index``, ``activation``, ``beta``, ``dtype`` and
    ``device``.
    """
    if isinstance(estimator, NeuralNet):
        estimator = estimator.module_
    if isinstance(estimator, torch.nn.Module):
        return _module_function(estimator, **options)
    if hasattr(estimator, "__sklearn_interact_function__"):
        return estimator.__sklearn_interact_function__(
            dtype=options["dtype"], device=options["device"]
        )
    if isinstance(estimator, (MLPRegressor, MLPClassifier)):
        if response_method == "predict" and isinstance(estimator, MLPClassifier):
            return None
        return _sklearn_mlp_function(
            estimator, response_method=response_method, **options
        )
    if isinstance(estimator, Pipeline):
        transforms = []
        for _, step in estimator.steps[:-1]:
            if step is None or step == "passthrough":
                continue
            affine = _scaler_affine(step, options["dtype"], options["device"])
            if affine is None:
                return None
            transforms.append(affine)
        final = _exact_function(estimator.steps[-1][1], response_method, options)
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
    if response_method != "auto":
        if not hasattr(estimator, response_method):
            raise ValueError(
                f"{estimator.__class__.__name__} has no method {response_method!r}."
            )
        return response_method
    if is_classifier(estimator):
        for name in ("predict_proba", "decision_function"):
            if hasattr(estimator, name):
                return name
    if hasattr(estimator, "predict"):
        return "predict"
    raise TypeError(
        f"{estimator.__class__.__name__} has no predict, predict_proba or "
        "decision_function method; it cannot be explained."
    )


def _black_box_predict(estimator, response_method, output_index):
    method = getattr(estimator, response_method)
    names = getattr(estimator, "feature_names_in_", None)

    def predict(X):
        if names is not None:
            import pandas as pd

            X = pd.DataFrame(X, columns=names)
        out = np.asarray(method(X), dtype=np.float64)
        return _select_output(out, output_index, estimator.__class__.__name__)

    return predict


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
    output_index=None,
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
    response_method : {"auto", "predict", "predict_proba", "decision_function"}, \
            default="auto"
        The output whose interactions are measured. ``"auto"`` uses ``predict``
        for regressors and ``predict_proba`` (else ``decision_function``) for
        classifiers, as :func:`sklearn.inspection.partial_dependence` does.
    output_index : int, default=None
        Which column of a multi-output response to use. ``None`` takes the only
        column, or the positive class of a binary classifier.
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
        Device of the exact function.
    batch_size : int, default=65536
        Rows per model call on the black-box path.
    n_jobs : int, default=None
        Parallel jobs over chunks of rows (through joblib).

    Returns
    -------
    function : ModelFunction
        Pass it to any measuring function of
        :mod:`sklearn_interact.inspection` in place of the estimator.

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
    """
    options = dict(
        response_method=response_method,
        output_index=output_index,
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
        response_method = _resolve_response_method(estimator, response_method)
    exact = _exact_function(
        estimator,
        response_method,
        dict(
            output_index=output_index,
            activation=activation,
            beta=beta,
            dtype=dtype,
            device=device,
        ),
    )
    name = estimator.__class__.__name__
    if exact is None:
        predict = _black_box_predict(estimator, response_method, output_index)
        description = f"{name}.{response_method}"
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
    )


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
