"""Words with boxes and fonts from pypdfium2's text page: pdfplumber's word rules without pdfminer's slow parse."""

from __future__ import annotations

import ctypes

import pypdfium2.raw as raw
from calpae.models import Word

_SKIP = {0x0D, 0x0A, 0xFFFE, 0xFFFF, 0x00}
# Descent (per 1000 of the font size) pdfminer takes from the AFM metrics of the standard 14 fonts; for other
# fonts it reads the descriptor, which pdfium does not expose: those keep their bottom on the baseline (0).
STANDARD_DESCENT = {"Helvetica": -207.0, "Times": -217.0, "Courier": -157.0, "Symbol": -293.0, "ZapfDingbats": -143.0}
_CHECK = {0x20, 0x02, 0xFFFE, 0x0D, 0x0A}


# FPDFText_GetTextObject returning a plain address: the object's identity, without a ctypes cast per char
_TEXT_OBJECT = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value)


class _FontCache:
    """Font name, size and orientation of each text object (the chars of one object share them)."""

    def __init__(self, textpage) -> None:
        self.textpage = textpage
        self.by_obj: dict[int, tuple[str, float, bool, str, float]] = {}
        self.buf = ctypes.create_string_buffer(256)

    def get(self, key: int, i: int) -> tuple[str, float, bool, str, float]:
        """(font name, size, upright, reading direction of rotated text ('btt' or 'ttb'), descent in points)."""
        hit = self.by_obj.get(key)
        if hit is None:
            obj = ctypes.cast(ctypes.c_void_p(key), raw.FPDF_PAGEOBJECT) if key else None
            size = raw.FPDFText_GetFontSize(self.textpage, i)
            name = self._name(obj)
            hit = (name, size, *self._orientation(i), self._descent(obj, name) * size)
            self.by_obj[key] = hit
        return hit

    def _name(self, obj) -> str:
        font = raw.FPDFTextObj_GetFont(obj) if obj else None
        if not font:
            return ""
        n = raw.FPDFFont_GetBaseFontName(font, self.buf, len(self.buf))
        return self.buf.raw[: max(0, n - 1)].decode("utf-8", "replace") if n else ""

    @staticmethod
    def _descent(obj, name: str) -> float:
        """pdfminer's descent ratio for a non-embedded standard font, else 0."""
        font = raw.FPDFTextObj_GetFont(obj) if obj else None
        if not font or raw.FPDFFont_GetIsEmbedded(font):
            return 0.0
        family = name.split("+", 1)[-1].split("-", 1)[0].split(",", 1)[0]
        return STANDARD_DESCENT.get(family, 0.0) / 1000.0

    def _orientation(self, i: int) -> tuple[bool, str]:
        """pdfminer's upright test on the character matrix, and which way rotated text reads."""
        m = raw.FS_MATRIX()
        if not raw.FPDFText_GetMatrix(self.textpage, i, m):
            return True, "ttb"
        return 0 < m.a * m.d and m.b * m.c <= 0, "btt" if m.b > 0 else "ttb"


def _codes(textpage, n: int) -> list[int]:
    """Unicode of every char: one text call when it maps one-to-one onto chars, else char by char."""
    buf = ctypes.create_string_buffer(2 * (n + 1))
    got = raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: 2 * max(0, got - 1)].decode("utf-16-le", errors="replace")
    if len(text) == n and not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return [ord(ch) for ch in text]
    return [raw.FPDFText_GetUnicode(textpage, i) for i in range(n)]


def page_chars(textpage, top_y: float, left_x: float = 0.0) -> list[tuple]:
    """Chars of a pdfium text page as (text, x0, x1, top, bottom, font, size, upright, rot) tuples, placed as
    pdfminer places them (x from the glyph's advance, bottom on the baseline plus the font's descent).

    top_y/left_x: the media box's top and left in PDF space, so coordinates start at the page's top-left corner."""
    n = raw.FPDFText_CountChars(textpage)
    fonts = _FontCache(textpage)
    rect = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    handle = ctypes.cast(textpage, ctypes.c_void_p)
    chars: list[tuple] = []
    for i, code in enumerate(_codes(textpage, n)):
        if code in _CHECK:  # the text call marks line-end hyphens; generated spaces are pdfium's, not the file's
            if raw.FPDFText_IsGenerated(textpage, i):
                continue
            code = raw.FPDFText_GetUnicode(textpage, i)
        if code in _SKIP:
            continue
        name, size, upright, rot, descent = fonts.get(_TEXT_OBJECT(handle, i) or 0, i)
        raw.FPDFText_GetLooseCharBox(textpage, i, rect)
        x0, x1 = rect.left - left_x, rect.right - left_x
        if upright:
            raw.FPDFText_GetCharOrigin(textpage, i, ox, oy)
            bottom = top_y - oy.value - descent  # pdfminer: baseline plus the font's descent
            top = bottom - size
        else:
            top, bottom = top_y - rect.top, top_y - rect.bottom
        text = "-" if code == 0x02 else chr(code)  # 0x02: pdfium's mark for a hyphen that ends a line
        chars.append((text, x0, x1, top, bottom, name, size, upright, rot))
    return chars


def words_from_chars(chars: list[tuple]) -> list[Word]:
    """Words by pdfplumber's rules (calpae.extract.char_words), rotated text read in its own direction."""
    from calpae.extract.char_words import build_words

    return build_words(chars)


class _Cells:
    """What the reader uses of a pdfplumber Table: its cell boxes."""

    def __init__(self, cells: list[tuple]) -> None:
        self.cells = cells


class PdfiumPage:
    """A pypdfium2 page offering what the reader uses of a pdfplumber page: words, edges, table finder."""

    def __init__(self, page, number: int) -> None:
        self.page = page
        self.page_number = number
        left, bottom, right, top = page.get_mediabox()
        self.left, self.top_y = left, top
        self.width, self.height = right - left, top - bottom
        self.rotation = page.get_rotation()
        self._textpage = None
        self._edges: list[dict] | None = None

    @property
    def textpage(self):
        if self._textpage is None:
            self._textpage = self.page.get_textpage()
        return self._textpage

    def text(self) -> str:
        """The page's text in pdfium's reading order (the fast pass)."""
        return self.textpage.get_text_range()

    def words(self) -> list[Word]:
        return words_from_chars(page_chars(self.textpage.raw, self.top_y, self.left))

    @property
    def edges(self) -> list[dict]:
        from calpae.extract.pdfium_edges import page_edges

        if self._edges is None:
            self._edges = page_edges(self.page)
        return self._edges

    def find_tables(self, table_settings: dict) -> list[_Cells]:
        """pdfplumber's table finder on this page's ruling lines (lines strategy only)."""
        from calpae.extract.pdfium_edges import find_table_cells

        return [_Cells(c) for c in find_table_cells(self.edges, self.width, self.height, table_settings)]

    def flush_cache(self) -> None:
        self._edges = None

    def close(self) -> None:
        if self._textpage is not None:
            self._textpage.close()
            self._textpage = None
        self.page.close()


def pdfium_page_words(page) -> list[Word]:
    """Every word of a pypdfium2 page, with the same fields the pdfplumber path gives."""
    return PdfiumPage(page, 0).words()
