"""Offline bundles on the device: export the queue, upload at an office PC, import the reply.
Import is idempotent and never goes backwards (only unanswered ops, only changes past the local
cursor), so a reply imported twice, late, or after an online sync changes nothing it should not.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from asndesk.errors import NotFound, UserFacingError
from asndesk.i18n import N_
from asndesk.store import attachment_repo, attachment_sync_repo
from asndesk.store.outbox import Op
from asndesk.workspace import Workspace
from sync import bundle
from sync.client import NeedsLogin, SyncClient, TransientError
from sync.protocol import (
    MAX_OPS_PER_PUSH,
    Change,
    OpEnvelope,
    OpStatus,
    ProtocolError,
    PullPage,
    PushRequest,
    PushResponse,
)

_HEADROOM = 64 * 1024  # header, signature, tag and the blob list, with room to spare


class NoServerKeys(UserFacingError):
    message_id = N_("This profile does not know the office server's keys yet. Log in once "
                    "while connected: asndesk login --server URL")


@dataclass
class ExportSummary:
    bundle_id: str
    ops: int = 0
    files: int = 0
    files_left: int = 0      # too large for this bundle: they go by the online channel
    ops_left: bool = False   # more than one bundle's worth queued


@dataclass
class ImportSummary:
    acked: int = 0
    rejected: int = 0
    conflicts: int = 0
    received: int = 0
    skipped: int = 0
    files_stored: int = 0
    more: bool = False       # the server had more than this reply could carry
    changed: set[str] = field(default_factory=set)


def _server(ws: Workspace) -> dict[str, str]:
    raw = ws.sync_setting("server_keys")
    if not raw:
        raise NoServerKeys()
    keys: dict[str, str] = json.loads(raw)
    return keys


def _pending(ws: Workspace) -> dict[str, dict[str, Any]]:
    raw = ws.sync_setting("bundles")
    value: dict[str, dict[str, Any]] = json.loads(raw) if raw else {}
    return value


# -- export -------------------------------------------------------------------------------------
def _server_clock(ws: Workspace) -> float:
    """The server's time as this device best knows it: its own clock less the offset the last
    sync measured. Bundle lifetimes are the server's, so a wrong PC clock cannot expire one."""
    offset = ws.sync_setting("clock_offset")
    return time.time() - (float(offset) if offset else 0.0)


def export_bundle(ws: Workspace, now: float | None = None) -> tuple[bytes, ExportSummary]:
    """Seal the queued ops (and their files) to the server, signed by this device."""
    keys = _server(ws)
    now = _server_clock(ws) if now is None else now
    ops = _contiguous(_ops_to_send(ws))
    summary = ExportSummary(str(uuid.uuid4()), ops=len(ops),
                            ops_left=len(ws.unacked_ops(MAX_OPS_PER_PUSH + 1)) > len(ops))
    cursors: dict[str, Any] = {"own": None, **ws.sync_cursors()}
    push = (PushRequest(ws.store.device_id, tuple(OpEnvelope.from_outbox(op) for op in ops))
            .to_wire() if ops else None)
    message = {"push": push, "cursors": cursors}
    budget = bundle.MAX_BUNDLE_BYTES - _HEADROOM - len(bundle.pack_content(message, []))
    blobs = _blobs(ws, ops, budget, summary)
    reply_key = X25519PrivateKey.generate()
    header = bundle.Header(kind="request", bundle_id=summary.bundle_id,
                           device_id=ws.store.device_id, server_id=keys["server_id"],
                           created_at=int(now), expires_at=int(now) + bundle.TTL_S,
                           reply_key=bundle.x25519_public(reply_key))
    data = bundle.seal(header, bundle.pack_content(message, blobs),
                       bundle.unb64(keys["x25519"], 32),
                       Ed25519PrivateKey.from_private_bytes(ws.device_signing_key()))
    # The reply key stays in the encrypted profile until the reply could no longer arrive.
    pending = {k: v for k, v in _pending(ws).items()
               if v["expires_at"] + bundle.TTL_S >= now}
    pending[summary.bundle_id] = {
        "reply_key": reply_key.private_bytes_raw().hex(), "expires_at": header.expires_at,
        "cursors": cursors, "first_seq": ops[0].seq if ops else None}
    ws.set_sync_settings(bundles=json.dumps(pending, sort_keys=True))
    if ops:
        ws.mark_sent([op.seq for op in ops])
    return data, summary


def _ops_to_send(ws: Workspace) -> list[Op]:
    """The unanswered ops, or from where the server asked (it lost some: restored backup)."""
    resend = ws.sync_setting("bundle_resend_from")
    if resend is not None:
        return ws.ops_from(int(resend), MAX_OPS_PER_PUSH)
    return ws.unacked_ops(MAX_OPS_PER_PUSH)


def _contiguous(ops: list[Op]) -> list[Op]:
    run: list[Op] = []
    for op in ops:
        if run and op.seq != run[-1].seq + 1:
            break
        run.append(op)
    return run


def _blobs(ws: Workspace, ops: list[Op], budget: int, summary: ExportSummary) -> list[bytes]:
    """The files named by the bundle's `attach` ops, as many as fit (each once)."""
    found: dict[str, bytes] = {}
    used = 0
    for op in ops:
        digest, attachment_id = op.payload.get("sha256"), op.payload.get("attachment_id")
        if op.kind != "attach" or not digest or not attachment_id or digest in found:
            continue
        try:
            data = attachment_repo.data_of(ws.store.conn, str(attachment_id))
        except NotFound:
            data = b""
        if not data:
            continue  # not (or no longer) held here: nothing to carry
        if used + len(data) > budget:
            summary.files_left += 1
            continue
        found[str(digest)] = data
        used += len(data)
    summary.files = len(found)
    return list(found.values())


# -- upload (at an office PC, with that PC's logged-in profile) ---------------------------------
class BundleUploader(SyncClient):
    """Posts a bundle with this profile's session and returns the server's reply bundle."""

    def upload(self, data: bytes) -> bytes:
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.ws.sync_setting('access') or ''}",
                       "Content-Type": "application/octet-stream"}
            response = self._send(bundle.BUNDLE_PATH, data=data, json_body=None,
                                  headers=headers)
            if response.status_code == 401 and attempt == 1 and _code(response) == (
                    "unauthenticated"):
                self._refresh()
                continue
            self._raise_for(response)
            if (response.headers.get("Content-Type", "").split(";")[0] != bundle.MEDIA_TYPE
                    or not response.content.startswith(bundle.MAGIC)):
                raise TransientError("not_protocol")  # e.g. a captive portal's page
            return response.content
        raise NeedsLogin("unauthenticated")


def _code(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""


# -- import -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Reply:
    entry: dict[str, Any]
    push: PushResponse | None
    pages: tuple[PullPage, ...]
    blobs_stored: frozenset[str]
    created_at: int = 0  # when the server made it (its clock, signed)


def open_reply(ws: Workspace, data: bytes, now: float | None = None) -> _Reply:
    """Every check, before anything is written: a refusal leaves the profile untouched."""
    keys = _server(ws)
    sealed = bundle.parse(data)
    header = sealed.header
    if header.kind != "reply":
        raise bundle.BundleWrongKind()
    if header.server_id != keys["server_id"]:
        raise bundle.BundleWrongRecipient()
    bundle.verify(sealed, bundle.unb64(keys["ed25519"], 32))
    entry = _pending(ws).get(header.in_reply_to or "")
    if header.device_id != ws.store.device_id or entry is None:
        raise bundle.BundleWrongRecipient()
    bundle.check_lifetime(header, _server_clock(ws) if now is None else now)
    key = X25519PrivateKey.from_private_bytes(bytes.fromhex(entry["reply_key"]))
    message, _blobs = bundle.unpack_content(bundle.open_content(sealed, key))
    try:
        push = None if message.get("push") is None else PushResponse.from_wire(message["push"])
        pages = tuple(PullPage.from_wire(p) for p in message.get("pages") or [])
        stored = frozenset(str(d) for d in message.get("blobs_stored") or [])
    except (ProtocolError, TypeError):
        raise bundle.BundleDamaged() from None
    if any(str(p.partition) not in entry["cursors"] for p in pages):
        raise bundle.BundleDamaged()
    return _Reply(entry, push, pages, stored, header.created_at)


def import_reply(ws: Workspace, data: bytes, now: float | None = None) -> ImportSummary:
    """Apply a verified reply: answers first (as a push), then the pulled pages."""
    reply = open_reply(ws, data, now)
    summary = ImportSummary()
    if reply.push is not None:
        _record_answers(ws, reply.entry, reply.push, summary)
    _record_files(ws, reply.blobs_stored, summary)
    last: dict[str, PullPage] = {}
    for page in reply.pages:
        _apply_page(ws, reply.entry, page, summary)
        last[str(page.partition)] = page
    summary.more = any(page.more for page in last.values())
    # A verified server reply counts as contact (days-offline limit), as of when it was made.
    ws.note_server_contact(float(reply.created_at))
    return summary


def _record_answers(ws: Workspace, entry: dict[str, Any], push: PushResponse,
                    summary: ImportSummary) -> None:
    waiting = {op.seq: op.op_id for op in ws.outbox(("pending", "sent"))}
    # An op answered already (online, or by another reply) keeps that answer.
    fresh = [r for r in push.results if waiting.get(r.seq) == r.op_id]
    if fresh:
        ws.record_push_results([r.to_wire() for r in fresh])
    for result in fresh:
        summary.acked += result.status is OpStatus.APPLIED
        summary.rejected += result.status is OpStatus.REJECTED
        summary.conflicts += result.status is OpStatus.CONFLICT
    resend = ws.sync_setting("bundle_resend_from")
    if push.need_from is not None:
        # The server lacks ops before these (restored from a backup): the next bundle resends.
        _resend_from(ws, push.need_from)
    elif resend is not None and entry.get("first_seq") is not None and int(
            entry["first_seq"]) <= int(resend):
        ws.set_sync_settings(bundle_resend_from=None)  # that bundle carried them again


def _record_files(ws: Workspace, stored: frozenset[str], summary: ImportSummary) -> None:
    """Files the bundle delivered need not go up the online channel again."""
    due = [t for t in attachment_sync_repo.uploads_due(ws.store.conn) if t.sha256 in stored]
    if not due:
        return  # nothing waiting (or imported before): write nothing
    with ws.store.write(ws.owner_nip) as tx:
        for task in due:
            attachment_sync_repo.record_upload(tx, task, task.size, complete=True)
    summary.files_stored = len(due)


def _resend_from(ws: Workspace, seq: int) -> None:
    resend = ws.sync_setting("bundle_resend_from")
    ws.set_sync_settings(bundle_resend_from=str(min(seq, int(resend or seq))))


def _apply_page(ws: Workspace, entry: dict[str, Any], page: PullPage,
                summary: ImportSummary) -> None:
    partition = str(page.partition)
    local = ws.sync_cursors().get(partition)
    if local is not None and local["epoch"] != page.cursor.epoch:
        if local != entry["cursors"].get(partition):
            # Pulled online since the export, in another server history: that pull is the
            # device's truth now, and the next online sync resumes from it.
            summary.skipped += len(page.changes)
            return
        local = None  # the server answered our exported cursor: its page continues it
    floor = -1 if local is None else int(local["seq"])
    newer: list[Change] = [c for c in page.changes if c.server_seq > floor]
    if page.cursor.seq <= floor and not newer:
        summary.skipped += len(page.changes)
        return  # nothing new: write nothing at all (a repeated import changes nothing)
    cursor = page.cursor.to_wire() if page.cursor.seq > floor else local
    changes, skipped = ws.apply_pull_page(partition, [c.to_wire() for c in newer],
                                          cursor or page.cursor.to_wire())
    summary.received += len(newer) - skipped
    summary.skipped += skipped + len(page.changes) - len(newer)
    summary.changed |= set(changes.entities)
    if partition == "own" and page.rebased_from is not None:
        # The server was restored to before ops it had acked: carry them in the next bundle.
        first = ws.first_acked_after(page.rebased_from)
        if first is not None:
            _resend_from(ws, first)
