"""Find, quantify and use feature interactions, the scikit-learn way.

The public estimators are importable from the top level::

    from sklearn_interact import (
        BayesianMLPClassifier,
        BayesianMLPRegressor,
        InteractionSelector,
        NITClassifier,
        NITRegressor,
        ParaACEClassifier,
        ParaACERegressor,
    )

Subpackages: :mod:`sklearn_interact.inspection` (the measuring functions and
displays), :mod:`sklearn_interact.feature_selection`,
:mod:`sklearn_interact.neural`, :mod:`sklearn_interact.datasets` and
:mod:`sklearn_interact.metrics`.
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib

__version__ = "0.1.0.dev0"

# Public name -> module that defines it; imported on first access so that
# ``import sklearn_interact`` stays light.
_LAZY = {
    "InteractionSelector": "sklearn_interact.feature_selection",
    "NITRegressor": "sklearn_interact.neural",
    "NITClassifier": "sklearn_interact.neural",
    "ParaACERegressor": "sklearn_interact.neural",
    "ParaACEClassifier": "sklearn_interact.neural",
    "BayesianMLPRegressor": "sklearn_interact.neural",
    "BayesianMLPClassifier": "sklearn_interact.neural",
    "pairwise_interactions": "sklearn_interact.inspection",
    "local_interactions": "sklearn_interact.inspection",
    "interaction_table": "sklearn_interact.inspection",
}

_SUBMODULES = ["datasets", "feature_selection", "inspection", "metrics", "neural"]

__all__ = sorted([*_LAZY, *_SUBMODULES, "__version__"])


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"sklearn_interact.{name}")
    raise AttributeError(f"module 'sklearn_interact' has no attribute {name!r}")


def __dir__():
    return __all__
