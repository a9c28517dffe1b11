"""Helpers shared by the benchmark scripts.

Import this module *before* numpy, scikit-learn or torch: it pins every thread
pool to one thread (``OMP_NUM_THREADS`` etc.), so that timings describe one
core whatever the machine.

* :func:`single_thread` -- also limits torch and threadpoolctl pools;
* :func:`machine_lines` -- the machine and library versions, as Markdown bullets;
* :func:`markdown_table` -- a list of rows as a Markdown table;
* :class:`Timer` -- wall-clock and process CPU time of a block;
* :func:`write_result` -- write ``benchmarks/results/<topic>.md``.
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ.setdefault(_var, "1")

import platform
import shlex
import sys
import time
from pathlib import Path

BENCHMARK_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCHMARK_DIR / "results"
REPO_ROOT = BENCHMARK_DIR.parent
#: Real datasets live in ``shared/data`` beside the repository checkout.
DATA_DIR = REPO_ROOT.parent / "shared" / "data"


def single_thread():
    """Run torch and every native thread pool on one thread."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)


def command_line():
    """The command that ran this script, as typed from the repository root."""
    script = Path(sys.argv[0]).resolve()
    try:
        script = script.relative_to(REPO_ROOT)
    except ValueError:
        pass
    return shlex.join(["python", str(script), *sys.argv[1:]])


def machine_lines():
    """Markdown bullet lines describing the machine and library versions."""
    import numpy
    import sklearn
    import torch

    processor = platform.processor() or platform.machine()
    return [
        f"- Machine: {processor} ({platform.machine()}), "
        f"`os.cpu_count()` = {os.cpu_count()}, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()}, torch {torch.__version__} "
        f"({torch.get_num_threads()} thread), numpy {numpy.__version__}, "
        f"scikit-learn {sklearn.__version__}",
    ]


class Timer:
    """Wall-clock and CPU time of a ``with`` block.

    Attributes ``wall`` and ``cpu`` (seconds) are set on exit. CPU time is the
    process time, which is the one-core cost even when the machine is shared.
    """

    def __enter__(self):
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def wall_so_far(self):
        return time.perf_counter() - self._wall

    def cpu_so_far(self):
        return time.process_time() - self._cpu

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
        return False


def fmt(value, digits=3):
    """Format a number for a table; ``None`` and NaN become a dash."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if value != value:  # NaN
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def mean_std(values, digits=3):
    """``"mean ± std"`` of a list of numbers (dash when empty)."""
    import numpy as np

    values = [v for v in values if v is not None and v == v]
    if not values:
        return "-"
    return f"{np.mean(values):.{digits}f} ± {np.std(values):.{digits}f}"


def markdown_table(headers, rows, align=None):
    """Render rows (lists of cells) as a GitHub Markdown table.

    Parameters
    ----------
    headers : list of str
    rows : list of list
        Cells are formatted with :func:`fmt` unless they are strings.
    align : str, default=None
        One character per column, ``"l"`` or ``"r"``; default: first column
        left, the rest right.

    Returns
    -------
    table : str
    """
    if align is None:
        align = "l" + "r" * (len(headers) - 1)
    rule = ["---:" if a == "r" else ":---" for a in align]
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join(rule) + " |",
    ]
    for row in rows:
        lines.append("| " + " | ".join(fmt(cell) for cell in row) + " |")
    return "\n".join(lines)


def header_lines(title, *, wall, cpu, command=None):
    """The standard opening of a result section."""
    return [
        f"## {title}",
        "",
        f"- Command: `{command or command_line()}`",
        *machine_lines(),
        f"- Wall time: {wall:.0f} s; process CPU time: {cpu:.0f} s "
        "(every thread pool limited to one thread)",
        "",
    ]


def write_result(topic, text):
    """Write ``benchmarks/results/<topic>.md`` and return its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{topic}.md"
    path.write_text(text.rstrip() + "\n")
    return path
