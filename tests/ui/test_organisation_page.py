"""Organisasi page: an HR officer changes the office's periods, service types and a unit's
capaian through the real widgets against a real server on 127.0.0.1 and sees them after the
sync; offline the sections say they need the server and keep the typing; the distribution
view agrees with `distribution_warnings`; every tab passes the accessibility checks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from asndesk.domain.ratings import Predikat, distribution_warnings
from asndesk.i18n import _, ngettext
from sync import reference_admin as ra
from sync.client import SyncError
from sync.server.schema import hr_assignment, org_unit
from tests.conftest import NIP
from tests.core.test_org_usecases import UNIT, A, B, S, members, seed_unit
from tests.ui import a11y_checks
from tests.ui.sync_helpers import (
    SYNC_TIMEOUT_MS,
    add_person,
    log_in_through_settings,
    read,
    record_outcomes,
    wait_idle,
    write,
)
from ui.models.period_table_model import name_of_id
from ui.pages.org_online import needs_server_text
from ui.pages.organisation_page import OrganisationPage

YEAR = date.today().year


def open_page(qtbot: Any, desktop: Any) -> OrganisationPage:
    """The page in a window of its own (the main window shows it only to HR and admins)."""
    page = OrganisationPage(desktop.ctx)
    host = QScrollArea()
    host.setObjectName("test.organisasi")
    host.setWindowTitle("asndesk — Organisasi (test)")
    host.setWidgetResizable(True)
    host.setWidget(page)
    host.resize(1280, 800)
    host.show()
    page.host = host  # type: ignore[attr-defined]  # Python owns the window: keep it alive
    qtbot.waitExposed(host)
    wait_idle(qtbot, desktop)
    return page


def _until_synced(qtbot: Any, desktop: Any, outcomes: Any, seen: int, check: Any) -> Any:
    """Wait for syncs (the page asked for one) until `check(ws)` holds on the device."""
    for _attempt in range(3):
        outcomes.wait_next(qtbot, seen)
        seen = len(outcomes.seen)
        found = read(qtbot, desktop, check)
        if found:
            return found
    raise AssertionError("the change did not reach the device by sync")


@pytest.fixture
def hr_server(sqlite_server: Any) -> Any:
    with sqlite_server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id=UNIT, nama="Kecamatan Sukamaju"))
    siti = add_person(sqlite_server, NIP, "Siti Aminah", unit_id=UNIT)
    with sqlite_server.engine.begin() as conn:
        conn.execute(hr_assignment.insert().values(person_id=siti, unit_id=UNIT))
    return sqlite_server


def test_hr_adds_a_period_a_service_type_and_a_capaian_and_sees_them_after_sync(
        unlocked: Any, qtbot: Any, hr_server: Any) -> None:
    outcomes = record_outcomes(unlocked)
    log_in_through_settings(qtbot, unlocked, hr_server.url)
    outcomes.wait_next(qtbot, 0)
    page = open_page(qtbot, unlocked)
    periods = page.periods
    assert periods.info.text() == _("The office server has no periods for {year} yet."
                                    ).format(year=YEAR)

    periods.add_button.click()
    dialog = periods.dialog
    qtbot.waitExposed(dialog)
    dialog.jenis.setCurrentIndex(dialog.jenis.findData("triwulan"))
    dialog.nomor.setCurrentIndex(dialog.nomor.findData(2))
    assert dialog.values()["mulai"] == f"{YEAR}-04-01"  # the quarter's own dates, suggested
    assert dialog.values()["selesai"] == f"{YEAR}-06-30"
    seen = len(outcomes.seen)
    dialog.submit.click()
    qtbot.waitUntil(lambda: periods.dialog is None, timeout=SYNC_TIMEOUT_MS)
    ids = _until_synced(qtbot, unlocked, outcomes, seen, lambda ws: {
        p["id"]: p["sumber"] for p in ws.periods(YEAR) if p["id"] == f"{YEAR}-TW2"})
    assert ids == {f"{YEAR}-TW2": "server"}
    wait_idle(qtbot, unlocked)
    assert periods.model.row_of(f"{YEAR}-TW2") >= 0
    assert (_("Saved"), False) in unlocked.announcer.history

    # The same period again: the server refuses; the error is on "Number", typing kept.
    periods.add_button.click()
    again = periods.dialog
    qtbot.waitExposed(again)
    again.jenis.setCurrentIndex(again.jenis.findData("triwulan"))
    again.nomor.setCurrentIndex(again.nomor.findData(2))
    again.submit.click()
    error = again.form.fields["nomor"].error
    qtbot.waitUntil(error.isVisible, timeout=SYNC_TIMEOUT_MS)
    assert error.text() == _("This already exists on the server.")
    assert again.nomor.accessibleDescription() == error.text()
    assert again.isVisible() and again.nomor.currentData() == 2
    again.cancel.click()
    qtbot.waitUntil(lambda: periods.dialog is None)

    types = page.service_types
    page.tabs.setCurrentWidget(types)
    types.add_button.click()
    add_type = types.dialog
    qtbot.waitExposed(add_type)
    add_type.kode.setText("KTP")
    add_type.nama.setText("Perekaman KTP-el")
    add_type.standar.setValue(3)
    seen = len(outcomes.seen)
    add_type.submit.click()
    qtbot.waitUntil(lambda: types.dialog is None, timeout=SYNC_TIMEOUT_MS)
    synced = _until_synced(qtbot, unlocked, outcomes, seen, lambda ws: [
        (t["kode"], t["standar_hari_kerja"], t["sumber"]) for t in ws.service_types()])
    assert synced == [("KTP", 3, "server")]
    wait_idle(qtbot, unlocked)
    assert [r.kode for r in types.model.rows] == ["KTP"]

    capaian = page.capaian
    page.tabs.setCurrentWidget(capaian)
    qtbot.waitUntil(lambda: capaian.unit.currentData() == UNIT)
    capaian.capaian.setCurrentIndex(capaian.capaian.findData("Istimewa"))
    seen = len(outcomes.seen)
    capaian.save_button.click()
    got = _until_synced(qtbot, unlocked, outcomes, seen,
                        lambda ws: ws.capaian_organisasi(YEAR, UNIT))
    assert got == "Istimewa"
    wait_idle(qtbot, unlocked)
    assert capaian.capaian.currentData() == "Istimewa" and capaian.just_set == {}


def test_without_the_server_sections_say_so_and_dialogs_keep_the_typing(unlocked: Any,
                                                                        qtbot: Any) -> None:
    page = open_page(qtbot, unlocked)
    text = needs_server_text(SyncError("not_connected"))
    for panel in (page.periods, page.service_types, page.holidays):
        assert panel.status.text() == text
    page.tabs.setCurrentWidget(page.service_types)
    assert page.service_types.status.isVisible()
    page.service_types.add_button.click()
    dialog = page.service_types.dialog
    qtbot.waitExposed(dialog)
    dialog.kode.setText("KTP")
    dialog.nama.setText("Perekaman KTP-el")
    dialog.submit.click()
    qtbot.waitUntil(dialog.message.isVisible)
    assert dialog.message.text() == text and (text, True) in unlocked.announcer.history
    assert (dialog.kode.text(), dialog.nama.text(), dialog.isVisible()) == (
        "KTP", "Perekaman KTP-el", True)
    # A mistake is named on its field before anything is sent.
    dialog.nama.clear()
    dialog.submit.click()
    qtbot.waitUntil(dialog.form.fields["nama"].error.isVisible)
    dialog.cancel.click()


def _seed(qtbot: Any, desktop: Any) -> None:
    def fn(ws: Any) -> None:
        seed_unit(ws, members(4), [
            (0, f"{YEAR}-TH", A, A, f"{YEAR}-12-20T08:00:00Z"),
            (1, f"{YEAR}-TH", A, A, f"{YEAR}-12-20T08:00:00Z"),
            (2, f"{YEAR}-TH", S, S, f"{YEAR}-12-20T08:00:00Z"),
            (3, f"{YEAR}-TW1", B, S, f"{YEAR}-04-03T08:00:00Z")], {str(YEAR): "Butuh Perbaikan"})
    write(qtbot, desktop, fn)


def test_the_distribution_view_agrees_with_distribution_warnings(unlocked: Any,
                                                                 qtbot: Any) -> None:
    _seed(qtbot, unlocked)
    page = open_page(qtbot, unlocked)
    panel = page.capaian
    page.tabs.setCurrentWidget(panel)
    assert (panel.unit.currentData(), panel.capaian.currentData()) == (UNIT, "Butuh Perbaikan")
    assert panel.period.currentData() == f"{YEAR}-TH"
    counts = {Predikat.SANGAT_BAIK: 2, Predikat.BAIK: 1}
    expected = distribution_warnings("Butuh Perbaikan", counts)
    assert expected  # 0 % Butuh Perbaikan and 67 % Sangat Baik both depart
    shown = {r.predikat: (r.count, r.departs) for r in panel.model.rows}
    named = {w.params["predikat"] for w in expected}
    assert shown == {p: (counts.get(p, 0), p.value in named) for p in Predikat}
    assert panel.warnings.text().splitlines() == [f"• {w.message()}" for w in expected]
    assert panel.summary.text() == " ".join((
        ngettext("{unit}, {period}: {rated} of {n} employee rated.",
                 "{unit}, {period}: {rated} of {n} employees rated.", 4).format(
            unit="Kecamatan Sukamaju", period=name_of_id(f"{YEAR}-TH"), rated=3, n=4),
        ngettext("Against capaian kinerja organisasi {capaian}: {n} warning.",
                 "Against capaian kinerja organisasi {capaian}: {n} warnings.", 2).format(
            capaian="Butuh Perbaikan", n=2)))
    assert name_of_id(f"{YEAR}-TH") != f"{YEAR}-TH"  # the period in words

    # Another period: its one Butuh Perbaikan meets that guidance.
    panel.period.setCurrentIndex(panel.period.findData(f"{YEAR}-TW1"))
    wait_idle(qtbot, unlocked)
    assert distribution_warnings("Butuh Perbaikan", {Predikat.BUTUH_PERBAIKAN: 1}) == []
    assert panel.warnings.text() == _("The distribution is within the guidance.")
    assert not any(r.departs for r in panel.model.rows)


@pytest.mark.parametrize("scale", [100, 200])
def test_every_tab_passes_the_accessibility_checks(unlocked: Any, qtbot: Any,
                                                   scale: int) -> None:
    from ui.theme import apply_theme

    _seed(qtbot, unlocked)
    page = open_page(qtbot, unlocked)
    host = page.window()
    apply_theme(QApplication.instance(), "light", scale)
    try:
        problems: list[str] = []
        for index in range(page.tabs.count()):
            page.tabs.setCurrentIndex(index)
            for _pass in range(3):
                QApplication.processEvents()
            label = page.tabs.tabText(index)
            checks = (*a11y_checks.ALL_CHECKS, a11y_checks.check_clipping)
            for check in checks:
                problems += [f"[{label} @ {scale} %] {p}" for p in check(host)]
        assert not problems, "\n".join(problems)
    finally:
        apply_theme(QApplication.instance(), "light", 100)


def test_tab_reaches_every_control_of_every_tab(unlocked: Any, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    _seed(qtbot, unlocked)
    page = open_page(qtbot, unlocked)
    host = page.window()
    host.activateWindow()
    problems = []
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        targets = [w for w in a11y_checks.focusables(host)
                   if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        page.tahun.setFocus()
        QApplication.processEvents()
        visited = [QApplication.focusWidget(), *a11y_checks.tab_cycle(host, qtbot)]
        missed = [a11y_checks._who(w) for w in targets if w not in visited]
        if missed:
            problems.append(f"[{page.tabs.tabText(index)}] Tab never reaches: {missed} (A-07)")
    assert not problems, "\n".join(problems)


def test_hr_generates_closes_and_manages_holidays_through_the_page(
        unlocked: Any, qtbot: Any, hr_server: Any, tmp_path: Any) -> None:
    from asndesk.paths import resource_path

    outcomes = record_outcomes(unlocked)
    log_in_through_settings(qtbot, unlocked, hr_server.url)
    outcomes.wait_next(qtbot, 0)
    page = open_page(qtbot, unlocked)
    page.tahun.setValue(2026)  # the year a calendar ships for
    page.load()
    wait_idle(qtbot, unlocked)
    periods = page.periods
    periods.pola.setCurrentIndex(periods.pola.findData("semesteran"))
    periods.generate_button.click()
    qtbot.waitUntil(lambda: periods.model.row_of("2026-S2") >= 0, timeout=SYNC_TIMEOUT_MS)
    assert [r.id for r in periods.model.rows] == ["2026-S1", "2026-S2", "2026-TH"]
    wait_idle(qtbot, unlocked)
    periods.table.setCurrentIndex(periods.table.model().index(0, 0))
    periods.close_button.click()
    qtbot.waitUntil(lambda: periods.model.rows[0].closed, timeout=SYNC_TIMEOUT_MS)
    # Another pattern for the same year: refused on the pattern field, in words.
    periods.pola.setCurrentIndex(periods.pola.findData("bulanan"))
    periods.generate_button.click()
    error = periods.generate_form.fields["pola"].error
    qtbot.waitUntil(error.isVisible, timeout=SYNC_TIMEOUT_MS)
    assert error.text() == _(ra._REFUSALS["other_pattern"][0])

    holidays = page.holidays
    page.tabs.setCurrentWidget(holidays)
    assert holidays.info.text() == _(
        "The office server has no holidays for {year}: devices use the calendar shipped "
        "with asndesk.").format(year=2026)
    holidays.add_button.click()
    dialog = holidays.dialog
    qtbot.waitExposed(dialog)
    dialog.form.set_values({"tanggal": "2026-11-23", "nama": "Cuti bersama daerah",
                            "jenis": "cuti_bersama"})
    dialog.submit.click()
    qtbot.waitUntil(lambda: holidays.model.row_of("2026-11-23") >= 0, timeout=SYNC_TIMEOUT_MS)
    assert holidays.dialog is None

    # Replace the year from the shipped file: reviewed first; Cancel is the default.
    holidays.shipped_button.click()
    assert holidays.berkas.text() == str(resource_path("calendars", "libur-2026.json"))
    holidays.import_button.click()
    qtbot.waitUntil(lambda: holidays.confirm_box is not None, timeout=SYNC_TIMEOUT_MS)
    box = holidays.confirm_box
    assert box.defaultButton().objectName() == "dialog.org_holiday_import.cancel"
    box.findChild(type(box.defaultButton()), "dialog.org_holiday_import.replace").click()
    qtbot.waitUntil(holidays.import_message.isVisible, timeout=SYNC_TIMEOUT_MS)
    wait_idle(qtbot, unlocked)
    assert holidays.model.row_of("2026-11-23") < 0  # not in the file: removed
    shipped = len(__import__("json").loads(
        resource_path("calendars", "libur-2026.json").read_text(encoding="utf-8"))["hari"])
    assert len(holidays.model.rows) == shipped
    assert str(shipped) in holidays.import_message.text()

    # Remove one day, asked first.
    first = holidays.model.rows[0]
    holidays.table.setCurrentIndex(holidays.table.model().index(0, 0))
    holidays.remove_button.click()
    box = holidays.confirm_box
    box.findChild(type(box.defaultButton()), "dialog.org_holiday_remove.delete").click()
    qtbot.waitUntil(lambda: len(holidays.model.rows) == shipped - 1, timeout=SYNC_TIMEOUT_MS)
    assert holidays.model.row_of(first.id) < 0
    def removed_here(ws: Any) -> list[str]:
        days = [h.tanggal.isoformat() for h in ws.calendar().holidays_between(
            date(2026, 1, 1), date(2026, 12, 31))]
        return [] if first.id in days else days
    days = _until_synced(qtbot, unlocked, outcomes, len(outcomes.seen) - 1, removed_here)
    assert len(days) == shipped - 1  # the device counts working days with the office's year

    # A file of another year is refused before anything is sent, on the file field.
    other = tmp_path / "libur-2027.json"
    other.write_bytes(resource_path("calendars", "libur-2027.json").read_bytes())
    holidays.berkas.setText(str(other))
    holidays.import_button.click()
    qtbot.waitUntil(holidays.import_message.isVisible, timeout=SYNC_TIMEOUT_MS)
    assert "2027" in holidays.import_message.text() and holidays.confirm_box is None


def test_typing_in_an_open_add_dialog_survives_a_window_rebuild(unlocked: Any,
                                                                qtbot: Any) -> None:
    unlocked.set_roles(frozenset({"hr"}))
    wait_idle(qtbot, unlocked)
    page = unlocked.window.open_page("organisasi")
    wait_idle(qtbot, unlocked)
    page.tabs.setCurrentWidget(page.service_types)
    page.service_types.add_button.click()
    dialog = page.service_types.dialog
    qtbot.waitExposed(dialog)
    dialog.kode.setText("KTP")
    dialog.nama.setText("Perekaman KTP-el")
    dialog.standar.setValue(4)
    assert page.drafts() == {"organisasi.service_type": {
        "kode": "KTP", "nama": "Perekaman KTP-el", "standar_hari_kerja": 4}}

    unlocked.set_roles(frozenset({"hr", "admin"}))  # the window is rebuilt, drafts carried
    wait_idle(qtbot, unlocked)
    page = unlocked.window.page("organisasi")
    assert page.drafts()  # kept until used, so a second lock keeps it too
    page.service_types.add_button.click()
    again = page.service_types.dialog
    qtbot.waitExposed(again)
    assert again.values() == {"kode": "KTP", "nama": "Perekaman KTP-el",
                              "standar_hari_kerja": 4}
    again.cancel.click()
    qtbot.waitUntil(lambda: page.service_types.dialog is None)
    assert page.drafts() == {}


def test_typing_in_a_change_dialog_comes_back_only_for_the_same_item(unlocked: Any,
                                                                     qtbot: Any) -> None:
    from ui.models.service_type_table_model import ServiceTypeRow
    from ui.service_type_dialog import ServiceTypeDialog

    unlocked.set_roles(frozenset({"hr"}))
    wait_idle(qtbot, unlocked)
    page = unlocked.window.open_page("organisasi")
    wait_idle(qtbot, unlocked)
    panel = page.service_types
    ktp = ServiceTypeRow("st-1", "KTP", "Perekaman KTP-el", 3, True)
    kk = ServiceTypeRow("st-2", "KK", "Kartu Keluarga", 5, True)

    def open_dialog(row: ServiceTypeRow | None) -> Any:
        if row is None:
            panel.add_button.click()
        else:
            panel._open(ServiceTypeDialog(row, panel))
        qtbot.waitExposed(panel.dialog)
        return panel.dialog

    def close(dialog: Any) -> None:
        dialog.cancel.click()
        qtbot.waitUntil(lambda: panel.dialog is None)

    dialog = open_dialog(ktp)
    dialog.nama.setText("Perekaman KTP-el dan KIA")
    drafts = page.drafts()
    assert drafts == {"organisasi.service_type": {
        "kode": "KTP", "nama": "Perekaman KTP-el dan KIA", "standar_hari_kerja": 3,
        "_editing": "st-1"}}
    close(dialog)
    page.restore_drafts(drafts)  # as after a lock
    fresh = open_dialog(None)           # adding a new type: not the change's typing
    assert fresh.nama.text() == ""
    close(fresh)
    other = open_dialog(kk)             # changing another type: its own values
    assert other.nama.text() == "Kartu Keluarga"
    close(other)
    again = open_dialog(ktp)            # the same type: the typing is back
    assert again.nama.text() == "Perekaman KTP-el dan KIA"
    close(again)
