"""National plots as inline SVG (matplotlib, Agg backend; text kept as text so the SVG stays small)."""

from __future__ import annotations

import io
from decimal import Decimal

from calpae.report.national import NationalFigures

FIG_WIDTH_IN = 9.0  # inches; the SVG scales to the page width
BAR_HEIGHT_IN = 0.32  # inches per département in the horizontal bar charts
MIN_HEIGHT_IN = 2.4
MAX_BAR_ROWS = 40  # past this many département × year bars (a national run), the plots become heat maps
HEAT_ROW_IN = 0.22  # inches per département in a heat map
COLORS = {"forecast": "#9ecae1", "executed": "#3182bd", "etat": "#1f77b4", "departement": "#ff7f0e"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.fonttype": "none", "font.size": 9, "svg.hashsalt": "calpae"})
    import matplotlib.pyplot as plt

    return plt


def _svg(fig) -> str:
    """The figure as an <svg> element (no XML prolog, no metadata) to paste into a page."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    fig.clf()
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _meur(value: Decimal) -> float:
    return float(value) / 1_000_000


def _heat_map(values: dict[tuple[str, int], float], label: str, fmt: str, cmap: str) -> str:
    """Départements down, years across, each cell coloured and written: what a national run's bars cannot show."""
    plt = _pyplot()
    depts = sorted({d for d, _ in values})
    years = sorted({y for _, y in values})
    grid = [[values.get((d, y), float("nan")) for y in years] for d in depts]
    fig, ax = plt.subplots(figsize=(min(FIG_WIDTH_IN, 1.5 + 1.0 * len(years)), 0.8 + HEAT_ROW_IN * len(depts)))
    im = ax.imshow(grid, cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(len(depts)), depts, fontsize=7)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if v == v:  # not NaN
                ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=6)
    fig.colorbar(im, ax=ax, label=label)
    return _svg(fig)


def budget_by_year(nf: NationalFigures) -> str | None:
    """Planned and executed budget (M€) per département and year: grouped bars, or a heat map of the executed
    budget for a national run."""
    if not nf.budget:
        return None
    if len(nf.budget) > MAX_BAR_ROWS:
        executed = {k: _meur(v[1]) for k, v in nf.budget.items()}
        return _heat_map(executed, "M€ exécutés (somme des mesures)", "{:.1f}", "Blues")
    plt = _pyplot()
    keys = sorted(nf.budget)
    labels = [f"{d} {y}" for d, y in keys]
    height = max(MIN_HEIGHT_IN, BAR_HEIGHT_IN * len(keys))
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, height))
    pos = list(range(len(keys)))
    ax.barh(
        [p + 0.2 for p in pos], [_meur(nf.budget[k][0]) for k in keys], 0.4, label="prévu", color=COLORS["forecast"]
    )
    ax.barh(
        [p - 0.2 for p in pos], [_meur(nf.budget[k][1]) for k in keys], 0.4, label="exécuté", color=COLORS["executed"]
    )
    ax.set_yticks(pos, labels)
    ax.invert_yaxis()
    ax.set_xlabel("M€ (somme des mesures, taux d'exécution de calpae reconcile)")
    ax.legend(loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return _svg(fig)


def execution_rates(nf: NationalFigures) -> str | None:
    """Executed / planned per département and year (%), with the 100 % line."""
    keys = [k for k in sorted(nf.budget) if nf.budget[k][0]]
    if not keys:
        return None
    if len(keys) > MAX_BAR_ROWS:
        rates = {k: float(nf.budget[k][1] / nf.budget[k][0]) * 100 for k in keys}
        return _heat_map(rates, "taux d'exécution (%)", "{:.0f}", "RdYlGn")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, max(MIN_HEIGHT_IN, BAR_HEIGHT_IN * len(keys))))
    bars = [float(nf.budget[k][1] / nf.budget[k][0]) * 100 for k in keys]
    pos = list(range(len(keys)))
    ax.barh(pos, bars, 0.6, color=COLORS["executed"])
    ax.axvline(100, color="#d62728", linewidth=1)
    ax.set_yticks(pos, [f"{d} {y}" for d, y in keys])
    ax.invert_yaxis()
    ax.set_xlabel("taux d'exécution (%)")
    ax.grid(axis="x", alpha=0.3)
    return _svg(fig)


def shares(nf: NationalFigures) -> str | None:
    """État vs Département share of the planned amounts, per département (stacked to 100 %)."""
    if not nf.shares:
        return None
    plt = _pyplot()
    depts = sorted(nf.shares)
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, max(MIN_HEIGHT_IN, BAR_HEIGHT_IN * len(depts))))
    etat = [float(nf.shares[d][0] / (nf.shares[d][0] + nf.shares[d][1])) * 100 for d in depts]
    pos = list(range(len(depts)))
    ax.barh(pos, etat, 0.6, label="État", color=COLORS["etat"])
    ax.barh(pos, [100 - e for e in etat], 0.6, left=etat, label="Département", color=COLORS["departement"])
    ax.set_yticks(pos, depts)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("part des montants prévus (%)")
    ax.legend(loc="lower right")
    return _svg(fig)


def indicator_coverage(nf: NationalFigures, total: int) -> str | None:
    """Referential indicators with a value, per département and year (a heat map)."""
    if not nf.indicators:
        return None
    plt = _pyplot()
    depts = sorted({d for d, _ in nf.indicators})
    years = sorted({y for _, y in nf.indicators})
    grid = [[nf.indicators.get((d, y), 0) for y in years] for d in depts]
    fig, ax = plt.subplots(figsize=(min(FIG_WIDTH_IN, 1.2 + 0.9 * len(years)), max(1.6, 0.35 * len(depts) + 0.8)))
    im = ax.imshow(grid, cmap="Greens", vmin=0, vmax=max(total, 1), aspect="auto")
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(len(depts)), depts)
    for i, row in enumerate(grid):
        for j, n in enumerate(row):
            ax.text(j, i, str(n), ha="center", va="center", fontsize=8)
    fig.colorbar(im, ax=ax, label=f"indicateurs renseignés (sur {total})")
    return _svg(fig)
