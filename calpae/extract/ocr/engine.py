"""Tesseract: is it installed, one page image read into words (points, confidences, a font size estimate), the
specks and rule remnants it reads as text dropped.

Tesseract is called directly as a subprocess (no pytesseract, no OCRmyPDF): one command per page gives TSV word
boxes and confidences, a hard per-page timeout, and no extra Python dependency or PDF rewrite.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from statistics import median

from calpae.extract.ocr.cache import cached_tsv
from calpae.extract.ocr.cells import is_piece
from calpae.extract.settings import OCR, OcrSettings
from calpae.models import BBox, Word

OCR_MODES = ("auto", "always", "never")
BASELINE_RANK = 4  # the baseline is the lower quartile of word bottoms: index (n - 1) // 4
LIST_LANGS_TIMEOUT = 30.0  # seconds for `tesseract --list-langs`
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
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=LIST_LANGS_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"tesseract cannot be run ({exc})"
    langs = {ln.strip() for ln in (out.stdout + out.stderr).splitlines()}
    return None if OCR.lang in langs else f"Tesseract's '{OCR.lang}' language data is not installed"


def run_tesseract(png: bytes, settings: OcrSettings = OCR) -> str:
    """Tesseract's TSV for one page image; one thread per call so the worker pool owns the parallelism."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = [
        "tesseract",
        "stdin",
        "stdout",
        "-l",
        settings.lang,
        "--psm",
        settings.psm,
        "--dpi",
        str(settings.dpi),
        "tsv",
    ]

    def run() -> str:
        out = subprocess.run(cmd, input=png, capture_output=True, timeout=settings.page_timeout, env=env)
        if out.returncode != 0:
            raise RuntimeError(out.stderr.decode(errors="replace").strip().splitlines()[-1:] or "tesseract failed")
        return out.stdout.decode("utf-8", errors="replace")

    return cached_tsv(cmd, [png], run)


def _clean_text(text: str) -> str:
    """Word text without the bars and underscores left by ruling lines, a misread decimal comma restored."""
    return decimal_comma(text.strip().strip("|¦_[]").strip())


# an amount grouped by thousands whose decimal comma OCR read as ':' or ';' ('13.330:40'); a thousands group is
# required, so times ('13:30') and ratios are left alone
_COLON_DECIMAL = re.compile(r"(\d{1,3}(?:[.\u00a0\u202f]\d{3})+)[:;](\d{2}€?)")


def decimal_comma(text: str) -> str:
    """'13.330:40' → '13.330,40': French amounts never separate their cents with a colon or a semicolon."""
    m = _COLON_DECIMAL.fullmatch(text)
    return f"{m.group(1)},{m.group(2)}" if m else text


def parse_tsv(tsv: str, scale: float, settings: OcrSettings = OCR) -> list[Word]:
    """Tesseract TSV rows as Words in PDF points (top-left origin), with confidence and a font size estimate."""
    rows: dict[tuple[str, str, str], list[tuple[str, float, BBox]]] = {}
    for raw_line in tsv.splitlines()[1:]:
        f = raw_line.split("\t")
        if len(f) < 12 or f[0] != "5":
            continue
        text, conf = _clean_text(f[11]), float(f[10])
        if (
            not text
            or conf < settings.min_conf
            or (conf < settings.symbol_conf and not any(ch.isalnum() or ch in "€%" for ch in text))
        ):
            continue
        left, top, w, h = (float(v) / scale for v in f[6:10])
        rows.setdefault((f[2], f[3], f[4]), []).append(
            (text, conf, BBox(x0=left, top=top, x1=left + w, bottom=top + h))
        )
    words: list[Word] = []
    for items in rows.values():
        items = drop_specks(items, settings)
        if not items:
            continue
        # one top and bottom per Tesseract line: descenders and accents must not split a visual line in two;
        # taken from its words, not its numbers, which the cell re-read may move to a line of their own
        size = round(median(b.bottom - b.top for _, _, b in items) * settings.em_per_height, 1)
        anchor = [b for t, _, b in items if not is_piece(t)] or [b for _, _, b in items]
        top, bottom = min(b.top for b in anchor), _baseline(anchor) + settings.descent_em * size
        words.extend(
            Word(text=t, bbox=BBox(x0=b.x0, top=top, x1=b.x1, bottom=bottom), size=size, confidence=c)
            for t, c, b in items
        )
    return words


def _baseline(boxes: list[BBox]) -> float:
    """The line's baseline: the lower quartile of word bottoms (words with descenders reach lower)."""
    bottoms = sorted(b.bottom for b in boxes)
    return bottoms[(len(bottoms) - 1) // BASELINE_RANK]


PUNCT_ONLY = set(".,'‘’\"“”|`")
DASHES = "-–—"


def drop_specks(items: list[tuple[str, float, BBox]], settings: OcrSettings = OCR) -> list[tuple[str, float, BBox]]:
    """Without stray punctuation and short unsure words far from their neighbours (noise read as text)."""
    items = sorted(items, key=lambda it: it[2].x0)
    if not items:
        return items
    em = median(b.bottom - b.top for _, _, b in items) * settings.em_per_height
    keep = []
    for i, (text, conf, box) in enumerate(items):
        if set(text) <= PUNCT_ONLY or _dotted_dash(text, items[i + 1][0] if i + 1 < len(items) else ""):
            continue
        left = box.x0 - items[i - 1][2].x1 if i > 0 else float("inf")
        right = items[i + 1][2].x0 - box.x1 if i + 1 < len(items) else float("inf")
        if (
            conf < settings.speck_conf
            and len(text) <= settings.speck_chars
            and min(left, right) > settings.speck_gap_em * em
        ):
            continue
        following = items[i + 1][0] if i + 1 < len(items) else ""
        if _stray_lead(text, conf, left=left, right=right, following=following, em=em, settings=settings):
            continue
        keep.append((text, conf, box))
    return keep


def _dotted_dash(text: str, following: str) -> bool:
    """Stray punctuation run into a dash ('.-', '-.'): a speck beside a rule remnant, unless a unit follows (a
    dash zero '- €' read with a speck)."""
    return set(text) <= PUNCT_ONLY | set(DASHES) and bool(set(text) & PUNCT_ONLY) and following[:1] not in "€%"


def _stray_lead(
    text: str, conf: float, *, left: float, right: float, following: str, em: float, settings: OcrSettings
) -> bool:
    """A lone mark (':', 'L', '‘') opening a cell just before a number: a rule remnant or speck read as text."""
    if len(text) != 1 or text.isdigit() or text in "€%-–" or not following[:1].isdigit():
        return False
    if text.isalpha() and conf >= settings.stray_lead_conf:
        return False
    return left > settings.stray_lead_gap_em * em and right < em
