"""Command line: `calpae extract`, `calpae schema`, and the later stages' commands."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from calpae import __version__
from calpae.batch.cli import add_run_options
from calpae.cliopts import DB_HELP, EXIT_INTERRUPTED, EXIT_USAGE, HelpFormatter, finish
from calpae.errors import UsageError

DEFAULT_OUT = Path("outputs")
EXIT_INTERNAL = 3  # a bug: one line on stderr, CALPAE_TRACEBACK=1 for the traceback

# Sub-commands the later stages add through their module's `register(subparsers)`: command -> module. Only
# the module of the command being run is imported (all of them cost ~0.5 s at start-up: pandas, DuckDB, the
# batch runner); `calpae --help` and unknown commands import them all. tests/test_startup.py checks this
# table against what the modules register.
STAGE_COMMANDS = {
    "batch": "calpae.batch.cli",
    "reconcile": "calpae.reconcile.cli",
    "dataset": "calpae.reconcile.cli",
    "explain": "calpae.reconcile.cli",
    "audit": "calpae.audit.cli",
    "unmapped": "calpae.indicators.cli",
    "report": "calpae.report.cli",
    "corpus": "corpora.cli",
}
BUILTIN_COMMANDS = ("extract", "schema")


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract files and folders through the batch machinery: every document re-read (never skipped), each in a
    worker process under the same deadline and memory cap as `batch`, its full record written as JSON.

    The worker is forked from this process (no fork server), and spaCy's parser loads in a sibling process started
    first thing, while this process opens the database and the worker reads the document (issue 17)."""
    from calpae import parser_process
    from calpae.batch.context import start_parser_early

    start_parser_early(args.max_memory_mb)
    try:
        return _extract(args)
    finally:
        parser_process.stop()  # when no worker took it over (no input, a usage error)


def _extract(args: argparse.Namespace) -> int:
    from calpae.batch.command import database_and_out, report
    from calpae.batch.runner import run_batch
    from calpae.batch.tasks import BatchOptions
    from calpae.readscope import parse_pages
    from calpae.store.db import shown_target

    try:
        pages = parse_pages(args.pages) if args.pages else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    db, out = database_and_out(args.db or str(Path(args.out) / "calpae.duckdb"), args.out)
    opts = BatchOptions(
        workers=args.workers,
        timeout=args.timeout_per_doc,
        max_memory_mb=args.max_memory_mb,
        quiet=args.quiet,
        verbose=getattr(args, "verbose", False),
        write_json=True,
        ocr=args.ocr,
        pages=pages,
        resume=False,
        finish=False,
        keep_words=True,
        command="extract",
        fork_server=False,  # a few documents: no server start and preload before the first (issue 17)
    )
    summary = run_batch(args.paths, db, out, opts)
    if summary.processed == 0 and not summary.duplicates:
        print("calpae extract: no input files found", file=sys.stderr)
        return EXIT_USAGE
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


def _command_in(argv: Sequence[str]) -> str | None:
    """The sub-command named on the command line (the first word that is not an option), if any; None when
    top-level help comes first (`calpae -h batch` lists every command)."""
    for a in argv:
        if a in ("-h", "--help"):
            return None
        if not a.startswith("-"):
            return a
    return None


def stage_modules(argv: Sequence[str] | None = None) -> list[str]:
    """The stage modules whose commands the parser needs for this command line (all when it names none)."""
    command = _command_in(argv) if argv is not None else None
    if command in BUILTIN_COMMANDS or (argv is not None and list(argv[:1]) == ["--version"]):
        return []
    if command in STAGE_COMMANDS:
        return [STAGE_COMMANDS[command]]
    return list(dict.fromkeys(STAGE_COMMANDS.values()))


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line (what is wrong, and where the usage is), not the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command-line parser; with argv, only the commands that line can run are registered."""
    parser = _Parser(prog="calpae", description=__doc__, epilog=EXIT_CODES_HELP, formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"calpae {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract documents (PDF, .txt, .md, .html) into run tables")
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="output folder")
    p.add_argument("--db", default=None, help=f"{DB_HELP} to append to (default: OUT/calpae.duckdb)")
    p.add_argument("--pages", default=None, help="read only these pages of each PDF, e.g. 1-3,7 (default: all)")
    add_run_options(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("schema", help="print the JSON Schema of the records")
    p.set_defaults(func=cmd_schema)

    for module_name in stage_modules(argv):
        if _module_exists(module_name):
            importlib.import_module(module_name).register(sub)
    finish(sub)
    return parser


EXIT_CODES_HELP = (
    "exit status: 0 done; 1 some inputs failed or are partial, now or in an earlier run (the others are stored), "
    "or nothing matched (explain); 2 unusable arguments or environment (a database that cannot be opened, a "
    "folder that cannot be written); 3 internal error (CALPAE_TRACEBACK=1 shows it); 130 interrupted"
)


def command_function(func: Callable[[argparse.Namespace], int] | str) -> Callable[[argparse.Namespace], int]:
    """A command's function, or 'module:function' for one whose module is loaded only when it runs (the batch
    machinery is not imported for `calpae --help` or another command)."""
    if callable(func):
        return func
    module, _, name = func.partition(":")
    command: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    return command


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; whatever goes wrong ends in one line on stderr and an exit status, never a traceback:
    2 for arguments or an environment calpae cannot use (a database it cannot open, a folder it cannot write),
    3 for an internal error (CALPAE_TRACEBACK=1 shows where)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser(argv).parse_args(argv)
    except SystemExit as exc:  # argparse said what is wrong (or printed --help)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if getattr(args, "verbose", False):
        import logging

        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return command_function(args.func)(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except UsageError as exc:
        print(f"calpae {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into `head` or a pager that quit: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        from calpae.store.db import first_line, is_database_error

        if is_database_error(exc):
            print(f"calpae {args.command}: database error: {first_line(exc)}", file=sys.stderr)
            return EXIT_USAGE
        if os.environ.get("CALPAE_TRACEBACK"):
            raise
        print(
            f"calpae {args.command}: internal error: {type(exc).__name__}: {first_line(exc)} "
            "(CALPAE_TRACEBACK=1 shows where)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
