"""The run's private work folder: every temporary file of the driver and its workers lives there.

It is removed when the run ends, however it ends short of SIGKILL; a folder left by a killed run (its
process gone) is removed by the next run. The folder's name carries the owner's process id, so a run never
touches the folder of another run still alive.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "calpae-run-"
_OWNER = re.compile(rf"^{PREFIX}(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep_stale(base: Path) -> list[Path]:
    """Remove the work folders under `base` whose run was killed; returns them."""
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _OWNER.match(entry.name)
        if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextmanager
def run_workdir() -> Iterator[Path]:
    """A fresh work folder under the system temporary folder (TMPDIR), removed on the way out."""
    base = Path(tempfile.gettempdir())
    sweep_stale(base)
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
