"""The Log Harian week: one week's entries, hours per day and the week total against the
37 h 30 min working week; previous/next week and a jump to any date's week.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from asndesk.domain.formatting import format_rentang_tanggal
from asndesk.i18n import _
from asndesk.workspace import Workspace
from ui.context import AppContext
from ui.forms import DATE_FORMAT, plain
from ui.models.log_table_model import (
    DayTotalsModel,
    LogRow,
    LogTableModel,
    day_totals,
    week_start,
    week_total_text,
)
from ui.pages.page_widgets import button, heading, make_table, status_label, tab_leaves
from ui.qt_dates import to_date

WEEK_PAGE = 500  # the week is read in pages of this size (a week rarely has more than one)


def week_logs(ws: Workspace, monday: date) -> list[dict[str, Any]]:
    """Every entry from `monday` to its Sunday (read a page at a time)."""
    dari, sampai = monday.isoformat(), (monday + timedelta(days=6)).isoformat()
    found: list[dict[str, Any]] = []
    while True:
        page = ws.logs(dari=dari, sampai=sampai, limit=WEEK_PAGE, offset=len(found))
        found.extend(page)
        if len(page) < WEEK_PAGE:
            return found


class LogWeekPanel(QWidget):
    """`edit_requested`/`delete_requested` carry the table whose chosen row is meant."""

    edit_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("log.week")
        self.monday = week_start(date.today())
        self.total_menit = 0
        self._announce = False
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addWidget(heading(_("Week"), "log.week.heading"))
        self.range_label = status_label("log.week.range")
        root.addWidget(self.range_label)
        nav = QHBoxLayout()
        nav.addWidget(button(_("Previous week"), "log.week.previous",
                             lambda: self.show_week(self.monday - timedelta(days=7))))
        nav.addWidget(button(_("This week"), "log.week.current",
                             lambda: self.show_week(date.today())))
        nav.addWidget(button(_("Next week"), "log.week.next",
                             lambda: self.show_week(self.monday + timedelta(days=7))))
        nav.addStretch(1)
        root.addLayout(nav)
        # The date jump sits on its own row so the row still fits at 200 % text.
        nav = QHBoxLayout()
        jump_label = QLabel(_("Week of the date"))
        jump_label.setWordWrap(True)
        self.jump = QDateEdit(QDate.currentDate())
        self.jump.setObjectName("log.week.jump")
        self.jump.setDisplayFormat(DATE_FORMAT)
        self.jump.setCalendarPopup(True)
        self.jump.setAccessibleName(plain(jump_label.text()))
        self.jump.setAccessibleDescription(_("Date as day/month/year"))
        tab_leaves(self.jump)
        jump_label.setBuddy(self.jump)
        nav.addWidget(jump_label)
        nav.addWidget(self.jump)
        # Changing the date does not move the week by itself; this button does.
        nav.addWidget(button(_("Show that week"), "log.week.go",
                             lambda: self.show_week(to_date(self.jump.date()))))
        nav.addStretch(1)
        root.addLayout(nav)
        self.total_label = status_label("log.week.total")
        root.addWidget(self.total_label)
        self.days_model = DayTotalsModel(parent=self)
        self.days_view = make_table("log.week.days", _("Hours per day"), self.days_model)
        self.days_view.setMinimumHeight(150)
        self.days_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        root.addWidget(self.days_view)
        self.model = LogTableModel(parent=self)
        # Chronological to start with; the headers sort by any other column.
        self.view = make_table("log.week.table", _("Entries of the week"), self.model,
                               sort_column=LogTableModel.TANGGAL)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.view.activated.connect(lambda _i: self.edit_requested.emit(self.view))
        root.addWidget(self.view)
        row = QHBoxLayout()
        row.addWidget(button(_("Edit the chosen entry"), "log.week.edit",
                             lambda: self.edit_requested.emit(self.view)))
        row.addWidget(button(_("Delete the chosen entry…"), "log.week.delete",
                             lambda: self.delete_requested.emit(self.view)))
        row.addStretch(1)
        root.addLayout(row)

    def load(self) -> None:
        monday = self.monday
        self.range_label.setText(_("Week of {range}").format(
            range=format_rentang_tanggal(monday, monday + timedelta(days=6))))
        self.ctx.read(lambda ws: week_logs(ws, monday),
                      lambda found: self._show(monday, found))

    def _show(self, monday: date, found: list[dict[str, Any]]) -> None:
        if monday != self.monday:
            return  # the person moved on to another week meanwhile
        logs = sorted((LogRow.from_dict(r) for r in found),
                      key=lambda r: (r.tanggal, r.jam_mulai, r.jam_selesai))
        self.model.set_rows(logs)
        self.days_model.set_rows(day_totals(monday, logs))
        self.total_menit = sum(r.durasi_menit for r in logs)
        self.total_label.setText(week_total_text(self.total_menit))
        if self._announce:
            self._announce = False
            self.ctx.announcer.say(f"{self.range_label.text()}. {self.total_label.text()}")

    def show_week(self, day: date) -> None:
        """Show the week that contains `day` and say its total (focus stays where it is)."""
        self.monday = week_start(day)
        self._announce = True
        self.load()
