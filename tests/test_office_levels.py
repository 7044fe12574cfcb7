"""Levels, measures and actions of budget rows on office-made documents (tests/fixtures/office): the annexe-10 recap
whose row labels span theme, Chorus, fiche and title cells, the group sub-total of the socle measures, and wrapped
labels a reader split across two rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from _read_cache import read_once

from calpae.budget import extract_budget
from calpae.budget.tables import _mend_wrapped, _own_words
from calpae.pipeline import extract_document
from calpae.reconcile.facts import Label, link

OFFICE = Path(__file__).parent / "fixtures" / "office"


def test_recap_rows_take_their_fiche_and_the_group_sub_total_its_level() -> None:
    # 082-2022: merged theme and Chorus cells beside each action; one Chorus code (0304 50 19 19 07) pays for two
    # measures, the fiche number 4.1 says which; 'Sous-total engagements de mesures socle' sums five sub-totals
    lines, _ = extract_budget(read_once(OFFICE / "082-2022-tableau_financier.pdf"))
    ids = {ln.line_id: ln for ln in lines}
    got = [
        (ln.level, ln.measure_id, ln.action, str(ln.amount), ids[ln.parent].level if ln.parent in ids else None)
        for ln in lines
        if ln.stage == "allocated" and ln.part == "etat"
    ]
    assert got == [
        ("action", "socle.ase_sorties", "1.1 Allocations individuelles jeunes majeurs", "190000", "measure"),
        ("action", "socle.ase_sorties", "1.2 Hébergements collectifs des jeunes majeurs", "108000", "measure"),
        ("measure", "socle.ase_sorties", "", "298000", "group"),
        (
            "action",
            "socle.premier_accueil",
            "2.1 Formation des agents d'accueil des maisons départementales des solidarités et des partenaires",
            "21500",
            "measure",
        ),
        ("measure", "socle.premier_accueil", "", "21500", "group"),
        (
            "action",
            "socle.referent_parcours",
            "3.1 Déploiement de la démarche de référent de parcours",
            "129000",
            "measure",
        ),
        ("measure", "socle.referent_parcours", "", "129000", "group"),
        (
            "action",
            "socle.insertion_orientation",
            "4.1 Adaptation du logiciel de gestion des bénéficiaires du RSA",
            "120000",
            "measure",
        ),
        ("measure", "socle.insertion_orientation", "", "120000", "group"),
        ("action", "socle.garantie_activite", "5.1 Accompagnement global avec Pôle emploi", "243000", "measure"),
        ("action", "socle.garantie_activite", "5.2 Garantie d'activité départementale", "107500", "measure"),
        ("measure", "socle.garantie_activite", "", "350500", "group"),
        ("group", None, "", "919000", "grand_total"),
        (
            "action",
            "initiative.locales",
            "8.1 Accès aux soins des personnes en situation de grande précarité dans les territoires ruraux",
            "100500",
            "measure",
        ),
        ("action", "initiative.locales", "8.2 Lutte contre la précarité énergétique", "166000", "measure"),
        ("measure", "initiative.locales", "", "266500", "grand_total"),
        ("grand_total", None, "", "1185500", None),
    ]


def test_a_wrapped_measure_label_split_across_rows_keeps_its_measure() -> None:
    # 082-2020, p. 1: '4. Insertion des allocataires du RSA –' / 'Orientation et parcours des allocataires' centred
    # across the row's height: the second line was read into the row of measure 5
    lines, _ = extract_budget(read_once(OFFICE / "082-2020-rapport_execution.pdf"))
    got = [
        (ln.level, ln.measure_id, ln.row_label, str(ln.amount))
        for ln in lines
        if ln.provenance.page == 1
        and ln.stage == "planned"
        and ln.part == "etat"
        and (ln.column_label or "").startswith("Part")
    ]
    assert got[3:5] == [
        (
            "measure",
            "socle.insertion_orientation",
            "4. Insertion des allocataires du RSA – Orientation et parcours des allocataires",
            "101500.00",
        ),
        (
            "measure",
            "socle.garantie_activite",
            "5. Insertion des allocataires du RSA – Garantie d'activité",
            "305000.00",
        ),
    ]


def test_own_words_of_a_row_spread_over_label_columns() -> None:
    assert _own_words(["Socle", "1 - Prévenir", "0304 50 19 19 01 - ASE", "1.1", "Allocations"]) == "1.1 Allocations"
    assert _own_words(["", "1 - Prévenir", "0304 50 19 19 01 - ASE", "1.1", "Allocations"]) == "1.1 Allocations"
    assert (
        _own_words(["19 10 - Initiatives locales", "8.2", "Lutte contre la précarité"])
        == "8.2 Lutte contre la précarité"
    )
    assert _own_words(["1.1 Entretien", "Frais de personnel"]) == ""  # no cell after the first opens with a number
    assert _own_words(["", "Hébergements collectifs"]) == ""


def test_an_action_numbered_differently_keeps_the_number_under_its_measure() -> None:
    labels = [
        Label("82", "socle.ase_sorties", "Hébergements collectifs des jeunes majeurs", "a"),
        Label("82", "socle.ase_sorties", "1.2 Hébergements collectifs des jeunes majeurs", "b"),
        Label("82", "socle.referent_parcours", "Outil partagé de suivi", "a"),
        Label("82", "socle.referent_parcours", "6.1 Outil partagé de suivi", "b"),
        Label("82", "socle.referent_parcours", "3.1 Outil partagé de suivi", "c"),
    ]
    canon = {lab.label: lk.canonical for lab, lk in link(labels).items()}
    assert canon["Hébergements collectifs des jeunes majeurs"] == "1.2 Hébergements collectifs des jeunes majeurs"
    assert canon["6.1 Outil partagé de suivi"] == "3.1 Outil partagé de suivi"


def test_mend_wrapped_moves_words_back_only_to_an_open_label() -> None:
    from calpae.budget.tables import Row

    rows = [
        Row("4. Insertion –", ["1"], [None], None),
        Row("Orientation et parcours 5. Insertion –", ["2"], [None], None),
        Row("Garantie d'activité 6. Engagements", ["3"], [None], None),
        Row("Ateliers 2021", ["4"], [None], None),
    ]
    _mend_wrapped(rows)
    assert [r.label for r in rows] == [
        "4. Insertion – Orientation et parcours",
        "5. Insertion – Garantie d'activité",
        "6. Engagements",
        "Ateliers 2021",
    ]


def test_a_page_of_several_chapters_keeps_each_chapters_tables_and_measure():
    """Page 5 of an office report (fresh seed 133) ends chapter 4's indicator table, then titles chapter 5 (bold
    numbered headings 5 to 5.3) over its forecast and action tables: one reading of the page's amount columns joined
    them all, so the garantie d'activité budget was lost and chapter 6 kept section 4.3. Each table now keeps its
    chapter, and the page's budget cells are the truth's."""
    import json

    pdf = OFFICE / "073-2022-rapport_execution.pdf"
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))["budget_cells"]
    lines = [b for b in extract_document(pdf).budget_lines if b.provenance.page == 5]
    got = sorted((b.measure_id, b.stage, b.part, b.amount) for b in lines)
    want = sorted((c["measure_id"], c["stage"], c["part"], Decimal(c["amount"])) for c in truth if c["page"] == 5)
    assert len(want) == 9 and got == want
    assert {b.section for b in lines} == {"5.2.1", "5.2.2"}


def test_recap_page_under_its_repeated_title_and_header_keeps_its_rows_measure() -> None:
    # 080-2019 convention (seed 41): page 3 repeats the recap's title line ('Tableau financier récapitulatif 2019 –
    # Somme') and header above action 8.1, whose theme and Chorus cells, merged and centred, stand beside its
    # 'Sous total' row; the theme cell's lines interleave with the group cell's. Its '8 -' was read into the group
    # cell's label ('Engagements à 8 - l'initiative …') until a word overflowing the gutter no longer widened the
    # group column (lead10): the theme cell now stands whole beside the 'Sous total' row
    lines, _ = extract_budget(read_once(OFFICE / "080-2019-convention.pdf"))
    got = [
        (ln.level, ln.measure_id, ln.row_label)
        for ln in lines
        if ln.provenance.page == 3 and ln.part == "etat" and ln.stage == "planned"
    ]
    assert got == [
        (
            "action",
            "initiative.locales",
            "Engagements à l'initiative du département 8.1 Lutte contre la précarité énergétique",
        ),
        ("measure", "initiative.locales", "Sous total"),
        ("grand_total", None, "TOTAUX FINANCIERS"),
    ]
