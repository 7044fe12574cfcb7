"""Rapports d'exécution: the 2019 model (per measure Prévisionnel/Réalisé tables) and the 2021 model (annexe 6)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer

from corpora.compose import Ctx, indicator_text, render
from corpora.french import format_french
from corpora.layout import Money, Row, Value, make_table, para, prose, rot
from corpora.names import Measure
from corpora.plan import Series
from corpora.truth import Truth

SUM = "sum"


def _sum(values) -> Decimal:
    return sum(values, Decimal(0))


def build_report(ctx: Ctx, path: Path) -> None:
    """Compose and render the year's rapport d'exécution (2019 model up to 2020, 2021 model after)."""
    plan, y, s = ctx.plan, ctx.year, ctx.styles
    modern = y >= 2021
    story: list = [
        Spacer(1, 1.5 * cm),
        para(
            "RAPPORT D'EXÉCUTION DE LA CONVENTION D'APPUI À LA LUTTE CONTRE LA PAUVRETÉ ET D'ACCÈS À L'EMPLOI", s.title
        ),
        para(f"Année {y}", s.title),
        para(f"Département : {plan.dept.name} – Région {plan.dept.region}", s.h2),
        para(f"Rapport établi le {ctx.date_long()}.", s.body),
        para(_intro(ctx), s.body),
    ]
    summary = _summary(ctx)
    story += [para("Synthèse financière", s.h1), summary["table"]]
    for number, measure in enumerate(plan.measures(), start=1):
        story += _measure_section(ctx, number, measure, summary, modern)
    if ctx.layout.split_tables:
        story += [PageBreak(), para("Annexe : détail des dépenses réalisées par action", s.h1), _detail_table(ctx)]
    title = f"Rapport d'exécution {y} – Département {plan.dept.name}"
    render(
        ctx,
        story,
        path,
        f"Convention d'appui à la lutte contre la pauvreté – rapport d'exécution {y}",
        f"Département {plan.dept.name}",
        title,
    )


def _intro(ctx: Ctx) -> str:
    rng = ctx.rng("intro")
    openings = (
        "Ce document retrace, mesure par mesure, l'emploi des crédits prévus par la convention "
        "et les résultats obtenus.",
        "Le présent bilan rend compte de la mise en œuvre des actions contractualisées avec l'État "
        "et de leur financement.",
        "Les pages qui suivent présentent l'état d'avancement des engagements pris et la consommation des crédits.",
    )
    return f"{rng.choice(openings)} Il porte sur la période du 1er janvier au 31 décembre {ctx.year}."


def _measure_money(ctx: Ctx, measure: Measure) -> dict[str, Decimal]:
    acts = [a.money[ctx.year] for a in ctx.plan.actions_of(measure)]
    return {
        "etat": _sum(m.etat for m in acts),
        "dept": _sum(m.dept for m in acts),
        "report": _sum(m.report_etat + m.report_cd for m in acts),
    }


def _summary(ctx: Ctx) -> dict:
    """Summary of the year's forecast per measure; cells kept so measure tables can be tied to it."""
    y, lay = ctx.year, ctx.layout
    money_of = [_measure_money(ctx, m) for m in ctx.plan.measures()]
    with_report = any(mm["report"] for mm in money_of)
    # (key, header, role, stage, part) of each part column, then the total
    parts = [
        ("etat", f"Part État {y}", "etat", "planned", "etat"),
        ("dept", f"Part Département {y}", "departement", "planned", "departement"),
    ]
    if with_report:
        parts.append(("report", f"Crédits reportés {y - 1}", "report", "carried_in", "total"))
    cols = [p[1] for p in parts] + ["Total"]
    rows, cells = [], {}
    for number, (m, mm) in enumerate(zip(ctx.plan.measures(), money_of, strict=True), start=1):
        money = [Money(mm[k], role, y, head, stage=st, part=pt) for k, head, role, st, pt in parts]
        money.append(Money(_sum(c.amount for c in money), "total", y, "Total", stage="planned", part="total"))
        rows.append(Row([f"{number}. {m.name}", *money], f"{number}. {m.name}", measure_id=m.id, level="measure"))
        cells[m.id] = money
    totals = [
        Money(_sum(r.cells[i].amount for r in rows), r0.role, y, r0.column, True, stage=r0.stage, part=r0.part)
        for i, r0 in ((i, rows[0].cells[i]) for i in range(1, len(cols) + 1))
    ]
    rows.append(Row(["TOTAL", *totals], "TOTAL", is_total=True, level="grand_total"))
    planted = _plant_cross_table(ctx, rows)
    label = 7 if lay.wrap_labels else 8.5
    widths = [label * cm] + [(17 - label) * cm / len(cols)] * len(cols)
    table = make_table(
        ctx.truth,
        ctx.styles,
        lay,
        kind="summary",
        title=f"Synthèse des crédits {y}",
        section="0",
        header=[["Mesure", *cols]],
        rows=rows,
        widths=widths,
    )
    for r in rows:
        ctx.truth.relation(SUM, r.cells[-1].cid, [c.cid for c in r.cells[1:-1]])
    for i in range(1, len(cols) + 1):
        ctx.truth.relation(SUM, rows[-1].cells[i].cid, [r.cells[i].cid for r in rows[:-1]])
    if planted is not None:
        cell = rows[0].cells[1]
        ctx.truth.defect(
            "cross_table_mismatch",
            cell=cell.cid,
            table=0,
            declared=cell.amount,
            correct=cell.amount - planted,
            measure_id=rows[0].measure_id,
            message="summary table and measure table disagree on the part État",
        )
    return {"table": table, "cells": cells, "rows": rows, "cols": cols}


def _measure_section(ctx: Ctx, number: int, measure: Measure, summary: dict, modern: bool) -> list:
    s, y = ctx.styles, ctx.year
    story = [
        para(f"{number}. {measure.name}", s.h1),
        para(f"{number}.1. Description", s.h2),
        para(_description(ctx, measure), s.body),
        para(f"{number}.2. Budget", s.h2),
        para(f"{number}.2.1. Budget prévisionnel figurant dans la convention : État, Département, total", s.h3),
    ]
    story.append(_forecast_table(ctx, number, measure, summary))
    story.append(para(f"{number}.2.2. Budget exécuté", s.h3))
    story += _executed(ctx, number, measure, modern)
    series = [x for x in ctx.plan.series if x.measure is measure]
    if series:
        story.append(para(f"{number}.3. Indicateurs", s.h2))
        story.append(para(f"Les indicateurs sont arrêtés au 31 décembre {y}.", s.italic))
        landscape = modern and ctx.layout.landscape
        if landscape:
            story += [NextPageTemplate("landscape"), PageBreak()]
        story.append(_indicator_table(ctx, number, measure, series, modern, landscape))
        if landscape:
            story += [NextPageTemplate("portrait"), PageBreak()]
    return story


def _description(ctx: Ctx, measure: Measure) -> str:
    rng = ctx.rng("desc", measure.id)
    acts = ctx.plan.actions_of(measure)
    names = ", ".join(a.label.lower() for a in acts)
    verbs = ("s'appuie sur", "se décline en", "regroupe")
    tails = (
        "Le calendrier initial a été globalement respecté.",
        "Certaines actions ont connu un démarrage plus tardif que prévu.",
        "Les partenaires associés ont été réunis à plusieurs reprises au cours de l'année.",
    )
    return f"La mesure {rng.choice(verbs)} les actions suivantes : {names}. {rng.choice(tails)}"


def _forecast_table(ctx: Ctx, number: int, measure: Measure, summary: dict):
    """The measure's forecast: rows Financement État / Département (/ reports) / TOTAL, or the same as columns."""
    y, lay = ctx.year, ctx.layout
    mm = _measure_money(ctx, measure)
    items = [
        ("Financement État (FALPAE)", "etat", mm["etat"], "planned", "etat"),
        ("Département", "departement", mm["dept"], "planned", "departement"),
    ]
    if mm["report"]:
        items.append((f"Crédits reportés {y - 1}", "report", mm["report"], "carried_in", "total"))
    col = f"Prévisionnel {y}"
    amount = _sum(it[2] for it in items)
    if lay.columns_orientation:
        money = [Money(v, r, y, lab, stage=st, part=pt) for lab, r, v, st, pt in items]
        money.append(Money(amount, "total", y, "TOTAL", is_total=True, stage="planned", part="total"))
        rows = [Row([measure.name, *money], measure.name, measure_id=measure.id, level="measure")]
        header = [["Mesure", *[it[0] for it in items], "TOTAL"]]
        widths = [6 * cm] + [11 * cm / (len(items) + 1)] * (len(items) + 1)
        parts, total = money[:-1], money[-1]
    else:
        rows = [
            Row([lab, Money(v, r, y, col, stage=st, part=pt)], lab, measure_id=measure.id, level="measure")
            for lab, r, v, st, pt in items
        ]
        total = Money(amount, "total", y, col, is_total=True, stage="planned", part="total")
        rows.append(Row(["TOTAL", total], "TOTAL", is_total=True, measure_id=measure.id, level="measure"))
        header, widths = [["", col]], [7 * cm, 4 * cm]
        parts = [r.cells[1] for r in rows[:-1]]
    malformed = _malform(ctx, total)
    table = make_table(
        ctx.truth,
        ctx.styles,
        lay,
        kind="forecast",
        title=f"Prévisionnel {y} – {measure.name}",
        section=f"{number}.2.1",
        header=header,
        rows=rows,
        widths=widths,
        measure_id=measure.id,
    )
    ctx.truth.relation(SUM, total.cid, [p.cid for p in parts])
    for p, cell in zip(parts, summary["cells"][measure.id], strict=False):
        ctx.truth.relation("equal", cell.cid, [p.cid])
    if malformed:
        _record_malformed(ctx, total)
    return table


def _malform(ctx: Ctx, cell: Money) -> bool:
    """Print a cents total `312.222.40 €`-style if this document carries that defect and none is placed yet."""
    if ctx.plan.defects.get((ctx.year, ctx.doc_type)) != "malformed_number" or ctx.truth.defects:
        return False
    if cell.amount == cell.amount.to_integral_value():
        return False
    cell.raw = format_french(cell.amount, "malformed")
    return True


def _record_malformed(ctx: Ctx, cell: Money) -> None:
    for c in ctx.truth.budget_cells:
        if c["id"] == cell.cid:
            c["malformed"] = True
    ctx.truth.defect(
        "malformed_number",
        cell=cell.cid,
        table=int(cell.cid[1:].split("r")[0]),
        raw=cell.raw,
        declared=cell.amount,
        correct=cell.amount,
        message="dot used both as thousands separator and decimal mark",
    )


def _executed(ctx: Ctx, number: int, measure: Measure, modern: bool) -> list:
    y, lay = ctx.year, ctx.layout
    acts = ctx.plan.actions_of(measure)
    if modern:
        story = []
        for k, a in enumerate(acts, start=1):
            m = a.money[y]
            items = [
                ("Dépenses exécutées sur la part financée par l'État", "etat", m.exec_etat, "executed", "etat"),
                (f"Crédits à reporter sur {y + 1} – part État", "non_consomme", m.carry_etat, "to_carry_over", "etat"),
                (
                    "Dépenses exécutées sur la part financée par le Département",
                    "departement",
                    m.exec_cd,
                    "executed",
                    "departement",
                ),
                (
                    f"Crédits à reprogrammer sur {y + 1} – part Département",
                    "non_consomme",
                    m.carry_cd,
                    "to_carry_over",
                    "departement",
                ),
            ]
            col = f"Au 31/12/{y}"
            rows = [
                Row(
                    [lab, Money(v, r, y, col, kind="executed", stage=st, part=pt)],
                    lab,
                    measure_id=measure.id,
                    level="action",
                    action=a.label,
                )
                for lab, r, v, st, pt in items
            ]
            # spent plus still to carry: what the action had available in the year
            total = Money(
                _sum(it[2] for it in items), "total", y, col, True, "executed", stage="allocated", part="total"
            )
            rows.append(
                Row(["Total", total], "Total", is_total=True, measure_id=measure.id, level="action", action=a.label)
            )
            malformed = _malform(ctx, total)
            story.append(para(f"Action {number}.{k} : {a.label}", ctx.styles.h3))
            story.append(
                make_table(
                    ctx.truth,
                    ctx.styles,
                    lay,
                    kind="executed",
                    title=f"Exécuté {y} – {a.label}",
                    section=f"{number}.2.2",
                    header=[["", col]],
                    rows=rows,
                    widths=[9 * cm, 4 * cm],
                    measure_id=measure.id,
                )
            )
            ctx.truth.relation(SUM, total.cid, [r.cells[1].cid for r in rows[:-1]])
            if malformed:
                _record_malformed(ctx, total)
        return story
    col = f"Réalisé {y}"
    rows = [
        Row(
            [a.label, Money(a.money[y].realised, "total", y, col, kind="executed", stage="executed", part="total")],
            a.label,
            measure_id=measure.id,
            level="action",
            action=a.label,
        )
        for a in acts
    ]
    total = Money(_sum(r.cells[1].amount for r in rows), "total", y, col, True, "executed", stage="executed")
    total.part = "total"
    rows.append(Row(["TOTAL", total], "TOTAL", is_total=True, measure_id=measure.id, level="measure"))
    widths = [5.5 * cm if lay.wrap_labels else 9 * cm, 4 * cm]
    malformed = _malform(ctx, total)
    table = make_table(
        ctx.truth,
        ctx.styles,
        lay,
        kind="executed",
        title=f"Réalisé {y} – {measure.name}",
        section=f"{number}.2.2",
        header=[["Actions menées", col]],
        rows=rows,
        widths=widths,
        measure_id=measure.id,
    )
    ctx.truth.relation(SUM, total.cid, [r.cells[1].cid for r in rows[:-1]])
    if malformed:
        _record_malformed(ctx, total)
    raw = ctx.money(total.amount, "dot")
    text = f"Au 31 décembre {y}, les dépenses réalisées au titre de cette mesure atteignent {raw}."
    return [
        table,
        prose(ctx.truth, ctx.styles, text, [(total.amount, raw)], section=f"{number}.2.2", measure_id=measure.id),
    ]


def _columns(year: int, modern: bool) -> list[tuple[str, int, str]]:
    """(header, year, value_kind) of an indicator table's value columns."""
    if not modern:
        return [("Situation 2018 du Département", 2018, "baseline")] + [
            (f"Résultat du Département en {y}", y, "actual") for y in range(2019, year + 1)
        ]
    cols = [("Situation 2018 du département", 2018, "baseline")]
    cols += [(f"Résultat atteint en {y}", y, "actual") for y in range(2019, year)]
    cols += [(f"Résultat attendu en {year}", year, "target"), (f"Résultat atteint en {year}", year, "actual")]
    if year < 2022:
        cols.append(("Résultat attendu en 2022 (cible)", 2022, "target"))
    return cols


def _value_of(series: Series, year: int, kind: str):
    if kind == "baseline":
        return series.baseline
    return (series.target if kind == "target" else series.actual).get(year, "NC")


def _indicator_table(ctx: Ctx, number: int, measure: Measure, series: list[Series], modern: bool, landscape: bool):
    lay, style = ctx.layout, ctx.layout.amount_style
    cols = _columns(ctx.year, modern)
    restate = _restatement_target(ctx, series)
    rows = []
    for i, sr in enumerate(series):
        cells: list = [measure.name if i == 0 else "", sr.indicator.name]
        for header, year, kind in cols:
            value = _value_of(sr, year, kind)
            declared = value
            if restate is sr and year == ctx.plan.years[0] and kind == "actual":
                declared = value + max(1, (value * Decimal("0.07")).quantize(Decimal(1)))
            fields = indicator_fields(measure, sr, year, kind, header, declared)
            cells.append(Value(indicator_text(declared, sr.indicator.unit, style), fields))
            if declared != value:
                restatement_defect(ctx.truth, len(ctx.truth.tables), i, sr, year, kind, declared, value)
        cells.append("")
        rows.append(Row(cells, sr.indicator.name, measure_id=measure.id))
    head_rot = modern and lay.rotated_headers
    header = [
        [
            "Nom de la Mesure",
            "Indicateurs",
            *[rot(h) if head_rot else h for h, *_ in cols],
            "Explication" if modern else "Justification des écarts le cas échéant",
        ]
    ]
    total_w = (25.5 if landscape else 17) * cm
    label_w = [3 * cm, (5 if lay.wrap_labels else 6) * cm]
    value_w = 1.5 * cm if head_rot else (1.9 * cm if landscape or not modern else 1.45 * cm)
    rest = total_w - sum(label_w) - value_w * len(cols)
    return make_table(
        ctx.truth,
        ctx.styles,
        lay,
        kind="indicators",
        title=f"Indicateurs – {measure.name}",
        section=f"{number}.3",
        header=header,
        rows=rows,
        widths=[*label_w, *[value_w] * len(cols), max(rest, 1.5 * cm)],
        measure_id=measure.id,
        font_size=7,
    )


def indicator_fields(measure: Measure, sr: Series, year: int, kind: str, header: str, declared) -> dict:
    """The truth fields of one printed indicator value (a number, or a qualifier such as NC)."""
    return {
        "measure_id": measure.id,
        "measure": measure.name,
        "indicator_id": sr.indicator.id,
        "indicator": sr.indicator.name,
        "year": year,
        "value_kind": kind,
        "column_label": header,
        "unit": sr.indicator.unit,
        "value": None if isinstance(declared, str) else format(declared, "f"),
        "qualifier": declared if isinstance(declared, str) else None,
    }


def _restatement_target(ctx: Ctx, series: list[Series]) -> Series | None:
    """The series whose first-year result this report restates, when the document carries that defect."""
    if ctx.plan.defects.get((ctx.year, ctx.doc_type)) != "restatement" or ctx.year <= ctx.plan.years[0]:
        return None
    if any(d["kind"] == "restatement" for d in ctx.truth.defects):
        return None
    for sr in series:
        if not isinstance(sr.actual.get(ctx.plan.years[0]), str) and ctx.plan.years[0] >= 2019:
            return sr
    return None


DETAIL_POSTES = (
    "Frais de personnel",
    "Prestations de service",
    "Subventions aux partenaires",
    "Équipement et systèmes d'information",
    "Communication et animation",
)


def detail_shares(realised: Decimal, rng) -> list[tuple[str, Decimal]]:
    """An action's realised amount split over the expense items, to the cent, summing exactly."""
    weights = [rng.uniform(0.5, 3) for _ in DETAIL_POSTES]
    shares = [(realised * Decimal(str(w / sum(weights)))).quantize(Decimal("0.01")) for w in weights]
    shares[-1] = realised - _sum(shares[:-1])
    return list(zip(DETAIL_POSTES, shares, strict=True))


def _detail_table(ctx: Ctx):
    """A long table (several lines per action) that runs over pages, its total the sum of all lines."""
    y, lay = ctx.year, ctx.layout
    rows = []
    for a in ctx.plan.actions:
        for poste, amount in detail_shares(a.money[y].realised, ctx.rng("detail", a.number)):
            label = f"{a.label} – {poste}"
            cell = Money(amount, "total", y, f"Réalisé {y}", kind="executed", stage="executed", part="total")
            rows.append(Row([a.number, label, cell], label, measure_id=a.measure.id, level="detail", action=label))
    total = Money(_sum(r.cells[2].amount for r in rows), "total", y, f"Réalisé {y}", True, "executed", stage="executed")
    total.part = "total"
    rows.append(Row(["", "TOTAL GÉNÉRAL", total], "TOTAL GÉNÉRAL", is_total=True, level="grand_total"))
    table = make_table(
        ctx.truth,
        ctx.styles,
        lay,
        kind="executed_detail",
        title=f"Détail des dépenses {y}",
        section="annexe",
        header=[["Fiche", "Action et poste de dépense", f"Réalisé {y}"]],
        rows=rows,
        widths=[1.5 * cm, (9 if lay.wrap_labels else 11) * cm, 4 * cm],
    )
    ctx.truth.relation(SUM, total.cid, [r.cells[2].cid for r in rows[:-1]])
    return table


def _plant_cross_table(ctx: Ctx, rows: list[Row]) -> Decimal | None:
    """Raise the first measure's part État in the summary (row and column totals follow), if planted here."""
    if ctx.plan.defects.get((ctx.year, ctx.doc_type)) != "cross_table_mismatch":
        return None
    delta = Decimal(5000)
    for m in (rows[0].cells[1], rows[0].cells[-1], rows[-1].cells[1], rows[-1].cells[-1]):
        m.amount += delta
    return delta


def restatement_defect(
    truth: Truth, table: int, row: int, sr: Series, year: int, kind: str, declared: Decimal, value: Decimal
) -> None:
    """A planted `restatement`: a later report prints another value for a year's result than that year's report."""
    truth.defect(
        "restatement",
        table=table,
        row=row,
        indicator_id=sr.indicator.id,
        indicator=sr.indicator.name,
        year=year,
        value_kind=kind,
        declared=declared,
        correct=value,
        message=f"{year} result restated differently than in the {year} report",
    )
