"""Several OCR readings of one crop combined word by word: where the readings overlap on the page, the one
Tesseract is surest of wins; marks that only a minority of readings saw (specks) are dropped.

One reading of small, noisy header text misreads a letter or two ('repartés', 'reporteren 2029', 'fl
financeurs'), but rarely the same letters at every magnification; a vote over readings at several scales
gives the header words the budget stage needs to name each column.
"""

from __future__ import annotations

from statistics import median

from calpae.extract.settings import OCR_TABLE

Read = tuple[str, float, tuple[float, float, float, float]]  # (text, confidence, box in page pixels)


def _meet(a: tuple, b: tuple) -> bool:
    """True when two word boxes cover the same ink: a third of the narrower's width, half the lower's height."""
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx > OCR_TABLE.vote_overlap_x * min(a[2] - a[0], b[2] - b[0]) and dy > OCR_TABLE.vote_overlap_y * min(
        a[3] - a[1], b[3] - b[1]
    )


def _overlap_groups(items: list[tuple[int, Read]]) -> list[list[tuple[int, Read]]]:
    """Words of all readings joined into groups of overlapping boxes (union-find over pairs)."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i][0] != items[j][0] and _meet(items[i][1][2], items[j][1][2]):
                parent[root(i)] = root(j)
    out: dict[int, list[tuple[int, Read]]] = {}
    for i, it in enumerate(items):
        out.setdefault(root(i), []).append(it)
    return list(out.values())


def in_reading_order(words: list[Read]) -> list[Read]:
    """Words sorted line by line (box centres within half a word height share a line), left to right."""
    if not words:
        return []
    h = median(b[3] - b[1] for _, _, b in words) or 1.0
    lines: list[list[Read]] = []
    for w in sorted(words, key=lambda w: (w[2][1] + w[2][3]) / 2):
        cy = (w[2][1] + w[2][3]) / 2
        if lines and abs(cy - (lines[-1][0][2][1] + lines[-1][0][2][3]) / 2) <= OCR_TABLE.vote_line * h:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [w for line in lines for w in sorted(line, key=lambda w: w[2][0])]


def vote(readings: list[list[Read]]) -> list[Read]:
    """One reading of a crop from several: per group of overlapping words, the reading with the highest mean
    confidence; a group seen by no more than half the readings is dropped, and so is one whose best reading is
    unsure. Words in reading order."""
    items = [(m, w) for m, reading in enumerate(readings) for w in reading if w[0].strip()]
    kept: list[Read] = []
    for group in _overlap_groups(items):
        seen = {m for m, _ in group}
        if 2 * len(seen) <= len(readings):
            continue
        best = max(
            sorted(seen), key=lambda m: sum(w[1] for k, w in group if k == m) / sum(1 for k, _ in group if k == m)
        )
        mine = [w for k, w in group if k == best]
        if sum(w[1] for w in mine) / len(mine) >= OCR_TABLE.vote_min_conf:
            kept.extend(mine)
    return in_reading_order(kept)
