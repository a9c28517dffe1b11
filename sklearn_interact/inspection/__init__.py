"""Measure feature interactions of any fitted model (the flow as functions)."""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_interact.inspection._feature_groups import group_interactions
from sklearn_interact.inspection._higher_order import higher_order_interactions
from sklearn_interact.inspection._interaction_test import interaction_test
from sklearn_interact.inspection._local import (
    expected_hessians,
    integrated_hessians,
    local_interactions,
)
from sklearn_interact.inspection._model_function import make_model_function
from sklearn_interact.inspection._pairwise import pairwise_interactions
from sklearn_interact.inspection._plot.additive_terms import AdditiveTermsDisplay
from sklearn_interact.inspection._plot.interaction_display import InteractionDisplay
from sklearn_interact.inspection._plot.local import (
    InteractionDependenceDisplay,
    LocalInteractionDisplay,
)
from sklearn_interact.inspection._table import interaction_table
from sklearn_interact.inspection._uncertainty import permutation_null

__all__ = [
    "AdditiveTermsDisplay",
    "InteractionDependenceDisplay",
    "InteractionDisplay",
    "LocalInteractionDisplay",
    "expected_hessians",
    "group_interactions",
    "higher_order_interactions",
    "integrated_hessians",
    "interaction_table",
    "interaction_test",
    "local_interactions",
    "make_model_function",
    "pairwise_interactions",
    "permutation_null",
]
