"""How likely a French word is: wordfreq's French word list, plus the words of the national referential.

The cell-text step (calpae.extract.tables.cell_text) asks whether two pieces of a word broken over two lines of a
narrow cell ("Engagement" / "s", "Thè" / "me", "con" / "trac" / "tua"…) read better as one word or as two: a
unigram language model answers, the joined word being likelier than the two pieces side by side when it is a word
and they are not both common words. wordfreq (its "large" French list, 300 000 words with their frequencies,
shipped inside the package: nothing is downloaded) is loaded the first time a cell asks, about 0.6 s; the
referential's own words (measure, indicator and Chorus names, column labels, départements) are added so that the
vocabulary of the poverty strategy ("contractualisation", "BRSA") is always known.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

from calpae.extract.settings import CELL_TEXT
from calpae.referential import load_referential

WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)  # the letters of a token (apostrophes and hyphens split words)


def fold(word: str) -> str:
    """The form looked up: lower case, NFC (wordfreq's lists are lower-cased NFC text)."""
    return unicodedata.normalize("NFC", word).lower()


@cache
def _referential_words() -> frozenset[str]:
    """Every word of the national referential's names, labels and aliases."""
    ref = load_referential()
    texts: list[str] = []
    for m in ref.measures.values():
        texts += [m.name, *m.aliases]
    for i in ref.indicators.values():
        texts += [i.name, *i.aliases]
    texts += [c.description for c in ref.chorus.values()] + [c.designation for c in ref.chorus.values()]
    for col in ref.financial_columns.values():
        texts += [col.name, *col.aliases]
    for d in ref.departements.values():
        texts += [d.name, *d.aliases]
    return frozenset(fold(w) for t in texts if t for w in WORD_RE.findall(t))


@cache
def _frequencies() -> dict[str, float]:
    """wordfreq's French frequencies (share of all words), referential words raised to a common word's."""
    from wordfreq import get_frequency_dict  # ~0.6 s: loaded when a cell first needs it

    freqs = dict(get_frequency_dict("fr", wordlist="large"))
    floor = CELL_TEXT.referential_frequency
    for w in _referential_words():
        if freqs.get(w, 0.0) < floor:
            freqs[w] = floor
    return freqs


def cost(word: str) -> float:
    """-log10 of the word's probability under a unigram model of French: small for common words.

    A word the lists do not hold costs more than the rarest listed word, and more the longer it is (Norvig's
    estimate for unknown words: each further letter a tenfold less likely string)."""
    freq = _frequencies().get(fold(word))
    if freq:
        return -math.log10(freq)
    return CELL_TEXT.unknown_cost + CELL_TEXT.unknown_cost_per_char * len(word)


def known(word: str) -> bool:
    """True when the word is in the French list or the referential."""
    return fold(word) in _frequencies()
