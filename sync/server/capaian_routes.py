"""`PUT /admin/units/{unit_id}/capaian/{tahun}`: the organisation predicate of a unit and year.

The pimpinan's capaian kinerja organisasi bounds how a unit's predikat may spread
(domain.md, pola distribusi). An admin, or an HR officer of that unit, records it; it travels
with the org unit in the `ref` partition, so supervisors see it offline when they rate.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel
from sqlalchemy import select, update

from asndesk.domain.ratings import CapaianOrganisasi
from sync.server import accounts, reference_store
from sync.server.deps import (
    ApiError,
    CallerDep,
    SafeStr,
    address,
    clock_of,
    engine_of,
    request_id,
)
from sync.server.schema import hr_assignment, org_unit

router = APIRouter(prefix="/admin", tags=["admin"])
UnitPath = Annotated[SafeStr, Path(min_length=1, max_length=64)]
YearPath = Annotated[int, Path(ge=2000, le=2100)]


class CapaianBody(BaseModel):
    capaian: str | None  # a CapaianOrganisasi value; null clears the year's predicate


class CapaianOut(BaseModel):
    unit_id: str
    tahun: int
    capaian: str | None
    by_year: dict[str, str]


@router.put("/units/{unit_id}/capaian/{tahun}", responses={401: {}, 403: {}, 404: {}, 422: {}})
def put_capaian(unit_id: UnitPath, tahun: YearPath, body: CapaianBody, request: Request,
                who: CallerDep) -> CapaianOut:
    """Set (or clear) a unit's capaian kinerja organisasi for one year."""
    value = body.capaian
    if value is not None and value not in {c.value for c in CapaianOrganisasi}:
        raise ApiError(422, "invalid", field="capaian")
    now = clock_of(request)()
    with engine_of(request).begin() as conn:
        unit = conn.execute(select(org_unit.c.id, org_unit.c.capaian)
                            .where(org_unit.c.id == unit_id)).first()
        allowed = who.is_admin or conn.execute(select(hr_assignment.c.unit_id).where(
            hr_assignment.c.person_id == who.person_id,
            hr_assignment.c.unit_id == unit_id)).first() is not None
        action = "units.capaian" if allowed and unit is not None else "units.capaian.denied"
        accounts.audit(conn, now, actor=who.person_id, action=action, target=unit_id,
                       request_id=request_id(request), address=address(request))
        if allowed and unit is not None:
            by_year = {str(k): str(v) for k, v in json.loads(unit.capaian or "{}").items()}
            if value is None:
                by_year.pop(str(tahun), None)
            else:
                by_year[str(tahun)] = value
            conn.execute(update(org_unit).where(org_unit.c.id == unit_id).values(
                capaian=json.dumps(by_year, sort_keys=True) if by_year else None))
            reference_store.publish_org_units(conn, [unit_id], now)
    if not allowed:
        raise ApiError(403, "forbidden")
    if unit is None:
        raise ApiError(404, "not_found")
    return CapaianOut(unit_id=unit_id, tahun=tahun, capaian=value, by_year=by_year)
