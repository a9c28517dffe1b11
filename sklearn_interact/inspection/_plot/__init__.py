"""Display objects for interactions."""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_interact.inspection._plot.additive_terms import AdditiveTermsDisplay
from sklearn_interact.inspection._plot.interaction_display import InteractionDisplay
from sklearn_interact.inspection._plot.local import (
    InteractionDependenceDisplay,
    LocalInteractionDisplay,
)

__all__ = [
    "AdditiveTermsDisplay",
    "InteractionDependenceDisplay",
    "InteractionDisplay",
    "LocalInteractionDisplay",
]
