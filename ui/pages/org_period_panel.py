"""Organisasi › Periode: the year's periods on the office server, adding one, moving its dates
and input deadline, closing and reopening it, and making a whole year from a pattern."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from asndesk.i18n import N_, _
from sync import reference_admin as ra
from ui.context import AppContext
from ui.forms import Form
from ui.models.period_table_model import PeriodRow, PeriodTableModel
from ui.pages.org_online import ErrorPlace, OnlineSection
from ui.pages.page_widgets import button, current_row, make_table, status_label
from ui.period_dialog import PeriodDialog

POLA_LABELS = {"bulanan": N_("Monthly (12 periods)"),
               "triwulanan": N_("Quarterly (4 periods)"),
               "semesteran": N_("Semester (2 periods)")}


class PeriodPanel(OnlineSection):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "org.period", parent)
        self.tahun = 0
        self.info = status_label("org.period.info")
        self.column.addWidget(self.info)
        self.column.addWidget(self.status)  # progress, or why the server is out of reach
        self.model = PeriodTableModel(parent=self)
        self.table = make_table("org.period.table", _("Periods on the office server"),
                                self.model, sort_column=0)
        self.table.horizontalHeader().resizeSection(0, 200)
        self.column.addWidget(self.table)
        self.add_button = button(_("Add a period…"), "org.period.add", self.add)
        self.edit_button = button(_("Change dates…"), "org.period.edit", self.edit,
                                  _("Move the chosen period's dates or input deadline"))
        self.close_button = button(_("Close the period"), "org.period.close",
                                   lambda: self.set_closed(True),
                                   _("No more realisasi, ratings or daily logs in it"))
        self.reopen_button = button(_("Reopen the period"), "org.period.reopen",
                                    lambda: self.set_closed(False))
        for pair in ((self.add_button, self.edit_button),
                     (self.close_button, self.reopen_button)):
            row = QHBoxLayout()
            for b in pair:
                row.addWidget(b)
            row.addStretch(1)
            self.column.addLayout(row)
        self._build_generate()
        self.busy_buttons = [self.add_button, self.edit_button, self.close_button,
                             self.reopen_button, self.generate_button]

    def _build_generate(self) -> None:
        note = QLabel(_("Or make the whole year at once from a pattern, with the annual "
                        "period; periods already on the server are kept."))
        note.setObjectName("org.period.generate.note")
        note.setWordWrap(True)
        self.column.addWidget(note)
        self.generate_form = Form("org.period.generate")
        self.pola = self.generate_form.add_combo(
            "pola", _("&Pattern"), [(_(label), key) for key, label in POLA_LABELS.items()])
        self.pola.setCurrentIndex(1)
        self.batas_hari = self.generate_form.add_spin(
            "batas_hari_kerja", _("Input deadline a&fter the period ends"),
            unit=_("working days"), maximum=60)
        self.batas_hari.setValue(5)
        self.column.addWidget(self.generate_form)
        self.generate_message = status_label("org.period.generate.message")
        self.generate_message.setVisible(False)
        self.column.addWidget(self.generate_message)
        row = QHBoxLayout()
        self.generate_button = button(_("Make the year's periods"), "org.period.generate",
                                      self.generate)
        row.addWidget(self.generate_button)
        row.addStretch(1)
        self.column.addLayout(row)

    # -- loading ---------------------------------------------------------------------------
    def load(self, tahun: int) -> None:
        self.tahun = tahun
        self.fetch(lambda c: ra.list_periods(c, tahun), lambda found: self._show(tahun, found))

    def _show(self, tahun: int, found: list[dict[str, Any]], select: str | None = None) -> None:
        if tahun != self.tahun:
            return  # another year was chosen meanwhile
        chosen = select or getattr(current_row(self.table), "id", None)
        self.model.set_periods(found)
        self.info.setText(_("{n} periods of {year} on the office server.").format(
            n=len(found), year=tahun) if found else
            _("The office server has no periods for {year} yet.").format(year=tahun))
        if chosen:
            self._select(chosen)

    def _select(self, period_id: str) -> None:
        row = self.model.row_of(period_id)
        if row >= 0:
            proxy = self.table.model()
            index = proxy.mapFromSource(self.model.index(row, 0))  # type: ignore[attr-defined]
            self.table.setCurrentIndex(index)

    def _chosen(self) -> PeriodRow | None:
        row = current_row(self.table)
        if not isinstance(row, PeriodRow):
            self.ctx.announcer.say(_("Choose a period in the list first."))
            self.table.setFocus()
            return None
        return row

    # -- changes ---------------------------------------------------------------------------
    def add(self) -> None:
        self._open(PeriodDialog(self.tahun, None, self))

    def edit(self) -> None:
        row = self._chosen()
        if row is not None:
            self._open(PeriodDialog(self.tahun, row, self))

    def _open(self, dialog: PeriodDialog) -> None:
        self.dialog = dialog
        dialog.submitted.connect(lambda values: self._send(dialog, values))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.prefill(dialog)
        dialog.open()

    def _closed(self, dialog: PeriodDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.table.setFocus()

    def _send(self, dialog: PeriodDialog, v: dict[str, Any]) -> None:
        tahun, period = self.tahun, dialog.period
        dates = {k: v[k] for k in ("mulai", "selesai", "batas_pengisian")}
        if period is None:
            def fn(c: Any) -> Any:
                return ra.create_period(c, tahun=tahun, jenis=v["jenis"], nomor=v["nomor"],
                                        **dates)
        else:
            def fn(c: Any) -> Any:
                return ra.update_period(c, period.as_dict(), **dates)

        def done(result: dict[str, Any]) -> None:
            dialog.accept()
            self.reload(str(result["id"]))
        def check() -> None:
            kind = period.as_dict() if period is not None else v
            ra.check_period(tahun, str(kind["jenis"]), int(kind["nomor"]), **dates)
        self.run(fn, done, progress=_("Saving the period on the office server…"),
                 place=dialog.place, buttons=[dialog.submit], check=check)

    def set_closed(self, closed: bool) -> None:
        row = self._chosen()
        if row is None:
            return
        call = ra.close_period if closed else ra.reopen_period
        saved = (_("Period {name} closed.") if closed else
                 _("Period {name} reopened.")).format(name=row.nama)
        self.run(lambda c: call(c, row.id), lambda _r: self.reload(row.id),
                 progress=_("Sending to the office server…"), saved=saved)

    def generate(self) -> None:
        tahun, v = self.tahun, self.generate_form.values()
        place = ErrorPlace(self.generate_message, self.generate_form, fallback="pola")

        def done(found: list[dict[str, Any]]) -> None:
            self._show(tahun, found)
            self.table.setFocus()
        self.run(lambda c: ra.generate_periods(c, tahun, v["pola"], v["batas_hari_kerja"]),
                 done, progress=_("Making the periods on the office server…"),
                 saved=_("The periods of {year} are on the office server.").format(year=tahun),
                 place=place)

    def reload(self, select: str | None = None) -> None:
        tahun = self.tahun
        self.fetch(lambda c: ra.list_periods(c, tahun),
                   lambda found: self._show(tahun, found, select))
        self.table.setFocus()
