"""
Compress a large network into a transparent ParaACE student
============================================================

:class:`~sklearn_interact.neural.ParaACERegressor` fits a *teacher* (here an
over-parameterized MLP), finds the teacher's strongest pairwise interactions
with finite differences and the UCB bandit, and trains a small *student*: one
subnetwork per feature and per detected pair plus a residual fix-up layer.

On Tsang et al.'s F10 function, the student is as accurate as its teacher with
a fraction of its parameters, and each of its terms can be drawn: curves for
the features, heatmaps for the pairs.
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.neural_network import MLPRegressor

from sklearn_interact.datasets import make_tsang_function, true_interaction_pairs
from sklearn_interact.inspection import AdditiveTermsDisplay
from sklearn_interact.neural import ParaACERegressor

torch.set_num_threads(1)

X, y, terms = make_tsang_function("F10", n_samples=1000, noise=0.1, random_state=0)
X_train, y_train, X_test, y_test = X[:800], y[:800], X[800:], y[800:]

# A smaller teacher than the default (2000 and 900 hidden units) and a shorter
# early-stopping patience keep this example fast; the blocks are the paper's.
teacher = MLPRegressor(
    hidden_layer_sizes=(256, 256), early_stopping=True, max_iter=200, random_state=0
)
model = ParaACERegressor(
    teacher=teacher, n_interactions=6, n_iter_no_change=20, random_state=0
)
model.fit(X_train, y_train)


def nrmse(estimator):
    """RMSE over the range of the test target."""
    rmse = np.sqrt(np.mean((estimator.predict(X_test) - y_test) ** 2))
    return rmse / np.ptp(y_test)


print("true pairs:    ", true_interaction_pairs(terms, 10))
print("detected pairs:", model.top_k_pairs_)
print(
    f"teacher evaluations for detection: {model.detection_.n_model_evaluations} "
    f"(exhaustive: {model.detection_.n_exhaustive_evaluations})"
)
print(f"NRMSE teacher {nrmse(model.teacher_):.4f}, student {nrmse(model):.4f}")
print(
    f"parameters: teacher {model.teacher_n_parameters_}, student "
    f"{model.n_parameters_} (compression ratio {model.compression_ratio_:.0f})"
)
print(f"share of the fix-up layer in the prediction: {model.fixup_share_:.3f}")

# %%
# The student's strongest terms: curves of single features, heatmaps of pairs.
strongest = np.argsort(-model.term_importances_)[:6]
display = AdditiveTermsDisplay.from_estimator(
    model, X_train, terms=[int(t) for t in strongest], n_cols=3
)
display.figure_.suptitle("ParaACE student on F10: strongest terms")
plt.show()
