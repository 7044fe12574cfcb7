"""What a weaker copy of a document missed, seen from its born-digital copy (reconcile/unread.py): each figure the
better copy reads that the copy holds in no record of the same page, amount and meaning is a `copy_unread` finding
on the copy; the copy's guesses its better copy confirms are withdrawn."""

from __future__ import annotations

import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

from calpae.models import BudgetLine, CellRef, Document, Extraction, Finding, Page, Provenance
from calpae.reconcile import reconcile
from calpae.reconcile.unread import _same_row
from calpae.store import RunStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import _misses  # noqa: E402

ROWS = {f"3.{k} Ligne d'action numéro {k}": Decimal(2000 * k + 35) for k in range(1, 10)}


def _doc(doc_id: str, kind: str, rows: dict[str, Decimal], ocr: bool = False) -> Extraction:
    source = f"{doc_id}.{'txt' if kind == 'text' else 'pdf'}"
    doc = Document(
        id=doc_id,
        source=source,
        sha256=doc_id * 4,
        kind=kind,
        doc_type="avenant",
        departement_code="11",
        year=2021,
        period="2021",
        page_count=3,
        pages=[Page(number=k + 1, ocr=ocr) for k in range(3)],
    )
    lines = [
        BudgetLine(
            provenance=Provenance(document_id=doc_id, source=source, page=2, raw=f"{label} | {amount} €"),
            departement_code="11",
            table_id=f"{doc_id}-t1",
            table_kind="forecast",
            row_label=label,
            column_label="Total 2021",
            year=2021,
            stage="planned",
            part="total",
            level="action",
            action=label,
            amount=amount,
            line_id=f"{doc_id}-t1/r{k}c1",
        )
        for k, (label, amount) in enumerate(rows.items())
    ]
    return Extraction(document=doc, budget_lines=lines)


def _cells(doc_id: str, amounts: list[Decimal]) -> list[CellRef]:
    return [CellRef(part="other", table_id=f"{doc_id}-t1", page=2, value=a) for a in amounts]


def _finding(ext: Extraction, check: str, amounts: list[Decimal], severity: str = "warning") -> Finding:
    d = ext.document
    return Finding(
        provenance=d.provenance(page=2, line=None, bbox=None, raw=""),
        departement_code="11",
        check=check,
        severity=severity,  # type: ignore[arg-type]
        message=f"{len(amounts)} amounts",
        cells=_cells(d.id, amounts),
    )


def _reconciled(tmp_path: Path, *exts: Extraction) -> RunStore:
    store = RunStore(tmp_path, write_json=False)
    for ext in exts:
        store.add(ext)
    reconcile(store.con)
    return store


def test_figures_the_copy_lacks_or_reads_otherwise_are_named_on_it(tmp_path: Path) -> None:
    labels = list(ROWS)
    copy_rows = dict(ROWS)
    copy_rows[labels[1]] = Decimal("4053")  # 4035 misread
    del copy_rows[labels[2]]  # a row the copy's reader lost
    copy_rows["Une autre ligne"] = copy_rows.pop(labels[3])  # read under the label of another row
    store = _reconciled(tmp_path, _doc("a" * 16, "pdf", ROWS), _doc("b" * 16, "text", copy_rows))
    got = store.con.execute(
        'SELECT document_id, page, declared, severity, message FROM findings WHERE "check" = ? ORDER BY declared',
        ["copy_unread"],
    ).fetchall()
    assert [(d, p, Decimal(v), s) for d, p, v, s, _ in got] == [
        ("b" * 16, 2, Decimal("4035"), "info"),
        ("b" * 16, 2, Decimal("6035"), "info"),
        ("b" * 16, 2, Decimal("8035"), "info"),
    ]
    assert "'4035 €'" in got[0][4] and "a" * 16 + ".pdf" in got[0][4] and "holds it in no record" in got[0][4]
    assert "reads it under another meaning" in got[2][4]  # 8035 is on the copy, under another row
    # the better copy itself is no copy: nothing is reported on it
    assert store.con.execute("SELECT count(*) FROM findings WHERE document_id = ?", ["a" * 16]).fetchone() == (0,)
    store.close()


def test_copy_guesses_its_better_copy_confirms_are_withdrawn(tmp_path: Path) -> None:
    pdf, scan = _doc("a" * 16, "pdf", ROWS), _doc("c" * 16, "pdf", ROWS, ocr=True)
    amounts = list(ROWS.values())
    scan.findings.append(_finding(scan, "meaning_guessed", [amounts[0], Decimal("999")]))
    scan.findings.append(_finding(scan, "ocr_repaired", [amounts[1]]))
    store = _reconciled(tmp_path, pdf, scan)
    rows = store.con.execute(
        'SELECT "check", cells, message FROM findings WHERE document_id = ? ORDER BY "check"', ["c" * 16]
    ).fetchall()
    # the repair the PDF confirms goes; the guess keeps the amount the PDF does not read (999) only
    assert [(c, [x["value"] for x in json.loads(cells)]) for c, cells, _ in rows] == [("meaning_guessed", ["999"])]
    assert "(1 of them read the same way in " + "a" * 16 + ".pdf" in rows[0][2]
    store.close()


def test_scan_that_read_no_table_is_a_copy_by_the_figures_it_saw(tmp_path: Path) -> None:
    pdf, scan = _doc("a" * 16, "pdf", ROWS), _doc("e" * 16, "pdf", {}, ocr=True)
    scan.findings.append(_finding(scan, "unread_figure", list(ROWS.values()), severity="info"))
    store = _reconciled(tmp_path, pdf, scan)
    assert store.con.execute("SELECT count(*) FROM copies").fetchone() == (0,)  # no facts to yield: not in copies
    got = store.con.execute(
        'SELECT declared FROM findings WHERE document_id = ? AND "check" = ? ORDER BY declared',
        ["e" * 16, "copy_unread"],
    ).fetchall()
    assert [Decimal(v) for (v,) in got] == sorted(ROWS.values())
    store.close()


def test_same_row_by_the_better_copys_label_or_its_end() -> None:
    better = "Thème premier 0101 02 Sous-thème 1.2 Aide aux familles des quartiers"
    assert _same_row("Thè 0101 02 1.2 Aide aux familles des quartiers", better, exact=True)  # its end, held
    assert _same_row("1.2 Aide aux familes des quartiers", better)  # a letter lost: alike
    assert not _same_row("1.2 Aide aux familes des quartiers", better, exact=True)
    assert not _same_row("Sous total 0101 02 Sous-thème 1.2", better)  # another row
    assert _same_row("total", "Sous total", exact=True)
    assert not _same_row("", "Sous total")


def test_misses_accounted_by_copy_reports_once() -> None:
    ext = _doc("a" * 16, "pdf", {})
    missed = [(2, Decimal("10")), (2, Decimal("20")), (3, Decimal("30"))]
    own = Counter({(2, Decimal("10")): 1})
    copy = Counter({(2, Decimal("10")): 1, (2, Decimal("20")): 1, (2, Decimal("40")): 1})
    fates = _misses.account(missed, ext, [(2, Decimal("40"))], copy, own)
    assert fates == {"accounted": 2, "silent": 1, "reports": 3, "false_reports": 1}


def test_copy_records_of_no_page_are_matched_on_any_page(tmp_path: Path) -> None:
    text = _doc("f" * 16, "text", ROWS)
    for ln in text.budget_lines:
        ln.provenance.page = None
    store = _reconciled(tmp_path, _doc("a" * 16, "pdf", ROWS), text)
    assert store.con.execute('SELECT count(*) FROM findings WHERE "check" = ?', ["copy_unread"]).fetchone() == (0,)
    store.close()


def _unread(ext: Extraction, figures: list[tuple[str, Decimal]]) -> Finding:
    """One unread_figure finding per figure as the page printed it (text, value)."""
    f = _finding(ext, "unread_figure", [v for _, v in figures], severity="info")
    for cell, (text, _) in zip(f.cells, figures, strict=True):
        cell.label = text
    return f


def test_scan_whose_ocr_broke_its_amounts_is_a_copy_by_those_read_with_cents(tmp_path: Path) -> None:
    # OCR read five of the nine amounts whole, with their cents, and broke the others into pieces ('139', '4' for
    # '€'): 5 of its 14 distinct figures are the PDF's (0.36, not a copy by them all), 5 of the 5 read with cents
    whole = [(f"{v:,}".replace(",", " ") + ",00 €", v) for v in list(ROWS.values())[:5]]
    pieces = [(str(k), Decimal(k)) for k in (4, 19, 50, 139, 2780, 224245, 6730, 178, 1780)]
    pdf, scan = _doc("a" * 16, "pdf", ROWS), _doc("e" * 16, "pdf", {}, ocr=True)
    scan.findings.append(_unread(scan, whole + pieces))
    store = _reconciled(tmp_path, pdf, scan)
    got = store.con.execute(
        'SELECT declared FROM findings WHERE document_id = ? AND "check" = ? ORDER BY declared',
        ["e" * 16, "copy_unread"],
    ).fetchall()
    assert [Decimal(v) for (v,) in got] == sorted(ROWS.values())  # every figure of the PDF, named on the scan
    store.close()
    # too few amounts read whole (MIN_SHARED): no copy, no report
    other = _doc("g" * 16, "pdf", {}, ocr=True)
    other.findings.append(_unread(other, whole[:4] + pieces))
    store = _reconciled(tmp_path / "b", pdf, other)
    assert store.con.execute('SELECT count(*) FROM findings WHERE "check" = ?', ["copy_unread"]).fetchone() == (0,)
    store.close()


def test_a_line_labelled_by_figures_only_makes_no_fact_and_is_unread(tmp_path: Path) -> None:
    from calpae.audit.figures import wordless
    from calpae.audit.notdata import figures_only

    assert figures_only("4 155 00,00 € 124 455,80 « « 1359.95 €") and figures_only("30")
    assert not figures_only("B1 Épicerie sociale 11100,00") and not figures_only("") and not figures_only("Total")
    rows = dict(list(ROWS.items())[:3])
    rows["4 2780 00.00 « 224245 «"] = Decimal("139")  # OCR took the row's amounts for its label
    ext = _doc("h" * 16, "pdf", rows, ocr=True)
    assert [wordless(b) for b in ext.budget_lines] == [False, False, False, True]
    store = _reconciled(tmp_path, ext)
    facts = store.con.execute("SELECT action, value FROM dataset_long ORDER BY value").fetchall()
    assert [(a, Decimal(v)) for a, v in facts] == [(label, amount) for label, amount in list(ROWS.items())[:3]]
    store.close()


def test_documents_whose_words_name_two_kinds_are_not_copies(tmp_path: Path) -> None:
    # the year's avenant and its tableau financier state the same planned amounts: two documents, not two copies
    avenant, recap = _doc("a" * 16, "pdf", ROWS), _doc("i" * 16, "text", ROWS)
    recap.document.doc_type = "tableau_financier"
    store = _reconciled(tmp_path, avenant, recap)
    assert store.con.execute("SELECT count(*) FROM copies").fetchone() == (0,)
    store.close()
    # a scan's kind comes from OCR'd words: its figures still make it the PDF's copy
    scan = _doc("j" * 16, "pdf", ROWS, ocr=True)
    scan.document.doc_type = "tableau_financier"
    store = _reconciled(tmp_path / "b", avenant, scan)
    assert store.con.execute("SELECT document_id, copy_of FROM copies LIMIT 1").fetchone() == ("j" * 16, "a" * 16)
    store.close()


def test_a_scan_printing_the_amounts_elsewhere_is_not_a_copy(tmp_path: Path) -> None:
    from calpae.models import BBox

    def placed(ext: Extraction, left: float) -> Extraction:
        for k, ln in enumerate(ext.budget_lines):
            ln.provenance.bbox = BBox(x0=left, top=100.0 + 20 * k, x1=left + 60, bottom=110.0 + 20 * k)
        return ext

    avenant = placed(_doc("a" * 16, "pdf", ROWS), 400.0)
    # the year's tableau financier states the avenant's amounts, in its own layout; OCR named the scan's kind as
    # the avenant's (kinds tell nothing on a scan): its figures stand 200 points away from the avenant's
    scan = placed(_doc("k" * 16, "pdf", ROWS, ocr=True), 200.0)
    store = _reconciled(tmp_path, avenant, scan)
    assert store.con.execute("SELECT count(*) FROM copies").fetchone() == (0,)
    assert store.con.execute('SELECT count(*) FROM findings WHERE "check" = ?', ["copy_unread"]).fetchone() == (0,)
    store.close()
    # the same figures at the same places (within PLACE_SLACK): the avenant's copy
    scan = placed(_doc("l" * 16, "pdf", ROWS, ocr=True), 410.0)
    store = _reconciled(tmp_path / "b", avenant, scan)
    assert store.con.execute("SELECT document_id, copy_of FROM copies LIMIT 1").fetchone() == ("l" * 16, "a" * 16)
    store.close()
