"""HR/admin routes for the holiday calendar (libur nasional, cuti bersama) on the server.

A year is imported whole, in the format of `resources/calendars/libur-YYYY.json`: it replaces
that year's days (days missing from the file are removed, so a moved holiday moves). Single
days can be added or removed. Same rights as `reference_routes`: anyone logged in reads; an
admin or an HR officer writes; everything audited. Clients get the days in the `ref`
partition and count working days with them for every year the server has days for.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from asndesk.domain.calendar import parse_calendar_json
from asndesk.errors import ValidationError
from sync.server import reference_store
from sync.server.deps import ApiError, CallerDep, SafeStr, engine_of
from sync.server.reference_routes import RefCtx, invalid

router = APIRouter(prefix="/ref", tags=["reference"])
_WRITE: dict[int | str, dict[str, Any]] = {401: {}, 403: {}, 404: {}, 409: {}, 422: {}}
MAX_DAYS_PER_YEAR = 100


class HolidayBody(BaseModel):
    tanggal: date
    nama: SafeStr = Field(min_length=1, max_length=200)
    jenis: Literal["libur_nasional", "cuti_bersama"]


class HolidayOut(BaseModel):
    tanggal: str
    tahun: int
    nama: str
    jenis: str


class ImportReport(BaseModel):
    tahun: int
    added: int
    updated: int
    removed: int
    total: int


def _no_nul(value: Any) -> bool:
    """True when no text inside `value` holds NUL (PostgreSQL cannot store it; S-25)."""
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, dict):
        return all(_no_nul(k) and _no_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_no_nul(v) for v in value)
    return True


def _out(item: dict[str, Any]) -> HolidayOut:
    return HolidayOut(tanggal=item["tanggal"], tahun=item["tahun"], nama=item["nama"],
                      jenis=item["jenis"])


@router.get("/holidays", responses={401: {}, 422: {}})
def list_holidays(request: Request, who: CallerDep,
                  tahun: Annotated[int, Query(ge=2000, le=2100)]) -> list[HolidayOut]:
    """The days the server holds for a year (empty: clients use the shipped calendar)."""
    with engine_of(request).connect() as conn:
        return [_out(h) for h in reference_store.holidays(conn, tahun)]


@router.put("/holidays/{tahun}", responses=_WRITE)
def import_year(tahun: Annotated[int, Path(ge=2000, le=2100)], body: dict[str, Any],
                request: Request, who: CallerDep) -> ImportReport:
    """Replace a year's days with a calendar file's (`tahun` must match the path)."""
    ctx = RefCtx(request, who)
    ctx.require_writer("ref.holiday.import", str(tahun))
    if not _no_nul(body):
        raise ApiError(422, "invalid_request")
    try:
        calendar = parse_calendar_json(body)
    except ValidationError as err:
        raise invalid(err) from None
    if calendar.years() not in ((tahun,), ()) or body.get("tahun") != tahun:
        raise ApiError(422, "wrong_year", field="tahun")
    if len(calendar) > MAX_DAYS_PER_YEAR:
        raise ApiError(422, "too_many", field="hari")
    wanted = {h.tanggal.isoformat(): {"tanggal": h.tanggal.isoformat(), "tahun": tahun,
                                      "nama": h.nama, "jenis": str(h.jenis)}
              for h in calendar}
    added = updated = removed = 0
    with ctx.engine.begin() as conn:
        reference_store.lock(conn)
        present = {h["tanggal"] for h in reference_store.holidays(conn, tahun)}
        for day, data in wanted.items():
            if reference_store.put(conn, "holiday", day, data, ctx.now):
                added += day not in present
                updated += day in present
        for day in sorted(present - set(wanted)):
            removed += reference_store.remove(conn, "holiday", day, ctx.now)
        ctx.audit(conn, "ref.holiday.import", str(tahun))
    return ImportReport(tahun=tahun, added=added, updated=updated, removed=removed,
                        total=len(wanted))


@router.post("/holidays", responses=_WRITE)
def add_holiday(body: HolidayBody, request: Request, who: CallerDep) -> HolidayOut:
    """One more day (e.g. a cuti bersama announced late); 409 `exists` if the date has one."""
    ctx = RefCtx(request, who)
    day = body.tanggal.isoformat()
    ctx.require_writer("ref.holiday.add", day)
    if not 2000 <= body.tanggal.year <= 2100:
        raise ApiError(422, "out_of_range", field="tanggal")
    data = {"tanggal": day, "tahun": body.tanggal.year, "nama": body.nama.strip(),
            "jenis": body.jenis}
    if not data["nama"]:
        raise ApiError(422, "missing", field="nama")
    with ctx.engine.begin() as conn:
        reference_store.lock(conn)
        if reference_store.get(conn, "holiday", day) is not None:
            raise ApiError(409, "exists")
        reference_store.put(conn, "holiday", day, data, ctx.now)
        ctx.audit(conn, "ref.holiday.add", day)
    return _out(data)


@router.delete("/holidays/{tanggal}", responses=_WRITE)
def remove_holiday(tanggal: Annotated[date, Path()], request: Request,
                   who: CallerDep) -> HolidayOut:
    """Remove one day (404 if the server holds none on that date)."""
    ctx = RefCtx(request, who)
    day = tanggal.isoformat()
    ctx.require_writer("ref.holiday.remove", day)
    with ctx.engine.begin() as conn:
        reference_store.lock(conn)
        current = reference_store.get(conn, "holiday", day)
        if current is not None:
            reference_store.remove(conn, "holiday", day, ctx.now)
            ctx.audit(conn, "ref.holiday.remove", day)
    if current is None:
        raise ApiError(404, "not_found")
    return _out(current)
