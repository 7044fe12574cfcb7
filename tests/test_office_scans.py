"""Office-made recaps on scanned pages read as their born-digital copies are: the words-based reader on OCR words
(glued units cut, group spaces and label gutters measured on ink boxes), header and label cells re-read one by one
from the image, and the OCR layout replaced where the words-based reading names more of its columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from _read_cache import budget_against_truth

from calpae.extract.ocr.engine import INSTALL_HINT, tesseract_problem
from calpae.extract.ocr.tokens import split_units
from calpae.extract.tables.wrapped_labels import label_columns
from calpae.models import BBox, Word

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
    OCR layout cut the table where its tall rows stand apart, headers of neighbouring columns mixed)."""
    problem = tesseract_problem()
    if problem:
        pytest.skip(f"{problem}: {INSTALL_HINT}")
    assert budget_against_truth(FIXTURES / "039-2019-tableau_financier.scan.pdf") == (157, 169, 198, {1, 2})
