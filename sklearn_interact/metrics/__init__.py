# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Scores of detected interactions: against a known ground truth, or their
stability across rows (for grid searches over how they are measured)."""

from sklearn_interact.metrics._interaction import (
    higher_order_roc_auc,
    interaction_roc_auc,
    mean_true_pair_rank,
)
from sklearn_interact.metrics._stability import interaction_stability_score

__all__ = [
    "higher_order_roc_auc",
    "interaction_roc_auc",
    "interaction_stability_score",
    "mean_true_pair_rank",
]
