"""Per-table audit checks: totals by column and by row, malformed numbers, resolved ambiguities."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from calpae.audit.grids import LineTable
from calpae.budget.arith import TOLERANCE, Check, column_checks, failing, row_checks
from calpae.budget.money import parse
from calpae.budget.vocab import role_of
from calpae.models import Amount, BudgetLine, CellRef, Finding
from calpae.models.records import CellPart, Severity


def fmt(value: Decimal | None) -> str:
    """1936652 → '1 936 652', 43084.2 → '43 084,20' (for messages)."""
    if value is None:
        return "?"
    q = value.quantize(Decimal("0.01"))
    whole, _, cents = f"{abs(q):,.2f}".partition(".")
    text = whole.replace(",", " ") + ("" if cents == "00" else "," + cents)
    return ("-" if q < 0 else "") + text


def finding(
    line: BudgetLine | Amount,
    check: str,
    severity: str,
    message: str,
    declared: Decimal | None = None,
    computed: Decimal | None = None,
    table_id: str | None = None,
    cells: list[CellRef] | None = None,
) -> Finding:
    """A Finding placed where the line is (same provenance and section); cells: the cells it involves
    (default: the line itself)."""
    diff = declared - computed if declared is not None and computed is not None else None
    return Finding(
        provenance=line.provenance,
        departement_code=line.departement_code,
        section=line.section,
        check=check,
        severity=cast(Severity, severity),
        declared=declared,
        computed=computed,
        difference=diff,
        message=message,
        table_id=table_id,
        cells=cells if cells is not None else [CellRef.of(line)],
    )


def check_cells(lt: LineTable, chk: Check) -> list[CellRef]:
    """The declared cell of a check and the cells it sums: rows of its column, or parts of its row."""
    g = lt.grid

    def ref(r: int, c: int, part: CellPart) -> CellRef | None:
        ln = lt.line(r, c)
        return CellRef.of(ln, part, f"{g.labels[r]} / {g.col_labels[c] or ''}".rstrip(" /")) if ln else None

    parts = [(p, chk.col) for p in chk.parts] if chk.kind == "column" else [(chk.row, p) for p in chk.parts]
    refs = [ref(chk.row, chk.col, "declared")] + [ref(r, c, "part") for r, c in parts]
    return [x for x in refs if x is not None]


UNREADABLE_SHARE = 0.5
UNREADABLE_MIN = 3


def unreadable(lt: LineTable) -> bool:
    """Most checks of the table fail: its columns were not understood (a reading problem, not the document's)."""
    checks = column_checks(lt.grid) + row_checks(lt.grid)
    bad = failing(checks)
    return len(bad) >= UNREADABLE_MIN and len(bad) > UNREADABLE_SHARE * len(checks)


def _unreadable_finding(lt: LineTable) -> Finding:
    checks = column_checks(lt.grid) + row_checks(lt.grid)
    bad = failing(checks)
    first = min(lt.cells.values(), key=lambda ln: (ln.provenance.page or 0, ln.provenance.line or 0))
    return finding(
        first,
        "table_unreadable",
        "warning",
        f"{len(bad)} of {len(checks)} total checks fail in this table: its columns were probably not "
        f"read right, so no total is reported as wrong; check it by hand",
        table_id=lt.table_id,
    )


def _misread_families(checks: list[Check], bad: list[Check], kind: str) -> list[tuple[list[Check], int]]:
    """Failing checks that share what was read of the table's structure and fail together: the column checks of
    one total row in most of its columns (the rows it adds up were grouped wrong: merged group cells, a misread
    layout), or the row checks of one total column on most rows (which columns it adds up was not understood).
    One wrong figure fails one or two checks, never most of a family; such failures are the reading's. Returns
    each family's failing checks with the number of checks in the family."""
    key = (lambda c: c.row) if kind == "column" else (lambda c: c.col)
    size: dict[int, int] = {}
    for c in checks:
        size[key(c)] = size.get(key(c), 0) + 1
    fams: dict[int, list[Check]] = {}
    for c in bad:
        fams.setdefault(key(c), []).append(c)
    return [(f, size[k]) for k, f in fams.items() if len(f) >= UNREADABLE_MIN and len(f) > UNREADABLE_SHARE * size[k]]


def _structure_finding(lt: LineTable, fam: list[Check], n: int, kind: str) -> Finding:
    """One warning for a family of checks that fail together (see _misread_families), with its cells."""
    g = lt.grid
    chk = fam[0]
    where = lt.line(chk.row, chk.col) or lt.any_line(chk.row)
    if kind == "column":
        what = (
            f"'{g.labels[chk.row]}' is not the sum of the rows above it in {len(fam)} of its {n} columns: the rows it "
            f"adds up were probably grouped wrong (merged group cells, a misread layout)"
        )
    else:
        what = (
            f"the column '{g.col_labels[chk.col] or 'total'}' is not the sum of its parts on {len(fam)} of {n} rows: "
            f"which columns it adds up was probably not understood"
        )
    return finding(
        where,
        "table_unreadable",
        "warning",
        f"{what}; no total is reported as wrong there; check it by hand",
        table_id=lt.table_id,
        cells=[x for c in fam for x in check_cells(lt, c)[:1]],
    )


def _one_wrong_cell(col_chk: Check, row_chk: Check) -> tuple[int, int] | None:
    """The cell whose single error makes both checks fail by the same amount (opposite signs), if there is one."""
    if abs(col_chk.difference + row_chk.difference) > TOLERANCE:
        return None
    if row_chk.row == col_chk.row and col_chk.col in row_chk.parts:
        return (col_chk.row, col_chk.col)  # a declared column total that is also a part of its row
    if row_chk.col == col_chk.col and row_chk.row in col_chk.parts:
        return (row_chk.row, row_chk.col)  # a row total that is also a part of its column
    return None


def _culprits(col_fail: list[Check], row_fail: list[Check]) -> dict[int, tuple[int, int, Check]]:
    """id(check) → (row, col, the other check) for each failing check explained by one wrong cell it shares.

    One wrong cell may fail several checks of the other kind: a detail cell that breaks its row's total also breaks
    its sub-total and the grand total below it (each by the same amount); all of them follow from that one cell."""
    out: dict[int, tuple[int, int, Check]] = {}
    for cc in col_fail:
        for rc in row_fail:
            cell = _one_wrong_cell(cc, rc)
            if cell is None or id(cc) in out and id(rc) in out:
                continue
            holder = rc if (rc.row, rc.col) == cell else cc  # the check that declares the wrong cell
            follower = cc if holder is rc else rc
            if id(follower) in out or out.get(id(holder), (*cell, follower))[:2] != cell:
                continue
            out[id(follower)] = (*cell, holder)
            out.setdefault(id(holder), (*cell, follower))
    return out


def total_findings(lt: LineTable) -> list[Finding]:
    """total_mismatch for total rows that are not the sum of their rows; part_sum_mismatch for rows.

    When one wrong cell makes a column check and a row check fail together, the check in which that cell is the
    declared total is the error; the other is a warning that points to it (one mistake, one error).
    """
    g = lt.grid
    out: list[Finding] = []
    if unreadable(lt):
        return [_unreadable_finding(lt)]
    col_checks, r_checks = column_checks(g), row_checks(g)
    col_fail, row_fail = failing(col_checks), failing(r_checks)
    families = [(fam, n, "column") for fam, n in _misread_families(col_checks, col_fail, "column")]
    families += [(fam, n, "row") for fam, n in _misread_families(r_checks, row_fail, "row")]
    out += [_structure_finding(lt, fam, n, kind) for fam, n, kind in families]
    misread = {id(c) for fam, _, _ in families for c in fam}
    col_fail = [c for c in col_fail if id(c) not in misread]
    col_bad = {(c.row, c.col, c.difference) for c in col_fail}
    row_fail = [c for c in row_fail if id(c) not in misread and (c.row, c.col, c.difference) not in col_bad]
    # a row failure on the very cell a column failure reports is the same wrong total: reported once, by column
    culprits = _culprits(col_fail, row_fail)

    def severity_and_hint(chk: Check) -> tuple[str, str]:
        if id(chk) not in culprits:
            return "error", ""
        r, c, other = culprits[id(chk)]
        cell = f"row '{g.labels[r]}', column '{g.col_labels[c] or 'amounts'}'"
        if (chk.row, chk.col) == (r, c):
            return "error", f"; this one cell also explains the failing {other.kind} check"
        return "warning", f"; follows from the single wrong cell {cell}, reported as an error"

    for chk in col_fail:
        where = lt.line(chk.row, chk.col) or lt.any_line(chk.row)
        col = g.col_labels[chk.col] or "amounts"
        severity, hint = severity_and_hint(chk)
        out.append(
            finding(
                where,
                "total_mismatch",
                severity,
                f"'{g.labels[chk.row]}' ({col}) declares {fmt(chk.declared)} but its {len(chk.parts)} rows add up to "
                f"{fmt(chk.computed)} (difference {fmt(chk.difference)}){hint}",
                chk.declared,
                chk.computed,
                lt.table_id,
                check_cells(lt, chk),
            )
        )
    for chk in row_fail:
        r = chk.row
        where = lt.line(r, chk.col) or lt.any_line(r)
        parts = " + ".join(fmt(g.values[r][c]) for c in chk.parts)
        severity, hint = severity_and_hint(chk)
        out.append(
            finding(
                where,
                "part_sum_mismatch",
                severity,
                f"row '{g.labels[r]}': {g.col_labels[chk.col] or 'total'} {fmt(chk.declared)} but its parts "
                f"{parts} = {fmt(chk.computed)} (difference {fmt(chk.difference)}){hint}",
                chk.declared,
                chk.computed,
                lt.table_id,
                check_cells(lt, chk),
            )
        )
    return out


def carry_over_findings(lt: LineTable) -> list[Finding]:
    """A total column 'with carry-over included': the carry-over its rows imply against the one stated below it."""
    g = lt.grid
    implied = [c for c in row_checks(g) if c.kind == "implied_report" and not g.is_total[c.row]]
    if not implied:
        return []
    grand = next((r for r, t in enumerate(g.is_total) if t), None)
    stated = [
        r
        for r in range(len(g.labels))
        if grand is not None and r > grand and not g.is_total[r] and role_of(g.labels[r]) == "report"
    ]
    if not stated:
        return []
    r = stated[0]
    declared = next((v for v in g.values[r] if v is not None), None)
    computed = sum((c.difference for c in implied), Decimal(0))
    if declared is None or abs(declared - computed) <= TOLERANCE:
        return []
    where = lt.any_line(r)
    return [
        finding(
            where,
            "total_mismatch",
            "error",
            f"'{g.labels[r]}' states {fmt(declared)} carried over, but the rows' totals exceed their parts by "
            f"{fmt(computed)} (difference {fmt(declared - computed)})",
            declared,
            computed,
            lt.table_id,
        )
    ]


def _raw_amount(raw: str) -> str:
    return raw.rsplit(" | ", 1)[-1]


def malformed_findings(lines: list[BudgetLine], amounts: list[Amount]) -> list[Finding]:
    """malformed_number (warning) with the value read, once per distinct cell text and place."""
    out: list[Finding] = []
    seen: set[tuple] = set()
    items: list[tuple[BudgetLine | Amount, str]] = [(ln, _raw_amount(ln.provenance.raw)) for ln in lines]
    items += [(a, a.provenance.raw) for a in amounts]
    for item, raw in items:
        p = parse(raw)
        if p is None or not p.malformed:
            continue
        key = (item.provenance.page, item.provenance.line, raw)
        if key in seen:
            continue
        seen.add(key)
        why = p.message or "malformed number"
        out.append(
            finding(
                item,
                "malformed_number",
                "warning",
                f"'{raw}' is malformed ({why}); read as {fmt(p.value)}",
                None,
                p.value,
                getattr(item, "table_id", None),
            )
        )
    return out


def ambiguity_findings(lines: list[BudgetLine]) -> list[Finding]:
    """One info finding per row whose reading was chosen among several."""
    out: list[Finding] = []
    seen: set[tuple[str, int | None]] = set()
    for ln in lines:
        if not ln.note or (ln.table_id, ln.row) in seen:
            continue
        seen.add((ln.table_id, ln.row))
        out.append(finding(ln, "ambiguous_number", "info", ln.note, table_id=ln.table_id))
    return out
