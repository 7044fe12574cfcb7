"""The figures of a sentence: digits in French formats, units and scales, numbers and fractions written in words.

One left-to-right pass per sentence (`find_figures`); every test looks at a bounded window around the match, never
at the whole prefix, so a sentence is read in linear time. What is read here is only the quantity and its unit;
whether a figure is a fact (not a date, an age, a reference, a range or a criterion) is decided in `prose_filters`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from calpae.extract import MAX_INTEGER_DIGITS

_SP = r"[ \u00a0\u202f\u2009]"
WINDOW = 60  # characters of context looked at on each side of a figure

# Digits: grouped thousands (space or dot), decimals with a comma, or a plain number with a decimal point/comma.
_DIGITS = rf"\d{{1,3}}(?:(?:{_SP}|\.)\d{{3}})+(?:,\d+)?(?![\d.]\d)|\d+(?:[,.]\d+)?"
# Amounts whose spacing is broken ("904. 724, 25 euros"): read, and flagged malformed.
_BROKEN = (
    rf"\d{{1,3}}(?:[.,]?{_SP}\d{{3}}|\.\d{{3}})*[.,]{_SP}\d{{3}}(?:{_SP}?,{_SP}?\d{{1,2}})?(?={_SP}*(?:€|euros?\b))"
    rf"|\d{{1,3}}(?:\.\d{{3}})+\.\d{{2}}(?={_SP}*(?:€|euros?\b))"  # "1.002.884.00 €": the last dot is decimal
)
# Words that make "29 millions" an amount of euros when the sentence does not write the currency beside it.
EURO_CONTEXT = re.compile(
    r"€|\beuros?\b|\bbudg\w*|\bcrédits?\b|\bfinanc\w*|\bdépens\w*|\bcoût\w*|\benveloppe|\bsubvention|\bdotation",
    re.IGNORECASE,
)
_APOS = "['’]"
_EURO_WORDS = rf"(?:d{_APOS}euros|€|euros?\b)"
_UNIT = (
    rf"(?P<unit>%|pour{_SP}?cent\b|points?\b|pts?\b"
    rf"|[kK]{_SP}?€|[kK]euros?\b|M{_SP}?€|Mds?{_SP}?€|Mds?\b|Md€"
    rf"|milliards?{_SP}*{_EURO_WORDS}?|millions?{_SP}*{_EURO_WORDS}?|milliers?{_SP}+d{_APOS}euros"
    rf"|€|euros?\b|EUR\b"
    rf"|jours?{_SP}+ouvrés\b|jours?\b|journées?\b|semaines?\b|mois\b|ans?\b|années?\b|heures?\b|h\b(?!\s?\d)"
    rf"|minutes?\b|ETP\b|demi-journées?\b|mi-temps\b)"
)
FIGURE = re.compile(
    rf"(?<![\w.,/°^-])(?P<sign>\+{_SP}?|[-−–](?=\d))?(?P<num>{_BROKEN}|{_DIGITS})"
    rf"(?:{_SP}?{_UNIT}(?!\w)|(?![\w/]))",
)

_UNITS_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
}
_TENS_WORDS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_WORD = "|".join(sorted([*(w for w in _UNITS_WORDS if w not in ("un", "une")), *_TENS_WORDS, "cent", "mille"], key=len))
_WORD_PART = "|".join(sorted([*_UNITS_WORDS, *_TENS_WORDS, "cents?", "mille", "vingts", "et"], key=len, reverse=True))
WORD_NUMBER = re.compile(rf"(?<![\w-])(?:{_WORD})(?:[-{_SP[1:-1]} ](?:{_WORD_PART}))*(?![\w-])", re.IGNORECASE)
# "une dizaine", "la quinzaine", "une centaine": an approximate count.
APPROX_NOUN = re.compile(
    r"(?<![\w])(?:une|la|d['’]une|l['’])\s*(?P<noun>dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|"
    r"cinquantaine|soixantaine|centaine|millier)\b",
    re.IGNORECASE,
)
_APPROX_VALUES = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
}
# Shares written in words: "la moitié", "pour moitié", "un quart", "¼", "trois quarts", "un tiers".
FRACTION = re.compile(
    r"(?<![\w])(?:(?P<lead>(?:la|pour|de\s+la|d['’]une?|un(?:\s+autre)?|le|trois|deux)\s+)"
    r"(?P<word>moitié|quarts?|tiers)\b|(?P<glyph>[¼½¾]))",
    re.IGNORECASE,
)
_FRACTION_VALUES = {"moitié": Decimal(50), "quart": Decimal(25), "tiers": Decimal("33.3")}
# "une personne sur quatre", "plus d'1 enfant sur 5": a share stated as a ratio of small numbers.
RATIO = re.compile(
    rf"(?<![\w])(?:d{_APOS})?(?P<num>\d{{1,2}}|une?|deux|trois|quatre)\s+(?P<what>(?:[^\W\d][\w'’-]*\s+){{1,5}}?)"
    rf"sur\s+(?P<den>\d{{1,2}}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)"
    rf"(?=\s*(?:[,.;:)(«»]|$|\s(?:de|du|des|d{_APOS}|sur|dans|en|à|au|aux|vient|viennent|ont|a|est|sont|et|ou)\b))",
    re.IGNORECASE,
)
# "Deux fois quatre places": a product.
PRODUCT = re.compile(
    rf"(?<![\w])(?P<a>{_WORD}|\d+)\s+fois\s+(?P<b>{_WORD}|\d+)(?=\s+[^\W\d])",
    re.IGNORECASE,
)


@dataclass
class Figure:
    """One quantity of a sentence: its span (with its unit), value, unit and how it was written."""

    start: int
    end: int
    value: Decimal
    unit: str  # count, percent, EUR, days, weeks, months, years, hours, minutes, fte, other
    raw: str
    sign: str = ""  # "+" or "-" written before the number
    words: bool = False  # written in words
    scale_word: bool = False  # "millions" without a currency: euros only if the context says so
    malformed: bool = False
    note: str | None = None


def to_decimal(num: str) -> Decimal | None:
    """A French-written number as a Decimal: '1 200' → 1200, '57.189,38' → 57189.38, '6.6' → 6.6."""
    digits = re.sub(rf"{_SP}", "", num)
    try:
        if "," in digits:
            whole, frac = digits.rsplit(",", 1)
            return Decimal(whole.replace(".", "").replace(",", "") + "." + frac)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
            return Decimal(digits.replace(".", ""))
        return Decimal(digits)
    except InvalidOperation:
        return None


def _unit(raw: str | None) -> tuple[str, Decimal, bool]:
    """(unit, scale, scale_word) of the unit text written after a number."""
    u = (raw or "").strip()
    low = u.lower()
    if not u:
        return "count", Decimal(1), False
    if u == "%" or low.startswith(("pour", "point", "pt")):
        return "percent", Decimal(1), False
    if low.startswith("k"):
        return "EUR", Decimal(1000), False
    if u.startswith("Md") or low.startswith("milliard"):
        return "EUR", Decimal(1_000_000_000), "€" not in u and "euro" not in low
    if u.startswith("M") and "€" in u or low.startswith("million"):
        return "EUR", Decimal(1_000_000), "€" not in u and "euro" not in low
    if low.startswith("millier"):
        return "EUR", Decimal(1000), False
    if "€" in u or low.startswith(("euro", "eur")):
        return "EUR", Decimal(1), False
    for prefix, unit in (
        ("jour", "days"),
        ("semaine", "weeks"),
        ("mois", "months"),
        ("an", "years"),
        ("heure", "hours"),
        ("h", "hours"),
        ("minute", "minutes"),
        ("etp", "fte"),
        ("mi-temps", "count"),
    ):
        if low.startswith(prefix):
            return unit, Decimal(1), False
    return "other", Decimal(1), False


def word_value(text: str) -> int | None:
    """The value of a number written in words ('vingt-deux' → 22, 'deux cents' → 200), None if not one."""
    total, current = 0, 0
    parts = [p for p in re.split(r"[-\s]+", text.lower()) if p and p != "et"]
    if not parts:
        return None
    for p in parts:
        if p in _UNITS_WORDS:
            current += _UNITS_WORDS[p]
        elif p in _TENS_WORDS:
            current += _TENS_WORDS[p]
        elif p in ("vingts",):
            current = max(current, 1) * 20
        elif p.startswith("cent"):
            current = max(current, 1) * 100
        elif p == "mille":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


def _digit_figures(text: str) -> list[Figure]:
    out = []
    for m in FIGURE.finditer(text):
        num = m.group("num")
        unit, scale, scale_word = _unit(m.group("unit"))
        malformed = bool(re.search(rf"[.,]{_SP}", num) or re.fullmatch(r"\d{1,3}(?:\.\d{3})+\.\d{2}", num))
        value = to_decimal(re.sub(_SP, "", num) if malformed else num)
        if malformed and "," not in num and re.search(r"\.\d{2}$", num):
            value = to_decimal(re.sub(_SP, "", num)[:-3].replace(".", "") + "," + num[-2:])
        if value is None or value.adjusted() >= MAX_INTEGER_DIGITS:
            continue  # too long for one figure: numbers whose gaps were lost (a table read as text)
        if scale_word and not EURO_CONTEXT.search(text):
            unit, scale_word = "count", False  # "29 millions d'habitants": a count, not money
        sign = (m.group("sign") or "").strip()
        start = m.start("num") if not sign else m.start()
        out.append(
            Figure(
                start,
                m.end(),
                value * scale if value is not None else Decimal(0),
                unit,
                m.group(0).strip(),
                sign="-" if sign in ("-", "−", "–") else sign,
                scale_word=scale_word,
                malformed=malformed,
                note="malformed_number" if malformed else None,
            )
        )
    return out


def tidy(value: Decimal) -> Decimal:
    """A whole value without its decimal places (50.0 → 50), other values unchanged."""
    return Decimal(int(value)) if value == value.to_integral_value() else value


def _compound_figures(text: str, taken: list[tuple[int, int]]) -> list[Figure]:
    """Products ('deux fois quatre places') and ratios ('une personne sur quatre'): read before single numbers."""
    out: list[Figure] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    for m in PRODUCT.finditer(text):
        a, b = (word_value(x) if not x.isdigit() else int(x) for x in (m.group("a"), m.group("b")))
        if a and b and free(m.start(), m.end()):
            out.append(Figure(m.start(), m.end(), Decimal(a * b), "count", m.group(0), words=True))
            taken.append((m.start(), m.end()))
    for m in RATIO.finditer(text):
        n, d = (int(x) if x.isdigit() else word_value(x) for x in (m.group("num"), m.group("den")))
        if n and d and n < d and free(m.start(), m.end()):
            value = tidy((Decimal(100) * n / Decimal(d)).quantize(Decimal("0.1")))
            out.append(Figure(m.start("num"), m.end(), value, "percent", m.group(0), words=True, note="ratio"))
            taken.append((m.start(), m.end()))
    return out


def _word_figures(text: str, taken: list[tuple[int, int]]) -> list[Figure]:
    out: list[Figure] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    for m in APPROX_NOUN.finditer(text):
        if free(m.start("noun"), m.end()):
            value = Decimal(_APPROX_VALUES[m.group("noun").lower()])
            out.append(Figure(m.start("noun"), m.end(), value, "count", m.group(0), words=True, note="environ"))
            taken.append((m.start(), m.end()))
    for m in FRACTION.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group("glyph"):
            value = {"¼": Decimal(25), "½": Decimal(50), "¾": Decimal(75)}[m.group("glyph")]
        else:
            word = m.group("word").lower().rstrip("s") if m.group("word").lower() != "tiers" else "tiers"
            value = _FRACTION_VALUES[word]
            lead = m.group("lead").strip().lower()
            if lead in ("trois", "deux") and word in ("quart", "tiers"):
                value = value * (3 if lead == "trois" else 2)
        start = m.start("word") if m.group("word") else m.start()
        out.append(Figure(start, m.end(), value, "percent", m.group(0), words=True, note="fraction"))
        taken.append((m.start(), m.end()))
    for m in WORD_NUMBER.finditer(text):
        number = word_value(m.group(0))
        if not number or not free(m.start(), m.end()):
            continue
        after = text[m.end() : m.end() + 30]
        u = re.match(rf"{_SP}*{_UNIT}", after)
        unit, scale, _ = _unit(u.group("unit") if u else None)
        end = m.end() + (u.end() if u else 0)
        out.append(Figure(m.start(), end, Decimal(number) * scale, unit, text[m.start() : end], words=True))
        taken.append((m.start(), end))
    return out


_ARTICLE_ONE = re.compile(r"(?<![\w])(?P<w>une?)(?=\s+(?:ETP|an\b|autre\s+orientation))", re.IGNORECASE)


def find_figures(text: str) -> list[Figure]:
    """Every quantity written in the sentence, in order of position (digits, words, fractions, ratios)."""
    taken: list[tuple[int, int]] = []
    compound = _compound_figures(text, taken)
    digits = [f for f in _digit_figures(text) if not any(f.start < y and x < f.end for x, y in taken)]
    taken += [(f.start, f.end) for f in digits]
    words = compound + _word_figures(text, taken)
    ones = []
    for m in _ARTICLE_ONE.finditer(text):
        if any(m.start() < y and x < m.end() for x, y in taken):
            continue
        u = re.match(rf"{_SP}*{_UNIT}", text[m.end() : m.end() + 30])
        unit = _unit(u.group("unit"))[0] if u else "count"
        end = m.end() + (u.end() if u else 0)
        ones.append(Figure(m.start(), end, Decimal(1), unit, text[m.start() : end], words=True))
    return sorted(digits + words + ones, key=lambda f: f.start)


def has_figure_hint(text: str) -> bool:
    """Cheap test before the full read: a digit, a fraction glyph, or a number word."""
    if any(ch.isdigit() for ch in text) or any(g in text for g in "¼½¾"):
        return True
    return any(p.search(text) for p in (WORD_NUMBER, APPROX_NOUN, FRACTION, _ARTICLE_ONE))


def window(text: str, start: int, end: int, size: int = WINDOW) -> tuple[str, str]:
    """The bounded context before and after a span."""
    return text[max(0, start - size) : start], text[end : end + size]
