"""Is the reconciliation of a database up to date with its documents? A fingerprint of what was extracted (which
documents, which content, by which calpae, when) is kept with the reconciled tables; any change makes them stale."""

from __future__ import annotations

import hashlib

from calpae import __version__
from calpae.store.db import Database

STATE_TABLE = "reconcile_state"
# Bumped whenever the reconciled tables change meaning: tables built by an older reconcile are rebuilt.
RECONCILE_FORMAT = "4"


def _exists(con: Database, table: str) -> bool:
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
    return bool(con.execute(sql, [table]).fetchone()[0])


def fingerprint(con: Database) -> str:
    """A hash of every extracted document's id, content hash, status, calpae version and extraction time."""
    digest = hashlib.sha256(f"{RECONCILE_FORMAT}|{__version__}".encode())
    docs = con.execute(
        "SELECT document_id, coalesce(sha256, ''), coalesce(status, '') FROM documents ORDER BY 1, 2, 3"
    ).fetchall()
    for row in docs:
        digest.update("|".join(str(v) for v in row).encode() + b"\n")
    if _exists(con, "processed"):
        for row in con.execute(
            "SELECT document_id, calpae_version, CAST(processed_at AS VARCHAR) FROM processed ORDER BY 1, 2, 3"
        ).fetchall():
            digest.update("|".join(str(v) for v in row).encode() + b"\n")
    return digest.hexdigest()


def stale_reason(con: Database) -> str | None:
    """Why the reconciled tables cannot be used as they are, or None when they are up to date."""
    if not _exists(con, STATE_TABLE) or not _exists(con, "dataset_long"):
        return "the database has not been reconciled yet"
    row = con.execute(f"SELECT fingerprint FROM {STATE_TABLE}").fetchone()
    if row is None or row[0] != fingerprint(con):
        return "documents were extracted (or re-extracted) since the last reconciliation"
    return None


def mark_fresh(con: Database, print_: str) -> None:
    """Record the fingerprint the reconciled tables were built from."""
    con.execute(f'DROP TABLE IF EXISTS "{STATE_TABLE}"')
    con.execute(f'CREATE TABLE "{STATE_TABLE}" (fingerprint VARCHAR, calpae_version VARCHAR)')
    con.execute(f'INSERT INTO "{STATE_TABLE}" VALUES (?, ?)', [print_, __version__])
