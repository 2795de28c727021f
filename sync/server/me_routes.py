"""`GET /me`: who the caller is and what they may read — their subordinates and HR units.

The client turns this into the partitions it pulls (`team:<NIP>`, `unit:<id>`) and the names
its team and unit views show. It only reads what `pull_service.owners_of` would allow anyway.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import Connection, func, or_, select

from sync.server.deps import CallerDep, clock_of, engine_of
from sync.server.schema import device, hr_assignment, op_result, org_unit, person, supervisor_link

router = APIRouter()


class Subordinate(BaseModel):
    nip: str
    nama: str
    jabatan: str | None
    unit_id: str | None
    link_id: str
    berlaku_mulai: str
    berlaku_sampai: str | None
    atasan_penilai_nip: str | None
    last_seen_at: str | None = None  # the person's latest contact (as for HR's members)
    jenjang: str | None = None       # Jabatan Fungsional level, for the angka kredit shown


class Member(BaseModel):
    nip: str
    nama: str
    jabatan: str | None
    last_seen_at: str | None    # the person's latest login, refresh or push from any device
    penilai_nip: str | None = None   # the pejabat penilai in force today, if any
    penilai_nama: str | None = None


class HrUnit(BaseModel):
    id: str
    nama: str
    members: list[Member]


class MeOut(BaseModel):
    nip: str | None
    nama: str
    jabatan: str | None
    unit_id: str | None
    is_admin: bool
    subordinates: list[Subordinate]
    hr_units: list[HrUnit]
    server_time: str


def _subordinates(conn: Connection, person_id: str, today: str) -> list[Subordinate]:
    """Everyone whose supervisor link in force today names the caller as pejabat penilai."""
    atasan = person.alias("atasan")
    rows = conn.execute(
        select(person.c.id, person.c.nip, person.c.nama, person.c.jabatan, person.c.unit_id,
               person.c.jenjang,
               supervisor_link.c.id.label("link_id"), supervisor_link.c.berlaku_mulai,
               supervisor_link.c.berlaku_sampai, atasan.c.nip.label("atasan_nip"))
        .join(supervisor_link, supervisor_link.c.pegawai_id == person.c.id)
        .outerjoin(atasan, atasan.c.id == supervisor_link.c.atasan_penilai_id)
        .where(supervisor_link.c.penilai_id == person_id, person.c.nip.is_not(None),
               supervisor_link.c.berlaku_mulai <= today,
               or_(supervisor_link.c.berlaku_sampai.is_(None),
                   supervisor_link.c.berlaku_sampai >= today))
        .order_by(person.c.nama, person.c.nip)).all()
    seen: set[str] = set()
    last_seen = _last_seen(conn, list({r.id for r in rows}))
    out = []
    for r in rows:
        if r.nip in seen:  # two overlapping links to the same person: one entry
            continue
        seen.add(r.nip)
        out.append(Subordinate(nip=r.nip, nama=r.nama, jabatan=r.jabatan, unit_id=r.unit_id,
                               link_id=r.link_id, berlaku_mulai=r.berlaku_mulai,
                               berlaku_sampai=r.berlaku_sampai,
                               atasan_penilai_nip=r.atasan_nip,
                               last_seen_at=last_seen.get(r.id), jenjang=r.jenjang))
    return out


def _last_seen(conn: Connection, person_ids: list[str]) -> dict[str, str]:
    """Latest contact per person: a device login/refresh or a stored push answer."""
    found: dict[str, str] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start:start + 500]
        for query in (
            select(device.c.person_id, func.max(device.c.last_seen_at))
            .where(device.c.person_id.in_(chunk)).group_by(device.c.person_id),
            select(device.c.person_id, func.max(op_result.c.created_at))
            .join(op_result, op_result.c.device_id == device.c.id)
            .where(device.c.person_id.in_(chunk)).group_by(device.c.person_id),
        ):
            for who, when in conn.execute(query):
                if when is not None and when > found.get(who, ""):
                    found[who] = when
    return found


def _penilai(conn: Connection, person_ids: list[str], today: str) -> dict[str, tuple[str, str]]:
    """Each person's pejabat penilai in force on `today` (NIP, name); non-ASN ones have none."""
    penilai = person.alias("penilai")
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(person_ids), 500):
        rows = conn.execute(
            select(supervisor_link.c.pegawai_id, penilai.c.nip, penilai.c.nama)
            .join(penilai, penilai.c.id == supervisor_link.c.penilai_id)
            .where(supervisor_link.c.pegawai_id.in_(person_ids[start:start + 500]),
                   penilai.c.nip.is_not(None), supervisor_link.c.berlaku_mulai <= today,
                   or_(supervisor_link.c.berlaku_sampai.is_(None),
                       supervisor_link.c.berlaku_sampai >= today))
            .order_by(supervisor_link.c.berlaku_mulai))
        for r in rows:
            found[r.pegawai_id] = (r.nip, r.nama)   # the latest link wins
    return found


def _hr_units(conn: Connection, person_id: str, today: str) -> list[HrUnit]:
    units = conn.execute(
        select(org_unit.c.id, org_unit.c.nama)
        .join(hr_assignment, hr_assignment.c.unit_id == org_unit.c.id)
        .where(hr_assignment.c.person_id == person_id).order_by(org_unit.c.id)).all()
    out = []
    for unit in units:
        people = conn.execute(
            select(person.c.id, person.c.nip, person.c.nama, person.c.jabatan)
            .where(person.c.unit_id == unit.id, person.c.nip.is_not(None))
            .order_by(person.c.nama, person.c.nip)).all()
        seen = _last_seen(conn, [p.id for p in people])
        penilai = _penilai(conn, [p.id for p in people], today)
        out.append(HrUnit(id=unit.id, nama=unit.nama, members=[
            Member(nip=p.nip, nama=p.nama, jabatan=p.jabatan, last_seen_at=seen.get(p.id),
                   penilai_nip=penilai.get(p.id, (None, None))[0],
                   penilai_nama=penilai.get(p.id, (None, None))[1])
            for p in people]))
    return out


@router.get("/me", responses={401: {}})
def me(request: Request, who: CallerDep) -> MeOut:
    """The caller's identity, current subordinates (as pejabat penilai) and HR units."""
    now = clock_of(request)()
    # The same day boundary as the pull partitions and decisions (UTC), so a listed
    # subordinate's partition is never refused for a date difference.
    today = datetime.fromtimestamp(now, UTC).date().isoformat()
    with engine_of(request).connect() as conn:
        row: Any = conn.execute(select(person.c.nip, person.c.nama, person.c.jabatan)
                                .where(person.c.id == who.person_id)).one()
        return MeOut(nip=row.nip, nama=row.nama, jabatan=row.jabatan, unit_id=who.unit_id,
                     is_admin=who.is_admin,
                     subordinates=_subordinates(conn, who.person_id, today),
                     hr_units=_hr_units(conn, who.person_id, today),
                     server_time=datetime.fromtimestamp(now, UTC).isoformat())
