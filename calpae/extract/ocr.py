"""OCR of pages without a usable text layer: Tesseract (French) words with confidences, ruled grids from the image.

Tesseract is called directly as a subprocess (no pytesseract, no OCRmyPDF): one command per page gives TSV word
boxes and confidences, a hard per-page timeout, and no extra Python dependency or PDF rewrite.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import os
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import numpy as np

from calpae.extract.ocr_cells import is_piece
from calpae.models import BBox, Document, Page, Word

log = logging.getLogger(__name__)

OCR_MODES = ("auto", "always", "never")
DPI = 300  # render resolution: Tesseract reads best with capital letters ~30 px high
# Pixels of one page image, at most (an A2 page at 300 dpi): a 200×200-inch page at 300 dpi would be 60 000² px
# (3.6 G, MemoryError); a larger page is rendered at the resolution that fits, and a finding says so.
MAX_OCR_PIXELS = 36_000_000
# Share of a text layer's visible characters that are control, private-use or replacement codes past which the
# layer is garbage (a font without a Unicode map): the page is OCRed like a scan, or flagged when it cannot be.
GARBLED_SHARE = 0.3
MIN_GARBLED_CHARS = 20  # fewer visible characters than this say nothing either way
PAGE_TIMEOUT = 90.0  # seconds of Tesseract per page before the page is given up
LANG = "fra"
PSM = "6"  # one uniform block: keeps a table row's label and amounts on one line
STAMP_CHARS = 400  # a text layer this small over a full-page image is a stamp, not the page's content
IMAGE_COVER = 0.6  # share of the page an image must cover to count as a scan
MIN_CONF = 10.0  # words Tesseract is less sure of than this are noise (specks, rule remnants)
EM_PER_HEIGHT = 1 / 0.72  # word box height (cap or x-height + ascender/descender) → font size
INSTALL_HINT = (
    "install Tesseract and its French data: sudo apt-get install tesseract-ocr tesseract-ocr-fra "
    "(or run scripts/ensure-tesseract.sh)"
)


@functools.cache
def tesseract_problem() -> str | None:
    """Why OCR cannot run here (no tesseract binary, no French data), or None when it can."""
    exe = shutil.which("tesseract")
    if exe is None:
        return "tesseract is not installed"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"tesseract cannot be run ({exc})"
    langs = {ln.strip() for ln in (out.stdout + out.stderr).splitlines()}
    return None if LANG in langs else f"Tesseract's '{LANG}' language data is not installed"


def _text_chars(page: Page) -> int:
    return sum(len(w.text) for ln in page.lines for w in ln.words) or sum(len(ln.text) for ln in page.lines)


def _image_cover(pdf_page) -> float:
    """Share of the page covered by its largest image object (0 when there is none)."""
    import pypdfium2.raw as raw

    width, height = pdf_page.get_size()
    best = 0.0
    for obj in pdf_page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        x0, y0, x1, y1 = obj.get_bounds()
        best = max(best, (min(x1, width) - max(x0, 0)) * (min(y1, height) - max(y0, 0)) / (width * height or 1))
    return best


def garbled_share(text: str) -> float:
    """Share of the visible characters of a text layer that no font maps to text: control characters (tab and
    line ends aside), private-use code points, U+FFFD, and pdfminer's '(cid:N)' placeholders."""
    visible = 0
    bad = 3 * text.count("(cid:")  # '(cid:12)': one unmapped glyph written as 8 characters, counted as 4 bad
    for ch in text:
        if ch.isspace():
            continue
        visible += 1
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Co", "Cs", "Cn") or ch == "\ufffd":
            bad += 1
    return min(1.0, bad / visible) if visible >= MIN_GARBLED_CHARS else 0.0


def is_garbled(page: Page) -> bool:
    """True when the page's text layer is mostly unmapped glyph codes (read by OCR instead, or flagged)."""
    return page.garbled_share is not None and page.garbled_share >= GARBLED_SHARE


def ocr_dpi(width_pt: float, height_pt: float, dpi: int = DPI) -> int:
    """`dpi`, or the lower resolution at which a page of this size fits MAX_OCR_PIXELS."""
    pixels = (width_pt * dpi / 72.0) * (height_pt * dpi / 72.0)
    if pixels <= MAX_OCR_PIXELS:
        return dpi
    return max(1, math.floor(dpi * math.sqrt(MAX_OCR_PIXELS / pixels)))


def needs_ocr(page: Page, pdf_page) -> bool:
    """auto mode: no text at all over an image, only a few (stamp) characters over a full-page image, or a text
    layer of unmapped glyph codes."""
    if is_garbled(page):
        return True
    chars = _text_chars(page)
    if chars >= STAMP_CHARS:
        return False
    cover = _image_cover(pdf_page)
    return cover > 0.0 if chars == 0 else cover >= IMAGE_COVER


def run_tesseract(png: bytes, dpi: int, timeout: float) -> str:
    """Tesseract's TSV for one page image; one thread per call so the worker pool owns the parallelism."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = ["tesseract", "stdin", "stdout", "-l", LANG, "--psm", PSM, "--dpi", str(dpi), "tsv"]
    out = subprocess.run(cmd, input=png, capture_output=True, timeout=timeout, env=env)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.decode(errors="replace").strip().splitlines()[-1:] or "tesseract failed")
    return out.stdout.decode("utf-8", errors="replace")


def _clean_text(text: str) -> str:
    """Word text without the bars and underscores left by ruling lines."""
    return text.strip().strip("|¦_[]").strip()


def parse_tsv(tsv: str, scale: float) -> list[Word]:
    """Tesseract TSV rows as Words in PDF points (top-left origin), with confidence and a font size estimate."""
    rows: dict[tuple[str, str, str], list[tuple[str, float, BBox]]] = {}
    for raw_line in tsv.splitlines()[1:]:
        f = raw_line.split("\t")
        if len(f) < 12 or f[0] != "5":
            continue
        text, conf = _clean_text(f[11]), float(f[10])
        if not text or conf < MIN_CONF or (conf < 50 and not any(ch.isalnum() or ch in "€%" for ch in text)):
            continue
        left, top, w, h = (float(v) / scale for v in f[6:10])
        rows.setdefault((f[2], f[3], f[4]), []).append(
            (text, conf, BBox(x0=left, top=top, x1=left + w, bottom=top + h))
        )
    words: list[Word] = []
    for items in rows.values():
        items = _drop_specks(items)
        if not items:
            continue
        # one top and bottom per Tesseract line: descenders and accents must not split a visual line in two;
        # taken from its words, not its numbers, which the cell re-read may move to a line of their own
        size = round(median(b.bottom - b.top for _, _, b in items) * EM_PER_HEIGHT, 1)
        anchor = [b for t, _, b in items if not is_piece(t)] or [b for _, _, b in items]
        top, bottom = min(b.top for b in anchor), _baseline(anchor) + DESCENT_EM * size
        words.extend(
            Word(text=t, bbox=BBox(x0=b.x0, top=top, x1=b.x1, bottom=bottom), size=size, confidence=c)
            for t, c, b in items
        )
    return words


DESCENT_EM = 0.21  # a line's box ends this many font sizes below its baseline, as a born-digital font box does


def _baseline(boxes: list[BBox]) -> float:
    """The line's baseline: the lower quartile of word bottoms (words with descenders reach lower)."""
    bottoms = sorted(b.bottom for b in boxes)
    return bottoms[(len(bottoms) - 1) // 4]


PUNCT_ONLY = set(".,'‘’\"“”|`")
SPECK_CONF = 50.0  # below this, a short word standing alone is a speck or a rule remnant, not text
SPECK_GAP_EM = 1.5


def _drop_specks(items: list[tuple[str, float, BBox]]) -> list[tuple[str, float, BBox]]:
    """Without stray punctuation and short unsure words far from their neighbours (noise read as text)."""
    items = sorted(items, key=lambda it: it[2].x0)
    if not items:
        return items
    em = median(b.bottom - b.top for _, _, b in items) * EM_PER_HEIGHT
    keep = []
    for i, (text, conf, box) in enumerate(items):
        if set(text) <= PUNCT_ONLY:
            continue
        left = box.x0 - items[i - 1][2].x1 if i > 0 else float("inf")
        right = items[i + 1][2].x0 - box.x1 if i + 1 < len(items) else float("inf")
        if conf < SPECK_CONF and len(text) <= 3 and min(left, right) > SPECK_GAP_EM * em:
            continue
        if _stray_lead(text, conf, left, right, items[i + 1][0] if i + 1 < len(items) else "", em):
            continue
        keep.append((text, conf, box))
    return keep


def _stray_lead(text: str, conf: float, left: float, right: float, following: str, em: float) -> bool:
    """A lone mark (':', 'L', '‘') opening a cell just before a number: a rule remnant or speck read as text."""
    if len(text) != 1 or text.isdigit() or text in "€%-–" or not following[:1].isdigit():
        return False
    if text.isalpha() and conf >= 80:
        return False
    return left > 2 * em and right < em


@dataclass
class PageOcr:
    """What OCR found on one page: words (points), ruled grids (cell boxes in points), the skew corrected."""

    words: list[Word]
    grids: list[list[tuple[float, float, float, float]]] = field(default_factory=list)
    skew: float = 0.0
    layouts: list = field(default_factory=list)  # borderless amount tables (ocr_table.Layout) found in the words


def ocr_image(gray: np.ndarray, dpi: int, timeout: float = PAGE_TIMEOUT) -> PageOcr:
    """Deskew, denoise, find and remove ruling lines, run Tesseract, re-read amount cells; returned in points."""
    from PIL import Image

    from calpae.extract import ocr_cells, ocr_table
    from calpae.extract.layout import group_lines
    from calpae.extract.ocr_image import (
        MAX_RULE_PT,
        binarize,
        clean_for_ocr,
        denoise,
        deskew,
        estimate_skew,
        grid_boxes,
        rule_masks,
        segments,
    )

    angle = estimate_skew(gray)
    gray = denoise(deskew(gray, angle))
    scale = dpi / 72.0
    h_mask, v_mask = rule_masks(gray, dpi)
    thick = max(2, int(MAX_RULE_PT * scale))
    horiz, vert = segments(h_mask, 0, thick), segments(v_mask, 1, thick)
    clean = clean_for_ocr(gray, horiz, vert)
    buf = io.BytesIO()
    Image.fromarray(clean).save(buf, "PNG")
    words = parse_tsv(run_tesseract(buf.getvalue(), dpi, timeout), scale)
    if words:
        binary = binarize(clean)
        lines = [ln.words for ln in group_lines(words, 0)]
        crops = [
            c
            for i, col in enumerate(ocr_cells.amount_columns(ocr_cells.amount_spans(lines)))
            for c in ocr_cells.column_crops(binary, col, scale, i)
        ]
        ocr_cells.read_crops(clean, crops, dpi, LANG, timeout)
        words = ocr_cells.replace_words(words, crops, scale)
    grids = [[tuple(v / scale for v in box) for box in grid] for grid in grid_boxes(horiz, vert, dpi * 0.03)]
    layouts = []
    if words and not grids:
        layout = ocr_table.find_layout(group_lines(words, 0))
        if layout is not None:
            ocr_table.read_amounts(layout)
            words = ocr_table.reread(layout, clean, scale, dpi, LANG, timeout, words)
            for r, k, old, new in ocr_table.check_totals(layout):
                log.info(
                    "OCR amount in row %d, column %d read %s, set to %s by the table's sums", r + 1, k + 1, old, new
                )
            layouts.append(layout)
    return PageOcr(words=words, grids=grids, skew=angle, layouts=layouts)


def render_gray(pdf_page, dpi: int) -> np.ndarray:
    """The page as an 8-bit greyscale array at `dpi`: a full-page scan's own pixels resampled (Lanczos), else rendered."""
    scan = _scan_image(pdf_page)
    width, height = pdf_page.get_size()
    size = (max(1, round(width * dpi / 72.0)), max(1, round(height * dpi / 72.0)))
    if scan is not None:
        from PIL import Image

        return np.asarray(scan.resize(size, Image.LANCZOS))
    return np.asarray(pdf_page.render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L"))


def _scan_image(pdf_page):
    """The page's image at its native resolution (greyscale PIL) when it alone covers the whole upright page."""
    import pypdfium2.raw as raw

    if pdf_page.get_rotation() % 360:
        return None
    width, height = pdf_page.get_size()
    images = list(pdf_page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    if len(images) != 1:
        return None
    obj = images[0]
    x0, y0, x1, y1 = obj.get_bounds()
    a, b, c, d, _, _ = obj.get_matrix().get()
    tol = 0.01 * max(width, height)
    if b or c or a <= 0 or d <= 0 or max(abs(x0), abs(y0), abs(x1 - width), abs(y1 - height)) > tol:
        return None
    try:
        w_px, h_px = obj.get_px_size()
        if w_px * h_px > MAX_OCR_PIXELS:  # decoding it whole would cost more than the page image may
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
    path: Path, doc: Document, mode: str = "auto", dpi: int = DPI, timeout: float = PAGE_TIMEOUT
) -> tuple[list, set[int]]:
    """OCR the pages `mode` selects into doc; returns the ruled tables found in their images and their numbers."""
    import pypdfium2 as pdfium

    from calpae.extract.layout import group_lines
    from calpae.extract.ocr_table import to_table
    from calpae.extract.pdf_tables import _grid_from_cells

    if mode not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {mode!r}")
    if mode == "never":
        return [], set()
    found: list = []
    done: set[int] = set()
    pdf = pdfium.PdfDocument(str(path))
    try:
        wanted = [
            p for p in doc.pages if p.number <= len(pdf) and (mode == "always" or needs_ocr(p, pdf[p.number - 1]))
        ]
        problem = tesseract_problem() if wanted else None
        if problem:
            nums = ", ".join(str(p.number) for p in wanted)
            doc.errors.append(f"page(s) {nums} have no usable text layer and were not OCRed: {problem}; {INSTALL_HINT}")
            doc.status = "partial"
            return [], set()
        for page in wanted:
            width, height = pdf[page.number - 1].get_size()
            page_dpi = ocr_dpi(width, height, dpi)
            try:
                result = ocr_image(render_gray(pdf[page.number - 1], page_dpi), page_dpi, timeout)
            except subprocess.TimeoutExpired:
                _page_error(doc, page.number, f"OCR timed out after {timeout:.0f} s")
                continue
            except Exception as exc:  # one bad page must not lose the others
                _page_error(doc, page.number, f"OCR failed ({type(exc).__name__}: {exc})")
                continue
            layer = [] if mode == "always" or is_garbled(page) else [w for ln in page.lines for w in ln.words]
            words = merge_words(layer, result.words)
            page.lines = group_lines(words, page.number)
            page.ocr = True
            page.ocr_dpi = page_dpi
            done.add(page.number)
            grids = [g for g in (_grid_from_cells(grid, words, page.number) for grid in result.grids) if g is not None]
            found.extend(grids)
            loose = [to_table(lay, page.number) for lay in result.layouts]
            found.extend(f for f in loose if not any(_boxes_meet(f.bbox, g.bbox) for g in grids))
    finally:
        pdf.close()
    return found, done


def _boxes_meet(a: BBox, b: BBox) -> bool:
    """True when two boxes overlap (a borderless reading of a table already found ruled)."""
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def _page_error(doc: Document, page: int, reason: str) -> None:
    log.warning("%s: page %d: %s", doc.source, page, reason)
    doc.errors.append(f"page {page}: {reason}")
    doc.status = "partial"
