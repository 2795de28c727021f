"""Writing what sync pulled into the local tables, without touching rows with local edits.

The server sends each entity's whole state (its fields are the local table's columns); a row
that still has an unanswered local op keeps the local value until that op is answered, so
nothing typed offline is overwritten by an older server copy.
"""

from __future__ import annotations

import json
from typing import Any

from asndesk.store import attachment_sync_repo, outbox, reference_pull, rows, skm_repo
from asndesk.store.database import WriteTx

# Entity kinds a pull may write locally (server kinds mapped 1:1 to local tables).
PULLABLE = frozenset({"skp", "rhk", "iki", "lampiran", "realisasi", "log_harian",
                      "service_type", "service_log", "pelatihan"})
_TIMESTAMPED = frozenset({"skp", "realisasi", "log_harian", "service_log", "pelatihan"})


def _columns(tx: WriteTx, table: str) -> set[str]:
    return {r[1] for r in tx.execute(f"PRAGMA table_info({table})").fetchall()}


def apply_remote(tx: WriteTx, kind: str, entity_id: str, version: int,
                 data: dict[str, Any] | None) -> bool:
    """Upsert (or delete, when `data` is None) one entity; False when skipped."""
    if reference_pull.is_reference(kind, data):
        return reference_pull.apply(tx, kind, entity_id, version, data)  # the `ref` partition
    if outbox.has_unacked_for(tx.conn, kind, entity_id):
        return False
    if kind == skm_repo.KIND:  # survey forms keep no version: their own writer
        return skm_repo.apply_remote(tx, entity_id, data)
    if kind not in PULLABLE:
        return False
    exists = tx.execute(f"SELECT version FROM {kind} WHERE id = ?", (entity_id,)).fetchone()
    if data is None:
        if exists is not None:
            tx.execute(f"DELETE FROM {kind} WHERE id = ?", (entity_id,))
        return exists is not None
    # No version comparison: a pull page carries each entity's newest server state, and a
    # local version number can run ahead of the server's (an edit the server found to be a
    # no-op), so comparing numbers could keep a stale row forever.
    columns = _columns(tx, kind)
    row = {k: v for k, v in data.items() if k in columns and k not in ("version", "updated_at")}
    row["id"] = entity_id
    if exists is None:
        if kind in _TIMESTAMPED:
            row.setdefault("created_at", tx.now_utc)
        rows.insert(tx, kind, row)
        if kind == "skp":
            for kode in range(1, 8):
                tx.execute("INSERT OR IGNORE INTO perilaku (skp_id, kode) VALUES (?, ?)",
                           (entity_id, kode))
    else:
        sets = ", ".join(f"{k} = ?" for k in row if k != "id")
        tx.execute(f"UPDATE {kind} SET {sets} WHERE id = ?",
                   (*[v for k, v in row.items() if k != "id"], entity_id))
    tx.execute(f"UPDATE {kind} SET version = ?, updated_at = ? WHERE id = ?",
               (version, tx.now_utc, entity_id))
    if isinstance(data.get("bukti"), list):  # evidence metadata; the files come later
        attachment_sync_repo.apply_remote_bukti(tx, kind, entity_id, data["bukti"])
    tx.changes.add(kind, entity_id)
    return True


def cursors(conn: Any) -> dict[str, dict[str, Any]]:
    row = conn.execute("SELECT value FROM meta WHERE key = 'sync_cursors'").fetchone()
    value: dict[str, dict[str, Any]] = json.loads(row[0]) if row else {}
    return value


def save_cursor(tx: WriteTx, partition: str, cursor: dict[str, Any]) -> None:
    current = cursors(tx.conn)
    current[partition] = cursor
    tx.store.set_meta("sync_cursors", json.dumps(current, sort_keys=True))


def drop_cursor(tx: WriteTx, partition: str) -> None:
    current = cursors(tx.conn)
    if current.pop(partition, None) is not None:
        tx.store.set_meta("sync_cursors", json.dumps(current, sort_keys=True))
