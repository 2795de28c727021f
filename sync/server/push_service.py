"""Applying a device's pushed ops: strictly in `seq` order, each op in its own savepoint.

A replayed seq gets its stored result; an old seq with a new op id is refused and audited;
a gap answers `need_from`. A refused op still consumes its seq, so a queue never wedges, and
its entity is announced again, so the device gets the server's copy back.
Content edits merge per field: a field changed elsewhere (the server no longer holds the value
the device had, `outbox.SEEN`; from a device that does not say, changed since the op's base
version) becomes a conflict record (the server keeps its value, the device's value is kept
for the owner).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from asndesk.domain.skp import StatusSkp, check_transition, skp_problems
from asndesk.errors import InvalidState
from sync.protocol import OpEnvelope, OpResult, OpStatus, PushRequest, PushResponse, Reason
from sync.server import amendments, blob_store, decisions, entities, feedback, period_lock
from sync.server.accounts import audit, iso
from sync.server.db import meta
from sync.server.entities import Refusal
from sync.server.schema import (
    audit_event,
    conflict,
    device_seq,
    entity,
    op_result,
    person,
    server_meta,
)
from sync.server.store_changes import record_change, resend


@dataclass(frozen=True)
class Pusher:
    """Who is pushing: the person, their NIP, and the device."""

    person_id: str
    nip: str | None
    device_id: str


def push(
    conn: Connection, who: Pusher, request: PushRequest, now: float, request_id: str
) -> PushResponse:
    """Process one push inside the caller's transaction."""
    # A write first: on SQLite it takes the write lock before any read (no upgrade deadlock),
    # on PostgreSQL it row-locks the change counter, so pushes serialize and change-log
    # sequence numbers commit in order.
    conn.execute(
        update(server_meta)
        .where(server_meta.c.key == "change_seq")
        .values(value=server_meta.c.value)
    )
    last = conn.execute(
        select(device_seq.c.last_seq).where(device_seq.c.device_id == who.device_id)
    ).scalar()
    if last is None:
        conn.execute(device_seq.insert().values(device_id=who.device_id, last_seq=0))
        last = 0
    results: list[OpResult] = []
    need_from = None
    for op in request.ops:
        if op.seq <= last:
            results.append(_replayed(conn, who, op, now, request_id))
            continue
        if op.seq != last + 1:
            need_from = last + 1
            break
        result = _apply_in_savepoint(conn, who, op, now, request_id)
        conn.execute(
            op_result.insert().values(
                device_id=who.device_id,
                seq=op.seq,
                op_id=op.op_id,
                result=json.dumps(result.to_wire(), sort_keys=True),
                created_at=iso(now),
            )
        )
        last = op.seq
        results.append(result)
    conn.execute(
        update(device_seq).where(device_seq.c.device_id == who.device_id).values(last_seq=last)
    )
    return PushResponse(
        epoch=meta(conn, "epoch"), results=tuple(results), need_from=need_from, server_time=iso(now)
    )


def _replayed(
    conn: Connection, who: Pusher, op: OpEnvelope, now: float, request_id: str
) -> OpResult:
    stored = conn.execute(
        select(op_result).where(op_result.c.device_id == who.device_id, op_result.c.seq == op.seq)
    ).first()
    if stored is not None and stored.op_id == op.op_id:
        return OpResult.from_wire(json.loads(stored.result))
    audit(
        conn,
        now,
        actor=who.person_id,
        action="push.seq_reused",
        target=who.device_id,
        request_id=request_id,
        address=None,
    )
    return OpResult(
        op.seq,
        op.op_id,
        OpStatus.REJECTED,
        reason=Reason.SEQ_REUSED,
        message_id="seq_reused",
        params={"seq": op.seq},
    )


def _apply_in_savepoint(conn: Connection, who: Pusher, op: OpEnvelope, now: float,
                        request_id: str) -> OpResult:
    savepoint = conn.begin_nested()
    try:
        result = _apply(conn, who, op, now)
    except Refusal as refusal:
        savepoint.rollback()
        _resend_refused(conn, who, op)
        if refusal.reason == Reason.FORBIDDEN:
            _audit_denied(conn, who, op, now, request_id)
        return OpResult(
            op.seq,
            op.op_id,
            OpStatus.REJECTED,
            reason=Reason(refusal.reason),
            message_id=refusal.message_id,
            params=refusal.params,
            current=_current(conn, op),
        )
    savepoint.commit()
    return result


def _audit_denied(conn: Connection, who: Pusher, op: OpEnvelope, now: float,
                  request_id: str) -> None:
    """Log an op refused as not the pusher's to do (S-14): who, which op kind, which entity."""
    action, target = f"push.{op.kind}.denied"[:64], op.entity_id[:64]
    logged = conn.execute(select(audit_event.c.id).where(
        audit_event.c.request_id == request_id, audit_event.c.action == action,
        audit_event.c.target == target)).first()
    if logged is None:  # the same op twice in one push is one entry (one per request)
        audit(conn, now, actor=who.person_id, action=action, target=target,
              request_id=request_id, address=None)


def _resend_refused(conn: Connection, who: Pusher, op: OpEnvelope) -> None:
    """The device already shows the refused op's effect (say, a plan edit made while the plan
    was submitted from another device): announce the owner's entity again, so the pull after
    this push puts the server's copy back over it rather than leaving that device diverged
    for good (the op itself stays visible as rejected, with its reason)."""
    row = entities.load(conn, op.entity_kind, op.entity_id)
    if row is not None and row.owner_id == who.person_id:
        resend(conn, row.owner_id, row.kind, row.id, row.version)


def _current(conn: Connection, op: OpEnvelope) -> dict[str, Any] | None:
    row = entities.load(conn, op.entity_kind, op.entity_id)
    if row is None or row.deleted:
        return None
    return {"version": row.version, "data": entities.data_of(row)}


@dataclass(frozen=True)
class _Op:
    """One op being applied, with what the checks found."""

    conn: Connection
    who: Pusher
    op: OpEnvelope
    row: Any  # the entity as stored, or None for a create
    skp_row: Any  # the SKP of an SKP child, else None
    now: float


def _apply(conn: Connection, who: Pusher, op: OpEnvelope, now: float) -> OpResult:
    row = entities.load(conn, op.entity_kind, op.entity_id)
    if op.entity_kind in feedback.KINDS:  # umpan balik and komentar: append-only
        return feedback.apply(conn, who.person_id, op, row, now)
    if op.entity_kind == amendments.KIND:
        return amendments.apply(conn, who.person_id, op, row, now=now, apply_held=apply_held)
    if op.kind in decisions.DECISIONS or op.entity_kind in decisions.KINDS:
        # A supervisor deciding on a subordinate's SKP: authorised by the supervisor link.
        return decisions.decide(conn, who.person_id, op, row, now)
    if op.kind != "create":
        if row is None or row.deleted:
            held = amendments.hold_follow_up(conn, who.person_id, who.device_id, op, now)
            if held is not None:  # a later op on an RHK/IKI that exists only as held
                return held
            raise Refusal("E_NOT_FOUND", "not_found", kind=op.entity_kind)
        if row.owner_id != who.person_id:
            raise Refusal("E_FORBIDDEN", "not_yours")
    skp_row = None
    if op.entity_kind in entities.SKP_CHILDREN:
        skp_row = entities.skp_of(conn, op.entity_kind, dict(op.payload), row)
        if skp_row.owner_id != who.person_id:
            raise Refusal("E_FORBIDDEN", "not_yours")
    plan = row if op.entity_kind == "skp" and row is not None else skp_row
    if plan is not None and amendments.holds(plan, op):  # approved: kept as an amendment
        return amendments.hold(conn, who.device_id, op, skp_row=plan, row=row, now=now)
    if skp_row is not None:
        entities.require_editable_plan(skp_row, op.entity_kind)
    period_lock.check_op(conn, op, row)  # nothing is written into a closed period
    handler = _HANDLERS.get(op.kind)
    if handler is None:
        raise Refusal("E_UNSUPPORTED", "unsupported_op", kind=op.kind)
    return handler(_Op(conn, who, op, row, skp_row, now))


def apply_held(conn: Connection, owner_id: str, device_id: str, op: OpEnvelope, now: float
               ) -> OpResult:
    """An approved amendment's held plan op, applied by the same handlers (plan unlocked)."""
    row = entities.load(conn, op.entity_kind, op.entity_id)
    if op.kind != "create" and (row is None or row.deleted):
        raise Refusal("E_NOT_FOUND", "not_found", kind=op.entity_kind)
    skp_row = None
    if op.entity_kind in entities.SKP_CHILDREN:
        skp_row = entities.skp_of(conn, op.entity_kind, dict(op.payload), row)
    who = Pusher(owner_id, nip_of(conn, owner_id), device_id)
    return _HANDLERS[op.kind](_Op(conn, who, op, row, skp_row, now))


def _create(x: _Op) -> OpResult:
    conn, who, op, row, skp_row, now = x.conn, x.who, x.op, x.row, x.skp_row, x.now
    if row is not None:
        raise Refusal("E_INVALID", "already_exists")
    data = entities.check_fields(op.entity_kind, dict(op.payload), creating=True)
    data["id"] = op.entity_id
    if op.entity_kind == "skp":
        if data.get("pegawai_nip") != who.nip:
            raise Refusal("E_FORBIDDEN", "not_yours")
        data["status"] = StatusSkp.DRAFT.value
    entities.validate_content(op.entity_kind, data)
    conn.execute(
        entity.insert().values(
            kind=op.entity_kind,
            id=op.entity_id,
            owner_id=who.person_id,
            parent_id=skp_row.id if skp_row is not None else None,
            version=1,
            data=json.dumps(data, sort_keys=True),
            field_versions=json.dumps(dict.fromkeys(data, 1)),
            deleted=False,
            updated_at=iso(now),
        )
    )
    server_seq = record_change(conn, who.person_id, op.entity_kind, op.entity_id, old=None, new=1)
    if skp_row is not None:
        _touch(conn, skp_row, now)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=1, server_seq=server_seq)


def _edit(x: _Op) -> OpResult:
    conn, who, op, row, skp_row, now = x.conn, x.who, x.op, x.row, x.skp_row, x.now
    fields, seen = entities.split_seen(op.entity_kind, dict(op.payload))
    changes = entities.check_fields(op.entity_kind, fields, creating=False)
    changes.pop("skp_id", None)  # context the client adds; the parent never moves
    # A field the device saved unchanged is no edit: neither applied nor a conflict.
    changes = {f: v for f, v in changes.items() if f not in seen or seen[f] != v}
    base = op.base_version or 0
    data, versions = entities.data_of(row), json.loads(row.field_versions)
    # Changed elsewhere: no longer what the device had (or, from a device that does not say,
    # changed after its base version).
    clashes = [f for f, v in changes.items() if data.get(f) != v and (
        data.get(f) != seen[f] if f in seen else versions.get(f, 0) > base)]
    for name in clashes:
        conn.execute(
            conflict.insert().values(
                id=str(uuid.uuid4()),
                owner_id=row.owner_id,
                entity_kind=op.entity_kind,
                entity_id=op.entity_id,
                field=name,
                server_value=json.dumps(data.get(name)),
                device_value=json.dumps(changes[name]),
                device_id=who.device_id,
                op_id=op.op_id,
                created_at=iso(now),
            )
        )
    applied = {f: v for f, v in changes.items() if f not in clashes and data.get(f) != v}
    version = row.version
    server_seq = None
    if applied:
        merged = {**data, **applied}
        entities.validate_content(op.entity_kind, merged)
        version += 1
        versions.update(dict.fromkeys(applied, version))
        entities.save(conn, row, merged, versions, version=version, now=now)
        server_seq = record_change(
            conn, row.owner_id, op.entity_kind, op.entity_id, old=row.version, new=version
        )
        if skp_row is not None:
            _touch(conn, skp_row, now)
    if clashes:
        return OpResult(
            op.seq,
            op.op_id,
            OpStatus.CONFLICT,
            version=version,
            server_seq=server_seq,
            reason=Reason.CONCURRENT_EDIT,
            message_id="field_conflict",
            params={"fields": clashes},
            current={"version": version, "data": {**data, **applied}},
        )
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=version, server_seq=server_seq)


def _delete(x: _Op) -> OpResult:
    conn, op, row, skp_row, now = x.conn, x.op, x.row, x.skp_row, x.now
    if op.base_version is not None and op.base_version < row.version:
        # Changed elsewhere since this device saw it: keep it rather than lose that change.
        raise Refusal("E_CONCURRENT_EDIT", "changed_since_seen", version=row.version)
    conn.execute(
        update(entity)
        .where(entity.c.kind == row.kind, entity.c.id == row.id)
        .values(deleted=True, version=row.version + 1, updated_at=iso(now))
    )
    server_seq = record_change(conn, row.owner_id, row.kind, row.id, old=row.version, new=None)
    if skp_row is not None:
        _touch(conn, skp_row, now)
    return OpResult(
        op.seq, op.op_id, OpStatus.APPLIED, version=row.version + 1, server_seq=server_seq
    )


def _attach(x: _Op) -> OpResult:
    conn, op, row, now = x.conn, x.op, x.row, x.now
    """Evidence metadata is append-only and unions across devices (files travel apart)."""
    data, versions = entities.data_of(row), json.loads(row.field_versions)
    bukti = list(data.get("bukti", []))
    item = {
        k: v
        for k, v in op.payload.items()
        if k in {"attachment_id", "sha256", "nama_file", "mime", "ukuran", "tautan"}
    }
    blob_store.add_ref(conn, item.get("sha256"), row.kind, row.id, row.owner_id)
    if item in bukti:
        return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=row.version)
    version = row.version + 1
    versions["bukti"] = version
    entities.save(conn, row, {**data, "bukti": [*bukti, item]}, versions, version=version, now=now)
    server_seq = record_change(conn, row.owner_id, row.kind, row.id, old=row.version, new=version)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=version, server_seq=server_seq)


def _transition(x: _Op) -> OpResult:
    conn, op, row, now = x.conn, x.op, x.row, x.now
    if op.entity_kind != "skp":
        raise Refusal("E_INVALID", "not_an_skp")
    data = entities.data_of(row)
    target = StatusSkp.DIAJUKAN if op.kind == "submit" else StatusSkp.DRAFT
    try:
        check_transition(data["status"], target)
    except InvalidState:
        raise Refusal("E_INVALID_STATE", "bad_transition", status=data["status"]) from None
    if target is StatusSkp.DIAJUKAN:
        problems = skp_problems(entities.build_skp(conn, row))
        if problems:
            raise Refusal(
                "E_INVALID",
                "skp_not_ready",
                field=problems[0].field,
                code=problems[0].code,
                count=len(problems),
            )
    versions = json.loads(row.field_versions)
    version = row.version + 1
    versions["status"] = version
    entities.save(conn, row, {**data, "status": target.value}, versions, version=version, now=now)
    server_seq = record_change(conn, row.owner_id, row.kind, row.id, old=row.version, new=version)
    return OpResult(op.seq, op.op_id, OpStatus.APPLIED, version=version, server_seq=server_seq)


def _touch(conn: Connection, skp_row: Any, now: float) -> None:
    """A child changed: the SKP's version moves, so decisions name the version they saw."""
    fresh = entities.load(conn, "skp", skp_row.id)
    conn.execute(
        update(entity)
        .where(entity.c.kind == "skp", entity.c.id == skp_row.id)
        .values(version=fresh.version + 1, updated_at=iso(now))
    )
    record_change(conn, fresh.owner_id, "skp", fresh.id, old=fresh.version, new=fresh.version + 1)


_HANDLERS = {
    "create": _create,
    "edit_fields": _edit,
    "delete": _delete,
    "attach": _attach,
    "submit": _transition,
    "withdraw": _transition,
}


def nip_of(conn: Connection, person_id: str) -> str | None:
    value = conn.execute(select(person.c.nip).where(person.c.id == person_id)).scalar()
    return None if value is None else str(value)
