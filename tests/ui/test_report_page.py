"""The Laporan page: preview of page 1, Save as… only to the chosen path, exports, a GUI
thread that keeps running while a report renders, and team reports explained when absent.

The profile is filled through the Workspace use cases before it is unlocked in the app.
"""

from __future__ import annotations

import csv
import io
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog

from asndesk.i18n import _, ngettext
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from tests.conftest import NIP, PASSWORD
from tests.ui.conftest import wait_idle
from ui.pages.registry import SHORTCUTS
from ui.report_jobs import CHOICES

YEAR, MONTH = 2026, 11
BIG_MONTH = 10


def _fill(ws: Workspace) -> None:
    skp = ws.create_skp(YEAR, "pelaksana", jabatan="Pengadministrasi Kependudukan",
                        unit_kerja="Kecamatan Sukamaju").primary_id
    assert skp
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el warga",
                     rhk_atasan="Meningkatnya cakupan dokumen kependudukan").primary_id
    assert rhk
    ws.add_iki(rhk, "Jumlah KTP-el terekam", "1200", "Keping", aspek="Kuantitas")
    ws.add_log(f"{YEAR}-{MONTH}-02", "07:30", "12:00", "Merekam KTP-el warga Desa Sukamaju",
               output_jumlah="12", output_satuan="Keping", rhk_id=rhk)
    ws.add_log(f"{YEAR}-{MONTH}-03", "07:30", "10:00", "Melayani konsultasi KK")
    ws.add_service_type("KTP", "Perekaman KTP-el", 3)
    ws.add_service_log("KTP", f"{YEAR}-{MONTH}-02 09:00", selesai=f"{YEAR}-{MONTH}-04 10:00")


def _fill_big_month(ws: Workspace) -> None:
    """A larger month for the responsiveness check: every weekday, eight entries a day."""
    rhk = ws.skp(ws.skp_list(YEAR)[0]["id"]).rhk[0].id
    for day in range(1, 32):
        if date(YEAR, BIG_MONTH, day).weekday() >= 5:
            continue
        for start, end in (("07:30", "08:30"), ("08:30", "09:30"), ("09:30", "10:30"),
                           ("10:30", "11:30"), ("12:30", "13:30"), ("13:30", "14:30"),
                           ("14:30", "15:15"), ("15:15", "16:00")):
            ws.add_log(f"{YEAR}-{BIG_MONTH}-{day:02d}", start, end,
                       f"Merekam dan memverifikasi data kependudukan warga, berkas {day}-{start}"
                       " (perekaman, verifikasi, pencetakan, dan pengarsipan)", rhk_id=rhk)


@pytest.fixture
def reporting(qtbot, desktop, manager: ProfileManager, tmp_path: Path, monkeypatch):
    """An employee profile with an SKP, logs and services, unlocked; the Laporan page open.

    Temporary files go to a private folder here, so the test can see that none is made."""
    return _open(qtbot, desktop, manager, tmp_path, monkeypatch, big=False)


@pytest.fixture
def reporting_big(qtbot, desktop, manager: ProfileManager, tmp_path: Path, monkeypatch):
    """The same with a month of about 180 entries (a report of a dozen pages)."""
    return _open(qtbot, desktop, manager, tmp_path, monkeypatch, big=True)


def _open(qtbot, desktop, manager, tmp_path, monkeypatch, *, big: bool):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    ws, _unused = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    _fill(ws)
    if big:
        _fill_big_month(ws)
    ws.lock()
    desktop.start()
    desktop.dialog.password.setText(PASSWORD)
    desktop.dialog.unlock_button.click()
    qtbot.waitUntil(lambda: desktop.window is not None, timeout=10_000)
    wait_idle(qtbot, desktop)
    page = desktop.window.open_page("laporan")
    wait_idle(qtbot, desktop)
    return desktop, page


def _choose(page, kind: str, **values) -> None:
    page.choose(kind)
    page.params.set_values(values)


def _run(qtbot, desktop, page, action) -> None:
    action()
    qtbot.waitUntil(lambda: page._job is None, timeout=30_000)
    wait_idle(qtbot, desktop)


def _files(*folders: Path) -> set[Path]:
    return {p for folder in folders for p in folder.rglob("*")}


def test_page_is_registered_before_settings(reporting) -> None:
    desktop, page = reporting
    ids = [p.page_id for p in desktop.window.pages]
    assert ids.index("laporan") < ids.index("pengaturan") == len(ids) - 1
    assert SHORTCUTS["laporan"] == "Ctrl+9"  # the ninth everyday page, whatever comes after
    assert page.title() == _("Reports")


def test_skp_preview_shows_page_one_as_an_image(reporting, qtbot) -> None:
    desktop, page = reporting
    _choose(page, "skp", tahun=YEAR)
    _run(qtbot, desktop, page, page.preview_button.click)
    pixmap = page.image.pixmap()
    assert page.image.isVisibleTo(page) and not pixmap.isNull()
    assert pixmap.width() > 300 and pixmap.height() > pixmap.width()  # portrait paper
    pages = int(page.page_count.text().rsplit(" ", 1)[-1])
    assert page.page_count.text() == _("Page 1 of {n}").format(n=pages)  # Halaman 1 dari N
    description = page.image.accessibleDescription()
    assert f"SKP {YEAR}" in description and "RHK" in description
    assert page.summary.text() in description


def test_log_preview_and_save_write_only_the_chosen_file(reporting, qtbot, tmp_path,
                                                         home, monkeypatch) -> None:
    desktop, page = reporting
    _choose(page, "log", tahun=YEAR, bulan=MONTH, kertas="F4")
    _run(qtbot, desktop, page, page.preview_button.click)
    assert not page.image.pixmap().isNull()
    assert page.page_count.text().startswith(_("Page 1 of {n}").format(n=""))
    assert ngettext("{n} entry", "{n} entries", 2).format(n=2) in page.summary.text()

    out_dir = tmp_path / "chosen"
    out_dir.mkdir()
    target = out_dir / "log-november"  # no extension typed: the format's is added
    asked: list[str] = []

    def fake_dialog(parent, caption, suggested, filters):
        asked.append(caption)
        return str(target), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    before = _files(home, tmp_path / "temp", out_dir)
    _run(qtbot, desktop, page, page.save_button.click)
    written = target.with_name("log-november.pdf")
    assert asked and asked[0].startswith("asndesk — ")
    assert written.read_bytes().startswith(b"%PDF-") and b"%%EOF" in written.read_bytes()[-64:]
    assert _files(home, tmp_path / "temp", out_dir) - before == {written}
    assert page.status.text() == _("Saved to {path}.").format(path=written)
    # The core audited the export (no content, no path): the UI went through Reports.save.
    ws = desktop.ctx.workspace_for_lane()
    last = desktop.runner.db(lambda: ws.store.conn.execute(
        "SELECT aksi, entitas_jenis, entitas_id FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()).result(timeout=10)
    assert tuple(last) == ("report.log", "pdf", None)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_log_export_writes_a_readable_file(reporting, qtbot, tmp_path, monkeypatch,
                                           fmt: str) -> None:
    desktop, page = reporting
    _choose(page, "export-log", dari=f"{YEAR}-{MONTH}-01", sampai=f"{YEAR}-{MONTH}-30",
            format=fmt)
    target = tmp_path / f"log.{fmt}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: (str(target), ""))
    _run(qtbot, desktop, page, page.save_button.click)
    if fmt == "csv":
        found = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
        body = found[1:]
    else:
        sheet = load_workbook(target).active
        body = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(body) == 2
    assert any("Melayani konsultasi KK" in str(cell) for row in body for cell in row)


def test_a_larger_report_is_gathered_and_rendered_off_the_gui_thread(reporting_big, qtbot,
                                                                   monkeypatch) -> None:
    """Structural, not timed (timings live in bench/ui_startup.py): the data is read on the
    DB lane and the PDF made on the IO lane, while the GUI thread keeps handling events."""
    from ui import report_jobs
    from ui.pages import report_page

    desktop, page = reporting_big
    threads: dict[str, str] = {}

    def spy(name: str, real):
        def wrapped(*args, **kwargs):
            threads[name] = threading.current_thread().name
            return real(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(report_page, "gather", spy("gather", report_jobs.gather))
    monkeypatch.setattr(report_page, "produce", spy("produce", report_jobs.produce))
    _choose(page, "log", tahun=YEAR, bulan=BIG_MONTH)
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start()
    try:
        _run(qtbot, desktop, page, page.preview_button.click)
    finally:
        heartbeat.stop()
    pages = int(page.page_count.text().rsplit(" ", 1)[-1])
    assert pages >= 3, "the month should make a multi-page report"
    assert threads["gather"].startswith("asndesk-db"), threads
    assert threads["produce"].startswith("asndesk-io"), threads
    assert len(beats) >= 3, "the GUI thread handled no timer events while the report was made"


def test_missing_skp_is_explained_on_the_year_and_choices_stay(reporting, qtbot) -> None:
    desktop, page = reporting
    _choose(page, "skp", tahun=YEAR - 1, kertas="F4")
    _run(qtbot, desktop, page, page.preview_button.click)
    field = page.params.fields["tahun"]
    assert field.error.isVisibleTo(page)
    assert str(YEAR - 1) in field.error.text() and "SKP" in field.error.text()
    assert page.params.tahun.accessibleDescription() == field.error.text()
    assert page.params.tahun.currentData() == YEAR - 1
    assert page.params.kertas.currentData() == "F4"
    assert page.choice().kind == "skp"


def test_unavailable_team_report_says_why(reporting, qtbot) -> None:
    desktop, page = reporting
    page.choose("kantor")
    assert page.unavailable.isVisibleTo(page)
    assert "pengelola kepegawaian" in page.unavailable.text()
    page.preview_button.click()
    wait_idle(qtbot, desktop)
    assert page._job is None and page.image.pixmap().isNull()
    assert not page.message.isVisibleTo(page)  # explained, not failed
    page.choose("ikm")
    assert "SKM" in page.unavailable.text()
    page.choose("layanan")  # this profile has recorded a service
    assert not page.unavailable.isVisibleTo(page)


def test_cancel_drops_the_report_and_keeps_the_window_usable(reporting_big, qtbot) -> None:
    desktop, page = reporting_big
    _choose(page, "log", tahun=YEAR, bulan=BIG_MONTH)
    page.preview_button.click()
    assert page.cancel_button.isVisibleTo(page) and page.progress.isVisibleTo(page)
    page.cancel_button.click()
    assert page._job is None and not page.progress.isVisibleTo(page)
    wait_idle(qtbot, desktop)
    assert page.image.pixmap().isNull()  # the late result was dropped
    assert page.status.text() == _("Report cancelled. Your choices are kept.")




def test_every_document_and_the_preview_pass_the_accessibility_checks(reporting, qtbot) -> None:
    """test_accessibility walks the page as it opens; here every document's rows and a
    shown preview are checked too (names, buddies, units, targets; text at 200 %)."""
    from PySide6.QtWidgets import QApplication

    from tests.ui import a11y_checks
    from ui.theme import apply_theme

    desktop, page = reporting
    window = desktop.window
    window.resize(1280, 800)
    problems: list[str] = []
    for choice in CHOICES:
        page.choose(choice.kind)
        QApplication.processEvents()
        for check in a11y_checks.ALL_CHECKS:
            problems += [f"[{choice.kind}] {p}" for p in check(window)]
    _choose(page, "log", tahun=YEAR, bulan=MONTH)
    _run(qtbot, desktop, page, page.preview_button.click)
    assert page.image.accessibleName() and page.image.accessibleDescription()
    apply_theme(QApplication.instance(), "light", 200)
    try:
        QApplication.processEvents()
        for check in (*a11y_checks.ALL_CHECKS, a11y_checks.check_clipping):
            problems += [f"[preview @ 200 %] {p}" for p in check(window)]
    finally:
        apply_theme(QApplication.instance(), "light", 100)
    assert not problems, "\n".join(problems)
