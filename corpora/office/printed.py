"""Which truth amounts a rendered office PDF does not print: LibreOffice can leave a table's rows out at the foot of
a page while still placing their bookmarks, and a truth listing figures no page shows scores the reader against
what it could not read (office seed 149, 013-2022 report: action 5.2's executed table; seed 131, 027-2020 report:
two indicator rows). A row none of whose figures its page prints is left out of the truth (unprinted_rows); a
single cell missing is only reported (unprinted), its row being on the page."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

WIDE_COLUMNS_AT_MOST = 6  # Word tables with no more columns than this keep each amount on one line


def page_texts(pdf: Path, spaced: bool = False) -> list[str]:
    """Each page's text, whitespace removed (spaced: each run of whitespace kept as one space)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [re.sub(r"\s+", " " if spaced else "", doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


def unprinted(truth: dict, flat: list[str]) -> list[str]:
    """'<cell id>: <raw> not on page <n>' for each non-zero budget cell whose printed text is not on its page. Only
    cells that cannot wrap are checked (a Calc number; a Word table of a few wide columns, unless narrow)."""
    layout = truth["document"]["layout"]
    narrow_tables = {t["index"] for t in truth["tables"] if len(t["columns"]) > WIDE_COLUMNS_AT_MOST}
    out = []
    for c in truth["budget_cells"]:
        if layout["source"] == "docx" and (layout["narrow"] or c["table"] in narrow_tables):
            continue
        page = c["page"]
        raw = re.sub(r"\s+", "", c["raw"]).replace("€", "")
        if Decimal(c["amount"]) and not (1 <= page <= len(flat) and raw in flat[page - 1]):
            out.append(f"{c['id']}: {c['raw']!r} not on page {page}")
    return out


_CELL_ID = re.compile(r"t(\d+)r(\d+)c\d+")


def _printed(raw: str, page: int, flat: list[str]) -> bool:
    text = re.sub(r"\s+", "", raw).replace("€", "")
    return 1 <= page <= len(flat) and text in flat[page - 1]


def _body(raw: str) -> str:
    """A regex of a printed figure, its spaces free ('1 758' printed '1758' or '1\u202f758')."""
    return r"\s?".join(re.escape(ch) for ch in re.sub(r"\s+", "", raw))


def _row_standing(raws: list[str], page: int, spaced: list[str]) -> bool:
    """A row of figures printed on its page: its cells in a row (a PDF's text runs cell by cell), or one of them as a
    number of its own, not inside a longer one ('23' in '2023', '05/04/2023' or '27 693,65 €'). Indicator values
    are short: whitespace removed, most of them stand in some date."""
    if not 1 <= page <= len(spaced):
        return False
    text = spaced[page - 1]
    edge = r"(?<![\d.,/])(?<!\d\s)"
    end = r"(?![\d])(?!\s?\d{3}(?!\d))(?![.,/]\d)"
    if re.search(r"(?<![\d.,/])" + r"\s?".join(_body(r) for r in raws) + r"(?![\d])(?![.,/]\d)", text):
        return True
    return any(re.search(edge + _body(r) + end, text) for r in raws if any(ch.isdigit() for ch in r))


def unprinted_rows(
    truth: dict, flat: list[str], spaced: list[str] | None = None
) -> tuple[set[str], set[tuple[int, int]]]:
    """The budget cells (ids) and indicator rows ((table, row)) of table rows whose page prints none of their
    figures (non-zero amounts that cannot wrap; indicator values that are figures, not markers, each standing as a
    number of its own where the spaced texts are given)."""
    layout = truth["document"]["layout"]
    narrow_tables = {t["index"] for t in truth["tables"] if len(t["columns"]) > WIDE_COLUMNS_AT_MOST}
    rows: dict[tuple[int, int], list[bool]] = defaultdict(list)
    ids: dict[tuple[int, int], list[str]] = defaultdict(list)
    for c in truth["budget_cells"]:
        m = _CELL_ID.fullmatch(c["id"])
        if m is None:
            continue
        key = (int(m.group(1)), int(m.group(2)))
        ids[key].append(c["id"])
        wraps = layout["source"] == "docx" and (layout["narrow"] or c["table"] in narrow_tables)
        if Decimal(c["amount"]) and not wraps:
            rows[key].append(_printed(c["raw"], c["page"], flat))
    cells = {i for key, seen in rows.items() if seen and not any(seen) for i in ids[key]}
    values: dict[tuple[int, int], list[bool]] = defaultdict(list)
    raws: dict[tuple[int, int], list[str]] = defaultdict(list)
    for v in truth["indicator_values"]:
        if v.get("raw"):
            raws[(v["table"], v["row"])].append(v["raw"])
        if v.get("value") is not None and v.get("raw"):
            values[(v["table"], v["row"])].append(_printed(v["raw"], v["page"], flat))
    unseen = {key for key, seen in values.items() if seen and not any(seen)}
    if spaced is not None:
        pages = {(v["table"], v["row"]): v["page"] for v in truth["indicator_values"] if v.get("value") is not None}
        unseen |= {key for key in values if not _row_standing(raws[key], pages[key], spaced)}
    return cells, unseen
