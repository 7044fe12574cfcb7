"""Reader for text exports (.txt/.md/.html): pages on form feeds, one Line per source line, tables found."""

from __future__ import annotations

import re
from pathlib import Path

from calpae.extract.source import bom_encoding
from calpae.extract.tables.guard import guarded
from calpae.extract.tables.text_figures import find_figure_tables
from calpae.extract.tables.text_grid import find_grid_tables
from calpae.extract.tables.text_layout import find_layout_tables, prose_length
from calpae.extract.text.html import HtmlTable, has_markup, inline_text, parse_html, unsuperscript
from calpae.extract.text.tsv import find_tsv_tables
from calpae.models import Cell, Document, Line, Page, Table

HTML_SNIFF_CHARS = 15  # characters at the start of a text that tell an HTML file ('<!doctype html')
HTML_SUFFIXES = {".html", ".htm"}
_SPACE_LIKE = "\u00a0\u202f\u2007\u2009"  # no-break, narrow no-break, figure, thin spaces
_SPACE_NOT_IN_NUMBER = re.compile(rf"(?<!\d)[{_SPACE_LIKE}]|[{_SPACE_LIKE}](?!\d)")
_MD_BOLD = "**"


def decode(data: bytes, source: str, errors: list[str]) -> str:
    """UTF-8 text, UTF-16/32 announced by a byte-order mark, or cp1252/latin-1 with a note in errors when the
    bytes are not UTF-8."""
    bom = bom_encoding(data[:4])
    if bom and bom != "utf-8-sig":
        try:
            return data.decode(bom)
        except UnicodeDecodeError as exc:
            errors.append(f"{source}: not valid {bom.upper()} (byte {exc.start}); unreadable characters replaced")
            return data.decode(bom, errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        errors.append(f"{source}: not valid UTF-8 ({where}); decoded as {encoding}")
        return text
    raise AssertionError("latin-1 decodes any bytes")


def normalise_spaces(text: str) -> str:
    """No-break/narrow spaces become plain spaces, except between digits where they group thousands."""
    return _SPACE_NOT_IN_NUMBER.sub(" ", text)


class _BoldState:
    """Tracks markdown ** spans across lines of one paragraph, to tell which lines are wholly bold."""

    def __init__(self) -> None:
        self.open = False

    def clean(self, text: str) -> tuple[str, bool]:
        """Text without ** markers and whether every visible character was inside a bold span."""
        if not text.strip():
            self.open = False
            return text, False
        out: list[str] = []
        plain_seen = bold_seen = False
        parts = text.split(_MD_BOLD)
        for k, part in enumerate(parts):
            if k > 0:
                self.open = not self.open
            if part.strip():
                if self.open:
                    bold_seen = True
                else:
                    plain_seen = True
            out.append(part)
        return "".join(out), bold_seen and not plain_seen


def clean_line(raw: str, bold: _BoldState) -> tuple[str, bool]:
    """Source line → display text (markup removed, tab cells kept apart) and its bold flag."""
    text = normalise_spaces(unsuperscript(raw.rstrip("\r\n")))
    text, md_bold = bold.clean(text)
    if "\t" in text:
        cells = [inline_text(c)[0] if has_markup(c) else c.strip() for c in text.split("\t")]
        return "\t".join(cells), md_bold
    if has_markup(text):
        plain, html_bold = inline_text(text)
        return plain, md_bold or html_bold
    return text.rstrip(), md_bold


def text_lines(text: str) -> list[Page]:
    """Pages split on form feeds, one Line per source line numbered from 1 over the whole file."""
    pages: list[Page] = []
    line_no = 0
    bold = _BoldState()
    same_line = False  # a form feed in mid-line: the next page starts on the same source line
    chunks = text.split("\f")
    for number, chunk in enumerate(chunks, start=1):
        page = Page(number=number)
        raw_lines = chunk.split("\n") if chunk else []
        if chunk.endswith("\n"):
            raw_lines = raw_lines[:-1]
        for k, raw in enumerate(raw_lines):
            if not (k == 0 and same_line):
                line_no += 1
            clean, is_bold = clean_line(raw, bold)
            page.lines.append(Line(text=clean, page=number, line_no=line_no, bold=is_bold))
        same_line = bool(chunk) and not chunk.endswith("\n")
        pages.append(page)
    # a form feed ends each page (pdftotext writes one per PDF page): the empty text after the last one is no page,
    # but a blank page before it is one of the document's (its page count is the PDF's, which copies compare)
    if len(pages) > 1 and not chunks[-1].strip():
        pages.pop()
    return pages


def _html_table(ht: HtmlTable, page_of: dict[int, int | None], offset: int) -> Table:
    """An html.HtmlTable as a Table(source='html'), line numbers shifted by offset."""
    cells = [
        Cell(
            row=c.row,
            col=c.col,
            text=c.text,
            line_no=c.line + offset,
            page=page_of.get(c.line + offset),
            row_span=c.row_span,
            col_span=c.col_span,
        )
        for c in ht.cells
    ]
    pages = sorted({c.page for c in cells if c.page is not None})
    return Table(
        id="",
        source="html",
        pages=pages,
        line_start=ht.line_start + offset,
        line_end=ht.line_end + offset,
        n_rows=ht.n_rows,
        n_cols=ht.n_cols,
        cells=cells,
    )


def html_tables_in_text(raw_lines: list[str], lines: list[Line]) -> list[Table]:
    """<table> fragments embedded in a text export, parsed where they stand; their lines marked in_table."""
    tables: list[Table] = []
    page_of = {ln.line_no: ln.page for ln in lines if ln.line_no is not None}
    i = 0
    while i < len(raw_lines):
        if "<table" not in raw_lines[i].lower():
            i += 1
            continue
        depth, j = 0, i
        while j < len(raw_lines):
            low = raw_lines[j].lower()
            depth += low.count("<table") - low.count("</table")
            if depth <= 0:
                break
            j += 1
        j = min(j, len(raw_lines) - 1)
        parsed = parse_html("\n".join(raw_lines[i : j + 1]))
        tables.extend(_html_table(t, page_of, i) for t in parsed.tables)
        for ln in lines:
            if ln.line_no is not None and i < ln.line_no <= j + 1:
                ln.in_table = True
        i = j + 1
    return tables


def read_html_document(text: str, doc: Document) -> None:
    """A whole HTML file: one Line per text block (at the line it started on), tables as Table(source='html')."""
    parsed = parse_html(text)
    lines = [Line(text=b.text, page=1, line_no=b.line, bold=b.bold) for b in parsed.blocks]
    for t in parsed.tables:
        rows: dict[int, list] = {}
        for c in t.cells:
            rows.setdefault(c.row, []).append(c)
        for cells in rows.values():
            first = min(c.line for c in cells)
            row_text = "\t".join(c.text.replace("\n", " ") for c in sorted(cells, key=lambda c: c.col))
            lines.append(Line(text=row_text, page=1, line_no=first, in_table=True))
    lines.sort(key=lambda ln: ln.line_no or 0)
    doc.pages = [Page(number=1, lines=lines)]
    doc.tables = [_html_table(t, {}, 0) for t in parsed.tables]
    for table in doc.tables:
        table.pages = [1]
        for cell in table.cells:
            cell.page = 1


def _none() -> list[Table]:
    return []


def find_text_tables(doc: Document, raw_lines: list[str] | None = None) -> None:
    """Every table of a text export (HTML, tab-separated, text layout), in line order, with ids."""
    lines = doc.lines(include_furniture=True)
    tables = list(doc.tables)
    if raw_lines is not None:
        tables += html_tables_in_text(raw_lines, lines)
    tables += guarded(doc, "the tab-separated reader", lambda: find_tsv_tables(lines), _none())
    long_len = prose_length(lines)  # measured before the wide grids take their long lines
    tables += guarded(doc, "the text grid reader", lambda: find_grid_tables(lines), _none())
    tables += guarded(doc, "the reader of indicator tables", lambda: find_figure_tables(doc, lines), _none())
    tables += guarded(doc, "the text-layout reader", lambda: find_layout_tables(lines, long_len), _none())
    tables.sort(key=lambda t: t.line_start or 0)
    for n, table in enumerate(tables, start=1):
        table.id = f"{doc.id}-t{n}"
    doc.tables = tables


def read_text(path: Path, doc: Document) -> None:
    """Fill doc from a .txt/.md/.html export: pages, lines (bold, in_table), tables."""
    text = decode(path.read_bytes(), str(path), doc.errors)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    is_html = path.suffix.lower() in HTML_SUFFIXES or text.lstrip()[:HTML_SNIFF_CHARS].lower().startswith(
        ("<!doctype html", "<html")
    )
    doc.kind = "html" if is_html else "text"
    if is_html:
        read_html_document(text, doc)
        find_text_tables(doc)
    else:
        doc.page_breaks = "\f" in text
        doc.pages = text_lines(text)
        find_text_tables(doc, raw_lines=text.replace("\f", "").split("\n"))
    doc.page_count = len(doc.pages)
