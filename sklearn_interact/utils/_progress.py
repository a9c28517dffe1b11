# Authors: The sklearn-interact developers
# SPDX-License-Identifier: BSD-3-Clause
"""Progress of long work, written to stderr under ``verbose`` (quiet by default).

One helper for every long loop of the engine (bandit rounds, refits,
permutations, chunks of rows): :class:`Progress` prints a one-line text bar
that it rewrites in place, at most every ``min_interval`` seconds, and a final
line with the elapsed time. :func:`progress_message` prints one line about a
stage. Nothing is printed when ``verbose`` is 0 or False.
"""

import sys
import time

#: Width of the text bar, in characters.
BAR_WIDTH = 24


def progress_message(verbose, label, message):
    """Print ``[label] message`` to stderr when ``verbose``."""
    if verbose:
        print(f"[{label}] {message}", file=sys.stderr, flush=True)


class Progress:
    """A text progress bar on stderr: ``[label] |#####    | 12/40 3.1s``.

    Parameters
    ----------
    total : int or None
        Number of steps (None: unknown, only the count is shown).
    label : str
        What is running, e.g. ``"pairwise_interactions: rows"``.
    verbose : int or bool
        Prints only when true.
    min_interval : float, default=0.5
        Seconds between two redraws (the last step is always drawn).
    stream : file-like, default=None
        Where to write (``sys.stderr`` when None).

    Examples
    --------
    >>> progress = Progress(3, "demo", verbose=0)
    >>> for _ in range(3):
    ...     progress.update()
    >>> progress.close()
    """

    def __init__(self, total, label, verbose, *, min_interval=0.5, stream=None):
        self.total = total
        self.label = label
        self.verbose = bool(verbose)
        self.min_interval = min_interval
        self.stream = stream
        self.count = 0
        self.start = time.perf_counter()
        self._last = -float("inf")
        self._closed = False

    def _write(self, text, end=""):
        stream = sys.stderr if self.stream is None else self.stream
        stream.write(text + end)
        stream.flush()

    def _line(self):
        elapsed = time.perf_counter() - self.start
        if self.total:
            done = min(self.count / self.total, 1.0)
            filled = int(round(done * BAR_WIDTH))
            bar = "#" * filled + " " * (BAR_WIDTH - filled)
            return f"\r[{self.label}] |{bar}| {self.count}/{self.total} {elapsed:.1f}s"
        return f"\r[{self.label}] {self.count} {elapsed:.1f}s"

    def update(self, n=1, *, extra=""):
        """Advance by ``n`` steps; redraw if enough time has passed."""
        self.count += n
        if not self.verbose:
            return
        now = time.perf_counter()
        if now - self._last >= self.min_interval or self.count == self.total:
            self._last = now
            self._write(self._line() + (f" {extra}" if extra else ""))

    def close(self):
        """Finish the line (once)."""
        if self.verbose and not self._closed:
            self._write(self._line(), end="\n")
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
