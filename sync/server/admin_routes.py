"""HR and admin routes: roster import, people, accounts, org units, HR assignments.

Who may do what (security.md S-13/S-14):
- an admin: everything;
- an HR officer (pengelola kepegawaian, `hr_assignment`): people of their own units only —
  never an admin nor an HR officer with units beyond theirs (that would widen their rights);
- anyone else: nothing here.
A person outside the caller's reach answers 404, exactly like a person that does not exist, and
the refusal is audited. Bodies never include password hashes; errors are `{"error": code}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection, delete, select, update

from sync.server import accounts, reference_store, roster, security
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
from sync.server.schema import device, hr_assignment, org_unit, person, refresh_token

router = APIRouter(prefix="/admin", tags=["admin"])

UnitId = Annotated[SafeStr, Field(pattern=roster.UNIT_ID.pattern, max_length=64)]
PersonId = Annotated[SafeStr, Field(min_length=1, max_length=36)]
# Path parameters are text from the edge too: NUL (%00) is refused there (S-25).
PersonPath = Annotated[SafeStr, Path(min_length=1, max_length=64)]
UnitPath = Annotated[SafeStr, Path(min_length=1, max_length=64)]


class RosterBody(BaseModel):
    csv: SafeStr   # at most roster.MAX_BYTES (5 MB) and MAX_ROWS rows, else 413


class RowProblemOut(BaseModel):
    line: int
    field: str
    code: str


class RosterReport(BaseModel):
    rows: int
    created: int
    updated: int
    unchanged: int
    units_created: int
    links_opened: int
    links_closed: int
    errors: list[RowProblemOut]
    warnings: list[RowProblemOut]


class PersonOut(BaseModel):
    id: str
    nip: str | None
    jenis_asn: str
    nama: str
    gelar_depan: str | None
    gelar_belakang: str | None
    jabatan: str | None
    jenis_jabatan: str | None
    jenjang: str | None
    golongan: str | None
    unit_id: str | None
    disabled: bool
    can_log_in: bool
    penilai_id: str | None
    penilai_nip: str | None
    atasan_penilai_nip: str | None


class PasswordBody(BaseModel):
    password: SafeStr = Field(min_length=8, max_length=1024)


class UnitBody(BaseModel):
    id: UnitId
    kode: SafeStr | None = Field(default=None, max_length=64)
    nama: SafeStr = Field(min_length=1, max_length=200)
    induk_id: UnitId | None = None


class UnitOut(BaseModel):
    id: str
    kode: str | None
    nama: str
    induk_id: str | None


class HrBody(BaseModel):
    person_id: PersonId
    unit_id: UnitId


class HrOut(BaseModel):
    person_id: str
    unit_id: str


class _Ctx:
    """One request's caller, clock and audit details."""

    def __init__(self, request: Request, who: Caller) -> None:
        self.who, self.now, self.engine = who, clock_of(request)(), engine_of(request)
        self.request_id, self.address = request_id(request), address(request)

    def audit(self, conn: Connection, action: str, target: str | None) -> None:
        accounts.audit(conn, self.now, actor=self.who.person_id, action=action,
                       target=target[:64] if target else None, request_id=self.request_id,
                       address=self.address)

    def hr_units(self, conn: Connection) -> set[str]:
        return {u for (u,) in conn.execute(select(hr_assignment.c.unit_id)
                                           .where(hr_assignment.c.person_id
                                                  == self.who.person_id))}

    def scope(self, conn: Connection) -> set[str] | None:
        """None for an admin (every unit), else the caller's HR units (maybe none)."""
        return None if self.who.is_admin else self.hr_units(conn)


def _target_hr_units(conn: Connection, person_id: str) -> set[str]:
    return {u for (u,) in conn.execute(select(hr_assignment.c.unit_id)
                                       .where(hr_assignment.c.person_id == person_id))}


def _may_see(scope: set[str] | None, target: Any) -> bool:
    return scope is None or (target is not None and target.unit_id in scope)


def _may_manage(conn: Connection, scope: set[str] | None, target: Any) -> bool:
    return target is not None and roster.may_manage(target, scope,
                                                   _target_hr_units(conn, target.id))


def _person_out(conn: Connection, rows: list[Any], today: dt.date) -> list[PersonOut]:
    links = roster.current_links(conn, [r.id for r in rows], today)
    refs = sorted({i for link in links.values()
                   for i in (link.penilai_id, link.atasan_penilai_id) if i})
    nips: dict[str, str | None] = {}
    for start in range(0, len(refs), 500):
        query = select(person.c.id, person.c.nip).where(person.c.id.in_(refs[start:start + 500]))
        nips.update({r.id: r.nip for r in conn.execute(query)})
    out = []
    for r in rows:
        link = links.get(r.id)
        out.append(PersonOut(
            id=r.id, nip=r.nip, jenis_asn=r.jenis_asn, nama=r.nama, gelar_depan=r.gelar_depan,
            gelar_belakang=r.gelar_belakang, jabatan=r.jabatan, jenis_jabatan=r.jenis_jabatan,
            jenjang=r.jenjang, golongan=r.golongan, unit_id=r.unit_id,
            disabled=bool(r.disabled), can_log_in=r.password_hash is not None,
            penilai_id=link.penilai_id if link else None,
            penilai_nip=nips.get(link.penilai_id) if link and link.penilai_id else None,
            atasan_penilai_nip=(nips.get(link.atasan_penilai_id)
                                if link and link.atasan_penilai_id else None)))
    return out


def _today(now: float) -> dt.date:
    return roster.today_wib(now)


# --- Roster -------------------------------------------------------------------------------

def _roster_scope(ctx: _Ctx, action: str) -> set[str] | None:
    """None for an admin, else the HR officer's units; anyone else is refused (audited)."""
    with ctx.engine.begin() as conn:
        scope = ctx.scope(conn)
        if scope is not None and not scope:
            ctx.audit(conn, f"{action}.denied", None)
    # Raised after the transaction, so that the audit record is kept.
    if scope is not None and not scope:
        raise ApiError(403, "forbidden")
    return scope


def _report(report: roster.ImportReport) -> RosterReport:
    return RosterReport.model_validate(report.as_dict())


def _file_error(exc: roster.RosterFileError) -> ApiError:
    if exc.code in ("too_large", "too_many_rows"):
        return ApiError(413, exc.code)
    return ApiError(422, exc.code, field=exc.field)


@router.post("/roster/preview", responses={401: {}, 403: {}, 413: {}, 422: {}})
def roster_preview(body: RosterBody, request: Request, who: CallerDep) -> RosterReport:
    """What an import of this CSV would do, writing nothing (admin, or HR for its units)."""
    ctx = _Ctx(request, who)
    scope = _roster_scope(ctx, "roster.preview")
    with ctx.engine.begin() as conn:
        try:
            report = roster.preview_roster(body.csv, conn, ctx.now, allowed_units=scope)
        except roster.RosterFileError as exc:
            raise _file_error(exc) from None
    return _report(report)


@router.post("/roster/import", responses={401: {}, 403: {}, 413: {}, 422: {}})
def roster_import(body: RosterBody, request: Request, who: CallerDep) -> RosterReport:
    """Import the good rows; bad rows (and, for HR, other units' rows) come back by line."""
    ctx = _Ctx(request, who)
    scope = _roster_scope(ctx, "roster.import")
    with ctx.engine.begin() as conn:
        try:
            report = roster.import_roster(conn, ctx.now, body.csv, actor_id=who.person_id,
                                          allowed_units=scope, request_id=ctx.request_id,
                                          address=ctx.address)
        except roster.RosterFileError as exc:
            raise _file_error(exc) from None
    return _report(report)


# --- People -------------------------------------------------------------------------------

@router.get("/people", responses={401: {}, 404: {}})
def list_people(request: Request, who: CallerDep,
                unit: Annotated[UnitId, Query()]) -> list[PersonOut]:
    """The people of one unit (admin: any unit; HR: its own units; otherwise 404)."""
    ctx = _Ctx(request, who)
    with ctx.engine.begin() as conn:
        scope = ctx.scope(conn)
        exists = conn.execute(select(org_unit.c.id).where(org_unit.c.id == unit)).first()
        allowed = exists is not None and (scope is None or unit in scope)
        ctx.audit(conn, "people.list" if allowed else "people.list.denied", unit)
        if not allowed:
            out = None
        else:
            rows = list(conn.execute(select(person).where(person.c.unit_id == unit)
                                     .order_by(person.c.nama, person.c.id)))
            out = _person_out(conn, rows, _today(ctx.now))
    if out is None:
        raise ApiError(404, "not_found")
    return out


def _load_target(conn: Connection, person_id: str) -> Any:
    return conn.execute(select(person).where(person.c.id == person_id)).first()


@router.get("/people/{person_id}", responses={401: {}, 404: {}})
def get_person(person_id: PersonPath, request: Request, who: CallerDep) -> PersonOut:
    ctx = _Ctx(request, who)
    with ctx.engine.begin() as conn:
        target = _load_target(conn, person_id)
        allowed = target is not None and _may_see(ctx.scope(conn), target)
        ctx.audit(conn, "people.get" if allowed else "people.get.denied", person_id)
        out = _person_out(conn, [target], _today(ctx.now))[0] if allowed else None
    if out is None:
        raise ApiError(404, "not_found")  # the same for "not yours" and "no such person"
    return out


def _set_disabled(person_id: str, request: Request, who: Caller, disabled: bool) -> PersonOut:
    ctx = _Ctx(request, who)
    action = "people.disable" if disabled else "people.enable"
    with ctx.engine.begin() as conn:
        target = _load_target(conn, person_id)
        allowed = _may_manage(conn, ctx.scope(conn), target)
        self_lockout = allowed and disabled and person_id == who.person_id
        allowed = allowed and not self_lockout
        ctx.audit(conn, action if allowed else f"{action}.denied", person_id)
        if allowed:
            conn.execute(update(person).where(person.c.id == person_id).values(
                disabled=disabled, updated_at=accounts.iso(ctx.now)))
            target = _load_target(conn, person_id)
            out = _person_out(conn, [target], _today(ctx.now))[0]
    if self_lockout:
        raise ApiError(409, "cannot_disable_self")
    if not allowed:
        raise ApiError(404, "not_found")
    return out


@router.post("/people/{person_id}/disable", responses={401: {}, 404: {}, 409: {}})
def disable_person(person_id: PersonPath, request: Request, who: CallerDep) -> PersonOut:
    """Disable an account: its tokens stop working at once (admin, or HR of the person)."""
    return _set_disabled(person_id, request, who, True)


@router.post("/people/{person_id}/enable", responses={401: {}, 404: {}})
def enable_person(person_id: PersonPath, request: Request, who: CallerDep) -> PersonOut:
    return _set_disabled(person_id, request, who, False)


@router.post("/people/{person_id}/password", responses={401: {}, 404: {}, 422: {}})
def set_password(person_id: PersonPath, body: PasswordBody, request: Request,
                 who: CallerDep) -> dict[str, bool]:
    """Set a new password (admin, or HR of the person); the person's sessions must log in
    again. The password is neither logged nor audited."""
    ctx = _Ctx(request, who)
    with ctx.engine.begin() as conn:
        target = _load_target(conn, person_id)
        allowed = _may_manage(conn, ctx.scope(conn), target)
        if not allowed:
            ctx.audit(conn, "people.password.denied", person_id)
    if not allowed:
        raise ApiError(404, "not_found")
    # Hashed outside the transaction (Argon2id takes a while), after the check (no free work).
    encoded = security.hash_password(body.password)
    with ctx.engine.begin() as conn:
        # Checked again: the person may have changed (e.g. been made admin) meanwhile.
        allowed = _may_manage(conn, ctx.scope(conn), _load_target(conn, person_id))
        ctx.audit(conn, "people.password" if allowed else "people.password.denied", person_id)
        if allowed:
            conn.execute(update(person).where(person.c.id == person_id).values(
                password_hash=encoded, updated_at=accounts.iso(ctx.now)))
            devices = select(device.c.id).where(device.c.person_id == person_id)
            conn.execute(delete(refresh_token).where(refresh_token.c.device_id.in_(devices)))
    if not allowed:
        raise ApiError(404, "not_found")
    return {"ok": True}


# --- Organisation (admin only) ------------------------------------------------------------

def _admin_only(ctx: _Ctx, action: str, target: str | None) -> None:
    if not ctx.who.is_admin:
        with ctx.engine.begin() as conn:
            ctx.audit(conn, f"{action}.denied", target)
        raise ApiError(403, "forbidden")


@router.post("/units", responses={401: {}, 403: {}, 409: {}, 422: {}})
def put_unit(body: UnitBody, request: Request, who: CallerDep) -> UnitOut:
    """Create or update an org unit (admin only); the parent must exist and not loop back."""
    ctx = _Ctx(request, who)
    problem: ApiError | None = None
    _admin_only(ctx, "units.put", body.id)
    with ctx.engine.begin() as conn:
        parents = {r.id: r.induk_id
                   for r in conn.execute(select(org_unit.c.id, org_unit.c.induk_id))}
        parent, seen = body.induk_id, {body.id}
        if parent is not None and parent not in parents:
            problem = ApiError(422, "unknown_parent")
        while problem is None and parent is not None:
            if parent in seen:
                problem = ApiError(409, "cycle")
            seen.add(parent)
            parent = parents.get(parent)
        if problem is None:
            values = {"kode": body.kode, "nama": body.nama, "induk_id": body.induk_id}
            if body.id in parents:
                conn.execute(update(org_unit).where(org_unit.c.id == body.id).values(**values))
            else:
                conn.execute(org_unit.insert().values(id=body.id, **values))
            reference_store.publish_org_units(conn, [body.id], ctx.now)  # the `ref` partition
            ctx.audit(conn, "units.put", body.id)
    if problem is not None:
        raise problem
    return UnitOut(id=body.id, kode=body.kode, nama=body.nama, induk_id=body.induk_id)


@router.post("/hr", responses={401: {}, 403: {}, 404: {}})
def add_hr(body: HrBody, request: Request, who: CallerDep) -> HrOut:
    """Make a person pengelola kepegawaian of a unit (admin only; idempotent)."""
    ctx = _Ctx(request, who)
    _admin_only(ctx, "hr.add", body.person_id)
    with ctx.engine.begin() as conn:
        found = (conn.execute(select(person.c.id).where(person.c.id == body.person_id)).first()
                 and conn.execute(select(org_unit.c.id)
                                  .where(org_unit.c.id == body.unit_id)).first())
        if found:
            present = conn.execute(select(hr_assignment).where(
                hr_assignment.c.person_id == body.person_id,
                hr_assignment.c.unit_id == body.unit_id)).first()
            if present is None:
                conn.execute(hr_assignment.insert().values(person_id=body.person_id,
                                                           unit_id=body.unit_id))
            ctx.audit(conn, "hr.add", f"{body.person_id}")
    if not found:
        raise ApiError(404, "not_found")
    return HrOut(person_id=body.person_id, unit_id=body.unit_id)


@router.delete("/hr/{person_id}/{unit_id}", responses={401: {}, 403: {}, 404: {}})
def remove_hr(person_id: PersonPath, unit_id: UnitPath, request: Request,
              who: CallerDep) -> HrOut:
    """End a person's HR role for a unit (admin only)."""
    ctx = _Ctx(request, who)
    _admin_only(ctx, "hr.remove", person_id)
    with ctx.engine.begin() as conn:
        gone = conn.execute(delete(hr_assignment).where(
            hr_assignment.c.person_id == person_id,
            hr_assignment.c.unit_id == unit_id)).rowcount
        if gone:
            ctx.audit(conn, "hr.remove", person_id)
    if not gone:
        raise ApiError(404, "not_found")
    return HrOut(person_id=person_id, unit_id=unit_id)
