"""Command line: `calpae extract`, `calpae schema`, and the later stages' commands."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from calpae import __version__
from calpae.batch.cli import add_run_options, database_and_out, report
from calpae.batch.runner import run_batch
from calpae.batch.tasks import BatchOptions
from calpae.errors import UsageError
from calpae.store.db import first_line, is_database_error, shown_target

DEFAULT_OUT = Path("outputs")

# Modules that add their own sub-commands through `register(subparsers)`.
STAGE_COMMANDS = (
    "calpae.batch.cli",
    "calpae.reconcile.cli",
    "calpae.audit.cli",
    "calpae.indicators.cli",
    "corpora.cli",
)


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract files and folders through the batch machinery: every document re-read (never skipped), each in a
    worker process under the same deadline and memory cap as `batch`, its full record written as JSON."""
    db, out = database_and_out(args.db or str(Path(args.out) / "calpae.duckdb"), args.out)
    opts = BatchOptions(
        workers=args.workers,
        timeout=args.timeout_per_doc,
        max_memory_mb=args.max_memory_mb,
        quiet=args.quiet,
        write_json=True,
        ocr=args.ocr,
        resume=False,
        finish=False,
        keep_words=True,
        command="extract",
    )
    summary = run_batch(args.paths, db, out, opts)
    if summary.processed == 0 and not summary.duplicates:
        print("calpae extract: no input files found", file=sys.stderr)
        return 2
    report(summary, opts, shown_target(db))
    print(f"tables in {out}", file=sys.stderr)
    return summary.exit_status


def cmd_schema(args: argparse.Namespace) -> int:
    from calpae.models import Extraction

    print(json.dumps(Extraction.model_json_schema(), indent=2, ensure_ascii=False))
    return 0


def _module_exists(name: str) -> bool:
    """True if the module can be imported (a missing parent package counts as missing)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line (what is wrong, and where the usage is), not the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="calpae", description=__doc__)
    parser.add_argument("--version", action="version", version=f"calpae {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract documents (PDF, .txt, .md, .html) into run tables")
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: outputs)")
    p.add_argument("--db", default=None, help="DuckDB file or postgresql://… to append to (default: OUT/calpae.duckdb)")
    add_run_options(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("schema", help="print the JSON Schema of the records")
    p.set_defaults(func=cmd_schema)

    for module_name in STAGE_COMMANDS:
        if _module_exists(module_name):
            importlib.import_module(module_name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; whatever goes wrong ends in one line on stderr and an exit status, never a traceback:
    2 for arguments or an environment calpae cannot use (a database it cannot open, a folder it cannot write),
    3 for an internal error (CALPAE_TRACEBACK=1 shows where)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse said what is wrong (or printed --help)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except UsageError as exc:
        print(f"calpae {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader of our output went away (`| head`)
        return 0
    except Exception as exc:
        if is_database_error(exc):
            print(f"calpae {args.command}: database error: {first_line(exc)}", file=sys.stderr)
            return 2
        if os.environ.get("CALPAE_TRACEBACK"):
            raise
        print(
            f"calpae {args.command}: internal error: {type(exc).__name__}: {first_line(exc)} "
            "(CALPAE_TRACEBACK=1 shows where)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
