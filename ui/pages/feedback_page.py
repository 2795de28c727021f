"""Umpan Balik: what the pejabat penilai said about one's own SKP, as it arrives by sync.

Read-only: a table of feedback (on an RHK, an IKI's realisation, a BerAKHLAK value, or the
SKP as a whole), ratings with their predikat per period, and a returned SKP's note, newest
first; the selected row's full text is in a detail pane that Tab reaches (a read-only
QPlainTextEdit, so a screen reader can read it line by line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, cast

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from asndesk.domain.skp import StatusSkp
from asndesk.i18n import _, ngettext
from asndesk.workspace import Workspace
from ui.models.feedback_table_model import FeedbackRow, FeedbackTableModel, feedback_rows
from ui.models.rows_table_model import ROW_ROLE
from ui.pages.page import Page
from ui.pages.page_widgets import make_table
from ui.pages.realisasi_data import period_name


@dataclass
class FeedbackData:
    tahun: int
    years: list[int]
    rows: list[FeedbackRow] = field(default_factory=list)
    returned_note: str | None = None
    has_skp: bool = False


def load_feedback(ws: Workspace, tahun: int, today: date) -> FeedbackData:
    """On the DB lane: every own SKP of `tahun` (all revisions) with what was said about it."""
    years = sorted({int(h["tahun"]) for h in ws.skp_list()} | {today.year}, reverse=True)
    periods = {p["id"]: period_name(p) for p in ws.periods(tahun)}
    heads = ws.skp_list(tahun)
    rows: list[FeedbackRow] = []
    for head in heads:
        skp = ws.skp(head["id"])
        rows += feedback_rows(skp, head, ws.own_assessments(head["id"]), periods,
                              ws.realisasi_list(head["id"]))
    rows.sort(key=lambda r: r.waktu, reverse=True)
    latest = heads[0] if heads else None
    note = (latest.get("catatan_pengembalian")
            if latest is not None and latest["status"] == StatusSkp.DIKEMBALIKAN else None)
    return FeedbackData(tahun, years, rows, note, bool(heads))


class FeedbackPage(Page):
    page_id = "umpan_balik"
    kinds: ClassVar[frozenset[str]] = frozenset(
        {"umpan_balik", "penilaian", "skp", "rhk", "iki", "realisasi", "period"})

    def title(self) -> str:
        return _("Feedback")

    def build(self) -> None:
        self.data: FeedbackData | None = None
        self._tahun = date.today().year
        self._selected: str | None = None

        row = QHBoxLayout()
        caption = QLabel(_("&Year"))
        self.year = QComboBox()
        self.year.setObjectName("umpan_balik.year")
        self.year.setAccessibleName(_("Year"))
        self.year.setAccessibleDescription(_("Choosing a year shows the feedback on its SKP"))
        caption.setBuddy(self.year)
        self.year.currentIndexChanged.connect(self._year_changed)
        row.addWidget(caption)
        row.addWidget(self.year)
        row.addStretch(1)
        self.root.addLayout(row)

        self.status = QLabel(_("Loading…"))
        self.status.setObjectName("umpan_balik.status")
        self.status.setWordWrap(True)
        self.root.addWidget(self.status)

        self.note = QLabel()
        self.note.setObjectName("umpan_balik.note")
        self.note.setWordWrap(True)
        self.note.setProperty("role", "error")
        self.note.setVisible(False)
        self.root.addWidget(self.note)

        self.model = FeedbackTableModel(parent=self)
        self.table = make_table("umpan_balik.table",
                                _("Feedback and ratings from your supervisor"), self.model,
                                sort_column=FeedbackTableModel.WAKTU,
                                order=Qt.SortOrder.DescendingOrder)
        self.table.setAccessibleDescription(
            _("Newest first; the selected item's full text is in the detail below"))
        self.proxy = cast(QSortFilterProxyModel, self.table.model())
        self.table.setWordWrap(True)  # feedback is prose: whole lines, not cut ones
        self.table.setMinimumHeight(180)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.root.addWidget(self.table, 1)

        detail_caption = QLabel(_("&Detail"))
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("umpan_balik.detail")
        self.detail.setAccessibleName(_("Detail"))
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)  # Tab moves on
        self.detail.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by Tab
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                            | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(120)
        detail_caption.setBuddy(self.detail)
        self.root.addWidget(detail_caption)
        self.root.addWidget(self.detail)

    def first_focus(self) -> QWidget | None:
        return self.table

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        today, tahun = date.today(), self._tahun
        self.ctx.read(lambda ws: load_feedback(ws, tahun, today), self._show)

    def _show(self, data: FeedbackData) -> None:
        # Only a reload of the same year can bring "new" items (not the first load, nor a
        # change of year); an empty list before counts too: the first feedback is news.
        shown_before = self.data is not None and self.data.tahun == data.tahun
        self.data = data
        self.year.blockSignals(True)
        self.year.clear()
        for y in data.years:
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(data.tahun)))
        self.year.blockSignals(False)
        before = {r.id for r in self.model.rows}
        self.model.set_rows(data.rows)
        if not data.has_skp:
            self.status.setText(_("There is no SKP for {year} on this device.").format(
                year=data.tahun))
        elif not data.rows:
            self.status.setText(_("No feedback or rating yet. What your supervisor gives "
                                  "arrives here when you sync."))
        else:
            self.status.setText(ngettext("{n} item, newest first.", "{n} items, newest first.",
                                         len(data.rows)).format(n=len(data.rows)))
        if data.returned_note:
            self.note.setText(_("Your SKP was returned with this note: {note}").format(
                note=data.returned_note))
        self.note.setVisible(bool(data.returned_note))
        new = [r for r in data.rows if r.id not in before]
        if shown_before and new:
            # Arrived by sync while the page was open: say so, focus stays.
            self.ctx.announcer.say(ngettext("{n} new item from your supervisor.",
                                            "{n} new items from your supervisor.",
                                            len(new)).format(n=len(new)))
        keep = self.model.row_of(self._selected) if self._selected else -1
        if data.rows:
            index = self.proxy.mapFromSource(self.model.index(max(keep, 0), 0))
            if keep < 0:
                index = self.proxy.index(0, 0)  # the newest
            self.table.setCurrentIndex(index)
            self._show_detail(self.proxy.data(index, ROW_ROLE))
        else:
            self._show_detail(None)

    def _year_changed(self, _index: int) -> None:
        value = self.year.currentData()
        if value is not None and value != self._tahun:
            self._tahun = int(value)
            self._selected = None
            self.load()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.proxy.data(current, ROW_ROLE) if current.isValid() else None)

    def _show_detail(self, row: Any) -> None:
        if isinstance(row, FeedbackRow):
            self._selected = row.id
            self.detail.setPlainText(row.detail())
        else:
            self._selected = None
            self.detail.setPlainText(_("Nothing selected."))
