"""Assemble ``BENCHMARKS.md`` from the per-topic results.

Every benchmark script writes one Markdown section to
``benchmarks/results/<topic>.md``. This script concatenates them under a short
header, in a fixed order: ``detection``, ``speed``, then every other topic
alphabetically. Files named ``*_quick.md`` (smoke runs) are left out.

Run ``python benchmarks/report.py`` (``--output PATH`` to write elsewhere,
``--check`` to fail when ``BENCHMARKS.md`` is out of date).
"""

# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import sys
from pathlib import Path

BENCHMARK_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCHMARK_DIR / "results"
DEFAULT_OUTPUT = BENCHMARK_DIR.parent / "BENCHMARKS.md"
#: Topics that come first, in this order; the rest follow alphabetically.
LEADING_TOPICS = ("detection", "speed")

HEADER = """\
# Benchmarks

Measured results of the `benchmarks/bench_*.py` scripts, one section per
script. Each section names the command that produced it, the machine, the wall
and CPU time, and compares the numbers with the acceptance targets. Benchmarks
run single-threaded; rerun one with the command given in its section, then
rebuild this file with `python benchmarks/report.py`.

Generated from `benchmarks/results/*.md`; do not edit by hand.
"""


def ordered_results(results_dir=RESULTS_DIR):
    """Result files in report order: leading topics first, then by name."""
    files = {
        path.stem: path
        for path in sorted(results_dir.glob("*.md"))
        if not path.stem.endswith("_quick")  # smoke runs are not results
    }
    order = [t for t in LEADING_TOPICS if t in files]
    order += sorted(t for t in files if t not in LEADING_TOPICS)
    return [files[t] for t in order]


def build_report(results_dir=RESULTS_DIR):
    """The full text of ``BENCHMARKS.md``."""
    parts = [HEADER.rstrip()]
    paths = ordered_results(results_dir)
    if paths:
        parts.append(
            "Contents: "
            + ", ".join(f"[{p.stem}](#{_first_heading_anchor(p)})" for p in paths)
            + "."
        )
    for path in paths:
        parts.append(path.read_text().strip())
    return "\n\n".join(parts) + "\n"


def _first_heading_anchor(path):
    """GitHub's anchor for the first ``## `` heading of a file."""
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            title = line[3:].strip().lower()
            kept = "".join(c for c in title if c.isalnum() or c in " -_")
            return kept.replace(" ", "-")
    return path.stem


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 when the output file differs from the results",
    )
    args = parser.parse_args(argv)
    text = build_report()
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run python benchmarks/report.py")
            return 1
        return 0
    args.output.write_text(text)
    print(f"wrote {args.output} ({len(ordered_results())} sections)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
