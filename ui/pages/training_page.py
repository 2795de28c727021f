"""Pengembangan Kompetensi: trainings with their JP (jam pelajaran) and certificates, and the
year's JP against every ASN's right of 20 JP a year.

- Entry: name, organiser, start and end date, JP (typed, "2,5" allowed), certificate files;
  Ctrl+Enter or "Save" saves, the core checks and downscales the files.
- Year: the trainings that ended in the chosen year and the JP total (the core's
  `jp_summary`), said in words: how many JP, and how many are still missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from asndesk.domain.activity import JpRingkasan
from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.store.database import Changes
from asndesk.workspace import Workspace
from ui.evidence_picker import EvidencePicker
from ui.forms import Form
from ui.models.rows_table_model import angka
from ui.models.training_table_model import TrainingRow, TrainingTableModel, training_rows
from ui.pages.page import Page
from ui.pages.page_widgets import button, heading, make_table, status_label, tab_leaves

TEXT_KEYS = ("nama", "penyelenggara", "jp")


@dataclass(frozen=True)
class TrainingYear:
    tahun: int
    rows: list[TrainingRow]
    ringkasan: JpRingkasan


def training_year(ws: Workspace, tahun: int) -> TrainingYear:
    """The trainings that ended in `tahun` (with evidence counts) and the JP summary."""
    found = ws.trainings(tahun)
    counts = {r["id"]: len(ws.evidence("pelatihan", r["id"])) for r in found}
    return TrainingYear(tahun, training_rows(found, counts), ws.jp_summary(tahun))


def jp_summary_text(s: JpRingkasan) -> str:
    """ "2026: 12 JP of the 20 JP right; 8 JP still to go." or "… the right is met." """
    base = _("{year}: {total} JP of the {target} JP right").format(
        year=s.tahun, total=angka(s.total), target=s.target)
    if s.terpenuhi:
        return base + "; " + _("the right is met.")
    return base + "; " + _("{missing} JP still to go.").format(missing=angka(s.kurang))


class TrainingPage(Page):
    page_id = "kompetensi"
    kinds: ClassVar[frozenset[str]] = frozenset({"pelatihan", "bukti"})
    DRAFT_KEY = "kompetensi.form"

    def title(self) -> str:
        return _("Competence development")

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        self.tahun = date.today().year
        self._saving = False
        self._announce_total = False
        self.summary: JpRingkasan | None = None
        self._build_form()
        self._build_year()

    def _build_form(self) -> None:
        self.entry = QWidget()
        self.entry.setObjectName("kompetensi.entry")
        column = QVBoxLayout(self.entry)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("New training"), "kompetensi.form.heading"))
        form = self.form = Form("kompetensi.form")
        self.nama = form.add_line("nama", _("Training name"), max_length=500)
        self.penyelenggara = form.add_line("penyelenggara", _("Organiser (optional)"),
                                           max_length=500)
        self.mulai = form.add_date("tanggal_mulai", _("Start date"))
        self.selesai = form.add_date("tanggal_selesai", _("End date"))
        tab_leaves(self.mulai, self.selesai)
        # A line edit, not a spin box: JP may be "2,5", and a typed mistake stays visible.
        self.jp = form.add_line(
            "jp", _("Lesson hours (JP)"), placeholder="8",
            description=_("In JP (jam pelajaran), more than 0, e.g. 8 or 2,5; "
                          "the year's total counts by the end date"))
        self.picker = EvidencePicker("kompetensi.form.bukti", announcer=self.ctx.announcer)
        self.picker.changed.connect(form.changed)
        evidence_label = QLabel(_("Certificate or other evidence"))
        evidence_label.setObjectName("kompetensi.form.bukti.label")
        evidence_label.setWordWrap(True)
        form.layout_.addRow(evidence_label, self.picker)
        column.addWidget(form)
        row = QHBoxLayout()
        self.save_button = button(_("Save"), "kompetensi.form.save", self.save,
                                  _("Ctrl+Enter also saves"))
        row.addWidget(self.save_button)
        row.addStretch(1)
        column.addLayout(row)
        self.message = status_label("kompetensi.form.message")
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        column.addWidget(self.message)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self.entry)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.root.addWidget(self.entry)

    def _build_year(self) -> None:
        self.year_heading = heading(_("Trainings of the year"), "kompetensi.year.heading")
        self.root.addWidget(self.year_heading)
        nav = QHBoxLayout()
        nav.addWidget(button(_("Previous year"), "kompetensi.year.previous",
                             lambda: self.show_year(self.tahun - 1)))
        nav.addWidget(button(_("This year"), "kompetensi.year.current",
                             lambda: self.show_year(date.today().year)))
        nav.addWidget(button(_("Next year"), "kompetensi.year.next",
                             lambda: self.show_year(self.tahun + 1)))
        nav.addStretch(1)
        self.root.addLayout(nav)
        self.total = status_label("kompetensi.year.total")
        self.root.addWidget(self.total)
        self.model = TrainingTableModel(parent=self)
        self.view = make_table("kompetensi.list.table", _("Trainings of the year"), self.model,
                               sort_column=TrainingTableModel.TANGGAL,
                               order=Qt.SortOrder.DescendingOrder)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.root.addWidget(self.view)
        self.root.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.nama

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        tahun = self.tahun
        self.year_heading.setText("<h2>{}</h2>".format(
            _("Trainings of {year}").format(year=tahun)))
        self.ctx.read(lambda ws: training_year(ws, tahun), self._show)

    def _show(self, found: TrainingYear) -> None:
        if found.tahun != self.tahun:
            return  # another year was chosen meanwhile
        self.model.set_rows(found.rows)
        self.summary = found.ringkasan
        self.total.setText(jp_summary_text(found.ringkasan))
        if self._announce_total:
            self._announce_total = False
            self.ctx.announcer.say(self.total.text())

    def show_year(self, tahun: int) -> None:
        """Show another year and say its JP total (focus stays on the button)."""
        self.tahun = tahun
        self._announce_total = True
        self.load()

    # -- saving --------------------------------------------------------------------------
    def fields(self) -> dict[str, Any]:
        v = self.form.values()
        return {"nama": v["nama"], "tanggal_mulai": v["tanggal_mulai"],
                "tanggal_selesai": v["tanggal_selesai"], "jp": v["jp"].strip(),
                "penyelenggara": v["penyelenggara"].strip() or None}

    def save(self) -> None:
        if self._saving:
            return
        fields = self.fields()
        bukti = self.picker.paths()
        self.form.clear_errors()
        self.picker.clear_error()
        self.message.setVisible(False)
        self._saving = True
        self.save_button.setEnabled(False)

        def write(ws: Workspace) -> Changes:
            return ws.add_training(**fields, bukti=bukti)
        self.ctx.write(write, lambda _c: self._saved(fields["tanggal_selesai"]), self._failed)

    def _saved(self, selesai: str) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.form.clear_text(TEXT_KEYS)
        self.picker.clear()
        # The new JP total is said once the list has reloaded (ctx.changed → load).
        self._announce_total = True
        self.tahun = date.fromisoformat(selesai).year  # where the new training counts
        self.nama.setFocus()

    def _failed(self, err: UserFacingError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(err, ValidationError) and err.field == "bukti":
            self.picker.show_error(err.message())
            self.ctx.announcer.say(_("{field}: {message}").format(
                field=_("Evidence"), message=err.message()), assertive=True)
            return
        if not self.form.show_error(err, self.ctx.announcer):
            self.message.setText(err.message())
            self.message.setVisible(True)

    # -- drafts --------------------------------------------------------------------------
    def drafts(self) -> dict[str, dict[str, Any]]:
        v = self.form.values()
        paths = self.picker.paths()
        if not (any(v[k].strip() for k in TEXT_KEYS) or paths):
            return {}
        return {self.DRAFT_KEY: {**v, "bukti": [str(p) for p in paths]}}

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        draft = drafts.get(self.DRAFT_KEY)
        if not draft:
            return
        self.form.set_values({k: v for k, v in draft.items() if k != "bukti"})
        self.picker.set_paths(draft.get("bukti") or [])
