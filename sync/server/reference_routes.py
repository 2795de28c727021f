"""HR/admin routes for reference data: periods (and their closing) and service types.

Who may do what: everyone logged in reads; an admin or any HR officer (pengelola kepegawaian,
`hr_assignment`) writes. Reference data is agency-wide — one period calendar, one service
list per server — and domain.md gives HR "periods and deadlines"; a per-unit split would let
two units disagree on when a period closes. Every write and every refusal is audited. Errors
are `{"error": code}` plus the `field` for validation problems. Holidays: `calendar_routes`.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection, select

from asndesk.domain.activity import new_jenis_layanan
from asndesk.domain.periods import Periode, buat_periode
from asndesk.errors import ValidationError
from sync.server import accounts, reference_store
from sync.server.deps import ApiError, Caller, CallerDep, SafeStr, address, clock_of, engine_of
from sync.server.deps import request_id as request_id_of
from sync.server.schema import hr_assignment

router = APIRouter(prefix="/ref", tags=["reference"])

Jenis = Literal["bulanan", "triwulan", "semester", "tahunan"]
Tahun = Annotated[int, Field(ge=2000, le=2100)]
PeriodPath = Annotated[SafeStr, Path(min_length=1, max_length=32)]
TypePath = Annotated[SafeStr, Path(min_length=1, max_length=64)]
_NOMOR_MAKS = {"bulanan": 12, "triwulan": 4, "semester": 2, "tahunan": 1}
_WRITE: dict[int | str, dict[str, Any]] = {401: {}, 403: {}, 404: {}, 409: {}, 422: {}}


class RefCtx:
    """One request's caller, clock and audit details, and the writer check."""

    def __init__(self, request: Request, who: Caller) -> None:
        self.who, self.now, self.engine = who, clock_of(request)(), engine_of(request)
        self.request_id, self.address = request_id_of(request), address(request)

    def audit(self, conn: Connection, action: str, target: str | None) -> None:
        accounts.audit(conn, self.now, actor=self.who.person_id, action=action,
                       target=target[:64] if target else None, request_id=self.request_id,
                       address=self.address)

    def require_writer(self, action: str, target: str | None) -> None:
        """Admins and HR officers only; a refusal is audited in its own transaction."""
        if self.who.is_admin:
            return
        with self.engine.begin() as conn:
            is_hr = conn.execute(select(hr_assignment.c.unit_id).where(
                hr_assignment.c.person_id == self.who.person_id)).first() is not None
            if not is_hr:
                self.audit(conn, f"{action}.denied", target)
        if not is_hr:
            raise ApiError(403, "forbidden")


def invalid(err: ValidationError) -> ApiError:
    return ApiError(422, err.code, field=err.field)


# --- Periods ------------------------------------------------------------------------------

class PeriodBody(BaseModel):
    tahun: Tahun
    jenis: Jenis
    nomor: int = Field(ge=1, le=12)
    mulai: date
    selesai: date
    batas_pengisian: date


class PeriodPatch(BaseModel):
    mulai: date | None = None
    selesai: date | None = None
    batas_pengisian: date | None = None


class GenerateBody(BaseModel):
    tahun: Tahun
    pola: Literal["bulanan", "triwulanan", "semesteran"]
    batas_hari_kerja: int = Field(default=5, ge=0, le=60)


class PeriodOut(BaseModel):
    id: str
    tahun: int
    jenis: str
    nomor: int
    mulai: str
    selesai: str
    batas_pengisian: str
    status: str
    version: int


def period_id(tahun: int, jenis: str, nomor: int) -> str:
    """The same deterministic ids as `asndesk.domain.periods` ("2026-TW2", "2026-TH" …), so a
    client's local default periods are replaced by HR's, not duplicated."""
    suffix = {"bulanan": f"{nomor:02d}", "triwulan": f"TW{nomor}", "semester": f"S{nomor}",
              "tahunan": "TH"}[jenis]
    return f"{tahun}-{suffix}"


def _check_period(data: dict[str, Any]) -> None:
    mulai, selesai = date.fromisoformat(data["mulai"]), date.fromisoformat(data["selesai"])
    if data["nomor"] > _NOMOR_MAKS[data["jenis"]]:
        raise ApiError(422, "out_of_range", field="nomor")
    if mulai.year != data["tahun"] or selesai.year != data["tahun"]:
        raise ApiError(422, "wrong_year", field="mulai" if mulai.year != data["tahun"]
                       else "selesai")
    if selesai < mulai:
        raise ApiError(422, "end_before_start", field="selesai")
    if data["batas_pengisian"] < data["selesai"]:
        raise ApiError(422, "deadline_before_end", field="batas_pengisian")


def _period_data(p: Periode) -> dict[str, Any]:
    return {"id": p.id, "tahun": p.tahun, "jenis": str(p.jenis), "nomor": p.nomor,
            "mulai": p.mulai.isoformat(), "selesai": p.selesai.isoformat(),
            "batas_pengisian": p.batas_pengisian.isoformat(), "status": "terbuka"}


def _periods(conn: Connection, tahun: int) -> list[PeriodOut]:
    found = [PeriodOut(**p) for p in reference_store.live(conn, "period") if p["tahun"] == tahun]
    return sorted(found, key=lambda p: (p.jenis == "tahunan", p.mulai, p.id))


def _data(out: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in out.items() if k != "version"}


@router.get("/periods", responses={401: {}, 422: {}})
def list_periods(who: CallerDep, request: Request,
                 tahun: Annotated[int, Query(ge=2000, le=2100)]) -> list[PeriodOut]:
    """The year's periods, in order, the annual one last (anyone logged in)."""
    with engine_of(request).connect() as conn:
        return _periods(conn, tahun)


@router.post("/periods", responses=_WRITE)
def create_period(body: PeriodBody, request: Request, who: CallerDep) -> PeriodOut:
    """One period; its id follows from (tahun, jenis, nomor) — 409 `exists` if taken."""
    ctx = RefCtx(request, who)
    pid = period_id(body.tahun, body.jenis, min(body.nomor, _NOMOR_MAKS[body.jenis]))
    ctx.require_writer("ref.period.create", pid)
    data = {"id": pid, **body.model_dump(mode="json"), "status": "terbuka"}
    _check_period(data)
    with ctx.engine.begin() as conn:
        reference_store.lock(conn)
        if reference_store.get(conn, "period", pid) is not None:
            raise ApiError(409, "exists")
        others = {p.jenis for p in _periods(conn, body.tahun)} - {"tahunan", body.jenis}
        if others and body.jenis != "tahunan":
            raise ApiError(409, "other_pattern")  # one pattern a year: a day has one period
        reference_store.put(conn, "period", pid, data, ctx.now)
        ctx.audit(conn, "ref.period.create", pid)
        out = reference_store.get(conn, "period", pid)
    return PeriodOut(**(out or {}))


@router.post("/periods/generate", responses=_WRITE)
def generate_periods(body: GenerateBody, request: Request, who: CallerDep) -> list[PeriodOut]:
    """A year's periods from a pattern, plus the annual one; existing periods are kept as they
    are (409 `other_pattern` if the year already has periods of another pattern)."""
    ctx = RefCtx(request, who)
    ctx.require_writer("ref.period.generate", str(body.tahun))
    with ctx.engine.begin() as conn:
        reference_store.lock(conn)
        planned = buat_periode(body.tahun, body.pola, reference_store.calendar(conn),
                               body.batas_hari_kerja)
        kinds = {p.jenis for p in _periods(conn, body.tahun)} - {"tahunan"}
        if kinds - {str(planned[0].jenis)}:
            raise ApiError(409, "other_pattern")
        for p in planned:
            if reference_store.get(conn, "period", p.id) is None:
                reference_store.put(conn, "period", p.id, _period_data(p), ctx.now)
        ctx.audit(conn, "ref.period.generate", str(body.tahun))
        return _periods(conn, body.tahun)


def _change_period(ctx: RefCtx, pid: str, action: str, changes: dict[str, Any]) -> PeriodOut:
    ctx.require_writer(action, pid)
    with ctx.engine.begin() as conn:
        reference_store.lock(conn)
        current = reference_store.get(conn, "period", pid)
        if current is None:
            raise ApiError(404, "not_found")
        data = {**_data(current), **changes}
        _check_period(data)
        if reference_store.put(conn, "period", pid, data, ctx.now):
            ctx.audit(conn, action, pid)
        out = reference_store.get(conn, "period", pid)
    return PeriodOut(**(out or {}))


@router.patch("/periods/{period_id}", responses=_WRITE)
def update_period(period_id: PeriodPath, body: PeriodPatch, request: Request,
                  who: CallerDep) -> PeriodOut:
    """Move a period's dates or its batas pengisian (the whole period is re-checked)."""
    changes = body.model_dump(mode="json", exclude_none=True)
    return _change_period(RefCtx(request, who), period_id, "ref.period.update", changes)


@router.post("/periods/{period_id}/close", responses=_WRITE)
def close_period(period_id: PeriodPath, request: Request, who: CallerDep) -> PeriodOut:
    """Close a period: from now on the server refuses realisasi, ratings and log harian in it
    (`E_PERIOD_CLOSED`, message `period_closed`). Closing a closed period changes nothing."""
    return _change_period(RefCtx(request, who), period_id, "ref.period.close",
                          {"status": "ditutup"})


@router.post("/periods/{period_id}/reopen", responses=_WRITE)
def reopen_period(period_id: PeriodPath, request: Request, who: CallerDep) -> PeriodOut:
    """Reopen a closed period (unlocks it)."""
    return _change_period(RefCtx(request, who), period_id, "ref.period.reopen",
                          {"status": "terbuka"})


# --- Service types ------------------------------------------------------------------------

class ServiceTypeBody(BaseModel):
    kode: SafeStr = Field(min_length=1, max_length=32)
    nama: SafeStr = Field(min_length=1, max_length=200)
    standar_hari_kerja: int = Field(ge=0, le=365)


class ServiceTypePatch(BaseModel):
    nama: SafeStr | None = Field(default=None, min_length=1, max_length=200)
    standar_hari_kerja: int | None = Field(default=None, ge=0, le=365)
    aktif: bool | None = None


class ServiceTypeOut(BaseModel):
    id: str
    kode: str
    nama: str
    standar_hari_kerja: int
    aktif: bool
    version: int


def _validated_type(item_id: str, kode: str, nama: str, standar: int) -> dict[str, Any]:
    try:
        jenis = new_jenis_layanan(id=item_id, kode=kode, nama=nama, standar_hari_kerja=standar)
    except ValidationError as err:
        raise invalid(err) from None
    return {"id": jenis.id, "kode": jenis.kode, "nama": jenis.nama,
            "standar_hari_kerja": jenis.standar_hari_kerja}


@router.get("/service-types", responses={401: {}, 422: {}})
def list_service_types(request: Request, who: CallerDep,
                       semua: Annotated[bool, Query()] = False) -> list[ServiceTypeOut]:
    """Active service types by kode (`semua=true`: deactivated ones too); anyone logged in."""
    with engine_of(request).connect() as conn:
        items = [ServiceTypeOut(**t) for t in reference_store.live(conn, "service_type")]
    return sorted((t for t in items if semua or t.aktif), key=lambda t: t.kode)


@router.post("/service-types", responses=_WRITE)
def create_service_type(body: ServiceTypeBody, request: Request,
                        who: CallerDep) -> ServiceTypeOut:
    """A service type with its standard time in working days; kode is unique (409)."""
    ctx = RefCtx(request, who)
    ctx.require_writer("ref.service_type.create", body.kode)
    item_id = str(uuid.uuid4())
    data = {**_validated_type(item_id, body.kode, body.nama, body.standar_hari_kerja),
            "aktif": True, "sumber": "server"}
    with ctx.engine.begin() as conn:
        reference_store.lock(conn)
        taken = {t["kode"].casefold() for t in reference_store.live(conn, "service_type")}
        if data["kode"].casefold() in taken:
            raise ApiError(409, "duplicate_kode")
        reference_store.put(conn, "service_type", item_id, data, ctx.now)
        ctx.audit(conn, "ref.service_type.create", item_id)
        out = reference_store.get(conn, "service_type", item_id)
    return ServiceTypeOut(**(out or {}))


def _change_type(ctx: RefCtx, item_id: str, action: str, changes: dict[str, Any]
                 ) -> ServiceTypeOut:
    ctx.require_writer(action, item_id)
    with ctx.engine.begin() as conn:
        reference_store.lock(conn)
        current = reference_store.get(conn, "service_type", item_id)
        if current is None:
            raise ApiError(404, "not_found")
        data = {**_data(current), **changes}
        data.update(_validated_type(item_id, data["kode"], data["nama"],
                                    data["standar_hari_kerja"]))
        if reference_store.put(conn, "service_type", item_id, data, ctx.now):
            ctx.audit(conn, action, item_id)
        out = reference_store.get(conn, "service_type", item_id)
    return ServiceTypeOut(**(out or {}))


@router.patch("/service-types/{type_id}", responses=_WRITE)
def update_service_type(type_id: TypePath, body: ServiceTypePatch, request: Request,
                        who: CallerDep) -> ServiceTypeOut:
    """Rename, change the standard, or (re)activate; the kode never changes (clients and
    service logs look types up by it)."""
    changes = body.model_dump(exclude_none=True)
    return _change_type(RefCtx(request, who), type_id, "ref.service_type.update", changes)


@router.post("/service-types/{type_id}/deactivate", responses=_WRITE)
def deactivate_service_type(type_id: TypePath, request: Request,
                            who: CallerDep) -> ServiceTypeOut:
    """No new service logs of this type; existing ones keep it (types are never deleted)."""
    return _change_type(RefCtx(request, who), type_id, "ref.service_type.deactivate",
                        {"aktif": False})
