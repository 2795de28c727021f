"""Pengaturan: settings apply at once without navigating; password change; server login."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QComboBox

from asndesk.errors import WrongPassword
from asndesk.i18n import _, current_locale
from tests.conftest import NIP, PASSWORD
from tests.ui.a11y_checks import ALL_CHECKS
from tests.ui.conftest import wait_idle
from ui import ui_settings

NEW_PASSWORD = "sandi baru yang panjang"


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    """Typing starts the app's 3 s draft timer; it must not fire after the runner is shut."""
    yield
    desktop._draft_timer.stop()


def _settings(desktop):
    page = desktop.window.open_page("pengaturan")
    return page


def _pick(combo: QComboBox, value: object) -> None:
    """What a person does: move the combo to another entry (no Enter, no button)."""
    index = combo.findData(value)
    assert index >= 0
    combo.setCurrentIndex(index)


def _nav_titles(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_settings_is_the_last_page_and_passes_the_checks(qtbot, unlocked) -> None:
    window = unlocked.window
    assert window.pages[-1].page_id == "pengaturan"
    page = _settings(unlocked)
    wait_idle(qtbot, unlocked)
    combos = {c.objectName() for c in page.findChildren(QComboBox)}
    problems = [p for check in ALL_CHECKS for p in check(window)
                # Qt 6.12 reports a combo's current item as its name; A-02 still applies.
                if not (p.endswith("(A-04)") and p.split(":")[0] in combos)]
    assert problems == []
    assert _("Loading…") not in page.recovery_status.text()
    assert page.server_status.text()


def test_english_rebuilds_the_window_in_english_and_back(qtbot, unlocked, home) -> None:
    old = unlocked.window
    page = _settings(unlocked)
    index = old.stack.currentIndex()
    _pick(page.language, "en")
    qtbot.waitUntil(lambda: unlocked.window is not old, timeout=5000)
    wait_idle(qtbot, unlocked)
    window = unlocked.window
    assert current_locale() == "en"
    assert ui_settings.load(home).language == "en"
    assert window.stack.currentIndex() == index  # same page: A-20, nothing navigated
    assert _nav_titles(window)[index] == "Settings"  # the English msgid
    assert window.pages[index].findChild(object, "page.pengaturan.heading").text() == \
        "<h1>Settings</h1>"
    assert ("Settings saved", False) in unlocked.announcer.history
    new_page = window.pages[index]
    assert new_page.language.currentData() == "en"
    new_page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is new_page.language, timeout=3000)

    _pick(new_page.language, "id")
    qtbot.waitUntil(lambda: unlocked.window is not window, timeout=5000)
    wait_idle(qtbot, unlocked)
    assert current_locale() == "id"
    assert ui_settings.load(home).language == "id"
    assert _nav_titles(unlocked.window)[index] == _("Settings")
    assert (_("Settings saved"), False) in unlocked.announcer.history


def test_text_size_200_raises_the_font_and_keeps_the_window(qtbot, unlocked, home) -> None:
    window = unlocked.window
    page = _settings(unlocked)
    before = QApplication.font().pointSizeF()
    try:
        _pick(page.text_scale, 200)
        assert QApplication.font().pointSizeF() == pytest.approx(before * 2, rel=0.01)
        assert ui_settings.load(home).text_scale == 200
        qtbot.wait(50)
        assert unlocked.window is window  # no rebuild, no navigation
        assert window.stack.currentWidget().widget() is page
        _pick(page.theme, "high_contrast")
        assert unlocked.resolved_theme == "high_contrast"
    finally:
        _pick(page.text_scale, 100)
        _pick(page.theme, "system")
    assert QApplication.font().pointSizeF() == pytest.approx(before, rel=0.01)


def test_auto_lock_minutes_apply_at_once(qtbot, unlocked, home) -> None:
    page = _settings(unlocked)
    _pick(page.auto_lock, 2)
    assert unlocked.auto_lock.timeout_s == 120
    assert ui_settings.load(home).auto_lock_minutes == 2
    assert unlocked.window.stack.currentWidget().widget() is page


def test_password_change_works_and_the_old_one_no_longer_unlocks(qtbot, unlocked,
                                                                  manager) -> None:
    page = _settings(unlocked)
    page.change_password_button.click()
    dialog = page.change_password_dialog
    qtbot.waitExposed(dialog)
    problems = [p for check in ALL_CHECKS for p in check(dialog)]
    assert problems == []
    # A wrong current password lands on its field and keeps what was typed.
    dialog.old.setText("bukan sandinya")
    dialog.new.password.setText(NEW_PASSWORD)
    dialog.new.repeat.setText(NEW_PASSWORD)
    dialog.submit_button.click()
    wait_idle(qtbot, unlocked)
    assert dialog.isVisible()
    assert dialog.old.accessibleDescription() == _("The password is wrong.")
    assert dialog.new.password.text() == NEW_PASSWORD
    dialog.old.setText(PASSWORD)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):  # it closes (and is deleted)
        dialog.submit_button.click()
    wait_idle(qtbot, unlocked)
    assert (_("Password changed."), False) in unlocked.announcer.history
    with pytest.raises(WrongPassword):
        manager.unlock(NIP, PASSWORD)
    manager.unlock(NIP, NEW_PASSWORD).wipe()
    # And through the app: lock, the new password opens it again.
    unlocked.lock()
    wait_idle(qtbot, unlocked)
    unlocked.dialog.password.setText(NEW_PASSWORD)
    unlocked.dialog.unlock_button.click()
    qtbot.waitUntil(lambda: unlocked.window is not None, timeout=10_000)


def test_server_login_from_settings(qtbot, unlocked, sqlite_server) -> None:
    from sync.server import accounts

    with sqlite_server.engine.begin() as conn:
        accounts.create_person(conn, sqlite_server.clock(), nip=NIP, nama="Siti Aminah",
                               password="sandi server")
    started: list[str] = []
    unlocked.connect_server = started.append  # the app's sync start is not under test here
    page = _settings(unlocked)
    wait_idle(qtbot, unlocked)
    page.url.setText(sqlite_server.url)
    page.connect_button.click()
    dialog = page.server_login_dialog
    qtbot.waitExposed(dialog)
    assert dialog.login.nip.text() == NIP
    assert [p for check in ALL_CHECKS for p in check(dialog)] == []
    dialog.login.password.setText("sandi server")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.connect_button.click()
    wait_idle(qtbot, unlocked)
    assert started == [sqlite_server.url.rstrip("/")]
    assert sqlite_server.url.rstrip("/") in page.server_status.text()
    assert page.drafts() == {}
