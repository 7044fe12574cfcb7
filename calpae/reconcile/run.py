"""`calpae reconcile`: series of facts across documents, conflicts between them, execution rates.

Reads the run tables of a database, writes `series`, `label_links`, `conflicts`, `execution_rates`
and adds findings (`restatement`, `forecast_mismatch`, `definition_changed`) to `findings`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from calpae.reconcile.facts import budget_kind, link_labels
from calpae.store.db import Database

RECONCILE_CHECKS = ("restatement", "forecast_mismatch", "definition_changed")
FORECAST_DOC_TYPES = {"convention", "avenant", "tableau_financier", "deliberation"}

SERIES_COLUMNS = (
    "fact_type",
    "fact_key",
    "departement_code",
    "measure_id",
    "indicator_id",
    "action_label",
    "canonical_action",
    "year",
    "kind",
    "role",
    "value_kind",
    "value",
    "unit",
    "qualifier",
    "document_id",
    "source",
    "doc_type",
    "doc_year",
    "page",
    "line",
    "raw",
)
CONFLICT_COLUMNS = (
    "check_name",
    "fact_type",
    "fact_key",
    "departement_code",
    "measure_id",
    "indicator_id",
    "action_label",
    "year",
    "kind",
    "value_a",
    "value_b",
    "difference",
    "document_a",
    "source_a",
    "page_a",
    "line_a",
    "document_b",
    "source_b",
    "page_b",
    "line_b",
)


@dataclass
class ReconcileSummary:
    series: int = 0
    conflicts: int = 0
    links: int = 0
    definition_warnings: int = 0


def _doc_year(value: object) -> int | None:
    """First year of a document's period ('2019-2021' → 2019)."""
    text = str(value or "")
    return int(text[:4]) if text[:4].isdigit() else None


def _departements(con: Database) -> list[str]:
    """Every département code the run tables hold facts for."""
    rows = con.execute(
        "SELECT DISTINCT departement_code FROM budget_lines WHERE departement_code IS NOT NULL UNION "
        "SELECT DISTINCT departement_code FROM indicator_values WHERE departement_code IS NOT NULL"
    ).fetchall()
    return sorted(r[0] for r in rows)


def _series_rows(con: Database, dept: str, docs: dict[str, tuple]) -> tuple[list[dict], dict]:
    """The series rows and label links of one département (every grouping of reconcile is within one).

    Rows come in a total order: the first wording met becomes a label's canonical form, so ties left to the
    database would make the canonical labels (and the conflicts) change from one run to the next."""
    rows: list[dict] = []
    budget = con.execute(
        "SELECT document_id, source, departement_code, page, line, measure_id, coalesce(action, row_label), "
        "column_label, year, role, amount, table_kind, raw, is_total FROM budget_lines "
        "WHERE amount IS NOT NULL AND year IS NOT NULL AND departement_code = ? "
        # a sentence's budget fact mostly restates a table's and its subject is no row label to link on: it stays
        # in budget_lines (origin 'prose', with part, stage and level) until the dataset sums one level (issue 13)
        "AND origin IS DISTINCT FROM 'prose' "
        "ORDER BY document_id, page, line, table_id, row_label, column_label, role, year, amount",
        [dept],
    ).fetchall()
    labels = []
    for r in budget:
        doc_type, doc_year = docs.get(r[0], ("other", None))
        labels.append((_doc_year(doc_year) or 0, r[2], r[5] or "", r[6]))
    links = link_labels([(d, m, lab) for _, d, m, lab in sorted(labels, key=lambda t: t[0])])
    for r in budget:
        doc_type, doc_year = docs.get(r[0], ("other", None))
        link = links[(r[2], r[5] or "", r[6])]
        kind = budget_kind(r[11], r[7])
        key = f"budget|{r[2]}|{r[5] or ''}|{link.canonical}|{r[8]}|{r[9]}|{kind}"
        rows.append(
            dict(
                fact_type="budget",
                fact_key=key,
                departement_code=r[2],
                measure_id=r[5],
                indicator_id=None,
                action_label=r[6],
                canonical_action=link.canonical,
                year=r[8],
                kind=kind,
                role=r[9],
                value_kind=None,
                value=r[10],
                unit="EUR",
                qualifier=None,
                document_id=r[0],
                source=r[1],
                doc_type=doc_type,
                doc_year=_doc_year(doc_year),
                page=r[3],
                line=r[4],
                raw=r[12],
                is_total=bool(r[13]),
            )
        )
    indicators = con.execute(
        "SELECT document_id, source, departement_code, page, line, measure_id, indicator_id, indicator_label, "
        "year, value_kind, value, unit, qualifier, raw FROM indicator_values "
        "WHERE indicator_id IS NOT NULL AND year IS NOT NULL AND departement_code = ? "
        # only facts: a prose figure about the nation, another territory or one town, or a change, is context
        "AND (origin IS DISTINCT FROM 'prose' OR (coalesce(scope, 'departement') = 'departement' "
        "AND value_kind IS DISTINCT FROM 'change')) "
        "ORDER BY document_id, page, line, indicator_id, year, value_kind, value, qualifier, raw",
        [dept],
    ).fetchall()
    for r in indicators:
        doc_type, doc_year = docs.get(r[0], ("other", None))
        key = f"indicator|{r[2]}|{r[6]}|{r[8]}|{r[9]}"
        rows.append(
            dict(
                fact_type="indicator",
                fact_key=key,
                departement_code=r[2],
                measure_id=r[5],
                indicator_id=r[6],
                action_label=r[7],
                canonical_action=None,
                year=r[8],
                kind=None,
                role=None,
                value_kind=r[9],
                value=r[10],
                unit=r[11],
                qualifier=r[12],
                document_id=r[0],
                source=r[1],
                doc_type=doc_type,
                doc_year=_doc_year(doc_year),
                page=r[3],
                line=r[4],
                raw=r[13],
            )
        )
    return rows, links


def _conflicts(series: list[dict]) -> list[dict]:
    """Same fact, different values, in two documents: one row per later document that disagrees."""
    by_fact: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in series:
        if row["value"] is None:
            continue
        by_fact[row["fact_key"]].setdefault(row["document_id"], row)  # first occurrence per document
    out = []
    for key, per_doc in by_fact.items():
        if len(per_doc) < 2:
            continue
        ordered = sorted(per_doc.values(), key=lambda r: (r["doc_year"] or 0, r["document_id"]))
        first = ordered[0]
        for other in ordered[1:]:
            if Decimal(other["value"]) == Decimal(first["value"]):
                continue
            forecast_vs_report = first["fact_type"] == "budget" and (
                (first["doc_type"] in FORECAST_DOC_TYPES) != (other["doc_type"] in FORECAST_DOC_TYPES)
            )
            out.append(
                dict(
                    check_name="forecast_mismatch" if forecast_vs_report else "restatement",
                    fact_type=first["fact_type"],
                    fact_key=key,
                    departement_code=first["departement_code"],
                    measure_id=first["measure_id"],
                    indicator_id=first["indicator_id"],
                    action_label=first["canonical_action"] or first["action_label"],
                    year=first["year"],
                    kind=first["kind"] or first["value_kind"],
                    value_a=first["value"],
                    value_b=other["value"],
                    difference=Decimal(other["value"]) - Decimal(first["value"]),
                    document_a=first["document_id"],
                    source_a=first["source"],
                    page_a=first["page"],
                    line_a=first["line"],
                    document_b=other["document_id"],
                    source_b=other["source"],
                    page_b=other["page"],
                    line_b=other["line"],
                )
            )
    return out


def _definition_warnings(series: list[dict]) -> list[dict]:
    """An indicator series that spans a year where the referential records a definition change."""
    from calpae.referential import load_referential

    ref = load_referential()
    years_by: dict[tuple[str, str], dict[int, dict]] = defaultdict(dict)
    for row in series:
        if row["fact_type"] == "indicator":
            years_by[(row["departement_code"], row["indicator_id"])].setdefault(row["year"], row)
    out = []
    for (_dept, ind_id), years in years_by.items():
        indicator = ref.indicators.get(ind_id) if hasattr(ref, "indicators") else None
        for change in getattr(indicator, "definition_changes", ()) or ():
            before = [y for y in years if y < change.year]
            after = [y for y in years if y >= change.year]
            if before and after:
                row = years[min(after)]
                out.append(
                    dict(
                        row=row,
                        message=(
                            f"{ind_id}: definition changed in {change.year} ({change.description}); values of "
                            f"{', '.join(map(str, sorted(before)))} and {', '.join(map(str, sorted(after)))} "
                            "are not comparable"
                        ),
                    )
                )
    return out


def _create_table(con: Database, name: str, columns: tuple[str, ...], types: dict[str, str]) -> None:
    con.execute(f'DROP TABLE IF EXISTS "{name}"')
    cols = ", ".join(f'"{c}" {types.get(c, "VARCHAR")}' for c in columns)
    con.execute(f'CREATE TABLE "{name}" ({cols})')


def _append(con: Database, name: str, columns: tuple[str, ...], rows: list[dict], types: dict[str, str]) -> None:
    con.insert_rows(
        name, columns, [types.get(c, "VARCHAR") for c in columns], [[r.get(c) for c in columns] for r in rows]
    )


LINK_COLUMNS = ("departement_code", "measure_id", "label", "canonical", "score")
RATE_COLUMNS = ("departement_code", "measure_id", "year", "forecast", "executed", "rate")


_TYPES = {
    "year": "INTEGER",
    "doc_year": "INTEGER",
    "page": "INTEGER",
    "line": "INTEGER",
    "page_a": "INTEGER",
    "line_a": "INTEGER",
    "page_b": "INTEGER",
    "line_b": "INTEGER",
    "value": "DECIMAL(38,6)",
    "value_a": "DECIMAL(38,6)",
    "value_b": "DECIMAL(38,6)",
    "difference": "DECIMAL(38,6)",
    "score": "DOUBLE PRECISION",
    "rate": "DECIMAL(38,6)",
    "forecast": "DECIMAL(38,6)",
    "executed": "DECIMAL(38,6)",
}


def _conflict_finding(c: dict) -> dict:
    where = f"{' p.' + str(c['page_a']) if c['page_a'] else ''}{' l.' + str(c['line_a']) if c['line_a'] else ''}"
    return dict(
        document_id=c["document_b"],
        source=c["source_b"],
        page=c["page_b"],
        line=c["line_b"],
        section=None,
        check=c["check_name"],
        severity="warning",
        declared=c["value_b"],
        computed=c["value_a"],
        difference=c["difference"],
        message=f"{c['fact_type']} {c['action_label'] or c['indicator_id']} {c['year']} ({c['kind']}): "
        f"{c['value_b']} here, {c['value_a']} in {c['source_a']}{where}",
    )


def _warning_finding(w: dict) -> dict:
    r = w["row"]
    return dict(
        document_id=r["document_id"],
        source=r["source"],
        page=r["page"],
        line=r["line"],
        section=None,
        check="definition_changed",
        severity="warning",
        declared=None,
        computed=None,
        difference=None,
        message=w["message"],
    )


def reconcile(con: Database) -> ReconcileSummary:
    """Rebuild every reconciliation table of the database in one transaction, one département at a time
    (every grouping is within a département), so memory is bounded by the largest département, not the archive."""
    from calpae.store.run import TABLE_SCHEMAS, column_types

    summary = ReconcileSummary()
    docs = {r[0]: (r[1], r[2]) for r in con.execute("SELECT document_id, doc_type, year FROM documents").fetchall()}
    finding_cols = TABLE_SCHEMAS["findings"]
    finding_types = dict(zip(finding_cols, column_types("findings"), strict=True))
    with con.transaction():
        for name, columns in (
            ("series", SERIES_COLUMNS),
            ("conflicts", CONFLICT_COLUMNS),
            ("label_links", LINK_COLUMNS),
            ("execution_rates", RATE_COLUMNS),
        ):
            _create_table(con, name, columns, _TYPES)
        placeholders = ", ".join("?" for _ in RECONCILE_CHECKS)
        con.execute(f'DELETE FROM findings WHERE "check" IN ({placeholders})', list(RECONCILE_CHECKS))
        for dept in _departements(con):
            series, links = _series_rows(con, dept, docs)
            conflicts = _conflicts(series)
            warnings = _definition_warnings(series)
            link_rows = [
                dict(
                    departement_code=link.departement_code,
                    measure_id=link.measure_id,
                    label=link.label,
                    canonical=link.canonical,
                    score=link.score,
                )
                for link in links.values()
                if link.label != link.canonical
            ]
            _append(con, "series", SERIES_COLUMNS, series, _TYPES)
            _append(con, "conflicts", CONFLICT_COLUMNS, conflicts, _TYPES)
            _append(con, "label_links", LINK_COLUMNS, link_rows, _TYPES)
            _append(con, "execution_rates", RATE_COLUMNS, _execution_rates(series), _TYPES)
            findings = [_conflict_finding(c) for c in conflicts] + [_warning_finding(w) for w in warnings]
            _append(con, "findings", finding_cols, findings, finding_types)
            summary.series += len(series)
            summary.conflicts += len(conflicts)
            summary.links += len(link_rows)
            summary.definition_warnings += len(warnings)
    return summary


def _execution_rates(series: list[dict]) -> list[dict]:
    """Executed / forecast per département, measure and year, from each fact's first source (totals excluded)."""
    seen: set[str] = set()
    sums: dict[tuple, dict[str, Decimal]] = defaultdict(lambda: {"forecast": Decimal(0), "executed": Decimal(0)})
    for row in series:
        if row["fact_type"] != "budget" or row["role"] != "total" or not row["measure_id"] or row["is_total"]:
            continue
        if row["fact_key"] in seen:
            continue
        seen.add(row["fact_key"])
        sums[(row["departement_code"], row["measure_id"], row["year"])][row["kind"]] += Decimal(row["value"])
    out = []
    for (dept, measure, year), s in sorted(sums.items()):
        rate = (s["executed"] / s["forecast"]).quantize(Decimal("0.0001")) if s["forecast"] else None
        out.append(
            dict(
                departement_code=dept,
                measure_id=measure,
                year=year,
                forecast=s["forecast"],
                executed=s["executed"],
                rate=rate,
            )
        )
    return out
