"""Torch-backed regressors and classifiers that learn, expose and use interactions."""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_interact.neural._bayesian_mlp import (
    BayesianMLPClassifier,
    BayesianMLPRegressor,
)
from sklearn_interact.neural._nit import NITClassifier, NITRegressor
from sklearn_interact.neural._paraace import ParaACEClassifier, ParaACERegressor

__all__ = [
    "BayesianMLPClassifier",
    "BayesianMLPRegressor",
    "NITClassifier",
    "NITRegressor",
    "ParaACEClassifier",
    "ParaACERegressor",
]
