"""The cell-text step: lines of one cell rejoined where a narrow column broke a word or a number."""

from __future__ import annotations

import pytest

from calpae.extract.tables.cell_text import join_lines, join_texts
from calpae.models import BBox, Word


@pytest.mark.parametrize(
    ("lines", "text"),
    [
        # words broken at any letter, one piece per line, cut into the likeliest words
        (["Thè", "me de la", "con", "trac", "tua", "lis", "atio", "n"], "Thème de la contractualisation"),
        (["Enga", "geme", "nts", "des", "mesur", "es", "socle"], "Engagements des mesures socle"),
        (["Engagement", "s des", "mesures socle"], "Engagements des mesures socle"),
        (["Indicateu", "rs"], "Indicateurs"),
        (["d'autre", "s"], "d'autres"),
        (["inconditionne", "l"], "inconditionnel"),
        # words wrapped whole keep their space
        (["Hébergements", "collectifs des", "jeunes majeurs"], "Hébergements collectifs des jeunes majeurs"),
        (["Sous", "total"], "Sous total"),
        (["Dont", "valorisati", "on CD"], "Dont valorisation CD"),
        # numbers: the grammar decides
        (["203 50", "0 €"], "203 500 €"),
        (["40 566,", "25 €"], "40 566,25 €"),
        (["27 607", ",49 €"], "27 607,49 €"),
        (["441 696,9", "2 €"], "441 696,92 €"),
        (["190", "000 €"], "190 000 €"),
        (["12", "345 €"], "12 345 €"),
        (["2019", "2020"], "2019 2020"),
        (["Montant total réalisé au 31/12/202", "1"], "Montant total réalisé au 31/12/2021"),
        # hyphens: a compound stays whole; an operator run too
        (["premiers rendez-", "vous"], "premiers rendez-vous"),
        (["F Budget global A+B+C", "+D+E"], "F Budget global A+B+C+D+E"),
    ],
)
def test_join_texts(lines: list[str], text: str) -> None:
    assert join_texts(lines) == text


def _line(top: float, *spans: tuple[str, float, float]) -> list[Word]:
    return [Word(text=t, bbox=BBox(x0=x0, top=top, x1=x1, bottom=top + 8), size=8) for t, x0, x1 in spans]


def test_a_single_word_short_of_the_cell_width_was_wrapped_whole() -> None:
    # 'bien' alone on its line, far narrower than the widest line: the next word did not fit after it, so it was
    # never broken (the word list alone would have read 'bientôt')
    narrow = [_line(0, ("bien", 10, 26)), _line(10, ("tôt", 10, 22), ("dans", 25, 41)), _line(20, ("l'année", 10, 48))]
    assert join_lines(narrow) == "bien tôt dans l'année"
    # the same piece filling the cell's width is a word broken inside
    full = [_line(0, ("bien", 10, 26)), _line(10, ("tôt", 10, 22))]
    assert join_lines(full) == "bientôt"
