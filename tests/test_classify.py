"""Document classification: doc_type, issuing département and period, on built documents and the real seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from _read_cache import read_once

from calpae.classify import classify_document
from calpae.extract import read_document
from calpae.models import Actes, Document, Line, Page


def make_doc(*pages: list[str], kind: str = "pdf") -> Document:
    """A Document whose pages hold the given lines (numbered like a text export when kind='text')."""
    doc = Document(id="0" * 16, source="synthetic", sha256="0" * 64, kind=kind)
    n = 0
    for number, lines in enumerate(pages, start=1):
        page = Page(number=number)
        for text in lines:
            n += 1
            page.lines.append(Line(text=text, page=number, line_no=n))
        doc.pages.append(page)
    doc.page_count = len(doc.pages)
    return doc


def classified(doc: Document) -> tuple[str, str | None, int | None, str | None]:
    classify_document(doc)
    return doc.doc_type, doc.departement_code, doc.year, doc.period


def test_execution_report_with_convention_period_on_cover():
    doc = make_doc(
        [
            "CONVENTION D'APPUI A LA LUTTE CONTRE LA PAUVRETE",
            "2019-2021",
            "RAPPORT D'EXECUTION",
            "ANNEE 2020",
            "Département de la Gironde",
        ],
        ["1. Mesures socle", "Le budget exécuté est présenté ci-dessous pour 2020 et 2021."],
    )
    assert classified(doc) == ("rapport_execution", "33", 2020, "2020")
    assert doc.departement_name == "Gironde"


def test_deliberation_with_session_date_and_other_departements_in_body():
    doc = make_doc(
        [
            "COMMISSION PERMANENTE",
            "SEANCE DU 12 mars 2021",
            "N° 204",
            "APPROBATION DE L'AVENANT 2021",
            "DECIDE :",
            "- d'approuver l'avenant n°3 à la convention 2019-2021 avec le Département du Tarn,",
        ],
        ["Transmis le 15 mars 2021 à la préfecture du Tarn", "en lien avec la Haute-Garonne et l'Aveyron"],
    )
    assert classified(doc) == ("deliberation", "81", 2021, "2021")


def test_avenant_written_as_a_contract_is_an_avenant():
    doc = make_doc(
        [
            "AVENANT N°2 À LA CONVENTION D'APPUI",
            "entre l'État et le Département de la Vendée",
            "Article 1 – Objet",
            "Le présent avenant met à jour les montants pour 2021.",
            "Article 2 – Montants",
            "Article 3 – Suivi",
            "Convention d'appui à la lutte contre la pauvreté – page 1",
        ],
        ["Annexe – tableau financier 2021"],
    )
    doc.actes = Actes(raw="ID : 085-228500016-20210504-DEL21_07-CC", nature="CC")  # sent as a contract
    assert classified(doc)[0] == "avenant"
    plain = make_doc(
        [
            "CONVENTION D'APPUI",
            "entre l'État et le Département de la Vendée",
            "Article 1 – Objet",
            "Article 2 – Montants",
            "Article 3 – Suivi",
        ],
        ["Annexe"],
    )
    plain.actes = Actes(raw="ID : 085-228500016-20190504-DEL19_07-CC", nature="CC")
    assert classified(plain)[0] == "convention"


def test_deliberation_is_dated_by_the_year_its_subject_names():
    doc = make_doc(
        [
            "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS",
            "COMMISSION PERMANENTE",
            "Réunion du 6 avril 2021",
            "Objet : rapport d'exécution 2020 de la convention d'appui",
            "Le Conseil départemental de la Vendée,",
        ],
        ["DÉCIDE", "d'approuver le rapport."],
    )
    assert classified(doc) == ("deliberation", "85", 2020, "2020")


def test_plan_keeps_its_range_even_if_another_range_follows():
    doc = make_doc(
        ["CONSEIL DÉPARTEMENTAL DES LANDES", "Programme départemental d'insertion", "2018-2022"],
        ["Sommaire", "1. Bilan du précédent programme 2013-2017", "2. Orientations 2013-2017"],
    )
    assert classified(doc) == ("pdi_pti", "40", None, "2018-2022")


def test_a_period_cut_by_the_titles_wrap_is_the_conventions_range():
    # 'ANNÉE 2021' is not the document's year: the title wrapped after '2019-', its period's end went to the next line
    doc = make_doc(
        [
            "CONVENTION D'APPUI À LA LUTTE CONTRE",
            "LA PAUVRETÉ ET D'ACCÈS À L'EMPLOI 2019-",
            "2021",
            "Entre l'État et le Département des Landes",
        ],
        ["Article 1 – Objet"],
    )
    assert classified(doc) == ("convention", "40", None, "2019-2021")


def test_office_convention_whose_title_wraps_inside_its_period():
    path = Path(__file__).parent / "fixtures" / "office" / "065-2019-convention.pdf"
    doc = read_document(path)
    assert classified(doc)[2:] == (None, "2019-2021")


def test_a_stamp_line_ocr_misspelt_says_nothing_of_the_year():
    # a scanned recap: OCR spelt the stamp's 'préfecture' 'préfeaure'; its date (the next year) is not the document's
    doc = make_doc(
        [
            "Envoyé en préfeaure le 14/03/2020",
            "ANNEXE 10 - TABLEAU FINANCIER RÉCAPITULATIF",
            "Convention stratégie pauvreté - Département des Landes",
            "Exécution budgétaire 2019",
            "Thème Imputation Fiche Intitulé de l'action 2019",
            "reporté 2020 - 2020 -",
        ],
    )
    assert classified(doc)[2:] == (2019, "2019")


def test_brochure_title_gives_bilan_year():
    doc = make_doc(
        ["OBJECTIFS", "Accompagner les jeunes majeurs", "ACTIONS", "Une référente recrutée en février 2020"],
        ["BILAN 2021", "RÉALISATIONS", "Au 31/03/2021, 12 jeunes accompagnés"],
        ["Le Conseil départemental du Cher remercie ses partenaires."],
    )
    assert classified(doc) == ("bilan", "18", 2021, "2021")


def test_national_instruction_has_no_departement():
    doc = make_doc(
        [
            "INSTRUCTION N° DGCS/2023/7 du 3 février 2023 relative aux conventions pour l'année 2023",
            "Mesdames et Messieurs les préfets de région",
            "NOR : SSAA2300001J",
        ],
        [
            "Par exemple, le Département de l'Oise et le Département du Var ont mis en place…",
            "Le rapport d'exécution de la convention triennale 2019-2021 est attendu.",
        ],
    )
    assert classified(doc) == ("instruction", None, 2023, "2023")


def test_actes_stamp_wins_over_names_and_is_read_from_the_stamp_line():
    doc = make_doc(
        [
            "Envoyé en préfecture le 02/05/2021",
            "ID : 033-223300019-20210430-CP2021_12-DE",
            "Rapport d'exécution",
            "Année 2020",
            "partenariat avec le Département de la Dordogne",
        ]
    )
    assert classified(doc)[:2] == ("rapport_execution", "33")
    doc = make_doc(["Convention", "Département de la Dordogne"])
    doc.actes = Actes(raw="ID : 02A-…", departement_code="02A", nature="CC")
    assert classified(doc)[:2] == ("convention", "2A")


def test_unknown_document_stays_other_without_forcing_anything():
    doc = make_doc(["Liste des courses", "pain, lait, un lot de pommes"])
    assert classified(doc) == ("other", None, None, None)


def test_values_set_by_a_reader_are_kept():
    doc = make_doc(["RAPPORT D'EXECUTION", "ANNEE 2019", "Département de l'Aude"])
    doc.doc_type = "avenant"
    doc.departement_code = "46"
    classify_document(doc)
    assert (doc.doc_type, doc.departement_code, doc.departement_name) == ("avenant", "46", "Lot")


def test_text_file_through_the_reader(tmp_path: Path):
    path = tmp_path / "avenant.txt"
    path.write_text(
        "AVENANT N°2\nà la convention d'appui 2019-2021\nentre l'Etat et le Département "
        "de la Côte-d’Or\nAnnée 2020\n\nArticle 1 : objet\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert classified(doc) == ("avenant", "21", 2020, "2020")


def test_pdf_through_the_reader(tmp_path: Path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "rapport.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for text, y in (("RAPPORT D'EXECUTION", 760), ("ANNEE 2021", 730), ("Département du Morbihan", 700)):
        c.drawString(72, y, text)
    c.showPage()
    c.drawString(72, 760, "1. Mesures socle, comparées à 2019 et 2020")
    c.save()
    doc = read_document(path)
    assert classified(doc) == ("rapport_execution", "56", 2021, "2021")


EXPECTED = {
    "aude_2019": ("rapport_execution", "11", "2019"),
    "lot_et_garonne_2020": ("deliberation", "47", "2020"),
    "lot_et_garonne_pdi": ("pdi_pti", "47", "2016-2020"),
    "lot_bilan_2021": ("bilan", "46", "2021"),
    "instruction_2022": ("instruction", None, "2022"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_text_exports(seed, name):
    doc = read_once(seed(name))
    classify_document(doc)
    assert (doc.doc_type, doc.departement_code, doc.period) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_pdfs(corpus_pdf, name):
    doc = read_once(corpus_pdf(name))
    classify_document(doc)
    assert (doc.doc_type, doc.departement_code, doc.period) == EXPECTED[name]
