"""What reconciliation reports: one fact with two values in two documents, an indicator series that crosses a change
of definition, and a total a document gives that its own parts do not add up to."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from calpae.referential import load_referential

FORECAST_DOC_TYPES = {"convention", "avenant", "tableau_financier", "deliberation"}
TOLERANCE = Decimal("1.01")  # euros: rounding of cents across parts
VALUE_PARTS = ("etat", "departement", "other")
# A total of a stage is the sum of parts of that stage plus parts of these other stages (planned credits plus those
# carried in; what was available is also what was spent plus what is left to carry).
FORMULAS: dict[str, tuple[tuple[str, ...], ...]] = {
    "planned": (("planned", "carried_in"),),
    "allocated": (("allocated", "carried_in"), ("executed", "to_carry_over", "unspent")),
}

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
    "stage",
    "part",
    "level",
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


def conflicts(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Same fact, different values, in two documents: one row per later document that disagrees with the first."""
    by_fact: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in series:
        if row["value"] is not None and row["fact_key"] is not None:
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
                    kind=first["stage"] or first["value_kind"],
                    stage=first["stage"],
                    part=first["part"],
                    level=first["level"],
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


def definition_warnings(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An indicator series that spans a year where the referential records a definition change."""
    ref = load_referential()
    years_by: dict[tuple[str, str], dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in series:
        if row["fact_type"] == "indicator":
            years_by[(row["departement_code"], row["indicator_id"])].setdefault(row["year"], row)
    out = []
    for (_, ind_id), years in years_by.items():
        indicator = ref.indicators.get(ind_id)
        for change in indicator.definition_changes if indicator else ():
            before = [y for y in years if y < change.year]
            after = [y for y in years if y >= change.year]
            if before and after:
                out.append(
                    dict(
                        row=years[min(after)],
                        message=(
                            f"{ind_id}: definition changed in {change.year} ({change.description}); values of "
                            f"{', '.join(map(str, sorted(before)))} and {', '.join(map(str, sorted(after)))} "
                            "are not comparable"
                        ),
                    )
                )
    return out


def _sums(parts: dict[tuple[str, str], Decimal], stage: str) -> list[tuple[Decimal, int]]:
    """(sum, number of parts) of each formula of a stage whose own stage has a part in the document."""
    out = []
    for stages in FORMULAS.get(stage, ((stage,),)):
        if not any((stages[0], p) in parts for p in (*VALUE_PARTS, "total")):
            continue
        total, n = Decimal(0), 0
        for st in stages:
            named = [parts[(st, p)] for p in VALUE_PARTS if (st, p) in parts]
            if not named and st != stage and (st, "total") in parts:
                named = [parts[(st, "total")]]
            total += sum(named, Decimal(0))
            n += len(named)
        out.append((total, n))
    return out


def part_sum_findings(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A document that gives a total and its parts (État, Département, other funders, credits carried…) for one
    measure or action and year, whose parts do not add up to that total: the total is kept, the gap reported
    (unless the audit already reported a figure of them as contradicted by its own table)."""
    groups: dict[tuple, dict[tuple[str, str], list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in series:
        if r["fact_type"] == "budget" and r["measure_id"]:
            key = (r["document_id"], r["measure_id"], r["level"], r["canonical_action"], r["year"])
            groups[key][(r["stage"], r["part"])].append(r)
    out = []
    for key, cells in groups.items():
        for (stage, part), totals in cells.items():
            if part != "total":
                continue
            if any(o["flagged"] for occurrences in cells.values() for o in occurrences):
                continue  # the audit already reports the figure its own table contradicts
            for pick in (0, -1):
                parts = {k: Decimal(v[pick]["value"]) for k, v in cells.items() if k != (stage, "total")}
                sums = [(s, n) for s, n in _sums(parts, stage) if n >= 2]
                declared = Decimal(totals[pick]["value"])
                if not sums or any(abs(declared - s) <= TOLERANCE for s, _ in sums):
                    break
            else:
                computed = sums[0][0]
                r = totals[0]
                out.append(
                    dict(
                        row=r,
                        declared=declared,
                        computed=computed,
                        message=f"{key[1]} {key[3] or ''} {key[4]} {stage}: total {declared} but its parts in this "
                        f"document add up to {computed}",
                    )
                )
    return out


def finding_row(
    row: dict[str, Any], check: str, message: str, declared: Decimal | None = None, computed: Decimal | None = None
) -> dict[str, Any]:
    """A findings-table row placed on a series row."""
    return dict(
        document_id=row["document_id"],
        source=row["source"],
        page=row["page"],
        line=row["line"],
        section=None,
        check=check,
        severity="warning",
        declared=declared,
        computed=computed,
        difference=None if declared is None or computed is None else declared - computed,
        message=message,
    )


def conflict_finding(c: dict[str, Any]) -> dict[str, Any]:
    where = f"{' p.' + str(c['page_a']) if c['page_a'] else ''}{' l.' + str(c['line_a']) if c['line_a'] else ''}"
    row = dict(document_id=c["document_b"], source=c["source_b"], page=c["page_b"], line=c["line_b"])
    message = (
        f"{c['fact_type']} {c['action_label'] or c['indicator_id'] or c['measure_id']} {c['year']} ({c['kind']}): "
        f"{c['value_b']} here, {c['value_a']} in {c['source_a']}{where}"
    )
    return finding_row(row, c["check_name"], message, c["value_b"], c["value_a"])
