"""Desktop-app fixtures: a `DesktopApp` over the test's private home, and an unlocked window.

Qt runs offscreen (tests/conftest.py). Sync is off unless a test starts a real server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from tests.conftest import NIP, PASSWORD


@pytest.fixture
def desktop(qapp, home, manager: ProfileManager) -> Iterator[object]:
    from ui.app import DesktopApp

    app = DesktopApp(qapp, home=home, manager=manager, sync_enabled=False)
    yield app
    window = app.window
    app.shutdown()
    for widget in (window, app.dialog):
        if widget is not None:
            widget.close()
            widget.deleteLater()


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item):
    """After every fixture (qtbot's too) is torn down: delete the windows the test left.
    Without this they pile up, and every later `apply_theme` re-polishes all of them (a
    setup that takes 1 s alone took 20 s late in the suite)."""
    yield
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    # Only parentless windows: a popup or dialog with a parent goes with its owner, and
    # deleting it here as well would free it twice. A completer's list is a parentless
    # Popup that its QCompleter deletes, so popups are left to their owners too.
    for widget in QApplication.topLevelWidgets():
        if widget.parent() is None and widget.windowType() != Qt.WindowType.Popup:
            widget.close()
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def wait_idle(qtbot, desktop, timeout: int = 10_000) -> None:
    """Until every background task has delivered its result to the GUI thread."""
    qtbot.waitUntil(lambda: desktop.runner.pending == 0, timeout=timeout)


@pytest.fixture
def unlocked(qtbot, desktop, manager: ProfileManager):
    """A profile (Siti Aminah) created, then unlocked through the real unlock dialog."""
    ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    ws.lock()
    desktop.start()
    dialog = desktop.dialog
    dialog.password.setText(PASSWORD)
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: desktop.window is not None, timeout=10_000)
    wait_idle(qtbot, desktop)
    return desktop


@pytest.fixture
def sqlite_server(tmp_path):
    """A real asndesk server on 127.0.0.1 over SQLite (UI tests stay off the shared PG DB)."""
    from sync.server.app import create_app
    from sync.server.db import open_database
    from sync.server.threaded import ThreadedServer
    from tests.sync.conftest import Clock, RunningServer

    engine = open_database(f"sqlite:///{tmp_path / 'server.db'}")
    clock = Clock()
    running = ThreadedServer(create_app(engine, clock)).start()
    yield RunningServer(running.url, engine, clock)
    running.stop()
    engine.dispose()
