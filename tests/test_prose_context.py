"""Year, kind and scope of prose figures from where they stand (issue 16, second pass): the figure's own clause
first (tense, noun phrase, cues), then the part of the document (nature headings, list intros, the document's own
nature), years from periods, ranks, data notes and the paragraphs around, partners' actions.

Every text here is written for these tests."""

from __future__ import annotations

from decimal import Decimal

from test_prose import doc_of


def facts(*lines: str, **kw) -> dict:
    """{value: (year, kind)} of the figures of a made-up document."""
    from calpae.indicators.prose import analyse_prose

    return {f.figure.value: (f.year, f.kind) for f in analyse_prose(doc_of(*lines, **kw)).figures}


def figures(*lines: str, **kw) -> dict:
    from calpae.indicators.prose import analyse_prose

    return {f.figure.value: f for f in analyse_prose(doc_of(*lines, **kw)).figures}


# --- the figure's own clause -------------------------------------------------------------------------------------


def test_tense_of_the_figures_own_clause():
    got = facts(
        "Objectifs",
        "",
        "En 2021, 37 familles ont été relogées par le bailleur.",
        "",
        "Le projet s'est traduit par l'embauche de 4 médiatrices.",
        "",
        "La moitié des jeunes reçus n'avait jamais consulté un médecin.",
        "",
        "Chaque conseiller interviendrait sur 2 communes.",
        year=2021,
        doc_type="convention",
    )
    assert got == {
        Decimal(37): (2021, "actual"),
        Decimal(4): (2021, "actual"),
        Decimal(50): (2021, "actual"),
        Decimal(2): (2021, "target"),
    }


def test_a_set_that_exists_is_counted_as_it_is_even_in_a_plan():
    got = facts(
        "Projection 2022-2023",
        "",
        "Le réseau s'appuiera sur les 9 maisons des solidarités du département.",
        "",
        "Maintien des 3 postes actuels de médiateur.",
        "",
        "Les 4 séminaires prévus se tiendront au printemps.",
        year=2022,
        doc_type="convention",
    )
    assert got == {Decimal(9): (2022, "actual"), Decimal(3): (2022, "actual"), Decimal(4): (2022, "target")}


def test_a_time_limit_is_a_norm_a_capacity_is_not():
    got = facts(
        "Le premier rendez-vous est fixé dans les 5 jours au plus après l'orientation.",
        "Le foyer dispose au maximum de 24 places.",
        year=2021,
    )
    assert got == {Decimal(5): (2021, "target"), Decimal(24): (2021, "actual")}


def test_unit_prices_and_yearly_amounts():
    from calpae.indicators.prose import analyse_prose

    doc = doc_of(
        "Chaque bilan de compétences est payé 320 € par bénéficiaire.",
        "Le Département finance la régie de quartier à hauteur de 18.000 € par an.",
        year=2021,
    )
    got = [(a.amount, a.kind, a.part, a.stage) for a in analyse_prose(doc).amounts]
    assert got == [
        (Decimal(320), "actual", None, None),
        (Decimal(18000), "budget", "departement", "allocated"),
    ]


def test_nominal_figure_takes_the_tense_of_the_verb_above_it():
    got = facts(
        "La mise en place d'un accompagnement sur deux ans ne sera pas possible avant l'été.",
        "On notera que 64 % des personnes reçues sont des femmes.",
        year=2021,
    )
    assert got == {Decimal(2): (2021, "target"), Decimal(64): (2021, "actual")}


# --- the part of the document -----------------------------------------------------------------------------------


def test_nature_headings_set_kind_and_year_of_their_part():
    got = facts(
        "Fiche action n°2 : insertion des jeunes",
        "",
        "Réalisé 2021",
        "",
        "Organisation de 14 ateliers collectifs.",
        "",
        "Projection 2022-2023",
        "",
        "Recrutement de 3 conseillers.",
        "",
        "Le dispositif accompagne 260 jeunes par an.",
        year=2022,
        doc_type="avenant",
    )
    assert got == {Decimal(14): (2021, "actual"), Decimal(3): (2022, "target"), Decimal(260): (2022, "target")}


def test_a_title_glued_under_a_paragraph_is_a_heading():
    got = facts(
        "Contexte",
        "",
        "Le service a reçu 410 personnes en 2021.",
        "Perspectives 2022-2023",
        "",
        "Ouverture de 2 nouvelles permanences.",
        year=2022,
        doc_type="convention",
    )
    assert got == {Decimal(410): (2021, "actual"), Decimal(2): (2022, "target")}


def test_capital_headings_end_each_others_part():
    got = facts(
        "OBJECTIFS",
        "Soutenir les aidants familiaux",
        "",
        "ACTIONS",
        "Six rencontres organisées avec 48 aidants.",
        year=2021,
        doc_type="bilan",
    )
    assert got == {Decimal(6): (2021, "actual"), Decimal(48): (2021, "actual")}


def test_a_list_intro_governs_its_list_only():
    got = facts(
        "Les objectifs pour 2022 sont :",
        "- accueillir 75 familles ;",
        "- ouvrir 2 antennes.",
        "",
        "Le service compte 12 agents.",
        year=2021,
        doc_type="rapport_execution",
    )
    assert got == {Decimal(75): (2022, "target"), Decimal(2): (2022, "target"), Decimal(12): (2021, "actual")}


def test_a_heading_describing_the_action_takes_the_documents_nature_for_nominal_items():
    plan = facts(
        "Description de l'action",
        "",
        "Création de 5 places d'hébergement.",
        "",
        "Le service accueille 30 personnes chaque mois.",
        year=2022,
        doc_type="convention",
    )
    assert plan == {Decimal(5): (2022, "target"), Decimal(30): (2022, "actual")}
    report = facts("Description de l'action", "", "Création de 5 places d'hébergement.", year=2022)
    assert report == {Decimal(5): (2022, "actual")}


def test_a_colon_label_sets_the_kind():
    got = facts("Résultat : 18 personnes reçues et 11 orientées.", year=2021, doc_type="convention")
    assert got == {Decimal(18): (2021, "actual"), Decimal(11): (2021, "actual")}


# --- years ------------------------------------------------------------------------------------------------------


def test_a_level_to_reach_within_a_period_is_due_at_its_end():
    got = facts(
        "2022-2024 : faire passer le taux d'accès à l'emploi de 41 % à 55 %.",
        "",
        "Passer de la quarantaine de bénévoles actuels à 90 bénévoles à fin 2023.",
        year=2022,
        doc_type="convention",
    )
    assert got == {
        Decimal(41): (2022, "actual"),
        Decimal(55): (2024, "target"),
        Decimal(40): (2022, "actual"),
        Decimal(90): (2023, "target"),
    }


def test_years_by_rank_within_a_period():
    from calpae.indicators.prose import analyse_prose

    doc = doc_of(
        "Budget détaillé sur 2021 – 2023 :",
        "",
        "1ère année : 45 000 €",
        "",
        "2ème année : 52 000 €",
        year=2021,
        doc_type="convention",
    )
    got = [(a.amount, a.year, a.kind, a.part, a.stage) for a in analyse_prose(doc).amounts]
    assert got == [
        (Decimal(45000), 2021, "budget", "total", "planned"),
        (Decimal(52000), 2022, "budget", "total", "planned"),
    ]


def test_end_points_start_points_and_labels_are_not_the_year_of_a_figure():
    got = facts(
        "Initiée en octobre 2019, la démarche a réuni 7 communes.",
        "",
        "L'expérimentation de 6 mois est prolongée jusqu'à la fin du plan, soit décembre 2023.",
        year=2021,
        doc_type="rapport_execution",
    )
    assert got == {Decimal(7): (2021, "actual"), Decimal(6): (2021, "actual")}


def test_the_later_year_a_paragraph_aims_at_dates_its_targets():
    got = facts(
        "Atteindre 150 inscrits à fin 2023. Favoriser le maintien d'une vingtaine de personnes dans l'emploi.",
        year=2022,
        doc_type="convention",
    )
    assert got == {Decimal(150): (2023, "target"), Decimal(20): (2023, "target")}


def test_years_carried_to_the_next_paragraph():
    got = facts(
        "La première session a eu lieu le 4 mars 2021.",
        "",
        "Bilan : 12 participants, dont 9 ont trouvé un stage.",
        "",
        "Le service emploie aussi 3 psychologues.",
        year=2022,
    )
    assert got == {Decimal(12): (2021, "actual"), Decimal(9): (2021, "actual"), Decimal(3): (2022, "actual")}


def test_a_sentence_cut_by_a_blank_line_keeps_its_year():
    got = facts("En 2020, le bailleur a attribué", "", "43 logements aux familles suivies.", year=2021)
    assert got == {Decimal(43): (2020, "actual")}


def test_a_data_note_dates_the_chart_and_the_paragraph_presenting_it():
    got = facts(
        "Le service compte 14 travailleurs sociaux.",
        "",
        "Parmi les demandeurs, 58 % sont des femmes et 23 % ont moins de 25 ans.",
        "",
        "Répartition des demandeurs",
        "",
        "Source : fichier des allocataires, décembre 2019",
        year=2021,
    )
    assert got == {Decimal(14): (2021, "actual"), Decimal(58): (2019, "actual"), Decimal(23): (2019, "actual")}


def test_a_restated_figure_keeps_the_year_it_was_first_given():
    got = facts(
        "En 2019, 38 % des allocataires étaient inscrits depuis plus de deux ans.",
        "",
        "Orientations",
        "",
        "Le diagnostic rappelle que 38 % des allocataires sont inscrits depuis plus de deux ans.",
        year=2021,
    )
    assert got == {Decimal(38): (2019, "actual")}
    from calpae.indicators.prose import analyse_prose

    doc = doc_of(
        "En 2019, 38 % des allocataires étaient inscrits depuis plus de deux ans.",
        "",
        "Orientations",
        "",
        "Le diagnostic rappelle que 38 % des allocataires sont inscrits depuis plus de deux ans.",
        year=2021,
    )
    assert [(f.year, f.year_source) for f in analyse_prose(doc).figures] == [(2019, "clause"), (2019, "restated")]


# --- money, scope, lists -----------------------------------------------------------------------------------------


def test_the_list_intro_names_whose_money_its_items_are():
    from calpae.indicators.prose import analyse_prose

    doc = doc_of(
        "Le soutien du Département au forum prend plusieurs formes :",
        "- une participation d'un montant de 4.500 € ;",
        "- le prêt de 12 stands.",
        year=2021,
    )
    got = [(a.amount, a.kind, a.part, a.stage) for a in analyse_prose(doc).amounts]
    assert got == [(Decimal(4500), "budget", "departement", "allocated")]


def test_a_joint_fund_created_is_an_allocation_of_all_funders():
    from calpae.indicators.prose import analyse_prose

    doc = doc_of("Création d'un fonds commun Département, État et CAF d'un montant de 60 000 € en 2021.", year=2021)
    got = [(a.amount, a.kind, a.part, a.stage) for a in analyse_prose(doc).amounts]
    assert got == [(Decimal(60000), "budget", "total", "allocated")]


def test_a_partner_structures_own_activity_is_local():
    got = figures(
        "2. Bilan d'exécution",
        "",
        "Association Le Relais des Familles",
        "",
        "En 2021, 86 familles ont été reçues.",
        "",
        "Chèques vacances départementaux",
        "",
        "En 2021, 240 chèques ont été distribués.",
        year=2021,
    )
    assert (got[Decimal(86)].scope, got[Decimal(240)].scope) == ("local", "departement")


def test_a_plus_opening_a_list_item_adds_an_item():
    got = facts(
        "Publics visés :",
        "- 40 jeunes sortant de l'aide sociale à l'enfance ;",
        "- + 25 jeunes suivis par la protection judiciaire.",
        year=2021,
    )
    assert got == {Decimal(40): (2021, "actual"), Decimal(25): (2021, "actual")}


def test_a_share_named_by_its_predicate():
    got = figures("Parmi les stagiaires, 62 % sont des femmes.", year=2021)
    assert got[Decimal(62)].label == "part des femmes"


def test_an_unclassified_activity_report_is_a_report():
    got = facts(
        "Rapport d'activité 2021 du centre départemental",
        "",
        "Perspectives",
        "",
        "Programmation de 9 ateliers de cuisine.",
        year=2021,
        doc_type="other",
    )
    assert got == {Decimal(9): (2022, "target")}


def test_what_the_action_consists_in_takes_the_documents_nature():
    plan = facts("Il s'agit ensuite de former les bénévoles sur trois communes.", year=2022, doc_type="convention")
    report = facts("Il s'agit ensuite de former les bénévoles sur trois communes.", year=2022)
    assert (plan, report) == ({Decimal(3): (2022, "target")}, {Decimal(3): (2022, "actual")})


def test_already_a_beneficiary_says_who_not_that_it_is_done():
    got = facts(
        "Nombre de personnes cibles",
        "",
        "90 personnes par an :",
        "- 30 créateurs d'entreprise nouvellement inscrits ;",
        "- + 60 artisans déjà bénéficiaires du RSA.",
        year=2022,
        doc_type="convention",
    )
    assert got == {Decimal(90): (2022, "target"), Decimal(30): (2022, "target"), Decimal(60): (2022, "target")}


def test_after_a_comparison_with_a_later_year_the_sentence_speaks_of_that_year():
    got = facts(
        "Le taux d'accès atteignait 52 % en 2017, contre 44 % fin 2020, avec de forts écarts entre secteurs "
        "(de 30 % à 61 %).",
        "",
        "Le taux atteint 82 % en 2021 (contre 73 % en 2020), et 15 jeunes sont en formation.",
        year=2021,
    )
    assert got == {
        Decimal(52): (2017, "actual"),
        Decimal(44): (2020, "actual"),
        Decimal(30): (2020, "actual"),
        Decimal(61): (2020, "actual"),
        Decimal(82): (2021, "actual"),
        Decimal(73): (2020, "actual"),
        Decimal(15): (2021, "actual"),
    }


def test_in_a_list_a_note_dates_the_items_about_its_chart():
    got = facts(
        "Trois constats :",
        "",
        "- le taux de chômage des jeunes de moins de 25 ans atteint 21 % dans le département ;",
        "- 37 % des foyers allocataires sont des personnes qui vivent seules, sans enfant ;",
        "- enfin, les foyers allocataires sont de plus en plus nombreux : +12 % depuis 2015.",
        "",
        "Foyers allocataires du RSA",
        "",
        "Source : CAF, décembre 2019",
        year=2021,
    )
    assert got == {Decimal(21): (2021, "actual"), Decimal(37): (2019, "actual"), Decimal(12): (2019, "change")}
    # before this rule, the note dated every item of the list (the unemployment rate too)


def test_under_several_charts_a_sentence_takes_the_note_of_its_own():
    got = facts(
        "Les familles monoparentales sont 28 % des allocataires. "
        "Enfin, 9 % des ménages agricoles vivent sous le seuil.",
        "",
        "Part des familles monoparentales",
        "",
        "Source : CAF 2018",
        "",
        "Ménages agricoles sous le seuil de pauvreté",
        "",
        "Source : MSA 2016",
        year=2021,
    )
    assert got == {Decimal(28): (2018, "actual"), Decimal(9): (2016, "actual")}


def test_a_year_in_a_participle_says_who_is_counted_not_when():
    got = facts(
        "Pour l'année 2022, le déploiement de l'action devrait se poursuivre de la manière suivante :",
        "- l'objectif de 150 visites à domicile ;",
        "- des visites de suivi auprès de 10 % des ménages aidés en 2020, soit 15 visites.",
        "",
        "Les personnes accompagnées en 2020 sont 120.",
        year=2021,
    )
    assert got == {
        Decimal(150): (2022, "target"),
        Decimal(10): (2022, "target"),
        Decimal(15): (2022, "target"),
        Decimal(120): (2020, "actual"),
    }


def test_a_marked_title_naming_a_town_and_its_action_is_a_partners():
    got = figures(
        "Actions financées dans les quartiers",
        "",
        "☒ Pamiers - Ateliers d'écriture (Ass. Les Plumes)",
        "",
        "L'atelier a réuni 14 enfants chaque semaine.",
        "",
        year=2021,
    )
    assert got[Decimal(14)].scope == "local"
    from calpae.indicators.prose import analyse_prose

    doc = doc_of("☒ Pamiers - Ateliers d'écriture (Ass. Les Plumes)", "", "Financement départemental : 2.500 €")
    assert [(a.amount, a.scope) for a in analyse_prose(doc).amounts] == [(Decimal(2500), "local")]


def test_a_marked_title_naming_some_towns_makes_its_part_local():
    got = figures(
        "Permanences d'accès aux droits",
        "",
        "② Interventions sur les communes de Pamiers et Foix :",
        "- ✓ Pamiers : 41 personnes reçues en 2021 ;",
        "- ✓ Foix : 17 personnes reçues en 2021.",
        "",
        "Au total, le Département a reçu 380 personnes dans ses maisons des solidarités.",
        year=2021,
    )
    assert [got[Decimal(v)].scope for v in (41, 17, 380)] == ["local", "local", "departement"]


def test_the_departements_number_used_as_a_name_counts_nothing():
    from calpae.indicators.prose import analyse_prose

    doc = doc_of(
        "En 2019, les élus du 46 ont lancé la plateforme « emploi 46 » avec 9 partenaires.",
        "",
        "En 2021, le dispositif cap 46 des allocataires a suivi 46 personnes.",
        year=2021,
        code="46",
    )
    got = [(f.figure.value, f.year, f.kind) for f in analyse_prose(doc).figures]
    assert got == [(Decimal(9), 2019, "actual"), (Decimal(46), 2021, "actual")]


def test_school_levels_and_other_parts_of_a_plan_count_nothing():
    got = facts(
        "Jeunes de niveau bac plus 2 au plus, sachant lire et écrire : 35 places en 2021.",
        "",
        "Les deux autres thèmes seront traités en 2022 avec 4 autres agents.",
        year=2021,
    )
    assert got == {Decimal(35): (2021, "actual"), Decimal(4): (2022, "target")}


def test_thresholds_and_time_limits_that_define_what_is_counted():
    got = facts(
        "Nombre de nouveaux entrants orientés en 1 mois et moins : 412.",
        "",
        "Nombre de rendez-vous fixés dans le délai de 2 semaines : 96.",
        "",
        "Une relance des ménages ayant reçu des aides d'un montant de 300 € et plus a touché 57 ménages.",
        "",
        "Les échanges avec le 115 ont permis 23 orientations.",
        year=2021,
    )
    assert got == {
        Decimal(412): (2021, "actual"),
        Decimal(96): (2021, "actual"),
        Decimal(57): (2021, "actual"),
        Decimal(23): (2021, "actual"),
    }


def test_a_bare_share_right_after_a_count_is_the_share_of_those_counted():
    got = figures("Résultats de l'année 2021.", "100 jeunes 12 % 240 femmes 31 %", year=2021)
    assert [(v, got[Decimal(v)].label) for v in (12, 31)] == [(12, "part des jeunes"), (31, "part des femmes")]
