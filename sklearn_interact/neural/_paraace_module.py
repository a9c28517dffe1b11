# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""The ParaACE student as one batched torch network.

Every additive term (a feature, a pair, or a higher-order tuple) has its own
small ReLU subnetwork ``d -> h_1 -> ... -> 1`` (Zhang et al. 2022: 1-50-8-1
per feature, 2-50-8-1 per pair). Rather than a Python loop over blocks, the
``B`` subnetworks are stacked: layer ``l`` holds a weight tensor of shape
``(B, in_l, out_l)`` and all blocks are evaluated by one batched matrix
product per layer (``torch.baddbmm`` over the block axis). Terms of lower order than the
largest are padded with a repeated index whose input is masked to zero, so
every block sees only its own features.

The block outputs ``z`` (one per term) go through the fix-up layer, a
single-layer residual block ``R(z) = ReLU(W_2 ReLU(W_1 z + b_1) + b_2)`` with
``W_1`` of ``n_fixup`` rows, and the output is ``w^T (z + R(z)) + b``. Hence
the prediction splits exactly into term contributions ``w_b z_b``, the
fix-up share ``w^T R(z)`` and the bias ``b``. A classifier with several
classes has one output weight vector ``w`` (and bias) per class, on the same
blocks.
"""

import math

import torch
from torch import nn

#: Scale of the fix-up layer's last weights at initialization.
FIXUP_INIT_SCALE = 0.1


def student_n_parameters(terms, hidden_layer_sizes, n_fixup, n_outputs=1):
    """Parameters in use by a student with these terms and widths.

    Each block ``d -> h_1 -> ... -> 1`` of a term of ``d`` features has its
    weights and biases (the masked padding of the first layer excluded); the
    fix-up layer has ``2 B n_fixup + n_fixup + B`` and the output layer
    ``(B + 1) n_outputs``, for ``B`` blocks.
    """
    sizes = [*hidden_layer_sizes, 1]
    total = 0
    for term in terms:
        n_in = len(term)
        for n_out in sizes:
            total += n_in * n_out + n_out
            n_in = n_out
    n_blocks = len(terms)
    if n_fixup > 0:
        total += n_blocks * n_fixup + n_fixup
        total += n_fixup * n_blocks + n_blocks
    return total + (n_blocks + 1) * n_outputs


class ParaACEModule(nn.Module):
    """Stacked per-term ReLU subnetworks plus a residual fix-up layer.

    Parameters
    ----------
    n_features : int
        Number of input features.
    terms : list of tuple of int
        Feature indices of each block (sorted, distinct).
    hidden_layer_sizes : tuple of int, default=(50, 8)
        Hidden widths of every block subnetwork.
    n_fixup : int, default=15
        Hidden units of the fix-up layer; 0 removes it.
    n_outputs : int, default=1
        Outputs of the network (one logit per class for a multiclass
        classifier).
    """

    def __init__(
        self, n_features, terms, hidden_layer_sizes=(50, 8), n_fixup=15, n_outputs=1
    ):
        super().__init__()
        self.n_outputs = int(n_outputs)
        self.n_features = int(n_features)
        self.terms = [tuple(int(i) for i in t) for t in terms]
        self.hidden_layer_sizes = tuple(int(h) for h in hidden_layer_sizes)
        self.n_fixup = int(n_fixup)
        n_blocks = len(self.terms)
        width = max(len(t) for t in self.terms)
        index = torch.zeros(n_blocks, width, dtype=torch.long)
        mask = torch.zeros(n_blocks, width)
        for b, term in enumerate(self.terms):
            index[b, : len(term)] = torch.tensor(term)
            index[b, len(term) :] = term[0]
            mask[b, : len(term)] = 1.0
        self.register_buffer("index", index)
        self.register_buffer("mask", mask)

        sizes = [width, *self.hidden_layer_sizes, 1]
        fan_in = mask.sum(dim=1)  # per-block input size of the first layer
        self.weights = nn.ParameterList()
        self.biases = nn.ParameterList()
        for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            fan = fan_in if layer == 0 else torch.full((n_blocks,), float(n_in))
            # He (Kaiming) normal weights, as in the paper; biases uniform in
            # +-1/sqrt(fan_in) so the ReLU kinks of one-dimensional blocks are
            # spread over the input range instead of all sitting at 0.
            std = torch.sqrt(2.0 / fan).reshape(-1, 1, 1)
            weight = torch.randn(n_blocks, n_in, n_out) * std
            if layer == 0:
                weight = weight * mask[:, :, None]
            bound = (1.0 / torch.sqrt(fan)).reshape(-1, 1)
            bias = (torch.rand(n_blocks, n_out) * 2.0 - 1.0) * bound
            self.weights.append(nn.Parameter(weight))
            self.biases.append(nn.Parameter(bias))
        if self.n_fixup > 0:
            self.fixup_hidden = nn.Linear(n_blocks, self.n_fixup)
            self.fixup_out = nn.Linear(self.n_fixup, n_blocks)
            for layer in (self.fixup_hidden, self.fixup_out):
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            # The residual branch starts small (in the spirit of "Fixup"
            # initialization), so the additive blocks explain what they can
            # and the fix-up layer only corrects what they miss.
            with torch.no_grad():
                self.fixup_out.weight.mul_(FIXUP_INIT_SCALE)
                self.fixup_out.bias.zero_()
        # Gates of the terms and of the fix-up layer (buffers, not trained):
        # training starts with the main effects alone (see ``set_stage``).
        self.register_buffer("term_gate", torch.ones(n_blocks))
        self.register_buffer("fixup_gate", torch.ones(()))
        self.output = nn.Linear(n_blocks, self.n_outputs)
        bound = 1.0 / math.sqrt(n_blocks)
        nn.init.uniform_(self.output.weight, -bound, bound)

    def block_outputs(self, x):
        """Outputs ``z`` of every block subnetwork, shape ``(n, B)``."""
        # Block-major layout (B, n, width): one batched matmul per layer.
        h = x.t()[self.index] * self.mask[:, :, None]  # (B, width, n)
        h = h.transpose(1, 2)
        last = len(self.weights) - 1
        for layer, (weight, bias) in enumerate(zip(self.weights, self.biases)):
            h = torch.baddbmm(bias[:, None, :], h, weight)
            if layer < last:
                h = torch.relu(h)
        return h[..., 0].t() * self.term_gate

    def set_stage(self, stage):
        """Switch between the two training stages.

        ``"main"``: only the one-feature blocks are active (the others and
        the fix-up layer output 0). ``"all"``: every block and the fix-up
        layer; the output weights of the blocks that were off are reset to 0
        so that they start from the main-effect model and learn only what it
        misses.
        """
        main = torch.tensor([len(t) == 1 for t in self.terms], device=self.index.device)
        with torch.no_grad():
            if stage == "main":
                self.term_gate.copy_(main.to(self.term_gate.dtype))
                self.fixup_gate.fill_(0.0)
            else:
                self.output.weight[:, ~main] = 0.0
                self.term_gate.fill_(1.0)
                self.fixup_gate.fill_(1.0)

    def fixup(self, z):
        """Residual ``R(z)`` of the fix-up layer (zeros when there is none)."""
        if self.n_fixup == 0:
            return torch.zeros_like(z)
        r = torch.relu(self.fixup_out(torch.relu(self.fixup_hidden(z))))
        return r * self.fixup_gate

    def decompose(self, x):
        """``(terms, fixup)``: ``w_b z_b`` of shape ``(n, B)`` and ``w^T R(z)``.

        ``forward(x) = terms.sum(1) + fixup + output.bias``. With several
        outputs, ``terms`` is ``(n, B, n_outputs)`` and ``fixup``
        ``(n, n_outputs)``.
        """
        z = self.block_outputs(x)
        if self.n_outputs == 1:
            w = self.output.weight[0]
            return z * w, self.fixup(z) @ w
        w = self.output.weight.t()  # (B, n_outputs)
        return z[:, :, None] * w, self.fixup(z) @ w

    def forward(self, x):
        z = self.block_outputs(x)
        return self.output(z + self.fixup(z))

    def n_parameters(self):
        """Parameters in use (the masked padding of the first layer excluded)."""
        return student_n_parameters(
            self.terms, self.hidden_layer_sizes, self.n_fixup, self.n_outputs
        )
