"""Readers and parsers: files → Document (pages, lines, words, tables, sections, furniture).

The public face of calpae.extract: the rest of calpae (and benchmarks, corpora) imports from here only. The
layers inside, from the bottom: settings | source → geometry → numbers → structure → tables → ocr → pdf | text →
reader (ARCHITECTURE.md).

Each public name is imported from its module the first time it is asked for (PEP 562), so that importing this
package, or one number helper, does not load the readers with pypdfium2, numpy and Pillow: `calpae --help` and
the stages that only parse numbers start without them."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from calpae.extract.numbers.core import MAX_INTEGER_DIGITS, ParsedNumber, readings
    from calpae.extract.numbers.find import find_numbers
    from calpae.extract.numbers.french import FRENCH_STYLES, format_french
    from calpae.extract.numbers.parse import parse_number
    from calpae.extract.ocr.engine import OCR_MODES
    from calpae.extract.reader import PDF_STEPS, TEXT_STEPS, read_document
    from calpae.extract.source import SUPPORTED_SUFFIXES, file_sha256, sniff_kind
    from calpae.extract.structure.sections import section_at
    from calpae.extract.tables.text_stacked import Stacked, crowded_amounts, stacked_amounts

_HOMES = {
    "FRENCH_STYLES": "calpae.extract.numbers.french",
    "MAX_INTEGER_DIGITS": "calpae.extract.numbers.core",
    "OCR_MODES": "calpae.extract.ocr.engine",
    "PDF_STEPS": "calpae.extract.reader",
    "SUPPORTED_SUFFIXES": "calpae.extract.source",
    "TEXT_STEPS": "calpae.extract.reader",
    "ParsedNumber": "calpae.extract.numbers.core",
    "file_sha256": "calpae.extract.source",
    "find_numbers": "calpae.extract.numbers.find",
    "format_french": "calpae.extract.numbers.french",
    "parse_number": "calpae.extract.numbers.parse",
    "read_document": "calpae.extract.reader",
    "readings": "calpae.extract.numbers.core",
    "section_at": "calpae.extract.structure.sections",
    "stacked_amounts": "calpae.extract.tables.text_stacked",
    "crowded_amounts": "calpae.extract.tables.text_stacked",
    "Stacked": "calpae.extract.tables.text_stacked",
    "sniff_kind": "calpae.extract.source",
}

__all__ = [
    "FRENCH_STYLES",
    "MAX_INTEGER_DIGITS",
    "OCR_MODES",
    "PDF_STEPS",
    "SUPPORTED_SUFFIXES",
    "TEXT_STEPS",
    "ParsedNumber",
    "file_sha256",
    "find_numbers",
    "format_french",
    "parse_number",
    "read_document",
    "readings",
    "section_at",
    "stacked_amounts",
    "crowded_amounts",
    "Stacked",
    "sniff_kind",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its home module on first use (then kept in this module's namespace)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
