"""Append-only audit log: each entry hashes the previous one; verification finds the break.

Entries say who/what/when/which device/request id and never carry personal payload. The
chain head is also kept in `meta`, so a truncated tail is detected too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
_FIELDS = (
    "seq", "terjadi_pada", "pelaku", "aksi", "entitas_jenis", "entitas_id", "request_id",
    "perangkat",
)


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON."""
    body = json.dumps({k: entry[k] for k in _FIELDS}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(conn: Any, entry: dict[str, Any]) -> str:
    """Append one entry (inside the caller's transaction); returns its hash."""
    row = conn.execute(
        "SELECT value FROM meta WHERE key = 'audit_head'"
    ).fetchone()
    head_seq, prev = (0, GENESIS) if row is None else _split_head(row[0])
    entry = dict(entry, seq=head_seq + 1)
    digest = entry_hash(prev, entry)
    conn.execute(
        "INSERT INTO audit_log (seq, terjadi_pada, pelaku, aksi, entitas_jenis, entitas_id,"
        " request_id, perangkat, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (*(entry[k] for k in _FIELDS), prev, digest),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (f"{entry['seq']}:{digest}",),
    )
    return digest


@dataclass(frozen=True)
class AuditVerification:
    """Result of walking the chain: `first_bad_seq` is None when every link holds."""

    entries: int
    first_bad_seq: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def verify(conn: Any) -> AuditVerification:
    """Recompute every link; report the first entry whose hash or predecessor is wrong."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    cursor = conn.execute(
        "SELECT seq, terjadi_pada, pelaku, aksi, entitas_jenis, entitas_id, request_id,"
        " perangkat, prev_hash, hash FROM audit_log ORDER BY seq"
    )
    for row in cursor:
        entry = dict(zip((*_FIELDS, "prev_hash", "hash"), row, strict=True))
        count += 1
        if entry["seq"] != expected_seq:
            return AuditVerification(count, expected_seq, "missing_entry")
        if entry["prev_hash"] != prev:
            return AuditVerification(count, entry["seq"], "broken_link")
        if entry_hash(prev, entry) != entry["hash"]:
            return AuditVerification(count, entry["seq"], "altered_entry")
        prev = entry["hash"]
        expected_seq += 1
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    head_seq, head_hash = (0, GENESIS) if head is None else _split_head(head[0])
    if head_seq != expected_seq - 1 or head_hash != prev:
        return AuditVerification(count, min(head_seq, expected_seq), "truncated")
    return AuditVerification(count, None, None)


def _split_head(text: str) -> tuple[int, str]:
    seq, digest = text.split(":", 1)
    return int(seq), digest
