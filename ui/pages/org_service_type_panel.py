"""Organisasi › Jenis Layanan: the office's service types with their standard time in working
days; adding, renaming or changing the standard, deactivating and activating again (types
are never deleted: service logs keep theirs)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QWidget

from asndesk.i18n import _
from sync import reference_admin as ra
from ui.context import AppContext
from ui.models.service_type_table_model import ServiceTypeRow, ServiceTypeTableModel
from ui.pages.org_online import OnlineSection
from ui.pages.page_widgets import button, current_row, make_table, status_label
from ui.service_type_dialog import ServiceTypeDialog


class ServiceTypePanel(OnlineSection):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "org.service_type", parent)
        self._asked = 0
        self.info = status_label("org.service_type.info")
        self.column.addWidget(self.info)
        self.column.addWidget(self.status)  # progress, or why the server is out of reach
        self.model = ServiceTypeTableModel(parent=self)
        self.table = make_table("org.service_type.table",
                                _("Service types on the office server"), self.model,
                                sort_column=0)
        self.table.horizontalHeader().resizeSection(1, 280)
        self.column.addWidget(self.table)
        self.add_button = button(_("Add a service type…"), "org.service_type.add", self.add)
        self.edit_button = button(_("Change the service type…"), "org.service_type.edit",
                                  self.edit, _("Rename the chosen type or change its standard "
                                               "time"))
        self.deactivate_button = button(_("Deactivate"), "org.service_type.deactivate",
                                        lambda: self.set_active(False),
                                        _("No new services of the chosen type; recorded ones "
                                          "keep it"))
        self.activate_button = button(_("Activate again"), "org.service_type.activate",
                                      lambda: self.set_active(True))
        for pair in ((self.add_button, self.edit_button),
                     (self.deactivate_button, self.activate_button)):
            row = QHBoxLayout()
            for b in pair:
                row.addWidget(b)
            row.addStretch(1)
            self.column.addLayout(row)
        self.column.addStretch(1)
        self.busy_buttons = [self.add_button, self.edit_button, self.deactivate_button,
                             self.activate_button]

    # -- loading ---------------------------------------------------------------------------
    def load(self, select: str | None = None) -> None:
        self._asked += 1
        asked = self._asked
        self.fetch(lambda c: ra.list_service_types(c, semua=True),
                   lambda found: self._show(asked, found, select))

    def _show(self, asked: int, found: list[dict[str, Any]], select: str | None) -> None:
        if asked != self._asked:
            return  # a newer answer is on its way
        chosen = select or getattr(current_row(self.table), "id", None)
        self.model.set_types(found)
        active = sum(1 for t in found if t.get("aktif", True))
        self.info.setText(_("{n} service types on the office server, {active} active.").format(
            n=len(found), active=active) if found else
            _("The office server has no service types yet."))
        row = self.model.row_of(chosen) if chosen else -1
        if row >= 0:
            proxy = self.table.model()
            self.table.setCurrentIndex(proxy.mapFromSource(  # type: ignore[attr-defined]
                self.model.index(row, 0)))

    def _chosen(self) -> ServiceTypeRow | None:
        row = current_row(self.table)
        if not isinstance(row, ServiceTypeRow):
            self.ctx.announcer.say(_("Choose a service type in the list first."))
            self.table.setFocus()
            return None
        return row

    # -- changes ---------------------------------------------------------------------------
    def add(self) -> None:
        self._open(ServiceTypeDialog(None, self))

    def edit(self) -> None:
        row = self._chosen()
        if row is not None:
            self._open(ServiceTypeDialog(row, self))

    def _open(self, dialog: ServiceTypeDialog) -> None:
        self.dialog = dialog
        dialog.submitted.connect(lambda values: self._send(dialog, values))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.prefill(dialog)
        dialog.open()

    def _closed(self, dialog: ServiceTypeDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.table.setFocus()

    def _send(self, dialog: ServiceTypeDialog, v: dict[str, Any]) -> None:
        item = dialog.item
        if item is None:
            def fn(c: Any) -> Any:
                return ra.create_service_type(c, v["kode"], v["nama"], v["standar_hari_kerja"])
        else:
            def fn(c: Any) -> Any:
                return ra.update_service_type(c, item.as_dict(), nama=v["nama"],
                                              standar_hari_kerja=v["standar_hari_kerja"])

        def done(result: dict[str, Any]) -> None:
            dialog.accept()
            self.load(str(result["id"]))
        self.run(fn, done, progress=_("Saving the service type on the office server…"),
                 place=dialog.place, buttons=[dialog.submit],
                 check=lambda: ra.check_service_type(v["kode"], v["nama"],
                                                     v["standar_hari_kerja"]))

    def set_active(self, active: bool) -> None:
        row = self._chosen()
        if row is None:
            return
        if active:
            def fn(c: Any) -> Any:
                return ra.update_service_type(c, row.as_dict(), nama=row.nama,
                                              standar_hari_kerja=row.standar_hari_kerja,
                                              aktif=True)
        else:
            def fn(c: Any) -> Any:
                return ra.deactivate_service_type(c, row.id)
        saved = (_("{code} is active again.") if active else
                 _("{code} is deactivated.")).format(code=row.kode)
        self.run(fn, lambda _r: self.load(row.id), saved=saved,
                 progress=_("Sending to the office server…"))
