"""Ground truth of one generated PDF: every budget cell (with its measure, action, stage, part and level), indicator
value, prose amount, relation and defect; the budget facts it states are derived from its cells (document_facts)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

SCHEMA = "calpae-corpus-truth/1"
FACT_FIELDS = ("departement_code", "measure_id", "action", "year", "stage", "part", "level")


@dataclass
class Truth:
    """Collects the truth while a document is composed; pages are filled in once it is laid out."""

    file: str
    document: dict[str, Any]
    tables: list[dict[str, Any]] = field(default_factory=list)
    budget_cells: list[dict[str, Any]] = field(default_factory=list)
    indicator_values: list[dict[str, Any]] = field(default_factory=list)
    prose_amounts: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    defects: list[dict[str, Any]] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # mark key -> 1-based page, filled while drawing

    def new_table(self, kind: str, layout: dict[str, Any], section: str | None, title: str) -> int:
        """Register a table and return its index (0-based, in order of appearance)."""
        index = len(self.tables)
        self.tables.append(
            {
                "index": index,
                "kind": kind,
                "section": section,
                "title": title,
                "layout": layout,
                "columns": [],
                "pages": [],
            }
        )
        return index

    def cell(self, table: int, row: int, col: int, **fields: Any) -> str:
        """Record one budget cell; returns its id (t<table>r<row>c<col>)."""
        cid = f"t{table}r{row}c{col}"
        self.budget_cells.append({"id": cid, "table": table, **_jsonable(fields)})
        return cid

    def indicator(self, **fields: Any) -> None:
        """Record one indicator value (value as a decimal string, or a qualifier)."""
        self.indicator_values.append(_jsonable(fields))

    def prose(self, key: str, sentence: str, amount: Decimal, raw: str, **extra: Any) -> None:
        """Record one amount stated in a sentence; `key` is the mark giving its page."""
        self.prose_amounts.append(_jsonable({"mark": key, "sentence": sentence, "amount": amount, "raw": raw, **extra}))

    def relation(self, kind: str, total: str, parts: list[str]) -> None:
        """An arithmetic fact the document should satisfy: total = sum(parts), or equal cells."""
        self.relations.append({"kind": kind, "total": total, "parts": parts})

    def defect(self, kind: str, **fields: Any) -> None:
        """Record a planted defect: what is printed (declared) and what it should be (correct)."""
        self.defects.append(_jsonable({"kind": kind, **fields}))

    def resolve_pages(self, page_count: int) -> None:
        """Copy the pages recorded by the row marks onto cells, values, prose and tables."""
        for cell in self.budget_cells:
            cell["page"] = self.pages.get(cell["id"].rsplit("c", 1)[0])
        for item in self.indicator_values:
            item["page"] = self.pages.get(f"t{item['table']}r{item['row']}")
        for item in self.prose_amounts:
            item["page"] = self.pages.get(item["mark"])
        for table in self.tables:
            pages = {p for k, p in self.pages.items() if k.startswith(f"t{table['index']}r")}
            table["pages"] = sorted(pages)
        for defect in self.defects:
            if "cell" in defect:
                found = [c for c in self.budget_cells if c["id"] == defect["cell"]]
                defect["page"] = found[0]["page"] if found else None
            elif "table" in defect and "row" in defect:
                defect["page"] = self.pages.get(f"t{defect['table']}r{defect['row']}")
        self.document["pages"] = page_count

    def to_json(self) -> dict[str, Any]:
        """The JSON written beside the PDF (no transient page marks)."""
        data = asdict(self)
        data.pop("pages")
        return {"schema": SCHEMA, **data}

    def write(self, path: Path) -> None:
        """Write the truth JSON, stable key order so equal seeds give equal bytes."""
        path.write_text(dumps(self.to_json()), encoding="utf-8")


def document_facts(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """The budget facts a document's truth states, each once: its key fields and the value printed (`values` when the
    document prints two values for one fact, as a summary that disagrees with its measure table)."""
    found: dict[tuple, list[str]] = {}
    for cell in truth.get("budget_cells", ()):
        if not cell.get("stage"):
            continue
        fields = {**cell, "departement_code": truth["document"].get("departement_code")}
        key = tuple(fields.get(f) or ("" if f in ("action", "measure_id") else None) for f in FACT_FIELDS)
        values = found.setdefault(key, [])
        if cell["amount"] not in values:
            values.append(cell["amount"])
    out = []
    for key, values in found.items():
        fact: dict[str, Any] = {**dict(zip(FACT_FIELDS, key, strict=True)), "value": values[0]}
        if len(values) > 1:
            fact["values"] = values
        out.append(fact)
    return out


def dumps(data: dict[str, Any]) -> str:
    """Compact but diffable JSON: one line per list item, keys sorted."""

    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    parts = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list) and value:
            inner = ",\n  ".join(one(v) for v in value)
            parts.append(f" {one(key)}: [\n  {inner}\n ]")
        else:
            parts.append(f" {one(key)}: {one(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    """Decimals as plain decimal strings, everything else unchanged."""
    return {k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in fields.items()}
