"""Marks of a scan's noise that OCR read as text on a page's lines, and prefecture stamp lines under such marks."""

from __future__ import annotations

from statistics import median

from calpae.extract.geometry.lines import group_lines
from calpae.extract.settings import OCR, OcrSettings
from calpae.extract.structure.stamps import stamp_kind
from calpae.models import Word


def drop_stray_marks(words: list[Word], settings: OcrSettings = OCR) -> list[Word]:
    """The page's words without the marks the scan's noise made OCR read as text: on a line, a run of at most
    `stray_words` short words (at most `speck_chars` characters each, no digit, no dash or unit), white of
    `speck_gap_em` font sizes or more on both sides, read unsurely (mean confidence under `stray_conf`): '+' or
    'SRE' before a prefecture stamp, '*' alone over a table. Such lines, taken for body text, cut a table from its
    page's top and its stamp from the stamp's patterns; a word of a label or an amount is never one of them (no
    digits, and a label's words stand close)."""
    drop: set[int] = set()
    for line in group_lines(words, 0):
        ws = sorted(line.words, key=lambda w: w.bbox.x0)
        em = median(w.bbox.bottom - w.bbox.top for w in ws) * settings.em_per_height
        runs: list[list[Word]] = []
        for w in ws:
            if runs and w.bbox.x0 - runs[-1][-1].bbox.x1 <= settings.speck_gap_em * em:
                runs[-1].append(w)
            else:
                runs.append([w])
        for run in runs:
            confs = [w.confidence for w in run if w.confidence is not None]
            if (
                len(run) <= settings.stray_words
                and len(confs) == len(run)
                and sum(confs) / len(confs) < settings.stray_conf
                and all(_stray_text(w.text, settings) for w in run)
            ):
                drop.update(id(w) for w in run)
        drop.update(id(w) for w in _before_stamp(ws, settings))
        left = [w for w in ws if id(w) not in drop]
        if len(left) == 1 < len(ws) and _speck(left[0], settings):
            drop.add(id(left[0]))  # the engine's speck, left alone among the marks dropped: a digit too ('4')
    return [w for w in words if id(w) not in drop]


def is_stamp_line(ws: list[Word], settings: OcrSettings = OCR) -> bool:
    """True when the line is a prefecture stamp's field, once stray marks before it are left out."""
    return bool(stamp_kind(" ".join(w.text for w in ws))) or bool(
        _before_stamp(sorted(ws, key=lambda w: w.bbox.x0), settings)
    )


def _before_stamp(ws: list[Word], settings: OcrSettings) -> list[Word]:
    """The stray marks opening a line that is a prefecture stamp's field without them ('SRE ID : 090-…')."""
    if stamp_kind(" ".join(w.text for w in ws)):
        return []
    for n in range(1, min(settings.stray_words, len(ws) - 1) + 1):
        lead = ws[:n]
        confs = [w.confidence for w in lead if w.confidence is not None]
        if len(confs) < n or sum(confs) / n >= settings.stray_conf:
            return []
        if not all(_stray_text(w.text, settings) for w in lead):
            return []
        if stamp_kind(" ".join(w.text for w in ws[n:])):
            return lead
    return []


def _speck(w: Word, settings: OcrSettings) -> bool:
    return (
        w.confidence is not None and w.confidence < settings.speck_conf and len(w.text.strip()) <= settings.speck_chars
    )


def _stray_text(text: str, settings: OcrSettings) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= settings.speck_chars and not any(ch.isdigit() or ch in "-–—€%" for ch in t)
