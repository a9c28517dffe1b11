# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Torch modules of the concrete-dropout Bayesian MLP (Cui et al., Sec. 3.1).

* :class:`ConcreteDropout` -- concrete (relaxed Bernoulli) dropout with one
  learned dropout probability per input node, optionally driven by a fixed
  noise vector so that one posterior draw applies to every row.
* :class:`ConcreteDropoutMLP` -- an MLP with concrete dropout on the input of
  every linear layer (the interaction part ``g_W``), plus a separate linear
  main-effect part ``beta^T x`` trained jointly; ``penalty()`` returns the
  (annealed) weight and dropout regularizers of the variational objective.
"""

import math

import torch
from torch import nn

_ACTIVATIONS = {
    "softplus": lambda: nn.Softplus(beta=10.0),
    "tanh": nn.Tanh,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
}


class ConcreteDropout(nn.Module):
    """Concrete dropout with one learned dropout probability per node.

    With ``p = sigmoid(p_logit)``, temperature ``t`` and ``u ~ U(0, 1)``
    (per row and node, or a given noise shared by all rows), the relaxed drop
    indicator is

    ``z = sigmoid((log(p + eps) - log(1 - p + eps) + log(u + eps) -
    log(1 - u + eps)) / t)``

    and the layer returns ``x * (1 - z) / (1 - p)``.

    Parameters
    ----------
    n_features : int
        Number of input nodes, one dropout probability each.
    temperature : float, default=0.1
        Temperature of the concrete relaxation.
    init_p : float, default=0.1
        Initial dropout probability of every node.
    eps : float, default=1e-7
        Guard inside the logarithms.
    logit_scale : float, default=1.0
        ``p = sigmoid(logit_scale * p_logit)``: a scale above 1 lets Adam,
        whose steps are about ``lr`` per parameter, move the dropout
        probabilities ``logit_scale`` times faster than the weights.
    """

    def __init__(
        self, n_features, *, temperature=0.1, init_p=0.1, eps=1e-7, logit_scale=1.0
    ):
        super().__init__()
        self.temperature = temperature
        self.eps = eps
        self.logit_scale = logit_scale
        logit = (math.log(init_p) - math.log(1.0 - init_p)) / logit_scale
        self.p_logit = nn.Parameter(torch.full((n_features,), logit))

    @property
    def p(self):
        """Dropout probabilities, shape ``(n_features,)``."""
        return torch.sigmoid(self.logit_scale * self.p_logit)

    def keep(self, noise):
        """Relaxed keep mask ``(1 - z) / (1 - p)`` for uniform ``noise``."""
        p, eps = self.p, self.eps
        logits = (
            torch.log(p + eps)
            - torch.log(1.0 - p + eps)
            + torch.log(noise + eps)
            - torch.log(1.0 - noise + eps)
        )
        drop = torch.sigmoid(logits / self.temperature)
        return (1.0 - drop) / (1.0 - p)

    def forward(self, x, noise=None):
        """Apply dropout.

        In eval mode without ``noise`` this is the identity (the mean
        network). ``noise`` of shape ``(n_features,)`` fixes one mask for all
        rows; of shape ``(n_samples, n_features)`` one per row.
        """
        if noise is None:
            if not self.training:
                return x
            noise = torch.rand_like(x)
        return x * self.keep(noise.to(dtype=x.dtype))

    def regularizer(self, linear, weight_reg, dropout_reg):
        """Weight and dropout terms of the layer feeding ``linear``.

        ``weight_reg * [sum_j sum_k W_kj^2 / (1 - p_j) + sum b^2] +
        dropout_reg * sum_j [p_j log p_j + (1 - p_j) log(1 - p_j)]``; the bias
        is not divided by ``1 - p``.
        """
        p = self.p
        weight = torch.sum(linear.weight.pow(2).sum(dim=0) / (1.0 - p))
        if linear.bias is not None:
            weight = weight + linear.bias.pow(2).sum()
        neg_entropy = torch.sum(p * torch.log(p) + (1.0 - p) * torch.log(1.0 - p))
        return weight_reg * weight + dropout_reg * neg_entropy


class AdditiveMainEffects(nn.Module):
    """Linear term plus one small univariate network per feature.

    ``m(x) = beta^T x + b + sum_j v_j^T act(w_j x_j + c_j)``: each feature's
    non-linear main effect has its own hidden units, so the part has no
    cross-derivatives at all. Vectorized over features.

    Parameters
    ----------
    n_features : int
        Number of inputs.
    n_hidden : int, default=16
        Hidden units per feature.
    activation : nn.Module
        Smooth activation.
    n_outputs : int, default=1
        Outputs (one logit per class of a multiclass classifier); the hidden
        units of a feature are shared by the outputs.
    """

    def __init__(self, n_features, n_hidden=16, *, activation=None, n_outputs=1):
        super().__init__()
        self.linear = nn.Linear(n_features, n_outputs)
        bound = 1.0 / math.sqrt(n_hidden)
        self.w = nn.Parameter(torch.empty(n_features, n_hidden).uniform_(-1.0, 1.0))
        self.c = nn.Parameter(torch.empty(n_features, n_hidden).uniform_(-1.0, 1.0))
        self.v = nn.Parameter(
            torch.empty(n_features, n_hidden, n_outputs).uniform_(-bound, bound)
        )
        self.activation = nn.Softplus(beta=10.0) if activation is None else activation

    def forward(self, x):
        hidden = self.activation(x.unsqueeze(-1) * self.w + self.c)
        return self.linear(x) + (hidden.unsqueeze(-1) * self.v).sum(dim=(-3, -2))


class ConcreteDropoutMLP(nn.Module):
    """MLP with per-node concrete dropout plus a linear main-effect part.

    ``f(x) = g_W(x) + beta^T x + b``, where ``g_W`` applies concrete dropout to
    the input of each of its linear layers. Works on standardized inputs and
    returns shape ``(n_samples, n_outputs)``.

    Parameters
    ----------
    n_features : int
        Number of inputs.
    hidden_layer_sizes : tuple of int, default=(100, 100, 100)
        Widths of the hidden layers of ``g_W``.
    activation : {"softplus", "tanh", "gelu", "silu"}, default="softplus"
        Smooth activation (softplus with ``beta=10``).
    main_effect : {"linear", "additive"} or None, default="linear"
        Main-effect part added to ``g_W``: linear ``beta^T x + b`` (the
        paper's), linear plus one small univariate network per feature
        (non-linear main effects, still without cross-derivatives), or none.
    temperature : float, default=0.1
        Temperature of the concrete relaxation.
    init_p : float, default=0.1
        Initial dropout probability.
    weight_reg : float, default=0.0
        ``l^2 / N`` (prior length-scale ``l``, ``N`` training rows).
    dropout_reg : float, default=0.0
        Coefficient of the dropout (negative entropy) term, e.g. ``2 / N``.
    anneal_steps : int, default=0
        KL annealing: the penalty is multiplied by
        ``min(1, 0.01 + step / anneal_steps)`` (1 when 0).
    logit_scale : float, default=1.0
        Speed-up of the dropout logits (see :class:`ConcreteDropout`).
    n_outputs : int, default=1
        Outputs of the network and of the main-effect part (one logit per
        class of a multiclass classifier).
    """

    def __init__(
        self,
        n_features,
        hidden_layer_sizes=(100, 100, 100),
        *,
        activation="softplus",
        main_effect="linear",
        temperature=0.1,
        init_p=0.1,
        weight_reg=0.0,
        dropout_reg=0.0,
        anneal_steps=0,
        logit_scale=1.0,
        n_outputs=1,
    ):
        super().__init__()
        sizes = [n_features, *hidden_layer_sizes, n_outputs]
        self.dropouts = nn.ModuleList(
            ConcreteDropout(
                w, temperature=temperature, init_p=init_p, logit_scale=logit_scale
            )
            for w in sizes[:-1]
        )
        self.linears = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])
        )
        self.activation = _ACTIVATIONS[activation]()
        if main_effect == "additive":
            self.main = AdditiveMainEffects(
                n_features, activation=self.activation, n_outputs=n_outputs
            )
        elif main_effect in ("linear", True):
            self.main = nn.Linear(n_features, n_outputs)
        else:
            self.main = None
        self.weight_reg = weight_reg
        self.dropout_reg = dropout_reg
        self.anneal_steps = anneal_steps
        self.register_buffer("step", torch.zeros((), dtype=torch.long))

    @property
    def widths(self):
        """Input widths of the dropout layers."""
        return [d.p_logit.shape[0] for d in self.dropouts]

    def interaction(self, x, noises=None, *, start=0):
        """The interaction part ``g_W``, shape ``(n_samples, n_outputs)``.

        ``noises`` is a list of uniform noise tensors, one per dropout layer
        (from layer ``start`` on), each of shape ``(width,)`` or
        ``(n_samples, width)``; ``None`` uses the module's mode. ``start > 0``
        runs only the tail of the network on the activations of hidden layer
        ``start - 1``.
        """
        n_layers = len(self.linears)
        for pos, layer in enumerate(range(start, n_layers)):
            noise = None if noises is None else noises[pos]
            x = self.linears[layer](self.dropouts[layer](x, noise))
            if layer < n_layers - 1:
                x = self.activation(x)
        return x

    def hidden(self, x, layer, noises=None):
        """Activations of hidden layer ``layer`` (0-based), before dropout."""
        for pos in range(layer + 1):
            noise = None if noises is None else noises[pos]
            x = self.activation(self.linears[pos](self.dropouts[pos](x, noise)))
        return x

    def forward(self, x, noises=None):
        out = self.interaction(x, noises)
        if self.main is not None:
            out = out + self.main(x)
        return out

    def regularizer(self):
        """Sum of the layers' weight and dropout terms (not annealed)."""
        return sum(
            d.regularizer(lin, self.weight_reg, self.dropout_reg)
            for d, lin in zip(self.dropouts, self.linears)
        )

    def penalty(self):
        """Annealed regularizer added to the training loss; advances a step."""
        factor = 1.0
        if self.anneal_steps > 0:
            factor = min(1.0, 0.01 + float(self.step) / self.anneal_steps)
        self.step += 1
        return factor * self.regularizer()
