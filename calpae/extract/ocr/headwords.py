"""Column headers read by OCR, repaired with evidence: a year from the years of the table's other headers, a word
from the referential's column model when every other word of the header matches one of its column names.

'Crédits Mat versés en 019' beside 'Crédits État 2018 reportés sur 2019': '019' is one lost digit from 2019, the only
year of the neighbours that close, and 'Crédits … versés en {Y}' is the model's column A with one word misread,
'Mat' close to its 'Etat'. Where the evidence is weak (two neighbour years as close, a header matching no name but
for one word, or two names proposing different columns) the header is left as read.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from calpae.extract.lexicon import known
from calpae.extract.ocr.layout import CONFUSABLE
from calpae.extract.settings import OCR_TABLE
from calpae.referential import load_referential
from calpae.textnorm import fold

S = OCR_TABLE
YEAR = re.compile(r"^(?:19|20)\d\d$")
YEAR_SLOT = "{year}"
_PLACEHOLDER = re.compile(r"\{Y[+-]?\d?\}")
_TOKEN_EDGE = "()[]|¦_.,:;'\"«»"
_LETTER = re.compile(r"^[A-F]$")  # the model's column letter before a header ('A Crédits…')
YEAR_WORDS = frozenset({"en", "sur", "pour", "au", "de", "annee", "exercice", "avenant"})


def _key(token: str) -> str:
    """A token as compared: folded, without the punctuation OCR leaves at its ends."""
    return fold(token.strip(_TOKEN_EDGE))


def _yearish(token: str) -> str | None:
    """The digits a token reads as when it may be a damaged year (2 to 5 characters, digits or their look-alikes,
    at least two real digits), else None."""
    core = token.strip(_TOKEN_EDGE)
    if not 2 <= len(core) <= 5 or sum(ch.isdigit() for ch in core) < 2:
        return None
    mapped = core.translate(CONFUSABLE)
    return mapped if mapped.isdigit() else None


def repair_year(token: str, previous: str, years: set[str]) -> str | None:
    """The neighbours' year a damaged year token stands for ('019' → '2019'), when exactly one of them is one edit
    away and the token stands where a year is written (after 'en', 'sur', 'pour'…); None otherwise."""
    digits = _yearish(token)
    if digits is None or YEAR.match(digits) or _key(previous) not in YEAR_WORDS:
        return None
    close = [y for y in years if Levenshtein.distance(digits, y) <= S.head_year_edits]
    return close[0] if len(close) == 1 else None


@cache
def _templates() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(column id, its words compared, its words as written) for every name and alias of the referential's
    annexe-10 columns, years as a slot ('{year}', also inside a word: '31/12/{year}')."""
    out = []
    for col in load_referential().financial_columns.values():
        for name in (col.name, *col.aliases):
            words = _PLACEHOLDER.sub(YEAR_SLOT, name).split()
            if words and _LETTER.match(words[0]):
                words = words[1:]
            out.append((col.id, tuple(_key(w) for w in words), tuple(words)))
    return tuple(out)


@cache
def _vocabulary() -> frozenset[str]:
    """Every word of the model's column names (compared form)."""
    return frozenset(w for _, words, _ in _templates() for w in words)


def _same(token: str, word: str) -> bool:
    """A header token (compared form) matches a model word, any year filling the word's year slot."""
    if YEAR_SLOT not in word:
        return token == word
    return bool(re.fullmatch(re.escape(word).replace(re.escape(YEAR_SLOT), r"(?:19|20)\d\d"), token))


def repair_word(tokens: list[str]) -> tuple[int, str] | None:
    """(position, word) of the one token of a header that a column name of the model spells otherwise, when every
    other token matches that name (years in its year slots) and the misread token is close to the name's word
    (ratio ≥ S.head_word_ratio) and is no word of the model's; None when no name, or names of two columns, fit so."""
    start = 1 if tokens and _LETTER.match(tokens[0].strip(_TOKEN_EDGE)) else 0
    keys = [_key(t) for t in tokens[start:]]
    if any(len(words) == len(keys) and all(map(_same, keys, words)) for _, words, _ in _templates()):
        return None  # the header is one of the model's names as it stands
    found: dict[str, tuple[float, int, str]] = {}
    for col_id, words, written in _templates():
        if len(words) != len(keys):
            continue
        wrong = [i for i, (k, w) in enumerate(zip(keys, words, strict=True)) if not _same(k, w)]
        if len(wrong) != 1 or YEAR_SLOT in words[wrong[0]] or _yearish(keys[wrong[0]]):
            continue
        i = wrong[0]
        if keys[i] in _vocabulary() or (len(keys[i]) >= S.mend_min_letters and known(keys[i])):
            continue  # a word of the model's own ('reportés' where a name says 'reprogrammés') or of French
            # ('Explication', which 'Actions' is close to): read right
        score = ratio(keys[i], words[i])
        if score >= S.head_word_ratio and score > found.get(col_id, (-1.0, 0, ""))[0]:
            found[col_id] = (score, start + i, written[i])
    if len({(pos, _key(w)) for _, pos, w in found.values()}) != 1:
        return None
    _, pos, word = next(iter(found.values()))
    return pos, word


def split_letter(token: str, letters: set[str]) -> list[str]:
    """['B', 'Crédits'] for 'BCrédits': a model column letter glued to a word of the model's names, when the header
    of a neighbouring letter ('A' or 'C') stands among the others; the token alone otherwise."""
    if len(token) < 3 or not _LETTER.match(token[0]) or not token[1].isupper() or _key(token[1:]) not in _vocabulary():
        return [token]
    near = {chr(ord(token[0]) - 1), chr(ord(token[0]) + 1)}
    return [token[0], token[1:]] if near & letters else [token]


def _phrase(tokens: list[str]) -> tuple[str, list[str]]:
    """A header's words as compared with the model's names as a whole: folded, no punctuation-only token, years as
    the slot (also inside a word: '31/12/2019'); and the years in reading order."""
    years = [m.group(0) for t in tokens for m in re.finditer(r"(?:19|20)\d\d", t)]
    keys = [re.sub(r"(?:19|20)\d\d", YEAR_SLOT, _key(t).strip("-–—")) for t in tokens]
    return " ".join(k for k in keys if any(ch.isalnum() for ch in k)), years


def _is_name(tokens: list[str]) -> bool:
    start = 1 if tokens and _LETTER.match(tokens[0].strip(_TOKEN_EDGE)) else 0
    keys = [_key(t) for t in tokens[start:]]
    return any(len(words) == len(keys) and all(map(_same, keys, words)) for _, words, _ in _templates())


def repair_phrase(tokens: list[str], taken: set[str]) -> list[str] | None:
    """The model column name a header reads as on the whole ('Montant à rparter en 2020 - PartCD'), written as the
    model writes it with the header's own years in its slots; None when the header is a name already, when no name
    with as many year slots is within S.head_phrase_ratio, or when a name of another wording comes within
    S.head_phrase_margin of the best. Names in `taken` (other headers of the table, as compared) are not proposed."""
    if not tokens or _is_name(tokens):
        return None
    letter = tokens[:1] if _LETTER.match(tokens[0].strip(_TOKEN_EDGE)) else []
    text, years = _phrase(tokens[len(letter) :])
    if not text:
        return None
    best: dict[str, tuple[float, tuple[str, ...]]] = {}  # compared wording: (score, words as written)
    for _, words, written in _templates():
        wording = " ".join(w for w in words if any(ch.isalnum() for ch in w))
        if wording in taken or sum(w.count(YEAR_SLOT) for w in written) != len(years):
            continue
        score = ratio(text, wording)
        if score > best.get(wording, (-1.0, ()))[0]:
            best[wording] = (score, written)
    ranked = sorted(best.values(), key=lambda v: -v[0])
    if not ranked or ranked[0][0] < S.head_phrase_ratio:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < S.head_phrase_margin:
        return None
    filled = iter(years)
    out = [re.sub(re.escape(YEAR_SLOT), lambda _: next(filled), w) for w in ranked[0][1]]
    return letter + out


def repair_headers(heads: list[str], phrase: bool = True) -> list[str]:
    """Each column header with its damaged years, a glued column letter and its one misread model word repaired (see
    module doc); then (phrase) a header still no model name read as the name it is closest to as a whole
    (repair_phrase: its words change in number, so not where each word keeps its box)."""
    years = {t for h in heads for t in (x.strip(_TOKEN_EDGE) for x in h.split()) if YEAR.match(t)}
    letters = {h.split()[0] for h in heads if h.split() and _LETTER.match(h.split()[0])}
    out = []
    for head in heads:
        tokens = head.split()
        if tokens:
            tokens = split_letter(tokens[0], letters) + tokens[1:]
        for i, tok in enumerate(tokens):
            year = repair_year(tok, tokens[i - 1] if i else "", years)
            if year is not None:
                tokens[i] = year
        fix = repair_word(tokens)
        if fix is not None:
            pos, word = fix
            tokens[pos] = word
        out.append(" ".join(tokens))
    while phrase:  # a header read as a name takes that name from the others (an ambiguity it settled may go)
        taken = {_phrase(_unlettered(h.split()))[0] for h in out if _is_name(h.split())}
        fixes = [(k, fixed) for k, h in enumerate(out) if (fixed := repair_phrase(h.split(), taken))]
        if not fixes:
            return out
        k, fixed = fixes[0]
        out[k] = " ".join(fixed)
    return out


def _unlettered(tokens: list[str]) -> list[str]:
    return tokens[1:] if tokens and _LETTER.match(tokens[0].strip(_TOKEN_EDGE)) else tokens
