"""The national referential: data integrity, département finding, measure/indicator/column matching."""

from __future__ import annotations

from collections import Counter

import pytest

from calpae.referential import find_departement, load_referential, match_indicator, match_measure

REF = load_referential()


def test_ids_are_unique_and_links_resolve():
    raw_ids = [i.id for i in REF.indicators.values()]
    assert len(raw_ids) == len(set(raw_ids)) >= 50
    for ind in REF.indicators.values():
        assert ind.measure_id in REF.measures, ind.id
        assert ind.parent is None or ind.parent in REF.indicators, ind.id
        assert all(s in REF.indicators for s in ind.superseded_by), ind.id
        if ind.target and ind.target.of:
            assert ind.target.of in REF.indicators, ind.id
    for code in REF.chorus.values():
        assert code.measure_id is None or code.measure_id in REF.measures
    assert {m.kind for m in REF.measures.values()} <= {"socle", "initiative", "other"}


def test_every_name_and_alias_resolves_to_exactly_one_indicator():
    for ind in REF.indicators.values():
        for text in (ind.name, *ind.aliases):
            assert REF.resolve_alias(text) == {ind.id}, text
            assert match_indicator(text) == (ind.id, 100.0), text


def test_every_measure_alias_resolves_to_its_measure():
    for m in REF.measures.values():
        for text in (m.name, *m.aliases):
            got = match_measure(text)
            assert got is not None and got[0] == m.id, (text, got)


def test_101_departements_with_unique_codes_and_regions():
    deps = REF.departements
    assert len(deps) == 101
    assert "20" not in deps and {"2A", "2B", "976"} <= set(deps) and "975" not in deps
    assert len({d.name for d in deps.values()}) == 101
    assert Counter(d.region for d in deps.values())["Occitanie"] == 13
    assert REF.departement_by_code("011").name == "Aude"
    assert REF.departement_by_code(1).code == "01"
    assert REF.departement_by_code("02a").code == "2A"
    assert REF.departement_by_code("99") is None


@pytest.mark.parametrize(
    "text,code",
    [
        ("Département de l'Aude", "11"),
        ("Département de l’Aude", "11"),
        ("Lot-et-Garonne", "47"),
        ("LOT ET GARONNE", "47"),
        ("le CD 47 et ses partenaires", "47"),
        ("Conseil départemental du Lot", "46"),
        ("Département du Lot", "46"),
        ("Conseil Departemental du Lot-et-Garonne", "47"),
        ("Tarn-et-Garonne", "82"),
        ("la Haute Garonne", "31"),
        ("Cote d'Or", "21"),
        ("Val-d’Oise", "95"),
        ("Département de la Réunion", "974"),
        ("CD 2A", "2A"),
        ("Seine-Saint-Denis", "93"),
    ],
)
def test_find_departement_variants(text, code):
    found = find_departement(text)
    assert found is not None and found[0] == code, (text, found)


def test_find_departement_prefers_the_institution_and_ignores_common_words():
    assert find_departement("un lot de 12 dossiers, la somme de 5 €") is None
    weak = REF.departement_mentions("La Manche et la Somme")
    assert {m.code for m in weak} == {"50", "80"} and all(m.strength < 1 for m in weak)
    text = "Le Conseil départemental du Lot travaille avec la Gironde et la Dordogne."
    assert find_departement(text) == ("46", "Lot")
    assert find_departement("Convention avec le Département de Lot-et-Garonne (Agen)")[0] == "47"
    # a cover's labelled field names the issuer as strongly as 'Département de la Savoie' does
    [field] = [
        m for m in REF.departement_mentions("Département : Savoie – Région Auvergne-Rhône-Alpes") if m.code == "73"
    ]
    assert field.strength > 1


@pytest.mark.parametrize(
    "label,measure",
    [
        (
            "1.2. Refonder le travail social pour toutes les familles – "
            "Premier accueil social inconditionnel de proximité",
            "socle.premier_accueil",
        ),
        ("1.3. Refonder le travail social pour toutes les familles – Référent de parcours", "socle.referent_parcours"),
        ("Insertion des allocataires du revenu de solidarité active – Garantie d'activité", "socle.garantie_activite"),
        (
            "1.4. Insertion des allocataires du RSA – Orientation et parcours des allocataires "
            "du revenu de solidarité active",
            "socle.insertion_orientation",
        ),
        ("Prévention des sorties seches de l'ASE", "socle.ase_sorties"),
        ("Formation travail social", "socle.formation_travail_social"),
        ("0304 50 19 19 06 - Soutien à des actions de prévention spécialisée", "prevention_specialisee"),
        ("Plateformes de mobilité", "mobilite"),
    ],
)
def test_match_measure(label, measure):
    got = match_measure(label)
    assert got is not None and got[0] == measure, (label, got)


def test_match_measure_uses_context_and_refuses_unrelated_labels():
    assert match_measure("Rapprocher l'offre et la demande d'emploi") is None
    assert match_measure("Achat de fournitures de bureau") is None
    got = match_measure("Dispositif PAAJM pour les jeunes majeurs", context="1. Prévention sortie sèche de l'ASE")
    assert got is not None and got[0] == "socle.ase_sorties"


@pytest.mark.parametrize(
    "label,indicator",
    [
        ("Nombre total de 1er rendez-vous d'accompagnement fixé", "orientation.rdv_total"),
        ("Nombre de 1er rendez-vous fixés dans le délai de 2 semaines", "orientation.rdv_2_semaines"),
        ("Nombre de nouveaux entrants orientés en moins d'un mois", "orientation.orientes_1_mois"),
        ("2.1.1. Nombre de nouveaux entrants :", "orientation.nouveaux_entrants"),
        ("Délai moyen du démarrage de l'accompagnement global (source : Pôle emploi)", "garantie.delai_demarrage_ag"),
        (
            "Nombre de jeunes ayant pu choisir leur personne lien au moment de la contractualisation",
            "ase.personne_lien",
        ),
        ("Nb de jeunes avec un logement stable", "ase.logement_stable"),
    ],
)
def test_match_indicator_variants(label, indicator):
    got = match_indicator(label)
    assert got is not None and got[0] == indicator, (label, got)


def test_match_indicator_never_forced():
    assert match_indicator("Nombre de repas servis à la cantine") is None
    assert match_indicator("Numérique") is None  # a theme alone is ambiguous between two parents
    assert REF.match_indicator("Numérique", parent_id="formation.cnfpt") == ("formation.cnfpt.numerique", 100.0)
    assert match_indicator("") is None


def test_targets_and_definition_changes():
    orient = REF.indicators["orientation.orientes_1_mois"]
    assert orient.target and orient.target.value == "100" and orient.target.delay_days == 30
    assert orient.target.of == "orientation.nouveaux_entrants"
    changes = REF.definition_changes("garantie.orientes_gad", 2019, 2022)
    assert {c.year for c in changes} == {2019, 2022}
    assert REF.definition_changes("garantie.orientes_gad", 2020, 2021) == []
    assert REF.definition_changes("premier_accueil.personnes_recues_cd", 2019, 2022)
    assert REF.indicators["premier_accueil.personnes_accueillies"].superseded_by


def test_financial_columns_match_whatever_the_year():
    assert REF.match_financial_column("A Crédits Etats versés en 2021")[0] == "exec.etat_verse"
    assert REF.match_financial_column("Crédits CD affectés en 2023")[0] == "exec.cd_affecte"
    got = REF.match_financial_column("F Budget global de l'action prévu en 2022 (A+B+C+D+E)", table="previsionnel")
    assert got[0] == "prev.budget_global"
    assert REF.financial_columns["exec.a_reporter_etat"].role == "non_consomme"
    assert REF.match_financial_column("Couleur préférée") is None


def test_chorus_codes_map_to_measures():
    assert REF.measure_by_chorus("0304 50 19 19 01 - Accompagnement") == "socle.ase_sorties"
    assert REF.measure_by_chorus("ACT 030450191903") == "socle.premier_accueil"
    assert REF.measure_by_chorus("no code here") is None


def test_instruction_annexes_7_and_9_are_all_in_the_referential(seed):
    from calpae.referential.build.seed_names import annexe7_names, annexe9_rows

    text = seed("instruction_2022").read_text(encoding="utf-8")
    names7 = annexe7_names(text)
    rows9 = annexe9_rows(text)
    assert len(names7) >= 40 and len(rows9) >= 50
    for name in names7:
        assert match_indicator(name) is not None, name
    parent = None
    for _, name in rows9:
        got = match_indicator(name)
        if got is None:  # a bare theme row: resolved under the training indicator just above it
            got = REF.match_indicator(name, parent_id=parent)
            assert got is not None and REF.indicators[got[0]].parent == parent, name
        else:
            parent = got[0] if "thématique" in name else None
    themes = [ind for _, ind in rows9 if match_indicator(ind) is None]
    assert len(themes) == 12  # the six themes under each of the two training indicators


def test_aude_2019_indicator_rows_map(seed):
    """Every indicator row of the five socle tables of the 2019 Aude report maps to a referential indicator."""
    text = seed("aude_2019").read_text(encoding="utf-8")
    labels = []
    for line in text.splitlines():
        cells = [c.replace("<i>", "").replace("</i>", "").strip() for c in line.split("\t")]
        if len(cells) >= 4 and cells[1].startswith(("Nombre", "Taux", "Délai")):
            labels.append(cells[1])
    assert len(labels) >= 20
    for label in labels:
        assert match_indicator(label) is not None, label
