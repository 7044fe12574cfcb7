"""The sentences of a document that hold figures, each with the year the text before it has been talking about.

A year runs on through the rest of its paragraph, into the items of a list a dated line introduces ('Durant
l'année 2018 :'), and weakly into the next paragraph. A year after the document's ('À fin 2021, …') does not set the
time of the result sentences after it, but it does for the targets of its paragraph ('Passer … à 120 à fin 2021.
Favoriser le maintien d'une cinquantaine de personnes …').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from calpae.indicators.paragraphs import Sentence, sentences
from calpae.indicators.prose_filters import departement_number, reason_not_value
from calpae.indicators.prose_numbers import Figure, find_figures, has_figure_hint
from calpae.indicators.prose_time import Period, segments, sentence_year

CARRY_LINES = 3  # a sentence this close after a dated one, with no year of its own, shares its year
NOTE_MAX_CHARS = 120  # a sentence this short right after one stating money may say what the money is
_BULLET = re.compile(r"^\s*(?:[-–•✓✔✚↳➢►▪◦*]|o\s)")
_WORDS = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Carried:
    """A year handed over from the text before; strong within a paragraph or a list, weak across paragraphs.
    `at` is the (page, line) where the sentence that named it ends (a heading below it is more recent)."""

    year: int
    strong: bool
    at: tuple[int, int] = (0, 0)


@dataclass
class Candidate:
    """A sentence holding figures, the year the text before it sets, the later year its paragraph aims at, and the
    short sentence after it."""

    sent: Sentence
    figures: list[Figure]
    carried: Carried | None
    after: str | None = None
    aim_year: int | None = None


@dataclass
class _YearCarry:
    """The year the text has just been talking about, the paragraph that now holds it, and where it was written."""

    year: int | None = None
    para: int = -1  # the paragraph holding the year (written there or handed over to it)
    src_para: int = -1  # the paragraph, and the last line of the sentence, that wrote it
    src_line: int = -1
    src_at: tuple[int, int] = (0, 0)
    intro_year: int | None = None
    intro_at: tuple[int, int] = (0, 0)
    aim: tuple[int, int] | None = None  # (paragraph, year) of a later year its paragraph aims at

    def carried(self, sent: Sentence) -> Carried | None:
        """The year handed to this sentence, and whether the hand-over is strong (same paragraph, list item)."""
        bullet = bool(_BULLET.match(sent.lines[0].text)) if sent.lines else False
        if self.intro_year is not None and bullet:
            return Carried(self.intro_year, True, self.intro_at)
        if self.year is None:
            return None
        if sent.para == self.para or (sent.para == self.para + 1 and sent.text[:1].islower()):
            return Carried(self.year, True, self.src_at)  # a sentence a blank line cut is still one paragraph
        first = sent.lines[0].line_no or 0 if sent.lines else 0
        if not bullet and (0 <= first - self.src_line <= CARRY_LINES or sent.para == self.src_para + 1):
            return Carried(self.year, False, self.src_at)  # the paragraph right after the one that dates it
        return None

    def aim_year(self, sent: Sentence) -> int | None:
        return self.aim[1] if self.aim is not None and self.aim[0] == sent.para else None

    def update(self, sent: Sentence, doc_year: int | None, period: Period | None, carried: Carried | None) -> None:
        bullet = bool(_BULLET.match(sent.lines[0].text)) if sent.lines else False
        intro = sent.text.rstrip().endswith(":")
        year = main_segment_year(sent, doc_year, period) if any(ch.isdigit() for ch in sent.text) else None
        if year is not None and doc_year is not None and year > doc_year:
            self.aim = (sent.para, year)
            year = None  # a statement about the future does not set the time of the results after it
        end = sent.lines[-1] if sent.lines else None
        last = end.line_no or 0 if end else self.src_line
        at = ((end.page or 0) if end else 0, last)
        if year is not None:
            self.year, self.para, self.src_para, self.src_line, self.src_at = year, sent.para, sent.para, last, at
        elif carried is not None and not intro:
            self.year, self.para = carried.year, sent.para  # the time a paragraph is about runs on through it
        if intro:
            if year is not None or not bullet:
                self.intro_year, self.intro_at = year, at
        elif not bullet:
            self.intro_year = None


def candidates(ctx: Any) -> list[Candidate]:
    """The sentences of the document that hold figures worth a fact, with the year carried to each."""
    out: list[Candidate] = []
    carry = _YearCarry()
    last: Candidate | None = None
    for sent in sentences(ctx.doc):
        if last is not None and len(sent.text) <= NOTE_MAX_CHARS and sent.lines and last.sent.lines:
            if 0 < (sent.lines[0].line_no or 0) - (last.sent.lines[-1].line_no or 0) <= CARRY_LINES:
                last.after = sent.text
        last = None
        carried = carry.carried(sent)
        period = ctx.period_at(sent.lines[0].page, sent.lines[0].line_no) if sent.lines else None
        carry.update(sent, ctx.year, period, carried)
        if not has_figure_hint(sent.text) or len(_WORDS.findall(sent.text)) < 2:
            continue
        code = ctx.doc.departement_code
        figs = [
            f
            for f in find_figures(sent.text)
            if reason_not_value(sent.text, f) is None and not departement_number(sent.text, f, code)
        ]
        if figs:
            last = Candidate(sent, figs, carried, aim_year=carry.aim_year(sent))
            out.append(last)
    return out


def main_segment_year(sent: Sentence, doc_year: int | None, period: Period | None = None) -> int | None:
    """The year a sentence's main statement is about (what the next sentence of its paragraph inherits)."""
    segs = [s for s in segments(sent.text) if not s[2]]
    if not segs:
        return None
    year, source = sentence_year(sent.text, segs[0][0], segs[0][0], doc_year, period=period, figure=False)
    return year if source in ("clause", "sentence") else None
