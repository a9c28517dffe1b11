"""Measure feature interactions of any fitted model (the flow as functions)."""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_interact.inspection._adapters import ModelFunction, make_model_function
from sklearn_interact.inspection._aggregation import (
    aggregate,
    choose_n_groups,
    kmeans_groups,
    rank_weighted_distance,
)
from sklearn_interact.inspection._api import (
    interaction_table,
    local_interactions,
    pairwise_interactions,
)
from sklearn_interact.inspection._bayesian import (
    bayesian_group_expected_hessian,
    permutation_null,
    posterior_pair_hessians,
    posterior_summary,
)
from sklearn_interact.inspection._derivatives import (
    exact_gradients,
    exact_hessians,
    finite_difference_mixed,
)
from sklearn_interact.inspection._groups import (
    group_interactions,
    groups_from_column_transformer,
)
from sklearn_interact.inspection._higher_order import higher_order_interactions
from sklearn_interact.inspection._path import expected_hessians, integrated_hessians
from sklearn_interact.inspection._plot.additive_terms import AdditiveTermsDisplay
from sklearn_interact.inspection._plot.interaction_display import InteractionDisplay
from sklearn_interact.inspection._plot.local import (
    InteractionDependenceDisplay,
    LocalInteractionDisplay,
)
from sklearn_interact.inspection._search import (
    clique_candidates,
    clique_interactions,
    ucb_top_arms,
)
from sklearn_interact.inspection._uncertainty import benjamini_hochberg

__all__ = [
    "AdditiveTermsDisplay",
    "InteractionDependenceDisplay",
    "InteractionDisplay",
    "LocalInteractionDisplay",
    "ModelFunction",
    "aggregate",
    "bayesian_group_expected_hessian",
    "benjamini_hochberg",
    "choose_n_groups",
    "clique_candidates",
    "clique_interactions",
    "exact_gradients",
    "exact_hessians",
    "expected_hessians",
    "finite_difference_mixed",
    "group_interactions",
    "groups_from_column_transformer",
    "higher_order_interactions",
    "integrated_hessians",
    "interaction_table",
    "kmeans_groups",
    "local_interactions",
    "make_model_function",
    "pairwise_interactions",
    "permutation_null",
    "posterior_pair_hessians",
    "posterior_summary",
    "rank_weighted_distance",
    "ucb_top_arms",
]
