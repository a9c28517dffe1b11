"""Column types, scales and codes of mixed tables, and their interactions."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from sklearn_interact import InteractionSelector
from sklearn_interact.inspection import (
    group_interactions,
    higher_order_interactions,
    local_interactions,
    pairwise_interactions,
)
from sklearn_interact.inspection._features import TabularData, tabular_input

COLUMNS = ["c", "b", "d", "x"]


def _mixed(n=400, seed=0, missing=False):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(
        {
            "c": pd.Categorical(rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])),
            "b": rng.randint(0, 2, n),
            "d": rng.randint(1, 5, n),
            "x": rng.uniform(-1, 1, n),
        }
    )
    if missing:
        X.loc[rng.rand(n) < 0.1, "x"] = np.nan
        X["c"] = X["c"].astype(object)
        X.loc[rng.rand(n) < 0.1, "c"] = None
    return X


class Known(RegressorMixin, BaseEstimator):
    """A fitted function of the columns c, b, d, x of a DataFrame.

    ``terms`` picks the interactions: "bx" 2 b x, "cx" 3 [c=a] x, "bd"
    0.5 b d, "cb" 4 [c=b] b; "main" adds main effects of every column.
    """

    def __init__(self, terms=("bx", "cx", "bd", "cb", "main")):
        self.terms = terms

    def fit(self, X, y=None):
        self.n_features_in_ = 4
        self.feature_names_in_ = np.asarray(COLUMNS, dtype=object)
        return self

    def predict(self, X):
        c = np.asarray(X["c"], dtype=object)
        b = np.asarray(X["b"], dtype=float)
        d = np.asarray(X["d"], dtype=float)
        x = np.asarray(X["x"], dtype=float)
        is_a, is_b = (c == "a").astype(float), (c == "b").astype(float)
        out = np.zeros(len(x))
        if "bx" in self.terms:
            out += 2 * b * x
        if "cx" in self.terms:
            out += 3 * is_a * x
        if "bd" in self.terms:
            out += 0.5 * b * d
        if "cb" in self.terms:
            out += 4 * is_b * b
        if "main" in self.terms:
            out += np.sin(x) + d**2 - b + 2 * is_a - (c == "c")
        return out


def test_types_are_inferred_from_dtypes_and_values():
    X = _mixed()
    X["s"] = np.where(X["b"] == 1, "yes", "no")
    X["f"] = X["x"] * 1000
    data = TabularData(X)
    assert data.kinds == [
        "categorical",
        "binary",
        "discrete",
        "continuous",
        "categorical",
        "continuous",
    ]
    assert list(data.levels[0]) == ["a", "b", "c"]  # most frequent first
    np.testing.assert_allclose(data.frequencies[0].sum(), 1.0)
    # Overrides by name and index.
    data = TabularData(X, {"d": "continuous", 1: "categorical"})
    assert data.kinds[1:4] == ["categorical", "continuous", "continuous"]
    with pytest.raises(ValueError, match="non-numeric"):
        TabularData(X, {"s": "continuous"})
    with pytest.raises(ValueError, match="Unknown feature type"):
        TabularData(X, {"x": "ordinal"})
    with pytest.raises(ValueError, match="not a column"):
        TabularData(X, {"zzz": "binary"})


def test_scales_resist_outliers_and_compare_across_types():
    rng = np.random.RandomState(0)
    heavy = rng.standard_t(1, size=5000)  # Cauchy: the std is dominated by outliers
    uniform = rng.uniform(-1, 1, size=5000)
    data = TabularData(np.column_stack([heavy, uniform, rng.randint(0, 2, 5000)]))
    # Cauchy: the 1% tails lie beyond the far fences and are clipped to the
    # 1st and 99th percentiles (taken as observed values).
    q25, q75 = np.quantile(heavy, [0.25, 0.75])
    order = np.sort(heavy)
    lo, hi = order[int(np.floor(0.01 * 4999))], order[int(np.ceil(0.99 * 4999))]
    assert lo < q25 - 3 * (q75 - q25) and hi > q75 + 3 * (q75 - q25)
    assert data.scale[0] == pytest.approx(np.clip(heavy, lo, hi).std())
    assert data.scale[0] < heavy.std() / 10
    assert data.scale[1] == uniform.std()  # light tails: nothing is far out
    # A single outlier beyond the fences, in the top 1% of its column, is
    # clipped to the fence (the 99th percentile lies inside it).
    normal = np.r_[rng.normal(size=999), 1e3]
    q25, q75 = np.quantile(normal, [0.25, 0.75])
    fence = q75 + 3 * (q75 - q25)
    assert TabularData(normal[:, None]).scale[0] == pytest.approx(
        np.minimum(normal, fence).std()
    )
    assert data.scale[2] == pytest.approx(data.codes[:, 2].std())
    # A skewed column keeps most of its spread (the interquartile range would
    # shrink a lognormal column to half its std).
    skewed = np.exp(rng.normal(size=5000))
    assert 0.7 * skewed.std() < TabularData(skewed[:, None]).scale[0] < skewed.std()
    # A spike (a sparse count: 98.5% zeros) has no fences and keeps its
    # standard deviation: clipping would remove the rows that make its spread.
    spike = np.r_[np.zeros(985), np.linspace(1.5, 7.5, 15)]
    assert TabularData(spike[:, None]).scale[0] == pytest.approx(spike.std())
    # A two-level categorical column has the scale of its 0/1 indicator.
    two = TabularData(pd.DataFrame({"g": ["u", "v", "v", "v"]}))
    assert two.scale[0] == pytest.approx(np.std([0, 1, 1, 1]))


def test_codes_decode_to_the_original_frame():
    X = _mixed(missing=True)
    data = TabularData(X)
    back = data.decode(data.codes)
    assert list(back.columns) == COLUMNS
    assert back["d"].dtype == X["d"].dtype
    pd.testing.assert_series_equal(back["x"], X["x"])
    assert back["c"].tolist() == X["c"].tolist()


def test_each_type_pair_equals_its_hand_computed_contrast():
    X = _mixed()
    model = Known().fit(X)
    data = TabularData(X)
    r = pairwise_interactions(
        model, X, aggregation="eah", uncertainty=None, max_samples=None
    )
    std_b, s_d, s_x = data.scale[1], data.scale[2], data.scale[3]
    assert r.feature_types == ["categorical", "binary", "discrete", "continuous"]
    M = r.interactions
    # binary x continuous: the slope of x changes by 2 between the levels of b.
    assert M[1, 3] == pytest.approx(2 * std_b * s_x)
    # binary x discrete: the slope of d changes by 0.5.
    assert M[1, 2] == pytest.approx(0.5 * std_b * s_d)
    # categorical x continuous: the slope of x is 3 higher at level a; the
    # value is the frequency-weighted standard deviation of the slope across
    # the levels, whatever the row's own level.
    pi = np.asarray(data.frequencies[0]) / np.sum(data.frequencies[0])
    assert M[0, 3] == pytest.approx(3.0 * np.sqrt(pi[0] * (1 - pi[0])) * s_x)
    # categorical x binary: the effect of b is 4 higher at level b.
    assert M[0, 1] == pytest.approx(4.0 * np.sqrt(pi[1] * (1 - pi[1])) * std_b)
    # No interaction: exactly zero.
    assert M[0, 2] == pytest.approx(0.0, abs=1e-12)
    assert M[2, 3] == pytest.approx(0.0, abs=1e-12)


def test_additive_mixed_model_has_no_interaction():
    X = _mixed(missing=True)
    model = Known(terms=("main",)).fit(X)
    r = pairwise_interactions(model, X, uncertainty=None)
    np.testing.assert_allclose(r.interactions, 0.0, atol=1e-12)
    high = higher_order_interactions(model, X, max_order=3, random_state=0)
    assert max(high.higher_order_interactions.values()) == pytest.approx(0, abs=1e-12)


def test_missing_values_are_left_out_of_each_pair():
    X = _mixed(missing=True)
    model = Known(terms=("bx",)).fit(X)
    r = local_interactions(model, X)
    values = r.interaction_values
    missing_x = X["x"].isna().to_numpy()
    # Pairs with x are undefined where x is missing, defined elsewhere.
    assert np.all(np.isnan(values[missing_x, 1, 3]))
    np.testing.assert_allclose(values[~missing_x, 1, 3], 2.0)  # per unit
    # Globally, the pair is measured on the observed rows only.
    data = TabularData(X)
    g = pairwise_interactions(model, X, aggregation="eah", uncertainty=None)
    assert g.interactions[1, 3] == pytest.approx(2 * data.scale[1] * data.scale[3])
    assert np.all(np.isfinite(g.interactions))


def test_reordered_or_renamed_frame_is_an_error():
    X = _mixed()
    model = Known().fit(X)
    with pytest.raises(ValueError, match="same order"):
        pairwise_interactions(model, X[["b", "c", "d", "x"]])
    with pytest.raises(ValueError, match="unseen at fit time"):
        pairwise_interactions(model, X.rename(columns={"x": "z"}))
    with pytest.raises(ValueError, match="expecting 4 features"):
        pairwise_interactions(model, X[["c", "b", "d"]])


def test_binary_feature_of_a_tree_is_seen():
    """The issue's example: y = 3 x0 x1 + x2 with a 0/1 column x1."""
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(1000, 4))
    X[:, 1] = rng.randint(0, 2, 1000)
    y = 3 * X[:, 0] * X[:, 1] + X[:, 2]
    for model in (
        HistGradientBoostingRegressor(random_state=0),
        RandomForestRegressor(n_estimators=30, random_state=0),
    ):
        sel = InteractionSelector(model, random_state=0, n_resamples=30).fit(X, y)
        assert sel.feature_types_[1] == "binary"
        assert sel.top_k_pairs_[0] == (0, 1)
        assert sel.interaction_ci_[0, 1, 0] > 0


def test_silent_feature_is_named():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(300, 3))
    model = LinearRegression().fit(X[:, :2], X[:, 0])
    model.coef_ = np.array([1.0, 0.0])

    with pytest.warns(UserWarning, match=r"\['x1'\] never changed"):
        pairwise_interactions(model, X[:, :2], uncertainty=None)


def test_raw_frame_through_a_pipeline_with_strings_and_nan():
    X = _mixed(missing=True)
    X["c"] = X["c"].astype(object)
    y = Known().fit(X).predict(X.fillna({"x": 0.0}))
    pipe = make_pipeline(
        ColumnTransformer(
            [
                (
                    "cat",
                    make_pipeline(
                        SimpleImputer(strategy="most_frequent"), OneHotEncoder()
                    ),
                    ["c"],
                )
            ],
            remainder=SimpleImputer(),
        ),
        HistGradientBoostingRegressor(random_state=0),
    ).fit(X, y)
    sel = InteractionSelector(pipe, prefit=True, random_state=0, top_k=3).fit(X, y)
    assert sel.feature_types_ == ["categorical", "binary", "discrete", "continuous"]
    top = {frozenset(p) for p in sel.top_k_pairs_}
    assert frozenset((1, 3)) in top and frozenset((0, 3)) in top
    names = sel.get_feature_names_out()
    assert list(names[:4]) == COLUMNS
    out = sel.transform(X)
    assert out.shape == (len(X), len(names))
    table = sel.interaction_table()
    assert set(table.feature_a) <= set(COLUMNS)


def test_transform_appends_per_level_slopes_and_combined_levels():
    X = _mixed()
    model = Known(terms=("cx", "cb")).fit(X)
    sel = InteractionSelector(
        model, prefit=True, top_k=2, uncertainty=None, random_state=0
    ).fit(X, model.predict(X))
    assert {frozenset(p) for p in sel.top_k_pairs_} == {
        frozenset((0, 3)),
        frozenset((0, 1)),
    }
    names = list(sel.get_feature_names_out())
    assert "c=a*x" in names and "c=b*b" in names
    out = sel.transform(X)
    col = names.index("c=a*x")
    np.testing.assert_allclose(
        out[:, col].astype(float), X["x"] * (X["c"] == "a").to_numpy()
    )
    # Two categorical columns append their combined level.
    X2 = X.assign(b=np.where(X["b"] == 1, "yes", "no"))
    sel.set_params(feature_types=None)
    assert TabularData(X2).kinds[1] == "categorical"


def test_group_interactions_between_categorical_columns():
    """y = 3 [c1 == a and c2 == u] + x: c1 x c2 is the only interaction."""
    rng = np.random.RandomState(0)
    n = 2000
    X = pd.DataFrame(
        {
            "c1": rng.choice(["a", "b", "c"], n),
            "c2": rng.choice(["u", "v"], n),
            "x": rng.normal(size=n),
        }
    )
    y = 3.0 * ((X.c1 == "a") & (X.c2 == "u")) + X.x
    pipe = make_pipeline(
        ColumnTransformer(
            [("cat", OneHotEncoder(), ["c1", "c2"])], remainder="passthrough"
        ),
        HistGradientBoostingRegressor(random_state=0),
    ).fit(X, y)
    result = group_interactions(pipe, X, random_state=0)
    assert result.group_names == ["c1", "c2", "x"]
    assert result.top_k_names[0] == ("c1", "c2")
    G = result.interactions
    # The mean square of the doubly centred table of 3 [c1 == a][c2 == u]:
    # the variance of the pure interaction, 9 pi_a (1 - pi_a) pi_u (1 - pi_u).
    pa, pu = (X.c1 == "a").mean(), (X.c2 == "u").mean()
    assert G[0, 1] == pytest.approx(9 * pa * (1 - pa) * pu * (1 - pu), rel=0.02)
    assert G[0, 1] > 20 * max(G[0, 2], G[1, 2])


def test_tabular_input_errors():
    with pytest.raises(ValueError, match="infinity|infinite"):
        tabular_input(np.array([[1.0, np.inf]]))
    with pytest.raises(ValueError, match="Complex"):
        tabular_input(np.array([[1 + 1j, 2.0]]))
    with pytest.raises(ValueError, match="0 sample"):
        tabular_input(pd.DataFrame({"a": []}))
    data = tabular_input(np.array([[1.0, np.nan], [2.0, 3.0]]))
    assert np.isnan(data.codes[0, 1])


class Jagged(RegressorMixin, BaseEstimator):
    """x times a sign that flips at random from row to row: an interaction of
    c (or of the numeric column w) with x that cancels on average."""

    def fit(self, X, y=None):
        self.n_features_in_ = 4
        self.feature_names_in_ = np.asarray(["c", "w", "x", "z"], dtype=object)
        return self

    def predict(self, X):
        c = np.asarray(X["c"], dtype=object)
        x, w = np.asarray(X["x"], float), np.asarray(X["w"], float)
        sign = np.sign(np.sin(1e4 * np.asarray(X["z"], float)))
        slope = np.where(c == "a", 1.0, np.where(c == "b", -1.0, 0.0))
        return sign * x * (slope + w)


def test_categorical_pairs_cancel_like_numeric_ones():
    """M-GEH averages the signed level contrasts of a categorical column within
    each cluster, so row-to-row sign noise cancels for c x x as it does for the
    numeric pair w x x (before, c x x kept its full root mean square)."""
    rng = np.random.RandomState(0)
    n = 1000
    X = pd.DataFrame(
        {
            "c": rng.choice(["a", "b", "c"], n),
            "w": rng.uniform(-1, 1, n),
            "x": rng.uniform(-1, 1, n),
            "z": rng.uniform(-1, 1, n),
        }
    )
    model = Jagged().fit(X)
    eah = pairwise_interactions(model, X, aggregation="eah", uncertainty=None)
    geh = pairwise_interactions(
        model, X, aggregation="geh", n_clusters=5, uncertainty=None, random_state=0
    )
    c, w, x = 0, 1, 2
    assert eah.interactions[c, x] > 0.3 and eah.interactions[w, x] > 0.3
    assert geh.interactions[w, x] < 0.2 * eah.interactions[w, x]
    assert geh.interactions[c, x] < 0.2 * eah.interactions[c, x]
    # A consistent categorical interaction does not cancel: M-GEH equals EAH.
    known = Known(terms=("cx",)).fit(_mixed())
    a = pairwise_interactions(known, _mixed(), aggregation="eah", uncertainty=None)
    g = pairwise_interactions(
        known, _mixed(), aggregation="geh", uncertainty=None, random_state=0
    )
    assert g.interactions[0, 3] == pytest.approx(a.interactions[0, 3])


@pytest.mark.parametrize("aggregation", ["geh", "eah"])
def test_streamed_categorical_components_equal_whole(monkeypatch, aggregation):
    """Rows in chunks of 256: a categorical pair's components are summed
    chunk by chunk and give the scores of all rows at once."""
    from sklearn_interact.inspection import _pairwise

    X = _mixed(n=700, missing=True)
    model = Known().fit(X)
    kwargs = dict(
        aggregation=aggregation, max_samples=None, n_resamples=20, random_state=0
    )
    whole = pairwise_interactions(model, X, **kwargs)
    monkeypatch.setattr(_pairwise, "_STREAM_ELEMENTS", 1)
    chunked = pairwise_interactions(model, X, **kwargs)
    np.testing.assert_allclose(chunked.interactions, whole.interactions, rtol=1e-10)
    assert chunked.interactions[0, 3] > 0  # c x x
