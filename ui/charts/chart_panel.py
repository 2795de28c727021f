"""One chart with its equivalents (A-21): a one-sentence summary (a live QLabel, also the
chart's accessible description), the chart, any guidance notes, and a table of the same data
that Tab reaches right after the chart.

Object names: `<name>.summary`, `<name>.chart`, `<name>.notes`, `<name>.table`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHeaderView, QVBoxLayout, QWidget

from asndesk.dashboard_charts import ChartData
from asndesk.i18n import _
from ui.charts.chart_factory import build_chart
from ui.charts.heatmap_view import HeatmapView
from ui.charts.series_table_model import SeriesTableModel
from ui.pages.page_widgets import heading, make_table, status_label

CHART_HEIGHT = 300


class ChartPanel(QWidget):
    """Built empty; `set_chart` fills chart, table and summary from one `ChartData`."""

    def __init__(self, name: str, kind: str, theme: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._theme = theme
        self.data: ChartData | None = None
        column = QVBoxLayout(self)
        self.summary = status_label(f"{name}.summary")
        column.addWidget(self.summary)
        self.view: QChartView | HeatmapView
        if kind == "heatmap":
            self.view = HeatmapView()
        else:
            self.view = QChartView()
            self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.setObjectName(f"{name}.chart")
        column.addWidget(self.view)
        self.notes = status_label(f"{name}.notes")
        self.notes.setVisible(False)
        column.addWidget(self.notes)
        self.table_heading = heading(_("Table"), f"{name}.table.heading")
        column.addWidget(self.table_heading)
        self.model = SeriesTableModel(self)
        # No sorting proxy: the rows stay in the chart's order (months, weeks, predikat).
        self.table = make_table(f"{name}.table", _("Table"), self.model)
        # Every column as wide as its header and values (long series names stay readable);
        # the last one takes what is left.
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        column.addWidget(self.table)
        self.setTabOrder(self.view, self.table)

    def set_chart(self, data: ChartData) -> None:
        self.data = data
        self.summary.setText(data.summary)
        self.view.setAccessibleName(data.title)
        self.view.setAccessibleDescription(data.summary)
        if isinstance(self.view, QChartView):
            # Its viewport (which hands focus to the view) is focusable too: AT-SPI lists it
            # as its own "filler", so it carries the same name and summary.
            self.view.viewport().setAccessibleName(data.title)
            self.view.viewport().setAccessibleDescription(data.summary)
        self.notes.setText("\n".join(data.notes))
        self.notes.setVisible(bool(data.notes))
        self.table_heading.setText("<h3>{}</h3>".format(
            _("{title}: table").format(title=data.title)))
        self.table.setAccessibleName(_("{title}: table").format(title=data.title))
        self.table.setAccessibleDescription(data.summary)
        self.model.set_chart(data)
        self._draw()

    def _draw(self) -> None:
        if self.data is None:
            return
        if isinstance(self.view, HeatmapView):
            self.view.set_chart(self.data, self._theme())
            return
        old = self.view.chart()
        self.view.setChart(build_chart(self.data, self._theme()))
        if old is not None:
            old.deleteLater()  # setChart leaves the previous chart to its caller

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # A theme change (Settings) repaints with the new palette: redraw in its colours.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._draw()

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
