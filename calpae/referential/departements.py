"""Finding départements named in text: full names, 'Département du Lot', 'CD 47'; the most specific name wins."""

from __future__ import annotations

import re
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
    """One place a département is named: code, offset in the text, strength, and the matched words."""

    code: str
    start: int
    strength: float
    text: str


def _flat(text: str) -> str:
    """Accent-free text with apostrophes and hyphens as spaces, case kept, for name search."""
    t = strip_accents(text)
    return re.sub(r"['\-]", " ", t)


class DepartementFinder:
    """Scans text for département names, preferring the longest name at each position."""

    def __init__(self, departements: list[Departement]):
        self.by_code = {d.code: d for d in departements}
        names: dict[str, str] = {}
        for d in departements:
            for n in (d.name, *d.aliases):
                names[" ".join(_flat(n).split()).lower()] = d.code
        self._names = names
        alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])", re.IGNORECASE)
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
            out.append(Mention(code, m.start(), strength, found))
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
