"""Idle auto-lock with a warning at least 20 s before and "Tetap masuk" (WCAG 2.2.1, A-19).

Any key or mouse input in the app counts as activity. The warning dialog takes focus and is
announced; choosing to stay signed in restarts the countdown. Drafts are saved by the app's
lock path, so locking never loses typing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from asndesk.i18n import _, ngettext
from ui.announce import Announcer

WARNING_S = 30  # ≥ 20 s: time to read the warning and reach the button
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
             QEvent.Type.MouseMove}


class AutoLock(QObject):
    """Emits `warn(seconds_left)` then `lock()` after `minutes` without input."""

    warn = Signal(int)
    lock = Signal()

    def __init__(self, minutes: int, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.clock = clock  # replaceable (tests give a fake clock to the running app)
        self.timeout_s = minutes * 60.0
        self._last = clock()
        self._warned = False
        self.enabled = True
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.touch()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.timeout_s = minutes * 60.0
        self.touch()

    def touch(self) -> None:
        """Activity: restart the countdown (also "Tetap masuk")."""
        self._last = self.clock()
        self._warned = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self._warned:
            self.touch()
        return False

    def check(self) -> None:
        """Called every second (tests call it with a fake clock)."""
        if not self.enabled:
            return
        idle = self.clock() - self._last
        left = int(self.timeout_s - idle)
        if left <= 0:
            self._timer.stop()
            self.lock.emit()
        elif left <= WARNING_S and not self._warned:
            self._warned = True
            self.warn.emit(left)


class IdleWarningDialog(QDialog):
    """"Profil akan dikunci dalam N detik" with a focused "Tetap masuk" button."""

    stay = Signal()

    def __init__(self, seconds: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.idle_warning")
        self.setWindowTitle(_("asndesk — about to lock"))
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.stay_button = QPushButton(_("&Stay signed in"))
        self.stay_button.setObjectName("idle_warning.stay")
        self.stay_button.setDefault(True)
        layout.addWidget(self.stay_button)
        self.stay_button.clicked.connect(self._stay)
        self.set_seconds(seconds)
        self.stay_button.setFocus()

    def message(self, seconds: int) -> str:
        return ngettext(
            "No activity: your profile will lock in {n} second. Your typing is kept.",
            "No activity: your profile will lock in {n} seconds. Your typing is kept.",
            seconds).format(n=seconds)

    def set_seconds(self, seconds: int) -> None:
        self.text.setText(self.message(seconds))

    def _stay(self) -> None:
        self.stay.emit()
        self.accept()


def warn_idle(auto_lock: AutoLock, parent: QWidget, seconds: int,
              announcer: Announcer) -> IdleWarningDialog:
    """Open the warning over `parent` with focus on "Stay", and say it assertively (A-19)."""
    dialog = IdleWarningDialog(seconds, parent)
    dialog.stay.connect(auto_lock.touch)
    dialog.open()
    dialog.stay_button.setFocus()
    announcer.say(dialog.message(seconds), assertive=True, source=dialog)
    return dialog
