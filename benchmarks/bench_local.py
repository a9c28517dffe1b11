# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Benchmark of local, path-integrated, higher-order and group interactions.

Four experiments, written to ``benchmarks/results/local.md``:

1. Completeness of Integrated Hessians (Janizek et al., Figs. 9-10 style):
   random Xavier-initialised MLPs of depth 2, 5 and 10 (width 50, 100
   standard-normal features, zero baseline), with softplus, GELU and ReLU
   swapped for softplus(beta); relative error ``|sum Gamma - (f(x) - f(0))| /
   |f(x) - f(0)|`` for the Gauss rule (default) and the paper's Riemann grid,
   against the number of path samples and beta.
2. Speed: the batched computation against a per-feature backward loop in the
   style of the reference PyTorch code (outer path points; at each, an inner
   Integrated Gradients with ``create_graph`` and one backward pass per
   feature), same model, rows and number of samples, plus the time each needs
   to reach 1% completeness.
3. Higher-order interactions on Tsang's F1-F10 in the T-NID protocol (GELU
   MLP 140-100-60-20, standardized data, exact mixed derivatives at
   representative rows, top-k expansion with k = d): 3-, 4- and 5-way ROC-AUC
   next to the published T-NID numbers. The default representative rows were
   chosen on a development seed (its own data and models), reported first.
4. Group interactions: a categorical column one-hot encoded inside a
   ColumnTransformer pipeline and a known interaction with a numeric column.

Run ``python benchmarks/bench_local.py`` (full, about 12 minutes on one core)
or with ``--quick`` (a smoke run); ``--output FILE`` writes the result to
``FILE`` instead of ``results/local.md``.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402
from sklearn.utils import Bunch, check_random_state  # noqa: E402

from sklearn_interact.datasets import make_tsang_function  # noqa: E402
from sklearn_interact.inspection import (  # noqa: E402
    group_interactions,
    higher_order_interactions,
    integrated_hessians,
    make_model_function,
)
from sklearn_interact.inspection._features import tabular_input  # noqa: E402
from sklearn_interact.inspection._higher_order import (  # noqa: E402
    DEFAULT_N_ROWS,
    _exact_extensions,
    _sorted_scores,
    tuple_scores,
)
from sklearn_interact.inspection._path import (  # noqa: E402
    DEFAULT_N_STEPS,
    _broadcast_baseline,
    _relative_error,
    integrated_from_function,
    path_hessians,
)
from sklearn_interact.metrics import higher_order_roc_auc  # noqa: E402

torch.set_num_threads(1)
RESULTS = Path(__file__).resolve().parent / "results"

# T-NID, Table 2 (averages, MLP without main-effect nets) and Table 8 (per
# function, T-NID + MLP-M); N/A where a function has no term of that order.
TNID_TABLE2 = {3: "0.76 ± 0.07", 4: "0.78 ± 0.11", 5: "0.97 ± 0.05"}
TNID_TABLE8 = {
    "F1": ("0.831", "0.777", "N/A"),
    "F2": ("0.629", "0.032", "N/A"),
    "F3": ("0.991", "0.997", "N/A"),
    "F4": ("0.993", "0.96", "N/A"),
    "F5": ("0.493", "N/A", "N/A"),
    "F6": ("0.103", "N/A", "N/A"),
    "F7": ("0.417", "0.363", "0.303"),
    "F8": ("1.0", "1.0", "N/A"),
    "F9": ("0.838", "0.859", "0.988"),
    "F10": ("1.0", "N/A", "N/A"),
}


def table(headers, rows):
    def cell(v):
        if isinstance(v, str):
            return v
        if v is None or v != v:
            return "-"
        if isinstance(v, (int, np.integer)):
            return str(v)
        return f"{v:.3g}" if abs(v) < 1e-2 and v != 0 else f"{v:.3f}"

    lines = ["| " + " | ".join(headers) + " |"]
    lines.append("| " + " | ".join([":---"] + ["---:"] * (len(headers) - 1)) + " |")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# 1. Completeness
# --------------------------------------------------------------------------


def random_mlp(depth, activation, n_features=100, width=50, seed=0):
    torch.manual_seed(seed)
    layers, d_in = [], n_features
    for _ in range(depth):
        linear = torch.nn.Linear(d_in, width)
        torch.nn.init.xavier_uniform_(linear.weight)
        layers += [linear, activation()]
        d_in = width
    last = torch.nn.Linear(d_in, 1)
    torch.nn.init.xavier_uniform_(last.weight)
    layers.append(last)
    return torch.nn.Sequential(*layers)


def riemann_rule(n_steps):
    """The paper's k x k grid of right end points (Eq. 29), k = round(sqrt(n)).

    Nodes ``t = l/k * m/k`` and equal weights ``1 / k**2`` of the path
    integral ``int_0^1 -log(t) g(t) dt``; ``k**2`` nodes are used. The library
    has only the Gauss rule; this grid is kept here for the comparison.
    """
    k = max(1, int(round(np.sqrt(n_steps))))
    grid = np.arange(1, k + 1) / k
    return np.outer(grid, grid).ravel(), np.full(k * k, 1.0 / (k * k))


def riemann_integrated(fn, X, baseline=None, *, n_steps=DEFAULT_N_STEPS):
    """Integrated Hessians on the Riemann grid, with their completeness error.

    The library's path kernel (``path_hessians``) with the nodes and weights of
    :func:`riemann_rule`; the fields used here are those of
    ``integrated_from_function`` (which integrates with the Gauss rule).
    """
    baselines = _broadcast_baseline(baseline, X)
    f_x, f_b = fn(X), fn(baselines)
    difference = f_x - f_b
    values = path_hessians(fn, X, baselines, *riemann_rule(n_steps))
    error, rel = _relative_error(values, difference, np.concatenate([f_x, f_b]))
    return Bunch(
        interaction_values=values,
        output_difference=difference,
        completeness_error=error,
        relative_completeness_error=rel,
    )


#: Path rules compared: the library's Gauss rule and the paper's grid.
RULES = {"gauss": integrated_from_function, "riemann": riemann_integrated}


def completeness(quick):
    depths = [2, 5] if quick else [2, 5, 10]
    n_rows = 4 if quick else 10
    X = np.random.RandomState(0).normal(size=(n_rows, 100))
    acts = {
        "softplus (beta=1)": (torch.nn.Softplus, "auto", 10.0),
        "GELU": (torch.nn.GELU, "auto", 10.0),
        "ReLU -> softplus(10)": (torch.nn.ReLU, "auto", 10.0),
    }
    rows_default = []
    ok = True
    for depth in depths:
        for name, (act, activation, beta) in acts.items():
            net = random_mlp(depth, act)
            fn = make_model_function(net, activation=activation, beta=beta)
            r = integrated_hessians(fn, X)
            err = r.relative_completeness_error
            ok &= bool(err.max() < 0.01)
            rows_default.append([depth, name, float(np.median(err)), float(err.max())])
    # Error vs samples and beta (ReLU network, softplus swap), both rules.
    steps = [4, 16, 64] if quick else [4, 16, 64, 256]
    betas = [1.0, 10.0] if quick else [1.0, 10.0, 30.0]
    X_sweep = X[:5]
    sweep = []
    for depth in [5] if quick else [5, 10]:
        net = random_mlp(depth, torch.nn.ReLU)
        for beta in betas:
            fn = make_model_function(net, beta=beta)
            for rule, integrate in RULES.items():
                row = [depth, beta, rule]
                for n in steps:
                    r = integrate(fn, X_sweep, None, n_steps=n)
                    row.append(float(np.median(r.relative_completeness_error)))
                sweep.append(row)
    lines = [
        "### Completeness of Integrated Hessians",
        "",
        f"Random MLPs (Xavier uniform, width 50, 100 features, {n_rows} "
        "standard-normal rows, zero baseline), default settings "
        f"(Gauss rule, n_steps={DEFAULT_N_STEPS}). Relative error "
        "`|sum Gamma - (f(x) - f(0))| / |f(x) - f(0)|`. Target: within 1%.",
        "",
        table(["depth", "activation", "median error", "max error"], rows_default),
        "",
        f"Verdict: {'met' if ok else 'NOT met'} (max over rows and models "
        f"{max(r[3] for r in rows_default):.2g}).",
        "",
        "Median relative completeness error (5 rows) against the number of "
        "path samples and the softplus beta that replaces ReLU (paper "
        "Figs. 9-10). "
        "`riemann` is the paper's k x k grid of right end points (Eq. 29); "
        "`gauss` is the Gauss rule for the density -log t of t = alpha*beta.",
        "",
        table(["depth", "beta", "rule", *[f"n={n}" for n in steps]], sweep),
        "",
    ]
    return lines


# --------------------------------------------------------------------------
# 2. Speed
# --------------------------------------------------------------------------


def reference_loop(function, X, baseline, num_samples):
    """Per-feature backward loop in the style of the reference PyTorch code.

    ``k = round(sqrt(num_samples))`` outer points on the path; at each one,
    Integrated Gradients of the outer point with ``k`` inner points and
    ``create_graph``, then one backward pass per feature for one row of the
    Jacobian of the attributions, times ``(x - x')``.
    """
    k = max(1, int(round(np.sqrt(num_samples))))
    x = torch.as_tensor(X, dtype=torch.float64)
    x0 = torch.as_tensor(baseline, dtype=torch.float64).expand_as(x)
    n, p = x.shape
    out = torch.zeros(n, p, p, dtype=torch.float64)
    grid = torch.linspace(0, 1, k, dtype=torch.float64)
    for a in grid:
        outer = (x0 + a * (x - x0)).detach().requires_grad_(True)
        grads = torch.zeros_like(outer)
        for b in grid:
            inner = x0 + b * (outer - x0)
            (g,) = torch.autograd.grad(function(inner).sum(), inner, create_graph=True)
            grads = grads + g / k
        attr = (outer - x0) * grads  # Integrated Gradients of the outer point
        for i in range(p):
            (row,) = torch.autograd.grad(attr[:, i].sum(), outer, retain_graph=True)
            out[:, i, :] += row.detach() * (x - x0) / k
    return out.numpy()


def _timed(func, *args, **kwargs):
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - t0


def speed(quick):
    p = 20 if quick else 100
    n_rows = 10
    net = random_mlp(5, torch.nn.Softplus, n_features=p)
    fn = make_model_function(net)
    X = np.random.RandomState(0).normal(size=(n_rows, p))
    base = np.zeros(p)
    f_diff = fn(X) - fn(base[None])
    integrated_from_function(fn, X[:2], base, n_steps=4)  # warm-up
    rows = []
    ref_runs, gauss_runs = [], []
    for n in [16, 64] if quick else [16, 64, 256]:
        ref, t_ref = _timed(reference_loop, fn.torch_function, X, base, n)
        e_ref = float(np.median(np.abs(ref.sum((1, 2)) - f_diff) / np.abs(f_diff)))
        grid, t_grid = _timed(riemann_integrated, fn, X, base, n_steps=n)
        e_grid = float(np.median(grid.relative_completeness_error))
        rows.append([n, t_ref, e_ref, t_grid, e_grid, t_ref / t_grid])
        ref_runs.append((n, t_ref, e_ref))
    for n in [4, 8, 16, 32]:
        gauss, t_gauss = _timed(integrated_from_function, fn, X, base, n_steps=n)
        gauss_runs.append(
            (n, t_gauss, float(np.median(gauss.relative_completeness_error)))
        )

    def first_below(runs, tol=0.01):
        hits = [r for r in runs if r[2] <= tol]
        return hits[0] if hits else None

    ref_hit, our_hit = first_below(ref_runs), first_below(gauss_runs)
    if ref_hit is None:
        ref_hit = ref_runs[-1]
        ref_note = f"not reached; at {ref_hit[0]} samples (error {ref_hit[2]:.2g})"
    else:
        ref_note = f"{ref_hit[0]} samples (error {ref_hit[2]:.2g})"
    ratio = ref_hit[1] / our_hit[1]
    same = rows[-1][-1]
    ok = ratio >= 10
    return [
        "### Speed: batched Integrated Hessians against a per-feature loop",
        "",
        f"Softplus MLP, 5 hidden layers of 50, {p} features, {n_rows} rows, "
        "zero baseline, full p x p matrices, float64, one thread. Reference: "
        "the per-feature backward loop of the reference PyTorch code "
        "(sqrt(n) outer points, inner Integrated Gradients with create_graph, "
        "p backward passes per outer point). Ours: all rows and path points "
        "in one graph and p backward passes per chunk, with the same number "
        "of samples on the paper grid (`riemann`), and with the default Gauss "
        "rule.",
        "",
        table(
            [
                "samples",
                "reference s",
                "reference error",
                "ours (grid) s",
                "ours (grid) error",
                "speed-up, same samples",
            ],
            rows,
        ),
        "",
        table(
            ["Gauss nodes", "ours s", "ours error"],
            [list(r) for r in gauss_runs],
        ),
        "",
        f"Time to a median completeness error <= 1%: reference {ref_hit[1]:.2f} s "
        f"({ref_note}), ours {our_hit[1]:.3f} s ({our_hit[0]} Gauss nodes, "
        f"error {our_hit[2]:.2g}): **{ratio:.0f}x**. Target >= 10x: "
        f"{'met' if ok else 'NOT met'}. With the same number of samples on the "
        f"same grid, batching alone gives {same:.1f}x (the floating-point work "
        "per sample is the same; the gain is fewer, larger autograd calls). ",
        "",
    ]


# --------------------------------------------------------------------------
# 3. Higher order on F1-F10
# --------------------------------------------------------------------------


def train_mlp(X, y, seed, max_epochs, patience=15, batch=256, lr=1e-3):
    """GELU MLP 140-100-60-20 on standardized data (T-NID preset 14)."""
    torch.manual_seed(seed)
    sizes = [X.shape[1], 140, 100, 60, 20]
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.GELU()]
    layers.append(torch.nn.Linear(20, 1))
    net = torch.nn.Sequential(*layers)
    Xt = torch.tensor(X, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)
    n_val = len(X) // 3
    Xv, yv, Xtr, ytr = Xt[:n_val], yt[:n_val], Xt[n_val:], yt[n_val:]
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    best, state, bad = np.inf, None, 0
    for _ in range(max_epochs):
        perm = torch.randperm(len(Xtr))
        for s in range(0, len(Xtr), batch):
            idx = perm[s : s + batch]
            opt.zero_grad()
            loss = ((net(Xtr[idx])[:, 0] - ytr[idx]) ** 2).mean()
            loss.backward()
            opt.step()
        with torch.no_grad():
            val = ((net(Xv)[:, 0] - yv) ** 2).mean().item()
        if val < best - 1e-6:
            best, bad = val, 0
            state = {k: v.clone() for k, v in net.state_dict().items()}
        else:
            bad += 1
            if bad >= patience:
                break
    net.load_state_dict(state)
    return net.eval(), best


# --- Representative rows and expansions compared on the development seed.
# The library keeps the winner only (``max_samples`` random rows, per-row
# top-k); the other choices are computed here, on the library's kernels.

_STATISTICS = ("mean", "median", "min", "max", "mode")


def _column_mode(X, n_bins=10):
    """Per-column mode; the centre of the fullest of ``n_bins`` bins when a
    column has more than 2 * ``n_bins`` distinct values (continuous)."""
    out = np.empty(X.shape[1])
    for j in range(X.shape[1]):
        values, counts = np.unique(X[:, j], return_counts=True)
        if len(values) <= 2 * n_bins:
            out[j] = values[np.argmax(counts)]
        else:
            hist, edges = np.histogram(X[:, j], bins=n_bins)
            k = np.argmax(hist)
            out[j] = (edges[k] + edges[k + 1]) / 2
    return out


def representative_rows(X, representative, n_random, *, random_state=None):
    """Rows closest to column statistics (T-NID), plus random rows.

    For each statistic (any of ``_STATISTICS``) the row closest, on
    standardized columns, to the vector of that statistic; then ``n_random``
    other rows drawn without replacement. Distinct indices, statistics first.
    """
    rng = check_random_state(random_state)
    n = X.shape[0]
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - X.mean(axis=0)) / scale
    stats = {
        "mean": lambda A: A.mean(axis=0),
        "median": lambda A: np.median(A, axis=0),
        "min": lambda A: A.min(axis=0),
        "max": lambda A: A.max(axis=0),
        "mode": _column_mode,
    }
    rows = []
    for name in representative:
        target = (stats[name](X) - X.mean(axis=0)) / scale
        idx = int(np.argmin(((Z - target) ** 2).sum(axis=1)))
        if idx not in rows:
            rows.append(idx)
    rest = np.setdiff1d(np.arange(n), rows)
    n_draw = min(n_random, rest.size)
    if n_draw:
        rows.extend(int(i) for i in rng.choice(rest, size=n_draw, replace=False))
    return np.asarray(rows, dtype=np.intp)


def tnid_scores(fn, X, representative, n_random, expansion, seed, max_order=5):
    """T-NID tuple scores (exact derivatives) at chosen rows and expansion.

    ``expansion="per_row"`` extends the ``d`` strongest tuples of every row
    (Algorithm 1, the library's ``tuple_scores``); ``"global"`` only the
    ``d`` strongest by mean over the rows.
    """
    rows = representative_rows(X, representative, n_random, random_state=seed)
    X_rows, scale, p = X[rows], tabular_input(X).scale, X.shape[1]
    # Exact derivatives: the finite-difference grid is not used.
    options = dict(method="hessian", n_keep=p)
    if expansion == "per_row":
        return tuple_scores(fn, X_rows, None, scale, max_order=max_order, **options)
    by_order = tuple_scores(fn, X_rows, None, scale, max_order=2, **options)
    for order in range(3, max_order + 1):
        kept = list(by_order[order - 1])[:p]
        local = _exact_extensions(fn, X_rows, kept, scale)
        keys = list(local)
        by_order[order] = _sorted_scores(keys, [local[k].mean() for k in keys])
    return by_order


_TNID = ("mean", "min", "mode")
_FIVE = ("mean", "median", "min", "max", "mode")
CONFIGS = {
    "T-NID rows (mean, min, mode + 1 random), per-row top-k": (_TNID, 1, "per_row"),
    "T-NID rows, global top-k": (_TNID, 1, "global"),
    "5 statistics, per-row top-k": (_FIVE, 0, "per_row"),
    "5 statistics + 10 random, per-row top-k": (_FIVE, 10, "per_row"),
    "5 statistics + 10 random, global top-k": (_FIVE, 10, "global"),
    "30 random, per-row top-k": ((), 30, "per_row"),
}


def fit_suite(seed, n_samples, max_epochs, names):
    models = {}
    for name in names:
        X, y, terms = make_tsang_function(name, n_samples, random_state=seed)
        X = (X - X.mean(0)) / X.std(0)
        y = (y - y.mean()) / y.std()
        net, val = train_mlp(X, y, seed, max_epochs)
        models[name] = (net, X, terms, val)
    return models


def config_scores(representative, n_random, expansion):
    """Scorer ``(net, X, seed) -> by_order`` of one development configuration."""

    def score(net, X, seed):
        return tnid_scores(
            make_model_function(net), X, representative, n_random, expansion, seed
        )

    return score


def default_scores(net, X, seed):
    """The library's ``higher_order_interactions`` with its defaults."""
    return higher_order_interactions(net, X, max_order=5, random_state=seed).by_order


def suite_aucs(models, score, seed):
    out = {}
    for name, (net, X, terms, _) in models.items():
        by_order = score(net, X, seed)
        aucs = {}
        for order in (3, 4, 5):
            try:
                aucs[order] = higher_order_roc_auc(by_order[order], terms, order)
            except ValueError:  # no true term of that order
                aucs[order] = None
        out[name] = aucs
    return out


def mean_auc(aucs, order):
    vals = [a[order] for a in aucs.values() if a[order] is not None]
    return (float(np.mean(vals)), float(np.std(vals))) if vals else (None, None)


def higher_order(quick, dev_only=False):
    names = ["F3", "F8"] if quick else [f"F{i}" for i in range(1, 11)]
    n_samples = 3000 if quick else 10000
    # Trained to convergence: with 30 epochs the same networks ranked pairs
    # far worse (see the detection benchmark, softplus/short runs vs GELU).
    max_epochs = 5 if quick else 200
    # Development seed: choose the representative rows.
    dev = fit_suite(100, n_samples, max_epochs, names)
    dev_rows = []
    for label, config in CONFIGS.items():
        aucs = suite_aucs(dev, config_scores(*config), seed=100)
        row = [label]
        for order in (3, 4, 5):
            m, _ = mean_auc(aucs, order)
            row.append(m)
        row.append(float(np.mean([v for v in row[1:] if v is not None])))
        dev_rows.append(row)
    best_config = max(dev_rows, key=lambda r: r[-1])[0]
    if dev_only:
        return [table(["configuration", "3-way", "4-way", "5-way", "mean"], dev_rows)]
    # Reported seeds, default settings only.
    seeds = [0] if quick else [0, 1]
    per_seed = []
    for seed in seeds:
        models = fit_suite(seed, n_samples, max_epochs, names)
        aucs = suite_aucs(models, default_scores, seed)
        per_seed.append((aucs, models))
    rows = []
    for name in names:
        row = [name]
        for order_pos, order in enumerate((3, 4, 5)):
            vals = [s[0][name][order] for s in per_seed]
            vals = [v for v in vals if v is not None]
            row.append(f"{np.mean(vals):.3f}" if vals else "N/A")
            row.append(TNID_TABLE8[name][order_pos])
        row.append(float(np.mean([s[1][name][3] for s in per_seed])))
        rows.append(row)
    avg = ["average"]
    means = {}
    for order in (3, 4, 5):
        per_seed_means = [mean_auc(s[0], order)[0] for s in per_seed]
        per_seed_means = [v for v in per_seed_means if v is not None]
        means[order] = float(np.mean(per_seed_means)) if per_seed_means else None
        spread = float(np.std(per_seed_means)) if per_seed_means else 0.0
        avg.append(
            "-" if means[order] is None else f"{means[order]:.3f} ± {spread:.3f}"
        )
        avg.append(TNID_TABLE2[order] + " (Table 2)")
    avg.append("")
    rows.append(avg)
    ok = means[3] is not None and means[3] >= 0.80
    lines = [
        "### Higher-order interactions on F1-F10 (T-NID protocol)",
        "",
        f"GELU MLP 140-100-60-20 (T-NID preset 14) trained with Adam 1e-3, "
        f"batch 256, at most {max_epochs} epochs, early stopping (patience 15) "
        f"on a third of {n_samples} samples (T-NID: 30000 samples, 200 "
        "epochs, patience 10), X and y standardized. Exact mixed derivatives "
        "up to order 5 at representative rows, mean absolute value, top-k "
        "expansion with k = d = 10 (Algorithm 1). ROC-AUC per order with "
        "`higher_order_roc_auc`: a tuple is positive when it lies inside a "
        "ground-truth term; candidates are the scored tuples plus every true "
        "tuple of that order (unscored true tuples count as 0), which is "
        "stricter than T-NID's union of the tuples found by NID and T-NID.",
        "",
        "**Choice of the representative rows (development seed 100: its own "
        "data and models, not the reported ones).** Mean AUC over the suite:",
        "",
        table(["representative rows", "3-way", "4-way", "5-way", "mean"], dev_rows),
        "",
        f"Best on this development run: **{best_config}**. Library default "
        f"(set from this run): `max_samples={DEFAULT_N_ROWS}` random rows, "
        "per-row top-k expansion.",
        "",
        f"**Reported seeds {seeds}** (default settings; mean over seeds; "
        "T-NID per function from its Table 8, T-NID + MLP-M, and averages "
        "from its Table 2):",
        "",
        table(
            [
                "function",
                "3-way ours",
                "3-way T-NID",
                "4-way ours",
                "4-way T-NID",
                "5-way ours",
                "5-way T-NID",
                "val. MSE",
            ],
            rows,
        ),
        "",
        f"Target: 3-way mean >= 0.80: {'met' if ok else 'NOT met'} ({means[3]:.3f}).",
        "",
    ]
    return lines


# --------------------------------------------------------------------------
# 4. Groups
# --------------------------------------------------------------------------


def groups(quick):
    n = 1000 if quick else 3000
    rng = np.random.RandomState(0)
    cat = rng.choice(list("abcde"), n)
    X = pd.DataFrame(
        {
            "colour": cat,
            "x1": rng.uniform(-1, 1, n),
            "x2": rng.uniform(-1, 1, n),
            "x3": rng.uniform(-1, 1, n),
            "x4": rng.uniform(-1, 1, n),
        }
    )
    effect = pd.Series(cat).map({"a": 2.0, "b": -1.0, "c": 0.0, "d": 1.0, "e": -2.0})
    effect = effect.to_numpy()
    y = (
        effect * X.x1
        + 0.5 * X.x2 * X.x3
        + X.x2
        + np.sin(2 * X.x4)
        + 0.5 * effect
        + 0.1 * rng.normal(size=n)
    )
    pre = ColumnTransformer(
        [
            ("cat", OneHotEncoder(), ["colour"]),
            ("num", StandardScaler(), ["x1", "x2", "x3", "x4"]),
        ]
    )
    rows, ok = [], True
    models = {
        "MLPRegressor (ReLU -> softplus)": MLPRegressor(
            hidden_layer_sizes=(64, 32), max_iter=500, random_state=0
        ),
        "HistGradientBoostingRegressor": HistGradientBoostingRegressor(random_state=0),
    }
    for label, model in models.items():
        pipe = make_pipeline(pre, model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            pipe.fit(X, y)
        r = group_interactions(pipe, X, random_state=0)
        top = r.top_k_names
        rank = 1 + top.index(("colour", "x1")) if ("colour", "x1") in top else None
        ok &= rank == 1
        rows.append(
            [
                label,
                r.method,
                " x ".join(top[0]),
                " x ".join(top[1]),
                "-" if rank is None else str(rank),
            ]
        )
    return [
        "### Group interactions (Taylor-CAM) with a one-hot categorical column",
        "",
        f"{n} rows; `colour` (5 levels, one-hot in a ColumnTransformer) "
        "interacts with `x1` (y = effect(colour) * x1 + 0.5 x2 x3 + x2 + "
        "sin(2 x4) + 0.5 effect(colour) + noise). Groups from "
        "`groups_from_column_transformer`; target: (colour, x1) ranks first.",
        "",
        table(["model", "method", "1st pair", "2nd pair", "rank of colour x x1"], rows),
        "",
        f"Verdict: {'met' if ok else 'NOT met'}.",
        "",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument(
        "--dev-only",
        action="store_true",
        help="only the development run that chooses the representative rows",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="write the result here instead of results/local.md",
    )
    args = parser.parse_args()
    if args.dev_only:
        print("\n".join(higher_order(args.quick, dev_only=True)))
        return
    t0, c0 = time.perf_counter(), time.process_time()
    sections = []
    for part in (completeness, speed, higher_order, groups):
        ts = time.perf_counter()
        sections += part(args.quick)
        print(f"{part.__name__}: {time.perf_counter() - ts:.0f} s", flush=True)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    command = shlex.join(["python", "benchmarks/bench_local.py", *sys.argv[1:]])
    head = [
        "## Local, path-integrated, higher-order and group interactions",
        "",
        f"- Command: `{command}`",
        f"- Machine: {platform.processor() or platform.machine()}, "
        f"`os.cpu_count()` = {os.cpu_count()}, torch {torch.__version__} "
        "(1 thread)",
        f"- Wall time: {wall:.0f} s; process CPU time: {cpu:.0f} s",
        "",
    ]
    text = "\n".join(head + sections).rstrip() + "\n"
    if args.output is not None:
        args.output.write_text(text)
        print(text)
    elif args.quick:
        print(text)
    else:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "local.md").write_text(text)
        print(text)


if __name__ == "__main__":
    main()
