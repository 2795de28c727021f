"""Accounts and devices on the server: people, roles, login throttling, device binding.

Functions take an open SQLAlchemy connection (the caller owns the transaction) and a `now`
epoch in seconds, so tests can move time without sleeping.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from sync.server import security
from sync.server.schema import (
    audit_event,
    device,
    hr_assignment,
    login_throttle,
    person,
    refresh_token,
)

ACCOUNT_FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 20
THROTTLE_WINDOW_S = 15 * 60
MAX_BLOCK_S = 15 * 60
# How long a device revoked with `final_push` may still send its queue (sync/server/
# final_push_routes.py); after that, or once the device said it is done, it may not.
FINAL_PUSH_WINDOW_S = 14 * 24 * 3600


def iso(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds")


def epoch_of(text: str | None) -> float:
    return 0.0 if not text else datetime.fromisoformat(text).timestamp()


def create_person(conn: Connection, now: float, *, nip: str | None, nama: str,
                  jenis_asn: str = "PNS", password: str | None = None, is_admin: bool = False,
                  unit_id: str | None = None, **fields: Any) -> str:
    """Insert a person (roster import and `server init` use this); returns the new id."""
    person_id = str(uuid.uuid4())
    conn.execute(person.insert().values(
        id=person_id, nip=nip, jenis_asn=jenis_asn, nama=nama, unit_id=unit_id,
        password_hash=security.hash_password(password) if password else None,
        is_admin=is_admin, disabled=False, created_at=iso(now), updated_at=iso(now), **fields,
    ))
    return person_id


def find_by_nip(conn: Connection, nip: str) -> Any:
    return conn.execute(select(person).where(person.c.nip == nip)).first()


@dataclass(frozen=True)
class Throttled(Exception):
    """Too many failures for this account or address; retry after `retry_after` seconds."""

    retry_after: int


def check_throttle(conn: Connection, keys: list[str], now: float) -> None:
    for row in conn.execute(select(login_throttle).where(login_throttle.c.key.in_(keys))):
        wait = epoch_of(row.blocked_until) - now
        if wait > 0:
            raise Throttled(math.ceil(wait))


def record_failure(conn: Connection, key: str, free: int, now: float) -> None:
    """Count a failure in a 15-minute window; past `free` failures, block 30 s, 60 s … 15 min."""
    row = conn.execute(select(login_throttle).where(login_throttle.c.key == key)).first()
    if row is None or now - epoch_of(row.window_start) > THROTTLE_WINDOW_S:
        failures, start = 1, iso(now)
        if row is not None:
            conn.execute(login_throttle.delete().where(login_throttle.c.key == key))
        conn.execute(login_throttle.insert().values(key=key, failures=0, window_start=start))
    else:
        failures, start = row.failures + 1, row.window_start
    blocked = None
    if failures >= free:
        blocked = iso(now + min(MAX_BLOCK_S, 30 * 2 ** (failures - free)))
    conn.execute(update(login_throttle).where(login_throttle.c.key == key).values(
        failures=failures, window_start=start, blocked_until=blocked))


def clear_throttle(conn: Connection, key: str) -> None:
    conn.execute(login_throttle.delete().where(login_throttle.c.key == key))


def roles_of(conn: Connection, person_row: Any) -> dict[str, Any]:
    """What the person may do: admin, HR units, and whether anyone reports to them."""
    units = [r.unit_id for r in conn.execute(
        select(hr_assignment.c.unit_id).where(hr_assignment.c.person_id == person_row.id))]
    return {"admin": bool(person_row.is_admin), "pengelola_unit": sorted(units)}


def bind_device(conn: Connection, now: float, *, person_id: str, device_id: str,
                public_key: str, name: str | None) -> str | None:
    """Register the device to the person, or confirm it; returns an error code or None."""
    row = conn.execute(select(device).where(device.c.id == device_id)).first()
    if row is None:
        conn.execute(device.insert().values(id=device_id, person_id=person_id,
                                            public_key=public_key, name=name,
                                            created_at=iso(now), last_seen_at=iso(now)))
        return None
    if row.revoked_at is not None:
        return "device_revoked"
    if row.person_id != person_id or row.public_key != public_key:
        # A device id is one person's, with one key, for life.
        return "device_mismatch"
    conn.execute(update(device).where(device.c.id == device_id).values(last_seen_at=iso(now)))
    return None


def final_push_open(row: Any, now: float, *, disabled: bool = False) -> bool:
    """Whether a revoked device row may still make its final push at `now`."""
    return (row.revoked_at is not None and row.final_push_until is not None
            and row.final_push_done_at is None and now < epoch_of(row.final_push_until)
            and not disabled)


def revoked_extra(row: Any, now: float, *, disabled: bool = False) -> dict[str, Any]:
    """What a `device_revoked` answer adds: `final_push: true` while the window is open."""
    return {"final_push": True} if final_push_open(row, now, disabled=disabled) else {}


# A pull writes the contact only when it says something new: a busy read path stays read-only.
CONTACT_REFRESH_S = 60


def contact_is_stale(conn: Connection, device_id: str, now: float,
                     offset_s: int | None) -> bool:
    """Whether `record_contact` would change what is stored for the device."""
    row = conn.execute(select(device.c.last_seen_at, device.c.clock_offset_s)
                       .where(device.c.id == device_id)).first()
    if row is None:
        return False
    seen = datetime.fromisoformat(row.last_seen_at).timestamp() if row.last_seen_at else None
    return (seen is None or now - seen >= CONTACT_REFRESH_S
            or (offset_s is not None and (row.clock_offset_s is None
                                          or abs(row.clock_offset_s - offset_s) >= 60)))


def record_contact(conn: Connection, device_id: str, now: float, offset_s: int | None) -> None:
    """The device talked to the server now; its clock was `offset_s` ahead (if it said)."""
    values: dict[str, Any] = {"last_seen_at": iso(now)}
    if offset_s is not None:
        values |= {"clock_offset_s": offset_s, "clock_checked_at": iso(now)}
    conn.execute(update(device).where(device.c.id == device_id).values(**values))


def issue_refresh(conn: Connection, now: float, device_id: str) -> str:
    token, digest = security.new_refresh_token()
    conn.execute(refresh_token.insert().values(
        token_hash=digest, device_id=device_id, expires_at=iso(now + security.REFRESH_TTL_S)))
    return token


def audit(conn: Connection, now: float, *, actor: str | None, action: str, target: str | None,
          request_id: str, address: str | None) -> None:
    """Who did what to which object, when, from where — never request content."""
    conn.execute(audit_event.insert().values(at=iso(now), actor=actor, action=action,
                                             target=target, request_id=request_id,
                                             address=address))
