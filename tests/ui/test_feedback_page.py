"""Umpan Balik: the supervisor's feedback and rating arrive by sync from a real server.

The employee's app submits an SKP and syncs; the pejabat penilai (a second profile on the
same server) approves it, rates the first quarter and writes feedback on an RHK through the
core use cases, and syncs; the employee presses Sync now and the page shows what arrived,
announced without moving focus.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from asndesk.i18n import _, ngettext
from asndesk.store.ids import uuid7
from sync.server.schema import org_unit, supervisor_link
from tests.conftest import NIP
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
from ui.models.feedback_table_model import PENILAIAN, UMPAN_BALIK

NIP_SUP = "197001011995031001"
YEAR = date.today().year
FEEDBACK = "Rumuskan RHK lebih terukur: sebutkan jumlah keping per bulan"


@pytest.fixture
def atasan(sqlite_server, tmp_path: Path):
    """The employee's and the supervisor's accounts, linked; the supervisor's own profile."""
    with sqlite_server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="kec-sukamaju", nama="Kecamatan Sukamaju"))
    pegawai = add_person(sqlite_server, NIP, "Siti Aminah", unit_id="kec-sukamaju")
    penilai = add_person(sqlite_server, NIP_SUP, "Rahmat Hidayat", unit_id="kec-sukamaju")
    with sqlite_server.engine.begin() as conn:
        conn.execute(supervisor_link.insert().values(
            id=uuid7(), pegawai_id=pegawai, penilai_id=penilai,
            berlaku_mulai=f"{YEAR}-01-01"))
    ws, client = other_device(sqlite_server, tmp_path / "atasan", NIP_SUP, "Rahmat Hidayat")
    yield ws, client
    if ws.store.is_open:
        ws.lock()


def _submitted_skp(ws: Any) -> Any:
    skp = ws.create_skp(YEAR, "pelaksana").primary_id
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
    ws.add_iki(rhk, "KTP-el terekam", "1200", "Keping", aspek="Kuantitas")
    ws.ensure_periods(YEAR)
    return ws.submit_skp(skp)


def test_feedback_from_the_supervisor_arrives_by_sync(unlocked, qtbot, sqlite_server,
                                                      atasan) -> None:
    boss, boss_client = atasan
    write(qtbot, unlocked, _submitted_skp)
    skp = read(qtbot, unlocked, lambda ws: ws.skp_list(YEAR)[0]["id"])
    outcomes = record_outcomes(unlocked)
    log_in_through_settings(qtbot, unlocked, sqlite_server.url)
    assert outcomes.wait_next(qtbot, 0).report.rejected == 0

    page = unlocked.window.open_page("umpan_balik")
    wait_idle(qtbot, unlocked)
    assert page.model.rowCount() == 0
    assert page.status.text() == _("No feedback or rating yet. What your supervisor gives "
                                   "arrives here when you sync.")
    page.table.setFocus()

    # The pejabat penilai reads the team, approves, rates TW1 and writes feedback.
    boss_client.sync_once()
    member = boss.team_member(NIP)
    rhk = member.skp.rhk[0].id
    boss.approve_skp(skp)
    assert boss_client.sync_once().acked == 1  # rated only once the server approved it
    boss.rate_skp(skp, f"{YEAR}-TW1", "Di Atas Ekspektasi", "Sesuai Ekspektasi")
    boss.give_feedback(skp, FEEDBACK, sasaran_jenis="rhk", sasaran_id=rhk)
    sent = boss_client.sync_once()
    assert (sent.acked, sent.rejected) == (2, 0), boss.team_decisions(skp)

    said = len(unlocked.announcer.history)
    before = len(outcomes.seen)
    unlocked.window.sync_action.trigger()  # Ctrl+Shift+S, from the feedback page
    report = outcomes.wait_next(qtbot, before).report
    assert report is not None and report.pulled > 0
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=SYNC_TIMEOUT_MS)
    rows = {r.jenis: r for r in page.model.rows}
    feedback, rating = rows[UMPAN_BALIK], rows[PENILAIAN]
    assert feedback.isi == FEEDBACK
    assert feedback.tentang == _("RHK: {text}").format(text="Terlaksananya perekaman KTP-el")
    assert feedback.pemberi == NIP_SUP
    assert "Baik" in rating.isi  # the server's predikat for the two ratings
    assert page.status.text() == ngettext("{n} item, newest first.",
                                          "{n} items, newest first.", 2).format(n=2)
    # The selected (newest) item's whole text is in the detail pane.
    selected = page.model.rows[page.proxy.mapToSource(page.table.currentIndex()).row()]
    assert page.detail.toPlainText() == selected.detail()
    row = page.model.row_of(feedback.id)
    page.table.setCurrentIndex(page.proxy.mapFromSource(page.model.index(row, 0)))
    assert page.detail.toPlainText().endswith(FEEDBACK)
    # Announced politely; focus stayed in the table.
    news = ngettext("{n} new item from your supervisor.",
                    "{n} new items from your supervisor.", 2).format(n=2)
    assert (news, False) in unlocked.announcer.history[said:]
    assert unlocked.window.focusWidget() is page.table
    # The approval came back too: the SKP reads Disetujui on the employee's computer.
    assert read(qtbot, unlocked, lambda ws: str(ws.skp(skp).status)) == "Disetujui"
