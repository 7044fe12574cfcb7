"""Prefecture stamp lines (ACTES, transmission, posting) and what they tell: dates, issuer, act nature."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from calpae.models import Actes

_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|\*{1,3}|^#+\s*|_{2,}")
_SPACES = re.compile(r"\s+")

MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    "décembre": 12,
}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})(?:er)?\s+([a-zéèûô]+)\s+(\d{4})\b", re.IGNORECASE)
_MONTH_START = re.compile(r"^\s*([a-zéèûô]+)\s+\d{4}\b", re.IGNORECASE)

# kind -> pattern on cleaned text; every stamp line is short, so long prose never matches.
STAMP_PATTERNS: dict[str, re.Pattern[str]] = {
    "sent": re.compile(r"^envoy[ée]e? (?:en|à la) pr[ée]fecture\b", re.IGNORECASE),
    "received": re.compile(r"^re[çc]ue? (?:en|à la) pr[ée]fecture\b", re.IGNORECASE),
    "displayed": re.compile(r"^affich[ée]e?s?\s+(?:le\b|(?:à|au|en|sur)\b.{0,60}\ble\b)", re.IGNORECASE),
    # the colon may be lost by OCR ('ID 039-223900009-…'): the département, SIREN and date fields are the evidence
    # OCR may lose or bend the 'ID' itself (': 090-…', '1D : 090-…'): then the date field is evidence too
    "id": re.compile(
        r"^(?:ID\s*:?\s*(?:\d{3}|0?2[AB])\s*-\s*\d{9}\s*-|(?:[1lI|]D\s*)?:?\s*(?:\d{3}|0?2[AB])-\d{9}-\d{8}\b)"
    ),
    "transmission": re.compile(r"^transmission (?:à|a) la pr[ée]fecture\b", re.IGNORECASE),
    "transmitted": re.compile(r"^(?:transmise?|t[ée]l[ée]transmise?) le\b", re.IGNORECASE),
    "receipt": re.compile(r"^accus[ée] de r[ée]ception\b.{0,40}pr[ée]fecture", re.IGNORECASE),
    "teletransmission": re.compile(
        r"^date de (?:t[ée]l[ée]transmission|r[ée]ception (?:en )?pr[ée]fecture)\b", re.IGNORECASE
    ),
}
MAX_STAMP_CHARS = 90

_ACTES_ID = re.compile(
    r"ID\s*:?\s*(?P<dept>\d{3}|0?2[AB])\s*-\s*(?P<siren>\d{9})\s*-\s*(?P<date>\d{8})\s*-\s*(?P<rest>[A-Za-z0-9_.-]+)"
)
_PREFECTURE_NAME = re.compile(
    r"pr[ée]fecture\s+(?:de la |de l['’]|du |des |de |d['’])(?P<name>[^,;.()]+)", re.IGNORECASE
)


def clean(text: str) -> str:
    """Text without markdown/HTML decoration and with whitespace collapsed."""
    return _SPACES.sub(" ", _MARKUP.sub(" ", text)).strip()


def stamp_kind(text: str) -> str | None:
    """Which stamp field this line is ('sent', 'id', 'transmitted'…), or None for ordinary text."""
    t = clean(text)
    if not t or len(t) > MAX_STAMP_CHARS:
        return None
    for kind, pattern in STAMP_PATTERNS.items():
        if pattern.match(t):
            return kind
    return None


def is_date_continuation(text: str) -> bool:
    """A line that finishes a date split after its day ('Septembre 2020')."""
    m = _MONTH_START.match(clean(text))
    return m is not None and m.group(1).lower() in MONTHS


def is_prefecture_continuation(text: str) -> bool:
    """A line that finishes 'Transmis le … à la' with the préfecture's name."""
    t = clean(text)
    return len(t) <= MAX_STAMP_CHARS and re.match(r"^(?:sous-)?pr[ée]fecture\b", t, re.IGNORECASE) is not None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_french_date(text: str) -> str | None:
    """ISO date of the first '15/04/2020' or '30 Septembre 2020' in the text, else None."""
    t = clean(text)
    m = _NUMERIC_DATE.search(t)
    if m:
        return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    for m in _WORD_DATE.finditer(t):
        month = MONTHS.get(m.group(2).lower())
        if month:
            return _iso(int(m.group(3)), month, int(m.group(1)))
    return None


def departement_from_actes(code: str) -> str:
    """ACTES 3-character département field to the usual code: 011→11, 001→01, 02A→2A, 971→971."""
    code = code.upper()
    if len(code) == 3 and code[0] == "0":
        return code[1:]
    return code


def parse_actes_id(text: str) -> Actes | None:
    """The fields of an 'ID : 011-221100019-20200414-REF-DE' stamp line, or None if it is not one."""
    t = clean(text)
    m = _ACTES_ID.search(t)
    if not m:
        return None
    rest = m.group("rest").rstrip(".-")
    reference, nature = rest, None
    tail = re.match(r"^(?P<ref>.+)-(?P<nature>[A-Z]{2})$", rest)
    if tail:
        reference, nature = tail.group("ref"), tail.group("nature")
    d = m.group("date")
    return Actes(
        raw=t,
        departement_code=departement_from_actes(m.group("dept")),
        siren=m.group("siren"),
        date=_iso(int(d[:4]), int(d[4:6]), int(d[6:])),
        reference=reference,
        nature=nature,
    )


def prefecture_name(text: str) -> str | None:
    """'Lot-et-Garonne' from '… préfecture de Lot-et-Garonne', else None."""
    m = _PREFECTURE_NAME.search(clean(text))
    if not m:
        return None
    name = m.group("name").strip(" -–")
    return name or None


@dataclass
class StampBlock:
    """Indices (into one page's lines) of a stamp block and its text joined field by field."""

    start: int
    end: int  # inclusive
    fields: list[tuple[str, str]]  # (kind, text with its continuation lines)


def actes_from_blocks(blocks: list[StampBlock]) -> Actes | None:
    """One Actes record from the document's stamp blocks: the first ID, first dates, first préfecture."""
    actes: Actes | None = None
    extra: dict[str, str] = {}
    for block in blocks:
        for kind, text in block.fields:
            if kind == "id" and actes is None:
                actes = parse_actes_id(text)
            elif kind in ("sent", "transmitted", "teletransmission") and "sent" not in extra:
                if d := parse_french_date(text):
                    extra["sent"] = d
            elif kind in ("received", "receipt") and "received" not in extra:
                if d := parse_french_date(text):
                    extra["received"] = d
            elif kind == "displayed" and "displayed" not in extra:
                if d := parse_french_date(text):
                    extra["displayed"] = d
            if "prefecture" not in extra and kind in ("transmitted", "transmission", "sent"):
                if name := prefecture_name(text):
                    extra["prefecture"] = name
    if actes is None and not extra:
        return None
    if actes is None:
        raw = " | ".join(text for b in blocks[:1] for _, text in b.fields)
        actes = Actes(raw=raw)
    return actes.model_copy(update=extra)
