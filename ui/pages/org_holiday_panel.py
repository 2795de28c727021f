"""Organisasi › Hari Libur: the office server's holidays of a year; adding one day, removing
one (asked first), and replacing the whole year from a calendar file (libur-YYYY.json) after
a review of what the file holds."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QWidget

from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _, ngettext
from asndesk.paths import resource_path
from sync import reference_admin as ra
from ui.confirm_box import ask, confirm_box, confirm_delete
from ui.context import AppContext
from ui.forms import Form
from ui.holiday_dialog import HolidayDialog
from ui.models.holiday_table_model import HolidayRow, HolidayTableModel
from ui.pages.org_online import ErrorPlace, OnlineSection
from ui.pages.page_widgets import button, current_row, heading, make_table, status_label


class HolidayPanel(OnlineSection):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "org.holiday", parent)
        self.tahun = 0
        self.confirm_box: QMessageBox | None = None
        self.info = status_label("org.holiday.info")
        self.column.addWidget(self.info)
        self.column.addWidget(self.status)  # progress, or why the server is out of reach
        self.model = HolidayTableModel(parent=self)
        self.table = make_table("org.holiday.table", _("Holidays on the office server"),
                                self.model, sort_column=0)
        self.table.horizontalHeader().resizeSection(0, 240)
        self.column.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = button(_("Add a holiday…"), "org.holiday.add", self.add)
        self.remove_button = button(_("Remove the chosen holiday…"), "org.holiday.remove",
                                    self.remove)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.column.addLayout(row)
        self._build_import()
        self.busy_buttons = [self.add_button, self.remove_button, self.import_button]

    def _build_import(self) -> None:
        self.column.addWidget(heading(_("Replace the year from a calendar file"),
                                      "org.holiday.import.heading"))
        self.import_form = Form("org.holiday.import")
        self.berkas = self.import_form.add_line(
            "berkas", _("Calendar &file (libur-YYYY.json)"),
            description=_("A JSON file in the format of the calendars shipped with asndesk; "
                          "days missing from it are removed from the server's year"))
        self.column.addWidget(self.import_form)
        self.import_message = status_label("org.holiday.import.message")
        self.import_message.setVisible(False)
        self.column.addWidget(self.import_message)
        self.import_place = ErrorPlace(self.import_message, self.import_form, fallback="berkas")
        row = QHBoxLayout()
        self.browse_button = button(_("Choose a file…"), "org.holiday.import.browse",
                                    self.browse)
        self.shipped_button = button(_("Use the calendar shipped with asndesk"),
                                     "org.holiday.import.shipped", self.use_shipped)
        row.addWidget(self.browse_button)
        row.addWidget(self.shipped_button)
        row.addStretch(1)
        self.column.addLayout(row)
        row = QHBoxLayout()
        self.import_button = button(_("Replace the year from the file…"),
                                    "org.holiday.import.send", self.review_import)
        row.addWidget(self.import_button)
        row.addStretch(1)
        self.column.addLayout(row)

    # -- loading ---------------------------------------------------------------------------
    def load(self, tahun: int) -> None:
        self.tahun = tahun
        self.fetch(lambda c: ra.list_holidays(c, tahun), lambda found: self._show(tahun, found))

    def _show(self, tahun: int, found: list[dict[str, Any]]) -> None:
        if tahun != self.tahun:
            return
        self.model.set_holidays(found)
        self.info.setText(ngettext(
            "{n} holiday of {year} on the office server.",
            "{n} holidays of {year} on the office server.", len(found)).format(
                n=len(found), year=tahun) if found else
            _("The office server has no holidays for {year}: devices use the calendar "
              "shipped with asndesk.").format(year=tahun))

    # -- one day ---------------------------------------------------------------------------
    def add(self) -> None:
        dialog = self.dialog = HolidayDialog(self.tahun, self)
        dialog.submitted.connect(lambda values: self._send(dialog, values))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.prefill(dialog)
        dialog.open()

    def _closed(self, dialog: HolidayDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.table.setFocus()

    def _send(self, dialog: HolidayDialog, v: dict[str, Any]) -> None:
        def done(_result: Any) -> None:
            dialog.accept()
            self.load(self.tahun)
        self.run(lambda c: ra.add_holiday(c, v["tanggal"], v["nama"], v["jenis"]), done,
                 progress=_("Saving the holiday on the office server…"), place=dialog.place,
                 buttons=[dialog.submit],
                 check=lambda: ra.check_holiday(v["tanggal"], v["nama"], v["jenis"]))

    def remove(self) -> None:
        row = current_row(self.table)
        if not isinstance(row, HolidayRow):
            self.ctx.announcer.say(_("Choose a holiday in the list first."))
            self.table.setFocus()
            return
        box = confirm_delete(self, "dialog.org_holiday_remove",
                             _("asndesk — remove a holiday from the office calendar"),
                             _("Remove this holiday from the office server? It counts as a "
                               "working day again on every device after its next sync.") +
                             "\n\n" + row.summary())

        def decided(confirmed: bool) -> None:
            self.confirm_box = None
            self.table.setFocus()
            if confirmed:
                self.run(lambda c: ra.delete_holiday(c, row.id),
                         lambda _r: self.load(self.tahun), saved=_("Holiday removed."),
                         progress=_("Sending to the office server…"))
        self.confirm_box = ask(box, decided)

    # -- a whole year ----------------------------------------------------------------------
    def browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("asndesk — choose a holiday calendar file"), self.berkas.text(),
            _("Holiday calendar (*.json)"))
        if path:
            self.berkas.setText(path)
        self.berkas.setFocus()

    def use_shipped(self) -> None:
        self.berkas.setText(str(resource_path("calendars", f"libur-{self.tahun}.json")))
        self.berkas.setFocus()

    def review_import(self) -> None:
        """Read and check the file off the GUI thread, then show what it holds and ask."""
        path, tahun = self.berkas.text().strip(), self.tahun
        self.import_place.clear()
        if not path:
            self.import_form.show_error(ValidationError(
                "berkas", "missing", _("Choose the calendar file first.")), self.ctx.announcer)
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserFacingError):
                self.import_place.show_error(exc, self.ctx)
            else:
                self.ctx.error.emit(exc)
        self.ctx.io(lambda: ra.read_calendar_file(path),
                    lambda data: self._confirm_import(tahun, data), failed)

    def _confirm_import(self, tahun: int, data: dict[str, Any]) -> None:
        if data.get("tahun") != tahun:
            self.import_place.show(_("The file is the calendar of {found}, not of {year}. "
                                     "Choose {found} as the year above, or another file."
                                     ).format(
                found=data.get("tahun"), year=tahun), self.ctx)
            self.berkas.setFocus()
            return
        days = len(data.get("hari", []))
        box = confirm_box(self, "dialog.org_holiday_import",
                          _("asndesk — replace the office's holidays of a year"),
                          ngettext("Replace the office's holidays of {year} with the {n} day "
                                   "in the file? Days not in the file are removed from the "
                                   "server.", "Replace the office's holidays of {year} with "
                                   "the {n} days in the file? Days not in the file are "
                                   "removed from the server.", days).format(year=tahun, n=days),
                          _("Replace"), action_key="replace")  # it removes days

        def decided(confirmed: bool) -> None:
            self.confirm_box = None
            self.berkas.setFocus()
            if confirmed:
                self._send_year(tahun, data)
        self.confirm_box = ask(box, decided)

    def _send_year(self, tahun: int, data: dict[str, Any]) -> None:
        def done(report: dict[str, Any]) -> None:
            self.import_place.show(_(
                "Year {year} replaced on the office server: {added} added, {updated} changed, "
                "{removed} removed; {total} days in all.").format(year=tahun, **report),
                self.ctx, error=False)
            self.load(tahun)
        self.run(lambda c: ra.put_holidays(c, tahun, data), done,
                 progress=_("Sending the calendar to the office server…"),
                 place=self.import_place)
