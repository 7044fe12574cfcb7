"""Cell text of tables made by office software (tests/fixtures/office): words of neighbouring lines kept apart,
words and numbers wrapped inside a cell rejoined."""

from __future__ import annotations

from pathlib import Path

from _read_cache import read_once

OFFICE = Path(__file__).parent / "fixtures" / "office"


def _grid(name: str, index: int = 0) -> list[list[str]]:
    return read_once(OFFICE / name).tables[index].grid()


def test_calc_header_cells_are_not_spaced_letter_by_letter() -> None:
    # Calc centres each header cell at its own height: the tops of neighbouring cells' lines once chained the two
    # lines of one cell into one, and its letters alternated ("T h è m e d e la con t ra c tu a li s a ti on")
    grid = _grid("055-2022-tableau_financier.pdf")
    assert grid[1][1:5] == [
        "Thème de la contractualisation",
        "Imputation chorus (code chorus - description longue)",
        "Fiche action N°",
        "Intitulé de l'action",
    ]
    assert grid[2][5] == "A Crédits État versés en 2022"
    assert grid[2][10] == "E Participation d'autres financeurs"


def test_word_recap_cells_wrapped_mid_word_are_rejoined() -> None:
    # 082-2021: the 16-column landscape recap (full grid) whose narrow cells break words and amounts anywhere
    doc = read_once(OFFICE / "082-2021-rapport_execution.pdf")
    recap = next(t for t in doc.tables if t.n_cols == 16)
    grid = recap.grid()
    assert grid[1][8:11] == [
        "Dont valorisation CD",
        "D Crédits CD 2020 reprogrammés sur 2021",
        "E Participation d'autres financeurs",
    ]
    assert grid[1][12] == "Montant total réalisé au 31/12/2021"
    assert grid[2][0] == "Engagements des mesures socle"
    assert grid[2][11:13] == ["441 696,92 €", "337 820,17 €"]
    indicators = next(t for t in doc.tables if t.n_cols == 9)
    assert indicators.grid()[0][2] == "Situation 2018 du département"
