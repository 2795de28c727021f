"""Evidence files on the server: resumable uploads in database chunks, keyed by SHA-256.

Everything lives in the database (no files beside it), so any instance can take the next chunk.
Reading a file back needs a completed upload of one's own, or the right to read evidence
that names it (`may_read`).
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from asndesk.evidence import MAX_FILE_BYTES
from sync.server import roster
from sync.server.accounts import iso
from sync.server.schema import (
    blob_chunk,
    blob_file,
    blob_ref,
    blob_upload,
    entity,
    hr_assignment,
    person,
)

MAX_BLOB_BYTES = MAX_FILE_BYTES          # 20 MiB, the client's own limit for one evidence file
MAX_CHUNK_BYTES = 1024 * 1024            # one PATCH body
MAX_OPEN_UPLOADS = 20                    # unfinished uploads per person
PERSON_QUOTA_BYTES = 2 * 1024 ** 3       # completed files per person
STALE_UPLOAD_S = 14 * 24 * 3600          # an unfinished upload idle this long is dropped
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class BlobRefused(Exception):
    """A refused blob operation: a stable code (and, for an offset clash, the real offset)."""

    def __init__(self, code: str, offset: int | None = None) -> None:
        super().__init__(code)
        self.code, self.offset = code, offset


@dataclass(frozen=True)
class UploadState:
    sha256: str
    size: int
    offset: int
    complete: bool

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size, "offset": self.offset,
                "complete": self.complete}


def _state(row: Any) -> UploadState:
    return UploadState(row.sha256, row.size, row.received, row.completed_at is not None)


def _upload(conn: Connection, person_id: str, sha256: str) -> Any:
    return conn.execute(select(blob_upload).where(blob_upload.c.person_id == person_id,
                                                  blob_upload.c.sha256 == sha256)).first()


def _discard(conn: Connection, upload_id: str) -> None:
    conn.execute(delete(blob_chunk).where(blob_chunk.c.upload_id == upload_id))
    conn.execute(delete(blob_upload).where(blob_upload.c.id == upload_id))


def _drop_stale(conn: Connection, person_id: str, now: float) -> None:
    """Forget this person's unfinished uploads idle for STALE_UPLOAD_S.

    A write statement comes first on purpose: on SQLite it takes the write lock before any
    read, so two transactions never deadlock upgrading their locks.
    """
    stale = select(blob_upload.c.id).where(
        blob_upload.c.person_id == person_id, blob_upload.c.completed_at.is_(None),
        blob_upload.c.updated_at < iso(now - STALE_UPLOAD_S)).scalar_subquery()
    conn.execute(delete(blob_chunk).where(blob_chunk.c.upload_id.in_(stale)))
    conn.execute(delete(blob_upload).where(blob_upload.c.id.in_(stale)))


def _check_room(conn: Connection, person_id: str, size: int) -> None:
    open_count = conn.execute(select(func.count()).select_from(blob_upload).where(
        blob_upload.c.person_id == person_id, blob_upload.c.completed_at.is_(None))).scalar()
    if (open_count or 0) >= MAX_OPEN_UPLOADS:
        raise BlobRefused("too_many_uploads")
    used = conn.execute(select(func.coalesce(func.sum(blob_upload.c.size), 0)).where(
        blob_upload.c.person_id == person_id)).scalar()
    if int(used or 0) + size > PERSON_QUOTA_BYTES:
        raise BlobRefused("quota_exceeded")


def _check_meta(sha256: str, size: int) -> None:
    if not SHA256_HEX.match(sha256):
        raise BlobRefused("bad_hash")
    if size > MAX_BLOB_BYTES:
        raise BlobRefused("too_large")
    if size < 0:
        raise BlobRefused("bad_size")


def create_upload(conn: Connection, person_id: str, sha256: str, size: int, mime: str, *,
                  now: float) -> UploadState:
    """Start (or find) this person's upload of a file; idempotent, answers the offset.

    Even when the server already holds the file from someone else, this person must send
    the bytes: knowing a hash is not having the file, and reading one back needs the proof.
    """
    _check_meta(sha256, size)
    _drop_stale(conn, person_id, now)
    row = _upload(conn, person_id, sha256)
    if row is not None and row.completed_at is not None:
        if row.size != size:
            raise BlobRefused("size_mismatch")
        return _state(row)
    if row is not None and row.size == size:
        return _state(row)
    if row is not None:  # an earlier attempt declared another size: start over
        _discard(conn, row.id)
    _check_room(conn, person_id, size)
    upload_id = str(uuid.uuid4())
    conn.execute(insert(blob_upload).values(
        id=upload_id, person_id=person_id, sha256=sha256, size=size, mime=mime[:128],
        received=0, created_at=iso(now), updated_at=iso(now), completed_at=None))
    if size == 0:
        return _complete(conn, upload_id, now)
    return UploadState(sha256, size, 0, False)


def upload_state(conn: Connection, person_id: str, sha256: str) -> UploadState | None:
    row = _upload(conn, person_id, sha256)
    return None if row is None else _state(row)


def append_chunk(conn: Connection, person_id: str, sha256: str, *, offset: int, data: bytes,
                 now: float) -> UploadState:
    """Store one chunk at exactly the upload's offset; the last one checks the whole file.

    A hash mismatch discards the upload (in this transaction) and raises `hash_mismatch`;
    the caller commits that discard before answering.
    """
    if len(data) > MAX_CHUNK_BYTES:
        raise BlobRefused("chunk_too_large")
    # Claim the offset with a conditional write, first (see `_drop_stale`): of two racing
    # PATCHes at one offset (a retry after a cut link) one wins, the other learns the offset.
    claimed = conn.execute(update(blob_upload).where(
        blob_upload.c.person_id == person_id, blob_upload.c.sha256 == sha256,
        blob_upload.c.received == offset, blob_upload.c.size >= offset + len(data),
        blob_upload.c.completed_at.is_(None)).values(
        received=offset + len(data), updated_at=iso(now))).rowcount
    row = _upload(conn, person_id, sha256)
    if row is None:
        raise BlobRefused("not_found")
    if claimed != 1:
        if row.completed_at is not None and offset == row.size and not data:
            return _state(row)
        if row.completed_at is None and row.received == offset:
            raise BlobRefused("beyond_size")
        raise BlobRefused("offset_mismatch", row.received)
    if data:
        conn.execute(insert(blob_chunk).values(upload_id=row.id, start=offset, size=len(data),
                                               data=data))
    if offset + len(data) < row.size:
        return UploadState(sha256, row.size, offset + len(data), False)
    return _complete(conn, row.id, now)


def _complete(conn: Connection, upload_id: str, now: float) -> UploadState:
    row = conn.execute(select(blob_upload).where(blob_upload.c.id == upload_id)).one()
    digest = hashlib.sha256()
    for (piece,) in conn.execute(select(blob_chunk.c.data).where(
            blob_chunk.c.upload_id == upload_id).order_by(blob_chunk.c.start)):
        digest.update(piece)
    if digest.hexdigest() != row.sha256:
        _discard(conn, upload_id)
        raise BlobRefused("hash_mismatch")
    conn.execute(update(blob_upload).where(blob_upload.c.id == upload_id).values(
        completed_at=iso(now), updated_at=iso(now)))
    exists = conn.execute(select(blob_file.c.sha256).where(
        blob_file.c.sha256 == row.sha256)).first()
    if exists is None:
        conn.execute(insert(blob_file).values(sha256=row.sha256, size=row.size, mime=row.mime,
                                              upload_id=upload_id, created_at=iso(now)))
    else:  # the server has these bytes already: keep one copy
        conn.execute(delete(blob_chunk).where(blob_chunk.c.upload_id == upload_id))
    return UploadState(row.sha256, row.size, row.size, True)


def put_blob(conn: Connection, sha256: str, data: bytes, person_id: str, *,
             now: float | None = None) -> None:
    """Store a whole file for `person_id` (offline bundles); verifies the hash, idempotent.

    Raises `BlobRefused` (`bad_hash`, `too_large`, `hash_mismatch`, `quota_exceeded`, …).
    """
    when = time.time() if now is None else now
    _check_meta(sha256, len(data))
    if hashlib.sha256(data).hexdigest() != sha256:
        raise BlobRefused("hash_mismatch")
    _drop_stale(conn, person_id, when)
    row = _upload(conn, person_id, sha256)
    if row is not None and row.completed_at is not None:
        return
    if row is not None:
        _discard(conn, row.id)
    _check_room(conn, person_id, len(data))
    upload_id = str(uuid.uuid4())
    conn.execute(insert(blob_upload).values(
        id=upload_id, person_id=person_id, sha256=sha256, size=len(data),
        mime="application/octet-stream", received=len(data), created_at=iso(when),
        updated_at=iso(when), completed_at=None))
    for start in range(0, len(data), MAX_CHUNK_BYTES):
        piece = data[start:start + MAX_CHUNK_BYTES]
        conn.execute(insert(blob_chunk).values(upload_id=upload_id, start=start,
                                               size=len(piece), data=piece))
    _complete(conn, upload_id, when)


def file_info(conn: Connection, sha256: str) -> Any:
    """The complete file's row (size, mime, upload_id), or None."""
    return conn.execute(select(blob_file).where(blob_file.c.sha256 == sha256)).first()


def read_range(conn: Connection, info: Any, start: int, end: int) -> bytes:
    """Bytes `start`..`end` (inclusive) of a complete file."""
    rows = conn.execute(select(blob_chunk.c.start, blob_chunk.c.data).where(
        blob_chunk.c.upload_id == info.upload_id, blob_chunk.c.start <= end,
        blob_chunk.c.start + blob_chunk.c.size > start).order_by(blob_chunk.c.start))
    parts = []
    for chunk_start, piece in rows:
        lo = max(0, start - chunk_start)
        hi = min(len(piece), end + 1 - chunk_start)
        parts.append(bytes(piece[lo:hi]))
    return b"".join(parts)


def add_ref(conn: Connection, sha256: object, entity_kind: str, entity_id: str,
            owner_id: str) -> None:
    """Record that an entity's evidence names a file (called when an `attach` op applies)."""
    if not isinstance(sha256, str) or not SHA256_HEX.match(sha256):
        return
    found = conn.execute(select(blob_ref.c.sha256).where(and_(
        blob_ref.c.sha256 == sha256, blob_ref.c.entity_kind == entity_kind,
        blob_ref.c.entity_id == entity_id))).first()
    if found is None:
        conn.execute(insert(blob_ref).values(sha256=sha256, entity_kind=entity_kind,
                                             entity_id=entity_id, owner_id=owner_id))


def holders(conn: Connection, sha256: str, person_ids: list[str]) -> set[str]:
    """Which of `person_ids` completed an upload of the file (proved they have it)."""
    if not person_ids:
        return set()
    return {str(p) for p in conn.execute(select(blob_upload.c.person_id).where(
        blob_upload.c.sha256 == sha256, blob_upload.c.person_id.in_(person_ids),
        blob_upload.c.completed_at.is_not(None))).scalars()}


def may_read(conn: Connection, person_id: str, is_admin: bool, sha256: str, now: float) -> bool:
    """The uploader, or a reader of a (live) entity whose bukti name the file (S-13).

    A reader of a person's records is the person, their current pejabat penilai, the
    pengelola kepegawaian of their unit, or an admin. The entity's owner must have uploaded
    the file too: attaching a hash one only knows never opens someone else's file.
    """
    if holders(conn, sha256, [person_id]):
        return True
    named_by = {str(o) for o in conn.execute(
        select(blob_ref.c.owner_id).join(entity, and_(
            entity.c.kind == blob_ref.c.entity_kind, entity.c.id == blob_ref.c.entity_id))
        .where(blob_ref.c.sha256 == sha256, entity.c.deleted.is_(False))).scalars()}
    owners = sorted(holders(conn, sha256, sorted(named_by)))
    if not owners:
        return False
    if is_admin or person_id in owners:
        return True
    links = roster.current_links(conn, owners, roster.today_wib(now))
    if any(link.penilai_id == person_id for link in links.values()):
        return True
    hr_units = set(conn.execute(select(hr_assignment.c.unit_id).where(
        hr_assignment.c.person_id == person_id)).scalars())
    owner_units = set(conn.execute(select(person.c.unit_id).where(
        person.c.id.in_(owners))).scalars()) if hr_units else set()
    return bool(hr_units & owner_units)
