"""OCR safety net: a total check that fails on a table read by OCR is reported as OCR-suspect, not as an error."""

from __future__ import annotations

from calpae.audit.grids import LineTable
from calpae.models import BudgetLine, Finding

SUSPECT_CHECKS = {"total_mismatch", "part_sum_mismatch"}


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


def ocr_suspects(lt: LineTable, findings: list[Finding]) -> list[Finding]:
    """Findings with total/part-sum failures on OCR cells turned into `ocr_suspect` warnings naming the page and cell."""
    out: list[Finding] = []
    for f in findings:
        suspects = _suspects(lt, f) if f.check in SUSPECT_CHECKS else []
        if not suspects:
            out.append(f)
            continue
        weak = _weakest(suspects)
        conf = weak.provenance.confidence
        cell = weak.provenance.raw.rsplit(" | ", 1)[-1]
        message = (f"page {weak.provenance.page} was read by OCR and a total check fails there, probably a misread: "
                   f"lowest-confidence cell '{cell}' (row '{weak.row_label}', confidence "
                   f"{'?' if conf is None else f'{conf:.0f}'}); check the scan. {f.check}: {f.message}")
        out.append(f.model_copy(update={"check": "ocr_suspect", "severity": "warning", "message": message}))
    return out
