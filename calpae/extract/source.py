"""The file under the readers: checked to exist and hold something, its kind told from its first bytes (a text
file renamed .pdf is caught), and its content hash, which names the document."""

from __future__ import annotations

import hashlib
from pathlib import Path

from calpae.errors import InputError

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES
HEAD_BYTES = 4096  # bytes read to tell a PDF from a text file
PDF_HEADER_REACH = 1024  # '%PDF-' may stand after some junk bytes, as PDF readers accept
HASH_CHUNK = 1 << 20  # bytes hashed at a time
ID_HEX_DIGITS = 16  # a document's id: the first hex digits of its content's SHA-256


# Byte-order marks of the Unicode encodings a text export may use (UTF-32 first: its LE mark starts like UTF-16's).
UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
)


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of the bytes announces (None without one)."""
    return next((enc for bom, enc in UNICODE_BOMS if head.startswith(bom)), None)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's content (read in chunks, so memory stays flat on large files)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(HASH_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def sniff_kind(path: Path, head: bytes) -> str:
    """'pdf' or 'text' from the content, so a text file renamed .pdf is caught."""
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:PDF_HEADER_REACH]:
        return "pdf"
    if path.suffix.lower() in PDF_SUFFIXES:
        raise InputError(str(path), "not a PDF (no %PDF header)")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(str(path), f"unsupported file type '{path.suffix or '(none)'}'")
    if b"\x00" in head and bom_encoding(head) is None:  # UTF-16/32 text has NULs: its mark says it is text
        raise InputError(str(path), "binary content in a text file")
    return "text"


def check_file(path: Path) -> str:
    """The kind of a readable, non-empty file ('pdf' or 'text'); an InputError naming the file otherwise."""
    source = str(path)
    if not path.exists():
        raise InputError(source, "file not found")
    if not path.is_file():
        raise InputError(source, "not a regular file")
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise InputError(source, "empty file")
    return sniff_kind(path, head)
