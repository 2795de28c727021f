"""Evidence files over HTTP, tus-style: create an upload, HEAD its offset, PATCH chunks, GET files.

Each PATCH appends at exactly `Upload-Offset` (a clash answers 409 with the real offset), so a
cut link costs at most one chunk. The last chunk triggers the whole-file SHA-256 check. Files
are read back with `Range` so a broken download resumes too. Bodies are generic codes.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from sync.protocol import BLOB_FILES_PATH, BLOB_UPLOADS_PATH
from sync.server import accounts, blob_store
from sync.server.blob_store import BlobRefused, UploadState
from sync.server.deps import ApiError, CallerDep, SafeStr, address, clock_of, engine_of, request_id

router = APIRouter(tags=["attachments"])
CHUNK_MEDIA_TYPE = "application/octet-stream"
CHUNK_MEDIA_TYPES = (CHUNK_MEDIA_TYPE, "application/offset+octet-stream")  # the latter: tus
Sha256Path = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_STATUS = {"too_large": 413, "chunk_too_large": 413, "beyond_size": 413, "bad_size": 422,
           "bad_hash": 422, "hash_mismatch": 422, "size_mismatch": 409, "offset_mismatch": 409,
           "not_found": 404, "quota_exceeded": 403, "too_many_uploads": 429}


class UploadIn(BaseModel):
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, Field(ge=0, le=2**31 - 1)]  # over MAX_BLOB_BYTES: 413
    mime: Annotated[SafeStr, Field(min_length=1, max_length=128)]


class UploadOut(BaseModel):
    sha256: str
    size: int
    offset: int
    complete: bool


def _out(state: UploadState) -> UploadOut:
    return UploadOut(**state.to_json())


def _refused(exc: BlobRefused) -> ApiError:
    if exc.offset is not None:
        return ApiError(409, exc.code, headers={"Upload-Offset": str(exc.offset)},
                        offset=exc.offset)
    return ApiError(_STATUS.get(exc.code, 400), exc.code)


@router.post(BLOB_UPLOADS_PATH, responses={401: {}, 403: {}, 409: {}, 413: {}, 429: {}})
def create_upload(body: UploadIn, request: Request, who: CallerDep) -> UploadOut:
    """Start or resume this person's upload of a file; a file already sent answers complete.

    Limits: a file is at most 20 MiB (413 `too_large`); a person has at most 20 unfinished
    uploads (429 `too_many_uploads`; idle ones are dropped after 14 days) and 2 GiB in all
    (403 `quota_exceeded`).
    """
    try:
        with engine_of(request).begin() as conn:
            state = blob_store.create_upload(conn, who.person_id, body.sha256, body.size,
                                             body.mime, now=clock_of(request)())
    except BlobRefused as exc:
        raise _refused(exc) from None
    return _out(state)


@router.head(f"{BLOB_UPLOADS_PATH}/{{sha256}}", responses={401: {}, 404: {}})
def upload_offset(sha256: Sha256Path, request: Request, who: CallerDep) -> Response:
    """The upload's current offset in `Upload-Offset` (and its length in `Upload-Length`)."""
    with engine_of(request).connect() as conn:
        state = blob_store.upload_state(conn, who.person_id, sha256)
    if state is None:
        raise ApiError(404, "not_found")
    return Response(status_code=200, headers={
        "Upload-Offset": str(state.offset), "Upload-Length": str(state.size),
        "Upload-Complete": "1" if state.complete else "0", "Cache-Control": "no-store"})


_PATCH_DOC: dict[str, Any] = {"requestBody": {"required": True, "content": {
    CHUNK_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary",
                                  "maxLength": blob_store.MAX_CHUNK_BYTES}}}}}


async def _read_chunk(request: Request) -> bytes:
    """The body, at most one chunk; a link cut mid-body stores nothing."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > blob_store.MAX_CHUNK_BYTES:
        raise ApiError(413, "chunk_too_large")
    parts, size = [], 0
    try:
        async for piece in request.stream():
            size += len(piece)
            if size > blob_store.MAX_CHUNK_BYTES:
                raise ApiError(413, "chunk_too_large")
            parts.append(piece)
    except ClientDisconnect:
        raise ApiError(400, "incomplete_body") from None
    return b"".join(parts)


@router.patch(f"{BLOB_UPLOADS_PATH}/{{sha256}}", openapi_extra=_PATCH_DOC,
              responses={400: {}, 401: {}, 404: {}, 409: {}, 413: {}, 415: {}, 422: {}})
async def append_chunk(sha256: Sha256Path, request: Request, who: CallerDep,
                       upload_offset: Annotated[int, Header(ge=0)]) -> UploadOut:
    """Append one chunk (≤ 1 MiB) at `Upload-Offset`; the last one verifies the SHA-256."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in CHUNK_MEDIA_TYPES:
        raise ApiError(415, "unsupported_media_type")
    data = await _read_chunk(request)

    def run() -> UploadState | BlobRefused:
        with engine_of(request).begin() as conn:
            try:
                return blob_store.append_chunk(conn, who.person_id, sha256,
                                               offset=upload_offset, data=data,
                                               now=clock_of(request)())
            except BlobRefused as exc:
                return exc  # commit what the refusal did (a bad file is discarded)

    outcome = await run_in_threadpool(run)
    if isinstance(outcome, BlobRefused):
        raise _refused(outcome)
    return _out(outcome)


def _parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """One `bytes=a-b` range as (start, end inclusive); None means the whole file."""
    match = _RANGE.match(header or "")
    if match is None or size == 0:
        return None  # absent, multiple or odd ranges: the whole file (RFC 9110 allows it)
    first, last = match[1], match[2]
    if not first and not last:
        return None
    if not first:
        return max(0, size - int(last)), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start > end:
        raise ApiError(416, "range_not_satisfiable",
                       headers={"Content-Range": f"bytes */{size}"})
    return start, end


@router.get(f"{BLOB_FILES_PATH}/{{sha256}}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}},
                       206: {"description": "Partial content (Range)",
                             "content": {"application/octet-stream": {}}},
                       401: {}, 404: {}, 416: {}})
def download(sha256: Sha256Path, request: Request, who: CallerDep,
             range_header: Annotated[str | None, Header(alias="range")] = None) -> Response:
    """The file (or one `Range` of it), if the caller may read evidence that names it."""
    now = clock_of(request)()
    with engine_of(request).connect() as conn:
        info = blob_store.file_info(conn, sha256)
        allowed = info is not None and blob_store.may_read(
            conn, who.person_id, who.is_admin, sha256, now)
        if allowed and info is not None:
            span = _parse_range(range_header, info.size)
            start, end = span if span is not None else (0, info.size - 1)
            data = blob_store.read_range(conn, info, start, end) if info.size else b""
    if not allowed or info is None:
        if info is not None:  # refusals of a real file are logged (S-14)
            with engine_of(request).begin() as conn:
                accounts.audit(conn, now, actor=who.person_id, action="blob.read.denied",
                               target=sha256, request_id=request_id(request),
                               address=address(request))
        raise ApiError(404, "not_found")  # not there and not yours look the same
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "no-store", "ETag": f'"{sha256}"',
               "X-Content-Type-Options": "nosniff"}
    if span is None:
        return Response(data, 200, headers=headers, media_type="application/octet-stream")
    headers["Content-Range"] = f"bytes {start}-{end}/{info.size}"
    return Response(data, 206, headers=headers, media_type="application/octet-stream")
