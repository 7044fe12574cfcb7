"""Finding départements named in text: full names, 'Département du Lot', 'CD 47'; the most specific name wins."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from calpae.referential.model import Departement
from calpae.referential.normalize import strip_accents

# Names that are also common words, rivers or cities: a bare mention counts little without an institution word.
AMBIGUOUS = {
    "Lot",
    "Nord",
    "Var",
    "Cher",
    "Ain",
    "Manche",
    "Somme",
    "Marne",
    "Vienne",
    "Loire",
    "Paris",
    "Rhône",
    "Calvados",
    "Orne",
    "Eure",
    "Indre",
    "Gard",
    "Aude",
    "Aube",
    "Meuse",
    "Moselle",
    "Jura",
    "Tarn",
    "Doubs",
    "Gers",
    "Oise",
    "Yonne",
    "Allier",
    "Creuse",
    "Landes",
    "Vosges",
    "Ardennes",
    "Charente",
    "Savoie",
    "Isère",
    "Drôme",
    "Dordogne",
    "Garonne",
    "Mayenne",
    "Sarthe",
    "Loiret",
    "Cantal",
    "Essonne",
    "Guyane",
    "Martinique",
    "Guadeloupe",
    "Réunion",
    "Belfort",
}
STRONG, PLAIN, WEAK = 3.0, 1.0, 0.3
# the institution word just before a name, also as a labelled field ('Département : Savoie')
_INSTITUTION = re.compile(
    r"(?:departement|conseil departemental|conseil general|prefecture|presidente? du conseil departemental|"
    r"collectivite|territoire)(?:\s*:)?\s+(?:de\s+la|de\s+l|du|des|de|d)?\s*$",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(r"\b(?:dans|sur)\s+(?:le|la|l|les)\s*$", re.IGNORECASE)
_CD_CODE = re.compile(r"\b(?:CD|Conseil départemental)\s?(\d{2,3}|2[AB])\b")


@dataclass(frozen=True)
class Mention:
    """One place a département is named: code, offset in the text, strength, and the matched words. A
    collectivité covering several départements ('Collectivité européenne d'Alsace') gives all their `codes`."""

    code: str
    start: int
    strength: float
    text: str
    codes: tuple[str, ...] = ()

    @property
    def all_codes(self) -> tuple[str, ...]:
        return self.codes or (self.code,)


@dataclass(frozen=True)
class OtherName:
    """A name of the names table (data/departement_names.csv): a collectivité, an acronym or a demonym."""

    name: str
    codes: tuple[str, ...]
    kind: str  # collectivite | acronym | demonym


_DEMONYM_ENDINGS = (("ien", "ienne"), ("éen", "éenne"), ("ais", "aise"), ("ois", "oise"), ("in", "ine"), ("an", "ane"))


def inflections(word: str) -> list[str]:
    """Masculine/feminine, singular/plural forms of a French demonym ('audois' → audoise, audoises)."""
    for masc, fem in _DEMONYM_ENDINGS:
        if word.endswith(masc):
            stem = word[: -len(masc)]
            plural = word if word.endswith("s") else word + "s"
            return [word, plural, stem + fem, stem + fem + "s"]
    return [word, word + "s", word + "e", word + "es"]


def _flat(text: str) -> str:
    """Accent-free text with apostrophes and hyphens as spaces, case kept, for name search."""
    t = strip_accents(text)
    return re.sub(r"['\-]", " ", t)


_WORD = re.compile(r"[A-Za-z0-9]+")


class _NamePattern:
    """Whole-word, case-blind search for any of many names (folded, words split by single spaces), longest first
    at a position. The alternation is tried only where a word of the text is the first word of a name: the same
    matches as scanning every position with it, at a fraction of the cost."""

    def __init__(self, names: Iterable[str]):
        ordered = sorted(names, key=len, reverse=True)
        alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered)
        self.pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])", re.IGNORECASE)
        self.first_words = frozenset(n.split(" ")[0].lower() for n in ordered)
        if not all(_WORD.fullmatch(w) for w in self.first_words):  # a match must start a word of the text
            raise ValueError("a département name must start with a word of ASCII letters or digits")

    def finditer(self, flat: str) -> Iterator[re.Match[str]]:
        """The matches `pattern.finditer(flat)` gives, left to right, not overlapping."""
        end = 0
        for w in _WORD.finditer(flat):
            if w.start() < end or w.group(0).lower() not in self.first_words:
                continue
            m = self.pattern.match(flat, w.start())
            if m is not None:
                end = m.end()
                yield m


class DepartementFinder:
    """Scans text for département names, preferring the longest name at each position."""

    def __init__(self, departements: list[Departement], others: list[OtherName] | None = None):
        self.by_code = {d.code: d for d in departements}
        names: dict[str, str] = {}
        for d in departements:
            for n in (d.name, *d.aliases):
                names[" ".join(_flat(n).split()).lower()] = d.code
        self._multi: dict[str, tuple[str, ...]] = {}
        demonyms: dict[str, tuple[str, ...]] = {}
        self._acronyms: dict[str, tuple[str, ...]] = {}
        for o in others or []:
            codes = tuple(c for c in o.codes if c in self.by_code)
            if not codes:
                continue
            key = " ".join(_flat(o.name).split()).lower()
            if o.kind == "demonym":
                for form in inflections(key):
                    demonyms[form] = codes
            elif o.kind == "acronym":
                self._acronyms[o.name] = codes
            else:
                names[key] = codes[0]
                if len(codes) > 1:
                    self._multi[key] = codes
        self._names = names
        self._demonyms = demonyms
        self._demonym_pattern = _NamePattern(demonyms) if demonyms else None
        acronyms = "|".join(re.escape(a) for a in self._acronyms)
        self._acronym_pattern = re.compile(rf"\b(?:{acronyms})\b") if acronyms else None
        self._pattern = _NamePattern(names)
        self._ambiguous = {" ".join(_flat(n).split()).lower() for n in AMBIGUOUS}

    def mentions(self, text: str) -> list[Mention]:
        """Every mention of a département in the text, in order."""
        flat = _flat(text)
        out: list[Mention] = []
        for m in self._pattern.finditer(flat):
            found = m.group(0)
            key = " ".join(found.split()).lower()
            code = self._names.get(key)
            if code is None:
                continue
            if found.islower():
                continue  # 'un lot de', 'la somme de': not a proper name
            before = flat[max(0, m.start() - 45) : m.start()]
            if _INSTITUTION.search(before):
                strength = STRONG
            elif key in self._ambiguous and not _LOCATIVE.search(before):
                strength = WEAK
            else:
                strength = PLAIN
            written = text[m.start() : m.end()] if len(flat) == len(text) else found
            out.append(Mention(code, m.start(), strength, written, self._multi.get(key, ())))
        if self._demonym_pattern is not None:
            for m in self._demonym_pattern.finditer(flat):
                codes = self._demonyms[" ".join(m.group(0).split()).lower()]
                out.append(Mention(codes[0], m.start(), PLAIN, m.group(0), codes if len(codes) > 1 else ()))
        if self._acronym_pattern is not None:
            for m in self._acronym_pattern.finditer(text):
                codes = self._acronyms[m.group(0)]
                out.append(Mention(codes[0], m.start(), PLAIN, m.group(0), codes if len(codes) > 1 else ()))
        for m in _CD_CODE.finditer(text):
            code = m.group(1).upper()
            code = code[1:] if len(code) == 3 and code.startswith("0") else code
            if code in self.by_code:
                out.append(Mention(code, m.start(), STRONG, m.group(0)))
        out.sort(key=lambda mn: mn.start)
        return out

    def find(self, text: str) -> tuple[str, str] | None:
        """The (code, name) of the most specific mention: strongest, then longest, then first."""
        mentions = self.mentions(text)
        if not mentions:
            return None
        best = max(mentions, key=lambda mn: (mn.strength, len(mn.text), -mn.start))
        return best.code, self.by_code[best.code].name
