"""Pairwise interaction detection on the ten functions of Tsang et al. (2018).

For every function F1-F10 and seed, 10,000 rows are drawn and these models fit:

(a) a GELU MLP (10-140-100-60-20-1, Adam with the learning rate halved on
    plateaus, early stopping) trained with skorch inside a ``StandardScaler``
    Pipeline, explained with exact Hessians;
(b) scikit-learn's ``MLPRegressor`` (ReLU), explained with exact Hessians of
    its softplus swap (``activation="auto"``);
(c) ``HistGradientBoostingRegressor`` with early stopping (``HGB_PARAMS``),
    explained with four-point finite differences, exhaustively and with the
    UCB bandit (``search="ucb"``, at the default ``top_k=10`` and at
    ParaACE's ``top_k=20``);
plus, when installed, SHAP interaction values of XGBoost and InterpretML's FAST.

Scores are the ROC-AUC of the interaction matrix against the ground-truth pairs
(:func:`sklearn_interact.metrics.interaction_roc_auc`). The script also compares
aggregations and sweeps the finite-difference step on (c) and a random forest.

Run ``python benchmarks/bench_detection.py`` (``--quick`` for a smoke run); the
results go to ``benchmarks/results/detection.md``. ``--raw`` saves the records,
``--from-raw`` re-renders them, and ``--from-raw ... --rerun-hgb --raw OUT``
recomputes only the (c) fields of saved records (no MLP refits);
``--from-raw ... --rerun-skorch --raw OUT --n-jobs 2`` refits only (a).
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: I001  (pins thread pools before numpy is imported)

import argparse
import json
import warnings

import numpy as np
import torch
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.metrics import r2_score
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state

from sklearn_interact.datasets import make_tsang_function
from sklearn_interact.inspection import make_model_function, pairwise_interactions
from sklearn_interact.inspection._aggregation import aggregate, kmeans_clusters
from sklearn_interact.inspection._features import tabular_input
from sklearn_interact.inspection._local_estimate import local_pair_values
from sklearn_interact.inspection._validation import (
    DEFAULT_STEP,
    pairs_to_matrix,
    sample_rows,
)
from sklearn_interact.metrics import interaction_roc_auc

AGGREGATIONS = ("geh", "eah", "aeh", "mean_squared")
STEPS = (0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.5)
MAX_SAMPLES = 1000  # the engine's default number of evaluation rows
MAX_PULLS = 100  # the engine's default bandit cap
# The bandit at the library default top_k = 10 (the verdict) and at ParaACE's
# k = 20 (Zhang et al. 2022, Sec. 5.2 run Algorithm 1 on p = 10 features, 45
# arms, with 3 initial pulls, m = 100 and k = 20 strongest pairs; the library
# uses 5 initial pulls).
UCB_TOP_K = 10
UCB_PAPER_TOP_K = 20
# (c): the model a practitioner fits -- scikit-learn's default learning rate,
# enough trees, and the number of trees chosen by early stopping on a 10%
# validation split of the training rows (the library default max_iter=100
# stops far short of convergence on these functions).
HGB_EARLY_STOPPING = {
    "early_stopping": True,
    "n_iter_no_change": 30,
    "validation_fraction": 0.1,
}
HGB_PARAMS = {"max_iter": 2000, "learning_rate": 0.1, **HGB_EARLY_STOPPING}
# Configurations compared by R^2 on fresh validation rows (never by AUC).
HGB_CANDIDATES = {
    "max_iter=100 (default)": {},
    "lr=0.1, early stopping (chosen)": HGB_PARAMS,
    "lr=0.05, early stopping": {
        "max_iter": 4000,
        "learning_rate": 0.05,
        **HGB_EARLY_STOPPING,
    },
}
TARGETS = {
    "mlp_mean": 0.93,
    "mlp_min": 0.75,
    "hgb_mean": 0.90,
    "ucb_gap": 0.01,
    "ucb_fraction": 0.40,
}


# (a) learning-rate schedule: halve after this many epochs without a better
# validation loss.
SKORCH_LR_PATIENCE = 10


class GeluMLP(torch.nn.Module):
    """A fully connected network with GELU activations and one output.

    GELU is T-NID's best activation for Hessian-based detection; with softplus
    (beta = 1) the same network ranked interactions worse (F3: AUC 0.77 vs 1.0,
    F9: 0.62 vs 1.0 at equal training budget).
    """

    def __init__(self, n_features=10, hidden=(140, 100, 60, 20)):
        super().__init__()
        layers, width = [], n_features
        for h in hidden:
            layers += [torch.nn.Linear(width, h), torch.nn.GELU()]
            width = h
        layers.append(torch.nn.Linear(width, 1))
        self.layers = torch.nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


def fit_skorch_mlp(X, y, seed, cfg, init=0):
    """(a): StandardScaler + skorch net on float32, y already standardized.

    Trained to convergence on the validation loss: Adam, the learning rate
    halved after ``SKORCH_LR_PATIENCE`` epochs without improvement, stopped
    after ``cfg["skorch_patience"]`` and the best epoch restored. With a
    constant rate and a 200-epoch cap most fits stopped at the cap; the
    residual error then carries spurious curvature that buries the weak
    five-way term of F7 (see the results' "(a) training" note). ``init``
    changes only the network's initial weights (and the batch order).
    """
    from skorch import NeuralNetRegressor
    from skorch.callbacks import EarlyStopping, LRScheduler
    from skorch.dataset import ValidSplit

    torch.manual_seed(seed + 100 * init)
    net = NeuralNetRegressor(
        GeluMLP,
        module__n_features=X.shape[1],
        optimizer=torch.optim.Adam,
        lr=cfg["lr"],
        batch_size=cfg["batch_size"],
        max_epochs=cfg["skorch_max_epochs"],
        train_split=ValidSplit(0.2, random_state=seed),
        callbacks=[
            LRScheduler(
                torch.optim.lr_scheduler.ReduceLROnPlateau,
                monitor="valid_loss",
                factor=0.5,
                patience=SKORCH_LR_PATIENCE,
            ),
            EarlyStopping(patience=cfg["skorch_patience"], load_best=True),
        ],
        iterator_train__shuffle=True,
        verbose=0,
    )
    pipe = make_pipeline(StandardScaler(), net)
    pipe.fit(X.astype(np.float32), y.astype(np.float32).reshape(-1, 1))
    return pipe, len(net.history)


def fit_sklearn_mlp(X, y, seed, cfg):
    """(b): StandardScaler + MLPRegressor (ReLU), y already standardized."""
    pipe = make_pipeline(
        StandardScaler(),
        MLPRegressor(
            hidden_layer_sizes=(140, 100, 60, 20),
            early_stopping=True,
            n_iter_no_change=cfg["patience"],
            max_iter=cfg["max_epochs"],
            learning_rate_init=cfg["lr"],
            batch_size=cfg["batch_size"],
            random_state=seed,
        ),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter
        pipe.fit(X, y)
    return pipe, int(pipe[-1].n_iter_)


def auc(matrix, terms):
    return float(interaction_roc_auc(matrix, terms))


def evaluation_rows(X, max_samples, rng):
    """The rows ``pairwise_interactions`` evaluates for the same random state."""
    return sample_rows(X.shape[0], max_samples, rng)


def local_values(model, X, rows, method, step):
    """Per-row pair values at ``rows`` of ``X``, as ``pairwise_interactions``
    computes them (column scales from all of ``X``)."""
    data = tabular_input(X)
    fn = make_model_function(model).for_data(data)
    return local_pair_values(fn, data, rows, method, step=step)


def all_aggregations(model, X, seed, result, terms, *, step=DEFAULT_STEP):
    """AUC of every aggregation from one set of local values.

    ``"geh"`` is taken from ``result`` (the API call with ``n_clusters="auto"``);
    the others aggregate the local values on the same evaluation rows (same
    random state, so the same rows as the API call).
    """
    rng = check_random_state(seed)
    rows = evaluation_rows(X, MAX_SAMPLES, rng)
    X_eval = X[rows]
    method = "hessian" if make_model_function(model).exact else "finite_difference"
    local = local_values(model, X, rows, method, step)
    p = X.shape[1]
    out = {"geh": auc(result.interactions, terms)}
    for kind in ("eah", "aeh", "mean_squared"):
        out[kind] = auc(pairs_to_matrix(aggregate(local, kind), p), terms)
    return out, local, X_eval


def step_sweep(model, X, seed, terms, steps, n_clusters, max_samples):
    """AUC per step for EAH, mean squared and GEH with fixed row clusters."""
    rng = check_random_state(seed)
    rows = evaluation_rows(X, max_samples, rng)
    clusters = kmeans_clusters(X[rows], n_clusters, random_state=seed)
    p = X.shape[1]
    out = {}
    for step in steps:
        local = local_values(model, X, rows, "finite_difference", step)
        out[f"{step:g}"] = {
            kind: auc(
                pairs_to_matrix(aggregate(local, kind, clusters=clusters), p), terms
            )
            for kind in ("geh", "eah", "mean_squared")
        }
    return out


def ucb_fields(hgb, X, seed, terms, local, timed):
    """The bandit on (c) against the exhaustive mean squared differences.

    Flat ``ucb_*`` fields hold the run at ``UCB_TOP_K``; ``ucb_paper`` the run
    at ParaACE's ``UCB_PAPER_TOP_K``.
    """
    top_exh = np.argsort(-aggregate(local, "mean_squared"), kind="stable")
    out = {}
    for k in (UCB_TOP_K, UCB_PAPER_TOP_K):
        res_ucb = timed(
            "explain_hgb_ucb" if k == UCB_TOP_K else "explain_hgb_ucb_paper",
            pairwise_interactions,
            hgb,
            X,
            search="ucb",
            top_k=k,
            max_pulls=MAX_PULLS,
            uncertainty=None,
            random_state=seed,
        )
        overlap = set(top_exh[:k].tolist()) & set(res_ucb.bandit.selected.tolist())
        fields = {
            "ucb_auc": auc(res_ucb.interactions, terms),
            "ucb_evaluations": res_ucb.n_model_evaluations,
            "ucb_top_k": k,
            "ucb_overlap": len(overlap) / k,
        }
        if k == UCB_TOP_K:
            out.update(fields)
        else:
            out["ucb_paper"] = fields
    return out


def make_hgb(seed, params=HGB_PARAMS):
    """The (c) model: early-stopped HistGradientBoostingRegressor."""
    return HistGradientBoostingRegressor(random_state=seed, **params)


def hgb_validation_r2(name, seed, X, ys, y_mean, y_std, fitted):
    """R^2 of every candidate configuration on 2,000 fresh validation rows.

    The rows (``random_state=seed + 2000``) are neither the training rows nor
    the test rows of the R^2 table; ``fitted`` is the already fitted chosen
    model, reused for its candidate.
    """
    X_val, y_val, _ = make_tsang_function(name, 2000, random_state=seed + 2000)
    y_val = (y_val - y_mean) / y_std
    out = {}
    for label, params in HGB_CANDIDATES.items():
        model = fitted if params is HGB_PARAMS else make_hgb(seed, params).fit(X, ys)
        out[label] = {
            "r2": r2_score(y_val, model.predict(X_val)),
            "n_iter": int(model.n_iter_),
        }
    return out


def hgb_fields(rec, name, seed, args, timed):
    """Every (c)-dependent field of a record: fit, exhaustive, UCB, sweeps.

    The random forest of the sweep is refitted here too: its GEH column uses
    the number of row clusters chosen on (c).
    """
    X, y, terms = make_tsang_function(name, args.n_samples, random_state=seed)
    X_test, y_test, _ = make_tsang_function(name, 2000, random_state=seed + 1000)
    y_mean, y_std = y.mean(), y.std()
    ys = (y - y_mean) / y_std
    yts = (y_test - y_mean) / y_std
    hgb = timed("fit_hgb", make_hgb(seed).fit, X, ys)
    rec["hgb_n_iter"] = int(hgb.n_iter_)
    rec["hgb_r2"] = r2_score(yts, hgb.predict(X_test))
    rec["hgb_validation"] = hgb_validation_r2(name, seed, X, ys, y_mean, y_std, hgb)
    res = timed(
        "explain_hgb",
        pairwise_interactions,
        hgb,
        X,
        uncertainty=None,
        random_state=seed,
    )
    rec["hgb_n_clusters"] = res.n_clusters
    rec["hgb_evaluations"] = res.n_model_evaluations
    rec["hgb"], local, _ = all_aggregations(hgb, X, seed, res, terms)
    p = X.shape[1]
    # The exhaustive counterpart of the bandit: every pair pulled max_pulls
    # times (here on the first max_pulls evaluation rows, which are random).
    rec["hgb"]["mean_squared_100rows"] = auc(
        pairs_to_matrix(aggregate(local[:MAX_PULLS], "mean_squared"), p), terms
    )
    rec.update(ucb_fields(hgb, X, seed, terms, local, timed))

    # Step sweeps (finite differences) on (c) and a random forest.
    if seed in args.sweep_seeds:
        rec["sweep_hgb"] = timed(
            "sweep_hgb",
            step_sweep,
            hgb,
            X,
            seed,
            terms,
            args.steps,
            rec["hgb_n_clusters"],
            MAX_SAMPLES,
        )
        rf = timed(
            "fit_rf",
            RandomForestRegressor(
                n_estimators=50, min_samples_leaf=5, random_state=seed, n_jobs=1
            ).fit,
            X,
            ys,
        )
        rec["rf_r2"] = r2_score(yts, rf.predict(X_test))
        rec["sweep_rf"] = timed(
            "sweep_rf",
            step_sweep,
            rf,
            X,
            seed,
            terms,
            args.steps,
            rec["hgb_n_clusters"],
            args.rf_samples,
        )


HGB_STAGES = (
    "fit_hgb",
    "explain_hgb",
    "explain_hgb_ucb",
    "sweep_hgb",
    "fit_rf",
    "sweep_rf",
)


def rerun_hgb(records, args):
    """Recompute every (c)-dependent field of saved records, keep the rest.

    The MLP, XGBoost and FAST fields are left as they are (same data, so the
    skorch networks need not be refitted). Returns the CPU seconds of the
    replaced stages, which the caller takes off the saved total.
    """
    replaced = 0.0
    for rec in records:
        seed = rec["seed"]
        replaced += sum(rec["time"].pop(k, 0.0) for k in HGB_STAGES)
        for key in ("sweep_hgb", "sweep_rf", "rf_r2", "ucb_top10_overlap"):
            rec.pop(key, None)

        def timed(key, func, *a, rec=rec, **k):
            with _common.Timer() as t:
                out = func(*a, **k)
            rec["time"][key] = t.cpu
            return out

        hgb_fields(rec, rec["function"], seed, args, timed)
        print(
            f"{rec['function']} seed {seed}: c={rec['hgb']['geh']:.3f} "
            f"ucb={rec['ucb_auc']:.3f} ms={rec['hgb']['mean_squared']:.3f} "
            f"evals={rec['ucb_evaluations']} trees={rec['hgb_n_iter']} "
            f"r2={rec['hgb_r2']:.4f}",
            flush=True,
        )
    return replaced


def rerun_ucb(records, args):
    """Recompute only the bandit fields of saved records (same data and model)."""
    for rec in records:
        seed = rec["seed"]
        X, y, terms = make_tsang_function(
            rec["function"], args.n_samples, random_state=seed
        )
        ys = (y - y.mean()) / y.std()

        def timed(key, func, *a, rec=rec, **k):
            with _common.Timer() as t:
                out = func(*a, **k)
            rec["time"][key] = t.cpu
            return out

        hgb = make_hgb(seed).fit(X, ys)
        rng = check_random_state(seed)
        rows = evaluation_rows(X, MAX_SAMPLES, rng)
        local = local_values(hgb, X, rows, "finite_difference", DEFAULT_STEP)
        rec.update(ucb_fields(hgb, X, seed, terms, local, timed))
        print(f"{rec['function']} seed {seed}: ucb={rec['ucb_auc']:.3f}", flush=True)


def optional_packages():
    status = {}
    for name in ("xgboost", "shap", "interpret"):
        try:
            module = __import__(name)
            status[name] = getattr(module, "__version__", "?")
        except ImportError:
            status[name] = None
    return status


def xgboost_shap_auc(X, y, seed, terms, n_rows):
    """SHAP interaction values (TreeSHAP) of an XGBoost model, mean |phi_ij|."""
    import shap
    import xgboost

    model = xgboost.XGBRegressor(
        n_estimators=200,
        max_depth=4,
        learning_rate=0.1,
        n_jobs=1,
        random_state=seed,
    ).fit(X, y)
    rows = check_random_state(seed).choice(X.shape[0], n_rows, replace=False)
    phi = shap.TreeExplainer(model).shap_interaction_values(X[rows])
    scores = np.abs(phi).mean(axis=0)
    np.fill_diagonal(scores, 0.0)
    return auc(scores, terms), model


def fast_auc(X, y, seed, terms):
    """InterpretML's FAST on the residuals of an additive model."""
    from interpret.utils import measure_interactions

    additive = HistGradientBoostingRegressor(
        interaction_cst="no_interactions", random_state=seed
    ).fit(X, y)
    ranked = measure_interactions(
        X, y, init_score=additive.predict(X), objective="rmse"
    )
    scores = np.zeros((X.shape[1], X.shape[1]))
    for (i, j), strength in ranked:
        scores[i, j] = scores[j, i] = strength
    return auc(scores, terms)


def mlp_config(args):
    return {
        "lr": args.lr,
        "batch_size": args.batch_size,
        "max_epochs": args.max_epochs,
        "patience": args.patience,
        "skorch_max_epochs": args.skorch_max_epochs,
        "skorch_patience": args.skorch_patience,
    }


def skorch_fields(name, seed, args, init=0):
    """Fit and explain (a) on one (function, seed): its fields of a record."""
    X, y, terms = make_tsang_function(name, args.n_samples, random_state=seed)
    X_test, y_test, _ = make_tsang_function(name, 2000, random_state=seed + 1000)
    ys = (y - y.mean()) / y.std()
    yts = (y_test - y.mean()) / y.std()
    rec = {"time": {}}

    def timed(key, func, *a, **k):
        with _common.Timer() as t:
            out = func(*a, **k)
        rec["time"][key] = t.cpu
        return out

    net, rec["skorch_epochs"] = timed(
        "fit_skorch", fit_skorch_mlp, X, ys, seed, mlp_config(args), init
    )
    rec["skorch_r2"] = r2_score(yts, net.predict(X_test.astype(np.float32)).ravel())
    res = timed(
        "explain_skorch",
        pairwise_interactions,
        net,
        X,
        uncertainty=None,
        random_state=seed,
    )
    rec["skorch_n_clusters"] = res.n_clusters
    rec["skorch"], _, _ = all_aggregations(net, X, seed, res, terms)
    return rec


def rerun_skorch(records, args):
    """Refit and re-explain only (a) in saved records, ``--n-jobs`` at a time.

    Returns the CPU seconds of the new stages (worker processes) less those of
    the replaced ones.
    """
    from joblib import Parallel, delayed

    def job(name, seed):
        _common.single_thread()
        return skorch_fields(name, seed, args)

    new = Parallel(n_jobs=args.n_jobs)(
        delayed(job)(rec["function"], rec["seed"]) for rec in records
    )
    replaced = spent = 0.0
    for rec, fields in zip(records, new):
        for key in ("fit_skorch", "explain_skorch"):
            replaced += rec["time"].pop(key, 0.0)
        spent += sum(fields["time"].values())
        rec["time"].update(fields.pop("time"))
        rec.update(fields)
        print(
            f"{rec['function']} seed {rec['seed']}: a={rec['skorch']['geh']:.3f} "
            f"epochs={rec['skorch_epochs']} r2={rec['skorch_r2']:.5f}",
            flush=True,
        )
    return spent - replaced


def init_check(records, args):
    """(a) refitted from other initial weights on the same data and split.

    Stores the AUC of each extra initialisation in ``rec["skorch_inits"]``
    for the records of ``args.init_check``; returns the CPU seconds spent.
    """
    from joblib import Parallel, delayed

    chosen = [r for r in records if r["function"] in args.init_check]
    jobs = [(r, init) for r in chosen for init in args.init_offsets]

    def job(name, seed, init):
        _common.single_thread()
        return skorch_fields(name, seed, args, init=init)

    new = Parallel(n_jobs=args.n_jobs)(
        delayed(job)(r["function"], r["seed"], init) for r, init in jobs
    )
    spent = 0.0
    for (rec, init), fields in zip(jobs, new):
        spent += sum(fields["time"].values())
        rec.setdefault("skorch_inits", {})[str(init)] = fields["skorch"]["geh"]
        print(
            f"{rec['function']} seed {rec['seed']} init {init}: "
            f"a={fields['skorch']['geh']:.3f} r2={fields['skorch_r2']:.5f}",
            flush=True,
        )
    return spent


def run_one(name, seed, args, opt):
    """All measurements on one (function, seed); returns a dict of numbers."""
    X, y, terms = make_tsang_function(name, args.n_samples, random_state=seed)
    X_test, y_test, _ = make_tsang_function(name, 2000, random_state=seed + 1000)
    y_mean, y_std = y.mean(), y.std()
    ys = (y - y_mean) / y_std
    yts = (y_test - y_mean) / y_std
    rec = {"function": name, "seed": seed, "time": {}}

    def timed(key, func, *a, **k):
        with _common.Timer() as t:
            out = func(*a, **k)
        rec["time"][key] = t.cpu
        return out

    mlp_cfg = mlp_config(args)
    # (a) skorch GELU MLP, exact Hessians.
    fields = skorch_fields(name, seed, args)
    rec["time"].update(fields.pop("time"))
    rec.update(fields)

    # (b) scikit-learn MLP (ReLU) with the softplus swap.
    mlp, rec["mlp_epochs"] = timed("fit_mlp", fit_sklearn_mlp, X, ys, seed, mlp_cfg)
    rec["mlp_r2"] = r2_score(yts, mlp.predict(X_test))
    res = timed(
        "explain_mlp",
        pairwise_interactions,
        mlp,
        X,
        uncertainty=None,
        random_state=seed,
    )
    rec["mlp"], _, _ = all_aggregations(mlp, X, seed, res, terms)

    # (c) gradient boosting, finite differences; exhaustive, UCB, sweeps.
    hgb_fields(rec, name, seed, args, timed)

    if opt["xgboost"] and opt["shap"]:
        rec["xgb_shap"], xgb = timed(
            "xgb_shap", xgboost_shap_auc, X, ys, seed, terms, args.shap_rows
        )
        rec["xgb_r2"] = r2_score(yts, xgb.predict(X_test))
    if opt["interpret"]:
        rec["fast"] = timed("fast", fast_auc, X, ys, seed, terms)
    return rec


# --------------------------------------------------------------------------
# Report


def _by_function(records, functions, getter):
    """Per-function lists of values, in the order of ``functions``."""
    return {
        f: [getter(r) for r in records if r["function"] == f and getter(r) is not None]
        for f in functions
    }


def _overall(per_function):
    """Mean of the per-function means, and the smallest per-function mean."""
    means = [np.mean(v) for v in per_function.values() if len(v)]
    if not means:
        return None, None
    return float(np.mean(means)), float(np.min(means))


def _validation_cell(entries):
    """Mean validation R^2 and the median number of trees of one candidate."""
    r2 = np.mean([e["r2"] for e in entries])
    trees = np.median([e["n_iter"] for e in entries])
    return f"{r2:.4f} ({trees:.0f})"


def _n_clusters(r, model):
    """Chosen M of ``model``; raw files from before the rename say n_groups."""
    return r.get(f"{model}_n_clusters", r.get(f"{model}_n_groups"))


def _overlap(r):
    """Share of the bandit's pairs among the exhaustive top pairs."""
    return r.get("ucb_overlap", r.get("ucb_top10_overlap"))


def verdict(ok):
    return "met" if ok else "**not met**"


def render(records, args, opt, wall, cpu, command=None):
    present = {r["function"] for r in records}
    functions = [f"F{k}" for k in range(1, 11) if f"F{k}" in present]
    seeds = sorted({r["seed"] for r in records})
    lines = _common.header_lines(
        "Interaction detection on Tsang et al.'s F1-F10",
        wall=wall,
        cpu=cpu,
        command=command,
    )
    lines += [
        f"n = {args.n_samples:,} training rows per function, seeds "
        f"{seeds}; interactions evaluated on {MAX_SAMPLES} rows "
        "(`max_samples`), ROC-AUC against every pair inside a true interaction "
        "term (`interaction_roc_auc`). Cells: mean ± std over the seeds. "
        f"MLPs: 10-140-100-60-20-1, Adam lr={args.lr}, batch {args.batch_size}, "
        "early stopping on a validation split with the best epoch kept; "
        f"(a) at most {args.skorch_max_epochs} epochs, the learning rate halved "
        f"after {SKORCH_LR_PATIENCE} epochs without a better validation loss, "
        f"patience {args.skorch_patience}; (b) at most {args.max_epochs} epochs, "
        f"constant rate, patience {args.patience}. X standardized in the "
        "Pipeline, y standardized. "
        "Library defaults unless stated: `aggregation='geh'`, "
        f"`n_clusters='auto'`, `step={DEFAULT_STEP}`.",
        "",
        "(c) is `HistGradientBoostingRegressor("
        + ", ".join(f"{k}={v!r}" for k, v in HGB_PARAMS.items())
        + ")` on the standardized target: scikit-learn's default learning "
        "rate with the number of trees chosen by early stopping on a 10% "
        "validation split of the training rows, the model a practitioner "
        "would fit. The configuration was chosen without looking at the "
        "interaction ground truth; the table in 'Choice of the (c) model' "
        "compares it with the library default and a smaller learning rate by "
        "R² on fresh validation rows. Every (c) column below (exhaustive, UCB, "
        "step sweep, R²) uses this model.",
        "",
    ]
    get = {
        "(a) skorch GELU MLP, exact Hessian": lambda r: r["skorch"]["geh"],
        "(b) MLPRegressor (ReLU -> softplus), exact Hessian": lambda r: r["mlp"]["geh"],
        "(c) HistGradientBoosting, finite differences": lambda r: r["hgb"]["geh"],
        "(c) + UCB bandit (mean squared)": lambda r: r["ucb_auc"],
        "XGBoost + SHAP interaction values": lambda r: r.get("xgb_shap"),
        "InterpretML FAST (on additive-model residuals)": lambda r: r.get("fast"),
    }
    per = {k: _by_function(records, functions, g) for k, g in get.items()}
    ucb_ok = None

    # Summary against targets.
    a_mean, a_min = _overall(per["(a) skorch GELU MLP, exact Hessian"])
    c_mean, _ = _overall(per["(c) HistGradientBoosting, finite differences"])
    ucb_mean, _ = _overall(per["(c) + UCB bandit (mean squared)"])
    exh_ms, _ = _overall(
        _by_function(records, functions, lambda r: r["hgb"]["mean_squared"])
    )
    pull_ref = 4 * 45 * MAX_PULLS
    ucb_evals = float(np.mean([r["ucb_evaluations"] for r in records]))
    if ucb_mean is not None and exh_ms is not None:
        ucb_ok = (
            ucb_mean >= exh_ms - TARGETS["ucb_gap"]
            and ucb_evals <= TARGETS["ucb_fraction"] * pull_ref
        )
    rows = [
        [
            "(a) mean AUC",
            a_mean,
            f">= {TARGETS['mlp_mean']}",
            verdict(a_mean is not None and a_mean >= TARGETS["mlp_mean"]),
        ],
        [
            "(a) lowest per-function mean AUC",
            a_min,
            f">= {TARGETS['mlp_min']}",
            verdict(a_min is not None and a_min >= TARGETS["mlp_min"]),
        ],
        [
            "(c) mean AUC",
            c_mean,
            f">= {TARGETS['hgb_mean']}",
            verdict(c_mean is not None and c_mean >= TARGETS["hgb_mean"]),
        ],
        [
            "UCB mean AUC (exhaustive mean squared: "
            f"{_common.fmt(exh_ms)}); UCB evaluations / every pair "
            f"pulled {MAX_PULLS} times",
            f"{_common.fmt(ucb_mean)}; {ucb_evals / pull_ref:.1%}",
            f"gap <= {TARGETS['ucb_gap']}; <= {TARGETS['ucb_fraction']:.0%}",
            verdict(bool(ucb_ok)),
        ],
    ]
    paper = [r["ucb_paper"] for r in records if "ucb_paper" in r]
    if len(paper) == len(records):
        paper_auc, _ = _overall(
            _by_function(records, functions, lambda r: r["ucb_paper"]["ucb_auc"])
        )
        paper_evals = float(np.mean([q["ucb_evaluations"] for q in paper]))
        rows.append(
            [
                f"the same at ParaACE's top_k = {UCB_PAPER_TOP_K} (reported)",
                f"{_common.fmt(paper_auc)}; {paper_evals / pull_ref:.1%}",
                f"gap <= {TARGETS['ucb_gap']}; <= {TARGETS['ucb_fraction']:.0%}",
                "reported",
            ]
        )
    missed = [
        row[0].split(" (")[0] for row in rows if row[3] not in ("met", "reported")
    ]
    n_targets = sum(row[3] != "reported" for row in rows)
    lines += [
        "### Summary against the targets",
        "",
        _common.markdown_table(["measure", "value", "target", "verdict"], rows),
        "",
        "Verdict: "
        + (
            "every target met."
            if not missed
            else f"{n_targets - len(missed)} of {n_targets} targets met; not met: "
            + "; ".join(missed)
            + "."
        ),
        "",
    ]

    # Per-function table.
    headers = ["function", *[k.split(",")[0] for k in get]]
    table = []
    for f in functions:
        table.append([f, *[_common.mean_std(per[k][f]) for k in get]])
    table.append(
        [
            "**mean**",
            *[
                _common.fmt(_overall(per[k])[0])
                if _overall(per[k])[0] is not None
                else "not installed"
                for k in get
            ],
        ]
    )
    lines += [
        "### ROC-AUC per function",
        "",
        "Columns: " + "; ".join(get) + ".",
        "",
        _common.markdown_table(headers, table),
        "",
        f"Optional packages: xgboost {opt['xgboost'] or 'not installed'}, shap "
        f"{opt['shap'] or 'not installed'}, interpret "
        f"{opt['interpret'] or 'not installed'}. SHAP: `TreeExplainer("
        f"...).shap_interaction_values` on {args.shap_rows} rows of an "
        "`XGBRegressor(n_estimators=200, max_depth=4)`, score mean |phi_ij| "
        "(TreeSHAP interaction values cost about 0.1 s per row for 300 depth-6 "
        "trees on one core, hence the smaller model and row count). FAST: "
        "`interpret.utils.measure_interactions` with `init_score` from an "
        "additive `HistGradientBoostingRegressor(interaction_cst="
        "'no_interactions')` (on the raw target, main effects swamp FAST).",
        "",
    ]

    # Test R^2 of the models.
    r2_keys = [
        ("skorch MLP", "skorch_r2"),
        ("MLPRegressor", "mlp_r2"),
        ("HistGradientBoosting", "hgb_r2"),
        ("XGBoost", "xgb_r2"),
        ("RandomForest (sweep seeds)", "rf_r2"),
    ]
    table = []
    for f in functions:
        table.append(
            [
                f,
                *[
                    _common.mean_std(
                        _by_function(records, [f], lambda r, k=k: r.get(k))[f]
                    )
                    for _, k in r2_keys
                ],
            ]
        )
    epochs_a = [r["skorch_epochs"] for r in records]
    epochs_b = [r["mlp_epochs"] for r in records]
    lines += [
        "### Test R² of the models (2,000 fresh rows, standardized target)",
        "",
        _common.markdown_table(["function", *[n for n, _ in r2_keys]], table),
        "",
        f"Epochs run: skorch MLP median {int(np.median(epochs_a))} "
        f"(range {min(epochs_a)}-{max(epochs_a)}), MLPRegressor median "
        f"{int(np.median(epochs_b))} (range {min(epochs_b)}-{max(epochs_b)}).",
        "",
        "### (a) training and initialisation",
        "",
        "Until commit 91af860, (a) was trained at a constant learning rate for "
        "at most 200 epochs (patience 15). Most fits stopped at the cap (median "
        "200 epochs), F7 scored 0.731 ± 0.006 and two other initialisations on "
        "F7's seed-0 data scored 0.638 and 0.604: the detection depended on "
        "where an unconverged fit happened to stop. F7's five-way term "
        "`(1 + (x4 x5 x6 x7 x8)^2)^-1` on [-1, 1]^5 has mixed derivatives "
        "about 1/50 of those of the arctan pair, the same size as the "
        "curvature of a fit's residual error. Training to convergence (the "
        "plateau schedule above, the usual recipe, judged by the validation "
        "loss and the test R² rather than by the interaction AUC) shrinks that "
        "error.",
        "",
    ]
    checked = [r for r in records if "skorch_inits" in r]
    if checked:
        offsets = sorted({int(k) for r in checked for k in r["skorch_inits"]})
        table = [
            [
                r["function"],
                r["seed"],
                r["skorch"]["geh"],
                *[r["skorch_inits"].get(str(k), np.nan) for k in offsets],
            ]
            for r in checked
        ]
        summary = []
        for name in sorted({row[0] for row in table}, key=lambda f: int(f[1:])):
            fits = [v for row in table if row[0] == name for v in row[2:]]
            below = sum(v < TARGETS["mlp_min"] for v in fits)
            summary.append(
                f"{name} mean {np.mean(fits):.3f}, lowest {np.min(fits):.3f}, "
                f"{below} of {len(fits)} fits below {TARGETS['mlp_min']}"
            )
        lines += [
            "The same data and validation split, (a) refitted from other initial "
            "weights (`--init-check`; torch seed = data seed + 100 × offset):",
            "",
            _common.markdown_table(
                [
                    "function",
                    "seed",
                    "reported (offset 0)",
                    *[f"offset {k}" for k in offsets],
                ],
                table,
            ),
            "",
            "Over every initialisation: " + "; ".join(summary) + ". The "
            "verdict uses the reported fits (offset 0), as for every other "
            "function.",
            "",
        ]

    # Choice of the (c) model.
    if all("hgb_validation" in r for r in records):
        labels = list(records[0]["hgb_validation"])
        table = []
        for f in functions:
            rs = [r for r in records if r["function"] == f]
            table.append(
                [
                    f,
                    *[
                        _validation_cell([r["hgb_validation"][k] for r in rs])
                        for k in labels
                    ],
                ]
            )
        table.append(
            [
                "**mean**",
                *[
                    f"{np.mean([r['hgb_validation'][k]['r2'] for r in records]):.4f}"
                    for k in labels
                ],
            ]
        )
        lines += [
            "### Choice of the (c) model",
            "",
            "R² on 2,000 fresh validation rows per function and seed "
            "(`random_state=seed + 2000`, neither training nor test rows; "
            "standardized target), mean over the seeds, with the median number "
            "of trees in parentheses. Early stopping uses 10% of the training "
            "rows as its validation split (`n_iter_no_change=30`). The "
            "interaction ground truth played no part in the choice.",
            "",
            _common.markdown_table(["function", *labels], table),
            "",
            "The rule, fixed before this comparison, is scikit-learn's default "
            "learning rate with the number of trees set by early stopping. "
            "Halving the learning rate gains about 0.002 R² but needs about "
            "twice the trees, so twice the cost of every finite difference; "
            "the default's R² gap (about 0.02) is the underfit that early "
            "stopping removes.",
            "",
        ]

    # Aggregations.
    agg_rows = []
    best = {}
    for label, key in (
        ("(a) skorch MLP", "skorch"),
        ("(b) MLPRegressor", "mlp"),
        ("(c) HistGradientBoosting", "hgb"),
    ):
        vals = {
            kind: _overall(
                _by_function(records, functions, lambda r, k=kind, m=key: r[m][k])
            )
            for kind in AGGREGATIONS
        }
        best[label] = max(AGGREGATIONS, key=lambda k: vals[k][0])
        agg_rows.append(
            [label, *[f"{vals[k][0]:.3f} (min {vals[k][1]:.3f})" for k in AGGREGATIONS]]
        )
    lines += [
        "### Aggregations",
        "",
        "Mean AUC over the functions (and the lowest per-function mean) for the "
        "same local values aggregated four ways; `geh` is the library default "
        "with `n_clusters='auto'`.",
        "",
        _common.markdown_table(
            ["model", "geh (auto M)", "eah", "aeh", "mean_squared"], agg_rows
        ),
        "",
        "Best per model: "
        + "; ".join(f"{k}: `{v}`" for k, v in best.items())
        + ". Chosen M (`n_clusters='auto'`): skorch MLP median "
        f"{int(np.median([_n_clusters(r, 'skorch') for r in records]))}, "
        "HistGradientBoosting median "
        f"{int(np.median([_n_clusters(r, 'hgb') for r in records]))}.",
        "",
    ]

    # UCB versus exhaustive.
    table = []
    for f in functions:
        rs = [r for r in records if r["function"] == f]
        table.append(
            [
                f,
                _common.mean_std([r["hgb"]["mean_squared"] for r in rs]),
                _common.mean_std([r["hgb"]["mean_squared_100rows"] for r in rs]),
                _common.mean_std([r["ucb_auc"] for r in rs]),
                _common.mean_std([_overlap(r) for r in rs], 2),
                f"{np.mean([r['ucb_evaluations'] for r in rs]):,.0f}",
            ]
        )
        if all("ucb_paper" in r for r in rs):
            table[-1] += [
                _common.mean_std([r["ucb_paper"]["ucb_auc"] for r in rs]),
                f"{np.mean([r['ucb_paper']['ucb_evaluations'] for r in rs]):,.0f}",
            ]
    paper_columns = (
        [f"UCB AUC (top_k={UCB_PAPER_TOP_K})", f"evaluations (top_k={UCB_PAPER_TOP_K})"]
        if all("ucb_paper" in r for r in records)
        else []
    )
    all_rows = 4 * 45 * MAX_SAMPLES
    top_k = records[0].get("ucb_top_k", 10)
    lines += [
        "### UCB bandit versus exhaustive finite differences on (c)",
        "",
        "Both use the mean squared mixed difference (the bandit's reward). "
        "Exhaustive references: all 45 pairs on all "
        f"{MAX_SAMPLES} evaluation rows = {all_rows:,} model evaluations (4 "
        f"per pair and row); every pair pulled `max_pulls` = {MAX_PULLS} times "
        f"= {pull_ref:,} evaluations (approximated by the first {MAX_PULLS} "
        "random evaluation rows). The bandit runs ParaACE's Algorithm 1 "
        "(one pull of the highest upper bound per iteration; the l-th pull of "
        "every pair on the same row of one random order) with the library's "
        f"5 initial pulls and m = {MAX_PULLS}, for the library default "
        f"`top_k` = {top_k} strongest pairs (`pairwise_interactions(..., "
        f'search="ucb", top_k={top_k}, max_pulls={MAX_PULLS})`, the verdict) '
        f"and for the paper's k = {UCB_PAPER_TOP_K} at p = 10 (Zhang et al. "
        "2022, Sec. 5.2; last two columns). The scores are the arms' reward "
        "means when it stops. A larger k costs more because the bandit must "
        f"separate the {UCB_PAPER_TOP_K}th from the {UCB_PAPER_TOP_K + 1}st "
        "strongest pair, both at noise level when a function has fewer true "
        f"pairs. Top-k overlap: share of the bandit's {top_k} selected pairs "
        f"among the {top_k} strongest exhaustive pairs.",
        "",
        _common.markdown_table(
            [
                "function",
                f"exhaustive AUC ({MAX_SAMPLES} rows)",
                f"exhaustive AUC ({MAX_PULLS} rows)",
                "UCB AUC",
                f"top-{top_k} overlap",
                "UCB evaluations",
                *paper_columns,
            ],
            table,
        ),
        "",
        f"Mean UCB evaluations: {ucb_evals:,.0f} = {ucb_evals / pull_ref:.1%} of "
        f"{pull_ref:,} and {ucb_evals / all_rows:.1%} of {all_rows:,}.",
        "",
    ]

    # Step sweep.
    sweep = [r for r in records if "sweep_hgb" in r]
    if sweep:
        steps = list(args.steps)
        cols = [
            ("HGB geh", "sweep_hgb", "geh"),
            ("HGB eah", "sweep_hgb", "eah"),
            ("HGB mean sq.", "sweep_hgb", "mean_squared"),
            ("RF geh", "sweep_rf", "geh"),
            ("RF eah", "sweep_rf", "eah"),
            ("RF mean sq.", "sweep_rf", "mean_squared"),
        ]
        table = []
        means = {}
        for s in steps:
            row = [f"{s:g}"]
            for _label, key, kind in cols:
                v = _overall(
                    _by_function(
                        sweep,
                        functions,
                        lambda r, k=key, a=kind, s=s: r[k][f"{s:g}"][a],
                    )
                )
                row.append(v[0])
                means.setdefault(s, []).append(v[0])
            row.append(float(np.mean(means[s])))
            table.append(row)
        best_step = max(steps, key=lambda s: np.mean(means[s]))
        lines += [
            "### Finite-difference step sweep",
            "",
            "Mean AUC over the functions (seeds "
            f"{sorted({r['seed'] for r in sweep})}) per step `h` (on the "
            f"standardized scale) for HistGradientBoosting ({MAX_SAMPLES} rows) "
            "and a `RandomForestRegressor(n_estimators=50, min_samples_leaf=5)` "
            f"({args.rf_samples} rows); GEH uses the M chosen at the default "
            "step with fixed k-means row clusters.",
            "",
            _common.markdown_table(
                ["step", *[c[0] for c in cols], "mean of columns"], table
            ),
            "",
            f"Best step by the mean of the columns: **{best_step:g}** "
            f"(current default {DEFAULT_STEP}); steps within 0.01 of it: "
            + ", ".join(
                f"{s:g}"
                for s in steps
                if np.mean(means[s]) >= np.mean(means[best_step]) - 0.01
            )
            + ".",
            "",
        ]

    # Time.
    keys = sorted({k for r in records for k in r["time"]})
    table = [[k, float(np.sum([r["time"].get(k, 0.0) for r in records]))] for k in keys]
    lines += [
        "### CPU time by stage (seconds, all runs)",
        "",
        _common.markdown_table(["stage", "CPU s"], table),
        "",
    ]
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument("--functions", nargs="*", default=None)
    parser.add_argument("--seeds", nargs="*", type=int, default=None)
    parser.add_argument("--sweep-seeds", nargs="*", type=int, default=None)
    parser.add_argument("--n-samples", type=int, default=10_000)
    parser.add_argument("--max-epochs", type=int, default=None)
    parser.add_argument("--patience", type=int, default=15)
    parser.add_argument("--skorch-max-epochs", type=int, default=None)
    parser.add_argument("--skorch-patience", type=int, default=40)
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        help="processes for --rerun-skorch (one (function, seed) each)",
    )
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--shap-rows", type=int, default=None)
    parser.add_argument("--rf-samples", type=int, default=300)
    parser.add_argument("--raw", type=Path, default=None, help="save raw JSON")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument(
        "--from-raw",
        type=Path,
        nargs="*",
        default=None,
        help="only re-render saved raw JSON files (merged, e.g. parallel parts)",
    )
    parser.add_argument(
        "--rerun-ucb",
        action="store_true",
        help="with --from-raw: recompute the bandit columns, update the JSON",
    )
    parser.add_argument(
        "--rerun-skorch",
        action="store_true",
        help="with --from-raw and --raw: refit and re-explain only (a), keep "
        "every other field, and write the merged records to --raw",
    )
    parser.add_argument(
        "--init-check",
        nargs="*",
        default=None,
        help="with --from-raw and --raw: refit (a) of these functions from "
        "the --init-offsets initialisations and add their AUC to the records",
    )
    parser.add_argument("--init-offsets", nargs="*", type=int, default=[1, 2])
    parser.add_argument(
        "--rerun-hgb",
        action="store_true",
        help="with --from-raw and --raw: recompute every (c) field (fit, "
        "exhaustive, UCB, sweeps, R^2), keep the MLP/XGBoost/FAST fields, and "
        "write the merged records to --raw",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.functions = args.functions or (
        ["F1", "F3"] if quick else [f"F{k}" for k in range(1, 11)]
    )
    args.seeds = args.seeds if args.seeds is not None else ([0] if quick else [0, 1, 2])
    if args.sweep_seeds is None:
        args.sweep_seeds = [0]
    args.max_epochs = args.max_epochs or (5 if quick else 200)
    args.skorch_max_epochs = args.skorch_max_epochs or (5 if quick else 1000)
    args.shap_rows = args.shap_rows or (20 if quick else 100)
    args.steps = (0.4, 0.8) if quick else STEPS
    return args


def update_records(saved, args, flag, update, label=""):
    """Add the fields of ``update(records, args)`` to saved records, in --raw.

    ``update`` runs its fits in worker processes and returns the CPU seconds
    to add to the saved total.
    """
    if args.raw is None:
        raise SystemExit(f"--{flag} needs --raw for the updated records")
    with _common.Timer() as t:
        saved["cpu"] += update(saved["records"], args)
    saved["wall"] += t.wall
    saved["command"] += f"` then {label}`{_common.command_line()}"
    args.raw.write_text(json.dumps(saved, default=float, indent=1))


def main(argv=None):
    args = parse_args(argv)
    _common.single_thread()
    opt = optional_packages()
    if args.from_raw is not None:
        parts = [json.loads(path.read_text()) for path in args.from_raw]
        saved = {
            "records": [r for part in parts for r in part["records"]],
            # Parts may run side by side: wall is the longest, CPU the sum.
            "wall": max(part["wall"] for part in parts),
            "cpu": sum(part["cpu"] for part in parts),
            "command": "` and `".join(
                part.get("command", "python benchmarks/bench_detection.py")
                for part in parts
            ),
        }
        if len(parts) > 1:
            saved["command"] += (
                "` (side by side; wall time of the longest, CPU time summed), "
                f"merged by `{_common.command_line()}"
            )
        order = {f"F{k}": k for k in range(1, 11)}
        saved["records"].sort(key=lambda r: (order[r["function"]], r["seed"]))
        if args.rerun_hgb:
            if args.raw is None:
                raise SystemExit("--rerun-hgb needs --raw for the updated records")
            with _common.Timer() as t:
                replaced = rerun_hgb(saved["records"], args)
            # CPU: the kept stages of the original runs plus the whole rerun.
            saved["cpu"] += t.cpu - replaced
            saved["wall"] += t.wall
            saved["command"] = (
                "` and `".join(part.get("command", "?") for part in parts)
                + f"` (side by side), then every (c) field recomputed by "
                f"`{_common.command_line()}"
            )
            args.raw.write_text(json.dumps(saved, default=float, indent=1))
        elif args.rerun_skorch:
            update_records(
                saved, args, "rerun-skorch", rerun_skorch, "(a) refitted by "
            )
        elif args.init_check:
            update_records(saved, args, "init-check", init_check)
        elif args.rerun_ucb:
            with _common.Timer() as t:
                rerun_ucb(saved["records"], args)
            saved["cpu"] += t.cpu
            saved["wall"] += t.wall
            saved["command"] += f"` then `{_common.command_line()}"
            args.from_raw[0].write_text(json.dumps(saved, default=float, indent=1))
        text = render(
            saved["records"], args, opt, saved["wall"], saved["cpu"], saved["command"]
        )
        if args.output is not None:
            args.output.write_text(text + "\n")
        else:
            print(f"wrote {_common.write_result('detection', text)}")
        return
    records = []
    with _common.Timer() as total:
        for name in args.functions:
            for seed in args.seeds:
                with _common.Timer() as t:
                    rec = run_one(name, seed, args, opt)
                records.append(rec)
                if args.raw is not None:  # save progress after every run
                    partial = {
                        "records": records,
                        "wall": total.wall_so_far(),
                        "cpu": total.cpu_so_far(),
                        "command": _common.command_line(),
                    }
                    args.raw.write_text(json.dumps(partial, default=float, indent=1))
                print(
                    f"{name} seed {seed}: a={rec['skorch']['geh']:.3f} "
                    f"b={rec['mlp']['geh']:.3f} c={rec['hgb']['geh']:.3f} "
                    f"ucb={rec['ucb_auc']:.3f} shap={rec.get('xgb_shap', -1):.3f} "
                    f"fast={rec.get('fast', -1):.3f} ({t.wall:.0f} s wall, "
                    f"{t.cpu:.0f} s CPU)",
                    flush=True,
                )
    if args.raw is not None:
        saved = {
            "records": records,
            "wall": total.wall,
            "cpu": total.cpu,
            "command": _common.command_line(),
        }
        args.raw.write_text(json.dumps(saved, default=float, indent=1))
    text = render(records, args, opt, total.wall, total.cpu)
    if args.output is not None:
        args.output.write_text(text + "\n")
        print(f"wrote {args.output}")
    elif args.quick:
        print(text)
    else:
        print(f"wrote {_common.write_result('detection', text)}")


if __name__ == "__main__":
    main()
