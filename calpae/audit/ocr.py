"""OCR safety net: a total check that fails on a table read by OCR is reported as OCR-suspect, not as an error, when
a cell OCR was unsure of may explain it; among cells read with confidence it stays the document's error. The same
holds for a text export's cells its reader was unsure of (a piece of a wrapped amount, a column whose header is a
guess): a `reading_suspect` warning."""

from __future__ import annotations

from calpae.audit.grids import LineTable
from calpae.budget.arith import PART_ROLES, column_checks, failing, row_checks
from calpae.models import BBox, BudgetLine, CellRef, Finding, IndicatorValue, Page

SUSPECT_CHECKS = {"total_mismatch", "part_sum_mismatch", "table_unreadable"}


def _weakest(lines: list[BudgetLine]) -> BudgetLine:
    return min(lines, key=lambda ln: ln.provenance.confidence if ln.provenance.confidence is not None else 101.0)


def unread_totals(lt: LineTable) -> list[Finding]:
    """A total cell of an OCR table that did not parse while the rows above it did: its check cannot run, so it is
    flagged rather than silently skipped."""
    g = lt.grid
    out: list[Finding] = []
    for r, total in enumerate(g.is_total):
        row = [lt.line(r, c) for c in range(len(g.col_roles))]
        if not total or not any(ln is not None and ln.provenance.ocr for ln in row):
            continue
        for c, ln in enumerate(row):
            if ln is None and any(g.values[k][c] is not None for k in range(r) if not g.is_total[k]):
                where = next(x for x in row if x is not None)
                col = g.col_labels[c] or "amounts"
                out.append(
                    where_finding(
                        where,
                        f"page {where.provenance.page} was read by OCR and the total "
                        f"'{g.labels[r]}' ({col}) could not be read as an amount, so it was not "
                        f"checked; check the scan.",
                        lt.table_id,
                    )
                )
    return out


def repaired_findings(lines: list[BudgetLine]) -> list[Finding]:
    """Every OCR amount that is not as read but set by its table's sums: a warning, so no figure is silently made up
    (a zero whose '-' OCR lost, its '€' read, is as printed)."""
    return [
        where_finding(
            ln,
            f"page {ln.provenance.page} was read by OCR and the amount {ln.amount} (row "
            f"'{ln.row_label}', column '{ln.column_label}') is not the page's reading: "
            f"{ln.provenance.repaired}; it was set so that the table's totals hold; check the scan.",
            ln.table_id,
            check="ocr_repaired",
        )
        for ln in lines
        if ln.provenance.repaired and not _dash_lost(ln)
    ]


def indicator_repaired_findings(values: list[IndicatorValue]) -> list[Finding]:
    """Every indicator value OCR read otherwise and calpae mended (a rate's lost decimal comma): a warning naming
    the reading, so no value is silently made up."""
    return [
        Finding(
            provenance=v.provenance,
            departement_code=v.departement_code,
            section=v.section,
            check="ocr_repaired",
            severity="warning",
            message=(
                f"page {v.provenance.page} was read by OCR and the value {v.value} (indicator '{v.indicator_label}', "
                f"{v.value_kind} {v.year}) is not the page's reading: {v.provenance.repaired}; check the scan."
            ),
            table_id=v.table_id,
        )
        for v in values
        if v.provenance.repaired
    ]


def _dash_lost(ln: BudgetLine) -> bool:
    """A cell where OCR read a currency sign and no digit, set to zero by the sums: the '-' of a '- €' zero lost, the
    figure read as printed (the sums that set it hold), no repair to check."""
    seen = ln.provenance.repaired or ""
    return ln.amount == 0 and "€" in seen and not any(ch.isdigit() for ch in seen)


def _unread_part(lt: LineTable, f: Finding, pages: dict[int, Page] | None = None) -> tuple[BudgetLine, str] | None:
    """For a failing part sum of an OCR row: a part column's cell of that row OCR read nothing in, while the column
    holds amounts on other rows, and whose box on the page image holds ink (an OCR word or a mark no word covers):
    a cell lost, not a blank one, so the sum ran without it. A cell with no ink is blank, as printed: the sum's
    failure is then the document's. The row's first cell and that column's label, or None. Without the pages
    (no image evidence), an empty cell counts as lost."""
    if f.check != "part_sum_mismatch":
        return None
    g = lt.grid
    at = {(ln.provenance.page, _key(ln.provenance.bbox), ln.amount): r for (r, _), ln in _grid_cells(lt)}
    rows = {r for ref in f.cells if (r := at.get((ref.page, _key(ref.bbox), ref.value))) is not None}
    for chk in failing(row_checks(g)):
        if chk.row not in rows:
            continue
        row = [lt.line(chk.row, c) for c in range(len(g.col_roles))]
        if not any(ln is not None and ln.provenance.ocr for ln in row):
            continue
        for c, role in enumerate(g.col_roles):
            if c == chk.col or c in chk.parts or role not in PART_ROLES or g.values[chk.row][c] is not None:
                continue
            if not any(vals[c] is not None for k, vals in enumerate(g.values) if k != chk.row):
                continue
            if pages is not None and not _inked(lt, chk.row, c, row, pages):
                continue
            return next(ln for ln in row if ln is not None), g.col_labels[c] or "amounts"
    return None


def _inked(lt: LineTable, r: int, c: int, row: list[BudgetLine | None], pages: dict[int, Page]) -> bool:
    """Whether the box of grid cell (r, c) -- its row's height, its column's width from the column's other cells --
    holds ink on the page image: the centre of an OCR word or of a mark OCR left unread. True when the box or the
    page's image evidence is unknown (not an OCR page: nothing to tell a lost cell from a blank one)."""
    first = next((ln for ln in row if ln is not None), None)
    boxes = [b for ln in row if ln is not None and (b := ln.provenance.bbox) is not None]
    cols = [b for k in range(len(lt.rows)) if k != r and (ln := lt.line(k, c)) and (b := ln.provenance.bbox)]
    page = pages.get(first.provenance.page or 0) if first is not None else None
    if not boxes or not cols or page is None or not page.ocr:
        return True
    box = BBox(
        x0=min(b.x0 for b in cols),
        top=min(b.top for b in boxes),
        x1=max(b.x1 for b in cols),
        bottom=max(b.bottom for b in boxes),
    )
    marks = [w.bbox for ln in page.lines for w in ln.words] + page.ocr_ink
    return any(box.x0 <= (m.x0 + m.x1) / 2 <= box.x1 and box.top <= (m.top + m.bottom) / 2 <= box.bottom for m in marks)


def where_finding(line: BudgetLine, message: str, table_id: str, check: str = "ocr_suspect") -> Finding:
    return Finding(
        provenance=line.provenance,
        departement_code=line.departement_code,
        section=line.section,
        check=check,
        severity="warning",
        message=message,
        table_id=table_id,
        cells=[CellRef.of(line)],
    )


def _unsure(ln: BudgetLine) -> bool:
    """OCR (or a text export's reader) was unsure of this cell (low confidence, readings that disagree, a part
    supplied by the format, a piece of an amount) or the table's sums set it."""
    p = ln.provenance
    return p.unsure is not None or (p.ocr and p.repaired is not None)


def confirmed_cells(lt: LineTable) -> set[tuple[int, int]]:
    """Grid cells (row, col) some total check that holds involves: their reading agrees with other cells."""
    out: set[tuple[int, int]] = set()
    for chk in column_checks(lt.grid) + row_checks(lt.grid):
        if chk.holds:
            parts = [(p, chk.col) for p in chk.parts] if chk.kind == "column" else [(chk.row, p) for p in chk.parts]
            out.update([(chk.row, chk.col), *parts])
    return out


def _doubtful(lt: LineTable, f: Finding, confirmed: set[tuple[int, int]]) -> list[BudgetLine]:
    """The cells of a failed check OCR was unsure of and no holding check confirms: a misread there may explain
    the failure. Empty when every cell was read with confidence: then the failure is the document's."""
    at = {(ln.provenance.page, _key(ln.provenance.bbox), ln.amount): (r, c) for (r, c), ln in _grid_cells(lt)}
    out = []
    for ref in f.cells:
        place = at.get((ref.page, _key(ref.bbox), ref.value))
        if place is None:
            continue
        ln = lt.line(*place)
        if ln is not None and _unsure(ln) and place not in confirmed:
            out.append(ln)
    return out


def _grid_cells(lt: LineTable) -> list[tuple[tuple[int, int], BudgetLine]]:
    return [((r, c), ln) for r in range(len(lt.rows)) for c in range(len(lt.cols)) if (ln := lt.line(r, c))]


def _key(bbox: BBox | None) -> tuple[float, ...] | None:
    return None if bbox is None else (round(bbox.x0, 1), round(bbox.top, 1), round(bbox.x1, 1), round(bbox.bottom, 1))


def ocr_suspects(lt: LineTable, findings: list[Finding], pages: dict[int, Page] | None = None) -> list[Finding]:
    """Total and part-sum failures of an OCR table that a doubtful cell may explain (one OCR was unsure of, that
    no holding check confirms, or a part cell read empty whose box holds ink on the page image) turned into
    `ocr_suspect` warnings naming it; a failure among cells read with confidence stays the document's error, as on
    a born-digital page. Unread total cells of OCR tables flagged."""
    out: list[Finding] = unread_totals(lt)
    confirmed = confirmed_cells(lt) if any(ln.provenance.ocr or _unsure(ln) for ln in lt.cells.values()) else set()
    for f in findings:
        if f.check == "table_unreadable":
            doubtful = [ln for ln in lt.cells.values() if _unsure(ln)]
        else:
            doubtful = _doubtful(lt, f, confirmed) if f.check in SUSPECT_CHECKS else []
        lost = _unread_part(lt, f, pages) if not doubtful else None
        if lost is not None:
            where, col = lost
            message = (
                f"page {where.provenance.page} was read by OCR and a total check fails there, possibly a cell OCR "
                f"did not read: nothing was read in column '{col}' of row '{where.row_label}'; check the scan. "
                f"{f.check}: {f.message}"
            )
            out.append(f.model_copy(update={"check": "ocr_suspect", "severity": "warning", "message": message}))
            continue
        if not doubtful:
            out.append(f)
            continue
        weak = _weakest(doubtful)
        cell = weak.provenance.raw.rsplit(" | ", 1)[-1]
        why = weak.provenance.repaired or weak.provenance.unsure
        if not weak.provenance.ocr:
            message = (
                f"a total check fails on page {weak.provenance.page}, possibly a misreading of the text export: "
                f"calpae was unsure of the cell '{cell}' (row '{weak.row_label}': {why}); check the document. "
                f"{f.check}: {f.message}"
            )
            out.append(f.model_copy(update={"check": "reading_suspect", "severity": "warning", "message": message}))
            continue
        message = (
            f"page {weak.provenance.page} was read by OCR and a total check fails there, possibly a misread: OCR "
            f"was unsure of the cell '{cell}' (row '{weak.row_label}': {why}); check the scan. {f.check}: {f.message}"
        )
        out.append(f.model_copy(update={"check": "ocr_suspect", "severity": "warning", "message": message}))
    return out
