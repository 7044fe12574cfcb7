"""Findings for what calpae did not read: one `unread_figure` per figure in no record (info: a gap of the reader,
not an error of the document), and one warning per table whose figures yield no record (`table_not_read`) or
only in part (`table_partly_read`), so a reader's silence is always said."""

from __future__ import annotations

from collections import defaultdict

from calpae.audit.figures import Figure, count, document_figures, mark_read
from calpae.models import CellRef, Extraction, FigureCount, Finding, Table

TABLE_MIN_FIGURES = 3  # a table stating this many figures (amounts, counts, rates) should yield records


def _where(f: Figure) -> str:
    return f"page {f.page}" if f.page is not None else f"line {f.line}"


def _cell(f: Figure) -> CellRef:
    return CellRef(
        part="other", table_id=f.table_id, page=f.page, line=f.line, bbox=f.bbox, value=f.value, label=f.text
    )


def unread_finding(ext: Extraction, f: Figure, table: Table | None) -> Finding:
    doc = ext.document
    within = f" in the table '{table.title}'" if table is not None and table.title else ""
    within = within or (" in a table" if table is not None else "")
    return Finding(
        provenance=doc.provenance(page=f.page, line=f.line, bbox=f.bbox, raw=f.text),
        departement_code=doc.departement_code,
        check="unread_figure",
        severity="info",
        message=f"{_where(f)}: the figure '{f.text}'{within} is in no record: calpae did not read it; check it by hand",
        table_id=f.table_id,
        cells=[_cell(f)],
    )


def table_finding(ext: Extraction, table: Table, figures: list[Figure]) -> Finding | None:
    """table_not_read when none of a table's figures is in a record, table_partly_read when enough are not."""
    data = [f for f in figures if f.is_data]
    unread = [f for f in data if not f.read]
    if len(unread) < TABLE_MIN_FIGURES:
        return None
    pages = sorted({f.page for f in data if f.page is not None})
    where = f"page{'s' if len(pages) > 1 else ''} {', '.join(map(str, pages))}" if pages else _where(data[0])
    title = f" ('{table.title}')" if table.title else ""
    if len(unread) == len(data):
        check = "table_not_read"
        message = (
            f"the table on {where}{title} holds {len(data)} figures and yields no record: its layout was not "
            f"understood; check it by hand (its figures are listed as unread_figure)"
        )
    else:
        check = "table_partly_read"
        message = (
            f"{len(unread)} of the {len(data)} figures of the table on {where}{title} are in no record; "
            f"check them by hand (listed as unread_figure)"
        )
    first = min(unread, key=lambda f: (f.page or 0, f.line or 0, f.bbox.top if f.bbox else 0.0))
    doc = ext.document
    return Finding(
        provenance=doc.provenance(page=first.page, line=first.line, bbox=first.bbox, raw=first.text),
        departement_code=doc.departement_code,
        section=table.section,
        check=check,
        severity="warning",
        message=message,
        table_id=table.id,
        cells=[_cell(f) for f in unread],
    )


def unread_findings(ext: Extraction) -> tuple[FigureCount, list[Finding]]:
    """The document's figure count and the findings for its figures in no record."""
    figures = document_figures(ext.document)
    mark_read(figures, ext)
    tables = {t.id: t for t in ext.document.tables}
    by_table: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        if f.table_id is not None:
            by_table[f.table_id].append(f)
    out = [tf for tid, figs in by_table.items() if (tf := table_finding(ext, tables[tid], figs)) is not None]
    out += [unread_finding(ext, f, tables.get(f.table_id or "")) for f in figures if f.is_data and not f.read]
    return count(figures), out
