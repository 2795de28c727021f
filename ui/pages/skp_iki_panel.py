"""The indicators (IKI) of the chosen RHK on the SKP page: their table, and the form that adds
or edits one (indicator, target, unit, aspect). Ctrl+Enter saves; after adding, the form
clears and focus returns to the indicator for the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from asndesk.domain.skp import Rhk
from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.workspace import Workspace
from ui.confirm_box import ask, confirm_delete
from ui.context import AppContext
from ui.forms import Form
from ui.models.iki_table_model import IkiRow, IkiTableModel, iki_rows
from ui.pages.page_widgets import button, current_row, heading, make_table, status_label
from ui.skp_words import ASPEK

DRAFT_KEY = "skp.iki"


class IkiPanel(QWidget):
    """Shows `set_rhk(rhk, number, editable, jpt)`; writes through `ctx.write`."""

    saved = Signal(str)  # the IKI id just added or changed

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("skp.iki")
        self.rhk_id: str | None = None
        self.editing: str | None = None
        self._saving = False
        self._jpt = False
        self._editable = True
        self.confirm_box: QMessageBox | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.title = heading(_("Indicators (IKI)"), "skp.iki.heading")
        column.addWidget(self.title)
        self.model = IkiTableModel(parent=self)
        self.table = make_table("skp.iki.table", _("Indicators (IKI) of the chosen RHK"),
                                self.model)
        self.table.setMinimumHeight(150)
        self.table.horizontalHeader().resizeSection(0, 320)
        self.table.activated.connect(lambda _i: self.edit_chosen())
        column.addWidget(self.table)
        row = QHBoxLayout()
        self.edit_button = button(_("Edit the chosen indicator"), "skp.iki.edit", self.edit_chosen)
        self.delete_button = button(_("Delete the chosen indicator…"), "skp.iki.delete",
                                    self.delete_chosen)
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        column.addLayout(row)
        self.form_title = heading(_("New indicator"), "skp.iki.form.heading")
        column.addWidget(self.form_title)
        form = self.form = Form("skp.iki.form")
        self.indikator = form.add_text(
            "indikator", _("Indicator"),
            description=_("How success is measured; Tab moves on, Ctrl+Enter saves"))
        self.target = form.add_line("target_nilai", _("Target"), placeholder="1200",
                                    description=_("A number, e.g. 12 or 2,5; its unit comes next"))
        self.satuan = form.add_line("target_satuan", _("Unit of the target"), max_length=50,
                                    placeholder=_("Document"))
        self.aspek = form.add_combo("aspek", _("Aspect"),
                                    [(_(msgid), str(value)) for value, msgid in ASPEK.items()])
        column.addWidget(form)
        buttons = QHBoxLayout()
        self.save_button = button(_("Add the indicator"), "skp.iki.save", self.save,
                                  _("Ctrl+Enter also saves"))
        self.stop_button = button(_("Stop editing the indicator"), "skp.iki.stop",
                                  self.stop_editing)
        self.stop_button.setVisible(False)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.message = status_label("skp.iki.message")
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        column.addWidget(self.message)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), form)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)

    # -- content -------------------------------------------------------------------------
    def set_rhk(self, rhk: Rhk | None, number: str, *, editable: bool, jpt: bool) -> None:
        if self.rhk_id is not None and (rhk is None or rhk.id != self.rhk_id):
            self.stop_editing(announce=False)  # another RHK: its indicator is not edited
        self.rhk_id = rhk.id if rhk is not None else None
        self._jpt, self._editable = jpt, editable
        self.model.set_rows(iki_rows(rhk) if rhk is not None else [])
        self.title.setText("<h3>{}</h3>".format(
            _("Indicators (IKI) of RHK {number}").format(number=number) if rhk is not None
            else _("Indicators (IKI): choose an RHK first")))
        # A JPT indicator has no aspect (its RHK has a perspective instead).
        field = self.form.fields["aspek"]
        field.label.setVisible(not jpt)
        self.aspek.setVisible(not jpt)
        for w in (self.form, self.save_button, self.edit_button, self.delete_button):
            w.setEnabled(editable and rhk is not None)

    def select(self, iki_id: str | None) -> None:
        n = self.model.row_of(iki_id) if iki_id else -1
        if n >= 0:
            self.table.setCurrentIndex(self.model.index(n, 0))

    def row_at(self, n: int) -> IkiRow | None:
        return self.model.row_at(n) if 0 <= n < self.model.rowCount() else None

    # -- saving --------------------------------------------------------------------------
    def fields(self) -> dict[str, Any]:
        v = self.form.values()
        return {"indikator": v["indikator"], "target_nilai": v["target_nilai"],
                "target_satuan": v["target_satuan"], "aspek": None if self._jpt else v["aspek"]}

    def save(self) -> None:
        if self._saving or not self._editable:
            return
        self.form.clear_errors()
        self.message.setVisible(False)
        rhk_id, editing, fields = self.rhk_id, self.editing, self.fields()
        if rhk_id is None:
            self._say_error(_("Choose an RHK first: its indicators are added here."))
            return
        write: Callable[[Workspace], Any]
        if editing is not None:
            def write(ws: Workspace) -> Any:
                return ws.edit_iki(editing, **fields)
        else:
            def write(ws: Workspace) -> Any:
                return ws.add_iki(rhk_id, fields["indikator"], fields["target_nilai"],
                                  fields["target_satuan"], aspek=fields["aspek"])
        self._saving = True
        self.save_button.setEnabled(False)
        self.ctx.write(write, lambda ch: self._saved(ch, editing), self._failed)

    def _saved(self, changes: Any, editing: str | None) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.stop_editing(announce=False)
        self.form.clear()
        self.indikator.setFocus()
        self.saved.emit(editing or changes.primary_id or "")

    def _failed(self, err: UserFacingError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if not self.form.show_error(err, self.ctx.announcer):
            self._say_error(err.message())

    def _say_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.ctx.announcer.say(text, assertive=True)

    def show_problem(self, key: str, text: str) -> None:
        """A review problem on one field of the indicator being edited (or the form)."""
        err = ValidationError(key, "review", "{text}", text=text)
        if not self.form.show_error(err, self.ctx.announcer):
            self._say_error(text)
            self.indikator.setFocus()

    # -- edit and delete -----------------------------------------------------------------
    def edit_chosen(self) -> None:
        row = current_row(self.table)
        if not isinstance(row, IkiRow):
            self.ctx.announcer.say(_("Choose an indicator in the list first."))
            return
        self.start_editing(row)

    def start_editing(self, row: IkiRow) -> None:
        self.editing = row.id
        self.form.clear_errors()
        self.form.set_values(row.form_values())
        self._edit_mode(True)
        self.indikator.setFocus()
        self.indikator.moveCursor(QTextCursor.MoveOperation.End)  # typing goes on at the end
        self.ctx.announcer.say(_("Editing indicator {number}.").format(number=row.nomor))

    def _edit_mode(self, editing: bool) -> None:
        self.form_title.setText("<h3>{}</h3>".format(
            _("Edit the indicator") if editing else _("New indicator")))
        self.save_button.setText(_("Save the indicator") if editing else _("Add the indicator"))
        self.stop_button.setVisible(editing)

    def stop_editing(self, announce: bool = True) -> None:
        was = self.editing is not None
        self.editing = None
        self._edit_mode(False)
        if was and announce:
            self.form.clear()
            self.indikator.setFocus()
            self.ctx.announcer.say(_("Editing stopped; the form is empty for a new indicator."))

    def delete_chosen(self) -> None:
        row = current_row(self.table)
        if not isinstance(row, IkiRow):
            self.ctx.announcer.say(_("Choose an indicator in the list first."))
            return
        box = confirm_delete(self, "dialog.skp_iki_delete",
                             _("asndesk — delete an indicator"),
                             _("Delete indicator {number}? This cannot be undone.").format(
                                 number=row.nomor) + "\n\n" + row.indikator)

        def decided(chosen: bool) -> None:
            self.confirm_box = None
            self.table.setFocus()
            if chosen:
                if self.editing == row.id:
                    self.stop_editing(announce=False)
                self.ctx.write(lambda ws: ws.delete_iki(row.id), saved=_("Deleted."))
        self.confirm_box = ask(box, decided)

    # -- drafts --------------------------------------------------------------------------
    def draft(self) -> dict[str, Any]:
        v = self.form.values()
        if not any(str(v[k] or "").strip() for k in ("indikator", "target_nilai",
                                                      "target_satuan")) and not self.editing:
            return {}
        return {**v, "rhk_id": self.rhk_id, "edit_id": self.editing}

    def restore(self, draft: dict[str, Any]) -> None:
        self.form.set_values({k: draft[k] for k in ("indikator", "target_nilai",
                                                     "target_satuan", "aspek") if k in draft})
        if draft.get("edit_id"):
            self.editing = str(draft["edit_id"])
            self._edit_mode(True)
