"""One reader's crash on a layout it was not made for loses its own tables only: the document is partial, the
reader named in its errors, and what the other readers read is kept (a whole document lost to one IndexError had
been reported only as 'could not be read')."""

from __future__ import annotations

from pathlib import Path

import pytest

import calpae.extract.reader as reader
import calpae.extract.tables.detect as detect
import calpae.extract.text.reader as text_reader
from calpae.pipeline import extract_document

FIXTURES = Path(__file__).parent / "fixtures" / "office"


def _boom(*args: object, **kwargs: object) -> None:
    raise IndexError("list index out of range")


def test_a_crashing_table_reader_loses_its_tables_only(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = FIXTURES / "092-2020-rapport_execution.pdf"
    whole = extract_document(pdf)
    assert (whole.document.status, len(whole.budget_lines), len(whole.indicator_values)) == ("ok", 236, 36)
    monkeypatch.setattr(detect, "figure_tables", _boom)
    ext = extract_document(pdf)
    assert ext.document.status == "partial"
    assert ext.document.errors == [
        "the reader of indicator tables failed (IndexError: list index out of range): tables it reads may be missing"
    ]
    assert (len(ext.budget_lines), len(ext.indicator_values)) == (236, 3)


def test_a_crashing_later_step_keeps_the_tables_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "build_sections", _boom)
    ext = extract_document(FIXTURES / "092-2020-rapport_execution.pdf")
    assert ext.document.status == "partial"
    assert ext.document.errors == [
        "the sections step failed (IndexError: list index out of range): the document is read without it"
    ]
    assert (len(ext.document.sections), len(ext.document.tables), len(ext.budget_lines)) == (0, 19, 236)


def test_a_crashing_text_reader_loses_its_tables_only(monkeypatch: pytest.MonkeyPatch) -> None:
    txt = FIXTURES / "034-2019-rapport_execution.txt"
    whole = extract_document(txt)
    monkeypatch.setattr(text_reader, "find_figure_tables", _boom)
    ext = extract_document(txt)
    assert (whole.document.status, ext.document.status) == ("ok", "partial")
    assert ext.document.errors == [
        "the reader of indicator tables failed (IndexError: list index out of range): tables it reads may be missing"
    ]
    assert (len(whole.indicator_values), len(ext.indicator_values)) == (37, 21)
    assert (len(whole.budget_lines), len(ext.budget_lines)) == (290, 290)
