"""HTML in text exports: inline fragments to plain text, and <table> markup to Table cells (stdlib html.parser)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote"}
MAX_SPAN = 1000  # rowspan/colspan above this is a broken file: capped
BOLD_TAGS = {"b", "strong"}
_SUPERSCRIPT = re.compile(r"\^\{([^{}]{1,12})\}")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_INLINE_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007]+")


def unsuperscript(text: str) -> str:
    """'1^{er}' → '1er': superscript markers of the exports carry no meaning of their own."""
    return _SUPERSCRIPT.sub(r"\1", text)


def has_markup(text: str) -> bool:
    """True when the text holds at least one HTML tag (so it is worth parsing)."""
    return bool(_TAG.search(text))


class _InlineText(HTMLParser):
    """Collects text, turning block tags into newlines and recording whether all visible text was bold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.bold_depth = 0
        self.seen_plain = False
        self.seen_bold = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in BOLD_TAGS:
            self.bold_depth += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in BOLD_TAGS:
            self.bold_depth = max(0, self.bold_depth - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if data.strip():
            if self.bold_depth:
                self.seen_bold = True
            else:
                self.seen_plain = True
        self.parts.append(data)


def _tidy_text(text: str, keep_newlines: bool) -> str:
    lines = [_INLINE_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln and ln != "-"]
    return ("\n" if keep_newlines else " ").join(lines)


def inline_text(fragment: str, keep_newlines: bool = False) -> tuple[str, bool]:
    """Plain text of an HTML fragment and whether all its visible text was bold."""
    if not has_markup(fragment) and "&" not in fragment:
        return _tidy_text(unsuperscript(fragment), keep_newlines), False
    parser = _InlineText()
    parser.feed(unsuperscript(fragment))
    parser.close()
    text = _tidy_text("".join(parser.parts), keep_newlines)
    return text, parser.seen_bold and not parser.seen_plain


@dataclass
class HtmlCell:
    """One <td>/<th>: its text, spans, header flag and the 1-based line (within the parsed text) it started on."""

    text: str
    row: int
    col: int
    line: int
    row_span: int = 1
    col_span: int = 1
    header: bool = False


@dataclass
class HtmlTable:
    """One <table>: cells on a grid whose slots account for row and column spans."""

    line_start: int
    line_end: int = 0
    cells: list[HtmlCell] = field(default_factory=list)
    n_rows: int = 0
    n_cols: int = 0
    caption: str = ""


@dataclass
class HtmlBlock:
    """A run of text outside tables, with the line it started on and whether it was all bold."""

    text: str
    line: int
    bold: bool = False


def _span(attrs: list, name: str) -> int:
    for key, value in attrs:
        if key == name and value and str(value).strip().isdigit():
            return max(1, min(int(str(value).strip()), MAX_SPAN))
    return 1


class _TableBuilder:
    """Places cells of one table on the grid, skipping slots taken by earlier row spans."""

    def __init__(self, line: int) -> None:
        self.table = HtmlTable(line_start=line)
        self.taken: set[tuple[int, int]] = set()
        self.row = -1
        self.col = 0

    def start_row(self) -> None:
        self.row += 1
        self.col = 0

    def add(self, text: str, line: int, rs: int, cs: int, header: bool) -> None:
        if self.row < 0:
            self.start_row()
        while (self.row, self.col) in self.taken:
            self.col += 1
        cell = HtmlCell(text=text, row=self.row, col=self.col, line=line, row_span=rs, col_span=cs, header=header)
        self.table.cells.append(cell)
        for r in range(self.row, self.row + rs):
            for c in range(self.col, self.col + cs):
                self.taken.add((r, c))
        self.col += cs

    def finish(self, line: int) -> HtmlTable:
        t = self.table
        t.line_end = line
        t.n_rows = max((r for r, _ in self.taken), default=-1) + 1
        t.n_cols = max((c for _, c in self.taken), default=-1) + 1
        return t


class HtmlDocument(HTMLParser):
    """Splits HTML into text blocks (one per block element) and tables, each with its starting line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[HtmlBlock] = []
        self.tables: list[HtmlTable] = []
        self._stack: list[_TableBuilder] = []
        self._text: list[str] = []
        self._text_line = 1
        self._bold = 0
        self._plain_seen = False
        self._bold_seen = False
        self._cell: dict | None = None
        self._skip = 0  # inside <script>/<style>/<head> title

    # text outside tables -------------------------------------------------
    def _flush(self) -> None:
        text = _tidy_text("".join(self._text), keep_newlines=False)
        if text:
            self.blocks.append(
                HtmlBlock(text=text, line=self._text_line, bold=self._bold_seen and not self._plain_seen)
            )
        self._text, self._plain_seen, self._bold_seen = [], False, False

    def _close_cell(self) -> None:
        if self._cell is None or not self._stack:
            return
        c = self._cell
        text = _tidy_text("".join(c["parts"]), keep_newlines=True)
        self._stack[-1].add(text, c["line"], c["rs"], c["cs"], c["header"])
        self._cell = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        line = self.getpos()[0]
        if tag in ("script", "style"):
            self._skip += 1
            return
        if tag == "table":
            self._close_cell()
            if not self._stack:
                self._flush()
            self._stack.append(_TableBuilder(line))
            return
        if self._stack:
            if tag == "tr":
                self._close_cell()
                self._stack[-1].start_row()
            elif tag in ("td", "th"):
                self._close_cell()
                self._cell = {
                    "parts": [],
                    "line": line,
                    "rs": _span(attrs, "rowspan"),
                    "cs": _span(attrs, "colspan"),
                    "header": tag == "th",
                }
            elif self._cell is not None and tag == "li":
                self._cell["parts"].append("\n- ")
            elif self._cell is not None and tag in BLOCK_TAGS:
                self._cell["parts"].append("\n")
            return
        if tag in BOLD_TAGS:
            self._bold += 1
        elif tag in BLOCK_TAGS:
            self._flush()
            if tag == "li":
                self._text.append("- ")

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0]
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
            return
        if tag == "table" and self._stack:
            self._close_cell()
            table = self._stack.pop().finish(line)
            if self._stack and self._cell is not None:
                self._cell["parts"].append(" ".join(c.text for c in table.cells))
            self.tables.append(table)
            return
        if self._stack:
            if tag in ("td", "th", "tr"):
                self._close_cell()
            elif self._cell is not None and tag in BLOCK_TAGS:
                self._cell["parts"].append("\n")
            return
        if tag in BOLD_TAGS:
            self._bold = max(0, self._bold - 1)
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            if self._cell is not None:
                self._cell["parts"].append("\n")
            elif not self._stack:
                self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._stack:
            if self._cell is not None:
                self._cell["parts"].append(data)
            return
        if data.strip():
            if not "".join(self._text).strip():
                self._text_line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
            if self._bold:
                self._bold_seen = True
            else:
                self._plain_seen = True
        self._text.append(data)

    def close(self) -> None:
        super().close()
        while self._stack:
            self._close_cell()
            self.tables.append(self._stack.pop().finish(self.getpos()[0]))
        self._flush()


def parse_html(text: str) -> HtmlDocument:
    """Parse a whole HTML text (file or fragment) into blocks and tables with 1-based line numbers."""
    doc = HtmlDocument()
    doc.feed(unsuperscript(text))
    doc.close()
    return doc
