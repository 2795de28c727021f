"""The sync client engine (Qt-free): log in, push the outbox, pull partitions — over bad links.

One keep-alive `requests.Session`; a read timeout acts as a *stall* timeout (time without
bytes), never a total one; anything that is not a protocol answer (a captive portal's HTML
200, a 5xx, a reset) is a transient failure that is retried with full-jitter backoff. Acks
are idempotent on the server, so retrying after an uncertain failure never duplicates.
"""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from asndesk.store.outbox import Op
from asndesk.workspace import Workspace
from sync import wire
from sync.protocol import (
    PULL_PATH,
    PUSH_PATH,
    REFRESH_CONTEXT,
    Cursor,
    OpEnvelope,
    OpStatus,
    Partition,
    ProtocolError,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class SyncError(Exception):
    """A sync failure with a stable code (translated by the UI, never echoing secrets)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TransientError(SyncError):
    """Worth another attempt: no link, reset, stall, 5xx, or a non-protocol answer."""


class NeedsLogin(SyncError):
    """The server no longer accepts this device's tokens; the person must log in again."""


class DeviceRevoked(SyncError):
    """HR or an admin revoked this device (the caller crypto-shreds the profile)."""


@dataclass
class SyncReport:
    pushed: int = 0
    acked: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled: int = 0
    skipped: int = 0
    requests: int = 0
    changed: set[str] = field(default_factory=set)


class SyncClient:
    """Syncs one unlocked workspace with one server."""

    def __init__(self, ws: Workspace, base_url: str, *, session: requests.Session | None = None,
                 connect_timeout: float = 10.0, stall_timeout: float = 30.0,
                 max_push_bytes: int = 256 * 1024) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SyncError("bad_url")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK:
            raise SyncError("insecure_url")  # S-12: plain HTTP only to this machine
        self.ws = ws
        self.base_url = base_url.rstrip("/")
        self.http = session or requests.Session()
        self.timeout = (connect_timeout, stall_timeout)
        self.max_push_bytes = max_push_bytes

    # -- auth ----------------------------------------------------------------------------
    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.ws.device_signing_key())

    def login(self, nip: str, password: str, device_name: str | None = None) -> dict[str, Any]:
        public = self._key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        body = self._json("/auth/login", {
            "nip": nip, "password": password, "device_id": self.ws.store.device_id,
            "device_public_key": base64.b64encode(public).decode(), "device_name": device_name})
        self.ws.set_sync_settings(url=self.base_url, access=body["access_token"],
                                  refresh=body["refresh_token"])
        return body

    def _refresh(self) -> None:
        token = self.ws.sync_setting("refresh")
        if not token:
            raise NeedsLogin("no_session")
        signature = base64.b64encode(self._key().sign(REFRESH_CONTEXT + token.encode())).decode()
        body = self._json("/auth/refresh", {"refresh_token": token, "signature": signature,
                                            "device_id": self.ws.store.device_id})
        self.ws.set_sync_settings(access=body["access_token"], refresh=body["refresh_token"])

    def _json(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        response = self._send(path, data=None, json_body=payload, headers={})
        self._raise_for(response)
        try:
            body: dict[str, Any] = response.json()
        except ValueError:
            raise TransientError("not_protocol") from None
        return body

    # -- transport -----------------------------------------------------------------------
    def _send(self, path: str, *, data: bytes | None, json_body: dict[str, Any] | None,
              headers: dict[str, str]) -> requests.Response:
        try:
            return self.http.post(f"{self.base_url}{path}", data=data, json=json_body,
                                  headers=headers, timeout=self.timeout)
        except requests.RequestException:
            # Reset, refused, DNS, stall (read timeout), truncated body: all retryable.
            raise TransientError("network") from None

    def _raise_for(self, response: requests.Response) -> None:
        if response.status_code < 400:
            return
        try:
            code = str(response.json().get("error", "http_error"))
        except ValueError:
            code = "http_error"
        if code == "device_revoked":
            raise DeviceRevoked(code)
        if response.status_code in (401, 403) and code in ("refresh_failed", "account_disabled",
                                                           "unauthenticated"):
            raise NeedsLogin(code)
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(code)
        raise SyncError(code)

    def _call(self, path: str, message: dict[str, Any], report: SyncReport) -> dict[str, Any]:
        """POST a protocol message; refresh the access token once if it expired."""
        body = wire.encode(message, "zstd")
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.ws.sync_setting('access') or ''}",
                       "Content-Type": wire.MEDIA_TYPE, "Content-Encoding": "zstd",
                       "Accept-Encoding": "zstd, gzip"}
            report.requests += 1
            response = self._send(path, data=body, json_body=None, headers=headers)
            if response.status_code == 401 and attempt == 1 and _error(response) in (
                    "unauthenticated",):
                self._refresh()
                continue
            self._raise_for(response)
            if response.headers.get("Content-Type", "").split(";")[0] != wire.MEDIA_TYPE:
                # A captive portal's "200 OK" login page is not an answer (never an ack).
                raise TransientError("not_protocol")
            try:
                return wire.decode(response.content, response.headers.get("Content-Encoding"))
            except wire.WireError:
                raise TransientError("bad_body") from None
        raise NeedsLogin("unauthenticated")

    # -- sync ----------------------------------------------------------------------------
    def sync_once(self, partitions: list[str] | None = None) -> SyncReport:
        """Push everything queued, then pull each partition to its end."""
        report = SyncReport()
        self._push_all(report)
        for name in partitions or ["own"]:
            self._pull_partition(Partition.parse(name), report)
        return report

    def sync(self, attempts: int = 6, *, sleep: Callable[[float], None] = time.sleep,
             rand: Callable[[], float] = random.random, base_delay: float = 1.0,
             max_delay: float = 300.0) -> SyncReport:
        """`sync_once` with retries: exponential backoff with full jitter between attempts."""
        for attempt in range(attempts):
            try:
                return self.sync_once()
            except TransientError:
                if attempt == attempts - 1:
                    raise
                sleep(rand() * min(max_delay, base_delay * 2 ** attempt))
        raise TransientError("gave_up")

    def _push_all(self, report: SyncReport) -> None:
        ops = self.ws.unacked_ops()
        while ops:
            batch = self._batch(ops)
            self.ws.mark_sent([op.seq for op in batch])
            message = PushRequest(self.ws.store.device_id,
                                  tuple(OpEnvelope.from_outbox(op) for op in batch))
            try:
                answer = PushResponse.from_wire(self._call(PUSH_PATH, message.to_wire(), report))
            except ProtocolError:
                raise TransientError("bad_answer") from None
            self.ws.record_push_results([r.to_wire() for r in answer.results])
            report.pushed += len(batch)
            for result in answer.results:
                report.acked += result.status is OpStatus.APPLIED
                report.rejected += result.status is OpStatus.REJECTED
                report.conflicts += result.status is OpStatus.CONFLICT
            if answer.need_from is not None:
                # The server lacks earlier ops (e.g. restored from a backup): send from there.
                ops = self.ws.ops_from(answer.need_from)
                if not ops or ops[0].seq != answer.need_from:
                    raise SyncError("need_from_unavailable")
                continue
            if not answer.results:
                raise TransientError("no_progress")
            ops = self.ws.unacked_ops()

    def _batch(self, ops: list[Op]) -> list[Op]:
        """A contiguous run of ops within the byte budget (at least one op)."""
        batch: list[Op] = []
        size = 0
        for op in ops:
            if batch and (op.seq != batch[-1].seq + 1 or size > self.max_push_bytes):
                break
            batch.append(op)
            size += len(wire.dumps(OpEnvelope.from_outbox(op).to_wire()))
        return batch

    def _pull_partition(self, partition: Partition, report: SyncReport) -> None:
        while True:
            stored = self.ws.sync_cursors().get(str(partition))
            cursor = Cursor(stored["epoch"], stored["seq"]) if stored else None
            request = PullRequest({partition: cursor})
            try:
                answer = PullResponse.from_wire(self._call(PULL_PATH, request.to_wire(), report))
            except ProtocolError:
                raise TransientError("bad_answer") from None
            page = answer.pages[0]
            changes, skipped = self.ws.apply_pull_page(
                str(partition), [c.to_wire() for c in page.changes], page.cursor.to_wire())
            report.pulled += len(page.changes)
            report.skipped += skipped
            report.changed |= set(changes.entities)
            if not page.more:
                return


def _error(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""
