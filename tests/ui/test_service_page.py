"""Layanan by keyboard: a service type added, a service typed fast with the type completed,
the working-day duration shown as dates are typed (over a weekend and 17 August), evidence
attached, and the month summary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QCompleter, QLineEdit, QWidget

from asndesk.i18n import _, ngettext
from asndesk.store import attachment_repo
from tests.ui.a11y_checks import acc_description
from tests.ui.conftest import wait_idle
from tests.ui.keyboard import focused, open_page, read, tab_to
from ui.pages.service_page import month_text

RECEIVED = date(2026, 8, 14)   # a Friday
COMPLETED = date(2026, 8, 18)  # the Tuesday after; Monday 17 August is a national holiday


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    """Typing starts the app's draft timer; it must not fire after the runner is shut."""
    yield
    desktop._draft_timer.stop()


def days(n: int) -> str:
    return ngettext("{n} working day", "{n} working days", n).format(n=n)


@pytest.fixture
def service_page(qtbot, unlocked):
    return open_page(qtbot, unlocked, "layanan")


def add_type_by_keyboard(qtbot, desktop, page, kode: str, nama: str, standar: str) -> None:
    page.type_kode.setFocus()
    QTest.keyClicks(page.type_kode, kode)
    QTest.keyClick(page.type_kode, Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), nama)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is page.type_standar
    QTest.keyClicks(page.type_standar, standar)
    save = page.findChild(QWidget, "layanan.type.save")
    tab_to(save)
    QTest.keyClick(save, Qt.Key.Key_Space)
    wait_idle(qtbot, desktop)


def small_scan(path: Path) -> Path:
    image = QImage(2400, 1800, QImage.Format.Format_ARGB32)
    image.fill(QColor(255, 255, 255, 200))  # with transparency: stays a PNG
    assert image.save(str(path), "PNG")
    return path


def test_service_typed_fast_with_completion_duration_evidence_and_summary(
        qtbot, unlocked, service_page, tmp_path) -> None:
    page = service_page
    add_type_by_keyboard(qtbot, unlocked, page, "SKCK", "Surat pengantar SKCK", "1")
    add_type_by_keyboard(qtbot, unlocked, page, "KTP", "Perekaman KTP-el", "3")
    assert page.entry.completer_model.stringList() == [
        "KTP — Perekaman KTP-el", "SKCK — Surat pengantar SKCK"]
    scan = small_scan(tmp_path / "tanda_terima.png")
    page.picker.chooser = lambda _parent: [str(scan)]

    # The type: a line edit with a completer (not an editable combo), matching any part.
    form = page.entry
    assert isinstance(form.jenis, QLineEdit)
    assert not [c for c in form.findChildren(QComboBox) if c.isEditable()]
    assert isinstance(form.jenis.completer(), QCompleter)
    form.jenis.setFocus()
    QTest.keyClicks(form.jenis, "rekam")
    popup = form.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert popup.model().rowCount() == 1
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert form.jenis.text() == "KTP — Perekaman KTP-el"
    # The offscreen platform leaves the hidden popup as the active window (a real one hands
    # activation back to the main window); give it back so focus moves as on a desktop.
    page.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window(), timeout=3000)
    assert focused() is form.jenis

    # Dates and times by keys; the duration follows as they are typed.
    QTest.keyClick(form.jenis, Qt.Key.Key_Tab)
    assert focused() is form.diterima
    QTest.keyClicks(form.diterima, RECEIVED.strftime("%d%m%Y"))
    QTest.keyClick(form.diterima, Qt.Key.Key_Tab)
    QTest.keyClicks(form.diterima_jam, "0915")
    QTest.keyClick(form.diterima_jam, Qt.Key.Key_Tab)
    assert focused() is form.selesai
    QTest.keyClicks(form.selesai, "18")  # day typed, month and year still today's
    half_typed = form.durasi.text()
    QTest.keyClicks(form.selesai, COMPLETED.strftime("%m%Y"))
    assert form.durasi.text() != half_typed  # it follows the typing
    QTest.keyClick(form.selesai, Qt.Key.Key_Tab)
    QTest.keyClicks(form.selesai_jam, "1030")
    expected = _("Duration: {days}.").format(days=days(1)) + " " + \
        _("Within the standard of {standard}.").format(standard=days(3))
    assert form.durasi.text() == expected  # Saturday, Sunday and 17 August not counted
    assert acc_description(form.selesai) == expected

    # The rest by Tab; the evidence button by Space; save with the save button.
    QTest.keyClick(form.selesai_jam, Qt.Key.Key_Tab)
    assert focused() is form.status
    tab_to(form.hasil)
    QTest.keyClicks(form.hasil, "KTP-el tercetak")
    tab_to(form.picker.add_button)
    QTest.keyClick(form.picker.add_button, Qt.Key.Key_Space)
    tab_to(page.save_button)
    QTest.keyClick(page.save_button, Qt.Key.Key_Space)
    wait_idle(qtbot, unlocked)

    assert (_("Saved"), False) in unlocked.announcer.history
    assert focused() is form.jenis and form.jenis.text() == "" and form.picker.paths() == []
    logs = read(qtbot, unlocked, lambda ws: ws.service_logs())
    assert len(logs) == 1
    entry = logs[0]
    assert (entry["jenis_kode"], entry["durasi_hari_kerja"], entry["status"], entry["hasil"]) \
        == ("KTP", 1, "selesai", "KTP-el tercetak")
    assert entry["diterima_pada"].startswith("2026-08-14T09:15")
    evidence = read(qtbot, unlocked, lambda ws: ws.evidence("log_layanan", entry["id"]))
    assert [e["mime"] for e in evidence] == ["image/png"]
    stored = read(qtbot, unlocked, lambda ws: attachment_repo.data_of(
        ws.store.conn, evidence[0]["attachment_id"]))
    assert QImage.fromData(stored).width() == 1600  # downscaled by the core

    # The month summary: back to August 2026 with the "Previous month" button.
    today = date.today()
    back = (today.year - 2026) * 12 + today.month - 8
    previous = page.findChild(QWidget, "layanan.month.previous" if back >= 0
                              else "layanan.month.next")
    previous.setFocus()
    for _n in range(abs(back)):
        QTest.keyClick(previous, Qt.Key.Key_Space)
    wait_idle(qtbot, unlocked)
    assert page.month == RECEIVED.replace(day=1)
    assert page.list_model.rowCount() == 1
    assert _("Completed") in page.list_model.data(page.list_model.index(0, 0),
                                                  Qt.ItemDataRole.AccessibleTextRole)
    rows = page.summary_model.rows
    assert [(r.kode, r.jumlah, r.selesai, r.tepat_waktu) for r in rows] == [("KTP", 1, 1, 1)]
    assert page.summary_text.text() == ngettext(
        "{month}: {total} service, {done} completed, {within} within the standard.",
        "{month}: {total} services, {done} completed, {within} within the standard.",
        1).format(month=month_text(RECEIVED), total=1, done=1, within=1)


def test_unknown_service_type_and_open_request_are_explained(
        qtbot, unlocked, service_page) -> None:
    page, form = service_page, service_page.entry
    add_type_by_keyboard(qtbot, unlocked, page, "KTP", "Perekaman KTP-el", "3")

    # A request still in progress: the completion date is not used, the duration says so.
    status = form.status
    status.setCurrentIndex(status.findData("diproses"))
    assert not form.selesai.isEnabled()
    assert form.durasi.text() == _("Not finished yet: {days} since it was received.").format(
        days=days(0)) + " " + _("Choose a service type to compare with its standard.")

    form.jenis.setFocus()
    QTest.keyClicks(form.jenis, "XYZ")
    QTest.keyClick(form.jenis, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, unlocked)
    message = _("There is no service type with code {kode}.").format(kode="XYZ")
    assert focused() is form.jenis and acc_description(form.jenis) == message
    assert form.jenis.text() == "XYZ"  # nothing typed is lost
    assert read(qtbot, unlocked, lambda ws: ws.service_logs()) == []

    form.jenis.clear()
    QTest.keyClick(form.jenis, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert acc_description(form.jenis) == _("Choose the service type.")


def test_the_draft_keeps_typing_flags_and_files(qtbot, unlocked, service_page,
                                                tmp_path) -> None:
    page, form = service_page, service_page.entry
    assert page.drafts() == {}
    scan = small_scan(tmp_path / "scan.png")
    QTest.keyClicks(form.jenis, "KTP")
    QTest.keyClicks(form.hasil, "Menunggu blangko")
    form.pengaduan.setChecked(True)
    form.pengaduan_selesai.setChecked(True)
    form.picker.set_paths([scan])
    drafts = page.drafts()
    form.clear_for_next()
    assert not form.pengaduan.isChecked() and form.picker.paths() == []
    page.restore_drafts(drafts)
    assert (form.jenis.text(), form.hasil.text()) == ("KTP", "Menunggu blangko")
    assert form.pengaduan.isChecked() and form.pengaduan_selesai.isChecked()
    assert form.picker.paths() == [scan]
