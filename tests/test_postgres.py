"""The same store and reconciliation on a real PostgreSQL server, started on loopback for the test.

Skipped, with the reason, where PostgreSQL's server binaries (Debian: `apt-get install postgresql`) or
psycopg (`pip install 'calpae[postgres]'`) are absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from test_reconcile import build_db

from calpae.reconcile import export_dataset, reconcile


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'calpae[postgres]')")
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql to run this test)")
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: use the postgres system user
        if not shutil.which("runuser") or subprocess.run(["id", "postgres"], capture_output=True).returncode:
            pytest.skip("running as root without a 'postgres' user to start the server")
        as_user = ["runuser", "-u", "postgres", "--"]
    # pytest's temporary folders are private to root; the server's own user must reach its folder
    base = Path(tempfile.mkdtemp(prefix="calpae-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if as_user:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_user,
            pg_ctl,
            "start",
            "-D",
            str(data),
            "-w",
            "-l",
            str(base / "log"),
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_store_reconcile_and_dataset_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    con = build_db(tmp_path, db=postgres_url)
    assert con.kind == "postgres"
    summary = reconcile(con)
    assert summary.conflicts == 2
    rows = con.execute("SELECT indicator_id, value_a, value_b FROM conflicts ORDER BY indicator_id").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("acc.delai_moyen", Decimal(42), Decimal(40)),
        ("acc.orientes_30j", Decimal(61), Decimal(64)),
    ]
    export_dataset(con, tmp_path / "dataset")
    assert (tmp_path / "dataset" / "dataset_long.parquet").exists()
    # re-adding the same documents replaces their rows on PostgreSQL too
    build_db(tmp_path, db=postgres_url)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    con.close()
