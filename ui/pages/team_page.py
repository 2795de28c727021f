"""Bawahan: the pejabat penilai's subordinates with their SKP status, what waits for a
decision, this week's log harian and the last sync; filters, and Enter opens the review.

Everything reads what the last sync brought and every decision is queued, so the page works
offline; it reloads when a sync brings team records or answers the queued decisions.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from asndesk.domain.skp import StatusSkp
from asndesk.i18n import _, ngettext
from ui.models.team_table_model import (
    ALL,
    NO_SKP,
    TeamFilterProxy,
    TeamRow,
    TeamTableModel,
)
from ui.pages.page import Page
from ui.pages.page_widgets import button, current_row, make_table, status_label
from ui.pages.team_data import ReviewData, TeamData, load_review, load_team
from ui.skp_words import STATUS
from ui.team_feedback_dialog import TeamFeedbackDialog
from ui.team_rating_dialog import RatingData, TeamRatingDialog, load_ratings
from ui.team_review_dialog import TeamReviewDialog

_TEAM_KINDS = ("skp", "rhk", "iki", "realisasi", "penilaian", "umpan_balik", "amandemen",
               "log_harian", "lampiran")


DRAFT_REVIEW, DRAFT_FEEDBACK = "bawahan.review", "bawahan.feedback"


class TeamPage(Page):
    page_id = "bawahan"
    required_roles: ClassVar[frozenset[str]] = frozenset({"supervisor"})
    # Own decisions (skp/penilaian/umpan_balik/amandemen ops), what a pull brings into the
    # team's replica, and the server's answers to the queued decisions (outbox).
    kinds: ClassVar[frozenset[str]] = frozenset(
        {"skp", "penilaian", "umpan_balik", "amandemen", "outbox"}
        | {f"replica_{k}" for k in _TEAM_KINDS})

    def title(self) -> str:
        return _("Subordinates")

    def build(self) -> None:
        self.data: TeamData | None = None
        self._tahun = date.today().year
        self.review_dialog: TeamReviewDialog | None = None
        self.rating_dialog: TeamRatingDialog | None = None
        self.feedback_dialog: TeamFeedbackDialog | None = None
        self._drafts: dict[str, dict[str, Any]] = {}  # restored, until their dialog opens

        filters = QHBoxLayout()
        self.year = self._combo(filters, _("&Year"), "bawahan.year",
                                _("Choosing a year shows the SKP of that year"))
        self.status_filter = self._combo(filters, _("S&KP status"), "bawahan.status_filter",
                                         _("Shows only the people whose SKP is in this state"))
        for text, value in ((_("All"), ALL), (_("No SKP synced"), NO_SKP),
                            *((_(STATUS[s]), s.value) for s in StatusSkp)):
            self.status_filter.addItem(text, value)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._filter())
        self.year.currentIndexChanged.connect(self._year_changed)
        self.root.addLayout(filters)
        search_row = QHBoxLayout()
        caption = QLabel(_("Sea&rch"))
        self.search = QLineEdit()
        self.search.setObjectName("bawahan.search")
        self.search.setAccessibleName(_("Search"))
        self.search.setAccessibleDescription(_("Name, NIP or position"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._filter())
        caption.setBuddy(self.search)
        self.needs_only = QCheckBox(_("Only those &needing my decision"))
        self.needs_only.setObjectName("bawahan.needs_only")
        self.needs_only.setAccessibleName(_("Only those needing my decision"))
        self.needs_only.toggled.connect(lambda _c: self._filter())
        search_row.addWidget(caption)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.needs_only)
        self.root.addLayout(search_row)

        self.status = status_label("bawahan.status")
        self.status.setText(_("Loading…"))
        self.root.addWidget(self.status)
        self.model = TeamTableModel(parent=self)
        self.table = make_table("bawahan.table", _("Your subordinates"), self.model)
        self.proxy = TeamFilterProxy(self.table)
        self.proxy.setSourceModel(self.model)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(TeamTableModel.KEPUTUSAN, Qt.SortOrder.AscendingOrder)
        self.table.setAccessibleDescription(_("Enter opens the chosen person's SKP review"))
        self.table.activated.connect(lambda _index: self.open_review())
        self.root.addWidget(self.table, 1)

        actions = QHBoxLayout()
        self.review_button = button(_("Re&view the SKP…"), "bawahan.review", self.open_review,
                                    _("Read, approve or return the chosen person's SKP"))
        self.feedback_button = button(_("Give &feedback…"), "bawahan.feedback",
                                      self.open_feedback)
        self.rating_button = button(_("&Evaluate a period…"), "bawahan.rating",
                                    self.open_rating,
                                    _("Rate the team for a period and see the predikat"))
        for b in (self.review_button, self.feedback_button, self.rating_button):
            actions.addWidget(b)
        actions.addStretch(1)
        self.root.addLayout(actions)

    def _combo(self, row: QHBoxLayout, label: str, name: str, description: str) -> QComboBox:
        caption = QLabel(label)
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(label.replace("&", ""))
        combo.setAccessibleDescription(description)
        caption.setBuddy(combo)
        row.addWidget(caption)
        row.addWidget(combo)
        return combo

    def first_focus(self) -> QWidget | None:
        return self.table

    # -- drafts: a note or feedback being typed survives a lock ---------------------------
    def drafts(self) -> dict[str, dict[str, Any]]:
        out = dict(self._drafts)
        review = self.review_dialog
        if review is not None and review.isVisible() and review.note.toPlainText().strip():
            out[DRAFT_REVIEW] = {"nip": review.data.view.person["nip"],
                                 "catatan": review.note.toPlainText()}
        for feedback in (self.feedback_dialog, review and review.feedback_dialog):
            if isinstance(feedback, TeamFeedbackDialog) and feedback.isVisible() \
                    and feedback.teks.toPlainText().strip():
                jenis, sasaran_id, _period = feedback.target()
                out[DRAFT_FEEDBACK] = {"nip": feedback.data.view.person["nip"],
                                       "teks": feedback.teks.toPlainText(),
                                       "sasaran_jenis": jenis, "sasaran_id": sasaran_id}
        return out

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        self._drafts = {k: v for k, v in drafts.items() if k in (DRAFT_REVIEW, DRAFT_FEEDBACK)}

    def _take_draft(self, key: str, nip: str) -> dict[str, Any] | None:
        draft = self._drafts.get(key)
        if draft is None or draft.get("nip") != nip:
            return None
        return self._drafts.pop(key)

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        today, tahun = date.today(), self._tahun
        self.ctx.read(lambda ws: load_team(ws, tahun, today), self._show)

    def _show(self, data: TeamData) -> None:
        keep = current_row(self.table)
        self.data = data
        self.year.blockSignals(True)
        self.year.clear()
        for y in data.years:
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(data.tahun)))
        self.year.blockSignals(False)
        self.model.set_rows(data.rows)
        self._filter()
        if isinstance(keep, TeamRow):
            row = self.model.row_of(keep.nip)
            if row >= 0:
                self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))
        if not self.table.currentIndex().isValid() and self.proxy.rowCount() > 0:
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def _year_changed(self, _index: int) -> None:
        value = self.year.currentData()
        if value is not None and value != self._tahun:
            self._tahun = int(value)
            self.load()

    def _filter(self) -> None:
        self.proxy.set_filters(str(self.status_filter.currentData() or ALL),
                               self.needs_only.isChecked(), self.search.text())
        rows = self.model.rows
        if self.data is None:
            return
        if not rows:
            self.status.setText(_("No subordinates on this device yet. They appear after a "
                                  "sync when the office names you their pejabat penilai."))
        else:
            waiting = sum(1 for r in rows if r.needs_decision)
            self.status.setText(" ".join((
                ngettext("{shown} of {n} person shown.", "{shown} of {n} people shown.",
                         len(rows)).format(shown=self.proxy.rowCount(), n=len(rows)),
                ngettext("{n} waits for your decision.", "{n} wait for your decision.",
                         waiting).format(n=waiting))))
        if self._drafts:
            self.status.setText(self.status.text() + " " + _(
                "Typing from before the lock is kept: it returns when you open the same "
                "person's review or feedback again."))
        has = self.proxy.rowCount() > 0
        if has and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 0))  # Enter always has a person
        for b in (self.review_button, self.feedback_button):
            b.setEnabled(has)
        self.rating_button.setEnabled(bool(rows))

    # -- dialogs -------------------------------------------------------------------------
    def open_review(self) -> None:
        row = current_row(self.table)
        if not isinstance(row, TeamRow):
            return
        nip, tahun = row.nip, self._tahun

        def show(data: ReviewData) -> None:
            self.review_dialog = TeamReviewDialog(self.ctx, data, self)
            draft = self._take_draft(DRAFT_REVIEW, nip)
            if draft is not None:
                self.review_dialog.note.setPlainText(str(draft.get("catatan") or ""))
            self.review_dialog.finished.connect(lambda _r: self.table.setFocus())
            self.review_dialog.show()
            self.review_dialog.content.setFocus()
        self.ctx.read(lambda ws: load_review(ws, nip, tahun), show)

    def open_feedback(self) -> None:
        row = current_row(self.table)
        if not isinstance(row, TeamRow):
            return
        nip, tahun = row.nip, self._tahun

        def show(data: ReviewData) -> None:
            draft = self._take_draft(DRAFT_FEEDBACK, nip)
            target = None if draft is None else (draft.get("sasaran_jenis") or "umum",
                                                 draft.get("sasaran_id"), None)
            self.feedback_dialog = TeamFeedbackDialog(self.ctx, data, self, target)
            if draft is not None:
                self.feedback_dialog.teks.setPlainText(str(draft.get("teks") or ""))
            self.feedback_dialog.finished.connect(lambda _r: self.table.setFocus())
            self.feedback_dialog.show()
        self.ctx.read(lambda ws: load_review(ws, nip, tahun), show)

    def open_rating(self) -> None:
        tahun = self._tahun

        def show(data: RatingData) -> None:
            self.rating_dialog = TeamRatingDialog(self.ctx, data, self)
            self.rating_dialog.finished.connect(lambda _r: self.table.setFocus())
            self.rating_dialog.show()
            self.rating_dialog.table.setFocus()
        self.ctx.read(lambda ws: load_ratings(ws, tahun, None), show)
