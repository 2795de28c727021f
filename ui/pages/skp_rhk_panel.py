"""The RHK part of the SKP page: A. Utama and B. Tambahan tables, the form that adds or edits
an RHK (jenis, text, the supervisor's RHK it serves, perspective for JPT), and the IKI panel
of the chosen RHK. Choosing an RHK in either table makes it the chosen one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QTableView, QVBoxLayout, QWidget

from asndesk.domain.skp import JenisRhk, Skp
from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.workspace import Workspace
from ui.confirm_box import ask, confirm_delete
from ui.context import AppContext
from ui.forms import Form
from ui.models.rhk_table_model import RhkRow, RhkTableModel, rhk_rows
from ui.pages.page_widgets import button, current_row, heading, make_table, status_label
from ui.pages.skp_iki_panel import IkiPanel
from ui.skp_words import JENIS_RHK, PERSPEKTIF, rhk_number

DRAFT_KEY = "skp.rhk"


class RhkPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("skp.rhk")
        self.skp: Skp | None = None
        self.chosen: str | None = None          # the chosen RHK's id
        self.editing: str | None = None
        self._pending_choice: str | None = None
        self._pending_iki: str | None = None
        self._pending_focus: QWidget | None = None
        self._saving = False
        self._editable = True
        self.confirm_box: QMessageBox | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("Results plan (RHK)"), "skp.rhk.heading"))
        self.models: dict[JenisRhk, RhkTableModel] = {}
        self.tables: dict[JenisRhk, QTableView] = {}
        for jenis, title, name in (
                (JenisRhk.UTAMA, _("A. Main RHK (Utama)"), "utama"),
                (JenisRhk.TAMBAHAN, _("B. Additional RHK (Tambahan)"), "tambahan")):
            column.addWidget(heading(title, f"skp.rhk.{name}.heading"))
            model = self.models[jenis] = RhkTableModel(parent=self)
            table = self.tables[jenis] = make_table(f"skp.rhk.{name}", title, model)
            table.setMinimumHeight(130)
            table.horizontalHeader().resizeSection(0, 360)
            table.selectionModel().currentRowChanged.connect(
                lambda current, _previous, m=model: self._choose_index(m, current.row()))
            table.activated.connect(lambda _i: self.edit_chosen())
            column.addWidget(table)
        self.chosen_label = status_label("skp.rhk.chosen")
        column.addWidget(self.chosen_label)
        row = QHBoxLayout()
        self.edit_button = button(_("Edit the chosen RHK"), "skp.rhk.edit", self.edit_chosen)
        self.delete_button = button(_("Delete the chosen RHK…"), "skp.rhk.delete",
                                    self.delete_chosen,
                                    _("Its indicators are deleted with it"))
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        column.addLayout(row)
        self.form_title = heading(_("New RHK"), "skp.rhk.form.heading")
        column.addWidget(self.form_title)
        form = self.form = Form("skp.rhk.form")
        self.jenis = form.add_combo("jenis", _("Section"),
                                    [(_(m), str(v)) for v, m in JENIS_RHK.items()])
        self.teks = form.add_text("teks", _("RHK text"),
                                  description=_("The result you plan to achieve this year"))
        self.atasan = form.add_text(
            "rhk_atasan", _("Supervisor's RHK this serves"),
            description=_("The RHK of your pejabat penilai that this result supports"))
        self.perspektif = form.add_combo(
            "perspektif", _("Perspective"), [(_(m), str(v)) for v, m in PERSPEKTIF.items()])
        column.addWidget(form)
        buttons = QHBoxLayout()
        self.save_button = button(_("Add the RHK"), "skp.rhk.save", self.save)
        self.stop_button = button(_("Stop editing the RHK"), "skp.rhk.stop", self.stop_editing)
        self.stop_button.setVisible(False)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.message = status_label("skp.rhk.message")
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        column.addWidget(self.message)
        self.iki = IkiPanel(ctx, self)
        column.addWidget(self.iki)

    # -- content -------------------------------------------------------------------------
    @property
    def jpt(self) -> bool:
        return self.skp is not None and self.skp.jenis_jabatan.is_jpt

    def set_skp(self, skp: Skp, editable: bool) -> None:
        self.skp, self._editable = skp, editable
        for jenis, model in self.models.items():
            model.set_rows(rhk_rows(skp, jenis))
        ids = [r.id for r in skp.rhk]
        wanted = self._pending_choice or self.chosen
        self._pending_choice = None
        self.chosen = wanted if wanted in ids else (ids[0] if ids else None)
        if self.editing not in ids:
            self.stop_editing(announce=False)
        for field in ("perspektif",):
            self.form.fields[field].label.setVisible(self.jpt)
            self.form.fields[field].widget.setVisible(self.jpt)
        for w in (self.form, self.save_button, self.edit_button, self.delete_button):
            w.setEnabled(editable)
        self._show_chosen()

    def _choose_index(self, model: RhkTableModel, row: int) -> None:
        if 0 <= row < model.rowCount():
            self.chosen = model.row_at(row).id
            self._show_chosen(move_table=False)

    def choose(self, rhk_id: str | None, iki_id: str | None = None,
               focus: QWidget | None = None) -> None:
        """Make `rhk_id` the chosen RHK (and `focus` the focus) now, or when the next load
        brings it (a new RHK arrives with the reload after its write)."""
        if self.skp is None or rhk_id not in [r.id for r in self.skp.rhk]:
            self._pending_choice, self._pending_iki = rhk_id, iki_id
            self._pending_focus = focus
            return
        self.chosen = rhk_id
        self._show_chosen()
        self.iki.select(iki_id)
        if focus is not None:
            focus.setFocus()

    def _show_chosen(self, move_table: bool = True) -> None:
        skp = self.skp
        index = next((i for i, r in enumerate(skp.rhk) if r.id == self.chosen), -1) \
            if skp is not None else -1
        if skp is None or index < 0:
            self.chosen_label.setText(_("No RHK yet: add the first one below."))
            self.iki.set_rhk(None, "", editable=self._editable, jpt=self.jpt)
            return
        rhk, number = skp.rhk[index], rhk_number(skp, index)
        self.chosen_label.setText(_("Chosen RHK: {number} {text}").format(
            number=number, text=" ".join(rhk.teks.split())))
        if move_table:
            model, table = self.models[rhk.jenis], self.tables[rhk.jenis]
            table.setCurrentIndex(model.index(model.row_of(rhk.id), 0))
        self.iki.set_rhk(rhk, number, editable=self._editable, jpt=self.jpt)
        if self._pending_iki:
            self.iki.select(self._pending_iki)
            self._pending_iki = None
        if self._pending_focus is not None:
            self._pending_focus.setFocus()
            self._pending_focus = None

    # -- saving --------------------------------------------------------------------------
    def fields(self) -> dict[str, Any]:
        v = self.form.values()
        return {"jenis": v["jenis"], "teks": v["teks"], "rhk_atasan": v["rhk_atasan"] or None,
                "perspektif": v["perspektif"] if self.jpt else None}

    def save(self) -> None:
        if self._saving or self.skp is None or not self._editable:
            return
        self.form.clear_errors()
        self.message.setVisible(False)
        skp_id, editing, fields = self.skp.id, self.editing, self.fields()
        write: Callable[[Workspace], Any]
        if editing is not None:
            def write(ws: Workspace) -> Any:
                return ws.edit_rhk(editing, **fields)
        else:
            def write(ws: Workspace) -> Any:
                return ws.add_rhk(skp_id, fields["teks"], jenis=fields["jenis"],
                                  rhk_atasan=fields["rhk_atasan"],
                                  perspektif=fields["perspektif"])
        self._saving = True
        self.save_button.setEnabled(False)
        self.ctx.write(write, lambda ch: self._saved(ch, editing), self._failed)

    def _saved(self, changes: Any, editing: str | None) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.stop_editing(announce=False)
        self.form.clear()
        if editing is None:
            # A new RHK needs its indicators next: it becomes the chosen one, focus goes there.
            self.choose(changes.primary_id, focus=self.iki.indikator)
            self.ctx.announcer.say(_("Now add the indicators (IKI) of the new RHK."))
        else:
            self.teks.setFocus()

    def _failed(self, err: UserFacingError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if not self.form.show_error(err, self.ctx.announcer):
            self.message.setText(err.message())
            self.message.setVisible(True)
            self.ctx.announcer.say(err.message(), assertive=True)

    def show_problem(self, index: int, key: str, text: str) -> None:
        """Open RHK `index` (of `Skp.rhk`) in the form with `text` on its field `key`."""
        if self.skp is None or not 0 <= index < len(self.skp.rhk):
            return
        rhk = self.skp.rhk[index]
        self.choose(rhk.id)
        self.start_editing(rhk.id, announce=False)
        self.form.show_error(ValidationError(key, "review", "{text}", text=text),
                             self.ctx.announcer)

    # -- edit and delete -----------------------------------------------------------------
    def _chosen_row(self) -> RhkRow | None:
        for table in self.tables.values():
            row = current_row(table)
            if isinstance(row, RhkRow) and row.id == self.chosen:
                return row
        return None

    def edit_chosen(self) -> None:
        row = self._chosen_row()
        if row is None:
            self.ctx.announcer.say(_("Choose an RHK in one of the lists first."))
            return
        self.start_editing(row.id)

    def start_editing(self, rhk_id: str, announce: bool = True) -> None:
        if self.skp is None:
            return
        index = next(i for i, r in enumerate(self.skp.rhk) if r.id == rhk_id)
        rhk = self.skp.rhk[index]
        self.editing = rhk_id
        self.form.clear_errors()
        self.form.set_values({"jenis": str(rhk.jenis), "teks": rhk.teks,
                              "rhk_atasan": rhk.rhk_atasan or "",
                              "perspektif": str(rhk.perspektif) if rhk.perspektif else None})
        self._edit_mode(True)
        self.teks.setFocus()
        self.teks.moveCursor(QTextCursor.MoveOperation.End)  # typing goes on at the end
        if announce:
            self.ctx.announcer.say(_("Editing RHK {number}.").format(
                number=rhk_number(self.skp, index)))

    def _edit_mode(self, editing: bool) -> None:
        self.form_title.setText("<h2>{}</h2>".format(
            _("Edit the RHK") if editing else _("New RHK")))
        self.save_button.setText(_("Save the RHK") if editing else _("Add the RHK"))
        self.stop_button.setVisible(editing)

    def stop_editing(self, announce: bool = True) -> None:
        was = self.editing is not None
        self.editing = None
        self._edit_mode(False)
        if was and announce:
            self.form.clear()
            self.teks.setFocus()
            self.ctx.announcer.say(_("Editing stopped; the form is empty for a new RHK."))

    def delete_chosen(self) -> None:
        row = self._chosen_row()
        if row is None:
            self.ctx.announcer.say(_("Choose an RHK in one of the lists first."))
            return
        box = confirm_delete(self, "dialog.skp_rhk_delete", _("asndesk — delete an RHK"),
                             _("Delete RHK {number} and its {count} indicators? This cannot "
                               "be undone.").format(number=row.nomor, count=row.jumlah_iki)
                             + "\n\n" + row.teks)

        def decided(confirmed: bool) -> None:
            self.confirm_box = None
            self.tables[row.jenis].setFocus()
            if confirmed:
                if self.editing == row.id:
                    self.stop_editing(announce=False)
                self.ctx.write(lambda ws: ws.delete_rhk(row.id), saved=_("Deleted."))
        self.confirm_box = ask(box, decided)

    # -- drafts --------------------------------------------------------------------------
    def draft(self) -> dict[str, Any]:
        v = self.form.values()
        if not (v["teks"].strip() or v["rhk_atasan"].strip()) and not self.editing:
            return {}
        return {**v, "edit_id": self.editing}

    def restore(self, draft: dict[str, Any]) -> None:
        self.form.set_values({k: draft[k] for k in ("jenis", "teks", "rhk_atasan", "perspektif")
                              if k in draft})
        if draft.get("edit_id"):
            self.editing = str(draft["edit_id"])
            self._edit_mode(True)
