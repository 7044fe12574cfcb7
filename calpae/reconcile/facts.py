"""Identity of facts across documents: normalised action labels, linked by fuzzy matching.

A budget fact is (département, measure_id, action, year, role, kind); an indicator fact is
(département, indicator_id, year, value_kind). Action labels that differ between documents
("Diagnosics partagés" / "Diagnostics partagés", reordered words) are linked with rapidfuzz within
the same département and measure; each link keeps both labels and its score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from calpae.referential.normalize import fold

LINK_THRESHOLD = 85.0
_EXECUTED = re.compile(r"r[ée]alis|ex[ée]cut|consomm|d[ée]pens", re.I)
_FORECAST = re.compile(r"pr[ée]vision|pr[ée]vu|budg[ée]t[ée]|programm|convention|avenant|attribu|notifi", re.I)


def normalise_label(label: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: the comparable form of a label."""
    return fold(label or "")


def budget_kind(table_kind: str | None, column_label: str | None) -> str:
    """'executed' for spent amounts, 'forecast' for planned ones: the column header decides, else the table kind."""
    for text in (column_label or "", table_kind or ""):
        if _EXECUTED.search(text) and not _FORECAST.search(text):
            return "executed"
        if _FORECAST.search(text) and not _EXECUTED.search(text):
            return "forecast"
    return "forecast"


@dataclass(frozen=True)
class LabelLink:
    departement_code: str
    measure_id: str
    label: str
    canonical: str
    score: float


def link_labels(labels: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], LabelLink]:
    """Map each (département, measure, label) to a canonical label shared by its near-duplicates.

    Labels are taken in the order given (so the first document's wording becomes canonical); a label
    joins the best-scoring existing group of its département and measure at or above LINK_THRESHOLD.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    links: dict[tuple[str, str, str], LabelLink] = {}
    for dept, measure, label in labels:
        key = (dept, measure, label)
        if key in links:
            continue
        norm = normalise_label(label)
        canon_list = groups.setdefault((dept, measure), [])
        best, best_score = None, 0.0
        for canon in canon_list:
            score = max(fuzz.ratio(norm, normalise_label(canon)), fuzz.token_sort_ratio(norm, normalise_label(canon)))
            if score > best_score:
                best, best_score = canon, score
        if best is not None and best_score >= LINK_THRESHOLD:
            links[key] = LabelLink(dept, measure, label, best, round(best_score, 1))
        else:
            canon_list.append(label)
            links[key] = LabelLink(dept, measure, label, label, 100.0)
    return links
