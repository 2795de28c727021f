"""Supervisor decisions on a subordinate's SKP: approve, return (with a note), rate a period.

Only the current pejabat penilai (an open supervisor link) may decide. Every decision names
the SKP version the supervisor saw; if the plan changed since, the decision is refused with
`E_STALE_DECISION` and the current state, never applied to something not seen. The predikat
is computed here from the two ratings (domain.md §4), never taken from the client.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, or_, select

from asndesk.domain.ratings import predikat_kinerja
from asndesk.domain.skp import StatusSkp, check_transition
from asndesk.errors import InvalidState, ValidationError
from sync.protocol import OpEnvelope, OpResult, OpStatus
from sync.server import entities, period_lock
from sync.server.accounts import iso
from sync.server.entities import Refusal
from sync.server.schema import entity, person, supervisor_link
from sync.server.store_changes import record_change

DECISIONS = frozenset({"approve", "return", "rate"})
KINDS = frozenset({"penilaian"})  # what only decisions write: no other op touches a rating
MAX_NOTE = 2000


def is_penilai(conn: Connection, supervisor_id: str, pegawai_id: str, today: str) -> bool:
    """Whether `supervisor_id` is `pegawai_id`'s pejabat penilai on `today`."""
    return conn.execute(select(supervisor_link.c.id).where(
        supervisor_link.c.pegawai_id == pegawai_id,
        supervisor_link.c.penilai_id == supervisor_id,
        supervisor_link.c.berlaku_mulai <= today,
        or_(supervisor_link.c.berlaku_sampai.is_(None),
            supervisor_link.c.berlaku_sampai >= today))).first() is not None


def decide(conn: Connection, supervisor_id: str, op: OpEnvelope, row: Any,
           now: float) -> OpResult:
    if op.kind not in DECISIONS:  # e.g. the rated employee deleting or editing the rating
        raise Refusal("E_FORBIDDEN", "not_yours")
    skp = row if op.entity_kind == "skp" else entities.load(
        conn, "skp", str(op.payload.get("skp_id")))
    if skp is None or skp.deleted:
        raise Refusal("E_NOT_FOUND", "not_found", kind="skp")
    today = datetime.fromtimestamp(now, UTC).date().isoformat()
    if not is_penilai(conn, supervisor_id, skp.owner_id, today):
        raise Refusal("E_FORBIDDEN", "not_your_subordinate")
    if op.base_version != skp.version:
        raise Refusal("E_STALE_DECISION", "stale_decision", seen=op.base_version,
                      current=skp.version)
    if op.kind == "rate":
        return _rate(conn, supervisor_id, op, row=row, skp=skp, now=now)
    return _approve_or_return(conn, supervisor_id, op, skp, now)


def _approve_or_return(conn: Connection, supervisor_id: str, op: OpEnvelope, skp: Any,
                       now: float) -> OpResult:
    if op.entity_kind != "skp":
        raise Refusal("E_INVALID", "not_an_skp")
    data, versions = entities.data_of(skp), json.loads(skp.field_versions)
    target = StatusSkp.DISETUJUI if op.kind == "approve" else StatusSkp.DIKEMBALIKAN
    try:
        check_transition(data["status"], target)
    except InvalidState:
        raise Refusal("E_INVALID_STATE", "bad_transition", status=data["status"]) from None
    changes: dict[str, Any] = {"status": target.value, "penilai_id": supervisor_id}
    if target is StatusSkp.DIKEMBALIKAN:
        note = str(op.payload.get("catatan") or "").strip()
        if not note or len(note) > MAX_NOTE:
            # Returning without saying why leaves the employee guessing: a note is required.
            raise Refusal("E_INVALID", "note_required", field="catatan")
        changes["catatan_pengembalian"] = note
    version = skp.version + 1
    versions.update(dict.fromkeys(changes, version))
    entities.save(conn, skp, {**data, **changes}, versions, version=version, now=now)
    server_seq = record_change(conn, skp.owner_id, "skp", skp.id, old=skp.version, new=version)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=version, server_seq=server_seq)


def _rate(conn: Connection, supervisor_id: str, op: OpEnvelope, *, row: Any, skp: Any,
          now: float) -> OpResult:
    """One penilaian per SKP and period; re-rating replaces it (the change log keeps history)."""
    if op.entity_kind != "penilaian":
        raise Refusal("E_INVALID", "not_a_rating")
    if entities.data_of(skp)["status"] != StatusSkp.DISETUJUI:
        raise Refusal("E_INVALID_STATE", "skp_not_approved")
    payload = dict(op.payload)
    try:
        predikat = predikat_kinerja(payload.get("rating_hasil_kerja"),
                                    payload.get("rating_perilaku"))
    except ValidationError as err:
        raise Refusal("E_INVALID", err.message_id, field=err.field, code=err.code) from None
    period = str(payload.get("period_id") or "")
    if not period or len(period) > 32:
        raise Refusal("E_INVALID", "missing", field="period_id")
    period_lock.require_open(conn, period)  # a closed period's ratings are final
    if row is None:
        # Rated again before the device synced the period's rating (so under a new id): that
        # rating is the one replaced; never a second rating of the same period.
        row = _rating_of(conn, skp.id, period)
    rating_id = op.entity_id if row is None else row.id
    data = {"id": rating_id, "skp_id": skp.id, "period_id": period,
            "rating_hasil_kerja": str(payload["rating_hasil_kerja"]),
            "rating_perilaku": str(payload["rating_perilaku"]),
            "predikat": predikat.value, "penilai_id": supervisor_id, "dinilai_pada": iso(now),
            "penilai_nip": conn.execute(select(person.c.nip)  # shown on the owner's side
                                        .where(person.c.id == supervisor_id)).scalar()}
    if row is not None and row.owner_id != skp.owner_id:
        raise Refusal("E_FORBIDDEN", "not_yours")
    old = None if row is None or row.deleted else row.version
    version = (row.version if row is not None else 0) + 1
    if row is None:
        conn.execute(entity.insert().values(
            kind="penilaian", id=rating_id, owner_id=skp.owner_id, parent_id=skp.id,
            version=version, data=json.dumps(data, sort_keys=True),
            field_versions=json.dumps(dict.fromkeys(data, version)), deleted=False,
            updated_at=iso(now)))
    else:
        entities.save(conn, row, data, dict.fromkeys(data, version), version=version, now=now)
    server_seq = record_change(conn, skp.owner_id, "penilaian", rating_id, old=old,
                               new=version)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=version, server_seq=server_seq,
                    params={"predikat": predikat.value})


def _rating_of(conn: Connection, skp_id: str, period_id: str) -> Any:
    """The SKP's live rating of `period_id`, or None."""
    return next((r for r in conn.execute(select(entity).where(
        entity.c.kind == "penilaian", entity.c.parent_id == skp_id,
        entity.c.deleted.is_(False))).all()
        if entities.data_of(r).get("period_id") == period_id), None)
