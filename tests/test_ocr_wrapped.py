"""Amounts of a narrow-column office recap on a scanned page: two amounts of neighbouring columns standing closer than
an amount's own pieces are told apart by the number grammar, and a cell's wrapped end ('€', '06 €', ',79 €') joins
its head. The words are Tesseract's, as read from office seed 151's 078-2020 avenant scan (page 2, five rows of its
recap: columns A, B, C, Dont, D, E, F)."""

from __future__ import annotations

from decimal import Decimal

from calpae.extract.geometry.lines import group_lines
from calpae.extract.ocr.amounts import read_amounts, wrapped_cents
from calpae.extract.ocr.layout import _amount_word_runs, _wrapped_tail, find_layout
from calpae.models import BBox, Word

# (text, x0, x1, top, bottom) as OCR read them
WORDS = [
    ("137", 435, 447, 274, 282),
    ("000", 449, 461, 274, 282),
    ("13", 468, 475, 274, 282),
    ("797,", 478, 491, 274, 282),
    ("137", 495, 506, 274, 282),
    ("000", 509, 520, 274, 282),
    ("20", 557, 564, 274, 282),
    ("082,", 567, 580, 274, 282),
    ("307", 614, 626, 274, 282),
    ("879", 628, 640, 274, 282),
    ("€", 458, 462, 285, 292),
    ("06€", 478, 491, 285, 292),
    ("€", 517, 521, 285, 292),
    ("0", 541, 544, 284, 292),
    ("€", 547, 551, 284, 292),
    ("73", 567, 580, 284, 292),
    ("€", 576, 580, 284, 292),
    ("0:67", 600, 610, 285, 292),
    ("179€", 624, 640, 285, 292),
    ("138", 435, 447, 316, 324),
    ("000", 449, 461, 316, 324),
    ("13", 468, 475, 317, 324),
    ("797,", 478, 491, 317, 324),
    ("137", 495, 506, 317, 324),
    ("000", 509, 520, 317, 324),
    ("20", 557, 564, 317, 324),
    ("082,", 567, 580, 317, 324),
    ("307", 614, 626, 316, 324),
    ("879", 628, 640, 316, 324),
    ("€", 458, 462, 326, 335),
    ("06", 478, 485, 326, 335),
    ("€", 487, 491, 326, 335),
    ("€", 517, 521, 326, 335),
    ("0€", 541, 551, 326, 336),
    ("73", 567, 580, 326, 336),
    ("€", 576, 581, 326, 336),
    ("0€", 601, 610, 326, 336),
    ("79", 624, 634, 326, 336),
    ("€", 636, 640, 326, 336),
    ("202", 435, 446, 338, 346),
    ("000", 449, 461, 338, 346),
    ("242", 495, 506, 338, 346),
    ("500", 509, 520, 338, 346),
    ("11", 558, 564, 338, 346),
    ("805,", 567, 580, 338, 346),
    ("456", 614, 626, 338, 346),
    ("305", 628, 640, 338, 346),
    ("€", 458, 462, 349, 356),
    ("0€", 481, 491, 348, 357),
    ("€", 517, 521, 349, 356),
    ("0€", 541, 551, 348, 357),
    ("37", 567, 580, 348, 357),
    ("€", 576, 581, 348, 357),
    ("0€", 601, 610, 348, 357),
    ("31%", 625, 640, 348, 357),
    ("131", 435, 446, 390, 399),
    ("500", 449, 461, 390, 399),
    ("10", 468, 475, 391, 399),
    ("537,", 478, 491, 391, 399),
    ("131", 495, 505, 391, 399),
    ("500", 509, 520, 391, 399),
    ("38", 527, 534, 390, 399),
    ("900", 537, 548, 390, 399),
    ("16", 558, 564, 391, 399),
    ("410,", 567, 580, 391, 399),
    ("289", 614, 626, 390, 399),
    ("948", 628, 640, 390, 399),
    ("€", 458, 462, 401, 410),
    ("90", 477, 491, 401, 409),
    ("€", 487, 492, 401, 409),
    ("€", 517, 521, 401, 410),
    ("€", 547, 551, 401, 410),
    ("24", 567, 580, 401, 409),
    ("€", 576, 581, 401, 409),
    ("0€", 601, 610, 401, 409),
    (",14€", 625, 640, 401, 410),
    ("333", 435, 447, 412, 421),
    ("500", 449, 461, 412, 421),
    ("10", 468, 475, 413, 420),
    ("537,", 478, 491, 413, 420),
    ("374", 494, 506, 413, 420),
    ("000", 509, 520, 413, 420),
    ("38", 527, 534, 412, 421),
    ("900", 537, 548, 412, 421),
    ("28", 557, 564, 413, 420),
    ("215,", 567, 580, 413, 420),
    ("746", 614, 626, 412, 421),
    ("253", 628, 640, 412, 421),
    ("€", 458, 462, 423, 431),
    ("90", 477, 491, 422, 431),
    ("€", 487, 491, 422, 431),
    ("€", 517, 521, 423, 431),
    ("€", 547, 551, 423, 431),
    ("61€", 567, 580, 422, 431),
    ("0€", 600, 610, 422, 431),
    ("51€", 624, 640, 422, 431),
]


def _words() -> list[Word]:
    return [
        Word(text=t, bbox=BBox(x0=x0, top=top, x1=x1, bottom=bottom), size=8.0, confidence=90.0)
        for t, x0, x1, top, bottom in WORDS
    ]


def test_amounts_of_narrow_columns_are_split_by_grammar_and_their_wrapped_ends_joined():
    layout = find_layout(group_lines(_words(), 2))
    assert layout is not None
    read_amounts(layout)
    assert [round(e) for e in layout.edges] == [462, 491, 520, 550, 580, 640]
    assert len(layout.rows) == 5  # one row each, its wrapped line joined to it
    first = {k: c.value for k, c in layout.rows[0].cells.items()}
    assert first[0] == Decimal("137000")
    assert first[1] == Decimal("13797.06")  # '13 797,' over '06€', not '13 797 137 000'
    assert first[2] == Decimal("137000")
    assert first[4] == Decimal("20082.73")
    second = {k: c.value for k, c in layout.rows[1].cells.items()}
    assert second[1] == Decimal("13797.06")
    assert second[5] == Decimal("307879.79")  # ',79 €' read '79 €': two digits after a whole group are cents


def test_wrapped_cents_read_through_a_lost_or_misread_comma():
    def cell(head: str, tail: str) -> list[Word]:
        return [
            Word(text=head, bbox=BBox(x0=600, top=100, x1=640, bottom=108)),
            Word(text=tail, bbox=BBox(x0=620, top=110, x1=640, bottom=118)),
        ]

    assert wrapped_cents(cell("307 879", "79 €"), cents=False) == ("307879", "79")
    assert wrapped_cents(cell("307 879", "079 €"), cents=False) is None  # '079' may be the next group…
    assert wrapped_cents(cell("307 879", "079 €"), cents=True) == ("307879", "79")  # …not in a column with cents
    assert wrapped_cents(cell("1 271", "000 €"), cents=False, table_cents=True) is None  # '00' cents: a group
    assert wrapped_cents(cell("1 135 0", "00 €"), cents=True) is None  # a group cut mid-way


def test_a_wrapped_piece_opened_by_a_paren_or_a_speck_is_the_amounts_end():
    """181's 033-2019 scan: '144' over '(00,00 €' (a zero's left half read '('), '153' over '- 700,00 €'."""
    assert _wrapped_tail("(00,00 €") == "000,00 €"
    assert _wrapped_tail("- 700,00 €") == "700,00 €"
    assert _wrapped_tail("(12)") == "(12)" and _wrapped_tail("- €") == "- €"


def test_two_columns_amounts_run_together_are_kept_for_the_edges_to_cut():
    """'144' '72 000,00' of two columns one gap apart: no amount whole (a group of two between others)."""
    line = [
        Word(text=t, bbox=BBox(x0=x0, top=100, x1=x1, bottom=108))
        for t, x0, x1 in [("144", 452, 462), ("72", 465, 471), ("000,00", 473, 490)]
    ]
    assert _amount_word_runs(line, 4.0) == []
    assert [[w.text for w in r] for r in _amount_word_runs(line, 4.0, money_only=False)] == [["144", "72", "000,00"]]
