"""The Log Harian entry form: date, start and end, activity, output, the RHK it serves and
evidence files; it knows its values, the RHK choices and edit mode, not how to save.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from asndesk.i18n import _
from asndesk.workspace import Workspace
from ui.announce import Announcer
from ui.evidence_picker import EvidencePicker
from ui.forms import Form
from ui.models.log_table_model import LogRow
from ui.pages.page_widgets import button, heading, status_label, tab_leaves

RHK_LABEL_MAX = 90
DEFAULT_START = time(7, 30)
TEXT_KEYS = ("kegiatan", "output_jumlah", "output_satuan")


def rhk_choices(ws: Workspace, tahun: int) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """([(rhk id, short label, full text)] of the newest SKP of `tahun`, {rhk id: label} of
    every SKP of that year (older revisions too, for entries linked to them))."""
    names: dict[str, str] = {}
    choices: list[tuple[str, str, str]] = []
    for n, header in enumerate(ws.skp_list(tahun)):
        skp = ws.skp(header["id"])
        counters = {"utama": 0, "tambahan": 0}
        for rhk in skp.rhk:
            jenis = str(rhk.jenis)
            counters[jenis] = counters.get(jenis, 0) + 1
            prefix = "A" if jenis == "utama" else "B"
            text = " ".join(rhk.teks.split())
            short = text if len(text) <= RHK_LABEL_MAX else text[:RHK_LABEL_MAX - 1] + "…"
            label = f"{prefix}.{counters[jenis]} {short}"
            names.setdefault(rhk.id, label)
            if n == 0:
                choices.append((rhk.id, label, rhk.teks))
    return choices, names


class LogEntryForm(QWidget):
    """`form` holds the fields (core names); `picker` the evidence; `save_button` saves."""

    def __init__(self, on_save: Any, on_stop_editing: Any, announcer: Announcer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("log.entry")
        self._rhk_names: dict[str, str] = {}
        self.pending_rhk: str | None = None  # from a draft, before the RHK list arrived
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = heading(_("New entry"), "log.form.heading")
        column.addWidget(self.heading)
        form = self.form = Form("log.form")
        self.tanggal = form.add_date("tanggal", _("Date"))
        self.jam_mulai = form.add_time("jam_mulai", _("Start time"))
        self.jam_selesai = form.add_time("jam_selesai", _("End time"))
        tab_leaves(self.tanggal, self.jam_mulai, self.jam_selesai)
        self.kegiatan = form.add_text(
            "kegiatan", _("Activity"),
            description=_("What you did; Tab moves on, Ctrl+Enter saves"))
        self.output_jumlah = form.add_line(
            "output_jumlah", _("Output amount (optional)"), placeholder="2",
            description=_("A number, e.g. 2 or 2,5; give its unit too"))
        self.output_satuan = form.add_line(
            "output_satuan", _("Output unit (optional)"), placeholder="Dokumen", max_length=50)
        self.rhk = form.add_combo("rhk_id", _("RHK this activity serves"),
                                  [(_("None (not linked to an RHK)"), None)])
        self.rhk.setSizeAdjustPolicy(
            self.rhk.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rhk.setMinimumContentsLength(30)
        self.picker = EvidencePicker("log.form.bukti", announcer=announcer)
        self.picker.changed.connect(form.changed)
        evidence_label = QLabel(_("Evidence"))
        evidence_label.setObjectName("log.form.bukti.label")
        evidence_label.setWordWrap(True)
        self.evidence_note = status_label("log.form.bukti.note")
        self.evidence_note.setText(_("Evidence can be attached when an entry is made."))
        self.evidence_note.setVisible(False)
        box = QWidget()
        box_column = QVBoxLayout(box)
        box_column.setContentsMargins(0, 0, 0, 0)
        box_column.addWidget(self.picker)
        box_column.addWidget(self.evidence_note)
        form.layout_.addRow(evidence_label, box)
        column.addWidget(form)
        row = QHBoxLayout()
        self.save_button = button(_("Save"), "log.form.save", on_save,
                                  _("Ctrl+Enter also saves"))
        self.cancel_edit_button = button(_("Stop editing"), "log.form.cancel_edit",
                                         on_stop_editing)
        self.cancel_edit_button.setVisible(False)
        row.addWidget(self.save_button)
        row.addWidget(self.cancel_edit_button)
        row.addStretch(1)
        column.addLayout(row)
        self.message = status_label("log.form.message")
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        column.addWidget(self.message)
        self.warnings = status_label("log.form.warnings")
        self.warnings.setVisible(False)
        column.addWidget(self.warnings)
        self.set_times(DEFAULT_START)

    # -- values --------------------------------------------------------------------------
    def set_times(self, start: time, end: time | None = None) -> None:
        """Start at `start`; the end an hour later (never past midnight)."""
        if end is None:
            moment = datetime.combine(date.today(), start) + timedelta(hours=1)
            end = moment.time() if moment.date() == date.today() else time(23, 59)
        self.jam_mulai.setTime(QTime(start.hour, start.minute))
        self.jam_selesai.setTime(QTime(end.hour, end.minute))

    def fields(self) -> dict[str, Any]:
        """The form as the core's keyword arguments."""
        v = self.form.values()
        return {
            "tanggal": v["tanggal"], "jam_mulai": v["jam_mulai"], "jam_selesai": v["jam_selesai"],
            "kegiatan": v["kegiatan"], "output_jumlah": v["output_jumlah"].strip() or None,
            "output_satuan": v["output_satuan"].strip() or None, "rhk_id": v["rhk_id"],
        }

    def has_typing(self) -> bool:
        v = self.form.values()
        return any(v[k].strip() for k in TEXT_KEYS) or bool(self.picker.paths())

    def clear_for_next(self) -> None:
        """Empty the text, the RHK and the files; the date and times stay for the caller."""
        self.form.clear_text(TEXT_KEYS)
        self.rhk.setCurrentIndex(0)
        self.picker.clear()
        self.form.clear_errors()

    def show_row(self, row: LogRow) -> None:
        values = row.as_form_values()
        self.form.set_values({k: v for k, v in values.items() if k != "rhk_id"})
        self.select_rhk(row.rhk_id)
        self.picker.clear()

    def set_edit_mode(self, editing: bool) -> None:
        self.heading.setText(f"<h2>{_('Edit entry') if editing else _('New entry')}</h2>")
        self.save_button.setText(_("Save changes") if editing else _("Save"))
        self.cancel_edit_button.setVisible(editing)
        # The core attaches files only when an entry is made, so the picker hides meanwhile.
        self.picker.setEnabled(not editing)
        self.picker.setVisible(not editing)
        self.evidence_note.setVisible(editing)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_warnings(self, texts: list[str]) -> None:
        self.warnings.setText("\n".join(texts))
        self.warnings.setVisible(bool(texts))

    # -- RHK -----------------------------------------------------------------------------
    def show_rhk(self, choices: list[tuple[str, str, str]], names: dict[str, str]) -> None:
        wanted = self.pending_rhk or self.rhk.currentData()
        self.pending_rhk = None
        self._rhk_names = names
        self.rhk.blockSignals(True)
        self.rhk.clear()
        self.rhk.addItem(_("None (not linked to an RHK)"), None)
        for rhk_id, label, full in choices:
            self.rhk.addItem(label, rhk_id)
            self.rhk.setItemData(self.rhk.count() - 1, full, Qt.ItemDataRole.ToolTipRole)
        self.select_rhk(wanted)
        self.rhk.blockSignals(False)
        description = "" if choices else _("There is no SKP with RHK for {year} yet.").format(
            year=date.today().year)
        self.form.fields["rhk_id"].description = description
        self.rhk.setAccessibleDescription(description)

    def select_rhk(self, rhk_id: str | None) -> None:
        if rhk_id is None:
            self.rhk.setCurrentIndex(0)
            return
        index = self.rhk.findData(rhk_id)
        if index < 0:  # an RHK of an older revision: keep the link, say what it is
            self.rhk.addItem(self._rhk_names.get(rhk_id) or _("an RHK of another SKP"), rhk_id)
            index = self.rhk.count() - 1
        self.rhk.setCurrentIndex(index)

    def restore_rhk(self, rhk_id: str | None) -> None:
        """A draft's RHK: chosen now, or once the RHK list has arrived."""
        if rhk_id is not None and self.rhk.findData(rhk_id) < 0 and not self._rhk_names:
            self.pending_rhk = rhk_id
        else:
            self.select_rhk(rhk_id)
