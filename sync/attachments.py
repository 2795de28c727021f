"""Evidence files on their own resumable channel (Qt-free): sent after the push, fetched after pull.

Uploads ask the server for its offset and continue from there, so a cut link costs at most one
chunk; downloads keep their pieces in the encrypted store and resume with `Range`. The chunk
size follows the link: about `TARGET_SECONDS` of data, remembered in the store.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

import requests

from asndesk.store import attachment_repo, attachment_sync_repo
from asndesk.store.attachment_sync_repo import FileTask
from sync import tls_trust
from sync.client import NeedsLogin, SyncClient, SyncReport, TransientError
from sync.progress import Progress, ProgressFn
from sync.protocol import BLOB_FILES_PATH, BLOB_UPLOADS_PATH

MIN_CHUNK = 16 * 1024
MAX_CHUNK = 1024 * 1024  # the server's limit for one PATCH
DEFAULT_CHUNK = 64 * 1024
TARGET_SECONDS = 4.0
CHUNK_MEDIA_TYPE = "application/octet-stream"
# Refusals that no retry will change: the file stays listed with its reason.
GIVE_UP = frozenset({"too_large", "quota_exceeded", "size_mismatch", "bad_hash", "bad_size",
                     "local_corrupt"})




class FileChannel:
    """Moves evidence files for one `SyncClient` (its session, tokens and stall timeout)."""

    def __init__(self, client: SyncClient, report: SyncReport, *,
                 progress: ProgressFn | None = None, chunk_size: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.ws, self.report = client, client.ws, report
        self.progress, self.clock = progress, clock
        stored = self.ws.sync_setting("file_chunk")
        start = chunk_size or (int(stored) if stored and stored.isdigit() else DEFAULT_CHUNK)
        self.chunk = _clamp(start)
        self._fixed = chunk_size is not None

    # -- transport -----------------------------------------------------------------------
    def _request(self, method: str, path: str, *, data: bytes | None = None,
                 json_body: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> requests.Response:
        """One request with the access token, refreshed once if it expired."""
        for attempt in (1, 2):
            sent = {"Authorization": f"Bearer {self.ws.sync_setting('access') or ''}",
                    **(headers or {})}
            self.report.requests += 1
            try:
                response = self.client.http.request(
                    method, f"{self.client.base_url}{path}", data=data, json=json_body,
                    headers=sent, timeout=self.client.timeout)
            except requests.RequestException as exc:
                raise TransientError(tls_trust.failure_code(exc)) from None
            if response.status_code == 401 and attempt == 1 and _code(response) == (
                    "unauthenticated"):
                self.client._refresh()
                continue
            if response.status_code == 401 or response.status_code >= 500:
                self.client._raise_for(response)  # revoked, disabled, server trouble
            return response
        raise NeedsLogin("unauthenticated")

    def _json(self, response: requests.Response) -> dict[str, Any]:
        if response.headers.get("Content-Type", "").split(";")[0] != "application/json":
            raise TransientError("not_protocol")  # e.g. a captive portal's login page
        try:
            body: dict[str, Any] = response.json()
        except ValueError:
            raise TransientError("bad_body") from None
        return body

    def _adapt(self, sent: int, seconds: float) -> None:
        """Aim at TARGET_SECONDS per chunk; grow at most ×2 at a time."""
        if self._fixed or sent < self.chunk // 2:
            return
        rate = sent / max(seconds, 0.001)
        self._set_chunk(min(self.chunk * 2, int(rate * TARGET_SECONDS)))

    def _set_chunk(self, size: int) -> None:
        size = _clamp(size)
        if size != self.chunk and not self._fixed:
            self.chunk = size
            self.ws.set_sync_settings(file_chunk=str(size))

    def _shrink_and_raise(self, exc: TransientError) -> NoReturn:
        self._set_chunk(self.chunk // 2)
        raise exc

    # -- uploads -------------------------------------------------------------------------
    def send_all(self) -> None:
        """Send every file whose `attach` op was acked and that the server has not got."""
        tasks = attachment_sync_repo.uploads_due(self.ws.store.conn)
        total = sum(t.size for t in tasks)
        done_bytes = 0
        for n, task in enumerate(tasks):
            self._notify("upload", n, len(tasks), done_bytes, total)
            self._send(task, _Moved(self, "upload", n, len(tasks), done_bytes, total))
            done_bytes += task.size
        if tasks:
            self._notify("upload", len(tasks), len(tasks), total, total)

    def _record(self, task: FileTask, offset: int, *, complete: bool = False,
                error: str | None = None) -> None:
        with self.ws.store.write(self.ws.owner_nip) as tx:
            attachment_sync_repo.record_upload(tx, task, offset, complete=complete,
                                               error=error)

    def _send(self, task: FileTask, moved: Callable[[int], None]) -> None:
        data = attachment_repo.data_of(self.ws.store.conn, task.attachment_id)
        if len(data) != task.size or hashlib.sha256(data).hexdigest() != task.sha256:
            self._record(task, 0, error="local_corrupt")
            return
        response = self._request("POST", BLOB_UPLOADS_PATH, json_body={
            "sha256": task.sha256, "size": task.size, "mime": task.mime})
        if response.status_code != 200:
            self._refused(task, response, 0)
            return
        state = self._json(response)
        offset, complete = int(state["offset"]), bool(state["complete"])
        clashes = 0
        while not complete:
            moved(offset)
            piece = data[offset:offset + self.chunk]
            started = self.clock()
            try:
                response = self._request("PATCH", f"{BLOB_UPLOADS_PATH}/{task.sha256}",
                                         data=piece, headers={
                                             "Upload-Offset": str(offset),
                                             "Content-Type": CHUNK_MEDIA_TYPE})
            except TransientError as exc:
                self._record(task, offset)
                self._shrink_and_raise(exc)
            if response.status_code == 409 and _code(response) == "offset_mismatch":
                # The server stored a chunk whose answer was lost: continue from its offset.
                clashes += 1
                if clashes > 3:
                    raise TransientError("offset_clash")
                offset = int(self._json(response)["offset"])
                continue
            if response.status_code != 200:
                self._refused(task, response, offset)
                return
            state = self._json(response)
            self._adapt(len(piece), self.clock() - started)
            self.report.file_bytes += len(piece)
            offset, complete = int(state["offset"]), bool(state["complete"])
            self._record(task, offset, complete=complete)
        self._record(task, task.size, complete=True)
        self.report.files_sent += 1
        moved(task.size)

    def _refused(self, task: FileTask, response: requests.Response, offset: int) -> None:
        code = str(self._json(response).get("error", "")) or f"http_{response.status_code}"
        if response.status_code == 429:
            raise TransientError(code)
        if code == "hash_mismatch":
            # The server discarded what it had (the local file checked out): try again on a
            # later sync, a few times only, rather than re-sending it over 2G for ever.
            with self.ws.store.write(self.ws.owner_nip) as tx:
                attachment_sync_repo.upload_failed(tx, task, code)
            return
        # Given up (too large, quota, corrupt) or a fresh start next time (not_found).
        self._record(task, 0 if code in GIVE_UP or code == "not_found" else offset,
                     error=code if code in GIVE_UP else None)

    # -- downloads -----------------------------------------------------------------------
    def fetch_all(self) -> None:
        """Fetch the files that pulls announced, resuming where an earlier fetch stopped."""
        tasks = attachment_sync_repo.downloads_due(self.ws.store.conn)
        total = sum(t.size for t in tasks)
        done_bytes = sum(t.done_bytes for t in tasks)
        for n, task in enumerate(tasks):
            self._notify("download", n, len(tasks), done_bytes, total)
            moved = _Moved(self, "download", n, len(tasks), done_bytes - task.done_bytes, total)
            done_bytes += self._fetch(task, moved) - task.done_bytes
        if tasks:
            self._notify("download", len(tasks), len(tasks), done_bytes, total)

    def _fetch(self, task: FileTask, moved: Callable[[int], None]) -> int:
        """Fetch the rest of one file; returns the bytes held afterwards."""
        offset = task.done_bytes
        while offset < task.size:
            moved(offset)
            end = min(task.size, offset + self.chunk) - 1
            started = self.clock()
            try:
                response = self._request("GET", f"{BLOB_FILES_PATH}/{task.sha256}",
                                         headers={"Range": f"bytes={offset}-{end}"})
            except TransientError as exc:
                self._shrink_and_raise(exc)
            if response.status_code == 404:
                return offset  # not uploaded yet by the other device: next sync
            piece = _partial_body(response, offset, end, task.size)
            with self.ws.store.write(self.ws.owner_nip) as tx:
                attachment_sync_repo.save_part(tx, task.sha256, offset, piece)
            self._adapt(len(piece), self.clock() - started)
            self.report.file_bytes += len(piece)
            offset += len(piece)
        with self.ws.store.write(self.ws.owner_nip) as tx:
            fetched = attachment_sync_repo.finish_download(tx, task)
            if fetched:
                tx.changes.add("attachment", task.attachment_id)
        self.report.files_fetched += fetched
        return task.size if fetched else 0

    def fetch_bytes(self, sha256: str, size: int) -> bytes | None:
        """One file by hash into memory, e.g. a subordinate's evidence for a supervisor
        (kept nowhere); None when the server has it not, or not for this caller."""
        parts: list[bytes] = []
        offset = 0
        while offset < size:
            end = min(size, offset + self.chunk) - 1
            response = self._request("GET", f"{BLOB_FILES_PATH}/{sha256}",
                                     headers={"Range": f"bytes={offset}-{end}"})
            if response.status_code == 404:
                return None
            parts.append(_partial_body(response, offset, end, size))
            offset = end + 1
        data = b"".join(parts)
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    def _notify(self, phase: str, items: int, total_items: int, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(Progress(phase, items, total_items, done, total))


@dataclass(frozen=True)
class _Moved:
    """Reports one file's offset as overall progress."""

    channel: FileChannel
    phase: str
    item: int
    items: int
    base: int
    total: int

    def __call__(self, offset: int) -> None:
        self.channel._notify(self.phase, self.item, self.items, self.base + offset, self.total)


def _clamp(size: int) -> int:
    return max(MIN_CHUNK, min(MAX_CHUNK, size))


def _code(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except (ValueError, AttributeError):
        return ""


def _partial_body(response: requests.Response, start: int, end: int, size: int) -> bytes:
    """The bytes of a 206 answer for exactly `start`..`end`; anything else is not an answer."""
    ctype = response.headers.get("Content-Type", "").split(";")[0]
    if response.status_code != 206 or ctype != "application/octet-stream":
        raise TransientError("not_protocol")
    if response.headers.get("Content-Range") != f"bytes {start}-{end}/{size}":
        raise TransientError("bad_range")
    if len(response.content) != end - start + 1:
        raise TransientError("bad_body")  # truncated: the next attempt resumes here
    return response.content


def send_files(client: SyncClient, report: SyncReport,
               progress: ProgressFn | None = None) -> None:
    """After the push: upload what the server acked and lacks (nothing queued: no request)."""
    FileChannel(client, report, progress=progress).send_all()


def fetch_files(client: SyncClient, report: SyncReport,
                progress: ProgressFn | None = None) -> None:
    """After the pull: download the files that other devices' evidence named."""
    FileChannel(client, report, progress=progress).fetch_all()
