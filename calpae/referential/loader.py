"""Load the versioned referential data files shipped in calpae/referential/data (no network, no ../shared)."""

from __future__ import annotations

import csv
import json
import re
from functools import cached_property, lru_cache
from importlib import resources

from calpae.referential.departements import DepartementFinder, Mention, OtherName
from calpae.referential.matching import FuzzyIndex, pick
from calpae.referential.model import (
    ChorusCode,
    DefinitionChange,
    Departement,
    FinancialColumn,
    Indicator,
    Measure,
    Target,
)
from calpae.referential.normalize import normalize_label

MEASURE_THRESHOLD = 80.0
INDICATOR_THRESHOLD = 82.0
COLUMN_THRESHOLD = 80.0
_CHORUS = re.compile(r"\b0304\s?50\s?(?:19\s?){1,2}\d{2}\s?\d{2}\b|\b03045019\d{4}\b")
_YEARS = re.compile(r"\b20\d\d\b")


def _data(name: str) -> str:
    return resources.files("calpae.referential").joinpath("data", name).read_text(encoding="utf-8")


def _target(raw: dict | None) -> Target | None:
    if not raw:
        return None
    return Target(
        value=str(raw["value"]),
        unit=raw["unit"],
        of=raw.get("of"),
        delay_days=raw.get("delay_days"),
        minimum=bool(raw.get("min")),
        maximum=bool(raw.get("max")),
        per=raw.get("per"),
        from_year=raw.get("from_year"),
        note=raw.get("note", ""),
    )


def _indicator(raw: dict) -> Indicator:
    return Indicator(
        id=raw["id"],
        name=raw["name"],
        measure_id=raw["measure_id"],
        unit=raw["unit"],
        aliases=tuple(raw.get("aliases", [])),
        annexes=tuple(raw.get("annexes", [])),
        parent=raw.get("parent"),
        theme=raw.get("theme"),
        model=raw.get("model"),
        superseded_by=tuple(raw.get("superseded_by", [])),
        target=_target(raw.get("target")),
        definition_changes=tuple(
            DefinitionChange(int(c["year"]), c["description"]) for c in raw.get("definition_changes", [])
        ),
    )


class Referential:
    """Measures, indicators, départements, Chorus codes and finance columns, with their matchers."""

    def __init__(
        self,
        measures: list[Measure],
        indicators: list[Indicator],
        departements: list[Departement],
        chorus: list[ChorusCode],
        columns: list[FinancialColumn],
        version: str,
    ):
        self.version = version
        self.measures = {m.id: m for m in measures}
        self.indicators = {i.id: i for i in indicators}
        self.departements = {d.code: d for d in departements}
        self.chorus = {c.code: c for c in chorus}
        self.financial_columns = {c.id: c for c in columns}

    # ---- départements -------------------------------------------------------------------------------------
    @cached_property
    def _finder(self) -> DepartementFinder:
        return DepartementFinder(list(self.departements.values()), self.other_names)

    def departement_by_code(self, code: str | int) -> Departement | None:
        """The département of an INSEE code ('11', '011', 11, '2a', '974'), or None."""
        c = str(code).strip().upper()
        if c.isdigit() and len(c) == 3 and c.startswith("0"):
            c = c[1:]
        if c.isdigit() and len(c) == 1:
            c = "0" + c
        if c in {"02A", "02B"}:
            c = c[1:]
        return self.departements.get(c)

    def find_departement(self, text: str) -> tuple[str, str] | None:
        """(code, name) of the most specific département named in the text, or None."""
        return self._finder.find(text)

    def departement_mentions(self, text: str) -> list[Mention]:
        """Every département mention in the text with its strength (institution word, plain, ambiguous)."""
        return self._finder.mentions(text)

    def departement_codes(self, text: str) -> list[str]:
        """Codes of every département the text names, in order, a collectivité giving all of its départements
        ('Collectivité européenne d'Alsace' → 67, 68; 'Réunionnais' → 974)."""
        out: list[str] = []
        for m in self._finder.mentions(text):
            out += [c for c in m.all_codes if c not in out]
        return out

    @cached_property
    def other_names(self) -> list[OtherName]:
        """Collectivités, acronyms and demonyms of data/departement_names.csv."""
        rows = csv.DictReader(_data("departement_names.csv").splitlines())
        return [OtherName(r["name"], tuple(c for c in r["codes"].split("|") if c), r["kind"]) for r in rows]

    # ---- measures -----------------------------------------------------------------------------------------
    @cached_property
    def _measure_index(self) -> FuzzyIndex:
        entries = [(m.id, t) for m in self.measures.values() for t in (m.name, *m.aliases)]
        # a Chorus description several measures share ('Garantie d'activité et insertion des BRSA') names none alone
        entries += [
            (c.measure_id, c.description)
            for c in self.chorus.values()
            if c.measure_id and c.type == "ACT" and not c.also_measures
        ]
        return FuzzyIndex(entries)

    def chorus_entry(self, text: str) -> ChorusCode | None:
        """The Chorus activity whose code is written in the text ('0304 50 19 19 01') and names a measure, if any."""
        for m in _CHORUS.finditer(text or ""):
            code = re.sub(r"\s", "", m.group(0))
            if len(code) == 14:  # written with the OB segment repeated: 0304 50 19 19 01 -> 030450191901
                code = code[:10] + code[12:]
            entry = self.chorus.get(code) or self.chorus.get(code[:12])
            if entry and entry.measure_id:
                return entry
        return None

    def measure_by_chorus(self, text: str) -> str | None:
        """The measure of a Chorus activity code written in the text, if any (none for a code several measures
        share: the code alone does not say which; MeasureMapper.chorus_or_number lets a row's number decide)."""
        entry = self.chorus_entry(text)
        return entry.measure_id if entry and not entry.also_measures else None

    def measure_scores(self, label: str) -> dict[str, float]:
        """Score of every measure for a label (names, aliases and Chorus descriptions, by segment)."""
        return self._measure_index.scores(label, segments=True)

    def match_measure(self, label: str, context: str | None = None) -> tuple[str, float] | None:
        """(measure_id, score) for an action/section label, with an optional context (section or table title)."""
        for text in (label, context):
            if text and (mid := self.measure_by_chorus(text)):
                return mid, 100.0
        scores = self.measure_scores(label) if label else {}
        own = pick(scores, MEASURE_THRESHOLD)
        if own and own[1] >= 90 or not context:
            return own
        combined = dict(scores)
        for mid, s in self.measure_scores(context).items():
            combined[mid] = max(combined.get(mid, 0.0), 0.95 * s)
        return pick(combined, MEASURE_THRESHOLD)

    # ---- indicators ---------------------------------------------------------------------------------------
    @cached_property
    def _indicator_index(self) -> FuzzyIndex:
        return FuzzyIndex([(i.id, t) for i in self.indicators.values() for t in (i.name, *i.aliases)])

    def match_indicator(
        self, label: str, measure_id: str | None = None, parent_id: str | None = None
    ) -> tuple[str, float] | None:
        """(indicator_id, score) for an indicator label; measure_id favours that measure, parent_id allows themes."""
        if not label or not label.strip():
            return None
        scores = self._indicator_index.scores(label)
        if parent_id:
            norm = normalize_label(label.rstrip(" :"))
            for ind in self.indicators.values():
                if ind.parent == parent_id and ind.theme and normalize_label(ind.theme) == norm:
                    return ind.id, 100.0
        if measure_id:
            for iid, s in list(scores.items()):
                if self.indicators[iid].measure_id == measure_id:
                    scores[iid] = min(100.0, s + 4.0)
        return pick(scores, INDICATOR_THRESHOLD)

    def resolve_alias(self, text: str) -> set[str]:
        """Ids of the indicators whose name or an alias is exactly this text (after normalisation)."""
        return self._indicator_index.exact_keys(text)

    def definition_changes(self, indicator_id: str, year_from: int, year_to: int) -> list[DefinitionChange]:
        """Definition changes of an indicator that fall between two years (both included)."""
        lo, hi = sorted((year_from, year_to))
        ind = self.indicators.get(indicator_id)
        return [c for c in ind.definition_changes if lo <= c.year <= hi] if ind else []

    # ---- finance columns ----------------------------------------------------------------------------------
    @cached_property
    def _column_index(self) -> FuzzyIndex:
        return FuzzyIndex(
            [(c.id, _mask_years(t)) for c in self.financial_columns.values() for t in (c.name, *c.aliases)]
        )

    def match_financial_column(self, header: str, table: str | None = None) -> tuple[str, float] | None:
        """(column_id, score) for an annexe-10 column header; years are ignored, table narrows the choice."""
        scores = self._column_index.scores(_mask_years(header))
        if table:
            scores = {k: v for k, v in scores.items() if table in self.financial_columns[k].tables}
        return pick(scores, COLUMN_THRESHOLD)


def _mask_years(text: str) -> str:
    """Years and {Y±n} placeholders replaced by one token, so headers of any year compare alike."""
    return _YEARS.sub("annee", re.sub(r"\{Y[+-]?\d?\}", "annee", text))


@lru_cache(maxsize=1)
def load_referential() -> Referential:
    """The referential from the packaged data files (read once per process)."""
    m_raw = json.loads(_data("measures.json"))
    i_raw = json.loads(_data("indicators.json"))
    c_raw = json.loads(_data("chorus.json"))
    f_raw = json.loads(_data("financial_columns.json"))
    chorus = [
        ChorusCode(
            type=c["type"],
            code=c["code"],
            designation=c["designation"],
            description=c["description"],
            domaine=c.get("domaine"),
            measure_id=c.get("measure_id"),
            also_measures=tuple(c.get("also_measures", [])),
        )
        for c in c_raw["codes"]
    ]
    codes_by_measure: dict[str, list[str]] = {}
    for c in chorus:
        if c.measure_id:
            codes_by_measure.setdefault(c.measure_id, []).append(c.code)
    measures = [
        Measure(
            id=m["id"],
            name=m["name"],
            kind=m["kind"],
            number=m.get("number"),
            aliases=tuple(m.get("aliases", [])),
            chorus_codes=tuple(codes_by_measure.get(m["id"], [])),
        )
        for m in m_raw["measures"]
    ]
    indicators = [_indicator(r) for r in i_raw["indicators"]]
    reader = csv.DictReader(_data("departements.csv").splitlines())
    departements = [
        Departement(
            code=r["code"],
            name=r["name"],
            article=r["article"],
            region=r["region"],
            aliases=tuple(a for a in r["aliases"].split("|") if a),
        )
        for r in reader
    ]
    columns = [
        FinancialColumn(
            id=c["id"],
            name=c["name"],
            role=c["role"],
            part=c.get("part"),
            stage=c.get("stage"),
            letter=c.get("letter"),
            tables=tuple(c.get("tables", [])),
            aliases=tuple(c.get("aliases", [])),
        )
        for c in f_raw["columns"]
    ]
    return Referential(measures, indicators, departements, chorus, columns, version=m_raw.get("version", ""))
