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

    lines, amounts = extract_budget(ext.document)
    ext.budget_lines.extend(lines)
    ext.amounts.extend(amounts)


def _indicators(ext: Extraction) -> None:
    from calpae.indicators import extract_indicators

    ext.indicator_values.extend(extract_indicators(ext.document))


def _prose_money(ext: Extraction) -> None:
    """Money stated in sentences: every amount with its sentence, and a budget line where part and stage are named."""
    from calpae.indicators.prose import analyse_prose

    analysis = analyse_prose(ext.document)
    ext.amounts.extend(analysis.amounts)
    ext.budget_lines.extend(analysis.budget_lines)


def _audit(ext: Extraction) -> None:
    from calpae.audit import audit_extraction

    ext.findings.extend(audit_extraction(ext))


PER_DOCUMENT: list[tuple[str, Stage]] = [
    ("classify", _classify),
    ("budget", _budget),
    ("indicators", _indicators),
    ("prose", _prose_money),
    ("audit", _audit),
]
