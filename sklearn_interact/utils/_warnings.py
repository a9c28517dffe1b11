# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Warnings that point at the user's line, however deep they are raised."""

import os
import sys

import joblib
import sklearn

#: Frames that are not the user's: this library, the packages it calls back
#: through (scikit-learn's parameter validation and meta-estimators, joblib's
#: parallel loops), and Python's own frozen modules (``python -m``).
_INTERNAL = (
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep,
    os.path.dirname(sklearn.__file__) + os.sep,
    os.path.dirname(joblib.__file__) + os.sep,
    "<frozen ",
)


def user_stacklevel():
    """The ``stacklevel`` for :func:`warnings.warn` that names the first frame
    outside this library, scikit-learn and joblib: the user's call.

    Counted from the function that calls this one (``stacklevel=1`` is that
    function's own line). A fixed ``stacklevel`` is right for one call path
    only; a warning of the measurement raised under ``InteractionSelector.fit``
    pointed into scikit-learn's parameter validation. Where no frame is the
    user's (a worker process), it is 2.
    """
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_INTERNAL):
        frame = frame.f_back
        level += 1
    return 2 if frame is None else level
