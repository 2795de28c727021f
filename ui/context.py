"""What a page gets: the task runner, the open profile (only on the DB lane), announcements.

Pages never hold the `Workspace`: they pass functions to `read`/`write`, which run on the DB
lane. A successful write emits `changed` with the core's `Changes` record, and so does a sync
pull, so every page refreshes the same way after either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from asndesk.errors import UserFacingError
from asndesk.i18n import _
from asndesk.store.database import Changes
from asndesk.workspace import Workspace
from sync.client import SyncClient, SyncError
from ui.announce import Announcer
from ui.task_runner import TaskRunner
from ui.ui_settings import UiSettings

T = TypeVar("T")


class AppContext(QObject):
    """One per unlocked profile; dropped at lock."""

    changed = Signal(object)       # Changes, after a local write or a sync
    sync_requested = Signal()      # a page (or the menu) asks for a sync now
    error = Signal(object)         # an unexpected failure, for the window to show

    def __init__(self, runner: TaskRunner, announcer: Announcer, settings: UiSettings,
                 workspace: Workspace, *, profile_name: str, nip: str) -> None:
        super().__init__()
        self.runner = runner
        self.announcer = announcer
        self.settings = settings
        self._ws = workspace
        self.profile_name = profile_name
        self.nip = nip
        self.closed = False
        self._net_ws: Workspace | None = None        # the network lane's own connection
        self._net_client: SyncClient | None = None

    def close(self) -> None:
        """At lock: answers still on their way belong to windows that are gone; drop them
        (a read that reaches the locked workspace would only say "profile locked")."""
        self.closed = True
        if self._net_ws is not None:
            self.runner.net(self._close_net)

    def _close_net(self) -> None:
        if self._net_ws is not None:
            self._net_ws.lock()
            self._net_ws, self._net_client = None, None

    def _live(self, fn: Callable[[T], None] | None) -> Callable[[T], None]:
        def call(value: T) -> None:
            if not self.closed and fn is not None:
                fn(value)
        return call

    def read(self, fn: Callable[[Workspace], T], on_done: Callable[[T], None],
             on_error: Callable[[UserFacingError], None] | None = None) -> None:
        """Run a query on the DB lane; `on_done(result)` on the GUI thread."""
        if self.closed:
            return
        self.runner.db(lambda: fn(self._ws), self._live(on_done), self._errors(on_error))

    def write(self, fn: Callable[[Workspace], Changes | None],
              on_done: Callable[[Changes], None] | None = None,
              on_error: Callable[[UserFacingError], None] | None = None,
              *, saved: str | None = None) -> None:
        """Run a use case on the DB lane; on success announce `saved` and emit `changed`."""
        def done(changes: Changes | None) -> None:
            changes = changes or Changes()
            self.announcer.say(saved if saved is not None else _("Saved"))
            if on_done is not None:
                on_done(changes)
            self.changed.emit(changes)
        if self.closed:
            return
        self.runner.db(lambda: fn(self._ws), self._live(done), self._errors(on_error))

    def io(self, fn: Callable[[], T], on_done: Callable[[T], None],
           on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run network, file or PDF work off the GUI thread."""
        self.runner.io(fn, self._live(on_done), self._live(on_error or self.error.emit))

    def server(self, fn: Callable[[SyncClient], T], on_done: Callable[[T], None],
               on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run `fn(client)` against the office server on the network lane (never the GUI
        thread, never the DB lane). A profile with no server fails with
        `SyncError("not_connected")`; words for any `SyncError`: `sync_messages`."""
        if self.closed:
            return
        self.runner.net(lambda: fn(self._client()), self._live(on_done),
                        self._live(on_error or self.error.emit))

    def _client(self) -> SyncClient:
        """The network lane's client (on that lane), following the profile's current server."""
        if self.closed:
            raise SyncError("not_connected")
        if self._net_ws is None:
            self._net_ws = self._ws.sibling()
        url = self._net_ws.sync_setting("url")
        if not url:
            raise SyncError("not_connected")
        if self._net_client is None or self._net_client.base_url != url.rstrip("/"):
            self._net_client = SyncClient(self._net_ws, url)
        return self._net_client

    def _errors(self, on_error: Callable[[UserFacingError], None] | None
                ) -> Callable[[BaseException], None]:
        def handle(exc: BaseException) -> None:
            if self.closed:
                return
            if isinstance(exc, UserFacingError):
                if on_error is not None:
                    on_error(exc)
                else:
                    self.announcer.say(exc.message(), assertive=True)
                    self.error.emit(exc)
            else:
                self.error.emit(exc)
        return handle

    def workspace_for_lane(self) -> Workspace:
        """The workspace, for code that already runs on the DB lane (the app's lock path)."""
        return self._ws
