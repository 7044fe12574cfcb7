"""The ordered per-document stages after reading. Each takes the Extraction and fills part of it."""

from __future__ import annotations

from collections.abc import Callable

from calpae.models import Extraction

Stage = Callable[[Extraction], None]


def _classify(ext: Extraction) -> None:
    from calpae.classify import classify_document

    classify_document(ext.document)


def _budget(ext: Extraction) -> None:
    from calpae.budget import extract_budget

    lines, amounts = extract_budget(ext.document, prose_facts=True)
    ext.budget_lines.extend(lines)
    ext.amounts.extend(amounts)


def _indicators(ext: Extraction) -> None:
    from calpae.indicators import extract_indicators

    ext.indicator_values.extend(extract_indicators(ext.document))


def _audit(ext: Extraction) -> None:
    from calpae.audit import audit_extraction

    ext.findings.extend(audit_extraction(ext))


PER_DOCUMENT: list[tuple[str, Stage]] = [
    ("classify", _classify),
    ("budget", _budget),
    ("indicators", _indicators),
    ("audit", _audit),
]
