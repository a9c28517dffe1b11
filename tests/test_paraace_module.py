# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Tests of the batched ParaACE student network."""

import itertools

import numpy as np
import pytest
import torch

from sklearn_interact.neural._paraace_module import ParaACEModule


def _module(p=4, pairs=((0, 1), (2, 3)), hidden=(6, 3), n_fixup=5, seed=0):
    torch.manual_seed(seed)
    terms = [(i,) for i in range(p)] + list(pairs)
    return ParaACEModule(p, terms, hidden_layer_sizes=hidden, n_fixup=n_fixup)


def test_forward_equals_decomposition():
    module = _module()
    x = torch.randn(7, 4)
    terms, fixup = module.decompose(x)
    assert terms.shape == (7, 6)
    assert fixup.shape == (7,)
    out = module(x)
    assert out.shape == (7, 1)
    torch.testing.assert_close(out[:, 0], terms.sum(1) + fixup + module.output.bias[0])


def test_blocks_match_separate_subnetworks():
    # The batched network computes, for each block, its own small MLP.
    module = _module(hidden=(5, 4))
    x = torch.randn(9, 4)
    z = module.block_outputs(x)
    for b, term in enumerate(module.terms):
        h = x[:, list(term)]
        for layer in range(3):
            weight = module.weights[layer][b]
            if layer == 0:
                weight = weight[: len(term)]
            h = h @ weight + module.biases[layer][b]
            if layer < 2:
                h = torch.relu(h)
        torch.testing.assert_close(z[:, b], h[:, 0])


def test_each_block_depends_only_on_its_features():
    module = _module()
    x = torch.randn(5, 4, requires_grad=True)
    z = module.block_outputs(x)
    for b, term in enumerate(module.terms):
        (grad,) = torch.autograd.grad(z[:, b].sum(), x, retain_graph=True)
        outside = [f for f in range(4) if f not in term]
        assert torch.all(grad[:, outside] == 0)


def test_padding_stays_zero_after_training():
    module = _module()
    optimizer = torch.optim.Adam(module.parameters(), lr=0.05)
    x, y = torch.randn(32, 4), torch.randn(32, 1)
    for _ in range(5):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(module(x), y).backward()
        optimizer.step()
    first = module.weights[0]
    # Main-effect blocks have one input; their padded row must stay 0.
    assert torch.all(first[:4, 1] == 0)
    assert torch.any(first[4:, 1] != 0)


def test_n_parameters_matches_the_paper():
    # Cal housing in the paper: p=8, K=20 pairs, 1-50-8-1 and 2-50-8-1
    # blocks, a fix-up layer of 15 units: 16388 parameters (Table 3).
    pairs = list(itertools.combinations(range(8), 2))[:20]
    terms = [(i,) for i in range(8)] + pairs
    module = ParaACEModule(8, terms, hidden_layer_sizes=(50, 8), n_fixup=15)
    assert module.n_parameters() == 16388
    # Every parameter tensor entry is counted once, except the masked padding.
    total = sum(p.numel() for p in module.parameters())
    padding = 8 * 50  # the second input row of the 8 main-effect blocks
    assert module.n_parameters() == total - padding


def test_without_fixup():
    module = _module(n_fixup=0)
    x = torch.randn(3, 4)
    terms, fixup = module.decompose(x)
    assert torch.all(fixup == 0)
    torch.testing.assert_close(module(x)[:, 0], terms.sum(1) + module.output.bias[0])
    assert not hasattr(module, "fixup_hidden")


@pytest.mark.parametrize("hidden", [(3,), (4, 3, 2)])
def test_other_depths(hidden):
    module = _module(hidden=hidden, pairs=((0, 1, 2),))
    assert len(module.weights) == len(hidden) + 1
    out = module(torch.randn(2, 4))
    assert out.shape == (2, 1)
    assert np.isfinite(out.detach().numpy()).all()
