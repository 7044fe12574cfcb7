"""Audit of declared vs computed figures → findings."""

from calpae.models import Extraction, Finding


def audit_extraction(ext: Extraction) -> list[Finding]:
    return []
