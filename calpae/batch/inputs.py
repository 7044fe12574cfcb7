"""Batch inputs: files, folders (recursive), glob patterns, .zip and .tar(.gz) archives, as InputItems.

Each item is hashed while the inputs are scanned (one pass over every file and archive), so the run knows
what is new, what is a copy and how many documents it has to do before it starts. Whatever cannot be read
(a missing file, an unreadable folder, a bad member) is an item with its reason, never skipped in silence.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from calpae.batch.archives import (
    ARCHIVE_SUFFIXES,
    is_archive,
    is_document,
    iter_archive,
    read_item,
    read_member,
    unsafe_member_name,
    with_content,
)
from calpae.batch.names import NOT_UTF8_NOTE, shown_name
from calpae.batch.tasks import InputItem, name_sha
from calpae.pipeline import file_sha256

__all__ = [
    "ARCHIVE_SUFFIXES",
    "InputItem",
    "iter_inputs",
    "read_item",
    "read_member",
    "unsafe_member_name",
    "with_content",
]


def file_item(path: Path) -> InputItem:
    """A plain file, hashed; a missing, unreadable or special file is an item with its reason."""
    source = shown_name(str(path))
    note = NOT_UTF8_NOTE if source != str(path) else None
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return InputItem(source, path=path, note=note, problem="not a regular file", sha=name_sha(source))
        return InputItem(source, path=path, note=note, sha=file_sha256(path))
    except FileNotFoundError:
        return InputItem(source, path=path, note=note, problem="file not found", sha=name_sha(source))
    except OSError as exc:
        problem = f"cannot be read ({exc.strerror or exc})"
        return InputItem(source, path=path, note=note, problem=problem, sha=name_sha(source))


def walk_folder(root: Path, workdir: Path | None) -> Iterator[InputItem]:
    """Every document and archive under a folder, sorted; a sub-folder that cannot be listed is an item too."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        yield from _folder_errors(errors)
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if is_archive(name) and path.is_file():
                yield from iter_archive(path, shown_name(str(path)), workdir)
            elif is_document(name):
                yield file_item(path)
            else:
                yield InputItem(shown_name(str(path)), path=path, ignored=True)
    yield from _folder_errors(errors)


def _folder_errors(errors: list[OSError]) -> Iterator[InputItem]:
    while errors:
        exc = errors.pop(0)
        source = shown_name(str(exc.filename or "?"))
        yield InputItem(source, problem=f"folder cannot be read ({exc.strerror or exc})", sha=name_sha(source))


def iter_inputs(specs: list[str], workdir: Path | None = None) -> Iterator[InputItem]:
    """Expand files, folders, globs and archives into InputItems (nested archives spooled into `workdir`).

    A file named directly is kept whatever its suffix, so a wrong one is reported; folders give only the
    documents and archives they hold (other files are counted as ignored)."""
    for spec in specs:
        matches = [Path(m) for m in sorted(glob.glob(spec, recursive=True))] if glob.has_magic(spec) else [Path(spec)]
        if not matches:
            source = shown_name(spec)
            yield InputItem(source, path=Path(spec), problem="no file matches this pattern", sha=name_sha(source))
        for path in matches:
            if path.is_dir():
                yield from walk_folder(path, workdir)
            elif is_archive(path) and path.is_file():
                yield from iter_archive(path, shown_name(str(path)), workdir)
            else:
                yield file_item(path)
