"""Dasbor: six charts of the year for every role, scoped to what the person may see — their
own data, their team's (supervisor) or a unit's (HR officer), as the last sync left it.

One tab per chart; each tab has the one-sentence summary, the chart and its equivalent table
(accessibility.md A-21). Data is gathered on the DB lane; charts are built here from it.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTabWidget, QWidget

from asndesk.dashboard_usecases import SCOPE_OWN, Dashboard, DashboardScope
from asndesk.errors import UserFacingError
from asndesk.i18n import _
from asndesk.workspace import Workspace
from ui.charts.chart_panel import ChartPanel
from ui.forms import Form
from ui.pages.page import Page
from ui.pages.page_widgets import status_label
from ui.theme import resolve_theme

# key and kind of each chart, in the order of `Workspace.dashboard` (labels: `tab_labels`).
CHARTS: tuple[tuple[str, str], ...] = (
    ("durasi", "line"), ("standar", "bar"), ("predikat", "bar"), ("ikm", "bar"),
    ("aktivitas", "heatmap"), ("jp", "bar"))
YEARS_BACK = 5


def tab_labels() -> dict[str, str]:
    return {"durasi": _("Completion time"), "standar": _("Within standard"),
            "predikat": _("Predikat"), "ikm": _("Satisfaction (SKM)"),
            "aktivitas": _("Log activity"), "jp": _("Training (JP)")}


def dashboard_of(ws: Workspace, scope: str, tahun: int
                 ) -> tuple[list[DashboardScope], Dashboard]:
    """The scopes this person may choose and the chosen one's charts (own data if the
    chosen scope is no longer held, e.g. after a sync dropped a team member's partition)."""
    scopes = ws.dashboard_scopes()
    if scope not in {s.key for s in scopes}:
        scope = SCOPE_OWN
    return scopes, ws.dashboard(scope, tahun)


class DashboardPage(Page):
    page_id = "dasbor"
    kinds: ClassVar[frozenset[str]] = frozenset({
        "service_log", "service_type", "log_harian", "pelatihan", "skm_response", "penilaian",
        "replica_service_log", "replica_service_type", "replica_log_harian",
        "replica_pelatihan", "replica_skm_response", "replica_penilaian"})

    def title(self) -> str:
        return _("Dashboard")

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        self.scope = SCOPE_OWN
        self.tahun = date.today().year
        self.board: Dashboard | None = None
        self._filling = False
        self._announce = False  # say the new view once it has loaded (a combo was changed)
        self.filters = Form("dasbor.filter")
        self.scope_combo: QComboBox = self.filters.add_combo(
            "scope", _("Whose data"), [(_("My own data"), SCOPE_OWN)],
            description=_("Your own data, your team's or a unit's you manage, as last synced"))
        this_year = date.today().year
        self.year_combo: QComboBox = self.filters.add_combo(
            "tahun", _("Year"), [(str(y), y) for y in range(this_year, this_year - YEARS_BACK,
                                                             -1)])
        self.scope_combo.currentIndexChanged.connect(self._scope_chosen)
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        self.root.addWidget(self.filters)
        self.status = status_label("dasbor.status")
        self.root.addWidget(self.status)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dasbor.tabs")
        self.tabs.setAccessibleName(_("Charts"))
        # The tab bar takes the focus (arrows change the tab); the frame itself is no stop.
        # (QTabWidget hands its policy on to the tab bar, so the bar's is set again after.)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        labels = tab_labels()
        self.panels: dict[str, ChartPanel] = {}
        for key, kind in CHARTS:
            panel = ChartPanel(f"dasbor.{key}", kind, self._theme)
            self.panels[key] = panel
            self.tabs.addTab(panel, labels[key])
        self.root.addWidget(self.tabs)

    def _theme(self) -> str:
        return resolve_theme(self.ctx.settings.theme)

    def first_focus(self) -> QWidget | None:
        return self.scope_combo

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        scope, tahun = self.scope, self.tahun
        self.status.setText(_("Loading the charts…"))
        self.ctx.read(lambda ws: dashboard_of(ws, scope, tahun), self._show, self._failed)

    def _show(self, found: tuple[list[DashboardScope], Dashboard]) -> None:
        scopes, board = found
        if board.tahun != self.tahun or (board.scope.key != self.scope
                                         and self.scope in {s.key for s in scopes}):
            return  # another view was chosen meanwhile; its answer is on the way
        self.board = board
        self.scope = board.scope.key
        self._fill_scopes(scopes)
        for chart in board.charts:
            self.panels[chart.key].set_chart(chart)
        self.status.setText(_("{scope}, {year}: six charts, each with a table below it.")
                            .format(scope=board.scope.label, year=board.tahun))
        if self._announce:
            self._announce = False
            self.ctx.announcer.say(self.status.text())  # polite; focus stays on the combo

    def _failed(self, err: UserFacingError) -> None:
        self.status.setText(err.message())
        self.ctx.announcer.say(err.message(), assertive=True)

    def _fill_scopes(self, scopes: list[DashboardScope]) -> None:
        """Offer the scopes held now, keeping the chosen one (no reload while filling)."""
        self._filling = True
        try:
            self.scope_combo.clear()
            for s in scopes:
                self.scope_combo.addItem(s.label, s.key)
            self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(self.scope)))
        finally:
            self._filling = False

    # -- choosing ------------------------------------------------------------------------
    def _scope_chosen(self, _index: int) -> None:
        key = self.scope_combo.currentData()
        if self._filling or key is None or key == self.scope:
            return
        self.scope = str(key)
        self._announce = True
        self.load()

    def _year_chosen(self, _index: int) -> None:
        tahun = self.year_combo.currentData()
        if tahun is None or tahun == self.tahun:
            return
        self.tahun = int(tahun)
        self._announce = True
        self.load()

    def show_view(self, scope: str, tahun: int) -> None:
        """Choose a scope and year, as a person would with the two combos."""
        index = self.year_combo.findData(tahun)
        if index < 0:
            self.year_combo.addItem(str(tahun), tahun)
            index = self.year_combo.count() - 1
        self.tahun = tahun
        self.year_combo.setCurrentIndex(index)
        self.scope = scope
        self.load()
