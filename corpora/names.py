"""Real names the corpus is made of: départements, CALPAE measures, their indicators, action titles.

Ids, indicator names and the 101 départements come from `calpae.referential`; the small private lists
below are the fallback when it is absent. Measure titles are the annexe-10 theme names; action titles are our own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache


@dataclass(frozen=True)
class Departement:
    """A département as the documents name it."""

    code: str
    name: str
    region: str

    @property
    def actes_code(self) -> str:
        """Three-character code at the head of an ACTES identifier (011, 02A, 971)."""
        return self.code.rjust(3, "0")

    @property
    def siren(self) -> str:
        """A plausible SIREN for the conseil départemental (22 + code digits + serial)."""
        digits = "".join(ch if ch.isdigit() else "0" for ch in self.code).rjust(3, "0")
        return f"22{digits[-2:]}000{digits[0]}9"


@dataclass(frozen=True)
class Indicator:
    """One national indicator: stable id, exact name and unit (count, percent, days)."""

    id: str
    name: str
    unit: str = "count"


@dataclass(frozen=True)
class Measure:
    """One CALPAE measure with its annexe-10 theme number, Chorus line, indicators and action titles."""

    id: str
    number: str
    name: str
    chorus: str
    indicators: tuple[Indicator, ...] = ()
    actions: tuple[str, ...] = field(default=())
    socle: bool = True


DEPARTEMENTS: tuple[Departement, ...] = (
    Departement("01", "Ain", "Auvergne-Rhône-Alpes"),
    Departement("03", "Allier", "Auvergne-Rhône-Alpes"),
    Departement("09", "Ariège", "Occitanie"),
    Departement("11", "Aude", "Occitanie"),
    Departement("12", "Aveyron", "Occitanie"),
    Departement("16", "Charente", "Nouvelle-Aquitaine"),
    Departement("22", "Côtes-d'Armor", "Bretagne"),
    Departement("24", "Dordogne", "Nouvelle-Aquitaine"),
    Departement("26", "Drôme", "Auvergne-Rhône-Alpes"),
    Departement("29", "Finistère", "Bretagne"),
    Departement("32", "Gers", "Occitanie"),
    Departement("34", "Hérault", "Occitanie"),
    Departement("40", "Landes", "Nouvelle-Aquitaine"),
    Departement("46", "Lot", "Occitanie"),
    Departement("47", "Lot-et-Garonne", "Nouvelle-Aquitaine"),
    Departement("54", "Meurthe-et-Moselle", "Grand Est"),
    Departement("59", "Nord", "Hauts-de-France"),
    Departement("63", "Puy-de-Dôme", "Auvergne-Rhône-Alpes"),
    Departement("71", "Saône-et-Loire", "Bourgogne-Franche-Comté"),
    Departement("76", "Seine-Maritime", "Normandie"),
    Departement("81", "Tarn", "Occitanie"),
    Departement("86", "Vienne", "Nouvelle-Aquitaine"),
    Departement("93", "Seine-Saint-Denis", "Île-de-France"),
    Departement("974", "La Réunion", "La Réunion"),
)

_I = Indicator
MEASURES: tuple[Measure, ...] = (
    Measure(
        "ase_sorties_seches",
        "1",
        "Prévenir toute « sortie sèche » pour les jeunes sortants de l'aide sociale à l'enfance (ASE)",
        "0304 50 19 19 01 - Accompagnement des jeunes sortant de l'ASE",
        (
            _I("ase_majeurs", "Nombre de jeunes devenus majeurs sur la période concernée"),
            _I("ase_referentiel", "Nombre de jeunes pris en charge dans le cadre du référentiel"),
            _I(
                "ase_personne_lien",
                "Nombre de jeunes ayant pu choisir leur personne lien au moment du passage à la majorité",
            ),
            _I("ase_logement", "Nombre de jeunes avec un logement stable"),
            _I("ase_ressources", "Nombre de jeunes ayant accès à des ressources financières"),
            _I("ase_parcours", "Nombre de jeunes dans un parcours professionnel et/ou scolaire"),
        ),
        (
            "Hébergements collectifs des jeunes majeurs",
            "Allocations individuelles jeunes majeurs",
            "Entretien d'accès à l'autonomie et désignation d'une personne lien pour chaque jeune de dix-sept ans",
        ),
    ),
    Measure(
        "premier_accueil",
        "2",
        "Refonder et revaloriser le travail social au service de toutes les familles – Premier accueil social "
        "inconditionnel de proximité",
        "0304 50 19 19 03 - 1er accueil social inconditionnel",
        (
            _I(
                "pasi_couverture",
                "Taux de couverture de premier accueil social inconditionnel par département accessible à moins de "
                "30 minutes",
                "percent",
            ),
            _I(
                "pasi_structures",
                "Nombre de structures (hors dispositif du CD) ou lieux qui sont engagés dans la démarche de premier "
                "accueil inconditionnel",
            ),
            _I(
                "pasi_personnes_cd",
                "Nombre de personnes reçues par les structures de premier accueil social inconditionnel des CD "
                "uniquement",
            ),
        ),
        (
            "Maillage territorial du premier accueil",
            "Formation des agents d'accueil des maisons départementales des solidarités et des partenaires",
        ),
    ),
    Measure(
        "referent_parcours",
        "3",
        "Refonder et revaloriser le travail social au service de toutes les familles – Référent de parcours",
        "0304 50 19 19 04 - Référents de parcours",
        (
            _I(
                "rp_formes",
                "Nombre d'intervenants sociaux formés ou sensibilisés à la démarche du référent de parcours",
            ),
            _I("rp_accompagnes", "Nombre total de personnes accompagnées par un référent de parcours"),
        ),
        (
            "Déploiement de la démarche de référent de parcours",
            "Outil partagé de suivi des parcours",
        ),
    ),
    Measure(
        "rsa_orientation",
        "4",
        "Insertion des allocataires du RSA – Orientation et parcours des allocataires",
        "0304 50 19 19 07 - Garantie d'activité et insertion des BRSA",
        (
            _I("rsa_nouveaux_entrants", "Nombre de nouveaux entrants"),
            _I("rsa_orientes_1_mois", "Nombre de nouveaux entrants orientés en 1 mois et moins"),
            _I("rsa_rdv_fixes", "Nombre total de 1ers rendez-vous d'accompagnement fixés"),
            _I("rsa_rdv_2_semaines", "Nombre de 1ers rendez-vous à 2 semaines ou moins fixés"),
            _I("rsa_cer_2_mois", "Nombre de 1ers contrats d'engagements réciproques dans les 2 mois"),
        ),
        (
            "Diagnostics partagés d'orientation",
            "Adaptation du logiciel de gestion des bénéficiaires du RSA",
            "Plateforme d'orientation rapide des nouveaux entrants et premiers rendez-vous d'accompagnement sous "
            "quinze jours",
        ),
    ),
    Measure(
        "garantie_activite",
        "5",
        "Insertion des allocataires du RSA – Garantie d'activité",
        "0304 50 19 19 07 - Garantie d'activité et insertion des BRSA",
        (
            _I("ga_orientes", "Nombre de bénéficiaires du RSA orientés vers la garantie d'activité départementale"),
            _I(
                "ga_en_cours", "Nombre de bénéficiaires du RSA en cours d'accompagnement par la garantie départementale"
            ),
            _I("ag_orientes", "Nombre de bénéficiaires du RSA orientés vers l'accompagnement global"),
            _I("ag_delai", "Délai moyen du démarrage de l'accompagnement global", "days"),
        ),
        (
            "Garantie d'activité départementale",
            "Accompagnement global avec Pôle emploi",
        ),
    ),
    Measure(
        "formation_ts",
        "6",
        "Mise en place du plan de formation des travailleurs sociaux des conseils départementaux",
        "0304 50 19 19 02 - Formation travail social CD contract",
        (
            _I("form_numerique", "Nombre de personnes formées – Numérique"),
            _I("form_aller_vers", "Nombre de personnes formées – Aller vers"),
            _I("form_participation", "Nombre de personnes formées – Participation des personnes"),
        ),
        ("Plan départemental de formation des travailleurs sociaux",),
    ),
    Measure(
        "mobilite",
        "7",
        "Développer la mobilité des demandeurs d'emploi",
        "Développer la mobilité des demandeurs d'emploi",
        (
            _I(
                "mob_plateforme",
                "Nombre de personnes accompagnées par la plateforme de mobilité à des fins d'insertion professionnelle",
            ),
            _I(
                "mob_diagnostics",
                "Nombre de mesures de diagnostics et d'accompagnement à la mobilité "
                "prescrites par le conseil départemental",
            ),
        ),
        ("Plateforme de mobilité solidaire", "Bilans de compétences mobilité"),
    ),
    Measure(
        "initiatives",
        "8",
        "Engagements à l'initiative du département",
        "0304 50 19 19 10 - Initiatives locales",
        (),
        (
            "Épicerie sociale itinérante",
            "Lutte contre la précarité énergétique",
            "Accès aux soins des personnes en situation de grande précarité dans les territoires ruraux",
        ),
        socle=False,
    ),
)

QUALIFIERS = ("NR", "NC", "Sans Objet")


# private measure id -> calpae.referential measure id
REFERENTIAL_IDS = {
    "ase_sorties_seches": "socle.ase_sorties",
    "premier_accueil": "socle.premier_accueil",
    "referent_parcours": "socle.referent_parcours",
    "rsa_orientation": "socle.insertion_orientation",
    "garantie_activite": "socle.garantie_activite",
    "formation_ts": "socle.formation_travail_social",
    "mobilite": "mobilite",
    "initiatives": "initiative.locales",
}
UNITS = {"count": "count", "percent": "percent", "days": "days", "ratio": "count", "fte": "count", "hours": "count"}


def _referential():
    try:
        from calpae.referential import load_referential
    except ImportError:
        return None
    return load_referential()


@lru_cache(maxsize=1)
def measures() -> tuple[Measure, ...]:
    """The measures to generate from, with the referential's ids and indicators when it is installed."""
    ref = _referential()
    if ref is None:
        return MEASURES
    out = []
    for m in MEASURES:
        rid = REFERENTIAL_IDS[m.id]
        if rid not in ref.measures:
            out.append(m)
            continue
        has_children = {i.parent for i in ref.indicators.values() if i.parent}
        inds = tuple(
            Indicator(i.id, i.name, UNITS.get(i.unit, "count"))
            for i in ref.indicators.values()
            if i.measure_id == rid
            and i.model is None
            and i.parent is None
            and (i.id not in has_children or rid == "socle.formation_travail_social")
        )
        out.append(replace(m, id=rid, indicators=inds or m.indicators))
    return tuple(out)


@lru_cache(maxsize=1)
def departements() -> tuple[Departement, ...]:
    """The départements to generate from: the referential's 101 when installed."""
    ref = _referential()
    if ref is None or not ref.departements:
        return DEPARTEMENTS
    return tuple(Departement(d.code, d.name, d.region) for d in ref.departements.values())
