# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Torch pieces of Neural Interaction Transparency (Tsang et al., NeurIPS 2018).

* :class:`HardConcreteGate`: a matrix of hard-concrete gates (Louizos, Welling
  and Kingma, ICLR 2018), the differentiable surrogate of the L0 norm.
* :class:`NITModule`: ``B`` multi-layer blocks above a common, gated input
  layer. Block ``b`` sees feature ``j`` through gate ``G[b, j]``, which is
  shared by all first-layer units of the block (the tiling ``T(G)`` of the
  paper). The blocks' upper layers are block-diagonal: every layer of all
  blocks is one batched matrix product (:func:`torch.baddbmm`), never a Python
  loop over blocks. The output is the sum of the block outputs plus a bias, so
  the network is an additive model whose terms are the blocks.
* :func:`nit_regularizer`: the disentangling regularizer ``L_K`` of the paper's
  Eq. 5.
"""

import math

import torch
from torch import nn


class HardConcreteGate(nn.Module):
    """A ``(n_blocks, n_features)`` matrix of hard-concrete gates.

    The gate ``z`` is a stretched and clipped binary-concrete variable:
    ``s = sigmoid((log u - log(1 - u) + log_alpha) / beta)`` with
    ``u ~ U(0, 1)``, ``z = min(1, max(0, s (zeta - gamma) + gamma))``. At test
    time ``z = min(1, max(0, sigmoid(log_alpha) (zeta - gamma) + gamma))``.
    The probability that a gate is not zero (its expected L0 norm) is
    ``sigmoid(log_alpha - beta log(-gamma / zeta))``.

    Parameters
    ----------
    n_blocks, n_features : int
        Shape of the gate matrix.
    gamma, zeta : float, default=-0.1, 1.1
        Stretch interval of the concrete variable (``gamma < 0``, ``zeta > 1``).
    beta : float, default=2/3
        Temperature.
    init_open : float, default=0.5
        Initial ``sigmoid(log_alpha)`` (Louizos et al.'s ``1 - droprate_init``).
    """

    eps = 1e-6
    log_alpha_min = math.log(1e-2)
    log_alpha_max = math.log(1e2)

    def __init__(
        self, n_blocks, n_features, *, gamma=-0.1, zeta=1.1, beta=2 / 3, init_open=0.5
    ):
        super().__init__()
        self.gamma, self.zeta, self.beta = float(gamma), float(zeta), float(beta)
        init = math.log(init_open) - math.log(1.0 - init_open)
        log_alpha = init + 0.01 * torch.randn(n_blocks, n_features)
        self.log_alpha = nn.Parameter(log_alpha)

    def open_probability(self):
        """``P(z != 0)`` of every gate, shape ``(n_blocks, n_features)``."""
        shift = self.beta * math.log(-self.gamma / self.zeta)
        return torch.sigmoid(self.log_alpha - shift)

    def expected_order(self):
        """Expected number of open gates of each block (``k_hat``), ``(n_blocks,)``."""
        return self.open_probability().sum(dim=1)

    def deterministic(self):
        """Test-time gate values, shape ``(n_blocks, n_features)``."""
        s = torch.sigmoid(self.log_alpha) * (self.zeta - self.gamma) + self.gamma
        return s.clamp(0.0, 1.0)

    def sample(self, n_samples):
        """One gate matrix per sample, shape ``(n_blocks, n_samples, n_features)``."""
        shape = (self.log_alpha.shape[0], n_samples, self.log_alpha.shape[1])
        u = torch.rand(shape, dtype=self.log_alpha.dtype, device=self.log_alpha.device)
        u = u.clamp(self.eps, 1.0 - self.eps)
        logits = torch.log(u) - torch.log1p(-u) + self.log_alpha[:, None, :]
        s = torch.sigmoid(logits / self.beta) * (self.zeta - self.gamma) + self.gamma
        return s.clamp(0.0, 1.0)

    def active(self):
        """Boolean matrix of the gates that are open at test time."""
        return self.deterministic() > 0

    @torch.no_grad()
    def constrain(self):
        """Clip ``log_alpha`` to ``[log 1e-2, log 1e2]`` (after an optimizer step)."""
        self.log_alpha.clamp_(self.log_alpha_min, self.log_alpha_max)


def nit_regularizer(orders, max_order, alpha):
    """Disentangling regularizer ``L_K`` of Tsang et al. (2018), Eq. 5.

    ``L_K = max(max_i k_i - K, 0) + alpha * sum_i k_i / B_tilde``, where ``B_tilde``
    is the number of non-empty blocks.

    Parameters
    ----------
    orders : Tensor of shape (n_blocks,)
        Expected interaction order ``k_i`` of each block.
    max_order : int
        Largest allowed interaction order ``K``.
    alpha : float
        Strength ``lambda`` of the mean-order term.

    Returns
    -------
    penalty : Tensor (scalar)

    Notes
    -----
    Expected orders are never exactly zero, so a block counts as non-empty
    when its expected order is at least 0.5 (about one open gate); ``B_tilde``
    is at least 1 and carries no gradient.
    """
    excess = torch.relu(orders.max() - max_order)
    n_nonempty = max(int((orders.detach() >= 0.5).sum()), 1)
    return excess + alpha * orders.sum() / n_nonempty


class NITModule(nn.Module):
    """Gated input layer followed by ``n_blocks`` block-diagonal sub-networks.

    Parameters
    ----------
    n_features : int
        Number of input features.
    n_blocks : int
        Number of blocks ``B``.
    hidden_layer_sizes : tuple of int
        Units *per block* of each hidden layer (at least one layer).
    max_order : int
        ``K`` of the regularizer.
    alpha : float
        ``lambda`` of the regularizer.
    gamma, zeta, beta, init_open : float
        Hard-concrete constants, see :class:`HardConcreteGate`.
    activation : {"relu", "softplus"}, default="relu"
        Hidden activation.
    n_outputs : int, default=1
        Outputs of every block (and of the network): 1 for a regression or a
        binary classifier's logit, one logit per class otherwise.

    Attributes
    ----------
    gate : HardConcreteGate
    mask : Tensor or None
        Buffer of shape ``(n_blocks, n_features)``. When set (second training
        phase), it replaces the gates as a fixed binary mask and the
        regularizer is off.
    block_mask : Tensor or None
        Buffer of shape ``(n_blocks,)``: 0 for blocks that see no feature,
        whose constant output is dropped.
    """

    def __init__(
        self,
        n_features,
        n_blocks,
        hidden_layer_sizes,
        *,
        max_order=2,
        alpha=1e-2,
        gamma=-0.1,
        zeta=1.1,
        beta=2 / 3,
        init_open=0.5,
        activation="relu",
        n_outputs=1,
    ):
        super().__init__()
        self.n_features, self.n_blocks = int(n_features), int(n_blocks)
        self.n_outputs = int(n_outputs)
        self.max_order, self.alpha = float(max_order), float(alpha)
        sizes = [int(h) for h in hidden_layer_sizes]
        self.gate = HardConcreteGate(
            n_blocks, n_features, gamma=gamma, zeta=zeta, beta=beta, init_open=init_open
        )
        fan_in = [n_features, *sizes]
        fan_out = [*sizes, self.n_outputs]
        self.weights = nn.ParameterList()
        self.biases = nn.ParameterList()
        for n_in, n_out in zip(fan_in, fan_out, strict=True):
            bound = 1.0 / math.sqrt(n_in)
            w = torch.empty(n_blocks, n_in, n_out).uniform_(-bound, bound)
            b = torch.empty(n_blocks, 1, n_out).uniform_(-bound, bound)
            self.weights.append(nn.Parameter(w))
            self.biases.append(nn.Parameter(b))
        self.bias = nn.Parameter(torch.zeros(self.n_outputs))
        self.activation = nn.ReLU() if activation == "relu" else nn.Softplus()
        self.register_buffer("mask", None)
        self.register_buffer("block_mask", None)

    def set_mask(self, mask):
        """Fix the gates to the binary ``mask`` (``(n_blocks, n_features)``)."""
        mask = torch.as_tensor(mask, dtype=self.bias.dtype, device=self.bias.device)
        self.mask = mask
        self.block_mask = (mask.sum(dim=1) > 0).to(mask.dtype)

    def gates(self, n_samples):
        """Gate values used for a batch: ``(n_blocks, 1 or n_samples, n_features)``."""
        if self.mask is not None:
            return self.mask[:, None, :]
        if self.training:
            return self.gate.sample(n_samples)
        return self.gate.deterministic()[:, None, :]

    def block_outputs(self, x):
        """Output of every block, shape ``(n_samples, n_blocks)``.

        With several outputs, ``(n_samples, n_blocks, n_outputs)``.
        """
        squeeze = x.dim() == 1
        if squeeze:
            x = x[None, :]
        gates = self.gates(x.shape[0]).to(x.dtype)
        h = x[None, :, :] * gates  # (B, n, p)
        n_layers = len(self.weights)
        for layer, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = torch.baddbmm(b, h, w)  # one grouped matmul for all blocks
            if layer < n_layers - 1:
                h = self.activation(h)
        out = h.transpose(0, 1)  # (n, B, n_outputs)
        if self.block_mask is not None:
            out = out * self.block_mask.to(out.dtype)[:, None]
        if self.n_outputs == 1:
            out = out[..., 0]
        return out[0] if squeeze else out

    def forward(self, x):
        """Sum of the block outputs plus the bias, ``(n_samples, n_outputs)``."""
        blocks = self.block_outputs(x)
        if self.n_outputs == 1:
            return blocks.sum(dim=-1, keepdim=True) + self.bias
        return blocks.sum(dim=-2) + self.bias

    def penalty(self):
        """``L_K`` while disentangling; zero once the gates are fixed."""
        if self.mask is not None:
            return self.bias.new_zeros(())
        return nit_regularizer(self.gate.expected_order(), self.max_order, self.alpha)

    def active(self):
        """Binary matrix of the features each block uses (mask or test-time gates)."""
        if self.mask is not None:
            return self.mask > 0
        return self.gate.active()

    def reset_weights(self):
        """Re-draw the weights and biases of the blocks (not the gates)."""
        for w, b in zip(self.weights, self.biases, strict=True):
            bound = 1.0 / math.sqrt(w.shape[1])
            with torch.no_grad():
                w.uniform_(-bound, bound)
                b.uniform_(-bound, bound)
        with torch.no_grad():
            self.bias.zero_()
