"""The saved SKM forms of the unit and period the IKM shows (SKM page): a keyboard list with
"Correct the chosen form" (Enter on a row does the same) and "Delete the chosen form…"
(asked first, Cancel by default). The page does the correcting in its entry form.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from asndesk.errors import UserFacingError
from asndesk.i18n import _, ngettext
from ui.confirm_box import ask, confirm_delete
from ui.context import AppContext
from ui.models.skm_form_table_model import SkmFormRow, SkmFormTableModel, form_rows
from ui.pages.page_widgets import button, current_row, heading, make_table, status_label


class SkmFormsPanel(QWidget):
    """`correct_requested(SkmFormRow)` asks the page to load an own form for correcting;
    `deleted(str)` says which form is gone (the page stops correcting it)."""

    correct_requested = Signal(object)
    deleted = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("skm.forms")
        self.query: tuple[str, str, str] | None = None  # unit, dari, sampai
        self.confirm_box: QMessageBox | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addWidget(heading(_("Saved forms of the unit and period"), "skm.forms.heading"))
        self.status = status_label("skm.forms.status")
        self.status.setText(_("Show the IKM of a unit above to list its saved forms here."))
        root.addWidget(self.status)
        self.model = SkmFormTableModel(parent=self)
        self.view = make_table("skm.forms.table", _("Saved SKM forms"), self.model)
        self.view.horizontalHeader().resizeSection(SkmFormTableModel.JENIS, 220)
        self.view.horizontalHeader().resizeSection(SkmFormTableModel.JAWABAN, 200)
        self.view.activated.connect(lambda _i: self.correct_selected())
        root.addWidget(self.view)
        row = QHBoxLayout()
        self.correct_button = button(
            _("Correct the chosen form"), "skm.forms.correct", self.correct_selected,
            _("Loads the form into the entry above; Enter on a row does the same"))
        self.delete_button = button(_("Delete the chosen form…"), "skm.forms.delete",
                                    self.delete_selected)
        row.addWidget(self.correct_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        root.addLayout(row)

    # -- loading -------------------------------------------------------------------------
    def show_forms(self, unit: str, dari: str, sampai: str) -> None:
        """List the forms of `unit` dated in [dari, sampai]; the chosen row number stays."""
        query = (unit, dari, sampai)
        keep = self.view.currentIndex().row() if query == self.query else 0

        def done(found: list[dict[str, Any]]) -> None:
            self.query = query
            self.model.set_rows(form_rows(found))
            n = self.model.rowCount()
            self.status.setText(ngettext("{n} form saved for {unit} in this period.",
                                         "{n} forms saved for {unit} in this period.", n)
                                .format(n=n, unit=unit))
            if n:
                self.view.setCurrentIndex(self.model.index(min(max(keep, 0), n - 1), 0))

        def failed(err: UserFacingError) -> None:
            self.status.setText(err.message())
        self.ctx.read(lambda ws: ws.skm_responses(unit, dari, sampai), done, failed)

    def reload(self) -> None:
        if self.query is not None:
            self.show_forms(*self.query)

    # -- actions -------------------------------------------------------------------------
    def chosen(self) -> SkmFormRow | None:
        """The chosen own form, or None after saying why there is none."""
        row = current_row(self.view)
        if not isinstance(row, SkmFormRow):
            self.ctx.announcer.say(_("Choose a form in the list first."))
            return None
        if not row.milik_sendiri:
            self.ctx.announcer.say(_("This form was typed in by another officer; only they "
                                     "can correct or delete it."), assertive=True)
            return None
        return row

    def correct_selected(self) -> None:
        row = self.chosen()
        if row is not None:
            self.correct_requested.emit(row)

    def delete_selected(self) -> None:
        row = self.chosen()
        if row is None:
            return
        box = confirm_delete_form(self, row)

        def decided(confirmed: bool) -> None:
            self.confirm_box = None
            self.view.setFocus()
            if confirmed:
                self.ctx.write(lambda ws: ws.delete_skm_response(row.id),
                               lambda _changes: self._deleted(row.id),
                               lambda err: self.ctx.announcer.say(err.message(),
                                                                  assertive=True),
                               saved=_("Form deleted."))
        self.confirm_box = ask(box, decided)

    def _deleted(self, form_id: str) -> None:
        self.deleted.emit(form_id)
        self.view.setFocus()


def confirm_delete_form(parent: QWidget, row: SkmFormRow) -> QMessageBox:
    return confirm_delete(parent, "dialog.skm_form_delete",
                          _("asndesk — delete a saved SKM form"),
                          _("Delete this form? This cannot be undone.") + "\n\n" +
                          row.summary())

