"""Zip and tar archives, scanned in one pass: every member hashed as it streams by, every failure a row.

Nothing is extracted to disk but nested archives (spooled to the run's work folder to be opened in turn).
A member is read into memory only when hashed (in chunks) and when its worker reads it, bounded by a size cap
that also stops zip bombs. Workers reopen an archive once and keep it open, so reading N members costs N
seeks, not N parses of the central directory (what made resuming a 5 000-member zip quadratic).
"""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import hashlib
import lzma
import tarfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

from calpae.batch.names import NOT_UTF8_NOTE, is_clean, shown_name
from calpae.batch.tasks import InputItem, name_sha
from calpae.pipeline import SUPPORTED_SUFFIXES

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one document larger than this is refused
MAX_COMPRESSION_RATIO = 200  # a member expanding more than this (and past BOMB_MIN_BYTES) is a bomb
BOMB_MIN_BYTES = 10 * 1024 * 1024
MAX_NESTING = 3  # archives inside archives are opened down to this depth
CHUNK_BYTES = 1 << 20  # read size while hashing
OPEN_ARCHIVES = 4  # archives a process keeps open for reading members
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
_ZIP_ENCRYPTED = 0x1  # general purpose flag bit: the member is encrypted


class MemberError(Exception):
    """A member that cannot be read; the message is the reason stored with its row."""


def is_archive(name: str | Path) -> bool:
    return str(name).lower().endswith(ARCHIVE_SUFFIXES)


def is_document(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in SUPPORTED_SUFFIXES


def unsafe_member_name(name: str) -> bool:
    """Absolute paths and '..' components would escape any extraction folder: refuse them."""
    p = PurePosixPath(name.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or (len(name) > 1 and name[1] == ":")


def iter_archive(archive: Path, shown: str, workdir: Path | None, depth: int = 1) -> Iterator[InputItem]:
    """Every document member of a zip or tar (nested archives opened), each hashed or failed with its reason."""
    scan = _Scan(archive, shown, workdir, depth)
    try:
        if zipfile.is_zipfile(archive):
            yield from scan.zip_members()
        elif str(archive).lower().endswith(".zip"):
            raise zipfile.BadZipFile("not a zip file, or truncated: its central directory is missing")
        else:
            yield from scan.tar_members()
    except Exception as exc:  # BadZipFile, TarError, OSError, EOFError, zlib/lzma errors: the archive itself
        after = f" after {scan.members} member(s)" if scan.members else ""
        yield InputItem(
            source=shown,
            path=archive,
            sha=name_sha(shown),
            problem=f"unreadable archive{after} ({type(exc).__name__}: {exc})",
        )


class _Scan:
    """One archive's pass: names checked, duplicates numbered, members hashed, nested archives recursed."""

    def __init__(self, archive: Path, shown: str, workdir: Path | None, depth: int) -> None:
        self.archive, self.shown, self.workdir, self.depth = archive, shown, workdir, depth
        self.members = 0
        self.names: Counter[str] = Counter()

    def _item(self, raw_name: str, totals: Counter[str] | None = None, **kw: Any) -> InputItem:
        """An item for one member: its shown source, and notes on a non-UTF-8 or repeated name."""
        self.names[raw_name] += 1
        k = self.names[raw_name]
        name = shown_name(raw_name)
        notes = [] if is_clean(raw_name) else [NOT_UTF8_NOTE]
        if k > 1 or (totals is not None and totals[raw_name] > 1):
            notes.append(f"the archive holds several members named '{name}'; this is entry {k}")
        source = f"{self.shown}!{name}" + (f" [{k}]" if k > 1 else "")
        return InputItem(source=source, archive=self.archive, member=name, note="; ".join(notes) or None, **kw)

    def _refusal(self, name: str, size: int, compressed: int | None) -> str | None:
        if unsafe_member_name(name):
            return "rejected archive member: absolute or '..' path (path traversal)"
        if size > MAX_MEMBER_BYTES:
            return f"archive member too large ({size} bytes)"
        if compressed is not None and size > BOMB_MIN_BYTES and size / max(compressed, 1) > MAX_COMPRESSION_RATIO:
            return f"archive member expands {size // max(compressed, 1)}x (zip bomb?)"
        return None

    def _member(self, item: InputItem, open_member: Any) -> Iterator[InputItem]:
        """Hash a document member, or open a nested archive; any failure is the member's row."""
        nested = is_archive(item.member or "")
        spool = None
        if nested:
            if self.workdir is None:
                yield _failed(item, "nested archive not opened (no work folder to open it in)")
                return
            if self.depth >= MAX_NESTING:
                yield _failed(item, f"archive nested deeper than {MAX_NESTING} levels: not opened")
                return
            spool = self.workdir / f"nested-{name_sha(item.source)[:16]}{_archive_suffix(item.member or '')}"
        try:
            with open_member() as fh:
                sha = hash_stream(fh, spool)
        except MemberError as exc:
            yield _failed(item, str(exc))
            return
        except Exception as exc:
            yield _failed(item, member_error(exc))
            return
        if spool is not None:
            yield from iter_archive(spool, item.source, self.workdir, self.depth + 1)
            return
        yield _replace(item, sha=sha)

    def zip_members(self) -> Iterator[InputItem]:
        with zipfile.ZipFile(self.archive) as zf:
            infos = zf.infolist()
            totals = Counter(i.filename for i in infos)
            for index, info in enumerate(infos):
                if info.is_dir():
                    continue
                self.members += 1
                item = self._item(info.filename, totals, index=index)
                name = item.member or ""
                if not (is_document(name) or is_archive(name)):
                    yield _replace(item, ignored=True)
                    continue
                problem = self._refusal(info.filename, info.file_size, info.compress_size)
                if problem is None and info.flag_bits & _ZIP_ENCRYPTED:
                    problem = "encrypted archive member (password required)"
                if problem is None and info.compress_type not in _ZIP_METHODS:
                    method = _ZIP_METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
                    problem = f"archive member uses a compression calpae cannot read ({method})"
                if problem:
                    yield _failed(item, problem)
                    continue
                yield from self._member(item, lambda info=info: zf.open(info))

    def tar_members(self) -> Iterator[InputItem]:
        with tarfile.open(self.archive, "r:*") as tf:
            for info in tf:  # headers read as the stream goes: one forward pass, even compressed
                if info.isdir():
                    continue
                self.members += 1
                item = self._item(info.name, index=info.offset_data, size=info.size)
                name = item.member or ""
                if not (is_document(name) or is_archive(name)):
                    yield _replace(item, ignored=True)
                    continue
                if not info.isfile():
                    yield _failed(item, "archive member is a link or device, not a regular file")
                    continue
                problem = self._refusal(info.name, info.size, None)
                if problem:
                    yield _failed(item, problem)
                    continue
                yield from self._member(item, lambda info=info: _closing(tf.extractfile(info)))


def _replace(item: InputItem, **changes: Any) -> InputItem:
    return dataclasses.replace(item, **changes)


def _failed(item: InputItem, problem: str) -> InputItem:
    return _replace(item, problem=problem, sha=name_sha(item.source))


def _archive_suffix(name: str) -> str:
    low = name.lower()
    return next(s for s in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True) if low.endswith(s))


class _closing:
    """Context manager over a file object that may be None (tarfile.extractfile of an odd member)."""

    def __init__(self, fh: IO[bytes] | None) -> None:
        if fh is None:
            raise MemberError("archive member is not a regular file")
        self.fh = fh

    def __enter__(self) -> IO[bytes]:
        return self.fh

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_ZIP_METHOD_NAMES = {  # compression methods of the zip format (APPNOTE 4.4.5) Python cannot read
    1: "shrink",
    6: "implode",
    9: "deflate64",
    10: "PKWARE DCL implode",
    18: "IBM TERSE",
    19: "IBM LZ77 z",
    93: "Zstandard",
    95: "xz",
    96: "JPEG",
    97: "WavPack",
    98: "PPMd",
    99: "AES encryption",
}


def hash_stream(fh: IO[bytes], copy_to: Path | None = None) -> str:
    """SHA-256 of a member read in chunks (a copy written to `copy_to` when given); past the size cap: MemberError."""
    h = hashlib.sha256()
    total = 0
    out = open(copy_to, "wb") if copy_to is not None else None
    try:
        while chunk := fh.read(CHUNK_BYTES):
            total += len(chunk)
            if total > MAX_MEMBER_BYTES:
                raise MemberError(f"archive member larger than {MAX_MEMBER_BYTES} bytes once decompressed")
            h.update(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return h.hexdigest()


def member_error(exc: BaseException) -> str:
    """The stored reason for a member the archive library could not read."""
    text = str(exc)
    if isinstance(exc, RuntimeError) and "password" in text:
        return "encrypted archive member (password required)"
    if isinstance(exc, NotImplementedError):
        return f"archive member uses a compression calpae cannot read ({text})"
    if "CRC" in text:
        return "corrupt archive member (bad CRC-32: its content does not match the archive's checksum)"
    if isinstance(exc, EOFError):
        return "corrupt archive member (truncated)"
    return f"corrupt archive member ({type(exc).__name__}: {text})"


# -- reading members (workers, and the driver for remote workers) ---------------------------------------------

_open: dict[tuple[str, int, int], Any] = {}  # (path, mtime_ns, size) -> open ZipFile or decompressed stream


def _opened(archive: Path) -> Any:
    st = archive.stat()
    key = (str(archive), st.st_mtime_ns, st.st_size)
    handle = _open.get(key)
    if handle is None:
        while len(_open) >= OPEN_ARCHIVES:
            _open.pop(next(iter(_open))).close()
        handle = zipfile.ZipFile(archive) if zipfile.is_zipfile(archive) else _decompressed(archive)
        _open[key] = handle
    return handle


def _decompressed(archive: Path) -> IO[bytes]:
    """The tar stream of a (compressed) tar, seekable: offsets of the scan's TarInfo point into it."""
    with open(archive, "rb") as fh:
        magic = fh.read(6)
    if magic[:2] == b"\x1f\x8b":
        return cast(IO[bytes], gzip.open(archive, "rb"))
    if magic[:3] == b"BZh":
        return cast(IO[bytes], bz2.open(archive, "rb"))
    if magic == b"\xfd7zXZ\x00":
        return cast(IO[bytes], lzma.open(archive, "rb"))
    return open(archive, "rb")


def read_member(item: InputItem) -> bytes:
    """Bytes of one scanned member, at most MAX_MEMBER_BYTES whatever the header claims."""
    assert item.archive is not None and item.index is not None
    handle = _opened(item.archive)
    if isinstance(handle, zipfile.ZipFile):
        with handle.open(handle.infolist()[item.index]) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
    else:
        handle.seek(item.index)
        data = handle.read(min(item.size or 0, MAX_MEMBER_BYTES + 1))
    if len(data) > MAX_MEMBER_BYTES:
        raise MemberError(f"archive member larger than {MAX_MEMBER_BYTES} bytes once decompressed")
    return data


def read_item(item: InputItem) -> bytes:
    """The content of any input item: shipped bytes, a plain file, or an archive member."""
    if item.data is not None:
        return item.data
    if item.path is not None:
        return item.path.read_bytes()
    return read_member(item)


def with_content(item: InputItem) -> InputItem:
    """The same item carrying its bytes, for a worker that cannot see the driver's files."""
    if item.problem:
        return item
    member = item.member or (item.path.name if item.path else item.source)
    return _replace(item, path=None, archive=None, member=member, data=read_item(item))
