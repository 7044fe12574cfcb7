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


def strip_accents(text: str) -> str:
    """The text without combining accents (é → e), apostrophes and dashes unified, case kept."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_APOS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case, no accents, single spaces, punctuation kept: the form keyword rules match on."""
    return re.sub(r"\s+", " ", strip_accents(text).lower()).strip()


def fold_words(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: the form names are compared in."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", strip_accents(text).lower()).split())
