"""Is this interaction real? Calibration, power, coverage and cost (issue 15).

Four experiments with ``sklearn_interact.inspection.interaction_test`` at its
defaults (3 folds in a ring: each refit trains on one and is tested on the
next, grid of 10, 200 background rows,
Benjamini-Hochberg at 0.05), written to ``benchmarks/results/significance.md``:

1. The simulation of the Bayesian benchmark (8 features, 7 true pairs of 28 on
   the chain, several S/N) at 2,000 and 20,000 rows, for an MLP
   (scikit-learn's, behind a StandardScaler), HistGradientBoosting and
   BayesianMLPRegressor: share of null pairs with a raw p-value below 0.05,
   false discovery proportion after BH, power on the true pairs.
2. Coverage of the data-level 95% intervals (the held-out, model-free
   estimate of ``interaction_test``, HistGradientBoosting) of the variance of
   the double-centred two-way partial dependence of the generating function;
   beside it, percentile intervals of ``n_resamples`` bootstrap refits.
3. Permuted targets on California housing, bike sharing and energy
   efficiency: share of pairs significant at a raw 0.05, with and without the
   screen.
4. Cost: wall time in total and per tested pair for p = 10 and p = 30, with
   and without the feature screen.

Run ``python benchmarks/bench_significance.py`` (``--quick`` for a smoke run).
The records of each section go to ``benchmarks/results/significance.json``;
a rerun keeps the sections found there (delete it to measure again).
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: I001  (pins thread pools before numpy is imported)

import argparse
import json
import time
import warnings

import numpy as np
import torch
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from bench_bayesian import FORMS, LOW, TRUE_PAIRS, WEIGHTS, load_dataset, simulate
from sklearn_interact.inspection import interaction_test
from sklearn_interact.neural import BayesianMLPRegressor

DEFAULT_DATA = Path("/work/shared/data")
P = 8
IU = np.triu_indices(P, k=1)
TRUTH = np.zeros((P, P), dtype=bool)
for _i, _j in TRUE_PAIRS:
    TRUTH[_i, _j] = True
TRUE_FLAT = TRUTH[IU]


def true_variances(resolution=400, grid=None):
    """Variance of the double-centred two-way PD of the generating function.

    The main effects are linear and each form involves one pair of the chain,
    so the pure interaction of (k, k+1) is the double-centred weighted form
    and every other pair's is 0. ``resolution`` midpoints per column give the
    continuous value; ``grid=10`` the value on the decile grid the test uses.
    """
    out = np.zeros((P, P))
    n = resolution if grid is None else grid
    q = (np.arange(n) + 0.5) / n
    for k, (_, form) in enumerate(FORMS):
        a = torch.as_tensor(LOW[k] + q)[:, None]
        b = torch.as_tensor(LOW[k + 1] + q)[None, :]
        F = (WEIGHTS[k] * form(a, b)).numpy()
        h = F - F.mean(axis=1, keepdims=True) - F.mean(axis=0) + F.mean()
        out[k, k + 1] = out[k + 1, k] = (h**2).mean()
    return out


def make_model(name, n, seed, args):
    if name == "HGB":
        return HistGradientBoostingRegressor(random_state=seed)
    if name == "MLP":
        return make_pipeline(
            StandardScaler(),
            MLPRegressor(
                hidden_layer_sizes=(64, 64),
                early_stopping=True,
                max_iter=args.mlp_epochs,
                random_state=seed,
            ),
        )
    hidden = (64, 64, 64) if n <= 5000 else (32, 32)
    return BayesianMLPRegressor(
        hidden_layer_sizes=hidden,
        max_epochs=args.bayes_epochs,
        n_draws=2,
        max_samples=50,
        n_clusters=1,
        random_state=seed,
    )


def run_simulation(args, log, done=()):
    """Simulation records; ``(n, model, snr, seed)`` in ``done`` are skipped."""
    rows = []
    done = set(done)
    truth = true_variances()
    truth_grid = true_variances(grid=10)
    for n, model_name, snrs, reps, n_resamples in args.plan:
        if True:
            for snr in snrs:
                for seed in range(reps):
                    if (n, model_name, snr, seed) in done:
                        continue
                    X, y = simulate(n, snr, 1000 * seed + int(10 * snr))
                    start = time.perf_counter()
                    result = interaction_test(
                        make_model(model_name, n, seed, args),
                        X,
                        y,
                        n_resamples=n_resamples,
                        n_jobs=args.n_jobs,
                        random_state=seed,
                    )
                    wall = time.perf_counter() - start
                    raw = result.interaction_pvalues[IU] < 0.05
                    sig = result.interaction_significant[IU]
                    record = {
                        "n": n,
                        "model": model_name,
                        "snr": snr,
                        "seed": seed,
                        "null_raw": raw[~TRUE_FLAT].mean(),
                        "power_raw": raw[TRUE_FLAT].mean(),
                        "power_bh": sig[TRUE_FLAT].mean(),
                        "fdp_bh": (sig & ~TRUE_FLAT).sum() / max(sig.sum(), 1),
                        "null_p": result.interaction_pvalues[IU][~TRUE_FLAT].tolist(),
                        "wall": wall,
                    }
                    if result.interaction_ci is not None:
                        lo = result.interaction_ci[..., 0][IU]
                        hi = result.interaction_ci[..., 1][IU]
                        inside = (lo <= truth[IU]) & (truth[IU] <= hi)
                        est = result.interactions[IU]
                        if result.samples is not None:
                            samples = result.samples[:, IU[0], IU[1]]
                            q = np.quantile(samples, [0.025, 0.975], axis=0)
                            pct = (q[0] <= truth[IU]) & (truth[IU] <= q[1])
                            record["cover_pct_true"] = pct[TRUE_FLAT].mean()
                        record.update(
                            cover_all=inside.mean(),
                            cover_true=inside[TRUE_FLAT].mean(),
                            cover_null=inside[~TRUE_FLAT].mean(),
                            ratio_true=np.mean(est[TRUE_FLAT] / truth[IU][TRUE_FLAT]),
                            grid_ratio=np.mean(
                                truth_grid[IU][TRUE_FLAT] / truth[IU][TRUE_FLAT]
                            ),
                        )
                    rows.append(record)
                    log(
                        f"sim n={n} {model_name} snr={snr} seed={seed}: "
                        f"null {record['null_raw']:.3f} power "
                        f"{record['power_bh']:.2f} ({wall:.0f}s)"
                    )
    return rows


def run_permuted(args, log):
    rows = []
    for name in ("california_housing", "bike_sharing", "energy_efficiency"):
        X, y, _ = load_dataset(name, args.n_real, 0, args.data)
        p = X.shape[1]
        iu = np.triu_indices(p, k=1)
        for b in range(args.permutations):
            y_perm = np.random.RandomState(b).permutation(y)
            for screen in (None, "auto"):
                start = time.perf_counter()
                result = interaction_test(
                    HistGradientBoostingRegressor(random_state=b),
                    X,
                    y_perm,
                    screen=screen,
                    n_jobs=args.n_jobs,
                    random_state=b,
                )
                pv = result.interaction_pvalues[iu]
                rows.append(
                    {
                        "dataset": name,
                        "p": p,
                        "screen": "auto" if screen else "none",
                        "permutation": b,
                        "share_raw": np.mean(np.nan_to_num(pv, nan=1.0) < 0.05),
                        "tested": int(np.sum(~np.isnan(pv))),
                        "bh_discoveries": int(result.interaction_significant[iu].sum()),
                        "wall": time.perf_counter() - start,
                    }
                )
        log(f"permuted {name}: done")
    return rows


def run_cost(args, log):
    rows = []
    for p in (10, 30):
        rng = np.random.RandomState(p)
        X = rng.uniform(-1, 1, size=(args.n_cost, p))
        y = (
            X[:, 0] * X[:, 1]
            + np.sin(2 * X[:, 2]) * X[:, 3]
            + X[:, :5].sum(axis=1)
            + 0.5 * rng.normal(size=args.n_cost)
        )
        for screen in (None, "features"):
            start = time.perf_counter()
            result = interaction_test(
                HistGradientBoostingRegressor(random_state=0),
                X,
                y,
                screen=screen,
                n_jobs=args.n_jobs,
                random_state=0,
            )
            wall = time.perf_counter() - start
            tested = int(result.tested.sum() // 2)
            rows.append(
                {
                    "p": p,
                    "screen": screen or "none",
                    "pairs": p * (p - 1) // 2,
                    "tested": tested,
                    "fit_s": result.fit_time,
                    "total_s": wall,
                    "per_tested_pair_s": (wall - result.fit_time / args.n_jobs)
                    / max(tested, 1),
                    "found": "yes"
                    if result.interaction_significant[0, 1]
                    and result.interaction_significant[2, 3]
                    else "no",
                    "false_bh": int(
                        result.interaction_significant[np.triu_indices(p, 1)].sum()
                        - result.interaction_significant[0, 1]
                        - result.interaction_significant[2, 3]
                    ),
                }
            )
            log(f"cost p={p} screen={screen}: {wall:.1f}s, {tested} pairs")
    return rows


def _jsonable(rows):
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in rows
    ]


def se(share, count):
    return np.sqrt(max(share * (1 - share), 1e-12) / max(count, 1))


def write_report(args, sim, perm, cost, wall, cpu):
    import pandas as pd

    lines = _common.header_lines(
        "Significance of interactions: calibration, power, coverage, cost",
        wall=wall,
        cpu=cpu,
    )
    lines += [
        "`interaction_test` at its defaults: `n_splits=3` folds in a ring (each "
        "refit trains on one fold and is tested on the next), "
        "`grid_resolution=10`, `max_samples=200` background rows, "
        "`multiple_testing='bh'`, `alpha=0.05`, `screen='auto'` (no screen "
        "up to 45 pairs); the test is one-sided with an HC3 standard error. "
        f"Refits through joblib with `n_jobs={args.n_jobs}`. Models: "
        "`HistGradientBoostingRegressor()` (HGB), "
        "`StandardScaler + MLPRegressor((64, 64), early_stopping=True, "
        f"max_iter={args.mlp_epochs})` (MLP), `BayesianMLPRegressor("
        f"hidden_layer_sizes=(64, 64, 64), max_epochs={args.bayes_epochs})` "
        "at 2,000 rows and `(32, 32)` at 20,000 (Bayes; the refits skip the "
        "posterior Hessians, as `BayesianMLPRegressor.interaction_test` does).",
        "",
        "### 1. Simulation: calibration, false discoveries, power",
        "",
        "The simulation of the Bayesian benchmark (8 features, linear main "
        "effects, 7 interactions of different forms on the chain (x_k, x_k+1), "
        "21 null pairs). `null_raw`: share of the null pairs with a raw "
        "p-value below 0.05 (target [0.02, 0.07]), with its Monte-Carlo "
        "standard error over pairs (pairs of one dataset are correlated, so "
        "it is a lower bound); `fdr_bh`: mean false discovery proportion "
        "after Benjamini-Hochberg (target <= 0.05); `power_raw` / `power_bh`: "
        "share of the 7 true pairs found before / after BH (target >= 0.8 at "
        "20,000 rows, S/N 8).",
        "",
    ]
    df = pd.DataFrame(sim)
    table = []
    for (n, model, snr), g in df.groupby(["n", "model", "snr"], sort=True):
        nulls = np.concatenate(list(g["null_p"]))
        share = float(np.mean(nulls < 0.05))
        table.append(
            [
                f"{n:,}",
                model,
                f"{snr:g}",
                len(g),
                f"{share:.3f} ± {se(share, nulls.size):.3f}",
                g["fdp_bh"].mean(),
                g["power_raw"].mean(),
                g["power_bh"].mean(),
                g["wall"].mean(),
            ]
        )
    lines += [
        _common.markdown_table(
            [
                "rows",
                "model",
                "S/N",
                "datasets",
                "null_raw",
                "fdr_bh",
                "power_raw",
                "power_bh",
                "wall s",
            ],
            table,
            align="rlrrrrrrr",
        ),
        "",
    ]
    pooled = []
    for (n, model), g in df.groupby(["n", "model"], sort=True):
        nulls = np.concatenate(list(g["null_p"]))
        share = float(np.mean(nulls < 0.05))
        pooled.append(
            [
                f"{n:,}",
                model,
                nulls.size,
                f"{share:.3f} ± {se(share, nulls.size):.3f}",
                "met" if 0.02 <= share <= 0.07 else "not met",
                g["fdp_bh"].mean(),
                "met" if g["fdp_bh"].mean() <= 0.05 else "not met",
            ]
        )
    lines += [
        "Pooled over S/N levels (the targets):",
        "",
        _common.markdown_table(
            [
                "rows",
                "model",
                "null p-values",
                "null_raw",
                "[0.02, 0.07]",
                "fdr_bh",
                "<= 0.05",
            ],
            pooled,
            align="rlrrlrl",
        ),
        "",
    ]
    n_max = max(plan[0] for plan in args.plan)
    top = df[(df["n"] == n_max) & (df["snr"] == 8.0)]
    power = ", ".join(
        f"{m} {g['power_bh'].mean():.2f} ({len(g)} datasets)"
        for m, g in top.groupby("model")
    )
    lines += [
        f"Power after BH at {n_max:,} rows, S/N 8: {power} (target >= 0.8).",
        "",
    ]
    cov = df.dropna(subset=["cover_all"]) if "cover_all" in df else df.iloc[:0]
    lines += [
        "### 2. Coverage of the data-level 95% intervals",
        "",
        "Estimand: the variance of the double-centred two-way partial "
        "dependence of the generating function over the product of the two "
        "columns' distributions (0 for the 21 null pairs), computed on a "
        "400 x 400 grid. Interval: `interaction_ci` of `interaction_test` at "
        "its defaults: on each fold's held-out rows, the doubly centred cell "
        "means of the target minus the refit's anchored parts (everything but "
        "the pair's interaction), their weighted squared norm minus its noise "
        "bias, mean over the folds, +- 1.96 standard errors (Gaussian "
        "quadratic form), clipped at 0. `cover_pct_true`: the percentile "
        "interval of `n_resamples=B` bootstrap refits' own variances (what the "
        "model class estimates at a fold's size), for comparison; "
        "`ratio_true`: estimate / truth on the true pairs; `grid_ratio`: the "
        "estimand on the decile grid the estimator uses / the continuous one "
        "(the discretization bias).",
        "",
    ]
    if len(cov):
        ctab = []
        for (n, model, snr), g in cov.groupby(["n", "model", "snr"], sort=True):
            ctab.append(
                [
                    f"{n:,}",
                    model,
                    f"{snr:g}",
                    len(g),
                    g["cover_all"].mean(),
                    g["cover_true"].mean(),
                    g["cover_null"].mean(),
                    g["cover_pct_true"].mean() if "cover_pct_true" in g else np.nan,
                    g["ratio_true"].mean(),
                    g["grid_ratio"].mean(),
                ]
            )
        lines += [
            _common.markdown_table(
                [
                    "rows",
                    "model",
                    "S/N",
                    "datasets",
                    "cover_all",
                    "cover_true",
                    "cover_null",
                    "cover_pct_true",
                    "ratio_true",
                    "grid_ratio",
                ],
                ctab,
                align="rlrrrrrrrr",
            ),
            "",
        ]
        for model, big in cov[cov["n"] == n_max].groupby("model", sort=True):
            ca, ct = big["cover_all"].mean(), big["cover_true"].mean()
            n_true = 7 * len(big)
            lines += [
                f"{model} at {n_max:,} rows: coverage {ca:.3f} over all pairs "
                f"(target >= 0.90: {'met' if ca >= 0.9 else 'not met'}) and "
                f"{ct:.3f} ± {se(ct, n_true):.3f} over the {n_true} true-pair "
                f"intervals (target >= 0.85: {'met' if ct >= 0.85 else 'not met'}).",
                "",
            ]
    pdf = pd.DataFrame(perm)
    ptab = []
    for (name, screen), g in pdf.groupby(["dataset", "screen"], sort=True):
        share = g["share_raw"].mean()
        count = len(g) * g["p"].iloc[0] * (g["p"].iloc[0] - 1) // 2
        ptab.append(
            [
                name,
                int(g["p"].iloc[0]),
                screen,
                len(g),
                f"{share:.3f} ± {se(share, count):.3f}",
                "met" if 0.02 <= share <= 0.07 else "not met",
                g["tested"].mean(),
                g["bh_discoveries"].mean(),
                g["wall"].mean(),
            ]
        )
    lines += [
        "### 3. Permuted targets on real data (HGB)",
        "",
        f"{args.n_real}-row subsamples (energy has 768 rows), the target "
        "permuted: every pair is null. `share_raw`: share of all pairs with a "
        "raw p-value below 0.05 (target [0.02, 0.07]); with the screen, "
        "pairs it leaves out count as not significant (bike sharing, 66 "
        "pairs, is screened under `screen='auto'`: at least its ten most "
        "promising features, 45 pairs, are tested; the other two have 28 "
        "pairs and are not screened).",
        "",
        _common.markdown_table(
            [
                "dataset",
                "p",
                "screen",
                "permutations",
                "share_raw",
                "[0.02, 0.07]",
                "pairs tested",
                "BH discoveries",
                "wall s",
            ],
            ptab,
            align="lrlrrlrrr",
        ),
        "",
    ]
    ctab = [
        [
            r["p"],
            r["screen"],
            r["pairs"],
            r["tested"],
            r["fit_s"],
            r["total_s"],
            r["per_tested_pair_s"],
            r["found"],
            r["false_bh"],
        ]
        for r in cost
    ]
    lines += [
        "### 4. Cost",
        "",
        f"{args.n_cost:,} rows, HGB, y = x0 x1 + sin(2 x2) x3 + main effects + "
        "noise. `fit_s`: seconds of the three ring refits (summed); "
        "`per_tested_pair_s`: (total - fit time / n_jobs) / tested pairs; "
        "`found`: both true pairs significant after BH; `false_bh`: other "
        "pairs significant after BH.",
        "",
        _common.markdown_table(
            [
                "p",
                "screen",
                "pairs",
                "tested",
                "fit_s",
                "total_s",
                "per_tested_pair_s",
                "found",
                "false_bh",
            ],
            ctab,
            align="rlrrrrrlr",
        ),
        "",
    ]
    lines += _verdict(df, cov, pdf, cost, n_max)
    path = _common.write_result(
        "significance_quick" if args.quick else "significance", "\n".join(lines)
    )
    return path


def _verdict(df, cov, pdf, cost, n_max):
    """The acceptance targets of issue 15 against the measured numbers."""
    lines = ["### Verdict", ""]
    for (n, model), g in df.groupby(["n", "model"], sort=True):
        nulls = np.concatenate(list(g["null_p"]))
        share = float(np.mean(nulls < 0.05))
        fdr = g["fdp_bh"].mean()
        lines.append(
            f"- {model}, {n:,} rows: null pairs significant (raw) {share:.3f} "
            f"± {se(share, nulls.size):.3f} ({nulls.size} p-values; target "
            f"[0.02, 0.07]: {'met' if 0.02 <= share <= 0.07 else 'not met'}); "
            f"FDR after BH {fdr:.3f} (target <= 0.05: "
            f"{'met' if fdr <= 0.05 else 'not met'})."
        )
    top = df[(df["n"] == n_max) & (df["snr"] == 8.0)]
    for model, g in top.groupby("model"):
        power = g["power_bh"].mean()
        lines.append(
            f"- Power after BH at {n_max:,} rows, S/N 8, {model}: {power:.2f} "
            f"(target >= 0.8: {'met' if power >= 0.8 else 'not met'})."
        )
    for model, big in cov[cov["n"] == n_max].groupby("model", sort=True):
        lines.append(
            f"- Coverage of the data-level intervals at {n_max:,} rows, {model} "
            f"({len(big)} datasets): all pairs {big['cover_all'].mean():.3f} "
            f"(target >= 0.90), true pairs {big['cover_true'].mean():.3f} "
            f"(target >= 0.85), null pairs {big['cover_null'].mean():.3f}; "
            f"estimate / truth on the true pairs {big['ratio_true'].mean():.3f}."
        )
    for screen, label in (("none", "every pair tested"), ("auto", "default screen")):
        share = pdf[pdf["screen"] == screen].groupby("dataset")["share_raw"].mean()
        lines.append(
            f"- Permuted targets, {label}: "
            + ", ".join(
                f"{d} {v:.3f} ({'met' if 0.02 <= v <= 0.07 else 'not met'})"
                for d, v in share.items()
            )
            + " (target [0.02, 0.07])."
        )
    for r in cost:
        lines.append(
            f"- Cost, p = {r['p']}, screen {r['screen']}: {r['total_s']:.0f} s "
            f"in total for {r['tested']} tested pairs "
            f"({r['per_tested_pair_s']:.2f} s per tested pair)."
        )
    lines.append("")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.quick:
        args.plan = [
            (600, "HGB", [8.0], 1, 5),
            (600, "MLP", [8.0], 1, 0),
            (600, "Bayes", [8.0], 1, 0),
        ]
        args.permutations, args.n_real, args.n_cost = 1, 500, 1000
        args.mlp_epochs, args.bayes_epochs = 30, 10
    else:
        # (rows, model, S/N levels, datasets per level, bootstrap refits)
        args.plan = [
            (2000, "HGB", [0.5, 2.0, 8.0], 32, 0),
            (2000, "MLP", [0.5, 2.0, 8.0], 6, 0),
            (2000, "Bayes", [2.0, 8.0], 4, 0),
            (20000, "HGB", [2.0], 3, 0),
            (20000, "HGB", [8.0], 3, 19),
            (20000, "MLP", [2.0, 8.0], 3, 0),
            (20000, "Bayes", [8.0], 8, 0),
        ]
        args.permutations, args.n_real, args.n_cost = 10, 2000, 5000
        args.mlp_epochs, args.bayes_epochs = 200, 100
    _common.single_thread()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    start, cpu = time.perf_counter(), time.process_time()

    def log(message):
        print(f"[{time.perf_counter() - start:7.1f}s] {message}", flush=True)

    raw_path = _common.RESULTS_DIR / (
        "significance_quick.json" if args.quick else "significance.json"
    )
    raw = json.loads(raw_path.read_text()) if raw_path.exists() else {}
    for name, run in (
        ("cost", run_cost),
        ("permuted", run_permuted),
        ("simulation", run_simulation),
    ):
        if name not in raw:  # the records of an earlier run are kept
            raw[name] = _jsonable(run(args, log))
            raw_path.write_text(json.dumps(raw))
    # A larger plan extends the simulation records of an earlier run.
    done = [(r["n"], r["model"], r["snr"], r["seed"]) for r in raw["simulation"]]
    extra = _jsonable(run_simulation(args, log, done))
    if extra:
        raw["simulation"] += extra
        raw_path.write_text(json.dumps(raw))
    # Wall and CPU time add up over the runs that measured the records.
    raw["wall_s"] = raw.get("wall_s", 0.0) + time.perf_counter() - start
    raw["cpu_s"] = raw.get("cpu_s", 0.0) + time.process_time() - cpu
    raw_path.write_text(json.dumps(raw))
    cost, perm, sim = raw["cost"], raw["permuted"], raw["simulation"]
    path = write_report(args, sim, perm, cost, raw["wall_s"], raw["cpu_s"])
    log(f"written {path}")


if __name__ == "__main__":
    main()
