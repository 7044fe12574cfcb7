"""An optional on-disk cache of Tesseract's output, for developers re-running benchmarks on the same scans.

Off unless `$CALPAE_OCR_CACHE` names a folder. The key is a hash of the exact command and every image byte sent
to Tesseract, so any change to the image cleaning or the command reads afresh; nothing is cached by default, so a
user's run never depends on an earlier one.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

CACHE_ENV = "CALPAE_OCR_CACHE"


def cached_tsv(cmd: list[str], images: list[bytes], run: Callable[[], str]) -> str:
    """run()'s TSV, or the one stored for this command and these image bytes when the cache is on."""
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return run()
    digest = hashlib.sha256("\0".join(cmd).encode())
    for image in images:
        digest.update(hashlib.sha256(image).digest())
    path = Path(folder) / f"{digest.hexdigest()}.tsv"
    if path.exists():
        return path.read_text(encoding="utf-8")
    tsv = run()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(tsv, encoding="utf-8")
    tmp.replace(path)
    return tsv
