"""Dasbor with real widgets (offscreen): each chart's table rows are the chart's points, every
chart has its one-sentence summary, the keyboard reaches every table, and a supervisor or HR
officer can switch to their team's or unit's data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTabBar

from asndesk.i18n import _
from asndesk.store.ids import uuid7
from tests.conftest import NIP, NIP_B
from tests.ui.a11y_checks import acc_description, check_charts, drawn_series
from tests.ui.conftest import wait_idle
from tests.ui.keyboard import focused, open_page, read, tab_to
from ui.charts.series_table_model import VALUE_ROLE
from ui.pages.dashboard_page import CHARTS

YEAR = date.today().year
UNIT = "kec-sukamaju"


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    yield
    desktop._draft_timer.stop()


def seed_own(ws: Any) -> None:
    ws.add_service_type("KTP", "Perekaman KTP-el", 1)
    ws.add_service_log("KTP", f"{YEAR}-01-05T08:00", selesai=f"{YEAR}-01-05T10:00")
    ws.add_service_log("KTP", f"{YEAR}-01-06T08:00", selesai=f"{YEAR}-01-12T10:00")
    ws.add_log(f"{YEAR}-01-07", "08:00", "11:00", "Rapat koordinasi")
    ws.add_training("Pelatihan SKP", f"{YEAR}-01-02", f"{YEAR}-01-03", "8")


def seed_team(ws: Any) -> None:
    ws.record_roles({
        "nip": NIP, "nama": "Siti Aminah", "unit_id": UNIT, "is_admin": False,
        "subordinates": [{"nip": NIP_B, "nama": "Budi Santoso", "jabatan": None,
                          "unit_id": UNIT, "link_id": uuid7(), "berlaku_mulai": f"{YEAR}-01-01",
                          "berlaku_sampai": None, "atasan_penilai_nip": None}],
        "hr_units": [{"id": UNIT, "nama": "Kecamatan Sukamaju", "members": [
            {"nip": NIP_B, "nama": "Budi Santoso", "jabatan": None}]}]})
    training = {"id": uuid7(), "nama": "Diklat", "tanggal_mulai": f"{YEAR}-01-01",
                "tanggal_selesai": f"{YEAR}-01-03", "jp": "24"}
    rating = {"id": uuid7(), "skp_id": "skp-b", "period_id": f"{YEAR}-TH",
              "rating_hasil_kerja": "Sesuai Ekspektasi", "rating_perilaku": "Sesuai Ekspektasi",
              "predikat": "Baik", "dinilai_pada": f"{YEAR}-01-20T08:00:00+00:00"}
    ws.apply_pull_page(f"team:{NIP_B}", [
        {"server_seq": 1, "entity_kind": "pelatihan", "entity_id": training["id"], "version": 1,
         "data": training, "owner_nip": NIP_B},
        {"server_seq": 2, "entity_kind": "penilaian", "entity_id": rating["id"], "version": 1,
         "data": rating, "owner_nip": NIP_B}], {"epoch": "e", "seq": 2})


def table_column(panel: Any, column: int) -> list[Any]:
    model = panel.table.model()
    return [model.index(r, column).data(VALUE_ROLE) for r in range(model.rowCount())]


@pytest.fixture
def dashboard(qtbot, unlocked):
    read(qtbot, unlocked, seed_own)
    return open_page(qtbot, unlocked, "dasbor")


def test_each_table_holds_the_points_its_chart_draws(qtbot, unlocked, dashboard) -> None:
    assert [dashboard.panels[k].data.kind for k, _kind in CHARTS] == [k for _c, k in CHARTS]
    for key, _kind in CHARTS:
        panel = dashboard.panels[key]
        data = panel.data
        model = panel.table.model()
        assert model.rowCount() == len(data.categories)
        assert [model.index(r, 0).data() for r in range(model.rowCount())] == list(
            data.categories)
        for column, series in enumerate(data.series, start=1):
            assert model.headerData(column, Qt.Orientation.Horizontal) == series.name
            assert table_column(panel, column) == list(series.values)
        # What QtCharts (or the heat map) draws is exactly the chart series of the data.
        assert drawn_series(panel.view) == [(s.name, list(s.values))
                                            for s in data.chart_series]
        assert panel.summary.text() == data.summary != ""
        assert acc_description(panel.view) == data.summary
        assert panel.table.accessibleName() == _("{title}: table").format(title=data.title)
    assert isinstance(dashboard.panels["durasi"].view, QChartView)
    trend = dashboard.panels["durasi"].data
    stored = read(qtbot, unlocked, lambda ws: [r["durasi_hari_kerja"]
                                                for r in ws.service_logs()])
    assert trend.series[0].values == (round(sum(stored) / 2, 1),)
    assert trend.series[1].values == (2.0,)
    jp = dashboard.panels["jp"]
    assert table_column(jp, 1)[0] == 8.0 and sum(table_column(jp, 1)) == 8.0
    heat = dashboard.panels["aktivitas"]
    assert sum(sum(v for v in table_column(heat, c)) for c in range(1, 8)) == 3.0
    # Column 0 reads the whole row to a screen reader, values and all.
    spoken = jp.table.model().index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert jp.data.categories[0] in spoken and "8" in spoken
    assert check_charts(dashboard.window()) == []


def test_keyboard_reaches_every_table_from_the_tab_bar(qtbot, dashboard) -> None:
    tabs = dashboard.tabs
    bar = tabs.findChild(QTabBar)
    tab_to(bar)
    for index, (key, _kind) in enumerate(CHARTS):
        if index:
            QTest.keyClick(bar, Qt.Key.Key_Right)  # arrows change the tab, not Tab
        assert tabs.currentIndex() == index
        panel = dashboard.panels[key]
        tab_to(panel.view)  # the chart first: its name and summary are read
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        assert focused() is panel.table
        QTest.keyClick(panel.table, Qt.Key.Key_Down)  # rows are read with the arrows
        for _n in range(6):  # back up to the tab bar
            if focused() is bar:
                break
            QTest.keyClick(focused(), Qt.Key.Key_Backtab)
        assert focused() is bar


def test_supervisor_switches_to_the_team_and_hr_to_the_unit(qtbot, unlocked) -> None:
    read(qtbot, unlocked, seed_own)
    read(qtbot, unlocked, seed_team)
    page = open_page(qtbot, unlocked, "dasbor")
    combo = page.scope_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["own", "team", f"unit:{UNIT}"]
    assert page.panels["jp"].data.categories[0].endswith(str(YEAR))  # own: per month
    QTest.keyClick(combo, Qt.Key.Key_Down)  # changing the combo reloads, never navigates
    wait_idle(qtbot, unlocked)
    assert page.board is not None and page.board.scope.key == "team"
    assert focused() is combo
    jp = page.panels["jp"]
    assert jp.data.categories == (f"Budi Santoso ({NIP_B})",) and table_column(jp, 1) == [24.0]
    predikat = page.panels["predikat"]
    counts = dict(zip(predikat.data.categories, table_column(predikat, 2), strict=True))
    assert counts["Baik"] == 1 and sum(counts.values()) == 1
    assert page.status.text().startswith(page.board.scope.label)
    assert (page.status.text(), False) in unlocked.announcer.history  # said, focus stays
    QTest.keyClick(combo, Qt.Key.Key_Down)
    wait_idle(qtbot, unlocked)
    assert page.board.scope.key == f"unit:{UNIT}"
    assert check_charts(page.window()) == []


def test_year_combo_shows_an_earlier_year(qtbot, dashboard, unlocked) -> None:
    QApplication.processEvents()
    combo = dashboard.year_combo
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)
    wait_idle(qtbot, unlocked)
    assert dashboard.board.tahun == YEAR - 1
    assert dashboard.panels["durasi"].data.categories == ()
    assert dashboard.panels["durasi"].table.model().rowCount() == 0
    assert str(YEAR - 1) in dashboard.panels["durasi"].summary.text()


def test_charts_take_the_high_contrast_colours_when_the_theme_changes(qtbot, dashboard,
                                                                      unlocked) -> None:
    from ui.theme import CHART_BACKGROUND, CHART_SERIES

    view = dashboard.panels["standar"].view
    assert view.chart().backgroundBrush().color() == CHART_BACKGROUND["light"]
    unlocked.settings.theme = "high_contrast"
    try:
        unlocked.apply_settings()
        QApplication.processEvents()
        chart = view.chart()
        assert chart.backgroundBrush().color() == CHART_BACKGROUND["high_contrast"]
        bars = chart.series()[0].barSets()[0]
        assert bars.color() == CHART_SERIES["high_contrast"][0]
        # Redrawn, the chart still says the same as its table.
        assert check_charts(dashboard.window()) == []
    finally:
        unlocked.settings.theme = "light"
        unlocked.apply_settings()


def test_the_a21_check_finds_a_table_that_disagrees_or_a_missing_summary(dashboard) -> None:
    """The check the accessibility suite runs on every screen can fail: a table whose
    numbers differ from the chart, or a chart without its summary, are reported."""
    from dataclasses import replace

    panel = dashboard.panels["jp"]
    data = panel.data
    wrong = replace(data, series=(replace(data.series[0], values=tuple(
        v + 1 for v in data.series[0].values)),))
    panel.model.set_chart(wrong)  # the table only; the chart still draws `data`
    problems = check_charts(dashboard.window())
    assert any("dasbor.jp.chart" in p and "drawn" in p for p in problems)
    panel.model.set_chart(data)
    panel.summary.setText("")
    assert any("dasbor.jp.chart" in p and "summary" in p for p in check_charts(
        dashboard.window()))
