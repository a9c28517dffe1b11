"""Torch-backed regressors that learn, expose and use feature interactions."""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_interact.neural._bayesian_mlp import BayesianMLPRegressor
from sklearn_interact.neural._nit import NITRegressor
from sklearn_interact.neural._paraace import ParaACERegressor

__all__ = [
    "BayesianMLPRegressor",
    "NITRegressor",
    "ParaACERegressor",
]
