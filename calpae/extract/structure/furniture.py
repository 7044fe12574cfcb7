"""Page furniture: prefecture stamps, running headers/footers and page numbers, flagged so parsers skip them.

One detector in two passes. Before tables are looked for, `repeated_furniture` gives the lines repeated at the
same place in the top or bottom band of the pages (table finders skip them, nothing is flagged yet); after tables,
`mark_furniture` flags stamps, the headers that follow them, running lines and page numbers on the Document. Both
passes keep a table header that recurs at each page top (`heads_table`)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import pairwise

from rapidfuzz.fuzz import ratio

from calpae.extract.numbers.cells import is_amount_row, split_line
from calpae.extract.settings import DEFAULT_FONT_SIZE, FURNITURE
from calpae.extract.structure.stamps import (
    StampBlock,
    actes_from_blocks,
    clean,
    is_date_continuation,
    is_prefecture_continuation,
    stamp_kind,
)
from calpae.models import Document, Line, Page

_STRAY_TOKEN = re.compile(r"^[A-ZÀ-Ý]{2,12}$")
_HEADING_LIKE = re.compile(
    r"^\s*(?:\d{1,2}\.)+\d{0,2}\.?\s|^\s*\d{1,2}\s+[A-ZÀ-Ý]|^\s*(?:annexe|article)\s", re.IGNORECASE
)
_PAGE_EXPLICIT = [
    re.compile(r"^page\s+(\d{1,4})(?:\s*(?:/|sur|of)\s*(\d{1,4}))?$", re.IGNORECASE),
    re.compile(r"^[-–—]\s*(\d{1,4})\s*[-–—]$"),
]
_PAGE_BARE = re.compile(r"^(\d{1,4})(?:\s*/\s*(\d{1,4}))?$")


def normalise(text: str) -> str:
    """Comparison key for repeated lines: decoration dropped, digits as '#', whitespace collapsed."""
    return re.sub(r"\d", "#", clean(text)).casefold()


def _nonblank(lines: list[Line]) -> list[int]:
    return [i for i, ln in enumerate(lines) if ln.text.strip()]


def find_stamp_blocks(lines: list[Line]) -> list[StampBlock]:
    """Stamp blocks of one page: stamp lines, their continuations and the short lines between them."""
    idx = _nonblank(lines)
    kinds: dict[int, str] = {}
    pos = 0
    while pos < len(idx):
        i = idx[pos]
        kind = stamp_kind(lines[i].text)
        if kind:
            kinds[i] = kind
            nxt = idx[pos + 1] if pos + 1 < len(idx) else None
            if nxt is not None and not stamp_kind(lines[nxt].text) and _continues(kind, lines[i].text, lines[nxt].text):
                kinds[nxt] = "+" + kind
                pos += 1
        pos += 1
    blocks: list[list[int]] = []
    for i in sorted(kinds):
        if blocks:
            prev = blocks[-1][-1]
            between = [j for j in idx if prev < j < i]
            if len(between) <= FURNITURE.stamp_gap_lines and all(
                len(clean(lines[j].text)) <= FURNITURE.stamp_inner_chars for j in between
            ):
                blocks[-1].append(i)
                continue
        blocks.append([i])
    out = []
    for members in blocks:
        fields = _fields(lines, members, kinds)
        if len(fields) >= FURNITURE.stamp_min_fields or any(k == "id" for k, _ in fields):
            out.append(
                StampBlock(start=members[0], end=_stray_end(lines, idx, members[-1], len(fields)), fields=fields)
            )
    return out


def _continues(kind: str, text: str, nxt: str) -> bool:
    """Whether the next line finishes this stamp line (a date cut after its day, a préfecture name)."""
    if kind == "transmitted" and is_prefecture_continuation(nxt):
        return True
    return (
        kind in ("displayed", "sent", "received", "transmitted")
        and re.search(r"\d{1,2}\s*$", clean(text)) is not None
        and is_date_continuation(nxt)
    )


def _fields(lines: list[Line], members: list[int], kinds: dict[int, str]) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for i in members:
        kind = kinds[i]
        if kind.startswith("+") and fields:
            fields[-1] = (fields[-1][0], fields[-1][1] + " " + clean(lines[i].text))
        else:
            fields.append((kind, clean(lines[i].text)))
    return fields


def _stray_end(lines: list[Line], idx: list[int], last: int, n_fields: int) -> int:
    """Extend a full stamp (3+ fields) over one stray all-caps word printed just after it."""
    after = [j for j in idx if j > last]
    if n_fields >= FURNITURE.stray_after_fields and after and _STRAY_TOKEN.match(clean(lines[after[0]].text)):
        return after[0]
    return last


def mark_stamps(doc: Document) -> list[tuple[Page, StampBlock]]:
    """Flag every stamp block as furniture and return them with their page."""
    found = []
    for page in doc.pages:
        for block in find_stamp_blocks(page.lines):
            for ln in page.lines[block.start : block.end + 1]:
                ln.furniture = True
            found.append((page, block))
    return found


def _next_content(lines: list[Line], start: int, count: int) -> list[int]:
    out = []
    for i in range(start, len(lines)):
        if lines[i].text.strip() and not lines[i].furniture:
            out.append(i)
            if len(out) == count:
                break
    return out


def mark_headers_after_stamps(doc: Document, blocks: list[tuple[Page, StampBlock]]) -> None:
    """A line (or short block) that recurs 3+ times right after stamp blocks is a running header."""
    followers = [(page, _next_content(page.lines, b.end + 1, FURNITURE.edge_lines)) for page, b in blocks]
    keys: set[tuple[int, str]] = set()
    alive = list(followers)
    for offset in range(FURNITURE.edge_lines):
        # the first line may carry a page number; lines below it must repeat exactly
        key = normalise if offset == 0 else _exact_key
        counts = Counter(key(p.lines[f[offset]].text) for p, f in alive if len(f) > offset)
        new = {k for k, n in counts.items() if n >= FURNITURE.min_repeats and not _is_heading_like(k)}
        if not new:
            break
        keys |= {(offset, k) for k in new}
        alive = [(p, f) for p, f in alive if len(f) > offset and key(p.lines[f[offset]].text) in new]
    first = {k for o, k in keys if o == 0}
    rest = {k for o, k in keys if o > 0}
    for page in doc.pages:
        for i, ln in enumerate(page.lines):
            if ln.furniture or ln.in_table or not (normalise(ln.text) in first or clean(ln.text).casefold() in rest):
                continue
            if not heads_table(page.lines, i):
                ln.furniture = True


def heads_table(lines: list[Line], i: int) -> bool:
    """A line of a table header that recurs where each page starts with a table of the same model, not a running
    header: set in three cells or more with a table row below it on its page, or stacked right above such a line
    (the top lines of a header whose cells wrap over several lines: 'Situation' over 'Résultat' over …; a
    prefecture stamp set close above a table is no part of it)."""
    if _heads_row(lines, i):
        return True
    above = lines[i]
    if stamp_kind(above.text):
        return False
    for j in range(i + 1, min(len(lines), i + 1 + FURNITURE.head_reach)):
        ln = lines[j]
        if not ln.text.strip():
            continue
        if ln.bbox is None or above.bbox is None or stamp_kind(ln.text):
            return False
        size = max((w.size or DEFAULT_FONT_SIZE for w in above.words), default=DEFAULT_FONT_SIZE)
        if ln.bbox.top - above.bbox.bottom > FURNITURE.head_stack_gap * size:
            return False
        if _heads_row(lines, j):
            return True
        above = ln
    return False


def _heads_row(lines: list[Line], i: int) -> bool:
    """A line set in three cells or more, with a table row below it on its page."""
    words = [w for w in lines[i].words if w.upright]
    gaps = sum(
        1 for a, b in pairwise(words) if b.bbox.x0 - a.bbox.x1 > FURNITURE.head_cell_gap * (a.size or DEFAULT_FONT_SIZE)
    )
    if gaps < FURNITURE.head_min_gaps:
        return False
    below = [ln for ln in lines[i + 1 :] if ln.text.strip() and not ln.furniture][: FURNITURE.head_reach]
    return any(ln.words and is_amount_row(split_line(ln)) for ln in below)


def _is_heading_like(key: str) -> bool:
    return _HEADING_LIKE.match(key.replace("#", "1")) is not None


def _exact_key(text: str) -> str:
    return clean(text).casefold()


def _edge_lines(page: Page) -> list[Line]:
    """Lines in the header/footer zone of a page: by position when known, else the first/last few."""
    content = [ln for ln in page.lines if ln.text.strip() and not ln.furniture]
    boxes = [ln.bbox for ln in content if ln.bbox]
    if page.height and content and len(boxes) == len(content):
        top, bottom = FURNITURE.edge_share * page.height, (1 - FURNITURE.edge_share) * page.height
        zone = [ln for ln, box in zip(content, boxes, strict=True) if box.bottom <= top or box.top >= bottom]
        head = content[: FURNITURE.edge_lines] + content[-FURNITURE.edge_lines :]
        return [ln for ln in zone if ln in head] or []
    return content[: FURNITURE.edge_lines] + content[-FURNITURE.edge_lines :]


def mark_running_lines(doc: Document) -> None:
    """Lines repeated at the top or bottom of many pages (≥ 3 pages and ≥ 30 %) are headers/footers."""
    if len(doc.pages) < FURNITURE.min_repeats:
        return
    pages_of: dict[str, set[int]] = defaultdict(set)
    where: dict[str, list[Line]] = defaultdict(list)
    for page in doc.pages:
        for ln in _edge_lines(page):
            if ln.in_table or "€" in ln.text:
                continue
            key = normalise(ln.text)
            if not key or _is_heading_like(key):
                continue
            pages_of[key].add(page.number)
            where[key].append(ln)
    need = max(FURNITURE.min_repeats, FURNITURE.min_page_share * len(doc.pages))
    pages_index = {page.number: k for k, page in enumerate(doc.pages)}
    keys = {key for key, pages in pages_of.items() if len(pages) >= need and numbers_follow_pages(where[key])}

    def running(o: Line) -> bool:
        return o.furniture or normalise(o.text) in keys

    for key in keys:
        for ln in where[key]:
            if ln.page not in pages_index:
                continue
            on = doc.pages[pages_index[ln.page]]
            i = on.lines.index(ln)
            if not heads_table(on.lines, i) and not _inside_body(on.lines, i, on.height, running):
                ln.furniture = True


def _inside_body(lines: list[Line], i: int, height: float | None, running: Callable[[Line], bool]) -> bool:
    """True when body text stands between line i and its page's edge: a heading or a paragraph above a line near
    the top ('1.2.2. Budget exécuté' over a table's header 'Actions menées | Réalisé 2019' that each page sets at
    one height), below one near the bottom. Running lines, stamps and page numbers stand at the edge, nothing of
    the body beyond them. running: whether a line is one of those (flagged, or repeated like them)."""
    ln = lines[i]
    if ln.bbox is None or not height:
        return False
    top = edge_place(ln, height)[1] == "top"
    beyond = lines[:i] if top else lines[i + 1 :]
    return any(
        o.text.strip()
        and o.bbox is not None
        and (o.bbox.bottom <= ln.bbox.top if top else o.bbox.top >= ln.bbox.bottom)
        and not stamp_kind(o.text)
        and (_is_heading_like(normalise(o.text)) or not running(o))
        for o in beyond
    )


def numbers_follow_pages(lines: list[Line]) -> bool:
    """Lines equal up to digits are one running line only if each number is fixed or counts pages.

    'Rapport 2020 – page 7' qualifies; 'Fiche action n°3' on one page and 'n°4' on the next
    qualifies only when the fiches really are one per page.
    """
    values = [[int(x) for x in re.findall(r"\d+", ln.text)] for ln in lines]
    if len({len(v) for v in values}) != 1:
        return False
    for pos in range(len(values[0])):
        column = [v[pos] for v in values]
        if len(set(column)) > 1 and len({x - (ln.page or 0) for x, ln in zip(column, lines, strict=True)}) > 1:
            return False
    return True


def mark_page_numbers(doc: Document) -> None:
    """'Page 3 sur 40' / '- 12 -' lines anywhere; bare '12' or '12/40' at page edges when they count pages."""
    bare: list[tuple[int, int, Line]] = []
    for page in doc.pages:
        edge = _edge_lines(page) if len(doc.pages) > 1 else []
        reach = FURNITURE.page_number_edge_lines
        edge_ids = {id(ln) for ln in edge[:reach] + edge[-reach:]}
        for ln in page.lines:
            if ln.furniture or not ln.text.strip():
                continue
            t = clean(ln.text)
            if any(p.match(t) for p in _PAGE_EXPLICIT):
                ln.furniture = True
            elif id(ln) in edge_ids and not ln.in_table and (m := _PAGE_BARE.match(t)):
                total = m.group(2)
                if total is None or int(m.group(1)) <= int(total):
                    bare.append((page.number, int(m.group(1)), ln))
    offsets = Counter(value - number for number, value, _ in bare)
    if not offsets:
        return
    offset, count = offsets.most_common(1)[0]
    if count >= FURNITURE.page_number_min_pages:
        for number, value, ln in bare:
            if value - number == offset:
                ln.furniture = True


def mark_furniture(doc: Document) -> None:
    """Flag furniture lines and keep what the ACTES stamp tells on doc.actes."""
    blocks = mark_stamps(doc)
    if blocks:
        doc.actes = actes_from_blocks([b for _, b in blocks]) or doc.actes
        mark_headers_after_stamps(doc, blocks)
    mark_running_lines(doc)
    mark_page_numbers(doc)


def edge_place(line: Line, height: float) -> tuple[str, str, float]:
    """Text with digits blurred ('Page 3' and 'Page 4' match), the edge it sits near, and its distance from that edge
    in points: a footer keeps its distance from the bottom edge on portrait and landscape pages alike."""
    text = re.sub(r"\d+", "#", line.text.strip().lower())
    box = line.bbox
    top, bottom = (box.top, box.bottom) if box else (0.0, 0.0)
    if top <= height - bottom:
        return text, "top", top
    return text, "bottom", height - bottom


def repeated_furniture(
    pages_lines: list[list[Line]], heights: list[float], min_pages: int = FURNITURE.min_repeats
) -> set[int]:
    """ids of lines in the top/bottom band repeated at the same distance from the same edge (within
    `same_place_step` points) on >= min_pages pages (the pass before tables: nothing is flagged, the table finders
    skip these lines)."""
    seen: dict[tuple[str, str], list[tuple[float, Line]]] = defaultdict(list)
    for lines, height in zip(pages_lines, heights, strict=True):
        band = FURNITURE.same_place_band * height
        for i, ln in enumerate(lines):
            if ln.bbox is None or not ln.text.strip():
                continue
            # a table header repeated where each page starts a table of one model is not furniture
            if (ln.bbox.top <= band or ln.bbox.bottom >= height - band) and not heads_table(lines, i):
                text, edge, distance = edge_place(ln, height)
                seen[(text, edge)].append((distance, ln))
    n_pages = len(pages_lines)
    need = min(min_pages, n_pages) if n_pages >= 2 else min_pages
    found: set[int] = set()
    for group in seen.values():
        group.sort(key=lambda item: item[0])
        start = covered = 0
        pages: Counter[int | None] = Counter()
        for end, (distance, line) in enumerate(group):  # windows within `same_place_step` (sorted: linear time)
            pages[line.page] += 1
            while distance - group[start][0] > FURNITURE.same_place_step:
                left = group[start][1].page
                pages[left] -= 1
                if not pages[left]:
                    del pages[left]
                start += 1
            if len(pages) >= need:
                found.update(id(ln) for _, ln in group[max(start, covered) : end + 1])
                covered = end + 1
    found |= _misread_repeats(seen, found)
    inside = {
        id(ln)
        for lines, height in zip(pages_lines, heights, strict=True)
        for i, ln in enumerate(lines)
        if id(ln) in found and _inside_body(lines, i, height, lambda o: id(o) in found)
    }
    return found - inside - _table_rows_at_one_place(pages_lines, seen, found)


def _misread_repeats(seen: dict[tuple[str, str], list[tuple[float, Line]]], found: set[int]) -> set[int]:
    """ids of lines nearly equal to a running line found at the same place (OCR read a page's footer with a stray
    mark or a letter wrong: '… page 3 É', ': Convention …'): that running line, though no other page repeats it."""
    running = [
        (text, edge, [d for d, _ in group])
        for (text, edge), group in seen.items()
        if any(id(ln) in found for _, ln in group)
    ]
    out: set[int] = set()
    for (text, edge), group in seen.items():
        for distance, ln in group:
            if id(ln) in found:
                continue
            if any(
                edge == r_edge
                and min(abs(distance - d) for d in dists) <= FURNITURE.same_place_step
                and ratio(text, r_text) >= FURNITURE.misread_ratio
                for r_text, r_edge, dists in running
            ):
                out.add(id(ln))
    return out


def _table_rows_at_one_place(
    pages_lines: list[list[Line]], seen: dict[tuple[str, str], list[tuple[float, Line]]], found: set[int]
) -> set[int]:
    """Lines found repeated at one place that are table rows: rows of amounts whose amounts differ from page to page
    (no running line carries money; one table model cut by the page break at the same height on several pages
    does), and a line right above such a row on every page it repeats on (the table's one-line header)."""
    rows: set[int] = set()
    for group in seen.values():
        lines = [ln for _, ln in group if id(ln) in found]
        if len({ln.text.strip() for ln in lines}) > 1 and all(
            ln.words and is_amount_row(split_line(ln)) for ln in lines
        ):
            rows.update(id(ln) for ln in lines)
    if not rows:
        return rows
    below: dict[int, int] = {}
    for lines in pages_lines:
        body = [ln for ln in lines if ln.text.strip()]
        below.update((id(a), id(b)) for a, b in pairwise(body))
    heads: set[int] = set()
    for group in seen.values():
        lines = [ln for _, ln in group if id(ln) in found and id(ln) not in rows]
        if lines and all(below.get(id(ln)) in rows for ln in lines):
            heads.update(id(ln) for ln in lines)
    return rows | heads
