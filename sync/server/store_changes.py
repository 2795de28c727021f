"""The change log and per-owner checksums: every entity version change is appended here.

`server_seq` comes from a counter row in `server_meta` that each push locks first, so numbers
are handed out and committed in the same order on SQLite and PostgreSQL alike — a pull
cursor never skips a change that commits late.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from asndesk.store.ledger import change_digest
from sync.server.schema import change_log, owner_checksum, server_meta


def _next_seq(conn: Connection) -> int:
    seq = int(conn.execute(select(server_meta.c.value)
                           .where(server_meta.c.key == "change_seq")).scalar_one()) + 1
    conn.execute(update(server_meta).where(server_meta.c.key == "change_seq")
                 .values(value=str(seq)))
    return seq


def record_change(conn: Connection, owner_id: str, kind: str, entity_id: str, *,
                  old: int | None, new: int | None) -> int:
    """Append one change and move the owner's checksum from old to new version (None = absent)."""
    seq = _next_seq(conn)
    conn.execute(change_log.insert().values(
        server_seq=seq, owner_id=owner_id, entity_kind=kind, entity_id=entity_id,
        version=new if new is not None else (old or 0) + 1))
    current = conn.execute(select(owner_checksum.c.checksum)
                           .where(owner_checksum.c.owner_id == owner_id)).scalar()
    total = int(current, 16) if current else 0
    if old is not None:
        total -= change_digest(kind, entity_id, old)
    if new is not None:
        total += change_digest(kind, entity_id, new)
    value = f"{total % 2**64:016x}"
    if current is None:
        conn.execute(owner_checksum.insert().values(owner_id=owner_id, checksum=value))
    else:
        conn.execute(update(owner_checksum).where(owner_checksum.c.owner_id == owner_id)
                     .values(checksum=value))
    return seq


def resend(conn: Connection, owner_id: str, kind: str, entity_id: str, version: int) -> int:
    """Announce an entity again at the version it has (live or deleted; checksum unchanged),
    so every device's next pull re-sends the server's copy."""
    seq = _next_seq(conn)
    conn.execute(change_log.insert().values(
        server_seq=seq, owner_id=owner_id, entity_kind=kind, entity_id=entity_id,
        version=version))
    return seq


def checksum_of(conn: Connection, owner_ids: list[str]) -> str:
    """A partition's checksum: the owners' checksums add up (sums modulo 2**64)."""
    rows = conn.execute(select(owner_checksum.c.checksum)
                        .where(owner_checksum.c.owner_id.in_(owner_ids))).scalars()
    return f"{sum(int(v, 16) for v in rows) % 2**64:016x}"
