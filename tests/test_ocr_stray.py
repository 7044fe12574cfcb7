"""Marks of a scan's noise read as text (ocr.stray) and stamp fields whose 'ID' OCR lost (structure.stamps)."""

from __future__ import annotations

from calpae.extract.ocr.stray import drop_stray_marks, is_stamp_line
from calpae.extract.structure.stamps import stamp_kind
from calpae.models import BBox, Word


def _w(text: str, x0: float, top: float, conf: float, width: float | None = None) -> Word:
    x1 = x0 + (width if width is not None else 5.0 * len(text))
    return Word(text=text, bbox=BBox(x0=x0, top=top, x1=x1, bottom=top + 8.0), size=10.0, confidence=conf)


def test_stamp_id_without_its_id_word() -> None:
    # the page 5 and page 6 stamps of office 177's 090-2022 rapport scan: 'ID' lost, or read '1D'
    assert stamp_kind(": 090-229000009-20230821-CD2303_12-DE") == "id"
    assert stamp_kind("1D : 090-222000009-20230821") == "id"
    assert stamp_kind("ID : 090-229000009-20230821.CD2303_12-DE") == "id"
    # without 'ID' the date field is needed: a bare code or an amount line is no stamp
    assert stamp_kind("090-229000009") is None
    assert stamp_kind("Total 090-229000009-20230821") is None


def test_noise_before_a_stamp_and_alone_dropped() -> None:
    stamp = [_w("SRE", 380.0, 40.0, 55.0, 15.0), _w("ID", 412.0, 40.0, 88.0), _w(":", 420.0, 40.0, 88.0)]
    stamp.append(_w("090-229000009-20230821-CD2303_12-DE", 423.0, 40.0, 57.0, 120.0))
    assert is_stamp_line(stamp)
    lone = [_w("+", 260.0, 83.0, 51.0), _w("*", 259.0, 120.0, 57.0)]
    row = [_w("Total", 126.0, 103.0, 96.0), _w("135.502,18", 426.0, 103.0, 92.0), _w("€", 464.0, 103.0, 97.0)]
    kept = drop_stray_marks(stamp + lone + row)
    assert [w.text for w in kept] == ["ID", ":", "090-229000009-20230821-CD2303_12-DE", "Total", "135.502,18", "€"]


def test_sure_or_numeric_short_words_kept() -> None:
    words = [
        _w("NC", 253.0, 250.0, 96.0),  # a qualifier read surely
        _w("68", 289.0, 250.0, 40.0),  # a value read unsurely: digits are never noise here
        _w("-", 461.0, 250.0, 30.0),  # a dash zero
        _w("€", 465.0, 250.0, 30.0),
    ]
    assert [w.text for w in drop_stray_marks(words)] == ["NC", "68", "-", "€"]


def test_speck_left_alone_among_marks_dropped() -> None:
    # office 181's 058-2022 rapport scan, page 5's top: 'sr' '+' '4' read from the noise, the '4' taken for a header
    line = [_w("sr", 269.0, 31.0, 13.0), _w("+", 319.0, 31.0, 46.0), _w("4", 348.0, 31.0, 48.0)]
    row = [_w("Total", 128.0, 86.0, 95.0), _w("4", 300.0, 86.0, 40.0), _w("891,12", 431.0, 86.0, 96.0)]
    assert [w.text for w in drop_stray_marks(line + row)] == ["Total", "4", "891,12"]
