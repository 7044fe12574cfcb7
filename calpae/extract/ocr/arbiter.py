"""Which reading of an amount cell to keep, and the kept words on the page: the second pass's reading of each crop
(calpae.extract.ocr.cells) against the first pass's words it covers. A reading sure of itself is kept as read; only
where neither is sure do the table's own sums decide, and the kept words say how sure the choice was, so that a sum
may later correct only a cell OCR was unsure of (issue 18, item 7)."""

from __future__ import annotations

from statistics import median

from calpae.extract.numbers.parse import parse_number
from calpae.extract.ocr.cells import Crop, reading
from calpae.extract.settings import OCR_CELLS, OCR_TABLE
from calpae.models import BBox, Word

S = OCR_CELLS
SURE = OCR_TABLE.sure_conf
MIN_WIDTH = 1e-6  # points: a word's width never divides by less (a zero-width glyph)
BOX_DESCENTS = 1.5  # a row's box reaches half a descent above the digits' ink and a full descent below


def _inside(w: Word, box: BBox) -> float:
    """Share of the word's width inside box, when it shares a third of the height of the shorter of the two.

    Not its centre line: a first-pass word's box runs from its line's top to below the baseline (often half a
    digit lower than the ink), so its centre can fall under a crop cut tight around the digits, and the old
    reading would stay beside the new one. Rows of a table are far more than a third of a height apart."""
    shared = min(w.bbox.bottom, box.bottom) - max(w.bbox.top, box.top)
    if shared < S.overlap_v * min(w.bbox.bottom - w.bbox.top, box.bottom - box.top):
        return 0.0
    overlap = min(w.bbox.x1, box.x1) - max(w.bbox.x0, box.x0)
    return max(0.0, overlap) / max(w.bbox.x1 - w.bbox.x0, MIN_WIDTH)


def _is_text(w: Word) -> bool:
    return sum(ch.isalpha() for ch in w.text) >= S.text_letters and (w.confidence or 0.0) >= S.confident


def _value(text: str):
    parsed = parse_number(text) if text else None
    return None if parsed is None or parsed.malformed or parsed.is_year else parsed.value


def _is_sum(values: list, k: int) -> bool:
    """True when values[k] equals the sum of a run of at least two values just before it."""
    if values[k] is None:
        return False
    total = 0
    for j in range(k - 1, -1, -1):
        if values[j] is None:
            return False
        total += values[j]
        if j <= k - 2 and total == values[k]:
            return True
    return False


def _agreement(lines: list[list[Crop]], pick: dict[int, int], options: dict[int, list]) -> int:
    """How many cells equal the sum of the cells before them in their row or column, under the chosen readings."""
    score = 0
    for line in lines:
        values = [options[id(c)][pick[id(c)]] for c in line]
        score += sum(_is_sum(values, k) for k in range(2, len(values)))
    return score


def agreement_confidence(mine: float, other: float) -> float:
    """Confidence (0-100) that a reading is right when a second, independent reading of the same ink disagrees
    with it, each right with its own confidence: P(mine right, other wrong) over P(exactly one of them right)."""
    a, b = mine / 100, other / 100
    right = a * (1 - b)
    either = right + b * (1 - a)
    return 100 * right / either if either else 50.0


def concord_confidence(one: float, other: float) -> float:
    """Confidence (0-100) that a value is right when two independent readings of the same ink agree on it, each right
    with its own confidence: P(both right) over P(both right or both wrong), two wrong readings counted as agreeing
    (an upper bound on chance agreement, so the result errs low)."""
    a, b = one / 100, other / 100
    both = a * b
    return 100 * both / (both + (1 - a) * (1 - b)) if both else 0.0


def _confidences(crop: Crop, covered: list[Word]) -> tuple[float, float]:
    """Least sure word of the re-read and of the first pass."""
    return _least_sure([conf for _, conf, _ in crop.words or []]), _least_sure([w.confidence or 0.0 for w in covered])


def arbitrate(
    accepted: list[tuple[Crop, list[Word]]], rows: dict[int, tuple[float, float]]
) -> tuple[dict[int, int], dict[int, float]]:
    """For cells whose first pass and re-read disagree, the reading to keep (0: re-read, 1: first pass) and how
    sure it is (agreement_confidence). A reading sure of itself against an unsure one is kept as read; only when
    neither is sure do the table's sums decide: the reading that makes the most row and column totals hold, ties
    keeping the re-read unless one of its words is unsure and the first pass's are all surer. General: any cell
    equal to a run above or left of it."""
    options = {id(c): [_value(reading(c) or ""), _value(" ".join(w.text for w in cov))] for c, cov in accepted}
    pick = {k: 0 for k in options}
    surer = {id(c): _first_surer(c, cov) for c, cov in accepted}
    confs = {id(c): _confidences(c, cov) for c, cov in accepted}
    disputed = [k for k, (a, b) in options.items() if b is not None and a != b]
    sure: dict[int, float] = {}
    for k in disputed:
        again, first = confs[k]
        longer = _saw_more(*options[k])
        if longer is not None:  # one reading holds the other and more digits: the other did not see them
            sure[k] = (again, first)[longer]
            if sure[k] >= SURE:
                pick[k] = longer
            continue
        sure[k] = agreement_confidence(again, first)
        if sure[k] < SURE and agreement_confidence(first, again) >= SURE:
            pick[k], sure[k] = 1, agreement_confidence(first, again)
    unsure = [k for k in disputed if sure[k] < SURE]
    if not unsure:
        return pick, sure
    crops = [c for c, _ in accepted]
    columns: dict[int, list[Crop]] = {}
    by_row: dict[tuple[float, float], list[Crop]] = {}
    for c in sorted(crops, key=lambda c: c.top):
        columns.setdefault(c.column, []).append(c)
    for c in sorted(crops, key=lambda c: c.x0):
        by_row.setdefault(rows[id(c)], []).append(c)
    lines = list(columns.values()) + list(by_row.values())
    for k in unsure:
        scores = []
        for choice in (0, 1):
            pick[k] = choice
            scores.append(_agreement(lines, pick, options))
        pick[k] = 1 if scores[1] > scores[0] or (scores[1] == scores[0] and surer[k]) else 0
        if _saw_more(*options[k]) is None:
            again, first = confs[k]
            sure[k] = agreement_confidence(first, again) if pick[k] else agreement_confidence(again, first)
    return pick, sure


def _saw_more(again, first) -> int | None:
    """Which reading (0: re-read, 1: first pass) has the other's digits and more at one end ('34 300' against
    '300': a crop cut before the first group), or None when they differ otherwise."""
    a, b = (f"{v:f}".replace(".", "").lstrip("0") for v in (again, first))
    if a != b and b and (b.endswith(a) or b.startswith(a)):
        return 1
    if a != b and a and (a.endswith(b) or a.startswith(b)):
        return 0
    return None


def _least_sure(confs: list[float]) -> float:
    return min(confs) if confs else 0.0


def _first_surer(crop: Crop, covered: list[Word]) -> bool:
    """True when the re-read has a word Tesseract barely saw ('4' of '34') and the first pass read all its own
    words with more confidence: on a tie of the sums, that reading is kept."""
    again = _least_sure([conf for _, conf, _ in crop.words or []])
    first = _least_sure([w.confidence or 0.0 for w in covered])
    return again < S.unsure and first > again


def _row_boxes(crops: list[Crop]) -> dict[int, tuple[float, float]]:
    """(top, bottom) in pixels shared by the accepted crops of one visual row, shaped like a font box.

    Cells of one row must share a baseline for line grouping, as born-digital words do; digits have no
    descenders, so the bottom is pushed down by a descender's depth and the top up by the accent room."""
    ink = {
        id(c): (float(c.top + S.margin), float(c.bottom - S.margin)) for c in crops
    }  # the band's ink (Tesseract's boxes wander)
    rows: list[list[Crop]] = []
    for c in sorted(crops, key=lambda c: ink[id(c)][1]):
        top, bottom = ink[id(c)]
        if rows and abs(bottom - ink[id(rows[-1][0])][1]) <= S.same_row * (bottom - top):
            rows[-1].append(c)
        else:
            rows.append([c])
    out: dict[int, tuple[float, float]] = {}
    for row in rows:
        height = median(ink[id(c)][1] - ink[id(c)][0] for c in row)
        top = min(ink[id(c)][0] for c in row) - S.descent * height / 2
        bottom = max(ink[id(c)][1] for c in row) + S.descent * height
        out.update({id(c): (top, bottom) for c in row})
    return out


def replace_words(words: list[Word], crops: list[Crop], scale: float) -> list[Word]:
    """First-pass words with each amount crop's content swapped for its second reading where that reads as an amount."""
    accepted: list[tuple[Crop, list[Word]]] = []
    for c in crops:
        if reading(c) is None:
            continue
        box = BBox(x0=c.x0 / scale, top=c.top / scale, x1=c.x1 / scale, bottom=c.bottom / scale)
        covered = [w for w in words if _inside(w, box) >= S.covered]
        if not any(_is_text(w) for w in covered):
            c.words = [(t, conf, b) for t, conf, b in c.words or [] if any(ch.isdigit() or ch in "€%" for ch in t)]
            accepted.append((c, covered))
    rows = _row_boxes([c for c, _ in accepted])
    pick, sure = arbitrate(accepted, rows)
    gone: set[int] = set()
    new: list[Word] = []
    for c, covered in accepted:
        top, bottom = (v / scale for v in rows[id(c)])
        size = next(
            (w.size for w in covered if w.size),
            round((bottom - top) * S.em_per_ink / (1 + BOX_DESCENTS * S.descent), 1),
        )
        gone.update(id(w) for w in covered)
        doubt = sure.get(id(c), 100.0)  # readings that disagree: each word no surer than their combination
        if id(c) not in sure and covered and _value(reading(c) or "") == _value(" ".join(w.text for w in covered)):
            again, first = _confidences(c, covered)  # two readings that agree: surer than either alone
            c.words = [(t, max(conf, concord_confidence(again, first)), b) for t, conf, b in c.words or []]
        if pick[id(c)] == 1:  # the first pass's reading makes the totals hold: its words, on the cell's baseline
            new.extend(
                w.model_copy(
                    update={
                        "bbox": BBox(x0=w.bbox.x0, top=top, x1=w.bbox.x1, bottom=bottom),
                        "confidence": min(w.confidence or 0.0, doubt),
                    }
                )
                for w in covered
            )
            continue
        new.extend(
            Word(
                text=t,
                bbox=BBox(x0=b[0] / scale, top=top, x1=b[2] / scale, bottom=bottom),
                size=size,
                confidence=min(conf, doubt),
            )
            for t, conf, b in c.words or []
        )
    return [w for w in words if id(w) not in gone] + new
