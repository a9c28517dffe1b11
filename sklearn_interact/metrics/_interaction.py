# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Scores comparing estimated interaction strengths with a ground truth."""

from itertools import combinations
from numbers import Integral

import numpy as np
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score
from sklearn.utils import check_array
from sklearn.utils._param_validation import Interval, validate_params

from sklearn_interact.datasets._synthetic import _terms_to_pairs


def _pair_scores_and_labels(interactions, true_pairs):
    """Flatten the strict upper triangle and label the true pairs."""
    interactions = check_array(
        interactions, dtype=np.float64, input_name="interactions"
    )
    n_features = interactions.shape[0]
    if interactions.shape != (n_features, n_features) or n_features < 2:
        raise ValueError(
            "interactions must be a square matrix with at least 2 features; "
            f"got shape {interactions.shape}."
        )
    rows, cols = np.triu_indices(n_features, k=1)
    truth = np.zeros((n_features, n_features), dtype=bool)
    for i, j in _terms_to_pairs(true_pairs, n_features):
        truth[i, j] = True
    return interactions[rows, cols], truth[rows, cols]


def _check_both_classes(labels, what):
    n_true = int(labels.sum())
    if n_true == 0 or n_true == labels.size:
        kind = "none" if n_true == 0 else "all"
        raise ValueError(
            f"ROC-AUC is undefined when {kind} of the {labels.size} candidate "
            f"{what} are true interactions; it needs both true and false ones."
        )


@validate_params(
    {"interactions": ["array-like"], "true_pairs": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def interaction_roc_auc(interactions, true_pairs):
    """ROC-AUC of pairwise interaction scores against known interactions.

    Every pair ``(i, j)`` with ``i < j`` is a candidate; it is positive when
    it lies inside one of ``true_pairs`` and its score is
    ``interactions[i, j]``.

    Parameters
    ----------
    interactions : array-like of shape (n_features, n_features)
        Pairwise interaction strengths, larger meaning stronger. The matrix
        is assumed symmetric: only its strict upper triangle is read.

    true_pairs : list of tuple of int
        The true interactions as 0-based feature indices: pairs, or larger
        terms, which are expanded into all the pairs they contain.

    Returns
    -------
    auc : float
        Area under the ROC curve; 1 when every true pair scores above every
        other pair, 0.5 for an uninformative ranking.

    Raises
    ------
    ValueError
        If all pairs, or none, are true interactions.

    See Also
    --------
    mean_true_pair_rank : Average rank of the true pairs.
    higher_order_roc_auc : The same score for interactions of higher order.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.metrics import interaction_roc_auc
    >>> interactions = np.array([[0.0, 0.9, 0.1],
    ...                          [0.9, 0.0, 0.3],
    ...                          [0.1, 0.3, 0.0]])
    >>> interaction_roc_auc(interactions, [(0, 1)])
    1.0
    """
    scores, labels = _pair_scores_and_labels(interactions, true_pairs)
    _check_both_classes(labels, "pairs")
    return float(roc_auc_score(labels, scores))


@validate_params(
    {"interactions": ["array-like"], "true_pairs": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def mean_true_pair_rank(interactions, true_pairs):
    """Mean rank of the true interacting pairs among all pairs.

    All pairs ``(i, j)`` with ``i < j`` are ranked by decreasing
    ``interactions[i, j]``, so rank 1 is the strongest; tied pairs share the
    average of their ranks. A perfect ranking of ``n_true`` true pairs gives
    ``(n_true + 1) / 2``.

    Parameters
    ----------
    interactions : array-like of shape (n_features, n_features)
        Pairwise interaction strengths, larger meaning stronger. The matrix
        is assumed symmetric: only its strict upper triangle is read.

    true_pairs : list of tuple of int
        The true interactions as 0-based feature indices: pairs, or larger
        terms, which are expanded into all the pairs they contain.

    Returns
    -------
    rank : float
        Mean rank of the true pairs; lower is better.

    Raises
    ------
    ValueError
        If no pair is a true interaction.

    See Also
    --------
    interaction_roc_auc : ROC-AUC of the same ranking.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_interact.metrics import mean_true_pair_rank
    >>> interactions = np.array([[0.0, 0.9, 0.1],
    ...                          [0.9, 0.0, 0.3],
    ...                          [0.1, 0.3, 0.0]])
    >>> mean_true_pair_rank(interactions, [(0, 1), (0, 2)])
    2.0
    """
    scores, labels = _pair_scores_and_labels(interactions, true_pairs)
    if not labels.any():
        raise ValueError("true_pairs contains no pair; the mean rank is undefined.")
    ranks = rankdata(-scores, method="average")
    return float(ranks[labels].mean())


@validate_params(
    {
        "scores": [dict],
        "terms": ["array-like"],
        "order": [Interval(Integral, 2, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def higher_order_roc_auc(scores, terms, order):
    """ROC-AUC of interaction scores of a fixed order against known terms.

    This follows the evaluation protocol of NID [1]_: a candidate
    interaction of ``order`` features is positive when it is a subset of
    some ground-truth term. The candidates are all interactions in
    ``scores`` together with every true interaction of that order, so true
    interactions that a method misses count with score 0.

    Parameters
    ----------
    scores : dict
        Maps interactions of ``order`` features, given as tuples of 0-based
        feature indices, to their strength (larger meaning stronger). Tuples
        are sorted before use.

    terms : list of tuple of int
        The ground-truth interaction terms as 0-based feature indices.

    order : int
        Number of features in each interaction, at least 2.

    Returns
    -------
    auc : float
        Area under the ROC curve.

    Raises
    ------
    ValueError
        If a key of ``scores`` does not hold ``order`` distinct features, if
        no term has ``order`` features or more, or if every candidate is
        positive.

    See Also
    --------
    interaction_roc_auc : The pairwise score on a full interaction matrix.

    References
    ----------
    .. [1] M. Tsang, D. Cheng and Y. Liu, "Detecting Statistical Interactions
       from Neural Network Weights", International Conference on Learning
       Representations (ICLR), 2018.

    Examples
    --------
    >>> from sklearn_interact.metrics import higher_order_roc_auc
    >>> scores = {(0, 1, 2): 2.0, (1, 2, 3): 1.0, (0, 1, 3): 0.5}
    >>> higher_order_roc_auc(scores, [(0, 1, 2, 4)], order=3)
    0.25
    """
    candidates = {}
    for key, value in scores.items():
        indices = tuple(sorted(int(i) for i in np.asarray(key).ravel()))
        if len(indices) != order or len(set(indices)) != order:
            raise ValueError(
                f"Every key of scores must hold {order} distinct feature "
                f"indices; got {key!r}."
            )
        if indices in candidates:
            raise ValueError(f"scores lists the interaction {indices} twice.")
        candidates[indices] = float(value)

    positives = set()
    for term in terms:
        indices = sorted({int(i) for i in np.asarray(term).ravel()})
        positives.update(combinations(indices, order))
    if not positives:
        raise ValueError(f"No ground-truth term has {order} or more features.")
    for interaction in positives:
        candidates.setdefault(interaction, 0.0)

    keys = sorted(candidates)
    labels = np.array([key in positives for key in keys])
    values = np.array([candidates[key] for key in keys])
    _check_both_classes(labels, f"interactions of order {order}")
    return float(roc_auc_score(labels, values))
