"""Command line: `calpae extract`, `calpae schema`, and the later stages' commands."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from calpae import __version__
from calpae.cliopts import DB_HELP, EXIT_INTERRUPTED, HelpFormatter, finish

DEFAULT_OUT = Path("outputs")

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


def collect_inputs(paths: Iterable[str]) -> list[Path]:
    """Files given directly are kept whatever their suffix (so a wrong one is reported); folders are walked."""
    from calpae.pipeline import SUPPORTED_SUFFIXES

    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            found.append(p)
    return found


def _page_progress(args: argparse.Namespace, path: Path, bar):
    """Per-page progress inside one document: the bar's postfix on a terminal, a line per page with --verbose."""

    def on_page(page: int, total: int, what: str) -> None:
        if bar is not None and not bar.disable:
            bar.set_postfix_str(f"{path.name} p. {page}/{total} {what}", refresh=True)
        elif getattr(args, "verbose", False):
            print(f"{path}: page {page}/{total} {what}", file=sys.stderr, flush=True)

    return on_page


def cmd_extract(args: argparse.Namespace) -> int:
    from calpae.pipeline import extract_document
    from calpae.readscope import parse_pages, read_scope
    from calpae.store import RunStore

    try:
        pages = parse_pages(args.pages) if args.pages else None
    except ValueError as exc:
        print(f"calpae extract: {exc}", file=sys.stderr)
        return 2
    inputs = collect_inputs(args.paths)
    if not inputs:
        print("calpae extract: no input files found", file=sys.stderr)
        return 2
    failed = 0
    with RunStore(Path(args.out), db_path=args.db or None) as store:
        bar = None
        write: Callable[..., None] = print
        if not args.quiet and sys.stderr.isatty():  # tqdm only when a bar is drawn (~0.06 s of imports)
            from tqdm import tqdm

            bar = tqdm(inputs, desc="extract", unit="doc")
            write = tqdm.write
        for path in bar if bar is not None else inputs:
            with read_scope(pages, _page_progress(args, path, bar)):
                ext = extract_document(path, ocr=args.ocr)
            if pages is not None and ext.document.status != "failed":
                read = sorted(p.number for p in ext.document.pages)
                ext.document.errors.append(
                    f"only page(s) {', '.join(map(str, read)) or 'none'} of {ext.document.page_count} read (--pages)"
                )
            store.add(ext)
            doc = ext.document
            if doc.status == "failed":
                failed += 1
                write(f"error: {path}: {'; '.join(doc.errors)}", file=sys.stderr)
            elif doc.status == "partial":
                write(f"warning: {path}: {'; '.join(doc.errors)}", file=sys.stderr)
            elif not args.quiet and not sys.stderr.isatty():
                print(
                    f"{path}: {doc.doc_type}, dept {doc.departement_code or '?'}, {doc.page_count} pages, "
                    f"{len(ext.budget_lines)} budget lines, {len(ext.indicator_values)} indicator values, "
                    f"{len(ext.findings)} findings",
                    file=sys.stderr,
                )
    ok = len(inputs) - failed
    print(f"{ok} document(s) extracted, {failed} failed; tables in {args.out}", file=sys.stderr)
    return 1 if failed else 0


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


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command-line parser; with argv, only the commands that line can run are registered."""
    parser = argparse.ArgumentParser(
        prog="calpae", description=__doc__, epilog=EXIT_CODES_HELP, formatter_class=HelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"calpae {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract documents (PDF, .txt, .md, .html) into run tables")
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="output folder")
    p.add_argument("--db", default=None, help=f"{DB_HELP} to append to (default: OUT/calpae.duckdb)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument("--pages", default=None, help="read only these pages of each PDF, e.g. 1-3,7 (default: all)")
    p.add_argument(
        "--ocr",
        choices=("auto", "always", "never"),
        default="auto",
        help="OCR (Tesseract, French): auto = pages without a usable text layer, always, never",
    )
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("schema", help="print the JSON Schema of the records")
    p.set_defaults(func=cmd_schema)

    for module_name in stage_modules(argv):
        if _module_exists(module_name):
            importlib.import_module(module_name).register(sub)
    finish(sub)
    return parser


EXIT_CODES_HELP = (
    "exit status: 0 done; 1 some inputs failed (the others are stored) or nothing matched (explain); "
    "2 unusable arguments, missing database or run folder; 130 interrupted"
)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    if getattr(args, "verbose", False):
        import logging

        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into `head` or a pager that quit: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
