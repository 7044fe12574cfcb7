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
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

SPACE_CHARS = " \u00a0\u202f\u2009"
_SP = "[ \u00a0\u202f\u2009]"
_CHUNK = r"[0-9]+(?:[.,][0-9]+)*"
_RUN_RE = re.compile(rf"{_CHUNK}(?:{_SP}{_CHUNK})*")
# How far back from a number its left context is read (a word, a line start): a number's cost does not grow
# with the length of the line before it, so a line of N numbers is read in time linear in N.
LOOKBACK_CHARS = 200
_WORD_AT_END = re.compile(r"([^\W_]+)$")
_CHUNK_RE = re.compile(_CHUNK)
_LEAD_RE = re.compile(r"[1-9][0-9]{0,2}")
_CONT_RE = re.compile(r"[0-9]{3}(?:,[0-9]+|\.[0-9]{1,2})?")
_TAGS = re.compile(r"<[^>]+>")

_CUR = r"(?:€|EUR\b|[eE]uros?\b)"
_UNIT_RE = re.compile(
    rf"{_SP}*(?:"
    rf"(?P<abbr>[kK]|M|Mds?|Mrds?){_SP}?(?P<acur>{_CUR})"
    rf"|(?P<word>[mM]illions?|[mM]illiards?|[mM]illiers?)\b"
    rf"(?P<wcur>{_SP}+d['’]{_SP}?euros?\b|{_SP}+de{_SP}+euros?\b|{_SP}*{_CUR})?"
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
_MONTHS = "janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre"
_MONTH_AFTER = re.compile(rf"{_SP}+(?:{_MONTHS})\b", re.I)
_WORD_AFTER = re.compile(rf"{_SP}([^\W\d_][^\W\d_]*(?:['’-][^\W\d_]+)*[0-9]?)")
_QUALIFIERS = {
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
_INTRODUCERS = frozenset(
    "de d du des à a au aux le la les l un une et ou soit dont pour par sur en environ plus moins près "
    "hauteur total totaux est sont été était sera seront vers entre avec que qui contre sous jusqu "
    "atteint atteignent représente représentent montant budget somme coût cout".split()
)
_GLUE_CHARS = set("°º^_{}/\\@#")


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


def _read_chunk(text: str, money: bool) -> _Reading | None:
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
        return _read_chunk(chunks[0], money)
    return _read_chunk("".join(chunks), money)


def _pieces(chunks: list[str]) -> list[tuple[int, int]]:
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


def _is_code(chunks: list[str], pieces: list[tuple[int, int]]) -> bool:
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
    if not chunks or not all(_CHUNK_RE.fullmatch(c) for c in chunks):
        return []
    found: list[tuple[Decimal, ...]] = []

    def walk(i: int, acc: tuple[Decimal, ...]) -> None:
        """Extend each partial cut from chunk i onwards."""
        if i == len(chunks):
            found.append(acc)
            return
        if len(found) > 256:
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
    """(unit, multiplier, scale name) from a _UNIT_RE match."""
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


def _tidy(value: Decimal) -> Decimal:
    """A scaled value without a spurious trailing '.0' (35,5 M€ -> 35500000, not 35500000.0)."""
    if value == value.to_integral_value() and value.as_tuple().exponent < 0:
        return value.quantize(Decimal(1))
    return value


def _build(
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
    value = (_tidy(r.value * mult) if mult != 1 else r.value) * sign
    alts = tuple(a * mult * sign for a in r.alternatives)
    ambiguous, message = r.ambiguous, r.message
    if len(chunks) > 1:
        suffix = tuple(a * mult * sign for a in _suffix_alternatives(chunks, unit == "EUR"))
        loose = in_line and unit is None and (len(chunks) >= 3 or not followed_by_word)
        if suffix and (label_before or len(chunks) >= 4 or loose):
            ambiguous = True
            alts = alts + suffix
            why = (
                "a label word stands before it"
                if label_before
                else "it has 4 digit groups or more"
                if len(chunks) >= 4
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
        and 1900 <= int(chunks[0]) <= 2099
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


# ----------------------------------------------------------------------------------------------
# One cell
# ----------------------------------------------------------------------------------------------

_CELL_RE = re.compile(rf"(?P<pre>(?:€|EUR){_SP}*)?(?P<sign>[-+−–]{_SP}*)?(?P<run>{_RUN_RE.pattern})(?P<rest>.*)", re.S)
_DASH_ZERO = re.compile(rf"[-–−—]{_SP}*(?:€|EUR|euros?)", re.I)
_NOTE_RE = re.compile(r"(?P<main>.*?)\s*\((?P<note>[^()]*)\)", re.S)


def _clean_cell(text: str) -> str:
    """Cell text without HTML tags, markdown emphasis or surrounding blanks."""
    return _TAGS.sub("", text).replace("*", "").strip(" \t\r\n\u00a0\u202f\u2009")


@lru_cache(maxsize=1 << 15)
def parse_number(text: str) -> ParsedNumber | None:
    """Parse one cell or token; None when the text is not a number nor a NR/NC/SO/empty value.

    Cached (the result is frozen): the budget stage reads the same cell text many times while it resolves a table."""
    raw = text
    s = _clean_cell(text or "")
    if not s:
        return ParsedNumber(raw=raw, value=None, qualifier="empty")
    qual = _QUALIFIERS.get(re.sub(r"\s+", " ", s).lower())
    if qual:
        return ParsedNumber(raw=raw, value=None, qualifier=qual)
    if s in ("-", "–", "—", "−"):
        return ParsedNumber(raw=raw, value=None, qualifier="empty", message="a lone dash")
    if _DASH_ZERO.fullmatch(s):
        return ParsedNumber(raw=raw, value=Decimal(0), unit="EUR", message="'- €' read as zero")
    note = None
    m = _NOTE_RE.fullmatch(s)
    if m and m.group("main"):
        s, note = m.group("main"), m.group("note").strip() or None
    parsed = _parse_core(raw, s)
    if parsed is None:
        return None
    return replace(parsed, note=note) if note else parsed


def _parse_core(raw: str, s: str) -> ParsedNumber | None:
    """A cell holding exactly one number, its unit and at most one word after it."""
    m = _CELL_RE.fullmatch(s)
    if not m:
        return None
    chunks = re.split(_SP, m.group("run"))
    pieces = _pieces(chunks)
    if len(pieces) != 1 or _is_code(chunks, pieces):
        return None
    rest = m.group("rest")
    unit_m = _UNIT_RE.match(rest) if not m.group("pre") else None
    if unit_m:
        rest = rest[unit_m.end() :]
    word = None
    if rest.strip():
        wm = re.fullmatch(rf"{_SP}+([^\W\d_][^\W\d_]*(?:['’-][^\W\d_]+)*[0-9]?)\s*", rest)
        if not wm:
            return None
        word = wm.group(1)
        if re.fullmatch(_MONTHS, word, re.I):
            return None  # "31 mars": a date
    if m.group("pre"):
        unit_m = _UNIT_RE.match(m.group("pre").strip())
    sign_txt = (m.group("sign") or "").strip()
    sign = -1 if sign_txt in ("-", "−", "–") else 1
    parsed = _build(raw, chunks, sign=sign, unit_m=unit_m, label_before=False)
    if parsed is None:
        return None
    if sign_txt and parsed.is_year:
        parsed = replace(parsed, is_year=False)
    return replace(parsed, unit_word=word) if word else parsed


# ----------------------------------------------------------------------------------------------
# Running text and text-layout table rows
# ----------------------------------------------------------------------------------------------

_SIGNS = "-−+"
_ZERO_DASH_RE = re.compile(rf"(?<!\S)[-–−—]{_SP}*€")
_PRE_CUR_RE = re.compile(rf"(?:€|EUR){_SP}?$")


def _drop_first(text: str, a: int) -> bool:
    """The run's first chunk is glued to a word, an identifier or a range ('APJM1', 'n°1', '2019-2021')."""
    if a == 0:
        return False
    c = text[a - 1]
    if c.isalpha() or c in _GLUE_CHARS or c in "'’" and a >= 2 and text[a - 2].isdigit():
        return True
    if c in "-–—" and a >= 2 and (text[a - 2].isalnum()):
        return True
    return bool(re.search(rf"[°º]{_SP}?$", text[max(0, a - 2) : a]))


def _drop_last(text: str, b: int) -> bool:
    """The run's last chunk is glued to a word, starts a range or a date ('2ème', '2019-', '31 mars')."""
    if b >= len(text) or _UNIT_RE.match(text, b):
        return False
    c = text[b]
    if c.isalpha() or c in _GLUE_CHARS:
        return True
    if c in "-–—" and b + 1 < len(text) and text[b + 1].isdigit():
        return True
    return bool(_MONTH_AFTER.match(text, b))


def _trim(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Chunks of a run minus those glued to words, dates, ranges or identifiers at its edges."""
    if spans and _drop_first(text, spans[0][0]):
        spans = spans[1:]
    if spans and _drop_last(text, spans[-1][1]):
        spans = spans[:-1]
    return spans


def _is_heading(text: str, spans: list[tuple[int, int]]) -> bool:
    """'1.1.' or '2. Mesures' at the start of a line, or any dotted number ending with a dot: a section."""
    b = spans[-1][1]
    if not (b < len(text) and text[b] == "." and (b + 1 == len(text) or text[b + 1].isspace())):
        return False
    last = text[spans[-1][0] : b]
    line_start = text.rfind("\n", max(0, spans[0][0] - LOOKBACK_CHARS), spans[0][0]) + 1
    return "." in last or not text[line_start : spans[0][0]].strip(" \t#*>-")


def _sign_before(text: str, a: int) -> tuple[int, int]:
    """(sign, start) with a sign glued before the digits ('-60 000'), not a bullet dash ('- 34')."""
    if a > 0 and text[a - 1] in _SIGNS and (a == 1 or text[a - 2].isspace() or text[a - 2] in "([:;«\"'"):
        return (-1 if text[a - 1] != "+" else 1), a - 1
    return 1, a


def _label_before(text: str, a: int) -> bool:
    """A label word stands before position a on the same cell (single space), so a leading group may be its tail."""
    if a == 0 or text[a - 1] not in SPACE_CHARS:
        return False
    i = a - 1
    if i == 0 or text[i - 1] in SPACE_CHARS or text[i - 1] == "\t":
        return False
    m = _WORD_AT_END.search(text, max(0, i - LOOKBACK_CHARS), i)
    if not m or m.group(1).isdigit():
        return False
    return m.group(1).lower() not in _INTRODUCERS


def find_numbers(text: str) -> list[tuple[ParsedNumber, int, int]]:
    """Every amount, percentage and count in a line or paragraph, with its character span [start, end)."""
    out: list[tuple[ParsedNumber, int, int]] = []
    zeros = list(_ZERO_DASH_RE.finditer(text))
    zero_ends = [z.end() for z in zeros]  # increasing: the last one before a run is found by bisection
    consumed = 0
    for m in _RUN_RE.finditer(text):
        k = bisect_right(zero_ends, m.start())
        consumed = max(consumed, zero_ends[k - 1]) if k else consumed
        spans = _trim(text, [(m.start() + c.start(), m.start() + c.end()) for c in _CHUNK_RE.finditer(m.group())])
        if not spans or _is_heading(text, spans):
            continue
        chunks = [text[a:b] for a, b in spans]
        pieces = _pieces(chunks)
        if _is_code(chunks, pieces):
            continue
        unit_m = _UNIT_RE.match(text, spans[-1][1])
        for idx, (i, j) in enumerate(pieces):
            found = _find_piece(text, spans, chunks, (i, j), unit_m if idx == len(pieces) - 1 else None, consumed)
            if found is not None:
                out.append(found)
        if unit_m:
            consumed = unit_m.end()
    for z in zeros:
        zero = ParsedNumber(raw=z.group(), value=Decimal(0), unit="EUR", message="'- €' read as zero")
        out.append((zero, z.start(), z.end()))
    return sorted(out, key=lambda t: t[1])


def _find_piece(
    text: str,
    spans: list[tuple[int, int]],
    chunks: list[str],
    piece: tuple[int, int],
    unit_m: re.Match[str] | None,
    consumed: int,
) -> tuple[ParsedNumber, int, int] | None:
    """One number of a run in running text, with its unit (after, or a € before) and span."""
    i, j = piece
    start, stop = spans[i][0], spans[j][1]
    sign = 1
    if i == 0:
        sign, start = _sign_before(text, start)
    if unit_m is None and i == 0 and j == len(chunks) - 1:
        pre = _PRE_CUR_RE.search(text, max(consumed, start - 5), start)
        if pre:
            unit_m = _UNIT_RE.match(pre.group().strip())
            start = pre.start()
    end = unit_m.end() if unit_m and unit_m.start() >= stop else stop
    label = i == 0 and _label_before(text, start)
    wm = _WORD_AFTER.match(text, stop) if unit_m is None and j == len(chunks) - 1 else None
    p = _build(
        text[start:end],
        chunks[i : j + 1],
        sign=sign,
        unit_m=unit_m,
        label_before=label,
        in_line=True,
        followed_by_word=wm is not None,
    )
    if p is None or (p.unit is None and i == j and _is_reference(chunks[i])):
        return None
    if wm and not p.is_year and wm.group(1).lower() not in _INTRODUCERS:
        p = replace(p, unit_word=wm.group(1))
    return p, start, end


def _is_reference(chunk: str) -> bool:
    """'2.1', '4.2': a dotted small number without unit is a section/fiche reference in French text."""
    r = _read_chunk(chunk, money=False)
    return r is not None and r.dotted_ref


# ----------------------------------------------------------------------------------------------
# Writing numbers the French ways (corpus generator, property tests)
# ----------------------------------------------------------------------------------------------

FRENCH_STYLES = ("dot", "space", "nbsp", "narrow", "compact", "plain", "k", "M", "millions", "percent")
_STYLE_SEP = {
    "space": " ",
    "nbsp": "\u00a0",
    "narrow": "\u202f",
    "plain": " ",
    "percent": " ",
    "k": " ",
    "M": " ",
    "millions": " ",
}


def _group(digits: str, sep: str) -> str:
    """'1936652' -> '1 936 652' with the given thousands separator."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[k : k + 3] for k in range(head, len(digits), 3)]
    return sep.join(parts)


def _fr(value: Decimal, sep: str, decimals: int | None) -> str:
    """A Decimal in French digits: grouped integer part, comma decimals (exact when decimals is None)."""
    neg = value < 0
    value = abs(value)
    if decimals is None:
        text = format(value.normalize(), "f") if value else "0"
    else:
        text = format(value.quantize(Decimal(1).scaleb(-decimals)), "f")
    head, _, frac = text.partition(".")
    out = _group(head, sep) + ("," + frac if frac else "")
    return ("-" if neg else "") + out


def format_french(value: Decimal, style: str, decimals: int | None = None) -> str:
    """Write an amount as French documents do: 'dot' 1.002.884,00 €, 'space'/'nbsp'/'narrow' 1 936 652 €,
    'compact' 1936652 €, 'plain' 650 732, 'k' 12 k€, 'M' 35,5 M€, 'millions' 49,3 millions d'euros,
    'percent' 50,6 %.

    Money styles show cents when the value is written with some (or `decimals` digits when given); k/M/millions and
    percent write the exact value with as many decimals as needed.
    """
    value = Decimal(value)
    if style in ("dot", "space", "nbsp", "narrow", "compact", "plain"):
        if decimals is None:
            written_cents = value.as_tuple().exponent < 0  # Decimal("1002884.00") keeps its cents
            decimals = 2 if written_cents or value != value.to_integral_value() else 0
        sep = {"dot": ".", "compact": ""}.get(style, _STYLE_SEP.get(style, " "))
        text = _fr(value, sep, decimals)
        if style == "plain":
            return text
        gap = _STYLE_SEP.get(style, " ")
        return f"{text}{gap}€"
    if style == "k":
        return f"{_fr(value / 1000, ' ', decimals)} k€"
    if style == "M":
        return f"{_fr(value / 10**6, ' ', decimals)} M€"
    if style == "millions":
        return f"{_fr(value / 10**6, ' ', decimals)} millions d'euros"
    if style == "percent":
        return f"{_fr(value, ' ', decimals)} %"
    raise ValueError(f"unknown French number style {style!r}; expected one of {', '.join(FRENCH_STYLES)}")
