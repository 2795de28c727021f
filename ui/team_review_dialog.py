"""Reviewing a subordinate's submitted SKP (or amendment): read it, with the supervisor's own
RHK each RHK serves; approve after a confirm step, or return it with a required note.

The decision is queued (offline is fine) naming the SKP version shown here; the server
refuses it if the SKP changed meanwhile, and the refusal then shows here and on Sinkronisasi.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asndesk.errors import UserFacingError
from asndesk.i18n import _
from asndesk.store.database import Changes
from ui.context import AppContext
from ui.forms import Form, plain
from ui.pages.team_data import ReviewData, decision_text, load_review, skp_text
from ui.skp_words import STATUS, word
from ui.team_feedback_dialog import TeamFeedbackDialog


def _button(text: str, name: str, slot: object) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAccessibleName(plain(text))
    b.setAutoDefault(False)
    b.clicked.connect(lambda _checked=False: slot())  # type: ignore[operator]
    return b


class TeamReviewDialog(QDialog):
    """Emits `decided` after a decision was queued (then closes)."""

    decided = Signal()
    kinds: ClassVar[frozenset[str]] = frozenset(
        {"replica_skp", "replica_rhk", "replica_iki", "replica_amandemen", "outbox"})

    def __init__(self, ctx: AppContext, data: ReviewData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.data = ctx, data
        self.feedback_dialog: QDialog | None = None
        self.setObjectName("dialog.team_review")
        self.setWindowTitle(_("asndesk — review the SKP of {name}").format(name=data.nama))
        self.resize(820, 640)
        column = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setObjectName("dialog.team_review.state")
        self.state.setWordWrap(True)
        column.addWidget(self.state)

        caption = QLabel(_("&SKP and realisations"))
        caption.setWordWrap(True)
        self.content = QPlainTextEdit()
        self.content.setObjectName("dialog.team_review.skp")
        self.content.setAccessibleName(plain(caption.text()))
        self.content.setReadOnly(True)
        self.content.setTabChangesFocus(True)
        self.content.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.content.setMinimumHeight(220)
        caption.setBuddy(self.content)
        column.addWidget(caption)
        column.addWidget(self.content, 1)

        self.form = Form("dialog.team_review.form")
        self.note = self.form.add_text(
            "catatan", _("&Note for returning"),
            description=_("Required when returning: say what must be changed"))
        column.addWidget(self.form)

        # The decision row, and in its place the confirm step of an approval.
        self.decision_row = QWidget()
        grid = QGridLayout(self.decision_row)  # two by two: no row too wide at 200 % text
        grid.setContentsMargins(0, 0, 0, 0)
        self.approve_button = _button(_("&Approve…"), "dialog.team_review.approve",
                                      self.ask_confirm)
        self.return_button = _button(_("&Return with the note"), "dialog.team_review.return",
                                     self.return_skp)
        self.feedback_button = _button(_("Give &feedback…"), "dialog.team_review.feedback",
                                       self.open_feedback)
        self.close_button = _button(_("&Close"), "dialog.team_review.close", self.reject)
        for n, b in enumerate((self.approve_button, self.return_button, self.feedback_button,
                               self.close_button)):
            grid.addWidget(b, n // 2, n % 2)
        grid.setColumnStretch(2, 1)
        column.addWidget(self.decision_row)

        self.confirm = QWidget()
        self.confirm.setObjectName("dialog.team_review.confirm_step")
        confirm_column = QVBoxLayout(self.confirm)
        confirm_column.setContentsMargins(0, 0, 0, 0)
        self.confirm_text = QLabel()
        self.confirm_text.setObjectName("dialog.team_review.confirm_text")
        self.confirm_text.setWordWrap(True)
        confirm_column.addWidget(self.confirm_text)
        confirm_row = QHBoxLayout()
        self.confirm_button = _button(_("Confir&m the approval"),
                                      "dialog.team_review.confirm", self.approve)
        self.back_button = _button(_("&Back"), "dialog.team_review.back", self.back)
        confirm_row.addWidget(self.confirm_button)
        confirm_row.addWidget(self.back_button)
        confirm_row.addStretch(1)
        confirm_column.addLayout(confirm_row)
        self.confirm.setVisible(False)
        column.addWidget(self.confirm)

        self.message = QLabel()
        self.message.setObjectName("dialog.team_review.message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        column.addWidget(self.message)
        ctx.changed.connect(self._on_changed)
        self.show_data(data)

    # -- showing ---------------------------------------------------------------------------
    def show_data(self, data: ReviewData) -> None:
        """Show `data` (again, after a sync): the text, what can be decided, and why not."""
        self.data = data
        self.content.setPlainText(skp_text(data))
        target, pending = data.target(), data.pending()
        decidable = target is not None and not pending
        self.approve_button.setEnabled(decidable)
        self.return_button.setEnabled(decidable)
        self.form.setEnabled(decidable)
        self.feedback_button.setEnabled(data.view.skp is not None)
        if pending:
            state = _("Your decision waits to be sent: {decision}. Sync to send it.").format(
                decision=decision_text(pending[-1]))
        elif target is None:
            status = data.view.head.get("status")
            state = (_("Nothing to decide: the SKP is {status}.").format(
                status=word(STATUS, status)) if status else
                _("No SKP of {year} has been synced yet.").format(year=data.tahun))
        elif target.get("kind") == "amandemen":
            state = _("An amendment request waits for your decision: approve it, or return "
                      "it with a note.")
        else:
            state = _("The SKP (version {version}) waits for your decision: approve it, or "
                      "return it with a note.").format(version=target.get("version"))
        refused = [d for d in data.view.decisions if d["kind"] in ("approve", "return")
                   and d["state"] in ("rejected", "conflict")]
        if refused and not pending:
            state += " " + _("Your last decision was refused: {why}").format(
                why=decision_text(refused[-1]))
        self.state.setText(state)
        if not decidable and self.confirm.isVisible():
            self.back()

    def _on_changed(self, changes: Changes) -> None:
        if self.isVisible() and any(changes.touched(k) for k in self.kinds):
            self.reload()

    def reload(self) -> None:
        nip, tahun = str(self.data.view.person["nip"]), self.data.tahun
        self.ctx.read(lambda ws: load_review(ws, nip, tahun), self.show_data)

    # -- deciding --------------------------------------------------------------------------
    def ask_confirm(self) -> None:
        target = self.data.target()
        if target is None:
            return
        what = (_("the amendment request of {name}") if target.get("kind") == "amandemen"
                else _("the SKP of {name}")).format(name=self.data.nama)
        self.confirm_text.setText(_(
            "Approve {what}, version {version}, as shown above? The approval is sent at the "
            "next sync; if the SKP changed before then, the server refuses it and you decide "
            "again.").format(what=what, version=target.get("version")))
        self.decision_row.setVisible(False)
        self.confirm.setVisible(True)
        self.back_button.setDefault(True)  # never approve by a stray Enter
        self.back_button.setFocus()
        self.ctx.announcer.say(self.confirm_text.text())

    def back(self) -> None:
        self.confirm.setVisible(False)
        self.decision_row.setVisible(True)
        self.approve_button.setFocus()

    def approve(self) -> None:
        target = self.data.target()
        if target is None:
            return
        target_id = str(target["id"])
        self.ctx.write(lambda ws: ws.approve_skp(target_id), self._done, self._failed,
                       saved=_("Saved. The approval is sent at the next sync."))

    def return_skp(self) -> None:
        target = self.data.target()
        if target is None:
            return
        target_id, note = str(target["id"]), self.note.toPlainText()
        self.form.clear_errors()
        self.ctx.write(lambda ws: ws.return_skp(target_id, note), self._done, self._failed,
                       saved=_("Saved. The return is sent at the next sync."))

    def _done(self, _changes: Changes) -> None:
        self.decided.emit()
        self.accept()

    def _failed(self, err: UserFacingError) -> None:
        if self.confirm.isVisible():
            self.back()
        if self.form.show_error(err, self.ctx.announcer):
            self.message.setVisible(False)
            return
        self.message.setText(err.message())
        self.message.setVisible(True)
        self.ctx.announcer.say(err.message(), assertive=True)
        self.reload()  # a sync may have changed the SKP: show what it is now

    # -- feedback --------------------------------------------------------------------------
    def open_feedback(self) -> None:
        self.feedback_dialog = TeamFeedbackDialog(self.ctx, self.data, self)
        self.feedback_dialog.show()
