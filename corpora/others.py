"""Conventions and avenants with their financial table, annexe-10 execution tables, and deliberations."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer

from corpora.compose import Ctx, render
from corpora.layout import Money, Row, make_table, para, prose, rot
from corpora.plan import Action

SUM = "sum"


def _sum(values) -> Decimal:
    return sum(values, Decimal(0))


def _column_totals(cell_rows: list[list[Money]], year: int) -> list[Money]:
    """A total row's cells: each column's sum, with that column's meaning."""
    return [
        Money(_sum(r[i].amount for r in cell_rows), c.role, year, c.column, True, c.kind, stage=c.stage, part=c.part)
        for i, c in enumerate(cell_rows[0])
    ]


def _financial_table(
    ctx: Ctx,
    columns: list[tuple],
    kind: str,
    title: str,
    defect: str | None = None,
    font_size: float = 7,
):
    """Annexe-10 style table: one row per action, a sub-total per measure, TOTAUX FINANCIERS.

    `columns` are (header, role, kind, getter(money) -> Decimal, stage, part); a column whose role is "total" and
    kind "forecast" is the row sum of the etat/report/departement/autre forecast columns.
    """
    y, lay, plan = ctx.year, ctx.layout, ctx.plan
    landscape = lay.landscape
    label_w = (3.2 if not landscape else 5 if lay.wrap_labels else 6.5) * cm
    money_w = ((25.6 if landscape else 16.9) * cm - 1.1 * cm - label_w) / len(columns)
    widths = [1.1 * cm, label_w, *[money_w] * len(columns)]
    header = [["Fiche action N°", "Intitulé de l'action", *[rot(h) if lay.rotated_headers else h for h, *_ in columns]]]
    rows: list[Row] = []
    groups: list[tuple[Row, list[Row]]] = []
    for m in plan.measures():
        members = []
        for a in plan.actions_of(m):
            cells = [
                Money(get(a.money[y]), role, y, head, kind=k, stage=st, part=pt)
                for head, role, k, get, st, pt in columns
            ]
            row = Row([a.number, a.label, *cells], a.label, measure_id=m.id, level="action", action=a.label)
            members.append(row)
        sub_cells = _column_totals([r.cells[2:] for r in members], y)
        label = f"Sous total {m.number}"
        sub = Row(["", label, *sub_cells], label, is_total=True, measure_id=m.id, level="measure")
        rows += [*members, sub]
        groups.append((sub, members))
    grand = _column_totals([g[0].cells[2:] for g in groups], y)
    rows.append(Row(["", "TOTAUX FINANCIERS", *grand], "TOTAUX FINANCIERS", is_total=True, level="grand_total"))
    planted = _plant(ctx, defect, rows, columns)
    table = make_table(
        ctx.truth,
        ctx.styles,
        lay,
        kind=kind,
        title=title,
        section="annexe 10",
        header=header,
        rows=rows,
        widths=widths,
        font_size=font_size,
    )
    parts_idx = [
        i
        for i, (_, role, k, *_) in enumerate(columns)
        if k == "forecast" and role in ("etat", "report", "departement", "autre")
    ]
    total_idx = [i for i, (_, role, k, *_) in enumerate(columns) if k == "forecast" and role == "total"]
    for row in rows:
        for t in total_idx:
            ctx.truth.relation(SUM, row.cells[2 + t].cid, [row.cells[2 + i].cid for i in parts_idx])
    for i in range(len(columns)):
        for sub, members in groups:
            ctx.truth.relation(SUM, sub.cells[2 + i].cid, [r.cells[2 + i].cid for r in members])
        ctx.truth.relation(SUM, rows[-1].cells[2 + i].cid, [g[0].cells[2 + i].cid for g in groups])
    if planted:
        kind_, cell, correct = planted
        ctx.truth.defect(
            kind_,
            cell=cell.cid,
            table=len(ctx.truth.tables) - 1,
            declared=cell.amount,
            correct=correct,
            row_label=next(r.label for r in rows if any(c is cell for c in r.cells)),
            column_label=cell.column,
            message="printed total differs from the sum of its parts",
        )
    return table, rows


def _plant(ctx: Ctx, kind: str | None, rows: list[Row], columns) -> tuple[str, Money, Decimal] | None:
    """Wrong total (a sub-total off by a round sum) or wrong part sum (a row's budget global off)."""
    if kind == "total_mismatch":
        sub = next(r for r in rows if r.is_total)
        cell = sub.cells[2]
    elif kind == "part_sum_mismatch":
        t = next((i for i, c in enumerate(columns) if c[1] == "total" and c[2] == "forecast"), None)
        if t is None:
            return None
        cell = next(r for r in rows if not r.is_total).cells[2 + t]
    else:
        return None
    correct = cell.amount
    cell.amount = correct + Decimal(ctx.rng("defect").choice([1000, 2500, 10000, 15000]))
    return kind, cell, correct


def _columns_forecast(year: int) -> list:
    """Columns of the forecast table (annexe-10 model): header, role, kind, amount, stage, part."""
    return [
        (f"A Participation État {year}", "etat", "forecast", lambda m: m.etat, "planned", "etat"),
        (f"B Crédits État {year - 1} reportés sur {year}", "report", "forecast", lambda m: m.report_etat)
        + ("carried_in", "etat"),
        (f"C Crédits CD affectés en {year}", "departement", "forecast", lambda m: m.dept, "planned", "departement"),
        ("Dont valorisation CD", "valorisation", "forecast", lambda m: m.valorisation, "valorisation", "departement"),
        (f"D Crédits CD {year - 1} reprogrammés", "report", "forecast", lambda m: m.report_cd)
        + ("carried_in", "departement"),
        ("E Autres financeurs", "autre", "forecast", lambda m: m.other, "planned", "other"),
        (f"F Budget global {year} (A+B+C+D+E)", "total", "forecast", lambda m: m.total, "planned", "total"),
    ]


# In the execution table the year's credits are those made available (versés, affectés): allocated.
_ALLOCATED_IN_EXECUTION = {"etat", "departement", "autre"}


def _columns_execution(year: int, full: bool) -> list:
    """Columns of the execution table: the forecast's, the year's credits as allocated, then what was spent."""
    cols = _columns_forecast(year)
    cols = [c for c in cols if full or c[1] not in ("valorisation", "autre")]
    cols = [(*c[:4], "allocated", c[5]) if c[1] in _ALLOCATED_IN_EXECUTION else c for c in cols]
    cols[0] = (f"A Crédits État versés en {year}", *cols[0][1:])
    cols += [(f"Montant total réalisé au 31/12/{year}", "total", "executed", lambda m: m.realised, "executed", "total")]
    if full:
        cols += [
            ("Dont valorisation de dépenses du CD", "valorisation", "executed", lambda m: m.valorisation)
            + ("valorisation", "departement")
        ]
    cols += [
        (f"Montant à reporter en {year + 1} - Part État", "non_consomme", "executed", lambda m: m.carry_etat)
        + ("to_carry_over", "etat"),
        (f"Montant à reporter en {year + 1} - Part CD", "non_consomme", "executed", lambda m: m.carry_cd)
        + ("to_carry_over", "departement"),
    ]
    return cols


def build_convention(ctx: Ctx, path: Path) -> None:
    """The initial convention (first year) or the year's avenant, with its forecast financial table."""
    plan, y, s = ctx.plan, ctx.year, ctx.styles
    first = y == plan.years[0]
    title = (
        "CONVENTION D'APPUI À LA LUTTE CONTRE LA PAUVRETÉ ET D'ACCÈS À L'EMPLOI 2019-2021"
        if first
        else f"AVENANT N°{y - plan.years[0]} À LA CONVENTION D'APPUI À LA LUTTE CONTRE LA PAUVRETÉ "
        "ET D'ACCÈS À L'EMPLOI"
    )
    money = [a.money[y] for a in plan.actions]
    etat, dept = _sum(m.etat for m in money), _sum(m.dept for m in money)
    raw_e, raw_d = ctx.money(etat, "space"), ctx.money(dept, "dot")
    story = [
        Spacer(1, 1 * cm),
        para(title, s.title),
        para(f"entre l'État, représenté par le préfet du département, et le Département de {plan.dept.name}", s.h2),
        para("Article 1 – Objet", s.h2),
        para(
            "La présente convention fixe les engagements réciproques des parties pour la mise en œuvre "
            "locale de la stratégie de prévention et de lutte contre la pauvreté."
            if first
            else f"Le présent avenant actualise, pour l'année {y}, les actions et les montants de la convention.",
            s.body,
        ),
        para("Article 2 – Engagements financiers", s.h2),
        prose(
            ctx.truth,
            s,
            f"Pour l'année {y}, l'État apporte au Département un soutien financier de {raw_e}, "
            f"auquel s'ajoute une participation départementale de {raw_d}.",
            [(etat, raw_e), (dept, raw_d)],
            section="Article 2",
        ),
        para("Le détail des montants par action figure dans le tableau financier annexé.", s.body),
        para("Article 3 – Suivi et évaluation", s.h2),
        para(
            "Le Département transmet chaque année un rapport d'exécution accompagné du tableau des indicateurs.", s.body
        ),
        para(f"Fait à la préfecture, le {ctx.date_long()}.", s.body),
    ]
    if ctx.layout.landscape:
        story += [NextPageTemplate("landscape")]
    story += [PageBreak(), para(f"Annexe – Tableau financier récapitulatif prévisionnel {y}", s.h1)]
    defect = plan.defects.get((y, ctx.doc_type)) or plan.defects.get((y, "convention"))
    table, _ = _financial_table(
        ctx, _columns_forecast(y), "financial_model", f"Tableau financier prévisionnel {y}", defect
    )
    story.append(table)
    render(
        ctx,
        story,
        path,
        f"Département {plan.dept.name} – {'convention' if first else 'avenant'} {y}",
        "Convention d'appui à la lutte contre la pauvreté et d'accès à l'emploi",
        title.capitalize(),
    )


def build_annexe10(ctx: Ctx, path: Path) -> None:
    """The annexe-10 execution table of the year, printed landscape (columns A to F, realised, carried)."""
    plan, y, s = ctx.plan, ctx.year, ctx.styles
    story: list = [
        para("ANNEXE 10 – TABLEAU FINANCIER RÉCAPITULATIF", s.h1),
        para(f"Convention stratégie pauvreté – Région {plan.dept.region} – Département {plan.dept.name}", s.h2),
        para(f"Exécution budgétaire {y}", s.h2),
    ]
    table, _ = _financial_table(
        ctx,
        _columns_execution(y, ctx.layout.landscape),
        "financial_model",
        f"Exécution budgétaire {y}",
        plan.defects.get((y, ctx.doc_type)),
        font_size=7 if ctx.layout.landscape else 6,
    )
    story.append(table)
    render(
        ctx,
        story,
        path,
        f"Département {plan.dept.name} – tableau financier {y}",
        f"Annexe 10 – exécution {y}",
        f"Tableau financier récapitulatif {y} – {plan.dept.name}",
        start_landscape=ctx.layout.landscape,
    )


def build_deliberation(ctx: Ctx, path: Path) -> None:
    """A deliberation approving the year's report: prose only, amounts in M€, k€ and dotted euros."""
    plan, y, s = ctx.plan, ctx.year, ctx.styles
    rng = ctx.rng("delib")
    money = [a.money[y] for a in plan.actions]
    total = _sum(m.total for m in money)
    etat = _sum(m.etat for m in money)
    realised = _sum(m.realised for m in money)
    stated_m = (total / Decimal(1_000_000)).quantize(Decimal("0.01")) * Decimal(1_000_000)
    raw_m = ctx.money(stated_m, "meur")
    biggest: Action = max(plan.actions, key=lambda a: a.money[y].dept)
    dept_part = biggest.money[y].dept
    raw_dot = ctx.money(dept_part, "dot")
    etat_k = (etat / 1000).quantize(Decimal("0.1")) * 1000
    raw_k = ctx.money(etat_k, "keur")
    raw_real = ctx.money(realised, "dot_dec")
    votes = rng.randint(20, 40)
    story = [
        para("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DE LA COMMISSION PERMANENTE", s.title),
        para(f"Réunion du {ctx.date_long()}", s.h2),
        para(
            f"Objet : rapport d'exécution {y} de la convention d'appui à la lutte contre la pauvreté "
            "et d'accès à l'emploi",
            s.h2,
        ),
        para(
            f"La commission permanente du Conseil départemental de {plan.dept.name}, régulièrement convoquée, "
            "s'est réunie sous la présidence de son président.",
            s.body,
        ),
        para("Vu le code général des collectivités territoriales ;", s.body),
        para("Vu la convention conclue avec l'État et ses avenants successifs ;", s.body),
        prose(
            ctx.truth,
            s,
            f"Considérant que le budget global des actions contractualisées pour {y} s'élève à "
            f"environ {raw_m}, toutes parts confondues ;",
            [(stated_m, raw_m)],
            approximate=True,
            exact=format(total, "f"),
            section="considérants",
        ),
        prose(
            ctx.truth,
            s,
            f"Considérant que la participation de l'État inscrite pour {y} représente {raw_k} "
            f"et que les dépenses réalisées au 31 décembre atteignent {raw_real} ;",
            [(etat_k, raw_k), (realised, raw_real)],
            section="considérants",
        ),
        para("DÉCIDE", s.h2),
        para(f"Article 1 : d'approuver le rapport d'exécution {y} annexé à la présente délibération ;", s.body),
        prose(
            ctx.truth,
            s,
            f"Article 2 : de prendre acte que le financement départemental attribué à l'action "
            f"« {biggest.label} » est de {raw_dot} ;",
            [(dept_part, raw_dot)],
            section="Article 2",
            measure_id=biggest.measure.id,
        ),
        para("Article 3 : d'autoriser le président à transmettre ce rapport au représentant de l'État.", s.body),
        para(f"Adopté à l'unanimité des {votes} membres présents ou représentés.", s.body),
    ]
    render(
        ctx,
        story,
        path,
        f"Département {plan.dept.name} – délibération",
        f"Commission permanente du {ctx.date_long()}",
        f"Délibération – rapport d'exécution {y}",
    )
