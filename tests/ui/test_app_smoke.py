"""The app opens: unlock dialog → main window with pages, status bar, lock and unlock again."""

from __future__ import annotations

from tests.conftest import PASSWORD
from tests.ui.conftest import wait_idle


def test_unlock_opens_main_window(unlocked, qtbot) -> None:
    window = unlocked.window
    assert window.isVisible()
    assert "Siti Aminah" in window.windowTitle()
    assert window.pages[0].page_id == "beranda"
    qtbot.waitUntil(lambda: window.status.pending.text().startswith("0 "))


def test_wrong_password_is_said_and_field_keeps_focus(qtbot, desktop, manager) -> None:
    from asndesk.workspace import Workspace
    from tests.conftest import NIP

    ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    ws.lock()
    desktop.start()
    dialog = desktop.dialog
    dialog.password.setText("salah sekali")
    dialog.unlock_button.click()
    wait_idle(qtbot, desktop)
    assert desktop.window is None
    assert dialog.message.text()
    assert desktop.announcer.history[-1][1] is True  # assertive
    assert dialog.password.text() == "salah sekali"  # kept, selected for retyping


def test_lock_returns_to_unlock_screen(unlocked, qtbot) -> None:
    unlocked.lock()
    wait_idle(qtbot, unlocked)
    assert unlocked.window is None
    assert unlocked.dialog.objectName() == "dialog.unlock"
    unlocked.dialog.password.setText(PASSWORD)
    unlocked.dialog.unlock_button.click()
    qtbot.waitUntil(lambda: unlocked.window is not None, timeout=10_000)
