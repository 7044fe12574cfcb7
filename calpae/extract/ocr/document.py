"""OCR of the pages of a PDF that have no usable text layer (or of every page): which pages, the page image at the
scan's own resolution, OCR words merged with a stamp's text layer, and the tables found in the images."""

from __future__ import annotations

import logging
import math
import re
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import Image

from calpae import readscope
from calpae.extract.geometry.lines import group_lines
from calpae.extract.numbers.parse import parse_number
from calpae.extract.ocr.amounts import to_table
from calpae.extract.ocr.engine import (
    INSTALL_HINT,
    OCR_MODES,
    tesseract_problem,
)
from calpae.extract.ocr.headwords import repair_headers
from calpae.extract.ocr.labelwords import mend_label
from calpae.extract.ocr.layout import Layout, continue_layout
from calpae.extract.ocr.page import ocr_image
from calpae.extract.ocr.stray import drop_stray_marks
from calpae.extract.settings import OCR, OCR_TABLE, POINTS_PER_INCH, OcrSettings, OcrTableSettings
from calpae.extract.tables.found import Found
from calpae.extract.tables.merge import merge_found
from calpae.extract.tables.pick import is_money
from calpae.extract.tables.ruled import grid_from_cells
from calpae.models import BBox, Document, Page, Table, Word

log = logging.getLogger(__name__)


def _text_chars(page: Page) -> int:
    return sum(len(w.text) for ln in page.lines for w in ln.words) or sum(len(ln.text) for ln in page.lines)


def _image_cover(pdf_page) -> float:
    """Share of the page covered by its largest image object (0 when there is none)."""
    width, height = pdf_page.get_size()
    best = 0.0
    for obj in pdf_page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        x0, y0, x1, y1 = obj.get_bounds()
        best = max(best, (min(x1, width) - max(x0, 0)) * (min(y1, height) - max(y0, 0)) / (width * height or 1))
    return best


def garbled_share(text: str, settings: OcrSettings = OCR) -> float:
    """Share of the visible characters of a text layer that no font maps to text: control characters (tab and
    line ends aside), private-use code points, U+FFFD, and pdfminer's '(cid:N)' placeholders."""
    visible = 0
    bad = 3 * text.count("(cid:")  # '(cid:12)': one unmapped glyph written as 8 characters, counted as 4 bad
    for ch in text:
        if ch.isspace():
            continue
        visible += 1
        if unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") or ch == "\ufffd":
            bad += 1
    return min(1.0, bad / visible) if visible >= settings.min_garbled_chars else 0.0


def is_garbled(page: Page, settings: OcrSettings = OCR) -> bool:
    """True when the page's text layer is mostly unmapped glyph codes (read by OCR instead, or flagged)."""
    return page.garbled_share is not None and page.garbled_share >= settings.garbled_share


def ocr_dpi(width_pt: float, height_pt: float, settings: OcrSettings = OCR) -> int:
    """settings.dpi, or the lower resolution at which a page of this size fits settings.max_pixels."""
    pixels = (width_pt * settings.dpi / POINTS_PER_INCH) * (height_pt * settings.dpi / POINTS_PER_INCH)
    if pixels <= settings.max_pixels:
        return settings.dpi
    return max(1, math.floor(settings.dpi * math.sqrt(settings.max_pixels / pixels)))


def needs_ocr(page: Page, pdf_page: Any, settings: OcrSettings = OCR) -> bool:
    """auto mode: no text at all over an image, only a few (stamp) characters over a full-page image, or a text
    layer of unmapped glyph codes."""
    if is_garbled(page, settings):
        return True
    chars = _text_chars(page)
    if chars >= settings.stamp_chars:
        return False
    cover = _image_cover(pdf_page)
    return cover > 0.0 if chars == 0 else cover >= settings.image_cover


def render_gray(pdf_page, dpi: int) -> np.ndarray:
    """The page as an 8-bit greyscale array at `dpi`: a full-page scan's own pixels resampled (Lanczos), else
    rendered."""
    scan = _scan_image(pdf_page)
    width, height = pdf_page.get_size()
    size = (max(1, round(width * dpi / POINTS_PER_INCH)), max(1, round(height * dpi / POINTS_PER_INCH)))
    if scan is not None:
        return np.asarray(scan.resize(size, Image.Resampling.LANCZOS))
    return np.asarray(pdf_page.render(scale=dpi / POINTS_PER_INCH, grayscale=True).to_pil().convert("L"))


def _scan_image(pdf_page):
    """The page's image at its native resolution (greyscale PIL) when it alone covers the whole upright page."""
    if pdf_page.get_rotation() % 360:
        return None
    width, height = pdf_page.get_size()
    images = list(pdf_page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    if len(images) != 1:
        return None
    obj = images[0]
    x0, y0, x1, y1 = obj.get_bounds()
    a, b, c, d, _, _ = obj.get_matrix().get()
    tol = OCR.scan_fit * max(width, height)
    if b or c or a <= 0 or d <= 0 or max(abs(x0), abs(y0), abs(x1 - width), abs(y1 - height)) > tol:
        return None
    try:
        w_px, h_px = obj.get_px_size()
        if w_px * h_px > OCR.max_pixels:  # decoding it whole would cost more than the page image may
            return None
        return obj.get_bitmap(render=False).to_pil().convert("L")
    except Exception:  # an image format pdfium cannot decode raw: render the page instead
        return None


def _overlaps(w: Word, others: list[Word]) -> bool:
    cx, cy = (w.bbox.x0 + w.bbox.x1) / 2, (w.bbox.top + w.bbox.bottom) / 2
    return any(o.bbox.x0 - 1 <= cx <= o.bbox.x1 + 1 and o.bbox.top - 1 <= cy <= o.bbox.bottom + 1 for o in others)


def merge_words(layer: list[Word], ocred: list[Word]) -> list[Word]:
    """Text-layer words (a stamp over a scan) kept; OCR words added where the layer has nothing."""
    return layer + [w for w in ocred if not _overlaps(w, layer)]


def ocr_document(
    path: Path, doc: Document, mode: str = "auto", settings: OcrSettings = OCR
) -> tuple[list[Found], set[int]]:
    """OCR the pages `mode` selects into doc; returns the ruled tables found in their images and their numbers."""
    if mode not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {mode!r}")
    if mode == "never":
        return [], set()
    found: list[Found] = []
    done: set[int] = set()
    previous: tuple[Layout, Found] | None = None  # the last page's table: a header-less next page may go on with it
    pdf = pdfium.PdfDocument(str(path))
    try:
        wanted = [
            p
            for p in doc.pages
            if p.number <= len(pdf) and (mode == "always" or needs_ocr(p, pdf[p.number - 1], settings))
        ]
        problem = tesseract_problem() if wanted else None
        if problem:
            nums = ", ".join(str(p.number) for p in wanted)
            doc.errors.append(f"page(s) {nums} have no usable text layer and were not OCRed: {problem}; {INSTALL_HINT}")
            doc.status = "partial"
            return [], set()
        for page in wanted:
            width, height = pdf[page.number - 1].get_size()
            page_settings = replace(settings, dpi=ocr_dpi(width, height, settings))  # past the pixel cap: fewer dpi
            try:
                result = ocr_image(render_gray(pdf[page.number - 1], page_settings.dpi), page_settings)
            except subprocess.TimeoutExpired:
                _page_error(doc, page.number, f"OCR timed out after {settings.page_timeout:.0f} s")
                continue
            except Exception as exc:  # one bad page must not lose the others
                _page_error(doc, page.number, f"OCR failed ({type(exc).__name__}: {exc})")
                continue
            garbled = is_garbled(page, settings)
            layer = [] if mode == "always" or garbled else [w for ln in page.lines for w in ln.words]
            words = merge_words(layer, mend_comma_groups(drop_stray_marks(result.words, settings)))
            page.lines = group_lines(words, page.number)
            page.ocr = True
            page.ocr_dpi = page_settings.dpi
            page.ocr_ink = [BBox(x0=a, top=b, x1=c, bottom=d) for a, b, c, d in result.ink]
            done.add(page.number)
            readscope.current().page_done(page.number, len(pdf), "OCR")
            grids = [g for g in (grid_from_cells(grid, words, page.number) for grid in result.grids) if g is not None]
            for g in grids:
                repair_grid_heads(g)
            found.extend(grids)
            kept = [lay for lay in result.layouts if shows_euros(lay)]
            going_on = previous is not None and bool(kept) and continue_layout(previous[0], kept[0])
            pairs = [(lay, to_table(lay, page.number)) for lay in kept]
            pairs = [(lay, f) for lay, f in pairs if not any(_boxes_meet(f.bbox, g.bbox) for g in grids)]
            head = None
            if previous is not None and going_on and pairs and pairs[0][0] is kept[0]:
                # the rest of the last page's table, under its columns: one table however the page's top reads
                log.info("page %d: a table without header goes on from page %d", page.number, previous[1].last_page)
                head = previous[1]
                merge_found(head, pairs.pop(0)[1])
            found.extend(f for _, f in pairs)
            if pairs:
                previous = pairs[-1]
            elif head is not None:
                previous = (kept[0], head)
            else:
                previous = None
    finally:
        pdf.close()
    return found, done


EURO_WORD = re.compile(r"(?i)[km]?eur(os?)?")


def shows_euros(layout: Layout) -> bool:
    """True when a word of the table (an amount cell, a header) shows money: a euro sign however OCR bent the rest,
    or the word 'euros'. Right-aligned counts of an indicator table make a layout too ('844' '830' '1098' under
    'Résultat atteint'); with no euro anywhere they are left to the readers of tables of figures."""
    cells = [w for row in layout.rows for c in row.cells.values() for w in c.words]
    return any("€" in w.text or EURO_WORD.fullmatch(w.text.strip("().,:;")) for w in cells + layout.header)


def repair_grid_heads(found: Found) -> None:
    """The header cells of a ruled grid read from a page image (the rows above its first amount) repaired together
    as the re-read's header cells are (ocr.headwords): a cell the re-read left as the page's OCR read it is mended
    alike."""
    table = found.table
    first = min((c.row for c in table.cells if is_money(c.text)), default=None)
    heads = [c for c in table.cells if first is not None and c.row < first and c.text.strip()]
    for cell, text in zip(heads, repair_headers([c.text for c in heads]), strict=True):
        cell.text = text


def _ocr_tables(doc: Document) -> list[Table]:
    """The tables read wholly from page images (whichever reader read them)."""
    ocr_pages = {p.number for p in doc.pages if p.ocr}
    return [t for t in doc.tables if ocr_pages and set(t.pages) <= ocr_pages]


def mend_labels(doc: Document) -> None:
    """The label cells of every table read from page images (whichever reader read it: the body's cells holding no
    amount), their words no French list holds mended by it (ocr.labelwords)."""
    for table in _ocr_tables(doc):
        _mend_table(table)


_DOT_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?\s*€?$")  # '134.500 €', '10.509,84 €'
_COMMA_THOUSANDS = re.compile(r"^(\d{1,3}),(\d{3})(\s*€?)$")  # '14,500 €': three digits after a comma


_COMMA_GROUPS = re.compile(r"^(\d{1,3}(?:,\d{3})+),(\d{2})$")  # '118,404,28': a group's dot read as a comma


def mend_comma_groups(words: list[Word], settings: OcrTableSettings = OCR_TABLE) -> list[Word]:
    """On a page whose amounts group thousands by dots and write cents after a comma ('150.799,08'), a word read
    with commas before three digits and before its last two ('118,404,28') had its dots read as commas: the number
    grammar allows one decimal comma only, so the line held no amount and its table lost its row. Set by the
    page's format; its confidence capped under settings.sure_conf, the cell is marked unsure (its value rests on
    that reading). Left as read on a page without `min_rows` amounts so written."""
    if sum(1 for w in words if _DOT_CENTS.match(w.text)) < settings.min_rows:
        return words
    out = []
    for w in words:
        m = _COMMA_GROUPS.match(w.text)
        if m is None:
            out.append(w)
            continue
        conf = min(w.confidence if w.confidence is not None else 0.0, settings.sure_conf - 1)
        out.append(w.model_copy(update={"text": f"{m[1].replace(',', '.')},{m[2]}", "confidence": conf}))
    return out


_DOT_CENTS = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d{2}$")  # '150.799,08'


def mend_separators(doc: Document) -> None:
    """In a column of a table read from page images whose amounts are grouped by dots ('134.500 €'), a cell read
    with a comma before three digits ('14,500 €') had its dot read as a comma: no euro amount has three decimals.
    The cell is set by the column's format and marked unsure (its value rests on that reading)."""
    for table in _ocr_tables(doc):
        for col in {c.col for c in table.cells}:
            cells = [c for c in table.cells if c.col == col]
            if sum(1 for c in cells if _DOT_GROUPED.match(c.text.strip())) < OCR_TABLE.min_rows:
                continue
            for c in cells:
                m = _COMMA_THOUSANDS.match(c.text.strip())
                if m:
                    c.text = f"{m[1]}.{m[2]}{m[3]}"
                    c.unsure = c.unsure or "thousands dot read as a comma, set by the column's format"


_EURO_CENTS = re.compile(r"\d,\d{2}\s*€$")  # '180 500,00 €': a column written with cents and the euro sign
_EURO_AS_FOUR = re.compile(r"^[(:;]?\s*(\d[\d .,]*\d)4$")  # '0,004', '212626214': its '€' read as a final 4


def mend_euro_signs(doc: Document) -> None:
    """In a table read from page images whose amounts are written with cents and '€' ('0,00 €'), a cell of a column
    read without '€' and ending in a 4 after its cents ('0,004', '72900004' for '72 900,00 €') had its euro sign read
    as a 4: no euro amount has three decimals. The 4 is dropped, the last two digits are the cents, and the cell is
    marked unsure (its value rests on that reading)."""
    for table in _ocr_tables(doc):
        cells = [c for c in table.cells if any(ch.isdigit() for ch in c.text)]
        with_euro = {c.col for c in cells if _EURO_CENTS.search(c.text.strip())}
        if 2 * sum(1 for c in cells if _EURO_CENTS.search(c.text.strip())) < len(cells):
            continue
        for col in with_euro:  # the table's amounts are written so, and this column's too (never a label column)
            for c in (c for c in cells if c.col == col):
                m = _EURO_AS_FOUR.match(c.text.strip())
                digits = re.sub(r"\D", "", m[1]) if m and "€" not in c.text else ""
                if len(digits) >= 3:
                    whole = f"{int(digits[:-2]):,}".replace(",", " ")
                    c.text = f"{whole},{digits[-2:]} €"
                    c.unsure = c.unsure or "euro sign read as a 4 after the cents, set by the column's format"


_CENTS_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})*,\d{2}\s*€?$")  # '26.837,21 €', '837,21 €'
_WITH_CENTS = re.compile(r"^\d[\d.]*,\d{2}\s*€?$")  # '26.837,21 €', '29896,05 €' (a thousands dot lost)
_BARE_DIGITS = re.compile(r"^(\d[\d.,]*\d)(\s*€?)$")  # '2683721 €', '28.49984 €'
# ': 36.500,00 €', ':57 488,83 €': a speck or rule remnant before the amount (a dot or comma glued on may be a decimal)
_LEAD_MARK = re.compile(r"^(?:[:;.,'‘’`|]\s+|[:;'‘’`|](?=\d))(?=\d)")
_LEAD_ONE = re.compile(r"^[LlI|](?=\d[\d.,]*(?:\s*[€%])?$)")  # 'L487', 'L123': a figure's leading 1 read as a letter


def mend_lost_separators(doc: Document) -> None:
    """In a column of a table read from page images whose amounts are written with cents ('26.837,21 €'), a cell
    whose digits OCR read without that format ('2683721 €', '28.49984 €': the comma, the dots lost or moved) had
    its separators lost: its digits are kept and cut as the column writes them (the last two are cents). A lone
    mark before an amount (': 36.500,00 €') is dropped; a figure opened by a letter shaped like a one ('L487',
    'L123' in a scanned indicator table: the serif 1 of a bold or small font) reads as that one. Such cells are
    marked unsure: their value rests on that reading, and the table's sums may still prove it wrong."""
    for table in _ocr_tables(doc):
        for c in table.cells:
            if _LEAD_ONE.match(c.text.strip()) and sum(ch.isdigit() for ch in c.text) >= 2:
                c.text = "1" + c.text.strip()[1:]
                c.unsure = c.unsure or "a leading 1 read as a letter"
            mark = _LEAD_MARK.match(c.text.strip())
            if mark and parse_number(c.text.strip()[mark.end() :]) is not None:
                c.text = c.text.strip()[mark.end() :]
                c.unsure = c.unsure or "a mark before the amount dropped"
        for col in {c.col for c in table.cells}:
            cells = [c for c in table.cells if c.col == col]
            if sum(1 for c in cells if _WITH_CENTS.match(c.text.strip())) < OCR_TABLE.min_rows:
                continue
            for c in cells:
                text = c.text.strip()
                m = _BARE_DIGITS.match(text)
                if m is None or _CENTS_GROUPED.match(text) or re.fullmatch(r"\d+,\d{2}\s*€?", text):
                    continue  # as the column writes it, or only a thousands dot lost: the value holds
                digits = re.sub(r"\D", "", m[1])
                if len(digits) < OCR_TABLE.lost_cents_digits:
                    continue
                units = digits[:-2].lstrip("0") or "0"
                grouped = f"{int(units):,}".replace(",", ".")
                c.text = f"{grouped},{digits[-2:]}{m[2]}"
                c.unsure = c.unsure or "separators lost, cut as the column writes its cents"


def _mend_table(table: Table) -> None:
    first = min((c.row for c in table.cells if is_money(c.text)), default=None)
    for cell in table.cells:
        if (
            first is not None
            and cell.row >= first
            and not is_money(cell.text)
            and any(ch.isalpha() for ch in cell.text)
        ):
            cell.text = mend_label(cell.text)


def _boxes_meet(a: BBox, b: BBox) -> bool:
    """True when two boxes overlap (a borderless reading of a table already found ruled)."""
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def _page_error(doc: Document, page: int, reason: str) -> None:
    log.warning("%s: page %d: %s", doc.source, page, reason)
    doc.errors.append(f"page {page}: {reason}")
    doc.status = "partial"


def mark_unsure_cells(doc: Document, settings: OcrTableSettings = OCR_TABLE) -> None:
    """Say on each table cell of an OCRed page whether OCR was unsure of it: its least sure word below
    settings.sure_conf (readings that disagreed lower it, see cells.arbitrate). Cells of any finder (ruled grids
    of the image, borderless readings of the words) are marked alike; a reason already given is kept."""
    ocr_pages = {p.number: p for p in doc.pages if p.ocr}
    if not ocr_pages:
        return
    for table in doc.tables:
        for cell in table.cells:
            page = ocr_pages.get(cell.page or 0)
            if page is None or cell.bbox is None or cell.unsure or not any(ch.isdigit() for ch in cell.text):
                continue
            conf = _least_confidence(page, cell.bbox)
            if conf is not None and conf < settings.sure_conf:
                cell.unsure = f"OCR confidence {conf:.0f}"


def _least_confidence(page: Page, box: BBox) -> float | None:
    """The least OCR confidence of the words whose centre lies in box (None when none has one)."""
    return min(page.confidences_in(box), default=None)
