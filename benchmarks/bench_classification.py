# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Classification: the three classifiers, and detection on the log-odds scale.

Two parts, written to ``benchmarks/results/classification.md``:

1. Tsang F1-F10 thresholded at the median of the noisy target (ParaACE
   supplement, Table 7 protocol: 1000 rows, noise 0.1 N(0, 1)):
   a. test accuracy of ParaACE's default teacher, of the ParaACE student and
      of NIT, all at library defaults (one 800/200 split per seed, not the
      paper's 5 folds, to fit the time budget);
   b. pairwise detection ROC-AUC on the log-odds scale (library defaults:
      ``pairwise_interactions`` with M-GEH on 1000 rows) of an
      ``MLPClassifier`` (exact Hessians of its log-odds, ReLU swapped for
      softplus) and of a ``HistGradientBoostingClassifier`` (finite
      differences of its log-odds), the classifier versions of detection
      models (b) and (c) of ``bench_detection.py``, beside their regression
      AUCs from ``benchmarks/results/detection.md``; on the thresholded
      labels, and on labels drawn with log-odds ``3 (F - median F) / std F``
      (whose log-odds have exactly F's interactions).
2. Real data from ``../shared/data`` (heart disease, HTRU2, spambase, Pima,
   Higgs; larger sets subsampled): stratified 5-fold accuracy and ROC-AUC of
   ``NITClassifier``, ``ParaACEClassifier`` and ``BayesianMLPClassifier`` at
   their defaults beside ``LogisticRegression``,
   ``HistGradientBoostingClassifier`` and (when ``interpret`` is installed)
   ``ExplainableBoostingClassifier`` on the same folds, and the strongest
   interactions of each dataset with intervals.

Run ``python benchmarks/bench_classification.py`` (``--quick`` for a smoke
run that writes ``classification_quick.md``; ``--raw FILE`` saves the
records, ``--from-raw FILE`` re-renders them).
"""

import _common  # noqa: I001  (pins thread pools before numpy is imported)

import argparse
import json
import re
import warnings

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_interact import InteractionSelector
from sklearn_interact.datasets import make_tsang_function
from sklearn_interact.inspection import interaction_table, pairwise_interactions
from sklearn_interact.metrics import interaction_roc_auc
from sklearn_interact.neural import (
    BayesianMLPClassifier,
    NITClassifier,
    ParaACEClassifier,
)

FUNCTIONS = [f"F{k}" for k in range(1, 11)]
#: The ParaACE supplement's Table 7 (5-fold accuracy, 1000 rows per function).
PAPER_TEACHER = [0.955, 0.896, 0.887, 0.872, 0.907, 0.939, 0.964, 0.971, 0.932, 0.953]
PAPER_STUDENT = [0.949, 0.908, 0.94, 0.946, 0.916, 0.94, 0.96, 0.935, 0.919, 0.942]
#: Detection model (b) of bench_detection.py, as a classifier.
MLP = dict(
    hidden_layer_sizes=(140, 100, 60, 20),
    learning_rate_init=1e-3,
    batch_size=256,
    max_iter=200,
    early_stopping=True,
    n_iter_no_change=15,
)
#: Detection model (c) of bench_detection.py, as a classifier.
HGB = dict(
    max_iter=2000,
    learning_rate=0.1,
    early_stopping=True,
    n_iter_no_change=30,
    validation_fraction=0.1,
)
DETECTION_MD = _common.RESULTS_DIR / "detection.md"


def _quiet():
    _common.single_thread()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    warnings.filterwarnings("ignore", category=UserWarning)


#: Logistic labels: log-odds ``LOGISTIC_SCALE * (F - median F) / std F``.
LOGISTIC_SCALE = 3.0


def labelled(name, n, seed):
    """F1-F10 rows with two kinds of labels, and the true interaction terms.

    ``thresholded``: 1 where ``F + 0.1 N(0, 1)`` exceeds its median (ParaACE
    supplement); ``logistic``: Bernoulli with log-odds
    ``LOGISTIC_SCALE * (F - median F) / std F``.
    """
    X, f, terms = make_tsang_function(name, n, random_state=seed)
    rng = np.random.RandomState(seed + 1000)
    noisy = f + 0.1 * rng.normal(size=n)
    thresholded = (noisy > np.median(noisy)).astype(int)
    z = LOGISTIC_SCALE * (f - np.median(f)) / f.std()
    logistic = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-z))).astype(int)
    return X, thresholded, logistic, terms


def _accuracy_one(name, seed, args):
    _quiet()
    X, y, _, _ = labelled(name, args.rows, seed)
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=seed
    )
    out = {"function": name, "seed": seed}
    with _common.Timer() as timer:
        paraace = ParaACEClassifier(random_state=seed).fit(X_tr, y_tr)
        nit = NITClassifier(random_state=seed).fit(X_tr, y_tr)
    out["teacher"] = accuracy_score(y_te, paraace.teacher_.predict(X_te))
    out["student"] = accuracy_score(y_te, paraace.predict(X_te))
    out["nit"] = accuracy_score(y_te, nit.predict(X_te))
    out["ratio"] = paraace.compression_ratio_
    out["cpu"] = timer.cpu
    print(
        f"{name} seed {seed}: teacher {out['teacher']:.3f} student "
        f"{out['student']:.3f} nit {out['nit']:.3f} ({timer.cpu:.0f} s)",
        flush=True,
    )
    return out


def _detection_one(name, seed, args):
    _quiet()
    X, thresholded, logistic, terms = labelled(name, args.detection_rows, seed)
    out = {"function": name, "seed": seed}
    with _common.Timer() as timer:
        for labels, y in (("", thresholded), ("logistic_", logistic)):
            mlp = make_pipeline(
                StandardScaler(), MLPClassifier(**MLP, random_state=seed)
            ).fit(X, y)
            hgb = HistGradientBoostingClassifier(**HGB, random_state=seed).fit(X, y)
            for key, model in (("mlp", mlp), ("hgb", hgb)):
                result = pairwise_interactions(
                    model, X, uncertainty=None, random_state=seed
                )
                out[labels + key] = interaction_roc_auc(result.interactions, terms)
                out[key + "_method"] = result.method
                out[key + "_scale"] = result.scale
    out["cpu"] = timer.cpu
    print(
        f"{name} seed {seed}: detection AUC mlp {out['mlp']:.3f} "
        f"hgb {out['hgb']:.3f}; logistic labels mlp {out['logistic_mlp']:.3f} "
        f"hgb {out['logistic_hgb']:.3f} ({timer.cpu:.0f} s)",
        flush=True,
    )
    return out


def _regression_aucs():
    """Per-function mean AUCs of detection models (b) and (c) from detection.md."""
    if not DETECTION_MD.exists():
        return None
    rows = {}
    pattern = re.compile(
        r"^\| (F\d+) \| ([\d.]+) ± [\d.]+ \| ([\d.]+) ± [\d.]+ \| ([\d.]+)"
    )
    for line in DETECTION_MD.read_text().splitlines():
        match = pattern.match(line)
        if match and match.group(1) not in rows:
            rows[match.group(1)] = (float(match.group(3)), float(match.group(4)))
    return rows if len(rows) == 10 else None


# -- real data ------------------------------------------------------------------
def _real_datasets(data):
    heart = pd.read_csv(data / "heart_disease_cleveland.csv.gz").dropna()
    heart["num"] = (heart["num"] > 0).astype(int)  # the usual binary target
    return [
        ("Heart disease", heart, "num"),
        ("HTRU2", pd.read_csv(data / "htru2.csv.gz"), "class"),
        ("Spambase", pd.read_csv(data / "spambase.csv.gz"), "spam"),
        ("Pima", pd.read_csv(data / "pima_indians_diabetes.csv.gz"), "Outcome"),
        ("Higgs", pd.read_csv(data / "higgs_small.csv.gz"), "label"),
    ]


def _models():
    models = {
        "LogisticRegression": make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000)
        ),
        "HistGradientBoosting": HistGradientBoostingClassifier(random_state=0),
        "NITClassifier": NITClassifier(random_state=0),
        "ParaACEClassifier": ParaACEClassifier(random_state=0),
        "BayesianMLPClassifier": BayesianMLPClassifier(random_state=0),
    }
    try:
        from interpret.glassbox import ExplainableBoostingClassifier
    except ImportError:
        return models, None
    import interpret

    # 4 outer bags instead of 14: the default took 114 s of CPU per fold on
    # the 800 training rows of spambase.
    models["EBM"] = ExplainableBoostingClassifier(
        outer_bags=4, random_state=0, n_jobs=1
    )
    return models, interpret.__version__


def _fold_one(dataset, model_name, model, fold, X, y, train, test):
    _quiet()
    with _common.Timer() as timer:
        fitted = clone(model).fit(X[train], y[train])
    proba = fitted.predict_proba(X[test])[:, 1]
    out = {
        "dataset": dataset,
        "model": model_name,
        "fold": fold,
        "accuracy": accuracy_score(y[test], fitted.predict(X[test])),
        "auc": roc_auc_score(y[test], proba),
        "cpu": timer.cpu,
    }
    print(
        f"{dataset} {model_name} fold {fold}: acc {out['accuracy']:.3f} "
        f"auc {out['auc']:.3f} ({timer.cpu:.0f} s)",
        flush=True,
    )
    return out


def _top_interactions(dataset, X, y, names, top):
    """Top pairs of the Bayesian classifier and of HGB, with intervals."""
    _quiet()
    out = {"dataset": dataset}
    with _common.Timer() as timer:
        bayes = BayesianMLPClassifier(random_state=0).fit(X, y)
        hgb = InteractionSelector(
            HistGradientBoostingClassifier(random_state=0), random_state=0
        ).fit(X, y)
    for key, model in (("bayes", bayes), ("hgb", hgb)):
        table = interaction_table(model, feature_names=names, top_k=top)
        out[key] = table.to_dict("list")
    out["cpu"] = timer.cpu
    return out


def _real_tables(args):
    """(name, X, y, column names, rows before subsampling) of every dataset."""
    for name, frame, target in _real_datasets(args.data):
        n_total = len(frame)
        if len(frame) > args.real_rows:
            frame, _ = train_test_split(
                frame, train_size=args.real_rows, stratify=frame[target], random_state=0
            )
        X = frame.drop(columns=[target]).to_numpy(dtype=np.float64)
        y = frame[target].to_numpy().astype(int)
        yield name, X, y, [c for c in frame.columns if c != target], n_total


def redo_top(args):
    """Only the top interactions, with the code of this checkout."""
    tops = [
        (name, X, y, names, args.top) for name, X, y, names, _ in _real_tables(args)
    ]
    return Parallel(n_jobs=args.n_jobs)(
        delayed(_top_interactions)(*task) for task in tops
    )


def redo_nit(args, accuracy, real_out):
    """Refit only NIT (F1-F10 accuracy and the real-data folds), keeping the
    other models' records: for a change of NIT's defaults."""
    for record in accuracy:
        X, y, _, _ = labelled(record["function"], args.rows, record["seed"])
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=0.2, stratify=y, random_state=record["seed"]
        )
        _quiet()
        nit = NITClassifier(random_state=record["seed"]).fit(X_tr, y_tr)
        record["nit"] = accuracy_score(y_te, nit.predict(X_te))
        print(f"{record['function']} seed {record['seed']}: NIT {record['nit']:.3f}")
    models, _ = _models()
    tasks = []
    for name, X, y, _, _ in _real_tables(args):
        folds = StratifiedKFold(args.folds, shuffle=True, random_state=0)
        for fold, (train, test) in enumerate(folds.split(X, y)):
            tasks.append(
                (
                    name,
                    "NITClassifier",
                    models["NITClassifier"],
                    fold,
                    X,
                    y,
                    train,
                    test,
                )
            )
    redone = Parallel(n_jobs=args.n_jobs)(delayed(_fold_one)(*t) for t in tasks)
    new = {(r["dataset"], r["fold"]): r for r in redone}
    real_out[2] = [
        new[(r["dataset"], r["fold"])] if r["model"] == "NITClassifier" else r
        for r in real_out[2]
    ]
    return accuracy, real_out


def real(args):
    models, ebm_version = _models()
    tasks, meta, tops = [], [], []
    for name, X, y, names, n_total in _real_tables(args):
        meta.append({"dataset": name, "n": len(y), "n_total": n_total, "p": X.shape[1]})
        folds = StratifiedKFold(args.folds, shuffle=True, random_state=0)
        for fold, (train, test) in enumerate(folds.split(X, y)):
            for model_name, model in models.items():
                tasks.append((name, model_name, model, fold, X, y, train, test))
        tops.append((name, X, y, names, args.top))
    results = Parallel(n_jobs=args.n_jobs)(delayed(_fold_one)(*task) for task in tasks)
    top_results = Parallel(n_jobs=args.n_jobs)(
        delayed(_top_interactions)(*task) for task in tops
    )
    return meta, list(models), results, top_results, ebm_version


# -- report ---------------------------------------------------------------------
def _mean_std(values):
    return _common.mean_std(values, digits=3)


def report(args, accuracy, detection, real_out, timer):
    regression = _regression_aucs()
    cpu = sum(r["cpu"] for r in accuracy + detection)
    meta, model_names, folds, tops, ebm_version = real_out
    cpu += sum(r["cpu"] for r in folds) + sum(r["cpu"] for r in tops)
    lines = _common.header_lines(
        "Classification: three classifiers and the log-odds scale",
        wall=timer.wall,
        cpu=max(cpu, timer.cpu),
    )
    lines.append(
        f"Sized for about 25 minutes on a shared 2-core machine: F1-F10 with "
        f"{args.rows} rows and one 80/20 split per seed (seeds "
        f"{list(range(args.seeds))}; the paper averages 5 folds), detection on "
        f"{args.detection_rows} rows (regression detection used 10,000 rows and "
        f"3 seeds), real data subsampled to at most {args.real_rows} rows "
        f"(stratified), {args.folds} stratified folds. Every model at its "
        "library (or scikit-learn) defaults unless stated; process CPU time "
        "is summed over the worker processes."
    )
    lines += ["", "### F1-F10 thresholded at the median: test accuracy", ""]
    lines.append(
        "Labels: 1 where the noisy target (noise 0.1 N(0, 1)) exceeds its "
        "median. Teacher: ParaACE's default teacher (an MLP classifier "
        "(2000, 900), narrower on fewer than 1,000 rows: "
        f"{args.rows * 4 // 5} training rows give "
        f"({round(2000 * min(1, args.rows * 0.8 / 1000))}, "
        f"{round(900 * min(1, args.rows * 0.8 / 1000))})); student: "
        "`ParaACEClassifier()` (20 pairs by UCB on the teacher's log-odds); "
        "NIT: `NITClassifier()`. Paper: Table 7 of the ParaACE supplement "
        "(OverparaFC teacher, 5-fold accuracy)."
    )
    lines.append("")
    rows = []
    for k, name in enumerate(FUNCTIONS):
        part = [r for r in accuracy if r["function"] == name]
        if not part:
            continue
        rows.append(
            [
                name,
                _mean_std([r["teacher"] for r in part]),
                _mean_std([r["student"] for r in part]),
                _mean_std([r["nit"] for r in part]),
                f"{np.mean([r['ratio'] for r in part]):.0f}",
                f"{PAPER_TEACHER[k]:.3f}",
                f"{PAPER_STUDENT[k]:.3f}",
            ]
        )
    if accuracy:
        rows.append(
            [
                "**mean**",
                f"{np.mean([r['teacher'] for r in accuracy]):.3f}",
                f"{np.mean([r['student'] for r in accuracy]):.3f}",
                f"{np.mean([r['nit'] for r in accuracy]):.3f}",
                f"{np.mean([r['ratio'] for r in accuracy]):.0f}",
                f"{np.mean(PAPER_TEACHER):.3f}",
                f"{np.mean(PAPER_STUDENT):.3f}",
            ]
        )
    lines.append(
        _common.markdown_table(
            [
                "function",
                "teacher",
                "ParaACE student",
                "NIT",
                "compression ratio",
                "paper teacher",
                "paper ParaACE",
            ],
            rows,
        )
    )
    lines += ["", "### F1-F10 thresholded: pairwise detection ROC-AUC", ""]
    scales = sorted(
        {r["mlp_scale"] for r in detection} | {r["hgb_scale"] for r in detection}
    )
    lines.append(
        f"{args.detection_rows} rows per function, labels as above, "
        "`pairwise_interactions(model, X)` at its defaults (M-GEH, 1000 rows, "
        f"scale: {', '.join(scales)}). MLP classifier: detection model (b) of "
        "the regression benchmark as a classifier "
        "(`MLPClassifier(hidden_layer_sizes=(140, 100, 60, 20), batch_size=256, "
        "max_iter=200, early_stopping=True, n_iter_no_change=15)` after a "
        "`StandardScaler`), exact Hessians of its log-odds with ReLU swapped "
        "for softplus; HGB: model (c) as a classifier "
        "(`HistGradientBoostingClassifier(max_iter=2000, early_stopping=True, "
        "n_iter_no_change=30)`), finite differences of its log-odds. The "
        "regression columns are the means over 3 seeds of (b) and (c) in the "
        "detection section (10,000 rows, continuous target). Thresholded "
        "labels: 1 where F + 0.1 N(0, 1) exceeds its median; their true "
        "log-odds, logit(Phi((F - m) / 0.1)), is a steep non-linear function "
        "of F, so every pair of features that moves F interacts on the "
        "log-odds scale (and on the probability scale), and the pairs of F's "
        "terms are no longer the only true ones: these AUCs measure how far F's "
        "structure survives thresholding. Logistic labels: Bernoulli with "
        f"log-odds {LOGISTIC_SCALE:g} (F - median F) / std F, whose log-odds "
        "interact exactly as F does."
    )
    lines.append("")
    rows = []
    for name in FUNCTIONS:
        part = [r for r in detection if r["function"] == name]
        if not part:
            continue
        reg = regression.get(name) if regression else None
        rows.append(
            [
                name,
                _mean_std([r["mlp"] for r in part]),
                _mean_std([r["logistic_mlp"] for r in part]),
                "-" if reg is None else f"{reg[0]:.3f}",
                _mean_std([r["hgb"] for r in part]),
                _mean_std([r["logistic_hgb"] for r in part]),
                "-" if reg is None else f"{reg[1]:.3f}",
            ]
        )
    if detection:
        reg_mean = (
            ("-", "-")
            if regression is None
            else tuple(
                f"{np.mean([regression[f][i] for f in FUNCTIONS]):.3f}" for i in (0, 1)
            )
        )
        rows.append(
            [
                "**mean**",
                f"{np.mean([r['mlp'] for r in detection]):.3f}",
                f"{np.mean([r['logistic_mlp'] for r in detection]):.3f}",
                reg_mean[0],
                f"{np.mean([r['hgb'] for r in detection]):.3f}",
                f"{np.mean([r['logistic_hgb'] for r in detection]):.3f}",
                reg_mean[1],
            ]
        )
    lines.append(
        _common.markdown_table(
            [
                "function",
                "MLP classifier, thresholded",
                "MLP classifier, logistic labels",
                "MLPRegressor (regression)",
                "HGB classifier, thresholded",
                "HGB classifier, logistic labels",
                "HGB regressor (regression)",
            ],
            rows,
        )
    )
    lines += ["", "### Real data: stratified 5-fold accuracy and ROC-AUC", ""]
    lines.append(
        "Rows: "
        + "; ".join(
            f"{m['dataset']} {m['n']:,} of {m['n_total']:,} x {m['p']}" for m in meta
        )
        + ". Heart disease: rows with a missing `ca` or `thal` dropped, target "
        "`num > 0`. LogisticRegression after a StandardScaler; the other models "
        "at their defaults (`random_state=0`)."
        + (
            f" EBM: interpret {ebm_version}, "
            "`ExplainableBoostingClassifier(outer_bags=4)` (the default 14 "
            "bags took 114 s of CPU per fold on spambase, too slow for the "
            "budget)."
            if ebm_version
            else " EBM: `interpret` is not installed, so EBM is left out."
        )
        + " Cells: mean ± std over the folds."
    )
    for metric, title in (("accuracy", "Accuracy"), ("auc", "ROC-AUC")):
        lines += ["", f"{title}:", ""]
        rows = []
        for m in meta:
            row = [m["dataset"]]
            for model in model_names:
                part = [
                    r[metric]
                    for r in folds
                    if r["dataset"] == m["dataset"] and r["model"] == model
                ]
                row.append(_mean_std(part))
            rows.append(row)
        lines.append(_common.markdown_table(["dataset", *model_names], rows))
    lines += ["", "Fit CPU time per fold (s, mean):", ""]
    rows = []
    for m in meta:
        row = [m["dataset"]]
        for model in model_names:
            part = [
                r["cpu"]
                for r in folds
                if r["dataset"] == m["dataset"] and r["model"] == model
            ]
            row.append(f"{np.mean(part):.1f}")
        rows.append(row)
    lines.append(_common.markdown_table(["dataset", *model_names], rows))
    lines += ["", f"### Real data: the top {args.top} interactions", ""]
    lines.append(
        "Fitted on every (subsampled) row. `BayesianMLPClassifier()`: posterior "
        "mean of M-GEH of the log-odds with its 95% credible interval, the "
        "posterior p-value and its Benjamini-Hochberg adjustment; "
        "`InteractionSelector(HistGradientBoostingClassifier())`: M-GEH of "
        "finite differences of the log-odds with its 95% bootstrap interval. "
        "Both intervals describe the fitted model (estimand `model`), not what "
        "a refit on new data would find (see `interaction_test`). Scales in the "
        "last column."
    )
    for top in tops:
        lines += ["", f"**{top['dataset']}**", ""]
        rows = []
        for key, label in (("bayes", "Bayesian MLP"), ("hgb", "HGB")):
            table = top[key]
            for rank in range(len(table["strength"])):
                pvalue = table.get("p_value")
                adjusted = table.get("p_value_adjusted")
                low, high = table["ci_lower"][rank], table["ci_upper"][rank]
                rows.append(
                    [
                        label,
                        str(rank + 1),
                        f"{table['feature_a'][rank]} x {table['feature_b'][rank]}",
                        f"{table['strength'][rank]:.4g}",
                        f"[{low:.3g}, {high:.3g}]",
                        "-" if pvalue is None else f"{pvalue[rank]:.3g}",
                        "-" if adjusted is None else f"{adjusted[rank]:.3g}",
                        table.get("estimand", ["-"] * (rank + 1))[rank],
                        table["scale"][rank],
                    ]
                )
        lines.append(
            _common.markdown_table(
                [
                    "model",
                    "rank",
                    "pair",
                    "strength",
                    "95% interval",
                    "p-value",
                    "adjusted p-value",
                    "estimand",
                    "scale",
                ],
                rows,
                align="llllrrrll",
            )
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--detection-rows", type=int, default=5000)
    parser.add_argument("--real-rows", type=int, default=1000)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--functions", nargs="*", default=FUNCTIONS)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--data", type=_common.Path, default=_common.DATA_DIR)
    parser.add_argument("--raw", type=_common.Path, help="save the records (JSON)")
    parser.add_argument(
        "--from-raw", type=_common.Path, help="re-render saved records, no fits"
    )
    parser.add_argument(
        "--redo-nit",
        action="store_true",
        help="with --from-raw: refit NIT only (after a change of its defaults)",
    )
    parser.add_argument(
        "--redo-top",
        action="store_true",
        help="with --from-raw: recompute the top interactions of the real data",
    )
    args = parser.parse_args()
    if args.quick:
        args.rows, args.detection_rows, args.real_rows = 300, 600, 200
        args.functions, args.folds = ["F1", "F2"], 2
    if args.from_raw:
        saved = json.loads(args.from_raw.read_text())
        accuracy, detection = saved["accuracy"], saved["detection"]
        real_out, timer = saved["real"], _common.Timer()
        timer.wall, timer.cpu = saved["wall"], saved["cpu"]
        vars(args).update(saved["args"])
        if args.redo_nit:
            with _common.Timer() as again:
                accuracy, real_out = redo_nit(args, accuracy, real_out)
            timer.wall += again.wall
            timer.cpu += again.cpu
            saved.update(accuracy=accuracy, real=real_out)
            saved["wall"], saved["cpu"] = timer.wall, timer.cpu
            if args.raw:
                args.raw.write_text(json.dumps(saved, default=float))
        if args.redo_top:
            with _common.Timer() as again:
                real_out[3] = redo_top(args)
            timer.wall += again.wall
            timer.cpu += again.cpu
            saved["real"], saved["wall"], saved["cpu"] = real_out, timer.wall, timer.cpu
            if args.raw:
                args.raw.write_text(json.dumps(saved, default=float))
    else:
        with _common.Timer() as timer:
            jobs = [(f, s) for f in args.functions for s in range(args.seeds)]
            accuracy = Parallel(n_jobs=args.n_jobs)(
                delayed(_accuracy_one)(f, s, args) for f, s in jobs
            )
            detection = Parallel(n_jobs=args.n_jobs)(
                delayed(_detection_one)(f, s, args) for f, s in jobs
            )
            real_out = real(args)
        if args.raw:
            kept = ("seeds", "rows", "detection_rows", "real_rows", "folds", "top")
            args.raw.write_text(
                json.dumps(
                    {
                        "accuracy": accuracy,
                        "detection": detection,
                        "real": real_out,
                        "wall": timer.wall,
                        "cpu": timer.cpu,
                        "args": {k: getattr(args, k) for k in kept},
                    },
                    default=float,
                )
            )
    text = report(args, accuracy, detection, real_out, timer)
    topic = "classification_quick" if args.quick else "classification"
    print(f"wrote {_common.write_result(topic, text)}")


if __name__ == "__main__":
    main()
