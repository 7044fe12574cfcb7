"""The annexe-10 financial recap as departments fill the State's model: a group column, theme and Chorus cells
spanning their actions, one row per action, a sub-total per theme, a sub-total of the socle measures, totals.

Execution recap: 5 label columns + 11 amounts = 16 columns (the landscape recap whose cells all wrap).
Forecast recap (conventions, avenants): 5 label columns + 7 amounts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from corpora.office.context import OfficeCtx
from corpora.office.grid import Cell, Grid, Row, covered
from corpora.plan import Money

SUM = "sum"


@dataclass(frozen=True)
class Col:
    """One amount column: header, calpae role, kind, stage, part, and the amount of an action's money."""

    header: str
    role: str
    kind: str
    stage: str
    part: str
    get: Callable[[Money], Decimal]


def forecast_columns(y: int) -> list[Col]:
    return [
        Col(f"A Participation État notifiée pour {y}", "etat", "forecast", "planned", "etat", lambda m: m.etat),
        Col(
            f"B Crédits État {y - 1} reportés sur {y}",
            "report",
            "forecast",
            "carried_in",
            "etat",
            lambda m: m.report_etat,
        ),
        Col(f"C Crédits CD affectés pour {y}", "departement", "forecast", "planned", "departement", lambda m: m.dept),
        Col(
            "Dont valorisation CD", "valorisation", "forecast", "valorisation", "departement", lambda m: m.valorisation
        ),
        Col(
            f"D Crédits CD {y - 1} reportés sur {y}",
            "report",
            "forecast",
            "carried_in",
            "departement",
            lambda m: m.report_cd,
        ),
        Col("E Participation d'autres financeurs", "autre", "forecast", "planned", "other", lambda m: m.other),
        Col(
            f"F Budget global de l'action prévu en {y} (A+B+C+D+E)",
            "total",
            "forecast",
            "planned",
            "total",
            lambda m: m.total,
        ),
    ]


def execution_columns(y: int) -> list[Col]:
    return [
        Col(f"A Crédits État versés en {y}", "etat", "forecast", "allocated", "etat", lambda m: m.etat),
        Col(
            f"B Crédits État {y - 1} reportés sur {y}",
            "report",
            "forecast",
            "carried_in",
            "etat",
            lambda m: m.report_etat,
        ),
        Col(f"C Crédits CD affectés en {y}", "departement", "forecast", "allocated", "departement", lambda m: m.dept),
        Col(
            "Dont valorisation CD", "valorisation", "forecast", "valorisation", "departement", lambda m: m.valorisation
        ),
        Col(
            f"D Crédits CD {y - 1} reprogrammés sur {y}",
            "report",
            "forecast",
            "carried_in",
            "departement",
            lambda m: m.report_cd,
        ),
        Col("E Participation d'autres financeurs", "autre", "forecast", "allocated", "other", lambda m: m.other),
        Col(
            f"F Budget global de l'action prévu en {y} A+B+C+D+E",
            "total",
            "forecast",
            "planned",  # the budget planned (prévu), as the referential's annexe-10 column exec.budget_global says
            "total",
            lambda m: m.total,
        ),
        Col(f"Montant total réalisé au 31/12/{y}", "total", "executed", "executed", "total", lambda m: m.realised),
        Col(
            "Dont valorisation de dépenses du CD",
            "valorisation",
            "executed",
            "valorisation",
            "departement",
            lambda m: m.valorisation,
        ),
        Col(
            f"Montant à reporter en {y + 1} - Part État",
            "non_consomme",
            "executed",
            "to_carry_over",
            "etat",
            lambda m: m.carry_etat,
        ),
        Col(
            f"Montant à reporter en {y + 1} - Part CD",
            "non_consomme",
            "executed",
            "to_carry_over",
            "departement",
            lambda m: m.carry_cd,
        ),
    ]


LABEL_HEADERS = (
    "",
    "Thème de la contractualisation",
    "Imputation chorus (code chorus - description longue)",
    "Fiche action N°",
    "Intitulé de l'action",
)
GROUPS = (("Engagements des mesures socle", True), ("Engagements à l'initiative du département", False))


def _header(ctx: OfficeCtx, cols: list[Col]) -> list[list[Cell]]:
    """One header line, or two (A–F under "Financement", the rest under "Exécution"), or three (a title above)."""
    n = len(LABEL_HEADERS) + len(cols)
    lines = ctx.layout.header_lines
    if lines == 1:
        return [[Cell(h, align="center") for h in LABEL_HEADERS] + [Cell(c.header, align="center") for c in cols]]
    plan_cols = [c for c in cols if c.kind == "forecast"]
    done_cols = [c for c in cols if c.kind == "executed"]
    top = [Cell(h, align="center", rows=2) for h in LABEL_HEADERS]
    top.append(Cell(f"Financement {ctx.year}", align="center", cols=len(plan_cols)))
    top += covered(len(plan_cols) - 1)
    if done_cols:
        top.append(Cell(f"Exécution au 31/12/{ctx.year}", align="center", cols=len(done_cols)))
        top += covered(len(done_cols) - 1)
    second = covered(len(LABEL_HEADERS)) + [Cell(c.header, align="center") for c in cols]
    out = [top, second]
    if lines == 3:
        title = Cell(f"Tableau financier récapitulatif {ctx.year} – {ctx.plan.dept.name}", align="center", cols=n)
        out.insert(0, [title, *covered(n - 1)])
        for cell in top[: len(LABEL_HEADERS)]:
            cell.rows = 2
    return out


def recap_grid(ctx: OfficeCtx, cols: list[Col], title: str, defect: str | None, widths: list[float]) -> Grid:
    """The recap of the year's actions under `cols`, with the planted defect (if any) recorded."""
    y, plan, merged = ctx.year, ctx.plan, ctx.layout.merged
    rows: list[Row] = []
    subtotals: list[tuple[Row, list[Row], bool]] = []
    group_rows: dict[bool, list[Row]] = {True: [], False: []}
    for group_label, socle in GROUPS:
        measures = [m for m in plan.measures() if m.socle is socle]
        if not measures:
            continue
        first_of_group = len(rows)
        for m in measures:
            acts = plan.actions_of(m)
            members: list[Row] = []
            for i, a in enumerate(acts):
                lead = i == 0
                theme = f"{m.number} - {m.name}" if lead or not merged else ""
                chorus = m.chorus if lead or not merged else ""
                label_cells = [
                    Cell(),
                    Cell(theme, rows=len(acts) + 1 if merged and lead else 1)
                    if lead or not merged
                    else Cell(covered=True),
                    Cell(chorus, rows=len(acts) + 1 if merged and lead else 1)
                    if lead or not merged
                    else Cell(covered=True),
                    Cell(a.number, align="center"),
                    Cell(a.label),
                ]
                money = [ctx.amount(c.get(a.money[y]), c.role, c.stage, c.part, c.header, kind=c.kind) for c in cols]
                members.append(Row(label_cells + money, a.label, "action", measure_id=m.id, action=a.number))
            sub_cells = [Cell(), *(covered(2) if merged else [Cell(), Cell()]), Cell("Sous total", bold=True), Cell()]
            sub_money = [
                ctx.amount(
                    sum((r.cells[5 + i].amount.amount for r in members), Decimal(0)),
                    c.role,
                    c.stage,
                    c.part,
                    c.header,
                    kind=c.kind,
                    total=True,
                )
                for i, c in enumerate(cols)
            ]
            sub = Row(sub_cells + sub_money, "Sous total", "measure", is_total=True, measure_id=m.id)
            rows += [*members, sub]
            subtotals.append((sub, members, socle))
            group_rows[socle].append(sub)
        if socle:
            label = "Sous-total engagements de mesures socle"
            g_money = [
                ctx.amount(
                    sum((s.cells[5 + i].amount.amount for s in group_rows[True]), Decimal(0)),
                    c.role,
                    c.stage,
                    c.part,
                    c.header,
                    kind=c.kind,
                    total=True,
                )
                for i, c in enumerate(cols)
            ]
            rows.append(Row([Cell(), Cell(), Cell(), Cell(), Cell(label, bold=True), *g_money], label, "group", True))
        if merged:
            rows[first_of_group].cells[0] = Cell(group_label, rows=len(rows) - first_of_group)
            for r in rows[first_of_group + 1 :]:
                r.cells[0] = Cell(covered=True)
        else:
            rows[first_of_group].cells[0] = Cell(group_label)
    grand = [
        ctx.amount(
            sum((s.cells[5 + i].amount.amount for s, _, _ in subtotals), Decimal(0)),
            c.role,
            c.stage,
            c.part,
            c.header,
            kind=c.kind,
            total=True,
        )
        for i, c in enumerate(cols)
    ]
    rows.append(
        Row(
            [Cell("TOTAUX FINANCIERS", bold=True, cols=5), *covered(4), *grand],
            "TOTAUX FINANCIERS",
            "grand_total",
            is_total=True,
        )
    )
    planted = _plant(ctx, defect, rows, cols)
    grid = ctx.add_grid(
        Grid("financial_model", title, "annexe 10", _header(ctx, cols), rows, widths, ctx.layout.cell_font_size - 1)
    )
    _relations(ctx, rows, cols, subtotals)
    if planted:
        kind, amount, correct, label = planted
        ctx.truth.defect(
            kind,
            cell=amount.cid,
            table=grid.index,
            declared=amount.amount,
            correct=correct,
            row_label=label,
            column_label=amount.column,
            message="printed total differs from the sum of its parts",
        )
    return grid


def _plant(ctx: OfficeCtx, kind: str | None, rows: list[Row], cols: list[Col]):
    """A wrong sub-total (total_mismatch) or a wrong row budget F (part_sum_mismatch), printed as any other."""
    if kind == "total_mismatch":
        row = next(r for r in rows if r.level == "measure")
        cell = row.cells[5]
    elif kind == "part_sum_mismatch":
        f = next((i for i, c in enumerate(cols) if c.role == "total" and c.kind == "forecast"), None)
        if f is None:
            return None
        row = next(r for r in rows if r.level == "action")
        cell = row.cells[5 + f]
    else:
        return None
    a = cell.amount
    correct = a.amount
    a.amount = correct + Decimal(ctx.rng("defect").choice([1000, 2500, 10000, 15000]))
    a.raw = cell.text = ctx.money(a.amount)
    return kind, a, correct, row.label


def _relations(ctx: OfficeCtx, rows: list[Row], cols: list[Col], subtotals) -> None:
    parts = [
        i for i, c in enumerate(cols) if c.kind == "forecast" and c.role in ("etat", "report", "departement", "autre")
    ]
    totals = [i for i, c in enumerate(cols) if c.kind == "forecast" and c.role == "total"]
    for row in rows:
        for t in totals:
            ctx.truth.relation(SUM, row.cells[5 + t].amount.cid, [row.cells[5 + i].amount.cid for i in parts])
    for i in range(len(cols)):
        for sub, members, _ in subtotals:
            ctx.truth.relation(SUM, sub.cells[5 + i].amount.cid, [r.cells[5 + i].amount.cid for r in members])
        ctx.truth.relation(SUM, rows[-1].cells[5 + i].amount.cid, [s.cells[5 + i].amount.cid for s, _, _ in subtotals])
        group = next((r for r in rows if r.level == "group"), None)
        if group is not None:
            socle = [s.cells[5 + i].amount.cid for s, _, is_socle in subtotals if is_socle]
            ctx.truth.relation(SUM, group.cells[5 + i].amount.cid, socle)


def recap_widths(ctx: OfficeCtx, cols: list[Col], page_width_cm: float) -> list[float]:
    """Label columns then equal amount columns; narrow layouts squeeze them so every cell wraps."""
    label = [0.9, 2.0, 1.8, 0.9, 2.6] if ctx.layout.narrow else [1.6, 3.2, 2.8, 1.1, 3.6]
    money = (page_width_cm - sum(label)) / len(cols)
    if ctx.layout.narrow:
        money = min(money, 1.05)
    return [*label, *[money] * len(cols)]
