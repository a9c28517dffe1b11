"""Display objects for interactions."""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_interact.inspection._plot.interaction_display import InteractionDisplay

__all__ = ["InteractionDisplay"]
