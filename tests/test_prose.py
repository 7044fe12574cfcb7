"""Prose facts (issue 16): subject, year, kind, scope, money as budget facts, amounts in words, national documents,
département names, prose checks, and the scores on the hand-written answer keys and on the generator's prose family.

The short texts are written for these tests; the seed documents are read from ../shared (skipped where absent)."""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from calpae.models import Document, Line, Page

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "tests" / "expectations" / "prose"
sys.path.insert(0, str(ROOT / "benchmarks"))


def doc_of(*lines: str, year: int | None = 2021, code: str = "09", doc_type: str = "rapport_execution") -> Document:
    doc = Document(id="f" * 16, source="made.txt", sha256="0" * 64, kind="text", year=year, doc_type=doc_type)
    doc.departement_code = code
    doc.pages = [Page(number=1, lines=[Line(text=t, page=1, line_no=n) for n, t in enumerate(lines, start=1)])]
    doc.page_count = 1
    return doc


def facts(*lines: str, **kw):
    from calpae.indicators.prose import analyse_prose

    return analyse_prose(doc_of(*lines, **kw)).figures


def by_value(figs) -> dict:
    return {f.figure.value: f for f in figs}


# --- figures: what is a quantity and what is not ------------------------------------------------------------------


def test_amounts_in_words_scales_and_broken_spacing():
    from calpae.indicators.prose_numbers import find_figures

    got = [
        (f.value, f.unit, f.note)
        for f in find_figures(
            "Le plan mobilise 7,7 millions d'euros, puis 1,8 millions d'euros, soit 8,5 Mds € au total ; "
            "le budget prévoit 29 millions et le mandat 904. 724, 25 euros."
        )
    ]
    assert got == [
        (Decimal("7700000"), "EUR", None),
        (Decimal("1800000"), "EUR", None),
        (Decimal("8500000000"), "EUR", None),
        (Decimal("29000000"), "EUR", None),
        (Decimal("904724.25"), "EUR", "malformed_number"),
    ]
    (people,) = find_figures("La région compte 29 millions d'habitants.")
    assert (people.value, people.unit) == (Decimal("29000000"), "count")  # no money word: not euros


def test_numbers_and_shares_written_in_words():
    from calpae.indicators.prose_numbers import find_figures

    got = [
        (f.value, f.unit)
        for f in find_figures(
            "Vingt-deux permanences, une quinzaine d'associations, la moitié des familles, "
            "une famille sur quatre et deux fois trois places."
        )
    ]
    assert got == [
        (Decimal(22), "count"),
        (Decimal(15), "count"),
        (Decimal(50), "percent"),
        (Decimal(25), "percent"),
        (Decimal(6), "count"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Le seuil retenu est 60 % du revenu médian.",
        "Chaque habitant doit vivre à moins de 30 minutes d'un lieu d'accueil.",
        "Le dispositif vise les jeunes de 16-18 ans.",
        "La réunion a eu lieu le 12 mars 2021.",
        "Les jeunes nés en 2003 sont concernés.",
        "Voir l'annexe 9 et l'article L. 262-2 du code.",
        "Les travailleurs sociaux formés3 au réseau sont nombreux.",
        "Ce total de 152 reste conforme.",
        "Les jeunes âgés de 19 ans sont accueillis.",
        "La plateforme Job 47 est ouverte de 9h30 à 12h.",
        "Le groupe réunit de 6 à 8 personnes.",
        "Le plan s'organise en trois axes.",
        "Tout nouvel entrant est orienté dans un délai de 30 jours.",
    ],
)
def test_not_facts(sentence):
    assert facts(sentence) == []


# --- subject, year, kind, scope -----------------------------------------------------------------------------------


def test_enumeration_borrows_the_counted_noun_and_labels_are_noun_phrases():
    from calpae.indicators.prose_subject import is_fragment

    figs = facts("Bilan : sur 30 sorties : 20 jeunes en formation, 6 en CDI et 4 sans solution.")
    assert [(f.figure.value, f.label) for f in figs] == [
        (Decimal(30), "nombre de sorties"),
        (Decimal(20), "jeunes en formation"),
        (Decimal(6), "jeunes en CDI"),
        (Decimal(4), "jeunes sans solution"),
    ]
    assert not any(is_fragment(f.label) for f in figs)


def test_comparison_takes_its_own_year():
    figs = by_value(facts("Les sorties positives atteignent 82,9 % de la cohorte (contre 73,2 % en 2020).", year=2021))
    assert (figs[Decimal("82.9")].year, figs[Decimal("73.2")].year) == (2021, 2020)
    assert {f.kind for f in figs.values()} == {"actual"}


def test_a_target_cue_governs_only_its_figure():
    figs = by_value(facts("Le taux de couverture atteint 97 % en 2021, au-delà de l'objectif de 95 %."))
    assert (figs[Decimal(97)].kind, figs[Decimal(95)].kind) == ("actual", "target")


def test_change_baseline_and_forecast():
    (change,) = facts("En 2021, le Département a étendu son offre d'accueil familial (+ 31 places).")
    assert (change.figure.value, change.kind) == (Decimal(31), "change")
    figs = by_value(facts("Le nombre de jeunes aidés dépasse les prévisions (52 au lieu de 40)."))
    assert (figs[Decimal(52)].kind, figs[Decimal(40)].kind) == ("actual", "target")
    figs = by_value(facts("Le taux de contrats signés est de 64 % en 2019, contre 51 % en 2018.", year=2019))
    assert (figs[Decimal(64)].kind, figs[Decimal(51)].kind, figs[Decimal(51)].year) == ("actual", "baseline", 2018)
    (later,) = facts("Le nombre de jeunes accueillis est estimé à 420 pour 2022.", year=2021)
    assert (later.kind, later.year) == ("target", 2022)


def test_year_of_a_list_introduced_by_a_dated_line():
    figs = facts("Durant l'année 2020 :", "- 214 ménages ont été reçus", "- 35 familles relogées", year=2021)
    assert [(f.figure.value, f.year) for f in figs] == [(Decimal(214), 2020), (Decimal(35), 2020)]


def test_scope_of_a_town_the_nation_and_another_region():
    local, national, region = (
        facts(text)[0]
        for text in (
            "À Saint-Girons, 45 ménages ont été reçus en 2021.",
            "Au niveau national, 70 % des jeunes sortant de l'aide sociale à l'enfance n'ont aucun diplôme.",
            "Le taux de pauvreté atteint 15 % en région Occitanie.",
        )
    )
    assert (local.scope, national.scope, region.scope) == ("local", "national", "other_territory")


# --- money in prose -----------------------------------------------------------------------------------------------


def test_money_with_part_and_stage_is_a_budget_fact():
    from calpae.indicators.prose import analyse_prose

    doc = doc_of(
        "La participation de l'État s'est élevée à 1,02 M€ en 2021 pour la mobilité.",
        "Le financement départemental attribué en 2021 à l'association est de 67.169 €.",
        "Les crédits non consommés en 2021, soit 42 000 €, seront reportés sur 2022.",
        "Une aide forfaitaire de 450 € par jeune est versée.",
        "Le financement attribué est de 3.000 €.",
    )
    analysis = analyse_prose(doc)
    got = [(a.amount, a.kind, a.part, a.stage, a.year) for a in analysis.amounts]
    assert got == [
        (Decimal("1020000"), "budget", "etat", "allocated", 2021),
        (Decimal("67169"), "budget", "departement", "allocated", 2021),
        (Decimal("42000"), "budget", "total", "to_carry_over", 2021),
        (Decimal("450"), "actual", None, None, 2021),
        (Decimal("3000"), "actual", None, "allocated", 2021),
    ]
    lines = analysis.budget_lines
    assert [(b.amount, b.part, b.stage, b.origin, b.role) for b in lines] == [
        (Decimal("1020000"), "etat", "allocated", "prose", "etat"),
        (Decimal("67169"), "departement", "allocated", "prose", "departement"),
        (Decimal("42000"), "total", "to_carry_over", "prose", "report"),
    ]
    assert all(b.level for b in lines) and not analysis.indicator_values


# --- documents and names ------------------------------------------------------------------------------------------


def test_the_states_instruction_yields_no_departement_fact():
    from calpae.pipeline import analyse_document

    doc = doc_of(
        "INSTRUCTION N° DGCS/SD1B/2022/19 du 19 janvier 2022",
        "Mesdames et Messieurs les préfets de région,",
        "Le taux de couverture doit atteindre 100 % et 1 200 conseillers seront formés pour 25 M€.",
        year=None,
        code=None,
        doc_type="other",
    )
    ext = analyse_document(doc)
    assert ext.document.doc_type == "instruction" and ext.document.departement_code is None
    assert (ext.budget_lines, ext.indicator_values, ext.amounts) == ([], [], [])
    assert [f.check for f in ext.findings] == ["national_document"]


def test_departements_named_by_their_collectivite_or_demonym():
    from calpae.classify import classify_document
    from calpae.referential import load_referential

    ref = load_referential()
    assert ref.departement_codes("Le président de la Collectivité européenne d'Alsace") == ["67", "68"]
    assert ref.departement_codes("Les Réunionnais les plus modestes") == ["974"]
    assert ref.departement_codes("la Collectivité de Corse") == ["2A", "2B"]
    assert ref.departement_codes("un lot de 12 dossiers") == []
    doc = doc_of("COLLECTIVITÉ EUROPÉENNE D'ALSACE", "Rapport d'exécution 2021", year=None, code=None, doc_type="other")
    classify_document(doc)
    assert (doc.departement_code, doc.departement_name) == ("67", "COLLECTIVITÉ EUROPÉENNE D'ALSACE")


# --- prose checks -------------------------------------------------------------------------------------------------


def _checks(*lines: str):
    from calpae.audit.prose_checks import prose_check_findings
    from calpae.indicators.prose import analyse_prose

    doc = doc_of(*lines)
    return [(f.check, f.provenance.line, f.declared, f.computed) for f in prose_check_findings(doc, analyse_prose(doc))]


def test_prose_checks_report_both_places():
    got = _checks(
        "Le Département emploie 4 médiateurs numériques dans ses services.",
        "",
        "Les 3 juristes du service sont mobilisés.",
        "",
        "Les maisons de services comptent 6 médiateurs numériques.",
        "",
        "Le virement de 904. 724, 25 euros est parvenu.",
        "",
        "En décembre 2021, 5 210 foyers sont accompagnés, contre 4 100 en décembre 2017, "
        "soit une augmentation de 1 100 foyers.",
        "Sur 40 jeunes sortis : 21 en emploi, 12 en formation et 5 sans solution.",
    )
    assert got == [
        ("malformed_number", 7, None, Decimal("904724.25")),
        ("prose_difference", 9, Decimal(1100), Decimal(1110)),
        ("prose_sum", 10, Decimal(40), Decimal(38)),
        ("prose_count_twice", 5, Decimal(6), Decimal(4)),
    ]


def test_prose_checks_stay_quiet_when_the_arithmetic_holds():
    assert (
        _checks(
            "En 2021, 5 210 foyers sont accompagnés, contre 4 100 en 2017, "
            "soit une augmentation de 1 110 foyers (+27 %).",
            "Sur 38 jeunes sortis : 21 en emploi, 12 en formation et 5 sans solution.",
        )
        == []
    )


# --- dataset: only facts ------------------------------------------------------------------------------------------


def test_only_departement_facts_of_the_prose_enter_the_dataset(tmp_path):
    from calpae.models import Extraction, IndicatorValue
    from calpae.reconcile import export_dataset
    from calpae.reconcile.run import reconcile
    from calpae.store import RunStore
    from calpae.store.db import connect

    doc = doc_of("x")

    def value(v: str, scope: str, kind: str = "actual") -> IndicatorValue:
        return IndicatorValue(
            provenance=doc.provenance(page=1, line=1, bbox=None, raw="x"),
            departement_code="09",
            indicator_id="orientation.nouveaux_entrants",
            indicator_label="nouveaux entrants",
            year=2021,
            value_kind=kind,
            value=Decimal(v),
            unit="count",
            origin="prose",
            scope=scope,
        )

    values = [
        value("120", "departement"),
        value("9000", "national"),
        value("15", "local"),
        value("7", "departement", "change"),
    ]
    with RunStore(tmp_path, write_json=False) as store:
        store.add(Extraction(document=doc, indicator_values=values))
    con = connect(tmp_path / "calpae.duckdb")
    reconcile(con)
    export_dataset(con, tmp_path / "dataset")
    con.close()
    with open(tmp_path / "dataset" / "dataset_long.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    got = [(r["indicator_id"], r["year"], r["value_kind"], r["value"], r["unit"]) for r in rows]
    assert got == [("orientation.nouveaux_entrants", "2021", "actual", "120", "count")]


# --- scores: the answer keys and the generator's prose family -----------------------------------------------------


@pytest.fixture(scope="module")
def key_scores(seed):
    from prose_score import score_keys

    seed("aude_2019")  # skips, visibly, where ../shared is absent
    return {s.name: s for s in score_keys(KEYS, ROOT.parent / "shared" / "seeds")}


def test_answer_keys_found_and_no_fragment_label(key_scores):
    from prose_score import total

    t = total(list(key_scores.values()))
    assert t.expected == 539
    assert t.found / t.expected >= 0.95
    assert t.fragments == 0


def test_the_two_pdi_inconsistencies_are_findings(seed):
    from calpae.pipeline import extract_document

    ext = extract_document(seed("lot_et_garonne_pdi"))
    prose = sorted(
        (f.check, f.provenance.line, f.declared, f.computed) for f in ext.findings if f.check.startswith("prose_")
    )
    assert prose == [
        ("prose_count_twice", 882, Decimal(3), Decimal(4)),
        ("prose_difference", 152, Decimal(1885), Decimal(1888)),
    ]


def test_the_instruction_seed_yields_no_departement_fact(seed):
    from calpae.pipeline import extract_document

    ext = extract_document(seed("instruction_2022"))
    assert ext.document.doc_type == "instruction"
    assert (len(ext.budget_lines), len(ext.indicator_values), len(ext.amounts)) == (0, 0, 0)


def test_prose_family_of_the_generator(tmp_path):
    from prose_score import f1, score_family, total

    from corpora.prose import build_prose_corpus

    written = build_prose_corpus(tmp_path, 2, [2020, 2021], seed=91)
    assert len(written) == 4
    truth = json.loads(sorted(tmp_path.glob("*.truth.json"))[0].read_text(encoding="utf-8"))
    assert truth["facts"] and {"line", "value", "unit", "year", "kind", "scope"} <= set(truth["facts"][0])
    t = total(score_family(tmp_path))
    assert f1(t) >= 0.95
    assert t.year_kind_ok / t.found >= 0.95
    assert t.defects_found == t.defects_planted and t.false_findings == 0
