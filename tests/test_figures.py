"""Every figure accounted for (issue 18, item 5): read into a record, not data (a date, a year, a page, section or
phone number…), or reported as an `unread_figure` finding; a table of figures that yields no record is a
`table_not_read` warning naming its page; the counts reach the documents table and the summary lines."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from calpae.audit import audit_extraction
from calpae.audit.figures import figures_in
from calpae.models import Extraction, FigureCount
from calpae.pipeline import extract_document

SAMPLES = Path(__file__).resolve().parent.parent / "corpora" / "samples"


def _reasons(text: str, in_table: bool = False) -> list[tuple[str, str | None]]:
    return [(text[a:b], why) for a, b, _v, _u, why, _m in figures_in(text, in_table=in_table)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Au 31 décembre 2019, les dépenses atteignent 735.403,54 €.",
            [("31", "date"), ("2019", "year"), ("735.403,54 €", None)],
        ),
        ("Envoyé en préfecture le 04/03/2020", [("04/03/2020", "date")]),
        ("Tél. : 04 68 11 22 33", [("04 68 11 22 33", "phone")]),
        ("conformément à l'article 3 de la convention", [("3", "numbering")]),
        ("11855 Carcassonne Cedex 9", [("11855", "postcode"), ("9", "numbering")]),
        ("SIREN 221100012", [("221100012", "identifier")]),
        ("1) Prévenir toute sortie sèche", [("1", "numbering")]),
        ("120 jeunes accompagnés en 2021", [("120", None), ("2021", "year")]),
        ("la fiche 4.3 porte sur 45 % des crédits", [("4.3", "code"), ("45 %", None)]),
        ("objectif 150 jeunes", [("150", None)]),  # a count after a numbering noun is still a count
    ],
)
def test_figures_of_running_text_are_data_or_not_by_grammar_and_words(text, expected):
    assert _reasons(text) == expected


def test_figures_of_a_cell_label_and_wrapped_amount_pieces():
    """In a cell: a number inside a label's words is part of the label; a wrapped amount's tail ('000,00') is a
    piece of a figure, so data; a chorus code with a leading zero is one code."""
    assert _reasons("Nombre de rendez-vous à 2 semaines ou moins", in_table=True) == [("2", "label")]
    assert _reasons("000,00 €", in_table=True) == [("000,00", None)]
    assert _reasons("0304 50 19 19", in_table=True) == [("0304 50 19 19", "phone")]
    assert _reasons("12 avril", in_table=True) == [("12", "date")]  # a code at the very start of a text
    assert _reasons("Sous 150 53 165", in_table=True) == [("150", None), ("53 165", None)]  # not a label


def test_every_figure_of_a_generated_report_is_read_or_not_data():
    ext = extract_document(SAMPLES / "006-2019-rapport_execution.pdf")
    assert ext.figures == FigureCount(read=128, not_data=186, unread=0)
    assert not [f for f in ext.findings if f.check in ("unread_figure", "table_not_read", "table_partly_read")]
    assert ext.document_row()["figures_read"] == 128 and ext.document_row()["figures_unread"] == 0


def test_a_table_that_yields_no_record_is_reported_with_its_figures():
    """The reader's silence made visible: the same document with its budget lines lost gives one table_not_read
    warning naming page 1 and one unread_figure per amount of the table, each with its page and box."""
    ext = extract_document(SAMPLES / "006-2019-tableau_financier.pdf")
    assert ext.figures == FigureCount(read=176, not_data=30, unread=0)
    lost = Extraction(document=ext.document, amounts=ext.amounts)
    findings = audit_extraction(lost)
    assert lost.figures == FigureCount(read=0, not_data=30, unread=176)
    [table] = [f for f in findings if f.check == "table_not_read"]
    assert (table.severity, table.provenance.page, len(table.cells)) == ("warning", 1, 176)
    assert table.message.startswith("the table on page 1 ('Exécution budgétaire 2019') holds 176 figures")
    unread = [f for f in findings if f.check == "unread_figure"]
    assert len(unread) == 176 and {f.severity for f in unread} == {"info"}
    first = min(unread, key=lambda f: (f.provenance.bbox.top, f.provenance.bbox.x0))
    assert (first.provenance.page, first.cells[0].value, first.provenance.raw) == (1, Decimal(232000), "232 000 €")
    assert all(f.provenance.bbox is not None for f in unread)


def test_a_row_of_a_table_read_as_a_sentence_is_unread(tmp_path):
    """Four counts side by side with nothing but spaces between them are a row of a table the reader did not find:
    the prose reader's values do not say what each is, so they are reported unread; a sentence's counts are read."""
    path = tmp_path / "rapport.txt"
    path.write_text(
        "Rapport d'exécution 2022\n\n"
        "Le nombre de bénéficiaires accompagnés a atteint 1 240 personnes en 2022, contre 1 105 en 2021.\n\n"
        "l'accompagnement global 1 759 1 648 1 533 1 612 sanitaire\n",
        encoding="utf-8",
    )
    ext = extract_document(path)
    assert ext.figures == FigureCount(read=2, not_data=3, unread=4)
    unread = [(f.provenance.line, f.cells[0].value) for f in ext.findings if f.check == "unread_figure"]
    assert unread == [(5, Decimal(1759)), (5, Decimal(1648)), (5, Decimal(1533)), (5, Decimal(1612))]


def test_documents_table_and_summary_line_carry_the_figures(tmp_path, capsys):
    from calpae.cli import main

    out = tmp_path / "run"
    assert main(["extract", str(SAMPLES / "006-2020-deliberation.pdf"), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "0 failed, 0 partial; figures read: 100.0 % (5 of 5; 13 not data)\n" in err
    with open(out / "documents.csv", encoding="utf-8") as fh:
        [row] = list(csv.DictReader(fh))
    assert (row["figures_read"], row["figures_not_data"], row["figures_unread"]) == ("5", "13", "0")
