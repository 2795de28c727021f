"""Unlock a profile with its password; the growing delay after wrong tries is announced.

The password field accepts paste and has a named show-password toggle (A-18). Unlocking runs
Argon2id, so the app does it on the DB lane; this dialog only collects and reports.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asndesk.i18n import _, ngettext
from ui.announce import Announcer


def password_edit(object_name: str) -> tuple[QLineEdit, QCheckBox]:
    """A password field and its show-password toggle (both named, both keyboard-reachable)."""
    edit = QLineEdit()
    edit.setObjectName(object_name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    show = QCheckBox(_("Show password"))
    show.setObjectName(object_name + ".show")
    show.setAccessibleName(_("Show password"))
    show.toggled.connect(lambda on: edit.setEchoMode(
        QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
    return edit, show


class UnlockDialog(QDialog):
    """`submitted(password)`; the app answers with `failed`, `delayed` or closes it."""

    submitted = Signal(str)
    back_requested = Signal()
    recover_requested = Signal()

    def __init__(self, name: str, announcer: Announcer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.announcer = announcer
        self.setObjectName("dialog.unlock")
        self.setWindowTitle(_("asndesk — unlock {name}").format(name=name))
        layout = QVBoxLayout(self)
        who = QLabel(_("Profile: {name}").format(name=name))
        who.setWordWrap(True)
        layout.addWidget(who)
        label = QLabel(_("&Password"))
        self.password, self.show_password = password_edit("unlock.password")
        self.password.setAccessibleName(_("Password"))
        label.setBuddy(self.password)
        layout.addWidget(label)
        layout.addWidget(self.password)
        layout.addWidget(self.show_password)
        self.message = QLabel()
        self.message.setObjectName("unlock.message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.unlock_button = QPushButton(_("&Unlock"))
        self.unlock_button.setObjectName("unlock.submit")
        self.unlock_button.setDefault(True)
        self.recover_button = QPushButton(_("&Forgot password…"))
        self.recover_button.setObjectName("unlock.recover")
        self.back_button = QPushButton(_("&Other profile"))
        self.back_button.setObjectName("unlock.back")
        for button in (self.unlock_button, self.recover_button, self.back_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.unlock_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.recover_button.clicked.connect(self.recover_requested.emit)
        self.back_button.clicked.connect(self.back_requested.emit)
        self._wait = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.password.setFocus()

    def _submit(self) -> None:
        if self._wait > 0 or not self.unlock_button.isEnabled():
            return
        if not self.password.text():
            self.failed(_("Type your password."))
            return
        self.set_busy(True)
        self.submitted.emit(self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        if busy:
            self.message.setText(_("Unlocking…"))

    def failed(self, text: str) -> None:
        """Wrong password or another refusal: say it, keep focus in the (selected) field."""
        self.set_busy(False)
        self.message.setText(text)
        self.password.setAccessibleDescription(text)
        self.password.selectAll()
        self.password.setFocus()
        self.announcer.say(text, assertive=True, source=self)

    def delayed(self, seconds: int, text: str) -> None:
        """After repeated wrong passwords: wait `seconds`, counting down visibly."""
        self.failed(text)
        self._wait = seconds
        self.unlock_button.setEnabled(False)
        self._timer.start()
        self._tick(first=True)

    def _tick(self, first: bool = False) -> None:
        if not first:
            self._wait -= 1
        if self._wait <= 0:
            self._timer.stop()
            self.unlock_button.setText(_("&Unlock"))
            self.unlock_button.setEnabled(True)
            self.message.setText(_("You can try again now."))
            self.announcer.say(_("You can try again now."), source=self)
            return
        # The countdown is visible on the button; only its start and end are announced.
        self.unlock_button.setText(ngettext("Wait {n} second", "Wait {n} seconds",
                                            self._wait).format(n=self._wait))
