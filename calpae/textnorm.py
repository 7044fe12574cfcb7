"""Text folding shared by every stage: one definition of 'the same words, whatever the accents and case'."""

from __future__ import annotations

import re
import unicodedata

_APOS = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "ʼ": "'",
        "–": "-",
        "—": "-",
        "‑": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
    }
)


STRIP_TABLE_MAX_CHARS = 8192  # distinct characters whose folded form is kept (characters)


class _StripTable(dict):
    """str.translate table of strip_accents, filled a character at a time as text is seen: a character's NFKD
    decomposition without its combining marks. Per character it equals the whole string's (NFKD decomposes each
    character on its own and only reorders combining marks, which are all dropped), in C instead of a Python loop
    over the characters."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).translate(_APOS))
        out = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(self) < STRIP_TABLE_MAX_CHARS:  # a text of every script cannot grow the table without bound
            self[code] = out
        return out


_STRIP = _StripTable()


def strip_accents(text: str) -> str:
    """The text without combining accents (é → e), apostrophes and dashes unified, case kept."""
    return (text or "").translate(_STRIP)


def fold(text: str) -> str:
    """Lower case, no accents, single spaces, punctuation kept: the form keyword rules match on."""
    return re.sub(r"\s+", " ", strip_accents(text).lower()).strip()


def fold_words(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: the form names are compared in."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", strip_accents(text).lower()).split())
