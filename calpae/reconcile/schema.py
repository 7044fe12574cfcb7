"""The dataset's codebook: a Frictionless data package (Table Schema) describing every column of every file: its
type, its unit, what it means, and the names of the codes it holds (départements, measures, indicators)."""

from __future__ import annotations

from typing import Any

from calpae.models import LEVELS, PARTS, STAGES
from calpae.referential import load_referential

PACKAGE_NAME = "calpae-national-dataset"
CODE_PATTERN = r"^(\d{2}|2[AB]|\d{3})$"  # INSEE département codes: 01…95, 2A, 2B, 971…976
VALUE_KINDS = ("baseline", "actual", "target")
STAGE_WORDS = {
    "planned": "planned (prévu, conventionné)",
    "allocated": "allocated (versé, affecté)",
    "executed": "executed (réalisé)",
    "carried_in": "carried in from the year before",
    "to_carry_over": "to carry over to the next year (à reporter, à reprogrammer)",
    "unspent": "unspent (non consommé)",
    "valorisation": "valorisation of existing spending",
}
PART_WORDS = {"etat": "État part", "departement": "Département part", "other": "other funders' part", "total": "total"}


def _categories(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"value": value, "label": label} for value, label in pairs]


def _code_field(name: str = "departement_code") -> dict[str, Any]:
    ref = load_referential()
    return {
        "name": name,
        "type": "string",
        "description": "INSEE code of the département, always text of 2 or 3 characters (06, 2A, 971)",
        "constraints": {"required": True, "pattern": CODE_PATTERN},
        "categories": _categories([(d.code, d.name) for d in sorted(ref.departements.values(), key=lambda d: d.code)]),
    }


def _string(name: str, description: str, enum: tuple[str, ...] | None = None) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": "string", "description": description}
    if enum:
        field["constraints"] = {"enum": list(enum)}
    return field


def long_fields() -> list[dict[str, Any]]:
    ref = load_referential()
    return [
        _code_field(),
        _string("departement_name", "Name of the département"),
        _string("region", "Region of the département"),
        _string(
            "fact_type", "budget (an amount) or indicator (a value of a national indicator)", ("budget", "indicator")
        ),
        {
            **_string("measure_id", "National measure (referential id)"),
            "categories": _categories([(m.id, m.name) for m in ref.measures.values()]),
        },
        _string("measure_name", "Name of the measure in the national referential"),
        {
            **_string("indicator_id", "National indicator (referential id)"),
            "categories": _categories([(i.id, i.name) for i in ref.indicators.values()]),
        },
        _string("indicator_name", "Name of the indicator in the national referential"),
        _string(
            "action",
            "The action the amount belongs to, as the earliest document words it (empty for a measure's "
            "or the documents' own totals)",
        ),
        _string(
            "level",
            "Where a budget amount sits: grand_total (all measures), group (the sub-total of a group of measures), "
            "measure, action, detail (a line of an action); never add two levels",
            LEVELS,
        ),
        {"name": "year", "type": "integer", "description": "Year the value is about"},
        _string("stage", "What the amount is: " + "; ".join(STAGE_WORDS.values()), STAGES),
        _string("part", "Whose money: " + ", ".join(f"{k} ({v})" for k, v in PART_WORDS.items()), PARTS),
        _string("value_kind", "For indicators: baseline (2018 situation), actual (result), target", VALUE_KINDS),
        {
            "name": "value",
            "type": "number",
            "description": "The value the dataset keeps (a decimal, dot as decimal mark); its unit is in `unit`",
        },
        _string("unit", "EUR for budgets; count, percent, days… for indicators"),
        {"name": "n_sources", "type": "integer", "description": "Number of documents stating this fact"},
        {"name": "has_conflict", "type": "boolean", "description": "Sources state different values for this fact"},
        _string("source_documents", "Files stating this fact, separated by ' | '"),
    ]


def wide_field(column: str) -> dict[str, Any]:
    """A wide value column described from its name: budget:<measure>:<stage>:<part> or <indicator>:<value kind>."""
    ref = load_referential()
    parts = column.split(":")
    if parts[0] == "budget" and len(parts) == 4:
        measure = ref.measures.get(parts[1])
        name = measure.name if measure else parts[1]
        what = f"{STAGE_WORDS.get(parts[2], parts[2])}, {PART_WORDS.get(parts[3], parts[3])}"
        return {
            "name": column,
            "type": "number",
            "description": f"{name}: {what}; the sum of one level (the measure's own figure, else its actions)",
            "unit": "EUR",
        }
    indicator = ref.indicators.get(parts[0])
    return {
        "name": column,
        "type": "number",
        "description": f"{indicator.name if indicator else parts[0]}: {parts[-1]}",
        "unit": indicator.unit if indicator else "",
    }


def coverage_fields() -> list[dict[str, Any]]:
    return [
        _code_field(),
        _string("departement_name", "Name of the département"),
        _string("region", "Region of the département"),
        {"name": "has_data", "type": "boolean", "description": "At least one document of this département was read"},
        _string("doc_types", "Types of the documents read, space-separated"),
        _string("periods", "Years or periods of the documents read, space-separated"),
        {"name": "indicators_present", "type": "integer", "description": "National indicators with a value"},
        _string("indicators_missing", "National indicators without any value, space-separated"),
    ]


def package(wide: list[str], files: dict[str, str]) -> dict[str, Any]:
    """The datapackage.json descriptor of the dataset's CSV files (`files`: resource name → file name)."""
    schemas = {
        "dataset_long": long_fields(),
        "dataset_wide": [_code_field(), {"name": "year", "type": "integer", "description": "Year"}]
        + [wide_field(c) for c in wide],
        "coverage": coverage_fields(),
    }
    descriptions = {
        "dataset_long": "One row per fact (département × measure or indicator × action × year × stage × part)",
        "dataset_wide": "One row per département × year; one column per measure × stage × part and per indicator",
        "coverage": "Every département: whether documents were read, which types and years, indicators missing",
    }
    resources = []
    for name, path in files.items():
        resources.append(
            {
                "name": name,
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": descriptions[name],
                "schema": {"fields": schemas[name], "missingValues": [""]},
            }
        )
    ref = load_referential()
    return {
        "name": PACKAGE_NAME,
        "title": "National comparison dataset of the CALPAE conventions (poverty strategy)",
        "description": f"Built by calpae from the départements' documents; referential version {ref.version}.",
        "resources": resources,
    }
