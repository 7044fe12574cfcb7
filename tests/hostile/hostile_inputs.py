"""Builders of hostile inputs (each a case the probe of issue 14 tried) and the contract every run must keep.

The contract: an exit status that says what happened, one line naming each bad file and its reason, no
traceback, every other document stored, nothing written outside --out/--db, no temporary file left.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import warnings
import zipfile
from pathlib import Path

import duckdb
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[2]


def pdf_bytes(n: int, pages: int = 1) -> bytes:
    """A small born-digital PDF whose content differs with n."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for p in range(pages):
        c.drawString(72, 800, f"Rapport d'exécution {2019 + n % 4}, document {n}, page {p + 1}")
        c.drawString(72, 780, f"Montant de l'action : {1000 * (n + 1) + p} EUR")
        c.showPage()
    c.save()
    return buf.getvalue()


def _set_u16(data: bytearray, sig: bytes, name: bytes, offset: int, value: int) -> None:
    """Set a 16-bit field at `offset` in every zip header (signature `sig`) of the member `name`."""
    name_at = 30 if sig == b"PK\x03\x04" else 46
    start = 0
    found = False
    while (i := data.find(sig, start)) >= 0:
        n_len = struct.unpack_from("<H", data, i + (26 if sig == b"PK\x03\x04" else 28))[0]
        if bytes(data[i + name_at : i + name_at + n_len]) == name:
            struct.pack_into("<H", data, i + offset, value)
            found = True
        start = i + 4
    assert found, f"no header for {name!r}"


def mark_encrypted(data: bytearray, name: str) -> None:
    """Flag a member as encrypted (general purpose bit 0), as `zip -P` does."""
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        _set_u16(data, sig, name.encode(), off, 0x1)


def mark_deflate64(data: bytearray, name: str) -> None:
    """Give a member compression method 9 (deflate64), which Python's zipfile cannot read."""
    for sig, off in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        _set_u16(data, sig, name.encode(), off, 9)


def flip_member_byte(data: bytearray, content: bytes, at: int = 200) -> None:
    """Change one byte of a stored member's data (its CRC no longer matches)."""
    i = data.find(content)
    assert i >= 0
    data[i + at] ^= 0xFF


def zip_bytes(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, content in members:
            zf.writestr(name, content)
    return buf.getvalue()


def hostile_zip(path: Path) -> dict[str, tuple[str, str]]:
    """An archive holding every bad member kind next to good ones; returns member source -> (status, reason)."""
    enc, crc, d64 = pdf_bytes(20), pdf_bytes(21), pdf_bytes(22)
    d3 = zip_bytes([("c.pdf", pdf_bytes(26))])
    d2 = zip_bytes([("d3.zip", d3), ("e.pdf", pdf_bytes(27))])
    d1 = zip_bytes([("d2.zip", d2)])
    members = [
        ("ok/a.pdf", pdf_bytes(10)),
        ("enc.pdf", enc),
        ("crc.pdf", crc),
        ("d64.pdf", d64),
        ("dup.pdf", pdf_bytes(11)),
        ("dup.pdf", pdf_bytes(12)),
        ("../evil.pdf", pdf_bytes(13)),
        ("inner.zip", zip_bytes([("inner/b.pdf", pdf_bytes(14))])),
        ("d1.zip", d1),
        ("notes.docx", b"not a document type calpae reads"),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name: that is the point
        for name, content in members:
            zf.writestr(zipfile.ZipInfo(name), content)
        info = zipfile.ZipInfo("bomb.pdf")
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, b"\0" * (11 * 1024 * 1024))
    data = bytearray(buf.getvalue())
    mark_encrypted(data, "enc.pdf")
    mark_deflate64(data, "d64.pdf")
    flip_member_byte(data, crc)
    path.write_bytes(bytes(data))
    z = path.name
    return {
        f"{z}!ok/a.pdf": ("ok", ""),
        f"{z}!enc.pdf": ("failed", "encrypted archive member (password required)"),
        f"{z}!crc.pdf": ("failed", "bad CRC-32"),
        f"{z}!d64.pdf": ("failed", "compression calpae cannot read (deflate64)"),
        f"{z}!dup.pdf": ("ok", "several members named 'dup.pdf'; this is entry 1"),
        f"{z}!dup.pdf [2]": ("ok", "several members named 'dup.pdf'; this is entry 2"),
        f"{z}!../evil.pdf": ("failed", "path traversal"),
        f"{z}!bomb.pdf": ("failed", "zip bomb"),
        f"{z}!inner.zip!inner/b.pdf": ("ok", ""),
        f"{z}!d1.zip!d2.zip!e.pdf": ("ok", ""),
        f"{z}!d1.zip!d2.zip!d3.zip": ("failed", "archive nested deeper than 3 levels: not opened"),
    }


def latin1_tar(path: Path) -> dict[str, tuple[str, str]]:
    """A tar from an old French archive: a Latin-1 member name, a link and a device named like PDFs."""
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT, encoding="latin-1") as tf:
        content = pdf_bytes(15)
        info = tarfile.TarInfo("délib-2.pdf")
        info.size = len(content)
        tf.addfile(info, io.BytesIO(content))
        link = tarfile.TarInfo("link.pdf")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(link)
        dev = tarfile.TarInfo("dev.pdf")
        dev.type = tarfile.CHRTYPE
        tf.addfile(dev)
    t = path.name
    return {
        f"{t}!d\\xe9lib-2.pdf": ("ok", "not valid UTF-8"),
        f"{t}!link.pdf": ("failed", "link or device"),
        f"{t}!dev.pdf": ("failed", "link or device"),
    }


def hostile_folder(inbox: Path) -> dict[str, tuple[str, str]]:
    """A folder of bad files beside good ones; returns source (relative to inbox's parent) -> (status, reason)."""
    inbox.mkdir(parents=True, exist_ok=True)
    good = pdf_bytes(1, pages=2)
    (inbox / "good1.pdf").write_bytes(good)
    (inbox / "z-copy-of-good1.pdf").write_bytes(good)  # sorted after good1.pdf: the copy
    with open(os.fsencode(inbox) + b"/d\xe9lib.pdf", "wb") as fh:  # a Latin-1 file name
        fh.write(pdf_bytes(2))
    (inbox / "truncated.pdf").write_bytes(pdf_bytes(3)[:300])
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "renamed.pdf").write_text("plain words in a file named like a PDF\n", encoding="utf-8")
    os.mkfifo(inbox / "fifo.pdf")
    expected = {
        "good1.pdf": ("ok", ""),
        "d\\xe9lib.pdf": ("ok", "not valid UTF-8"),
        "truncated.pdf": ("failed", "PDF"),
        "empty.pdf": ("failed", "empty file"),
        "renamed.pdf": ("failed", "not a PDF"),
        "fifo.pdf": ("failed", "not a regular file"),
    }
    expected.update(hostile_zip(inbox / "archive.zip"))
    expected.update(latin1_tar(inbox / "latin1.tar"))
    return {f"{inbox.name}/{k}": v for k, v in expected.items()}


def documents(db: Path) -> dict[str, tuple[str, str]]:
    """source -> (status, error) of a DuckDB run database."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0]: (r[1], r[2]) for r in con.execute("SELECT source, status, error FROM documents").fetchall()}
    finally:
        con.close()


def by_tail(rows: dict[str, tuple[str, str]], base: Path) -> dict[str, tuple[str, str]]:
    """Rows keyed by source relative to `base` (sources are stored as given on the command line)."""
    prefix = str(base).rstrip("/") + "/"
    return {k.removeprefix(prefix): v for k, v in rows.items()}


def assert_matches(rows: dict[str, tuple[str, str]], expected: dict[str, tuple[str, str]]) -> None:
    """Every expected source stored with its status and a reason containing the expected words."""
    for source, (status, reason) in expected.items():
        assert source in rows, f"{source} not stored; stored: {sorted(rows)}"
        got_status, got_error = rows[source]
        assert got_status == status, f"{source}: {got_status} ({got_error}), expected {status}"
        assert reason in (got_error or ""), f"{source}: {got_error!r} does not say {reason!r}"


def assert_clean_stderr(err: str) -> None:
    assert "Traceback" not in err, err
    assert not re.search(r"^\s*File \".*\", line \d+", err, re.M), err


def assert_named_once_per_line(err: str, expected: dict[str, tuple[str, str]]) -> None:
    """Each failed source has a line of its own holding its name and its reason."""
    lines = err.splitlines()
    for source, (status, reason) in expected.items():
        if status != "failed":
            continue
        assert any(source in ln and reason in ln for ln in lines), f"no line names {source} with {reason!r}:\n{err}"


def calpae(*args: str, cwd: Path, tmpdir: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m calpae ARGS` in a subprocess with its own working and temporary folders."""
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "calpae", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        errors="replace",
    )


def leftovers(tmpdir: Path) -> list[str]:
    """calpae's temporary files or folders left in `tmpdir`."""
    return sorted(p.name for p in tmpdir.iterdir() if p.name.startswith("calpae"))


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def real_zip_password(path: Path) -> bool:
    """An archive encrypted by `zip -P` itself, where the zip tool is installed."""
    exe = shutil.which("zip")
    if not exe:
        return False
    src = path.parent / "zip-src"
    src.mkdir(exist_ok=True)
    (src / "secret.pdf").write_bytes(pdf_bytes(30))
    subprocess.run([exe, "-q", "-P", "pw", str(path), "secret.pdf"], cwd=src, check=True)
    shutil.rmtree(src)
    return True
