"""Log Harian by keyboard: two entries with an evidence photo (downscaled by the core), the
week total against 37 h 30 min, an invalid entry, editing, deleting and searching."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget

from asndesk.domain.formatting import format_durasi_menit
from asndesk.evidence import MAX_IMAGE_EDGE
from asndesk.i18n import _, ngettext
from asndesk.store import attachment_repo
from tests.ui.a11y_checks import acc_description
from tests.ui.conftest import wait_idle
from tests.ui.keyboard import focused, open_page, read, tab_to
from ui.models.log_table_model import week_total_text


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    """Typing starts the app's draft timer; it must not fire after the runner is shut."""
    yield
    desktop._draft_timer.stop()


def big_photo(path: Path, width: int = 4000, height: int = 3000) -> Path:
    """A real camera-sized JPEG drawn with Qt (a gradient, so it does not compress away)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, QColor("darkgreen"))
    gradient.setColorAt(0.5, QColor("gold"))
    gradient.setColorAt(1, QColor("navy"))
    painter.fillRect(image.rect(), gradient)
    for n in range(0, width, 37):
        painter.setPen(QColor((n * 7) % 255, (n * 13) % 255, (n * 3) % 255))
        painter.drawLine(n, 0, width - n, height)
    painter.end()
    assert image.save(str(path), "JPEG", 100)
    return path


def type_entry(page, day: date, start: str, end: str, text: str, *, amount: str = "",
               unit: str = "") -> None:
    """From the date field onwards, only keys: date, times, activity, output."""
    form = page.entry
    assert focused() is form.tanggal
    QTest.keyClicks(form.tanggal, day.strftime("%d%m%Y"))
    QTest.keyClick(form.tanggal, Qt.Key.Key_Tab)
    assert focused() is form.jam_mulai  # Tab leaves the date, not its month section
    QTest.keyClicks(form.jam_mulai, start.replace(":", ""))
    QTest.keyClick(form.jam_mulai, Qt.Key.Key_Tab)
    assert focused() is form.jam_selesai
    QTest.keyClicks(form.jam_selesai, end.replace(":", ""))
    QTest.keyClick(form.jam_selesai, Qt.Key.Key_Tab)
    assert focused() is form.kegiatan
    QTest.keyClicks(form.kegiatan, text)
    QTest.keyClick(form.kegiatan, Qt.Key.Key_Tab)
    assert focused() is form.output_jumlah
    QTest.keyClicks(form.output_jumlah, amount)
    QTest.keyClick(form.output_jumlah, Qt.Key.Key_Tab)
    QTest.keyClicks(form.output_satuan, unit)


def press_save(page, qtbot, desktop) -> None:
    tab_to(page.save_button)
    QTest.keyClick(page.save_button, Qt.Key.Key_Space)
    wait_idle(qtbot, desktop)


@pytest.fixture
def log_page(qtbot, unlocked):
    return open_page(qtbot, unlocked, "log_harian")


def _week_texts(page) -> list[str]:
    model = page.week.view.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_two_entries_by_keyboard_with_a_downscaled_photo_and_the_week_total(
        qtbot, unlocked, log_page, tmp_path) -> None:
    page, today = log_page, date.today()
    photo = big_photo(tmp_path / "foto_kegiatan.jpg")
    page.picker.chooser = lambda _parent: [str(photo)]  # the platform file dialog

    type_entry(page, today, "08:00", "10:00", "Menyusun laporan bulanan", amount="2",
               unit="Dokumen")
    tab_to(page.picker.add_button)
    QTest.keyClick(page.picker.add_button, Qt.Key.Key_Space)
    assert [p.name for p in page.picker.paths()] == ["foto_kegiatan.jpg"]
    assert (_("Files chosen: {count}").format(count=1), False) in unlocked.announcer.history
    assert focused() is page.picker.add_button  # the announcement does not move focus
    press_save(page, qtbot, unlocked)

    assert (_("Saved"), False) in unlocked.announcer.history
    assert focused() is page.tanggal  # ready for the next entry
    assert page.kegiatan.toPlainText() == "" and page.picker.paths() == []
    assert page.entry.jam_mulai.time().toString("HH:mm") == "10:00"  # starts at the last end

    type_entry(page, today, "10:00", "11:30", "Rapat koordinasi pelayanan")
    press_save(page, qtbot, unlocked)

    assert sorted(_week_texts(page)) == ["Menyusun laporan bulanan",
                                         "Rapat koordinasi pelayanan"]
    assert page.week.total_label.text() == week_total_text(210)
    assert format_durasi_menit(37 * 60 + 30) in page.week.total_label.text()
    days = page.week.days_model
    today_row = next(r for r in days.rows if r.tanggal == today)
    assert today_row.menit == 210 and today_row.entri == 2

    logs = read(qtbot, unlocked, lambda ws: ws.logs())
    first = next(r for r in logs if r["kegiatan"] == "Menyusun laporan bulanan")
    assert (first["jam_mulai"], first["jam_selesai"], first["output_satuan"]) == \
        ("08:00", "10:00", "Dokumen")
    evidence = read(qtbot, unlocked, lambda ws: ws.evidence("log_harian", first["id"]))
    assert len(evidence) == 1 and evidence[0]["mime"] == "image/jpeg"
    stored = read(qtbot, unlocked, lambda ws: attachment_repo.data_of(
        ws.store.conn, evidence[0]["attachment_id"]))
    image = QImage.fromData(stored)
    assert (image.width(), image.height()) == (MAX_IMAGE_EDGE, MAX_IMAGE_EDGE * 3 // 4)
    assert len(stored) < photo.stat().st_size


def test_end_before_start_keeps_the_typing_and_moves_focus_to_the_end_time(
        qtbot, unlocked, log_page) -> None:
    page = log_page
    type_entry(page, date.today(), "14:00", "13:00", "Entri dengan jam terbalik")
    press_save(page, qtbot, unlocked)

    message = _("The end time must be after the start time.")
    end = page.entry.jam_selesai
    assert focused() is end
    assert acc_description(end) == message
    error = page.form.fields["jam_selesai"].error
    assert error.isVisible() and error.text() == message
    assert page.kegiatan.toPlainText() == "Entri dengan jam terbalik"
    assert page.entry.jam_mulai.time().toString("HH:mm") == "14:00"
    assert any(message in text and assertive for text, assertive in
               unlocked.announcer.history)
    assert read(qtbot, unlocked, lambda ws: ws.logs()) == []

    # Fixing the field and saving clears the error and its description.
    end.setFocus()
    QTest.keyClicks(end, "1500")
    press_save(page, qtbot, unlocked)
    assert not error.isVisible() and acc_description(end) != message
    assert [r["jam_selesai"] for r in read(qtbot, unlocked, lambda ws: ws.logs())] == ["15:00"]


def test_edit_delete_and_search(qtbot, unlocked, log_page) -> None:
    page, today = log_page, date.today()
    type_entry(page, today, "07:30", "08:30", "Apel pagi dan briefing")
    press_save(page, qtbot, unlocked)
    type_entry(page, today, "08:30", "10:00", "Verifikasi berkas kepegawaian")
    press_save(page, qtbot, unlocked)
    assert page.list_model.rowCount() == 2

    # Edit: choose the row in the week table with the keyboard, then "Edit".
    view = page.week.view
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().data() == "Apel pagi dan briefing"  # chronological
    edit = page.findChild(QWidget, "log.week.edit")
    tab_to(edit)
    QTest.keyClick(edit, Qt.Key.Key_Space)
    assert focused() is page.tanggal
    assert page.save_button.text() == _("Save changes")
    assert page.kegiatan.toPlainText() == "Apel pagi dan briefing"
    page.kegiatan.selectAll()
    QTest.keyClicks(page.kegiatan, "Apel pagi")
    QTest.keyClick(page.kegiatan, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, unlocked)
    assert page.save_button.text() == _("Save")
    assert sorted(_week_texts(page)) == ["Apel pagi", "Verifikasi berkas kepegawaian"]
    assert len(read(qtbot, unlocked, lambda ws: ws.logs())) == 2

    # Search the list (the core's full-text search), then clear it.
    page.search.setFocus()
    QTest.keyClicks(page.search, "berkas")
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 1 and
                    page.list_model.row_at(0).kegiatan.startswith("Verifikasi"), timeout=3000)
    assert page.list_status.text() == ngettext("{n} entry found", "{n} entries found",
                                               1).format(n=1)
    page.search.clear()
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 2, timeout=3000)

    # Delete from the list: Cancel is the default, so Enter keeps the entry.
    page.list_view.setFocus()
    QTest.keyClick(page.list_view, Qt.Key.Key_Home)
    doomed = page.list_view.currentIndex().data()
    delete = page.findChild(QWidget, "log.list.delete")
    delete.setFocus()
    QTest.keyClick(delete, Qt.Key.Key_Space)
    box = page.confirm_box
    assert isinstance(box, QMessageBox) and box.windowTitle().startswith("asndesk — ")
    qtbot.waitExposed(box)
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.confirm_box is None, timeout=3000)
    wait_idle(qtbot, unlocked)
    assert len(read(qtbot, unlocked, lambda ws: ws.logs())) == 2

    QTest.keyClick(delete, Qt.Key.Key_Space)
    box = page.confirm_box
    qtbot.waitExposed(box)
    box.findChild(QWidget, "dialog.log_delete.delete").click()
    wait_idle(qtbot, unlocked)
    remaining = [r["kegiatan"] for r in read(qtbot, unlocked, lambda ws: ws.logs())]
    assert doomed not in remaining and len(remaining) == 1
    assert (_("Deleted."), False) in unlocked.announcer.history
    assert _week_texts(page) == remaining


def _skp_with_rhk(ws, found: list[str]):
    skp = ws.create_skp(date.today().year, "pelaksana", jabatan="Pengadministrasi Umum")
    rhk = ws.add_rhk(skp.primary_id, "Tersusunnya laporan kinerja unit tepat waktu",
                     rhk_atasan="Meningkatnya akuntabilitas kinerja")
    found.append(rhk.primary_id)
    rhk.merge(skp)
    return rhk  # the Changes that make the page reload its RHK list


def test_an_entry_linked_to_an_rhk_and_its_draft(qtbot, unlocked, log_page) -> None:
    page = log_page
    rhk_ids: list[str] = []
    page.ctx.write(lambda ws: _skp_with_rhk(ws, rhk_ids))
    wait_idle(qtbot, unlocked)
    combo = page.entry.rhk
    assert combo.count() == 2 and combo.itemData(1) == rhk_ids[0]
    assert combo.itemText(1).startswith("A.1 Tersusunnya laporan")

    page.tanggal.setFocus()
    type_entry(page, date.today(), "13:00", "15:00", "Menyusun draf laporan kinerja")
    tab_to(combo)
    QTest.keyClick(combo, Qt.Key.Key_Down)  # a combo moves; nothing is saved or opened
    assert combo.currentData() == rhk_ids[0] and page.week.model.rowCount() == 0

    # Locking now would keep the typing: the draft has it, and puts it back.
    drafts = page.drafts()
    assert drafts[page.DRAFT_KEY]["kegiatan"] == "Menyusun draf laporan kinerja"
    assert drafts[page.DRAFT_KEY]["rhk_id"] == rhk_ids[0]
    page.entry.clear_for_next()
    assert page.drafts() == {}
    page.restore_drafts(drafts)
    assert page.kegiatan.toPlainText() == "Menyusun draf laporan kinerja"
    assert combo.currentData() == rhk_ids[0]

    press_save(page, qtbot, unlocked)
    (row,) = page.week.model.rows
    assert row.rhk_id == rhk_ids[0]
    week = page.week.view.model()
    assert week.index(0, 5).data().startswith("A.1 Tersusunnya")
    assert "A.1 Tersusunnya" in week.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert combo.currentIndex() == 0  # the next entry starts unlinked


def test_typing_in_an_edit_survives_a_sync_that_changes_the_same_entry(
        qtbot, unlocked, log_page) -> None:
    """A pull that brings another device's change to the entry being edited reloads the page
    (the sync worker's `changed`, as after every pull), but the form keeps what was typed."""
    from asndesk.store.database import Changes

    page, today = log_page, date.today()
    type_entry(page, today, "07:30", "08:30", "Apel pagi dan briefing")
    press_save(page, qtbot, unlocked)
    view = page.week.view
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Home)
    edit = page.findChild(QWidget, "log.week.edit")
    tab_to(edit)
    QTest.keyClick(edit, Qt.Key.Key_Space)
    page.kegiatan.selectAll()
    QTest.keyClicks(page.kegiatan, "Apel pagi, lalu rapat staf")

    log_id = read(qtbot, unlocked, lambda ws: ws.logs())[0]["id"]
    unlocked.ctx.write(lambda ws: ws.edit_log(log_id, kegiatan="Diubah di perangkat lain"))
    wait_idle(qtbot, unlocked)
    pulled = Changes()
    pulled.add("log_harian", "*")
    unlocked.sync.changed.emit(pulled)  # what the sync worker sends after a pull
    wait_idle(qtbot, unlocked)
    qtbot.waitUntil(lambda: "Diubah di perangkat lain" in _week_texts(page), timeout=3000)

    assert page.kegiatan.toPlainText() == "Apel pagi, lalu rapat staf"
    assert page.save_button.text() == _("Save changes")  # still editing that entry
    # Saving over a version this form never saw is refused once, in words, typing kept ...
    press_save(page, qtbot, unlocked)
    said, assertive = unlocked.announcer.history[-1]
    assert assertive and said == _(
        "This entry was changed on another device while you were editing it. Your typing is "
        "kept: press Save again to put your version in its place, or Stop editing to keep the "
        "other one.")
    assert page.kegiatan.toPlainText() == "Apel pagi, lalu rapat staf"
    assert [r["kegiatan"] for r in read(qtbot, unlocked, lambda ws: ws.logs())] == [
        "Diubah di perangkat lain"]
    # ... and the second Save puts the person's version in its place.
    press_save(page, qtbot, unlocked)
    texts = [r["kegiatan"] for r in read(qtbot, unlocked, lambda ws: ws.logs())]
    assert texts == ["Apel pagi, lalu rapat staf"]
