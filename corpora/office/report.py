"""The rapport d'exécution as a Word document: summary, per measure its budget and indicator tables, and
(by layout) the 16-column landscape execution recap and a long detail table over several pages."""

from __future__ import annotations

from decimal import Decimal

from corpora.names import Measure
from corpora.office.context import OfficeCtx
from corpora.office.grid import Cell, Grid, Row, covered
from corpora.office.indicators import indicator_grid
from corpora.office.recap import execution_columns, recap_grid, recap_widths
from corpora.report import _description, _intro, _measure_money, detail_shares
from corpora.report import _malform as malform
from corpora.report import _record_malformed as record_malformed

SUM = "sum"
PORTRAIT_WIDTH_CM = 17.0
LANDSCAPE_WIDTH_CM = 25.7


def _sum(values) -> Decimal:
    return sum(values, Decimal(0))


def build_office_report(ctx: OfficeCtx) -> None:
    """Compose the year's report into ctx.story (2019 model up to 2020, 2021 model after)."""
    plan, y = ctx.plan, ctx.year
    ctx.add("title", "RAPPORT D'EXÉCUTION DE LA CONVENTION D'APPUI À LA LUTTE CONTRE LA PAUVRETÉ ET D'ACCÈS À L'EMPLOI")
    ctx.add("title", f"Année {y}")
    ctx.add("h2", f"Département : {plan.dept.name} – Région {plan.dept.region}")
    ctx.add("p", f"Rapport établi le {ctx.date_long()}.")
    ctx.add("p", _intro(ctx))
    ctx.add("h1", "Synthèse financière")
    summary = _summary(ctx)
    for number, measure in enumerate(plan.measures(), start=1):
        _measure_section(ctx, number, measure, summary)
    if ctx.layout.landscape_recap:
        ctx.add("landscape")
        ctx.add("h1", f"Annexe – Tableau financier récapitulatif, exécution {y}")
        cols = execution_columns(y)
        recap_grid(ctx, cols, f"Exécution budgétaire {y}", None, recap_widths(ctx, cols, LANDSCAPE_WIDTH_CM))
        ctx.add("portrait")
    if ctx.layout.split_tables:
        if ctx.story[-1].kind != "portrait":  # a new section already starts a page
            ctx.add("pagebreak")
        ctx.add("h1", "Annexe : détail des dépenses réalisées par action")
        _detail(ctx)


def _summary(ctx: OfficeCtx) -> dict[str, list[Cell]]:
    """Forecast per measure (two header lines when stacked); a planted cross-table error raises one part État."""
    y = ctx.year
    with_report = any(_measure_money(ctx, m)["report"] for m in ctx.plan.measures())
    heads = [f"Part État {y}", f"Part Département {y}"] + ([f"Crédits reportés {y - 1}"] if with_report else [])
    spec = [("etat", "planned", "etat"), ("departement", "planned", "departement")]
    spec += [("report", "carried_in", "total")] if with_report else []
    delta = Decimal(5000) if ctx.plan.defects.get((y, ctx.doc_type)) == "cross_table_mismatch" else Decimal(0)
    rows, cells = [], {}
    for number, m in enumerate(ctx.plan.measures(), start=1):
        mm = _measure_money(ctx, m)
        vals = [mm["etat"] + (delta if number == 1 else 0), mm["dept"]] + ([mm["report"]] if with_report else [])
        money = [ctx.amount(v, r, s, p, h) for v, (r, s, p), h in zip(vals, spec, heads, strict=True)]
        money.append(ctx.amount(_sum(vals), "total", "planned", "total", "Total", total=True))
        label = f"{number}. {m.name}"
        rows.append(Row([Cell(label), *money], label, "measure", measure_id=m.id))
        cells[m.id] = money
    totals = [
        ctx.amount(_sum(r.cells[i].amount.amount for r in rows), *_meaning(rows[0].cells[i]), total=True)
        for i in range(1, len(heads) + 2)
    ]
    rows.append(Row([Cell("TOTAL", bold=True), *totals], "TOTAL", "grand_total", is_total=True))
    wrong_total = ctx.plan.defects.get((y, ctx.doc_type)) == "total_mismatch"
    if wrong_total:  # a printed grand total off by a round sum
        a = totals[0].amount
        correct = a.amount
        a.amount += Decimal(ctx.rng("defect").choice([1000, 2500, 10000, 15000]))
        a.raw = totals[0].text = ctx.money(a.amount)
    if ctx.layout.header_lines == 1:
        header = [[Cell("Mesure"), *[Cell(h, align="center") for h in [*heads, "Total"]]]]
    else:
        top = [Cell("Mesure", rows=2), Cell(f"Prévisionnel {y}", align="center", cols=len(heads) + 1)]
        header = [top + covered(len(heads)), covered(1) + [Cell(h, align="center") for h in [*heads, "Total"]]]
    money_w = 2.4 if ctx.layout.narrow else 2.8
    grid = ctx.add_grid(
        Grid(
            "summary",
            f"Synthèse des crédits {y}",
            "0",
            header,
            rows,
            [PORTRAIT_WIDTH_CM - money_w * (len(heads) + 1), *[money_w] * (len(heads) + 1)],
            ctx.layout.cell_font_size,
        )
    )
    for r in rows:
        ctx.truth.relation(SUM, r.cells[-1].amount.cid, [c.amount.cid for c in r.cells[1:-1]])
    for i in range(1, len(heads) + 2):
        ctx.truth.relation(SUM, rows[-1].cells[i].amount.cid, [r.cells[i].amount.cid for r in rows[:-1]])
    if wrong_total:
        ctx.truth.defect(
            "total_mismatch",
            cell=a.cid,
            table=grid.index,
            declared=a.amount,
            correct=correct,
            row_label="TOTAL",
            column_label=a.column,
            message="printed total differs from the sum of its parts",
        )
    if delta:
        cell = rows[0].cells[1].amount
        ctx.truth.defect(
            "cross_table_mismatch",
            cell=cell.cid,
            table=grid.index,
            declared=cell.amount,
            correct=cell.amount - delta,
            measure_id=rows[0].measure_id,
            message="summary table and measure table disagree on the part État",
        )
    return cells


def _meaning(cell: Cell) -> tuple[str, str, str, str]:
    a = cell.amount
    return a.role, a.stage, a.part, a.column


def _measure_section(ctx: OfficeCtx, number: int, measure: Measure, summary: dict) -> None:
    ctx.add("h1", f"{number}. {measure.name}")
    ctx.add("h2", f"{number}.1. Description")
    ctx.add("p", _description(ctx, measure))
    ctx.add("h2", f"{number}.2. Budget")
    ctx.add("h3", f"{number}.2.1. Budget prévisionnel figurant dans la convention : État, Département, total")
    _forecast(ctx, number, measure, summary)
    ctx.add("h3", f"{number}.2.2. Budget exécuté")
    _executed(ctx, number, measure)
    series = [x for x in ctx.plan.series if x.measure is measure]
    if series:
        ctx.add("h2", f"{number}.3. Indicateurs")
        ctx.add("p", f"Les indicateurs sont arrêtés au 31 décembre {ctx.year}.", italic=True)
        indicator_grid(ctx, number, measure, series, landscape=False)


def _forecast(ctx: OfficeCtx, number: int, measure: Measure, summary: dict) -> None:
    y = ctx.year
    mm = _measure_money(ctx, measure)
    items = [
        ("Financement État (FALPAE)", "etat", "planned", "etat", mm["etat"]),
        ("Département", "departement", "planned", "departement", mm["dept"]),
    ]
    if mm["report"]:
        items.append((f"Crédits reportés {y - 1}", "report", "carried_in", "total", mm["report"]))
    total_value = _sum(v for *_, v in items)
    col = f"Prévisionnel {y}"
    if ctx.layout.columns_orientation:
        money = [ctx.amount(v, r, s, p, lab) for lab, r, s, p, v in items]
        money.append(ctx.amount(total_value, "total", "planned", "total", "TOTAL", total=True))
        rows = [Row([Cell(measure.name), *money], measure.name, "measure", measure_id=measure.id)]
        header = [[Cell("Mesure"), *[Cell(lab, align="center") for lab, *_ in items], Cell("TOTAL", align="center")]]
        widths = [5.5, *[2.6] * (len(items) + 1)]
        parts, total = money[:-1], money[-1]
    else:
        rows = [
            Row([Cell(lab), ctx.amount(v, r, s, p, col)], lab, "measure", measure_id=measure.id)
            for lab, r, s, p, v in items
        ]
        total = ctx.amount(total_value, "total", "planned", "total", col, total=True)
        rows.append(Row([Cell("TOTAL", bold=True), total], "TOTAL", "measure", is_total=True, measure_id=measure.id))
        header, widths = [[Cell(""), Cell(col, align="center")]], [7.0, 3.2]
        parts = [r.cells[1] for r in rows[:-1]]
    ctx.add_grid(
        Grid(
            "forecast",
            f"Prévisionnel {y} – {measure.name}",
            f"{number}.2.1",
            header,
            rows,
            widths,
            ctx.layout.cell_font_size,
            measure_id=measure.id,
        )
    )
    ctx.truth.relation(SUM, total.amount.cid, [p.amount.cid for p in parts])
    for p, cell in zip(parts, summary[measure.id], strict=False):
        ctx.truth.relation("equal", cell.amount.cid, [p.amount.cid])


def _executed(ctx: OfficeCtx, number: int, measure: Measure) -> None:
    y = ctx.year
    acts = ctx.plan.actions_of(measure)
    col = f"Au 31/12/{y}" if y >= 2021 else f"Réalisé {y}"
    if y >= 2021:
        for k, a in enumerate(acts, start=1):
            m = a.money[y]
            items = [
                ("Dépenses exécutées sur la part financée par l'État", "etat", "executed", "etat", m.exec_etat),
                (f"Crédits à reporter sur {y + 1} – part État", "non_consomme", "to_carry_over", "etat", m.carry_etat),
                (
                    "Dépenses exécutées sur la part financée par le Département",
                    "departement",
                    "executed",
                    "departement",
                    m.exec_cd,
                ),
                (
                    f"Crédits à reprogrammer sur {y + 1} – part Département",
                    "non_consomme",
                    "to_carry_over",
                    "departement",
                    m.carry_cd,
                ),
            ]
            rows = [
                Row(
                    [Cell(lab), ctx.amount(v, r, s, p, col, kind="executed")],
                    lab,
                    "action",
                    measure_id=measure.id,
                    action=a.number,
                )
                for lab, r, s, p, v in items
            ]
            total = ctx.amount(
                _sum(v for *_, v in items), "total", "allocated", "total", col, kind="executed", total=True
            )
            malformed = _malform(ctx, total)
            rows.append(Row([Cell("Total", bold=True), total], "Total", "action", True, measure.id, a.number))
            ctx.add("h3", f"Action {number}.{k} : {a.label}")
            ctx.add_grid(
                Grid(
                    "executed",
                    f"Exécuté {y} – {a.label}",
                    f"{number}.2.2",
                    [[Cell(""), Cell(col)]],
                    rows,
                    [9.0, 3.2],
                    ctx.layout.cell_font_size,
                    measure_id=measure.id,
                )
            )
            ctx.truth.relation(SUM, total.amount.cid, [r.cells[1].amount.cid for r in rows[:-1]])
            if malformed:
                _record_malformed(ctx, total)
        return
    rows = [
        Row(
            [Cell(a.label), ctx.amount(a.money[y].realised, "total", "executed", "total", col, kind="executed")],
            a.label,
            "action",
            measure_id=measure.id,
            action=a.number,
        )
        for a in acts
    ]
    value = _sum(r.cells[1].amount.amount for r in rows)
    total = ctx.amount(value, "total", "executed", "total", col, kind="executed", total=True)
    malformed = _malform(ctx, total)
    rows.append(Row([Cell("TOTAL", bold=True), total], "TOTAL", "measure", is_total=True, measure_id=measure.id))
    ctx.add_grid(
        Grid(
            "executed",
            f"Réalisé {y} – {measure.name}",
            f"{number}.2.2",
            [[Cell("Actions menées"), Cell(col, align="center")]],
            rows,
            [5.0 if ctx.layout.narrow else 9.0, 3.2],
            ctx.layout.cell_font_size,
            measure_id=measure.id,
        )
    )
    ctx.truth.relation(SUM, total.amount.cid, [r.cells[1].amount.cid for r in rows[:-1]])
    if malformed:
        _record_malformed(ctx, total)
    raw = ctx.money(value, "dot")
    ctx.prose(
        f"Au 31 décembre {y}, les dépenses réalisées au titre de cette mesure atteignent {raw}.",
        [(value, raw)],
        section=f"{number}.2.2",
        measure_id=measure.id,
    )


def _malform(ctx: OfficeCtx, cell: Cell) -> bool:
    """Print a cents total `312.222.40 €`-style where this document carries that defect and none is placed yet."""
    if not malform(ctx, cell.amount):
        return False
    cell.text = cell.amount.raw
    return True


def _record_malformed(ctx: OfficeCtx, cell: Cell) -> None:
    record_malformed(ctx, cell.amount)


def _detail(ctx: OfficeCtx) -> None:
    """A long table, several lines per action, running over pages (header repeated or not, by layout)."""
    y = ctx.year
    col = f"Réalisé {y}"
    rows = []
    for a in ctx.plan.actions:
        for poste, amount in detail_shares(a.money[y].realised, ctx.rng("detail", a.number)):
            label = f"{a.label} – {poste}"
            cell = ctx.amount(amount, "total", "executed", "total", col, kind="executed")
            rows.append(
                Row(
                    [Cell(a.number, align="center"), Cell(label), cell],
                    label,
                    "detail",
                    measure_id=a.measure.id,
                    action=f"{a.number} {label}",  # the fiche number alone would make the action's lines one fact
                )
            )
    total = ctx.amount(
        _sum(r.cells[2].amount.amount for r in rows), "total", "executed", "total", col, kind="executed", total=True
    )
    rows.append(Row([Cell(""), Cell("TOTAL GÉNÉRAL", bold=True), total], "TOTAL GÉNÉRAL", "grand_total", True))
    header = [[Cell("Fiche", align="center"), Cell("Action et poste de dépense"), Cell(col, align="center")]]
    ctx.add_grid(
        Grid(
            "executed_detail",
            f"Détail des dépenses {y}",
            "annexe",
            header,
            rows,
            [1.5, 9.0 if ctx.layout.narrow else 11.0, 3.2],
            ctx.layout.cell_font_size,
        )
    )
    ctx.truth.relation(SUM, total.amount.cid, [r.cells[2].amount.cid for r in rows[:-1]])
