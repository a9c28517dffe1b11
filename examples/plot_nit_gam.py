"""
==================================================================
A neural GAM with interactions: Neural Interaction Transparency
==================================================================

:class:`~sklearn_interact.neural.NITRegressor` (Tsang et al., NeurIPS 2018)
trains one network whose blocks are forced, by hard-concrete gates and a
regularizer on interaction order, to each model a single feature or a single
interaction of at most ``max_order`` features. The result reads like a
generalized additive model: a list of terms, each drawn as a curve (one
feature) or a heatmap (two features).

The target below has one interaction, ``x0 * x1``, two non-linear main
effects and one irrelevant feature.
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import matplotlib.pyplot as plt
import numpy as np
import torch

from sklearn_interact.inspection import AdditiveTermsDisplay, interaction_table
from sklearn_interact.neural import NITRegressor

torch.set_num_threads(1)

rng = np.random.RandomState(0)
X = rng.uniform(-1, 1, size=(2000, 4))
y = 2 * X[:, 0] * X[:, 1] + np.sin(3 * X[:, 2]) + X[:, 0] ** 2
y += 0.05 * rng.normal(size=len(y))

# %%
# Fit with at most pairwise blocks. A small network and few epochs keep the
# example fast; the defaults are larger.
nit = NITRegressor(
    n_blocks=8,
    max_order=2,
    hidden_layer_sizes=(10, 10),
    max_epochs=60,
    max_disentangle_epochs=80,
    random_state=0,
).fit(X, y)
print("active blocks:", nit.blocks_)
print("additive terms:", nit.terms_)
print(f"R^2 on the training data: {nit.score(X, y):.3f}")

# %%
# The pairs are read from the blocks: a pair is an interaction when a block
# contains it, weighted by the variance of that block's pure interaction part.
print(interaction_table(nit, top_k=2))

# %%
# The two phases of training: disentangling (with the regularizer, whose cap
# on the block order is annealed down to ``max_order``) and refitting the
# masked network.
history = nit.history_
fig, ax = plt.subplots(figsize=(5, 3))
for phase, color in (("disentangle", "tab:orange"), ("refit", "tab:blue")):
    rows = [(k, h["train_loss"]) for k, h in enumerate(history) if h["phase"] == phase]
    ax.plot(*zip(*rows, strict=True), color=color, label=phase)
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
ax.legend()

# %%
# Draw every term: curves for single features, heatmaps for pairs.
display = AdditiveTermsDisplay.from_estimator(nit, X, grid_resolution=40)
plt.show()
