"""Auto-lock (A-19): a warning ≥ 20 s ahead, announced and focused; "Tetap masuk" extends it;
the lock keeps drafts, and unlocking restores them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit

from asndesk.i18n import _
from tests.conftest import PASSWORD
from tests.ui.conftest import wait_idle
from ui.auto_lock import IdleWarningDialog
from ui.forms import Form


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    """Typing starts the app's 3 s draft timer; it must not fire after the runner is shut."""
    yield
    desktop._draft_timer.stop()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _fake_clock(desktop) -> FakeClock:
    clock = FakeClock()
    desktop.auto_lock.clock = clock
    desktop.auto_lock.touch()
    return clock


def test_warning_comes_early_is_announced_and_stay_extends(qtbot, unlocked) -> None:
    clock = _fake_clock(unlocked)
    timeout = unlocked.settings.auto_lock_minutes * 60
    clock.now += timeout - 31
    unlocked.auto_lock.check()
    assert unlocked._idle_dialog is None
    clock.now += 1
    unlocked.auto_lock.check()
    dialog = unlocked._idle_dialog
    assert isinstance(dialog, IdleWarningDialog)
    left = timeout - 30
    assert timeout - left >= 20
    qtbot.waitUntil(dialog.isVisible)
    text, assertive = unlocked.announcer.history[-1]
    assert assertive and text == dialog.message(30)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.stay_button, timeout=3000)
    assert dialog.stay_button.text().replace("&", "") == _("&Stay signed in").replace("&", "")

    dialog.stay_button.click()  # "Tetap masuk"
    assert not dialog.isVisible()
    clock.now += 60  # well past the first deadline
    unlocked.auto_lock.check()
    assert unlocked.window is not None
    clock.now += timeout  # no activity after that: it locks
    unlocked.auto_lock.check()
    wait_idle(qtbot, unlocked)
    assert unlocked.window is None
    assert unlocked.dialog.objectName() == "dialog.unlock"


def _draft_field(window) -> tuple[Form, str, QLineEdit]:
    """A Form line edit whose typing the window reports as a draft (any page's)."""
    for form in window.findChildren(Form):
        for key, field in form.fields.items():
            widget = field.widget
            if not isinstance(widget, QLineEdit) or widget.echoMode() != \
                    QLineEdit.EchoMode.Normal or widget.isReadOnly():
                continue
            before = widget.text()
            widget.setText("uji draf " + key)
            if window.all_drafts():
                return form, key, widget
            widget.setText(before)
    raise AssertionError("no page keeps drafts of its forms")


def test_lock_with_a_draft_and_unlock_restores_it(qtbot, unlocked) -> None:
    window = unlocked.window
    for index in range(len(window.pages)):
        window.show_page(index)  # every page loads, as a person clicking through would
    wait_idle(qtbot, unlocked)
    form, key, widget = _draft_field(window)
    form_name = form.objectName()
    typed = "https://kantor.contoh.go.id" if key == "url" else "uji draf " + key
    widget.setText(typed)
    clock = _fake_clock(unlocked)
    clock.now += unlocked.settings.auto_lock_minutes * 60 + 1
    unlocked.auto_lock.check()  # the idle lock itself, not a hand-made one
    wait_idle(qtbot, unlocked)
    assert unlocked.window is None
    unlocked.dialog.password.setText(PASSWORD)
    unlocked.dialog.unlock_button.click()
    qtbot.waitUntil(lambda: unlocked.window is not None, timeout=10_000)
    wait_idle(qtbot, unlocked)
    again = unlocked.window.findChild(Form, form_name)
    assert again is not None
    assert again.fields[key].widget.text() == typed
    assert (_("Unsaved typing from last time was restored."), False) in \
        unlocked.announcer.history
