"""The sync ledger: each partition's entities as the server last sent them, and their checksum.

The checksum algorithm lives here, in the core, so the local side can keep a running sum in
the same transaction as a pulled page; `sync.protocol` re-exports it for the server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

_MOD = 2**64


def change_digest(entity_kind: str, entity_id: str, version: int) -> int:
    """One entity version's contribution to a partition checksum (64 bits of SHA-256)."""
    text = f"{entity_kind}\x1f{entity_id}\x1f{version}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big")


def partition_checksum(items: Iterable[tuple[str, str, int]]) -> str:
    """Order-independent checksum of a partition's (kind, id, version) set.

    A sum modulo 2**64 can be kept up to date incrementally (add the new version's digest,
    subtract the old one's) and recomputed from scratch by anyone holding the set.
    """
    total = 0
    for kind, entity_id, version in items:
        total = (total + change_digest(kind, entity_id, version)) % _MOD
    return f"{total:016x}"


def checksum(conn: Any, partition: str) -> str:
    """The running checksum of what the server sent for `partition` (zero when empty)."""
    row = conn.execute("SELECT total FROM sync_ledger_sum WHERE partition = ?",
                       (partition,)).fetchone()
    return str(row[0]) if row else f"{0:016x}"


def record(conn: Any, partition: str, kind: str, entity_id: str, version: int | None) -> None:
    """Note the server's version of one entity (None: deleted there), inside the caller's tx."""
    old = conn.execute("SELECT version FROM sync_ledger WHERE partition = ? AND kind = ?"
                       " AND id = ?", (partition, kind, entity_id)).fetchone()
    total = int(checksum(conn, partition), 16)
    if old is not None:
        total -= change_digest(kind, entity_id, int(old[0]))
    if version is None:
        conn.execute("DELETE FROM sync_ledger WHERE partition = ? AND kind = ? AND id = ?",
                     (partition, kind, entity_id))
    else:
        total += change_digest(kind, entity_id, version)
        conn.execute("INSERT INTO sync_ledger (partition, kind, id, version) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT (partition, kind, id) DO UPDATE SET version = excluded.version",
                     (partition, kind, entity_id, version))
    conn.execute("INSERT INTO sync_ledger_sum (partition, total) VALUES (?, ?)"
                 " ON CONFLICT (partition) DO UPDATE SET total = excluded.total",
                 (partition, f"{total % _MOD:016x}"))


def version_of(conn: Any, partition: str, kind: str, entity_id: str) -> int | None:
    """The server's version of one entity as last pulled (None: not sent, or deleted)."""
    row = conn.execute("SELECT version FROM sync_ledger WHERE partition = ? AND kind = ?"
                       " AND id = ?", (partition, kind, entity_id)).fetchone()
    return None if row is None else int(row[0])


def clear(conn: Any, partition: str) -> None:
    """Forget a partition's ledger (before pulling it again from the start)."""
    conn.execute("DELETE FROM sync_ledger WHERE partition = ?", (partition,))
    conn.execute("DELETE FROM sync_ledger_sum WHERE partition = ?", (partition,))


def recompute(conn: Any, partition: str) -> str:
    """The checksum recomputed from the ledger rows (tests compare it with the running sum)."""
    return partition_checksum(
        (str(k), str(i), int(v)) for k, i, v in conn.execute(
            "SELECT kind, id, version FROM sync_ledger WHERE partition = ?", (partition,)))
