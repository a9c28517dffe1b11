# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Synthetic regression functions with known feature interactions."""

from itertools import combinations
from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

_N_FEATURES = 10
_NAMES = tuple(f"F{k}" for k in range(1, 11))


def _f1(X):
    x1, x2, x3, x4, x5, _, x7, x8, x9, x10 = X.T
    return (
        np.pi ** (x1 * x2) * np.sqrt(2 * x3)
        - np.arcsin(x4)
        + np.log(x3 + x5)
        - (x9 / x10) * np.sqrt(x7 / x8)
        - x2 * x7
    )


def _f2(X):
    x1, x2, x3, x4, x5, _, x7, x8, x9, x10 = X.T
    # ``x7`` is drawn from U(-1, 1), so the square root takes ``|x7|`` to stay
    # real-valued (the printed formula leaves it undefined for ``x7 < 0``).
    return (
        np.pi ** (x1 * x2) * np.sqrt(2 * np.abs(x3))
        - np.arcsin(0.5 * x4)
        + np.log(np.abs(x3 + x5) + 1)
        - (x9 / (1 + np.abs(x10))) * np.sqrt(np.abs(x7) / (1 + np.abs(x8)))
        - x2 * x7
    )


def _f3(X):
    x1, x2, x3, x4, x5, _, x7, x8, x9, x10 = X.T
    # ``x3 ** (2 |x4|)`` is evaluated as ``(x3 ** 2) ** |x4|``, which is real
    # for negative ``x3``.
    return (
        np.exp(np.abs(x1 - x2))
        + np.abs(x2 * x3)
        - (x3**2) ** np.abs(x4)
        + np.log(x4**2 + x5**2 + x7**2 + x8**2)
        + x9
        + 1 / (1 + x10**2)
    )


def _f4(X):
    return _f3(X) + (X[:, 0] * X[:, 3]) ** 2


def _f5(X):
    x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 = X.T
    return (
        1 / (1 + x1**2 + x2**2 + x3**2)
        + np.sqrt(np.exp(x4 + x5))
        + np.abs(x6 + x7)
        + x8 * x9 * x10
    )


def _f6(X):
    x1, x2, x3, x4, x5, x6, _, x8, x9, x10 = X.T
    return (
        np.exp(np.abs(x1 * x2) + 1)
        - np.exp(np.abs(x3 + x4) + 1)
        + np.cos(x5 + x6 - x8)
        + np.sqrt(x8**2 + x9**2 + x10**2)
    )


def _f7(X):
    x1, x2, x3, x4, x5, x6, x7, x8, x9, _ = X.T
    return (
        (np.arctan(x1) + np.arctan(x2)) ** 2
        + np.maximum(x3 * x4 + x6, 0)
        - 1 / (1 + (x4 * x5 * x6 * x7 * x8) ** 2)
        + (np.abs(x7) / (1 + np.abs(x9))) ** 5
        + X.sum(axis=1)
    )


def _f8(X):
    x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 = X.T
    return (
        x1 * x2
        + 2 ** (x3 + x5 + x6)
        + 2 ** (x3 + x4 + x5 + x7)
        + np.sin(x7 * np.sin(x8 + x9))
        + np.arccos(0.9 * x10)
    )


def _f9(X):
    x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 = X.T
    return (
        np.tanh(x1 * x2 + x3 * x4) * np.sqrt(np.abs(x5))
        + np.exp(x5 + x6)
        + np.log((x6 * x7 * x8) ** 2 + 1)
        + x9 * x10
        + 1 / (1 + np.abs(x10))
    )


def _f10(X):
    x1, x2, x3, x4, x5, _, x7, _, x9, _ = X.T
    return (
        np.sinh(x1 + x2)
        + np.arccos(np.tanh(x3 + x5 + x7))
        + np.cos(x4 + x5)
        + 1 / np.cos(x7 * x9)
    )


# Ground-truth interaction terms, written with the 1-based indices of the
# paper and converted to 0-based indices below.
_TERMS_1_BASED = {
    "F1": [(1, 2, 3), (3, 5), (7, 8, 9, 10), (2, 7)],
    "F2": [(1, 2, 3), (3, 5), (7, 8, 9, 10), (2, 7)],
    "F3": [(1, 2), (2, 3), (3, 4), (4, 5, 7, 8)],
    "F4": [(1, 2), (2, 3), (3, 4), (4, 5, 7, 8), (1, 4)],
    "F5": [(1, 2, 3), (4, 5), (6, 7), (8, 9, 10)],
    "F6": [(1, 2), (3, 4), (5, 6, 8), (8, 9, 10)],
    "F7": [(1, 2), (3, 4, 6), (4, 5, 6, 7, 8), (7, 9)],
    "F8": [(1, 2), (3, 5, 6), (3, 4, 5, 7), (7, 8, 9)],
    "F9": [(1, 2, 3, 4, 5), (5, 6), (6, 7, 8), (9, 10)],
    "F10": [(1, 2), (3, 5, 7), (4, 5), (7, 9)],
}

_FUNCTIONS = {
    "F1": _f1,
    "F2": _f2,
    "F3": _f3,
    "F4": _f4,
    "F5": _f5,
    "F6": _f6,
    "F7": _f7,
    "F8": _f8,
    "F9": _f9,
    "F10": _f10,
}


def _domain(name):
    """Return the ``(low, high)`` bounds of the uniform input distribution."""
    if name == "F1":
        low = np.zeros(_N_FEATURES)
        # x4, x5, x8 and x10 keep away from 0 (arcsin, log and divisions).
        low[[3, 4, 7, 9]] = 0.6
        return low, np.ones(_N_FEATURES)
    return -np.ones(_N_FEATURES), np.ones(_N_FEATURES)


def _canonical_name(name):
    """Map ``"F3"`` or ``3`` to ``"F3"``."""
    if isinstance(name, Integral) and not isinstance(name, bool):
        return f"F{int(name)}"
    return name


def _terms(name):
    return [tuple(sorted(i - 1 for i in term)) for term in _TERMS_1_BASED[name]]


def _terms_to_pairs(terms, n_features):
    """Expand interaction terms into the sorted list of pairs they contain."""
    pairs = set()
    for term in terms:
        indices = [int(i) for i in np.asarray(term).ravel()]
        if len(indices) < 2:
            raise ValueError(
                f"Each interaction term needs at least two features; got {term!r}."
            )
        if len(set(indices)) != len(indices):
            raise ValueError(f"Interaction term {term!r} repeats a feature index.")
        if min(indices) < 0 or max(indices) >= n_features:
            raise ValueError(
                f"Interaction term {term!r} has an index outside [0, {n_features - 1}]."
            )
        pairs.update(combinations(sorted(indices), 2))
    return sorted(pairs)


@validate_params(
    {
        "name": [
            StrOptions(set(_NAMES)),
            Interval(Integral, 1, 10, closed="both"),
        ]
    },
    prefer_skip_nested_validation=True,
)
def tsang_function(name):
    """Return one of the ten noiseless test functions of Tsang et al. (2018).

    Parameters
    ----------
    name : {"F1", "F2", ..., "F10"} or int in [1, 10]
        Which function to return.

    Returns
    -------
    func : callable
        Vectorised function mapping an array of shape ``(n_samples, 10)``
        to an array of shape ``(n_samples,)``. It is only defined on the
        domain used by :func:`make_tsang_function`: rows where a function is
        undefined outside of it (a logarithm or square root of a negative
        number), or that are not finite, raise a ValueError instead of
        giving NaN.

    See Also
    --------
    make_tsang_function : Sample inputs and targets from these functions.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.datasets import tsang_function
    >>> f = tsang_function("F8")
    >>> f(np.zeros((2, 10))).round(4)
    array([3.5708, 3.5708])
    """
    name = _canonical_name(name)
    func = _FUNCTIONS[name]

    def tsang(X):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != _N_FEATURES:
            raise ValueError(
                f"{name} expects an array of shape (n_samples, {_N_FEATURES}); "
                f"got shape {X.shape}."
            )
        if not np.all(np.isfinite(X)):
            raise ValueError(f"{name}: X contains NaN or infinity.")
        with np.errstate(all="ignore"):
            y = func(X)
        undefined = np.flatnonzero(~np.isfinite(y))
        if undefined.size:
            raise ValueError(
                f"{name} is undefined at {undefined.size} rows of X (first: row "
                f"{undefined[0]}), which lie outside its domain; "
                "make_tsang_function samples inside it."
            )
        return y

    tsang.__name__ = name
    tsang.__doc__ = f"Tsang et al. (2018) test function {name}."
    return tsang


@validate_params(
    {
        "name": [
            StrOptions(set(_NAMES)),
            Interval(Integral, 1, 10, closed="both"),
        ],
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "noise": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_tsang_function(name, n_samples=10_000, *, noise=0.0, random_state=None):
    """Generate a regression problem from the interaction test suite.

    The ten functions F1-F10 were introduced by Tsang et al. (2018) to
    benchmark interaction detection and have become a standard test suite.
    Each has 10 inputs and a known set of interaction terms: a pair of
    features interacts if and only if both belong to the same term.

    Inputs are drawn independently and uniformly: for F1, ``x4``, ``x5``,
    ``x8`` and ``x10`` (1-based) follow U(0.6, 1) and the others U(0, 1);
    for F2-F10 every input follows U(-1, 1).

    Parameters
    ----------
    name : {"F1", "F2", ..., "F10"} or int in [1, 10]
        Which function to sample.

    n_samples : int, default=10_000
        Number of samples.

    noise : float, default=0.0
        Standard deviation of the Gaussian noise added to the target.

    random_state : int, RandomState instance or None, default=None
        Determines random number generation for dataset creation. Pass an int
        for reproducible output across multiple function calls.

    Returns
    -------
    X : ndarray of shape (n_samples, 10)
        The input samples.

    y : ndarray of shape (n_samples,)
        The target values ``f(X) + noise * N(0, 1)``.

    terms : list of tuple of int
        The ground-truth interaction terms, as sorted 0-based feature
        indices.

    See Also
    --------
    tsang_function : The noiseless functions themselves.
    true_interaction_pairs : Expand ``terms`` into interacting pairs.

    Notes
    -----
    Two formulas are made well defined on their domain: in F2 the square
    root takes ``|x7|``, and in F3 and F4 the power ``x3 ** (2 |x4|)`` is
    computed as ``(x3 ** 2) ** |x4|``. Neither change alters which features
    interact.

    References
    ----------
    .. [1] M. Tsang, D. Cheng and Y. Liu, "Detecting Statistical Interactions
       from Neural Network Weights", International Conference on Learning
       Representations (ICLR), 2018.

    Examples
    --------
    >>> from sklearn_interact.datasets import make_tsang_function
    >>> X, y, terms = make_tsang_function("F5", n_samples=100, random_state=0)
    >>> X.shape, y.shape
    ((100, 10), (100,))
    >>> terms
    [(0, 1, 2), (3, 4), (5, 6), (7, 8, 9)]
    """
    name = _canonical_name(name)
    generator = check_random_state(random_state)

    low, high = _domain(name)
    X = generator.uniform(low, high, size=(n_samples, _N_FEATURES))
    y = _FUNCTIONS[name](X)
    if noise > 0:
        y = y + noise * generator.standard_normal(size=n_samples)
    return X, y, _terms(name)


@validate_params(
    {
        "terms": ["array-like"],
        "n_features": [Interval(Integral, 2, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def true_interaction_pairs(terms, n_features):
    """List the feature pairs that lie inside some interaction term.

    Parameters
    ----------
    terms : list of tuple of int
        Interaction terms as 0-based feature indices, each with at least
        two distinct features.

    n_features : int
        Total number of features; every index must be smaller.

    Returns
    -------
    pairs : list of tuple of int
        Sorted 0-based pairs ``(i, j)`` with ``i < j``.

    Examples
    --------
    >>> from sklearn_interact.datasets import true_interaction_pairs
    >>> true_interaction_pairs([(0, 1, 2), (4, 3)], n_features=5)
    [(0, 1), (0, 2), (1, 2), (3, 4)]
    """
    return _terms_to_pairs(terms, n_features)
