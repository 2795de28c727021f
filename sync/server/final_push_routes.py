"""A revoked device's final push (architecture §4), where the revocation allowed one.

`POST /sync/v1/final-push` takes a normal compressed `PushRequest` with no bearer token (the
refresh tokens died with the revocation); instead `X-Asndesk-Device` names the device and
`X-Asndesk-Signature` is its Ed25519 signature of `FINAL_PUSH_CONTEXT` + SHA-256 of the exact
body bytes, checked against the device's stored key. The push is processed exactly like
`/sync/v1/push` (seq order, stored results, idempotent replays) as the device's owner.
`POST /sync/v1/final-push/done` (body `{"protocol": 1, "device_id": …}`, signed the same way
with `FINAL_DONE_CONTEXT`) closes the window for good; so does its end.

Every refusal has the same body, `{"error": "final_push_refused"}` (403), and is audited with
its reason; every accepted push and the close are audited too (ids only, no content).
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Connection, select, update
from starlette.concurrency import run_in_threadpool

from sync import wire
from sync.protocol import (
    DEVICE_HEADER,
    FINAL_DONE_CONTEXT,
    FINAL_PUSH_CONTEXT,
    FINAL_PUSH_DONE_PATH,
    FINAL_PUSH_PATH,
    PROTOCOL_VERSION,
    SIGNATURE_HEADER,
    ProtocolError,
    PushRequest,
)
from sync.server import accounts, push_service, security
from sync.server.deps import ApiError, address, clock_of, engine_of, request_id
from sync.server.schema import device, person

router = APIRouter()
REFUSED = "final_push_refused"
_UUID = re.compile(r"^[0-9a-f-]{36}$")
_BODY_DOC: dict[str, Any] = {
    "parameters": [{"name": name, "in": "header", "required": True,
                    "schema": {"type": "string"}} for name in (DEVICE_HEADER, SIGNATURE_HEADER)],
    "requestBody": {"content": {wire.MEDIA_TYPE: {"schema": {"type": "object"}}},
                    "required": True}}


class _Refused(Exception):
    """Why a final-push request is refused (audited; never told to the sender)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _device_id(request: Request) -> str | None:
    value = request.headers.get(DEVICE_HEADER, "")
    return value if _UUID.match(value) else None


def _check(conn: Connection, request: Request, context: bytes, body: bytes,
           now: float) -> Any:
    """The device row (locked) if the proof and the policy allow the request, else _Refused."""
    device_id = _device_id(request)
    if device_id is None:
        raise _Refused("bad_request")
    row = conn.execute(
        select(device, person.c.disabled, person.c.nip)
        .join(person, person.c.id == device.c.person_id)
        .where(device.c.id == device_id).with_for_update(of=device)).first()
    if row is None:
        raise _Refused("unknown_device")
    signature = request.headers.get(SIGNATURE_HEADER, "")[:200]
    if not security.body_proof_ok(row.public_key, context, body, signature):
        raise _Refused("bad_signature")
    if row.revoked_at is None:
        raise _Refused("not_revoked")
    if row.final_push_until is None:
        raise _Refused("not_allowed")
    if row.final_push_done_at is not None:
        raise _Refused("closed")
    if now >= accounts.epoch_of(row.final_push_until):
        raise _Refused("window_over")
    if row.disabled:
        raise _Refused("account_disabled")
    return row


def _audit(conn: Connection, request: Request, now: float, row: Any, action: str) -> None:
    accounts.audit(conn, now, actor=row.person_id if row is not None else None, action=action,
                   target=_device_id(request), request_id=request_id(request),
                   address=address(request))


def _refuse(request: Request, now: float, reason: str) -> None:
    """Audit a refusal in its own transaction (the request's own one is rolled back)."""
    with engine_of(request).begin() as conn:
        row = None
        device_id = _device_id(request)
        if device_id is not None:
            row = conn.execute(select(device.c.person_id)
                               .where(device.c.id == device_id)).first()
        _audit(conn, request, now, row, f"final_push.denied.{reason}")


def _push(request: Request, body: bytes) -> dict[str, Any]:
    now = clock_of(request)()
    try:
        with engine_of(request).begin() as conn:
            row = _check(conn, request, FINAL_PUSH_CONTEXT, body, now)
            try:
                message = PushRequest.from_wire(
                    wire.decode(body, request.headers.get("content-encoding")))
            except (wire.WireError, ProtocolError):
                raise _Refused("bad_body") from None
            if message.device_id != row.id:
                raise _Refused("device_mismatch")
            pusher = push_service.Pusher(row.person_id, row.nip, row.id)
            answer = push_service.push(conn, pusher, message, now, request_id(request))
            accounts.record_contact(conn, row.id, now, None)
            _audit(conn, request, now, row, "final_push")
            return answer.to_wire()
    except _Refused as refused:
        _refuse(request, now, refused.reason)
        raise ApiError(403, REFUSED) from None


def _done(request: Request, body: bytes) -> None:
    now = clock_of(request)()
    try:
        with engine_of(request).begin() as conn:
            row = _check(conn, request, FINAL_DONE_CONTEXT, body, now)
            try:
                data = json.loads(body)
                ok = (isinstance(data, dict) and data.get("protocol") == PROTOCOL_VERSION
                      and data.get("device_id") == row.id)
            except ValueError:
                ok = False
            if not ok:
                raise _Refused("device_mismatch")
            conn.execute(update(device).where(device.c.id == row.id)
                         .values(final_push_done_at=accounts.iso(now)))
            _audit(conn, request, now, row, "final_push.done")
    except _Refused as refused:
        _refuse(request, now, refused.reason)
        raise ApiError(403, REFUSED) from None


@router.post(FINAL_PUSH_PATH, openapi_extra=_BODY_DOC, responses={403: {}})
async def final_push(request: Request) -> Response:
    """A revoked device's last push, proven by its key (see the module docstring)."""
    body = await request.body()
    answer = await run_in_threadpool(_push, request, body)
    encoding = wire.choose_encoding(request.headers.get("accept-encoding"))
    headers = {} if encoding == "identity" else {"Content-Encoding": encoding}
    return Response(wire.encode(answer, encoding), media_type=wire.MEDIA_TYPE, headers=headers)


@router.post(FINAL_PUSH_DONE_PATH, responses={403: {}})
async def final_push_done(request: Request) -> JSONResponse:
    """The device has sent everything: its final push is closed from now on."""
    body = await request.body()
    await run_in_threadpool(_done, request, body)
    return JSONResponse({"status": "done"})
