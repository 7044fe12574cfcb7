"""Audit of declared vs computed figures → findings."""

from __future__ import annotations

from calpae.models import Extraction, Finding


def audit_extraction(ext: Extraction) -> list[Finding]:
    """Every audit check on one document's budget lines and prose amounts; counts its figures on ext.figures."""
    from calpae.audit.checks import ambiguity_findings, carry_over_findings, malformed_findings, total_findings
    from calpae.audit.cross import copy_findings, prose_findings, summary_findings
    from calpae.audit.grids import line_tables
    from calpae.audit.guessed import guessed_findings, indicator_guessed_findings
    from calpae.audit.ocr import indicator_repaired_findings, ocr_suspects, repaired_findings
    from calpae.audit.prose_checks import prose_check_findings
    from calpae.audit.unread import unread_findings
    from calpae.classify.national import is_national, national_finding
    from calpae.indicators.prose import analyse_prose

    if is_national(ext.document):
        return [national_finding(ext.document)]

    tables = line_tables(ext.budget_lines, {t.id: t.title for t in ext.document.tables})
    titles = {s.number: s.title for s in ext.document.sections}
    findings: list[Finding] = []
    pages = {p.number: p for p in ext.document.pages}
    for lt in tables:
        findings.extend(ocr_suspects(lt, total_findings(lt) + carry_over_findings(lt), pages))
    findings.extend(copy_findings(tables))
    findings.extend(summary_findings(tables, titles))
    findings.extend(prose_findings(tables, ext.amounts))
    findings.extend(malformed_findings(ext.budget_lines, ext.amounts))
    findings.extend(ambiguity_findings(ext.budget_lines))
    findings.extend(repaired_findings(ext.budget_lines))
    findings.extend(indicator_repaired_findings(ext.indicator_values))
    findings.extend(prose_check_findings(ext.document, analyse_prose(ext.document)))
    ext.figures, unread = unread_findings(ext)
    findings.extend(unread)
    findings.extend(guessed_findings(ext))
    findings.extend(indicator_guessed_findings(ext))
    return findings
