"""Server-side rules for the entities employees push: who owns what, what fields are allowed,
and the SKP state machine — the server is the authority, the client only proposes.

Field lists are allow-lists: anything else in a payload is refused, never stored.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, update

from asndesk.domain.activity import new_log_harian
from asndesk.domain.skp import (
    Aspek,
    Iki,
    JenisJabatan,
    JenisRhk,
    Pendekatan,
    Perspektif,
    Rhk,
    Skp,
    StatusSkp,
    perilaku_awal,
    validate_text,
)
from asndesk.errors import ValidationError
from asndesk.skm_usecases import MAKS_UNIT, validate_answers
from asndesk.store import skm_repo
from asndesk.store.outbox import SEEN
from sync.server.accounts import iso
from sync.server.schema import entity

# kind -> fields a client may set (create or edit_fields)
FIELDS: dict[str, frozenset[str]] = {
    "skp": frozenset({"id", "pegawai_nip", "tahun", "jenis_jabatan", "pendekatan", "status",
                      "jabatan", "unit_kerja"}),
    "rhk": frozenset({"id", "skp_id", "jenis", "urutan", "teks", "rhk_atasan", "perspektif"}),
    "iki": frozenset({"id", "rhk_id", "skp_id", "urutan", "aspek", "indikator", "target_nilai",
                      "target_satuan"}),
    "lampiran": frozenset({"id", "skp_id", "jenis", "urutan", "teks"}),
    "realisasi": frozenset({"id", "iki_id", "period_id", "nilai", "uraian"}),
    "log_harian": frozenset({"id", "tanggal", "jam_mulai", "jam_selesai", "kegiatan",
                             "output_jumlah", "output_satuan", "rhk_id"}),
    "service_type": frozenset({"id", "kode", "nama", "standar_hari_kerja"}),
    "service_log": frozenset({"id", "service_type_id", "diterima_pada", "diterima_tanggal",
                              "selesai_pada", "durasi_hari_kerja", "status", "hasil",
                              "kepuasan", "pengaduan", "pengaduan_selesai", "catatan"}),
    "pelatihan": frozenset({"id", "nama", "penyelenggara", "tanggal_mulai", "tanggal_selesai",
                            "jp"}),
    # A paper survey form typed in by whoever serves at the unit; owned by that person.
    "skm_response": frozenset(skm_repo.COLUMNS),
}
SKP_CHILDREN = frozenset({"rhk", "iki", "lampiran", "realisasi"})
# Fields set only through workflow ops (submit, withdraw, approve…), never edit_fields.
WORKFLOW_FIELDS = frozenset({"status", "pegawai_nip", "id"})
MAX_TEXT = 4000


class Refusal(Exception):
    """An op the server will not apply: reason code, message id and parameters."""

    def __init__(self, reason: str, message_id: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason, self.message_id, self.params = reason, message_id, params


def check_fields(kind: str, payload: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Only allow-listed fields with scalar values; text bounded."""
    allowed = FIELDS.get(kind)
    if allowed is None:
        raise Refusal("E_UNSUPPORTED", "unsupported_entity", kind=kind)
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise Refusal("E_INVALID", "unknown_field", field=unknown[0])
    if not creating:
        locked = sorted(set(payload) & WORKFLOW_FIELDS)
        if locked:
            raise Refusal("E_FORBIDDEN", "workflow_field", field=locked[0])
    for name, value in payload.items():
        if not (value is None or isinstance(value, str | int | float)):
            raise Refusal("E_INVALID", "bad_type", field=name)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise Refusal("E_INVALID", "too_long", field=name)
    return payload


def split_seen(kind: str, payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """An edit's fields, and the values the device had before it (`SEEN`, optional; checked
    like the fields)."""
    fields = {k: v for k, v in payload.items() if k != SEEN}
    seen = payload.get(SEEN, {})
    if not isinstance(seen, dict):
        raise Refusal("E_INVALID", "bad_type", field=SEEN)
    return fields, check_fields(kind, dict(seen), creating=False)


def validate_content(kind: str, data: dict[str, Any]) -> None:
    """The domain rules the server re-checks on the merged state of an entity."""
    try:
        if kind == "log_harian":
            # The future-date rule is the device's business: clocks may be days off.
            fields: dict[str, Any] = {k: data.get(k) for k in FIELDS["log_harian"]}
            new_log_harian(**fields, hari_ini=date(9999, 12, 30))
        elif kind == "skm_response":
            _check_skm(data)
        elif kind == "skp":
            JenisJabatan(data["jenis_jabatan"])
            Pendekatan(data["pendekatan"])
            if not 2000 <= int(data["tahun"]) <= 2100:
                raise Refusal("E_INVALID", "out_of_range", field="tahun")
    except ValidationError as err:
        raise Refusal("E_INVALID", err.message_id, field=err.field, code=err.code) from None
    except (KeyError, ValueError, TypeError):
        raise Refusal("E_INVALID", "bad_value", kind=kind) from None


def _check_skm(data: dict[str, Any]) -> None:
    """A survey form: a unit, an ISO date, answers 1–4 as numbers (at least one)."""
    validate_text("unit_layanan", data.get("unit_layanan"), MAKS_UNIT)
    date.fromisoformat(str(data["tanggal"]))
    answers = {c: data.get(c) for c in skm_repo.ANSWER_COLUMNS}
    for column, value in answers.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise Refusal("E_INVALID", "bad_type", field=column)
    validate_answers(answers)


def load(conn: Connection, kind: str, entity_id: str) -> Any:
    return conn.execute(select(entity).where(entity.c.kind == kind, entity.c.id == entity_id)
                        ).first()


def data_of(row: Any) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(row.data)
    return value


def skp_of(conn: Connection, kind: str, payload: dict[str, Any], row: Any) -> Any:
    """The SKP entity an SKP child belongs to (from the stored row or the create payload)."""
    if row is not None and row.parent_id:
        skp_id = row.parent_id
    elif kind == "realisasi":
        iki = load(conn, "iki", str(payload.get("iki_id")))
        if iki is None or iki.deleted:
            raise Refusal("E_NOT_FOUND", "parent_missing", kind="iki")
        skp_id = iki.parent_id
    else:
        skp_id = str(payload.get("skp_id"))
    skp = load(conn, "skp", skp_id)
    if skp is None or skp.deleted:
        raise Refusal("E_NOT_FOUND", "parent_missing", kind="skp")
    return skp


def require_editable_plan(skp_row: Any, kind: str) -> None:
    """RHK, IKI and lampiran change only in Draft/Dikembalikan; realisasi any time after."""
    status = data_of(skp_row)["status"]
    if kind != "realisasi" and status not in (StatusSkp.DRAFT, StatusSkp.DIKEMBALIKAN):
        raise Refusal("E_INVALID_STATE", "skp_not_editable", status=status)


def build_skp(conn: Connection, skp_row: Any) -> Skp:
    """The domain SKP from the server's entities, for the submit check."""
    head = data_of(skp_row)
    children = conn.execute(select(entity).where(entity.c.parent_id == skp_row.id,
                                                 entity.c.deleted.is_(False))).all()
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for child in children:
        by_kind.setdefault(child.kind, []).append(data_of(child))
    iki_of: dict[str, list[Iki]] = {}
    for d in sorted(by_kind.get("iki", []), key=lambda d: d.get("urutan") or 0):
        iki_of.setdefault(d["rhk_id"], []).append(Iki(
            id=d["id"], indikator=d.get("indikator") or "",
            target_nilai=Decimal(str(d.get("target_nilai") or 0)),
            target_satuan=d.get("target_satuan") or "",
            aspek=Aspek(d["aspek"]) if d.get("aspek") else None, urutan=d.get("urutan") or 0))
    rhk = tuple(
        Rhk(id=d["id"], jenis=JenisRhk(d["jenis"]), teks=d.get("teks") or "",
            iki=tuple(iki_of.get(d["id"], ())), rhk_atasan=d.get("rhk_atasan"),
            perspektif=Perspektif(d["perspektif"]) if d.get("perspektif") else None,
            urutan=d.get("urutan") or 0)
        for d in sorted(by_kind.get("rhk", []), key=lambda d: d.get("urutan") or 0))
    return Skp(id=skp_row.id, nip_pegawai=head["pegawai_nip"], tahun=int(head["tahun"]),
               jenis_jabatan=JenisJabatan(head["jenis_jabatan"]),
               pendekatan=Pendekatan(head["pendekatan"]), status=StatusSkp(head["status"]),
               rhk=rhk, perilaku=perilaku_awal(), version=skp_row.version)


def save(conn: Connection, row: Any, data: dict[str, Any], versions: dict[str, int], *,
         version: int, now: float) -> None:
    """Store an entity's new state and field versions at `version`."""
    conn.execute(update(entity).where(entity.c.kind == row.kind, entity.c.id == row.id).values(
        data=json.dumps(data, sort_keys=True), field_versions=json.dumps(versions),
        version=version, updated_at=iso(now)))
