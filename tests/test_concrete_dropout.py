# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Tests of the concrete-dropout torch modules."""

import numpy as np
import pytest
import torch

from sklearn_interact.neural._concrete_dropout import (
    ConcreteDropout,
    ConcreteDropoutMLP,
)


def test_regularizer_equals_formula():
    torch.manual_seed(0)
    drop = ConcreteDropout(3)
    with torch.no_grad():
        drop.p_logit.copy_(torch.tensor([-2.0, 0.0, 1.5]))
    linear = torch.nn.Linear(3, 2)
    wr, dr = 0.3, 0.7
    value = drop.regularizer(linear, wr, dr).item()

    p = 1.0 / (1.0 + np.exp(-np.array([-2.0, 0.0, 1.5])))
    W = linear.weight.detach().numpy().astype(np.float64)  # (out, in)
    b = linear.bias.detach().numpy().astype(np.float64)
    weight = sum((W[:, j] ** 2).sum() / (1 - p[j]) for j in range(3)) + (b**2).sum()
    neg_entropy = np.sum(p * np.log(p) + (1 - p) * np.log(1 - p))
    assert value == pytest.approx(wr * weight + dr * neg_entropy, rel=1e-5)


def test_module_regularizer_sums_layers_and_penalty_anneals():
    module = ConcreteDropoutMLP(
        3, (4, 5), weight_reg=0.1, dropout_reg=0.2, anneal_steps=10
    )
    expected = sum(
        d.regularizer(lin, 0.1, 0.2) for d, lin in zip(module.dropouts, module.linears)
    )
    assert module.regularizer().item() == pytest.approx(expected.item())
    # KL annealing: factor min(1, 0.01 + step / anneal_steps), step advances.
    first = module.penalty().item()
    assert first == pytest.approx(0.01 * expected.item(), rel=1e-5)
    second = module.penalty().item()
    assert second == pytest.approx(0.11 * expected.item(), rel=1e-5)
    module.step.fill_(1000)
    assert module.penalty().item() == pytest.approx(expected.item(), rel=1e-5)


def test_eval_mode_is_identity_and_train_mode_is_random():
    drop = ConcreteDropout(4)
    x = torch.randn(6, 4)
    drop.eval()
    assert torch.equal(drop(x), x)
    drop.train()
    torch.manual_seed(0)
    assert not torch.allclose(drop(x), x)


def test_fixed_noise_is_shared_by_all_rows():
    drop = ConcreteDropout(5, init_p=0.3).eval()
    x = torch.ones(7, 5)
    noise = torch.rand(5)
    out = drop(x, noise)
    # One mask for every row.
    assert torch.allclose(out, out[:1].expand_as(out))
    assert torch.allclose(out[0], drop.keep(noise))


def test_keep_mask_is_relaxed_bernoulli_with_unit_mean():
    drop = ConcreteDropout(2, init_p=0.2)
    noise = torch.rand(200_000, 2, generator=torch.Generator().manual_seed(0))
    keep = drop.keep(noise).detach()
    # Nearly binary at temperature 0.1: 0 (dropped) or 1 / (1 - p) (kept).
    scaled = keep * 0.8
    near_binary = ((scaled < 0.05) | (scaled > 0.95)).float().mean().item()
    assert near_binary > 0.9
    assert (scaled < 0.5).float().mean().item() == pytest.approx(0.2, abs=0.01)
    assert keep.mean().item() == pytest.approx(1.0, abs=0.02)


def test_mlp_output_is_interaction_plus_main_effect():
    torch.manual_seed(0)
    module = ConcreteDropoutMLP(3, (6,), activation="tanh").eval()
    x = torch.randn(5, 3)
    out = module(x)
    assert out.shape == (5, 1)
    assert torch.allclose(out, module.interaction(x) + module.main(x))
    assert ConcreteDropoutMLP(3, (6,), main_effect=False).main is None
    # The tail from hidden layer 0 reproduces the interaction part.
    h = module.hidden(x, 0)
    assert torch.allclose(module.interaction(h, start=1), module.interaction(x))
    assert module.widths == [3, 6]


def test_logit_scale_keeps_init_p_and_speeds_up_the_logits():
    slow = ConcreteDropout(3, init_p=0.2)
    fast = ConcreteDropout(3, init_p=0.2, logit_scale=10.0)
    np.testing.assert_allclose(fast.p.detach().numpy(), 0.2, rtol=1e-6)
    # d p / d p_logit is logit_scale times larger.
    slow.p.sum().backward()
    fast.p.sum().backward()
    np.testing.assert_allclose(
        fast.p_logit.grad.numpy(), 10.0 * slow.p_logit.grad.numpy(), rtol=1e-5
    )
