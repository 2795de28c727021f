"""Pengembangan Kompetensi by keyboard: trainings with a certificate, the year's JP against
the 20 JP right, and invalid JP or dates explained on their field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from asndesk.domain.activity import JpRingkasan
from asndesk.i18n import _
from tests.ui.a11y_checks import acc_description
from tests.ui.conftest import wait_idle
from tests.ui.keyboard import focused, open_page, read, tab_to
from ui.pages.training_page import jp_summary_text


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    """Typing starts the app's draft timer; it must not fire after the runner is shut."""
    yield
    desktop._draft_timer.stop()


@pytest.fixture
def training_page(qtbot, unlocked):
    return open_page(qtbot, unlocked, "kompetensi")


def certificate(path: Path) -> Path:
    """A one-page PDF certificate written with Qt."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.drawText(200, 400, "Sertifikat Pelatihan Dasar CPNS")
    painter.end()
    assert path.stat().st_size > 0
    return path


def type_training(page, nama: str, oleh: str, mulai: date, selesai: date, jp: str) -> None:
    assert focused() is page.nama
    QTest.keyClicks(page.nama, nama)
    QTest.keyClick(page.nama, Qt.Key.Key_Tab)
    QTest.keyClicks(page.penyelenggara, oleh)
    QTest.keyClick(page.penyelenggara, Qt.Key.Key_Tab)
    assert focused() is page.mulai
    QTest.keyClicks(page.mulai, mulai.strftime("%d%m%Y"))
    QTest.keyClick(page.mulai, Qt.Key.Key_Tab)
    assert focused() is page.selesai
    QTest.keyClicks(page.selesai, selesai.strftime("%d%m%Y"))
    QTest.keyClick(page.selesai, Qt.Key.Key_Tab)
    assert focused() is page.jp
    QTest.keyClicks(page.jp, jp)


def press_save(qtbot, desktop, page) -> None:
    tab_to(page.save_button)
    QTest.keyClick(page.save_button, Qt.Key.Key_Space)
    wait_idle(qtbot, desktop)


def summary(total: str, year: int) -> str:
    value = Decimal(total)
    return jp_summary_text(JpRingkasan(year, value, 20, max(Decimal(0), 20 - value)))


def test_trainings_with_a_certificate_and_the_jp_total_against_20(
        qtbot, unlocked, training_page, tmp_path) -> None:
    page, year = training_page, date.today().year
    assert page.total.text() == summary("0", year)
    pdf = certificate(tmp_path / "sertifikat.pdf")
    page.picker.chooser = lambda _parent: [str(pdf)]

    type_training(page, "Pelatihan Dasar CPNS", "BPSDM Provinsi", date(year, 1, 5),
                  date(year, 1, 7), "12")
    tab_to(page.picker.add_button)
    QTest.keyClick(page.picker.add_button, Qt.Key.Key_Space)
    press_save(qtbot, unlocked, page)

    assert (_("Saved"), False) in unlocked.announcer.history
    assert focused() is page.nama and page.nama.text() == "" and page.picker.paths() == []
    assert page.total.text() == summary("12", year)
    assert _("{missing} JP still to go.").format(missing="8") in page.total.text()
    assert (page.total.text(), False) in unlocked.announcer.history  # said after saving
    rows = page.model.rows
    assert [(r.nama, r.penyelenggara, r.jp, r.bukti) for r in rows] == [
        ("Pelatihan Dasar CPNS", "BPSDM Provinsi", Decimal(12), 1)]
    found = read(qtbot, unlocked, lambda ws: ws.trainings(year))
    evidence = read(qtbot, unlocked, lambda ws: ws.evidence("pelatihan", found[0]["id"]))
    assert [(e["nama_file"], e["mime"]) for e in evidence] == [
        ("sertifikat.pdf", "application/pdf")]

    type_training(page, "Webinar Literasi Digital", "", date(year, 2, 3), date(year, 2, 3),
                  "2,5")
    press_save(qtbot, unlocked, page)
    assert page.total.text() == summary("14.5", year)
    assert "14,5" in page.total.text()

    type_training(page, "Diklat Pelayanan Prima", "LAN", date(year, 3, 2), date(year, 3, 4),
                  "8")
    QTest.keyClick(page.jp, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, unlocked)
    assert page.total.text() == summary("22.5", year)
    assert page.total.text().endswith(_("the right is met."))
    table = page.view.model()
    assert [table.index(r, 0).data() for r in range(3)] == [  # newest first
        "Diklat Pelayanan Prima", "Webinar Literasi Digital", "Pelatihan Dasar CPNS"]

    # Another year has its own total; its trainings are not mixed in.
    previous = page.findChild(QWidget, "kompetensi.year.previous")
    previous.setFocus()
    QTest.keyClick(previous, Qt.Key.Key_Space)
    wait_idle(qtbot, unlocked)
    assert page.total.text() == summary("0", year - 1) and page.model.rows == []
    assert (page.total.text(), False) in unlocked.announcer.history


@pytest.mark.parametrize(("typed", "message"), [
    ("0", "The JP must be more than 0."),
    ("1001", "The JP must be at most {max}."),
    ("", "This value is required."),
    ("dua", None),
])
def test_invalid_jp_is_explained_on_the_field_and_kept(
        qtbot, unlocked, training_page, typed: str, message: str | None) -> None:
    page, year = training_page, date.today().year
    type_training(page, "Bimtek SKP", "BKN", date(year, 4, 1), date(year, 4, 2), typed)
    press_save(qtbot, unlocked, page)

    assert focused() is page.jp
    description = acc_description(page.jp)
    if message is None:  # not a number: the core's wording, whatever it is, not the hint
        assert description and description != page.form.fields["jp"].description
    elif "{max}" in message:
        assert description == _(message).format(max=1000)
    else:
        assert description == _(message)
    assert page.form.fields["jp"].error.isVisible()
    assert page.jp.text() == typed and page.nama.text() == "Bimtek SKP"
    assert read(qtbot, unlocked, lambda ws: ws.trainings(year)) == []
    assert page.total.text() == summary("0", year)


def test_end_before_start_points_at_the_end_date(qtbot, unlocked, training_page) -> None:
    page, year = training_page, date.today().year
    type_training(page, "Bimtek SKP", "BKN", date(year, 4, 9), date(year, 4, 2), "4")
    press_save(qtbot, unlocked, page)
    assert focused() is page.selesai
    assert acc_description(page.selesai) == _("The end date is before the start date.")
    assert page.jp.text() == "4"


def test_the_draft_keeps_typing_and_files(qtbot, unlocked, training_page, tmp_path) -> None:
    page = training_page
    assert page.drafts() == {}
    pdf = certificate(tmp_path / "sertifikat.pdf")
    QTest.keyClicks(page.nama, "Bimtek Aplikasi")
    QTest.keyClick(page.nama, Qt.Key.Key_Tab)
    tab_to(page.jp)
    QTest.keyClicks(page.jp, "6")
    page.picker.set_paths([pdf])
    drafts = page.drafts()
    assert drafts[page.DRAFT_KEY]["jp"] == "6"
    page.nama.clear()
    page.jp.clear()
    page.picker.clear()
    page.restore_drafts(drafts)
    assert (page.nama.text(), page.jp.text(), page.picker.paths()) == (
        "Bimtek Aplikasi", "6", [pdf])
