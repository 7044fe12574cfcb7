"""Peer table extractors (raw pdfplumber, camelot lattice/stream, tabula-py) reduced to (page, row label, amount) cells.

A peer "cell" is an amount with its row label: for each extracted table and each of its rows, the label is
the first non-empty cell that does not parse as a number, and every cell that parses as a money amount
(calpae.extract.numbers.parse_number, unit EUR) is one cell. Peers know nothing of roles or years, so they
are scored on page + row label + amount only (see accuracy.py). Each extractor returns None for the whole
document when the tool is not installed or crashes on it (the reason is kept in PEER_ERRORS).
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import warnings
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

import _common  # noqa: F401  (puts the project root on sys.path)

from calpae.extract import parse_number

PeerCell = tuple[int, str, Decimal]  # page (1-based), raw row label, amount
PEER_ERRORS: dict[str, str] = {}


def _text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    return " ".join(str(cell).split())


def rows_to_cells(page: int, rows: Iterable[Iterable[object]]) -> list[PeerCell]:
    """The peer cell rule applied to one table's rows."""
    out: list[PeerCell] = []
    for row in rows:
        texts = [_text(c) for c in row]
        label = ""
        amounts: list[Decimal] = []
        for t in texts:
            if not t:
                continue
            parsed = parse_number(t)
            if parsed is None or (parsed.value is None and parsed.qualifier is None):
                if not label:
                    label = t
            elif parsed.unit == "EUR" and parsed.value is not None:
                amounts.append(parsed.value)
            elif not label and parsed.value is None:
                label = t
        out.extend((page, label, a) for a in amounts)
    return out


def pdfplumber_cells(pdf: Path) -> list[PeerCell]:
    """pdfplumber's extract_tables() with default settings on every page."""
    import pdfplumber

    cells: list[PeerCell] = []
    with pdfplumber.open(pdf) as doc:
        for i, page in enumerate(doc.pages, start=1):
            for table in page.extract_tables():
                cells.extend(rows_to_cells(i, table))
            page.flush_cache()
    return cells


def _camelot(flavor: str) -> Callable[[Path], list[PeerCell]]:
    def run(pdf: Path) -> list[PeerCell]:
        import camelot

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = camelot.read_pdf(str(pdf), pages="all", flavor=flavor)
        cells: list[PeerCell] = []
        for t in tables:
            cells.extend(rows_to_cells(int(t.page), t.df.values.tolist()))
        return cells

    run.__doc__ = f"camelot read_pdf(flavor={flavor!r}) on all pages, default settings."
    return run


def tabula_cells(pdf: Path) -> list[PeerCell]:
    """tabula-py read_pdf(multiple_tables=True) page by page (tabula's own page detection), default settings."""
    import pypdfium2
    import tabula

    n = len(pypdfium2.PdfDocument(str(pdf)))
    cells: list[PeerCell] = []
    for page in range(1, n + 1):
        with contextlib.redirect_stderr(io.StringIO()):
            frames = tabula.read_pdf(str(pdf), pages=page, multiple_tables=True, silent=True)
        for df in frames:
            rows = [list(df.columns)] + df.values.tolist()
            rows[0] = ["" if str(c).startswith("Unnamed") else c for c in rows[0]]
            cells.extend(rows_to_cells(page, rows))
    return cells


PEERS: dict[str, Callable[[Path], list[PeerCell]]] = {
    "pdfplumber": pdfplumber_cells,
    "camelot-lattice": _camelot("lattice"),
    "camelot-stream": _camelot("stream"),
    "tabula": tabula_cells,
}


def available_peers(names: Iterable[str]) -> dict[str, Callable[[Path], list[PeerCell]]]:
    """The peers that import here; the others are recorded in PEER_ERRORS with the reason."""
    out = {}
    modules = {
        "pdfplumber": "pdfplumber",
        "camelot-lattice": "camelot",
        "camelot-stream": "camelot",
        "tabula": "tabula",
    }
    for name in names:
        try:
            __import__(modules[name])
        except Exception as exc:  # noqa: BLE001 - any import failure means the peer cannot run here
            PEER_ERRORS[name] = f"cannot import {modules[name]}: {exc}"
            continue
        out[name] = PEERS[name]
    logging.getLogger("camelot").setLevel(logging.ERROR)
    return out


def run_peer(name: str, pdf: Path) -> list[PeerCell] | None:
    """One peer on one PDF; None (and the reason in PEER_ERRORS) when it crashes."""
    try:
        return PEERS[name](pdf)
    except Exception as exc:  # noqa: BLE001 - a peer's crash is a result, not a benchmark failure
        PEER_ERRORS.setdefault(name, f"{pdf.name}: {type(exc).__name__}: {exc}")
        return None
