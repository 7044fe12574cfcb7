"""Readers and parsers: files → Document (pages, lines, words, tables, sections, furniture).

The public face of calpae.extract: the rest of calpae (and benchmarks, corpora) imports from here only. The
layers inside, from the bottom: settings | source → geometry → numbers → structure → tables → ocr → pdf | text →
reader (ARCHITECTURE.md)."""

from calpae.extract.numbers.core import ParsedNumber, readings
from calpae.extract.numbers.find import find_numbers
from calpae.extract.numbers.french import FRENCH_STYLES, format_french
from calpae.extract.numbers.parse import parse_number
from calpae.extract.ocr.engine import OCR_MODES
from calpae.extract.reader import PDF_STEPS, TEXT_STEPS, read_document
from calpae.extract.source import SUPPORTED_SUFFIXES, file_sha256, sniff_kind
from calpae.extract.structure.sections import section_at

__all__ = [
    "FRENCH_STYLES",
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
    "sniff_kind",
]
