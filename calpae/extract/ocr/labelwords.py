"""Label words of an OCR'd table mended by the French word list: a word no list holds ('Muillage', 'nremier',
'emnloi', 'Hébergeménts') is read as the one listed word one edit away from it ('Maillage', 'premier', 'emploi',
'Hébergements'), when that word is common enough and no other word one edit away comes close to it in frequency.

Scan OCR misreads one letter of a label as often as a digit of an amount, and one wrong letter keeps a row label from
being the label it is. The list is calpae.extract.lexicon's (wordfreq's French words and the referential's own): a
word it holds is never changed, nor one with a digit, an all-capital one (an acronym: 'BRSA', 'ASE') or a short one.
"""

from __future__ import annotations

import re
from functools import cache

from calpae.extract.lexicon import _frequencies, fold
from calpae.extract.settings import OCR_TABLE

S = OCR_TABLE
LETTERS = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüœ"
_TOKEN = re.compile(r"^(?P<lead>[^\w]*(?:[dlDL]['’])?)(?P<word>[^\W\d_]+)(?P<tail>[^\w]*)$")


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from word (Norvig's edits1)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    inserts = {a + c + b for a, b in splits for c in LETTERS}
    return deletes | swaps | replaces | inserts


@cache
def mend_word(word: str) -> str:
    """The listed word one edit from an unlisted word (see module doc), its first letter's case kept; else the word."""
    low = fold(word)
    freqs = _frequencies()
    if len(low) < S.mend_min_letters or low in freqs or word.isupper():
        return word
    found = sorted(((freqs[e], e) for e in _edits(low) if e in freqs), reverse=True)
    if not found or found[0][0] < S.mend_min_frequency:
        return word
    if len(found) > 1 and found[1][0] * S.mend_margin > found[0][0]:
        return word
    best = found[0][1]
    return best[0].upper() + best[1:] if word[0].isupper() else best


def mend_label(text: str) -> str:
    """A label cell's text with each unlisted word mended (mend_word); spacing and punctuation kept."""
    out = []
    for token in text.split(" "):
        m = _TOKEN.match(token)
        out.append(f"{m['lead']}{mend_word(m['word'])}{m['tail']}" if m else token)
    return " ".join(out)
