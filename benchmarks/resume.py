"""Resuming a batch over a large zip: the time before any new work, against the number of members.

A zip of N small text members is built; a database is filled as a finished run would have left it (each
member's content hash stored by this calpae version); then `calpae batch ZIP --db DB` is timed: it must scan,
hash and skip every member. Before issue 14 each member's hash reopened the archive (its central directory
parsed again each time), so the wait grew with N²; now the archive is read once.

    nice -n 10 python benchmarks/resume.py --members 1000,5000 [--code OTHER_CHECKOUT] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import _common
from _common import machine, print_table, write_json


def build_zip(path: Path, members: int) -> list[str]:
    """A zip of `members` distinct small text documents; returns their content hashes."""
    hashes = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for k in range(members):
            data = f"Rapport {k}\n\nLe montant réalisé s'élève à {1000 + k} €.\n".encode()
            zf.writestr(f"dept{k % 100:03d}/doc{k:05d}.txt", data)
            hashes.append(hashlib.sha256(data).hexdigest())
    return hashes


def finished_run(db: Path, hashes: list[str], code: Path | None) -> None:
    """The database a finished run leaves: every member processed (ok) by this calpae version."""
    script = (
        "import sys,json;from pathlib import Path;from calpae import __version__;from calpae.store import RunStore;"
        "h=json.load(open(sys.argv[2]));s=RunStore(Path(sys.argv[1]).parent,db_path=Path(sys.argv[1]),write_json=False);"
        "s.con.executemany('INSERT INTO processed (document_id, sha256, calpae_version, status) VALUES (?,?,?,?)',"
        "[(x[:16],x,__version__,'ok') for x in h]);s.close()"
    )
    listing = db.parent / "hashes.json"
    listing.write_text(str(hashes).replace("'", '"'), encoding="utf-8")
    subprocess.run([sys.executable, "-c", _code_first(code) + script, str(db), str(listing)], check=True)


def _code_first(code: Path | None) -> str:
    if code is None:
        return ""
    return (
        "import sys;sys.meta_path=[f for f in sys.meta_path if 'editable' not in repr(f)];"
        f"sys.path.insert(0,{str(code.resolve())!r});"
    )


def resume(archive: Path, db: Path, code: Path | None, timeout: float) -> dict:
    cmd = [
        sys.executable,
        "-c",
        _code_first(code) + "import sys;from calpae.cli import main;sys.exit(main(sys.argv[1:]))",
        "batch",
        str(archive),
        "--db",
        str(db),
        "--quiet",
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "status": f"over {timeout:g} s"}
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "exit": done.returncode, "last_line": (done.stderr.strip().splitlines() or [""])[-1]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", default="1000,5000", help="archive sizes (members), comma-separated")
    ap.add_argument("--code", type=Path, default=None, help="run another checkout's calpae (e.g. main's, for before)")
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    rows, results = [], []
    for n in (int(x) for x in args.members.split(",")):
        with tempfile.TemporaryDirectory(prefix="calpae-resume-") as tmp:
            archive = Path(tmp) / f"archive-{n}.zip"
            hashes = build_zip(archive, n)
            db = Path(tmp) / "run" / "run.duckdb"
            db.parent.mkdir()
            finished_run(db, hashes, args.code)
            res = resume(archive, db, args.code, args.timeout)
            res.update(members=n, zip_bytes=archive.stat().st_size)
            results.append(res)
            secs = res["seconds"]
            per = f"{1000 * secs / n:.2f}" if secs is not None else ""
            rows.append([n, f"{secs:.1f}" if secs is not None else res["status"], per, res.get("last_line", "")[:60]])
    print_table(["members", "resume wall s", "ms per member", "last line"], rows)
    if args.json:
        write_json(args.json, {"machine": machine(), "code": str(args.code or "this checkout"), "results": results})


if __name__ == "__main__":
    _ = _common
    main()
