"""Text folding shared by the matchers: case, accents, apostrophes, hyphens and light plural stripping."""

from __future__ import annotations

import re

from calpae.textnorm import fold_words as fold
from calpae.textnorm import strip_accents as strip_accents  # shared with classify and departements

_SYNONYMS = [
    (re.compile(r"\brevenu de solidarite active\b"), "rsa"),
    (re.compile(r"\baide sociale a l enfance\b"), "ase"),
    (re.compile(r"\bconseils? departementa(?:l|ux)\b"), "cd"),
    (re.compile(r"\b1 ?(?:ers?|eres?)\b"), "premier"),
    (re.compile(r"\bpremieres?|premiers\b"), "premier"),
    (re.compile(r"\bun mois\b"), "1 mois"),
    (re.compile(r"\betats?\b"), "etat"),
]


def _singular(token: str) -> str:
    if len(token) > 3 and token.endswith(("s", "x")) and not token.endswith(("ss", "us")):
        return token[:-1]
    return token


def normalize_label(text: str) -> str:
    """Folded text with synonyms unified and plurals reduced, for fuzzy matching of labels."""
    t = fold(text)
    for pattern, repl in _SYNONYMS:
        t = pattern.sub(repl, t)
    return " ".join(_singular(tok) for tok in t.split())


def strip_numbering(text: str) -> str:
    """The label without a leading section number ("2.1.1. ", "1 - ") or trailing colon."""
    t = re.sub(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.)\s*(?:[-–:)]\s*)?", "", text.strip())
    return t.rstrip(" :;*").strip()


def strip_parentheses(text: str) -> str:
    """The text without parenthesised asides, which often qualify rather than name an indicator."""
    return " ".join(re.sub(r"\([^)]*\)", " ", text).split())
