"""Batch inputs: folders (recursive), glob patterns, .zip and .tar(.gz) archives, read member by member.

Archive members are never all extracted to disk: each one is read into memory (bounded by a size
cap that also stops zip bombs) when its turn comes, and written to a private temporary file only for
the parser.
"""

from __future__ import annotations

import glob
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from calpae.pipeline import SUPPORTED_SUFFIXES

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one document larger than this is refused
MAX_COMPRESSION_RATIO = 200  # a member expanding more than this (and past 10 MB) is a bomb
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


@dataclass(frozen=True)
class InputItem:
    """One document to process: a plain file, or a member of an archive (source 'a.zip!dir/x.pdf')."""

    source: str
    path: Path | None = None  # plain file
    archive: Path | None = None
    member: str | None = None
    problem: str | None = None  # set when the item must be recorded as failed without reading it
    data: bytes | None = None  # content shipped with the item (remote workers without the files)

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        if self.path is not None:
            return self.path.read_bytes()
        assert self.archive is not None and self.member is not None
        return read_member(self.archive, self.member)


def with_content(item: InputItem) -> InputItem:
    """The same item carrying its bytes, for a worker that cannot see the driver's files."""
    if item.problem:
        return item
    member = item.member or (item.path.name if item.path else item.source)
    return InputItem(source=item.source, member=member, data=item.read_bytes())


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def unsafe_member_name(name: str) -> bool:
    """Absolute paths and '..' components would escape any extraction folder: refuse them."""
    p = PurePosixPath(name.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or (len(name) > 1 and name[1] == ":")


def _wanted(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in SUPPORTED_SUFFIXES


def iter_archive(archive: Path) -> Iterator[InputItem]:
    """Every document member of a zip or tar, with path-traversal and bomb members flagged."""
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                for info in zf.infolist():
                    if info.is_dir():
                        continue
                    yield _member_item(archive, info.filename, info.file_size, info.compress_size)
        else:
            with tarfile.open(archive) as tf:
                for entry in tf:
                    if entry.isdir():
                        continue
                    if not entry.isfile():
                        if _wanted(entry.name):
                            yield InputItem(
                                source=f"{archive}!{entry.name}",
                                archive=archive,
                                member=entry.name,
                                problem="archive member is a link or device, not a regular file",
                            )
                        continue
                    yield _member_item(archive, entry.name, entry.size, None)
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as exc:
        yield InputItem(source=str(archive), path=archive, problem=f"unreadable archive ({exc})")


def _member_item(archive: Path, name: str, size: int, compressed: int | None) -> InputItem:
    source = f"{archive}!{name}"
    if unsafe_member_name(name):
        return InputItem(
            source=source,
            archive=archive,
            member=name,
            problem="rejected archive member: absolute or '..' path (path traversal)",
        )
    if not _wanted(name):
        return InputItem(source=source, archive=archive, member=name, problem="skip")
    if size > MAX_MEMBER_BYTES:
        return InputItem(
            source=source, archive=archive, member=name, problem=f"archive member too large ({size} bytes)"
        )
    if compressed and size > 10 * 1024 * 1024 and size / max(compressed, 1) > MAX_COMPRESSION_RATIO:
        return InputItem(
            source=source,
            archive=archive,
            member=name,
            problem=f"archive member expands {size // max(compressed, 1)}x (zip bomb?)",
        )
    return InputItem(source=source, archive=archive, member=name)


def read_member(archive: Path, member: str) -> bytes:
    """Bytes of one member, reading at most MAX_MEMBER_BYTES whatever the header claims."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf, zf.open(member) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
    else:
        with tarfile.open(archive) as tf:
            extracted = tf.extractfile(member)
            if extracted is None:
                raise OSError("not a regular file")
            data = extracted.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise OSError(f"archive member larger than {MAX_MEMBER_BYTES} bytes once decompressed")
    return data


def iter_inputs(specs: list[str]) -> Iterator[InputItem]:
    """Expand folders, globs and archives into InputItems; a spec that matches nothing is a failed item."""
    for spec in specs:
        matches = [Path(m) for m in sorted(glob.glob(spec, recursive=True))] if glob.has_magic(spec) else [Path(spec)]
        if not matches:
            yield InputItem(source=spec, path=Path(spec), problem="no file matches this pattern")
        for path in matches:
            if path.is_dir():
                for f in sorted(path.rglob("*")):
                    if f.is_file() and is_archive(f):
                        yield from iter_archive(f)
                    elif f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES:
                        yield InputItem(source=str(f), path=f)
            elif is_archive(path) and path.exists():
                yield from iter_archive(path)
            else:
                yield InputItem(source=str(path), path=path)
