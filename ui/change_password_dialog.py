"""Change the profile password (from Pengaturan), and the "new password twice" fields it shares
with the create and recovery dialogs.

A password change re-wraps the data key only: the database is not re-encrypted and the
recovery key keeps working (security.md S-05). Argon2id runs twice (check the old password,
wrap with the new one), so the work runs on the DB lane; this dialog collects and reports.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from asndesk.errors import ProfileError, UserFacingError, ValidationError, WeakPassword
from asndesk.i18n import N_, _
from asndesk.store.profiles import check_password_policy
from ui.announce import Announcer
from ui.forms import Form, add_dialog_buttons, plain
from ui.password_strength import MAX_SCORE, estimate
from ui.task_runner import TaskRunner

MISMATCH = N_("The two passwords are not the same.")


def attach_show_toggle(form: Form, edit: QLineEdit, text: str) -> QCheckBox:
    """Mask `edit` and add its named show-password toggle on the next row (A-18).

    The toggle's objectName is the field's plus ".show"; paste stays allowed.
    """
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    show = QCheckBox(text)
    show.setObjectName(edit.objectName() + ".show")
    show.setAccessibleName(plain(text))
    show.toggled.connect(lambda on: edit.setEchoMode(
        QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
    form.layout_.addRow(show)
    return show


def add_secret(form: Form, key: str, label: str, show_text: str, *,
               description: str = "") -> tuple[QLineEdit, QCheckBox]:
    """A masked line in `form` with its show toggle."""
    edit = form.add_line(key, label, description=description)
    return edit, attach_show_toggle(form, edit, show_text)


class NewPasswordFields:
    """"New password" + "repeat" in a Form, with a strength meter that agrees with the core.

    The new password's key is "password", the core's field name, so a `WeakPassword` from any
    use case lands on it; the repeat is "password_repeat".
    """

    KEY = "password"
    REPEAT_KEY = "password_repeat"

    def __init__(self, form: Form, announcer: Announcer, *, label: str, repeat_label: str,
                 show_text: str, repeat_show_text: str) -> None:
        self.form = form
        self.announcer = announcer
        self.password, self.show = add_secret(form, self.KEY, label, show_text)
        self.strength = QProgressBar()
        self.strength.setObjectName(f"{form.objectName()}.strength")
        self.strength.setRange(0, MAX_SCORE)
        self.strength.setTextVisible(True)
        self.strength.setAccessibleName(_("Password strength"))
        self.hint = QLabel()  # a plain status label: never named (that would hide its text)
        self.hint.setObjectName(f"{form.objectName()}.strength.hint")
        self.hint.setWordWrap(True)
        form.layout_.addRow(self.strength)
        form.layout_.addRow(self.hint)
        self.repeat, self.repeat_show = add_secret(form, self.REPEAT_KEY, repeat_label,
                                                   repeat_show_text)
        self._last_score = -1
        self.password.textChanged.connect(self._update)
        self._update(quiet=True)

    def _update(self, _text: str = "", *, quiet: bool = False) -> None:
        found = estimate(self.password.text())
        sentence = found.describe()
        self.strength.setValue(found.score)
        self.strength.setFormat(found.label)
        self.strength.setAccessibleDescription(sentence)
        self.hint.setText(sentence)
        field = self.form.fields[self.KEY]
        field.description = sentence
        if not field.error.isVisible():
            self.password.setAccessibleDescription(sentence)
        # Spoken only when the level changes, not on every key (the reader echoes typing).
        if not quiet and found.score != self._last_score and found.score > 0:
            self.announcer.say(sentence)
        self._last_score = found.score

    def value(self) -> str:
        return self.password.text()

    def problems(self) -> list[ValidationError]:
        """The core's policy, then "the two are the same" (both at once, first field first)."""
        found: list[ValidationError] = []
        try:
            check_password_policy(self.password.text())
        except WeakPassword as err:
            found.append(err)
        if self.password.text() != self.repeat.text():
            found.append(ValidationError(self.REPEAT_KEY, "mismatch", MISMATCH))
        return found

    def clear(self) -> None:
        self.password.clear()
        self.repeat.clear()


ChangeFn = Callable[[str, str], None]  # (old, new) -> None, run on the DB lane


class ChangePasswordDialog(QDialog):
    """`password_changed()` once the new password is in place; the dialog then closes."""

    password_changed = Signal()

    def __init__(self, runner: TaskRunner, announcer: Announcer, change: ChangeFn,
                 name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.announcer = announcer
        self._change = change
        self.setObjectName("dialog.change_password")
        self.setWindowTitle(_("asndesk — change the password of {name}").format(name=name))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Your data is not encrypted again: only the key that opens it is "
                         "wrapped with the new password. Your recovery key keeps working."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = Form("change_password")
        self.old, self.old_show = add_secret(
            self.form, "old_password", _("&Current password"), _("Show current password"))
        self.new = NewPasswordFields(
            self.form, announcer, label=_("&New password"),
            repeat_label=_("&Repeat the new password"), show_text=_("Show new password"),
            repeat_show_text=_("Show repeated password"))
        layout.addWidget(self.form)
        self.message = QLabel()
        self.message.setObjectName("change_password.message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.submit_button, self.cancel_button = add_dialog_buttons(
            layout, "change_password", _("C&hange password"), _("Cancel"))
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self._busy = False
        self.old.setFocus()

    def submit(self) -> None:
        if self._busy:
            return
        problems: list[UserFacingError] = []
        if not self.old.text():
            problems.append(ValidationError("old_password", "missing",
                                            N_("Type your current password.")))
        problems.extend(self.new.problems())
        if problems:
            self.message.clear()
            self.form.show_errors(problems, self.announcer)
            return
        self.form.clear_errors()
        old, new = self.old.text(), self.new.value()
        self._set_busy(True)
        self.runner.db(lambda: self._change(old, new), self._done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.submit_button.setEnabled(not busy)
        if busy:
            text = _("Changing the password… this takes a few seconds.")
            self.message.setText(text)
            self.announcer.say(text, source=self)

    def _done(self, _result: object) -> None:
        self._set_busy(False)
        self.old.clear()
        self.new.clear()
        self.announcer.say(_("Password changed."), source=self)
        self.password_changed.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.clear()
        if isinstance(exc, UserFacingError):
            # WrongPassword / UnlockDelayed belong to the current password field.
            fallback = "old_password" if isinstance(exc, ProfileError) else "password"
            self.form.show_error(exc, self.announcer, fallback=fallback)
            if fallback == "old_password":
                self.old.selectAll()
            return
        text = _("The password could not be changed. Nothing was changed; try again.")
        self.message.setText(text)
        self.announcer.say(text, assertive=True, source=self)

    def reject(self) -> None:
        if not self._busy:  # the change is half-way on the DB lane: let it finish
            super().reject()
