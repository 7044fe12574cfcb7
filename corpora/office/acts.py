"""Conventions and avenants (articles, then the forecast recap in a landscape section), annexe-10 execution tables
(a Calc workbook or a landscape Word table) and deliberation excerpts, as office documents."""

from __future__ import annotations

from decimal import Decimal

from corpora.office.context import OfficeCtx
from corpora.office.recap import execution_columns, forecast_columns, recap_grid, recap_widths
from corpora.plan import Action

LANDSCAPE_WIDTH_CM = 25.7


def _sum(values) -> Decimal:
    return sum(values, Decimal(0))


def build_office_convention(ctx: OfficeCtx) -> None:
    """The initial convention (first year) or the year's avenant, with its forecast recap annexed."""
    plan, y = ctx.plan, ctx.year
    first = y == plan.years[0]
    ctx.add(
        "title",
        "CONVENTION D'APPUI À LA LUTTE CONTRE LA PAUVRETÉ ET D'ACCÈS À L'EMPLOI 2019-2021"
        if first
        else f"AVENANT N°{y - plan.years[0]} À LA CONVENTION D'APPUI À LA LUTTE CONTRE LA PAUVRETÉ "
        "ET D'ACCÈS À L'EMPLOI",
    )
    ctx.add("h2", f"Entre l'État, représenté par le préfet, et le Département de {plan.dept.name}")
    ctx.add("h2", "Article 1 – Objet")
    ctx.add(
        "p",
        "La convention fixe les engagements réciproques des parties pour la stratégie de prévention et de lutte "
        "contre la pauvreté."
        if first
        else f"Le présent avenant met à jour, pour {y}, les actions contractualisées et leur financement.",
    )
    ctx.add("h2", "Article 2 – Engagements financiers")
    money = [a.money[y] for a in plan.actions]
    etat, dept = _sum(m.etat for m in money), _sum(m.dept for m in money)
    raw_e, raw_d = ctx.money(etat, "space"), ctx.money(dept, "space_dec")
    ctx.prose(
        f"Au titre de {y}, l'État verse au Département une participation de {raw_e} ; le Département engage de son "
        f"côté {raw_d}.",
        [(etat, raw_e), (dept, raw_d)],
        section="Article 2",
    )
    ctx.add("p", "Le tableau financier annexé détaille ces montants par action.")
    ctx.add("h2", "Article 3 – Suivi")
    ctx.add("p", "Un rapport d'exécution et le tableau des indicateurs sont transmis chaque année.")
    ctx.add("p", f"Fait à la préfecture, le {ctx.date_long()}.")
    ctx.add("landscape")
    ctx.add("h1", f"Annexe – Tableau financier récapitulatif prévisionnel {y}")
    defect = plan.defects.get((y, ctx.doc_type)) or plan.defects.get((y, "convention"))
    cols = forecast_columns(y)
    recap_grid(ctx, cols, f"Tableau financier prévisionnel {y}", defect, recap_widths(ctx, cols, LANDSCAPE_WIDTH_CM))


def build_office_annexe10(ctx: OfficeCtx) -> None:
    """The annexe-10 execution recap of the year (16 columns), landscape."""
    plan, y = ctx.plan, ctx.year
    if ctx.layout.source == "docx":
        ctx.add("landscape")
    ctx.add("h1", "ANNEXE 10 – TABLEAU FINANCIER RÉCAPITULATIF")
    ctx.add("h2", f"Convention stratégie pauvreté – Région {plan.dept.region} – Département {plan.dept.name}")
    ctx.add("h2", f"Exécution budgétaire {y}")
    cols = execution_columns(y)
    recap_grid(
        ctx,
        cols,
        f"Exécution budgétaire {y}",
        plan.defects.get((y, ctx.doc_type)),
        recap_widths(ctx, cols, LANDSCAPE_WIDTH_CM),
    )


def build_office_deliberation(ctx: OfficeCtx) -> None:
    """A deliberation excerpt approving the report: amounts in prose (M€, k€, dotted euros)."""
    plan, y = ctx.plan, ctx.year
    money = [a.money[y] for a in plan.actions]
    total = _sum(m.total for m in money)
    realised = _sum(m.realised for m in money)
    etat = _sum(m.etat for m in money)
    stated_m = (total / Decimal(1_000_000)).quantize(Decimal("0.01")) * Decimal(1_000_000)
    raw_m = ctx.money(stated_m, "meur")
    etat_k = (etat / 1000).quantize(Decimal("0.1")) * 1000
    raw_k = ctx.money(etat_k, "keur")
    raw_real = ctx.money(realised, "dot_dec")
    biggest: Action = max(plan.actions, key=lambda a: a.money[y].dept)
    raw_dot = ctx.money(biggest.money[y].dept, "dot")
    ctx.add("title", "EXTRAIT DU PROCÈS-VERBAL DES DÉLIBÉRATIONS")
    ctx.add("h2", f"Séance du {ctx.date_long()}")
    ctx.add("h2", f"Objet : convention d'appui à la lutte contre la pauvreté – rapport d'exécution {y}")
    ctx.add("p", f"Le Conseil départemental de {plan.dept.name}, réuni sous la présidence de son président,")
    ctx.add("p", "Vu le code général des collectivités territoriales ;")
    ctx.prose(
        f"Considérant que les actions contractualisées pour {y} représentent un budget global d'environ {raw_m} ;",
        [(stated_m, raw_m)],
        approximate=True,
        exact=format(total, "f"),
        section="considérants",
    )
    ctx.prose(
        f"Considérant que l'État y participe à hauteur de {raw_k} et que {raw_real} ont été dépensés au 31 décembre ;",
        [(etat_k, raw_k), (realised, raw_real)],
        section="considérants",
    )
    ctx.add("h2", "APRÈS EN AVOIR DÉLIBÉRÉ, DÉCIDE")
    ctx.add("p", f"Article 1 : le rapport d'exécution {y} est approuvé ;")
    ctx.prose(
        f"Article 2 : la part départementale de l'action « {biggest.label} » est arrêtée à {raw_dot} ;",
        [(biggest.money[y].dept, raw_dot)],
        section="Article 2",
        measure_id=biggest.measure.id,
    )
    ctx.add("p", f"Adopté par {ctx.rng('votes').randint(20, 40)} voix pour.")
