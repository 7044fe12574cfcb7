"""A ruled table whose header row is shorter than its text: the page clips the header cell's last line, the text
layer keeps it below the header's bottom rule, beside the first row's label (a Word report, office seed 189:
'Situation 2018 du Départe' / 'ment' over a count, read 'ment 1 496' and lost)."""

from __future__ import annotations

from calpae.extract.tables.ruled import grid_from_cells
from calpae.models import BBox, Word


def _word(text: str, x0: float, top: float, width: float) -> Word:
    return Word(text=text, bbox=BBox(x0=x0, top=top, x1=x0 + width, bottom=top + 8.5), size=8.0)


HEADER = [(60.0, 137.5, 200.0, 160.8), (200.0, 137.5, 260.0, 160.8)]
ROW = [(60.0, 160.8, 200.0, 229.0), (200.0, 160.8, 260.0, 229.0)]


def _grid(words: list[Word]) -> list[list[str]]:
    found = grid_from_cells(HEADER + ROW, words, 4)
    assert found is not None
    return found.table.grid()


def test_a_header_cells_last_line_clipped_below_its_rule_is_the_headers():
    words = [
        _word("Indicateurs", 62, 147.4, 40),
        _word("Départe", 205, 147.4, 30),
        _word("ment", 205, 158.6, 20),  # its centre below the rule at 160.8, its top above it
        _word("Nombre", 62, 160.1, 28),
        _word("1", 206, 216.4, 3),
        _word("496", 211, 216.4, 12),
    ]
    assert _grid(words) == [["Indicateurs", "Département"], ["Nombre", "1 496"]]


def test_a_cells_first_line_set_high_stays_its_own():
    # the row's own text set high over its top rule, its next line right under it: the row's, not the header's
    words = [
        _word("Indicateurs", 62, 147.4, 40),
        _word("Résultat", 205, 147.4, 30),
        _word("Sans", 205, 158.6, 18),
        _word("Objet", 205, 168.0, 20),
        _word("Nombre", 62, 160.1, 28),
    ]
    assert _grid(words) == [["Indicateurs", "Résultat"], ["Nombre", "Sans Objet"]]
