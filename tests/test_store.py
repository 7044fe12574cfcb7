"""The run store: typed rows in DuckDB, plain-decimal CSV exports, replacement on re-extraction."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from calpae.models import BudgetLine, Document, Extraction, Provenance
from calpae.store import RunStore


def extraction(amounts: list[str]) -> Extraction:
    doc = Document(id="0123456789abcdef", source="x.pdf", sha256="0123456789abcdef" + "0" * 48, page_count=1)
    prov = Provenance(document_id=doc.id, source=doc.source, page=3, raw="1.207.650,75 €")
    lines = [
        BudgetLine(
            provenance=prov,
            departement_code="11",
            table_id=f"{doc.id}-t1",
            table_kind="forecast",
            row_label=f"Action {i}",
            column_label="Total",
            year=2019,
            role="total",
            amount=Decimal(a),
            is_total=(i == 0),
        )
        for i, a in enumerate(amounts)
    ]
    return Extraction(document=doc, budget_lines=lines)


def test_amounts_are_plain_decimals_and_rows_replace(tmp_path: Path) -> None:
    with RunStore(tmp_path) as store:
        store.add(extraction(["1207650.75", "100", "0.5"]))
        store.add(extraction(["1207650.75", "100", "0.5"]))
    with open(tmp_path / "budget_lines.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["amount"] for r in rows] == ["1207650.75", "100", "0.5"]
    assert rows[0]["is_total"] == "true" and rows[1]["is_total"] == "false"
    assert rows[0]["page"] == "3" and rows[0]["line"] == "" and rows[0]["raw"] == "1.207.650,75 €"
    con = RunStore(tmp_path).con
    assert con.execute("SELECT sum(amount) FROM budget_lines").fetchone()[0] == Decimal("1207751.25")


def test_a_thirty_digit_value_fits_its_decimal_column():
    """DECIMAL(38,6) holds 32 integer digits; Python's default 28-digit context could not quantize a 30-digit value
    (a run of amounts a reader glued into one number) and the whole store insert failed."""
    from decimal import Decimal

    from calpae.store.db import arrow_table

    big = Decimal("864500147682980500130700117200")
    table = arrow_table(["v"], ["DECIMAL(38,6)"], [[big], [Decimal("1.5")], [None]])
    assert table.column(0).to_pylist() == [big, Decimal("1.5"), None]
