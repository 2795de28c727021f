"""The Sync page and the status bar against a real server on 127.0.0.1.

The profile logs in through Pengaturan and syncs on the worker thread; the tests watch the
status bar, the announcements, refused changes with their fix-it path, conflicts settled side
by side, and an offline bundle written where the person chose. They wait, never sleep.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import update

from asndesk.domain.formatting import format_tanggal
from asndesk.i18n import _, ngettext
from sync.bundle_device import BundleUploader
from sync.server import reference_store
from sync.server.schema import person
from tests.conftest import NIP, NIP_B
from tests.ui.sync_helpers import (
    SYNC_TIMEOUT_MS,
    add_person,
    log_in_through_settings,
    other_device,
    read,
    record_outcomes,
    wait_idle,
    write,
)
from ui.sync_messages import describe_error, fix_words, outcome_words, refusal_words

YEAR = date.today().year


def _waiting(n: int) -> str:
    return ngettext("{n} change waiting to sync", "{n} changes waiting to sync", n).format(n=n)


def _sync_page(desktop: Any) -> Any:
    return desktop.window.open_page("sinkronisasi")


def _sync_now(qtbot: Any, desktop: Any, outcomes: Any) -> Any:
    """Press "Sync now" on the Sync page and wait for the worker's outcome."""
    page = _sync_page(desktop)
    before = len(outcomes.seen)
    page.sync_button.click()
    outcome = outcomes.wait_next(qtbot, before)
    wait_idle(qtbot, desktop)
    return outcome


def test_status_bar_counts_down_and_sync_is_announced(unlocked, qtbot, sqlite_server,
                                                      tmp_path: Path) -> None:
    add_person(sqlite_server)
    outcomes = record_outcomes(unlocked)
    status = unlocked.window.status
    write(qtbot, unlocked, lambda ws: ws.add_log(f"{YEAR}-03-02", "08:00", "10:00",
                                                 "Merekam KTP-el warga"))
    pending = read(qtbot, unlocked, lambda ws: ws.pending_count())
    assert pending >= 1
    qtbot.waitUntil(lambda: status.pending.text() == _waiting(pending))
    assert status.last_sync.text() == _("Never synced")
    assert status.connection.text() == _("Offline (no server set up)")

    log_in_through_settings(qtbot, unlocked, sqlite_server.url)
    first = outcomes.wait_next(qtbot, 0)
    assert first.report is not None and first.report.acked == pending
    qtbot.waitUntil(lambda: status.pending.text() == _waiting(0), timeout=SYNC_TIMEOUT_MS)
    today = format_tanggal(date.today())
    assert status.last_sync.text().startswith(
        _("Last synced: {date} {time}").format(date=today, time="")[:-1])
    assert status.connection.text() == _("Online")

    page = _sync_page(unlocked)
    wait_idle(qtbot, unlocked)
    assert page.last_label.text().startswith(
        _("Last successful sync: {date} {time}").format(date=today, time="")[:-1])
    assert page.lists.queue_empty.text() == _(
        "Nothing in the queue: every change is on the server.")
    said = len(unlocked.announcer.history)
    done = _sync_now(qtbot, unlocked, outcomes)
    assert done.report is not None
    text, assertive = outcome_words(done)
    assert not assertive
    assert (text, False) in unlocked.announcer.history[said:]  # polite summary
    assert page.phase_label.text() == text

    # The server disables the account: the next sync fails, said assertively and plainly.
    with sqlite_server.engine.begin() as conn:
        conn.execute(update(person).where(person.c.nip == NIP).values(disabled=True))
    said = len(unlocked.announcer.history)
    failed = _sync_now(qtbot, unlocked, outcomes)
    assert failed.report is None and failed.error
    text, assertive = outcome_words(failed)
    assert assertive and describe_error(failed.error) in text
    assert (text, True) in unlocked.announcer.history[said:]
    assert describe_error(failed.error) in page.state_label.text()


def test_bundle_is_written_where_the_person_chose_and_its_reply_imported(
        unlocked, qtbot, sqlite_server, tmp_path: Path) -> None:
    add_person(sqlite_server)
    add_person(sqlite_server, NIP_B, "Budi")
    outcomes = record_outcomes(unlocked)
    log_in_through_settings(qtbot, unlocked, sqlite_server.url)
    outcomes.wait_next(qtbot, 0)  # the first sync brings the server's bundle keys
    unlocked.sync.stop()  # the connection is gone from here on
    write(qtbot, unlocked, lambda ws: ws.add_log(f"{YEAR}-11-02", "08:00", "09:00",
                                                 "Apel pagi"))
    page = _sync_page(unlocked)
    usb = tmp_path / "usb"
    usb.mkdir()
    asked: list[str] = []

    def choose(_parent: Any, title: str, start: str, _filters: str) -> str:
        asked.append(title)
        return str(usb / "kantor")  # no suffix typed: the page adds it
    page.bundles.choose_save_path = choose
    page.bundles.export_button.click()
    target = usb / "kantor.asnb"
    qtbot.waitUntil(lambda: bool(page.bundles.result.text()), timeout=SYNC_TIMEOUT_MS)
    assert asked == [_("asndesk — save an offline bundle")]
    assert target.is_file() and target.stat().st_size > 0
    assert not list(usb.glob(".*partial"))  # written whole, then renamed
    assert "kantor.asnb" in page.bundles.result.text()
    assert (page.bundles.result.text(), False) in unlocked.announcer.history

    # At the office, Budi's PC uploads the bundle; the reply comes back on the stick.
    office, _client = other_device(sqlite_server, tmp_path / "kantor-pc", NIP_B, "Budi")
    try:
        reply = BundleUploader(office, sqlite_server.url).upload(target.read_bytes())
    finally:
        office.lock()
    answer = usb / "balasan.asnb"
    answer.write_bytes(reply)
    page.bundles.choose_open_path = lambda *_a: str(answer)
    said = len(unlocked.announcer.history)
    page.bundles.import_button.click()
    qtbot.waitUntil(lambda: len(unlocked.announcer.history) > said, timeout=SYNC_TIMEOUT_MS)
    imported = _("Reply imported: sent {acked}, refused {rejected}, conflicts {conflicts}, "
                 "received {received}.")
    text = page.bundles.result.text()
    assert any(text.startswith(imported.format(acked=1, rejected=0, conflicts=0, received=n))
               for n in range(100)), text
    status = unlocked.window.status
    qtbot.waitUntil(lambda: status.pending.text() == _waiting(0), timeout=SYNC_TIMEOUT_MS)

    # A folder that cannot be written: said assertively, nothing half-written.
    page.bundles.choose_save_path = lambda *_a: str(tmp_path / "missing" / "x.asnb")
    said = len(unlocked.announcer.history)
    page.bundles.export_button.click()
    qtbot.waitUntil(lambda: len(unlocked.announcer.history) > said and
                    unlocked.announcer.history[-1][1], timeout=SYNC_TIMEOUT_MS)
    assert "x.asnb" in unlocked.announcer.history[-1][0]


def _periods_on_server(server: Any, periods: list[dict[str, Any]], closed: str) -> None:
    """HR's periods of the year on the server (as the device made them), one closed."""
    keys = ("id", "tahun", "jenis", "nomor", "mulai", "selesai", "batas_pengisian")
    with server.engine.begin() as conn:
        reference_store.lock(conn)
        for period in periods:
            status = "ditutup" if period["id"] == closed else "terbuka"
            reference_store.put(conn, "period", period["id"],
                                {**{k: period[k] for k in keys}, "status": status},
                                server.clock())


def test_a_refused_change_says_why_and_opens_the_record(unlocked, qtbot, sqlite_server) -> None:
    add_person(sqlite_server)
    outcomes = record_outcomes(unlocked)

    def plan(ws: Any) -> Any:
        skp = ws.create_skp(YEAR, "pelaksana").primary_id
        rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan")
        return ws.add_iki(rhk.primary_id, "KTP-el terekam", "1200", "Keping",
                          aspek="Kuantitas")
    iki = write(qtbot, unlocked, plan).primary_id
    # The realisasi is typed on the Realisasi page, for the first quarter.
    realisasi = unlocked.window.open_page("realisasi")
    wait_idle(qtbot, unlocked)
    realisasi.period.setCurrentIndex(0)
    wait_idle(qtbot, unlocked)
    period_id = realisasi.period.currentData()
    periods = list(realisasi.data.periods)
    realisasi.uraian.setPlainText("Terekam 300 keping")
    realisasi.nilai.setText("300")
    realisasi.save_button.click()
    wait_idle(qtbot, unlocked)
    # Meanwhile HR closed that period on the server (the device has not heard yet).
    _periods_on_server(sqlite_server, periods, closed=period_id)

    log_in_through_settings(qtbot, unlocked, sqlite_server.url)
    report = outcomes.wait_next(qtbot, 0).report
    assert report is not None and report.rejected == 1
    page = _sync_page(unlocked)
    wait_idle(qtbot, unlocked)
    model = page.lists.rejected_model
    assert model.rowCount() == 1
    row = model.row_at(0)
    assert (row.entity_kind, row.reason) == ("realisasi", "E_PERIOD_CLOSED")
    assert row.why == refusal_words("E_PERIOD_CLOSED", "period_closed")
    assert row.fix == fix_words("E_PERIOD_CLOSED")
    assert page.lists.rejected_empty.text() == ""
    assert page.lists.open_record_button.isEnabled()

    # Elsewhere meanwhile: the Realisasi page shows another quarter.
    realisasi.period.setCurrentIndex(1)
    wait_idle(qtbot, unlocked)
    assert realisasi.period.currentData() != period_id
    _sync_page(unlocked)
    page.lists.open_record_button.click()
    window = unlocked.window
    assert window.pages[window.stack.currentIndex()] is realisasi
    wait_idle(qtbot, unlocked)
    qtbot.waitUntil(lambda: realisasi._key == (iki, period_id), timeout=SYNC_TIMEOUT_MS)
    assert realisasi.period.currentData() == period_id
    # The pull brought the closing: the record is shown read-only, and why.
    assert realisasi.closed.isVisibleTo(realisasi)
    assert not realisasi.save_button.isEnabled()
    assert realisasi.uraian.toPlainText() == "Terekam 300 keping"


def _answer_discard() -> None:
    """Press "Discard" in the review box that keeping theirs opens (it runs its own loop)."""
    def press() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Discard).click()
        else:
            QTimer.singleShot(20, press)
    QTimer.singleShot(20, press)


@pytest.fixture
def laptop(sqlite_server, tmp_path: Path):
    """The same person's second computer (the account is made here, first)."""
    add_person(sqlite_server)
    ws, client = other_device(sqlite_server, tmp_path / "laptop")
    yield ws, client
    if ws.store.is_open:
        ws.lock()


def test_conflicts_shown_side_by_side_and_settled_three_ways(unlocked, qtbot, sqlite_server,
                                                              laptop) -> None:
    other, client = laptop
    logs = [other.add_log(f"{YEAR}-11-{d:02}", "08:00", "10:00", "Rapat").primary_id
            for d in (16, 17, 18)]
    client.sync_once()
    outcomes = record_outcomes(unlocked)
    log_in_through_settings(qtbot, unlocked, sqlite_server.url)
    assert outcomes.wait_next(qtbot, 0).report.pulled >= 3
    # Both computers change the same two fields of each log; the laptop syncs first.
    for n, log_id in enumerate(logs):
        other.edit_log(log_id, kegiatan=f"Rapat koordinasi {n}", jam_selesai="11:00")
    client.sync_once()

    def edit(ws: Any) -> Any:
        changes = None
        for n, log_id in enumerate(logs):
            changes = ws.edit_log(log_id, kegiatan=f"Rapat desa {n}", jam_selesai="10:30")
        return changes
    write(qtbot, unlocked, edit)
    report = _sync_now(qtbot, unlocked, outcomes).report
    assert report is not None and report.conflicts == 3
    page = _sync_page(unlocked)
    qtbot.waitUntil(lambda: page.lists.conflict_model.rowCount() == 3)
    by_log = {r.conflict.entity_id: r.conflict for r in page.lists.conflict_model.rows}

    # 1: the selected one, through the button; both values side by side; keep mine.
    page.lists.conflict_view.selectRow(0)
    page.lists.settle_button.click()
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    first = dialog.conflict
    values = {dialog.model.row_at(r).field: (dialog.model.row_at(r).mine,
                                             dialog.model.row_at(r).theirs)
              for r in range(dialog.model.rowCount())}
    n = logs.index(first.entity_id)
    assert values == {"kegiatan": (f"Rapat desa {n}", f"Rapat koordinasi {n}"),
                      "jam_selesai": ("10:30", "11:00")}
    assert dialog.merge_button.isVisibleTo(dialog)
    dialog.mine_button.click()
    qtbot.waitUntil(lambda: page.dialog is None, timeout=SYNC_TIMEOUT_MS)
    qtbot.waitUntil(lambda: page.lists.conflict_model.rowCount() == 2)

    # 2: keep theirs, after the review step.
    rest = [c for log_id, c in by_log.items() if log_id != first.entity_id]
    dialog = page.open_conflict(rest[0].seq)
    qtbot.waitExposed(dialog)
    _answer_discard()
    dialog.theirs_button.click()
    qtbot.waitUntil(lambda: page.dialog is None, timeout=SYNC_TIMEOUT_MS)

    # 3: merge: my activity, their end time.
    dialog = page.open_conflict(rest[1].seq)
    qtbot.waitExposed(dialog)
    choices = dialog.choices
    choices["kegiatan"].setCurrentIndex(choices["kegiatan"].findData("mine"))
    choices["jam_selesai"].setCurrentIndex(choices["jam_selesai"].findData("theirs"))
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: page.dialog is None, timeout=SYNC_TIMEOUT_MS)
    qtbot.waitUntil(lambda: page.lists.conflict_model.rowCount() == 0)
    assert page.lists.conflict_empty.text() == _("No conflicts.")

    report = _sync_now(qtbot, unlocked, outcomes).report
    assert report is not None and (report.conflicts, report.rejected) == (0, 0)
    client.sync_once()
    seen = {r["id"]: (r["kegiatan"], r["jam_selesai"]) for r in other.logs()}
    n_mine, n_theirs, n_merged = (logs.index(c.entity_id) for c in (first, *rest))
    assert seen[first.entity_id] == (f"Rapat desa {n_mine}", "10:30")
    assert seen[rest[0].entity_id] == (f"Rapat koordinasi {n_theirs}", "11:00")
    assert seen[rest[1].entity_id] == (f"Rapat desa {n_merged}", "11:00")
