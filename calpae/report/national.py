"""Figures per département and for the nation: the dataset's facts with their sources, rates and coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from calpae.report.data import columns_of
from calpae.store.db import Database

BUDGET_KINDS = ("forecast", "executed")
BUDGET_ROLES = ("etat", "departement", "total")


@dataclass
class Source:
    """One place a figure was read (what `calpae explain` prints for it)."""

    document_id: str
    source: str
    page: int | None
    line: int | None
    value: Decimal | None
    raw: str


@dataclass
class Figure:
    value: Decimal | None
    sources: list[Source] = field(default_factory=list)
    conflict: bool = False


@dataclass
class BudgetRow:
    """One action (or measure line) of a département's budget for a year: planned and executed by part."""

    year: int
    action: str
    figures: dict[tuple[str, str], Figure] = field(default_factory=dict)  # (kind, role) -> figure

    def rate(self) -> Decimal | None:
        f, e = self.figures.get(("forecast", "total")), self.figures.get(("executed", "total"))
        if f is None or e is None or not f.value or e.value is None:
            return None
        return e.value / f.value


@dataclass
class MeasureBudget:
    measure_id: str
    name: str
    rows: list[BudgetRow] = field(default_factory=list)
    rates: dict[int, tuple[Decimal, Decimal, Decimal | None]] = field(default_factory=dict)  # year -> (f, e, rate)


@dataclass
class IndicatorSeries:
    indicator_id: str
    name: str
    unit: str
    figures: dict[tuple[int, str], Figure] = field(default_factory=dict)  # (year, value kind) -> figure


@dataclass
class DepartementView:
    code: str
    name: str
    region: str
    documents: list[str]
    measures: list[MeasureBudget]
    indicators: list[IndicatorSeries]
    years: list[int]


def _key(fact_type, measure, indicator, action, year, kind, role) -> tuple:
    return (fact_type, measure or "", indicator or "", action or "", year, kind or "", role or "")


def _kind(stage: str | None, value_kind: str | None) -> str:
    """The report's period word of a fact: a budget's stage (planned shown as forecast), an indicator's value kind."""
    return {"planned": "forecast"}.get(stage or "", stage or "") or (value_kind or "")


def dataset_rows(con: Database, dept: str) -> list[dict]:
    """The dataset's facts of one département: the database's dataset_long when the run has one, else as
    `calpae dataset` builds them from the series."""
    if not columns_of(con, "dataset_long"):
        return []
    cur = con.execute("SELECT * FROM dataset_long WHERE departement_code = ?", [dept])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _sources(con: Database, dept: str) -> dict[tuple, list[Source]]:
    """Every source of every fact of a département, keyed like the dataset's rows."""
    out: dict[tuple, list[Source]] = defaultdict(list)
    for r in con.execute(
        "SELECT fact_type, measure_id, indicator_id, canonical_action, year, stage, value_kind, part, "
        "document_id, source, page, line, value, raw FROM series WHERE departement_code = ? "
        "ORDER BY doc_year NULLS FIRST, source, page NULLS FIRST, line NULLS FIRST",
        [dept],
    ).fetchall():
        key = _key(r[0], r[1], r[2], r[3], r[4], _kind(r[5], r[6]), r[7])
        out[key].append(Source(r[8], r[9], r[10], r[11], r[12], (r[13] or "").strip()))
    return out


def departement_view(con: Database, dept: str, name: str, region: str, documents: list[str]) -> DepartementView:
    from calpae.referential import load_referential

    ref = load_referential()
    rows = dataset_rows(con, dept)
    sources = _sources(con, dept) if columns_of(con, "series") else {}
    measures: dict[str, MeasureBudget] = {}
    budget_rows: dict[tuple[str, int, str], BudgetRow] = {}
    indicators: dict[str, IndicatorSeries] = {}
    years: set[int] = set()
    for r in rows:
        year = r.get("year")
        if year is None:
            continue
        years.add(int(year))
        role = r.get("part") or ""
        kind = _kind(r.get("stage"), r.get("value_kind"))
        key = _key(r["fact_type"], r.get("measure_id"), r.get("indicator_id"), r.get("action"), year, kind, role)
        fig = Figure(
            None if r.get("value") is None else Decimal(str(r["value"])),
            sources.get(key, []),
            bool(r.get("has_conflict")),
        )
        if r["fact_type"] == "budget":
            mid = r.get("measure_id") or ""
            m = ref.measures.get(mid)
            measure = measures.setdefault(mid, MeasureBudget(mid, m.name if m else "lignes sans mesure du référentiel"))
            bkey = (mid, int(year), r.get("action") or "")
            if bkey not in budget_rows:
                budget_rows[bkey] = BudgetRow(int(year), r.get("action") or "")
                measure.rows.append(budget_rows[bkey])
            budget_rows[bkey].figures[(kind, role)] = fig
        elif r["fact_type"] == "indicator":
            iid = r.get("indicator_id") or ""
            ind = ref.indicators.get(iid)
            series = indicators.setdefault(
                iid, IndicatorSeries(iid, ind.name if ind else iid, r.get("unit") or (ind.unit if ind else ""))
            )
            series.figures[(int(year), kind)] = fig
    if columns_of(con, "execution_rates"):
        for mid, year, f, e, rate in con.execute(
            "SELECT measure_id, year, planned, executed, rate FROM execution_rates WHERE departement_code = ?", [dept]
        ).fetchall():
            if mid in measures:
                measures[mid].rates[int(year)] = (f, e, rate)
    for budget in measures.values():
        budget.rows.sort(key=lambda b: (b.year, b.action))
    return DepartementView(
        dept,
        name,
        region,
        documents,
        sorted(measures.values(), key=lambda m: m.measure_id),
        sorted(indicators.values(), key=lambda s: s.indicator_id),
        sorted(years),
    )


@dataclass
class NationalFigures:
    """What the national plots draw: budgets and rates per département and year, shares, indicator coverage."""

    budget: dict[tuple[str, int], tuple[Decimal, Decimal]]  # (dept, year) -> (forecast, executed)
    shares: dict[str, tuple[Decimal, Decimal]]  # dept -> (État, Département), planned amounts
    indicators: dict[tuple[str, int], int]  # (dept, year) -> referential indicators with a value


def national_figures(con: Database) -> NationalFigures:
    budget: dict[tuple[str, int], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    if columns_of(con, "execution_rates"):
        for dept, year, f, e in con.execute(
            "SELECT departement_code, year, sum(planned), sum(executed) FROM execution_rates GROUP BY 1, 2"
        ).fetchall():
            budget[(dept, int(year))] = [Decimal(f or 0), Decimal(e or 0)]
    shares: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    indicators: dict[tuple[str, int], int] = {}
    wide = columns_of(con, "dataset_wide")
    parts = [c for c in wide if c.startswith("budget:") and c.endswith((":planned:etat", ":planned:departement"))]
    if parts:  # the planned parts summed over one level per measure, as the wide table holds them
        cur = con.execute("SELECT departement_code, " + ", ".join(f'"{c}"' for c in parts) + " FROM dataset_wide")
        for dept, *values in cur.fetchall():
            for column, value in zip(parts, values, strict=True):
                shares[dept][0 if column.endswith(":etat") else 1] += Decimal(value or 0)
    if columns_of(con, "series"):
        for dept, year, n in con.execute(
            "SELECT departement_code, year, count(DISTINCT indicator_id) FROM series WHERE fact_type = 'indicator' "
            "GROUP BY 1, 2"
        ).fetchall():
            indicators[(dept, int(year))] = int(n)
    return NationalFigures(
        {k: (v[0], v[1]) for k, v in budget.items()},
        {k: (v[0], v[1]) for k, v in shares.items() if v[0] or v[1]},
        indicators,
    )
