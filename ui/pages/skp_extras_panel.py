"""Perilaku kerja (the seven BerAKHLAK values with their guides, read-only) and the LAMPIRAN
lists (resource support, accountability scheme, consequences) with add and delete."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from asndesk.domain.skp import Skp
from asndesk.errors import UserFacingError
from asndesk.i18n import _
from ui.confirm_box import ask, confirm_delete
from ui.context import AppContext
from ui.forms import Form
from ui.models.skp_extras_table_model import (
    LampiranRow,
    LampiranTableModel,
    PerilakuTableModel,
    lampiran_rows,
    perilaku_rows,
)
from ui.pages.page_widgets import button, current_row, heading, make_table, status_label
from ui.skp_words import LAMPIRAN

DRAFT_KEY = "skp.lampiran"


class ExtrasPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("skp.extras")
        self.skp: Skp | None = None
        self._saving = False
        self.confirm_box: QMessageBox | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("Work behaviour (BerAKHLAK)"), "skp.perilaku.heading"))
        note = QLabel(_("The seven BerAKHLAK core values are part of every SKP; they are "
                        "fixed and need no input."))
        note.setObjectName("skp.perilaku.note")
        note.setWordWrap(True)
        column.addWidget(note)
        self.perilaku_model = PerilakuTableModel(parent=self)
        self.perilaku = make_table("skp.perilaku.table", _("Work behaviour (BerAKHLAK)"),
                                   self.perilaku_model)
        self.perilaku.setWordWrap(True)
        self.perilaku.horizontalHeader().resizeSection(0, 220)
        self.perilaku.horizontalHeader().resizeSection(1, 480)
        self.perilaku.setMinimumHeight(260)
        column.addWidget(self.perilaku)
        column.addWidget(heading(_("Attachment (LAMPIRAN)"), "skp.lampiran.heading"))
        self.lampiran_model = LampiranTableModel(parent=self)
        self.lampiran = make_table("skp.lampiran.table", _("Attachment (LAMPIRAN) lines"),
                                   self.lampiran_model)
        self.lampiran.setMinimumHeight(130)
        self.lampiran.horizontalHeader().resizeSection(0, 240)
        column.addWidget(self.lampiran)
        row = QHBoxLayout()
        self.delete_button = button(_("Delete the chosen line…"), "skp.lampiran.delete",
                                    self.delete_chosen)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        column.addLayout(row)
        form = self.form = Form("skp.lampiran.form")
        self.jenis = form.add_combo("jenis", _("List"),
                                    [(_(m), str(v)) for v, m in LAMPIRAN.items()])
        self.teks = form.add_text("teks", _("Line text"),
                                  description=_("One line of the chosen list"))
        column.addWidget(form)
        row = QHBoxLayout()
        self.add_button = button(_("Add the line"), "skp.lampiran.add", self.add)
        row.addWidget(self.add_button)
        row.addStretch(1)
        column.addLayout(row)
        self.message = status_label("skp.lampiran.message")
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        column.addWidget(self.message)

    def set_skp(self, skp: Skp, editable: bool) -> None:
        self.skp = skp
        self.perilaku_model.set_rows(perilaku_rows(skp))
        self.perilaku.resizeRowsToContents()
        self.lampiran_model.set_rows(lampiran_rows(skp))
        for w in (self.form, self.add_button, self.delete_button):
            w.setEnabled(editable)

    def add(self) -> None:
        if self._saving or self.skp is None:
            return
        self.form.clear_errors()
        self.message.setVisible(False)
        skp_id, v = self.skp.id, self.form.values()
        self._saving = True
        self.ctx.write(lambda ws: ws.add_lampiran(skp_id, v["jenis"], v["teks"]),
                       self._added, self._failed)

    def _added(self, _changes: Any) -> None:
        self._saving = False
        self.teks.clear()
        self.form.clear_errors()
        self.teks.setFocus()

    def _failed(self, err: UserFacingError) -> None:
        self._saving = False
        if not self.form.show_error(err, self.ctx.announcer):
            self.message.setText(err.message())
            self.message.setVisible(True)
            self.ctx.announcer.say(err.message(), assertive=True)

    def focus_row(self, table: str, index: int, text: str) -> None:
        """Put focus on a row of the perilaku or lampiran table and say what is wrong."""
        view = self.perilaku if table == "perilaku" else self.lampiran
        model = view.model()
        if 0 <= index < model.rowCount():
            view.setCurrentIndex(model.index(index, 0))
        view.setFocus()
        self.ctx.announcer.say(text, assertive=True)

    def delete_chosen(self) -> None:
        row = current_row(self.lampiran)
        if not isinstance(row, LampiranRow):
            self.ctx.announcer.say(_("Choose a line in the list first."))
            return
        box = confirm_delete(self, "dialog.skp_lampiran_delete",
                             _("asndesk — delete an attachment line"),
                             _("Delete this line? This cannot be undone.") + "\n\n" + row.teks)

        def decided(confirmed: bool) -> None:
            self.confirm_box = None
            self.lampiran.setFocus()
            if confirmed:
                self.ctx.write(lambda ws: ws.delete_lampiran(row.id), saved=_("Deleted."))
        self.confirm_box = ask(box, decided)

    def draft(self) -> dict[str, Any]:
        v = self.form.values()
        return v if v["teks"].strip() else {}

    def restore(self, draft: dict[str, Any]) -> None:
        self.form.set_values({k: draft[k] for k in ("jenis", "teks") if k in draft})
