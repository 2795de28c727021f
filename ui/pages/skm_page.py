"""Survei Kepuasan (SKM): paper survey forms typed in fast, and the IKM of a service unit.

- Entry (`SkmEntryForm`): nine one-key answers that move on by themselves; Enter on the last
  element or Ctrl+Enter saves ("Tersimpan (form N)") and empties the answers for the next
  form. The last form saved can be deleted (a mistyped one is then typed again).
- Saved forms (`SkmFormsPanel`) of the unit and period of the IKM: "Correct" loads one into
  the entry (Save then replaces it, Escape cancels), "Delete…" asks first.
- IKM: choose a unit and a period, optionally the population; the NRR per element, the IKM
  on both scales, the mutu and the Krejcie–Morgan sample against the forms collected.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QWidget

from asndesk.domain.formatting import format_tanggal
from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.skm_usecases import IkmRingkasan
from asndesk.store.database import Changes
from asndesk.workspace import Workspace
from ui.confirm_box import ask, confirm_delete
from ui.forms import Form
from ui.models.skm_form_table_model import SkmFormRow
from ui.models.skm_table_model import NrrTableModel, ikm_text, sample_text
from ui.pages.page import Page
from ui.pages.page_widgets import button, heading, make_table, status_label, tab_leaves
from ui.pages.skm_entry_form import SkmEntryForm
from ui.pages.skm_forms_panel import SkmFormsPanel
from ui.qt_dates import to_qdate


class SkmPage(Page):
    page_id = "skm"
    kinds: ClassVar[frozenset[str]] = frozenset(
        {"skm_response", "replica_skm_response", "service_type", "service_log"})
    DRAFT_KEY = "skm.form"

    def title(self) -> str:
        return _("Satisfaction survey (SKM)")

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        self._saving = False
        self.saved_count = 0
        self.last_saved: str | None = None
        self.correcting: str | None = None  # the id of the saved form being corrected
        # The entry as it was before a correction (the pile's unit, type, date and any
        # half-typed new form): it comes back when the correction ends.
        self.stashed: dict[str, Any] | None = None
        self.query: tuple[str, str, str, str] | None = None  # the IKM being shown
        self.confirm_box: QMessageBox | None = None
        self.entry = SkmEntryForm(self.save, self.ctx.announcer, self.stop_correcting)
        self.form, self.answers = self.entry.form, self.entry.answers
        self.save_button = self.entry.save_button
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self.entry)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.root.addWidget(self.entry)
        row = QHBoxLayout()
        self.undo_button = button(_("Delete the last saved form"), "skm.form.delete_last",
                                  self.delete_last,
                                  _("For a form typed wrongly: delete it, then type it again"))
        self.undo_button.setEnabled(False)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        self.root.addLayout(row)
        self._build_ikm()

    def _build_ikm(self) -> None:
        self.root.addWidget(heading(_("IKM per service unit and period"), "skm.ikm.heading"))
        note = status_label("skm.ikm.note")
        note.setText(_("Counts every form of the unit on this device: your own and, for an "
                       "HR officer, those of the unit's staff received by sync."))
        self.root.addWidget(note)
        form = self.ikm_form = Form("skm.ikm")
        self.ikm_unit = form.add_combo("unit_layanan", _("Service unit"), [])
        today = date.today()
        self.dari = form.add_date("dari", _("From"))
        self.dari.setDate(to_qdate(today.replace(month=1, day=1)))
        self.sampai = form.add_date("sampai", _("To"))
        self.sampai.setDate(to_qdate(today.replace(month=12, day=31)))
        tab_leaves(self.dari, self.sampai)
        self.populasi = form.add_line(
            "populasi", _("Population (optional)"), max_length=9,
            description=_("Number of service users in the period, for the sample size; "
                          "empty: the services completed in the period on this device"))
        self.populasi.returnPressed.connect(self.show_ikm)
        self.root.addWidget(form)
        row = QHBoxLayout()
        row.addWidget(button(_("Show IKM"), "skm.ikm.show", self.show_ikm))
        row.addStretch(1)
        self.root.addLayout(row)
        self.ikm_label = status_label("skm.ikm.result")
        self.sample_label = status_label("skm.ikm.sample")
        self.root.addWidget(self.ikm_label)
        self.root.addWidget(self.sample_label)
        self.nrr_model = NrrTableModel(parent=self)
        self.nrr_view = make_table("skm.ikm.table", _("NRR per element"), self.nrr_model)
        self.nrr_view.horizontalHeader().resizeSection(0, 80)
        self.nrr_view.horizontalHeader().resizeSection(1, 320)
        self.root.addWidget(self.nrr_view)
        self.forms = SkmFormsPanel(self.ctx)
        self.forms.correct_requested.connect(self.start_correcting)
        self.forms.deleted.connect(self._form_deleted)
        self.root.addWidget(self.forms)
        self.root.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.answers[0] if self.entry.unit.text().strip() else self.entry.unit

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        self.ctx.read(lambda ws: (ws.service_types(), ws.skm_unit_names()), self._reference)
        if self.query is not None:
            self._compute(self.query, announce=False)

    def _reference(self, found: tuple[list[dict[str, Any]], list[str]]) -> None:
        types, units = found
        self.entry.set_reference(types, units)
        chosen = self.ikm_unit.currentData() or self.entry.unit.text().strip()
        self.ikm_unit.blockSignals(True)
        self.ikm_unit.clear()
        for name in units:
            self.ikm_unit.addItem(name, name)
        self.ikm_unit.setCurrentIndex(max(0, self.ikm_unit.findData(chosen)))
        self.ikm_unit.blockSignals(False)

    # -- IKM -----------------------------------------------------------------------------
    def show_ikm(self) -> None:
        v = self.ikm_form.values()
        self.ikm_form.clear_errors()
        if not v["unit_layanan"]:
            self.ikm_form.show_error(ValidationError(
                "unit_layanan", "missing", _("No survey forms yet: save a form first.")),
                self.ctx.announcer)
            return
        self._compute((v["unit_layanan"], v["dari"], v["sampai"], v["populasi"].strip()),
                      announce=True)

    def _compute(self, query: tuple[str, str, str, str], *, announce: bool) -> None:
        unit, dari, sampai, populasi = query

        def done(summary: IkmRingkasan) -> None:
            self.query = query
            self._show_summary(summary)
            self.forms.show_forms(unit, dari, sampai)
            if announce:
                self.ctx.announcer.say(self.ikm_label.text())

        def failed(err: UserFacingError) -> None:
            self.ikm_form.show_error(err, self.ctx.announcer)
        self.ctx.read(lambda ws: ws.ikm_summary(unit, dari, sampai, populasi or None),
                      done, failed)

    def _show_summary(self, summary: IkmRingkasan) -> None:
        self.ikm_label.setText(ikm_text(summary))
        self.sample_label.setText(sample_text(summary))
        self.nrr_model.set_summary(summary)

    # -- saving --------------------------------------------------------------------------
    def save(self) -> None:
        if self._saving:
            return
        fields = self.entry.values()
        self.form.clear_errors()
        self.entry.message.setVisible(False)
        self._saving = True
        self.save_button.setEnabled(False)
        if self.correcting is not None:
            self._save_correction(self.correcting, fields)
            return
        number = self.saved_count + 1

        def write(ws: Workspace) -> Changes:
            return ws.add_skm_response(**fields)
        self.ctx.write(write, lambda changes: self._saved(changes, number), self._failed,
                       saved=_("Saved (form {n})").format(n=number))

    def _saved(self, changes: Changes, number: int) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.saved_count = number
        self.last_saved = changes.primary_id
        self.undo_button.setEnabled(True)
        self.entry.counter.setText(_("Forms saved since the page was opened: {n}.").format(
            n=number))
        self.entry.clear_for_next()

    def _save_correction(self, form_id: str, fields: dict[str, Any]) -> None:
        def write(ws: Workspace) -> Changes:
            return ws.correct_skm_response(form_id, **fields)

        def saved(changes: Changes) -> None:
            self._saving = False
            self.save_button.setEnabled(True)
            if self.last_saved == form_id:  # the replacement is now the last form saved
                self.last_saved = changes.primary_id
            self._end_correcting()
            self.forms.view.setFocus()
        self.ctx.write(write, saved, self._failed, saved=_("Saved: the form is corrected."))

    def _failed(self, err: UserFacingError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if not self.form.show_error(err, self.ctx.announcer):
            self.entry.message.setText(err.message())
            self.entry.message.setVisible(True)

    def delete_last(self) -> None:
        target = self.last_saved
        if target is None:
            return
        box = confirm_delete(self, "dialog.skm_delete", _("asndesk — delete the last SKM form"),
                             _("Delete the form saved last (form {n})? This cannot be undone.")
                             .format(n=self.saved_count))

        def decided(confirmed: bool) -> None:
            self.confirm_box = None
            if not confirmed:
                self.undo_button.setFocus()
                return
            self.ctx.write(lambda ws: ws.delete_skm_response(target), self._deleted,
                           saved=_("Form {n} deleted.").format(n=self.saved_count))
        self.confirm_box = ask(box, decided)

    def _deleted(self, _changes: Changes) -> None:
        if self.correcting is not None and self.correcting == self.last_saved:
            self._end_correcting()
        self.last_saved = None
        self.saved_count = max(0, self.saved_count - 1)
        self.undo_button.setEnabled(False)
        self.entry.counter.setText(_("Forms saved since the page was opened: {n}.").format(
            n=self.saved_count))
        self.answers[0].setFocus()

    # -- correcting a saved form ----------------------------------------------------------
    def start_correcting(self, row: SkmFormRow) -> None:
        """Load an own saved form into the entry; Save then replaces it."""
        def loaded(found: dict[str, Any]) -> None:
            if self.correcting is None:
                self.stashed = self.form.values()
            self.correcting = row.id
            self.entry.show_form(found)
            self.entry.set_correcting(True)
            self.answers[0].setFocus()
            self.ctx.announcer.say(_("Correcting the form of {date}: change the answers and "
                                     "save, or press Escape to cancel.").format(
                date=format_tanggal(row.tanggal)))

        def failed(err: UserFacingError) -> None:
            self.ctx.announcer.say(err.message(), assertive=True)
            self.forms.reload()
        self.ctx.read(lambda ws: ws.skm_response(row.id), loaded, failed)

    def stop_correcting(self) -> None:
        """Cancel (or Escape): nothing is saved, the entry is empty for the next new form."""
        if self.correcting is None:
            return
        self._end_correcting()
        self.forms.view.setFocus()
        self.ctx.announcer.say(_("Correction cancelled; the saved form is unchanged."))

    def _end_correcting(self) -> None:
        self.correcting = None
        self.entry.set_correcting(False)
        self.entry.clear_for_next()
        if self.stashed is not None:
            self.entry.show_form(self.stashed)
            self.stashed = None

    def _form_deleted(self, form_id: str) -> None:
        if form_id == self.correcting:
            self._end_correcting()
            self.forms.view.setFocus()
        if form_id == self.last_saved:
            self.last_saved = None
            self.undo_button.setEnabled(False)

    # -- drafts --------------------------------------------------------------------------
    def drafts(self) -> dict[str, dict[str, Any]]:
        draft = self.entry.draft()
        if self.correcting is not None:
            draft = {**self.form.values(), "correct_id": self.correcting,
                     "stashed": self.stashed}
        return {self.DRAFT_KEY: draft} if draft else {}

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        draft = drafts.get(self.DRAFT_KEY)
        if draft:
            self.entry.restore(draft)
            if draft.get("correct_id"):
                self.correcting = str(draft["correct_id"])
                stashed = draft.get("stashed")
                self.stashed = dict(stashed) if isinstance(stashed, dict) else None
                self.entry.set_correcting(True)
