"""After unlock, past the office's days-offline limit: log in to the office server again.

The office file (`policy.max_days_offline`) decides the limit. The profile is already
unlocked; the person either logs in to the server (then the main window opens and queued
changes go out) or locks it again. Nothing typed or queued is lost either way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from asndesk.i18n import _
from asndesk.offline_policy import OfflineStatus
from asndesk.workspace import Workspace
from ui.announce import Announcer
from ui.forms import add_dialog_buttons
from ui.server_login_dialog import ServerLoginForm
from ui.task_runner import TaskRunner


class ReauthDialog(QDialog):
    """`connected(url)` after the server accepted the login; `lock_requested` otherwise."""

    connected = Signal(str)
    lock_requested = Signal()

    def __init__(self, runner: TaskRunner, announcer: Announcer,
                 workspace: Callable[[], Workspace], status: OfflineStatus, *, nip: str,
                 url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.reauth")
        self.setWindowTitle(_("asndesk — log in to the office server again"))
        layout = QVBoxLayout(self)
        self.explanation = QLabel(_(
            "This computer has not reached the office server for {days} days; your office "
            "allows {limit}. Log in to the server to go on working. Your data stays safe on "
            "this computer, and your queued changes are sent once you are logged in.").format(
                days=status.days_offline, limit=status.limit_days))
        self.explanation.setObjectName("reauth.explanation")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.login = ServerLoginForm(runner, announcer, workspace, nip=nip, url=url,
                                     name="reauth")
        layout.addWidget(self.login)
        self.login_button, self.lock_button = add_dialog_buttons(
            layout, "reauth", _("&Log in"), _("Loc&k again"))
        self.login_button.clicked.connect(self.login.submit)
        self.lock_button.clicked.connect(self.reject)
        self.login.busy_changed.connect(lambda busy: self.login_button.setEnabled(not busy))
        self.login.connected.connect(self._connected)
        self._done = False
        self.login.first_field().setFocus()
        announcer.say(self.explanation.text(), assertive=True, source=self)

    def _connected(self, url: str) -> None:
        self._done = True
        self.connected.emit(url)
        self.accept()

    def reject(self) -> None:
        if self.login.busy:
            return
        super().reject()
        if not self._done:
            self._done = True
            self.lock_requested.emit()
