"""Helpers for UI tests against a real server: accounts, a second device, logging the app in
through Pengaturan, and waiting for the sync worker (never sleeping)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.server import accounts
from tests.conftest import NIP, PASSWORD

SYNC_TIMEOUT_MS = 30_000


def add_person(server: Any, nip: str = NIP, nama: str = "Siti Aminah", **fields: Any) -> str:
    """An account on the server (with the tests' password); returns its person id."""
    with server.engine.begin() as conn:
        return accounts.create_person(conn, server.clock(), nip=nip, nama=nama,
                                      password=PASSWORD, **fields)


def other_device(server: Any, root: Path, nip: str = NIP,
                 nama: str = "Siti Aminah") -> tuple[Workspace, SyncClient]:
    """A second profile (another computer, or the supervisor's), logged in to the server."""
    ws, _ = Workspace.create_profile(nip, nama, PASSWORD,
                                     manager=ProfileManager(root, kdf_policy=KdfParams.floor))
    client = SyncClient(ws, server.url)
    client.login(nip, PASSWORD, root.name)
    return ws, client


@dataclass
class Outcomes:
    """Every sync outcome the app's worker reports (on the GUI thread)."""

    seen: list[Any] = field(default_factory=list)

    def wait_next(self, qtbot: Any, count_before: int) -> Any:
        qtbot.waitUntil(lambda: len(self.seen) > count_before, timeout=SYNC_TIMEOUT_MS)
        return self.seen[-1]


def record_outcomes(desktop: Any) -> Outcomes:
    outcomes = Outcomes()
    desktop.sync.finished.connect(outcomes.seen.append)
    return outcomes


def wait_idle(qtbot: Any, desktop: Any) -> None:
    qtbot.waitUntil(lambda: desktop.runner.pending == 0, timeout=SYNC_TIMEOUT_MS)


def write(qtbot: Any, desktop: Any, fn: Any) -> Any:
    """Run a use case through the app's context (as a page would) and return its Changes."""
    done: list[Any] = []
    desktop.ctx.write(fn, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=SYNC_TIMEOUT_MS)
    return done[0]


def read(qtbot: Any, desktop: Any, fn: Any) -> Any:
    done: list[Any] = []
    desktop.ctx.read(fn, lambda value: done.append((value,)))
    qtbot.waitUntil(lambda: bool(done), timeout=SYNC_TIMEOUT_MS)
    return done[0][0]


def log_in_through_settings(qtbot: Any, desktop: Any, url: str) -> None:
    """Type the address on Pengaturan, open the login dialog, type the server password."""
    desktop.sync_enabled = True  # the fixture starts the app with sync off
    settings = desktop.window.open_page("pengaturan")
    wait_idle(qtbot, desktop)
    settings.url.setText(url)
    settings.connect_button.click()
    dialog = settings.server_login_dialog
    qtbot.waitExposed(dialog)
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    assert dialog.login.nip.text() == NIP  # the profile's NIP is filled in
    dialog.login.password.setText(PASSWORD)
    dialog.connect_button.click()
    qtbot.waitUntil(lambda: bool(closed), timeout=SYNC_TIMEOUT_MS)
    qtbot.waitUntil(lambda: desktop.sync.active, timeout=SYNC_TIMEOUT_MS)
