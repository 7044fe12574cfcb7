"""The national comparison dataset: long and wide files (CSV + Parquet) and a coverage table."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from calpae.store.db import Database
import pandas as pd

LONG_COLUMNS = (
    "departement_code", "departement_name", "region", "fact_type", "measure_id", "indicator_id", "action",
    "year", "value_kind", "role", "value", "unit", "n_sources", "has_conflict", "source_documents",
)


def _departements() -> dict[str, tuple[str, str]]:
    from calpae.referential import load_referential

    ref = load_referential()
    return {d.code: (d.name, getattr(d, "region", "") or "") for d in ref.departements.values()}


def long_rows(con: Database) -> list[dict]:
    """One row per fact; the value is the latest document's (later reports restate earlier ones)."""
    depts = _departements()
    conflicted = {r[0] for r in con.execute("SELECT DISTINCT fact_key FROM conflicts").fetchall()}
    facts: dict[str, list[tuple]] = defaultdict(list)
    for r in con.execute(
        "SELECT fact_key, fact_type, departement_code, measure_id, indicator_id, canonical_action, year, kind, "
        "role, value_kind, value, unit, document_id, source, doc_year, page, line FROM series "
        "WHERE value IS NOT NULL ORDER BY doc_year NULLS FIRST, document_id"
    ).fetchall():
        facts[r[0]].append(r)
    rows = []
    for key, occurrences in facts.items():
        latest = occurrences[-1]
        sources = sorted({o[13] for o in occurrences})
        name, region = depts.get(latest[2], ("", ""))
        rows.append(dict(
            departement_code=latest[2], departement_name=name, region=region, fact_type=latest[1],
            measure_id=latest[3] or "", indicator_id=latest[4] or "", action=latest[5] or "", year=latest[6],
            value_kind=latest[9] or latest[7], role=latest[8] or "", value=latest[10], unit=latest[11] or "",
            n_sources=len({o[12] for o in occurrences}), has_conflict=key in conflicted,
            source_documents=" | ".join(sources),
        ))
    rows.sort(key=lambda r: (r["departement_code"], r["year"] or 0, r["fact_type"], r["measure_id"],
                             r["indicator_id"], r["action"], r["role"], r["value_kind"]))
    return rows


def wide_frame(rows: list[dict]) -> pd.DataFrame:
    """One row per département × year; one column per indicator value kind and per measure budget amount."""
    cells: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)
    for r in rows:
        if r["fact_type"] == "indicator":
            column = f"{r['indicator_id']}:{r['value_kind']}"
            cells[(r["departement_code"], r["year"])][column] = r["value"]
        elif r["measure_id"] and r["role"]:
            column = f"budget:{r['measure_id']}:{r['value_kind']}:{r['role']}"
            bucket = cells[(r["departement_code"], r["year"])]
            bucket[column] = bucket.get(column, Decimal(0)) + Decimal(r["value"])
    records = [{"departement_code": d, "year": y, **vals} for (d, y), vals in sorted(cells.items())]
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return pd.DataFrame(columns=["departement_code", "year"])
    fixed = ["departement_code", "year"]
    return frame[fixed + sorted(c for c in frame.columns if c not in fixed)]


def coverage_frame(con: Database, rows: list[dict]) -> pd.DataFrame:
    """Every département: which document types and years it has, and how many indicators are missing."""
    from calpae.referential import load_referential

    ref = load_referential()
    all_indicators = {i for i, ind in ref.indicators.items() if not getattr(ind, "model", None)}
    docs = defaultdict(set)
    years = defaultdict(set)
    for code, doc_type, year in con.execute(
        "SELECT departement_code, doc_type, year FROM documents WHERE status <> 'failed'"
    ).fetchall():
        if code:
            docs[code].add(doc_type)
            if year:
                years[code].add(str(year))
    present = defaultdict(set)
    for r in rows:
        if r["fact_type"] == "indicator":
            present[r["departement_code"]].add(r["indicator_id"])
    out = []
    for code, (name, region) in sorted(_departements().items()):
        have = present.get(code, set())
        out.append(dict(
            departement_code=code, departement_name=name, region=region, has_data=bool(docs.get(code)),
            doc_types=" ".join(sorted(docs.get(code, ()))), periods=" ".join(sorted(years.get(code, ()))),
            indicators_present=len(have & all_indicators),
            indicators_missing=" ".join(sorted(all_indicators - have)) if docs.get(code) else "",
        ))
    return pd.DataFrame.from_records(out)


def _write(frame: pd.DataFrame, out: Path, name: str) -> list[Path]:
    csv_path, pq_path = out / f"{name}.csv", out / f"{name}.parquet"
    frame.to_csv(csv_path, index=False)
    frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object}).to_parquet(pq_path, index=False)
    return [csv_path, pq_path]


def export_dataset(con: Database, out: Path) -> list[Path]:
    """Write dataset_long, dataset_wide and coverage as CSV and Parquet into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    rows = long_rows(con)
    long = pd.DataFrame.from_records(rows, columns=list(LONG_COLUMNS))
    long["value"] = long["value"].map(lambda v: format(Decimal(v).normalize(), "f") if v is not None else "")
    wide = wide_frame(rows)
    for col in wide.columns[2:]:
        wide[col] = wide[col].map(lambda v: format(Decimal(v).normalize(), "f") if isinstance(v, Decimal) else "")
    written = _write(long, out, "dataset_long") + _write(wide, out, "dataset_wide")
    written += _write(coverage_frame(con, rows), out, "coverage")
    return written
