"""Column meanings of an indicator table, read from its header cells (measure, indicator, value, comment)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from rapidfuzz.distance import Levenshtein

from calpae import textnorm
from calpae.models.records import ValueKind

ColumnKind = Literal["measure", "indicator", "value", "comment", "other"]

_YEAR = re.compile(r"(?<!\d)(20[0-4]\d|19[89]\d)(?!\d)")
_TARGET = ("attendu", "cible", "objectif", "prevu", "prevision")
# 'resulta': a narrow column wraps 'Résultat' mid-word ('Résulta' / 't atteint', OCR reading 'tatteint')
_ACTUAL = ("resulta", "atteint", "realise", "constate")
_BASELINE = ("situation", "reference", "t0")
_COMMENT = ("justification", "explication", "commentaire", "observation", "ecart", "remarque", "analyse")
_MEASURE = ("mesure", "action", "engagement", "axe")
_INDICATOR = ("indicateur",)


def fold(text: str) -> str:
    """Lower-case, accents removed, HTML tags and extra spaces dropped: for keyword tests only."""
    return textnorm.fold(re.sub(r"<[^>]+>", " ", text or ""))


def _has(words: tuple[str, ...], folded: str) -> bool:
    return any(re.search(rf"\b{re.escape(w)}", folded) for w in words)


def _near_kind(folded: str) -> Literal["baseline", "actual", "target"] | None:
    """The kind a header word one letter off a kind word states ('resuilta' read by OCR for 'résulta(t)'), when no
    word states one as written; words of 6 letters and more only, the first kind word within reach wins."""
    for token in re.findall(r"[a-z]{6,}", folded):
        kinds: tuple[tuple[Literal["baseline", "actual", "target"], tuple[str, ...]], ...] = (
            ("target", _TARGET),
            ("actual", _ACTUAL),
            ("baseline", _BASELINE),
        )
        for kind, words in kinds:
            for w in words:
                if len(w) >= 6 and min(Levenshtein.distance(token[: len(w) + k], w) for k in (0, 1)) <= 1:
                    return kind
                if len(token) >= 6 and w.startswith(token):  # a word a narrow column wrapped ('Situati' / 'on')
                    return kind
    return None


@dataclass(frozen=True)
class Column:
    """What one column of an indicator table holds."""

    index: int
    kind: ColumnKind
    header: str
    year: int | None = None
    value_kind: Literal["baseline", "actual", "target"] | None = None
    inferred: str | None = None  # the header prints no year: how the year was taken from the table (fill_years)


def _starts_as_value(folded: str) -> bool:
    """A header that opens with a result word ('Résultat attendu … en 2022'): a comment word inside it was glued
    on from the empty comment column beside it, the column still holds values."""
    first = folded.split(" ", 1)[0] if folded else ""
    return any(first.startswith(w) for w in _TARGET + _ACTUAL + _BASELINE)


def states_kind(header: str) -> bool:
    """True when a value header says which value it holds (result, target, baseline), not only its year."""
    folded = fold(header)
    return _has(_TARGET + _ACTUAL + _BASELINE, folded) or _near_kind(folded) is not None


def classify_header(index: int, header: str) -> Column:
    """Meaning of one header cell: a value column needs a year; words decide baseline/actual/target."""
    folded = fold(header)
    years = _YEAR.findall(folded)
    if _has(_COMMENT, folded) and not (years and _starts_as_value(folded)):
        return Column(index, "comment", header)
    if years and not _has(_INDICATOR, folded):
        kind: ValueKind
        if _has(_TARGET, folded):
            kind = "target"
        elif _has(_ACTUAL, folded):
            kind = "actual"
        elif _has(_BASELINE, folded):
            kind = "baseline"
        else:
            kind = _near_kind(folded) or "actual"
        return Column(index, "value", header, int(years[0]), kind)
    if _has(_INDICATOR, folded):
        return Column(index, "indicator", header)
    if _has(_MEASURE, folded):
        return Column(index, "measure", header)
    if folded.startswith("comment") or "definition" in folded:
        return Column(index, "comment", header)
    return Column(index, "other", header)


def as_value_column(col: Column) -> Column | None:
    """The value column a comment column's header also describes, once its comment words are dropped
    ('Explication Résultat attendu en 2022 (cible)': the empty comment column's header glued onto a rotated value
    header); None when what is left names no year. The caller decides from the column's cells."""
    if col.kind != "comment":
        return None
    words = [w for w in col.header.split() if not _has(_COMMENT, fold(w))]
    alt = classify_header(col.index, " ".join(words))
    return replace(alt, header=col.header) if alt.kind == "value" else None


def stated_kind(header: str) -> Literal["baseline", "actual", "target"] | None:
    """The kind of value a header names in words (result, target, baseline), whatever its year; None if none."""
    folded = fold(header)
    if _has(_TARGET, folded):
        return "target"
    if _has(_ACTUAL, folded):
        return "actual"
    if _has(_BASELINE, folded):
        return "baseline"
    return _near_kind(folded)


def _named(col: Column) -> str:
    """How a header is named in a note: its text on one line, or 'a blank header'."""
    text = " ".join(col.header.split())
    return f"the header '{text}'" if text else "a blank header"


def fill_years(cols: list[Column], holds_values: list[bool]) -> list[Column]:
    """A column left unnamed between two value columns one year apart on each side ('Résultat atteint en 2019',
    '…', 'Résultat atteint en 2021'): OCR lost the line of its header that held the year ('en 2020'), or its header
    was read into its neighbour's ('Année Année 2019 2020'). Its header must state the kind of value (or be blank
    with the neighbours of one kind) and its body cells must be values (holds_values, by column index); it then
    holds the year between its neighbours'. Columns with no body cell (a speck read between two) are passed over.
    Years run left to right in these tables: a gap of two is the evidence. A baseline header without its year
    ('Situation du département': OCR lost the '2018' line) just left of the first dated results, and before any of
    them, is the situation the year before they start."""
    out = list(cols)
    used = [c for c in cols if holds_values[c.index] or c.kind == "value"]
    dated = [c for c in used if c.kind == "value" and c.year is not None]
    years = [c.year for c in dated if c.year is not None]
    for i in range(len(used) - 1):
        col, right = used[i], used[i + 1]
        if (
            col.kind == "other"
            and holds_values[col.index]
            and stated_kind(col.header) == "baseline"
            and dated
            and right is dated[0]
            and right.value_kind != "baseline"
            and right.year == min(years)
        ):  # 'Situation du département' (its '2018' line lost) before the first year of results: the year before
            year = (right.year or 0) - 1
            why = f"{_named(col)}, a baseline, prints no year: {year}, the year before the first results"
            out[col.index] = Column(col.index, "value", col.header, year, "baseline", why)
    for i in range(1, len(used) - 1):
        col, left, right = used[i], used[i - 1], used[i + 1]
        if col.kind != "other" or not holds_values[col.index]:
            continue
        if left.kind != "value" or right.kind != "value" or left.year is None or right.year is None:
            continue
        if right.year - left.year != 2:
            continue
        kind = stated_kind(col.header) if col.header.strip() else None
        if kind is None and not col.header.strip() and left.value_kind == right.value_kind:
            kind = left.value_kind
        if kind is not None:
            why = f"{_named(col)} prints no year: {left.year + 1}, between its neighbours' {left.year} and {right.year}"
            out[col.index] = Column(col.index, "value", col.header, left.year + 1, kind, why)
    return _fill_after_results(out, used)


def _fill_after_results(out: list[Column], used: list[Column]) -> list[Column]:
    """Right of the last dated results (year y, every dated column left of it), a column holding values whose
    header states a target but lost its year ('Résultat attendu (cible)': OCR lost the 'Année 2022' spanning it and
    its neighbour) is the target of year y + 1; a column stating a result just right of it, also without a year, is
    that year's result (the pair a year's band spans)."""
    dated = [k for k, c in enumerate(used) if out[c.index].kind == "value" and out[c.index].year is not None]
    if not dated:
        return out
    last = out[used[dated[-1]].index]
    k = dated[-1] + 1
    if last.value_kind != "actual" or last.year is None or k >= len(used):
        return out
    col = used[k]
    if out[col.index].kind != "other" or stated_kind(col.header) != "target":
        return out
    year = last.year + 1
    why = f"{_named(col)} prints no year: {year}, the year after the last dated results ({last.year})"
    out[col.index] = Column(col.index, "value", col.header, year, "target", why)
    if k + 1 < len(used) and out[(nxt := used[k + 1]).index].kind == "other" and stated_kind(nxt.header) == "actual":
        why = f"{_named(nxt)} prints no year: {year}, the year of the target just left of it"
        out[nxt.index] = Column(nxt.index, "value", nxt.header, year, "actual", why)
    return out


def classify_columns(header: list[str]) -> list[Column] | None:
    """Columns of an indicator table, or None when the header is not one (needs indicators and values)."""
    cols = [classify_header(i, h) for i, h in enumerate(header)]
    if sum(c.kind == "indicator" for c in cols) != 1 or not any(c.kind == "value" for c in cols):
        return None
    return cols


def find_header(grid: list[list[str]], max_rows: int = 3) -> tuple[int, list[Column]] | None:
    """Index of the header row among the first rows and its columns; wrapped headers are joined upwards."""
    for r, row in enumerate(grid[:max_rows]):
        cols = classify_columns(row)
        if cols is None:
            continue
        return r, _merge_continuation(grid, r, cols)
    return None


def _merge_continuation(grid: list[list[str]], r: int, cols: list[Column]) -> list[Column]:
    """A header may wrap over a separator row and a continuation row that holds header words only."""
    texts = list(grid[r])
    nxt = r + 1
    while nxt < len(grid) and nxt <= r + 2:
        row = grid[nxt]
        if all(re.fullmatch(r"[\s\-=|:]*", c or "") for c in row):
            nxt += 1
            continue
        ind = next(c.index for c in cols if c.kind == "indicator")
        values = [row[c.index] for c in cols if c.kind == "value"]
        if not (row[ind] or "").strip() and not any(v.strip() for v in values):
            texts = [f"{a} {b}".strip() for a, b in zip(texts, row, strict=False)]
        break
    merged = classify_columns(texts)
    return merged if merged is not None else cols


def header_rows(grid: list[list[str]], r: int, cols: list[Column]) -> int:
    """Number of rows the header occupies from row r (separator and continuation rows included)."""
    end = r + 1
    ind = next(c.index for c in cols if c.kind == "indicator")
    while end < len(grid) and end <= r + 2:
        row = grid[end]
        if all(re.fullmatch(r"[\s\-=|:]*", c or "") for c in row):
            end += 1
            continue
        values = [row[c.index] for c in cols if c.kind == "value"]
        if not (row[ind] or "").strip() and not any(v.strip() for v in values) and any(x.strip() for x in row):
            end += 1
        break
    return end
