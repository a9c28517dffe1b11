# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Command line: fit a model, rank its interactions, draw a heatmap.

Run ``python -m sklearn_interact`` (or ``sklearn-interact``) for the bundled
energy-efficiency data, or pass ``--csv data.csv --target y`` for your own.
A target of labels (text, or at most ``MAX_CLASSES`` integer values) is
classified (``--task`` overrides): a classifier is fitted, scored by accuracy
and ROC-AUC, and its interactions are measured on the log-odds scale.
"""

import argparse
import sys
import time

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sklearn_interact import neural
from sklearn_interact.datasets import load_energy_efficiency
from sklearn_interact.feature_selection import InteractionSelector
from sklearn_interact.inspection import InteractionDisplay, interaction_table

#: A numeric target with at most this many distinct integer values is
#: classified by ``--task auto``.
MAX_CLASSES = 10


def _make_model(name, task, random_state, X):
    """The model, with the encoding a raw table needs (categorical, missing)."""
    classifier = task == "classification"
    categorical, missing = _column_kinds(X)
    if name == "gbm":
        gbm = (
            HistGradientBoostingClassifier
            if classifier
            else HistGradientBoostingRegressor
        )
        return gbm(categorical_features="from_dtype", random_state=random_state)
    if name == "mlp":
        mlp = (MLPClassifier if classifier else MLPRegressor)(
            hidden_layer_sizes=(64, 32),
            learning_rate_init=3e-3,
            max_iter=3000,
            early_stopping=True,
            n_iter_no_change=50,
            random_state=random_state,
        )
        if not categorical and not missing:
            return make_pipeline(StandardScaler(), mlp)
        numeric = [c for c in X.columns if c not in categorical]
        encode = ColumnTransformer(
            [
                ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical),
                ("numeric", make_pipeline(SimpleImputer(), StandardScaler()), numeric),
            ],
            sparse_threshold=0.0,
        )
        return make_pipeline(encode, mlp)
    if categorical or missing:
        raise SystemExit(
            f"error: --model {name} needs numeric columns without missing values; "
            "use --model gbm or mlp, which encode and impute them."
        )
    suffix = "Classifier" if classifier else "Regressor"
    classes = {"bayesian": "BayesianMLP", "nit": "NIT", "paraace": "ParaACE"}
    return getattr(neural, classes[name] + suffix)(random_state=random_state)


def _infer_task(y):
    """``"classification"`` for labels, ``"regression"`` for quantities."""
    if y.dtype.kind not in "fiub":
        return "classification"
    values = np.unique(y)
    if len(values) <= MAX_CLASSES and np.all(values == np.round(values)):
        return "classification"
    return "regression"


def _score(model, X, y, task):
    """Held-out scores: R^2, or accuracy and ROC-AUC."""
    if task == "regression":
        return f"held-out R^2 = {model.score(X, y):.3f}"
    accuracy = accuracy_score(y, model.predict(X))
    proba = model.predict_proba(X)
    try:
        if proba.shape[1] == 2:
            auc = roc_auc_score(y == model.classes_[1], proba[:, 1])
        else:
            auc = roc_auc_score(y, proba, multi_class="ovr", labels=model.classes_)
        auc = f", ROC-AUC = {auc:.3f}"
    except ValueError:  # a class absent from the held-out rows
        auc = ""
    return f"held-out accuracy = {accuracy:.3f}{auc}"


def _column_kinds(X):
    """Names of the text columns and whether any value is missing."""
    if not hasattr(X, "columns"):
        return [], bool(np.isnan(X).any())
    categorical = [c for c in X.columns if X[c].dtype.kind not in "biuf"]
    return categorical, bool(X.isna().to_numpy().any())


#: Text columns with more distinct values are dropped (identifiers, dates).
MAX_CATEGORIES = 255


def _read_csv(path, target, drop=()):
    """The table without its target column (a DataFrame: text columns become
    categorical, empty cells missing), the target (numbers, or class labels
    as text) and the column names."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is an extra
        raise SystemExit(
            "error: reading a CSV file needs pandas "
            "(pip install 'sklearn-interact[pandas]')."
        ) from None
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise SystemExit(f"error: could not read {path}: {exc}") from None
    if len(frame) < 2:
        raise SystemExit(f"error: {path} needs a header and at least two rows.")
    if target not in frame.columns:
        raise SystemExit(
            f"error: target column {target!r} is not in {path}; columns are "
            f"{list(frame.columns)}."
        )
    unknown = [c for c in drop if c not in frame.columns]
    if unknown:
        raise SystemExit(f"error: --drop names columns not in {path}: {unknown}.")
    frame = frame.drop(columns=list(drop))
    labels = frame.pop(target)
    if labels.isna().any():
        raise SystemExit(f"error: the target {target!r} has missing values.")
    if labels.dtype.kind in "biuf":
        y = labels.to_numpy(dtype=np.float64)
    else:  # class labels
        y = labels.astype(str).to_numpy()
    for column in list(frame.columns):
        if frame[column].dtype.kind in "biuf":
            continue
        if frame[column].nunique() > MAX_CATEGORIES:
            print(
                f"note: dropped the text column {column!r}: "
                f"{frame[column].nunique()} distinct values (an identifier or a "
                "date?)"
            )
            frame = frame.drop(columns=column)
            continue
        frame[column] = frame[column].astype("category")
    return frame, y, [str(c) for c in frame.columns]


def _print_table(table, n):
    cols = ["feature_a", "feature_b", "strength", "ci_lower", "ci_upper"]
    cols = [c for c in cols if c in table]
    width = max(
        [12] + [len(str(v)) for c in ("feature_a", "feature_b") for v in table[c][:n]]
    )
    print(
        f"{'rank':>4}  {'feature a':<{width}}  {'feature b':<{width}}  "
        f"{'strength':>10}  {'95% interval':>23}"
    )
    for k in range(min(n, len(table["strength"]))):
        interval = ""
        if "ci_lower" in cols:
            interval = f"[{table['ci_lower'][k]:10.4g}, {table['ci_upper'][k]:10.4g}]"
        print(
            f"{k + 1:>4}  {table['feature_a'][k]:<{width}}  "
            f"{table['feature_b'][k]:<{width}}  {table['strength'][k]:10.4g}  "
            f"{interval:>23}"
        )


def main(argv=None):
    """Entry point of ``python -m sklearn_interact``."""
    parser = argparse.ArgumentParser(
        prog="sklearn-interact",
        description="Fit a model, rank its pairwise feature interactions with "
        "confidence intervals, and draw them as a heatmap.",
    )
    parser.add_argument(
        "--csv",
        help="CSV file with a header row (default: the "
        "bundled UCI energy-efficiency data).",
    )
    parser.add_argument("--target", help="Target column of --csv.")
    parser.add_argument(
        "--drop",
        nargs="+",
        default=[],
        metavar="COLUMN",
        help="Columns of --csv to leave out (e.g. ones that leak the target).",
    )
    parser.add_argument(
        "--model",
        default="mlp",
        choices=["mlp", "gbm", "bayesian", "nit", "paraace"],
        help="Model to fit (default: a scikit-learn MLP, measured "
        "with exact Hessians).",
    )
    parser.add_argument(
        "--task",
        default="auto",
        choices=["auto", "regression", "classification"],
        help="auto (default): classification when the target holds text or at "
        f"most {MAX_CLASSES} integer values, else regression.",
    )
    parser.add_argument(
        "--top-k", type=int, default=10, help="Pairs to print (default: 10)."
    )
    parser.add_argument(
        "--output",
        default="interactions.png",
        help="Heatmap image path (default: interactions.png).",
    )
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args(argv)

    if args.csv:
        if not args.target:
            parser.error("--csv needs --target.")
        X, y, names = _read_csv(args.csv, args.target, args.drop)
        source = args.csv
    else:
        # A DataFrame where pandas is installed, so that every message (the
        # warnings of the measurement included) names the columns.
        try:
            data = load_energy_efficiency(as_frame=True)
            y = data.target.to_numpy()
        except ImportError:
            data = load_energy_efficiency()
            y = data.target
        X, names = data.data, list(data.feature_names)
        source = "UCI energy efficiency (bundled), target heating_load"
    task = _infer_task(y) if args.task == "auto" else args.task
    if task == "regression" and y.dtype.kind not in "fiub":
        parser.error(f"--task regression needs a numeric target; {args.target} is not.")
    if task == "classification" and y.dtype.kind == "f" and np.all(y == np.round(y)):
        y = y.astype(np.int64)  # labels 0, 1 rather than 0.0, 1.0
    model = _make_model(args.model, task, args.random_state, X)
    stratify = None
    if task == "classification" and np.unique(y, return_counts=True)[1].min() >= 2:
        stratify = y  # every class in both parts, where each has two rows
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, random_state=args.random_state, stratify=stratify
    )
    print(f"data: {source}: {X.shape[0]} rows, {X.shape[1]} features")
    if task == "classification":
        classes = np.unique(y)
        print(f"task: classification of {len(classes)} classes {classes.tolist()}")
    start = time.perf_counter()
    selector = InteractionSelector(
        model,
        top_k=args.top_k,
        random_state=args.random_state,
    )
    selector.fit(X_train, y_train)
    score = _score(selector.estimator_, X_test, y_test, task)
    print(
        f"model: {args.model}; {score}; "
        f"interactions of the {selector.interaction_scale_} "
        f"by {selector.method_.replace('_', ' ')}, "
        f"aggregation {selector.aggregation_}"
        + (f" (M = {selector.n_clusters_})" if selector.n_clusters_ else "")
        + f"; {time.perf_counter() - start:.1f} s"
    )
    table = interaction_table(selector, feature_names=names)
    table = {c: np.asarray(table[c]) for c in table}
    _print_table(table, args.top_k)
    if selector.interaction_estimand_ == "model":
        print(
            "intervals: bootstrap over the evaluation rows; they describe this "
            "fitted model, not what a refit on new data would find (that is "
            "sklearn_interact.inspection.interaction_test)"
        )
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            "matplotlib is not installed; no heatmap written "
            "(pip install 'sklearn-interact[plot]')."
        )
        return 0
    fig, ax = plt.subplots(figsize=(7, 6))
    InteractionDisplay.from_estimator(selector, feature_names=names, ax=ax)
    fig.tight_layout()
    fig.savefig(args.output, dpi=120)
    print(f"heatmap written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
