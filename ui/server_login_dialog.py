"""Connect a profile to the office server: address + NIP + server password → `SyncClient.login`.

The login stores the session in the encrypted profile, so it runs on the DB lane (the only
thread that touches the open workspace). `ServerLoginForm` is the widget, shared by the last
step of the create-profile dialog and by `ServerLoginDialog` (opened from Pengaturan).

The office provisioning file (`office.json`, read and checked by `asndesk.office_file`) names
the office and prefills the server address.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import N_, _
from asndesk.office_file import OfficeConfig, load_office_config
from asndesk.workspace import Workspace
from ui.announce import Announcer
from ui.change_password_dialog import add_secret
from ui.forms import Form, add_dialog_buttons
from ui.task_runner import TaskRunner

# -- login ----------------------------------------------------------------------------------------
LOGIN_MESSAGES = {
    "network": N_("The server could not be reached. Check the address and the network "
                  "connection."),
    "not_protocol": N_("The address answered, but not as the asndesk server (a Wi-Fi login "
                       "page?). Check the address."),
}
URL_ERRORS = ("bad_url", "insecure_url", "network", "not_protocol")


def normalise_url(text: str) -> str:
    """What the person typed, as an address: spaces removed, https:// added when missing."""
    url = text.strip()
    if url and "://" not in url:
        url = "https://" + url
    return url.rstrip("/")


def login_to_server(ws: Workspace, url: str, nip: str, password: str) -> str:
    """Log in and store the session (DB lane); returns the address used."""
    from sync.client import SyncClient  # noqa: PLC0415 (network code only when needed)

    client = SyncClient(ws, url)
    client.login(nip, password)
    return client.base_url


def login_error(exc: BaseException) -> UserFacingError:
    """A sync or profile error as a field error of the login form."""
    from sync.client import SyncError  # noqa: PLC0415
    from sync.sync_commands import SYNC_MESSAGES  # noqa: PLC0415

    if isinstance(exc, SyncError):
        code = exc.code
        field = "url" if code in URL_ERRORS else "password"
        message = LOGIN_MESSAGES.get(code) or SYNC_MESSAGES.get(code)
        if message is not None:
            return ValidationError(field, code, message)
        return ValidationError(field, code, N_("Connecting failed ({reason})."), reason=code)
    if isinstance(exc, UserFacingError):
        return exc
    return ValidationError("url", "unexpected",
                           N_("Connecting failed. Nothing was changed; try again."))


class ServerLoginForm(QWidget):
    """Address, NIP and server password; `connected(url)` after a successful login.

    `workspace` is called on the DB lane and returns the open workspace to log in with.
    """

    connected = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, announcer: Announcer,
                 workspace: Callable[[], Workspace], *, nip: str, url: str = "",
                 name: str = "server_login", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.announcer = announcer
        self._workspace = workspace
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.office = QLabel()
        self.office.setObjectName(f"{name}.office")
        self.office.setWordWrap(True)
        self.office.setVisible(False)
        layout.addWidget(self.office)
        self.form = Form(name)
        self.url = self.form.add_line(
            "url", _("Server &address"), placeholder="https://skp.example.go.id",
            description=_("The address your office gave you, starting with https://"))
        self.url.setText(url)
        self.nip = self.form.add_line("nip", _("N&IP on the server"))
        self.nip.setText(nip)
        self.password, self.show_password = add_secret(
            self.form, "password", _("Server pass&word"), _("Show server password"),
            description=_("Your password on the office server (it may differ from this "
                          "profile's password)"))
        layout.addWidget(self.form)
        self.message = QLabel()
        self.message.setObjectName(f"{name}.message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.busy = False
        self.password.returnPressed.connect(self.submit)

    def set_office(self, config: OfficeConfig | None, error: str = "") -> None:
        """Show the office file's name and prefill its address (only into an empty field)."""
        if error:
            self.office.setText(error)
            self.office.setVisible(True)
            return
        if config is None:
            return
        if config.office_name:
            self.office.setText(_("Office: {name}").format(name=config.office_name))
            self.office.setVisible(True)
        if not self.url.text().strip():
            self.url.setText(config.server_url)

    def load_office(self, home: Path | None) -> None:
        """Read office.json off the GUI thread and prefill from it."""
        def failed(exc: BaseException) -> None:
            self.set_office(None, exc.message() if isinstance(exc, UserFacingError) else "")
        self.runner.io(lambda: load_office_config(home), self.set_office, failed)

    def first_field(self) -> QWidget:
        return self.password if self.url.text().strip() and self.nip.text().strip() \
            else self.url

    def submit(self) -> None:
        if self.busy:
            return
        url = normalise_url(self.url.text())
        nip = "".join(self.nip.text().split())
        password = self.password.text()
        problems: list[UserFacingError] = []
        if not url:
            problems.append(ValidationError("url", "missing", N_("Type the server address.")))
        if not nip:
            problems.append(ValidationError("nip", "missing", N_("This value is required.")))
        if not password:
            problems.append(ValidationError("password", "missing",
                                            N_("Type your server password.")))
        if problems:
            self.message.clear()
            self.form.show_errors(problems, self.announcer)
            return
        self.form.clear_errors()
        self.url.setText(url)
        self._set_busy(True)
        workspace = self._workspace
        self.runner.db(lambda: login_to_server(workspace(), url, nip, password),
                       self._done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if busy:
            text = _("Connecting to the server…")
            self.message.setText(text)
            self.announcer.say(text, source=self)
        self.busy_changed.emit(busy)

    def _done(self, url: str) -> None:
        self._set_busy(False)
        self.password.clear()
        text = _("Connected to {url}.").format(url=url)
        self.message.setText(text)
        self.announcer.say(text, source=self)
        self.connected.emit(url)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.clear()
        err = login_error(exc)
        self.form.show_error(err, self.announcer, fallback="url")
        if getattr(err, "field", "") == "password":
            self.password.selectAll()


class ServerLoginDialog(QDialog):
    """From Pengaturan: `connected(url)` after a successful login, then it closes."""

    connected = Signal(str)

    def __init__(self, runner: TaskRunner, announcer: Announcer,
                 workspace: Callable[[], Workspace], *, nip: str, url: str = "",
                 home: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.server_login")
        self.setWindowTitle(_("asndesk — connect to the office server"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Log in once; afterwards this profile syncs by itself whenever the "
                         "server can be reached. Your work stays on this computer meanwhile."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.login = ServerLoginForm(runner, announcer, workspace, nip=nip, url=url,
                                     name="server_login")
        layout.addWidget(self.login)
        self.connect_button, self.cancel_button = add_dialog_buttons(
            layout, "server_login", _("&Connect"), _("Cancel"))
        self.connect_button.clicked.connect(self.login.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.login.busy_changed.connect(lambda busy: self.connect_button.setEnabled(not busy))
        self.login.connected.connect(self._connected)
        if not url:
            self.login.load_office(home)
        self.login.first_field().setFocus()

    def _connected(self, url: str) -> None:
        self.connected.emit(url)
        self.accept()

    def reject(self) -> None:
        if not self.login.busy:
            super().reject()
