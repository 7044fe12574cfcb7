"""Prose of a document as sentences, each able to say which source line (and page) a character came from."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from calpae.models import Document, Line

_TAGS = re.compile(r"<sup>.*?</sup>|<[^>]+>", re.IGNORECASE)  # superscripts are footnote markers
_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|^#+\s*")
_HEADING_NUMBER = re.compile(r"^\s*(?!\d{1,3}(?:\.\d{3})+(?:,\d+)?\s)(?:\d+\.)+\d*\.?\s+|^\s*\d{1,3}[.)]\s+")
# (a line opening on '1.242.200 €', '1.843 en …' or '2022. Chaque …' starts with a figure, not a heading number)
_BULLET = re.compile(r"^\s*[-•▪◦●‣⇒→✓✔❖➢►·*\ufffd]+\s+")  # U+FFFD: a bullet glyph the PDF did not map
_TABLE_LIKE = re.compile(r"\t|<t[dhr]\b|^\s*\|", re.IGNORECASE)
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\d\.)\s+(?=[«\"(A-ZÀ-Ý0-9])|(?<=\d\.)\s+(?=[«\"(A-ZÀ-Ý]|\d(?!\d{2}\b))|\s+•\s+|\s*[•▪●]\s+"
    r"|(?<=[a-zà-ÿ]) (?=(?:Des|Les|La|Le|Un|Une|Il|Elle|Ils|Elles|Ce|Cette|Ces|Cet)\s[a-zà-ÿ])"  # a lost full stop
    r"|(?<=\b(?:19|20)\d\d\.)\s+(?=\d)"  # '… en 2021. 381 bénéficiaires …': a year ends the sentence
)
MAX_SENTENCE_CHARS = 20_000  # a longer run without a sentence end (a flattened table) is cut at a space


@dataclass
class Sentence:
    """A sentence and the lines its characters came from (offsets into `text`)."""

    text: str
    starts: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    para: int = 0  # index of the paragraph the sentence belongs to

    def line_at(self, offset: int) -> Line:
        """The source line holding the character at `offset`."""
        return self.lines[max(bisect_right(self.starts, offset) - 1, 0)]


def clean_line(text: str) -> str:
    """A prose line without markup, footnote superscripts, bullets or a leading heading number."""
    text = _TAGS.sub("", text)
    text = _MARKUP.sub("", text)
    text = _BULLET.sub("", text)
    text = _HEADING_NUMBER.sub("", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _is_prose(line: Line) -> bool:
    return not (line.furniture or line.in_table or _TABLE_LIKE.search(line.text))


def _table_lines(doc: Document) -> set[tuple[int | None, int]]:
    """(page, line) of the lines a table was read from, when the reader gives its line span."""
    out: set[tuple[int | None, int]] = set()
    for t in doc.tables:
        if t.line_start and t.line_end:
            pages: list[int | None] = list(t.pages) or [None]
            out.update((p, n) for p in pages for n in range(t.line_start, t.line_end + 1))
    return out


def paragraphs(doc: Document) -> Iterator[list[tuple[str, Line]]]:
    """Runs of consecutive prose lines (a blank line, a table line or a page break ends a run); a heading glued to
    the run before or after it ('… du CV.' / 'Projection 2020-2021') is a run of its own."""
    for run in _runs(doc):
        yield from _split_glued(run)


GLUED_HEADING_MAX_CHARS = 60  # a title glued to a paragraph is short …
GLUED_HEADING_MAX_SHARE = 0.6  # … and shorter than this share of the wrapped line it sits against


def _glued_heading(run: list[tuple[str, Line]], k: int) -> bool:
    """A line of a run that is a title set without a blank line: short, capitalised, without final punctuation or
    amount, after a line that ends a sentence (or first in the run) and before a line that starts one (or last)."""
    text = run[k][0]
    if len(run) < 2 or len(text) > GLUED_HEADING_MAX_CHARS or not text[:1].isupper():
        return False
    if text.rstrip().endswith((".", ",", ";", ":", "!", "?")) or re.search(r"\d\s*(?:%|€)", text):
        return False
    after_end = k == 0 or run[k - 1][0].rstrip().endswith((".", "!", "?", ";"))
    before_start = k == len(run) - 1 or run[k + 1][0][:1].isupper()
    if k == 0:
        return before_start and len(text) < GLUED_HEADING_MAX_SHARE * len(run[1][0])
    return after_end and before_start


def _split_glued(run: list[tuple[str, Line]]) -> Iterator[list[tuple[str, Line]]]:
    part: list[tuple[str, Line]] = []
    for k, item in enumerate(run):
        if _glued_heading(run, k):
            if part:
                yield part
            yield [item]
            part = []
        else:
            part.append(item)
    if part:
        yield part


def _runs(doc: Document) -> Iterator[list[tuple[str, Line]]]:
    run: list[tuple[str, Line]] = []
    last_page = None
    in_tables = _table_lines(doc)
    pages_known = all(p is not None for p, _ in in_tables)
    for line in doc.lines(include_furniture=True):
        if line.furniture:
            continue  # a stamp between two halves of a sentence does not split it
        key = (line.page if pages_known else None, line.line_no or 0)
        text = clean_line(line.text) if _is_prose(line) and key not in in_tables else ""
        if text and _BULLET.match(line.text) and run:
            yield run  # a bullet starts a new item even without a blank line before it
            run = []
        if not text or (doc.kind == "pdf" and line.page != last_page and run and _ends_sentence(run[-1][0])):
            if run:
                yield run
            run = []
        if text:
            run.append((text, line))
        last_page = line.page
    if run:
        yield run


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ":"))


def sentences(doc: Document) -> Iterator[Sentence]:
    """Sentences of the prose, split at sentence ends and bullets, with their source lines. A run longer than
    MAX_SENTENCE_CHARS without a sentence end (a flattened table) is cut at spaces: what reads a sentence later
    (spaCy among others) then works on bounded pieces."""
    for index, para in enumerate(paragraphs(doc)):
        parts: list[str] = []
        starts: list[int] = []
        lines: list[Line] = []
        size = 0
        for part, line in para:
            if parts:
                size += 1
            starts.append(size)
            lines.append(line)
            parts.append(part)
            size += len(part)
        text = " ".join(parts)
        pos = 0
        for m in list(_SENTENCE_END.finditer(text)) + [None]:
            end = m.start() if m else len(text)
            for a, b in _pieces(text, pos, end):
                chunk = text[a:b]
                if chunk.strip():
                    lead = len(chunk) - len(chunk.lstrip())
                    sent = _slice(chunk.strip(), a + lead, starts, lines)
                    sent.para = index
                    yield sent
            pos = m.end() if m else len(text)


def _pieces(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """[a, b) cut at spaces into pieces of at most MAX_SENTENCE_CHARS (one piece, almost always)."""
    while b - a > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", a + 1, a + MAX_SENTENCE_CHARS)
        cut = cut if cut > a else a + MAX_SENTENCE_CHARS
        yield a, cut
        a = cut
    yield a, b


def _slice(text: str, first: int, starts: list[int], lines: list[Line]) -> Sentence:
    """The sentence text[first:first+len(text)] with its lines: found by bisection, so each costs its own length."""
    idx = max(bisect_right(starts, first) - 1, 0)
    stop = max(bisect_left(starts, first + len(text)), idx + 1)
    sub_starts = [max(s - first, 0) for s in starts[idx:stop]]
    return Sentence(text=text, starts=sub_starts, lines=lines[idx:stop])


HEADING_MAX_CHARS = 160


def headings(doc: Document) -> list[tuple[int, int, str]]:
    """(page, line, text) of the heading-like lines of the prose: one-line paragraphs or bold lines that do not end
    a sentence ('⇒ Nombre de nouveaux entrants', 'RÉALISATIONS', 'Perspectives 2020', 'Budget de l'action')."""
    out = []
    for para in paragraphs(doc):
        for k, (text, line) in enumerate(para):
            single = len(para) == 1
            if not (single or line.bold) or len(text) > HEADING_MAX_CHARS or text.rstrip().endswith((".", ";", ",")):
                continue
            if text.rstrip().endswith(":") and re.search(r"\d", re.sub(r"\b(?:19|20)\d\d\b", "", text)):
                continue  # a list intro stating figures ('459 personnes entrées …, soit 102 % :'), not a heading
            if re.search(r"\d\s*(?:%|€|k€|M€|euros)", text):
                continue  # a caption stating an amount or a share, not a heading
            if (single or k == 0) and not text[:1].islower():
                out.append((line.page or 0, line.line_no or 0, text.rstrip(" :")))
    return out
