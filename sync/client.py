"""The sync client engine (Qt-free): log in, push the outbox, pull partitions — over bad links.

One keep-alive `requests.Session`; a read timeout acts as a *stall* timeout (time without
bytes), never a total one; anything that is not a protocol answer (a captive portal's HTML
200, a 5xx, a reset) is a transient failure that is retried with full-jitter backoff. Acks
are idempotent on the server, so retrying after an uncertain failure never duplicates.
"""

from __future__ import annotations

import base64
import hashlib
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from asndesk.workspace import Workspace
from sync import tls_trust, wire
from sync.outcome import (
    DeviceRevoked,
    FinalPushPending,
    NeedsLogin,
    SyncError,
    SyncReport,
    TransientError,
)
from sync.progress import Progress, ProgressFn
from sync.protocol import (
    DEVICE_HEADER,
    REFRESH_CONTEXT,
    SIGNATURE_HEADER,
    Partition,
    ProtocolError,
    roles_stamp,
)
from sync.pull_engine import PullEngine, PullRun
from sync.push_engine import PushEngine

# Callers import the failures and the report from here, with the client that raises them.
__all__ = ["DeviceRevoked", "FinalPushPending", "NeedsLogin", "SyncClient", "SyncError",
           "SyncReport", "TransientError"]

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
ROLES_MAX_AGE_S = 600.0  # how long a stored /me answer (subordinates, HR units) is trusted
CLOCK_WARN_S = 300  # a device clock further than this from the server's is pointed out


class SyncClient:
    """Syncs one unlocked workspace with one server."""

    def __init__(self, ws: Workspace, base_url: str, *, session: requests.Session | None = None,
                 connect_timeout: float = 10.0, stall_timeout: float = 30.0,
                 max_push_bytes: int = 256 * 1024,
                 clock: Callable[[], float] = time.time) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SyncError("bad_url")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK:
            raise SyncError("insecure_url")  # S-12: plain HTTP only to this machine
        self.ws = ws
        self.base_url = base_url.rstrip("/")
        self.http = session or tls_trust.office_session(self.base_url)
        self.timeout = (connect_timeout, stall_timeout)
        self.pusher = PushEngine(self, max_push_bytes)
        self.puller = PullEngine(self)
        # Called with a sync.progress.Progress (phase, items, bytes) as the sync goes on.
        self.progress: ProgressFn | None = None
        self.roles_max_age = ROLES_MAX_AGE_S
        self.clock = clock  # the device's wall clock (UTC seconds); only measured, never trusted

    # -- auth ----------------------------------------------------------------------------
    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.ws.device_signing_key())

    def login(self, nip: str, password: str, device_name: str | None = None) -> dict[str, Any]:
        public = self._key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        body = self._json("/auth/login", {
            "nip": nip, "password": password, "device_id": self.ws.store.device_id,
            "device_public_key": base64.b64encode(public).decode(), "device_name": device_name})
        keys = body.get("server_keys")  # what offline bundles are sealed to (sync/bundle.py)
        self.ws.set_sync_settings(url=self.base_url, access=body["access_token"],
                                  refresh=body["refresh_token"],
                                  server_keys=wire.dumps(keys).decode() if keys else None)
        self.ws.note_server_contact()
        return body

    def _refresh(self) -> None:
        token = self.ws.sync_setting("refresh")
        if not token:
            raise NeedsLogin("no_session")
        signature = base64.b64encode(self._key().sign(REFRESH_CONTEXT + token.encode())).decode()
        body = self._json("/auth/refresh", {"refresh_token": token, "signature": signature,
                                            "device_id": self.ws.store.device_id})
        self.ws.set_sync_settings(access=body["access_token"], refresh=body["refresh_token"])
        self.ws.note_server_contact()  # the device key and token were accepted just now

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
        except requests.RequestException as exc:
            # Reset, refused, DNS, stall (read timeout), truncated body: all retryable; so is
            # a server whose identity fails (a captive portal), but it is named as such.
            raise TransientError(tls_trust.failure_code(exc)) from None

    def _raise_for(self, response: requests.Response) -> None:
        if response.status_code < 400:
            return
        try:
            body = response.json()
            code = str(body.get("error", "http_error"))
        except (ValueError, AttributeError):
            body, code = {}, "http_error"
        if code == "device_revoked":
            raise DeviceRevoked(code, final_push=body.get("final_push") is True)
        if response.status_code in (401, 403) and code in ("refresh_failed", "account_disabled",
                                                           "unauthenticated"):
            raise NeedsLogin(code)
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(code)
        raise SyncError(code)

    def call(self, path: str, message: dict[str, Any], report: SyncReport) -> dict[str, Any]:
        """POST a protocol message; refresh the access token once if it expired."""
        body = wire.encode(message, "zstd")
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.ws.sync_setting('access') or ''}",
                       "Content-Type": wire.MEDIA_TYPE, "Content-Encoding": "zstd",
                       "Accept-Encoding": "zstd, gzip"}
            report.requests += 1
            sent = self.clock()
            response = self._send(path, data=body, json_body=None, headers=headers)
            received = self.clock()
            if response.status_code == 401 and attempt == 1 and _error(response) in (
                    "unauthenticated",):
                self._refresh()
                continue
            self._raise_for(response)
            return _answer(response, report, (sent + received) / 2)
        raise NeedsLogin("unauthenticated")

    def signed_post(self, path: str, context: bytes, body: bytes, content_type: str,
                    report: SyncReport) -> requests.Response:
        """POST with no token, proven by the device key: the Ed25519 signature of `context`
        + SHA-256(body) in `SIGNATURE_HEADER` (a revoked device's final push)."""
        proof = self._key().sign(context + hashlib.sha256(body).digest())
        headers = {DEVICE_HEADER: self.ws.store.device_id,
                   SIGNATURE_HEADER: base64.b64encode(proof).decode(),
                   "Content-Type": content_type, "Accept-Encoding": "zstd, gzip"}
        if content_type == wire.MEDIA_TYPE:
            headers["Content-Encoding"] = "zstd"
        report.requests += 1
        response = self._send(path, data=body, json_body=None, headers=headers)
        self._raise_for(response)
        return response

    def signed_call(self, path: str, context: bytes, message: dict[str, Any],
                    report: SyncReport) -> dict[str, Any]:
        """`call` for the signed routes: a compressed protocol message and its answer."""
        sent = self.clock()
        response = self.signed_post(path, context, wire.encode(message, "zstd"),
                                    wire.MEDIA_TYPE, report)
        return _answer(response, report, (sent + self.clock()) / 2)

    def rest(self, method: str, path: str, *, json_body: Any = None,
             content: bytes | None = None, content_type: str | None = None,
             params: dict[str, Any] | None = None, report: SyncReport | None = None) -> Any:
        """An authenticated JSON request to the office server's administration routes
        (roster, periods, devices …); the access token is refreshed once if it expired.

        Returns the decoded JSON answer (None for an empty one). Raises `TransientError`
        when the server cannot be reached, `NeedsLogin`, or `SyncError(code)` with the
        server's error code (its `field`, when it names one, is in `SyncError.field`).
        """
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.ws.sync_setting('access') or ''}",
                       "Accept": "application/json"}
            if content_type:
                headers["Content-Type"] = content_type
            if report is not None:
                report.requests += 1
            try:
                response = self.http.request(method, f"{self.base_url}{path}", params=params,
                                             json=json_body, data=content, headers=headers,
                                             timeout=self.timeout)
            except requests.RequestException as exc:
                raise TransientError(tls_trust.failure_code(exc)) from None
            if response.status_code == 401 and attempt == 1 and _error(response) == (
                    "unauthenticated"):
                self._refresh()
                continue
            try:
                self._raise_for(response)
            except SyncError as err:
                err.field, err.detail = _detail(response)
                raise
            if not response.content:
                return None
            if response.headers.get("Content-Type", "").split(";")[0] != "application/json":
                raise TransientError("not_protocol")  # e.g. a captive portal's page
            try:
                return response.json()
            except ValueError:
                raise TransientError("not_protocol") from None
        raise NeedsLogin("unauthenticated")

    # -- roles: whose records this person may read ------------------------------------
    def refresh_roles(self, report: SyncReport | None = None) -> dict[str, Any]:
        """Ask the server (`GET /me`) for subordinates and HR units; kept in the profile."""
        me = _checked_roles(self._get_json("/me", report or SyncReport()))
        self.ws.record_roles(me)
        return me

    def default_partitions(self, report: SyncReport) -> list[str]:
        """`own`, `ref`, then `team:<NIP>` per subordinate and `unit:<id>` per HR unit.

        The pull answer's roles stamp says when the stored /me answer no longer fits (see
        `_roles_changed`); a supervisor's or HR officer's stored answer is also refreshed when
        older than `roles_max_age` (it lists the unit's people and their last contact).
        """
        age = self.ws.roles_age()
        if self.ws.role_partitions() and (age is None or not 0 <= age < self.roles_max_age):
            self._refresh_roles_if_served(report)
        return ["own", "ref", *self.ws.role_partitions()]

    def _refresh_roles_if_served(self, report: SyncReport) -> None:
        try:
            self.refresh_roles(report)
        except SyncError as err:
            if err.code != "not_found":
                raise  # (a server older than /me answers 404: own records only)

    def _roles_changed(self, report: SyncReport, run: PullRun) -> list[str]:
        """After the first pull answer: if the server's roles stamp differs from the stored
        roles', ask /me and return the partitions now readable (pulled in this same sync)."""
        me = self.ws.roles() or {}
        stored = roles_stamp([s["nip"] for s in me.get("subordinates", [])],
                             [u["id"] for u in me.get("hr_units", [])])
        if run.roles is None or run.roles == stored:
            return []
        self._refresh_roles_if_served(report)
        return self.ws.role_partitions()

    def _get_json(self, path: str, report: SyncReport) -> dict[str, Any]:
        """An authenticated GET of a JSON object (a captive portal's page is not one)."""
        body = self.rest("GET", path, report=report)
        if not isinstance(body, dict):
            raise TransientError("bad_answer")
        return body

    # -- sync ----------------------------------------------------------------------------
    def sync_once(self, partitions: list[str] | None = None) -> SyncReport:
        """Push everything queued, then pull each partition to its end.

        A revoked device makes its final push first where allowed (`DeviceRevoked` then
        carries `final_report`); the caller crypto-shreds either way.
        """
        try:
            return self._sync_once(partitions)
        except DeviceRevoked as revoked:
            from sync import final_push  # noqa: PLC0415 (final_push imports this module)

            final_push.settle(self, revoked)  # FinalPushPending when it must be retried
            raise

    def _sync_once(self, partitions: list[str] | None) -> SyncReport:
        from sync import attachments  # noqa: PLC0415 (attachments imports this module)

        report = SyncReport()
        self.pusher.push_all(report)
        attachments.send_files(self, report, self.progress)
        run = self._pull(partitions, report)
        if "own" in run.rebased:
            # The server lost what it acked after its backup: push that again, then pull
            # the result (only the part after the restore point, not everything).
            self.pusher.repush_from(run.rebased["own"], report)
            self.puller.pull(["own"], report)
        attachments.fetch_files(self, report, self.progress)
        if report.clock_offset_s is not None:
            self.ws.set_sync_settings(clock_offset=str(round(report.clock_offset_s)))
        self.ws.note_server_contact()  # for the office's days-offline limit
        return report

    def _pull(self, partitions: list[str] | None, report: SyncReport) -> PullRun:
        if partitions:
            return self.puller.pull(partitions, report)
        try:
            return self.puller.pull(self.default_partitions(report), report,
                                    on_first_answer=lambda run: self._roles_changed(report, run))
        except SyncError as err:
            if err.code != "partition_forbidden":
                raise
        # A supervisor link or HR post ended since /me was asked: ask again (which forgets
        # that partition's records) and pull what is still readable.
        self.refresh_roles(report)
        return self.puller.pull(self.default_partitions(report), report)

    def sent_at(self) -> str:
        """This device's clock as a protocol instant (the server records the skew)."""
        return datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="milliseconds")

    def notify(self, progress: Progress) -> None:
        if self.progress is not None:
            self.progress(progress)

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


def _checked_roles(me: dict[str, Any]) -> dict[str, Any]:
    """The /me answer, if every subordinate and unit names a valid partition."""
    try:
        for sub in me["subordinates"]:
            Partition.parse(f"team:{sub['nip']}")
        for unit in me["hr_units"]:
            Partition.parse(f"unit:{unit['id']}")
    except (KeyError, TypeError, ProtocolError):
        raise TransientError("bad_answer") from None
    return me


def _answer(response: requests.Response, report: SyncReport, midpoint: float) -> dict[str, Any]:
    """A protocol answer's body, decoded; anything else is a transient failure."""
    if response.headers.get("Content-Type", "").split(";")[0] != wire.MEDIA_TYPE:
        # A captive portal's "200 OK" login page is not an answer (never an ack).
        raise TransientError("not_protocol")
    try:
        answer = wire.decode(response.content, response.headers.get("Content-Encoding"))
    except wire.WireError:
        raise TransientError("bad_body") from None
    _note_clock(report, answer, midpoint)
    return answer


def _note_clock(report: SyncReport, answer: dict[str, Any], midpoint: float) -> None:
    """Record how far this clock is from the server's (the request's midpoint vs its time)."""
    server_time = answer.get("server_time")
    if not isinstance(server_time, str):
        return
    try:
        report.clock_offset_s = midpoint - datetime.fromisoformat(server_time).timestamp()
    except ValueError:
        pass  # the protocol check that follows refuses such an answer


def _detail(response: requests.Response) -> tuple[str | None, dict[str, Any]]:
    """The field an error answer names, and the whole answer (for lists of bad rows)."""
    try:
        body = response.json()
    except ValueError:
        return None, {}
    if not isinstance(body, dict):
        return None, {}
    field_name = body.get("field")
    return (str(field_name) if field_name else None), body


def _error(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""
