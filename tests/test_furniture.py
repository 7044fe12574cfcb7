"""Page furniture: prefecture stamps and ACTES fields, running headers/footers, page numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from calpae.extract.structure.furniture import mark_furniture
from calpae.extract.structure.stamps import parse_actes_id, parse_french_date, stamp_kind
from calpae.models import BBox, Document, Line, Page


def text_doc(text: str) -> Document:
    """A one-page text Document, one Line per source line, as the text reader gives."""
    lines = [Line(text=t, page=1, line_no=i) for i, t in enumerate(text.split("\n"), start=1)]
    return Document(id="t", source="t.txt", sha256="0", kind="text", pages=[Page(number=1, lines=lines)])


def pdf_doc(pages: list[list[str]], footer: int = 0, height: float = 800.0) -> Document:
    """A PDF-like Document: lines 14 pt apart from the top, the last `footer` lines at the page bottom."""
    out = []
    for n, texts in enumerate(pages, start=1):
        tops = [40 + 14 * i for i in range(len(texts) - footer)] + [height - 60 + 14 * i for i in range(footer)]
        lines = [
            Line(text=t, page=n, bbox=BBox(x0=50, top=y, x1=300, bottom=y + 9))
            for t, y in zip(texts, tops, strict=False)
        ]
        out.append(Page(number=n, width=600, height=height, lines=lines))
    return Document(id="p", source="p.pdf", sha256="0", kind="pdf", pages=out)


WORDS = ["Le comité", "Les équipes", "Un bilan", "La mission", "Ce dispositif", "Notre réseau", "Une action"]


def prose(n: int, k: int) -> str:
    """A body line that differs from page to page by its words, not only by its numbers."""
    return f"{WORDS[(n + k) % len(WORDS)]} a suivi {10 + k} ménages sur le territoire {WORDS[k % len(WORDS)].lower()}."


def flagged(doc: Document) -> list[str]:
    return [ln.text for ln in doc.lines(include_furniture=True) if ln.furniture and ln.text.strip()]


STAMP = [
    "Envoyé en préfecture le 02/03/2021",
    "",
    "Reçu en préfecture le 03/03/2021",
    "",
    "Affiché le",
    "",
    "ZORP",
    "",
    "ID : 034-223400015-20210226-DELIB_2021_12-DE",
]


# --- ACTES identifier and dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, dept, siren, iso, ref, nature",
    [
        ("ID : 011-221100019-20200414-COMINSOEN420_37-DE", "11", "221100019", "2020-04-14", "COMINSOEN420_37", "DE"),
        ("ID : 001-220100011-20191231-A-2019-7-AR", "01", "220100011", "2019-12-31", "A-2019-7", "AR"),
        ("ID : 971-229710017-20220105-CP_45-CC", "971", "229710017", "2022-01-05", "CP_45", "CC"),
        ("ID : 02A-200076958-20210630-R12-AI", "2A", "200076958", "2021-06-30", "R12", "AI"),
        ("**ID : 02B-222000028-20200102-X9-AU**", "2B", "222000028", "2020-01-02", "X9", "AU"),
    ],
)
def test_actes_id_fields(line, dept, siren, iso, ref, nature):
    a = parse_actes_id(line)
    assert (a.departement_code, a.siren, a.date, a.reference, a.nature) == (dept, siren, iso, ref, nature)


def test_actes_id_rejects_other_lines_and_bad_dates():
    assert parse_actes_id("Identifiant du projet : 12") is None
    assert parse_actes_id("ID : 011-2211000-20200414-REF-DE") is None  # SIREN too short
    assert parse_actes_id("ID : 011-221100019-20201341-REF-DE").date is None  # month 13


@pytest.mark.parametrize(
    "text, iso",
    [
        ("le 15/04/2020", "2020-04-15"),
        ("le 30 Septembre 2020 à la", "2020-09-30"),
        ("1er mars 2021", "2021-03-01"),
        ("le 12 décembre 2019", "2019-12-12"),
        ("Affiché le", None),
    ],
)
def test_french_dates(text, iso):
    assert parse_french_date(text) == iso


def test_stamp_kinds_only_on_short_lines():
    assert stamp_kind("Envoyé en préfecture le 15/04/2020") == "sent"
    assert stamp_kind("Reçu en préfecture le 15/04/2020") == "received"
    assert stamp_kind("Affiché le") == "displayed"
    long = "Affiché le programme de l'année, le comité a longuement débattu des orientations et des moyens."
    assert stamp_kind(long) is None
    assert stamp_kind("Le dossier a été envoyé en préfecture le 3 mai.") is None


def test_actes_id_without_its_colon_as_ocr_reads_it():
    assert stamp_kind("ID 039-223900009-20200619-CP2006_71-CC") == "id"
    a = parse_actes_id("ID 039-223900009-20200619-CP2006_71-CC")
    assert a is not None and (a.siren, a.date, a.reference, a.nature) == ("223900009", "2020-06-19", "CP2006_71", "CC")
    assert stamp_kind("ID 12-34") is None  # no SIREN: not the ACTES shape


# --- stamp blocks in text exports -----------------------------------------------------------------


def test_text_stamp_block_marked_and_parsed():
    body = ["Un paragraphe d'ouverture sur le rapport.", "", *STAMP, "", "1. Premier volet", "Texte du volet."]
    doc = text_doc("\n".join(body))
    mark_furniture(doc)
    assert flagged(doc) == [s for s in STAMP if s]  # the stray word inside the block included
    assert doc.actes.departement_code == "34" and doc.actes.siren == "223400015"
    assert doc.actes.date == "2021-02-26" and doc.actes.nature == "DE"
    assert doc.actes.sent == "2021-03-02" and doc.actes.received == "2021-03-03"
    kept = [ln.text for ln in doc.lines() if ln.text]
    assert kept == ["Un paragraphe d'ouverture sur le rapport.", "1. Premier volet", "Texte du volet."]


def test_line_repeated_after_stamps_is_a_running_header():
    title = "PLAN LOCAL DE SOLIDARITE 2021-2023 ENTRE LES PARTENAIRES"
    parts = []
    for k in range(3):
        parts += [*STAMP, "", title, "", f"Section de contenu numéro {k}.", f"Ligne propre {k}."]
    parts += ["Conclusion : le " + title.lower() + " se poursuit."]
    doc = text_doc("\n".join(parts))
    mark_furniture(doc)
    assert sum(ln.text == title and ln.furniture for ln in doc.lines(include_furniture=True)) == 3
    assert all(
        not ln.furniture
        for ln in doc.lines(include_furniture=True)
        if ln.text.startswith(("Section", "Ligne", "Conclusion"))
    )


def test_line_after_stamps_twice_or_a_heading_is_kept():
    parts = []
    for k in range(3):
        parts += [*STAMP, "", "2. Volet logement", "", "Une note deux fois" if k < 2 else "Autre note", "Corps."]
    doc = text_doc("\n".join(parts))
    mark_furniture(doc)
    texts = {ln.text for ln in doc.lines() if ln.text}
    assert "2. Volet logement" in texts  # the section tree deals with repeated headings
    assert "Une note deux fois" in texts


def test_transmission_block_with_split_date_and_prefecture():
    parts = [
        "- de fixer le montant de l'aide à 12 000 €.",
        "",
        "Transmission à la préfecture Signataire",
        "",
        "Transmis le 7 Octobre 2021 à la",
        "préfecture de Haute-Garonne",
        "",
        "Le Président du Conseil départemental",
        "Jean DUPONT",
        "",
        "Affiché à l'Hôtel du Département le 8",
        "Octobre 2021",
        "RAPPORT SUIVANT",
        "Transmis le 3 mars 2020 au comité, ce document a été discuté longuement en séance plénière.",
    ]
    doc = text_doc("\n".join(parts))
    mark_furniture(doc)
    assert flagged(doc) == parts[2:3] + parts[4:6] + parts[7:9] + parts[10:12]
    assert doc.actes.sent == "2021-10-07" and doc.actes.displayed == "2021-10-08"
    assert doc.actes.prefecture == "Haute-Garonne" and doc.actes.siren is None


def test_lone_stamp_like_sentence_is_not_furniture():
    doc = text_doc("Texte.\nTransmis le 3 mars 2020 au comité\nSuite du texte.")
    mark_furniture(doc)
    assert flagged(doc) == [] and doc.actes is None


# --- running headers, footers and page numbers on paged documents ---------------------------------


def test_running_header_footer_and_page_numbers():
    pages = []
    for n in range(1, 7):
        body = [prose(n, k) for k in range(8)]
        if n in (2, 3):
            body.insert(0, "Nom de l'action Réalisé 2020")  # a table header repeated on 2 pages only
        pages.append(["Rapport d'activité 2020 – Département", *body, "Direction des solidarités", f"Page {n} sur 6"])
    doc = pdf_doc(pages, footer=2)
    mark_furniture(doc)
    f = flagged(doc)
    assert f.count("Rapport d'activité 2020 – Département") == 6
    assert f.count("Direction des solidarités") == 6
    assert sum(t.startswith("Page ") for t in f) == 6
    assert len(f) == 18  # no body line, nor the table header seen on two pages only


def test_a_table_header_under_a_heading_at_one_height_on_each_page_is_no_running_line():
    """Each fiche's executed table starts its page under the fiche's heading ('N.2.2. Budget exécuté'): its
    two-cell header 'Actions menées | Réalisé 2019' repeats at one height near the top of four pages out of six,
    like a running line, yet a heading of the body stands between it and the page's top. Both passes keep it;
    the running title above the heading is still furniture."""
    from calpae.extract.structure.furniture import repeated_furniture

    pages = []
    for n in range(1, 7):
        head = [f"{n}.2.2. Budget exécuté", "Actions menées Réalisé 2019"] if n <= 4 else [prose(n, 8), prose(n, 9)]
        pages.append(["Département de l'Aude – rapport 2019", *head, *(prose(n, k) for k in range(6))])
    doc = pdf_doc(pages)
    found = repeated_furniture([p.lines for p in doc.pages], [p.height or 0.0 for p in doc.pages])
    texts = sorted({ln.text for p in doc.pages for ln in p.lines if id(ln) in found})
    assert texts == [f"{n}.2.2. Budget exécuté" for n in range(1, 5)] + ["Département de l'Aude – rapport 2019"]
    mark_furniture(doc)
    assert flagged(doc) == ["Département de l'Aude – rapport 2019"] * 6


def test_bare_page_numbers_need_a_consistent_offset():
    pages = []
    for n in range(1, 5):
        count = str([42, 17, 8, 93][n - 1])  # a figure alone on a line near the top of the page
        pages.append([prose(n, 0), count, prose(n, 1), prose(n, 2), prose(n, 3), str(n + 2)])
    doc = pdf_doc(pages, footer=1)
    mark_furniture(doc)
    assert flagged(doc) == ["3", "4", "5", "6"]  # page n printed as n+2; the figures stay


def test_dashed_page_numbers_and_few_pages():
    doc = pdf_doc([["Titre court", "Corps un.", "- 1 -"], ["Titre court", "Corps deux.", "- 2 -"]], footer=1)
    mark_furniture(doc)
    assert flagged(doc) == ["- 1 -", "- 2 -"]  # two pages: too few for a running header


def test_numbered_heading_at_page_tops_is_not_a_running_header():
    pages = [["3. Accompagnement des jeunes", prose(n, 0), prose(n, 1)] for n in range(5)]
    doc = pdf_doc(pages)
    mark_furniture(doc)
    assert flagged(doc) == []


# --- generated PDF through the reader ------------------------------------------------------------


def make_stamped_pdf(path: Path, n_pages: int = 4) -> None:
    """A small report: stamp block, running header and a page-number footer on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    for n in range(1, n_pages + 1):
        c.setFont("Helvetica", 7)
        for k, t in enumerate(STAMP[0::2]):
            c.drawString(60, h - 30 - 9 * k, t)
        c.setFont("Helvetica", 10)
        c.drawString(60, h - 90, "Bilan annuel du plan de lutte – Département de l'Hérault")
        for k in range(10):
            c.drawString(60, h - 130 - 16 * k, f"Le texte du rapport, page {n}, paragraphe {k}.")
        c.drawString(w / 2, 30, f"{n}/{n_pages}")
        c.showPage()
    c.save()


def test_generated_pdf_through_reader(tmp_path):
    from calpae.extract import read_document

    path = tmp_path / "stamped.pdf"
    make_stamped_pdf(path)
    doc = read_document(path)
    f = flagged(doc)
    assert sum(t.startswith("Envoyé en préfecture") for t in f) == 4
    assert sum(t.startswith("ID :") for t in f) == 4
    assert f.count("ZORP") == 4
    assert sum(t.startswith("Bilan annuel du plan") for t in f) == 4
    assert sum(t.endswith("/4") for t in f) == 4
    assert all(ln.text.startswith("Le texte du rapport") for ln in doc.lines() if ln.text.strip())
    assert (doc.actes.departement_code, doc.actes.date) == ("34", "2021-02-26")


# --- real documents --------------------------------------------------------------------------------


def test_aude_text_seed_stamps(seed):
    from _read_cache import read_once

    doc = read_once(seed("aude_2019"))
    a = doc.actes
    assert (a.departement_code, a.siren, a.date, a.nature) == ("11", "221100019", "2020-04-14", "DE")
    assert a.sent == "2020-04-15" and a.received == "2020-04-15"
    stamp_lines = [ln for ln in doc.lines(include_furniture=True) if stamp_kind(ln.text)]
    assert len(stamp_lines) >= 40 and all(ln.furniture for ln in stamp_lines)
    body = [ln.text for ln in doc.lines()]
    assert not any(t.startswith("ID :") for t in body)
    # the convention title repeated after each stamp block is a running header
    assert not any(
        t.startswith("CONVENTION D'APPUI A LA LUTTE CONTRE LA PAUVRETE ET D'ACCES A L'EMPLOI 2019-2021 CONCLUE")
        for t in body
    )
    assert any(t.startswith("1.1. ") for t in body)


def test_aude_pdf_stamps(corpus_pdf):
    from _read_cache import read_once

    doc = read_once(corpus_pdf("aude_2019"))
    a = doc.actes
    assert (a.departement_code, a.siren, a.date, a.nature) == ("11", "221100019", "2020-04-14", "DE")
    assert len(doc.pages) == 75
    for page in doc.pages:
        ids = [ln for ln in page.lines if ln.text.strip().startswith("ID : 011-")]
        assert ids and all(ln.furniture for ln in ids), page.number
    body = [ln.text.strip() for ln in doc.lines()]
    assert not any(t.startswith(("Envoyé en préfecture", "Reçu en préfecture")) or t == "Affiché le" for t in body)
    assert len(body) > 2000  # content is kept


def test_lot_et_garonne_text_seed_transmission_blocks(seed):
    from _read_cache import read_once

    doc = read_once(seed("lot_et_garonne_2020"))
    assert doc.actes.prefecture == "Lot-et-Garonne"
    assert doc.actes.sent == "2020-09-30"
    f = [ln.text.strip() for ln in doc.lines(include_furniture=True) if ln.furniture]
    assert sum(t.startswith("Transmis le") for t in f) == 2
    assert sum(t.startswith("Affiché à") for t in f) == 2
    # nothing else of the document goes: furniture is a few dozen lines out of thousands
    assert len([t for t in f if t]) <= 20


def test_running_header_with_page_number_but_not_fiche_numbers():
    pages = []
    for n in range(1, 7):
        fiche = (n + 1) // 2  # one fiche every two pages
        pages.append([f"Bilan 2021 – page {n}", f"Fiche action n°{fiche}", prose(n, 0), prose(n, 1), prose(n, 2)])
    doc = pdf_doc(pages)
    mark_furniture(doc)
    assert flagged(doc) == [f"Bilan 2021 – page {n}" for n in range(1, 7)]
