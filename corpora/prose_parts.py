"""Parts of prose documents whose figures take their year and kind from where they stand, not from their own words:
the parts of a plan's fiche action ('Contexte', 'Réalisé N-1', 'Projection N-N+1', 'Objectifs', a budget over the
plan's years), the 'Perspectives' of a report, a partner's action, undated shares dated by a data note under them.

A part is a list of blocks laid out by `corpora.prose`: ("line", text) a line of its own between blank lines,
("glued", text) a title set right under the paragraph before it (no blank line), ("para", [Written]) a paragraph.
The sentences are written for the generator; none is taken from a real document.
"""

from __future__ import annotations

from decimal import Decimal

from corpora.prose_templates import NBSP, POPULATIONS, THINGS, TOWNS, Ctx, Fact, Written, count_text, pct_text

Block = tuple[str, object]

SERVICES = ("maisons des solidarités", "centres médico-sociaux", "antennes sociales", "lieux d'accueil")
PARTNERS = (
    "Association L'Escale",
    "Mission locale du Val d'Argent",
    "Centre social La Passerelle",
    "Point accueil écoute jeunes de {town}",
    "ARPE - Accompagnement des familles",
    "Insertion par l'emploi – ADEFI",
)
ORDINALS = ("1ère année", "2ème année", "3ème année")


def _money(value: int) -> str:
    return f"{value:,}".replace(",", NBSP) + NBSP + "€"


def _count(c: Ctx, lo: int, hi: int) -> tuple[int, str]:
    n = c.n(lo, hi)
    return n, count_text(n, c.rng)


def _para(*written: Written) -> Block:
    return ("para", list(written))


def _service(c: Ctx) -> tuple[str, int]:
    """A kind of service site and how many the département has: one number per document (a document that
    counts its sites twice with two numbers contradicts itself, which the prose checks report)."""
    service = c.pick(SERVICES)
    if service not in c.sites:
        c.sites[service] = c.n(4, 14)
    return service, c.sites[service]


# --- a plan: one fiche action ---------------------------------------------------------------------------------


def fiche(c: Ctx, number: int, action: str) -> list[Block]:
    """A fiche action of a plan or convention: context, last year's results, projection, objectives, budget."""
    blocks: list[Block] = [("line", f"Fiche action n°{number} : {action}")]
    blocks += context(c)
    if c.rng.random() < 0.8:
        blocks += done_last_year(c)
    blocks += projection(c, glued=c.rng.random() < 0.5)
    if c.rng.random() < 0.6:
        blocks += objectives(c)
    if c.rng.random() < 0.5:
        blocks += level_to_reach(c)
    if c.rng.random() < 0.6:
        blocks += budget_by_year(c)
    months = c.pick((12, 18, 24, 36))
    w = f"{months} mois"
    blocks.append(_para(Written(f"Durée de l'action : {w}", [Fact(w, Decimal(months), "months", c.year, "target")])))
    return blocks


def context(c: Ctx) -> list[Block]:
    """'Contexte': what exists (present tense, the plan's year) and last year's figures (past tense)."""
    y = c.year
    service, n = _service(c)
    stock = c.pick(
        (
            f"Le département compte {n} {service} sur son territoire.",
            f"L'accueil de premier niveau repose sur {n} {service} sans rendez-vous.",
        )
    )
    pop, verb, subject, _ = c.pick(POPULATIONS)
    m, w = _count(c, 60, 900)
    past = c.pick(
        (
            f"En {y - 1}, {w} {pop} ont été {verb} par les services du Département.",
            f"Pour {y - 1}, le nombre {('d' + chr(39) + pop) if pop[0] in 'aeiouéh' else 'de ' + pop} {verb} "
            f"s'est établi à {w}.",
        )
    )
    return [
        ("line", "Contexte"),
        _para(Written(stock, [Fact(str(n), Decimal(n), "count", y, "actual", subject=service)])),
        _para(Written(past, [Fact(w, Decimal(m), "count", y - 1, "actual", subject=subject)])),
    ]


def done_last_year(c: Ctx) -> list[Block]:
    """'Réalisé N-1': last year's results, in the past or as nominal items."""
    y = c.year - 1
    thing, verb = c.pick(THINGS)
    n, w = _count(c, 3, 80)
    pop, pverb, subject, _ = c.pick(POPULATIONS)
    m, wm = _count(c, 20, 400)
    first = c.pick(
        (
            Written(
                f"Organisation de {w} {thing} sur l'ensemble du territoire.",
                [Fact(w, Decimal(n), "count", y, "actual")],
            ),
            Written(f"{w} {thing} ont été {verb} au cours de l'année.", [Fact(w, Decimal(n), "count", y, "actual")]),
        )
    )
    second = Written(
        f"Au total, {wm} {pop} ont été {pverb} dans ce cadre.",
        [Fact(wm, Decimal(m), "count", y, "actual", subject=subject)],
    )
    return [("line", f"Réalisé {y}"), _para(first), _para(second)]


def projection(c: Ctx, glued: bool) -> list[Block]:
    """'Projection N-N+1': what is planned, as nominal items, in the present or the future; the services that
    exist (a definite article) stay results. The title is sometimes glued under the paragraph before it."""
    y = c.year
    k, wk = _count(c, 2, 6)
    pop, verb, subject, _ = c.pick(POPULATIONS)
    m, wm = _count(c, 40, 600)
    service, s = _service(c)
    items = [
        c.pick(
            (
                Written(
                    f"Recrutement de {wk} conseillers supplémentaires.", [Fact(wk, Decimal(k), "count", y, "target")]
                ),
                Written(f"Ouverture de {wk} nouvelles permanences.", [Fact(wk, Decimal(k), "count", y, "target")]),
            )
        ),
        c.pick(
            (
                Written(f"Le dispositif accompagne {wm} {pop} par an.", [Fact(wm, Decimal(m), "count", y, "target")]),
                Written(f"Le service suivra {wm} {pop}.", [Fact(wm, Decimal(m), "count", y, "target")]),
            )
        ),
        Written(
            f"L'action s'appuie sur les {s} {service} du territoire.",
            [Fact(str(s), Decimal(s), "count", y, "actual", subject=service)],
        ),
    ]
    title = c.pick((f"Projection {y}-{y + 1}", f"Perspectives {y}-{y + 1}"))
    head: Block = ("glued", title) if glued else ("line", title)
    return [head, *(_para(w) for w in items)]


def objectives(c: Ctx) -> list[Block]:
    """A list introduced by 'Les objectifs pour N sont :' — its items are targets of that year."""
    y = c.year
    pop, _, subject, _ = c.pick(POPULATIONS)
    m, wm = _count(c, 20, 500)
    thing, _ = c.pick(THINGS)
    k, wk = _count(c, 3, 40)
    return [
        ("line", c.pick((f"Les objectifs pour {y} sont :", f"Objectifs {y} :"))),
        _para(Written(f"- accompagner {wm} {pop} ;", [Fact(wm, Decimal(m), "count", y, "target", subject=subject)])),
        _para(Written(f"- proposer {wk} {thing}.", [Fact(wk, Decimal(k), "count", y, "target")])),
    ]


def level_to_reach(c: Ctx) -> list[Block]:
    """'N-N+2 : faire passer le taux de A % à B %': A is today's level, B the target due at the period's end."""
    y = c.year
    a, b = Decimal(c.rng.randint(20, 45)), Decimal(c.rng.randint(50, 80))
    wa, wb = pct_text(a, c.rng), pct_text(b, c.rng)
    text = c.pick(
        (
            f"{y}-{y + 2} : faire passer le taux de sorties positives de {wa} à {wb}.",
            f"Sur {y}-{y + 2}, l'ambition est de porter la part des contrats signés de {wa} à {wb}.",
        )
    )
    return [_para(Written(text, [Fact(wa, a, "percent", y, "actual"), Fact(wb, b, "percent", y + 2, "target")]))]


def budget_by_year(c: Ctx) -> list[Block]:
    """'Budget détaillé sur N – N+2 :' then '1ère année : X €', '2ème année : Y €': each amount planned for the
    plan's year of that rank (part total: the whole cost of the action)."""
    y = c.year
    blocks: list[Block] = [("line", f"Budget détaillé sur {y} – {y + 2} :")]
    for rank in range(c.rng.randint(2, 3)):
        value = c.rng.randrange(10_000, 200_000, 500)
        w = _money(value)
        text = f"{ORDINALS[rank]} : {w}"
        blocks.append(
            _para(Written(text, [Fact(w, Decimal(value), "EUR", y + rank, "budget", part="total", stage="planned")]))
        )
    return blocks


# --- a report: perspectives, a partner's action, undated shares under a data note ----------------------------------


def perspectives(c: Ctx) -> list[Block]:
    """'Perspectives N+1' in a report on N: undated plans are next year's targets; the services that exist are
    counted as they are (results) for that year."""
    nxt = c.year + 1
    thing, _ = c.pick(THINGS)
    k, wk = _count(c, 3, 60)
    service, s = _service(c)
    items = [
        c.pick(
            (
                Written(f"Programmation de {wk} {thing}.", [Fact(wk, Decimal(k), "count", nxt, "target")]),
                Written(f"Le service proposera {wk} {thing}.", [Fact(wk, Decimal(k), "count", nxt, "target")]),
            )
        ),
        Written(
            f"Les {s} {service} relaieront l'information auprès du public.",
            [Fact(str(s), Decimal(s), "count", nxt, "actual", subject=service)],
        ),
    ]
    return [("line", c.pick((f"Perspectives {nxt}", "Perspectives"))), *(_para(w) for w in items)]


def partner_action(c: Ctx) -> list[Block]:
    """An action a partner structure runs, under its name: its own activity is local."""
    name = c.pick(PARTNERS).format(town=c.pick(TOWNS))
    pop, verb, subject, _ = c.pick(POPULATIONS)
    m, wm = _count(c, 20, 400)
    thing, tverb = c.pick(THINGS)
    k, wk = _count(c, 3, 60)
    text = c.pick(
        (
            f"En {c.year}, {wm} {pop} ont été {verb} et {wk} {thing} ont été {tverb}.",
            f"La structure a {verb.rstrip('s')} {wm} {pop} en {c.year} ; {wk} {thing} ont été {tverb}.",
        )
    )
    facts = [
        Fact(wm, Decimal(m), "count", c.year, "actual", "local", subject=subject),
        Fact(wk, Decimal(k), "count", c.year, "actual", "local"),
    ]
    return [("line", name), _para(Written(text, facts))]


def noted_shares(c: Ctx) -> list[Block]:
    """Undated shares of a population, then the chart's caption and a data note giving the year they are about."""
    noted = c.year - c.rng.randint(1, 2)
    a, b = c.pct(), c.pct()
    wa, wb = pct_text(a, c.rng), pct_text(b, c.rng)
    text = c.pick(
        (
            f"{wa.capitalize()} des allocataires vivent seuls et {wb} élèvent seuls leurs enfants.",
            f"Parmi les allocataires, {wa} sont des femmes et {wb} sont locataires du parc social.",
        )
    )
    note = c.pick((f"Source : CAF, données au 31 décembre {noted}", f"Champ : foyers allocataires en décembre {noted}"))
    return [
        _para(Written(text, [Fact(wa, a, "percent", noted, "actual"), Fact(wb, b, "percent", noted, "actual")])),
        ("line", "Profil des allocataires"),
        ("line", note),
    ]
