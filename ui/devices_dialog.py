"""Devices on the office server (online): each with its last sync; revoking one, after a
confirmation whose default is Cancel, makes it erase its profile at its next contact.

An HR officer or admin sees the devices of the people of the unit (`GET /admin/devices`,
only people it may manage) or, chosen in a combo, its own (`GET /devices`). This computer is
marked and is not revoked from here (that would erase the profile in use). Offline or not
connected, the dialog says so and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from asndesk.i18n import _, ngettext
from asndesk.role_usecases import ROLE_ADMIN, ROLE_HR
from asndesk.workspace import Workspace
from sync import roster_admin
from sync.client import SyncError
from sync.roster_admin import DeviceInfo, ManagedDeviceInfo
from ui.admin_messages import server_error_text
from ui.confirm_box import Icon, ask, confirm_box
from ui.context import AppContext
from ui.forms import Form, plain
from ui.models.device_table_model import DeviceRow, DeviceTableModel
from ui.pages.page_widgets import button, current_row, make_table, status_label

MINE, MANAGED = "mine", "managed"   # the scope combo's values: whose devices are listed


def dialog_facts(ws: Workspace, unit_id: str | None) -> dict[str, Any]:
    """What the dialog needs before asking the server (read on the DB lane)."""
    roles = ws.role_names()
    names = {u["id"]: u["nama"] for u in ws.hr_units()}
    return {"device": ws.store.device_id, "connected": bool(ws.sync_setting("url")),
            "manages": bool(roles & {ROLE_HR, ROLE_ADMIN}), "nip": ws.owner_nip,
            "unit_name": names.get(unit_id, unit_id) if unit_id else None}


class DevicesDialog(QDialog):
    """`unit_id`: the unit whose people's devices an HR officer sees (None: every person
    the caller may manage)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 unit_id: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id = unit_id
        self.this_device: str | None = None
        self.own_nip: str | None = None
        self._note = ""   # what the last action did, said before the list's count
        self.confirm_box: QMessageBox | None = None
        self.setObjectName("dialog.devices")
        self.setWindowTitle(_("asndesk — devices on the office server"))
        self.resize(760, 560)
        column = QVBoxLayout(self)
        intro = QLabel(_(
            "Computers registered on the office server, with their last sync. As HR officer "
            "or administrator you see the devices of the people you manage (never those of an "
            "administrator, nor of an HR officer with units beyond yours); choose \"My "
            "devices\" for your own. Revoke one that is lost or no longer used: at its next "
            "contact it erases its asndesk profile. This needs the office server."))
        intro.setObjectName("dialog.devices.intro")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = Form("dialog.devices.form")
        # Filled once the roles are read; changing it only lists again, never revokes.
        self.scope = self.form.add_combo("scope", _("&Show"), [(_("My devices"), MINE)],
                                         description=_("Whose devices the list shows"))
        column.addWidget(self.form)
        self.status = status_label("dialog.devices.status")
        column.addWidget(self.status)
        self.model = DeviceTableModel(parent=self)
        self.view = make_table("dialog.devices.table", _("Devices"), self.model,
                               sort_column=DeviceTableModel.LAST_SYNC)
        column.addWidget(self.view)
        self.final_push = QCheckBox(_("&Let it send its waiting changes first (a retired "
                                      "computer, not a lost one)"))
        self.final_push.setObjectName("dialog.devices.final_push")
        self.final_push.setAccessibleName(plain(self.final_push.text()))
        column.addWidget(self.final_push)
        row = QHBoxLayout()
        self.revoke_button = button(_("Re&voke the chosen device…"), "dialog.devices.revoke",
                                    self.ask_revoke)
        self.refresh_button = button(_("&Refresh"), "dialog.devices.refresh", self.load)
        self.close_button = button(_("Close"), "dialog.devices.close", self.reject)
        for b in (self.revoke_button, self.refresh_button, self.close_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        column.addLayout(row)
        self.revoke_button.setEnabled(False)
        self.view.setColumnHidden(DeviceTableModel.PERSON, True)
        self.ctx.read(lambda ws: dialog_facts(ws, unit_id), self._know_facts)

    def _know_facts(self, facts: dict[str, Any]) -> None:
        self.this_device, self.own_nip = facts["device"], facts["nip"]
        if facts["manages"]:
            label = (_("Devices of the people of {unit}").format(unit=facts["unit_name"])
                     if facts["unit_name"] else _("Devices of the people you manage"))
            self.scope.blockSignals(True)
            self.scope.insertItem(0, label, MANAGED)
            self.scope.setCurrentIndex(0)
            self.scope.blockSignals(False)
        self.scope.currentIndexChanged.connect(lambda _i: self.load())
        if facts["connected"]:
            self.load()
        else:   # said at once, without opening a connection for nothing
            self._list_failed(SyncError("not_connected"))

    # -- listing -------------------------------------------------------------------------
    def load(self) -> None:
        scope, unit_id = self.scope.currentData(), self.unit_id
        self.status.setText(_("Asking the office server…"))
        self.revoke_button.setEnabled(False)
        if scope == MANAGED:
            self.ctx.server(lambda client: roster_admin.list_unit_devices(client, unit_id),
                            lambda found: self._show(found, scope), self._list_failed)
        else:
            self.ctx.server(roster_admin.list_devices,
                            lambda found: self._show(found, scope), self._list_failed)

    def _show(self, devices: Sequence[DeviceInfo], scope: str) -> None:
        if scope != self.scope.currentData():
            return   # the scope changed meanwhile: its own answer follows
        self.view.setColumnHidden(DeviceTableModel.PERSON, scope != MANAGED)
        self.model.set_rows([DeviceRow(d, d.id == self.this_device) for d in devices])
        self.revoke_button.setEnabled(bool(devices))
        count = ngettext("{n} device on the server.", "{n} devices on the server.",
                         len(devices)).format(n=len(devices))
        self.status.setText(f"{self._note} {count}".strip())
        self._note = ""
        if devices:
            self.view.selectRow(0)

    def _list_failed(self, exc: BaseException) -> None:
        # The rows shown may be of the other scope: none rather than the wrong people's.
        self.model.set_rows([])
        self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        self.revoke_button.setEnabled(self.model.rowCount() > 0)
        text = server_error_text(exc)
        self.status.setText(text)
        self.ctx.announcer.say(text, assertive=True)

    def _someone_else(self, row: DeviceRow) -> bool:
        d = row.device
        return isinstance(d, ManagedDeviceInfo) and d.person_nip != self.own_nip

    # -- revoking ------------------------------------------------------------------------
    def ask_revoke(self) -> None:
        row = current_row(self.view)
        if not isinstance(row, DeviceRow):
            self.ctx.announcer.say(_("Choose a device in the list first."))
            return
        if row.this_computer:
            self.status.setText(_("This is the computer you are using; revoking it here "
                                  "would erase the profile you have open. Revoke it from "
                                  "another device or ask the office administrator."))
            self.ctx.announcer.say(self.status.text(), assertive=True)
            return
        if row.device.revoked_at is not None:
            self.ctx.announcer.say(_("That device is already revoked."))
            return
        final = self.final_push.isChecked()
        if self._someone_else(row):
            text = _("Revoke {name}, a device of {person}? At its next contact it erases "
                     "its asndesk profile; this cannot be undone.").format(
                name=row.name, person=row.person)
        else:
            text = _("Revoke {name}? At its next contact it erases its asndesk profile; "
                     "this cannot be undone.").format(name=row.name)
        if final:
            text += " " + _("It may first send the changes it still holds.")
        box = confirm_box(self, "dialog.device_revoke", _("asndesk — revoke a device"), text,
                          _("Revoke"), action_key="revoke", icon=Icon.Warning)

        def decided(confirmed: bool) -> None:
            self.confirm_box = None
            self.view.setFocus()
            if confirmed:
                self.revoke(row, final)
        self.confirm_box = ask(box, decided)

    def revoke(self, row: DeviceRow, final_push: bool) -> None:
        self.revoke_button.setEnabled(False)
        self.status.setText(_("Revoking…"))
        device_id = row.device.id
        self.ctx.server(
            lambda client: roster_admin.revoke_device(client, device_id, final_push=final_push),
            lambda device: self._revoked(device, row), self._failed)

    def _revoked(self, device: DeviceInfo, row: DeviceRow) -> None:
        name = device.name or device.id
        self._note = (_("Revoked {name} of {person}.").format(name=name, person=row.person)
                      if self._someone_else(row) else _("Revoked {name}.").format(name=name))
        self.ctx.announcer.say(self._note)
        self.load()
