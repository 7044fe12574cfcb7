"""OCR of image-only pages: a generated report scanned to 150 dpi (noise, skew < 1°) comes back through Tesseract."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from calpae.audit.grids import LineTable
from calpae.audit.ocr import ocr_suspects
from calpae.budget.arith import Grid
from calpae.extract.ocr.engine import INSTALL_HINT, tesseract_problem
from calpae.extract.ocr.image import deskew, estimate_skew, unread_ink
from calpae.extract.settings import OCR_TABLE
from calpae.models import BBox, BudgetLine, CellRef, Finding, Page, Provenance

SCAN_PAGES = 3  # pages of the report scanned: the summary and the first measures' budget tables
TOTAL_CHECKS = {"total_mismatch", "part_sum_mismatch"}


def need_tesseract() -> None:
    problem = tesseract_problem()
    if problem:
        pytest.skip(f"{problem}: {INSTALL_HINT}")


def _report(out: Path, style: str) -> tuple[Path, dict]:
    """A generated 2019 report without planted defects, its truth, in the given table style."""
    from corpora.compose import new_ctx
    from corpora.layout import Layout
    from corpora.names import departements
    from corpora.plan import make_plan
    from corpora.report import build_report

    dept = next(d for d in departements() if d.code == "33")
    for index in range(8):
        plan = make_plan(dept, [2019], seed=5, index=index)
        layout = Layout(table_style=style, wrap_labels=True, amount_style="space")
        ctx = new_ctx(plan, 2019, "rapport_execution", layout, f"report-{style}.pdf")
        pdf = out / f"report-{style}-{index}.pdf"
        build_report(ctx, pdf)
        ctx.truth.write(out / "truth.json")
        truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
        if not truth["defects"]:
            return pdf, truth
    raise AssertionError("no defect-free report drawn")


def _scanned(out: Path, style: str) -> tuple[Path, dict]:
    """The first pages of a generated report as an image-only PDF (150 dpi, noise, skew under 1°)."""
    import pypdfium2 as pdfium

    from corpora.scan import scan_pdf

    pdf, truth = _report(out, style)
    src = pdfium.PdfDocument(str(pdf))
    part = pdfium.PdfDocument.new()
    part.import_pages(src, list(range(min(SCAN_PAGES, len(src)))))
    first = out / f"first-{style}.pdf"
    part.save(str(first))
    part.close()
    src.close()
    target = out / f"scan-{style}.pdf"
    info = scan_pdf(first, target, f"ocr-test-{style}")
    assert all(abs(a) < 1.0 for a in info["skew_degrees"]) and info["dpi"] == 150
    return target, truth


@pytest.fixture(scope="module", params=["ruled", "borderless"])
def scanned(request, tmp_path_factory):
    """(Extraction, truth cells on the scanned pages) for each table style, read once."""
    need_tesseract()
    from calpae.pipeline import extract_document

    out = tmp_path_factory.mktemp(f"ocr-{request.param}")
    path, truth = _scanned(out, request.param)
    ext = extract_document(path)
    cells = [c for c in truth["budget_cells"] if c["page"] <= SCAN_PAGES]
    return ext, cells


@pytest.mark.ocr
def test_scanned_pages_are_ocred(scanned):
    ext, _ = scanned
    doc = ext.document
    assert doc.status == "ok", doc.errors
    assert [p.ocr for p in doc.pages] == [True] * SCAN_PAGES
    assert all(ln.provenance.ocr and ln.provenance.confidence is not None for ln in ext.budget_lines)


@pytest.mark.ocr
def test_scanned_budget_amounts_come_back(scanned):
    """>= 95 % of the truth's amounts on the scanned pages read exactly, on the right page."""
    ext, cells = scanned
    assert len(cells) >= 10
    got = Counter((ln.provenance.page, ln.amount) for ln in ext.budget_lines)
    want = Counter((c["page"], Decimal(c["amount"])) for c in cells)
    exact = sum((got & want).values())
    assert exact / len(cells) >= 0.95, f"{exact}/{len(cells)} amounts exact; missing {want - got}"


@pytest.mark.ocr
def test_scanned_totals_check_or_are_flagged(scanned):
    """Every total is read right or its table carries an ocr_suspect finding; no total error on OCR pages."""
    ext, cells = scanned
    errors = [f for f in ext.findings if f.check in TOTAL_CHECKS]
    assert not errors, [f.message for f in errors]
    got = Counter((ln.provenance.page, ln.amount) for ln in ext.budget_lines if ln.is_total)
    suspect_pages = {f.provenance.page for f in ext.findings if f.check == "ocr_suspect"}
    totals = [c for c in cells if c["is_total"]]
    assert totals, "the scanned pages hold totals"
    for c in totals:
        assert got[(c["page"], Decimal(c["amount"]))] > 0 or c["page"] in suspect_pages, c


def _born_digital(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    for i, (label, amount) in enumerate(
        [("Formation des agents", "12 500 €"), ("Ateliers collectifs", "7 500 €"), ("TOTAL", "20 000 €")]
    ):
        c.drawString(72, 700 - 16 * i, label)
        c.drawRightString(450, 700 - 16 * i, amount)
    c.save()
    return path


def test_born_digital_pdf_is_not_ocred(tmp_path):
    """auto mode leaves pages with a text layer alone (this runs without Tesseract too)."""
    from calpae.extract import read_document

    doc = read_document(_born_digital(tmp_path / "digital.pdf"), ocr="auto")
    assert not any(p.ocr for p in doc.pages)
    assert "20 000" in " ".join(ln.text for ln in doc.lines())


@pytest.mark.ocr
def test_always_ocrs_a_born_digital_page(tmp_path):
    need_tesseract()
    from calpae.extract import read_document

    doc = read_document(_born_digital(tmp_path / "digital.pdf"), ocr="always")
    assert [p.ocr for p in doc.pages] == [True]
    words = [w for ln in doc.lines() for w in ln.words]
    assert words and all(w.confidence is not None for w in words)
    assert "Ateliers collectifs 7 500 €" in [ln.text for ln in doc.lines()]


def test_bad_ocr_mode_is_refused(tmp_path):
    from calpae.extract import read_document

    with pytest.raises(ValueError, match="auto, always, never"):
        read_document(_born_digital(tmp_path / "digital.pdf"), ocr="sometimes")


@pytest.mark.ocr
def test_page_timeout_is_a_page_error(tmp_path, monkeypatch):
    """Tesseract running past the page timeout: the page is reported, the document is partial, no traceback."""
    need_tesseract()
    import calpae.extract.ocr.page as ocr
    from calpae.extract import read_document

    def slow(png, settings):
        raise subprocess.TimeoutExpired(["tesseract"], settings.page_timeout)

    monkeypatch.setattr(ocr, "run_tesseract", slow)
    doc = read_document(_born_digital(tmp_path / "digital.pdf"), ocr="always")
    assert doc.status == "partial"
    assert doc.errors == ["page 1: OCR timed out after 90 s"]


def test_missing_tesseract_is_reported_not_raised(tmp_path, monkeypatch):
    import calpae.extract.ocr.document as ocr
    from calpae.extract import read_document

    monkeypatch.setattr(ocr, "tesseract_problem", lambda: "tesseract is not installed")
    doc = read_document(_born_digital(tmp_path / "digital.pdf"), ocr="always")
    assert doc.status == "partial" and "apt-get install tesseract-ocr tesseract-ocr-fra" in doc.errors[0]
    assert not any(p.ocr for p in doc.pages)


def test_skew_estimate_recovers_the_angle():
    """Text-like rows rotated by 0.7° are found at -0.7° (PIL's sense) within a tenth of a degree."""
    from PIL import Image

    img = np.full((1200, 1000), 255, np.uint8)
    for top in range(100, 1100, 40):
        for x in range(80, 900, 60):
            img[top : top + 14, x : x + 45] = 30
    skewed = np.asarray(Image.fromarray(img).rotate(0.7, resample=Image.BILINEAR, fillcolor=255))
    angle = estimate_skew(skewed)
    assert abs(angle + 0.7) <= 0.1
    assert abs(estimate_skew(deskew(skewed, angle))) <= 0.1


def _line(row: int, col: int, label: str, amount: str, total: bool, ocr: bool, conf: float | None) -> BudgetLine:
    prov = Provenance(
        document_id="d",
        source="s.pdf",
        page=2,
        bbox=BBox(x0=0, top=row, x1=1, bottom=row + 1),
        raw=f"{label} | {amount} €",
        ocr=ocr,
        confidence=conf,
        unsure=f"OCR confidence {conf:.0f}" if ocr and conf is not None and conf < OCR_TABLE.sure_conf else None,
    )
    return BudgetLine(
        provenance=prov,
        table_id="t1",
        table_kind="forecast",
        row_label=label,
        column_label="Montant",
        year=2019,
        role="total",
        amount=Decimal(amount),
        is_total=total,
        row=row,
        col=col,
    )


def _table(ocr: bool) -> tuple[LineTable, Finding]:
    lines = [
        _line(0, 0, "A", "100", False, ocr, 96.0),
        _line(1, 0, "B", "250", False, ocr, 41.0),
        _line(2, 0, "TOTAL", "300", True, ocr, 93.0),
    ]
    grid = Grid(
        labels=["A", "B", "TOTAL"],
        is_total=[False, False, True],
        col_roles=["total"],
        col_labels=["Montant"],
        values=[[Decimal(100)], [Decimal(250)], [Decimal(300)]],
        roles_as_rows=False,
        col_kinds=[None],
    )
    lt = LineTable("t1", "forecast", grid, {(ln.row, ln.col): ln for ln in lines}, [0, 1, 2], [0])
    f = Finding(
        provenance=lines[2].provenance,
        check="total_mismatch",
        severity="error",
        message="TOTAL is off",
        declared=Decimal(300),
        computed=Decimal(350),
        difference=Decimal(-50),
        table_id="t1",
    )
    return lt, f


def test_failed_total_on_ocr_page_is_ocr_suspect():
    lt, f = _table(ocr=True)
    f = f.model_copy(update={"cells": [CellRef.of(ln) for ln in lt.cells.values()]})
    [out] = ocr_suspects(lt, [f])
    assert (out.check, out.severity) == ("ocr_suspect", "warning")
    assert "page 2" in out.message and "'250 €'" in out.message and "confidence 41" in out.message
    assert out.declared == Decimal(300) and out.computed == Decimal(350)


def test_failed_total_on_born_digital_page_stays_an_error():
    lt, f = _table(ocr=False)
    assert ocr_suspects(lt, [f]) == [f]


def test_failed_total_among_cells_ocr_was_sure_of_stays_the_documents_error():
    """Issue 18 item 7: every cell read with confidence, the total that does not add up is an error as on a
    born-digital page; a doubtful cell another check confirms does not excuse it either."""
    lt, f = _table(ocr=True)
    f = f.model_copy(update={"cells": [CellRef.of(ln) for ln in lt.cells.values()]})
    sure = lt.cells[(1, 0)].provenance.model_copy(update={"confidence": 92.0, "unsure": None})
    lt.cells[(1, 0)] = lt.cells[(1, 0)].model_copy(update={"provenance": sure})
    assert ocr_suspects(lt, [f]) == [f]
    # the doubtful cell B is part of a row that adds up (B: 250 = 150 + 100): confirmed, the total stays an error
    lt, f = _table(ocr=True)
    f = f.model_copy(update={"cells": [CellRef.of(ln) for ln in lt.cells.values()]})
    lt.grid.col_roles = ["total", "etat", "departement"]
    lt.grid.col_labels = ["Total", "Part État", "Part Département"]
    lt.grid.col_kinds = [None, None, None]
    for r, (row, parts) in enumerate(zip(lt.grid.values, [(60, 40), (150, 100), (210, 140)], strict=True)):
        row.extend(Decimal(p) for p in parts)
        for c, p in enumerate(parts, start=1):
            lt.cells[(r, c)] = _line(r, c, lt.grid.labels[r], str(p), r == 2, True, 95.0)
    lt.cols.extend([1, 2])
    assert ocr_suspects(lt, [f]) == [f]


def test_unread_total_on_ocr_page_is_ocr_suspect():
    """A total cell OCR could not parse leaves its check unrun: it is flagged, not skipped."""
    lt, _ = _table(ocr=True)
    lt.grid.values[2][0] = None
    del lt.cells[(2, 0)]
    lt.cells[(2, 1)] = _line(2, 1, "TOTAL", "999", True, True, 90.0)  # another column of the row was read
    lt.grid.col_roles.append("etat")
    lt.grid.col_labels.append("Part État")
    lt.grid.col_kinds.append(None)
    for row, v in zip(lt.grid.values, [None, None, Decimal(999)], strict=False):
        row.append(v)
    lt.cols.append(1)
    [out] = ocr_suspects(lt, [])
    assert out.check == "ocr_suspect" and "'TOTAL' (Montant) could not be read" in out.message
    lt_digital, _ = _table(ocr=False)
    assert ocr_suspects(lt_digital, []) == []


def test_arbiter_keeps_the_reading_that_makes_totals_hold():
    """Re-read '1 585 300' against a first pass '1 585 500': the column sum decides; no disagreement, no change."""
    from calpae.extract.ocr.arbiter import arbitrate
    from calpae.extract.ocr.cells import Crop

    def crop(text: str, top: int) -> Crop:
        return Crop(
            x0=100, top=top, x1=200, bottom=top + 20, words=[(t, 90.0, (100, top, 150, top + 20)) for t in text.split()]
        )

    def first(text: str) -> list:
        from calpae.models import Word

        return [Word(text=t, bbox=BBox(x0=0, top=0, x1=1, bottom=1), confidence=90.0) for t in text.split()]

    cells = [
        (crop("1 000 500 €", 0), first("1 000 500 €")),
        (crop("585 000 €", 40), first("585 000 €")),
        (crop("1 585 300 €", 80), first("1 585 500 €")),
    ]
    rows = {id(c): (c.top, c.bottom) for c, _ in cells}
    pick, sure = arbitrate(cells, rows)
    assert [pick[id(c)] for c, _ in cells] == [0, 0, 1]
    assert sure == {id(cells[2][0]): 50.0}  # two readings as sure of themselves that disagree: a coin toss
    cells[2] = (crop("1 585 500 €", 80), first("1 585 300 €"))  # the re-read is the one that adds up
    rows = {id(c): (c.top, c.bottom) for c, _ in cells}
    assert [arbitrate(cells, rows)[0][id(c)] for c, _ in cells] == [0, 0, 0]


def test_arbiter_keeps_a_sure_reading_whatever_the_sums_say():
    """A re-read sure of itself (96) against an unsure first pass (40) is kept even when the first pass would make
    the column add up: the sums may only decide between readings OCR was unsure of (issue 18, item 7)."""
    from calpae.extract.ocr.arbiter import agreement_confidence, arbitrate
    from calpae.extract.ocr.cells import Crop
    from calpae.models import Word

    def cell(again: str, first: str, top: int, conf: float = 96.0) -> tuple:
        crop = Crop(
            x0=100,
            top=top,
            x1=200,
            bottom=top + 20,
            words=[(t, conf, (100, top, 150, top + 20)) for t in again.split()],
        )
        return crop, [Word(text=t, bbox=BBox(x0=0, top=0, x1=1, bottom=1), confidence=40.0) for t in first.split()]

    cells = [
        cell("1 000 500 €", "1 000 500 €", 0),
        cell("585 000 €", "585 000 €", 40),
        cell("1 600 500 €", "1 585 500 €", 80),
    ]
    pick, sure = arbitrate(cells, {id(c): (c.top, c.bottom) for c, _ in cells})
    assert [pick[id(c)] for c, _ in cells] == [0, 0, 0]
    assert round(sure[id(cells[2][0])], 1) == round(agreement_confidence(96.0, 40.0), 1) == 97.3
    # a re-read that lost the first group ('300 €' of '34 300 €') did not see it: the first pass is kept when sure
    cells = [cell("300 €", "34 300 €", 0)]
    for word, conf in zip(cells[0][1], (93.0, 95.0, 97.0), strict=True):
        word.confidence = conf
    pick, sure = arbitrate(cells, {id(c): (c.top, c.bottom) for c, _ in cells})
    assert pick[id(cells[0][0])] == 1 and sure[id(cells[0][0])] == 93.0


# --- rebuilding a borderless table from OCR words (no Tesseract) ---


def _w(text: str, x0: float, top: float, width: float | None = None, conf: float = 90.0):
    from calpae.models import Word

    width = width if width is not None else 4.2 * len(text)
    return Word(text=text, bbox=BBox(x0=x0, top=top, x1=x0 + width, bottom=top + 8), size=8, confidence=conf)


def _amount_words(text: str, right: float, top: float) -> list:
    """An amount as OCR splits it ('203', '000', '€'), right-aligned on `right`, pieces 2 pt apart; a trailing
    '?' marks an amount OCR read unsurely (confidence 45)."""
    conf = 45.0 if text.endswith("?") else 90.0
    words, x = [], right
    for piece in reversed(text.rstrip("?").split()):
        width = 4.2 * len(piece)
        words.insert(0, _w(piece, x - width, top, width, conf))
        x -= width + 2
    return words


def _ocr_lines(rows: list[tuple[list[str], list[str]]], header: list[str]) -> list:
    """OCR-like lines: a header band, then rows of (label lines, amounts) with wrapped labels and split amounts."""
    from calpae.extract.geometry.lines import group_lines

    edges = [260.0, 330.0, 400.0]
    words = [_w("Programme", 40, 40)]  # a title line above, not part of the header band
    for k, text in enumerate(header):
        words.append(_w(text, edges[k] - 60, 70))
    words.append(_w("Action", 40, 70))
    y = 90.0
    for labels, amounts in rows:
        for i, label in enumerate(labels):
            x = 40.0
            for part in label.split():
                words.append(_w(part, x, y + 11 * i))
                x += 4.2 * len(part) + 3
        mid = y + 5.5 * (len(labels) - 1)
        for k, amount in enumerate(amounts):
            words.extend(_amount_words(amount, edges[k], mid))
        y += 11 * len(labels) + 8
    return group_lines(words, 1)


ROWS = [
    (["Aide aux familles", "en grande difficulte"], ["203 000 €", "97 000 €", "300 000 €"]),
    (["Insertion des jeunes"], ["1 250,50 €", "- €", "1 250,50 €"]),
    (["Sous total"], ["204 250,50 €", "97 000 €", "301 250,50 €"]),
]


def test_ocr_table_rebuilds_columns_rows_and_split_amounts():
    from calpae.extract.ocr.amounts import ocr_table

    found = ocr_table(_ocr_lines(ROWS, ["Etat", "Departement", "Total"]), 1)
    assert found is not None and found.table.source == "ocr"
    grid = found.table.grid()
    assert grid[0][-3:] == ["Etat", "Departement", "Total"]
    assert grid[1][0] == "Aide aux familles en grande difficulte"  # wrapped label joined, one row
    assert grid[1][-3:] == ["203 000 €", "97 000 €", "300 000 €"]  # '203' '000' '€' joined
    assert grid[2][-3:] == ["1 250,50 €", "- €", "1 250,50 €"]
    assert found.table.n_rows == 4 and all(c.bbox is not None and c.page == 1 for c in found.table.cells)


def test_ocr_table_reads_confused_digits_and_lost_separators():
    from calpae.extract.ocr.amounts import ocr_table

    rows = [ROWS[0], (["Insertion des jeunes"], ["1 25O,5O €", "- €", "125050 €"]), ROWS[2]]
    grid = ocr_table(_ocr_lines(rows, ["Etat", "Departement", "Total"]), 1).table.grid()
    assert grid[2][-3:] == ["1 250,50 €", "- €", "1 250,50 €"]  # O read for 0; cents from the column's format


def test_ocr_table_sums_correct_a_misread_and_fill_a_lost_cell():
    from calpae.extract.ocr.amounts import ocr_table

    rows = [
        (["Aide aux familles"], ["203 000 €", "97 000 €", "300 000 €"]),
        (["Insertion des jeunes"], ["1 250,50 €", "- €", "1 250,50 €"]),
        (["Mobilite"], ["10 000 €", "5 000 €", "15 000 €"]),
        (["Logement"], ["4 000 €", "6 000 €", "10 000 €"]),
        (["Formation"], ["2 500 €", "1 500 €", "4 000 €"]),
        (["Sous total"], ["220 750,50 €", "109 500 €", "330 250,50 €"]),
    ]
    rows[0] = (rows[0][0], ["208 000 €?", "97 000 €", "300 000 €"])  # one digit misread unsurely: 3 -> 8
    rows[2] = (rows[2][0], ["10 000 €", "5 000 €"])  # the total cell lost by OCR
    lines = _ocr_lines(rows, ["Etat", "Departement", "Total"])
    table = ocr_table(lines, 1).table
    grid = table.grid()
    assert grid[1][-3:] == ["203 000 €", "97 000 €", "300 000 €"]
    assert grid[3][-3:] == ["10 000 €", "5 000 €", "15 000 €"]
    assert sorted(c.repaired for c in table.cells if c.repaired) == ["OCR read '208 000 €'", "OCR read nothing"]

    # the repaired figures reach the records and the audit as warnings: none is passed off as read from the page
    from calpae.audit import audit_extraction
    from calpae.budget import extract_budget
    from calpae.indicators.prose import prose_amounts
    from calpae.models import Extraction

    doc = _scanned_page_doc(table)
    budget, _ = extract_budget(doc)
    amounts = prose_amounts(doc)  # money in sentences: the prose facts
    fixed = {(ln.row_label, ln.amount): ln.provenance.repaired for ln in budget if ln.provenance.repaired}
    assert fixed == {
        ("Aide aux familles", Decimal("203000")): "OCR read '208 000 €'",
        ("Mobilite", Decimal("15000")): "OCR read nothing",
    }
    found = audit_extraction(Extraction(document=doc, budget_lines=budget, amounts=amounts))
    repaired = [f for f in found if f.check == "ocr_repaired"]
    assert len(repaired) == 2 and {f.severity for f in repaired} == {"warning"}
    assert any("OCR read '208 000 €'" in f.message and "Aide aux familles" in f.message for f in repaired)
    assert not [f for f in found if f.severity == "error"]


def test_ocr_table_needs_aligned_amount_columns():
    from calpae.extract.geometry.lines import group_lines
    from calpae.extract.ocr.amounts import ocr_table

    prose = [_w("Le", 40, 40), _w("budget", 55, 40), _w("est", 90, 40), _w("de", 110, 40)] + _amount_words(
        "67 169 €", 180, 40
    )
    assert ocr_table(group_lines(prose, 1), 1) is None


def test_totals_repair_changes_nothing_on_a_consistent_table():
    from calpae.extract.ocr.totals import repair

    grid = [
        [Decimal(1), Decimal(2), Decimal(3)],
        [Decimal(4), Decimal(5), Decimal(9)],
        [Decimal(2), Decimal(2), Decimal(4)],
        [Decimal(7), Decimal(9), Decimal(16)],
    ]
    assert repair([row[:] for row in grid], [3]) == []


def test_header_vote_keeps_the_surest_reading_and_drops_minority_specks():
    """Three readings of one header crop: the surest wins word by word; a mark one reading saw is dropped."""
    from calpae.extract.ocr.vote import vote

    box = lambda x0, x1: (x0, 0.0, x1, 10.0)  # noqa: E731
    one = [
        ("Crédits", 95, box(0, 40)),
        ("repartés", 63, box(45, 90)),
        ("|", 50, box(95, 97)),
        ("2019", 90, box(100, 125)),
    ]
    two = [("Crédits", 96, box(0, 41)), ("reportés", 84, box(44, 91)), ("2019", 91, box(100, 126))]
    three = [("Credits", 70, box(1, 40)), ("repartés", 78, box(45, 90)), ("2029", 60, box(101, 125))]
    words = vote([one, two, three])
    assert [t for t, _, _ in words] == ["Crédits", "reportés", "2019"]


def test_sums_fix_a_copy_column_with_lost_leading_digits():
    """A column that copies another on most rows, plus the sub-total, restores '34 100' read as '100'."""
    from decimal import Decimal as D

    from calpae.extract.ocr.totals import repair

    grid = [
        [D(100), D(5), D(100)],
        [D(34100), D(7), D(100)],
        [D(200), D(9), D(200)],
        [D(34400), D(21), D(34400)],
        [D(300), D(0), D(300)],
    ]
    changes = repair(grid, [3])
    assert changes == [(1, 2, D(100), D(34100))]
    assert grid[1][2] == D(34100) and grid[0][2] == D(100)


def test_sums_never_change_a_cell_ocr_read_with_confidence():
    """A wrong printed sub-total (422 500, its rows add up to 412 500: one digit off, what OCR misreads), read with
    confidence: the sums must not 'correct' it, so the audit reports the document's error; a cell OCR was unsure
    of is corrected."""
    from calpae.extract.ocr.totals import repair

    D = Decimal
    grid = [[D(232000), D(464000)], [D(180500), D(432000)], [D(422500), D(896000)], [D(249500), D(499000)]]
    assert repair([row[:] for row in grid], [2], unsure=set()) == []
    assert repair([row[:] for row in grid], [2], unsure={(2, 0)}) == [(2, 0, D(422500), D(412500))]
    assert repair([row[:] for row in grid], [2]) == [(2, 0, D(422500), D(412500))]  # no doubts given: any cell


def test_label_reread_replaces_a_misread_subtotal_label_with_the_voted_reading(monkeypatch):
    """A sub-total row whose label OCR garbled ('Cox 4', no total word) is found by the sums and re-read; the
    voted reading replaces the words on the row's band only, and a re-read that saw less is not taken."""
    import numpy as np

    from calpae.extract.ocr import reread as ocr_reread
    from calpae.extract.ocr.amounts import read_amounts
    from calpae.extract.ocr.cells import PageImage
    from calpae.extract.ocr.layout import find_layout
    from calpae.extract.ocr.reread import better_label, label_suspects, reread_labels
    from calpae.extract.ocr.totals import sums_rows_above

    rows = [
        (["Aide aux familles"], ["203 000 €", "97 000 €", "300 000 €"]),
        (["Cox 4"], ["203 000 €", "97 000 €", "300 000 €"]),
        (["Insertion des jeunes"], ["1 250,50 €", "- €", "1 250,50 €"]),
        (["Mobilite"], ["10 000 €", "5 000 €", "15 000 €"]),
    ]
    layout = find_layout(_ocr_lines(rows, ["Etat", "Departement", "Total"]))
    read_amounts(layout)
    assert label_suspects(layout) == [(1, 0)]  # the row repeating the one above; the others are plain rows
    grid = [[r.cells[k].value for k in range(3)] for r in layout.rows]
    assert sums_rows_above(grid, 1) and not sums_rows_above(grid, 2) and not sums_rows_above(grid, 3)

    scale = 2.0
    row = layout.rows[1]
    band = (row.top * scale, row.bottom * scale)

    def fake_read(page, crops, mag=2, psm="7", whitelist=None):
        for c in crops:  # every enlargement reads the same three words, surer than the first pass's 'Cox'
            c.words = [
                (t, 95.0, (x * scale, band[0], (x + 15) * scale, band[1]))
                for t, x in (("Sous", 40), ("total", 60), ("4", 80))
            ]

    monkeypatch.setattr(ocr_reread, "read_crops", fake_read)
    words = [w for r in layout.rows for col in r.labels for w in col]
    cox = next(w for w in words if w.text == "Cox")
    cox.confidence = 50.0
    page = PageImage(image=np.full((1000, 1000), 255, dtype=np.uint8), scale=scale, dpi=300, lang="fra", timeout=10)
    out = reread_labels(layout, page, words)
    assert layout.rows[1].label(0) == "Sous total 4"
    assert "Cox" not in {w.text for w in out} and {"Sous", "total"} <= {w.text for w in out}
    assert layout.rows[0].label(0) == "Aide aux familles"  # other rows untouched

    sure = [_w("Sous", 40, 10, conf=96), _w("total", 60, 10, conf=96)]
    assert not better_label(sure, [("Sous", 97.0, (0, 0, 1, 1))])  # surer but lost a word
    assert not better_label(sure, [("Sons", 60.0, (0, 0, 1, 1)), ("total", 90.0, (0, 0, 1, 1))])
    assert better_label([_w("Cox", 40, 10, conf=50)], [("Sous", 96.0, (0, 0, 1, 1)), ("total", 96.0, (0, 0, 1, 1))])


def test_ocr_layout_whose_first_amount_column_lies_outside_the_body():
    """Amounts aligned on an edge only above the table's body (a small table, then a gap, then the body): the
    body's first column is the next edge, not a crash (seed 9 069-2022-rapport_execution.scan.pdf page 2)."""
    from calpae.extract.geometry.lines import group_lines
    from calpae.extract.ocr.layout import find_layout

    words = []
    for i in range(3):  # a small table of two columns, edges 260 and 330
        words += [_w(f"Ligne{i}", 40, 90 + 12 * i)]
        words += _amount_words("1 000 €", 260, 90 + 12 * i) + _amount_words("2 000 €", 330, 90 + 12 * i)
    for i in range(4):  # far below, the body: edges 330 and 400
        words += [_w(f"Action{i}", 40, 300 + 12 * i)]
        words += _amount_words("3 000 €", 330, 300 + 12 * i) + _amount_words("4 000 €", 400, 300 + 12 * i)
    layout = find_layout(group_lines(words, 1))
    assert layout is not None and len(layout.rows) == 4
    assert [sorted(row.cells) for row in layout.rows] == [[0, 1]] * 4
    assert [c.words[0].text for c in layout.rows[0].cells.values()] == ["3", "4"]


def test_two_readings_that_agree_make_a_cell_sure():
    """The re-read saw '551' unsurely (35) and the first pass read the same 551 000 (90): two independent readings that
    agree make the value sure (83), so the table's sums may not 'correct' it (a planted wrong total on a generated
    scan was repaired away, issue 18 item 7); a cell both readings were unsure of stays unsure."""
    from calpae.extract.ocr.arbiter import concord_confidence, replace_words
    from calpae.extract.ocr.cells import Crop
    from calpae.models import Word

    def cell(first_conf: float) -> tuple[Crop, list[Word]]:
        pieces = [("551", 100, 130, 35.0), ("000", 135, 160, 96.0), ("€", 165, 175, 96.0)]
        crop = Crop(x0=98, top=0, x1=178, bottom=20, words=[(t, c, (x0, 2, x1, 18)) for t, x0, x1, c in pieces])
        first = [
            Word(text=t, bbox=BBox(x0=x0, top=2, x1=x1, bottom=18), confidence=first_conf if t == "551" else 95.0)
            for t, x0, x1, _ in pieces
        ]
        return crop, first

    assert round(concord_confidence(35.0, 90.0), 1) == 82.9 and round(concord_confidence(35.0, 35.0), 1) == 22.5
    crop, first = cell(90.0)
    out = replace_words(first, [crop], 1.0)
    assert [(w.text, round(w.confidence or 0, 1)) for w in out] == [("551", 82.9), ("000", 96.0), ("€", 96.0)]
    assert min(w.confidence or 0 for w in out) >= OCR_TABLE.sure_conf
    crop, first = cell(35.0)
    assert min(w.confidence or 0 for w in replace_words(first, [crop], 1.0)) < OCR_TABLE.sure_conf


def _lost_part(ocr: bool) -> tuple[LineTable, Finding]:
    """F = État + Département on each row; OCR read nothing in the Département cell of the second row."""
    values = [[Decimal(300), Decimal(100), Decimal(200)], [Decimal(500), Decimal(200), None]]
    lines = {
        (r, c): _line(r, c, label, str(v), r == 1, ocr, 95.0)
        for r, (label, row) in enumerate(zip(["1.1 Action", "TOTAUX"], values, strict=True))
        for c, v in enumerate(row)
        if v is not None
    }
    grid = Grid(
        labels=["1.1 Action", "TOTAUX"],
        is_total=[False, True],
        col_roles=["total", "etat", "departement"],
        col_labels=["F Total", "A Part État", "C Part Département"],
        values=values,
        roles_as_rows=False,
        col_kinds=[None, None, None],
    )
    lt = LineTable("t1", "forecast", grid, lines, [0, 1], [0, 1, 2])
    f = Finding(
        provenance=lines[(1, 0)].provenance,
        check="part_sum_mismatch",
        severity="error",
        message="row 'TOTAUX': F 500 but its parts 200",
        table_id="t1",
        cells=[CellRef.of(lines[(1, 0)]), CellRef.of(lines[(1, 1)])],
    )
    return lt, f


def test_a_part_sum_failing_over_a_cell_ocr_read_nothing_in_is_ocr_doubt():
    """Every cell read surely, but the row's Département cell is empty where its column holds amounts: the sum ran
    without a part OCR lost, so it is no evidence of the document's error (a born-digital page's stays one)."""
    lt, f = _lost_part(ocr=True)
    unread, out = ocr_suspects(lt, [f])  # the total row's empty cell is flagged unread too (unread_totals)
    assert "'TOTAUX' (C Part Département) could not be read" in unread.message
    assert (out.check, out.severity) == ("ocr_suspect", "warning")
    assert "nothing was read in column 'C Part Département' of row 'TOTAUX'" in out.message
    lt, f = _lost_part(ocr=False)
    assert ocr_suspects(lt, [f]) == [f]


def _ocr_page(marks: list[BBox]) -> Page:
    """Page 2 of _lost_part's table as OCR left it: no word in the empty cell, `marks` of ink no word covers."""
    return Page(number=2, ocr=True, ocr_ink=marks)


def test_an_empty_part_cell_with_ink_in_its_box_is_a_lost_cell():
    """The Département cell of row 'TOTAUX' spans x 0–1 (its column's other cell), y 1–2 (its row's cells): a mark
    of ink there that no OCR word covers is an amount OCR lost, so the failing sum is OCR doubt."""
    lt, f = _lost_part(ocr=True)
    _, out = ocr_suspects(lt, [f], {2: _ocr_page([BBox(x0=0.2, top=1.2, x1=0.8, bottom=1.8)])})
    assert (out.check, out.severity) == ("ocr_suspect", "warning")
    assert "nothing was read in column 'C Part Département' of row 'TOTAUX'" in out.message


def test_an_empty_part_cell_without_ink_is_blank_and_the_failing_sum_stays_an_error():
    """The same empty cell with no ink in its box (a mark on the row above does not count): printed blank, the
    part is zero and the sum's failure is the document's error, as on a born-digital page."""
    lt, f = _lost_part(ocr=True)
    _, out = ocr_suspects(lt, [f], {2: _ocr_page([BBox(x0=0.2, top=0.2, x1=0.8, bottom=0.8)])})
    assert out == f


def test_unread_ink_finds_the_marks_no_word_covers():
    """A 300-dpi page (scale 300/72) with two 'digits' (10 × 30 px blocks) of which one lies under a read word
    box, a dash (10 × 3 px: a printed zero) and a speck: only the uncovered digit is unread ink, in points."""
    binary = np.full((200, 400), 255, dtype=np.uint8)
    binary[50:80, 100:110] = 0  # covered by the word below
    binary[50:80, 300:310] = 0  # unread
    binary[150:153, 200:210] = 0  # a dash
    binary[20:22, 20:22] = 0  # a speck
    scale = 300 / 72
    assert unread_ink(binary, [(95, 45, 120, 85)], scale) == [(300 / scale, 50 / scale, 310 / scale, 80 / scale)]


def _blank_cell_table(out: Path) -> Path:
    """A ruled 2019 recap on one scanned page (150 dpi, noise, skew) whose Département cell of action 3.1 is printed
    blank (a zero) while its F total is 20 000 above its parts: the document's error, planted where 18s's rule
    (an empty part cell is a lost one) would hide it."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from corpora.scan import scan_pdf

    styles = getSampleStyleSheet()
    head = styles["Normal"].clone("head", fontSize=9, leading=11)
    header = ["Fiche action N°", "Intitulé de l'action", "A Crédits État versés en 2019"]
    header += ["C Crédits CD affectés en 2019", "F Budget global 2019 (A+C)"]
    rows = [
        ["1.1", "Accueil des jeunes majeurs", "61 000 €", "61 000 €", "122 000 €"],
        ["2.1", "Formation des agents d'accueil", "171 500 €", "206 000 €", "377 500 €"],
        ["3.1", "Outil partagé de suivi des parcours", "192 000 €", "", "212 000 €"],
        ["4.1", "Diagnostics partagés d'orientation", "121 000 €", "121 000 €", "242 000 €"],
        ["", "TOTAUX FINANCIERS", "545 500 €", "388 000 €", "953 500 €"],
    ]
    table = Table([[Paragraph(h, head) for h in header], *rows], colWidths=[55, 210, 110, 110, 110])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, "black"),
                ("FONTSIZE", (0, 1), (-1, -1), 10),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    born = out / "blank-cell.pdf"
    title = Paragraph("TABLEAU FINANCIER RÉCAPITULATIF – Exécution budgétaire 2019", styles["Heading2"])
    SimpleDocTemplate(str(born), pagesize=landscape(A4)).build([title, table])
    scan = out / "blank-cell.scan.pdf"
    scan_pdf(born, scan, "blank-cell")
    return scan


@pytest.mark.ocr
def test_a_wrong_total_over_a_cell_printed_blank_on_a_scan_is_the_documents_error(tmp_path):
    """Item 7: the blank cell holds no ink, so the failing part sum of row 3.1 is a `part_sum_mismatch` error
    (main at 1d3e31a gave an `ocr_suspect` warning: 'nothing was read in column C…'), not OCR doubt."""
    need_tesseract()
    from calpae.pipeline import extract_document

    ext = extract_document(_blank_cell_table(tmp_path))
    row = {(ln.row_label, ln.part): ln.amount for ln in ext.budget_lines if ln.row_label.startswith("3.1")}
    assert row == {
        ("3.1 Outil partagé de suivi des parcours", "etat"): Decimal(192000),
        ("3.1 Outil partagé de suivi des parcours", "total"): Decimal(212000),
    }
    errors = [(f.check, f.severity) for f in ext.findings if "3.1 Outil" in f.message]
    assert errors == [("part_sum_mismatch", "error")]
    assert not [f for f in ext.findings if f.check == "ocr_suspect"]


def _scanned_page_doc(table):
    """A one-page document read by OCR holding the table (département 99)."""
    from calpae.models import Document, Page

    table.id = "0123456789abcdef-t1"
    return Document(
        id="0123456789abcdef",
        source="scan.pdf",
        sha256="0" * 64,
        kind="pdf",
        departement_code="99",
        pages=[Page(number=1, lines=[], ocr=True)],
        tables=[table],
    )


def test_a_dash_zero_whose_dash_ocr_lost_is_no_repair_to_check():
    # '- €' read as '€': the sums set it to 0, as printed; a cell OCR read nothing in is still a repair to check
    from calpae.audit.ocr import repaired_findings
    from calpae.budget import extract_budget
    from calpae.extract.ocr.amounts import ocr_table

    rows = [
        (["Aide aux familles"], ["203 000 €", "97 000 €", "300 000 €"]),
        (["Insertion des jeunes"], ["1 250,50 €", "€", "1 250,50 €"]),
        (["Mobilite"], ["10 000 €", "5 000 €"]),
        (["Logement"], ["4 000 €", "6 000 €", "10 000 €"]),
        (["Sous total"], ["218 250,50 €", "108 000 €", "326 250,50 €"]),
    ]
    table = ocr_table(_ocr_lines(rows, ["Etat", "Departement", "Total"]), 1).table
    doc = _scanned_page_doc(table)
    budget, _ = extract_budget(doc)
    fixed = sorted((ln.amount, ln.provenance.repaired) for ln in budget if ln.provenance.repaired)
    assert fixed == [(Decimal("0"), "OCR read '€'"), (Decimal("15000"), "OCR read nothing")]
    assert [f.cells[0].value for f in repaired_findings(budget)] == [Decimal("15000")]
