"""Login and token refresh (security.md S-17, S-18).

Login: NIP + password, rate limited per account and per address, with the same answer for an
unknown NIP and a wrong password; binds the client's Ed25519 device key. Refresh: single-use
token plus a signature by that key; a spent token presented again ends the device's sessions.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import select, update

from sync.server import accounts, bundle_service, security
from sync.server.db import meta
from sync.server.deps import ApiError, SafeStr, address, clock_of, engine_of, request_id
from sync.server.schema import device, person, refresh_token

router = APIRouter(prefix="/auth")


class LoginRequest(BaseModel):
    nip: SafeStr = Field(min_length=1, max_length=32)
    password: SafeStr = Field(min_length=1, max_length=1024)
    device_id: SafeStr = Field(pattern=r"^[0-9a-f-]{36}$")
    device_public_key: SafeStr = Field(min_length=40, max_length=64)
    device_name: SafeStr | None = Field(default=None, max_length=200)


class RefreshRequest(BaseModel):
    refresh_token: SafeStr = Field(min_length=20, max_length=200)
    device_id: SafeStr = Field(pattern=r"^[0-9a-f-]{36}$")
    signature: SafeStr = Field(min_length=40, max_length=200)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    expires_in: int


class LoginResponse(TokenPair):
    person_id: str
    nama: str
    roles: dict[str, Any]
    # The server id and public keys a device seals offline bundles with (sync/bundle.py).
    server_keys: dict[str, str] | None = None


@router.post("/login", responses={401: {}, 403: {}, 429: {}})
def login(body: LoginRequest, request: Request) -> LoginResponse:
    engine, now = engine_of(request), clock_of(request)()
    nip = "".join(body.nip.split())
    keys = [f"acct:{nip}", f"addr:{address(request)}"]
    with engine.begin() as conn:
        try:
            accounts.check_throttle(conn, keys, now)
        except accounts.Throttled as exc:
            raise ApiError(429, "too_many_attempts", {"Retry-After": str(exc.retry_after)},
                           retry_after=exc.retry_after) from None
        row = accounts.find_by_nip(conn, nip)
        ok = security.verify_password(body.password, row.password_hash if row else None)
        if not ok:
            accounts.record_failure(conn, keys[0], accounts.ACCOUNT_FREE_FAILURES, now)
            accounts.record_failure(conn, keys[1], accounts.ADDRESS_FREE_FAILURES, now)
            accounts.audit(conn, now, actor=None, action="login.failed", target=None,
                           request_id=request_id(request), address=address(request))
    # Raised after the transaction so that the failure count is kept.
    if not ok or row is None:
        raise ApiError(401, "login_failed")  # same answer for unknown NIP and wrong password
    if row.disabled:
        raise ApiError(403, "account_disabled")
    if not security.valid_public_key(body.device_public_key):
        raise ApiError(422, "invalid_request")
    with engine.begin() as conn:
        accounts.clear_throttle(conn, keys[0])
        problem = accounts.bind_device(conn, now, person_id=row.id, device_id=body.device_id,
                                       public_key=body.device_public_key, name=body.device_name)
        if problem is None:
            refresh = accounts.issue_refresh(conn, now, body.device_id)
            secret = meta(conn, "token_secret")
            roles = accounts.roles_of(conn, row)
            server_keys = bundle_service.server_keys(conn).public()
        accounts.audit(conn, now, actor=row.id, action=f"login.{problem or 'ok'}",
                       target=body.device_id, request_id=request_id(request),
                       address=address(request))
    if problem:
        raise ApiError(403, problem)
    return LoginResponse(
        access_token=security.issue_access_token(secret, row.id, body.device_id, now),
        refresh_token=refresh, expires_in=security.ACCESS_TTL_S, person_id=row.id,
        nama=row.nama, roles=roles, server_keys=server_keys)


@router.post("/refresh", responses={401: {}})
def refresh(body: RefreshRequest, request: Request) -> TokenPair:
    engine, now = engine_of(request), clock_of(request)()
    digest = security.token_hash(body.refresh_token)
    with engine.begin() as conn:
        found = conn.execute(
            select(refresh_token, device.c.public_key, device.c.revoked_at, device.c.person_id,
                   person.c.disabled)
            .join(device, device.c.id == refresh_token.c.device_id)
            .join(person, person.c.id == device.c.person_id)
            .where(refresh_token.c.token_hash == digest)).first()
        failure = _refresh_failure(found, body, now)
        if found is not None and failure == "reused":
            # A spent token presented again means it leaked: end all of the device's sessions.
            conn.execute(refresh_token.delete().where(refresh_token.c.device_id == body.device_id))
            accounts.audit(conn, now, actor=found.person_id, action="refresh.reused",
                           target=body.device_id, request_id=request_id(request),
                           address=address(request))
        elif found is not None and failure is None:
            conn.execute(update(refresh_token).where(refresh_token.c.token_hash == digest)
                         .values(used_at=accounts.iso(now)))
            new_refresh = accounts.issue_refresh(conn, now, body.device_id)
            secret = meta(conn, "token_secret")
    if found is None:
        _revoked_hint(engine, body, now)
    if failure is not None or found is None:
        raise ApiError(401, "refresh_failed" if failure in (None, "reused") else failure)
    return TokenPair(
        access_token=security.issue_access_token(secret, found.person_id, body.device_id, now),
        refresh_token=new_refresh, expires_in=security.ACCESS_TTL_S)


def _revoked_hint(engine: Any, body: RefreshRequest, now: float) -> None:
    """Revocation deleted the device's refresh tokens; a device that still proves its key
    learns that it was revoked (and whether a final push is allowed), not `refresh_failed`."""
    with engine.connect() as conn:
        row = conn.execute(
            select(device.c.public_key, device.c.revoked_at, device.c.final_push_until,
                   device.c.final_push_done_at, person.c.disabled)
            .join(person, person.c.id == device.c.person_id)
            .where(device.c.id == body.device_id)).first()
    if (row is not None and row.revoked_at is not None
            and security.device_proof_ok(row.public_key, body.refresh_token, body.signature)):
        raise ApiError(401, "device_revoked",
                       **accounts.revoked_extra(row, now, disabled=row.disabled))


def _refresh_failure(found: Any, body: RefreshRequest, now: float) -> str | None:
    if found is None or found.device_id != body.device_id:
        return "refresh_failed"
    if not security.device_proof_ok(found.public_key, body.refresh_token, body.signature):
        return "refresh_failed"
    if found.revoked_at is not None:
        return "device_revoked"
    if found.disabled:
        return "account_disabled"
    if found.used_at is not None or accounts.epoch_of(found.expires_at) <= now:
        return "reused"
    return None
