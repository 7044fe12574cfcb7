"""Typed entries of the national referential: measures, indicators, départements, Chorus codes, finance columns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DefinitionChange:
    """A year from which an indicator was counted differently, so series across it are flagged."""

    year: int
    description: str


@dataclass(frozen=True)
class Target:
    """A national target: a value (Decimal text), its unit, and what it is a share of or a bound on."""

    value: str
    unit: str
    of: str | None = None
    delay_days: int | None = None
    minimum: bool = False
    maximum: bool = False
    per: str | None = None
    from_year: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    kind: str  # socle | initiative | other
    number: str | None = None
    aliases: tuple[str, ...] = ()
    chorus_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    measure_id: str
    unit: str  # count | percent | days | hours | fte | ratio | euros
    aliases: tuple[str, ...] = ()
    annexes: tuple[str, ...] = ()
    parent: str | None = None
    theme: str | None = None
    model: str | None = None  # "2019" for indicators of the 2019 model only
    superseded_by: tuple[str, ...] = ()
    target: Target | None = None
    definition_changes: tuple[DefinitionChange, ...] = ()


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    article: str  # le, la, l', les, or empty
    region: str
    aliases: tuple[str, ...] = ()

    def variants(self) -> list[str]:
        """Usual ways a document names this département's council or territory."""
        names = [self.name, *self.aliases]
        preps = {"le": ["du ", "de "], "la": ["de la ", "de "], "l'": ["de l'", "de l’"], "les": ["des "], "": ["de "]}
        out: list[str] = []
        for name in names:
            for prep in preps.get(self.article, ["de "]):
                for head in ("Département ", "Conseil départemental ", "Conseil général "):
                    out.append(f"{head}{prep}{name}")
            out.append(name)
        out += [f"CD {self.code}", f"CD{self.code}"]
        return out


@dataclass(frozen=True)
class ChorusCode:
    type: str  # OS, OP, OB, ACT
    code: str
    designation: str
    description: str
    domaine: str | None = None
    measure_id: str | None = None
    also_measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class FinancialColumn:
    """A column of the annexe-10 financial tables; names carry {Y}, {Y-1}, {Y+1} year placeholders."""

    id: str
    name: str
    role: str  # label | etat | departement | total | report | valorisation | non_consomme | autre
    part: str | None  # etat | departement | other | total (None for label columns)
    stage: str | None  # planned | allocated | executed | carried_in | to_carry_over | valorisation
    letter: str | None
    tables: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default_factory=tuple)
