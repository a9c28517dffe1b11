"""
Find interactions in a black-box model and use them in a linear model
=====================================================================

A gradient-boosting model is fitted to Tsang et al.'s F10 function, whose
true pairwise interactions are known. :class:`InteractionSelector` measures
the model's interactions with mixed finite differences, ranks them with 95%
bootstrap intervals, and appends the strongest products as features, so that
a plain ridge regression can use them. ``GridSearchCV`` chooses how many.
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline

from sklearn_interact import InteractionSelector
from sklearn_interact.datasets import make_tsang_function, true_interaction_pairs
from sklearn_interact.inspection import InteractionDisplay
from sklearn_interact.metrics import interaction_roc_auc

X, y, terms = make_tsang_function("F10", n_samples=4000, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

selector = InteractionSelector(
    HistGradientBoostingRegressor(random_state=0), top_k=6, random_state=0
).fit(X_train, y_train)
print("true pairs:    ", true_interaction_pairs(terms, 10))
print("detected pairs:", selector.top_k_pairs_)
print("ROC-AUC:", round(interaction_roc_auc(selector.interactions_, terms), 3))
print(selector.interaction_table(top_k=6))

pipe = make_pipeline(
    InteractionSelector(
        HistGradientBoostingRegressor(random_state=0), uncertainty=None, random_state=0
    ),
    RidgeCV(),
)
search = GridSearchCV(pipe, {"interactionselector__top_k": [1, 3, 6, 10]}, cv=3)
search.fit(X_train, y_train)
print("best top_k:", search.best_params_, "test R^2:", search.score(X_test, y_test))

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
InteractionDisplay.from_estimator(selector, ax=axes[0])
InteractionDisplay.from_estimator(selector, kind="bar", top_k=6, ax=axes[1])
fig.tight_layout()
fig.savefig("interaction_selector.png")
