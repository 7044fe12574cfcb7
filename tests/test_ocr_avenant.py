"""Avenant annexes on scanned office pages (issue 18): the words Tesseract read, before the table was built, from
office seed 171's 972-2020 avenant scan (pages 2 and 3: borders horizontal, cells set at their top, a stacked header
whose label titles stand on a line of their own) and office seed 161's 064-2020 avenant scan (page 2: no borders,
cells set centred on their rows). Each word is (text, x0, x1, top, bottom) in points."""

from __future__ import annotations

import json
from pathlib import Path

from calpae.extract.geometry.lines import group_lines
from calpae.extract.ocr.layout import _is_wrapped_end, find_layout, is_amount_run
from calpae.models import BBox, Word

FIXTURES = Path(__file__).parent / "fixtures" / "office"


def _words(name: str) -> list[Word]:
    rows = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return [Word(text=t, bbox=BBox(x0=a, top=c, x1=b, bottom=d)) for t, a, b, c, d in rows]


def _word(text: str, x0: float) -> Word:
    return Word(text=text, bbox=BBox(x0=x0, top=100, x1=x0 + 4 * len(text), bottom=108))


def test_label_titles_on_a_line_of_their_own_stay_in_the_header():
    """The header's lines over the amounts run from 'A B C Dont D E F' down to '(A+B+ C+D+E )'; a stray 'de' over
    the label columns between two of them and the top line of label titles ('Thème de la', 'Imputation',
    'Fiche', 'Intitulé de l'action': 'Financement 2020' over the amounts lost by OCR) belong to it, the table's
    title above ('Annexe – Tableau financier…', larger, from the margin) does not. With the titles, the label
    words split into their five columns."""
    lay = find_layout(group_lines(_words("972-2020-avenant.scan.p2.words.json"), 0))
    assert lay is not None
    texts = [w.text for w in lay.header]
    assert "Intitulé" in texts and "Thème" in texts and "contractualisati" in texts and "de" in texts
    assert "Annexe" not in texts and "Tableau" not in texts
    assert [(round(a), round(b)) for a, b in lay.label_cols] == [
        (203, 222),
        (228, 279),
        (284, 330),
        (336, 351),
        (361, 425),
    ]
    assert [[row.label(k) for k in (3, 4)] for row in lay.rows] == [
        ["1.1", "Allocations individuelles jeunes majeurs"],
        ["1.2", "Hébergements collectifs des jeunes majeurs"],
        ["Sous total", ""],
    ]


def test_a_chorus_code_read_without_its_leading_zero_makes_no_amount_column():
    """'3304 50 19 19' (a Chorus code '0304 50 19 19', its zero read as a 3) stands on three rows at one x: its inner
    groups of two digits are no amount's, so no column edge stands at its end and the code stays a label."""
    assert not is_amount_run([_word("3304", 0), _word("50", 20), _word("19", 32), _word("19", 44)])
    assert is_amount_run([_word("1", 0), _word("015", 8), _word("3", 24)])  # '1 015 3' over '85,53 €': a cut end
    lay = find_layout(group_lines(_words("972-2020-avenant.scan.p3.words.json"), 0))
    assert lay is not None
    assert [round(e) for e in lay.edges] == [461, 491, 520, 551, 580, 610, 640]
    assert lay.rows[0].label(1) == "3304 50 19 19 37 - Garantie d'activité et insertion des"
    assert lay.rows[2].label(3) == "Garantie d'activité départementale"


def test_a_dot_after_a_head_hides_no_wrapped_end():
    assert _is_wrapped_end("140 000.", "€")
    assert _is_wrapped_end("27 907,", "29 €")
    assert not _is_wrapped_end("total.", "€")


def test_labels_centred_on_their_rows_are_cut_among_them():
    """Cells set centred: 'Plateforme d'orientation rapide des / nouveaux entrants et premiers / rendez-vous
    d'accompagnement sous / quinze jours' stands half above its amounts' line and runs on into the next row's
    'Diagnostics partagés d'orientation' without white between them; each piece goes to the row it is centred
    on (the nearest row gave 'Plateforme…' to the sub-total above)."""
    lay = find_layout(group_lines(_words("064-2020-avenant.scan.p2.words.json"), 0))
    assert lay is not None
    by_fiche = {row.label(3): row.label(4) for row in lay.rows if row.label(3)}
    assert by_fiche["4.1"] == (
        "Plateforme d'orientation rapide des nouveaux entrants et premiers rendez-vous d'accompagnement sous quinze "
        "jours"
    )
    assert by_fiche["42"] == "Diagnostics partagés d'orientation"
    assert by_fiche["2.1"] == "Maillage territorial du premier accueil"
    assert by_fiche["22"].startswith("Formation des agents d'accueil des maisons départementales")
