"""The national comparison dataset, built from the series: one row per fact (long), one per département × year (wide),
and the coverage of all 101 départements; held in the database as tables `dataset_long`, `dataset_wide`, `coverage`.

Each fact appears once, with the value the dataset keeps among its sources: a figure its own document's arithmetic
contradicts loses to one that holds; then the latest year's documents, then the value most documents state. A wide
budget cell sums the facts of one level only: the measure's own figure where a document gives it, else its actions,
else their detail lines, so no total is ever added to its parts.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from calpae.reconcile.series import doc_rank
from calpae.referential import load_referential

LONG_COLUMNS = (
    "departement_code",
    "departement_name",
    "region",
    "fact_type",
    "measure_id",
    "measure_name",
    "indicator_id",
    "indicator_name",
    "action",
    "level",
    "year",
    "stage",
    "part",
    "value_kind",
    "value",
    "unit",
    "n_sources",
    "has_conflict",
    "source_documents",
)
LONG_TYPES = {"year": "INTEGER", "value": "DECIMAL(38,6)", "n_sources": "INTEGER", "has_conflict": "BOOLEAN"}
COVERAGE_COLUMNS = (
    "departement_code",
    "departement_name",
    "region",
    "has_data",
    "doc_types",
    "periods",
    "indicators_present",
    "indicators_missing",
)
COVERAGE_TYPES = {"has_data": "BOOLEAN", "indicators_present": "INTEGER"}
WIDE_KEYS = ("departement_code", "year")
SUM_LEVELS = ("measure", "action", "detail")  # a wide cell sums the first of these levels its facts have

WideCells = dict[tuple[str, int], dict[str, Decimal]]


def departements() -> dict[str, tuple[str, str]]:
    """INSEE code → (name, region) of the 101 départements."""
    ref = load_referential()
    return {d.code: (d.name, d.region) for d in ref.departements.values()}


def _kept(occurrences: list[dict[str, Any]]) -> dict[str, Any]:
    """The occurrence whose value the dataset keeps. Indicators: the latest document's (a later report restates an
    earlier year). Budgets: a value its document's arithmetic does not contradict, then the latest year's documents,
    then the value most documents (then most tables) state, then the latest document."""
    if occurrences[0]["fact_type"] == "indicator":
        return max(occurrences, key=lambda o: (doc_rank(o), o["page"] or 0, o["line"] or 0))
    by_value: dict[Decimal, list[dict[str, Any]]] = defaultdict(list)
    for o in occurrences:
        by_value[Decimal(o["value"])].append(o)

    def rank(value: Decimal) -> tuple:
        occ = by_value[value]
        return (
            not all(o["flagged"] for o in occ),
            max(o["doc_year"] or 0 for o in occ),
            len({o["document_id"] for o in occ}),
            len(occ),
            max(doc_rank(o) for o in occ),
        )

    best = max(by_value, key=rank)
    return max(by_value[best], key=doc_rank)


def long_rows(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per fact of one département's series (facts never span départements)."""
    ref = load_referential()
    names = departements()
    facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in series:
        # a weaker copy's figures are its better copy's; a line of no fact (a label of figures only) makes none
        if row["value"] is not None and row["fact_key"] is not None and not row.get("copy_of"):
            facts[row["fact_key"]].append(row)
    rows = []
    for occurrences in facts.values():
        kept = _kept(occurrences)
        name, region = names.get(kept["departement_code"], ("", ""))
        measure = ref.measures.get(kept["measure_id"] or "")
        indicator = ref.indicators.get(kept["indicator_id"] or "")
        rows.append(
            dict(
                departement_code=kept["departement_code"],
                departement_name=name,
                region=region,
                fact_type=kept["fact_type"],
                measure_id=kept["measure_id"] or "",
                measure_name=measure.name if measure else "",
                indicator_id=kept["indicator_id"] or "",
                indicator_name=indicator.name if indicator else "",
                action=kept["canonical_action"] or "",
                level=kept["level"] or "",
                year=kept["year"],
                stage=kept["stage"] or "",
                part=kept["part"] or "",
                value_kind=kept["value_kind"] or "",
                value=Decimal(kept["value"]),
                unit=kept["unit"] or "",
                n_sources=len({o["document_id"] for o in occurrences}),
                has_conflict=len({Decimal(o["value"]) for o in occurrences}) > 1,
                source_documents=" | ".join(sorted({o["source"] for o in occurrences})),
            )
        )
    rows.sort(
        key=lambda r: (
            r["departement_code"],
            r["year"] or 0,
            r["fact_type"],
            r["measure_id"],
            r["indicator_id"],
            r["level"],
            r["action"],
            r["stage"],
            r["part"],
            r["value_kind"],
        )
    )
    return rows


def add_wide_cells(cells: WideCells, rows: list[dict[str, Any]]) -> None:
    """Fold long rows into département × year cells: each indicator value kind, and each measure × stage × part
    summed over one level (the measure's own figure if any, else its actions, else their details)."""
    budget: dict[tuple[str, int, str], dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        key = (r["departement_code"], r["year"])
        if r["fact_type"] == "indicator":
            cells.setdefault(key, {})[f"{r['indicator_id']}:{r['value_kind']}"] = r["value"]
        elif r["measure_id"] and r["level"] in SUM_LEVELS:
            column = f"budget:{r['measure_id']}:{r['stage']}:{r['part']}"
            budget[(*key, column)][r["level"]].append(r["value"])
    for (dept, year, column), levels in budget.items():
        level = next(lv for lv in SUM_LEVELS if levels.get(lv))
        cells.setdefault((dept, year), {})[column] = sum(levels[level], Decimal(0))


def wide_columns(cells: WideCells) -> list[str]:
    """Value columns of the wide table: budgets first, then indicators, each sorted."""
    names = {c for values in cells.values() for c in values}
    return sorted(c for c in names if c.startswith("budget:")) + sorted(c for c in names if not c.startswith("budget:"))


def coverage_rows(docs: list[tuple[str | None, str, object]], present: dict[str, set[str]]) -> list[dict[str, Any]]:
    """Every département: which document types and years it has, and which indicators it reports or lacks."""
    ref = load_referential()
    all_indicators = {i for i, ind in ref.indicators.items() if not ind.model}
    types: dict[str, set[str]] = defaultdict(set)
    years: dict[str, set[str]] = defaultdict(set)
    for code, doc_type, year in docs:
        if code:
            types[code].add(doc_type)
            if year:
                years[code].add(str(year))
    out = []
    for code, (name, region) in sorted(departements().items()):
        have = present.get(code, set())
        out.append(
            dict(
                departement_code=code,
                departement_name=name,
                region=region,
                has_data=bool(types.get(code)),
                doc_types=" ".join(sorted(types.get(code, ()))),
                periods=" ".join(sorted(years.get(code, ()))),
                indicators_present=len(have & all_indicators),
                indicators_missing=" ".join(sorted(all_indicators - have)) if types.get(code) else "",
            )
        )
    return out
