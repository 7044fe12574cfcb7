"""Section tree from numbered headings: the longest chain of candidates that fits a numbering sequence.

A heading must follow the previous one as a first child, a next sibling or the next sibling of an
ancestor; numbers met inside tables, prose lists or repeated page-top headings fall out of the chain.
Annexes restart the numbering: "1.2" under "ANNEXE 7" is "annexe-7/1.2".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from calpae.extract.settings import HEADINGS
from calpae.extract.structure.headings import (
    AnnexCandidate,
    HeadingCandidate,
    annex_candidate,
    continuation,
    heading_candidate,
)
from calpae.extract.structure.stamps import clean
from calpae.models import Document, Line, Section


def step_cost(prev: tuple[int, ...], cur: tuple[int, ...]) -> float | None:
    """Penalty for heading `cur` right after `prev` (() = start), or None when it cannot follow."""
    best: float | None = None
    for k in range(len(prev) + 1):
        if cur[:k] != prev[:k] or len(cur) <= k:
            continue
        expected = prev[k] + 1 if k < len(prev) else 1
        if cur[k] == expected and all(x == 1 for x in cur[k + 1 :]):
            cost = HEADINGS.skip_penalty * (len(cur) - k - 1)
            best = cost if best is None else min(best, cost)
    return best


def best_chain(items: Sequence[tuple[tuple[int, ...], float]]) -> list[int]:
    """Indices of the highest-scoring sequence of (numbers, weight) that fits the numbering rules.

    Ties go to earlier items, so of a heading repeated at a page top the first occurrence is kept.
    """
    n = len(items)
    score = [-math.inf] * n
    back = [-1] * n
    for j, (cur, weight) in enumerate(items):
        start = step_cost((), cur)
        if start is not None:
            score[j] = weight - start
        for i in range(max(0, j - HEADINGS.lookback), j):
            if score[i] == -math.inf:
                continue
            cost = step_cost(items[i][0], cur)
            if cost is not None and score[i] + weight - cost > score[j]:
                score[j], back[j] = score[i] + weight - cost, i
    if not n or max(score) == -math.inf:
        return []
    j = max(range(n), key=lambda k: (score[k], -k))
    chain = []
    while j >= 0:
        chain.append(j)
        j = back[j]
    return chain[::-1]


def _annex_chain(cands: list[AnnexCandidate]) -> list[AnnexCandidate]:
    """Annexes in increasing order (a list of annexes on a cover page drops out); ties keep the first."""
    n = len(cands)
    score = [c.weight for c in cands]
    back = [-1] * n
    for j in range(n):
        for i in range(j):
            if cands[i].order < cands[j].order and score[i] + cands[j].weight > score[j]:
                score[j], back[j] = score[i] + cands[j].weight, i
    if not n:
        return []
    j = max(range(n), key=lambda k: (score[k], -k))
    chain = []
    while j >= 0:
        chain.append(cands[j])
        j = back[j]
    return chain[::-1]


def select_annexes(cands: list[AnnexCandidate]) -> list[tuple[AnnexCandidate, AnnexCandidate | None]]:
    """Accepted annexes with their parent: letter annexes nest under the numbered annex they follow."""
    numbered = _annex_chain([c for c in cands if not c.letter])
    letters = [c for c in cands if c.letter]
    if not numbered:
        return [(c, None) for c in _annex_chain(letters)]
    out: list[tuple[AnnexCandidate, AnnexCandidate | None]] = [(c, None) for c in numbered]
    for k, parent in enumerate(numbered):
        end = numbered[k + 1].pos if k + 1 < len(numbered) else math.inf
        inside = [c for c in letters if parent.pos < c.pos < end]
        out.extend((c, parent) for c in _annex_chain(inside))
    return sorted(out, key=lambda pair: pair[0].pos)


def _section(line: Line, number: str, title: str, level: int, parent: str | None) -> Section:
    return Section(
        number=number,
        title=title,
        level=level,
        page=line.page,
        line_no=line.line_no,
        parent=parent,
        top=line.bbox.top if line.bbox else None,
    )


def _full_title(lines: list[Line], pos: int, title: str) -> str:
    nxt = lines[pos + 1] if pos + 1 < len(lines) else None
    if nxt is not None and nxt.page != lines[pos].page:
        nxt = None
    extra = continuation(title, nxt)
    return (
        f"{title.rstrip(' –-—')} – {extra}"
        if extra and title.endswith(("–", "-", "—"))
        else (f"{title} {extra}" if extra else title)
    )


def _segment_sections(
    lines: list[Line], cands: list[HeadingCandidate], prefix: str, base_level: int, root: str | None
) -> list[tuple[int, Section]]:
    """Sections of one numbering segment (the body or one annex), with their line positions."""
    chosen = [cands[i] for i in best_chain([(c.numbers, c.weight) for c in cands])]
    out: list[tuple[int, Section]] = []
    seen: dict[tuple[int, ...], str] = {}
    for c in chosen:
        number = prefix + ".".join(map(str, c.numbers))
        parent = root
        for k in range(len(c.numbers) - 1, 0, -1):
            if c.numbers[:k] in seen:
                parent = seen[c.numbers[:k]]
                break
        seen[c.numbers] = number
        title = _full_title(lines, c.pos, c.title)
        out.append((c.pos, _section(lines[c.pos], number, title, base_level + len(c.numbers), parent)))
    return out


def build_sections(doc: Document) -> None:
    """Fill doc.sections (in reading order) and each table's section."""
    lines = doc.lines()
    annexes = select_annexes([a for i, ln in enumerate(lines) if (a := annex_candidate(ln, i))])
    annex_pos = {a.pos for a, _ in annexes}
    heads = [h for i, ln in enumerate(lines) if i not in annex_pos and (h := heading_candidate(ln, i))]
    sections: list[tuple[int, Section]] = []
    bounds: list[tuple[int, str, int, str | None]] = [(-1, "", 0, None)]  # (start pos, prefix, level, root)
    names: dict[int, str] = {}
    for a, parent in annexes:
        number = (names[parent.pos] + "/" if parent else "") + f"annexe-{a.ident}"
        names[a.pos] = number
        level = 2 if parent else 1
        title = _full_title(lines, a.pos, a.title) if a.title else clean(lines[a.pos].text)
        sections.append((a.pos, _section(lines[a.pos], number, title, level, names[parent.pos] if parent else None)))
        bounds.append((a.pos, number + "/", level, number))
    for k, (start, prefix, level, root) in enumerate(bounds):
        end = bounds[k + 1][0] if k + 1 < len(bounds) else math.inf
        seg = [h for h in heads if start < h.pos < end]
        sections.extend(_segment_sections(lines, seg, prefix, level, root))
    doc.sections = [s for _, s in sorted(sections, key=lambda pair: pair[0])]
    for table in doc.tables:
        table.section = table_section(doc, table)


def _sort_key(s: Section) -> tuple[float, float, float]:
    return (s.page or 0, s.line_no if s.line_no is not None else -math.inf, s.top if s.top is not None else -math.inf)


def section_at(doc: Document, page: int | None, line_no: int | None, top: float | None = None) -> str | None:
    """Number of the section in force at a place: (page, source line) for text, (page, top) for PDFs.

    Without a line or a top, the place is the start of the page; a heading whose position on its page
    is unknown counts as standing before everything else on that page. Without a page, lines alone count.
    """
    here = (page or 0, line_no if line_no is not None else -math.inf, top if top is not None else -math.inf)
    drop_page = page is None  # text inputs: the source line alone places the record
    current = None
    for s in doc.sections:
        key = _sort_key(s)
        if (key[1:] <= here[1:]) if drop_page else (key <= here):
            current = s.number
        else:
            break
    return current


def table_section(doc: Document, table) -> str | None:
    """Section in force at a table's first line (text) or first cell (PDF)."""
    page = table.pages[0] if table.pages else None
    tops = [c.bbox.top for c in table.cells if c.bbox and (page is None or c.page in (None, page))]
    line_no = table.line_start
    if line_no is None:
        lines = [c.line_no for c in table.cells if c.line_no is not None]
        line_no = min(lines) if lines else None
    if page is None and line_no is not None:
        page = 1 if doc.kind != "pdf" else None
    return section_at(doc, page, line_no, min(tops) if tops else None)
