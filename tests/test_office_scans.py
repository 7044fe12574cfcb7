"""Office-made recaps on scanned pages read as their born-digital copies are: the words-based reader on OCR words
(glued units cut, group spaces and label gutters measured on ink boxes), header and label cells re-read one by one
from the image, and the OCR layout replaced where the words-based reading names more of its columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from _read_cache import budget_against_truth

from calpae.extract.ocr.engine import INSTALL_HINT, tesseract_problem
from calpae.extract.ocr.tokens import split_units
from calpae.extract.tables.found import Found
from calpae.extract.tables.merge import merge_continuations
from calpae.extract.tables.wrapped_header import header_words
from calpae.extract.tables.wrapped_labels import label_columns
from calpae.models import BBox, Cell, Document, Line, Page, Table, Word

FIXTURES = Path(__file__).parent / "fixtures" / "office"


def _word(text: str, x0: float, x1: float, top: float = 100.0) -> Word:
    return Word(text=text, bbox=BBox(x0=x0, top=top, x1=x1, bottom=top + 8.0), size=7.5, confidence=90.0)


def test_a_unit_glued_to_an_amount_or_a_dash_is_cut_off():
    words = split_units([_word("-€", 337.0, 345.0), _word("17309,86€", 768.0, 804.0), _word("Crédits", 254.0, 276.0)])
    assert [(w.text, w.bbox.x0, w.bbox.x1) for w in words] == [
        ("-", 337.0, 341.0),
        ("€", 341.0, 345.0),
        ("17309,86", 768.0, 800.0),
        ("€", 800.0, 804.0),
        ("Crédits", 254.0, 276.0),
    ]
    assert [w.text for w in split_units([_word("2019", 0.0, 16.0), _word("€", 20.0, 24.0)])] == ["2019", "€"]


def test_a_narrow_gutter_splits_label_columns_on_ocr_words_only():
    """Two label columns whose OCR ink boxes leave 1.5 points of white between them (a text layer: 2.3)."""
    words = [_word("Prévenir", 60.0, 98.5, 100.0 + 9 * k) for k in range(4)]
    words += [_word("0304", 100.0, 120.0, 100.0 + 9 * k) for k in range(4)]
    assert label_columns(words) == [(60.0, 120.0)]
    assert label_columns(words, 1.0) == [(60.0, 98.5), (100.0, 120.0)]


def test_scanned_calc_recap_is_read_as_one_table_with_its_stacked_header():
    """The scan (seed 5; image-only, grain) of a two-page Calc recap, outer border only, three-line header cells,
    theme and Chorus cells merged over their actions: main read 5 of its 198 cells with their stage and part (the
    OCR layout cut the table where its tall rows stand apart, headers of neighbouring columns mixed). 157 → 161:
    a word read twice (first pass and re-read) kept once. 161 → 165: a euro sign read as a 4 after the cents
    ('0,004'); 161 → 169: bold header words on shading no longer whitened as rules (issue18zb); both: 173."""
    problem = tesseract_problem()
    if problem:
        pytest.skip(f"{problem}: {INSTALL_HINT}")
    assert budget_against_truth(FIXTURES / "039-2019-tableau_financier.scan.pdf") == (173, 177, 198, {1, 2})


def _found(page: int, rows: list[list[str]], top: float) -> Found:
    cols = [60.0, 200.0, 300.0, 400.0]
    cells = [
        Cell(
            row=r,
            col=c,
            text=t,
            page=page,
            bbox=BBox(x0=cols[c], top=top + 12 * r, x1=cols[c + 1], bottom=top + 12 * r + 9),
        )
        for r, row in enumerate(rows)
        for c, t in enumerate(row)
    ]
    table = Table(id="", source="ruled", pages=[page], n_rows=len(rows), n_cols=3, cells=cells)
    box = BBox(x0=60.0, top=top, x1=400.0, bottom=top + 12 * len(rows))
    return Found(table=table, page=page, last_page=page, bbox=box, last_bbox=box, cols=cols)


def _line(page: int, text: str, top: float) -> Line:
    return Line(text=text, page=page, bbox=BBox(x0=450.0, top=top, x1=560.0, bottom=top + 8))


def test_a_stamp_read_otherwise_on_the_next_page_does_not_keep_a_recap_from_its_continuation():
    """A ruled recap ending page 1 goes on, without its header, on page 2; OCR read the ACTES stamp over each
    page a little differently ('ID : 039-…', then 'ID 039-…'), so it is no repeated furniture: a stamp line still
    stands for no body text between the two parts."""
    first = _found(1, [["Action", "A État", "F Total"], ["1.1 Entretien", "78 000 €", "197 239,59 €"]], 300.0)
    rest = _found(2, [["5.2 Garantie", "208 000 €", "455 129,98 €"]], 80.0)
    pages = [
        Page(number=1, lines=[_line(1, "ID : 039-223900009-20200619-CP2006_71-CC", 40.0)]),
        Page(number=2, lines=[_line(2, "ID 039-223900009-20200619-CP2006_71-CC", 40.0)]),
    ]
    doc = Document(id="d", source="d.pdf", sha256="0", pages=pages)
    merged = merge_continuations(doc, [first, rest], set())
    assert len(merged) == 1 and merged[0].table.pages == [1, 2] and merged[0].table.n_rows == 3
    pages[1].lines.append(_line(2, "Annexe 2 – indicateurs du plan", 60.0))  # a body line: two tables
    assert (
        len(
            merge_continuations(
                doc,
                [_found(1, [["a", "1 000 €", "2 000 €"]], 300.0), _found(2, [["b", "3 000 €", "4 000 €"]], 80.0)],
                set(),
            )
        )
        == 2
    )


def _line_words(texts: list[tuple[str, float]], top: float, size: float) -> list[Word]:
    return [
        Word(text=t, bbox=BBox(x0=x, top=top, x1=x + 5.0 * len(t), bottom=top + size), size=size, confidence=90.0)
        for t, x in texts
    ]


def test_an_ocr_header_line_sized_up_by_its_ink_does_not_end_the_header_a_title_does():
    """The stacked header of a recap's narrow columns as OCR sizes it (office seed 105, Hautes-Alpes avenant, body
    7.0): a formula line's brackets ('(A+B+C', '+D+E)') give 8.7, a Tesseract line run over two header cells 9.7;
    the title above is one phrase at 14.3. Born-digital sizes are exact: any larger line is a heading there."""
    words = (
        _line_words([("+D+E)", 617.0)], 220.6, 8.7)
        + _line_words([("(A+B+C", 614.0)], 211.2, 8.7)
        + _line_words([("2020", 440.0), ("2020", 560.0)], 200.6, 9.7)
        + _line_words([("Thème", 236.0), ("de", 268.0), ("la", 280.0), ("Imputation", 330.0)], 191.0, 7.2)
        + _line_words([("financier", 163.0), ("récapitulatif", 210.0), ("prévisionnel", 278.0)], 170.0, 14.3)
    )
    kept = header_words(words, 229.4, 200.0, 642.0, 7.0, 1.9, ocr=True)
    assert sorted({w.text for w in kept}) == ["(A+B+C", "+D+E)", "2020", "Imputation", "Thème", "de", "la"]
    assert [w.text for w in header_words(words, 229.4, 200.0, 642.0, 7.0, 1.9)] == []


def test_words_on_the_next_page_never_carry_on_an_amount_of_the_last_row():
    """A recap's title line, repeated above its header on the next page, starts lower-case where the reader cut it
    ('récapitulatif 2019 – …'): it carried on the label cut by the page break, and was appended to the last row's
    amount '149 500 €', which then read as no amount. Words carry on a label cell, never an amount; a lower-case
    rest of the label still does."""
    from calpae.extract.tables.merge import merge_found

    first = _found(1, [["Action", "A État", "F Total"], ["8.1 Lutte contre la", "149 500 €", "299 000 €"]], 300.0)
    rest = _found(2, [["", "récapitulatif 2019 – Hauts", ""], ["8.2 Accès", "158 000 €", "347 500 €"]], 80.0)
    merge_found(first, rest)
    assert first.table.grid()[1] == ["8.1 Lutte contre la", "149 500 €", "299 000 €"]
    assert first.table.n_rows == 4
    first = _found(1, [["Action", "A État", "F Total"], ["8.1 Lutte contre la", "149 500 €", "299 000 €"]], 300.0)
    merge_found(first, _found(2, [["précarité", "", ""], ["8.2 Accès", "158 000 €", "347 500 €"]], 80.0))
    assert first.table.grid()[1] == ["8.1 Lutte contre la précarité", "149 500 €", "299 000 €"]
    assert first.table.n_rows == 3
