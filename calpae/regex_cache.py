"""Compiled regular expressions kept on disk, so that a pattern Python takes seconds to compile is rebuilt in
milliseconds.

CPython compiles a pattern in two steps: pure-Python code (`re._parser`, `re._compiler`) turns it into a list
of opcodes, then C code (`_sre.compile`) builds the Pattern object from that list. spaCy's French tokenizer
compiles one 1.4-million-character pattern (its `token_match`, ~300 alternatives over Unicode letter classes)
whose first step takes ~4 s of CPU. `record()` captures the arguments of the C call for the large patterns
compiled inside a block; `seed()` rebuilds those Pattern objects in a later process and puts them in `re`'s
own cache, so that the library's `re.compile(same text)` returns them: the same opcodes, the same matches.

This leans on CPython internals stable since 3.11 (`re._compiler`, `re._cache`, `_sre.compile`), so the file
is keyed by the exact interpreter version, checked by a checksum, and any mismatch or error means a normal
compile: slower, never different.
"""

from __future__ import annotations

import array
import base64
import contextlib
import hashlib
import importlib
import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the file layout changes
_CODE_TYPE = "I"  # opcodes are 32-bit unsigned (SRE_CODE); stored as the machine's bytes of this array type

try:  # CPython only; elsewhere (or if the internals moved) every function here is a no-op
    _sre = importlib.import_module("_sre")
    _re_compiler = importlib.import_module("re._compiler")

    SUPPORTED = (
        sys.implementation.name == "cpython"
        and isinstance(getattr(re, "_cache", None), dict)
        and hasattr(_re_compiler, "_sre")
        and hasattr(_sre, "compile")
        and array.array(_CODE_TYPE).itemsize == getattr(_sre, "CODESIZE", None)
    )
except ImportError:  # pragma: no cover - other interpreters
    SUPPORTED = False


@dataclass(frozen=True)
class CompiledPattern:
    """One pattern as `re.compile(text, flags)` was asked for it, and the arguments `_sre.compile` got for it."""

    text: str
    flags: int  # the flags passed to re.compile (part of re's cache key)
    sre_args: tuple  # (pattern, flags incl. inline ones, code, groups, groupindex, indexgroup)

    def build(self) -> re.Pattern:
        return _sre.compile(*self.sre_args)


def interpreter_key() -> dict:
    """What the opcodes depend on: the exact interpreter and its regex engine."""
    return {
        "python": sys.version,
        "implementation": sys.implementation.cache_tag,
        "sre_magic": getattr(_sre, "MAGIC", None) if SUPPORTED else None,
        "byteorder": sys.byteorder,
    }


class _RecordingSre:
    """Stands in for `_sre` inside `re._compiler` while recording: passes every call through and keeps the
    arguments and result of `compile` for patterns of at least `min_chars` characters."""

    def __init__(self, sre, min_chars: int):
        self._sre = sre
        self._min_chars = min_chars
        self.calls: list[tuple[tuple, re.Pattern]] = []

    def __getattr__(self, name: str):
        return getattr(self._sre, name)

    def compile(self, *args):
        result = self._sre.compile(*args)
        if len(args) == 6 and isinstance(args[0], str) and len(args[0]) >= self._min_chars:
            self.calls.append((args, result))
        return result


@contextlib.contextmanager
def record(min_chars: int) -> Iterator[list[CompiledPattern]]:
    """Within the block, patterns of at least min_chars characters compiled through `re` are recorded; the list
    yielded is filled when the block ends (patterns that left re's cache meanwhile are not kept)."""
    recorded: list[CompiledPattern] = []
    if not SUPPORTED:
        yield recorded
        return
    recorder = _RecordingSre(_re_compiler._sre, min_chars)
    setattr(_re_compiler, "_sre", recorder)  # noqa: B010  (a module attribute, swapped while recording)
    try:
        yield recorded
    finally:
        setattr(_re_compiler, "_sre", recorder._sre)  # noqa: B010
    by_id = {id(result): args for args, result in recorder.calls}
    for key, value in list(re._cache.items()):  # type: ignore[attr-defined]
        args = by_id.get(id(value))
        if args is not None and key[0] is str and key[1] == args[0] and isinstance(key[2], int):
            recorded.append(CompiledPattern(key[1], key[2], args))


def seed(patterns: list[CompiledPattern]) -> int:
    """Put the patterns in re's cache; `re.compile(text, flags)` then returns them. How many were seeded."""
    if not SUPPORTED:
        return 0
    n = 0
    for p in patterns:
        compiled = p.build()
        if compiled.pattern != p.text:
            raise ValueError("cached opcodes do not belong to their pattern")
        re._cache[(str, p.text, p.flags)] = compiled  # type: ignore[attr-defined]
        n += 1
    return n


def _encode(patterns: list[CompiledPattern]) -> bytes:
    items = []
    for p in patterns:
        pattern, flags, code, groups, groupindex, indexgroup = p.sre_args
        items.append(
            {
                "text": p.text,
                "flags": p.flags,
                "sre_flags": flags,
                "code": base64.b64encode(array.array(_CODE_TYPE, code).tobytes()).decode(),
                "groups": groups,
                "groupindex": groupindex,
                "indexgroup": list(indexgroup),
            }
        )
    return json.dumps(items).encode()


def _decode(payload: bytes) -> list[CompiledPattern]:
    out = []
    for item in json.loads(payload):
        code = array.array(_CODE_TYPE)
        code.frombytes(base64.b64decode(item["code"]))
        args = (
            item["text"],
            int(item["sre_flags"]),
            code.tolist(),
            int(item["groups"]),
            dict(item["groupindex"]),
            tuple(item["indexgroup"]),
        )
        out.append(CompiledPattern(item["text"], int(item["flags"]), args))
    return out


def save(path: Path, key: dict, patterns: list[CompiledPattern]) -> None:
    """Write atomically: a header line (format, key, checksum), then the patterns; readers never see half a file."""
    payload = _encode(patterns)
    header = {"format": FORMAT, "key": key, "sha256": hashlib.sha256(payload).hexdigest(), "count": len(patterns)}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(header).encode() + b"\n" + payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load(path: Path, key: dict) -> list[CompiledPattern] | None:
    """The patterns saved under this exact key, or None when the file is missing, foreign, stale or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head, sep, payload = raw.partition(b"\n")
    try:
        header = json.loads(head)
        if not sep or header.get("format") != FORMAT or header.get("key") != key:
            log.debug("regex cache %s: other format or key, ignored", path)
            return None
        if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            log.debug("regex cache %s: checksum mismatch, ignored", path)
            return None
        patterns = _decode(payload)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        log.debug("regex cache %s: unreadable (%s), ignored", path, exc)
        return None
    return patterns
