"""Offline bundles on the server (format: `sync/bundle.py`): its keys, checking and applying a
device's bundle uploaded by anyone logged in, and the sealed reply. A refused bundle writes
nothing; applying is the ordinary push, so uploading one twice changes nothing.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from sync import bundle
from sync.protocol import (
    MIN_PULL_BYTES,
    Cursor,
    Partition,
    ProtocolError,
    PullPage,
    PullRequest,
    PushRequest,
)
from sync.server import accounts, blob_store, pull_service, push_service
from sync.server.schema import device, person, server_meta

KEYS_META = "bundle_keys"
REPLY_PAGE_BUDGET = 6 * 1024 * 1024  # pulled changes per reply; the rest comes next time
MAX_PARTITIONS = 50


class BundleRefused(Exception):
    """A refusal with an HTTP status and a generic code (nothing about the content)."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status, self.code = status, code


@dataclass(frozen=True)
class ServerKeys:
    server_id: str
    exchange: X25519PrivateKey
    signing: Ed25519PrivateKey

    def public(self) -> dict[str, str]:
        """What a device stores at login to seal bundles to this server and check replies."""
        return {"server_id": self.server_id,
                "x25519": bundle.b64(bundle.x25519_public(self.exchange)),
                "ed25519": bundle.b64(bundle.ed25519_public(self.signing))}


def server_keys(conn: Connection) -> ServerKeys:
    """The server id and keys, made once per database (race-safe: first insert wins)."""
    stored = conn.execute(select(server_meta.c.value).where(server_meta.c.key == KEYS_META)
                          ).scalar()
    if stored is None:
        fresh = json.dumps({"server_id": str(uuid.uuid4()), "x25519": secrets.token_hex(32),
                            "ed25519": secrets.token_hex(32)})
        try:
            with conn.begin_nested():
                conn.execute(server_meta.insert().values(key=KEYS_META, value=fresh))
        except IntegrityError:
            pass  # another instance made them first: use theirs
        stored = conn.execute(select(server_meta.c.value)
                              .where(server_meta.c.key == KEYS_META)).scalar_one()
    data = json.loads(stored)
    return ServerKeys(str(data["server_id"]),
                      X25519PrivateKey.from_private_bytes(bytes.fromhex(data["x25519"])),
                      Ed25519PrivateKey.from_private_bytes(bytes.fromhex(data["ed25519"])))


@dataclass(frozen=True)
class Upload:
    """Who uploads (any logged-in person), when, and under which request id and address."""

    uploader_id: str
    now: float
    request_id: str
    address: str | None


@dataclass(frozen=True)
class _Checked:
    header: bundle.Header
    person_id: str
    is_admin: bool
    message: dict[str, Any]
    blobs: dict[str, bytes]


def answer(engine: Engine, upload: Upload, data: bytes) -> bytes:
    """Check and apply a device's bundle; return the reply bundle for that device."""
    try:
        with engine.begin() as conn:
            keys = server_keys(conn)
            checked = _check(conn, keys, data, upload.now)
            applied = _apply(conn, checked, upload)
            accounts.audit(conn, upload.now, actor=upload.uploader_id, action="bundle.upload",
                           target=checked.header.device_id, request_id=upload.request_id,
                           address=upload.address)
    except BundleRefused as refused:
        with engine.begin() as conn:
            accounts.audit(conn, upload.now, actor=upload.uploader_id,
                           action=f"bundle.refused.{refused.code}"[:64], target=None,
                           request_id=upload.request_id, address=upload.address)
        raise
    with engine.connect() as conn:
        pages = _pages(conn, checked, upload.now)
    return _reply(keys, checked, {**applied, "pages": pages}, upload.now)


def _check(conn: Connection, keys: ServerKeys, data: bytes, now: float) -> _Checked:
    try:
        sealed = bundle.parse(data)
        header = sealed.header
        if header.kind != "request":
            raise BundleRefused(400, "bundle_wrong_kind")
        found = conn.execute(
            select(device.c.public_key, device.c.revoked_at, person.c.id, person.c.is_admin,
                   person.c.disabled)
            .join(person, person.c.id == device.c.person_id)
            .where(device.c.id == header.device_id)).first()
        if found is None:
            raise BundleRefused(400, "bundle_invalid")  # as for a bad signature: no probing
        bundle.verify(sealed, bundle.unb64(found.public_key, 32))
        if header.server_id != keys.server_id:
            raise BundleRefused(400, "bundle_wrong_server")
        if found.revoked_at is not None:
            raise BundleRefused(403, "bundle_device_revoked")
        if found.disabled:
            raise BundleRefused(403, "bundle_account_disabled")
        bundle.check_lifetime(header, now)
        message, blobs = bundle.unpack_content(bundle.open_content(sealed, keys.exchange))
    except bundle.BundleExpired:
        raise BundleRefused(400, "bundle_expired") from None
    except bundle.BundleWrongRecipient:
        raise BundleRefused(400, "bundle_wrong_server") from None
    except bundle.BundleError:
        raise BundleRefused(400, "bundle_invalid") from None
    return _Checked(header, found.id, bool(found.is_admin), message, blobs)


def _apply(conn: Connection, checked: _Checked, upload: Upload) -> dict[str, Any]:
    """Store the blobs, then push the ops as the bundle's device (stored results on replay)."""
    raw = checked.message.get("push")
    try:
        request = None if raw is None else PushRequest.from_wire(raw)
    except ProtocolError:
        raise BundleRefused(400, "bundle_invalid") from None
    if request is not None and request.device_id != checked.header.device_id:
        raise BundleRefused(400, "bundle_invalid")
    stored = _store_blobs(conn, checked, upload.now)
    answer: dict[str, Any] = {"blobs_stored": stored, "push": None}
    if request is not None:
        who = push_service.Pusher(checked.person_id,
                                  push_service.nip_of(conn, checked.person_id),
                                  checked.header.device_id)
        answer["push"] = push_service.push(conn, who, request, upload.now,
                                           upload.request_id).to_wire()
    return answer


def _store_blobs(conn: Connection, checked: _Checked, now: float) -> list[str]:
    """Store each file as the device's person; one over quota is left for the online channel."""
    stored = []
    for digest, blob in sorted(checked.blobs.items()):
        try:
            with conn.begin_nested():
                blob_store.put_blob(conn, digest, blob, checked.person_id, now=now)
        except blob_store.BlobRefused:
            continue
        stored.append(digest)
    return stored


def _pages(conn: Connection, checked: _Checked, now: float) -> list[dict[str, Any]]:
    """Pull pages from the device's cursors, while the reply's budget lasts."""
    raw = checked.message.get("cursors")
    if not isinstance(raw, dict) or not 1 <= len(raw) <= MAX_PARTITIONS:
        return []
    pages: list[dict[str, Any]] = []
    budget = REPLY_PAGE_BUDGET
    for name, value in sorted(raw.items()):
        try:
            partition = Partition.parse(str(name))
            cursor = None if value is None else Cursor.from_wire(value)
        except ProtocolError:
            continue
        more = True
        while more and budget >= MIN_PULL_BYTES:
            request = PullRequest({partition: cursor}, max_bytes=min(budget, 4 * 1024 * 1024))
            try:
                page: PullPage = pull_service.pull(conn, checked.person_id, checked.is_admin,
                                                   request, now).pages[0]
            except pull_service.PartitionRefused:
                break  # no longer this person's to read: the rest of the reply still helps
            pages.append(page.to_wire())
            budget -= len(json.dumps(pages[-1]))
            cursor, more = page.cursor, page.more
    return pages


def _reply(keys: ServerKeys, checked: _Checked, message: dict[str, Any], now: float) -> bytes:
    header = checked.header
    reply = bundle.Header(kind="reply", bundle_id=str(uuid.uuid4()), device_id=header.device_id,
                          server_id=keys.server_id, created_at=int(now),
                          expires_at=int(now) + bundle.TTL_S, in_reply_to=header.bundle_id)
    if header.reply_key is None:  # parse() requires one in a request; this tells mypy
        raise BundleRefused(400, "bundle_invalid")
    return bundle.seal(reply, bundle.pack_content(message, []), header.reply_key, keys.signing)
