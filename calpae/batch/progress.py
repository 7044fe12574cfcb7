"""Progress of a run on stderr: a bar with the total and an ETA on a terminal, plain periodic lines otherwise.

The inputs are scanned (and counted) before any document is processed, so the total is known; the run-level
phases after the documents (reconcile, dataset, exports) each print a line when they start.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any

from tqdm import tqdm

from calpae.batch.tasks import BatchSummary, InputItem
from calpae.store.run import DocumentRows

LINE_SECONDS = 5.0  # at most one plain progress line this often (not on a terminal)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    """tqdm on a terminal, plain periodic lines otherwise, nothing with --quiet (the final report still names
    every failure)."""

    def __init__(self, quiet: bool, command: str = "batch") -> None:
        self.quiet = quiet
        self.command = command
        self.tty = sys.stderr.isatty()
        self.bar: Any = None
        self.total = 0
        self.start = time.monotonic()
        self.last_line = 0.0

    def scanning(self, items: Iterable[InputItem]) -> Iterator[InputItem]:
        """Pass the scanned items through, counting them on the terminal (hashing a big archive takes a while)."""
        bar = tqdm(desc="scanning", unit=" files", file=sys.stderr) if self.tty and not self.quiet else None
        if bar is None and not self.quiet:
            self.write(f"{self.command}: scanning the inputs (every file and archive member is hashed)")
        try:
            for item in items:
                if bar is not None:
                    bar.update(1)
                yield item
        finally:
            if bar is not None:
                bar.close()

    def begin(self, total: int) -> None:
        """The document phase starts: `total` documents to process."""
        self.total = total
        self.start = time.monotonic()
        if self.quiet:
            return
        if self.tty:
            self.bar = tqdm(total=total, desc=self.command, unit="doc", file=sys.stderr)
        else:
            self.write(f"{self.command}: {total} document(s) to process")

    def update(self, summary: BatchSummary, doc: DocumentRows) -> None:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = summary.pages / elapsed
        if self.quiet:
            return
        if doc.status in ("failed", "partial"):
            self.write(f"{doc.status}: {doc.source}: {'; '.join(doc.errors)}")
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(pages=summary.pages, pages_s=f"{rate:.1f}", failed=len(summary.failed))
        elif time.monotonic() - self.last_line > LINE_SECONDS:
            self.last_line = time.monotonic()
            done = summary.processed
            eta = elapsed / done * (self.total - done) if done else 0.0
            self.write(
                f"{done}/{self.total} documents, {summary.pages} pages, {rate:.1f} pages/s, "
                f"{len(summary.failed)} failed, ETA {_duration(eta)}"
            )

    def phase(self, text: str) -> None:
        """A run-level phase starts (reconcile, dataset, exports)."""
        if not self.quiet:
            self.write(f"{self.command}: {text}")

    def write(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
