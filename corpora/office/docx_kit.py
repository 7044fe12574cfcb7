"""Write a story (headings, paragraphs, grids, section changes) as a Word document with python-docx.

Rows get Word bookmarks named by their page mark; LibreOffice exports them as PDF named destinations, which
`render.named_destinations` reads back to give every cell its exact page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpora.office.grid import Grid
from corpora.office.layout import OfficeLayout

A4_CM = (21.0, 29.7)
MARGIN_CM = 2.0
HEADER_GREY = "D9D9D9"


@dataclass
class Block:
    """One element of a story: kind is title, h1, h2, h3, p, grid, landscape, portrait or pagebreak."""

    kind: str
    text: str = ""
    grid: Grid | None = None
    mark: str | None = None  # a bookmark on the paragraph (prose amounts)
    italic: bool = False


class _Bookmarks:
    def __init__(self) -> None:
        self.next_id = 0

    def add(self, paragraph, name: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.next_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.next_id))
        ppr = paragraph._p.pPr
        paragraph._p.insert(1 if ppr is not None else 0, start)  # after the paragraph properties, as OOXML wants
        paragraph._p.append(end)
        self.next_id += 1


def write_docx(
    path: Path, story: list[Block], layout: OfficeLayout, header: str, footer: str, stamp: list[str], title: str
) -> None:
    """The story as a .docx at `path` (A4, 2 cm margins, the layout's font)."""
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    doc.core_properties.title = title
    doc.core_properties.author = "Conseil départemental"
    normal = doc.styles["Normal"]
    normal.font.name = layout.font
    normal.font.size = Pt(10)
    _east_asia_font(normal, layout.font)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        st = doc.styles[name]
        st.font.name = layout.font
        _east_asia_font(st, layout.font)
        st.font.color.rgb = None
    marks = _Bookmarks()
    starts_landscape = bool(story) and story[0].kind == "landscape"
    _setup_section(doc.sections[0], starts_landscape, layout, header, footer, stamp)
    for block in story[1:] if starts_landscape else story:
        if block.kind in ("landscape", "portrait"):
            from docx.enum.section import WD_SECTION

            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _setup_section(section, block.kind == "landscape", layout, header, footer, stamp)
        elif block.kind == "pagebreak":
            doc.add_page_break()
        elif block.kind == "grid" and block.grid is not None:
            landscape = doc.sections[-1].page_width > doc.sections[-1].page_height
            _table(doc, block.grid, layout, marks, landscape)
            doc.add_paragraph()
        else:
            _paragraph(doc, block, marks)
    doc.save(str(path))


def _east_asia_font(style, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph(doc, block: Block, marks: _Bookmarks) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if block.kind == "title":
        p = doc.add_heading(block.text, level=0)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif block.kind in ("h1", "h2", "h3"):
        p = doc.add_heading(block.text, level=int(block.kind[1]))
    else:
        p = doc.add_paragraph()
        run = p.add_run(block.text)
        run.italic = block.italic
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if block.mark:
        marks.add(p, block.mark)


def _setup_section(section, landscape: bool, layout: OfficeLayout, header: str, footer: str, stamp: list[str]):
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    w, h = A4_CM if not landscape else A4_CM[::-1]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(w), Cm(h)
    for side in ("left_margin", "right_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    section.top_margin = Cm(3.2 if layout.stamps else 2.2)
    section.header_distance = Cm(0.6)
    section.footer_distance = Cm(0.8)
    head = section.header
    head.is_linked_to_previous = False
    p = head.paragraphs[0]
    p.text = ""
    if layout.stamps:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for i, line in enumerate(stamp):
            run = p.add_run(line)
            run.font.size = Pt(7)
            if i < len(stamp) - 1:
                run.add_break()
    if layout.running:
        r = head.add_paragraph().add_run(header)
        r.italic = True
        r.font.size = Pt(8)
    foot = section.footer
    foot.is_linked_to_previous = False
    fp = foot.paragraphs[0]
    fp.text = ""
    if layout.running:
        r = fp.add_run(f"{footer} – page ")
        r.font.size = Pt(8)
        _page_field(fp)


def _page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _table(doc, grid: Grid, layout: OfficeLayout, marks: _Bookmarks, landscape: bool) -> None:
    """A fixed-width Word table: merges, header lines (repeated per page if asked), borders, row marks."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    lines = [*grid.header, *[r.cells for r in grid.rows]]
    ncols = len(grid.widths)
    available = (A4_CM[1] if landscape else A4_CM[0]) - 2 * MARGIN_CM
    scale = min(1.0, available / sum(grid.widths))
    widths = [w * scale for w in grid.widths]
    table = doc.add_table(rows=len(lines), cols=ncols)
    table.style = doc.styles["Normal Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_props(table, layout)
    for c, w in enumerate(widths):
        table.columns[c].width = Cm(w)
    nh = len(grid.header)
    for r, line in enumerate(lines):
        row = table.rows[r]
        _row_props(row, header=r < nh and layout.repeat_header)
        for c in range(min(ncols, len(line))):
            row.cells[c].width = Cm(widths[c])
    for r, line in enumerate(lines):
        for c, cell in enumerate(line[:ncols]):
            if cell.covered:
                continue
            target = table.cell(r, c)
            if cell.rows > 1 or cell.cols > 1:
                target = target.merge(table.cell(r + cell.rows - 1, c + cell.cols - 1))
            _fill(target, cell, layout, grid.font_size, header=r < nh, total=r >= nh and grid.rows[r - nh].is_total)
    for i in range(len(grid.rows)):
        r = nh + i
        first = next(c for c, cell in enumerate(lines[r][:ncols]) if not cell.covered)
        marks.add(table.cell(r, first).paragraphs[0], grid.mark(i))


def _table_props(table, layout: OfficeLayout) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    fixed = OxmlElement("w:tblLayout")
    fixed.set(qn("w:type"), "fixed")
    tbl_pr.append(fixed)
    borders = OxmlElement("w:tblBorders")
    edges = {
        "grid": ("top", "left", "bottom", "right", "insideH", "insideV"),
        "horizontal": ("top", "bottom", "insideH"),
        "outer": ("top", "left", "bottom", "right"),
        "none": (),
    }[layout.borders]
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if edge in edges:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    pad = "30" if layout.narrow else "70"  # twentieths of a point
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), pad)
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def _row_props(row, header: bool) -> None:
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _fill(target, cell, layout: OfficeLayout, size: float, header: bool, total: bool) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for extra in target.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    p = target.paragraphs[0]
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(
        cell.align, WD_ALIGN_PARAGRAPH.CENTER
    )
    target.vertical_alignment = {
        "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
        "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
    }.get(layout.valign, WD_CELL_VERTICAL_ALIGNMENT.CENTER)
    if cell.text:
        run = p.add_run(cell.text)
        run.font.size = Pt(size)
        run.bold = cell.bold or header or total
    if header and layout.borders == "grid":
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:color"), "auto")
        shade.set(qn("w:fill"), HEADER_GREY)
        target._tc.get_or_add_tcPr().append(shade)
