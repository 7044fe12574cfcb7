"""Write a story as one Calc/Excel sheet with openpyxl: title lines, then the grid, printed landscape fit to width.

Amounts are numbers with a French accounting format (so they never wrap, as in a real workbook); labels wrap.
Each body row carries a cell note holding its page mark; LibreOffice exports notes as PDF annotations, which
`render.note_marks` reads for the pages before they are stripped.
"""

from __future__ import annotations

import math
from pathlib import Path

from corpora.office.docx_kit import Block
from corpora.office.grid import Grid
from corpora.office.layout import OfficeLayout

CM_PER_WIDTH_UNIT = 0.19  # one Excel column-width unit (a Calibri 11 digit) in cm
AVG_CHAR_EM = 0.5  # mean glyph width of body text, in em
POINTS_PER_CM = 28.35
# thousands by the French locale, two decimals, zero as "- €"
AMOUNT_FORMAT = '[$-40C]#,##0.00\\ "€";[$-40C]-#,##0.00\\ "€";"- €"'
AMOUNT_FORMAT_NO_DASH = '[$-40C]#,##0.00\\ "€"'
MIN_AMOUNT_CM = 2.0  # narrower, and a number would print as ###


def write_xlsx(
    path: Path, story: list[Block], layout: OfficeLayout, header: str, footer: str, stamp: list[str]
) -> None:
    """The story as a one-sheet workbook at `path`."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Annexe 10"
    row = 1
    grid_rows: tuple[int, int] | None = None
    for block in story:
        if block.kind == "grid" and block.grid is not None:
            row += 1
            grid_rows = (row, row + len(block.grid.header) - 1)
            row = _grid(ws, block.grid, layout, row)
        elif block.kind in ("title", "h1", "h2", "h3", "p"):
            cell = ws.cell(row, 1, block.text)
            cell.font = Font(name=layout.font, size=12 if block.kind in ("title", "h1") else 10, bold=block.kind != "p")
            row += 1
    _page_setup(ws, layout, header, footer, stamp, grid_rows)
    wb.save(str(path))


def _grid(ws, grid: Grid, layout: OfficeLayout, top: int) -> int:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    widths = [max(w, MIN_AMOUNT_CM) if _is_amount_col(grid, c) else w for c, w in enumerate(grid.widths)]
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = round(w / CM_PER_WIDTH_UNIT, 1)
    lines = [*grid.header, *[r.cells for r in grid.rows]]
    nh = len(grid.header)
    heights = [grid.font_size * 1.25 + 4] * len(lines)
    spans: list[tuple[int, int, float]] = []  # merged cells over several rows: (first row, rows, height needed)
    for r, line in enumerate(lines):
        total = r >= nh and grid.rows[r - nh].is_total
        for c, cell in enumerate(line):
            if cell.covered:
                continue
            target = ws.cell(top + r, c + 1)
            if cell.amount is not None:
                target.value = float(cell.amount.amount)
                target.number_format = AMOUNT_FORMAT if layout.dash_zero else AMOUNT_FORMAT_NO_DASH
            elif cell.text:
                target.value = cell.text
            horizontal = {"left": "left", "right": "right"}.get(cell.align, "center")
            target.alignment = Alignment(wrap_text=True, vertical=layout.valign, horizontal=horizontal)
            target.font = Font(name=layout.font, size=grid.font_size, bold=cell.bold or r < nh or total)
            if r < nh and layout.borders == "grid":
                target.fill = PatternFill("solid", fgColor="D9D9D9")
            if cell.rows > 1 or cell.cols > 1:
                ws.merge_cells(
                    start_row=top + r, start_column=c + 1, end_row=top + r + cell.rows - 1, end_column=c + cell.cols
                )
            width = sum(widths[c : c + cell.cols])
            need = _lines(cell.text if cell.amount is None else "", width, grid.font_size) * grid.font_size * 1.25 + 4
            if cell.rows == 1:
                heights[r] = max(heights[r], need)
            else:
                spans.append((r, cell.rows, need))
    for r, n, need in spans:  # a merged cell short of room grows its last row
        heights[r + n - 1] += max(0.0, need - sum(heights[r : r + n]))
    for r, h in enumerate(heights):
        ws.row_dimensions[top + r].height = max(h, grid.font_size * 1.25 + 4)
    for i in range(len(grid.rows)):
        first = next(c for c, cell in enumerate(lines[nh + i]) if not cell.covered)
        ws.cell(top + nh + i, first + 1).comment = Comment(grid.mark(i), "calpae")
    if layout.borders in ("grid", "outer"):
        _borders(ws, top, top + len(lines) - 1, len(widths), layout.borders == "grid")
    return top + len(lines)


def _borders(ws, first: int, last: int, ncols: int, every: bool) -> None:
    """Every rule (grid) or only the box around the table (outer)."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="000000")
    for r in range(first, last + 1):
        for c in range(1, ncols + 1):
            if every:
                ws.cell(r, c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
            else:
                ws.cell(r, c).border = Border(
                    left=thin if c == 1 else None,
                    right=thin if c == ncols else None,
                    top=thin if r == first else None,
                    bottom=thin if r == last else None,
                )


def _is_amount_col(grid: Grid, col: int) -> bool:
    return any(len(r.cells) > col and r.cells[col].amount is not None for r in grid.rows)


def _lines(text: str, width_cm: float, size: float) -> int:
    """How many lines `text` takes in a cell `width_cm` wide (greedy word wrap, long words cut)."""
    if not text:
        return 1
    per_line = max(1, int((width_cm * POINTS_PER_CM - 4) / (size * AVG_CHAR_EM)))
    lines, used = 1, 0
    for word in text.split():
        n = len(word)
        if used and used + 1 + n > per_line:
            lines, used = lines + 1, 0
        if n > per_line:
            lines += math.ceil(n / per_line) - 1
            n = n % per_line or per_line
        used = used + (1 if used else 0) + n
    return lines


def _page_setup(ws, layout: OfficeLayout, header: str, footer: str, stamp: list[str], grid_rows) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.top = 1.3 if layout.stamps else 0.8  # inches
    ws.page_margins.bottom = 0.7
    ws.page_margins.left = ws.page_margins.right = 0.5
    if layout.repeat_header and grid_rows:
        ws.print_title_rows = f"{grid_rows[0]}:{grid_rows[1]}"
    if layout.stamps:
        ws.oddHeader.right.text = " – ".join(stamp)  # one line: Calc header fields keep no line break
        ws.oddHeader.right.size = 7
    if layout.running:
        ws.oddHeader.left.text = header
        ws.oddHeader.left.size = 8
        ws.oddFooter.left.text = footer
        ws.oddFooter.right.text = "Page &P / &N"
