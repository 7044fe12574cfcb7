"""Arithmetic the prose states, checked against its own terms; each disagreement is a finding naming both places.

- difference: 'A … contre B …, soit une augmentation de C (+P %)': C = |A − B| and P = C / base;
- sum: 'Sur 24 signatures : 17 …, 4 …, 2 … et 1 …', '1.125 chèques (961 … et 164 …)': the parts add up;
- percentage: '12 jeunes sur 150, soit 8 %': P = numerator / denominator;
- same count twice: the same rarely counted thing ('psychologues') stated with two values in one document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from calpae.indicators.prose_figures import ProseAnalysis, ProseFigure
from calpae.models import Document, Finding

RARE_TERM_FACTS = 2  # a term counted in exactly this many facts may be one thing counted twice
UNDATED = ("document",)  # a count no sentence or heading dates states a standing number (staff, structures)
RARE_TERM_SENTENCES = 12  # … if the document names it in no more sentences than this (a specific thing)
_SUBSET = re.compile(
    r"\b(?:nouve(?:au|aux|lle|lles)|autres?|supplémentaires?|premi(?:er|ère)s?|derni(?:er|ère)s?|dont)\b", re.I
)
_STOP = {"nombre", "total", "personnes", "dont", "avec", "pour", "dans", "sans", "plus", "moins", "entre", "leur"}
_INCREASE = re.compile(r"\b(?:augmentation|hausse|progression|croissance|augmenté|progressé)\b|\+", re.I)
_DECREASE = re.compile(r"\b(?:baisse|diminution|recul|réduction|diminué|baissé|reculé)\b", re.I)
_STATED_CHANGE = re.compile(
    r"(?:\bsoit\s+(?:une?\s+)?(?:augmentation|hausse|baisse|diminution|progression|évolution|recul)\s+de|\(\s*[+-])\s*$",
    re.I,
)
_COMPARED = re.compile(r"\bcontre\b|\bà\b|\bau\s+lieu\s+de\b|\bpar\s+rapport\b|\bet\b", re.I)
_SUM_OPEN = re.compile(r"^\s*(?:[a-zA-Zéèêàâîôûç'’\s-]{0,60})?(?::|\()\s*$")
_SUR_TOTAL = re.compile(r"(?:^|\b)sur\s+(?:les\s+)?$", re.I)


def _places(a: ProseFigure, b: ProseFigure) -> str:
    def where(f: ProseFigure) -> str:
        line = f.line
        return f"line {line.line_no}" if line.line_no else f"page {line.page}"

    return f"{where(a)} ({a.figure.raw!r}) and {where(b)} ({b.figure.raw!r})"


def _finding(doc: Document, f: ProseFigure, check: str, declared, computed, message: str) -> Finding:
    line = f.line
    diff = (declared - computed) if declared is not None and computed is not None else None
    return Finding(
        provenance=doc.provenance(page=line.page, line=line.line_no, bbox=line.bbox, raw=f.sentence.text[:400]),
        departement_code=doc.departement_code,
        section=f.section,
        check=check,
        severity="warning",
        declared=declared,
        computed=computed,
        difference=diff,
        message=message,
    )


def _tolerance(f: ProseFigure) -> Decimal:
    """Half a unit of the last digit written (25 % → 0.5; 6,6 % → 0.05); wider for an approximation."""
    text = f.figure.raw.replace(" ", "")
    m = re.search(r"[,.](\d+)\s*%?$", text)
    decimals = len(m.group(1)) if m else 0
    tol = Decimal(5) / (Decimal(10) ** (decimals + 1))
    return tol * 2 if f.figure.note else tol


def _by_sentence(analysis: ProseAnalysis) -> dict[int, list[ProseFigure]]:
    groups: dict[int, list[ProseFigure]] = defaultdict(list)
    for f in analysis.figures:
        groups[id(f.sentence)].append(f)
    return groups


def difference_findings(doc: Document, analysis: ProseAnalysis) -> list[Finding]:
    """A stated increase or decrease against the two values it is between."""
    out = []
    for figs in _by_sentence(analysis).values():
        text = figs[0].sentence.text
        for k, c in enumerate(figs):
            if c.kind != "change":
                continue
            terms = [f for f in figs[:k] if f.kind != "change" and f.figure.unit == c.figure.unit]
            if c.figure.unit == "percent":
                terms = [f for f in figs[:k] if f.kind != "change" and f.figure.unit not in ("percent",)]
                grounds = [f for f in figs[:k] if f.kind == "change" and f.figure.unit != "percent"]
                if grounds and len(terms) >= 2:
                    terms = terms[-2:]
                    out += _percent_change(doc, c, terms)
                continue
            if len(terms) < 2 or not _STATED_CHANGE.search(text[max(0, c.figure.start - 40) : c.figure.start]):
                continue
            a, b = terms[-2:]
            if not _COMPARED.search(text[a.figure.end : b.figure.start]):
                continue
            computed = abs(a.figure.value - b.figure.value)
            if abs(computed - c.figure.value) > _tolerance(c) * _scale(c):
                out.append(
                    _finding(
                        doc,
                        c,
                        "prose_difference",
                        c.figure.value,
                        computed,
                        f"the text states a change of {c.figure.raw} between {a.figure.raw} and {b.figure.raw}, "
                        f"which differ by {computed}; {_places(a, b)}",
                    )
                )
    return out


def _scale(f: ProseFigure) -> Decimal:
    """The unit a written amount is rounded to ('12 M€' → 1 000 000)."""
    raw = f.figure.raw.lower()
    if "md" in raw or "milliard" in raw:
        return Decimal(1_000_000_000)
    if "m€" in raw or "million" in raw:
        return Decimal(1_000_000)
    if "k€" in raw:
        return Decimal(1000)
    return Decimal(1)


def _percent_change(doc: Document, c: ProseFigure, terms: list[ProseFigure]) -> list[Finding]:
    a, b = terms
    text = c.sentence.text
    low, high = sorted((a.figure.value, b.figure.value))
    base = high if _DECREASE.search(text) and not _INCREASE.search(text[: c.figure.start]) else low
    if base == 0:
        return []
    computed = (high - low) * 100 / base
    if abs(computed - c.figure.value) <= _tolerance(c):
        return []
    return [
        _finding(
            doc,
            c,
            "prose_difference",
            c.figure.value,
            computed.quantize(Decimal("0.1")),
            f"the text states a change of {c.figure.raw} from {a.figure.raw} to {b.figure.raw}, which is "
            f"{computed:.1f} %; {_places(a, b)}",
        )
    ]


def sum_findings(doc: Document, analysis: ProseAnalysis) -> list[Finding]:
    """'Sur 24 signatures : 17 …, 4 …, 2 … et 1 …': the parts of a stated total add up to it."""
    out = []
    for figs in _by_sentence(analysis).values():
        text = figs[0].sentence.text
        for k, total in enumerate(figs):
            if total.figure.unit != "count" or total.kind == "change":
                continue
            parts = [f for f in figs[k + 1 :] if f.figure.unit == "count" and f.kind != "change"]
            if len(parts) < 2:
                continue
            between = text[total.figure.end : parts[0].figure.start]
            opened = _SUM_OPEN.match(between) or _SUR_TOTAL.search(
                text[max(0, total.figure.start - 12) : total.figure.start]
            )
            last_join = text[parts[-2].figure.end : parts[-1].figure.start]
            if not opened or not re.search(r"\bet\b", last_join) or re.search(r"\bdont\b|\bsoit\b", between):
                continue
            computed = sum(p.figure.value for p in parts)
            if computed != total.figure.value:
                out.append(
                    _finding(
                        doc,
                        total,
                        "prose_sum",
                        total.figure.value,
                        computed,
                        f"{total.figure.raw} is stated as a total but its {len(parts)} parts "
                        f"({', '.join(p.figure.raw for p in parts)}) add up to {computed}; "
                        f"{_places(parts[0], parts[-1])}",
                    )
                )
            break
    return out


def percent_findings(doc: Document, analysis: ProseAnalysis) -> list[Finding]:
    """'12 jeunes sur 150, soit 8 %': a percentage against the numerator and denominator written with it."""
    out = []
    for figs in _by_sentence(analysis).values():
        text = figs[0].sentence.text
        for k, p in enumerate(figs):
            if p.figure.unit != "percent" or p.kind == "change" or k < 2:
                continue
            if not re.search(
                r"\bsoit\s*(?:environ\s+|près\s+de\s+)?$", text[max(0, p.figure.start - 20) : p.figure.start]
            ):
                continue
            num, den = figs[k - 2], figs[k - 1]
            if num.figure.unit != "count" or den.figure.unit != "count" or den.figure.value == 0:
                continue
            if not re.search(
                r"\bsur\s+(?:les\s+|un\s+total\s+de\s+)?$", text[max(0, den.figure.start - 25) : den.figure.start]
            ):
                continue
            computed = num.figure.value * 100 / den.figure.value
            if abs(computed - p.figure.value) > _tolerance(p):
                out.append(
                    _finding(
                        doc,
                        p,
                        "prose_percent",
                        p.figure.value,
                        computed.quantize(Decimal("0.1")),
                        f"{p.figure.raw} is stated for {num.figure.raw} out of {den.figure.raw}, which is "
                        f"{computed:.1f} %; {_places(num, den)}",
                    )
                )
    return out


def _subset(f: ProseFigure) -> bool:
    """A count of new, other, additional or first ones: a part of something else, not the same thing again."""
    words = f.sentence.text[f.figure.end : f.figure.end + 60].split()[:3]
    before = f.sentence.text[max(0, f.figure.start - 12) : f.figure.start]
    return bool(_SUBSET.search(" ".join(words)) or re.search(r"\bdont\s*$", before))


def twice_findings(doc: Document, analysis: ProseAnalysis) -> list[Finding]:
    """The same thing counted twice with two values: two undated counts of the document (standing numbers, not
    a year's activity) sharing a term no other count uses and the text rarely names (a profession, a kind of
    place), same scope, neither a change, a target nor a part of something, in different sentences."""
    counts = [
        f
        for f in analysis.figures
        if f.figure.unit == "count" and f.kind == "actual" and f.year_source in UNDATED and not f.figure.note
    ]
    by_term: dict[str, list[ProseFigure]] = defaultdict(list)
    for f in counts:
        for term in f.terms:
            if term not in _STOP:
                by_term[term].append(f)
    text = " ".join(ln.text.lower() for ln in doc.lines())
    out, seen = [], set()
    for term, facts in sorted(by_term.items()):
        if len(facts) != RARE_TERM_FACTS:
            continue
        a, b = facts
        if a.sentence is b.sentence or a.scope != b.scope or a.figure.value == b.figure.value:
            continue
        if _subset(a) or _subset(b) or text.count(term) > RARE_TERM_SENTENCES:
            continue
        key = (id(a), id(b))
        if key in seen:
            continue
        seen.add(key)
        out.append(
            _finding(
                doc,
                b,
                "prose_count_twice",
                b.figure.value,
                a.figure.value,
                f"'{term}' is counted twice with two values: {a.figure.raw} ({a.label}) and {b.figure.raw} "
                f"({b.label}); {_places(a, b)}",
            )
        )
    return out


def malformed_prose_findings(doc: Document, analysis: ProseAnalysis) -> list[Finding]:
    """An amount of the prose whose spacing or separators are broken ('904. 724, 25 euros'): read, and said so."""
    out = []
    for sent, fig in analysis.malformed:
        line = sent.line_at(fig.start)
        out.append(
            Finding(
                provenance=doc.provenance(page=line.page, line=line.line_no, bbox=line.bbox, raw=fig.raw),
                departement_code=doc.departement_code,
                check="malformed_number",
                severity="warning",
                computed=fig.value,
                message=f"'{fig.raw}' is malformed (broken spacing or separators); read as {fig.value}",
            )
        )
    return out


def prose_check_findings(doc: Document, analysis: ProseAnalysis) -> list[Finding]:
    """Every prose check of one document."""
    return (
        malformed_prose_findings(doc, analysis)
        + difference_findings(doc, analysis)
        + sum_findings(doc, analysis)
        + percent_findings(doc, analysis)
        + twice_findings(doc, analysis)
    )
