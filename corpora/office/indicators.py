"""Indicator tables as office reports print them: the 9-column 2021 model (Nom de la Mesure, Indicateurs,
Situation 2018, Résultat atteint 2019/2020, Résultat attendu 2021, atteint 2021, Explication, attendu 2022), the
2019 model before it; the measure cell spans its indicator rows; headers over one, two or three lines."""

from __future__ import annotations

from decimal import Decimal

from corpora.compose import indicator_text
from corpora.names import Measure
from corpora.office.context import OfficeCtx
from corpora.office.grid import Cell, Grid, Row, covered
from corpora.plan import Series
from corpora.report import _columns, _restatement_target, _value_of, indicator_fields, restatement_defect

EXPLANATIONS = (
    "",
    "",
    "Activité réduite pendant la crise sanitaire",
    "Montée en charge progressive du dispositif",
    "Données en cours de consolidation",
    "Recrutement tardif des intervenants",
    "",
)


def indicator_grid(ctx: OfficeCtx, number: int, measure: Measure, series: list[Series], landscape: bool) -> Grid:
    """The measure's indicator table, its values recorded in the truth (with a planted restatement if any)."""
    modern = ctx.year >= 2021
    cols = _columns(ctx.year, modern)
    style = ctx.layout.amount_style
    note = "Explication" if modern else "Justification des écarts le cas échéant"
    # the comment column sits before the 2022 target, as in the 2021 model
    note_at = (
        len(cols) - 1 if modern and cols[-1][1] == 2022 and cols[-1][2] == "target" and ctx.year < 2022 else len(cols)
    )
    restate = _restatement_target(ctx, series)
    merged = ctx.layout.merged
    rows: list[Row] = []
    defects = []
    for i, sr in enumerate(series):
        if i == 0:
            m_cell = Cell(measure.name, rows=len(series) if merged else 1)
        else:
            m_cell = Cell(covered=True) if merged else Cell()
        values: list[Cell] = []
        for header, year, kind in cols:
            value = _value_of(sr, year, kind)
            declared = value
            if restate is sr and year == ctx.plan.years[0] and kind == "actual":
                declared = value + max(1, (value * Decimal("0.07")).quantize(Decimal(1)))
                defects.append((i, sr, year, kind, declared, value))
            fields = indicator_fields(measure, sr, year, kind, header, declared)
            values.append(Cell(indicator_text(declared, sr.indicator.unit, style), align="center", value=fields))
        explanation = Cell(ctx.rng("explain", sr.indicator.id).choice(EXPLANATIONS))
        values.insert(note_at, explanation)
        rows.append(
            Row([m_cell, Cell(sr.indicator.name), *values], sr.indicator.name, "measure", measure_id=measure.id)
        )
    header = _header(ctx, cols, note, note_at)
    grid = ctx.add_grid(
        Grid(
            "indicators",
            f"Indicateurs – {measure.name}",
            f"{number}.3",
            header,
            rows,
            _widths(ctx, len(cols), landscape, note_at),
            ctx.layout.cell_font_size - 0.5,
            measure_id=measure.id,
        )
    )
    for i, sr, year, kind, declared, value in defects:
        restatement_defect(ctx.truth, grid.index, i, sr, year, kind, declared, value)
    return grid


def _header(ctx: OfficeCtx, cols: list[tuple[str, int, str]], note: str, note_at: int) -> list[list[Cell]]:
    """One line of full headers; or years grouped over their kinds (two lines); or a title band on top (three)."""
    lines = ctx.layout.header_lines
    heads = [Cell(h, align="center") for h, _, _ in cols]
    heads.insert(note_at, Cell(note, align="center"))
    first = [Cell("Nom de la Mesure", align="center"), Cell("Indicateurs", align="center")]
    if lines == 1:
        return [first + heads]
    # two lines: "Situation 2018 du département" alone; each year's columns under "Année N" with short kinds
    top: list[Cell] = [Cell(c.text, align="center", rows=2) for c in first]
    second: list[Cell] = covered(2)
    spans: list[tuple[str, list[str]]] = []
    for k, (h, year, kind) in enumerate(cols):
        if k == note_at:
            spans.append((note, []))
        if kind == "baseline":
            spans.append((h, []))
        else:
            short = (
                "Résultat atteint" if kind == "actual" else "Résultat attendu" + (" (cible)" if year == 2022 else "")
            )
            if spans and spans[-1][0] == f"Année {year}":
                spans[-1][1].append(short)
            else:
                spans.append((f"Année {year}", [short]))
    if note_at == len(cols):
        spans.append((note, []))
    for text, subs in spans:
        if not subs:
            top.append(Cell(text, align="center", rows=2))
            second += covered(1)
        else:
            top.append(Cell(text, align="center", cols=len(subs)))
            top += covered(len(subs) - 1)
            second += [Cell(s, align="center") for s in subs]
    if lines == 2:
        return [top, second]
    n = len(top)
    band = Cell(f"Indicateurs de suivi – situation au 31/12/{ctx.year}", align="center", cols=n - 2)
    first_line = [Cell(c.text, align="center", rows=3) for c in first] + [band, *covered(n - 3)]
    return [first_line, [*covered(2), *top[2:]], second]


def _widths(ctx: OfficeCtx, nvalues: int, landscape: bool, note_at: int) -> list[float]:
    """Label columns and value columns (cm); narrow layouts make value headers wrap mid-word."""
    total = 25.7 if landscape else 17.0
    if ctx.layout.narrow:
        measure, indicator, value, note = 2.0, 3.0, 1.25, 1.6
    else:
        measure, indicator, value, note = 2.8, 4.2, 1.6, 2.2
    widths = [measure, indicator, *[value] * nvalues]
    widths.insert(2 + note_at, note)
    spare = total - sum(widths)
    if spare > 0 and not ctx.layout.narrow:
        widths[1] += spare
    return widths
