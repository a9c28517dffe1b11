# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Scores for judging detected interactions against a known ground truth."""

from sklearn_interact.metrics._interaction import (
    higher_order_roc_auc,
    interaction_roc_auc,
    mean_true_pair_rank,
)

__all__ = [
    "higher_order_roc_auc",
    "interaction_roc_auc",
    "mean_true_pair_rank",
]
