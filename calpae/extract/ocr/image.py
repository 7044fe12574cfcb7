"""Page images for OCR: deskew by projection profile, find ruling lines by run lengths, clean before Tesseract."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from calpae.extract.settings import OCR_IMAGE

S = OCR_IMAGE
NO_ZERO = 1e-12  # keeps Otsu's ratio finite where one class is empty
END_SLACK = 1e-9  # degrees: lets the skew search reach its upper bound despite float steps


def estimate_skew(gray: np.ndarray) -> float:
    """Rotation (degrees, PIL's sense) that straightens text rows: the angle maximising profile sharpness."""
    img = Image.fromarray(gray)
    w, h = img.size
    f = S.skew_width / max(w, 1)
    small = np.asarray(img.resize((S.skew_width, max(1, int(h * f))), Image.Resampling.BILINEAR)) < S.ink
    ink = Image.fromarray((small * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for angle in np.arange(-S.skew_range, S.skew_range + END_SLACK, S.skew_step):
        rows = (np.asarray(ink.rotate(float(angle), resample=Image.Resampling.NEAREST, fillcolor=0)) > 0).sum(axis=1)
        score = float((np.diff(rows.astype(np.float64)) ** 2).sum())
        if score > best_score:
            best, best_score = round(float(angle), 2), score
    return best


def deskew(gray: np.ndarray, angle: float) -> np.ndarray:
    """The page rotated by `angle` about its centre, same size, white fill."""
    if abs(angle) < S.min_skew:
        return gray
    return np.asarray(Image.fromarray(gray).rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255))


def _bridge(ink: np.ndarray, gap: int) -> np.ndarray:
    """Ink with gaps of at most `gap` pixels along each row filled (ink within reach on both sides)."""
    left, right = ink.copy(), ink.copy()
    for k in range(1, gap + 1):
        left[:, k:] |= ink[:, :-k]
        right[:, :-k] |= ink[:, k:]
    return ink | (left & right)


def _long_runs(ink: np.ndarray, min_len: int) -> np.ndarray:
    """Mask of the ink runs along each row at least min_len pixels long (small gaps bridged)."""
    ink = _bridge(ink, S.rule_gap)
    out = np.zeros_like(ink)
    d = np.diff(np.pad(ink.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    starts_r, starts_c = np.nonzero(d == 1)
    _, ends_c = np.nonzero(d == -1)
    for r, s, e in zip(starts_r, starts_c, ends_c, strict=True):
        if e - s >= min_len:
            out[r, s:e] = True
    return out


def denoise(gray: np.ndarray) -> np.ndarray:
    """The page through a 3x3 median: scan specks and JPEG ringing gone, strokes kept (Tesseract misreads specks)."""
    return np.asarray(Image.fromarray(gray).filter(ImageFilter.MedianFilter(S.median_filter)))


def otsu(gray: np.ndarray) -> int:
    """Otsu's threshold: the grey level best separating ink from paper (and from light cell shading)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    p = hist / max(hist.sum(), 1.0)
    w = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    between = (mu[-1] * w - mu) ** 2 / (w * (1.0 - w) + NO_ZERO)
    return int(np.argmax(between))


def binarize(gray: np.ndarray) -> np.ndarray:
    """Black ink on white after a mild blur: grey shading and noise flattened for the cell re-reads."""
    blurred = np.asarray(Image.fromarray(gray).filter(ImageFilter.GaussianBlur(1)))
    return np.where(blurred < otsu(blurred), 0, 255).astype(np.uint8)


def rule_masks(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling-line pixels of a (deskewed, denoised) page."""
    ink = gray < S.rule_ink
    horiz = _long_runs(ink, int(dpi * S.h_rule_in))
    vert = _long_runs(ink.T, int(dpi * S.v_rule_in)).T
    return horiz, vert


def clean_for_ocr(gray: np.ndarray, horiz: list[Segment], vert: list[Segment], pad: int = S.clean_pad) -> np.ndarray:
    """The page with ruling lines whitened: rules glued to digits are Tesseract's main source of misreads."""
    out = gray.copy()
    for s in horiz:
        half = s.thick // 2 + pad
        out[max(0, int(s.pos) - half) : int(s.pos) + half + 1, max(0, s.lo - pad) : s.hi + pad] = 255
    for s in vert:
        half = s.thick // 2 + pad
        out[max(0, s.lo - pad) : s.hi + pad, max(0, int(s.pos) - half) : int(s.pos) + half + 1] = 255
    return out


def rules_to_clean(horiz: list[Segment], vert: list[Segment], tol: float, dpi: int) -> list[Segment]:
    """The horizontal rules clean_for_ocr may whiten: those that meet a vertical rule (within tol pixels) and those
    long enough to be no word. A bold word on grey shading is an ink run past h_rule_in once its letters' 2-pixel
    gaps are bridged ('Financement', 'Département' over the columns of a scanned budget table): whitened, the
    header cell read 'Le' and the column's part was lost. Such a run lies inside a cell, clear of its rules."""
    alone = dpi * S.h_rule_alone_in
    return [
        s
        for s in horiz
        if s.hi - s.lo >= alone
        or any(v.lo - tol <= s.pos <= v.hi + tol and s.lo - tol <= v.pos <= s.hi + tol for v in vert)
    ]


def unread_ink(
    binary: np.ndarray, read: list[tuple[int, int, int, int]], scale: float
) -> list[tuple[float, float, float, float]]:
    """Boxes (points) of the marks on a binarised page (ink 0) outside every read box (pixels x0, top, x1, bottom):
    what OCR left unread. Two cuts: bands of inked rows, runs of inked columns within a band (gaps of
    S.ink_gap_pt bridged), then each run's own rows again; marks shorter than S.ink_min_height_pt (dashes, rule
    remnants, specks) or with fewer than S.ink_min_pixels pixels are left out."""
    ink = binary == 0
    pad = int(round(S.ink_word_pad_pt * scale))
    for x0, top, x1, bottom in read:
        ink[max(0, top - pad) : bottom + pad, max(0, x0 - pad) : x1 + pad] = False
    gap = max(1, int(round(S.ink_gap_pt * scale)))
    out: list[tuple[float, float, float, float]] = []
    for r0, r1 in true_runs(ink.any(axis=1), 0):
        band = ink[r0:r1]
        for c0, c1 in true_runs(band.any(axis=0), gap - 1):
            for s0, s1 in true_runs(band[:, c0:c1].any(axis=1), 0):
                mark = band[s0:s1, c0:c1]
                if (s1 - s0) >= S.ink_min_height_pt * scale and int(mark.sum()) >= S.ink_min_pixels:
                    out.append((c0 / scale, (r0 + s0) / scale, c1 / scale, (r0 + s1) / scale))
    return out


def true_runs(mask: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """[start, end) of the runs of True in a 1-D mask, runs parted by at most `gap` False joined."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(idx) > gap + 1)
    starts = np.concatenate(([idx[0]], idx[cuts + 1]))
    ends = np.concatenate((idx[cuts], [idx[-1]])) + 1
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


@dataclass
class Segment:
    """A ruling line in pixels: `pos` across it, `lo`..`hi` along it."""

    pos: float
    lo: int
    hi: int
    thick: int = 1


def segments(mask: np.ndarray, axis: int, max_thick: int) -> list[Segment]:
    """Ruling lines of a mask (axis 0: horizontal, rows; 1: vertical, columns); thicker bands are not rules."""
    return [s for s in _bands(mask, axis) if s.thick <= max_thick]


def _seg(rows: list[int], lo: int, hi: int) -> Segment:
    return Segment(float(np.mean(rows)), lo, hi, len(rows))


def _bands(mask: np.ndarray, axis: int) -> list[Segment]:
    """Runs of the mask, runs overlapping on consecutive rows merged into one band."""
    m = mask if axis == 0 else mask.T
    out: list[Segment] = []
    open_: list[tuple[list[int], int, int]] = []  # (positions, lo, hi) still growing
    for r in np.nonzero(m.any(axis=1))[0]:
        d = np.diff(np.pad(m[r].astype(np.int8), (1, 1)))
        runs = list(zip(np.nonzero(d == 1)[0], np.nonzero(d == -1)[0], strict=True))
        nxt = []
        for lo, hi in runs:
            match = next((o for o in open_ if o[0][-1] >= r - 1 and o[1] < hi and lo < o[2]), None)
            if match is not None:
                open_.remove(match)
                nxt.append((match[0] + [int(r)], min(match[1], int(lo)), max(match[2], int(hi))))
            else:
                nxt.append(([int(r)], int(lo), int(hi)))
        for o in open_:
            if o[0][-1] < r - 1:
                out.append(_seg(*o))
            else:
                nxt.append(o)
        open_ = nxt
    out.extend(_seg(*o) for o in open_)
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [float(np.mean(g)) for g in out]


def _covered(segs: list[Segment], pos: float, lo: float, hi: float, tol: float) -> bool:
    """True when rules at `pos` cover most of lo..hi."""
    span = max(hi - lo, 1.0)
    got = sum(max(0.0, min(s.hi, hi) - max(s.lo, lo)) for s in segs if abs(s.pos - pos) <= tol)
    return got >= S.cover * span


def grid_boxes(horiz: list[Segment], vert: list[Segment], tol: float) -> list[list[tuple[float, float, float, float]]]:
    """Cell boxes (x0, top, x1, bottom, pixels) of each ruled grid; a missing inner rule merges two cells."""
    tables = []
    for group_h, group_v in _crossing_rules(horiz, vert, tol):
        ys = _cluster([s.pos for s in group_h], tol)
        xs = _cluster([s.pos for s in group_v], tol)
        if len(xs) < S.min_grid_columns + 1 or len(ys) < S.min_grid_rows + 1:
            continue
        parent = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}

        def find(k: tuple[int, int], parent: dict[tuple[int, int], tuple[int, int]] = parent) -> tuple[int, int]:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        for r in range(len(ys) - 1):
            for c in range(len(xs) - 1):
                if c + 1 < len(xs) - 1 and not _covered(group_v, xs[c + 1], ys[r], ys[r + 1], tol):
                    parent[find((r, c + 1))] = find((r, c))
                if r + 1 < len(ys) - 1 and not _covered(group_h, ys[r + 1], xs[c], xs[c + 1], tol):
                    parent[find((r + 1, c))] = find((r, c))
        cells: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for k in parent:
            cells.setdefault(find(k), []).append(k)
        boxes = []
        for members in cells.values():
            r0, r1 = min(m[0] for m in members), max(m[0] for m in members) + 1
            c0, c1 = min(m[1] for m in members), max(m[1] for m in members) + 1
            boxes.append((xs[c0], ys[r0], xs[c1], ys[r1]))
        tables.append(boxes)
    return tables


def _crossing_rules(horiz: list[Segment], vert: list[Segment], tol: float) -> list[tuple[list[Segment], list[Segment]]]:
    """Rules that cross or touch one another, grouped into one grid each."""
    items = [("h", s) for s in horiz] + [("v", s) for s in vert]
    parent = list(range(len(items)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ki, a) in enumerate(items):
        if ki != "h":
            continue
        for j, (kj, b) in enumerate(items):
            if kj == "v" and b.lo - tol <= a.pos <= b.hi + tol and a.lo - tol <= b.pos <= a.hi + tol:
                parent[find(j)] = find(i)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, (k, s) in enumerate(items):
        g = groups.setdefault(find(i), ([], []))
        (g[0] if k == "h" else g[1]).append(s)
    return [g for g in groups.values() if g[0] and g[1]]
