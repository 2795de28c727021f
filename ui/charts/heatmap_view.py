"""The log-activity calendar as a heat map: one column per week, one row per weekday, darker
for more hours. QtCharts has no heat map, so it is painted here; like every chart it is only a
picture — its table and summary (in `ChartPanel`) carry the same data in words.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from asndesk.dashboard_charts import ChartData, Series
from ui.theme import CHART_BACKGROUND, CHART_SERIES

LABEL_WIDTH = 48
MIN_CELL = 8


def _mix(low: QColor, high: QColor, share: float) -> QColor:
    share = max(0.0, min(1.0, share))
    return QColor(round(low.red() + (high.red() - low.red()) * share),
                  round(low.green() + (high.green() - low.green()) * share),
                  round(low.blue() + (high.blue() - low.blue()) * share))


class HeatmapView(QWidget):
    """Paints `ChartData` of kind "heatmap": categories across, series down."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: ChartData | None = None
        self._theme = "light"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # focus reads its name and summary

    def set_chart(self, data: ChartData, theme: str) -> None:
        self._data, self._theme = data, theme
        self.updateGeometry()
        self.update()

    def series(self) -> tuple[Series, ...]:
        """What the picture shows (for the table check): one series per row."""
        return self._data.chart_series if self._data is not None else ()

    def categories(self) -> tuple[str, ...]:
        return self._data.categories if self._data is not None else ()

    def sizeHint(self) -> QSize:
        rows = max(1, len(self.series()))
        line = self.fontMetrics().height()
        return QSize(LABEL_WIDTH + 53 * (MIN_CELL + 6), line * 2 + rows * max(line, 18) + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + 53 * MIN_CELL, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        background = CHART_BACKGROUND.get(self._theme, CHART_BACKGROUND["light"])
        painter.fillRect(self.rect(), background)
        series = self.series()
        columns = len(self.categories())
        if not series or not columns:
            painter.end()
            return
        text = palette.color(QPalette.ColorRole.Text)
        line = self.fontMetrics().height()
        top = line + 4
        cell_w = max(1.0, (self.width() - LABEL_WIDTH - 4) / columns)
        cell_h = max(4.0, (self.height() - top - line - 8) / len(series))
        high = CHART_SERIES.get(self._theme, CHART_SERIES["light"])[0]
        peak = max((v for s in series for v in s.values), default=0.0) or 1.0
        grid = QPen(palette.color(QPalette.ColorRole.Mid))
        painter.setPen(text)
        if self._data is not None:
            painter.drawText(QRectF(0, 0, self.width(), line), self._data.title)
        for r, s in enumerate(series):
            y = top + r * cell_h
            painter.setPen(text)
            painter.drawText(QRectF(0, y, LABEL_WIDTH - 4, cell_h),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             s.name[:3])
            for c, value in enumerate(s.values):
                cell = QRectF(LABEL_WIDTH + c * cell_w, y, cell_w, cell_h)
                painter.fillRect(cell.adjusted(1, 1, -1, -1),
                                 _mix(background, high, value / peak) if value else background)
                painter.setPen(grid)
                painter.drawRect(cell.adjusted(1, 1, -1, -1))
        painter.setPen(text)
        # Month starts along the bottom: the first week whose label names a new month.
        labels = self.categories()
        year = labels[-1].split()[-1] if labels else ""
        last_month = ""
        for c, label in enumerate(labels):
            parts = label.split()
            # A first week that starts in December of the year before gets no month label.
            month = parts[-2] if len(parts) >= 2 and parts[-1] == year else ""
            if month and month != last_month and c * cell_w + LABEL_WIDTH + 30 < self.width():
                painter.drawText(QRectF(LABEL_WIDTH + c * cell_w, top + len(series) * cell_h + 2,
                                        60, line), month)
            last_month = month
        painter.end()
