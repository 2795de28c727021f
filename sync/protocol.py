"""The asndesk sync protocol, version 1: the messages both ends exchange, and their checks.

Architecture §4: the client pushes *operations* (a contiguous run of its outbox by `seq`) and
pulls changes per partition with `(epoch, seq)` cursors and a checksum. `from_wire` functions
validate everything that arrives and raise `ProtocolError` with a stable code; `to_wire`
methods produce plain dicts for `sync.wire.encode`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from itertools import pairwise
from typing import Any

from asndesk.store.outbox import OP_KINDS, Op

PROTOCOL_VERSION = 1
PUSH_PATH = "/sync/v1/push"
PULL_PATH = "/sync/v1/pull"
# Evidence files (tus-style): POST uploads, HEAD/PATCH uploads/<sha256>, GET files/<sha256>.
BLOB_UPLOADS_PATH = "/blobs/v1/uploads"
BLOB_FILES_PATH = "/blobs/v1/files"
# What a device signs with its Ed25519 key to use a refresh token (the token follows).
REFRESH_CONTEXT = b"asndesk-refresh-v1|"
# A revoked device's last push, where policy allows (no bearer token): the body is signed as
# context + SHA-256(body bytes) by the device key; headers name the device and carry the proof.
FINAL_PUSH_PATH = "/sync/v1/final-push"
FINAL_PUSH_DONE_PATH = "/sync/v1/final-push/done"
FINAL_PUSH_CONTEXT = b"asndesk-final-push-v1|"
FINAL_DONE_CONTEXT = b"asndesk-final-done-v1|"
DEVICE_HEADER = "X-Asndesk-Device"
SIGNATURE_HEADER = "X-Asndesk-Signature"
MAX_OPS_PER_PUSH = 500
MAX_PAYLOAD_KEYS = 200
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_NIP = re.compile(r"^\d{18}$")
_HLC = re.compile(r"^\d{13}-\d{5}-[0-9a-f-]{36}$")

ENTITY_KINDS = frozenset({"skp", "rhk", "iki", "lampiran", "perilaku", "rencana_aksi",
                          "realisasi", "log_harian", "service_type", "service_log", "pelatihan",
                          "umpan_balik", "penilaian", "skm_response", "komentar", "amandemen"})


class ProtocolError(ValueError):
    """A message that breaks the protocol; `code` is stable, the text never echoes values."""

    def __init__(self, code: str, where: str = "") -> None:
        self.code = code
        self.where = where
        super().__init__(f"{code} at {where}" if where else code)


class OpStatus(StrEnum):
    APPLIED = "applied"
    REJECTED = "rejected"
    CONFLICT = "conflict"


class Reason(StrEnum):
    """Why an op was rejected; the client maps each to a message and a fix-it path."""

    INVALID = "E_INVALID"                    # fails validation (field + code in params)
    FORBIDDEN = "E_FORBIDDEN"                # not the sender's to change
    NOT_FOUND = "E_NOT_FOUND"
    INVALID_STATE = "E_INVALID_STATE"        # e.g. edit of an approved SKP
    STALE_DECISION = "E_STALE_DECISION"      # approve/return/rate on a version not current
    PERIOD_CLOSED = "E_PERIOD_CLOSED"
    SEQ_REUSED = "E_SEQ_REUSED"              # an old seq arrived with a different op id
    CONCURRENT_EDIT = "E_CONCURRENT_EDIT"    # changed elsewhere since base_version
    UNSUPPORTED = "E_UNSUPPORTED"            # a kind of op this server does not apply yet


# -- helpers ------------------------------------------------------------------------------------
def _req(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise ProtocolError("missing", f"{where}.{key}")
    value = data[key]
    if isinstance(value, bool) and kind is not bool:
        raise ProtocolError("bad_type", f"{where}.{key}")
    if not isinstance(value, kind):
        raise ProtocolError("bad_type", f"{where}.{key}")
    return value


def _opt(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    return None if data.get(key) is None else _req(data, key, kind, where)


def _check_version(data: Mapping[str, Any], where: str) -> None:
    if _req(data, "protocol", int, where) != PROTOCOL_VERSION:
        raise ProtocolError("unsupported_protocol", f"{where}.protocol")


def _instant(data: Mapping[str, Any], key: str, where: str) -> str | None:
    """An optional ISO 8601 instant with its UTC offset (a clock reading, never trusted)."""
    value: str | None = _opt(data, key, str, where)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ProtocolError("bad_time", f"{where}.{key}") from None
    if parsed.utcoffset() is None:
        raise ProtocolError("bad_time", f"{where}.{key}")
    return value


def roles_stamp(team_nips: Iterable[str], unit_ids: Iterable[str]) -> str:
    """A short digest of which `team:` and `unit:` partitions someone may read."""
    names = sorted({f"team:{n}" for n in team_nips} | {f"unit:{u}" for u in unit_ids})
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def clock_offset_s(device_time: str, server_time: str) -> float:
    """How far a device clock is ahead of the server's (negative: behind), in seconds."""
    return (datetime.fromisoformat(device_time)
            - datetime.fromisoformat(server_time)).total_seconds()


def _uuid(value: str, where: str) -> str:
    if not _UUID.match(value):
        raise ProtocolError("bad_id", where)
    return value


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ProtocolError("bad_type", where)
    return value


# -- push ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpEnvelope:
    """One outbox operation as it travels: intent, not a row diff."""

    seq: int
    op_id: str
    kind: str
    entity_kind: str
    entity_id: str
    base_version: int | None
    payload: Mapping[str, Any]
    hlc: str
    device_time: str
    utc_offset_min: int

    @classmethod
    def from_outbox(cls, op: Op) -> OpEnvelope:
        """The wire form of a queued local op (same fields, nothing added)."""
        return cls(seq=op.seq, op_id=op.op_id, kind=op.kind, entity_kind=op.entity_kind,
                   entity_id=op.entity_id, base_version=op.base_version, payload=op.payload,
                   hlc=op.hlc, device_time=op.device_time, utc_offset_min=op.utc_offset_min)

    def to_wire(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "op_id": self.op_id, "kind": self.kind,
            "entity_kind": self.entity_kind, "entity_id": self.entity_id,
            "base_version": self.base_version, "payload": dict(self.payload), "hlc": self.hlc,
            "device_time": self.device_time, "utc_offset_min": self.utc_offset_min,
        }

    @classmethod
    def from_wire(cls, data: Any, where: str = "op") -> OpEnvelope:
        data = _object(data, where)
        seq = _req(data, "seq", int, where)
        if seq < 1:
            raise ProtocolError("bad_seq", where)
        kind = _req(data, "kind", str, where)
        if kind not in OP_KINDS:
            raise ProtocolError("unknown_kind", f"{where}.kind")
        entity_kind = _req(data, "entity_kind", str, where)
        if entity_kind not in ENTITY_KINDS:
            raise ProtocolError("unknown_entity", f"{where}.entity_kind")
        base = _opt(data, "base_version", int, where)
        if base is not None and base < 1:
            raise ProtocolError("bad_version", f"{where}.base_version")
        payload = _object(_req(data, "payload", dict, where), f"{where}.payload")
        if len(payload) > MAX_PAYLOAD_KEYS:
            raise ProtocolError("too_large", f"{where}.payload")
        hlc = _req(data, "hlc", str, where)
        if not _HLC.match(hlc):
            raise ProtocolError("bad_hlc", f"{where}.hlc")
        offset = _req(data, "utc_offset_min", int, where)
        if not -14 * 60 <= offset <= 14 * 60:
            raise ProtocolError("bad_offset", f"{where}.utc_offset_min")
        return cls(
            seq=seq,
            op_id=_uuid(_req(data, "op_id", str, where), f"{where}.op_id"),
            kind=kind,
            entity_kind=entity_kind,
            entity_id=_uuid(_req(data, "entity_id", str, where), f"{where}.entity_id"),
            base_version=base,
            payload=payload,
            hlc=hlc,
            device_time=_req(data, "device_time", str, where),
            utc_offset_min=offset,
        )


@dataclass(frozen=True)
class PushRequest:
    """A contiguous run of one device's ops, oldest first."""

    device_id: str
    ops: tuple[OpEnvelope, ...]
    protocol: int = PROTOCOL_VERSION
    # The device's clock when it sent this (UTC with offset): the server records the skew.
    sent_at: str | None = None

    def to_wire(self) -> dict[str, Any]:
        wire = {"protocol": self.protocol, "device_id": self.device_id,
                "ops": [op.to_wire() for op in self.ops]}
        if self.sent_at is not None:
            wire["sent_at"] = self.sent_at
        return wire

    @classmethod
    def from_wire(cls, data: Any) -> PushRequest:
        data = _object(data, "push")
        _check_version(data, "push")
        raw_ops = _req(data, "ops", list, "push")
        if not 1 <= len(raw_ops) <= MAX_OPS_PER_PUSH:
            raise ProtocolError("bad_batch_size", "push.ops")
        ops = tuple(OpEnvelope.from_wire(op, f"push.ops[{n}]") for n, op in enumerate(raw_ops))
        for before, after in pairwise(ops):
            if after.seq != before.seq + 1:
                raise ProtocolError("not_contiguous", f"push.ops[seq={after.seq}]")
        if len({op.op_id for op in ops}) != len(ops):
            raise ProtocolError("duplicate_op_id", "push.ops")
        device = _uuid(_req(data, "device_id", str, "push"), "push.device_id")
        return cls(device_id=device, ops=ops, sent_at=_instant(data, "sent_at", "push"))


@dataclass(frozen=True)
class OpResult:
    """The server's answer for one op; a replayed seq gets its stored result back verbatim."""

    seq: int
    op_id: str
    status: OpStatus
    version: int | None = None          # applied: the entity's new version
    server_seq: int | None = None       # applied: position in the partition's change log
    reason: Reason | None = None        # rejected/conflict
    message_id: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    current: Mapping[str, Any] | None = None  # the server's state, for the fix-it view

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seq": self.seq, "op_id": self.op_id, "status": str(self.status)}
        for key in ("version", "server_seq", "message_id", "current"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.reason is not None:
            out["reason"] = str(self.reason)
        if self.params:
            out["params"] = dict(self.params)
        return out

    @classmethod
    def from_wire(cls, data: Any, where: str = "result") -> OpResult:
        data = _object(data, where)
        try:
            status = OpStatus(_req(data, "status", str, where))
            reason = Reason(data["reason"]) if data.get("reason") is not None else None
        except ValueError:
            raise ProtocolError("bad_status", where) from None
        if status is OpStatus.APPLIED and _opt(data, "version", int, where) is None:
            raise ProtocolError("missing", f"{where}.version")
        if status is not OpStatus.APPLIED and reason is None:
            raise ProtocolError("missing", f"{where}.reason")
        return cls(
            seq=_req(data, "seq", int, where),
            op_id=_uuid(_req(data, "op_id", str, where), f"{where}.op_id"),
            status=status,
            version=_opt(data, "version", int, where),
            server_seq=_opt(data, "server_seq", int, where),
            reason=reason,
            message_id=_opt(data, "message_id", str, where),
            params=_opt(data, "params", dict, where) or {},
            current=_opt(data, "current", dict, where),
        )


@dataclass(frozen=True)
class PushResponse:
    """Results for a prefix of the pushed ops, or `need_from` when the server has a gap."""

    epoch: str
    results: tuple[OpResult, ...]
    need_from: int | None = None
    server_time: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {"protocol": PROTOCOL_VERSION, "epoch": self.epoch,
                "results": [r.to_wire() for r in self.results], "need_from": self.need_from,
                "server_time": self.server_time}

    @classmethod
    def from_wire(cls, data: Any) -> PushResponse:
        data = _object(data, "push_response")
        _check_version(data, "push_response")
        results = tuple(OpResult.from_wire(r, f"results[{n}]")
                        for n, r in enumerate(_req(data, "results", list, "push_response")))
        need_from = _opt(data, "need_from", int, "push_response")
        if not results and need_from is None:
            raise ProtocolError("empty_answer", "push_response")
        return cls(epoch=_req(data, "epoch", str, "push_response"), results=results,
                   need_from=need_from,
                   server_time=_instant(data, "server_time", "push_response"))


# -- pull ---------------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Partition:
    """What a user may see, as a named slice: `own`, `team:<NIP>`, `unit:<id>`, `ref`."""

    kind: str
    key: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}" if self.key else self.kind

    @classmethod
    def parse(cls, text: str) -> Partition:
        kind, _, key = text.partition(":")
        if kind in ("own", "ref") and not key:
            return cls(kind)
        if kind == "team" and _NIP.match(key):
            return cls(kind, key)
        if kind == "unit" and re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", key):
            return cls(kind, key)
        raise ProtocolError("bad_partition", "partition")


@dataclass(frozen=True)
class Cursor:
    """How far a client has read a partition: the server's epoch and change sequence."""

    epoch: str
    seq: int

    def to_wire(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "seq": self.seq}

    @classmethod
    def from_wire(cls, data: Any, where: str = "cursor") -> Cursor:
        data = _object(data, where)
        seq = _req(data, "seq", int, where)
        if seq < 0:
            raise ProtocolError("bad_seq", where)
        return cls(_req(data, "epoch", str, where), seq)


MAX_PULL_BYTES = 4 * 1024 * 1024
MIN_PULL_BYTES = 4 * 1024


@dataclass(frozen=True)
class PullRequest:
    """Cursors per partition (None = from the start) and the page budget in bytes."""

    cursors: Mapping[Partition, Cursor | None]
    max_bytes: int = 256 * 1024
    sent_at: str | None = None  # as in PushRequest

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "max_bytes": self.max_bytes,
                                "cursors": {str(p): (c.to_wire() if c else None)
                                            for p, c in sorted(self.cursors.items())}}
        if self.sent_at is not None:
            wire["sent_at"] = self.sent_at
        return wire

    @classmethod
    def from_wire(cls, data: Any) -> PullRequest:
        data = _object(data, "pull")
        _check_version(data, "pull")
        max_bytes = _req(data, "max_bytes", int, "pull")
        if not MIN_PULL_BYTES <= max_bytes <= MAX_PULL_BYTES:
            raise ProtocolError("bad_budget", "pull.max_bytes")
        raw = _object(_req(data, "cursors", dict, "pull"), "pull.cursors")
        if not 1 <= len(raw) <= 1000:
            raise ProtocolError("bad_partitions", "pull.cursors")
        cursors = {Partition.parse(name): (None if value is None else
                                           Cursor.from_wire(value, f"pull.cursors[{name}]"))
                   for name, value in raw.items()}
        return cls(cursors=cursors, max_bytes=max_bytes, sent_at=_instant(data, "sent_at", "pull"))


@dataclass(frozen=True)
class PullResponse:
    """One page per requested partition, in the order asked."""

    epoch: str
    pages: tuple[PullPage, ...]
    server_time: str | None = None
    # `roles_stamp` of the partitions the caller may read now: a client whose stored roles
    # give another stamp asks /me again (so nobody without roles ever needs to).
    roles: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {"protocol": PROTOCOL_VERSION, "epoch": self.epoch,
                "pages": [p.to_wire() for p in self.pages], "server_time": self.server_time,
                "roles": self.roles}

    @classmethod
    def from_wire(cls, data: Any) -> PullResponse:
        data = _object(data, "pull_response")
        _check_version(data, "pull_response")
        pages = tuple(PullPage.from_wire(p, f"pages[{n}]")
                      for n, p in enumerate(_req(data, "pages", list, "pull_response")))
        return cls(epoch=_req(data, "epoch", str, "pull_response"), pages=pages,
                   server_time=_instant(data, "server_time", "pull_response"),
                   roles=_opt(data, "roles", str, "pull_response"))


@dataclass(frozen=True)
class Change:
    """One entity's state at a server sequence number (`data` None when deleted).

    `owner_nip` and `updated_at` are sent only in `team:`/`unit:` pages, where the reader
    needs to know whose record it is and when it last changed (absent: an older server).
    """

    server_seq: int
    entity_kind: str
    entity_id: str
    version: int
    data: Mapping[str, Any] | None
    owner_nip: str | None = None
    updated_at: str | None = None

    def to_wire(self) -> dict[str, Any]:
        out = {"server_seq": self.server_seq, "entity_kind": self.entity_kind,
               "entity_id": self.entity_id, "version": self.version,
               "data": None if self.data is None else dict(self.data)}
        if self.owner_nip is not None:
            out["owner_nip"] = self.owner_nip
        if self.updated_at is not None:
            out["updated_at"] = self.updated_at
        return out

    @classmethod
    def from_wire(cls, data: Any, where: str = "change") -> Change:
        data = _object(data, where)
        kind = _req(data, "entity_kind", str, where)
        if kind not in ENTITY_KINDS | {"person", "org_unit", "period", "holiday"}:
            raise ProtocolError("unknown_entity", f"{where}.entity_kind")
        owner = _opt(data, "owner_nip", str, where)
        if owner is not None and not _NIP.match(owner):
            raise ProtocolError("bad_nip", f"{where}.owner_nip")
        return cls(server_seq=_req(data, "server_seq", int, where), entity_kind=kind,
                   entity_id=_req(data, "entity_id", str, where),
                   version=_req(data, "version", int, where),
                   data=_opt(data, "data", dict, where), owner_nip=owner,
                   updated_at=_opt(data, "updated_at", str, where))


@dataclass(frozen=True)
class PullPage:
    """A bounded page of one partition; the client applies it and its cursor in one tx."""

    partition: Partition
    changes: tuple[Change, ...]
    cursor: Cursor
    checksum: str
    more: bool
    # Set when the server could not continue from the client's cursor (the server was
    # restored from a backup): the position it restarted from. The client then pushes again
    # what was acked after that position and pulls on from there.
    rebased_from: int | None = None

    def to_wire(self) -> dict[str, Any]:
        wire = {"partition": str(self.partition), "changes": [c.to_wire() for c in self.changes],
                "cursor": self.cursor.to_wire(), "checksum": self.checksum, "more": self.more}
        if self.rebased_from is not None:
            wire["rebased_from"] = self.rebased_from
        return wire

    @classmethod
    def from_wire(cls, data: Any, where: str = "page") -> PullPage:
        data = _object(data, where)
        changes = tuple(Change.from_wire(c, f"{where}.changes[{n}]")
                        for n, c in enumerate(_req(data, "changes", list, where)))
        seqs = [c.server_seq for c in changes]
        if seqs != sorted(set(seqs)):
            raise ProtocolError("unordered_changes", where)
        checksum = _req(data, "checksum", str, where)
        if not re.fullmatch(r"[0-9a-f]{16}", checksum):
            raise ProtocolError("bad_checksum", f"{where}.checksum")
        return cls(partition=Partition.parse(_req(data, "partition", str, where)),
                   changes=changes, cursor=Cursor.from_wire(_req(data, "cursor", dict, where)),
                   checksum=checksum, more=_req(data, "more", bool, where),
                   rebased_from=_rebased(data, where))


def _rebased(data: dict[str, Any], where: str) -> int | None:
    value = data.get("rebased_from")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProtocolError("bad_rebased_from", f"{where}.rebased_from")
    return value
