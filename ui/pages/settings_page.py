"""Pengaturan: language, theme, text size, auto-lock; password and recovery key; the server.

Changing a combo applies that setting at once (a language change rebuilds the window in the
new words, on this same page) and says "Pengaturan disimpan"; it never navigates or submits
(A-20). These settings belong to the computer (`ui.json`), not to the profile. The server
address typed here is kept as a draft until the login succeeds; passwords never are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asndesk.domain.formatting import format_tanggal
from asndesk.i18n import _, ngettext
from asndesk.office_file import OfficeConfig, load_office_config
from asndesk.workspace import Workspace
from ui.forms import Form
from ui.pages.page import Page
from ui.theme import THEME_LABELS, THEMES
from ui.ui_settings import AUTO_LOCK_CHOICES, TEXT_SCALES

SERVER_DRAFT = "settings.server"
LANGUAGES = (("id", "Bahasa Indonesia"), ("en", "English"))  # each in its own language


@dataclass(frozen=True)
class ProfileFacts:
    created_at: str
    server_url: str | None


def _facts(ws: Workspace) -> ProfileFacts:
    return ProfileFacts(ws.profile.created_at, ws.sync_setting("url"))


class SettingsPage(Page):
    page_id = "pengaturan"
    kinds: ClassVar[frozenset[str]] = frozenset({"settings"})  # reloads only on its own

    def title(self) -> str:
        return _("Settings")

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        self._loading = True
        self.server_url: str | None = None
        self._prefilled = ""  # the office file's address, put in for the person (no draft)
        self._build_display()
        self._build_security()
        self._build_server()
        self.root.addStretch(1)
        self._show_settings()
        self._loading = False

    def _build_display(self) -> None:
        box = QGroupBox(_("Language and display"))
        box.setObjectName("settings.display.group")
        column = QVBoxLayout(box)
        self.display = Form("settings.display")
        self.language = self.display.add_combo("language", _("&Language"), list(
            (label, code) for code, label in LANGUAGES))
        self.theme = self.display.add_combo(
            "theme", _("&Theme"), [(_(THEME_LABELS[name]), name) for name in THEMES])
        self.text_scale = self.display.add_combo(
            "text_scale", _("Te&xt size"), [(f"{n} %", n) for n in TEXT_SCALES],
            description=_("Percent of the normal text size"))
        self.auto_lock = self.display.add_combo(
            "auto_lock_minutes", _("Lock a&fter no activity"),
            [(ngettext("{n} minute", "{n} minutes", n).format(n=n), n)
             for n in AUTO_LOCK_CHOICES],
            description=_("You are warned 30 seconds before, and can stay signed in"))
        column.addWidget(self.display)
        self.office_lock_note = QLabel()
        self.office_lock_note.setObjectName("settings.display.office_lock")
        self.office_lock_note.setWordWrap(True)
        self.office_lock_note.setVisible(False)
        column.addWidget(self.office_lock_note)
        self.root.addWidget(box)
        for key, combo in self._combos().items():
            combo.currentIndexChanged.connect(lambda _i, key=key: self._setting_changed(key))

    def set_office_lock(self, minutes: int | None) -> None:
        """The office file decides the auto-lock time: show it, and let nobody change it."""
        if minutes is None:
            return
        combo = self.auto_lock
        index = combo.findData(minutes)
        combo.blockSignals(True)  # showing the office's value is not the person's choice
        if index < 0:
            combo.addItem(ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes),
                          minutes)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        combo.blockSignals(False)
        combo.setEnabled(False)
        note = _("Set by your office: {n} minutes").format(n=minutes)
        combo.setAccessibleDescription(note)
        combo.setToolTip(note)
        self.office_lock_note.setText(note)
        self.office_lock_note.setVisible(True)

    def _combos(self) -> dict[str, QComboBox]:
        return {"language": self.language, "theme": self.theme,
                "text_scale": self.text_scale, "auto_lock_minutes": self.auto_lock}

    def _build_security(self) -> None:
        box = QGroupBox(_("Password and recovery key"))
        box.setObjectName("settings.security.group")
        rows = QVBoxLayout(box)
        self.recovery_status = QLabel(_("Loading…"))
        self.recovery_status.setObjectName("settings.recovery_status")
        self.recovery_status.setWordWrap(True)
        rows.addWidget(self.recovery_status)
        line = QHBoxLayout()
        self.change_password_button = QPushButton(_("C&hange password…"))
        self.change_password_button.setObjectName("settings.change_password")
        line.addWidget(self.change_password_button)
        line.addStretch(1)
        rows.addLayout(line)
        self.root.addWidget(box)
        self.change_password_button.clicked.connect(self.open_change_password)

    def _build_server(self) -> None:
        box = QGroupBox(_("Office server"))
        box.setObjectName("settings.server.group")
        rows = QVBoxLayout(box)
        self.server_status = QLabel(_("Loading…"))
        self.server_status.setObjectName("settings.server_status")
        self.server_status.setWordWrap(True)
        rows.addWidget(self.server_status)
        self.server_form = Form(SERVER_DRAFT)
        self.url = self.server_form.add_line(
            "url", _("Server a&ddress"), placeholder="https://skp.example.go.id",
            description=_("The address your office gave you, starting with https://"))
        rows.addWidget(self.server_form)
        line = QHBoxLayout()
        self.connect_button = QPushButton(_("C&onnect to the server…"))
        self.connect_button.setObjectName("settings.connect")
        line.addWidget(self.connect_button)
        line.addStretch(1)
        rows.addLayout(line)
        self.root.addWidget(box)
        self.connect_button.clicked.connect(self.open_server_login)
        self.url.returnPressed.connect(self.open_server_login)

    # -- data ----------------------------------------------------------------------------
    def _show_settings(self) -> None:
        """Put the current settings into the combos without applying anything."""
        settings = self.ctx.settings
        self._loading = True
        try:
            for key, combo in self._combos().items():
                index = combo.findData(getattr(settings, key))
                if index >= 0:
                    combo.setCurrentIndex(index)
        finally:
            self._loading = False

    def load(self) -> None:
        self.ctx.read(_facts, self._show_facts)

    def _show_facts(self, facts: ProfileFacts) -> None:
        try:
            made = format_tanggal(datetime.fromisoformat(facts.created_at).date())
        except ValueError:
            made = facts.created_at
        self.recovery_status.setText(_(
            "Your recovery key was shown once, when this profile was made on {date}. It is "
            "not kept on this computer in readable form, so it cannot be shown again. If you "
            "forget your password, choose \u201cForgot password…\u201d on the unlock screen and "
            "type the recovery key.").format(date=made))
        self.server_url = facts.server_url
        if facts.server_url:
            self.server_status.setText(_("Connected to {url}. Changes sync by themselves when "
                                         "the server can be reached.").format(
                                             url=facts.server_url))
        else:
            self.server_status.setText(_("Not connected to a server: everything stays on this "
                                         "computer until you connect."))
        if not self.url.text().strip():  # a restored draft wins
            if facts.server_url:
                self.url.setText(facts.server_url)
            else:
                self._prefill_from_office()

    def _prefill_from_office(self) -> None:
        home = self._home()

        def fill(config: OfficeConfig | None) -> None:
            if config is not None and not self.url.text().strip():
                self._prefilled = config.server_url
                self.url.setText(config.server_url)
        self.ctx.io(lambda: load_office_config(home), fill, lambda _exc: None)

    def _app(self) -> Any:
        return getattr(self.window(), "app", None)

    def _home(self) -> Path | None:
        app = self._app()
        return getattr(app, "home", None)

    # -- applying ------------------------------------------------------------------------
    def _setting_changed(self, key: str) -> None:
        if self._loading:
            return
        combo = self._combos()[key]
        value = combo.currentData()
        if value is None or getattr(self.ctx.settings, key) == value:
            return
        setattr(self.ctx.settings, key, value)
        app = self._app()
        if app is not None:
            app.apply_settings()  # a language change rebuilds the window right after this
        self.ctx.announcer.say(_("Settings saved"))

    def open_change_password(self) -> None:
        from ui.change_password_dialog import ChangePasswordDialog  # noqa: PLC0415

        ctx = self.ctx
        nip = ctx.nip

        def change(old: str, new: str) -> None:  # DB lane
            ctx.workspace_for_lane().manager.change_password(nip, old, new)
        dialog = ChangePasswordDialog(ctx.runner, ctx.announcer, change, ctx.profile_name,
                                      self.window())
        dialog.finished.connect(lambda _r: self.change_password_button.setFocus())
        dialog.finished.connect(dialog.deleteLater)
        self.change_password_dialog = dialog
        dialog.open()

    def open_server_login(self) -> None:
        from ui.server_login_dialog import ServerLoginDialog, normalise_url  # noqa: PLC0415

        ctx = self.ctx
        dialog = ServerLoginDialog(ctx.runner, ctx.announcer, ctx.workspace_for_lane,
                                   nip=ctx.nip, url=normalise_url(self.url.text()),
                                   home=self._home(), parent=self.window())
        dialog.connected.connect(self._connected)
        dialog.finished.connect(lambda _r: self.connect_button.setFocus())
        dialog.finished.connect(dialog.deleteLater)
        self.server_login_dialog = dialog
        dialog.open()

    def _connected(self, url: str) -> None:
        self.url.setText(url)
        self.server_url = url
        app = self._app()
        if app is not None:
            app.connect_server(url)
        self.load()

    # -- drafts and focus ----------------------------------------------------------------
    def drafts(self) -> dict[str, dict[str, Any]]:
        typed = self.url.text().strip()
        if typed and typed not in (self.server_url or "", self._prefilled):
            return {SERVER_DRAFT: {"url": typed}}
        return {}

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        if SERVER_DRAFT in drafts:
            self.server_form.set_values(drafts[SERVER_DRAFT])

    def first_focus(self) -> QWidget | None:
        return self.language
