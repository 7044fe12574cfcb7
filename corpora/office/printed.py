"""Which truth amounts a rendered office PDF does not print: LibreOffice can leave a table's rows out at the foot of
a page while still placing their bookmarks, and a truth listing figures no page shows scores the reader against
what it could not read (office seed 149, 013-2022 report: action 5.2's executed table)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

WIDE_COLUMNS_AT_MOST = 6  # Word tables with no more columns than this keep each amount on one line


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, whitespace removed."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [re.sub(r"\s+", "", doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
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
