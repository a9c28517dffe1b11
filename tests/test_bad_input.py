"""A corpus of bad and edge-case inputs across the whole public API.

Every public function, estimator method and display is called with every
input variant of a compact table: NaN, infinity, strings, complex numbers,
sparse matrices, 0/1/2 rows, 0/1 feature, constant and duplicated columns,
magnitudes of 1e12 and 1e-12, float32, integers, lists, DataFrames with
renamed or reordered columns, the wrong width, 1-D and 3-D arrays, and bad
targets (NaN, infinity, wrong length, two columns, strings, none, constant).
Further cases cover unfitted and multi-output models, exact methods on
black boxes, ``top_k`` above the number of pairs, the permutation null,
group references, metrics, datasets, and an invalid value for every
validated parameter of every public function and estimator.

Each case expects either a clear scikit-learn style error (the exception
type and words of its message are part of the case) or a documented
behaviour, checked on the result: every number finite, and no interaction
matrix that is all zeros without a warning saying why.

``TABULAR_CASES`` holds the cases of real tables (issue 13): strings or NaN
given to a Pipeline that encodes or imputes them are measured, and renamed
or reordered DataFrame columns given to any function are an error, as they
are for the model's own ``predict``.
"""

import functools
import inspect
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from sklearn.base import BaseEstimator, clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils import Bunch
from sklearn.utils._param_validation import InvalidParameterError, make_constraint

import sklearn_interact.datasets as datasets_module
import sklearn_interact.inspection as inspection_module
import sklearn_interact.metrics as metrics_module
from sklearn_interact import (
    BayesianMLPRegressor,
    InteractionSelector,
    NITRegressor,
    ParaACERegressor,
)
from sklearn_interact.datasets import (
    make_tsang_function,
    true_interaction_pairs,
    tsang_function,
)
from sklearn_interact.inspection import (
    AdditiveTermsDisplay,
    InteractionDependenceDisplay,
    InteractionDisplay,
    LocalInteractionDisplay,
    expected_hessians,
    group_interactions,
    higher_order_interactions,
    integrated_hessians,
    interaction_table,
    interaction_test,
    local_interactions,
    make_model_function,
    pairwise_interactions,
    permutation_null,
)
from sklearn_interact.metrics import (
    higher_order_roc_auc,
    interaction_roc_auc,
    interaction_stability_score,
    mean_true_pair_rank,
)

pytest.importorskip("matplotlib")

N, P = 60, 4
NAMES = ["a", "b", "c", "d"]


# ---------------------------------------------------------------------------
# Expectations.
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Raises:
    """A clear error: its type and words that name the problem."""

    exc: type | tuple
    match: str


@dataclass(frozen=True)
class Works:
    """A documented behaviour: finite output (unless ``finite=False``: missing
    values in, missing values out), ``warns`` (a regex) emitted,
    ``check(result)`` true; an all-zero interaction matrix needs a warning."""

    warns: str | None = None
    check: object = None
    finite: bool = True


def _arrays(value, depth=0):
    """Every numeric array reachable from a result (Bunch, estimator, ...)."""
    if depth > 3:
        return
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            yield value
    elif isinstance(value, (pd.DataFrame, pd.Series)):
        yield from _arrays(value.select_dtypes("number").to_numpy(), depth + 1)
    elif isinstance(value, dict):  # Bunch too
        for v in value.values():
            yield from _arrays(v, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _arrays(v, depth + 1)
    elif isinstance(value, float):
        yield np.asarray([value])
    elif hasattr(value, "get_params") and hasattr(value, "__dict__"):
        for name, v in vars(value).items():
            if name.endswith("_") and not name.startswith("_"):
                yield from _arrays(v, depth + 1)


def _interaction_matrices(value):
    if isinstance(value, Bunch) and "interactions" in value:
        yield value.interactions
    matrix = getattr(value, "interactions_", None)
    if isinstance(matrix, np.ndarray):
        yield matrix


def _run(call, expect):
    if isinstance(expect, Raises):
        with pytest.raises(expect.exc, match=expect.match):
            call()
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    messages = [str(w.message) for w in caught]
    if expect.warns is not None:
        assert any(re.search(expect.warns, m) for m in messages), (
            f"expected a warning matching {expect.warns!r}, got {messages}"
        )
    for array in _arrays(result):
        if expect.finite:
            assert np.all(np.isfinite(array)), "non-finite values in the result"
        else:
            assert not np.isinf(array).any(), "infinite values in the result"
    for matrix in _interaction_matrices(result):
        off = matrix[~np.eye(matrix.shape[0], dtype=bool)]
        if off.size and np.all(off == 0):
            assert messages, "all interactions are 0 and nothing said why"
    if expect.check is not None:
        assert expect.check(result), "the documented behaviour does not hold"


# ---------------------------------------------------------------------------
# Data.
# ---------------------------------------------------------------------------
def _base():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(N, P))
    y = X[:, 0] * X[:, 1] + 0.5 * X[:, 2] + 0.05 * rng.normal(size=N)
    return X, y


X0, Y0 = _base()


def _with(X, row, col, value):
    X = np.array(X, dtype=object if isinstance(value, str) else X.dtype)
    X[row, col] = value
    return X


@dataclass(frozen=True)
class Variant:
    """One way of being given X: the data models are fitted on (``fit``),
    the data passed to the call (``call``) and the default expectations for
    a call on a fitted model (``on_fitted``) and for a ``fit`` (``on_fit``)."""

    name: str
    call: object
    on_fitted: object
    on_fit: object = None
    fit: object = None
    y: object = None

    def X_fit(self):
        return X0 if self.fit is None else self.fit()

    def X_call(self):
        return self.call()

    def y_fit(self):
        return Y0 if self.y is None else self.y()

    def fit_expectation(self):
        return self.on_fitted if self.on_fit is None else self.on_fit


def _frame(X, names=NAMES):
    return pd.DataFrame(np.asarray(X, dtype=float), columns=names)


NAN = Raises(ValueError, "NaN")
INF = Raises(ValueError, "[Ii]nfinity")
WIDTH = Raises(ValueError, r"X has \d features, but .* is expecting \d features")
NAMES_ERR = Raises(ValueError, "feature names")
ONE_ROW_GLOBAL = Raises(ValueError, "at least 2 rows|minimum of 2")
MIN_2 = Raises(ValueError, "minimum of 2 is required")


def _constant_column():
    X = X0.copy()
    X[:, 2] = 0.7
    return X


def _duplicated_column():
    X = X0.copy()
    X[:, 3] = X[:, 0]
    return X


def _one_feature_y():
    return np.sin(3 * X0[:, 0])


VARIANTS = [
    # Values that no numeric model can take.
    Variant("nan", lambda: _with(X0, 3, 1, np.nan), NAN),
    Variant("inf", lambda: _with(X0, 3, 1, np.inf), INF),
    Variant("neg_inf", lambda: _with(X0, 3, 1, -np.inf), INF),
    Variant(
        "strings",
        lambda: np.array([["x"] * P] * N, dtype=object),
        Raises(ValueError, "could not convert string to float"),
    ),
    Variant(
        "one_string",
        lambda: _with(X0, 5, 0, "oops"),
        Raises(ValueError, "could not convert string to float"),
    ),
    Variant(
        "none_entry",
        lambda: _with(X0.astype(object), 5, 0, None),
        Raises((ValueError, TypeError), "NaN|float|None"),
    ),
    Variant(
        "complex",
        lambda: X0 + 1j,
        Raises(ValueError, "Complex data not supported"),
    ),
    Variant(
        "sparse",
        lambda: sp.csr_matrix(X0),
        # The functions' parameter validation says "array-like ... Got
        # <Compressed Sparse Row sparse matrix>", the estimators "Sparse data
        # was passed"; InvalidParameterError is a TypeError too.
        Raises(TypeError, "[Ss]parse"),
    ),
    # Shapes.
    Variant("zero_rows", lambda: X0[:0], Raises(ValueError, "0 sample")),
    Variant("zero_features", lambda: X0[:, :0], Raises(ValueError, "0 feature")),
    Variant("one_d", lambda: X0[:, 0], Raises(ValueError, "Expected 2D array")),
    Variant("three_d", lambda: X0[:, :, None], Raises(ValueError, "dim")),
    Variant("width_minus_one", lambda: X0[:, :-1], WIDTH, on_fit=Works()),
    Variant(
        "width_plus_one", lambda: np.hstack([X0, X0[:, :1]]), WIDTH, on_fit=Works()
    ),
    Variant("one_row", lambda: X0[:1], Works(), on_fit=MIN_2),
    Variant("two_rows", lambda: X0[:2], Works(), on_fit=Works()),
    Variant(
        "one_feature",
        lambda: X0[:, :1],
        Works(check=lambda r: True),
        fit=lambda: X0[:, :1],
        y=_one_feature_y,
    ),
    # Values a model can take: the documented behaviour.
    Variant(
        "constant_column",
        _constant_column,
        Works(warns="constant"),
        fit=_constant_column,
    ),
    Variant(
        "duplicated_column",
        _duplicated_column,
        Works(warns="identical"),
        fit=_duplicated_column,
    ),
    Variant("huge", lambda: X0 * 1e12, Works(), fit=lambda: X0 * 1e12),
    Variant("tiny", lambda: X0 * 1e-12, Works(), fit=lambda: X0 * 1e-12),
    Variant(
        "float32",
        lambda: X0.astype(np.float32),
        Works(),
        fit=lambda: X0.astype(np.float32),
    ),
    Variant(
        "integers",
        lambda: np.round(X0 * 10).astype(int),
        Works(),
        fit=lambda: np.round(X0 * 10).astype(int),
    ),
    Variant("lists", lambda: X0.tolist(), Works()),
    Variant("object_numbers", lambda: X0.astype(object), Works()),
    Variant("dataframe", lambda: _frame(X0), Works(), fit=lambda: _frame(X0)),
    Variant(
        "renamed_columns",
        lambda: _frame(X0, ["a", "b", "c", "z"]),
        NAMES_ERR,
        on_fit=Works(),
        fit=lambda: _frame(X0),
    ),
    Variant(
        "reordered_columns",
        lambda: _frame(X0)[["b", "a", "c", "d"]],
        NAMES_ERR,
        on_fit=Works(),
        fit=lambda: _frame(X0),
    ),
]
VARIANT = {v.name: v for v in VARIANTS}

Y_VARIANTS = {
    "y_nan": (lambda: _with(Y0[:, None], 3, 0, np.nan)[:, 0], NAN),
    "y_inf": (lambda: _with(Y0[:, None], 3, 0, np.inf)[:, 0], INF),
    "y_wrong_length": (
        lambda: Y0[:-1],
        Raises(ValueError, "inconsistent numbers of samples"),
    ),
    "y_two_columns": (
        lambda: np.column_stack([Y0, Y0]),
        Raises(ValueError, "1d array|outputs"),
    ),
    "y_column": (lambda: Y0[:, None], Works(warns="column-vector y|1d array")),
    "y_strings": (
        lambda: np.array(["u", "v"] * (N // 2), dtype=object),
        Raises(ValueError, "could not convert string to float|[Nn]umeric"),
    ),
    "y_none": (lambda: None, Raises(ValueError, "requires y")),
    "y_constant": (lambda: np.full(N, 3.0), Works(warns="constant")),
}


# ---------------------------------------------------------------------------
# Models (fitted once per worker and per training data).
# ---------------------------------------------------------------------------
def _torch_model(p):
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(p, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)
    ).double()


def _rows(X):
    shape = getattr(X, "shape", None)
    return shape[0] if shape is not None and len(shape) else len(X)


def _y_for(X):
    """The base target, cut to the rows of X."""
    return Y0[: _rows(X)] if 0 < _rows(X) <= N else Y0


@functools.cache
def fitted_model(kind, variant="base"):
    """A model of ``kind`` fitted on the training data of ``variant``."""
    X = X0 if variant == "base" else VARIANT[variant].X_fit()
    y = Y0 if variant == "base" else VARIANT[variant].y_fit()
    if kind == "hgb":
        return HistGradientBoostingRegressor(
            max_iter=15, min_samples_leaf=3, random_state=0
        ).fit(X, y)
    if kind == "mlp":
        return make_pipeline(
            StandardScaler(),
            MLPRegressor(hidden_layer_sizes=(8,), max_iter=300, random_state=0),
        ).fit(X, y)
    if kind == "torch":
        return _torch_model(np.shape(X)[1])
    return ESTIMATORS[kind]().fit(X, y)


def _selector():
    return InteractionSelector(
        HistGradientBoostingRegressor(max_iter=15, min_samples_leaf=3, random_state=0),
        top_k=3,
        n_resamples=10,
        max_samples=40,
        random_state=0,
    )


def _nit():
    return NITRegressor(
        n_blocks=3,
        hidden_layer_sizes=(4,),
        max_epochs=3,
        max_disentangle_epochs=3,
        batch_size=32,
        random_state=0,
    )


def _paraace():
    return ParaACERegressor(
        HistGradientBoostingRegressor(max_iter=5, random_state=0),
        n_interactions=2,
        hidden_layer_sizes=(4,),
        n_fixup=2,
        max_epochs=3,
        max_pulls=10,
        batch_size=32,
        random_state=0,
    )


def _bayes():
    return BayesianMLPRegressor(
        hidden_layer_sizes=(8, 8),
        n_draws=4,
        max_samples=30,
        n_clusters=2,
        max_epochs=3,
        batch_size=32,
        random_state=0,
    )


ESTIMATORS = {
    "selector": _selector,
    "selector_pipeline": lambda: make_pipeline(_selector(), Ridge()),
    "nit": _nit,
    "paraace": _paraace,
    "bayes": _bayes,
}


# ---------------------------------------------------------------------------
# Targets: every public callable that takes X.
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A public callable given X.

    ``call(model, X, y)``; ``model`` is the kind of fitted model it is given
    (None when ``fits``: it fits on X itself); ``measures``: whether it
    measures interactions (and so warns about constant or identical columns);
    ``overrides``: variant name -> expectation, where the variant's default
    does not apply (None: the case is left out, see TABULAR_CASES).
    """

    name: str
    call: object
    model: str | None = None
    fits: bool = False
    measures: bool = True
    overrides: dict = field(default_factory=dict)


def _plot(make):
    def call(model, X, y):
        display = make(model, X, y)
        plt = pytest.importorskip("matplotlib.pyplot")
        plt.close("all")
        # A display is judged by the arrays it plots.
        return {
            k: v
            for k, v in vars(display).items()
            if isinstance(v, np.ndarray) and not k.endswith("_")
        }

    return call


NO_PAIRS = Works(check=lambda r: r.top_k_pairs == [] and r.pair_scores.size == 0)
# The functional API checks DataFrame names against the model's; these two
# cases live in TABULAR_CASES.
NAMES_LATER_FOR_NAMED = {"renamed_columns": None, "reordered_columns": None}
PER_ROW = {"constant_column": Works(), "duplicated_column": Works()}


# HistGradientBoosting takes missing values natively, and the functions pass X
# to the model as it is (issue 13): a finite result, no error.
NAN_OK = {"nan": Works(), "none_entry": Works()}
# InteractionSelector.transform appends products: a missing value stays missing.
NAN_KEPT = {
    "nan": Works(finite=False, check=lambda r: np.isnan(np.asarray(r, float)).any()),
    "none_entry": Works(
        finite=False, check=lambda r: np.isnan(np.asarray(r, float)).any()
    ),
}


def _functional_targets(kind):
    exact = kind != "hgb"
    # A black box's local steps and levels come from the rows of X: one row
    # has no spread, and would give exactly 0 everywhere.
    one_row_local = (
        {} if exact else {"one_row": Raises(ValueError, "one row has no spread")}
    )
    nan = NAN_OK if kind == "hgb" else {}
    # A torch module has no feature names: its columns are positional, so a
    # renamed or reordered DataFrame is read by position (documented).
    names_later = (
        {"renamed_columns": Works(), "reordered_columns": Works()}
        if kind == "torch"
        else NAMES_LATER_FOR_NAMED
    )
    global_cases = {"one_row": ONE_ROW_GLOBAL, **names_later}
    targets = [
        Target(
            f"pairwise_interactions[{kind}]",
            lambda m, X, y: pairwise_interactions(
                m, X, n_resamples=10, max_samples=40, random_state=0
            ),
            kind,
            overrides={**nan, **global_cases, "one_feature": NO_PAIRS},
        ),
        Target(
            f"pairwise_interactions[ucb][{kind}]",
            lambda m, X, y: pairwise_interactions(
                m,
                X,
                search="ucb",
                method="finite_difference",
                top_k=2,
                max_pulls=8,
                random_state=0,
            ),
            kind,
            overrides={**nan, **global_cases, "one_feature": NO_PAIRS},
        ),
        Target(
            f"local_interactions[{kind}]",
            lambda m, X, y: local_interactions(m, X, max_samples=5, random_state=0),
            kind,
            overrides={**nan, **names_later, **PER_ROW, **one_row_local},
        ),
        Target(
            f"higher_order_interactions[{kind}]",
            lambda m, X, y: higher_order_interactions(
                m, X, max_samples=8, random_state=0
            ),
            kind,
            overrides={
                **nan,
                **global_cases,
                "one_feature": Raises(ValueError, "max_order=3 exceeds"),
            },
        ),
        Target(
            f"group_interactions[{kind}]",
            lambda m, X, y: group_interactions(
                m, X, {"ab": [0, 1], "c": [2], "d": [3]}, max_samples=20
            ),
            kind,
            overrides={
                **global_cases,
                "one_feature": Raises(ValueError, "indices outside"),
                "width_minus_one": Raises(ValueError, "indices outside"),
                "duplicated_column": Works(),
            },
        ),
        Target(
            f"InteractionDisplay.from_estimator[{kind}]",
            _plot(
                lambda m, X, y: InteractionDisplay.from_estimator(
                    m, X, n_resamples=5, max_samples=20, random_state=0
                )
            ),
            kind,
            overrides={**nan, **global_cases, "one_feature": Works()},
        ),
        Target(
            f"LocalInteractionDisplay.from_estimator[{kind}]",
            _plot(lambda m, X, y: LocalInteractionDisplay.from_estimator(m, X)),
            kind,
            overrides={**names_later, **PER_ROW, **one_row_local},
        ),
        Target(
            f"InteractionDependenceDisplay.from_estimator[{kind}]",
            _plot(
                lambda m, X, y: InteractionDependenceDisplay.from_estimator(
                    m, X, (0, 1), random_state=0
                )
            ),
            kind,
            overrides={
                **names_later,
                **PER_ROW,
                **one_row_local,
                "one_feature": Raises(ValueError, "feature"),
            },
        ),
    ]
    targets.append(
        Target(
            f"interaction_stability_score[{kind}]",
            lambda m, X, y: interaction_stability_score(m, X, n_splits=2),
            kind,
            overrides={
                **nan,
                **names_later,
                "one_row": Raises(ValueError, "at least 4 rows"),
                "two_rows": Raises(ValueError, "at least 4 rows"),
                "one_feature": Works(check=lambda score: score == 0),
                "duplicated_column": Works(),
            },
        )
    )
    if exact:
        targets += [
            Target(
                f"integrated_hessians[{kind}]",
                lambda m, X, y: integrated_hessians(m, X, n_steps=8),
                kind,
                overrides={**names_later, **PER_ROW},
            ),
            Target(
                f"expected_hessians[X][{kind}]",
                lambda m, X, y: expected_hessians(
                    m, X, X0[:10], n_samples=3, n_steps=4, random_state=0
                ),
                kind,
                overrides={
                    **names_later,
                    **PER_ROW,
                    "width_minus_one": Raises(ValueError, "features"),
                    "width_plus_one": Raises(ValueError, "features"),
                    "one_feature": Raises(ValueError, "features"),
                },
            ),
            Target(
                f"expected_hessians[background][{kind}]",
                lambda m, X, y: expected_hessians(
                    m, X0[:5], X, n_samples=3, n_steps=4, random_state=0
                ),
                kind,
                overrides={
                    **names_later,
                    **PER_ROW,
                    "width_minus_one": Raises(ValueError, "features"),
                    "width_plus_one": Raises(ValueError, "features"),
                    "one_feature": Raises(ValueError, "features"),
                },
            ),
        ]
    else:
        targets.append(
            Target(
                f"pairwise_interactions[refit][{kind}]",
                lambda m, X, y: pairwise_interactions(
                    m,
                    X,
                    _y_for(X),
                    uncertainty="refit",
                    n_resamples=2,
                    max_samples=30,
                    random_state=0,
                ),
                kind,
                overrides={**nan, **global_cases, "one_feature": NO_PAIRS},
            )
        )
    return targets


def _estimator_targets(name):
    make = ESTIMATORS[name]
    targets = [
        Target(
            f"{name}.fit",
            lambda m, X, y: make().fit(X, _y_for(X) if y is None else y),
            fits=True,
            # The selector's HistGradientBoosting takes missing values.
            overrides=NAN_OK if name == "selector" else {},
        )
    ]

    def method(label, call, measures=False, **overrides):
        targets.append(
            Target(
                f"{name}.{label}", call, name, measures=measures, overrides=overrides
            )
        )

    if name == "selector":
        method("transform", lambda m, X, y: m.transform(X), **NAN_KEPT)
        targets.append(
            Target(
                "selector.fit_transform",
                lambda m, X, y: _selector().fit_transform(
                    X, _y_for(X) if y is None else y
                ),
                fits=True,
                overrides=NAN_KEPT,
            )
        )
        targets.append(
            Target(
                "selector.pipeline.predict",
                lambda m, X, y: m.predict(X),
                "selector_pipeline",
                measures=False,
            )
        )
    else:
        method("predict", lambda m, X, y: m.predict(X))
    if name in ("nit", "paraace"):
        method("term_contributions", lambda m, X, y: m.term_contributions(X))
        targets.append(
            Target(
                f"AdditiveTermsDisplay.from_estimator[{name}]",
                _plot(
                    lambda m, X, y: AdditiveTermsDisplay.from_estimator(
                        m, X, grid_resolution=5
                    )
                ),
                name,
                measures=False,
            )
        )
    if name == "paraace":
        method("fixup_contribution", lambda m, X, y: m.fixup_contribution(X))
    if name == "bayes":
        method("predict[return_std]", lambda m, X, y: m.predict(X, return_std=True))
        method("sample_y", lambda m, X, y: m.sample_y(X, n_samples=3))
        # Constant and identical columns were warned about when fitting.
        method("posterior_interactions", lambda m, X, y: m.posterior_interactions(X))
        method("hidden_interactions", lambda m, X, y: m.hidden_interactions(X, units=3))
    return targets


TARGETS = [
    *_functional_targets("hgb"),
    *_functional_targets("mlp"),
    *_functional_targets("torch"),
    *_estimator_targets("selector"),
    *_estimator_targets("nit"),
    *_estimator_targets("paraace"),
    *_estimator_targets("bayes"),
]


def _expectation(target, variant):
    if variant.name in target.overrides:
        return target.overrides[variant.name]
    expect = variant.fit_expectation() if target.fits else variant.on_fitted
    if isinstance(expect, Works) and not target.measures:
        expect = Works(check=expect.check)
    return expect


def _x_cases():
    for target in TARGETS:
        for variant in VARIANTS:
            expect = _expectation(target, variant)
            if expect is not None:
                yield pytest.param(
                    target, variant, expect, id=f"{target.name}-{variant.name}"
                )


X_CASES = list(_x_cases())


@pytest.mark.parametrize("target, variant, expect", X_CASES)
def test_x_input(target, variant, expect):
    model = None
    if not target.fits:
        model = fitted_model(target.model, variant.name if variant.fit else "base")
    y = variant.y() if target.fits and variant.y is not None else None
    _run(lambda: target.call(model, variant.X_call(), y), expect)


# ---------------------------------------------------------------------------
# Targets (y): everything fitted on a target.
# ---------------------------------------------------------------------------
def _selector_ridge():
    return InteractionSelector(Ridge(), uncertainty=None, random_state=0)


def _fit_on(name, y):
    return ESTIMATORS[name]().fit(X0, y)


Y_TARGETS = {
    **{
        f"{name}.fit": functools.partial(_fit_on, name)
        for name in ("selector", "selector_pipeline", "nit", "paraace", "bayes")
    },
    "pairwise_interactions[refit]": lambda y: pairwise_interactions(
        fitted_model("hgb"),
        X0,
        y,
        uncertainty="refit",
        n_resamples=2,
        max_samples=30,
        random_state=0,
    ),
    "permutation_null": lambda y: permutation_null(
        _selector_ridge(), X0, y, n_permutations=2, random_state=0
    ),
    "interaction_test": lambda y: interaction_test(
        Ridge(), X0, y, max_samples=20, random_state=0
    ),
}
Y_OVERRIDES = {
    ("pairwise_interactions[refit]", "y_none"): Raises(
        ValueError, "uncertainty='refit' needs the training targets y"
    ),
    # The point estimate is the model fitted on the real target; only the
    # refits see the constant one.
    ("pairwise_interactions[refit]", "y_constant"): Works(),
    ("permutation_null", "y_none"): Raises(
        InvalidParameterError, "'y' parameter of permutation_null must be"
    ),
    # Ridge takes a one-column y as one output.
    ("permutation_null", "y_column"): Works(),
    ("interaction_test", "y_none"): Raises(
        InvalidParameterError, "'y' parameter of interaction_test must be"
    ),
    # The p-value of a pair with itself (the diagonal) is NaN by design.
    ("interaction_test", "y_column"): Works(
        warns="column-vector y|1d array", finite=False
    ),
    ("interaction_test", "y_constant"): Works(warns="constant", finite=False),
    ("selector.fit", "y_column"): Works(),
    ("selector_pipeline.fit", "y_column"): Works(),
}


def _y_cases():
    for target, call in Y_TARGETS.items():
        for name, (make_y, default) in Y_VARIANTS.items():
            expect = Y_OVERRIDES.get((target, name), default)
            yield pytest.param(call, make_y, expect, id=f"{target}-{name}")


Y_CASES = list(_y_cases())


@pytest.mark.parametrize("call, make_y, expect", Y_CASES)
def test_y_input(call, make_y, expect):
    _run(lambda: call(make_y()), expect)


# ---------------------------------------------------------------------------
# Further cases: models, options and arguments other than X and y.
# ---------------------------------------------------------------------------
def _two_output_ridge():
    return Ridge().fit(X0, np.column_stack([Y0, -Y0]))


def _unfitted(kind):
    return {
        "hgb": HistGradientBoostingRegressor(),
        "mlp": MLPRegressor(),
        "pipeline": make_pipeline(StandardScaler(), Ridge()),
        "frozen": FrozenEstimator(Ridge()),
    }[kind]


def _hgb():
    return fitted_model("hgb")


def _mlp():
    return fitted_model("mlp")


def _fitted(name):
    return fitted_model(name)


class _NoPredict(BaseEstimator):
    def fit(self, X, y):
        self.fitted_ = True
        return self


def _call_unfitted(function, kind):
    return function(_unfitted(kind), X0)


def _call_on(call, make_model):
    return call(make_model())


def _predict_unfitted(name):
    return ESTIMATORS[name]().predict(X0)


NOT_FITTED = Raises(NotFittedError, "not fitted")
BLACK_BOX = Raises(ValueError, "needs a differentiable model|black box")
GROUPS = {"ab": [0, 1], "c": [2], "d": [3]}


def _top_k_all_pairs(result):
    return len(result.top_k_pairs) == P * (P - 1) // 2


EXTRA_CASES = {
    # -- models that cannot be measured ---------------------------------
    **{
        f"{fn.__name__}[unfitted-{kind}]": (
            functools.partial(_call_unfitted, fn, kind),
            NOT_FITTED,
        )
        for fn in (
            pairwise_interactions,
            local_interactions,
            higher_order_interactions,
            integrated_hessians,
        )
        for kind in ("hgb", "mlp", "pipeline", "frozen")
    },
    "expected_hessians[unfitted]": (
        lambda: expected_hessians(MLPRegressor(), X0, X0),
        NOT_FITTED,
    ),
    "group_interactions[unfitted]": (
        lambda: group_interactions(HistGradientBoostingRegressor(), X0, GROUPS),
        NOT_FITTED,
    ),
    "make_model_function[unfitted]": (
        lambda: make_model_function(HistGradientBoostingRegressor()),
        NOT_FITTED,
    ),
    "make_model_function[no predict]": (
        lambda: make_model_function(_NoPredict().fit(X0, Y0)),
        Raises(TypeError, "has no predict"),
    ),
    "make_model_function[missing response method]": (
        lambda: make_model_function(_hgb(), response_method="predict_proba"),
        Raises(ValueError, "has no method 'predict_proba'"),
    ),
    "make_model_function[cuda absent]": (
        lambda: make_model_function(_mlp(), device="cuda:99"),
        Raises((ValueError, RuntimeError), "CUDA|cuda"),
    ),
    "InteractionDisplay.from_estimator[no X]": (
        lambda: InteractionDisplay.from_estimator(_hgb()),
        Raises(ValueError, "has no interactions_; pass X"),
    ),
    "AdditiveTermsDisplay.from_estimator[not additive]": (
        lambda: AdditiveTermsDisplay.from_estimator(_hgb(), X0),
        Raises(TypeError, "not an additive model"),
    ),
    "AdditiveTermsDisplay.from_estimator[unfitted]": (
        lambda: AdditiveTermsDisplay.from_estimator(_nit(), X0),
        NOT_FITTED,
    ),
    # -- a regressor with two outputs: no silent choice -------------------
    **{
        f"{name}[two-output regressor]": (
            functools.partial(_call_on, call, _two_output_ridge),
            Raises(ValueError, "predicts 2 outputs; choose"),
        )
        for name, call in {
            "pairwise_interactions": lambda m: pairwise_interactions(m, X0),
            "local_interactions": lambda m: local_interactions(m, X0),
            "higher_order_interactions": lambda m: higher_order_interactions(m, X0),
            "group_interactions": lambda m: group_interactions(m, X0, GROUPS),
            "InteractionSelector.fit": lambda m: InteractionSelector(
                FrozenEstimator(m)
            ).fit(X0, Y0),
        }.items()
    },
    "pairwise_interactions[two-output regressor, chosen output]": (
        lambda: pairwise_interactions(
            make_model_function(_two_output_ridge(), target=0),
            X0,
            uncertainty=None,
        ),
        # A linear model: rounding error only.
        Works(check=lambda r: np.abs(r.interactions).max() < 1e-10),
    ),
    # -- exact methods on a model that is not differentiable --------------
    **{
        f"{name}[exact on black box]": (
            functools.partial(_call_on, call, _hgb),
            BLACK_BOX,
        )
        for name, call in {
            "pairwise_interactions[hessian]": lambda m: pairwise_interactions(
                m, X0, method="hessian"
            ),
            "pairwise_interactions[integrated]": lambda m: pairwise_interactions(
                m, X0, method="integrated"
            ),
            "pairwise_interactions[expected]": lambda m: pairwise_interactions(
                m, X0, method="expected"
            ),
            "local_interactions[hessian]": lambda m: local_interactions(
                m, X0, method="hessian"
            ),
            "local_interactions[integrated]": lambda m: local_interactions(
                m, X0, method="integrated"
            ),
            "integrated_hessians": lambda m: integrated_hessians(m, X0),
            "expected_hessians": lambda m: expected_hessians(m, X0, X0),
            "higher_order_interactions[hessian]": lambda m: higher_order_interactions(
                m, X0, method="hessian"
            ),
            "group_interactions[hessian]": lambda m: group_interactions(
                m, X0, GROUPS, method="hessian"
            ),
            "InteractionSelector[hessian]": lambda m: InteractionSelector(
                FrozenEstimator(m), method="hessian"
            ).fit(X0, Y0),
        }.items()
    },
    # -- top_k above the number of pairs: all pairs, strongest first --------
    "pairwise_interactions[top_k above pairs]": (
        lambda: pairwise_interactions(_hgb(), X0, top_k=100, uncertainty=None),
        Works(check=_top_k_all_pairs),
    ),
    "pairwise_interactions[ucb, top_k above pairs]": (
        lambda: pairwise_interactions(
            _hgb(), X0, search="ucb", top_k=100, max_pulls=5, uncertainty=None
        ),
        Works(check=_top_k_all_pairs),
    ),
    "group_interactions[top_k above pairs]": (
        lambda: group_interactions(_hgb(), X0, GROUPS, top_k=100),
        Works(check=lambda r: len(r.top_k_pairs) == 3),
    ),
    "interaction_table[top_k above pairs]": (
        lambda: interaction_table(_fitted("selector"), top_k=100),
        Works(check=lambda t: len(t) == 6),
    ),
    "InteractionSelector[top_k above pairs]": (
        lambda: (
            InteractionSelector(Ridge(), top_k=100, uncertainty=None)
            .fit(X0, Y0)
            .transform(X0)
        ),
        Works(check=lambda Xt: Xt.shape == (N, P + 6)),
    ),
    "higher_order_interactions[max_order above features]": (
        lambda: higher_order_interactions(_hgb(), X0[:, :2], max_order=3),
        Raises(ValueError, "max_order=3 exceeds the number of features"),
    ),
    "InteractionSelector[max_order above features]": (
        lambda: InteractionSelector(Ridge(), max_order=5, uncertainty=None).fit(
            X0[:, :3], Y0
        ),
        Works(check=lambda s: all(len(t) == 3 for t in s.higher_order_interactions_)),
    ),
    "ParaACERegressor[n_interactions above pairs]": (
        lambda: clone(_paraace()).set_params(n_interactions=50).fit(X0, Y0),
        Works(check=lambda m: len(m.top_k_pairs_) == 6),
    ),
    "BayesianMLPRegressor[top_k above pairs]": (
        lambda: clone(_bayes()).set_params(top_k=50).fit(X0, Y0),
        Works(check=lambda m: len(m.top_k_pairs_) == 6),
    ),
    # -- InteractionSelector options ---------------------------------------
    "InteractionSelector[prefit, unfitted]": (
        lambda: InteractionSelector(Ridge(), prefit=True).fit(X0, Y0),
        Raises(NotFittedError, "prefit=True"),
    ),
    "InteractionSelector[torch module without prefit]": (
        lambda: InteractionSelector(_torch_model(P)).fit(X0, Y0),
        Raises(TypeError, "pass prefit=True"),
    ),
    "InteractionSelector[prefit, wrong width]": (
        lambda: InteractionSelector(
            Ridge().fit(X0[:, :3], Y0), prefit=True, uncertainty=None
        ).fit(X0, Y0),
        WIDTH,
    ),
    "InteractionSelector[frozen, refit]": (
        lambda: InteractionSelector(FrozenEstimator(_hgb()), uncertainty="refit").fit(
            X0, Y0
        ),
        Raises(ValueError, "FrozenEstimator cannot be refitted"),
    ),
    "InteractionSelector[one row]": (
        lambda: InteractionSelector(Ridge()).fit(X0[:1], Y0[:1]),
        MIN_2,
    ),
    "InteractionSelector[transform before fit]": (
        lambda: InteractionSelector(Ridge()).transform(X0),
        NOT_FITTED,
    ),
    "InteractionSelector[interaction_table before fit]": (
        lambda: InteractionSelector(Ridge()).interaction_table(),
        NOT_FITTED,
    ),
    "InteractionSelector[get_feature_names_out, wrong names]": (
        lambda: _fitted("selector").get_feature_names_out(["a", "b"]),
        Raises(ValueError, "input_features"),
    ),
    "InteractionSelector[feature_groups out of range]": (
        lambda: InteractionSelector(
            Ridge(), feature_groups=[[0], [9]], uncertainty=None
        ).fit(X0, Y0),
        Raises(ValueError, "indices outside"),
    ),
    "InteractionSelector[poor model]": (
        lambda: InteractionSelector(Ridge(alpha=1e6), uncertainty=None).fit(X0, Y0),
        Works(warns="fits the data poorly: R\\^2"),
    ),
    "InteractionSelector[prefit poor model on held-out rows]": (
        lambda: InteractionSelector(
            Ridge().fit(X0, -Y0), prefit=True, uncertainty=None
        ).fit(X0, Y0),
        Works(warns="poorly.*on the rows passed to fit"),
    ),
    # -- estimators' own methods and options -----------------------------
    **{
        f"{name}.predict[before fit]": (
            functools.partial(_predict_unfitted, name),
            NOT_FITTED,
        )
        for name in ("nit", "paraace", "bayes")
    },
    "paraace.shape_function[index out of range]": (
        lambda: _fitted("paraace").shape_function(99),
        Raises(ValueError, "out of range"),
    ),
    "paraace.shape_function[not a term]": (
        lambda: _fitted("paraace").shape_function((0, 3, 2)),
        Raises(ValueError, "not one of the terms"),
    ),
    "paraace.shape_function[before fit]": (
        lambda: _paraace().shape_function(0),
        NOT_FITTED,
    ),
    "paraace[poor teacher]": (
        lambda: clone(_paraace()).set_params(teacher=Ridge(alpha=1e6)).fit(X0, Y0),
        Works(warns="teacher Ridge fits the data poorly"),
    ),
    "bayes.posterior_interactions[bad aggregation]": (
        lambda: _fitted("bayes").posterior_interactions(X0, aggregation="max"),
        Raises(ValueError, "aggregation must be in"),
    ),
    "bayes.hidden_interactions[last layer]": (
        lambda: _fitted("bayes").hidden_interactions(X0, layer=-1),
        Raises(ValueError, "not the last hidden layer"),
    ),
    "bayes.hidden_interactions[one unit]": (
        lambda: _fitted("bayes").hidden_interactions(X0, units=[1]),
        Raises(ValueError, "at least 2 distinct indices"),
    ),
    "bayes.hidden_interactions[unit out of range]": (
        lambda: _fitted("bayes").hidden_interactions(X0, units=[0, 99]),
        Raises(ValueError, "at least 2 distinct indices"),
    ),
    "bayes.sample_y[no samples]": (
        lambda: _fitted("bayes").sample_y(X0, n_samples=0),
        Raises(ValueError, "n_samples must be a positive integer"),
    ),
    "bayes[constant column]": (
        lambda: _bayes().fit(_constant_column(), Y0),
        Works(
            warns="constant",
            check=lambda m: (
                np.all(m.interactions_[2] == 0)
                and np.all(m.interaction_pvalues_[2] == 1)
            ),
        ),
    ),
    "bayes[poor fit]": (
        lambda: _bayes().fit(X0, np.random.RandomState(1).normal(size=N)),
        Works(warns="BayesianMLPRegressor fits the data poorly"),
    ),
    "nit[poor fit]": (
        lambda: _nit().fit(X0, np.random.RandomState(1).normal(size=N)),
        Works(warns="NITRegressor fits the data poorly"),
    ),
    # -- local explanations: baselines and backgrounds --------------------
    "local_interactions[baseline wrong width]": (
        lambda: local_interactions(_mlp(), X0, baseline=np.zeros(3)),
        Raises(ValueError, "baseline must have shape"),
    ),
    "local_interactions[baseline NaN]": (
        lambda: local_interactions(_mlp(), X0, baseline=np.full(P, np.nan)),
        NAN,
    ),
    "integrated_hessians[baseline NaN]": (
        lambda: integrated_hessians(_mlp(), X0, np.full(P, np.nan)),
        NAN,
    ),
    "integrated_hessians[baseline wrong rows]": (
        lambda: integrated_hessians(_mlp(), X0, np.zeros((3, P))),
        Raises(ValueError, "baseline must have shape"),
    ),
    "local_interactions[expected, background wrong width]": (
        lambda: local_interactions(
            _mlp(), X0, method="expected", baseline=np.zeros((5, 3))
        ),
        Raises(ValueError, "have 3 features but X has 4"),
    ),
    "LocalInteractionDisplay[row out of range]": (
        lambda: LocalInteractionDisplay.from_estimator(_mlp(), X0, row=N),
        Raises(ValueError, "out of range"),
    ),
    "InteractionDependenceDisplay[feature out of range]": (
        lambda: InteractionDependenceDisplay.from_estimator(_mlp(), X0, (0, 9)),
        Raises(ValueError, "out of range"),
    ),
    "InteractionDependenceDisplay[unknown feature name]": (
        lambda: InteractionDependenceDisplay.from_estimator(_mlp(), X0, ("a", "q")),
        Raises(ValueError, "Unknown feature"),
    ),
    # -- group interactions ------------------------------------------------
    "group_interactions[reference NaN]": (
        lambda: group_interactions(_mlp(), X0, GROUPS, reference=np.nan),
        Raises(ValueError, "reference must be finite"),
    ),
    "group_interactions[reference with a NaN]": (
        lambda: group_interactions(
            _hgb(), X0, GROUPS, reference=[0.0, np.nan, 0.0, 0.0]
        ),
        Raises(ValueError, "reference must be finite"),
    ),
    "group_interactions[reference wrong length]": (
        lambda: group_interactions(_hgb(), X0, GROUPS, reference=[0.0, 1.0]),
        Raises(ValueError, r"reference must be .* shape \(4,\)"),
    ),
    "group_interactions[reference strings]": (
        lambda: group_interactions(_hgb(), X0, GROUPS, reference=["a"] * P),
        Raises(ValueError, "reference must be numeric"),
    ),
    "group_interactions[no groups]": (
        lambda: group_interactions(_hgb(), X0),
        Raises(ValueError, "feature_groups is required"),
    ),
    "group_interactions[one group]": (
        lambda: group_interactions(_hgb(), X0, {"all": [0, 1, 2, 3]}),
        Raises(ValueError, "at least two groups"),
    ),
    "group_interactions[empty group]": (
        lambda: group_interactions(_hgb(), X0, {"a": [], "b": [1]}),
        Raises(ValueError, "is empty"),
    ),
    "group_interactions[float indices]": (
        lambda: group_interactions(_hgb(), X0, {"a": [0.5], "b": [1]}),
        Raises(TypeError, "column indices"),
    ),
    "group_interactions[negative index]": (
        lambda: group_interactions(_hgb(), X0, {"a": [-1], "b": [1]}),
        Raises(ValueError, "indices outside"),
    ),
    # -- the permutation null ----------------------------------------------
    "permutation_null[no interactions_]": (
        lambda: permutation_null(Ridge(), X0, Y0, n_permutations=2),
        Raises(TypeError, "needs an estimator that sets interactions_"),
    ),
    "permutation_null[observed wrong shape]": (
        lambda: permutation_null(
            _selector_ridge(), X0, Y0, n_permutations=2, observed=np.zeros((3, 3))
        ),
        Raises(ValueError, r"observed must have shape \(4, 4\)"),
    ),
    "permutation_null[observed NaN]": (
        lambda: permutation_null(
            _selector_ridge(),
            X0,
            Y0,
            n_permutations=2,
            observed=np.full((P, P), np.nan),
        ),
        NAN,
    ),
    "permutation_null[y wrong length]": (
        lambda: permutation_null(_selector_ridge(), X0, Y0[:10], n_permutations=2),
        Raises(ValueError, "inconsistent numbers of samples"),
    ),
    "permutation_null[works]": (
        lambda: permutation_null(_selector_ridge(), X0, Y0, n_permutations=3),
        Works(check=lambda r: np.all((r.pvalues > 0) & (r.pvalues <= 1))),
    ),
    # -- the table -----------------------------------------------------------
    "interaction_table[no interactions_]": (
        lambda: interaction_table(Ridge()),
        Raises(TypeError, "has no interactions_"),
    ),
    "interaction_table[feature_names too short]": (
        lambda: interaction_table(_fitted("selector"), feature_names=["a", "b"]),
        Raises(ValueError, "feature_names has 2 names for 4 features"),
    ),
    "interaction_table[NaN matrix]": (
        lambda: interaction_table(Bunch(interactions=np.full((3, 3), np.nan))),
        NAN,
    ),
    "interaction_table[not square]": (
        lambda: interaction_table(Bunch(interactions=np.zeros((3, 2)))),
        Raises(ValueError, "square"),
    ),
    # -- metrics -----------------------------------------------------------
    "interaction_roc_auc[NaN]": (
        lambda: interaction_roc_auc(np.full((3, 3), np.nan), [(0, 1)]),
        NAN,
    ),
    "interaction_roc_auc[not square]": (
        lambda: interaction_roc_auc(np.zeros((3, 2)), [(0, 1)]),
        Raises(ValueError, "square matrix"),
    ),
    "interaction_roc_auc[index out of range]": (
        lambda: interaction_roc_auc(np.eye(3), [(0, 5)]),
        Raises(ValueError, "index outside"),
    ),
    "interaction_roc_auc[all pairs true]": (
        lambda: interaction_roc_auc(np.eye(3), [(0, 1, 2)]),
        Raises(ValueError, "undefined when all"),
    ),
    "interaction_roc_auc[repeated index]": (
        lambda: interaction_roc_auc(np.eye(3), [(1, 1)]),
        Raises(ValueError, "repeats a feature"),
    ),
    "interaction_roc_auc[one-feature term]": (
        lambda: interaction_roc_auc(np.eye(3), [(1,)]),
        Raises(ValueError, "at least two features"),
    ),
    "mean_true_pair_rank[no true pair]": (
        lambda: mean_true_pair_rank(np.eye(3), []),
        Raises(ValueError, "no pair"),
    ),
    "mean_true_pair_rank[inf]": (
        lambda: mean_true_pair_rank(np.full((3, 3), np.inf), [(0, 1)]),
        INF,
    ),
    "higher_order_roc_auc[wrong order key]": (
        lambda: higher_order_roc_auc({(0, 1): 1.0}, [(0, 1, 2)], order=3),
        Raises(ValueError, "must hold 3 distinct"),
    ),
    "higher_order_roc_auc[no term of that order]": (
        lambda: higher_order_roc_auc({(0, 1, 2): 1.0}, [(0, 1)], order=3),
        Raises(ValueError, "No ground-truth term has 3"),
    ),
    "higher_order_roc_auc[duplicate key]": (
        lambda: higher_order_roc_auc(
            {(0, 1, 2): 1.0, (2, 1, 0): 2.0}, [(0, 1, 2, 3)], order=3
        ),
        Raises(ValueError, "twice"),
    ),
    # -- datasets ------------------------------------------------------------
    "tsang_function[NaN]": (
        lambda: tsang_function("F2")(np.full((2, 10), np.nan)),
        Raises(ValueError, "NaN or infinity"),
    ),
    "tsang_function[outside the domain]": (
        lambda: tsang_function("F1")(np.full((2, 10), -0.5)),
        Raises(ValueError, "undefined at 2 rows"),
    ),
    "tsang_function[wrong width]": (
        lambda: tsang_function("F3")(np.zeros((2, 9))),
        Raises(ValueError, r"shape \(n_samples, 10\)"),
    ),
    "tsang_function[1-D]": (
        lambda: tsang_function("F3")(np.zeros(10)),
        Raises(ValueError, r"shape \(n_samples, 10\)"),
    ),
    "tsang_function[inside the domain]": (
        lambda: [
            tsang_function(k)(make_tsang_function(k, 50, random_state=0)[0])
            for k in range(1, 11)
        ],
        Works(),
    ),
    "true_interaction_pairs[index out of range]": (
        lambda: true_interaction_pairs([(0, 7)], n_features=5),
        Raises(ValueError, "index outside"),
    ),
    "make_tsang_function[one row]": (
        lambda: make_tsang_function("F5", 1, random_state=0),
        Works(check=lambda r: r[0].shape == (1, 10)),
    ),
}


@pytest.mark.parametrize(
    "call, expect",
    [pytest.param(c, e, id=name) for name, (c, e) in EXTRA_CASES.items()],
)
def test_further_input(call, expect):
    _run(call, expect)


# ---------------------------------------------------------------------------
# An invalid value for every validated parameter of every public function
# and estimator.
# ---------------------------------------------------------------------------
class _BadType:
    def __repr__(self):
        return "<BadType>"


_INVALID_CANDIDATES = (-1, 0, 1.5, "nonsense", np.nan, _BadType())


def _invalid_values(constraints, n=3):
    """Up to ``n`` values that every constraint rejects."""
    constraints = [make_constraint(c) for c in constraints]
    found = []
    for value in _INVALID_CANDIDATES:
        if not any(c.is_satisfied_by(value) for c in constraints):
            found.append(value)
    return found[:n]


FUNCTION_ARGS = {
    "pairwise_interactions": lambda: dict(estimator=_hgb(), X=X0),
    "local_interactions": lambda: dict(estimator=_hgb(), X=X0),
    "integrated_hessians": lambda: dict(estimator=_mlp(), X=X0),
    "expected_hessians": lambda: dict(estimator=_mlp(), X=X0, background=X0),
    "higher_order_interactions": lambda: dict(estimator=_hgb(), X=X0),
    "group_interactions": lambda: dict(estimator=_hgb(), X=X0, feature_groups=GROUPS),
    "interaction_table": lambda: dict(estimator=_fitted("selector")),
    "permutation_null": lambda: dict(estimator=_selector_ridge(), X=X0, y=Y0),
    "interaction_test": lambda: dict(estimator=Ridge(), X=X0, y=Y0),
    "make_model_function": lambda: dict(estimator=_hgb()),
    "interaction_roc_auc": lambda: dict(interactions=np.eye(3), true_pairs=[(0, 1)]),
    "mean_true_pair_rank": lambda: dict(interactions=np.eye(3), true_pairs=[(0, 1)]),
    "higher_order_roc_auc": lambda: dict(
        scores={(0, 1, 2): 1.0}, terms=[(0, 1, 2, 3)], order=3
    ),
    "make_tsang_function": lambda: dict(name="F1"),
    "tsang_function": lambda: dict(name="F1"),
    "true_interaction_pairs": lambda: dict(terms=[(0, 1)], n_features=3),
    "load_energy_efficiency": dict,
    "interaction_stability_score": lambda: dict(estimator=_hgb(), X=X0),
}
PUBLIC_MODULES = (inspection_module, metrics_module, datasets_module)


def _public_functions():
    return {
        name: getattr(module, name)
        for module in PUBLIC_MODULES
        for name in module.__all__
        if inspect.isfunction(getattr(module, name))
    }


def test_every_public_function_is_in_the_corpus():
    assert set(_public_functions()) == set(FUNCTION_ARGS)


def _param_cases():
    for name, function in sorted(_public_functions().items()):
        constraints = function.__wrapped__._skl_parameter_constraints
        for param, constraint in constraints.items():
            if constraint == "no_validation":
                continue
            for value in _invalid_values(constraint):
                yield pytest.param(
                    name, function, param, value, id=f"{name}-{param}={value!r}"
                )
    estimators = {
        "InteractionSelector": lambda: InteractionSelector(Ridge()),
        "NITRegressor": NITRegressor,
        "ParaACERegressor": ParaACERegressor,
        "BayesianMLPRegressor": BayesianMLPRegressor,
    }
    for name, make in estimators.items():
        for param, constraint in make()._parameter_constraints.items():
            for value in _invalid_values(constraint):
                yield pytest.param(
                    name, make, param, value, id=f"{name}-{param}={value!r}"
                )


PARAM_CASES = list(_param_cases())


@pytest.mark.parametrize("name, make, param, value", PARAM_CASES)
def test_invalid_parameter(name, make, param, value):
    match = rf"The '{param}' parameter of {name}(\.fit)? must be"
    with pytest.raises(InvalidParameterError, match=match):
        if inspect.isfunction(make) and name in FUNCTION_ARGS:
            make(**{**FUNCTION_ARGS[name](), param: value})
        else:
            make().set_params(**{param: value}).fit(X0, Y0)


# ---------------------------------------------------------------------------
# Real tables (issue 13): raw columns through the user's Pipeline, and
# DataFrame names checked by every function.
# ---------------------------------------------------------------------------
def _call_pipeline(call, make):
    model, X = make()
    return call(model, X)


def _call_target(target, variant_name):
    variant = VARIANT[variant_name]
    model = fitted_model(target.model, variant_name)
    return target.call(model, variant.X_call(), None)


def _imputing_pipeline():
    X = _with(X0, 3, 1, np.nan)
    return make_pipeline(
        SimpleImputer(), HistGradientBoostingRegressor(max_iter=15)
    ).fit(X, Y0), X


def _encoding_pipeline():
    frame = _frame(X0)
    frame["colour"] = np.where(X0[:, 0] > 0, "red", "blue")
    encoder = ColumnTransformer(
        [("onehot", OneHotEncoder(), ["colour"])], remainder="passthrough"
    )
    model = make_pipeline(encoder, HistGradientBoostingRegressor(max_iter=15))
    return model.fit(frame, Y0), frame


TABULAR_CASES = {
    **{
        f"{name}[NaN to an imputing Pipeline]": (
            functools.partial(_call_pipeline, call, _imputing_pipeline),
            Works(),
        )
        for name, call in {
            "pairwise_interactions": lambda m, X: pairwise_interactions(
                m, X, n_resamples=5
            ),
            "higher_order_interactions": lambda m, X: higher_order_interactions(m, X),
            "InteractionSelector.fit": lambda m, X: InteractionSelector(
                FrozenEstimator(m), n_resamples=5
            ).fit(X, Y0),
        }.items()
    },
    **{
        f"{name}[strings to an encoding Pipeline]": (
            functools.partial(_call_pipeline, call, _encoding_pipeline),
            Works(),
        )
        for name, call in {
            "pairwise_interactions": lambda m, X: pairwise_interactions(
                m, X, n_resamples=5
            ),
            "local_interactions": lambda m, X: local_interactions(m, X),
            "higher_order_interactions": lambda m, X: higher_order_interactions(m, X),
        }.items()
    },
    **{
        f"{target.name}-{variant}": (
            functools.partial(_call_target, target, variant),
            NAMES_ERR,
        )
        for target in TARGETS
        for variant in ("renamed_columns", "reordered_columns")
        if target.overrides.get(variant, 0) is None
    },
}


# Local values are NaN for the pairs of a feature missing at that row.
TABULAR_CASES["local_interactions[NaN to an imputing Pipeline]"] = (
    functools.partial(
        _call_pipeline, lambda m, X: local_interactions(m, X), _imputing_pipeline
    ),
    Works(finite=False),
)


@pytest.mark.parametrize(
    "call, expect",
    [pytest.param(c, e, id=name) for name, (c, e) in TABULAR_CASES.items()],
)
def test_tabular_input(call, expect):
    _run(call, expect)


# ---------------------------------------------------------------------------
# Known problems of the adapter (make_model_function), which issues 13 and
# 14 are rewriting: left as xfail(strict=False) for them to pick up.
# ---------------------------------------------------------------------------
class _DuckModel:
    """Any object with fit and predict, not a scikit-learn estimator."""

    def fit(self, X, y):
        return self

    def predict(self, X):
        X = np.asarray(X)
        return X[:, 0] * X[:, 1]


ADAPTER_CASES = {
    "pairwise_interactions[duck-typed model]": (
        lambda: pairwise_interactions(_DuckModel(), X0, uncertainty=None),
        Works(check=lambda r: r.top_k_pairs[0] == (0, 1)),
    ),
}


@pytest.mark.xfail(
    strict=False,
    reason="make_model_function calls check_is_fitted, which needs "
    "__sklearn_tags__: a duck-typed model fails with scikit-learn's message "
    "about tags",
)
@pytest.mark.parametrize(
    "call, expect",
    [pytest.param(c, e, id=name) for name, (c, e) in ADAPTER_CASES.items()],
)
def test_adapter_input(call, expect):
    _run(call, expect)
