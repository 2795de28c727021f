"""Layanan: one row per service delivered, typed quickly with the keyboard, and the month.

- Entry (`ServiceEntryForm`): service type with completion, received/completed date and time,
  status, result, satisfaction (1–4), complaint, notes, evidence files; the duration in
  working days is shown as dates are typed. Nothing about the citizen (pemohon) is asked.
- Ctrl+Enter or "Save" saves; the month's services (paged) and the month summary follow.
- Service types can be added locally until HR's list arrives by sync.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from babel.dates import format_date
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QWidget

from asndesk.domain.calendar import HolidayCalendar
from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _, current_locale, ngettext
from asndesk.store.database import Changes
from asndesk.workspace import Workspace
from ui.forms import Form
from ui.models.service_table_model import ServiceSummaryModel, ServiceTableModel
from ui.pages.page import Page
from ui.pages.page_widgets import button, heading, make_table, status_label
from ui.pages.service_entry_form import ServiceEntryForm


def month_bounds(first: date) -> tuple[date, date]:
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt - timedelta(days=1)


def month_text(first: date) -> str:
    return format_date(first, "MMMM y", locale=current_locale())


class ServicePage(Page):
    page_id = "layanan"
    kinds: ClassVar[frozenset[str]] = frozenset({"service_log", "service_type", "holiday"})
    DRAFT_KEY = "layanan.form"

    def title(self) -> str:
        return _("Services")

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        self._saving = False
        self.month = date.today().replace(day=1)
        self.entry = ServiceEntryForm(self.save, self.ctx.announcer)
        self.form, self.jenis, self.picker = self.entry.form, self.entry.jenis, self.entry.picker
        self.save_button = self.entry.save_button
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self.entry)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.root.addWidget(self.entry)
        self._build_month()
        self._build_type_form()

    def _build_month(self) -> None:
        self.month_heading = heading(_("Services of the month"), "layanan.month.heading")
        self.root.addWidget(self.month_heading)
        nav = QHBoxLayout()
        nav.addWidget(button(_("Previous month"), "layanan.month.previous",
                             lambda: self.show_month(self._shift_month(-1))))
        nav.addWidget(button(_("This month"), "layanan.month.current",
                             lambda: self.show_month(date.today().replace(day=1))))
        nav.addWidget(button(_("Next month"), "layanan.month.next",
                             lambda: self.show_month(self._shift_month(1))))
        nav.addStretch(1)
        self.root.addLayout(nav)
        self.list_model = ServiceTableModel(self._list_fetch, parent=self)
        self.list_view = make_table("layanan.list.table", _("Services of the month"),
                                    self.list_model)
        self.list_view.horizontalHeader().resizeSection(0, 260)
        self.root.addWidget(self.list_view)
        self.root.addWidget(heading(_("Month summary"), "layanan.summary.heading"))
        self.summary_text = status_label("layanan.summary.text")
        self.root.addWidget(self.summary_text)
        self.summary_model = ServiceSummaryModel(parent=self)
        self.summary_view = make_table("layanan.summary.table",
                                       _("Month summary per service type"), self.summary_model)
        self.summary_view.setMinimumHeight(160)
        self.summary_view.horizontalHeader().resizeSection(0, 260)
        self.root.addWidget(self.summary_view)

    def _build_type_form(self) -> None:
        self.root.addWidget(heading(_("New service type"), "layanan.type.heading"))
        note = status_label("layanan.type.note")
        note.setText(_("Service types from the office replace local ones once synced."))
        self.root.addWidget(note)
        form = self.type_form = Form("layanan.type")
        self.type_kode = form.add_line("kode", _("Code"), max_length=50)
        self.type_nama = form.add_line("nama", _("Name"), max_length=500)
        self.type_standar = form.add_spin("standar_hari_kerja", _("Standard time"),
                                          unit=_("working days"), maximum=365)
        self.root.addWidget(form)
        row = QHBoxLayout()
        row.addWidget(button(_("Add service type"), "layanan.type.save", self.add_type))
        row.addStretch(1)
        self.root.addLayout(row)
        self.root.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.jenis

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        self.ctx.read(lambda ws: (ws.service_types(), ws.calendar()), self._show_reference)
        self._load_month()

    def _show_reference(self, found: tuple[list[dict[str, Any]], HolidayCalendar]) -> None:
        types, calendar = found
        self.entry.set_reference(types, calendar)

    def _load_month(self) -> None:
        first, _last = month_bounds(self.month)
        title = _("Services of {month}").format(month=month_text(first))
        self.month_heading.setText(f"<h2>{title}</h2>")
        self.list_model.restart()
        self.ctx.read(lambda ws: ws.service_month_summary(first.year, first.month),
                      lambda rows: self._show_summary(first, rows))

    def _show_summary(self, first: date, rows: list[dict[str, Any]]) -> None:
        if first != self.month:
            return  # another month was chosen meanwhile
        self.summary_model.set_rows(rows)
        found = self.summary_model.rows
        total = sum(r.jumlah for r in found)
        done = sum(r.selesai for r in found)
        within = sum(r.tepat_waktu for r in found)
        if not total:
            text = _("{month}: no services recorded.").format(month=month_text(first))
        else:
            text = ngettext("{month}: {total} service, {done} completed, {within} within the "
                            "standard.", "{month}: {total} services, {done} completed, {within} "
                            "within the standard.", total).format(
                month=month_text(first), total=total, done=done, within=within)
        self.summary_text.setText(text)

    def _list_fetch(self, offset: int, limit: int, deliver: Any) -> None:
        first, last = month_bounds(self.month)

        def failed(err: UserFacingError) -> None:
            deliver(None)
            self.ctx.announcer.say(err.message(), assertive=True)
        self.ctx.read(lambda ws: ws.service_logs(dari=first.isoformat(), sampai=last.isoformat(),
                                                 limit=limit, offset=offset), deliver, failed)

    def _shift_month(self, n: int) -> date:
        index = self.month.year * 12 + self.month.month - 1 + n
        return date(index // 12, index % 12 + 1, 1)

    def show_month(self, first: date) -> None:
        self.month = first
        self._load_month()
        self.ctx.announcer.say(_("Services of {month}").format(month=month_text(first)))

    # -- saving --------------------------------------------------------------------------
    def save(self) -> None:
        if self._saving:
            return
        fields = self.entry.values()
        self.form.clear_errors()
        self.picker.clear_error()
        self.entry.update_duration()
        self.entry.message.setVisible(False)
        if not fields["jenis"]:
            self.form.show_error(ValidationError(
                "jenis", "missing", _("Choose the service type.")), self.ctx.announcer)
            return
        self._saving = True
        self.save_button.setEnabled(False)

        def write(ws: Workspace) -> Changes:
            return ws.add_service_log(**fields)
        self.ctx.write(write, self._saved, self._failed)

    def _saved(self, _changes: Changes) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.entry.clear_for_next()
        self.jenis.setFocus()

    def _failed(self, err: UserFacingError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(err, ValidationError) and err.field == "bukti":
            self.picker.show_error(err.message())
            self.ctx.announcer.say(_("{field}: {message}").format(
                field=_("Evidence"), message=err.message()), assertive=True)
            return
        if not self.form.show_error(err, self.ctx.announcer):
            self.entry.message.setText(err.message())
            self.entry.message.setVisible(True)

    def add_type(self) -> None:
        v = self.type_form.values()
        self.type_form.clear_errors()

        def done(_changes: Changes) -> None:
            self.type_form.clear()
            self.type_standar.setValue(0)
            self.type_kode.setFocus()
        def failed(err: UserFacingError) -> None:
            self.type_form.show_error(err, self.ctx.announcer)
        self.ctx.write(lambda ws: ws.add_service_type(v["kode"], v["nama"],
                                                      v["standar_hari_kerja"]),
                       done, failed)

    # -- drafts --------------------------------------------------------------------------
    def drafts(self) -> dict[str, dict[str, Any]]:
        draft = self.entry.draft()
        return {self.DRAFT_KEY: draft} if draft else {}

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        draft = drafts.get(self.DRAFT_KEY)
        if draft:
            self.entry.restore(draft)
