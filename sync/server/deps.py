"""What every route shares: the engine and clock of the app, the caller, and typed refusals."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from pydantic import AfterValidator, BaseModel
from sqlalchemy import Engine, select

from sync.server import accounts, security
from sync.server.db import meta
from sync.server.schema import device, person


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL")
    return value


# Every text field of a request body uses this: PostgreSQL cannot store NUL (S-25).
SafeStr = Annotated[str, AfterValidator(_no_nul)]


class ApiError(Exception):
    """A refusal with a stable code; the body never carries more than the code (and extras)."""

    def __init__(self, status: int, code: str, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(code)
        self.status, self.code, self.headers, self.extra = status, code, headers, extra


class Caller(BaseModel):
    person_id: str
    device_id: str
    is_admin: bool
    unit_id: str | None


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def clock_of(request: Request) -> Callable[[], float]:
    clock: Callable[[], float] = request.app.state.clock
    return clock


def request_id(request: Request) -> str:
    return request.headers.get("x-request-id") or str(uuid.uuid4())


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Caller:
    """The authenticated person and device; revoked devices and disabled accounts end here."""
    if not authorization or not authorization.startswith("Bearer "):
        raise ApiError(401, "unauthenticated")
    with engine_of(request).begin() as conn:
        now = clock_of(request)()
        claims = security.read_access_token(meta(conn, "token_secret"), authorization[7:], now)
        if claims is None:
            raise ApiError(401, "unauthenticated")
        row = conn.execute(
            select(person.c.id, person.c.is_admin, person.c.unit_id, person.c.disabled,
                   device.c.revoked_at, device.c.final_push_until,
                   device.c.final_push_done_at)
            .join(device, device.c.person_id == person.c.id)
            .where(person.c.id == claims.person_id, device.c.id == claims.device_id)
        ).first()
    if row is None:
        raise ApiError(401, "unauthenticated")
    if row.revoked_at is not None:
        # While a final push is allowed the client is told so (sync/server/final_push_routes.py).
        raise ApiError(401, "device_revoked", **accounts.revoked_extra(row, now,
                                                                       disabled=row.disabled))
    if row.disabled:
        raise ApiError(401, "account_disabled")
    return Caller(person_id=row.id, device_id=claims.device_id, is_admin=row.is_admin,
                  unit_id=row.unit_id)


CallerDep = Annotated[Caller, Depends(caller)]
