"""Section tree: numbered headings that fit a numbering sequence, annex segments, section look-ups."""

from __future__ import annotations

import pytest

from calpae.extract.structure.headings import heading_candidate
from calpae.extract.structure.sections import best_chain, build_sections, section_at, step_cost
from calpae.models import BBox, Cell, Document, Line, Page, Table, Word


def text_doc(text: str, tables: list[Table] | None = None) -> Document:
    lines = [Line(text=t, page=1, line_no=i) for i, t in enumerate(text.split("\n"), start=1)]
    return Document(
        id="t", source="t.md", sha256="0", kind="text", pages=[Page(number=1, lines=lines)], tables=tables or []
    )


def pdf_doc(pages: list[list[str]]) -> Document:
    out = []
    for n, texts in enumerate(pages, start=1):
        lines = [
            Line(text=t, page=n, bbox=BBox(x0=50, top=60 + 14 * i, x1=400, bottom=69 + 14 * i))
            for i, t in enumerate(texts)
        ]
        out.append(Page(number=n, width=600, height=800, lines=lines))
    return Document(id="p", source="p.pdf", sha256="0", kind="pdf", pages=out)


def numbers(doc: Document) -> list[str]:
    return [s.number for s in doc.sections]


# --- the numbering rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prev, cur, cost",
    [
        ((), (1,), 0.0),
        ((1,), (1, 1), 0.0),  # first child
        ((1, 1), (1, 2), 0.0),  # next sibling
        ((1, 2, 9), (1, 3), 0.0),  # sibling of the parent
        ((1, 5, 9), (2,), 0.0),  # sibling of an ancestor
        ((5,), (6, 1), pytest.approx(0.6)),  # "6." never printed
        ((1, 2), (1, 2), None),  # a repeat
        ((1, 3), (1, 2), None),  # backwards
        ((1, 2, 7), (3, 1, 1), None),  # a jump
        ((1, 2), (1, 4), None),  # a gap
    ],
)
def test_step_cost(prev, cur, cost):
    assert step_cost(prev, cur) == cost


def test_best_chain_drops_repeats_and_out_of_sequence_numbers():
    items = [(1,), (1, 1), (1,), (1, 1), (1, 1, 1), (2, 1, 1), (2, 1, 2), (1, 1, 2), (1, 2), (2,), (2, 1)]
    chain = best_chain([(n, 1.0) for n in items])
    assert [items[i] for i in chain] == [(1,), (1, 1), (1, 1, 1), (1, 1, 2), (1, 2), (2,), (2, 1)]
    assert chain[:2] == [0, 1]  # the first occurrence of a repeated heading


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1. Orientations générales", (1,)),
        ("1.1.5.1. Budget prévu au contrat", (1, 1, 5, 1)),
        ("2.3 Suivi des publics", (2, 3)),
        ("### **3.2. Moyens humains**", (3, 2)),
        ("4 Garantie de ressources", (4,)),
        ("ARTICLE 2 – ENGAGEMENTS DES PARTIES", (2,)),
        ("1. de prévoir une enveloppe dédiée aux familles", None),  # list item in prose
        ("2.1.1. Couverture\tTaux de couverture\t80 %", None),  # tab-separated table row
        ("1.002.884,00 €", None),
        ("2019 Bilan de l'année", None),
        ("12.03.2020 Réunion du comité", None),
        ("1.5 M€ pour le fonds", None),
        ("3.1 Orientation 133 700 €", None),
        ("1.2 Public visé ........ 4", None),  # table of contents
    ],
)
def test_heading_candidates(text, expected):
    c = heading_candidate(Line(text=text), 0)
    assert (c.numbers if c else None) == expected


def test_words_far_apart_make_a_table_row():
    words = [
        Word(text=t, bbox=BBox(x0=x, top=0, x1=x + 30, bottom=9))
        for t, x in [("1.2.", 50), ("Maillage", 82), ("Taux", 260), ("80%", 400)]
    ]
    assert heading_candidate(Line(text="1.2. Maillage Taux 80%", words=words), 0) is None
    close = [Word(text=w.text, bbox=BBox(x0=50 + 34 * i, top=0, x1=80 + 34 * i, bottom=9)) for i, w in enumerate(words)]
    assert heading_candidate(Line(text="1.2. Maillage Taux 80%", words=close), 0) is not None


# --- text exports ----------------------------------------------------------------------------------

MARKDOWN = """## **1. Contexte local**

Un texte.

### 1.1 Le territoire

1. de renforcer les équipes de terrain ;
2. de former les agents.

#### **1.1.1. Les publics**

2.1.1. Couverture\tTaux\t80 %

1.1.2 Les partenaires

1.002.884,00 €

## 2. Les actions

### 2.1. Première action – logement
"""


def test_markdown_headings_tree():
    doc = text_doc(MARKDOWN)
    build_sections(doc)
    assert numbers(doc) == ["1", "1.1", "1.1.1", "1.1.2", "2", "2.1"]
    by = {s.number: s for s in doc.sections}
    assert by["1"].title == "Contexte local" and by["1"].line_no == 1 and by["1"].level == 1
    assert by["1.1.1"].parent == "1.1" and by["1.1.1"].level == 3
    assert by["2.1"].parent == "2"
    assert by["2.1"].title == "Première action – logement"


def test_table_cell_number_out_of_sequence_is_not_a_heading():
    text = "\n".join(
        [
            "1. Mesures",
            "1.1. Jeunes",
            "1.2. Accueil",
            "Texte.",
            "2.1.1. Maillage et réseau",
            "2.1.2. Suivi des structures",  # cells of an indicator table
            "1.2.1. Bilan",
            "1.3. Référent",
            "2. Autres mesures",
            "2.1. Autonomie",
            "2.1.1. Description",
        ]
    )
    doc = text_doc(text)
    build_sections(doc)
    assert numbers(doc) == ["1", "1.1", "1.2", "1.2.1", "1.3", "2", "2.1", "2.1.1"]
    assert {s.number: s.line_no for s in doc.sections}["2.1.1"] == 11


def test_in_table_lines_are_never_headings():
    doc = text_doc("1. Budget\nTexte.\n1.1. Moyens\n1.2. Postes")
    doc.pages[0].lines[2].in_table = True  # fits the sequence, but the reader put it in a table
    build_sections(doc)
    assert numbers(doc) == ["1"]


def test_tables_and_section_at_in_text():
    doc = text_doc(
        "1. Un\nA\n1.1. Deux\nB\nC\n2. Trois\nD",
        tables=[
            Table(id="t-t1", source="tsv", line_start=4),
            Table(id="t-t2", source="tsv", line_start=7),
            Table(id="t-t3", source="tsv", cells=[Cell(row=0, col=0, text="x", line_no=2)]),
        ],
    )
    build_sections(doc)
    assert [t.section for t in doc.tables] == ["1.1", "2", "1"]
    assert section_at(doc, 1, 1) == "1" and section_at(doc, 1, 3) == "1.1" and section_at(doc, 1, 5) == "1.1"
    assert section_at(doc, None, 6) == "2"
    assert text_doc("Rien.").sections == [] and section_at(text_doc("Rien."), 1, 1) is None


# --- PDFs: repeated page-top headings, geometry ----------------------------------------------------


def test_pdf_repeated_heading_kept_once_and_tables_placed_by_position():
    pages = [
        ["1. Insertion", "1.1. Orientation des allocataires", "Texte un.", "Texte deux."],
        ["1.1. Orientation des allocataires", "Suite du texte.", "1.2. Accompagnement", "Encore."],
        ["1.2. Accompagnement", "Tableau ci-dessous.", "2. Jeunesse", "Fin."],
    ]
    doc = pdf_doc(pages)
    doc.tables = [
        Table(
            id="p-t1",
            source="ruled",
            pages=[2],
            cells=[Cell(row=0, col=0, text="a", page=2, bbox=BBox(x0=50, top=100, x1=90, bottom=110))],
        ),
        Table(
            id="p-t2",
            source="ruled",
            pages=[3],
            cells=[Cell(row=0, col=0, text="b", page=3, bbox=BBox(x0=50, top=75, x1=90, bottom=85))],
        ),
    ]
    build_sections(doc)
    assert [(s.number, s.page) for s in doc.sections] == [("1", 1), ("1.1", 1), ("1.2", 2), ("2", 3)]
    assert doc.sections[2].top == pytest.approx(88)
    assert [t.section for t in doc.tables] == ["1.2", "1.2"]
    assert section_at(doc, 2, None, top=70) == "1.1"  # above the 1.2 heading on page 2
    assert section_at(doc, 3, None, top=200) == "2"
    assert section_at(doc, 2, None) == "1.1"  # no position: the start of the page


def test_pdf_heading_wrapped_over_two_lines():
    doc = pdf_doc([["1.1. Prévenir les ruptures de parcours pour", "les jeunes majeurs", "Le Département agit."]])
    build_sections(doc)
    assert doc.sections[0].title == "Prévenir les ruptures de parcours pour les jeunes majeurs"


def test_table_of_contents_entries_give_way_to_the_real_headings():
    doc = pdf_doc(
        [
            ["Sommaire", "1. Préambule 3", "1.1. Objet 3", "2. Diagnostic 5"],
            ["Couverture."],
            ["1. Préambule", "Texte.", "1.1. Objet", "Texte."],
            ["2. Diagnostic", "Texte."],
        ]
    )
    build_sections(doc)
    assert [(s.number, s.page) for s in doc.sections] == [("1", 3), ("1.1", 3), ("2", 4)]


# --- annexes and articles ----------------------------------------------------------------------------

ANNEXES = """Liste des annexes
Annexe 3 : Maraudes
Annexe 6 : Modèle de rapport
1. Objet de la note
2. Calendrier
## **ANNEXE 1 : MESURES SOCLES**
1. Délais d'orientation
1.1. Nouveaux entrants
2. Garantie d'activité
ANNEXE 1 BIS : ACCOMPAGNEMENT GLOBAL
1. Montée en charge
ANNEXE 2 – MOBILITÉ
1. Enjeux
1.1. Contexte
1.2. Publics
ANNEXE 8 : MODELE DE CONVENTION
ARTICLE 1 – OBJET
ARTICLE 2 – ENGAGEMENTS
2.1. Engagements de l'État
Annexe A – Tableau des engagements
1. Premier engagement
Annexe B – Fiches
ANNEXE 9 - INDICATEURS
1. Indicateurs enfance
"""


def test_annexes_restart_numbering():
    doc = text_doc(ANNEXES)
    build_sections(doc)
    assert numbers(doc) == [
        "1",
        "2",
        "annexe-1",
        "annexe-1/1",
        "annexe-1/1.1",
        "annexe-1/2",
        "annexe-1-bis",
        "annexe-1-bis/1",
        "annexe-2",
        "annexe-2/1",
        "annexe-2/1.1",
        "annexe-2/1.2",
        "annexe-8",
        "annexe-8/1",
        "annexe-8/2",
        "annexe-8/2.1",
        "annexe-8/annexe-a",
        "annexe-8/annexe-a/1",
        "annexe-8/annexe-b",
        "annexe-9",
        "annexe-9/1",
    ]
    by = {s.number: s for s in doc.sections}
    assert by["annexe-1"].title == "MESURES SOCLES" and by["annexe-1"].level == 1 and by["annexe-1"].parent is None
    assert by["annexe-2/1.2"].parent == "annexe-2/1" and by["annexe-2/1.2"].level == 3
    assert by["annexe-2/1"].parent == "annexe-2"
    assert by["annexe-8/annexe-a"].parent == "annexe-8" and by["annexe-8/annexe-a"].level == 2
    assert by["annexe-8/2.1"].parent == "annexe-8/2"
    assert section_at(doc, 1, by["annexe-2/1.2"].line_no) == "annexe-2/1.2"
    assert section_at(doc, 1, by["annexe-8"].line_no) == "annexe-8"


# --- real documents ------------------------------------------------------------------------------------


def _check_aude_tree(doc: Document) -> None:
    nums = numbers(doc)
    assert len(nums) == len(set(nums)) == 122  # hand-counted numbered headings of the report
    by = {s.number: s for s in doc.sections}
    assert by["1.1"].title.startswith("Prévenir toute « sortie sèche »") and by["1.1"].parent == "1"
    assert by["1.1.5.1"].title.startswith("Budget prévisionnel")
    # "2.1.1"/"2.1.2" also label indicator-table rows under 1.2.7; the heading is the later one
    order = {n: i for i, n in enumerate(nums)}
    assert order["1.2.7"] + 1 == order["1.2.8"]
    assert order["2.1"] < order["2.1.1"] and by["2.1.1"].title.startswith("Description")
    assert [n for n in nums if "." not in n] == ["1", "2"]
    budget = [t for t in doc.tables if t.grid() and any("Prévisionnel 2019" in c for c in t.grid()[0])]
    assert len(budget) >= 10 and all(
        t.section and t.section.endswith(".5.1") or t.section.endswith(".5.2") for t in budget
    )


def test_aude_text_seed_sections(seed):
    from _read_cache import read_once

    _check_aude_tree(read_once(seed("aude_2019")))


def test_aude_pdf_sections(corpus_pdf):
    from _read_cache import read_once

    doc = read_once(corpus_pdf("aude_2019"))
    _check_aude_tree(doc)
    assert all(s.page for s in doc.sections)
    assert {s.number: s.page for s in doc.sections}["1.1"] == 2


def test_lot_et_garonne_sections(seed):
    from _read_cache import read_once

    doc = read_once(seed("lot_et_garonne_2020"))
    nums = numbers(doc)
    body = [n for n in nums if not n.startswith("annexe")]
    assert body == [
        "1",
        "1.1",
        "2",
        "2.1",
        "2.2",
        "3",
        "3.1",
        "4",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5",
        "5",
        "6.1",
        "6.2",
        "6.3",
        "6.4",
    ]
    assert {"annexe-2", "annexe-2/1", "annexe-2/4", "annexe-3"} <= set(nums)
    assert {s.number: s.parent for s in doc.sections}["6.1"] is None  # "6." is never printed


def test_instruction_annexes(seed):
    from _read_cache import read_once

    doc = read_once(seed("instruction_2022"))
    nums = set(numbers(doc))
    assert {
        "1",
        "2",
        "3",
        "annexe-1",
        "annexe-1-bis",
        "annexe-1-ter",
        "annexe-7",
        "annexe-9",
        "annexe-10",
        "annexe-11",
    } <= nums
    assert {f"annexe-7/{k}" for k in range(1, 10)} <= nums
    assert {"annexe-1/1", "annexe-2/1", "annexe-7/1"} <= nums  # the same "1." under three annexes
    assert "annexe-8/2.1" in nums and "annexe-8/annexe-a" in nums
    annex_order = [n for n in numbers(doc) if n.count("annexe") == 1 and "/" not in n]
    assert annex_order[:3] == ["annexe-1", "annexe-1-bis", "annexe-1-ter"]
