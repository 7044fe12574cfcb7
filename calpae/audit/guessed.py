"""Figures read under a meaning nobody wrote: a budget amount whose column header names no stage and no part (or is
missing), in a table whose row labels do not name them either, was given the table's default stage and the `total`
part. The figure is in a record, but what it is was guessed: one `meaning_guessed` warning per table lists them, so
a reader's guess is said, not passed on as data."""

from __future__ import annotations

from collections import defaultdict

from calpae.budget.meaning import part_words, stage_words
from calpae.models import BudgetLine, CellRef, Extraction, Finding

NO_HEADER = "(no header)"


def _said(text: str, header: bool) -> bool:
    """Whether a header or a row label names a stage or a part."""
    return bool(text.strip()) and (stage_words(text, header=header) is not None or part_words(text, header) is not None)


def guessed(line: BudgetLine, table_says: bool) -> bool:
    """A table amount whose column has no header, or whose header and row label say neither stage nor part in a
    table none of whose columns does (a 'Montants' column beside 'Part État' and 'Part CD' is their total)."""
    if line.origin != "table" or line.amount is None:
        return False
    if not line.column_label.strip():
        return True
    return not table_says and not _said(line.column_label, True) and not _said(line.row_label, False)


def _cell(line: BudgetLine) -> CellRef:
    p = line.provenance
    return CellRef(
        part="other",
        table_id=line.table_id,
        page=p.page,
        line=p.line,
        bbox=p.bbox,
        value=line.amount,
        label=f"{line.row_label} / {line.column_label or NO_HEADER}",
    )


def guessed_findings(ext: Extraction) -> list[Finding]:
    """One warning per table with amounts whose stage and part were guessed, naming each of them."""
    says: dict[str, bool] = defaultdict(bool)
    for line in ext.budget_lines:
        says[line.table_id] = says[line.table_id] or _said(line.column_label, True)
    by_table: dict[str, list[BudgetLine]] = defaultdict(list)
    for line in ext.budget_lines:
        if guessed(line, says[line.table_id]):
            by_table[line.table_id].append(line)
    doc = ext.document
    titles = {t.id: t.title for t in doc.tables}
    out = []
    for table_id, lines in by_table.items():
        first = lines[0]
        pages = sorted({ln.provenance.page for ln in lines if ln.provenance.page is not None})
        where = f"page{'s' if len(pages) > 1 else ''} {', '.join(map(str, pages))}" if pages else "its table"
        title = f" ('{titles[table_id]}')" if titles.get(table_id) else ""
        columns = sorted({ln.column_label or NO_HEADER for ln in lines})
        meanings = sorted({f"{ln.stage}/{ln.part}" for ln in lines})
        out.append(
            Finding(
                provenance=first.provenance,
                departement_code=doc.departement_code,
                section=first.section,
                check="meaning_guessed",
                severity="warning",
                message=(
                    f"{len(lines)} amounts of the table on {where}{title} sit in columns whose header names no stage "
                    f"and no part ({', '.join(repr(c) for c in columns[:4])}{'…' if len(columns) > 4 else ''}): "
                    f"calpae read them as {', '.join(meanings)} by default; check what they are by hand"
                ),
                table_id=table_id,
                cells=[_cell(ln) for ln in lines],
            )
        )
    return out
