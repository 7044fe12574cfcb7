"""Reading hostile content: UTF-16 text, text layers of unmapped glyphs, a page too large to OCR at full
resolution, a document past the memory cap, a page dense with figures."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import reportlab
from PIL import Image, ImageDraw
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from calpae.cli import main
from calpae.extract.ocr.document import garbled_share, ocr_document, ocr_dpi
from calpae.extract.ocr.engine import tesseract_problem
from calpae.extract.pdf.reader import read_pages
from calpae.extract.settings import OCR
from calpae.models import Document
from calpae.pipeline import extract_document, reading_findings

ROOT = Path(__file__).resolve().parents[2]
REPORT = "Rapport d'exécution 2019\n\n1. Mesures\n\nLe montant réalisé s'élève à 67.169 €.\n\nNombre de jeunes\t152\n"
needs_tesseract = pytest.mark.skipif(tesseract_problem() is not None, reason=f"no OCR here: {tesseract_problem()}")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_text_with_a_byte_order_mark_is_read(encoding: str, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text(REPORT, encoding="utf-8")
    wide = tmp_path / "wide.txt"
    data = REPORT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Python writes no mark for an explicit byte order
    wide.write_bytes(data)
    a, b = extract_document(plain), extract_document(wide)
    assert b.document.status == "ok" and b.document.errors == []
    assert [ln.text for ln in b.document.lines()] == [ln.text for ln in a.document.lines()]
    assert [x.amount for x in b.amounts] == [x.amount for x in a.amounts] and len(a.amounts) == 1


def test_utf16_without_a_mark_is_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "nomark.txt"
    path.write_bytes(REPORT.encode("utf-16-le"))
    ext = extract_document(path)
    assert ext.document.status == "failed" and ext.document.errors == ["binary content in a text file"]


def _vera_pdf(path: Path, rewrite: bytes) -> Path:
    """A born-digital page in an embedded TrueType font whose ToUnicode map sends every code to `rewrite`
    ('E0' + code: private use; '0001': a control character): it looks right, its text layer is garbage."""
    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0)  # uncompressed: the map can be rewritten in place
    c.setFont("Vera", 11)
    for i in range(12):
        c.drawString(72, 780 - 16 * i, f"Action {i} : montant réalisé {1000 + 37 * i} € pour {12 + i} jeunes")
    c.showPage()
    c.save()

    def remap(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        return b"<" + code + b"> <" + (rewrite.replace(b"XX", code)) + b">"

    data, n = re.subn(rb"<([0-9A-F]{2})> <[0-9A-F]{4}>", remap, buf.getvalue())  # same length: offsets hold
    assert n > 20
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("rewrite", [b"E0XX", b"0001"], ids=["private-use", "control"])
def test_a_garbled_text_layer_is_flagged_without_ocr(rewrite: bytes, tmp_path: Path) -> None:
    pdf = _vera_pdf(tmp_path / "garbled.pdf", rewrite)
    ext = extract_document(pdf, ocr="never")
    page = ext.document.pages[0]
    assert page.garbled_share == 1.0 and page.garbled_share >= OCR.garbled_share
    assert ext.document.status == "partial"
    assert ext.document.errors == [
        "page 1: text layer unreadable (100% of its characters map to no text: a font without a Unicode map) "
        "and not OCRed (--ocr never)"
    ]


@needs_tesseract
def test_a_garbled_text_layer_is_read_by_ocr_with_a_finding(tmp_path: Path) -> None:
    pdf = _vera_pdf(tmp_path / "garbled.pdf", b"E0XX")
    ext = extract_document(pdf, ocr="auto")
    page = ext.document.pages[0]
    assert ext.document.status == "ok" and page.ocr
    assert page.lines[0].text == "Action 0 : montant réalisé 1000 € pour 12 jeunes"
    (finding,) = [f for f in ext.findings if f.check == "text_layer_garbled"]
    assert finding.severity == "warning" and finding.provenance.page == 1


def test_garbled_share_counts_unmapped_codes_only() -> None:
    assert garbled_share("Le montant réalisé s'élève à 67.169 € pour 152 jeunes.") == 0.0
    assert garbled_share("\ue041\ue063\ue074\ue069\ue06f\ue06e " * 5) == 1.0
    assert garbled_share("montant r(cid:1)alis(cid:1) total des actions menées") == pytest.approx(6 / 47)
    assert garbled_share("\x01\x02") == 0.0  # too few characters to tell


def test_ocr_resolution_is_capped_in_pixels() -> None:
    assert ocr_dpi(595, 842) == 300  # A4
    assert ocr_dpi(200 * 72, 200 * 72) == 30  # the probe's 200×200-inch page: 6 000² px, not 60 000²
    w = h = 100 * 72
    dpi = ocr_dpi(w, h)
    assert (w * dpi / 72) * (h * dpi / 72) <= OCR.max_pixels < (w * (dpi + 1) / 72) * (h * (dpi + 1) / 72)


@needs_tesseract
def test_a_huge_scanned_page_is_ocred_downscaled_with_a_finding(tmp_path: Path) -> None:
    img = Image.new("L", (600, 600), 255)
    ImageDraw.Draw(img).text((40, 280), "Total 12 000", fill=0)
    pdf = tmp_path / "poster.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(20 * inch, 20 * inch))
    c.drawImage(ImageReader(img), 0, 0, width=20 * inch, height=20 * inch)
    c.showPage()
    c.save()
    doc = Document(id="0" * 16, source=str(pdf), sha256="0" * 64)
    read_pages(pdf, doc)
    small_cap = replace(OCR, max_pixels=4_000_000)  # the same path as 36 M px, at a ninth of the OCR time
    ocr_document(pdf, doc, "auto", small_cap)
    page = doc.pages[0]
    assert page.ocr and page.ocr_dpi == 100  # 2 000² px instead of 6 000²
    (finding,) = [f for f in reading_findings(doc) if f.check == "ocr_downscaled"]
    assert finding.message.startswith("page 1 (20×20 inches) was OCRed at 100 dpi, not 300")
    assert ocr_dpi(20 * 72, 20 * 72) == 300 and ocr_dpi(60 * 72, 60 * 72) == 100  # 36 M px: the real cap


def test_extract_has_a_memory_cap(tmp_path: Path) -> None:
    """A document that allocates past --max-memory-mb fails alone with that reason (run in a child process:
    the cap applies to the whole process)."""
    code = (
        "import sys;from pathlib import Path;from calpae.batch import worker;from calpae.batch.tasks import InputItem;"
        "worker.limit_memory(1024);"
        "worker.extract_document=lambda p, ocr='auto': bytearray(4 * 2**30);"
        "e=worker.process_item(InputItem(source='big.pdf', path=Path(sys.argv[1])), 'ab'*32);"
        "print(e.document.status, e.document.errors[0])"
    )
    pdf = tmp_path / "big.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    out = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "failed exceeded the worker memory cap (--max-memory-mb)", out.stderr
    assert main(["extract", str(pdf), "--out", str(tmp_path / "o"), "--max-memory-mb", "2048", "--quiet"]) == 1


def test_a_dense_run_of_figures_gives_one_value_each_and_labels_without_other_figures(tmp_path: Path) -> None:
    path = tmp_path / "dense.txt"
    figures = " ".join(f"{100 + k} jeunes {k % 90 + 1} %" for k in range(400))
    path.write_text(f"Résultats de l'année 2021.\n{figures}\n", encoding="utf-8")
    ext = extract_document(path)
    percents = [v for v in ext.indicator_values if v.unit == "%"]
    assert len(percents) == 400
    assert sorted(v.value for v in percents) == sorted(Decimal(k % 90 + 1) for k in range(400))
    assert not [v.indicator_label for v in percents if re.search(r"%|\bjeunes \d", v.indicator_label or "")]
