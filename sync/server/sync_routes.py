"""`POST /sync/v1/push` and `/sync/v1/pull`: compressed protocol bodies (see sync/wire.py).

The caller's token names the device; a push for another device id is refused. Protocol and
codec errors answer 400 with their stable code, nothing echoed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from sync import wire
from sync.protocol import (
    PULL_PATH,
    PUSH_PATH,
    ProtocolError,
    PullRequest,
    PushRequest,
    clock_offset_s,
)
from sync.server import accounts, pull_service, push_service
from sync.server.deps import ApiError, CallerDep, address, clock_of, engine_of, request_id

router = APIRouter()
M = TypeVar("M", PushRequest, PullRequest)
_BODY_DOC: dict[str, Any] = {"requestBody": {"content": {wire.MEDIA_TYPE: {"schema": {
    "type": "object"}}}, "required": True}}


async def _read(request: Request, message: type[M]) -> M:
    """The request body as a protocol message; codec and protocol errors answer 400."""
    body = await request.body()
    try:
        return message.from_wire(wire.decode(body, request.headers.get("content-encoding")))
    except (wire.WireError, ProtocolError) as exc:
        raise ApiError(400, exc.code) from None


def _offset(message: PushRequest | PullRequest, now: float) -> int | None:
    """The device clock's lead over ours, when the device said what its clock read."""
    if message.sent_at is None:
        return None
    return round(clock_offset_s(message.sent_at, accounts.iso(now)))


def _encode(request: Request, payload: dict[str, Any]) -> Response:
    encoding = wire.choose_encoding(request.headers.get("accept-encoding"))
    headers = {} if encoding == "identity" else {"Content-Encoding": encoding}
    return Response(wire.encode(payload, encoding), media_type=wire.MEDIA_TYPE,
                    headers=headers)


@router.post(PUSH_PATH, openapi_extra=_BODY_DOC, responses={400: {}, 401: {}, 403: {}})
async def push(request: Request, who: CallerDep) -> Response:
    message = await _read(request, PushRequest)
    if message.device_id != who.device_id:
        raise ApiError(403, "device_mismatch")

    def run() -> dict[str, Any]:
        now = clock_of(request)()
        with engine_of(request).begin() as conn:
            nip = push_service.nip_of(conn, who.person_id)
            pusher = push_service.Pusher(who.person_id, nip, who.device_id)
            answer = push_service.push(conn, pusher, message, now, request_id(request))
            accounts.record_contact(conn, who.device_id, now, _offset(message, now))
            return answer.to_wire()

    # Database work runs in the thread pool: the event loop keeps serving other devices.
    return _encode(request, await run_in_threadpool(run))


@router.post(PULL_PATH, openapi_extra=_BODY_DOC, responses={400: {}, 401: {}, 403: {}})
async def pull(request: Request, who: CallerDep) -> Response:
    message = await _read(request, PullRequest)

    def run() -> dict[str, Any]:
        engine, now = engine_of(request), clock_of(request)()
        offset = _offset(message, now)
        # One snapshot for pages and checksums on PostgreSQL; SQLite readers may see a push
        # land between them, which the client's checksum check absorbs with one more pull.
        options = ({"isolation_level": "REPEATABLE READ"}
                   if engine.dialect.name == "postgresql" else {})
        try:
            with engine.connect().execution_options(**options) as conn:
                answer = pull_service.pull(conn, who.person_id, who.is_admin, message, now)
                stale = accounts.contact_is_stale(conn, who.device_id, now, offset)
        except pull_service.PartitionRefused as refused:
            if refused.kind:  # someone else's partition: logged (S-14)
                with engine.begin() as conn:
                    accounts.audit(conn, now, actor=who.person_id,
                                   action=f"pull.{refused.kind}.denied", target=refused.target,
                                   request_id=request_id(request), address=address(request))
            raise
        if stale:
            with engine.begin() as conn:
                accounts.record_contact(conn, who.device_id, now, offset)
        return answer.to_wire()

    try:
        return _encode(request, await run_in_threadpool(run))
    except pull_service.PartitionRefused as exc:
        raise ApiError(403, exc.code) from None
