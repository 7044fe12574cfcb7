"""`calpae batch ARCHIVE... --db PATH|URL`: its options, and the run options `calpae extract` shares.

Light to import (argparse and constants only): the command line builds every sub-command's parser at each start;
the command itself lives in calpae.batch.command, loaded when it runs."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from calpae.batch.defaults import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, MAX_TIMEOUT_S, MIN_MEMORY_MB
from calpae.batch.engines import ENGINES
from calpae.cliopts import DB_HELP


def _number(kind: Callable[[str], float], low: float, high: float, what: str) -> Callable[[str], float]:
    """An argparse type: a finite number in [low, high], else an error naming the bounds."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r}: {what}")
        return value

    return parse


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Options both `batch` and `extract` take: workers, per-document limits, OCR."""
    p.add_argument(
        "--workers",
        type=_number(int, 1, 4096, "must be ≥ 1"),
        default=None,
        help="worker processes (default: the cores; never more than the cores nor the documents)",
    )
    p.add_argument(
        "--timeout-per-doc",
        type=_number(float, 1e-3, MAX_TIMEOUT_S, f"must be a number of seconds > 0 and ≤ {MAX_TIMEOUT_S:g}"),
        default=DEFAULT_TIMEOUT,
        help=f"seconds before a document is failed (default {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument(
        "--max-memory-mb",
        type=_number(int, MIN_MEMORY_MB, 2**40, f"must be a number of MB ≥ {MIN_MEMORY_MB}"),
        default=DEFAULT_MAX_MEMORY_MB,
        help=f"address-space cap of each worker (default {DEFAULT_MAX_MEMORY_MB})",
    )
    p.add_argument(
        "--ocr",
        choices=["auto", "always", "never"],
        default="auto",
        help="OCR (Tesseract, French): auto = pages without a usable text layer (default), always, never",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output (failures are still listed)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("batch", help="process folders, zip/tar archives and globs into one database")
    p.add_argument("inputs", nargs="+", help="folders (recursive), .zip/.tar(.gz) archives, glob patterns")
    p.add_argument("--db", required=True, help=f"{DB_HELP} (created or appended to)")
    p.add_argument("--out", default=None, help="folder for CSV exports and the dataset (default: the database's)")
    add_run_options(p)
    p.add_argument("--retry-failed", action="store_true", help="process again the documents stored as failed/partial")
    p.add_argument(
        "--recycle-rss-mb",
        type=_number(float, 0, 2**40, "must be ≥ 0"),
        default=1500,
        help="a worker whose resident memory passes this after a document is replaced (0: never)",
    )
    p.add_argument(
        "--max-tasks-per-worker",
        type=_number(int, 1, 2**31, "must be ≥ 1"),
        default=50,
        help="documents before a worker is replaced",
    )
    p.add_argument("--json", action="store_true", help="also write one JSON record per document")
    p.add_argument("--engine", choices=sorted(ENGINES), default="local")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask)")
    p.set_defaults(func="calpae.batch.command:cmd_batch")
