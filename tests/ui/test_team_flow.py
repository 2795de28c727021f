"""The supervisor's part end to end against a real server on 127.0.0.1.

The employee (another device) submits an SKP and syncs; the supervisor's app syncs once,
then, without a connection to the server, approves through the review dialog, rates a period
and writes feedback through the dialogs; both sync and the states converge. A decision made
on a version the employee has since changed comes back refused, said in words, and the
supervisor decides again on what is now shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from asndesk.i18n import _
from asndesk.store.database import Changes
from asndesk.store.ids import uuid7
from sync.client import SyncClient
from sync.server.schema import org_unit, supervisor_link
from tests.conftest import NIP, NIP_B, PASSWORD
from tests.ui.sync_helpers import add_person, other_device
from tests.ui.test_team_page import _lane, _select, open_team_page
from ui.sync_messages import refusal_words

YEAR = __import__("datetime").date.today().year
OWN_RHK = "Meningkatnya kualitas pelayanan administrasi kependudukan"
LINK = "https://drive.example.go.id/rekap-tw1"


@pytest.fixture
def office(sqlite_server, tmp_path: Path):
    """The app's profile (Siti) is Budi's pejabat penilai; Budi has his own device."""
    with sqlite_server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="kec-sukamaju", nama="Kecamatan Sukamaju"))
    siti = add_person(sqlite_server, NIP, "Siti Aminah", unit_id="kec-sukamaju")
    budi = add_person(sqlite_server, NIP_B, "Budi Santoso", unit_id="kec-sukamaju")
    with sqlite_server.engine.begin() as conn:
        conn.execute(supervisor_link.insert().values(
            id=uuid7(), pegawai_id=budi, penilai_id=siti, berlaku_mulai=f"{YEAR}-01-01"))
    ws, client = other_device(sqlite_server, tmp_path / "budi", NIP_B, "Budi Santoso")
    yield sqlite_server, ws, client
    if ws.store.is_open:
        ws.lock()


def _employee_submits(ws: Any) -> tuple[str, str]:
    skp = ws.create_skp(YEAR, "pelaksana").primary_id
    rhk = ws.add_rhk(skp, "Terlaksananya pelayanan KTP-el", rhk_atasan=OWN_RHK).primary_id
    iki = ws.add_iki(rhk, "KTP-el terekam", "1200", "keping", aspek="Kuantitas").primary_id
    ws.ensure_periods(YEAR)
    real = ws.record_realisasi(iki, f"{YEAR}-TW1", "Terekam 300 keping", nilai="300",
                               tautan=[LINK]).primary_id
    ws.submit_skp(skp)
    return skp, real


def _supervisor_sync(qtbot, desktop, url: str, login: bool = False) -> Any:
    """A sync of the app's profile on its DB lane; the page hears of it as from the worker."""
    def run(ws: Any) -> Any:
        client = SyncClient(ws, url)
        if login:
            client.login(NIP, PASSWORD)
            ws.create_skp(YEAR, "pengawas")
            ws.add_rhk(ws.skp_list(YEAR)[0]["id"], OWN_RHK)
        return client.sync_once()
    report = _lane(qtbot, desktop, run)
    changes = Changes()
    for kind in report.changed | {"outbox"}:
        changes.add(kind, "*")
    desktop.ctx.changed.emit(changes)
    _lane(qtbot, desktop, lambda ws: None)  # the page's reload has answered
    return report


def _review(qtbot, desktop, page) -> Any:
    _select(page, NIP_B)
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    _lane(qtbot, desktop, lambda ws: None)
    assert page.review_dialog is not None
    return page.review_dialog


def _confirm_approval(qtbot, desktop, dialog) -> None:
    dialog.approve_button.setFocus()
    QTest.keyClick(dialog.approve_button, Qt.Key.Key_Space)
    dialog.confirm_button.setFocus()
    QTest.keyClick(dialog.confirm_button, Qt.Key.Key_Space)
    _lane(qtbot, desktop, lambda ws: None)


def test_offline_approval_rating_and_feedback_converge(qtbot, unlocked, office) -> None:
    server, budi, budi_client = office
    skp, real = _employee_submits(budi)
    assert budi_client.sync_once().rejected == 0
    _supervisor_sync(qtbot, unlocked, server.url, login=True)

    page = open_team_page(qtbot, unlocked)
    [row] = page.model.rows
    assert (row.nip, row.status, row.needs_decision) == (NIP_B, "Diajukan", True)
    dialog = _review(qtbot, unlocked, page)
    text = dialog.content.toPlainText()
    assert _("Serves your RHK {number}: {text}").format(number="A.1", text=OWN_RHK) in text
    assert _("Link: {url}").format(url=LINK) in text  # the evidence is visible
    seen = dialog.data.view.head["version"]

    # No sync from here until the decisions are made: they wait in the outbox.
    _confirm_approval(qtbot, unlocked, dialog)
    [op] = _lane(qtbot, unlocked, lambda ws: ws.outbox(("pending",)))
    assert (op.kind, op.entity_id, op.base_version) == ("approve", skp, seen)
    assert page.model.rows[0].decision_text() == _("Your decision waits to be sent")

    report = _supervisor_sync(qtbot, unlocked, server.url)
    assert (report.acked, report.rejected) == (1, 0)
    assert page.model.rows[0].status == "Disetujui"
    assert not page.model.rows[0].needs_decision

    # Rate the first quarter and comment on its realisation, offline again.
    page.open_rating()
    _lane(qtbot, unlocked, lambda ws: None)
    rating = page.rating_dialog
    rating.period.setCurrentIndex(rating.period.findData(f"{YEAR}-TW1"))
    _lane(qtbot, unlocked, lambda ws: None)
    rating.table.setCurrentIndex(rating.model.index(0, 0))
    rating.hasil.setCurrentIndex(rating.hasil.findData("Di Atas Ekspektasi"))
    rating.perilaku.setCurrentIndex(rating.perilaku.findData("Sesuai Ekspektasi"))
    assert "Baik" in rating.outcome.text()
    rating.save_button.click()
    _lane(qtbot, unlocked, lambda ws: None)
    rating.close()
    page.open_feedback()
    _lane(qtbot, unlocked, lambda ws: None)
    feedback = page.feedback_dialog
    feedback.choose(("realisasi", real, None))
    assert _("Link: {url}").format(url=LINK) in feedback.detail.toPlainText()
    feedback.teks.setPlainText("Bagus; tambahkan foto kegiatan")
    feedback.send_button.click()
    _lane(qtbot, unlocked, lambda ws: None)

    report = _supervisor_sync(qtbot, unlocked, server.url)
    assert (report.acked, report.rejected) == (2, 0)
    budi_client.sync_once()
    assert str(budi.skp(skp).status) == "Disetujui"
    mine = budi.own_assessments(skp)
    assert [(p["period_id"], p["predikat"]) for p in mine["penilaian"]] == [
        (f"{YEAR}-TW1", "Baik")]
    assert [(f["sasaran_jenis"], f["sasaran_id"], f["teks"]) for f in mine["umpan_balik"]] == [
        ("realisasi", real, "Bagus; tambahkan foto kegiatan")]


def test_a_stale_decision_comes_back_refused_and_is_made_again(qtbot, unlocked,
                                                               office) -> None:
    server, budi, budi_client = office
    skp, _real = _employee_submits(budi)
    budi_client.sync_once()
    _supervisor_sync(qtbot, unlocked, server.url, login=True)
    page = open_team_page(qtbot, unlocked)
    dialog = _review(qtbot, unlocked, page)
    seen = dialog.data.view.head["version"]

    # Meanwhile Budi takes the plan back, changes it and submits again.
    budi.withdraw_skp(skp)
    budi.edit_rhk(budi.skp(skp).rhk[0].id, teks="Terlaksananya pelayanan KTP-el semua desa")
    budi.submit_skp(skp)
    budi_client.sync_once()

    dialog.note.setPlainText("Target terlalu rendah")
    dialog.return_button.click()
    _lane(qtbot, unlocked, lambda ws: None)
    report = _supervisor_sync(qtbot, unlocked, server.url)
    assert report.rejected == 1

    dialog = _review(qtbot, unlocked, page)
    refused = refusal_words("E_STALE_DECISION", "stale_decision", {"seen": seen})
    assert refused in dialog.state.text()
    assert "semua desa" in dialog.content.toPlainText()  # what the SKP is now
    assert dialog.data.view.head["version"] > seen
    assert dialog.approve_button.isEnabled()
    _confirm_approval(qtbot, unlocked, dialog)
    assert _supervisor_sync(qtbot, unlocked, server.url).acked == 1
    budi_client.sync_once()
    assert str(budi.skp(skp).status) == "Disetujui"
