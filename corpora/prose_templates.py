"""Sentences of the prose family: each states some figures about the world (with their truth) and holds others
that are not facts (dates, ages, references, ranges, criteria), in several French wordings.

A template returns the sentence and, for each fact, the figure as written (its position is found in the
sentence), its value, unit, year, kind, scope and, for money, part and stage. `Ctx` draws the numbers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

NBSP = "\u00a0"

POPULATIONS = (
    ("jeunes", "accompagnés", "jeunes accompagnés", "accompagné"),
    ("bénéficiaires du RSA", "orientés", "bénéficiaires du RSA orientés", "orienté"),
    ("ménages", "reçus", "ménages reçus", "reçu"),
    ("familles", "suivies", "familles suivies", "suivi"),
    ("personnes", "hébergées", "personnes hébergées", "hébergé"),
    ("allocataires", "accompagnés", "allocataires accompagnés", "accompagné"),
    ("demandeurs d'emploi", "suivis", "demandeurs d'emploi suivis", "suivi"),
    ("enfants", "accueillis", "enfants accueillis", "accueilli"),
)
THINGS = (
    ("ateliers collectifs", "organisés"),
    ("permanences sociales", "tenues"),
    ("visites à domicile", "réalisées"),
    ("entretiens de diagnostic", "menés"),
    ("sessions de formation", "proposées"),
    ("contrats d'engagement", "signés"),
)
TOWNS = ("Saint-Amans", "Villeneuve", "Castelnau", "Beaumont", "Mirande", "Fontbelle", "Lavardac", "Montbrun")
STRUCTURES = ("l'association Trait d'Union", "la mission locale", "le centre social Les Tilleuls", "l'ADIL")
REGIONS = ("Occitanie", "Nouvelle-Aquitaine", "Bretagne", "Normandie", "Grand Est")
ACTIONS = (
    "la prévention des sorties sèches",
    "le premier accueil social",
    "l'accompagnement global",
    "la garantie d'activité",
    "la formation des travailleurs sociaux",
    "la mobilité",
)
NUMBER_WORDS = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 8: "huit", 10: "dix", 12: "douze"}
APPROX = {10: "une dizaine", 15: "une quinzaine", 20: "une vingtaine", 30: "une trentaine", 100: "une centaine"}


@dataclass
class Fact:
    written: str  # the figure as written in the sentence (found there to place it)
    value: Decimal
    unit: str
    year: int | None
    kind: str
    scope: str = "departement"
    part: str | None = None
    stage: str | None = None
    subject: str = ""
    indicator_id: str | None = None


@dataclass
class Written:
    """One sentence with its facts and the arithmetic defects planted in it."""

    text: str
    facts: list[Fact] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


@dataclass
class Ctx:
    rng: random.Random
    year: int
    dept: str
    sites: dict[str, int] = field(default_factory=dict)  # service sites and their number, one per document

    def n(self, lo: int = 3, hi: int = 900) -> int:
        return self.rng.randint(lo, hi)

    def pct(self) -> Decimal:
        whole = self.rng.randint(5, 95)
        return Decimal(whole) if self.rng.random() < 0.6 else Decimal(f"{whole}.{self.rng.randint(1, 9)}")

    def pick(self, seq):
        return self.rng.choice(seq)


def count_text(n: int, rng: random.Random) -> str:
    """A count as French documents write it: 1 200 (no-break space), 1.200, or plain."""
    if n < 1000:
        return str(n)
    grouped = f"{n:,}".replace(",", NBSP if rng.random() < 0.7 else ".")
    return grouped


def pct_text(p: Decimal, rng: random.Random) -> str:
    num = str(p).replace(".", ",")
    return f"{num}{rng.choice([NBSP + '%', '%', ' %'])}".replace(" %", NBSP + "%")


def money_text(value: Decimal, rng: random.Random) -> tuple[str, Decimal]:
    """An amount in one of the ways prose writes money; returns the text and the value it means."""
    style = rng.choice(("space", "dot", "space_dec", "keur", "meur", "words"))
    whole = int(value)
    if style == "keur":
        k = Decimal(whole // 1000)
        return f"{k}{NBSP}k€", k * 1000
    if style in ("meur", "words"):
        m = (Decimal(whole) / Decimal(1_000_000)).quantize(Decimal("0.01"))
        if m < Decimal("0.1"):
            return f"{f'{whole:,}'.replace(',', NBSP)}{NBSP}€", Decimal(whole)
        shown = str(m.normalize()).replace(".", ",")
        text = f"{shown}{NBSP}M€" if style == "meur" else f"{shown}{NBSP}millions{NBSP}d'euros"
        return text, m * 1_000_000
    if style == "dot":
        return f"{whole:,}".replace(",", ".") + NBSP + "€", Decimal(whole)
    cents = Decimal(rng.randint(0, 99)) / 100
    if style == "space_dec":
        return f"{whole:,}".replace(",", NBSP) + f",{int(cents * 100):02d}{NBSP}€", whole + cents
    return f"{whole:,}".replace(",", NBSP) + NBSP + "€", Decimal(whole)


def de(noun: str) -> str:
    """'de' elided before a vowel or a mute h: d'allocataires, de jeunes."""
    return f"d'{noun}" if noun[:1].lower() in "aeéèêiîoôuh" else f"de {noun}"


def word_or_digits(n: int, rng: random.Random) -> str:
    if n in NUMBER_WORDS and rng.random() < 0.5:
        return NUMBER_WORDS[n]
    return str(n)


# --- templates ---------------------------------------------------------------------------------------------------
Template = Callable[[Ctx], Written]


def t_count(c: Ctx) -> Written:
    pop, verb, subject, participle = c.pick(POPULATIONS)
    n = c.n()
    w = count_text(n, c.rng)
    text = c.pick(
        (
            f"En {c.year}, {w} {pop} ont été {verb} dans le cadre de {c.pick(ACTIONS)}.",
            f"Au 31 décembre {c.year}, le dispositif comptait {w} {pop} {verb}.",
            f"Le service a {participle} {w} {pop} au cours de l'année {c.year}.",
        )
    )
    return Written(text, [Fact(w, Decimal(n), "count", c.year, "actual", subject=subject)])


def t_local(c: Ctx) -> Written:
    pop, verb, subject, _ = c.pick(POPULATIONS)
    n, town = c.n(), c.pick(TOWNS)
    w = count_text(n, c.rng)
    text = c.pick(
        (
            f"À {town}, {w} {pop} ont été {verb} en {c.year}.",
            f"La permanence de {town} a reçu {w} {pop} en {c.year}.",
        )
    )
    return Written(text, [Fact(w, Decimal(n), "count", c.year, "actual", "local", subject=subject)])


def t_comparison(c: Ctx) -> Written:
    pop, verb, subject, _ = c.pick(POPULATIONS)
    now, before = c.pct(), c.pct()
    a, b = pct_text(now, c.rng), pct_text(before, c.rng)
    prev = c.year - 1
    kind_before = "baseline" if prev == 2018 else "actual"
    text = c.pick(
        (
            f"Le taux {de(pop)} {verb} atteint {a} en {c.year}, contre {b} en {prev}.",
            f"En {c.year}, {a} des {pop} ont été {verb} (contre {b} en {prev}).",
        )
    )
    return Written(
        text,
        [Fact(a, now, "percent", c.year, "actual", subject=subject), Fact(b, before, "percent", prev, kind_before)],
    )


def t_target(c: Ctx) -> Written:
    pop, verb, subject, _ = c.pick(POPULATIONS)
    n = c.n(20, 600)
    w = count_text(n, c.rng)
    nxt = c.year + 1
    text = c.pick(
        (
            f"L'objectif pour {nxt} est de {w} {pop} {verb}.",
            f"Le dispositif vise {w} {pop} {verb} en {nxt}.",
            f"{w.capitalize()} {pop} devraient être {verb} en {nxt}.",
            f"Pour {nxt}, le nombre prévisionnel {de(pop)} {verb} est fixé à {w}.",
        )
    )
    return Written(text, [Fact(w, Decimal(n), "count", nxt, "target", subject=subject)])


def t_reached(c: Ctx) -> Written:
    reached, aim = c.pct(), c.pct()
    a, b = pct_text(reached, c.rng), pct_text(aim, c.rng)
    action = c.pick(ACTIONS)
    text = f"Pour {action}, le taux de réalisation atteint {a} en {c.year}, au regard d'un objectif de {b}."
    return Written(text, [Fact(a, reached, "percent", c.year, "actual"), Fact(b, aim, "percent", c.year, "target")])


def t_change(c: Ctx) -> Written:
    thing, _ = c.pick(THINGS)
    n = c.n(2, 60)
    text = c.pick(
        (
            f"Le nombre {de(thing)} a augmenté de {n} en {c.year}.",
            f"En {c.year}, le Département a étendu l'offre {de(thing)} (+{n} {thing.split()[0]}).",
            f"Les {thing} progressent de {n} % en {c.year}.",
        )
    )
    unit = "percent" if "%" in text else "count"
    written = f"{n} %" if unit == "percent" else (f"+{n}" if "(+" in text else str(n))
    return Written(text, [Fact(written, Decimal(n), unit, c.year, "change")])


def t_difference(c: Ctx) -> Written:
    """A stated increase between two counts; sometimes the stated difference is wrong (a planted defect)."""
    now, before = c.n(2000, 9000), c.n(1000, 1999)
    diff = now - before
    stated = diff if c.rng.random() < 0.8 else diff + c.pick((-3, 3, 10))
    y0 = c.year - 4
    a, b, d = (count_text(x, c.rng) for x in (now, before, stated))
    text = (
        f"En décembre {c.year}, {a} foyers bénéficiaires relèvent du dispositif, contre {b} en décembre {y0}, "
        f"soit une augmentation de {d} foyers."
    )
    facts = [
        Fact(a, Decimal(now), "count", c.year, "actual"),
        Fact(b, Decimal(before), "count", y0, "actual"),
        Fact(d, Decimal(stated), "count", c.year, "change"),
    ]
    return Written(text, facts, ["prose_difference"] if stated != diff else [])


def t_sum(c: Ctx) -> Written:
    """A total and its parts; sometimes they do not add up (a planted defect)."""
    parts = [c.n(1, 30) for _ in range(3)]
    total = sum(parts) if c.rng.random() < 0.8 else sum(parts) + c.pick((-2, 1, 4))
    pop = c.pick(POPULATIONS)[0]
    text = (
        f"Sur {total} {pop} sortis du dispositif en {c.year} : {parts[0]} en emploi durable, {parts[1]} en formation "
        f"et {parts[2]} sans solution."
    )
    facts = [Fact(str(total), Decimal(total), "count", c.year, "actual")] + [
        Fact(str(p), Decimal(p), "count", c.year, "actual") for p in parts
    ]
    return Written(text, facts, ["prose_sum"] if total != sum(parts) else [])


def t_words(c: Ctx) -> Written:
    n = c.pick(sorted(NUMBER_WORDS))
    approx = c.pick(sorted(APPROX))
    thing, verb = c.pick(THINGS)
    text = c.pick(
        (
            f"{NUMBER_WORDS[n].capitalize()} {thing} ont été {verb} en {c.year} avec {APPROX[approx]} de partenaires.",
            f"En {c.year}, {NUMBER_WORDS[n]} {thing} ont été {verb}, réunissant {APPROX[approx]} de participants.",
        )
    )
    return Written(
        text,
        [
            Fact(NUMBER_WORDS[n], Decimal(n), "count", c.year, "actual"),
            Fact(APPROX[approx], Decimal(approx), "count", c.year, "actual"),
        ],
    )


def t_budget(c: Ctx) -> Written:
    value = Decimal(c.rng.randrange(5_000, 2_500_000, 50))
    written, meant = money_text(value, c.rng)
    action = c.pick(ACTIONS)
    choices = (
        (
            f"Le financement départemental attribué en {c.year} pour {action} est de {written}.",
            "departement",
            "allocated",
        ),
        (f"Le Département a dépensé {written} en {c.year} pour {action}.", "departement", "executed"),
        (f"L'enveloppe notifiée par l'État pour {action} s'élève à {written} en {c.year}.", "etat", "allocated"),
        (f"Le budget prévisionnel de {action} pour {c.year} est de {written}.", "total", "planned"),
        (
            f"Les crédits non consommés en {c.year} sur {action}, soit {written}, "
            "seront reportés sur l'exercice suivant.",
            "total",
            "to_carry_over",
        ),
        (f"La participation de l'État s'est élevée à {written} en {c.year} pour {action}.", "etat", "allocated"),
    )
    text, part, stage = c.pick(choices)
    return Written(text, [Fact(written, meant, "EUR", c.year, "budget", part=part, stage=stage)])


def t_price(c: Ctx) -> Written:
    value = Decimal(c.pick((50, 150, 250, 450, 600, 1000)))
    w = f"{value}{NBSP}€"
    text = c.pick(
        (
            f"Une aide forfaitaire de {w} par jeune est versée aux familles concernées.",
            f"Chaque diagnostic est rémunéré {w} par personne accompagnée.",
        )
    )
    return Written(text, [Fact(w, value, "EUR", c.year, "actual")])


def t_context(c: Ctx) -> Written:
    """Figures of the nation or of another territory, quoted for comparison: context, not facts of the dataset."""
    here, there, nation = c.pct(), c.pct(), c.pct()
    region = c.pick(REGIONS)
    a, b, n = (pct_text(x, c.rng) for x in (here, there, nation))
    text = (
        f"{a.capitalize()} des ménages du département vivent sous le seuil de pauvreté en {c.year}, contre {b} en "
        f"région {region} et {n} au niveau national."
    )
    return Written(
        text,
        [
            Fact(a, here, "percent", c.year, "actual"),
            Fact(b, there, "percent", c.year, "actual", "other_territory"),
            Fact(n, nation, "percent", c.year, "actual", "national"),
        ],
    )


def t_distractors(c: Ctx) -> Written:
    """Only figures that are not facts: a date, an age range, a reference, a delay criterion, a range."""
    text = c.pick(
        (
            f"La délibération n° {c.year}-{c.n(10, 99)} du {c.n(1, 28)} mars {c.year} s'applique aux jeunes "
            "de 16 à 25 ans.",
            f"Conformément à l'article L. 262-{c.n(10, 40)}, tout nouvel entrant est orienté dans un délai "
            "de 30 jours.",
            "La permanence, ouverte de 9h30 à 12h, accueille de 6 à 8 personnes à chaque séance "
            f"(fiche {c.n(1, 9)}.{c.n(1, 5)}).",
            f"Le plan s'organise en trois axes, présentés le {c.n(1, 28)} juin {c.year} au comité de pilotage.",
        )
    )
    return Written(text)


TEMPLATES: tuple[tuple[Template, int], ...] = (
    (t_count, 4),
    (t_local, 2),
    (t_comparison, 2),
    (t_target, 3),
    (t_reached, 1),
    (t_change, 2),
    (t_difference, 1),
    (t_sum, 1),
    (t_words, 2),
    (t_budget, 4),
    (t_price, 1),
    (t_context, 1),
    (t_distractors, 2),
)
