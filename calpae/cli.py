"""Command line: `calpae extract`, `calpae schema`, and the later stages' commands."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from calpae import __version__
from calpae.cliopts import DB_HELP, EXIT_INTERRUPTED, HelpFormatter, finish

DEFAULT_OUT = Path("outputs")

# Modules that add their own sub-commands through `register(subparsers)`.
STAGE_COMMANDS = (
    "calpae.batch.cli",
    "calpae.reconcile.cli",
    "calpae.audit.cli",
    "calpae.indicators.cli",
    "calpae.report.cli",
    "corpora.cli",
)


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
    from tqdm import tqdm

    from calpae.models import FigureCount
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
    figures = FigureCount()
    with RunStore(Path(args.out), db_path=args.db or None) as store:
        bar = tqdm(inputs, desc="extract", unit="doc", disable=args.quiet or not sys.stderr.isatty())
        for path in bar:
            with read_scope(pages, _page_progress(args, path, bar)):
                ext = extract_document(path, ocr=args.ocr)
            if pages is not None and ext.document.status != "failed":
                read = sorted(p.number for p in ext.document.pages)
                ext.document.errors.append(
                    f"only page(s) {', '.join(map(str, read)) or 'none'} of {ext.document.page_count} read (--pages)"
                )
            store.add(ext)
            doc = ext.document
            if ext.figures is not None:
                figures += ext.figures
            if doc.status == "failed":
                failed += 1
                tqdm.write(f"error: {path}: {'; '.join(doc.errors)}", file=sys.stderr)
            elif doc.status == "partial":
                tqdm.write(f"warning: {path}: {'; '.join(doc.errors)}", file=sys.stderr)
            elif not args.quiet and not sys.stderr.isatty():
                print(
                    f"{path}: {doc.doc_type}, dept {doc.departement_code or '?'}, {doc.page_count} pages, "
                    f"{len(ext.budget_lines)} budget lines, {len(ext.indicator_values)} indicator values, "
                    f"{len(ext.findings)} findings, {(ext.figures or FigureCount()).summary()}",
                    file=sys.stderr,
                )
    ok = len(inputs) - failed
    print(f"{ok} document(s) extracted, {failed} failed; {figures.summary()}; tables in {args.out}", file=sys.stderr)
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


def build_parser() -> argparse.ArgumentParser:
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

    for module_name in STAGE_COMMANDS:
        if _module_exists(module_name):
            importlib.import_module(module_name).register(sub)
    finish(sub)
    return parser


EXIT_CODES_HELP = (
    "exit status: 0 done; 1 some inputs failed (the others are stored) or nothing matched (explain); "
    "2 unusable arguments, missing database or run folder; 130 interrupted"
)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
