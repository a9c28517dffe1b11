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
from sklearn.compose import ColumnTransformer
from sklearn.frozen import FrozenEstimator
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
    black_box : callable, default=None
        The model's own prediction on its input format (e.g. a DataFrame),
        for an exact function whose inputs must be decoded
        (:meth:`for_data`).
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
        self.n_evaluations = 0

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
        _check_columns(model, data)
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
        )

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
        if names is not None and not hasattr(X, "columns"):
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
    black_box = None
    if not isinstance(estimator, torch.nn.Module):
        black_box = _black_box_predict(estimator, response_method, output_index)
    if exact is None:
        predict, description = black_box, f"{name}.{response_method}"
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
    response_method = _resolve_response_method(rest, options["response_method"])
    tail = _exact_function(
        rest,
        response_method,
        {k: options[k] for k in ("output_index", "activation", "beta", "dtype")}
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


def _check_columns(model, data):
    """The columns of ``data`` are those ``model`` was fitted on."""
    n_in = getattr(model, "n_features_in_", None)
    if n_in is not None and n_in != data.n_features:
        raise ValueError(
            f"X has {data.n_features} features, but {model.__class__.__name__} "
            f"is expecting {n_in} features as input."
        )
    fitted = getattr(model, "feature_names_in_", None)
    if fitted is None or data.feature_names is None:
        return
    fitted = [str(c) for c in fitted]
    given = [str(c) for c in data.feature_names]
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
