"""The text of one table cell: its lines top to bottom, and what the cell's width broke over two lines rejoined.

Every table reader builds a cell's text here (ruled grids, borderless bands and headers). In a narrow column a word
processor or a spreadsheet breaks a word that does not fit on a line of its own at any letter ("Engagement" /
"s", "Thè" / "me", "con" / "trac" / "tua" / "lis" / "atio" / "n") and an amount whose groups are joined by no-break
spaces at any digit ("441 696,9" / "2 €", "27 607" / ",49 €"). Joining lines with a space would then read two words
or two numbers where there is one. What decides, for each line break:

* numbers: the number grammar (calpae.extract.numbers): the pieces are joined without a space only when the text
  read with a space is not one number and without it is ("203 50" / "0 €" is 203 500 €; "190" / "000 €" keeps its
  space: 190 000 €);
* words: geometry first, since a word processor breaks a word inside only when it does not fit on a line of its own
  (the piece before the break is then alone on its line, and about as wide as the cell's widest line); then a French
  word list (calpae.extract.lexicon): a run of such pieces is cut into the likeliest words under a unigram model;
* a hyphen ending a line keeps its word whole ("rendez-" / "vous"), and loses the hyphen only when it was a
  syllable break ("accompa-" / "gnement": not a word before it, a word without it); a date is rejoined
  ("31/12/202" / "1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from calpae.extract import lexicon
from calpae.extract.geometry.lines import group_lines
from calpae.extract.numbers.parse import parse_number
from calpae.extract.settings import CELL_TEXT, CellTextSettings
from calpae.models import Word

# a token that is a piece of a number: digits with separators, a unit, a decimal part starting with its comma
NUMBERISH = re.compile(r"[-−–]?[0-9.,]*[0-9][0-9.,]*[€%]?|[€%]|[.,][0-9]+[€%]?")
LETTERS = re.compile(r"[^\W\d_]+")
DATE_PIECE = re.compile(r"[0-3]?[0-9]/[01]?[0-9]/[0-9]{0,3}")
DATE = re.compile(r"[0-3]?[0-9]/[01]?[0-9]/(?:19|20)[0-9]{2}")
APOSTROPHES = "'’"


@dataclass(frozen=True)
class Token:
    """One word of a cell line, with its horizontal extent when it comes from a PDF (points)."""

    text: str
    x0: float | None = None
    x1: float | None = None


def cell_text(words: list[Word], settings: CellTextSettings = CELL_TEXT) -> str:
    """Text of a cell from its words: upright lines rejoined (join_lines); rotated text only when the cell holds
    nothing else."""
    upright = [w for w in words if w.upright]
    if upright:
        return join_lines([ln.words for ln in group_lines(upright, 0)], settings)
    if sum(1 for w in words if w.rotation == 270) * 2 > len(words):
        # top-to-bottom text: its first line is the rightmost one, each read downwards
        rotated = sorted(words, key=lambda w: (-round(w.bbox.x1), w.bbox.top))
    else:  # bottom-to-top (or direction not known): first line leftmost, each read upwards
        rotated = sorted(words, key=lambda w: (round(w.bbox.x0), -w.bbox.bottom))
    sep = "" if all(len(w.text) == 1 for w in rotated) else " "
    return sep.join(w.text for w in rotated).strip()


def join_lines(lines: list[list[Word]], settings: CellTextSettings = CELL_TEXT) -> str:
    """The text of a cell whose lines (each its words left to right, top to bottom) are given."""
    return join_tokens([[Token(w.text, w.bbox.x0, w.bbox.x1) for w in ln] for ln in lines if ln], settings)


def join_texts(lines: list[str], settings: CellTextSettings = CELL_TEXT) -> str:
    """The same for lines of text without geometry (text exports): the grammar and the word list decide alone."""
    return join_tokens([[Token(t) for t in ln.split()] for ln in lines if ln.strip()], settings)


def join_tokens(lines: list[list[Token]], settings: CellTextSettings = CELL_TEXT) -> str:
    """The cell's text: each line's tokens joined by spaces, each line break read as a space or as nothing."""
    lines = [ln for ln in lines if ln]
    if not lines:
        return ""
    texts = [" ".join(t.text for t in ln) for ln in lines]
    if len(lines) == 1:
        return texts[0].strip()
    full = _full_lines(lines, settings)
    seps = _number_cell(texts, full, settings)
    if seps is None:
        seps = _words_over_lines(lines, [_break(lines[k], lines[k + 1], full[k]) for k in range(len(lines) - 1)])
    out = texts[0]
    for k, sep in enumerate(seps):
        out = (out[:-1] if sep == "-" else out) + ("" if sep in ("", "-") else " ") + texts[k + 1]
    return out.strip()


def _full_lines(lines: list[list[Token]], settings: CellTextSettings) -> list[bool]:
    """Per line: could it end in a broken word? Its end reaches the cell's widest line within a few characters
    (lines without geometry: always)."""
    if any(t.x0 is None or t.x1 is None for ln in lines for t in ln):
        return [True] * len(lines)
    widths = [(ln[-1].x1 or 0.0) - (ln[0].x0 or 0.0) for ln in lines]
    chars = sum(len(t.text) for ln in lines for t in ln)
    ink = sum((t.x1 or 0.0) - (t.x0 or 0.0) for ln in lines for t in ln)
    char_w = ink / chars if chars else 0.0
    widest = max(widths)
    return [w + settings.full_line_chars * char_w >= widest for w in widths]


def _is_number(text: str) -> bool:
    parsed = parse_number(text)
    return parsed is not None and parsed.value is not None


def _grouped(left: str, right: str) -> bool:
    """Two pieces of one number broken inside: the number has separators (its groups were joined by no-break
    spaces, or the break fell at its decimal comma); two bare digit runs ('2019' / '2020') are two numbers."""
    return bool(re.search(r"[ .,\u00a0\u202f]", (left + right).replace("€", "").replace("%", "").strip()))


def _number_cell(texts: list[str], full: list[bool], settings: CellTextSettings) -> list[str] | None:
    """Separators of a cell holding nothing but one number over several lines, or None when it is not one.

    Readings with fewer joins come first: a number that reads with its spaces keeps them."""
    if not all(NUMBERISH.fullmatch(t) for text in texts for t in text.split()):
        return None
    breaks = [k for k in range(len(texts) - 1) if full[k]]
    if len(breaks) > settings.max_number_breaks:
        return None
    for n in range(len(breaks) + 1):
        for joined in combinations(breaks, n):
            if not all(_grouped(texts[k], texts[k + 1]) for k in joined):
                continue
            seps = ["" if k in joined else " " for k in range(len(texts) - 1)]
            text = texts[0] + "".join(s + t for s, t in zip(seps, texts[1:], strict=True))
            if _is_number(text):
                return seps
    return None


def _numeric_run(tokens: list[Token], from_end: bool) -> str:
    """The number pieces that end (from_end) or start a line."""
    run: list[str] = []
    seq = reversed(tokens) if from_end else iter(tokens)
    for t in seq:
        if not NUMBERISH.fullmatch(t.text):
            break
        run.append(t.text)
    return " ".join(reversed(run) if from_end else run)


def _break(line: list[Token], nxt: list[Token], full: bool) -> str | None:
    """One line break: ' ' (a space), '' (a word or number rejoined), '-' (rejoined without its syllable hyphen),
    or None (a candidate for the word list to decide)."""
    a, b = line[-1].text, nxt[0].text
    if re.search(r"[^\W\d_]-$", a) and b[:1].isalpha():
        before, after = re.split(r"[-'’]", a[:-1])[-1], LETTERS.match(b)
        if after and not lexicon.known(before) and lexicon.known(before + after.group(0)):
            return "-"
        return ""
    if DATE_PIECE.fullmatch(a) and b.isdigit() and DATE.fullmatch(a + b):
        return ""
    if a.endswith("+") or b.startswith("+"):
        return ""
    left, right = _numeric_run(line, True), _numeric_run(nxt, False)
    if left and right and any(c.isdigit() for c in left + right):
        if full and _grouped(left, right) and not _is_number(f"{left} {right}") and _is_number(left + right):
            return ""
        return " "
    if full and len(line) == 1 and _word_piece(a, last=False) and LETTERS.match(b):
        if not (a[-1].islower() and b[0].isupper()):
            return None
    return " "


def _word_piece(token: str, last: bool) -> str | None:
    """The letters a token brings to a word broken over lines: all of it (its part after an apostrophe for the
    first piece); the last piece may end with punctuation. None when it cannot be such a piece."""
    core = re.split(f"[{APOSTROPHES}]", token)[-1]
    if LETTERS.fullmatch(core):
        return core
    if last:
        m = LETTERS.match(token)
        return m.group(0) if m else None
    return None


def _words_over_lines(lines: list[list[Token]], seps: list[str | None]) -> list[str]:
    """The breaks with the candidates (None) decided, chain by chain, by the likeliest cut into words."""
    k = 0
    while k < len(seps):
        if seps[k] is not None:
            k += 1
            continue
        end = k
        while end + 1 < len(seps) and seps[end + 1] is None:
            end += 1
        pieces = [lines[k][-1].text] + [lines[j + 1][0].text for j in range(k, end + 1)]
        cores = [_word_piece(p, last=i == len(pieces) - 1) or p for i, p in enumerate(pieces)]
        for j, joined in enumerate(_best_cut(cores)):
            seps[k + j] = "" if joined else " "
        k = end + 1
    return [s or "" for s in seps]


def _best_cut(pieces: list[str]) -> list[bool]:
    """For consecutive pieces, which boundaries join (True): the cut into words of least total cost (-log10
    probability), fewer words on a tie."""
    n = len(pieces)
    best: list[tuple[float, int, list[bool]]] = [(0.0, 0, [])]
    for end in range(1, n + 1):
        options = []
        for start in range(end):
            cost, words, joins = best[start]
            word = "".join(pieces[start:end])
            cut = joins + ([False] if start > 0 else []) + [True] * (end - start - 1)
            options.append((cost + lexicon.cost(word), words + 1, cut))
        best.append(min(options, key=lambda o: (round(o[0], 6), o[1])))
    return best[n][2]
