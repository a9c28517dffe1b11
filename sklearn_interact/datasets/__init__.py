# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Synthetic benchmarks with known interactions and small real datasets."""

from sklearn_interact.datasets._base import load_energy_efficiency
from sklearn_interact.datasets._synthetic import (
    make_tsang_function,
    true_interaction_pairs,
    tsang_function,
)

__all__ = [
    "load_energy_efficiency",
    "make_tsang_function",
    "true_interaction_pairs",
    "tsang_function",
]
