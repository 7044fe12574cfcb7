"""The facts of one département's archive across years: actions with consistent money, indicator series, defects to
plant."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from corpora.names import QUALIFIERS, Departement, Indicator, Measure, measures

CENT = Decimal("0.01")
DEFECT_KINDS = ("total_mismatch", "part_sum_mismatch", "cross_table_mismatch", "restatement", "malformed_number")


@dataclass
class Money:
    """One action's money for one year (annexe-10 letters: A État, B État carried, C CD, D CD carried, E others)."""

    etat: Decimal
    report_etat: Decimal
    dept: Decimal
    report_cd: Decimal
    other: Decimal
    carry_etat: Decimal  # État credits not consumed, carried to next year
    carry_cd: Decimal  # CD credits not consumed, reprogrammed next year
    valorisation: Decimal  # part of the CD spending that is valued existing spending

    @property
    def total(self) -> Decimal:
        return self.etat + self.report_etat + self.dept + self.report_cd + self.other

    @property
    def exec_etat(self) -> Decimal:
        return self.etat + self.report_etat - self.carry_etat

    @property
    def exec_cd(self) -> Decimal:
        return self.dept + self.report_cd - self.carry_cd

    @property
    def realised(self) -> Decimal:
        return self.total - self.carry_etat - self.carry_cd


@dataclass
class Action:
    """One contracted action: its measure, fiche number, title and money per year."""

    measure: Measure
    number: str
    label: str
    money: dict[int, Money] = field(default_factory=dict)


@dataclass
class Series:
    """An indicator's values: 2018 baseline, results and targets per year (Decimal or a qualifier string)."""

    indicator: Indicator
    measure: Measure
    baseline: Decimal | str
    actual: dict[int, Decimal | str] = field(default_factory=dict)
    target: dict[int, Decimal | str] = field(default_factory=dict)


@dataclass
class Plan:
    """Everything one département's documents state, and the defects to plant in them."""

    dept: Departement
    years: list[int]
    actions: list[Action]
    series: list[Series]
    defects: dict[tuple[int, str], str]  # (year, doc_type) -> defect kind
    seed: int

    def measures(self) -> list[Measure]:
        seen: list[Measure] = []
        for a in self.actions:
            if a.measure not in seen:
                seen.append(a.measure)
        return seen

    def actions_of(self, measure: Measure) -> list[Action]:
        return [a for a in self.actions if a.measure is measure]

    def rng(self, *salt: object) -> random.Random:
        """A generator private to one use, so documents do not disturb each other's randomness."""
        return random.Random("-".join(str(s) for s in (self.seed, self.dept.code, *salt)))


def _round_to(value: float, step: int) -> Decimal:
    return Decimal(max(step, int(round(value / step)) * step))


def _cents(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


def make_plan(dept: Departement, years: list[int], seed: int, index: int, long_actions: bool = False) -> Plan:
    """Draw a département's actions, money and indicators; defects rotate over départements by `index`."""
    rng = random.Random(f"{seed}-{dept.code}-plan")
    chosen = [m for m in measures() if m.socle and (m.id != "mobilite" or rng.random() < 0.5)]
    chosen = chosen[:5] + [m for m in measures() if not m.socle]
    actions: list[Action] = []
    for m in chosen:
        count = rng.randint(1, min(len(m.actions), 3 if long_actions else 2))
        for k, title in enumerate(rng.sample(list(m.actions), count), start=1):
            actions.append(Action(m, f"{m.number}.{k}", title))
    for action in actions:
        _fill_money(action, years, rng)
    series = [_series(ind, m, years, rng) for m in chosen for ind in m.indicators[: rng.randint(2, 4)]]
    return Plan(dept, years, actions, series, _defects(years, index), seed)


def _fill_money(action: Action, years: list[int], rng: random.Random) -> None:
    base = rng.uniform(15_000, 220_000)
    carry_e = carry_c = Decimal(0)
    for year in years:
        etat = _round_to(base * rng.uniform(0.85, 1.2), 500)
        dept = _round_to(float(etat) * rng.choice([1.0, 1.0, 1.2, 1.5]), 500)
        other = _round_to(rng.uniform(5_000, 40_000), 500) if rng.random() < 0.2 else Decimal(0)
        rate_e, rate_c = rng.uniform(0.7, 1.0), rng.uniform(0.75, 1.0)
        new_carry_e = _cents(float(etat + carry_e) * (1 - rate_e)) if rate_e < 0.95 else Decimal(0)
        new_carry_c = _cents(float(dept + carry_c) * (1 - rate_c)) if rate_c < 0.95 else Decimal(0)
        exec_cd = dept + carry_c - new_carry_c
        valor = Decimal(int(float(exec_cd) * rng.choice([0, 0, 0.3, 0.5]) / 100) * 100)
        action.money[year] = Money(etat, carry_e, dept, carry_c, other, new_carry_e, new_carry_c, valor)
        carry_e, carry_c = new_carry_e, new_carry_c


def _series(ind: Indicator, measure: Measure, years: list[int], rng: random.Random) -> Series:
    def value(v: float) -> Decimal:
        if ind.unit == "percent":
            return Decimal(str(round(min(v, 100.0), 1)))
        return Decimal(max(0, int(round(v))))

    start = {"percent": rng.uniform(55, 90), "days": rng.uniform(20, 60)}.get(ind.unit, rng.uniform(15, 1800))
    if rng.random() < 0.12:
        q = rng.choice(QUALIFIERS)
        return Series(ind, measure, q, {y: q for y in years}, {y: q for y in [*years, 2022]})
    s = Series(ind, measure, value(start))
    current = start
    for year in range(2019, max(years) + 1):
        s.target[year] = value(current * (1.08 if ind.unit != "days" else 0.9))
        current = current * rng.uniform(0.92, 1.18)
        s.actual[year] = value(current)
    s.target[2022] = value(start * (1.3 if ind.unit != "days" else 0.6))
    return s


def _defects(years: list[int], index: int) -> dict[tuple[int, str], str]:
    """Two defects per département, rotating so a few départements cover every kind."""
    placed: dict[tuple[int, str], str] = {}
    for k in (2 * index, 2 * index + 1):
        kind = DEFECT_KINDS[k % len(DEFECT_KINDS)]
        if kind == "restatement":
            if len(years) < 2:
                continue
            where = (years[1], "rapport_execution")
        elif kind == "cross_table_mismatch":
            where = (years[0], "rapport_execution")
        elif kind == "part_sum_mismatch":
            where = (years[-1], "tableau_financier")
        elif kind == "total_mismatch":
            where = (years[0], "convention")
        else:
            where = (years[-1], "rapport_execution")
        if where in placed:
            where = (years[min(1, len(years) - 1)], "tableau_financier" if kind != "restatement" else where[1])
        placed.setdefault(where, kind)
    return placed
