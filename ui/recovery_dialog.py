"""Forgotten password: the recovery key and a new password (typed twice) open the profile.

Mirrors `asndesk profile recover`: `ProfileManager.unlock_with_recovery` unwraps the data key
with the recovery key and wraps it under the new password (Argon2id, on the DB lane); the
profile then opens as after a normal unlock. Wrong keys count towards the same growing delay
as wrong passwords. The recovery key keeps working afterwards.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from asndesk.errors import ProfileError, UserFacingError, ValidationError
from asndesk.i18n import N_, _
from asndesk.store.database import Store
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from ui.announce import Announcer
from ui.change_password_dialog import NewPasswordFields, add_secret
from ui.forms import Form, add_dialog_buttons
from ui.task_runner import TaskRunner


def recover_workspace(manager: ProfileManager, nip: str, recovery_key: str,
                      new_password: str) -> Workspace:
    """Set the new password with the recovery key and open the profile (DB lane)."""
    key = manager.unlock_with_recovery(nip, recovery_key, new_password)
    try:
        store = Store.open(key.info.db_path, bytes(key.dek))
    except BaseException:
        key.wipe()
        raise
    return Workspace(store, key, manager)


class RecoveryDialog(QDialog):
    """`recovered(Workspace)` with the profile open under its new password; `cancelled()`."""

    recovered = Signal(object)
    cancelled = Signal()

    def __init__(self, runner: TaskRunner, announcer: Announcer, manager: ProfileManager,
                 nip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.announcer = announcer
        self.manager = manager
        self.nip = nip
        self._busy = False
        self._finished = False
        name = manager.get(nip).nama
        self.setObjectName("dialog.recovery")
        self.setWindowTitle(_("asndesk — set a new password for {name}").format(name=name))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Type the recovery key you stored when this profile was made, then "
                         "choose a new password. Your data stays as it is."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = Form("recovery")
        self.key, self.key_show = add_secret(
            self.form, "recovery_key", _("Recovery &key"), _("Show recovery key"),
            description=_("Eight groups of four letters and digits; dashes, spaces and "
                          "small letters are fine"))
        self.passwords = NewPasswordFields(
            self.form, announcer, label=_("&New password"),
            repeat_label=_("&Repeat the new password"), show_text=_("Show new password"),
            repeat_show_text=_("Show repeated password"))
        layout.addWidget(self.form)
        self.message = QLabel()
        self.message.setObjectName("recovery.message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.submit_button, self.cancel_button = add_dialog_buttons(
            layout, "recovery", _("&Set password and open"), _("Cance&l"))
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.key.setFocus()
        remaining = manager.delay_remaining(nip)
        if remaining > 0:
            self.message.setText(_("Too many wrong attempts. Try again in {seconds} seconds.")
                                 .format(seconds=remaining))

    def submit(self) -> None:
        if self._busy:
            return
        problems: list[UserFacingError] = []
        if not self.key.text().strip():
            problems.append(ValidationError("recovery_key", "missing",
                                            N_("Type your recovery key.")))
        problems.extend(self.passwords.problems())
        if problems:
            self.message.clear()
            self.form.show_errors(problems, self.announcer)
            return
        self.form.clear_errors()
        manager, nip = self.manager, self.nip
        key, password = self.key.text(), self.passwords.value()
        self._set_busy(True)
        self.runner.db(lambda: recover_workspace(manager, nip, key, password),
                       self._done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.submit_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        if busy:
            text = _("Checking the recovery key… this takes a few seconds.")
            self.message.setText(text)
            self.announcer.say(text, source=self)

    def _done(self, ws: Workspace) -> None:
        self._set_busy(False)
        self._finished = True
        self.key.clear()
        self.passwords.clear()
        self.announcer.say(_("A new password is set for {name}.").format(name=ws.profile.nama),
                           source=self)
        self.recovered.emit(ws)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.clear()
        if isinstance(exc, UserFacingError):
            # WrongRecoveryKey and UnlockDelayed belong to the key field; WeakPassword to
            # the new password.
            fallback = "recovery_key" if isinstance(exc, ProfileError) else "password"
            self.form.show_error(exc, self.announcer, fallback=fallback)
            if fallback == "recovery_key":
                self.key.selectAll()
            return
        text = _("The profile could not be opened.")
        self.message.setText(text)
        self.announcer.say(text, assertive=True, source=self)

    def reject(self) -> None:
        if self._busy:
            return
        self._finished = True
        self.cancelled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._finished:
            self._finished = True
            self.cancelled.emit()
        super().closeEvent(event)
