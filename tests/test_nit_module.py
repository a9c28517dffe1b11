# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
import math

import numpy as np
import pytest
import torch

from sklearn_interact.neural._nit_module import (
    HardConcreteGate,
    NITModule,
    nit_regularizer,
)

GAMMA, ZETA, BETA = -0.1, 1.1, 2 / 3


def _gate(log_alpha):
    gate = HardConcreteGate(*np.shape(log_alpha))
    with torch.no_grad():
        gate.log_alpha.copy_(torch.as_tensor(log_alpha, dtype=torch.float32))
    return gate


def test_gate_expected_l0_matches_formula_and_sampling():
    log_alpha = np.array([[-3.0, -1.0, 0.0, 0.5, 2.0]])
    gate = _gate(log_alpha)
    expected = 1.0 / (1.0 + np.exp(-(log_alpha - BETA * np.log(-GAMMA / ZETA))))
    prob = gate.open_probability().detach().numpy()
    np.testing.assert_allclose(prob, expected, rtol=1e-6)
    np.testing.assert_allclose(
        gate.expected_order().detach().numpy(), expected.sum(axis=1), rtol=1e-6
    )
    # Monte Carlo: the fraction of non-zero samples is P(z != 0).
    torch.manual_seed(0)
    z = gate.sample(20000).detach().numpy()  # (1, n, p)
    np.testing.assert_allclose((z > 0).mean(axis=1), expected, atol=0.015)


def test_gate_samples_are_hard_and_test_value_matches_formula():
    log_alpha = np.array([[-2.0, 0.0, 1.0], [3.0, -4.0, 0.3]])
    gate = _gate(log_alpha)
    torch.manual_seed(0)
    z = gate.sample(5000).detach().numpy()
    assert z.min() == 0.0 and z.max() == 1.0  # exact zeros and ones occur
    assert ((z > 0) & (z < 1)).any()
    sig = 1.0 / (1.0 + np.exp(-log_alpha))
    expected = np.clip(sig * (ZETA - GAMMA) + GAMMA, 0.0, 1.0)
    np.testing.assert_allclose(
        gate.deterministic().detach().numpy(), expected, rtol=1e-6
    )
    # open at test time exactly when sigmoid(log_alpha) > -gamma / (zeta - gamma)
    np.testing.assert_array_equal(gate.active().numpy(), sig > -GAMMA / (ZETA - GAMMA))


def test_gate_initialisation_and_constrain():
    torch.manual_seed(0)
    gate = HardConcreteGate(4, 6, init_open=0.5)
    assert gate.log_alpha.abs().max() < 0.1  # log(0.5 / 0.5) plus N(0, 0.01)
    with torch.no_grad():
        gate.log_alpha.fill_(10.0)
        gate.log_alpha[0, 0] = -10.0
    gate.constrain()
    assert gate.log_alpha.max().item() == pytest.approx(math.log(100.0))
    assert gate.log_alpha.min().item() == pytest.approx(math.log(0.01))


def test_regularizer_zero_when_orders_within_k_and_lambda_zero():
    orders = torch.tensor([2.0, 1.0, 0.0, 1.7])
    assert nit_regularizer(orders, 2, 0.0).item() == 0.0
    assert nit_regularizer(orders, 3, 0.0).item() == 0.0


def test_regularizer_matches_eq5():
    orders = torch.tensor([3.5, 1.0, 0.1, 2.0], requires_grad=True)
    # non-empty blocks: orders >= 0.5 -> 3 of them
    value = nit_regularizer(orders, 2, 0.3)
    expected = (3.5 - 2) + 0.3 * (3.5 + 1.0 + 0.1 + 2.0) / 3
    assert value.item() == pytest.approx(expected, rel=1e-6)
    value.backward()
    # the max term only acts on the block of largest order
    grad = orders.grad.numpy()
    np.testing.assert_allclose(grad, [1 + 0.1, 0.1, 0.1, 0.1], rtol=1e-6)


def _reference_blocks(module, x, gates):
    """Loop over blocks with plain matrix products (the test oracle)."""
    outs = []
    for b in range(module.n_blocks):
        h = x * gates[b]
        for layer, (w, bias) in enumerate(
            zip(module.weights, module.biases, strict=True)
        ):
            h = h @ w[b] + bias[b, 0]
            if layer < len(module.weights) - 1:
                h = torch.relu(h)
        outs.append(h[:, 0])
    return torch.stack(outs, dim=1)


def test_batched_blocks_equal_a_loop_over_blocks():
    torch.manual_seed(0)
    module = NITModule(5, 4, (6, 3)).eval()
    x = torch.randn(7, 5)
    gates = module.gate.deterministic()
    np.testing.assert_allclose(
        module.block_outputs(x).detach().numpy(),
        _reference_blocks(module, x, gates).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )
    out = module(x)
    assert out.shape == (7, 1)
    np.testing.assert_allclose(
        out[:, 0].detach().numpy(),
        (module.block_outputs(x).sum(1) + module.bias).detach().numpy(),
        rtol=1e-6,
    )
    # one row (as used by vmap in the engine)
    assert module(x[0]).shape == (1,)


def test_mask_makes_blocks_depend_only_on_their_features():
    torch.manual_seed(0)
    module = NITModule(4, 3, (5,))
    mask = np.array([[1, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]], dtype=float)
    module.set_mask(mask)
    module.train()  # a fixed mask is used in training too: no gate noise
    assert module.penalty().item() == 0.0
    x = torch.randn(6, 4, requires_grad=True)
    blocks = module.block_outputs(x)
    assert torch.all(blocks[:, 2] == 0)  # the empty block is dropped
    for b in range(2):
        (grad,) = torch.autograd.grad(blocks[:, b].sum(), x, retain_graph=True)
        outside = mask[b] == 0
        assert torch.all(grad[:, torch.as_tensor(outside)] == 0)
    np.testing.assert_array_equal(module.active().numpy(), mask > 0)


def test_penalty_trains_gates_and_reset_keeps_gates():
    torch.manual_seed(0)
    module = NITModule(3, 2, (4,), max_order=1, alpha=0.0)
    penalty = module.penalty()
    order = module.gate.expected_order().max().item()
    assert penalty.item() == pytest.approx(order - 1, rel=1e-5)
    penalty.backward()
    assert module.gate.log_alpha.grad.abs().sum() > 0
    before = module.gate.log_alpha.detach().clone()
    weights = module.weights[0].detach().clone()
    module.reset_weights()
    assert torch.equal(module.gate.log_alpha, before)
    assert not torch.equal(module.weights[0], weights)
