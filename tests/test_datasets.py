# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
from itertools import combinations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklearn_interact.datasets import (
    load_energy_efficiency,
    make_tsang_function,
    true_interaction_pairs,
    tsang_function,
)
from sklearn_interact.datasets._synthetic import _domain

NAMES = [f"F{k}" for k in range(1, 11)]


def _numerical_pairs(name, n_points=400, step=0.1, seed=0):
    """Pairs whose mixed finite difference is non-zero somewhere."""
    f = tsang_function(name)
    low, high = _domain(name)
    rng = np.random.default_rng(seed)
    # Keep x + step inside the domain.
    base = rng.uniform(low, high - step, size=(n_points, 10))
    f_base = f(base)
    f_single = []
    for i in range(10):
        shifted = base.copy()
        shifted[:, i] += step
        f_single.append(f(shifted))

    found = []
    for i, j in combinations(range(10), 2):
        shifted = base.copy()
        shifted[:, [i, j]] += step
        mixed = f(shifted) - f_single[i] - f_single[j] + f_base
        scale = 1 + np.abs(f_base) + np.abs(f_single[i]) + np.abs(f_single[j])
        assert np.all(np.isfinite(mixed))
        if np.any(np.abs(mixed) > 1e-8 * scale):
            found.append((i, j))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_ground_truth_matches_finite_differences(name):
    _, _, terms = make_tsang_function(name, n_samples=1, random_state=0)
    assert _numerical_pairs(name) == true_interaction_pairs(terms, 10)


# 0-based features that the formula does not use at all.
UNUSED = {"F1": [5], "F2": [5], "F3": [5], "F4": [5], "F6": [6], "F10": [5, 7, 9]}


@pytest.mark.parametrize("name", NAMES)
def test_used_features(name):
    f = tsang_function(name)
    low, high = _domain(name)
    base = np.random.default_rng(1).uniform(low, high - 0.1, size=(100, 10))
    unused = []
    for i in range(10):
        shifted = base.copy()
        shifted[:, i] += 0.1
        if np.max(np.abs(f(shifted) - f(base))) == 0:
            unused.append(i)
    assert unused == UNUSED.get(name, [])


@pytest.mark.parametrize("name", NAMES)
def test_make_tsang_function_shapes_and_domain(name):
    X, y, terms = make_tsang_function(name, n_samples=500, random_state=0)
    assert X.shape == (500, 10)
    assert y.shape == (500,)
    assert X.dtype == np.float64
    assert y.dtype == np.float64
    assert np.all(np.isfinite(y))
    low, high = _domain(name)
    assert np.all(X >= low)
    assert np.all(X <= high)
    assert_allclose(y, tsang_function(name)(X))
    for term in terms:
        assert isinstance(term, tuple)
        assert list(term) == sorted(term)
        assert all(0 <= i < 10 for i in term)


def test_f1_domain():
    X, _, _ = make_tsang_function("F1", n_samples=2000, random_state=0)
    narrow = [3, 4, 7, 9]
    assert X[:, narrow].min() >= 0.6
    wide = [0, 1, 2, 5, 6, 8]
    assert X[:, wide].min() >= 0.0
    assert X[:, wide].min() < 0.6


def test_integer_name_is_accepted():
    X1, y1, terms1 = make_tsang_function(3, n_samples=50, random_state=0)
    X2, y2, terms2 = make_tsang_function("F3", n_samples=50, random_state=0)
    assert_array_equal(X1, X2)
    assert_array_equal(y1, y2)
    assert terms1 == terms2
    assert_array_equal(tsang_function(3)(X1), tsang_function("F3")(X1))


def test_terms_are_zero_based():
    _, _, terms = make_tsang_function("F1", n_samples=1)
    assert terms == [(0, 1, 2), (2, 4), (6, 7, 8, 9), (1, 6)]
    _, _, terms4 = make_tsang_function("F4", n_samples=1)
    assert (0, 3) in terms4


def test_reproducible_with_random_state():
    a = make_tsang_function("F7", n_samples=100, noise=0.5, random_state=42)
    b = make_tsang_function("F7", n_samples=100, noise=0.5, random_state=42)
    c = make_tsang_function("F7", n_samples=100, noise=0.5, random_state=43)
    assert_array_equal(a[0], b[0])
    assert_array_equal(a[1], b[1])
    assert not np.allclose(a[0], c[0])
    rs = np.random.RandomState(0)
    X, _, _ = make_tsang_function("F7", n_samples=10, random_state=rs)
    assert X.shape == (10, 10)


def test_noise_is_additive_gaussian():
    noise = 0.3
    X, y, _ = make_tsang_function("F9", n_samples=20_000, noise=noise, random_state=0)
    residual = y - tsang_function("F9")(X)
    assert abs(residual.mean()) < 0.02
    assert residual.std() == pytest.approx(noise, rel=0.03)

    X0, y0, _ = make_tsang_function("F9", n_samples=100, random_state=0)
    assert_array_equal(y0, tsang_function("F9")(X0))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "F0"},
        {"name": "F11"},
        {"name": "f1"},
        {"name": 0},
        {"name": 11},
        {"name": "F1", "n_samples": 0},
        {"name": "F1", "noise": -1.0},
    ],
)
def test_bad_parameters_raise(kwargs):
    with pytest.raises(ValueError):
        make_tsang_function(**kwargs)


def test_tsang_function_bad_input():
    with pytest.raises(ValueError):
        tsang_function("F12")
    f = tsang_function("F2")
    with pytest.raises(ValueError, match="shape"):
        f(np.zeros((3, 9)))
    with pytest.raises(ValueError, match="shape"):
        f(np.zeros(10))


def test_true_interaction_pairs():
    pairs = true_interaction_pairs([(2, 0, 1), (1, 2), (3, 4)], 5)
    assert pairs == [(0, 1), (0, 2), (1, 2), (3, 4)]
    assert true_interaction_pairs([], 4) == []
    with pytest.raises(ValueError, match="outside"):
        true_interaction_pairs([(0, 5)], 5)
    with pytest.raises(ValueError, match="at least two"):
        true_interaction_pairs([(1,)], 5)
    with pytest.raises(ValueError, match="repeats"):
        true_interaction_pairs([(1, 1)], 5)


def test_load_energy_efficiency():
    bunch = load_energy_efficiency()
    assert bunch.data.shape == (768, 8)
    assert bunch.target.shape == (768,)
    assert bunch.data.dtype == np.float64
    assert bunch.frame is None
    assert bunch.feature_names == [
        "relative_compactness",
        "surface_area",
        "wall_area",
        "roof_area",
        "overall_height",
        "orientation",
        "glazing_area",
        "glazing_area_distribution",
    ]
    assert bunch.target_names == ["heating_load"]
    assert "Tsanas" in bunch.DESCR
    assert_allclose(bunch.target[:2], [15.55, 15.55])

    cooling = load_energy_efficiency(target="cooling_load")
    assert cooling.target_names == ["cooling_load"]
    assert_allclose(cooling.target[:2], [21.33, 21.33])
    assert_array_equal(cooling.data, bunch.data)

    X, y = load_energy_efficiency(return_X_y=True)
    assert_array_equal(X, bunch.data)
    assert_array_equal(y, bunch.target)

    with pytest.raises(ValueError):
        load_energy_efficiency(target="Y1")


def test_load_energy_efficiency_as_frame():
    pd = pytest.importorskip("pandas")
    bunch = load_energy_efficiency(as_frame=True, target="cooling_load")
    assert isinstance(bunch.data, pd.DataFrame)
    assert isinstance(bunch.target, pd.Series)
    assert bunch.frame.shape == (768, 9)
    assert list(bunch.frame.columns) == bunch.feature_names + ["cooling_load"]
    assert_array_equal(bunch.data.to_numpy(), load_energy_efficiency().data)

    X, y = load_energy_efficiency(as_frame=True, return_X_y=True)
    assert isinstance(X, pd.DataFrame)
    assert y.name == "heating_load"
