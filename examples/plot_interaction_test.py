"""
Is this interaction real? The model's interactions and the data's, on a raw table
=================================================================================

A table as it comes: two categorical columns, a heavy-tailed numeric column
with missing values, and plain numeric ones. ``HistGradientBoostingRegressor``
takes it as it is (``categorical_features="from_dtype"``, missing values
natively), and so does this library.

Two questions get two answers:

* :class:`~sklearn_interact.InteractionSelector` measures what the fitted
  model does (estimand ``"model"``): every pair's strength, with bootstrap
  intervals over the rows it is measured on. A fitted model always has some
  interaction between every pair, so these intervals rarely reach 0.
* :func:`~sklearn_interact.inspection.interaction_test` asks whether the data
  hold the interaction (estimand ``"data"``): refits on cross-fitting folds,
  a held-out test per pair, Benjamini-Hochberg across the pairs, and a
  model-free estimate of each pair's interaction variance with its interval.

The target has two true interactions, ``plan x income`` (categorical x
numeric, income with 10% missing values) and ``age x tenure``.
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

from sklearn_interact import InteractionSelector
from sklearn_interact.inspection import (
    InteractionDisplay,
    interaction_table,
    interaction_test,
)

rng = np.random.RandomState(0)
n = 3000
plan = rng.choice(["basic", "plus", "premium"], size=n, p=[0.5, 0.3, 0.2])
region = rng.choice(["north", "south", "east", "west"], size=n)
income = rng.lognormal(mean=0.0, sigma=0.6, size=n)
age, tenure, usage = rng.uniform(-1, 1, size=(3, n))
y = (
    1.2 * (plan == "premium") * np.log(income)
    + age * tenure
    + 0.5 * (region == "south")
    + np.log(income)
    + usage
    + 0.5 * rng.normal(size=n)
)
income[rng.rand(n) < 0.1] = np.nan
X = pd.DataFrame(
    {
        "plan": pd.Categorical(plan),
        "region": pd.Categorical(region),
        "income": income,
        "age": age,
        "tenure": tenure,
        "usage": usage,
    }
)
model = HistGradientBoostingRegressor(categorical_features="from_dtype", random_state=0)

# %%
# The fitted model's interactions (estimand "model"). The column types are
# inferred from the DataFrame; each categorical column gets one score.
selector = InteractionSelector(model, random_state=0).fit(X, y)
print(dict(zip(X.columns, selector.feature_types_)))
print(interaction_table(selector, top_k=5).round(3).to_string(index=False))

# %%
# The data's interactions (estimand "data"): only the two true pairs are
# significant after Benjamini-Hochberg; the intervals are for the variance of
# each pair's pure interaction, in squared target units.
result = interaction_test(model, X, y, random_state=0)
table = interaction_table(result, feature_names=list(X.columns), top_k=5)
print(table.round(4).to_string(index=False))

# %%
# Side by side: the model's strengths with their intervals, and the data's
# interaction variances with theirs.
fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
InteractionDisplay.from_estimator(selector, kind="bar", top_k=6, ax=axes[0])
axes[0].set_title("the fitted model's interactions")
InteractionDisplay.from_estimator(
    result, kind="bar", top_k=6, feature_names=list(X.columns), ax=axes[1]
)
axes[1].set_title("the data's interactions (held-out)")
axes[1].set_xlabel("variance of the pair's pure interaction")
fig.tight_layout()
fig.savefig("interaction_test.png")
