"""Amendments (amandemen) to an approved SKP: a plan edit that arrives after approval is held,
never lost, and reaches the plan only when the pejabat penilai approves the amendment.

Held: `create`/`edit_fields`/`delete` of rhk, iki or lampiran, or `edit_fields` of the SKP
head, arriving while the SKP is Disetujui (plus later ops on an entity such an op creates)
join the SKP's active amendment (Draft, Diajukan or Dikembalikan; one is made if none) and
are answered `applied` with message id `kept_as_amendment`, params {amandemen, skp_id} and
the amendment's version. An edited/deleted plan entity is re-announced in the next pull, so
devices show the server's plan again. A replayed op id is held once.

Ops on entity_kind `amandemen` (entity_id: the amendment's id):
- owner: `create` {skp_id, alasan?} opens one (SKP Disetujui, none active, else
  E_INVALID_STATE `amendment_open` {amandemen}); `edit_fields` {alasan}; `submit` {}
  (Draft/Dikembalikan → Diajukan; needs a held change); `withdraw` {} (Diajukan → Draft);
  `delete` discards one not submitted.
- penilai: `approve` {} / `return` {catatan}; base_version = the amendment version seen, else
  E_STALE_DECISION (a change joining it makes a pending decision stale). Approval applies the
  held ops in order, all or nothing (E_INVALID `amendment_not_applicable` {index, op_id,
  cause}), re-checks the plan, moves the SKP version; the SKP stays Disetujui.
Data: {id, skp_id, status, alasan, perubahan: [{op_id, kind, entity_kind, entity_id,
base_version, payload, device_id, diterima_pada}], dibuat_pada, diajukan_pada, penilai_id,
catatan_pengembalian, diputuskan_pada, hasil: [{op_id, status}]}.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from asndesk.domain.skp import StatusSkp, skp_problems
from sync.protocol import OpEnvelope, OpResult, OpStatus
from sync.server import decisions, entities
from sync.server.accounts import iso
from sync.server.entities import Refusal
from sync.server.schema import entity
from sync.server.store_changes import record_change

KIND = "amandemen"
PLAN_KINDS = frozenset({"rhk", "iki", "lampiran"})
HELD_OPS = frozenset({"create", "edit_fields", "delete"})
ACTIVE = frozenset({StatusSkp.DRAFT, StatusSkp.DIAJUKAN, StatusSkp.DIKEMBALIKAN})
EDITABLE = frozenset({StatusSkp.DRAFT, StatusSkp.DIKEMBALIKAN})
MAX_HELD = 200
# (conn, owner person id, device id, held op, now) -> the op applied to the plan
ApplyHeld = Callable[[Connection, str, str, OpEnvelope, float], OpResult]


def holds(skp_row: Any, op: OpEnvelope) -> bool:
    """Whether this plan op meets an approved SKP and so becomes part of an amendment
    (deleting the approved SKP itself is no amendment: refused)."""
    status = entities.data_of(skp_row)["status"]
    if status != StatusSkp.DISETUJUI:
        return False
    if op.entity_kind == "skp" and op.kind == "delete":
        raise Refusal("E_INVALID_STATE", "skp_not_editable", status=status)
    if op.entity_kind in PLAN_KINDS:
        return op.kind in HELD_OPS
    return op.entity_kind == "skp" and op.kind == "edit_fields"


def hold(conn: Connection, device_id: str, op: OpEnvelope, *, skp_row: Any, row: Any,
         now: float) -> OpResult:
    """Append the op to the SKP's active amendment (made if none); the plan is not touched."""
    every = _amendments_of(conn, skp_row.id)
    for known in every:
        if any(held["op_id"] == op.op_id for held in entities.data_of(known)["perubahan"]):
            # The same op again (e.g. re-pushed after a server restore): held once.
            return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=known.version,
                            message_id="kept_as_amendment",
                            params={"amandemen": known.id, "skp_id": skp_row.id})
    if op.kind == "create" and row is not None:
        raise Refusal("E_INVALID", "already_exists")
    if op.kind != "delete":
        fields, _ = entities.split_seen(op.entity_kind, dict(op.payload))
        entities.check_fields(op.entity_kind, fields, creating=op.kind == "create")
    found = next((r for r in every if entities.data_of(r)["status"] in ACTIVE), None)
    data = entities.data_of(found) if found is not None else {
        "id": str(uuid.uuid4()), "skp_id": skp_row.id, "status": StatusSkp.DRAFT.value,
        "alasan": None, "perubahan": [], "dibuat_pada": iso(now)}
    params = {"amandemen": data["id"], "skp_id": skp_row.id}
    if len(data["perubahan"]) >= MAX_HELD:
        raise Refusal("E_INVALID", "amendment_full", amandemen=data["id"])
    data["perubahan"] = [*data["perubahan"], {
        "op_id": op.op_id, "kind": op.kind, "entity_kind": op.entity_kind,
        "entity_id": op.entity_id, "base_version": op.base_version,
        "payload": dict(op.payload), "device_id": device_id, "diterima_pada": iso(now)}]
    version, server_seq = _store(conn, found, skp_row, data, now)
    if row is not None and not row.deleted:
        # Same version again: the next pull re-sends the server's copy over the device's edit.
        record_change(conn, row.owner_id, row.kind, row.id, old=row.version, new=row.version)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=version, server_seq=server_seq,
                    message_id="kept_as_amendment", params=params)


def hold_follow_up(conn: Connection, person_id: str, device_id: str, op: OpEnvelope,
                   now: float) -> OpResult | None:
    """An op on an entity that so far exists only as a held create joins that amendment."""
    if op.kind not in HELD_OPS or op.kind == "create":
        return None
    for found in conn.execute(select(entity).where(
            entity.c.kind == KIND, entity.c.owner_id == person_id,
            entity.c.deleted.is_(False))).all():
        data = entities.data_of(found)
        if data["status"] in ACTIVE and any(
                held["kind"] == "create" and held["entity_kind"] == op.entity_kind
                and held["entity_id"] == op.entity_id for held in data["perubahan"]):
            skp = entities.load(conn, "skp", found.parent_id)
            if skp is None or skp.deleted:
                return None
            return hold(conn, device_id, op, skp_row=skp, row=None, now=now)
    return None


def apply(conn: Connection, person_id: str, op: OpEnvelope, row: Any, *, now: float,
          apply_held: ApplyHeld) -> OpResult:
    """An op on an amendment itself: the owner's moves or the penilai's decision."""
    if op.kind in decisions.DECISIONS:
        return _decide(conn, person_id, op, row, now=now, apply_held=apply_held)
    if op.kind == "create":
        return _open(conn, person_id, op, row, now)
    if row is None or row.deleted:
        raise Refusal("E_NOT_FOUND", "not_found", kind=KIND)
    if row.owner_id != person_id:
        raise Refusal("E_FORBIDDEN", "not_yours")
    data = entities.data_of(row)
    status = data["status"]
    if op.kind == "edit_fields":
        unknown = sorted(set(op.payload) - {"alasan"})
        if unknown:
            raise Refusal("E_INVALID", "unknown_field", field=unknown[0])
        _require(status, EDITABLE)
        data["alasan"] = _note(op.payload.get("alasan"), "alasan", required=False)
    elif op.kind == "submit":
        _require(status, EDITABLE)
        if not data["perubahan"]:
            raise Refusal("E_INVALID", "amendment_empty")
        data.update(status=StatusSkp.DIAJUKAN.value, diajukan_pada=iso(now))
    elif op.kind == "withdraw":
        _require(status, {StatusSkp.DIAJUKAN})
        data["status"] = StatusSkp.DRAFT.value
    elif op.kind == "delete":
        _require(status, EDITABLE)
        conn.execute(update(entity).where(entity.c.kind == KIND, entity.c.id == row.id)
                     .values(deleted=True, version=row.version + 1, updated_at=iso(now)))
        server_seq = record_change(conn, row.owner_id, KIND, row.id, old=row.version, new=None)
        return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=row.version + 1,
                        server_seq=server_seq)
    else:
        raise Refusal("E_UNSUPPORTED", "unsupported_op", kind=op.kind)
    version, server_seq = _store(conn, row, None, data, now)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=version, server_seq=server_seq)


def _open(conn: Connection, person_id: str, op: OpEnvelope, row: Any, now: float
          ) -> OpResult:
    if row is not None:
        raise Refusal("E_INVALID", "already_exists")
    unknown = sorted(set(op.payload) - {"skp_id", "alasan"})
    if unknown:
        raise Refusal("E_INVALID", "unknown_field", field=unknown[0])
    skp = entities.load(conn, "skp", str(op.payload.get("skp_id")))
    if skp is None or skp.deleted:
        raise Refusal("E_NOT_FOUND", "parent_missing", kind="skp")
    if skp.owner_id != person_id:
        raise Refusal("E_FORBIDDEN", "not_yours")
    if entities.data_of(skp)["status"] != StatusSkp.DISETUJUI:
        raise Refusal("E_INVALID_STATE", "skp_not_approved")
    active = _active_of(conn, skp.id)
    if active is not None:
        raise Refusal("E_INVALID_STATE", "amendment_open", amandemen=active.id)
    data = {"id": op.entity_id, "skp_id": skp.id, "status": StatusSkp.DRAFT.value,
            "alasan": _note(op.payload.get("alasan"), "alasan", required=False),
            "perubahan": [], "dibuat_pada": iso(now)}
    version, server_seq = _store(conn, None, skp, data, now)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=version, server_seq=server_seq)


def _decide(conn: Connection, supervisor_id: str, op: OpEnvelope, row: Any, *, now: float,
            apply_held: ApplyHeld) -> OpResult:
    if op.kind == "rate":
        raise Refusal("E_INVALID", "not_a_rating")
    if row is None or row.deleted:
        raise Refusal("E_NOT_FOUND", "not_found", kind=KIND)
    today = datetime.fromtimestamp(now, UTC).date().isoformat()
    if not decisions.is_penilai(conn, supervisor_id, row.owner_id, today):
        raise Refusal("E_FORBIDDEN", "not_your_subordinate")
    if op.base_version != row.version:
        raise Refusal("E_STALE_DECISION", "stale_decision", seen=op.base_version,
                      current=row.version)
    data = entities.data_of(row)
    _require(data["status"], {StatusSkp.DIAJUKAN})
    data.update(penilai_id=supervisor_id, diputuskan_pada=iso(now))
    if op.kind == "return":
        note = _note(op.payload.get("catatan"), "catatan", required=True)
        data.update(status=StatusSkp.DIKEMBALIKAN.value, catatan_pengembalian=note)
    else:
        data.update(status=StatusSkp.DISETUJUI.value,
                    hasil=_apply_all(conn, op, row, now=now, apply_held=apply_held))
    version, server_seq = _store(conn, row, None, data, now)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=version, server_seq=server_seq)


def _apply_all(conn: Connection, op: OpEnvelope, row: Any, *, now: float,
               apply_held: ApplyHeld) -> list[dict[str, str]]:
    """Apply the held ops to the plan in order; any refusal refuses the whole approval."""
    skp = entities.load(conn, "skp", row.parent_id)
    if skp is None or skp.deleted or entities.data_of(skp)["status"] != StatusSkp.DISETUJUI:
        raise Refusal("E_INVALID_STATE", "skp_not_approved")
    outcomes = []
    for index, held in enumerate(entities.data_of(row)["perubahan"]):
        envelope = OpEnvelope(
            seq=op.seq, op_id=held["op_id"], kind=held["kind"],
            entity_kind=held["entity_kind"], entity_id=held["entity_id"],
            base_version=held["base_version"], payload=held["payload"], hlc=op.hlc,
            device_time=op.device_time, utc_offset_min=op.utc_offset_min)
        try:
            outcome = apply_held(conn, row.owner_id, held["device_id"], envelope, now)
        except Refusal as refusal:
            raise Refusal("E_INVALID", "amendment_not_applicable", index=index,
                          op_id=held["op_id"], cause=refusal.message_id) from None
        outcomes.append({"op_id": held["op_id"], "status": str(outcome.status)})
    fresh = entities.load(conn, "skp", skp.id)
    problems = skp_problems(entities.build_skp(conn, fresh))
    if problems:
        raise Refusal("E_INVALID", "skp_not_ready", field=problems[0].field,
                      code=problems[0].code, count=len(problems))
    if fresh.version == skp.version:
        # Nothing changed the plan (e.g. edits to the values it already had): the SKP still
        # moves, so anything decided on the old version is seen to be stale.
        conn.execute(update(entity).where(entity.c.kind == "skp", entity.c.id == skp.id)
                     .values(version=fresh.version + 1, updated_at=iso(now)))
        record_change(conn, fresh.owner_id, "skp", skp.id, old=fresh.version,
                      new=fresh.version + 1)
    return outcomes


def _amendments_of(conn: Connection, skp_id: str) -> list[Any]:
    return list(conn.execute(select(entity).where(
        entity.c.kind == KIND, entity.c.parent_id == skp_id,
        entity.c.deleted.is_(False)).order_by(entity.c.id)).all())


def _active_of(conn: Connection, skp_id: str) -> Any:
    """The SKP's amendment still in progress (at most one), or None."""
    return next((found for found in _amendments_of(conn, skp_id)
                 if entities.data_of(found)["status"] in ACTIVE), None)


def _store(conn: Connection, row: Any, skp_row: Any, data: dict[str, Any], now: float
           ) -> tuple[int, int]:
    """Insert (row None: a new amendment of `skp_row`) or update an amendment."""
    if row is None:
        conn.execute(entity.insert().values(
            kind=KIND, id=data["id"], owner_id=skp_row.owner_id, parent_id=skp_row.id,
            version=1, data=json.dumps(data, sort_keys=True),
            field_versions=json.dumps(dict.fromkeys(data, 1)), deleted=False,
            updated_at=iso(now)))
        return 1, record_change(conn, skp_row.owner_id, KIND, data["id"], old=None, new=1)
    version = row.version + 1
    entities.save(conn, row, data, dict.fromkeys(data, version), version=version, now=now)
    return version, record_change(conn, row.owner_id, KIND, row.id, old=row.version,
                                  new=version)


def _require(status: str, allowed: frozenset[StatusSkp] | set[StatusSkp]) -> None:
    if status not in allowed:
        raise Refusal("E_INVALID_STATE", "bad_transition", status=status)


def _note(value: Any, field: str, *, required: bool) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > decisions.MAX_NOTE or (required and not text) or (
            value is not None and not isinstance(value, str)):
        # Returning without saying why leaves the employee guessing: a note is required.
        raise Refusal("E_INVALID", "note_required" if required else "bad_value", field=field)
    return text or None
