"""First run (or "New profile…"): who you are → a password → the recovery key → the server.

The steps mirror `asndesk profile create` (cli/profile_commands.py): NIP or NI PPPK and the
name, a new password typed twice, `Workspace.create_profile` (Argon2id, so on the DB lane),
then the recovery key shown once. The key is large and selectable, can be printed or saved
to a file the person chooses, and is never put on the clipboard, logged or written anywhere
else; a confirmation is required before going on. The last step optionally logs in to the
office server (address from office.json when there is one), or starts offline.
"""

from __future__ import annotations

import html
import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontDatabase, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from asndesk.domain.activity import MAKS_NAMA
from asndesk.domain.identity import JenisPegawai, parse_nomor_induk
from asndesk.domain.skp import validate_text
from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from ui.announce import Announcer
from ui.change_password_dialog import NewPasswordFields
from ui.forms import Form
from ui.server_login_dialog import ServerLoginForm
from ui.task_runner import TaskRunner

STEP_IDENTITY, STEP_PASSWORD, STEP_RECOVERY, STEP_SERVER = range(4)
IDENTITY_FIELDS = ("nip", "ni_pppk", "jenis_pegawai", "jenis_asn", "nama")


def recovery_key_text(key: str, nama: str, nip: str, today: date) -> str:
    """What "Save to file" writes: the key on its own line, with who and what it is for."""
    return "\n".join((
        _("asndesk — recovery key"),
        _("Profile: {name} ({nip})").format(name=nama, nip=nip),
        _("Made on: {date}").format(date=today.isoformat()),
        "",
        key,
        "",
        _("With this key you can set a new password if you forget yours. Nobody else can. "
          "Keep it somewhere safe, away from the computer."),
        "",
    ))


def write_recovery_file(path: Path, text: str) -> None:
    """Write only `path` (readable by its owner only), no temporary file beside it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _step(title: str) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    heading = QLabel(f"<h2>{html.escape(title)}</h2>")
    heading.setWordWrap(True)
    layout.addWidget(heading)
    return page, layout


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    return button


class CreateProfileDialog(QDialog):
    """`created(Workspace)` with the new profile open; `cancelled()` before it exists."""

    created = Signal(object)
    cancelled = Signal()

    def __init__(self, runner: TaskRunner, announcer: Announcer, manager: ProfileManager,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.announcer = announcer
        self.manager = manager
        self.home = manager.root.parent  # the data home the profiles live in
        self.ws: Workspace | None = None
        self._recovery_key: str | None = None
        self._busy = False
        self._finished = False
        self.setObjectName("dialog.create_profile")
        self.setWindowTitle(_("asndesk — new profile"))
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        self.stack.setObjectName("create.stack")
        layout.addWidget(self.stack)
        self.message = QLabel()
        self.message.setObjectName("create.message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.step_titles: list[str] = []
        self._build_identity()
        self._build_password()
        self._build_recovery()
        self._build_server()
        self.resize(640, 520)
        self._go(STEP_IDENTITY, announce=False)

    # -- steps ---------------------------------------------------------------------------
    def _build_identity(self) -> None:
        self.step_titles.append(_("Step 1 of 4: who you are"))
        page, layout = _step(self.step_titles[-1])
        intro = QLabel(_("Each person on this computer has their own encrypted profile. "
                         "Nobody else can open yours."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.identity = Form("create.identity")
        self.jenis = self.identity.add_combo(
            "jenis_pegawai", _("&Kind of employee"),
            [(_("PNS (civil servant, NIP)"), str(JenisPegawai.PNS)),
             (_("PPPK (contract employee, NI PPPK)"), str(JenisPegawai.PPPK))])
        self.nip = self.identity.add_line(
            "nip", _("N&IP or NI PPPK"), max_length=40,
            description=_("18 digits; spaces between the groups are fine"))
        self.nama = self.identity.add_line(
            "nama", _("&Name"), max_length=MAKS_NAMA,
            description=_("Your name without academic titles"))
        layout.addWidget(self.identity)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.next_button = _button(_("Ne&xt"), "create.next")
        self.cancel_button = _button(_("Cance&l"), "create.cancel")
        row.addStretch(1)
        row.addWidget(self.next_button)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.next_button.clicked.connect(self._identity_next)
        self.nama.returnPressed.connect(self._identity_next)
        self.cancel_button.clicked.connect(self.reject)
        self.stack.addWidget(page)

    def _build_password(self) -> None:
        self.step_titles.append(_("Step 2 of 4: your password"))
        page, layout = _step(self.step_titles[-1])
        intro = QLabel(_("Choose a password only you know; a few plain words work well. "
                         "Nobody, not even the office, can reset it: if you forget it, the "
                         "recovery key you get next is the only way back in."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.password_form = Form("create.password")
        self.passwords = NewPasswordFields(
            self.password_form, self.announcer, label=_("&Password"),
            repeat_label=_("&Repeat the password"), show_text=_("Show password"),
            repeat_show_text=_("Show repeated password"))
        layout.addWidget(self.password_form)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.back_button = _button(_("&Back"), "create.back")
        self.create_button = _button(_("&Create profile"), "create.submit")
        self.cancel_button_2 = _button(_("Cance&l"), "create.cancel2")
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.create_button)
        row.addWidget(self.cancel_button_2)
        layout.addLayout(row)
        self.back_button.clicked.connect(lambda: self._go(STEP_IDENTITY))
        self.create_button.clicked.connect(self.create_profile)
        self.passwords.repeat.returnPressed.connect(self.create_profile)
        self.cancel_button_2.clicked.connect(self.reject)
        self.stack.addWidget(page)

    def _build_recovery(self) -> None:
        self.step_titles.append(_("Step 3 of 4: your recovery key"))
        page, layout = _step(self.step_titles[-1])
        intro = QLabel(_("This is your recovery key. It is shown only now. With it you can set "
                         "a new password if you forget yours; nobody else can. Print it or "
                         "write it down, and keep it somewhere safe, away from this computer."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        label = QLabel(_("Recovery &key"))
        self.key_view = QLineEdit()
        self.key_view.setObjectName("create.recovery_key")
        self.key_view.setReadOnly(True)  # selectable and readable, never editable
        self.key_view.setAccessibleName(_("Recovery key"))
        self.key_view.setAccessibleDescription(
            _("Eight groups of four letters and digits, separated by dashes"))
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        base = self.font().pointSizeF()
        font.setPointSizeF(max(base, 9.0) * 1.6)
        font.setWeight(QFont.Weight.Bold)
        self.key_view.setFont(font)
        label.setBuddy(self.key_view)
        layout.addWidget(label)
        layout.addWidget(self.key_view)
        row = QHBoxLayout()
        self.print_button = _button(_("&Print…"), "create.print")
        self.save_button = _button(_("&Save to file…"), "create.save_key")
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.key_status = QLabel()
        self.key_status.setObjectName("create.key_status")
        self.key_status.setWordWrap(True)
        layout.addWidget(self.key_status)
        self.confirm = QCheckBox(_("&I have stored my recovery key in a safe place"))
        self.confirm.setObjectName("create.confirm_key")
        self.confirm.setAccessibleName(_("I have stored my recovery key in a safe place"))
        layout.addWidget(self.confirm)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.continue_button = _button(_("C&ontinue"), "create.continue")
        self.continue_button.setEnabled(False)
        row.addStretch(1)
        row.addWidget(self.continue_button)
        layout.addLayout(row)
        self.confirm.toggled.connect(self.continue_button.setEnabled)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        self.continue_button.clicked.connect(self._recovery_done)
        self.stack.addWidget(page)

    def _build_server(self) -> None:
        self.step_titles.append(_("Step 4 of 4: the office server (optional)"))
        page, layout = _step(self.step_titles[-1])
        intro = QLabel(_("Connect now to send your work to the office and receive your "
                         "supervisor's feedback, or start offline and connect later from "
                         "Settings. Everything works offline either way."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.server = ServerLoginForm(self.runner, self.announcer, self._lane_workspace,
                                      nip="", name="create.server")
        layout.addWidget(self.server)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.connect_button = _button(_("&Connect"), "create.connect")
        self.offline_button = _button(_("&Start offline"), "create.offline")
        row.addStretch(1)
        row.addWidget(self.connect_button)
        row.addWidget(self.offline_button)
        layout.addLayout(row)
        self.connect_button.clicked.connect(self.server.submit)
        self.offline_button.clicked.connect(self._finish)
        self.server.busy_changed.connect(self._server_busy)
        self.server.connected.connect(lambda _url: self._finish())
        self.stack.addWidget(page)

    def _lane_workspace(self) -> Workspace:
        assert self.ws is not None
        return self.ws

    # -- navigation ----------------------------------------------------------------------
    @property
    def step(self) -> int:
        return self.stack.currentIndex()

    def _go(self, step: int, *, announce: bool = True) -> None:
        self.message.clear()
        self.stack.setCurrentIndex(step)
        first = {STEP_IDENTITY: self.jenis, STEP_PASSWORD: self.passwords.password,
                 STEP_RECOVERY: self.key_view, STEP_SERVER: self.server.first_field()}[step]
        first.setFocus()
        if announce:
            self.announcer.say(self.step_titles[step], source=self)

    def _identity_problems(self) -> list[UserFacingError]:
        found: list[UserFacingError] = []
        try:
            parse_nomor_induk(self.nip.text(), self.jenis.currentData())
        except ValidationError as err:
            found.append(err)
        try:
            validate_text("nama", self.nama.text(), MAKS_NAMA)
        except ValidationError as err:
            found.append(err)
        return found

    def _identity_next(self) -> None:
        problems = self._identity_problems()
        if problems:
            self.identity.show_errors(problems, self.announcer, fallback="nip")
            return
        self.identity.clear_errors()
        self._go(STEP_PASSWORD)

    # -- creating ------------------------------------------------------------------------
    def create_profile(self) -> None:
        """Check the password fields, then make the profile on the DB lane."""
        if self._busy or self.step != STEP_PASSWORD:
            return
        problems = self._identity_problems()
        if problems:
            self._go(STEP_IDENTITY, announce=False)
            self.identity.show_errors(problems, self.announcer, fallback="nip")
            return
        password_problems = self.passwords.problems()
        if password_problems:
            self.password_form.show_errors(list(password_problems), self.announcer)
            return
        self.password_form.clear_errors()
        nip, nama = self.nip.text(), self.nama.text()
        jenis, password = self.jenis.currentData(), self.passwords.value()
        manager = self.manager
        self._set_busy(True)
        self.runner.db(
            lambda: Workspace.create_profile(nip, nama, password, jenis_pegawai=jenis,
                                             manager=manager),
            self._created, self._create_failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.create_button, self.back_button, self.cancel_button_2):
            button.setEnabled(not busy)
        if busy:
            text = _("Creating your encrypted profile… this takes a few seconds.")
            self.message.setText(text)
            self.announcer.say(text, source=self)

    def _created(self, result: tuple[Workspace, str]) -> None:
        self._set_busy(False)
        self.ws, self._recovery_key = result
        self.passwords.clear()
        self.key_view.setText(self._recovery_key)
        self.server.nip.setText(self.ws.owner_nip)
        self.server.load_office(self.home)
        self._go(STEP_RECOVERY, announce=False)
        self.announcer.say(_("Profile created. Step 3 of 4: your recovery key. It is shown "
                             "only now; print it or save it, then confirm."), source=self)

    def _create_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.clear()
        if not isinstance(exc, UserFacingError):
            text = _("The profile could not be created. Nothing was saved; try again.")
            self.message.setText(text)
            self.announcer.say(text, assertive=True, source=self)
            return
        field = getattr(exc, "field", None)
        if field in IDENTITY_FIELDS or field is None:
            self._go(STEP_IDENTITY, announce=False)  # e.g. ProfileExists: on the NIP field
            self.identity.show_error(exc, self.announcer, fallback="nip")
        else:
            self.password_form.show_error(exc, self.announcer, fallback="password")

    # -- the recovery key ----------------------------------------------------------------
    def print_key(self, printer: QPrinter) -> None:
        """Render the recovery key sheet on `printer` (the printer or PDF the person chose)."""
        if self._recovery_key is None or self.ws is None:
            return
        doc = QTextDocument()
        lines = recovery_key_text(self._recovery_key, self.ws.profile.nama, self.ws.owner_nip,
                                  date.today()).splitlines()
        body = "".join(
            f'<p style="font-family: monospace; font-size: 20pt; font-weight: bold">'
            f"{html.escape(line)}</p>" if line == self._recovery_key
            else f"<p>{html.escape(line)}</p>" for line in lines if line)
        doc.setHtml(f"<html><body>{body}</body></html>")
        doc.print_(printer)

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(_("asndesk recovery key"))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("asndesk — print the recovery key"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_key(printer)
        text = _("The recovery key was sent to the printer.")
        self.key_status.setText(text)
        self.announcer.say(text, source=self)

    def _save(self) -> None:
        if self._recovery_key is None or self.ws is None:
            return
        suggested = str(Path.home() / f"asndesk-recovery-key-{self.ws.owner_nip}.txt")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("asndesk — save the recovery key"), suggested, _("Text files (*.txt)"))
        if not chosen:
            return
        path = Path(chosen)
        text = recovery_key_text(self._recovery_key, self.ws.profile.nama, self.ws.owner_nip,
                                 date.today())

        def saved(_result: object) -> None:
            message = _("The recovery key is saved in {path}. Keep that file away from this "
                        "computer, for example on a USB stick in a safe place.").format(
                            path=str(path))
            self.key_status.setText(message)
            self.announcer.say(message, source=self)

        def failed(_exc: BaseException) -> None:
            message = _("The file {path} could not be written. Choose another place.").format(
                path=str(path))
            self.key_status.setText(message)
            self.announcer.say(message, assertive=True, source=self)
        self.runner.io(lambda: write_recovery_file(path, text), saved, failed)

    def _recovery_done(self) -> None:
        if not self.confirm.isChecked():
            return
        self.key_view.clear()  # shown once: not kept on screen or in the accessibility tree
        self._recovery_key = None
        self._go(STEP_SERVER)

    # -- the server ----------------------------------------------------------------------
    def _server_busy(self, busy: bool) -> None:
        self._busy = busy
        self.connect_button.setEnabled(not busy)
        self.offline_button.setEnabled(not busy)

    def _finish(self) -> None:
        if self.ws is None or self._finished:
            return
        self._finished = True
        ws = self.ws
        self.created.emit(ws)

    # -- closing -------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc / Cancel: before the profile exists it cancels; afterwards it never loses the
        recovery key step, and on the last step it means "start offline"."""
        if self._busy:
            return
        if self.ws is None:
            self._finished = True
            self.cancelled.emit()
            return
        if self.step == STEP_SERVER:
            self._finish()
            return
        text = _("Confirm that you stored your recovery key first: it cannot be shown again.")
        self.message.setText(text)
        self.announcer.say(text, assertive=True, source=self)
        self.confirm.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished or self.ws is None:
            if not self._finished:
                self._finished = True
                self.cancelled.emit()
            super().closeEvent(event)
            return
        event.ignore()
        self.reject()
