# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
from itertools import combinations

import numpy as np
import pytest

from sklearn_interact.metrics import (
    higher_order_roc_auc,
    interaction_roc_auc,
    mean_true_pair_rank,
)


def _matrix_from_pairs(n_features, pair_scores):
    matrix = np.zeros((n_features, n_features))
    for (i, j), value in pair_scores.items():
        matrix[i, j] = matrix[j, i] = value
    return matrix


def _ranked_matrix(n_features, true_pairs, reverse=False):
    """Symmetric scores ranking the true pairs first (or last)."""
    true_pairs = set(true_pairs)
    rng = np.random.default_rng(0)
    pair_scores = {}
    for pair in combinations(range(n_features), 2):
        base = 1.0 if pair in true_pairs else 0.0
        if reverse:
            base = 1.0 - base
        pair_scores[pair] = base + 0.5 * rng.random()
    return _matrix_from_pairs(n_features, pair_scores)


TRUE_PAIRS = [(0, 1), (2, 5), (3, 4)]


def test_perfect_and_reversed_ranking():
    perfect = _ranked_matrix(6, TRUE_PAIRS)
    assert interaction_roc_auc(perfect, TRUE_PAIRS) == 1.0
    assert mean_true_pair_rank(perfect, TRUE_PAIRS) == (len(TRUE_PAIRS) + 1) / 2

    reverse = _ranked_matrix(6, TRUE_PAIRS, reverse=True)
    assert interaction_roc_auc(reverse, TRUE_PAIRS) == 0.0
    n_pairs = 6 * 5 // 2
    worst = np.mean(np.arange(n_pairs - len(TRUE_PAIRS) + 1, n_pairs + 1))
    assert mean_true_pair_rank(reverse, TRUE_PAIRS) == worst


def test_hand_computed_example():
    # Pairs in upper-triangle order: (0,1) (0,2) (0,3) (1,2) (1,3) (2,3)
    scores = {(0, 1): 0.9, (0, 2): 0.4, (0, 3): 0.1, (1, 2): 0.6, (1, 3): 0.4}
    scores[(2, 3)] = 0.2
    matrix = _matrix_from_pairs(4, scores)
    true_pairs = [(0, 2), (1, 3)]
    # Positives score 0.4 and 0.4; negatives 0.9, 0.6, 0.2, 0.1.
    # Each positive beats 2 negatives and loses to 2: AUC = 4 / 8.
    assert interaction_roc_auc(matrix, true_pairs) == pytest.approx(0.5)
    # Ranks: 0.9 -> 1, 0.6 -> 2, the two 0.4 share (3 + 4) / 2 = 3.5.
    assert mean_true_pair_rank(matrix, true_pairs) == pytest.approx(3.5)

    true_pairs = [(0, 1), (0, 2)]
    # Positives 0.9, 0.4 against 0.6, 0.4, 0.2, 0.1: (4 + 2.5) / 8.
    assert interaction_roc_auc(matrix, true_pairs) == pytest.approx(6.5 / 8)
    # Ranks 1 and 3.5.
    assert mean_true_pair_rank(matrix, true_pairs) == pytest.approx(2.25)


def test_terms_are_expanded_to_pairs():
    term = [(0, 1, 2)]
    pairs = [(0, 1), (0, 2), (1, 2)]
    matrix = _ranked_matrix(5, pairs)
    assert interaction_roc_auc(matrix, term) == 1.0
    assert mean_true_pair_rank(matrix, term) == 2.0
    assert interaction_roc_auc(matrix, [(2, 1, 0), (1, 0)]) == 1.0


def test_only_upper_triangle_is_used():
    matrix = _ranked_matrix(6, TRUE_PAIRS[:2])
    noisy = matrix.copy()
    noisy[np.tril_indices(6, k=-1)] = -100.0
    noisy[np.diag_indices(6)] = 1e6
    assert interaction_roc_auc(noisy, TRUE_PAIRS[:2]) == 1.0
    assert mean_true_pair_rank(noisy, TRUE_PAIRS[:2]) == 1.5


def test_all_or_no_true_pairs_raise():
    matrix = _ranked_matrix(3, [(0, 1)])
    with pytest.raises(ValueError, match="none of the 3"):
        interaction_roc_auc(matrix, [])
    with pytest.raises(ValueError, match="all of the 3"):
        interaction_roc_auc(matrix, [(0, 1, 2)])
    with pytest.raises(ValueError, match="no pair"):
        mean_true_pair_rank(matrix, [])
    # With every pair true the mean rank is still defined.
    assert mean_true_pair_rank(matrix, [(0, 1, 2)]) == 2.0


@pytest.mark.parametrize("func", [interaction_roc_auc, mean_true_pair_rank])
def test_bad_inputs_raise(func):
    with pytest.raises(ValueError, match="square"):
        func(np.zeros((3, 4)), [(0, 1)])
    with pytest.raises(ValueError, match="square"):
        func(np.zeros((1, 1)), [(0, 1)])
    with pytest.raises(ValueError, match="outside"):
        func(np.zeros((3, 3)), [(0, 3)])
    with pytest.raises(ValueError, match="at least two"):
        func(np.zeros((3, 3)), [(1,)])
    with pytest.raises(ValueError):
        func(np.full((3, 3), np.nan), [(0, 1)])


def test_higher_order_perfect_and_reversed():
    terms = [(0, 1, 2, 3), (4, 5, 6)]
    positives = list(combinations(range(4), 3)) + [(4, 5, 6)]
    negatives = [(0, 1, 4), (2, 5, 7), (1, 6, 7)]
    good = dict.fromkeys(positives, 2.0) | dict.fromkeys(negatives, 1.0)
    assert higher_order_roc_auc(good, terms, order=3) == 1.0
    bad = dict.fromkeys(positives, 1.0) | dict.fromkeys(negatives, 2.0)
    assert higher_order_roc_auc(bad, terms, order=3) == 0.0


def test_higher_order_hand_computed():
    terms = [(0, 1, 2, 4)]
    # True triples: (0,1,2) (0,1,4) (0,2,4) (1,2,4); only (0,1,2) is scored,
    # the other three count with score 0 and lose to both negatives.
    scores = {(0, 1, 2): 2.0, (1, 2, 3): 1.0, (3, 1, 0): 0.5}
    assert higher_order_roc_auc(scores, terms, order=3) == pytest.approx(2 / 8)

    # A negative candidate scored 0 ties with the missed positives.
    scores = {(0, 1, 2): 2.0, (1, 2, 3): 0.0}
    assert higher_order_roc_auc(scores, terms, order=3) == pytest.approx(2.5 / 4)


def test_higher_order_pairs_match_pairwise_auc():
    terms = [(0, 1, 2), (3, 4)]
    matrix = _ranked_matrix(6, [(0, 1), (0, 2), (1, 2), (3, 4)])
    scores = {(i, j): matrix[i, j] for i, j in combinations(range(6), 2)}
    assert higher_order_roc_auc(scores, terms, order=2) == pytest.approx(
        interaction_roc_auc(matrix, terms)
    )


def test_higher_order_errors():
    terms = [(0, 1, 2)]
    with pytest.raises(ValueError, match="3 distinct"):
        higher_order_roc_auc({(0, 1): 1.0}, terms, order=3)
    with pytest.raises(ValueError, match="3 distinct"):
        higher_order_roc_auc({(0, 1, 1): 1.0}, terms, order=3)
    with pytest.raises(ValueError, match="twice"):
        higher_order_roc_auc({(0, 1, 3): 1.0, (3, 1, 0): 2.0}, terms, order=3)
    with pytest.raises(ValueError, match="No ground-truth term"):
        higher_order_roc_auc({(0, 1, 3, 4): 1.0}, terms, order=4)
    with pytest.raises(ValueError, match="all of the 1"):
        higher_order_roc_auc({(0, 1, 2): 1.0}, terms, order=3)
    with pytest.raises(ValueError):
        higher_order_roc_auc({(0, 1): 1.0}, terms, order=1)
    with pytest.raises(ValueError):
        higher_order_roc_auc([((0, 1), 1.0)], terms, order=2)
