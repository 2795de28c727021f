"""`POST /sync/v1/bundle`: any logged-in person uploads a device's offline bundle for it.

The body is the bundle file as it is; the answer is the reply bundle for that device
(readable only by it). Refusals answer a generic code: nothing of the bundle is applied.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from sync import bundle
from sync.server import bundle_service
from sync.server.deps import ApiError, CallerDep, address, clock_of, engine_of, request_id

router = APIRouter()
_BODY_DOC: dict[str, Any] = {
    "requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {
        "type": "string", "format": "binary"}}}},
    "responses": {"200": {"description": "The reply bundle for the device",
                          "content": {bundle.MEDIA_TYPE: {"schema": {
                              "type": "string", "format": "binary"}}}}},
}


@router.post(bundle.BUNDLE_PATH, openapi_extra=_BODY_DOC, response_class=Response,
             responses={400: {}, 401: {}, 403: {}})
async def upload(request: Request, who: CallerDep) -> Response:
    body = await request.body()
    if len(body) > bundle.MAX_BUNDLE_BYTES:
        raise ApiError(413, "too_large")
    upload = bundle_service.Upload(who.person_id, clock_of(request)(), request_id(request),
                                   address(request))
    try:
        reply = await run_in_threadpool(bundle_service.answer, engine_of(request), upload, body)
    except bundle_service.BundleRefused as refused:
        raise ApiError(refused.status, refused.code) from None
    return Response(reply, media_type=bundle.MEDIA_TYPE)
