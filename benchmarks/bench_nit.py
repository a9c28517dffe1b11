# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Benchmark NITRegressor (Tsang et al., NeurIPS 2018).

Three parts, each writing its own subsection of ``benchmarks/results/nit.md``:

* ``disentangle``: y = x1 x2 + x3 x4, x ~ U(-1, 1), 10 seeds; are the learned
  terms exactly {1, 2} and {3, 4} (after merging duplicate and subset blocks)?
* ``real``: California housing and bike sharing, standardized target, one
  fixed 60/20/20 train/validation/test split; NIT at K = 2, 3, 4 next to a
  linear model, an MLP and a random forest.
* ``tsang``: F1-F10; ROC-AUC of the pairs read from NIT's blocks next to the
  engine's Hessian-based detection on the same fitted NIT.

Usage::

    python benchmarks/bench_nit.py            # all parts, full size
    python benchmarks/bench_nit.py --quick    # smoke run
    python benchmarks/bench_nit.py --parts real
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_interact.datasets import make_tsang_function, true_interaction_pairs
from sklearn_interact.inspection import pairwise_interactions
from sklearn_interact.metrics import interaction_roc_auc
from sklearn_interact.neural import NITRegressor

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results" / "nit.md"
PARTS = ("disentangle", "real", "tsang")


def rmse(a, b):
    return float(np.sqrt(np.mean((np.asarray(a) - np.asarray(b)) ** 2)))


# -- disentangling ---------------------------------------------------------
def run_disentangle(quick):
    n_seeds = 2 if quick else 10
    n_train = 1000 if quick else 5000
    rows = []
    for seed in range(n_seeds):
        rng = np.random.default_rng(seed)
        X = rng.uniform(-1, 1, size=(n_train + 2000, 4))
        y = X[:, 0] * X[:, 1] + X[:, 2] * X[:, 3]
        nit = NITRegressor(
            max_order=2,
            hidden_layer_sizes=(10, 10, 10),
            n_iter_stable=10,
            max_epochs=20 if quick else 200,
            random_state=seed,
        )
        start = time.perf_counter()
        nit.fit(X[:n_train], y[:n_train])
        terms = [tuple(j + 1 for j in t) for t in nit.terms_]
        rows.append(
            {
                "seed": seed,
                "terms (1-based)": " ".join(str(t).replace(" ", "") for t in terms),
                "active blocks": len(nit.blocks_),
                "exact": terms == [(1, 2), (3, 4)],
                "test RMSE": rmse(nit.predict(X[n_train:]), y[n_train:]),
                "epochs (phase 1 + 2)": f"{nit.n_iter_disentangle_} + {nit.n_iter_}",
                "fit s": time.perf_counter() - start,
            }
        )
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    n_exact = int(table["exact"].sum())
    target = 9 if n_seeds == 10 else n_seeds - 1
    lines = [
        "### Disentangling: y = x1 x2 + x3 x4",
        "",
        f"{n_train} training and 2000 test points, x ~ U(-1, 1)^4, "
        "NITRegressor(max_order=2, hidden_layer_sizes=(10, 10, 10), "
        "n_iter_stable=10), default B = 20 and lambda.",
        "",
        table.to_markdown(index=False, floatfmt=".4g"),
        "",
        f"Exactly {{1,2}} and {{3,4}} in **{n_exact}/{n_seeds}** seeds "
        f"(target >= {target}); median test RMSE "
        f"{table['test RMSE'].median():.3g} (paper: 1.3e-3). "
        f"Verdict: {'met' if n_exact >= target else 'NOT met'}.",
        "",
    ]
    return "\n".join(lines)


# -- real data -------------------------------------------------------------
def load_california():
    df = pd.read_csv(DATA / "california_housing.csv.gz")
    y = df.pop("MedHouseVal").to_numpy(dtype=float)
    return df.to_numpy(dtype=float), y


def load_bike():
    df = pd.read_csv(DATA / "bike_sharing_hour.csv.gz")
    y = df.pop("cnt").to_numpy(dtype=float)
    df = df.drop(columns=["instant", "dteday", "casual", "registered"])
    return df.to_numpy(dtype=float), y


DATASETS = ("california", "bike")


def run_real(quick, datasets=DATASETS, anneal_epochs=12, baselines=True):
    targets = {
        ("california", 2): 0.46,
        ("california", 4): 0.44,
        ("bike", 4): 0.26,
    }
    paper = {
        ("california", 2): 0.448,
        ("california", 3): 0.437,
        ("california", 4): 0.43,
        ("bike", 2): 0.31,
        ("bike", 3): 0.26,
        ("bike", 4): 0.240,
    }
    rows = []
    verdicts = []
    loaders = {"california": load_california, "bike": load_bike}
    for name in datasets:
        loader = loaders[name]
        X, y = loader()
        y = (y - y.mean()) / y.std()
        if quick:
            X, y = X[:3000], y[:3000]
        # Fixed split: 60% train, 20% validation (early stopping), 20% test,
        # the paper's 3/1/1 fold proportions.
        X_fit, X_test, y_fit, y_test = train_test_split(
            X, y, test_size=0.2, random_state=0
        )
        models = {
            "linear": make_pipeline(StandardScaler(), LinearRegression()),
            "MLP (100-100, sklearn)": make_pipeline(
                StandardScaler(),
                MLPRegressor(
                    hidden_layer_sizes=(100, 100),
                    early_stopping=True,
                    validation_fraction=0.25,
                    max_iter=30 if quick else 500,
                    random_state=0,
                ),
            ),
            "random forest": RandomForestRegressor(
                n_estimators=20 if quick else 200,
                min_samples_leaf=2,
                n_jobs=1,
                random_state=0,
            ),
        }
        if not baselines:
            models = {}
        for label, model in models.items():
            start = time.perf_counter()
            model.fit(X_fit, y_fit)
            rows.append(
                {
                    "dataset": name,
                    "model": label,
                    "test RMSE": rmse(model.predict(X_test), y_test),
                    "paper": None,
                    "target": None,
                    "terms": None,
                    "fit s": time.perf_counter() - start,
                }
            )
            print(rows[-1], flush=True)
        for K in (2, 3, 4):
            nit = NITRegressor(
                max_order=K,
                alpha=1e-3,
                lr=2e-3,
                anneal_epochs=anneal_epochs,
                validation_fraction=0.25,
                max_epochs=20 if quick else 200,
                n_iter_no_change=20,
                random_state=0,
            )
            start = time.perf_counter()
            nit.fit(X_fit, y_fit)
            score = rmse(nit.predict(X_test), y_test)
            target = targets.get((name, K))
            rows.append(
                {
                    "dataset": name,
                    "model": f"NIT K={K}",
                    "test RMSE": score,
                    "paper": paper[(name, K)],
                    "target": target,
                    "terms": len(nit.terms_),
                    "fit s": time.perf_counter() - start,
                }
            )
            print(rows[-1], nit.terms_, flush=True)
            if target is not None:
                verdicts.append(
                    f"{name} K={K}: {score:.3f} vs <= {target} "
                    f"({'met' if score <= target else 'NOT met'})"
                )
    table = pd.DataFrame(rows)
    lines = [
        "### Real data: California housing and bike sharing",
        "",
        "Standardized target; one fixed split (test 20%, `random_state=0`; NIT "
        "and the MLP hold out 25% of the rest for early stopping, i.e. "
        "60/20/20 as the paper's 3/1/1 folds). Bike sharing uses season, yr, "
        "mnth, hr, holiday, weekday, workingday, weathersit, temp, atemp, hum "
        "and windspeed (12 features; `casual` and `registered` sum to the "
        "target and are dropped). NIT: "
        f"`NITRegressor(max_order=K, alpha=1e-3, lr=2e-3, "
        f"anneal_epochs={anneal_epochs}, "
        "validation_fraction=0.25, n_iter_no_change=20, random_state=0)`, "
        "other parameters default "
        "(B = 20 blocks). Paper numbers are 5-fold means.",
        "",
        table.to_markdown(index=False, floatfmt=".4g"),
        "",
        "Verdict: " + "; ".join(verdicts) + ".",
        "",
    ]
    return "\n".join(lines)


# -- F1-F10 ------------------------------------------------------------------
def run_tsang(quick):
    n_samples = 2000 if quick else 3000
    names = ["F1", "F2"] if quick else [f"F{i}" for i in range(1, 11)]
    rows = []
    for name in names:
        X, y, terms = make_tsang_function(name, n_samples, random_state=0)
        p = X.shape[1]
        nit = NITRegressor(
            max_order=3,
            alpha=1e-3,
            anneal_epochs=30,
            batch_size=128,
            max_epochs=20 if quick else 100,
            random_state=0,
        )
        start = time.perf_counter()
        nit.fit(X, y)
        fit_s = time.perf_counter() - start
        true = true_interaction_pairs(terms, p)
        hess = pairwise_interactions(
            nit,
            X,
            method="hessian",
            aggregation="eah",
            max_samples=500,
            random_state=0,
        )
        rows.append(
            {
                "function": name,
                "NIT blocks AUC": interaction_roc_auc(nit.interactions_, true),
                "engine Hessian AUC": interaction_roc_auc(hess.interactions, true),
                "terms": len(nit.terms_),
                "R2 train": nit.score(X, y),
                "fit s": fit_s,
            }
        )
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    lines = [
        "### F1-F10: pairs read from the blocks vs the engine's Hessian",
        "",
        f"{n_samples} samples per function (`make_tsang_function`, "
        "`random_state=0`), `NITRegressor(max_order=3, alpha=1e-3, "
        "anneal_epochs=30, batch_size=128, max_epochs=100, random_state=0)` "
        "(with the default anneal_epochs=12 the blocks collapsed to 1-3 "
        "terms, mean AUC 0.55). Blocks: `interactions_` (each pair weighted by "
        "the variance of the pure pair part of the terms containing it; pairs "
        "in no term tie at 0). "
        "Hessian: `pairwise_interactions(nit, X, method='hessian', "
        "aggregation='eah', max_samples=500)` on the same fitted NIT "
        "(ReLU smoothed to softplus(10)).",
        "",
        table.to_markdown(index=False, floatfmt=".3f"),
        "",
        f"Mean AUC: blocks {table['NIT blocks AUC'].mean():.3f}, Hessian "
        f"{table['engine Hessian AUC'].mean():.3f}. Report only (no target).",
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument(
        "--parts", nargs="+", choices=PARTS, default=list(PARTS), help="parts to run"
    )
    parser.add_argument(
        "--datasets", nargs="+", choices=DATASETS, default=list(DATASETS)
    )
    parser.add_argument(
        "--anneal-epochs", type=int, default=12, help="anneal_epochs of NIT (real)"
    )
    parser.add_argument(
        "--skip-baselines", action="store_true", help="only NIT in the real part"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    runners = {"disentangle": run_disentangle, "real": run_real, "tsang": run_tsang}
    sections = {}
    timings = {}
    for part in args.parts:
        start = time.perf_counter()
        if part == "real":
            sections[part] = run_real(
                args.quick,
                args.datasets,
                anneal_epochs=args.anneal_epochs,
                baselines=not args.skip_baselines,
            )
        else:
            sections[part] = runners[part](args.quick)
        timings[part] = time.perf_counter() - start
    # keep the sections of parts not run this time
    previous = {}
    if args.output.exists() and not args.quick:
        text = args.output.read_text()
        for part in PARTS:
            begin, end = f"<!-- {part} -->", f"<!-- /{part} -->"
            if begin in text and end in text:
                previous[part] = text[text.index(begin) : text.index(end) + len(end)]
    command = "python benchmarks/bench_nit.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    header = [
        "## NITRegressor: Neural Interaction Transparency",
        "",
        f"Machine: `{platform.processor() or platform.machine()}`, "
        f"{os.cpu_count()} logical CPUs (shared with other jobs), torch "
        f"{torch.__version__}, `torch.set_num_threads(1)`. Fit times are "
        "wall-clock seconds on a machine loaded by other jobs (load about 9 on "
        "2 cores), several parts run at once: expect them 3-5 times shorter "
        "on an idle core.",
        "",
    ]
    body = []
    for part in PARTS:
        if part in sections:
            body += [
                f"<!-- {part} -->",
                f"Command: `{command.strip()}`; wall time of this part "
                f"{timings[part]:.0f} s.",
                "",
                sections[part],
                f"<!-- /{part} -->",
                "",
            ]
        elif part in previous:
            body += [previous[part], ""]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(header + body))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
