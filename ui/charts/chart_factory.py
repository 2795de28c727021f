"""QtCharts line and bar charts from prepared `ChartData`, in the theme's chart colours
(each series ≥ 3:1 on the chart background, A-14) and the palette's text colour.

Built on the GUI thread only, from data the DB lane already prepared; nothing here reads.
"""

from __future__ import annotations

import math

from PySide6.QtCharts import (
    QAbstractSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPalette, QPen
from PySide6.QtWidgets import QApplication

from asndesk.dashboard_charts import ChartData
from ui.theme import CHART_BACKGROUND, CHART_SERIES

AXIS_LABEL_MAX = 16  # longer category names are cut on the axis; the table has them whole


def axis_label(text: str) -> str:
    """A category as the axis shows it: an SKM element by its code ("U3"), others cut short."""
    code = text.split(" ", 1)[0]
    if len(code) == 2 and code[0] == "U" and code[1].isdigit():
        return code
    return text if len(text) <= AXIS_LABEL_MAX else text[:AXIS_LABEL_MAX - 1] + "…"


def axis_labels(categories: tuple[str, ...]) -> list[str]:
    """Axis labels: a year every category shares is left off ("Jan", not "Jan 2026": the
    summary and the table say the year), then each label as `axis_label` shortens it."""
    ends = {c.rsplit(" ", 1)[-1] for c in categories}
    shared = len(categories) > 1 and len(ends) == 1 and next(iter(ends)).isdigit() and \
        len(next(iter(ends))) == 4
    return [axis_label(c.rsplit(" ", 1)[0] if shared else c) for c in categories]


def nice_max(values: list[float]) -> float:
    """A round top for the value axis (never below 1), so the tallest bar is not clipped."""
    top = max(values, default=0.0)
    if top <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(top))
    for factor in (1, 2, 2.5, 5, 10):
        if top <= factor * step:
            return float(factor * step)
    return float(10 * step)  # pragma: no cover - the loop always ends by 10


def text_colour() -> QColor:
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Text)


def build_chart(data: ChartData, theme: str) -> QChart:
    """A QChart for a "line" or "bar" `ChartData` (heat maps are drawn by `HeatmapView`)."""
    chart = QChart()
    chart.setTitle(data.title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    colours = CHART_SERIES.get(theme, CHART_SERIES["light"])
    chart.setBackgroundBrush(QBrush(CHART_BACKGROUND.get(theme, CHART_BACKGROUND["light"])))
    text = text_colour()
    chart.setTitleBrush(QBrush(text))
    chart.legend().setLabelColor(text)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    series_list = data.chart_series
    values = [v for s in series_list for v in s.values]
    x_axis = QBarCategoryAxis()
    x_axis.append(axis_labels(data.categories))
    y_axis = QValueAxis()
    top = data.value_max if data.value_max is not None else nice_max(values)
    # Whole-number steps when the top is small (0, 1, 2 — not 0, 0.5 shown as "1", "1"),
    # else five steps of a round top (0, 20 … 100).
    ticks = int(top) + 1 if top <= 10 and top == int(top) else 6
    y_axis.setRange(0, top)
    y_axis.setTickCount(max(2, ticks))
    step = top / (max(2, ticks) - 1)
    y_axis.setLabelFormat("%.0f" if step == int(step) else "%.1f")
    y_axis.setTitleText(data.unit)
    for axis in (x_axis, y_axis):
        axis.setLabelsBrush(QBrush(text))
        axis.setTitleBrush(QBrush(text))
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    made: list[QAbstractSeries] = []
    if data.kind == "line":
        for i, s in enumerate(series_list):
            line = QLineSeries()
            line.setName(s.name)
            # Points sit on the category axis by index; markers show a month with one value.
            line.append([QPointF(x, y) for x, y in enumerate(s.values)])
            line.setPen(QPen(colours[i % len(colours)], 3))
            line.setPointsVisible(True)
            made.append(line)
    else:
        bars = QBarSeries()
        for i, s in enumerate(series_list):
            bar_set = QBarSet(s.name)
            bar_set.append(list(s.values))
            bar_set.setColor(colours[i % len(colours)])
            bar_set.setBorderColor(colours[i % len(colours)])
            bars.append(bar_set)
        made.append(bars)
    for series in made:
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    return chart
