"""French numbers and amounts as they appear in CALPAE documents: one reader for cells, one finder for lines.

How separators are decided (the same rule for cells and running text):

* Spaces (normal, no-break U+00A0, narrow U+202F, thin U+2009) group thousands only when every group
  after the first is exactly 3 digits and the first has 1-3 digits without a leading zero
  ("1 936 652"). A tab or two spaces or more is a column gap and always separates numbers, as do
  "€" and "%".
* A comma followed by 1-2 digits (or 4+) is a decimal comma ("156.111,20", "35,5"). A comma followed
  by exactly 3 digits is read as a decimal comma too, flagged ambiguous (English thousands possible).
* Dots: several dots with 3-digit groups are thousands ("1.002.884"); dots then a comma are thousands
  then decimals ("1.002.884,00"); a single dot followed by 1-2 digits is a decimal point ("6.6%");
  a single dot followed by exactly 3 digits is a thousands separator ("59.000 €", "13.005 journées"),
  certain for euro amounts (a euro amount never has 3 decimals) and flagged ambiguous otherwise.
  Dots for both thousands and decimals ("312.222.40") read as 312222.40, flagged malformed.
* A run of space groups that could also be cut into several numbers ("Job 47 136 000 €": 47136000
  or "47" + 136000) is read as the longest number; it is flagged ambiguous, with the other readings
  of its last part in ``alternatives``, when a label word stands right before it on the same cell
  (not a French article/preposition that introduces an amount), when it has 4 groups or more, or,
  in running text, when it has no unit and 3 groups or more, or 2 not followed by a word ("100 100 100",
  "64 141" may be columns).
  ``readings()`` lists every way to cut such a run so the budget stage can let totals decide.
* Not numbers: digits glued to letters ("APJM1", "2ème", "1er"), dates ("15/04/2020", "31 mars"),
  ranges ("2019-2021", "16-18"), identifiers ("n°1", "SD1/2019/24", codes with leading zeros like
  "0304 50 19 19 03"), section numbers ("2.1.1.", "1.2 Titre"). Stand-alone years are kept with
  ``is_year=True`` so callers can skip them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

SPACE_CHARS = " \u00a0\u202f\u2009"
SP = "[ \u00a0\u202f\u2009]"
_CHUNK = r"[0-9]+(?:[.,][0-9]+)*"
RUN_RE = re.compile(rf"{_CHUNK}(?:{SP}{_CHUNK})*")
CHUNK_RE = re.compile(_CHUNK)
_LEAD_RE = re.compile(r"[1-9][0-9]{0,2}")
_CONT_RE = re.compile(r"[0-9]{3}(?:,[0-9]+|\.[0-9]{1,2})?")
TAGS = re.compile(r"<[^>]+>")

_CUR = r"(?:€|EUR\b|[eE]uros?\b)"
UNIT_RE = re.compile(
    rf"{SP}*(?:"
    rf"(?P<abbr>[kK]|M|Mds?|Mrds?){SP}?(?P<acur>{_CUR})"
    rf"|(?P<word>[mM]illions?|[mM]illiards?|[mM]illiers?)\b"
    rf"(?P<wcur>{SP}+d['’]{SP}?euros?\b|{SP}+de{SP}+euros?\b|{SP}*{_CUR})?"
    rf"|(?P<cur>{_CUR})"
    rf"|(?P<pct>%)"
    rf")"
)
_SCALES = {
    "k": Decimal(1000),
    "m": Decimal(10) ** 6,
    "md": Decimal(10) ** 9,
    "mds": Decimal(10) ** 9,
    "mrd": Decimal(10) ** 9,
    "mrds": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "millions": Decimal(10) ** 6,
    "milliard": Decimal(10) ** 9,
    "milliards": Decimal(10) ** 9,
    "millier": Decimal(1000),
    "milliers": Decimal(1000),
}
_SCALE_NAMES = {Decimal(1000): "k", Decimal(10) ** 6: "M", Decimal(10) ** 9: "Md"}
MONTHS_PATTERN = "janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre"
MONTH_AFTER = re.compile(rf"{SP}+(?:{MONTHS_PATTERN})\b", re.I)
WORD_AFTER = re.compile(rf"{SP}([^\W\d_][^\W\d_]*(?:['’-][^\W\d_]+)*[0-9]?)")
QUALIFIER_CODES = {
    "nr": "NR",
    "n.r.": "NR",
    "n.r": "NR",
    "non renseigné": "NR",
    "non renseigne": "NR",
    "nc": "NC",
    "n.c.": "NC",
    "n.c": "NC",
    "non communiqué": "NC",
    "non communique": "NC",
    "so": "SO",
    "s.o.": "SO",
    "s.o": "SO",
    "s/o": "SO",
    "sans objet": "SO",
    "n/a": "NA",
    "na": "NA",
    "nd": "ND",
    "n.d.": "ND",
    "non disponible": "ND",
}
# French words after which a number starts (it cannot be the tail of a label such as "Job 47").
INTRODUCERS = frozenset(
    "de d du des à a au aux le la les l un une et ou soit dont pour par sur en environ plus moins près "
    "hauteur total totaux est sont été était sera seront vers entre avec que qui contre sous jusqu "
    "atteint atteignent représente représentent montant budget somme coût cout".split()
)
MAX_READINGS = 256  # cuts of one run listed at the most (a long run of groups has exponentially many)
LOOSE_GROUPS = 3  # running text: this many groups without unit may be several columns
MANY_GROUPS = 4  # this many groups or more may always be cut
# No amount or count in these documents reaches 10^15 (a thousand times France's GDP in euros): a run of digit groups
# that long is several numbers whose column gaps were lost, not one figure (and would overflow the store's decimals).
MAX_INTEGER_DIGITS = 15
YEARS = (1900, 2099)  # a stand-alone 4-digit number in this range is a year
GLUE_CHARS = set("°º^_{}/\\@#")


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text: value, unit, and what was odd about it."""

    raw: str
    value: Decimal | None  # None for NR / NC / Sans Objet / empty
    unit: str | None = None  # "EUR", "%", or None for a plain count/quantity
    qualifier: str | None = None  # "NR", "NC", "SO" (sans objet), "NA", "ND", "empty"
    malformed: bool = False  # e.g. "312.222.40 €": dot for thousands and decimals
    ambiguous: bool = False  # more than one reading was possible
    note: str | None = None  # "sur 9 mois" in "312 (sur 9 mois)"
    message: str | None = None  # what was malformed or ambiguous, in words
    scale: str | None = None  # "k", "M", "Md" when written "12 k€", "35,5 M€", "49,3 millions"
    unit_word: str | None = None  # the word after a count: "journées" in "13.005 journées"
    is_year: bool = False  # a stand-alone year (1900-2099) without unit
    alternatives: tuple[Decimal, ...] = ()  # other values the same text can be read as


@dataclass(frozen=True)
class _Reading:
    """The value of one chunk or group of chunks, before units."""

    value: Decimal
    malformed: bool = False
    ambiguous: bool = False
    message: str | None = None
    alternatives: tuple[Decimal, ...] = ()
    dotted_ref: bool = False  # "2.1": a decimal, or a section/fiche number
    dotted: bool = False


def _lead_ok(group: str) -> bool:
    """A first thousands group: 1-3 digits, no leading zero (except a lone 0)."""
    return group == "0" or bool(_LEAD_RE.fullmatch(group))


def _thousands(groups: list[str]) -> bool:
    """Groups form a thousands grouping: 1-3 digit head, 3-digit tail groups."""
    return _lead_ok(groups[0]) and all(len(g) == 3 for g in groups[1:])


def read_chunk(text: str, money: bool) -> _Reading | None:
    """Value of one space-free chunk ('1.002.884,00', '6.6', '13.005'); None when not a number."""
    groups = re.split(r"[.,]", text)
    seps = re.findall(r"[.,]", text)
    if not seps:
        if len(text) > 1 and text[0] == "0":
            return None  # a code such as "0304"
        return _Reading(Decimal(text))
    if len(groups[0]) > 1 and groups[0][0] == "0" and not _thousands(groups[:1]):
        return None
    if "," not in seps:
        return _read_dots(groups, money)
    if seps.count(",") == 1 and seps[-1] == ",":
        head, frac = groups[:-1], groups[-1]
        if not _thousands(head) and len(head) > 1:
            return None
        if len(head) == 1 and len(head[0]) > 1 and head[0][0] == "0":
            return None
        value = Decimal("".join(head) + "." + frac)
        if len(head) == 1 and len(frac) == 3:
            msg = f"'{text}': comma followed by 3 digits read as decimal comma (English thousands possible)"
            return _Reading(value, ambiguous=True, message=msg, alternatives=(Decimal(head[0] + frac),), dotted=True)
        return _Reading(value, dotted=len(head) > 1)
    if "." not in seps and _thousands(groups):
        msg = f"'{text}': commas used as thousands separators (English style)"
        return _Reading(Decimal("".join(groups)), malformed=True, message=msg)
    if seps[-1] == "." and seps.count(".") == 1 and _thousands(groups[:-1]):
        msg = f"'{text}': English-style separators (comma thousands, dot decimals)"
        return _Reading(Decimal("".join(groups[:-1]) + "." + groups[-1]), malformed=True, message=msg)
    return None


def _read_dots(groups: list[str], money: bool) -> _Reading | None:
    """Chunks with dots only: thousands, decimal point, or both (malformed)."""
    if len(groups) == 2:
        head, frac = groups
        if len(frac) == 3 and _lead_ok(head):
            value = Decimal(head + frac)
            if money:
                return _Reading(value, dotted=True)
            msg = f"'{head}.{frac}': dot followed by 3 digits read as thousands separator (could be a decimal point)"
            return _Reading(value, ambiguous=True, message=msg, alternatives=(Decimal(f"{head}.{frac}"),), dotted=True)
        if len(head) > 1 and head[0] == "0":
            return None
        ref = len(frac) <= 2 and len(head) <= 2
        return _Reading(Decimal(f"{head}.{frac}"), dotted_ref=ref, dotted=True)
    if _thousands(groups):
        return _Reading(Decimal("".join(groups)), dotted=True)
    if _thousands(groups[:-1]) and len(groups[-1]) in (1, 2):
        text = ".".join(groups)
        msg = f"'{text}': dot used both as thousands separator and as decimal point; read as the last dot being decimal"
        return _Reading(Decimal("".join(groups[:-1]) + "." + groups[-1]), malformed=True, message=msg, dotted=True)
    return None  # "2.1.1": a section number


def _value_of(chunks: list[str], money: bool) -> _Reading | None:
    """Value of consecutive chunks forming one number ('47', '136', '000' -> 47136000)."""
    if len(chunks) == 1:
        return read_chunk(chunks[0], money)
    return read_chunk("".join(chunks), money)


def cut_pieces(chunks: list[str]) -> list[tuple[int, int]]:
    """Greedy longest cut of a run of space-separated chunks into numbers: [(first, last), …]."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(chunks)
    while i < n:
        j = i
        if _LEAD_RE.fullmatch(chunks[i]):
            while j + 1 < n and chunks[j].isdigit() and _CONT_RE.fullmatch(chunks[j + 1]):
                j += 1
        out.append((i, j))
        i = j + 1
    return out


def is_code(chunks: list[str], pieces: list[tuple[int, int]]) -> bool:
    """A run where a number would start with a leading zero ('0304 50 19', '05 53 …') is an identifier."""
    return any(len(chunks[i]) > 1 and chunks[i][0] == "0" and chunks[i].isdigit() for i, _ in pieces)


def readings(text: str) -> list[tuple[Decimal, ...]]:
    """Every way to cut a run of space-grouped digits into numbers, the longest reading first.

    "47 136 000" -> [(47136000,), (47, 136000)]: only cuts whose parts are valid numbers (no part
    starting with a leading zero) are listed; [] when the text is not such a run.
    """
    norm = text.strip()
    for ch in SPACE_CHARS[1:]:
        norm = norm.replace(ch, " ")
    chunks = norm.split()
    if not chunks or not all(CHUNK_RE.fullmatch(c) for c in chunks):
        return []
    found: list[tuple[Decimal, ...]] = []

    def walk(i: int, acc: tuple[Decimal, ...]) -> None:
        """Extend each partial cut from chunk i onwards."""
        if i == len(chunks):
            found.append(acc)
            return
        if len(found) > MAX_READINGS:
            return
        ends = [i]
        if _LEAD_RE.fullmatch(chunks[i]):
            j = i
            while j + 1 < len(chunks) and chunks[j].isdigit() and _CONT_RE.fullmatch(chunks[j + 1]):
                j += 1
                ends.append(j)
        for j in reversed(ends):
            if j == i and len(chunks[i]) > 1 and chunks[i][0] == "0" and chunks[i].isdigit():
                continue
            r = _value_of(chunks[i : j + 1], money=False)
            if r is not None:
                walk(j + 1, acc + (r.value,))

    walk(0, ())
    return sorted(found, key=len)


def _suffix_alternatives(chunks: list[str], money: bool) -> tuple[Decimal, ...]:
    """Values of the number when its leading groups belong elsewhere ('47 136 000' -> 136000)."""
    alts = []
    for k in range(1, len(chunks)):
        if chunks[k][0] != "0":
            r = _value_of(chunks[k:], money)
            if r is not None:
                alts.append(r.value)
    return tuple(alts)


def _unit_info(m: re.Match[str] | None) -> tuple[str | None, Decimal, str | None]:
    """(unit, multiplier, scale name) from a UNIT_RE match."""
    if m is None:
        return None, Decimal(1), None
    if m.group("pct"):
        return "%", Decimal(1), None
    if m.group("cur"):
        return "EUR", Decimal(1), None
    if m.group("abbr"):
        mult = _SCALES[m.group("abbr").lower()]
        return "EUR", mult, _SCALE_NAMES[mult]
    mult = _SCALES[m.group("word").lower()]
    return ("EUR" if m.group("wcur") else None), mult, _SCALE_NAMES[mult]


def _without_zero_decimals(value: Decimal) -> Decimal:
    """A scaled value without a spurious trailing '.0' (35,5 M€ -> 35500000, not 35500000.0)."""
    exponent = value.as_tuple().exponent
    if value == value.to_integral_value() and isinstance(exponent, int) and exponent < 0:
        return value.quantize(Decimal(1))
    return value


def build_number(
    raw: str,
    chunks: list[str],
    *,
    sign: int,
    unit_m: re.Match[str] | None,
    label_before: bool,
    in_line: bool = False,
    followed_by_word: bool = False,
) -> ParsedNumber | None:
    """ParsedNumber for one piece of a run: value, unit, scale, ambiguity, year flag."""
    unit, mult, scale = _unit_info(unit_m)
    r = _value_of(chunks, money=unit == "EUR")
    if r is None:
        return None
    value = (_without_zero_decimals(r.value * mult) if mult != 1 else r.value) * sign
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        return None
    alts = tuple(a * mult * sign for a in r.alternatives)
    ambiguous, message = r.ambiguous, r.message
    if len(chunks) > 1:
        suffix = tuple(a * mult * sign for a in _suffix_alternatives(chunks, unit == "EUR"))
        loose = in_line and unit is None and (len(chunks) >= LOOSE_GROUPS or not followed_by_word)
        if suffix and (label_before or len(chunks) >= MANY_GROUPS or loose):
            ambiguous = True
            alts = alts + suffix
            why = (
                "a label word stands before it"
                if label_before
                else "it has 4 digit groups or more"
                if len(chunks) >= MANY_GROUPS
                else "groups without unit in a line may be several columns"
            )
            message = f"'{' '.join(chunks)}' read as one number; it may also be cut ({why})"
    if r.dotted_ref and unit is None:
        ambiguous = True
        message = f"'{chunks[0]}' without unit: a decimal, or a reference such as a section number"
    is_year = (
        unit is None
        and scale is None
        and sign == 1
        and len(chunks) == 1
        and len(chunks[0]) == 4
        and chunks[0].isdigit()
        and YEARS[0] <= int(chunks[0]) <= YEARS[1]
    )
    return ParsedNumber(
        raw=raw,
        value=value,
        unit=unit,
        malformed=r.malformed,
        ambiguous=ambiguous,
        message=message,
        scale=scale,
        is_year=is_year,
        alternatives=alts,
    )
