"""Charts drawn with reportlab graphics in the embedded font: the distribution pattern
(pola distribusi) for an organisation predicate and the service volume chart.

Every chart is paired with a table or text in its document, so nothing is only visual.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from asndesk.domain.formatting import format_angka
from asndesk.domain.ratings import (
    POLA_DISTRIBUSI,
    URUTAN_PREDIKAT,
    CapaianOrganisasi,
    Predikat,
)
from asndesk.reports.layout import FONT, FONT_BOLD

_GARIS = colors.HexColor("#1f4e79")
_SOROT = colors.HexColor("#c00000")
_BATANG_2 = colors.HexColor("#9dc3e6")


def _label_sumbu(axis: object, size: float = 6.5) -> None:
    labels = getattr(axis, "labels")  # noqa: B009 (reportlab's typed-less attribute bag)
    labels.fontName = FONT
    labels.fontSize = size


def kurva_distribusi(capaian: CapaianOrganisasi, predikat: Predikat | None, lebar: float,
                     nama_predikat: Mapping[Predikat, str] | None = None) -> Drawing:
    """The distribution curve for `capaian`; the employee's predikat is marked in red."""
    tinggi = 120.0
    drawing = Drawing(lebar, tinggi)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, int(lebar - 50), int(tinggi - 45)
    chart.data = [POLA_DISTRIBUSI[capaian]]
    chart.categoryAxis.categoryNames = [
        (nama_predikat or {}).get(pr, pr.value) for pr in URUTAN_PREDIKAT]
    _label_sumbu(chart.categoryAxis)
    _label_sumbu(chart.valueAxis)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 70
    chart.valueAxis.visibleLabels = False
    chart.lines[0].strokeColor = _GARIS
    chart.lines[0].strokeWidth = 1.5
    drawing.add(chart)
    if predikat is not None:
        i = URUTAN_PREDIKAT.index(predikat)
        step = chart.width / len(URUTAN_PREDIKAT)
        x = chart.x + step * (i + 0.5)
        y = chart.y + chart.height * POLA_DISTRIBUSI[capaian][i] / 70
        drawing.add(String(x, y + 5, "▼", fontName=FONT_BOLD, fontSize=9,
                           fillColor=_SOROT, textAnchor="middle"))
    drawing.add(String(lebar / 2, tinggi - 8, capaian.value.upper(), fontName=FONT_BOLD,
                       fontSize=7.5, textAnchor="middle"))
    return drawing


def grafik_batang(kategori: Sequence[str], seri: Sequence[tuple[str, Sequence[float]]],
                  lebar: float, locale: str, *, tinggi: float = 150.0,
                  skala_maks: float | None = None) -> Drawing:
    """Grouped vertical bars (one group per category) with a legend; axis starts at 0
    (and ends at `skala_maks` when given, e.g. 4 for NRR).

    The value axis steps by whole numbers, labelled in the document's number format."""
    drawing = Drawing(lebar, tinggi)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 35, 30, int(lebar - 150), int(tinggi - 45)
    chart.data = [list(values) for _, values in seri]
    chart.categoryAxis.categoryNames = list(kategori)
    _label_sumbu(chart.categoryAxis)
    _label_sumbu(chart.valueAxis)
    # Without a floor at 0 reportlab starts the axis at the smallest bar, hiding it.
    chart.valueAxis.valueMin = 0
    top = max((v for _, values in seri for v in values), default=0)
    chart.valueAxis.valueStep = max(1, math.ceil(top / 6))
    chart.valueAxis.labelTextFormat = lambda v: format_angka(v, 0, locale)
    if skala_maks is not None:
        chart.valueAxis.valueMax = skala_maks
    warna = (_GARIS, _BATANG_2, _SOROT)
    for i in range(len(seri)):
        chart.bars[i].fillColor = warna[i % len(warna)]
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = int(lebar - 105), int(tinggi - 20)
    legend.fontName = FONT
    legend.fontSize = 6.5
    legend.colorNamePairs = [(warna[i % len(warna)], name) for i, (name, _) in enumerate(seri)]
    drawing.add(legend)
    return drawing
