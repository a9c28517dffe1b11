"""
=======================================================
Credible intervals for interactions with a Bayesian MLP
=======================================================

:class:`~sklearn_interact.neural.BayesianMLPRegressor` is a concrete-dropout
Bayesian neural network with a separate main-effect part. After fitting it
computes the M-group expected Hessian (M-GEH) of Cui et al. (2020) for every
posterior draw, which gives each pairwise interaction a posterior mean, a
credible interval and a p-value; Benjamini-Hochberg turns the p-values into
decisions with a controlled false discovery rate.

Here the target has two interactions, ``x0 * x1`` and ``exp(x2 + x3) / 2``,
plus non-linear main effects and an irrelevant feature ``x5``.
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import matplotlib.pyplot as plt
import numpy as np
import torch

from sklearn_interact.inspection import interaction_table
from sklearn_interact.neural import BayesianMLPRegressor

torch.set_num_threads(1)

rng = np.random.RandomState(0)
X = rng.uniform(-1.5, 1.5, size=(1000, 6))
y = (
    X[:, 0] * X[:, 1]
    + np.exp(X[:, 2] + X[:, 3]) / 2
    + X[:, 0] ** 2
    + np.exp(X[:, 4] / 2)
    + 0.2 * rng.normal(size=len(X))
)

# %%
# Fit a small network (the defaults, three layers of 100 units, suit larger
# data sets). ``n_clusters="auto"`` picks the number M of k-means clusters of
# the rows from the rank-weighted distance curve.
est = BayesianMLPRegressor(
    hidden_layer_sizes=(64, 64),
    lr=3e-3,
    max_epochs=100,
    n_draws=100,
    max_samples=400,
    random_state=0,
).fit(X, y)
print(f"R^2 = {est.score(X, y):.3f}, M = {est.n_clusters_}")
table = interaction_table(est, top_k=6)
table["significant (BH)"] = est.interaction_significant_[table["i"], table["j"]]
print(table.round(3).to_string(index=False))

# %%
# Posterior means with 95% credible intervals, the rank-weighted distance
# curve used to choose M, and the learned input dropout probabilities (low
# dropout: the feature matters for the interaction network).
fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
names = [f"x{i}-x{j}" for i, j in zip(table["i"], table["j"])]
lower = table["strength"] - table["ci_lower"]
upper = table["ci_upper"] - table["strength"]
axes[0].errorbar(range(len(names)), table["strength"], yerr=[lower, upper], fmt="o")
axes[0].axhline(0, color="grey", lw=0.8)
axes[0].set_xticks(range(len(names)), names, rotation=45)
axes[0].set_title("M-GEH, posterior mean and 95% interval")
curve = est.n_clusters_curve_
axes[1].plot(curve.n_clusters, curve.distances, marker=".")
axes[1].axvline(est.n_clusters_, color="C1", ls="--")
axes[1].set_xlabel("M")
axes[1].set_title(r"rank-weighted distance $\Delta^2_M$")
axes[2].bar(range(X.shape[1]), est.dropout_rates_[0])
axes[2].set_xticks(range(X.shape[1]), [f"x{i}" for i in range(X.shape[1])])
axes[2].set_title("learned input dropout probability")
fig.tight_layout()
plt.show()
