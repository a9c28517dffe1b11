"""Use measured interactions as features."""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_interact.feature_selection._selector import InteractionSelector

__all__ = ["InteractionSelector"]
