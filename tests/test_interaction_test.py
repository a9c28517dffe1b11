"""Tests of interaction_test: the held-out test of the data's interaction."""

import warnings

import numpy as np
import pytest
from joblib import parallel_backend
from scipy.stats import kstest
from sklearn.compose import make_column_transformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, PolynomialFeatures

from sklearn_interact import InteractionSelector
from sklearn_interact.inspection import (
    interaction_table,
    interaction_test,
    pairwise_interactions,
)
from sklearn_interact.inspection._interaction_test import _cells, _grid
from sklearn_interact.inspection._uncertainty import (
    adjust_pvalues,
    benjamini_hochberg,
    holm,
)
from sklearn_interact.neural import BayesianMLPClassifier, BayesianMLPRegressor


def _poly():
    return make_pipeline(PolynomialFeatures(2), Ridge(1e-6))


def _data(n=600, p=4, seed=0, noise=0.5):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, p))
    y = X[:, 0] * X[:, 1] + X[:, 2] + noise * rng.normal(size=n)
    return X, y


def test_true_pair_is_found():
    X, y = _data()
    result = interaction_test(_poly(), X, y, random_state=0)
    assert result.interaction_pvalues[0, 1] < 1e-6
    assert result.interaction_significant[0, 1]
    assert result.coefficients[0, 1] == pytest.approx(1.0, abs=0.3)
    assert result.estimand == "data"
    assert result.scale == "prediction"
    assert np.isnan(np.diag(result.interaction_pvalues)).all()
    np.testing.assert_array_equal(
        result.interaction_pvalues, result.interaction_pvalues.T
    )
    # The decision is on the adjusted p-values, everywhere.
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(
            result.interaction_significant,
            result.interaction_pvalues_adjusted <= result.alpha,
        )


def test_null_pairs_are_calibrated():
    # A correctly specified model: the null pairs' p-values are uniform.
    pvalues = []
    for seed in range(60):
        X, y = _data(n=300, seed=seed)
        result = interaction_test(
            make_pipeline(PolynomialFeatures(2), LinearRegression()),
            X,
            y,
            pairs=[(0, 2), (1, 3), (2, 3)],
            random_state=seed,
        )
        iu = np.triu_indices(4, k=1)
        values = result.interaction_pvalues[iu]
        pvalues.append(values[~np.isnan(values)])
    pvalues = np.concatenate(pvalues)
    assert pvalues.size == 180
    assert 0.01 <= np.mean(pvalues < 0.05) <= 0.1
    assert kstest(pvalues, "uniform").pvalue > 0.01


def test_tree_model_null_pairs_are_not_anticonservative():
    shares = []
    for seed in range(6):
        X, y = _data(n=800, seed=seed)
        result = interaction_test(
            HistGradientBoostingRegressor(max_iter=30), X, y, random_state=seed
        )
        iu = np.triu_indices(4, k=1)
        assert result.interaction_pvalues[0, 1] < 0.01
        null = result.interaction_pvalues[iu][1:]
        shares.append(np.mean(null < 0.2))
    assert np.mean(shares) < 0.45


def test_additive_model_gives_pvalue_one():
    X, y = _data()
    result = interaction_test(LinearRegression(), X, y, random_state=0)
    iu = np.triu_indices(4, k=1)
    np.testing.assert_allclose(result.interaction_pvalues[iu], 1.0)
    assert not result.interaction_significant.any()


def test_holm_and_bh():
    p = np.array([0.01, 0.04, 0.03, 0.005, np.nan])
    reject_bh, adj_bh = benjamini_hochberg(p, 0.05)
    reject_holm, adj_holm = holm(p, 0.05)
    np.testing.assert_allclose(adj_holm[:4], [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(adj_bh[:4], [0.02, 0.04, 0.04, 0.02])
    assert np.isnan(adj_holm[4]) and not reject_holm[4]
    assert (adj_holm[:4] >= adj_bh[:4]).all()
    np.testing.assert_array_equal(reject_holm[:4], [True, False, False, True])
    _, raw = adjust_pvalues(p, None)
    np.testing.assert_array_equal(raw, p)


def test_multiple_testing_options():
    X, y = _data()
    kw = dict(random_state=0)
    bh = interaction_test(_poly(), X, y, multiple_testing="bh", **kw)
    hl = interaction_test(_poly(), X, y, multiple_testing="holm", **kw)
    raw = interaction_test(_poly(), X, y, multiple_testing=None, **kw)
    np.testing.assert_array_equal(bh.interaction_pvalues, hl.interaction_pvalues)
    iu = np.triu_indices(4, k=1)
    assert (
        hl.interaction_pvalues_adjusted[iu] >= bh.interaction_pvalues_adjusted[iu]
    ).all()
    np.testing.assert_array_equal(
        raw.interaction_pvalues_adjusted, raw.interaction_pvalues
    )


def test_backend_and_n_jobs_do_not_change_the_result():
    X, y = _data(n=300)
    model = HistGradientBoostingRegressor(max_iter=10)
    a = interaction_test(model, X, y, random_state=0, n_resamples=3)
    with parallel_backend("threading"):
        b = interaction_test(model, X, y, random_state=0, n_resamples=3, n_jobs=2)
    np.testing.assert_array_equal(a.interaction_pvalues, b.interaction_pvalues)
    np.testing.assert_array_equal(a.interaction_ci, b.interaction_ci)


def test_screen_keeps_the_interacting_features():
    X, y = _data(n=1200, p=12, seed=1, noise=0.3)
    result = interaction_test(_poly(), X, y, random_state=0)
    assert result.screen_pvalues is not None
    assert result.screen_pvalues[0] < 0.2 and result.screen_pvalues[1] < 0.2
    assert result.tested[0, 1] and result.interaction_significant[0, 1]
    assert result.tested.sum() < 12 * 11
    untested = ~result.tested & ~np.eye(12, dtype=bool)
    assert np.isnan(result.interaction_pvalues[untested]).all()
    # No screen when the pairs are given.
    given = interaction_test(_poly(), X, y, pairs=[(0, 1), (2, 3)], random_state=0)
    assert given.screen_pvalues is None and given.tested.sum() == 4


def test_screen_keeps_ten_features_under_the_global_null():
    # Pure noise: few features pass the screen's level, but the ten most
    # promising are kept, so 45 pairs are tested on rows the screen never saw
    # and their p-values keep their nominal level.
    rng = np.random.RandomState(3)
    X = rng.uniform(-1, 1, size=(800, 12))
    y = rng.normal(size=800)
    result = interaction_test(_poly(), X, y, random_state=0)
    assert result.screen_pvalues is not None
    assert result.tested.sum() == 2 * 45
    kept = np.flatnonzero(result.tested.any(axis=0))
    dropped = np.setdiff1d(np.arange(12), kept)
    assert result.screen_pvalues[kept].max() <= result.screen_pvalues[dropped].min()


def test_intervals_of_the_data_interaction():
    X, y = _data(n=2000)
    result = interaction_test(_poly(), X, y, n_resamples=4, random_state=0)
    ci = result.interaction_ci
    assert ci.shape == (4, 4, 2) and result.samples.shape == (4, 4, 4)
    # The variance of x0 * x1 on U(-1, 1)^2 is 1/9 (its 10 x 10 grid
    # version 0.97 of it); the null pairs' intervals reach 0.
    assert ci[0, 1, 0] <= 1 / 9 <= ci[0, 1, 1]
    assert ci[0, 1, 0] > 0.05
    null = ~np.eye(4, dtype=bool)
    null[0, 1] = null[1, 0] = False
    assert (ci[..., 0][null] == 0).all()
    # Model-free: an additive model has no interaction to test, yet the
    # estimate from its held-out residuals still finds the pair's variance.
    additive = interaction_test(LinearRegression(), X, y, random_state=0)
    assert additive.interaction_pvalues[0, 1] > 0.05
    assert additive.interaction_ci[0, 1, 0] <= 1 / 9 <= additive.interaction_ci[0, 1, 1]
    assert additive.model_variances[0, 1] < 1e-12


def test_held_out_variance_is_unbiased_and_covers():
    """Cell means of a known table plus noise: the debiased estimate is
    unbiased for the doubly centred table's variance, and the Gaussian
    interval covers it about 95% of the time (0 for a null table)."""
    from scipy.stats import norm

    from sklearn_interact.inspection._interaction_test import held_out_variance

    rng = np.random.RandomState(0)
    A, B, n = 5, 4, 2000
    w_i, w_j = np.full(A, 1 / A), np.full(B, 1 / B)
    table = np.outer(np.linspace(-1, 1, A), np.linspace(-1, 1, B)) * 0.3
    truth = float(w_i @ table**2 @ w_j)  # already doubly centred
    z = norm.ppf(0.975)
    for scale, target in ((1.0, truth), (0.0, 0.0)):
        estimates, covered = [], []
        for _ in range(200):
            a, b = rng.randint(A, size=n), rng.randint(B, size=n)
            r = scale * table[a, b] + rng.normal(size=n) + 0.5 * a
            estimate, variance = held_out_variance(r, a, b, w_i, w_j)
            estimates.append(estimate)
            low, high = (
                estimate - z * np.sqrt(variance),
                estimate + z * np.sqrt(variance),
            )
            covered.append(low <= target <= high)
        assert abs(np.mean(estimates) - target) < 0.15 * max(truth, 1e-3) + 2e-3
        assert np.mean(covered) > 0.88


def test_classifier_and_dataframe():
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(800, 3))
    y = np.where(3 * X[:, 0] * X[:, 1] + X[:, 2] + rng.logistic(size=800) > 0, "a", "b")
    frame = pd.DataFrame(X, columns=["u", "v", "w"])
    model = make_pipeline(PolynomialFeatures(2), LogisticRegression())
    result = interaction_test(model, frame, y, random_state=0)
    assert result.scale == "probability of class b"
    assert result.interaction_pvalues[0, 1] < 0.01
    table = interaction_table(result, feature_names=list(frame.columns))
    assert table.iloc[0][["feature_a", "feature_b"]].tolist() == ["u", "v"]


def test_errors():
    X, y = _data(n=40)
    with pytest.raises(ValueError, match="pass target=<label>, one of"):
        interaction_test(LogisticRegression(), X, np.arange(40) % 3)
    with pytest.raises(ValueError, match="not a class of y"):
        interaction_test(LogisticRegression(), X, np.arange(40) % 3, target=5)
    with pytest.raises(ValueError, match="column indices"):
        interaction_test(Ridge(), X, y, pairs=[(0, 7)])
    with pytest.raises(ValueError, match="two different"):
        interaction_test(Ridge(), X, y, pairs=[(1, 1)])
    bad = X.copy()
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        interaction_test(Ridge(), bad, y)
    # Missing values and text go to the model, which refuses them itself.
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        interaction_test(Ridge(), bad, y)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": ["x", "y"] * 20, "b": np.arange(40.0)})
    with pytest.raises(ValueError, match="could not convert"):
        interaction_test(Ridge(), frame, y)


def _mixed_frame(n, seed):
    """A raw table: a text column, a categorical one, a numeric column with
    missing values and two plain ones; y = 2 [c == 'a'] x + u w + noise."""
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(seed)
    c = rng.choice(["a", "b", "c"], size=n)
    x, u, w = rng.uniform(-1, 1, size=(3, n))
    y = 2.0 * (c == "a") * x + u * w + 0.5 * (c == "b") + 0.2 * rng.normal(size=n)
    u_missing = u.copy()
    u_missing[rng.rand(n) < 0.1] = np.nan
    frame = pd.DataFrame(
        {
            "c": c,
            "x": x,
            "u": u_missing,
            "w": w,
            "k": pd.Categorical(rng.choice(["p", "q"], size=n)),
        }
    )
    return frame, y


def _categorical_hgb():
    return HistGradientBoostingRegressor(
        categorical_features="from_dtype", max_iter=100, random_state=0
    )


def test_raw_table_with_text_categories_and_missing_values():
    frame, y = _mixed_frame(1500, 0)
    frame["c"] = frame["c"].astype("category")
    result = interaction_test(_categorical_hgb(), frame, y, random_state=0)
    # c x x and u x w (u with 10% missing values) are found; nothing else.
    found = {tuple(p) for p in np.argwhere(np.triu(result.interaction_significant))}
    assert found == {(0, 1), (2, 3)}
    assert np.isfinite(result.interaction_pvalues[np.triu_indices(5, 1)]).all()
    # The variance of 2 [c == a] x's pure interaction: 4 * pi (1 - pi) / 3
    # with pi = 1/3 (x uniform on (-1, 1)), on the 10-quantile grid of x.
    low, high = result.interaction_ci[0, 1]
    assert low < 4 * (1 / 3) * (2 / 3) / 3 < high


def test_text_columns_go_to_a_pipeline_as_text():
    frame, y = _mixed_frame(1200, 1)
    encode = make_column_transformer(
        (OneHotEncoder(), ["c", "k"]),
        (SimpleImputer(), ["u"]),
        remainder="passthrough",
    )
    model = make_pipeline(encode, PolynomialFeatures(2), Ridge(1e-3))
    result = interaction_test(model, frame, y, random_state=0)
    assert result.interaction_significant[0, 1]
    assert result.interaction_pvalues[0, 4] > 0.01


def test_grid_of_a_column_with_missing_values():
    column = np.array([np.nan, 0.0, 1.0, 1.0, np.nan, 2.0, 2.0, 2.0])
    grid = _grid(column, 10)
    # Three levels and a missing cell, whose grid value is NaN.
    np.testing.assert_array_equal(grid.points[:3], [0.0, 1.0, 2.0])
    assert np.isnan(grid.points[3]) and grid.missing == 3
    np.testing.assert_allclose(grid.weights, [1 / 8, 2 / 8, 3 / 8, 2 / 8])
    assert grid.reference == 1.0  # the median of the observed values
    np.testing.assert_array_equal(_cells(grid, column), [3, 0, 1, 1, 3, 2, 2, 2])
    # A categorical column's reference is its most frequent level, and a
    # level its grid's rows did not have falls in the reference's cell.
    levels = _grid(np.array([0.0, 1.0, 1.0, 3.0, 3.0, 3.0]), 10, True)
    assert levels.reference == 3
    np.testing.assert_array_equal(_cells(levels, np.array([1.0, 2.0, 3.0])), [1, 2, 2])


def test_estimand_labels_in_results_and_tables():
    X, y = _data(n=300)
    model = HistGradientBoostingRegressor(max_iter=10).fit(X, y)
    boot = pairwise_interactions(model, X, n_resamples=5, random_state=0)
    assert boot.estimand == "model"
    assert set(interaction_table(boot)["estimand"]) == {"model"}
    none = pairwise_interactions(model, X, uncertainty=None, random_state=0)
    assert none.estimand is None
    assert "estimand" not in interaction_table(none)
    result = interaction_test(_poly(), X, y, random_state=0)
    table = interaction_table(result)
    assert set(table["estimand"]) == {"data"}
    assert {"p_value", "p_value_adjusted", "significant"} <= set(table.columns)
    np.testing.assert_array_equal(
        table["significant"], table["p_value_adjusted"] <= 0.05
    )


def test_selector_test_uncertainty():
    X, y = _data(n=500)
    selector = InteractionSelector(
        _poly(), uncertainty="test", top_k=1, random_state=0
    ).fit(X, y)
    assert selector.interaction_estimand_ == "data"
    assert selector.interaction_ci_ is None
    assert selector.interaction_significant_[0, 1]
    assert selector.interaction_test_.estimand == "data"
    table = selector.interaction_table()
    assert set(table["estimand"]) == {"data"}
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(
            table["significant"], table["p_value_adjusted"] <= 0.05
        )
    selector.set_params(uncertainty="bootstrap", n_resamples=5).fit(X, y)
    assert selector.interaction_estimand_ == "model"
    assert not hasattr(selector, "interaction_pvalues_")
    frozen = InteractionSelector(FrozenEstimator(_poly().fit(X, y)), uncertainty="test")
    with pytest.raises(ValueError, match="cannot be refitted"):
        frozen.fit(X, y)


def test_bayesian_gains_the_test():
    X, y = _data(n=1500, p=3, noise=0.2)
    est = BayesianMLPRegressor(
        hidden_layer_sizes=(16, 16),
        max_epochs=50,
        n_draws=10,
        n_clusters=3,
        random_state=0,
    ).fit(X, y)
    assert est.interaction_estimand_ == "model"
    assert set(interaction_table(est)["estimand"]) == {"model"}
    result = est.interaction_test(X, y, random_state=0)
    assert result.estimand == "data"
    assert result.interaction_pvalues.shape == (3, 3)
    assert result.interaction_pvalues[0, 1] < 0.05
    # The fitted model is untouched.
    assert est.n_draws == 10


def test_bayesian_classifier_tests_one_class():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 3))
    y = np.array(["a", "b", "c"])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 0)]
    est = BayesianMLPClassifier(
        hidden_layer_sizes=(8,),
        max_epochs=5,
        n_draws=2,
        max_samples=20,
        n_clusters=1,
        random_state=0,
    ).fit(X, y)
    with pytest.raises(ValueError, match="pass target"):
        est.interaction_test(X, y)
    result = est.interaction_test(X, y, target="b", random_state=0)
    assert result.scale == "probability of class b"


def test_display_names_the_estimand(pyplot):
    from sklearn_interact.inspection import InteractionDisplay

    X, y = _data(n=400)
    result = interaction_test(_poly(), X, y, n_resamples=3, random_state=0)
    disp = InteractionDisplay.from_estimator(result, kind="bar", top_k=3)
    assert disp.estimand == "data"
    assert "data's interaction" in disp.ax_.get_title()
    model = HistGradientBoostingRegressor(max_iter=10).fit(X, y)
    disp = InteractionDisplay.from_estimator(
        model, X, kind="bar", top_k=3, n_resamples=5, random_state=0
    )
    assert "fitted model's" in disp.ax_.get_title()


def test_multiclass_classifier_tests_the_probability_of_one_class():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(1500, 3))
    # Class "c" when x0 x1 is large, else "a" or "b" by the sign of x2.
    y = np.where(X[:, 0] * X[:, 1] > 0.25, "c", np.where(X[:, 2] > 0, "a", "b"))
    model = HistGradientBoostingClassifier(max_iter=40, random_state=0)
    result = interaction_test(model, X, y, target="c", random_state=0)
    assert result.scale == "probability of class c"
    assert result.interaction_significant[0, 1]
    assert not result.interaction_significant[0, 2]
    assert not result.interaction_significant[1, 2]
    # InteractionSelector tests the class it explains.
    selector = InteractionSelector(
        model, uncertainty="test", target="c", random_state=0
    ).fit(X, y)
    assert selector.interaction_test_.scale == "probability of class c"
    assert selector.interaction_significant_[0, 1]


def test_estimates_that_depend_on_the_refit_are_flagged_and_replaced():
    # x1 nearly duplicates x0 and y = sin(3 x0) + x2 has no interaction. A
    # degree-5 polynomial refit spreads sin(3 x0) over x0 and x1 with large
    # coefficients that cancel on the data's support only: its anchored parts
    # (x1 at its central value beside any x0) explode, and the estimates with
    # them reached 140-190 for the additive pairs with x2.
    rng = np.random.RandomState(0)
    x0, x2 = rng.uniform(-1, 1, size=(2, 1500))
    X = np.column_stack([x0, x0 + 0.05 * rng.normal(size=1500), x2])
    y = np.sin(3 * x0) + x2 + 0.1 * rng.normal(size=1500)
    model = make_pipeline(PolynomialFeatures(5), LinearRegression())
    with pytest.warns(UserWarning, match=r"x0 x x2, x1 x x2 depends on the refit"):
        result = interaction_test(model, X, y, random_state=0)
    # Those pairs now get the estimate of the target alone: about 0.
    assert result.interactions[0, 2] < 0.01 and result.interactions[1, 2] < 0.01
    assert result.interaction_ci[0, 2, 0] == 0.0
    # Independent columns: both estimates agree, and nothing is flagged.
    X_ind, y_ind = _data(n=1500)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        interaction_test(model, X_ind, y_ind, random_state=0)
