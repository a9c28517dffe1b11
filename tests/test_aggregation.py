import numpy as np
import pytest

from sklearn_interact.inspection._aggregation import (
    AGGREGATIONS,
    TermComponents,
    aggregate,
    aggregate_terms,
    choose_n_clusters,
    kmeans_clusters,
    rank_weighted_distance,
    row_clusters,
)


@pytest.fixture
def local():
    # Column 0: +1 on the first half of the rows, -1 on the second half
    # (strong but cancelling); column 1: constant 0.5; column 2: zero.
    L = np.zeros((40, 3))
    L[:20, 0], L[20:, 0] = 1.0, -1.0
    L[:, 1] = 0.5
    return L


def test_eah_aeh_mean_squared(local):
    np.testing.assert_allclose(aggregate(local, "eah"), [1.0, 0.5, 0.0])
    np.testing.assert_allclose(aggregate(local, "aeh"), [0.0, 0.5, 0.0])
    np.testing.assert_allclose(aggregate(local, "mean_squared"), [1.0, 0.25, 0.0])


def test_geh_interpolates_between_aeh_and_eah(local):
    one = aggregate(local, "geh", clusters=np.zeros(40, dtype=int))
    np.testing.assert_allclose(one, aggregate(local, "aeh"))
    every = aggregate(local, "geh", clusters=np.arange(40))
    np.testing.assert_allclose(every, aggregate(local, "eah"))
    halves = aggregate(local, "geh", clusters=np.repeat([0, 1], 20))
    np.testing.assert_allclose(halves, [1.0, 0.5, 0.0])


def test_geh_matches_paper_formula():
    rng = np.random.RandomState(0)
    L = rng.normal(size=(30, 4))
    groups = rng.randint(0, 3, size=30)
    expected = sum(
        (groups == g).mean() * np.abs(L[groups == g].mean(axis=0)) for g in range(3)
    )
    np.testing.assert_allclose(aggregate(L, "geh", clusters=groups), expected)


def test_weights_are_resampled_estimates(local):
    rng = np.random.RandomState(0)
    idx = rng.randint(0, 40, size=40)
    counts = np.bincount(idx, minlength=40).astype(float)
    for kind in ("eah", "aeh", "mean_squared"):
        np.testing.assert_allclose(
            aggregate(local, kind, weights=counts[None])[0], aggregate(local[idx], kind)
        )
    groups = np.repeat([0, 1], 20)
    np.testing.assert_allclose(
        aggregate(local, "geh", clusters=groups, weights=counts),
        aggregate(local[idx], "geh", clusters=groups[idx]),
    )


def test_kmeans_clusters_edge_cases():
    X = np.random.RandomState(0).normal(size=(12, 2))
    assert set(kmeans_clusters(X, 1)) == {0}
    np.testing.assert_array_equal(kmeans_clusters(X, 50), np.arange(12))
    labels = kmeans_clusters(X, 3, random_state=0)
    assert len(set(labels)) == 3
    np.testing.assert_array_equal(labels, kmeans_clusters(X, 3, random_state=0))


def test_rank_weighted_distance_and_choice():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 2))
    # A pair whose sign flips with x0: AEH cancels it, more groups recover it.
    L = np.column_stack([np.sign(X[:, 0]), 0.3 + 0 * X[:, 0], 0.01 * X[:, 1]])
    ms, dist = rank_weighted_distance(L, X, max_clusters=12, random_state=0)
    np.testing.assert_array_equal(ms, np.arange(2, 13))
    assert dist.shape == ms.shape and np.all(dist >= 0)
    # The ranking stabilises once the sign flip is resolved: the curve is flat
    # at the end.
    assert dist[-3:].max() <= dist.max()
    assert choose_n_clusters(ms, dist) in ms


def test_choose_n_clusters_rule():
    ms = np.arange(2, 12)
    dist = np.array([5, 9, 7, 3, 0.2, 0.1, 0.1, 0.05, 0.1, 0.0])
    assert choose_n_clusters(ms, dist, tol=0.2, window=1) == 6
    assert choose_n_clusters(ms, np.zeros(10)) == 2
    # A single noisy spike late in the curve is ignored by the running median.
    spiky = dist.copy()
    spiky[8] = 8.0
    assert choose_n_clusters(ms, spiky, tol=0.2, window=5) == 6
    assert choose_n_clusters(ms, spiky, tol=0.2, window=1) == 11


def test_row_clusters_auto_and_fixed(local):
    X = np.column_stack([np.linspace(-1, 1, 40), np.zeros(40)])
    auto = row_clusters(local, X, "auto", random_state=0)
    assert auto.curve is not None and 1 <= auto.n_clusters <= 4
    assert len(np.unique(auto.labels)) == auto.n_clusters
    fixed = row_clusters(local, X, 100, random_state=0)
    assert fixed.n_clusters == 40 and fixed.curve is None
    np.testing.assert_array_equal(fixed.labels, np.arange(40))
    assert row_clusters(local[:, :0], X, "auto").n_clusters == 1


def test_registry_is_the_only_list(local):
    assert set(AGGREGATIONS) == {"eah", "aeh", "geh", "mean_squared"}
    for name, spec in AGGREGATIONS.items():
        clusters = np.zeros(40, dtype=int) if spec.needs_clusters else None
        scores = aggregate(local, name, clusters=clusters)
        if spec.row_reward is not None:  # the score is a mean of row rewards
            np.testing.assert_allclose(scores, spec.row_reward(local).mean(axis=0))
    with pytest.raises(ValueError, match="Unknown aggregation"):
        aggregate(local, "median")
    with pytest.raises(ValueError, match="row-cluster labels"):
        aggregate(local, "geh")


def test_components_cancel_before_their_magnitude():
    """Term 0: numeric, signed. Term 1: two components (weights 0.25, 0.75)
    whose signs flip between the two halves of the rows (pure noise for an
    average); term 2: two consistent components."""
    n = 40
    half = np.where(np.arange(n) < n // 2, 1.0, -1.0)
    values = np.column_stack([half, 2 * half, -half, np.full(n, 2.0), np.full(n, -1.0)])
    local = TermComponents(
        values, np.array([0, 1, 1, 2, 2]), np.array([1, 0.25, 0.75, 0.5, 0.5]), 3
    )
    rows = local.row_values()
    np.testing.assert_allclose(rows[:, 0], half)  # signed
    np.testing.assert_allclose(rows[:, 1], np.sqrt(0.25 * 4 + 0.75))
    np.testing.assert_allclose(rows[:, 2], np.sqrt(0.5 * 4 + 0.5))
    # Means of row values take the row values ...
    np.testing.assert_allclose(aggregate_terms(local, "eah"), np.abs(rows).mean(axis=0))
    np.testing.assert_allclose(
        aggregate_terms(local, "mean_squared"), (rows**2).mean(axis=0)
    )
    # ... magnitudes of means average each component first.
    np.testing.assert_allclose(aggregate_terms(local, "aeh"), [0, 0, np.sqrt(2.5)])
    clusters = (np.arange(n) < n // 2).astype(int)
    np.testing.assert_allclose(
        aggregate_terms(local, "geh", clusters=clusters),
        [1.0, np.sqrt(1.75), np.sqrt(2.5)],
    )
    # Bootstrap weights: one row per weighting.
    W = np.ones((3, n))
    assert aggregate_terms(local, "aeh", weights=W).shape == (3, 3)
    # Terms of several outputs side by side.
    both = TermComponents.stack([local, local])
    assert both.n_terms == 6
    np.testing.assert_allclose(
        aggregate_terms(both, "aeh"), np.tile(aggregate_terms(local, "aeh"), 2)
    )
