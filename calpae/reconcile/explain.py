"""What `calpae explain` says about one cell of the dataset: every fact of a département, measure or indicator and
year, the value the dataset keeps, each source (document, page or line, raw text), the wide cells and conflicts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from calpae.store.db import Database

UNITS = {"EUR": "€", "percent": "%", "days": "j"}
FACT_KEYS = (
    "fact_type",
    "level",
    "action",
    "stage",
    "part",
    "value_kind",
    "value",
    "unit",
    "n_sources",
    "has_conflict",
)
SOURCE_KEYS = ("level", "action", "stage", "part", "value_kind", "value", "unit", "source", "page", "line", "raw")
CONFLICT_KEYS = (
    "check",
    "action",
    "kind",
    "value_a",
    "source_a",
    "page_a",
    "line_a",
    "value_b",
    "source_b",
    "page_b",
    "line_b",
    "fact_type",
    "part",
)


@dataclass
class Explanation:
    departement: str
    name: str
    item: str
    item_name: str
    year: int
    facts: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    wide: dict[str, Decimal] = field(default_factory=dict)


def amount_text(value: Decimal | None, unit: str | None) -> str:
    """A value as a reader writes it: '1 207 650,75 €', '45,5 %', '152'."""
    if value is None:
        return "—"
    value = Decimal(value)
    if unit == "EUR":
        return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " €"
    text = format(value.normalize(), "f").replace(".", ",")
    symbol = UNITS.get(unit or "", "")
    return f"{text} {symbol}".strip()


def explain_cell(con: Database, code: str, item: str, year: int) -> Explanation | None:
    """The facts and sources of one département, item (measure or indicator id) and year; None when there are none."""
    where = "departement_code = ? AND (indicator_id = ? OR measure_id = ?) AND year = ?"
    params = [code, item, item, year]
    facts = con.execute(
        f"SELECT {', '.join(FACT_KEYS)}, departement_name, coalesce(nullif(measure_name, ''), indicator_name) "
        f"FROM dataset_long WHERE {where} ORDER BY fact_type, level, action, stage, part, value_kind",
        params,
    ).fetchall()
    if not facts:
        return None
    sources = con.execute(
        "SELECT level, canonical_action, stage, part, value_kind, value, unit, source, page, line, raw "
        # a weaker copy's line read differently from its better copy is no source of the fact (see `copies`)
        f"FROM series WHERE {where} AND fact_key IS NOT NULL ORDER BY doc_year, source, page, line",
        params,
    ).fetchall()
    conflicts = con.execute(
        "SELECT check_name, action_label, kind, value_a, source_a, page_a, line_a, value_b, source_b, page_b, "
        f"line_b, fact_type, part FROM conflicts WHERE {where}",
        params,
    ).fetchall()
    cur = con.execute("SELECT * FROM dataset_wide WHERE departement_code = ? AND year = ?", [code, year])
    row = cur.fetchone()
    wide = dict(zip([d[0] for d in cur.description], row or (), strict=False))
    return Explanation(
        code,
        facts[0][-2],
        item,
        facts[0][-1],
        year,
        facts=[dict(zip(FACT_KEYS, f[: len(FACT_KEYS)], strict=True)) for f in facts],
        sources=[dict(zip(SOURCE_KEYS, s, strict=True)) for s in sources],
        conflicts=[dict(zip(CONFLICT_KEYS, c, strict=True)) for c in conflicts],
        wide={
            c: v
            for c, v in wide.items()
            if v is not None and (c.startswith(f"budget:{item}:") or c.startswith(f"{item}:"))
        },
    )


def _same_fact(source: dict[str, Any], fact: dict[str, Any]) -> bool:
    keys = ("level", "action", "stage", "part", "value_kind")
    return all((source[k] or "") == (fact[k] or "") for k in keys)


def text_lines(ex: Explanation) -> list[str]:
    """The explanation as lines: each fact with the value kept, then its sources; the wide cells; the conflicts."""
    out = [f"{ex.name} ({ex.departement}) — {ex.item} {ex.item_name} — {ex.year}"]
    for f in ex.facts:
        what = " ".join(x for x in (f["stage"], f["part"], f["value_kind"]) if x)
        where = f"{f['level']} {f['action']}".strip()
        flag = ", sources disagree" if f["has_conflict"] else ""
        kept = amount_text(f["value"], f["unit"])
        out.append(f"{f['fact_type']:9} {where} · {what}: {kept}  (kept; {f['n_sources']} source(s){flag})")
        for s in ex.sources:
            if _same_fact(s, f):
                place = f"p.{s['page']}" if s["page"] is not None else f"l.{s['line']}"
                raw = (s["raw"] or "").strip()[:80]
                out.append(f"    {amount_text(s['value'], s['unit'])}  ← {s['source']} {place}  «{raw}»")
    for column, cell in sorted(ex.wide.items()):
        out.append(f"dataset_wide {column} = {amount_text(cell, 'EUR' if column.startswith('budget:') else None)}")
    for c in ex.conflicts:
        unit = "EUR" if c["fact_type"] == "budget" else None
        what = " ".join(x for x in (c["action"], c["kind"], c["part"]) if x)
        out.append(
            f"CONFLICT {c['check']} {what}: {amount_text(c['value_a'], unit)} ({c['source_a']} p/l "
            f"{c['page_a'] or c['line_a']}) vs {amount_text(c['value_b'], unit)} ({c['source_b']} p/l "
            f"{c['page_b'] or c['line_b']})"
        )
    return out


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def as_json(ex: Explanation) -> str:
    """The same facts, sources, wide cells and conflicts as one JSON object (amounts as decimal text)."""
    data = {
        "departement_code": ex.departement,
        "departement_name": ex.name,
        "item": ex.item,
        "item_name": ex.item_name,
        "year": ex.year,
        "facts": [{k: _plain(v) for k, v in f.items()} for f in ex.facts],
        "sources": [{k: _plain(v) for k, v in s.items()} for s in ex.sources],
        "wide": {k: _plain(v) for k, v in ex.wide.items()},
        "conflicts": [{k: _plain(v) for k, v in c.items()} for c in ex.conflicts],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)
