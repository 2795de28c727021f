"""Past the office's days-offline limit the app asks for a server login before the main
window; logging in opens it, "Lock again" goes back to the unlock screen (nothing lost)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from asndesk.offline_policy import DAY_S
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.server import accounts
from tests.conftest import NIP, PASSWORD
from tests.ui.conftest import wait_idle

SERVER_PASSWORD = "sandi server kantor"


@pytest.fixture
def overdue(manager: ProfileManager, sqlite_server, home: Path) -> str:
    """A profile logged in to the office server 9 days ago; the office allows 7."""
    with sqlite_server.engine.begin() as conn:
        accounts.create_person(conn, sqlite_server.clock(), nip=NIP, nama="Siti Aminah",
                               password=SERVER_PASSWORD)
    ws, _key = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    SyncClient(ws, sqlite_server.url).login(NIP, SERVER_PASSWORD, "PC kantor")
    ws.add_log("2026-11-02", "07:30", "09:00", "Rapat koordinasi")  # queued, must survive
    ws.set_sync_settings(last_contact=repr(time.time() - 9 * DAY_S))  # as if it was then
    ws.lock()
    home.mkdir(parents=True, exist_ok=True)
    (home / "office.json").write_text(json.dumps({
        "server_url": sqlite_server.url, "office_name": "Kantor Test",
        "policy": {"max_days_offline": 7}}), encoding="utf-8")
    return str(sqlite_server.url)


def _unlock(qtbot, desktop) -> None:
    desktop.start()
    dialog = desktop.dialog
    dialog.password.setText(PASSWORD)
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: type(desktop.dialog).__name__ == "ReauthDialog", timeout=10_000)
    wait_idle(qtbot, desktop)


def test_login_after_the_limit_opens_the_main_window(qtbot, desktop, overdue: str) -> None:
    _unlock(qtbot, desktop)
    reauth = desktop.dialog
    assert desktop.window is None  # no data shown before the server login
    assert "9" in reauth.explanation.text() and "7" in reauth.explanation.text()
    assert reauth.login.url.text() == overdue
    # Address and NIP are known: the password field is where typing starts.
    assert reauth.login.first_field() is reauth.login.password
    qtbot.waitUntil(lambda: reauth.focusWidget() is reauth.login.password, timeout=3000)

    reauth.login.password.setText("salah sekali")
    reauth.login_button.click()
    wait_idle(qtbot, desktop)
    assert desktop.window is None  # a wrong server password keeps the dialog
    assert reauth.login.password.accessibleDescription()

    reauth.login.password.setText(SERVER_PASSWORD)
    reauth.login_button.click()
    qtbot.waitUntil(lambda: desktop.window is not None, timeout=10_000)
    wait_idle(qtbot, desktop)
    pending = []
    desktop.ctx.read(lambda ws: ws.pending_count(), pending.append)
    wait_idle(qtbot, desktop)
    assert pending == [1]  # the queued change is still there, to go out with the next sync


def test_lock_again_returns_to_the_unlock_screen(qtbot, desktop, overdue: str) -> None:
    _unlock(qtbot, desktop)
    desktop.dialog.lock_button.click()
    wait_idle(qtbot, desktop)
    assert type(desktop.dialog).__name__ == "UnlockDialog"
    assert desktop.window is None and desktop.ctx is None
    # Unlocking again asks for the server login again: the limit still holds.
    desktop.dialog.password.setText(PASSWORD)
    desktop.dialog.unlock_button.click()
    qtbot.waitUntil(lambda: type(desktop.dialog).__name__ == "ReauthDialog", timeout=10_000)
    wait_idle(qtbot, desktop)
