"""The same store and reconciliation on a real PostgreSQL server, started on loopback for the test.

Skipped, with the reason, where PostgreSQL's server binaries (`sh scripts/ensure-postgres.sh`) or psycopg
(`pip install 'calpae[postgres]'`) are absent; `make test` installs the server first.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from test_reconcile import build_db

from calpae.reconcile import export_dataset, reconcile


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
