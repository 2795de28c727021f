"""The outbox: every local change appends one op in the same transaction as its effect.

Ops carry a UUIDv7 `op_id`, the per-device contiguous `seq` (the table's AUTOINCREMENT key:
a rolled-back write consumes no number), an HLC and the raw device time with its offset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asndesk.store.ids import uuid7

OP_KINDS = frozenset(
    {"create", "edit_fields", "submit", "withdraw", "approve", "return", "rate", "comment",
     "attach", "delete"}
)
STATES = ("pending", "sent", "acked", "rejected", "conflict")
# In an `edit_fields` payload: {field: the value this device had before the edit}. The server
# merges per field by it (changed elsewhere = the server no longer holds that value), so a
# device's own earlier edits never clash and another device's edit is never overwritten
# unseen, however the version numbers of the two sides have drifted apart.
SEEN = "_seen"


@dataclass(frozen=True)
class Op:
    """One queued operation as stored."""

    seq: int
    op_id: str
    kind: str
    entity_kind: str
    entity_id: str
    base_version: int | None
    payload: dict[str, Any]
    hlc: str
    device_time: str
    utc_offset_min: int
    state: str
    created_at: str


def append_op(
    conn: Any,
    *,
    kind: str,
    entity_kind: str,
    entity_id: str,
    base_version: int | None,
    payload: dict[str, Any],
    hlc: str,
    device_time: datetime,
    created_at: str,
) -> Op:
    """Insert a pending op inside the caller's transaction and return it with its seq."""
    if kind not in OP_KINDS:
        raise ValueError(f"unknown op kind {kind!r}")
    offset = device_time.utcoffset()
    offset_min = int(offset.total_seconds() // 60) if offset is not None else 0
    op_id = uuid7()
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    cursor = conn.execute(
        "INSERT INTO outbox (op_id, kind, entity_kind, entity_id, base_version, payload, hlc,"
        " device_time, utc_offset_min, state, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?, 'pending', ?)",
        (op_id, kind, entity_kind, entity_id, base_version, body, hlc,
         device_time.isoformat(timespec="milliseconds"), offset_min, created_at),
    )
    return Op(int(cursor.lastrowid), op_id, kind, entity_kind, entity_id, base_version, payload,
              hlc, device_time.isoformat(timespec="milliseconds"), offset_min, "pending",
              created_at)


def list_ops(conn: Any, states: tuple[str, ...] = STATES, limit: int = 1000,
             from_seq: int = 1) -> list[Op]:
    """Ops in the given states from `from_seq` on, oldest first."""
    marks = ",".join("?" for _ in states)
    rows = conn.execute(
        "SELECT seq, op_id, kind, entity_kind, entity_id, base_version, payload, hlc,"
        f" device_time, utc_offset_min, state, created_at FROM outbox WHERE state IN ({marks})"
        " AND seq >= ? ORDER BY seq LIMIT ?",
        (*states, from_seq, limit),
    ).fetchall()
    return [
        Op(seq=r[0], op_id=r[1], kind=r[2], entity_kind=r[3], entity_id=r[4],
           base_version=r[5], payload=json.loads(r[6]), hlc=r[7], device_time=r[8],
           utc_offset_min=r[9], state=r[10], created_at=r[11])
        for r in rows
    ]


def count_by_state(conn: Any) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for state, n in conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
        counts[state] = n
    return counts


def unacked(conn: Any, limit: int = 500) -> list[Op]:
    """Ops the server has not answered yet (pending or sent), oldest first."""
    return list_ops(conn, ("pending", "sent"), limit)


def ops_from(conn: Any, seq: int, limit: int = 500) -> list[Op]:
    """Every op from `seq` on, answered or not: what a server asking `need_from` gets."""
    return list_ops(conn, STATES, limit, from_seq=seq)


def mark_sent(conn: Any, seqs: list[int], at: str) -> None:
    conn.executemany("UPDATE outbox SET state = 'sent', sent_at = ? WHERE seq = ?"
                     " AND state = 'pending'", [(at, s) for s in seqs])


def record_result(conn: Any, seq: int, op_id: str, state: str, result: dict[str, Any]) -> None:
    """Store the server's answer for one op (acked, rejected or conflict)."""
    if state not in ("acked", "rejected", "conflict"):
        raise ValueError(f"not a final state: {state!r}")
    conn.execute("UPDATE outbox SET state = ?, result = ? WHERE seq = ? AND op_id = ?",
                 (state, json.dumps(result, sort_keys=True), seq, op_id))


def has_unacked_for(conn: Any, entity_kind: str, entity_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM outbox WHERE entity_kind = ? AND entity_id = ?"
                       " AND state IN ('pending', 'sent') LIMIT 1",
                       (entity_kind, entity_id)).fetchone()
    return row is not None


def first_acked_after(conn: Any, server_seq: int) -> int | None:
    """Lowest seq of an acked op whose stored result has a server_seq above `server_seq`."""
    row = conn.execute(
        "SELECT min(seq) FROM outbox WHERE state IN ('acked', 'conflict')"
        " AND CAST(json_extract(result, '$.server_seq') AS INTEGER) > ?", (server_seq,)
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def open_conflicts(conn: Any) -> list[tuple[Op, dict[str, Any]]]:
    """Conflict ops the owner has not settled yet, each with the server's stored answer."""
    found = []
    for op in list_ops(conn, ("conflict",), limit=10_000):
        row = conn.execute("SELECT result, resolved_at FROM outbox WHERE seq = ?",
                           (op.seq,)).fetchone()
        if row[1] is None:
            found.append((op, json.loads(row[0]) if row[0] else {}))
    return found


def rejected_with_results(conn: Any, limit: int = 10_000) -> list[tuple[Op, dict[str, Any]]]:
    """Rejected ops, oldest first, each with the server's stored answer (reason, message id,
    params, current state): what the sync page shows with a fix-it path."""
    found = []
    for op in list_ops(conn, ("rejected",), limit=limit):
        row = conn.execute("SELECT result FROM outbox WHERE seq = ?", (op.seq,)).fetchone()
        found.append((op, json.loads(row[0]) if row and row[0] else {}))
    return found


def mark_resolved(conn: Any, seq: int, resolution: str, at: str) -> None:
    conn.execute("UPDATE outbox SET resolved_at = ?, resolution = ? WHERE seq = ?"
                 " AND state = 'conflict'", (at, resolution, seq))


def decision_rows(conn: Any) -> list[Any]:
    """The supervisor's own decision and feedback ops, oldest first (seq, kind, entity_kind,
    entity_id, base_version, payload, state, result, created_at)."""
    return list(conn.execute(
        "SELECT seq, kind, entity_kind, entity_id, base_version, payload, state, result,"
        " created_at FROM outbox WHERE (kind IN ('approve', 'return', 'rate')"
        " OR entity_kind = 'umpan_balik') ORDER BY seq").fetchall())
