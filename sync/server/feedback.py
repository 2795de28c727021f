"""Umpan balik (the penilai's dated feedback) and komentar on an SKP: append-only records.

Both are entities owned by the SKP's owner (parent: the SKP), so they reach the owner's `own`
partition and the penilai's `team:<NIP>` one. The entity_id is a UUID the client makes.
- `create` on `umpan_balik`, payload {skp_id, sasaran_jenis: rhk|realisasi|perilaku|umum,
  sasaran_id (rhk/realisasi id of that SKP, or BerAKHLAK kode "1".."7"; absent for umum),
  period_id (optional), teks}: only the owner's current pejabat penilai.
- `comment` on `komentar`, payload {skp_id, teks, balasan_untuk (optional komentar id of the
  same SKP)}: the SKP's owner or their current pejabat penilai.
The server adds pemberi_nip/pemberi_nama (penulis_nip/penulis_nama) and dibuat_pada; any
other op on these kinds is refused (E_FORBIDDEN, message id `append_only`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from sync.protocol import OpEnvelope, OpResult, OpStatus
from sync.server import decisions, entities, period_lock
from sync.server.accounts import iso
from sync.server.entities import Refusal
from sync.server.schema import entity, person
from sync.server.store_changes import record_change

KINDS = frozenset({"umpan_balik", "komentar"})
# kind -> (the op that writes it, the fields a client may send)
_OPS = {
    "umpan_balik": ("create", frozenset({"skp_id", "sasaran_jenis", "sasaran_id", "period_id",
                                         "teks"})),
    "komentar": ("comment", frozenset({"skp_id", "teks", "balasan_untuk"})),
}
SASARAN = frozenset({"rhk", "realisasi", "perilaku", "umum"})
MAX_TEXT = 4000


def apply(conn: Connection, person_id: str, op: OpEnvelope, row: Any, now: float) -> OpResult:
    """Write one umpan balik or komentar, or refuse the op."""
    writing_op, allowed = _OPS[op.entity_kind]
    if op.kind in ("edit_fields", "delete") or (op.kind != writing_op and row is not None):
        # What the supervisor said stays said: a correction is a new record.
        raise Refusal("E_FORBIDDEN", "append_only", kind=op.entity_kind)
    if op.kind != writing_op:
        raise Refusal("E_UNSUPPORTED", "unsupported_op", kind=op.kind)
    if row is not None:
        raise Refusal("E_INVALID", "already_exists")
    payload = dict(op.payload)
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise Refusal("E_INVALID", "unknown_field", field=unknown[0])
    skp = entities.load(conn, "skp", str(payload.get("skp_id")))
    if skp is None or skp.deleted:
        raise Refusal("E_NOT_FOUND", "parent_missing", kind="skp")
    today = datetime.fromtimestamp(now, UTC).date().isoformat()
    penilai = decisions.is_penilai(conn, person_id, skp.owner_id, today)
    if op.entity_kind == "umpan_balik":
        if not penilai:
            raise Refusal("E_FORBIDDEN", "not_your_subordinate")
        data = _umpan_balik(conn, skp, payload)
        data.update(_author(conn, person_id, "pemberi"))
    else:
        if not penilai and skp.owner_id != person_id:
            raise Refusal("E_FORBIDDEN", "not_yours")
        data = _komentar(conn, skp, payload)
        data.update(_author(conn, person_id, "penulis"))
    data.update(id=op.entity_id, skp_id=skp.id, teks=_text(payload.get("teks")),
                dibuat_pada=iso(now))
    conn.execute(entity.insert().values(
        kind=op.entity_kind, id=op.entity_id, owner_id=skp.owner_id, parent_id=skp.id,
        version=1, data=json.dumps(data, sort_keys=True),
        field_versions=json.dumps(dict.fromkeys(data, 1)), deleted=False, updated_at=iso(now)))
    server_seq = record_change(conn, skp.owner_id, op.entity_kind, op.entity_id, old=None,
                               new=1)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=1, server_seq=server_seq)


def _umpan_balik(conn: Connection, skp: Any, payload: dict[str, Any]) -> dict[str, Any]:
    jenis = payload.get("sasaran_jenis")
    if jenis not in SASARAN:
        raise Refusal("E_INVALID", "bad_value", field="sasaran_jenis")
    target = payload.get("sasaran_id")
    if jenis == "umum":
        if target is not None:
            raise Refusal("E_INVALID", "bad_value", field="sasaran_id")
    elif jenis == "perilaku":
        # A BerAKHLAK value, by its kode (1 Berorientasi Pelayanan … 7 Kolaboratif).
        if str(target) not in {str(k) for k in range(1, 8)}:
            raise Refusal("E_INVALID", "bad_value", field="sasaran_id")
        target = str(target)
    elif target is not None:
        _require_child(conn, str(jenis), str(target), skp.id, "sasaran_id")
    period = payload.get("period_id")
    if period is not None and (not isinstance(period, str) or not 0 < len(period) <= 32):
        raise Refusal("E_INVALID", "bad_value", field="period_id")
    if period is not None:
        period_lock.require_open(conn, period)  # a closed period's record is final
    return {"sasaran_jenis": jenis, "sasaran_id": target, "period_id": period}


def _komentar(conn: Connection, skp: Any, payload: dict[str, Any]) -> dict[str, Any]:
    reply_to = payload.get("balasan_untuk")
    if reply_to is not None:
        _require_child(conn, "komentar", str(reply_to), skp.id, "balasan_untuk")
    return {"balasan_untuk": reply_to}


def _require_child(conn: Connection, kind: str, entity_id: str, skp_id: str, field: str
                   ) -> None:
    """The target must be a live record of the same SKP (no pointing into another's plan)."""
    found = entities.load(conn, kind, entity_id)
    if found is None or found.deleted or found.parent_id != skp_id:
        raise Refusal("E_INVALID", "bad_reference", field=field)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Refusal("E_INVALID", "missing", field="teks")
    if len(value) > MAX_TEXT:
        raise Refusal("E_INVALID", "too_long", field="teks")
    return value.strip()


def _author(conn: Connection, person_id: str, role: str) -> dict[str, Any]:
    """Who wrote it, as the server knows them (a non-ASN penilai has no NIP)."""
    found = conn.execute(select(person.c.nip, person.c.nama)
                         .where(person.c.id == person_id)).one()
    return {f"{role}_nip": found.nip, f"{role}_nama": found.nama}
