"""File and member names that are not valid UTF-8, shown losslessly.

A Latin-1 name on disk (b'd\\xe9lib.pdf') reaches Python as 'd\\udce9lib.pdf' (surrogate escapes), which no
database, JSON or CSV can hold. Such a name is stored as 'd\\\\xe9lib.pdf': each undecodable byte as a
backslash-x escape, a backslash as two, so `raw_name` gives the exact bytes back.
"""

from __future__ import annotations

import re

NOT_UTF8_NOTE = "the file name is not valid UTF-8: shown with \\xNN for each raw byte"
_ESCAPED = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


def is_clean(name: str) -> bool:
    """True when the name encodes to UTF-8 as it is (the usual case: no surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(name: str) -> str:
    """The name itself when it is valid text, else its lossless escaped form (see the module docstring)."""
    if is_clean(name):
        return name
    out = []
    for ch in name:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # a raw byte kept by surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:  # any other lone surrogate
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def raw_name(shown: str) -> bytes:
    """The bytes of a name escaped by shown_name (for a name that needed no escape: its UTF-8)."""

    def unescape(m: re.Match[str]) -> str:
        token = m.group(1)
        if token == "\\":
            return "\\"
        if token[0] == "x":
            return chr(0xDC00 + int(token[1:], 16))
        return chr(int(token[1:], 16))

    return _ESCAPED.sub(unescape, shown).encode("utf-8", "surrogateescape")


def clean_text(text: str) -> str:
    """Any text (an error message quoting a name, say) made storable: lone surrogates escaped as above."""
    return text if is_clean(text) else shown_name(text).replace("\\\\", "\\")
