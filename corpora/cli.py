"""`calpae corpus build` (and `python -m corpora build`): write a generated corpus with its ground truth."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def add_build_arguments(p: argparse.ArgumentParser) -> None:
    """Options of the build command, shared by both entry points."""
    from corpora.build import LAYOUT_OPTIONS, SCAN_MODES

    p.add_argument(
        "--family",
        choices=("generated", "office"),
        default="generated",
        help="generated: reportlab layouts (default); office: DOCX/XLSX rendered by LibreOffice "
        "(run scripts/ensure-libreoffice.sh first)",
    )
    p.add_argument("--departements", type=int, default=3, help="how many départements (default 3)")
    p.add_argument("--codes", default=None, help="comma-separated département codes instead of a random draw")
    p.add_argument("--years", default="2019-2021", help="years, e.g. 2019-2022 or 2019,2021 (default 2019-2021)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1); same seed, same corpus")
    p.add_argument(
        "--layouts",
        default=",".join(LAYOUT_OPTIONS),
        help=f"comma-separated layout options to use (default all: {','.join(LAYOUT_OPTIONS)})",
    )
    p.add_argument(
        "--scan",
        choices=SCAN_MODES,
        default="some",
        help="scanned-looking copies: none, some (default; generated: the first annexe-10 table; office: three "
        "documents) or all; each scanned copy carries a planted wrong total",
    )
    p.add_argument(
        "--text",
        choices=SCAN_MODES,
        default="some",
        help="office family only: pdftotext -layout exports of none, some (default) or all documents",
    )
    p.add_argument("--out", default="corpora/samples", help="output folder (default corpora/samples)")
    p.add_argument("--quiet", action="store_true", help="no per-file output")


def cmd_build(args: argparse.Namespace) -> int:
    """Run the build; bad arguments give one clear line and exit status 2."""
    from corpora.build import build_corpus, parse_years

    try:
        years = parse_years(args.years)
        layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
        codes = [c.strip() for c in args.codes.split(",")] if args.codes else None
        progress = None if args.quiet else (lambda name: print(name, file=sys.stderr))
        started = time.perf_counter()
        if args.family == "office":
            from corpora.office import build_office_corpus

            result = build_office_corpus(
                Path(args.out),
                args.departements,
                years,
                args.seed,
                args.scan,
                args.text,
                codes,
                progress=progress,
            )
        else:
            result = build_corpus(
                Path(args.out),
                args.departements,
                years,
                args.seed,
                layouts,
                args.scan,
                codes,
                progress=progress,
            )
    except ValueError as exc:
        print(f"calpae corpus build: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # LibreOffice or pdftotext failed (office family)
        print(f"calpae corpus build: {exc}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    for name, cells in sorted(result.unprinted.items()):
        print(
            f"warning: {name}: its truth lists {len(cells)} amount(s) the rendered PDF does not print "
            f"(e.g. {cells[0]}); its readers cannot find them",
            file=sys.stderr,
        )
    for name, rows in sorted(result.left_out.items()):
        print(
            f"note: {name}: the rendered PDF prints no figure of {len(rows)} truth row(s) or cell(s) "
            f"(e.g. {rows[0]}); they are left out of its truth",
            file=sys.stderr,
        )
    print(
        f"{len(result.pdfs)} PDF(s) and {len(result.truths)} truth file(s) written to {args.out} in {seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


def add_prose_arguments(p: argparse.ArgumentParser) -> None:
    """Options of the prose family."""
    p.add_argument("--departements", type=int, default=3, help="how many départements (default 3)")
    p.add_argument("--years", default="2019-2021", help="years, e.g. 2019-2022 (default 2019-2021)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1); same seed, same corpus")
    p.add_argument("--out", default="outputs/prose", help="output folder (default outputs/prose)")


def cmd_prose(args: argparse.Namespace) -> int:
    """Write the prose family: text reports with the truth of every fact they state."""
    from corpora.build import parse_years
    from corpora.prose import build_prose_corpus

    try:
        years = parse_years(args.years)
        if args.departements < 1:
            raise ValueError("--departements must be at least 1")
    except ValueError as exc:
        print(f"calpae corpus prose: {exc}", file=sys.stderr)
        return 2
    written = build_prose_corpus(Path(args.out), args.departements, years, args.seed)
    print(f"{len(written)} prose report(s) and their truth written to {args.out}", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add `corpus build` and `corpus prose` to the calpae command line."""
    corpus = subparsers.add_parser("corpus", help="generated corpus with ground truth")
    sub = corpus.add_subparsers(dest="corpus_command", required=True)
    build = sub.add_parser("build", help="generate PDFs and their ground-truth JSON")
    add_build_arguments(build)
    build.set_defaults(func=cmd_build)
    prose = sub.add_parser("prose", help="generate prose reports (text) and the truth of their facts")
    add_prose_arguments(prose)
    prose.set_defaults(func=cmd_prose)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m corpora`."""
    parser = argparse.ArgumentParser(prog="python -m corpora", description=__doc__)
    sub = parser.add_subparsers(dest="corpus_command", required=True)
    build = sub.add_parser("build", help="generate PDFs and their ground-truth JSON")
    add_build_arguments(build)
    build.set_defaults(func=cmd_build)
    prose = sub.add_parser("prose", help="generate prose reports (text) and the truth of their facts")
    add_prose_arguments(prose)
    prose.set_defaults(func=cmd_prose)
    args = parser.parse_args(argv)
    return args.func(args)
