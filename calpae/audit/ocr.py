"""OCR safety net: a total check that fails on a table read by OCR is reported as OCR-suspect, not as an error."""

from __future__ import annotations

from calpae.audit.grids import LineTable
from calpae.models import BudgetLine, CellRef, Finding

SUSPECT_CHECKS = {"total_mismatch", "part_sum_mismatch", "table_unreadable"}


def _place(lt: LineTable, f: Finding) -> tuple[int, int] | None:
    """(row, col) of the cell a finding points at, matched by provenance."""
    for key, ln in lt.cells.items():
        if ln.provenance == f.provenance:
            return key
    return None


def _suspects(lt: LineTable, f: Finding) -> list[BudgetLine]:
    """OCR cells the failed check involves: the total's column, or the row whose parts do not add up."""
    place = _place(lt, f)
    cells = list(lt.cells.items())
    if place is not None:
        axis = 1 if f.check == "total_mismatch" else 0
        cells = [(k, ln) for k, ln in cells if k[axis] == place[axis]]
    return [ln for _, ln in cells if ln.provenance.ocr]


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
    """Every OCR amount that is not as read but set by its table's sums: a warning, so no figure is silently made up."""
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
        if ln.provenance.repaired
    ]


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


def ocr_suspects(lt: LineTable, findings: list[Finding]) -> list[Finding]:
    """Findings with total/part-sum failures on OCR cells turned into `ocr_suspect` warnings naming the page and cell;
    unread total cells of OCR tables flagged too."""
    out: list[Finding] = unread_totals(lt)
    for f in findings:
        suspects = _suspects(lt, f) if f.check in SUSPECT_CHECKS else []
        if not suspects:
            out.append(f)
            continue
        weak = _weakest(suspects)
        conf = weak.provenance.confidence
        cell = weak.provenance.raw.rsplit(" | ", 1)[-1]
        message = (
            f"page {weak.provenance.page} was read by OCR and a total check fails there, probably a misread: "
            f"lowest-confidence cell '{cell}' (row '{weak.row_label}', confidence "
            f"{'?' if conf is None else f'{conf:.0f}'}); check the scan. {f.check}: {f.message}"
        )
        out.append(f.model_copy(update={"check": "ocr_suspect", "severity": "warning", "message": message}))
    return out
