"""Health, and the devices of a person: list one's own, revoke one (self, unit HR, admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, select, text, update

from sync.protocol import PROTOCOL_VERSION
from sync.server import accounts, roster
from sync.server.deps import (
    ApiError,
    Caller,
    CallerDep,
    SafeStr,
    address,
    clock_of,
    engine_of,
    request_id,
)
from sync.server.schema import device, hr_assignment, person, refresh_token

router = APIRouter()


class DeviceInfo(BaseModel):
    id: str
    name: str | None
    created_at: str
    last_seen_at: str | None
    revoked_at: str | None
    clock_offset_s: int | None = None  # its clock minus the server's at the last sync
    final_push_until: str | None = None  # revoked, may still push its queue until then
    final_push_done_at: str | None = None


class RevokeRequest(BaseModel):
    """`final_push`: the device may send its queue once before it wipes (a retired laptop);
    false by default, because a stolen one must not push."""

    model_config = ConfigDict(extra="forbid")
    final_push: bool = False


def _info(row: Any) -> DeviceInfo:
    return DeviceInfo(id=row.id, name=row.name, created_at=row.created_at,
                      last_seen_at=row.last_seen_at, revoked_at=row.revoked_at,
                      clock_offset_s=row.clock_offset_s, final_push_until=row.final_push_until,
                      final_push_done_at=row.final_push_done_at)


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """For monitoring: answers only when the database does."""
    with engine_of(request).connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok", "protocol": PROTOCOL_VERSION}


@router.get("/devices", responses={401: {}})
def my_devices(request: Request, who: CallerDep) -> list[DeviceInfo]:
    with engine_of(request).connect() as conn:
        rows = conn.execute(select(device).where(device.c.person_id == who.person_id)
                            .order_by(device.c.created_at))
        return [_info(r) for r in rows]


class ManagedDevice(DeviceInfo):
    """A device of someone the caller manages, with whose it is."""

    person_nip: str | None
    person_nama: str
    unit_id: str | None


@router.get("/admin/devices", responses={401: {}, 403: {}})
def managed_devices(request: Request, who: CallerDep,
                    unit_id: Annotated[SafeStr | None, Query(max_length=64)] = None
                    ) -> list[ManagedDevice]:
    """Devices of the people an HR officer may manage (those of its units, as for revoking)
    or, for an admin, of everyone; `unit_id` narrows to one unit. Own devices: `/devices`."""
    with engine_of(request).connect() as conn:
        me = conn.execute(select(person).where(person.c.id == who.person_id)).one()
        hr_units = accounts.roles_of(conn, me)["pengelola_unit"]
        if not who.is_admin and not hr_units:
            raise ApiError(403, "forbidden")
        query = (select(device, person.c.nip, person.c.nama, person.c.unit_id,
                        person.c.is_admin)
                 .join(person, person.c.id == device.c.person_id)
                 .order_by(person.c.nama, device.c.created_at))
        if unit_id is not None:
            query = query.where(person.c.unit_id == unit_id)
        if not who.is_admin:
            query = query.where(person.c.unit_id.in_(hr_units))
        rows = conn.execute(query).all()
        hr_of: dict[str, list[str]] = {}
        for pid, unit in conn.execute(select(hr_assignment.c.person_id, hr_assignment.c.unit_id)
                                      .where(hr_assignment.c.person_id.in_(
                                          {r.person_id for r in rows}))):
            hr_of.setdefault(pid, []).append(unit)
        allowed = None if who.is_admin else hr_units
        return [ManagedDevice(**_info(r).model_dump(), person_nip=r.nip, person_nama=r.nama,
                              unit_id=r.unit_id)
                for r in rows if roster.may_manage(r, allowed, hr_of.get(r.person_id, []))]


def _may_revoke(conn: Connection, who: Caller, target: Any, hr_units: list[str]) -> bool:
    """The device's person, an admin, or HR that may manage the person: never an admin nor
    an HR officer with units beyond its own, as for disabling the account (S-13)."""
    if who.is_admin or target.person_id == who.person_id:
        return True
    target_hr_units = conn.execute(select(hr_assignment.c.unit_id).where(
        hr_assignment.c.person_id == target.person_id)).scalars().all()
    return bool(hr_units) and roster.may_manage(target, hr_units, target_hr_units)


@router.post("/devices/{device_id}/revoke", responses={401: {}, 404: {}})
def revoke(device_id: Annotated[SafeStr, Path(max_length=64)], request: Request,
           who: CallerDep, body: Annotated[RevokeRequest | None, Body()] = None) -> DeviceInfo:
    """Revoke a device: its next contact answers `device_revoked` and the client wipes,
    after a final push of its queue when `final_push` (within `FINAL_PUSH_WINDOW_S`).

    Who may revoke may choose `final_push` (S-13); revoking again changes nothing."""
    now = clock_of(request)()
    final_until = (accounts.iso(now + accounts.FINAL_PUSH_WINDOW_S)
                   if body is not None and body.final_push else None)
    with engine_of(request).begin() as conn:
        target = conn.execute(
            select(device, person.c.unit_id, person.c.is_admin)
            .join(person, person.c.id == device.c.person_id)
            .where(device.c.id == device_id)).first()
        me = conn.execute(select(person).where(person.c.id == who.person_id)).one()
        hr_units = accounts.roles_of(conn, me)["pengelola_unit"]
        allowed = target is not None and _may_revoke(conn, who, target, hr_units)
        if allowed and target is not None and target.revoked_at is None:
            conn.execute(update(device).where(device.c.id == device_id).values(
                revoked_at=accounts.iso(now), revoked_by=who.person_id,
                final_push_until=final_until))
            conn.execute(refresh_token.delete().where(refresh_token.c.device_id == device_id))
        accounts.audit(conn, now, actor=who.person_id,
                       action=("device.revoke.denied" if not allowed else
                               "device.revoke.final_push" if final_until else "device.revoke"),
                       target=device_id[:64], request_id=request_id(request),
                       address=address(request))
        row = conn.execute(select(device).where(device.c.id == device_id)).first()
    if not allowed or row is None:
        raise ApiError(404, "not_found")  # the same for "not yours" and "no such device"
    return _info(row)
