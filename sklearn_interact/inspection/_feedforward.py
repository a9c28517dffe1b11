# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Closed-form input Hessians of feed-forward networks.

A network ``z_1 = x W_1 + b_1, a_l = s_l(z_l), z_{l+1} = a_l W_{l+1} + b_{l+1}``
with a scalar output ``f = a_L w + c`` has the input Hessian

    H(x) = sum_l J_l^T diag(g_l * s_l''(z_l)) J_l,

where ``J_l = dz_l/dx`` (one forward-mode pass: ``J_1 = W_1^T``,
``J_{l+1} = W_{l+1}^T diag(s_l'(z_l)) J_l``) and ``g_l = df/da_l`` (one
backward pass). Its cost is about ``p`` forward passes plus ``p**2`` times the
number of hidden units per row, below the ``p x (forward + backward)`` of
generic automatic differentiation. :func:`make_model_function` uses it for
scikit-learn MLPs and for ``torch.nn.Sequential`` stacks of ``Linear`` layers
and the activations below; every other model takes the generic path.
"""

import math

import torch

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class Activation:
    """An element-wise activation with its first and second derivatives.

    Parameters
    ----------
    name : str
        ``"softplus"``, ``"gelu"``, ``"tanh"``, ``"sigmoid"``, ``"relu"`` or
        ``"identity"``.
    beta, threshold : float
        Softplus parameters, as in :class:`torch.nn.Softplus` (above
        ``beta * z > threshold`` the function is linear).
    """

    def __init__(self, name, *, beta=1.0, threshold=20.0):
        self.name = name
        self.beta = beta
        self.threshold = threshold

    def __call__(self, z):
        """Return ``s(z)``, ``s'(z)`` and ``s''(z)``."""
        if self.name == "softplus":
            bz = self.beta * z
            linear = bz > self.threshold
            sig = torch.sigmoid(bz)
            value = torch.where(linear, z, torch.nn.functional.softplus(bz) / self.beta)
            first = torch.where(linear, torch.ones_like(z), sig)
            second = torch.where(
                linear, torch.zeros_like(z), self.beta * sig * (1.0 - sig)
            )
            return value, first, second
        if self.name == "gelu":
            cdf = 0.5 * (1.0 + torch.erf(z * _SQRT_HALF))
            pdf = torch.exp(-0.5 * z * z) * _INV_SQRT_2PI
            return z * cdf, cdf + z * pdf, pdf * (2.0 - z * z)
        if self.name == "tanh":
            t = torch.tanh(z)
            first = 1.0 - t * t
            return t, first, -2.0 * t * first
        if self.name == "sigmoid":
            s = torch.sigmoid(z)
            first = s * (1.0 - s)
            return s, first, first * (1.0 - 2.0 * s)
        if self.name == "relu":
            positive = (z > 0).to(z.dtype)
            return z * positive, positive, torch.zeros_like(z)
        if self.name == "identity":
            return z, torch.ones_like(z), torch.zeros_like(z)
        raise ValueError(f"Unknown activation {self.name!r}.")


def activation_of_module(module):
    """The :class:`Activation` of a torch activation module, or None."""
    if isinstance(module, torch.nn.Softplus):
        return Activation("softplus", beta=module.beta, threshold=module.threshold)
    if isinstance(module, torch.nn.GELU) and module.approximate == "none":
        return Activation("gelu")
    if isinstance(module, torch.nn.Tanh):
        return Activation("tanh")
    if isinstance(module, torch.nn.Sigmoid):
        return Activation("sigmoid")
    if isinstance(module, torch.nn.ReLU):
        return Activation("relu")
    if isinstance(module, (torch.nn.Identity, torch.nn.Dropout)):
        return Activation("identity")  # dropout is the identity in eval mode
    return None


class FeedForwardFunction:
    """A feed-forward network as a scalar torch function with closed-form Hessians.

    Parameters
    ----------
    layers : list of (weight, bias, activation)
        ``weight`` of shape (n_in, n_out) and ``bias`` of shape (n_out,);
        ``activation`` is an :class:`Activation`, applied after the layer, for
        every layer but the last, whose ``n_out`` is 1 and which has none.
    """

    def __init__(self, layers):
        self.layers = layers

    @property
    def max_width(self):
        """Width of the widest hidden layer (it sizes the memory per row)."""
        return max((w.shape[1] for w, _, _ in self.layers[:-1]), default=1)

    def __call__(self, x):
        h = x
        for weight, bias, activation in self.layers[:-1]:
            h = activation(h @ weight + bias)[0]
        weight, bias, _ = self.layers[-1]
        return (h @ weight + bias)[:, 0]

    def with_input_affine(self, mult, add):
        """The same network applied to ``x * mult + add`` (e.g. a scaler)."""
        weight, bias, activation = self.layers[0]
        first = (mult[:, None] * weight, add @ weight + bias, activation)
        return FeedForwardFunction([first, *self.layers[1:]])

    def hessians(self, x, *, return_gradients=False):
        """Input Hessians at the rows of ``x``, shape (n, p, p).

        With ``return_gradients``, also the input gradients, shape (n, p),
        which the backward pass yields at no extra cost.
        """
        hidden = self.layers[:-1]
        n, p = x.shape
        hessian = torch.zeros(n, p, p, dtype=x.dtype, device=x.device)
        if not hidden:
            gradient = self.layers[-1][0][:, 0].expand(n, -1)
            return (hessian, gradient.clone()) if return_gradients else hessian
        # Forward pass: the derivatives of every hidden activation.
        firsts, seconds = [], []
        h = x
        for weight, bias, activation in hidden:
            h, first, second = activation(h @ weight + bias)
            firsts.append(first)
            seconds.append(second)
        # Backward pass: g = df/da_l gives the curvature weights g * s''(z_l).
        g = self.layers[-1][0][:, 0].expand(n, -1)
        curvature = [None] * len(hidden)
        for k in range(len(hidden) - 1, -1, -1):
            curvature[k] = g * seconds[k]
            g = (g * firsts[k]) @ hidden[k][0].T  # df/da_{k-1}; df/dx at k = 0
        # Forward-mode pass: J_l = dz_l/dx, stored as (n, p, width).
        jac = None
        for k, (weight, _, _) in enumerate(hidden):
            jac = weight.expand(n, -1, -1) if jac is None else jac @ weight
            hessian += (jac * curvature[k][:, None, :]) @ jac.transpose(1, 2)
            jac = jac * firsts[k][:, None, :]
        return (hessian, g) if return_gradients else hessian


def sequential_feed_forward(module, output_weights):
    """A :class:`FeedForwardFunction` for an ``nn.Sequential`` MLP, or None.

    ``module`` must be a ``Sequential`` of ``Linear`` layers, each followed by
    at most one supported activation (and any number of ``Dropout`` or
    ``Identity``), ending
    with a ``Linear`` layer. Its parameters must already have the dtype and
    device of the function. ``output_weights(n_outputs)`` gives the vector
    ``c`` of shape ``(n_outputs,)`` of the explained output ``out @ c`` (a
    column, or a linear combination such as a log-odds of logits).
    """
    if not isinstance(module, torch.nn.Sequential):
        return None
    layers = []
    for child in module:
        if isinstance(child, torch.nn.Linear):
            if layers and layers[-1][2] is None:  # two Linear in a row
                layers[-1][2] = Activation("identity")
            weight = child.weight.detach().T
            bias = (
                torch.zeros_like(weight[0]) if child.bias is None else child.bias
            ).detach()
            layers.append([weight, bias, None])
            continue
        if isinstance(child, (torch.nn.Dropout, torch.nn.Identity)):
            continue  # the identity in eval mode, wherever it sits
        activation = activation_of_module(child)
        # Unsupported, before any Linear layer, or two activations in a row.
        if activation is None or not layers or layers[-1][2] is not None:
            return None
        layers[-1][2] = activation
    if not layers or layers[-1][2] is not None:  # must end with a Linear layer
        return None
    weight, bias, _ = layers[-1]
    c = output_weights(weight.shape[1]).to(dtype=weight.dtype, device=weight.device)
    layers[-1] = [weight @ c[:, None], (bias @ c).reshape(1), None]
    return FeedForwardFunction([tuple(layer) for layer in layers])
