"""Ruling lines from pypdfium2's path objects, as pdfplumber edge dicts, so its table finder runs without pdfminer."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from itertools import pairwise
from typing import cast

import pypdfium2.raw as raw

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_DEPTH = 8  # nested form XObjects followed this deep
FLAT = 1e-6  # a segment this close to axis-parallel is horizontal / vertical


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying inner then outer (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _painted(obj) -> bool:
    """True when the path is filled or stroked (clip-only paths draw nothing)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    return bool(fill.value) or bool(stroke.value)


def _subpaths(obj, m: Matrix) -> list[list[tuple[float, float]]]:
    """Points of each subpath in page space (PDF coordinates); a closed subpath repeats its first point."""
    out: list[list[tuple[float, float]]] = []
    cur: list[tuple[float, float]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = m
    for k in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        if not seg or not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        pt = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO:
            if len(cur) > 1:
                out.append(cur)
            cur = [pt]
        else:
            cur.append(pt)
        if raw.FPDFPathSegment_GetClose(seg) and cur:
            cur.append(cur[0])
    if len(cur) > 1:
        out.append(cur)
    return out


@dataclass
class _Collector:
    height: float
    edges: list[dict]

    def add_path(self, obj, m: Matrix) -> None:
        for pts in _subpaths(obj, m):
            for (x0, y0), (x1, y1) in pairwise(pts):
                self._add(x0, y0, x1, y1)

    def _add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(y0 - y1) <= FLAT:
            orient = "h"
        elif abs(x0 - x1) <= FLAT:
            orient = "v"
        else:
            return
        top, bottom = self.height - max(y0, y1), self.height - min(y0, y1)
        left, right = min(x0, x1), max(x0, x1)
        self.edges.append(
            {
                "object_type": "curve_edge",
                "x0": left,
                "x1": right,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": right - left,
                "height": bottom - top,
                "orientation": orient,
            }
        )

    def walk(self, count, get, outer: Matrix, depth: int) -> None:
        for k in range(count):
            obj = get(k)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH and _painted(obj):
                self.add_path(obj, _compose(_matrix(obj), outer))
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_DEPTH:
                m = _compose(_matrix(obj), outer)
                self.walk(
                    raw.FPDFFormObj_CountObjects(obj), lambda i, o=obj: raw.FPDFFormObj_GetObject(o, i), m, depth + 1
                )


def page_edges(page) -> list[dict]:
    """Horizontal and vertical edges of every painted path on a pypdfium2 page, top-left coordinates."""
    handle = page.raw
    _left, bottom, _right, top = page.get_mediabox()
    col = _Collector(height=top - bottom, edges=[])  # pdfplumber's frame (see PdfiumPage)
    col.walk(raw.FPDFPage_CountObjects(handle), lambda i: raw.FPDFPage_GetObject(handle, i), IDENTITY, 0)
    return col.edges


class EdgePage:
    """The two attributes pdfplumber's TableFinder reads from a page (lines strategy)."""

    def __init__(self, edges: list[dict], width: float, height: float) -> None:
        self.edges = edges
        self.bbox = (0.0, 0.0, width, height)


def find_table_cells(edges: list[dict], width: float, height: float, settings: dict) -> list[list[tuple]]:
    """Cell boxes of each table pdfplumber's finder builds from the given edges."""
    from pdfplumber.page import Page
    from pdfplumber.table import TableFinder, TableSettings

    page = cast(Page, EdgePage(edges, width, height))  # the finder reads only .edges and .bbox of its page
    finder = TableFinder(page, TableSettings.resolve(settings))
    return [t.cells for t in finder.tables]
