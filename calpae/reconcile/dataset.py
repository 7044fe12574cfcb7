"""The national comparison dataset: long and wide files (CSV + Parquet) and a coverage table."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pandas as pd

from calpae.store.db import Database

LONG_COLUMNS = (
    "departement_code",
    "departement_name",
    "region",
    "fact_type",
    "measure_id",
    "indicator_id",
    "action",
    "year",
    "value_kind",
    "role",
    "value",
    "unit",
    "n_sources",
    "has_conflict",
    "source_documents",
)


def _departements() -> dict[str, tuple[str, str]]:
    from calpae.referential import load_referential

    ref = load_referential()
    return {d.code: (d.name, getattr(d, "region", "") or "") for d in ref.departements.values()}


def dataset_departements(con: Database) -> list[str]:
    """The départements the series hold values for, in the dataset's order."""
    rows = con.execute("SELECT DISTINCT departement_code FROM series WHERE value IS NOT NULL").fetchall()
    return sorted(r[0] for r in rows if r[0] is not None)


def long_rows(con: Database, dept: str) -> list[dict]:
    """One row per fact of one département; the value is the latest document's (later reports restate earlier
    ones; within a document, the last in page order). Facts never span départements, so the dataset is built
    one département at a time (bounded memory)."""
    depts = _departements()
    conflicted = {
        r[0]
        for r in con.execute("SELECT DISTINCT fact_key FROM conflicts WHERE departement_code = ?", [dept]).fetchall()
    }
    facts: dict[str, list[tuple]] = defaultdict(list)
    for r in con.execute(
        "SELECT fact_key, fact_type, departement_code, measure_id, indicator_id, canonical_action, year, kind, "
        "role, value_kind, value, unit, document_id, source, doc_year, page, line FROM series "
        "WHERE value IS NOT NULL AND departement_code = ? "
        "ORDER BY doc_year NULLS FIRST, document_id, page NULLS FIRST, line NULLS FIRST, value, raw",
        [dept],
    ).fetchall():
        facts[r[0]].append(r)
    rows = []
    for key, occurrences in facts.items():
        latest = occurrences[-1]
        sources = sorted({o[13] for o in occurrences})
        name, region = depts.get(latest[2], ("", ""))
        rows.append(
            dict(
                departement_code=latest[2],
                departement_name=name,
                region=region,
                fact_type=latest[1],
                measure_id=latest[3] or "",
                indicator_id=latest[4] or "",
                action=latest[5] or "",
                year=latest[6],
                value_kind=latest[9] or latest[7],
                role=latest[8] or "",
                value=latest[10],
                unit=latest[11] or "",
                n_sources=len({o[12] for o in occurrences}),
                has_conflict=key in conflicted,
                source_documents=" | ".join(sources),
            )
        )
    rows.sort(
        key=lambda r: (
            r["departement_code"],
            r["year"] or 0,
            r["fact_type"],
            r["measure_id"],
            r["indicator_id"],
            r["action"],
            r["role"],
            r["value_kind"],
        )
    )
    return rows


WideCells = dict[tuple[str, int], dict[str, Decimal]]


def add_wide_cells(cells: WideCells, rows: list[dict]) -> None:
    """Fold long rows into département × year cells: one per indicator value kind and per measure budget amount."""
    for r in rows:
        if r["fact_type"] == "indicator":
            column = f"{r['indicator_id']}:{r['value_kind']}"
            cells[(r["departement_code"], r["year"])][column] = r["value"]
        elif r["measure_id"] and r["role"]:
            column = f"budget:{r['measure_id']}:{r['value_kind']}:{r['role']}"
            bucket = cells[(r["departement_code"], r["year"])]
            bucket[column] = bucket.get(column, Decimal(0)) + Decimal(r["value"])


def wide_frame(cells: WideCells) -> pd.DataFrame:
    """One row per département × year; one column per indicator value kind and per measure budget amount."""
    records = [{"departement_code": d, "year": y, **vals} for (d, y), vals in sorted(cells.items())]
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return pd.DataFrame(columns=["departement_code", "year"])
    fixed = ["departement_code", "year"]
    return frame[fixed + sorted(c for c in frame.columns if c not in fixed)]


def coverage_frame(con: Database, present: dict[str, set[str]]) -> pd.DataFrame:
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
    out = []
    for code, (name, region) in sorted(_departements().items()):
        have = present.get(code, set())
        out.append(
            dict(
                departement_code=code,
                departement_name=name,
                region=region,
                has_data=bool(docs.get(code)),
                doc_types=" ".join(sorted(docs.get(code, ()))),
                periods=" ".join(sorted(years.get(code, ()))),
                indicators_present=len(have & all_indicators),
                indicators_missing=" ".join(sorted(all_indicators - have)) if docs.get(code) else "",
            )
        )
    return pd.DataFrame.from_records(out)


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object})


def _write(frame: pd.DataFrame, out: Path, name: str) -> list[Path]:
    csv_path, pq_path = out / f"{name}.csv", out / f"{name}.parquet"
    frame.to_csv(csv_path, index=False)
    _strings(frame).to_parquet(pq_path, index=False)
    return [csv_path, pq_path]


def _decimal_text(v: object) -> str:
    return format(Decimal(str(v)).normalize(), "f") if v is not None else ""


def _write_long(con: Database, out: Path, cells: WideCells, present: dict[str, set[str]]) -> list[Path]:
    """dataset_long written one département at a time (CSV appended, Parquet row groups), folding the wide
    cells and the indicators present as it goes, so no step holds the whole archive's facts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv_path, pq_path = out / "dataset_long.csv", out / "dataset_long.parquet"
    types = {"year": pa.int64(), "n_sources": pa.int64(), "has_conflict": pa.bool_()}
    schema = pa.schema([(c, types.get(c, pa.large_string())) for c in LONG_COLUMNS])
    with open(csv_path, "w", newline="", encoding="utf-8") as fh, pq.ParquetWriter(pq_path, schema) as parquet:
        pd.DataFrame(columns=list(LONG_COLUMNS)).to_csv(fh, index=False)
        for dept in dataset_departements(con):
            rows = long_rows(con, dept)
            add_wide_cells(cells, rows)
            present[dept].update(r["indicator_id"] for r in rows if r["fact_type"] == "indicator")
            frame = pd.DataFrame.from_records(rows, columns=list(LONG_COLUMNS))
            frame["value"] = frame["value"].map(_decimal_text)
            frame.to_csv(fh, index=False, header=False)
            parquet.write_table(pa.Table.from_pandas(_strings(frame), schema=schema, preserve_index=False))
    return [csv_path, pq_path]


def export_dataset(con: Database, out: Path) -> list[Path]:
    """Write dataset_long, dataset_wide and coverage as CSV and Parquet into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    cells: WideCells = defaultdict(dict)
    present: dict[str, set[str]] = defaultdict(set)
    written = _write_long(con, out, cells, present)
    wide = wide_frame(cells)
    for col in wide.columns[2:]:
        wide[col] = wide[col].map(lambda v: _decimal_text(v) if isinstance(v, Decimal) else "")
    written += _write(wide, out, "dataset_wide")
    written += _write(coverage_frame(con, present), out, "coverage")
    return written
