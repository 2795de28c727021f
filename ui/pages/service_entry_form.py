"""The Layanan entry form, built for speed with the keyboard: the service type is a line edit
with a completer (NVDA reads editable combo boxes poorly), and the duration in working days
is worked out from the core's holiday calendar and shown while dates are typed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTime
from PySide6.QtWidgets import QCheckBox, QCompleter, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from asndesk.domain.activity import StatusLayanan
from asndesk.domain.calendar import HolidayCalendar, service_duration_working_days
from asndesk.errors import UserFacingError
from asndesk.i18n import _, gettext
from ui.announce import Announcer
from ui.evidence_picker import EvidencePicker
from ui.forms import Form
from ui.models.service_table_model import KEPUASAN_LABELS, STATUS_LABELS, hari_kerja_text
from ui.pages.page_widgets import button, heading, status_label, tab_leaves
from ui.qt_dates import to_date, to_time

SEPARATOR = " — "
FINISHED = frozenset({str(StatusLayanan.SELESAI), str(StatusLayanan.DITOLAK)})


def type_label(t: dict[str, Any]) -> str:
    return f"{t['kode']}{SEPARATOR}{t['nama']}"


def resolve_type(text: str, types: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The service type meant by what was typed: "KODE — Nama", the code, or the full name."""
    typed = text.strip()
    if not typed:
        return None
    code = typed.split(SEPARATOR, 1)[0].strip() if SEPARATOR in typed else typed
    for t in types:
        if t["kode"].casefold() == code.casefold():
            return t
    for t in types:
        if t["nama"].casefold() == typed.casefold():
            return t
    return None


def duration_text(received: datetime, completed: datetime | None, standar: int | None,
                  calendar: HolidayCalendar, today: date | None = None) -> str:
    """What the live line says about the duration (working days) against the standard."""
    try:
        if completed is None:
            now = datetime.combine(today or date.today(), received.time())
            if now < received:
                return _("Not finished yet.")
            days = service_duration_working_days(received, now, calendar)
            text = _("Not finished yet: {days} since it was received.").format(
                days=hari_kerja_text(days))
        else:
            days = service_duration_working_days(received, completed, calendar)
            text = _("Duration: {days}.").format(days=hari_kerja_text(days))
    except UserFacingError as err:
        return err.message()
    if standar is None:
        return text + " " + _("Choose a service type to compare with its standard.")
    if days <= standar:
        return text + " " + _("Within the standard of {standard}.").format(
            standard=hari_kerja_text(standar))
    return text + " " + _("Over the standard of {standard} by {over}.").format(
        standard=hari_kerja_text(standar), over=hari_kerja_text(days - standar))


class ServiceEntryForm(QWidget):
    """`form` holds the core's fields; `values()` are `add_service_log`'s arguments."""

    def __init__(self, on_save: Any, announcer: Announcer, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("layanan.entry")
        self.types: list[dict[str, Any]] = []
        self.calendar: HolidayCalendar | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("New service entry"), "layanan.form.heading"))
        form = self.form = Form("layanan.form")
        self.jenis = form.add_line(
            "jenis", _("Service type"),
            description=_("Type the code or part of the name, then choose from the list"))
        self.completer_model = QStringListModel(self)
        self.completer = QCompleter(self.completer_model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(10)
        popup = self.completer.popup()  # never None in PopupCompletion mode
        if popup is not None:
            popup.setObjectName("layanan.form.jenis.choices")
            popup.setAccessibleName(_("Service types"))
        self.jenis.setCompleter(self.completer)
        self.diterima = form.add_date("diterima_pada", _("Received on"))
        self.diterima_jam = form.add_time("diterima_jam", _("Received at"))
        self.selesai = form.add_date("selesai_pada", _("Completed on"))
        self.selesai_jam = form.add_time("selesai_jam", _("Completed at"))
        tab_leaves(self.diterima, self.diterima_jam, self.selesai, self.selesai_jam)
        self.status = form.add_combo(
            "status", _("Status"),
            [(gettext(STATUS_LABELS[s]), str(s)) for s in
             (StatusLayanan.SELESAI, StatusLayanan.DITERIMA, StatusLayanan.DIPROSES,
              StatusLayanan.DITOLAK)],
            description=_("Received or in progress: the completion date is not used"))
        self.durasi = status_label("layanan.form.durasi")
        form.layout_.addRow(self.durasi)
        self.hasil = form.add_line("hasil", _("Result (optional)"), max_length=2000)
        self.kepuasan = form.add_combo(
            "kepuasan", _("Citizen satisfaction (optional)"),
            [(_("Not given"), None)] + [(gettext(text), n) for n, text in KEPUASAN_LABELS.items()])
        self.pengaduan = QCheckBox(_("A complaint was made"))
        self.pengaduan.setObjectName("layanan.form.pengaduan")
        self.pengaduan_selesai = QCheckBox(_("The complaint was resolved"))
        self.pengaduan_selesai.setObjectName("layanan.form.pengaduan_selesai")
        self.pengaduan_selesai.setEnabled(False)
        self.pengaduan.toggled.connect(self._complaint_toggled)
        self.pengaduan.toggled.connect(form.changed)
        self.pengaduan_selesai.toggled.connect(form.changed)
        form.layout_.addRow(self.pengaduan)
        form.layout_.addRow(self.pengaduan_selesai)
        self.catatan = form.add_text(
            "catatan", _("Notes (optional)"),
            description=_("Do not write the citizen's personal data here"))
        self.picker = EvidencePicker("layanan.form.bukti", announcer=announcer)
        self.picker.changed.connect(form.changed)
        evidence_label = QLabel(_("Evidence"))
        evidence_label.setObjectName("layanan.form.bukti.label")
        evidence_label.setWordWrap(True)
        form.layout_.addRow(evidence_label, self.picker)
        column.addWidget(form)
        row = QHBoxLayout()
        self.save_button = button(_("Save"), "layanan.form.save", on_save,
                                  _("Ctrl+Enter also saves"))
        row.addWidget(self.save_button)
        row.addStretch(1)
        column.addLayout(row)
        self.message = status_label("layanan.form.message")
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        column.addWidget(self.message)
        now = QTime.currentTime()
        self.diterima_jam.setTime(QTime(now.hour(), now.minute()))
        self.selesai_jam.setTime(QTime(now.hour(), now.minute()))
        for signal in (self.jenis.textChanged, self.diterima.dateChanged,
                       self.diterima_jam.timeChanged, self.selesai.dateChanged,
                       self.selesai_jam.timeChanged, self.status.currentIndexChanged):
            signal.connect(self.update_duration)
        self.status.currentIndexChanged.connect(self._status_changed)
        self._status_changed()

    # -- reference data ------------------------------------------------------------------
    def set_reference(self, types: list[dict[str, Any]], calendar: HolidayCalendar) -> None:
        self.types, self.calendar = types, calendar
        self.completer_model.setStringList([type_label(t) for t in types])
        self.update_duration()

    # -- live state ----------------------------------------------------------------------
    def finished(self) -> bool:
        return self.status.currentData() in FINISHED

    def _status_changed(self, *_args: Any) -> None:
        on = self.finished()
        self.selesai.setEnabled(on)
        self.selesai_jam.setEnabled(on)

    def _complaint_toggled(self, on: bool) -> None:
        self.pengaduan_selesai.setEnabled(on)
        if not on:
            self.pengaduan_selesai.setChecked(False)

    def received(self) -> datetime:
        return datetime.combine(to_date(self.diterima.date()),
                                to_time(self.diterima_jam.time()).replace(second=0))

    def completed(self) -> datetime | None:
        if not self.finished():
            return None
        return datetime.combine(to_date(self.selesai.date()),
                                to_time(self.selesai_jam.time()).replace(second=0))

    def update_duration(self, *_args: Any) -> None:
        if self.calendar is None:
            self.durasi.setText("")
            return
        chosen = resolve_type(self.jenis.text(), self.types)
        text = duration_text(self.received(), self.completed(),
                             None if chosen is None else int(chosen["standar_hari_kerja"]),
                             self.calendar)
        self.durasi.setText(text)
        # A screen reader hears it on the completion date too (unless an error is shown).
        field = self.form.fields["selesai_pada"]
        field.description = text
        if not field.error.isVisible():
            self.selesai.setAccessibleDescription(text)

    # -- values --------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """`add_service_log`'s keyword arguments (the chosen type by its code)."""
        v = self.form.values()
        chosen = resolve_type(v["jenis"], self.types)
        completed = self.completed()
        return {
            "jenis": chosen["kode"] if chosen is not None else v["jenis"].strip(),
            "diterima": self.received().strftime("%Y-%m-%d %H:%M"),
            "selesai": completed.strftime("%Y-%m-%d %H:%M") if completed else None,
            "status": v["status"],
            "hasil": v["hasil"].strip() or None,
            "kepuasan": v["kepuasan"],
            "pengaduan": self.pengaduan.isChecked(),
            "pengaduan_selesai": self.pengaduan_selesai.isChecked(),
            "catatan": v["catatan"].strip() or None,
            "bukti": self.picker.paths(),
        }

    def clear_for_next(self) -> None:
        """Empty what differs per citizen; dates, times and status stay for the next one."""
        self.form.clear()
        self.kepuasan.setCurrentIndex(0)
        self.pengaduan.setChecked(False)
        self.picker.clear()
        self.update_duration()

    def draft(self) -> dict[str, Any]:
        v = self.form.values()
        if not (v["jenis"].strip() or v["hasil"].strip() or v["catatan"].strip()):
            return {}
        return {**v, "pengaduan": self.pengaduan.isChecked(),
                "pengaduan_selesai": self.pengaduan_selesai.isChecked(),
                "bukti": [str(p) for p in self.picker.paths()]}

    def restore(self, draft: dict[str, Any]) -> None:
        flags = ("pengaduan", "pengaduan_selesai", "bukti")
        self.form.set_values({k: v for k, v in draft.items() if k not in flags})
        self.pengaduan.setChecked(bool(draft.get("pengaduan")))
        self.pengaduan_selesai.setChecked(bool(draft.get("pengaduan_selesai")))
        self.picker.set_paths(draft.get("bukti") or [])
