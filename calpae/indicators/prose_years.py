"""The year a prose figure is about: its clause or sentence, else the year its paragraph or list carries, the
heading or section it sits under, a data note under it ('Champ : … décembre 2014'), else the document's."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from calpae.indicators.context import section_titles
from calpae.indicators.paragraphs import Sentence
from calpae.indicators.prose_carry import Carried
from calpae.indicators.prose_numbers import Figure
from calpae.indicators.prose_time import heading_year, sentence_year

Heading = tuple[int, int, str]  # (page, line, text)


def heading_entry_before(index: list[Heading], page: int | None, line: int | None) -> Heading | None:
    """The nearest heading-like line above a position."""
    k = bisect_right(index, (page or 0, (line or 0) - 1, "\uffff")) - 1
    return index[k] if k >= 0 else None


def heading_before(index: list[Heading], page: int | None, line: int | None) -> str | None:
    entry = heading_entry_before(index, page, line)
    return entry[2] if entry else None


def figure_year(
    ctx: Any,
    sent: Sentence,
    f: Figure,
    section: str | None,
    carried: Carried | None,
    change: bool = False,
    present: bool = False,
) -> tuple[int | None, str]:
    """Year of a figure and where it came from: its clause or sentence, else its paragraph's or list's, the
    heading's (a list intro only over its list) or section's, a data note under it, a sentence just before, the
    document's."""
    line = sent.line_at(f.start)
    period = ctx.period_at(line.page, line.line_no)
    year, source = sentence_year(sent.text, f.start, f.end, ctx.year, change, period)
    if year is not None:
        return year, source
    usable = carried if source != "comparison" else None
    if usable is not None and not usable.strong and present and ctx.year is not None and usable.year < ctx.year:
        usable = None  # a paragraph in the present speaks of now, whatever year the paragraph before was about
    if usable is not None and usable.strong:
        return usable.year, "carried"
    entry = heading_entry_before(ctx.headings, line.page, line.line_no)
    if entry is not None and not ctx.nature.holds(entry[:2], line.page, line.line_no):
        entry = None  # 'Projection 2021-2022 :' dates its list, not the caption after it
    report = ctx.nature.doc_nature == "actual"
    for title in [entry[2] if entry else None, *section_titles(ctx.doc, section)]:
        if (y := heading_year(title, ctx.year, report, period)) is not None:
            return y, "heading"
    if (y := ctx.notes.year_for(sent, section)) is not None:
        return y, "note"  # the note under a chart dates what it annotates, more surely than the paragraph before
    if usable is not None:
        return usable.year, "carried"
    return ctx.year, "document"


RESTATED_SHARED_WORDS = 3  # content words two sentences must share for one figure to restate the other
RESTATED_MIN_VALUE = 10  # smaller values ('deux associations', '6 conseillers') recur without restating anything
_CONTENT = re.compile(r"[^\W\d_]{3,}")
_RESTATE_STOP = {"les", "des", "dans", "pour", "sur", "par", "avec", "que", "qui", "est", "sont", "ont", "une", "aux"}


def restated_years(figures: list) -> None:
    """A figure the document states again later ('Le diagnostic a montré que près de la moitié (47 %) …') takes
    the year it was given where first stated, when its own sentence and part give none (document's year): the
    same value (not a small one) and unit in a sentence sharing several content words."""
    seen: list = []
    for fig in figures:
        if fig.year_source == "document" and fig.figure.value >= RESTATED_MIN_VALUE:
            words = _words(fig.sentence.text)
            for old in reversed(seen):
                if (old.figure.value, old.figure.unit) != (fig.figure.value, fig.figure.unit) or old.year == fig.year:
                    continue
                if len(words & _words(old.sentence.text)) >= RESTATED_SHARED_WORDS:
                    fig.year, fig.year_source = old.year, "restated"
                    break
        elif fig.kind in ("actual", "baseline"):
            seen.append(fig)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _CONTENT.findall(text)} - _RESTATE_STOP
