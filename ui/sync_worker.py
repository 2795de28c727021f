"""The sync engine in its own thread, on its own store connection, reporting by signals.

The scheduler (sync/scheduler.py) decides when; this thread runs it over a sibling
workspace (a second SQLCipher connection to the same profile), so a slow link never holds up
the DB lane. Progress, outcomes and the changed kinds come back as signals that are always
*emitted on the GUI thread* (relayed through a queued connection), so any slot — a bound
method or a plain function — runs there and may touch widgets.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from asndesk.store.database import Changes
from asndesk.workspace import Workspace
from sync.client import DeviceRevoked, SyncClient, SyncError, SyncReport
from sync.flight_lock import FlightLock
from sync.progress import Progress
from sync.scheduler import Outcome, SyncScheduler

log = logging.getLogger(__name__)

LAST_SUCCESS_FORMAT = "%Y-%m-%d %H:%M:%S"  # `sync.last_success` in the profile (local time)
NEEDS_LOGIN_CODES = frozenset({"no_session", "refresh_failed", "account_disabled",
                               "unauthenticated"})
OFFLINE_CODES = frozenset({"network", "not_protocol"})


def parse_last_success(stored: str | None) -> float | None:
    """The profile's `sync.last_success` ("YYYY-MM-DD HH:MM:SS", local) as a timestamp."""
    if not stored:
        return None
    try:
        return time.mktime(time.strptime(stored, LAST_SUCCESS_FORMAT))
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class RevokedInfo:
    """What `device_revoked` came with: whether a final push was allowed and what it sent."""

    final_push: bool
    report: SyncReport | None = None
    refused: list[Any] = field(default_factory=list)  # sync.final_push.RefusedOp


class SyncWorker(QObject):
    """Start with `start(ws)` after unlock, `stop()` before lock. Signals arrive on the GUI."""

    progress = Signal(object)   # sync.progress.Progress
    started = Signal(str)       # reason
    finished = Signal(object)   # sync.scheduler.Outcome
    changed = Signal(object)    # Changes (kinds pulled from the server; ids are "*")

    _relay = Signal(str, object)  # (signal name, value) from the sync thread to the GUI

    def __init__(self, *, period_s: float | None = None) -> None:
        super().__init__()
        self._thread: threading.Thread | None = None
        self._stopping: threading.Thread | None = None  # asked to stop, maybe not done yet
        self._scheduler: SyncScheduler | None = None
        self._period_s = period_s
        self.url: str | None = None
        self.last_success: float | None = None
        self.last_outcome: Outcome | None = None
        self.outcome_at: float | None = None  # time.monotonic() of last_outcome
        self.syncing = False
        self.revoked: RevokedInfo | None = None
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def active(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def state(self) -> str:
        """"no_server", "stopped", "syncing", "needs_login", "revoked", "retry" or "idle"."""
        if not self.url:
            return "no_server"
        if self.syncing:
            return "syncing"
        outcome = self.last_outcome
        failed = outcome is not None and bool(outcome.error)
        if failed and outcome is not None and outcome.error == "device_revoked":
            return "revoked"
        if failed and outcome is not None and outcome.needs_person:
            return "needs_login"
        if not self.active:
            return "stopped"
        return "retry" if failed else "idle"

    def retry_in(self) -> float | None:
        """Seconds until the next automatic attempt after a failure (None: none planned)."""
        outcome = self.last_outcome
        if outcome is None or not outcome.error or outcome.retry_in is None \
                or self.outcome_at is None:
            return None
        return max(0.0, outcome.retry_in - (time.monotonic() - self.outcome_at))

    def start(self, ws: Workspace, url: str) -> None:
        """Begin syncing `ws`'s profile with `url` (a sibling connection is opened here;
        call it on the DB lane)."""
        if self._stopping is not None:  # the previous profile's sync, asked to stop at lock
            self._stopping.join(35.0)
            self._stopping = None
        if self.active:
            return
        self.url = url
        self.last_outcome, self.outcome_at, self.revoked = None, None, None
        self.last_success = parse_last_success(ws.sync_setting("last_success"))
        sibling = ws.sibling()
        client = SyncClient(sibling, url)
        client.progress = lambda p: self._relay.emit("progress", p)
        self._sibling = sibling
        lock = FlightLock(ws.profile.folder)
        kwargs: dict[str, Any] = {}
        if self._period_s is not None:
            kwargs["period_s"] = self._period_s
        scheduler = SyncScheduler(self._run(client), acquire=lock.acquire, release=lock.release,
                                  on_outcome=self._outcome, **kwargs)
        self._scheduler = scheduler
        scheduler.request("start")

        def run() -> None:
            try:
                scheduler.run_forever()
            finally:
                sibling.lock()

        self._thread = threading.Thread(target=run, name="asndesk-sync", daemon=True)
        self._thread.start()

    def _run(self, client: SyncClient) -> Any:
        def run_sync() -> Any:
            self._relay.emit("started", "sync")
            try:
                report = client.sync_once()
            except DeviceRevoked as revoked:
                self._note_revoked(client, revoked)
                raise
            # Same record as `asndesk sync`: the profile remembers its last good sync.
            client.ws.set_sync_settings(last_success=time.strftime(LAST_SUCCESS_FORMAT))
            return report
        return run_sync

    def _note_revoked(self, client: SyncClient, revoked: DeviceRevoked) -> None:
        """Keep what the final push did (the outcome only carries the code)."""
        from sync import final_push  # noqa: PLC0415 (only on revocation)

        refused: list[Any] = []
        if revoked.final_report is not None:
            try:
                refused = list(final_push.refused_ops(client))
            except Exception:
                log.warning("could not list refused ops before the wipe")
        self.revoked = RevokedInfo(revoked.final_push, revoked.final_report, refused)

    def _outcome(self, outcome: Outcome) -> None:
        self._relay.emit("outcome", outcome)

    @Slot(str, object)
    def _deliver(self, name: str, value: object) -> None:
        """On the GUI thread: update the state, then emit the public signal."""
        if name == "progress":
            self.progress.emit(value)
        elif name == "started":
            self.syncing = True
            self.started.emit(value)
        elif name == "outcome":
            assert isinstance(value, Outcome)
            self.syncing = False
            self.last_outcome, self.outcome_at = value, time.monotonic()
            if value.report is not None:
                self.last_success = time.time()
                changes = Changes()
                for kind in value.report.changed:
                    changes.add(kind, "*")
                # The push marks ops acked/rejected: the queue counts change either way.
                changes.add("outbox", "*")
                self.changed.emit(changes)
            self.finished.emit(value)

    def request(self) -> None:
        """A person asked for a sync now (also un-pauses after a login problem)."""
        if self._scheduler is not None:
            self._scheduler.request("manual")

    def local_change(self) -> None:
        if self._scheduler is not None:
            self._scheduler.local_change()

    def stop(self, timeout: float = 35.0, *, wait: bool = True) -> None:
        """End the thread (a running sync finishes its current request first). With
        `wait=False` (the lock, on the GUI thread) it only asks; the next `start` waits for
        the old thread on the DB lane, so the window never freezes on a slow request."""
        if self._scheduler is not None:
            self._scheduler.stop()
        if self._thread is not None and not wait:
            self._stopping = self._thread
        elif self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("sync thread still running at stop")
        self._thread = None
        self._scheduler = None
        self.syncing = False


def error_code(outcome: Outcome) -> str:
    return outcome.error or ""


__all__ = ["Progress", "RevokedInfo", "SyncError", "SyncWorker", "error_code",
           "parse_last_success"]
