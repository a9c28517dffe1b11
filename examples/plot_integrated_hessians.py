"""
=====================================================
Explain single predictions with Integrated Hessians
=====================================================

Integrated Hessians (Janizek et al., 2021) split one prediction,
``f(x) - f(baseline)``, into main effects (the diagonal) and pairwise
interactions (off the diagonal) that add up exactly to it. Expected Hessians
average them over baselines drawn from background data.

A scikit-learn MLP with ReLU units is fitted to a target with an
interaction whose *sign* depends on the data, ``x0 * x1``, plus a main effect
of ``x2``. At explanation time ReLU is replaced by ``softplus(beta=10)``, so
the network has second derivatives. We show

1. the completeness report of one explanation,
2. the interaction matrix of one row,
3. the dependence of the ``x0 x x1`` interaction on ``x0``, coloured by
   ``x1`` (negative when ``x0`` and ``x1`` have opposite signs),
4. the global ranking from the mean absolute Expected Hessian, and
   interactions between groups of columns.
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402

from sklearn_interact.inspection import (  # noqa: E402
    InteractionDependenceDisplay,
    LocalInteractionDisplay,
    expected_hessians,
    group_interactions,
    integrated_hessians,
    pairwise_interactions,
)

torch.set_num_threads(1)

rng = np.random.RandomState(0)
X = rng.uniform(-1, 1, size=(1500, 4))
y = 2 * X[:, 0] * X[:, 1] + np.sin(2 * X[:, 2]) + 0.05 * rng.normal(size=len(X))
names = ["x0", "x1", "x2", "x3"]
mlp = MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=400, random_state=0)
mlp.fit(X, y)
print(f"R^2 on the training data: {mlp.score(X, y):.3f}")

# %%
# Completeness
# ------------
# The matrix of one row adds up to the change of the (smoothed) model's
# output between the baseline and the row. ``tol`` raises the number of path
# nodes until the relative error is below it.
result = integrated_hessians(mlp, X[:5], baseline=X.mean(axis=0), tol=1e-3)
print("f(x) - f(baseline):", result.output_difference.round(3))
print("sum of the matrices:", result.interaction_values.sum(axis=(1, 2)).round(3))
print("relative completeness error:", result.relative_completeness_error.max())

# %%
# One row
# -------
row = int(np.argmax(np.abs(X[:, 0] * X[:, 1])))
fig, ax = plt.subplots(figsize=(4.5, 4))
LocalInteractionDisplay.from_estimator(
    mlp, X, row=row, feature_names=names, ax=ax, n_samples=32, random_state=0
)
plt.tight_layout()

# %%
# Dependence plot
# ---------------
# Expected Hessians for 300 rows, with baselines drawn from the data.
rows = X[:300]
eh = expected_hessians(mlp, rows, X, n_samples=16, random_state=0)
fig, ax = plt.subplots(figsize=(5, 3.5))
InteractionDependenceDisplay.from_values(
    eh.interaction_values, rows, ("x0", "x1"), feature_names=names, ax=ax
)
plt.tight_layout()

# %%
# Global ranking and groups
# -------------------------
# The mean absolute Expected Hessian per pair ranks the pairs; groups of
# columns get Taylor-CAM saliences; here ``x0 x x1`` lies inside one group,
# so the groups barely interact.
global_eh = pairwise_interactions(
    mlp, X, method="expected", max_samples=300, uncertainty=None, random_state=0
)
print("strongest pairs:", global_eh.top_k_pairs[:3])
groups = group_interactions(mlp, X, {"x0+x1": [0, 1], "x2": [2], "x3": [3]})
print("group interactions:\n", groups.interactions.round(4))
plt.show()
