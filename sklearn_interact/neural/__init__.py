"""Torch-backed regressors that learn, expose and use feature interactions."""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

__all__ = []
