"""A table found on a page (or merged over several), and the grid coordinates it is built on."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from calpae.extract.settings import TABLES
from calpae.models import BBox, Table, Word


@dataclass
class Found:
    """A table found on one page (or merged over several), with the geometry needed to merge it."""

    table: Table
    page: int
    last_page: int
    bbox: BBox  # on `page`
    last_bbox: BBox  # on `last_page`
    cols: list[float] = field(default_factory=list)  # column boundaries (x), ruled tables
    bounds: list[float] = field(default_factory=list)  # x between consecutive columns (words-based readings)


def cluster_edges(values: list[float], tol: float = TABLES.edge_tol) -> list[float]:
    """Sorted representative coordinates, values closer than tol merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def nearest_index(coords: list[float], v: float) -> int:
    return min(range(len(coords)), key=lambda i: abs(coords[i] - v))


def centre_inside(w: Word, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (w.bbox.x0 + w.bbox.x1) / 2, (w.bbox.top + w.bbox.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


class WordsByHeight:
    """The words whose centre lies in a box, found by bisecting their centres' heights (a page's cells × words
    would otherwise be a full scan per cell)."""

    def __init__(self, words: list[Word]):
        order = sorted(range(len(words)), key=lambda i: words[i].bbox.top + words[i].bbox.bottom)
        self._words = words
        self._order = order
        self._keys = [(words[i].bbox.top + words[i].bbox.bottom) / 2 for i in order]

    def __call__(self, box: tuple[float, float, float, float]) -> list[Word]:
        lo, hi = bisect_left(self._keys, box[1]), bisect_right(self._keys, box[3])
        picked = sorted(i for i in self._order[lo:hi] if centre_inside(self._words[i], box))
        return [self._words[i] for i in picked]  # in the page's order, as a full scan would give them
