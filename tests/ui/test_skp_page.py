"""SKP page: a plan made and submitted by keyboard alone (A-25), field errors that keep the
typing (A-13), the review step's jumps (A-20), a returned SKP's note and an amendment request
after approval, both through a real server."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from asndesk.i18n import _
from asndesk.store.ids import uuid7
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.server import accounts
from sync.server.schema import org_unit, supervisor_link
from tests.conftest import NIP, PASSWORD
from tests.ui.conftest import wait_idle

NIP_SUP = "197001011995031001"
YEAR = __import__("datetime").date.today().year


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    """Typing starts the app's 3 s draft timer; it must not fire after the runner is shut."""
    yield
    desktop._draft_timer.stop()


def _type(widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


def _press(widget: QWidget) -> None:
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_Space)


def _focus_reaches(qtbot, widget: QWidget) -> None:
    """Window activation is asynchronous: wait until `widget` has the keyboard focus. The
    offscreen platform has no window manager to re-activate the window a dialog closed over."""
    if QApplication.activeWindow() is None:
        widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)


def _on_lane(qtbot, desktop, fn):
    """Run `fn(ws)` on the DB lane (where the app's workspace lives) and return its result."""
    got: list = []
    desktop.ctx.read(fn, got.append)
    wait_idle(qtbot, desktop, timeout=30_000)
    assert got, "the DB lane did not answer"
    return got[0]


def _page_with_rhk(qtbot, desktop, atasan: str = "Meningkatnya cakupan KTP-el"):
    page = desktop.window.open_page("skp")
    wait_idle(qtbot, desktop)
    assert not page.create_panel.isHidden() and page.plan.isHidden()
    assert page.first_focus() is page.year
    _type(page.unit_kerja, "Kecamatan Sukamaju")
    _press(page.create_button)
    wait_idle(qtbot, desktop)
    assert page.create_panel.isHidden() and not page.plan.isHidden()
    assert QApplication.focusWidget() is page.rhk.teks
    QTest.keyClicks(page.rhk.teks, "Terlaksananya perekaman KTP-el")
    QTest.keyClick(page.rhk.teks, Qt.Key.Key_Tab)  # Tab leaves the text to the next
    assert QApplication.focusWidget() is page.rhk.atasan
    QTest.keyClicks(page.rhk.atasan, atasan)
    _press(page.rhk.save_button)
    wait_idle(qtbot, desktop)
    assert page.rhk.models[page.rhk.skp.rhk[0].jenis].rowCount() == 1
    assert QApplication.focusWidget() is page.rhk.iki.indikator  # its indicators come next
    return page


def _add_iki(qtbot, desktop, page, indikator: str, target: str, satuan: str, *,
             ctrl_enter: bool = False) -> None:
    iki = page.rhk.iki
    assert QApplication.focusWidget() is iki.indikator
    QTest.keyClicks(iki.indikator, indikator)
    QTest.keyClick(iki.indikator, Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), target)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is iki.satuan
    QTest.keyClicks(iki.satuan, satuan)
    QTest.keyClick(iki.satuan, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is iki.aspek
    QTest.keyClick(iki.aspek, Qt.Key.Key_Down)  # the next aspect; a combo never saves
    if ctrl_enter:
        QTest.keyClick(iki.aspek, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    else:
        _press(iki.save_button)
    wait_idle(qtbot, desktop)


def test_plan_with_three_indicators_is_made_and_submitted_by_keyboard(qtbot, unlocked) -> None:
    page = _page_with_rhk(qtbot, unlocked)
    _add_iki(qtbot, unlocked, page, "KTP-el terekam", "1200", "Keping")
    _add_iki(qtbot, unlocked, page, "Ketepatan data", "95", "Persen", ctrl_enter=True)
    _add_iki(qtbot, unlocked, page, "Waktu layanan", "2,5", "Hari")
    rows = page.rhk.iki.model.rows
    assert [(r.indikator, str(r.target_nilai), r.target_satuan) for r in rows] == [
        ("KTP-el terekam", "1200", "Keping"), ("Ketepatan data", "95", "Persen"),
        ("Waktu layanan", "2.5", "Hari")]
    # The aspect stays as last chosen (the form clears only typed text); Down moves it on.
    assert [r.aspek.value for r in rows if r.aspek] == ["Kualitas", "Waktu", "Biaya"]
    spoken = page.rhk.iki.model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "KTP-el terekam" in spoken and "1.200 Keping" in spoken and _("Quality") in spoken
    assert (_("Saved"), False) in unlocked.announcer.history
    assert _("Ready to submit.") in page.status.text()

    _press(page.review_button)
    wait_idle(qtbot, unlocked)
    dialog = page.submit_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.isHidden() and not dialog.submit_button.isHidden()
    assert "KTP-el terekam" in dialog.summary.toPlainText()
    assert QApplication.focusWidget() is dialog.summary
    QTest.keyClick(dialog.summary, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.submit_button
    QTest.keyClick(dialog.submit_button, Qt.Key.Key_Space)
    wait_idle(qtbot, unlocked)

    assert page.submit_dialog is None
    assert _("Submitted") in page.status.text()
    assert page.withdraw_button.isEnabled() and not page.review_button.isEnabled()
    assert not page.rhk.form.isEnabled()  # a submitted plan is not edited
    assert _on_lane(qtbot, unlocked, lambda ws: ws.pending_count()) == 6  # skp, rhk, 3 iki, submit
    kinds = _on_lane(qtbot, unlocked, lambda ws: [op.kind for op in ws.outbox()])
    assert kinds[-1] == "submit"
    moves = [r.move_text() for r in page.history_model.rows]
    assert moves[-1] == _("{before} to {after}").format(before=_("Draft"), after=_("Submitted"))

    _press(page.withdraw_button)  # withdrawn while nobody has reviewed it
    wait_idle(qtbot, unlocked)
    assert _("Draft") in page.status.text() and page.rhk.form.isEnabled()


def test_an_empty_target_keeps_the_typing_and_takes_focus(qtbot, unlocked) -> None:
    page = _page_with_rhk(qtbot, unlocked)
    iki = page.rhk.iki
    QTest.keyClicks(iki.indikator, "Dokumen kependudukan terbit")
    _type(iki.satuan, "Dokumen")
    _press(iki.save_button)
    wait_idle(qtbot, unlocked)
    error = _("This value is required.")
    assert iki.indikator.toPlainText() == "Dokumen kependudukan terbit"
    assert iki.satuan.text() == "Dokumen"
    assert iki.target.accessibleDescription() == error
    assert QApplication.focusWidget() is iki.target
    assert iki.form.fields["target_nilai"].error.text() == error
    assert iki.model.rowCount() == 0
    said, assertive = unlocked.announcer.history[-1]
    assert assertive and _("Target") in said and error in said
    assert page.drafts()["skp.iki"]["indikator"] == "Dokumen kependudukan terbit"

    QTest.keyClicks(iki.target, "12")
    _press(iki.save_button)
    wait_idle(qtbot, unlocked)
    assert iki.model.rowCount() == 1  # the error is gone; the field's own description is back
    assert iki.target.accessibleDescription() == iki.form.fields["target_nilai"].description


def test_review_lists_problems_and_enter_jumps_to_the_field(qtbot, unlocked) -> None:
    page = _page_with_rhk(qtbot, unlocked, atasan="")
    _press(page.review_button)
    wait_idle(qtbot, unlocked)
    dialog = page.submit_dialog
    problems = dialog.model.rows
    assert [p.field for p in problems] == ["rhk[0].rhk_atasan", "rhk[0].iki"]
    assert dialog.submit_button.isHidden()  # submitting only when nothing blocks it
    assert QApplication.focusWidget() is dialog.table
    spoken = dialog.model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "RHK A.1" in spoken and _("Supervisor's RHK this serves") in spoken
    QTest.keyClick(dialog.table, Qt.Key.Key_Return)
    wait_idle(qtbot, unlocked)
    assert page.submit_dialog is None
    _focus_reaches(qtbot, page.rhk.atasan)  # the main window is active again
    assert page.rhk.editing == page.rhk.skp.rhk[0].id
    assert page.rhk.atasan.accessibleDescription() == problems[0].message


# -- through a real server ------------------------------------------------------------------
def _office(server) -> None:
    now = server.clock()
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="kec", nama="Kecamatan Sukamaju"))
        ids = {nip: accounts.create_person(conn, now, nip=nip, nama=nama, password=PASSWORD,
                                           unit_id="kec")
               for nip, nama in ((NIP, "Siti Aminah"), (NIP_SUP, "Rahmat Hidayat"))}
        conn.execute(supervisor_link.insert().values(
            id=uuid7(), pegawai_id=ids[NIP], penilai_id=ids[NIP_SUP],
            berlaku_mulai=f"{YEAR}-01-01"))


def _submitted_and_decided(qtbot, unlocked, server, tmp_path: Path, decide) -> object:
    """The employee's plan made on the page's workspace and synced; the supervisor decides."""
    _office(server)

    def plan_and_sync(ws: Workspace) -> str:
        skp = ws.create_skp(YEAR, "pelaksana").primary_id or ""
        rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
        ws.add_iki(rhk or "", "KTP-el terekam", "1200", "Keping", aspek="Kuantitas")
        ws.submit_skp(skp)
        client = SyncClient(ws, server.url)
        client.login(NIP, PASSWORD)
        assert client.sync_once().rejected == 0
        return skp
    skp = _on_lane(qtbot, unlocked, plan_and_sync)
    atasan, _key = Workspace.create_profile(
        NIP_SUP, "Rahmat Hidayat", PASSWORD,
        manager=ProfileManager(tmp_path / "atasan", kdf_policy=KdfParams.floor))
    try:
        client = SyncClient(atasan, server.url)
        client.login(NIP_SUP, PASSWORD)
        client.sync_once()
        decide(atasan, skp)
        assert client.sync_once().acked == 1
    finally:
        atasan.lock()
    _on_lane(qtbot, unlocked, lambda ws: SyncClient(ws, server.url).sync_once())
    page = unlocked.window.open_page("skp")
    page.load()  # the app's sync worker would announce the pull; here the test does
    wait_idle(qtbot, unlocked)
    return page


def test_a_returned_skp_shows_the_supervisors_note(qtbot, unlocked, sqlite_server,
                                                   tmp_path) -> None:
    note = "Target IKI terlalu rendah; naikkan ke 1.500"
    page = _submitted_and_decided(qtbot, unlocked, sqlite_server, tmp_path,
                                  lambda ws, skp: ws.return_skp(skp, note))
    assert _("Returned for revision") in page.status.text()
    assert not page.note.isHidden() and note in page.note.text()
    last = page.history_model.rows[-1]
    assert (last.ke, last.catatan) == ("Dikembalikan", note)
    row = page.history_model.rowCount() - 1
    assert note in page.history_model.index(row, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert page.rhk.form.isEnabled() and page.review_button.isEnabled()  # fix, then resubmit


def test_amendment_request_after_approval_reaches_the_server(qtbot, unlocked, sqlite_server,
                                                             tmp_path) -> None:
    page = _submitted_and_decided(qtbot, unlocked, sqlite_server, tmp_path,
                                  lambda ws, skp: ws.approve_skp(skp))
    assert _("Approved") in page.status.text()
    assert not page.rhk.form.isEnabled() and not page.review_button.isEnabled()
    _press(page.amend_button)
    wait_idle(qtbot, unlocked)
    dialog = page.amendment_dialog
    assert dialog is not None
    _focus_reaches(qtbot, dialog.alasan)
    QTest.keyClicks(dialog.alasan, "Ada tugas tambahan dari kepala seksi")
    QTest.keyClick(dialog.alasan, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.request_button
    QTest.keyClick(dialog.request_button, Qt.Key.Key_Space)
    wait_idle(qtbot, unlocked)
    assert page.amendment_dialog is None
    [op] = _on_lane(qtbot, unlocked, lambda ws: [o for o in ws.outbox(("pending",))
                                                  if o.entity_kind == "amandemen"])
    assert op.kind == "create"
    assert op.payload == {"skp_id": page.view.skp.id,
                          "alasan": "Ada tugas tambahan dari kepala seksi"}
    assert _("Waiting to be sent") in page.amendments.text()

    report = _on_lane(qtbot, unlocked, lambda ws: SyncClient(ws, sqlite_server.url).sync_once())
    assert (report.acked, report.rejected) == (1, 0)  # the server opened the amendment
    page.load()
    wait_idle(qtbot, unlocked)
    assert _("Accepted by the server") in page.amendments.text()


def test_typing_in_every_form_survives_a_lock(qtbot, unlocked) -> None:
    page = _page_with_rhk(qtbot, unlocked)
    rhk_id = page.rhk.skp.rhk[0].id
    _press(page.rhk.edit_button)  # the chosen RHK (the new one) goes into the form
    assert page.rhk.editing == rhk_id
    QTest.keyClicks(page.rhk.teks, " di seluruh desa")
    _type(page.rhk.iki.indikator, "Setengah diketik")
    _type(page.extras.teks, "Aplikasi SIAK")
    drafts = page.drafts()
    assert set(drafts) == {"skp.rhk", "skp.iki", "skp.lampiran"}
    unlocked.lock()
    wait_idle(qtbot, unlocked)
    assert unlocked.window is None
    unlocked.dialog.password.setText(PASSWORD)
    unlocked.dialog.unlock_button.click()
    qtbot.waitUntil(lambda: unlocked.window is not None, timeout=10_000)
    again = unlocked.window.open_page("skp")
    wait_idle(qtbot, unlocked)
    assert again is not page
    assert again.rhk.teks.toPlainText() == "Terlaksananya perekaman KTP-el di seluruh desa"
    assert again.rhk.editing == rhk_id and not again.rhk.stop_button.isHidden()
    assert again.rhk.iki.indikator.toPlainText() == "Setengah diketik"
    assert again.extras.teks.toPlainText() == "Aplikasi SIAK"
    _press(again.rhk.save_button)  # the restored edit saves onto the same RHK
    wait_idle(qtbot, unlocked)
    assert [r.teks for r in again.rhk.skp.rhk] == [
        "Terlaksananya perekaman KTP-el di seluruh desa"]


def test_the_filled_plan_passes_the_accessibility_checks(qtbot, unlocked) -> None:
    """test_accessibility walks the page before any SKP exists; this walks the plan itself."""
    from tests.ui import a11y_checks
    from ui.theme import apply_theme

    page = _page_with_rhk(qtbot, unlocked)
    _add_iki(qtbot, unlocked, page, "KTP-el terekam", "1200", "Keping")
    window = unlocked.window
    window.resize(1280, 800)
    QApplication.processEvents()
    problems = [p for check in a11y_checks.ALL_CHECKS for p in check(window)]
    assert problems == []
    targets = [w for w in a11y_checks.focusables(page)
               if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert len(targets) > 25  # the plan's tables, forms and buttons are all there
    window.activateWindow()
    page.year.setFocus()
    visited = [page.year, *a11y_checks.tab_cycle(window, qtbot, limit=600)]
    assert [a11y_checks._who(w) for w in targets if w not in visited] == []
    apply_theme(QApplication.instance(), "light", 200)
    try:
        QApplication.processEvents()
        assert a11y_checks.check_clipping(page) == []  # this page's own labels and buttons
    finally:
        apply_theme(QApplication.instance(), "light", 100)


def test_a_jpt_plan_asks_for_a_perspective_not_an_aspect(qtbot, unlocked) -> None:
    page = unlocked.window.open_page("skp")
    wait_idle(qtbot, unlocked)
    combo = page.jenis_jabatan
    combo.setFocus()
    for _step in range(combo.count()):  # the keyboard walks the list; nothing saves
        if combo.currentData() == "jpt_pratama":
            break
        QTest.keyClick(combo, Qt.Key.Key_Up)
    assert combo.currentData() == "jpt_pratama" and page.create_panel.isVisible()
    _press(page.create_button)
    wait_idle(qtbot, unlocked)
    rhk, iki = page.rhk, page.rhk.iki
    assert rhk.perspektif.isVisibleTo(page) and not iki.aspek.isVisibleTo(page)
    _type(rhk.teks, "Meningkatnya kualitas layanan kependudukan")
    rhk.perspektif.setFocus()
    QTest.keyClick(rhk.perspektif, Qt.Key.Key_Down)
    _press(rhk.save_button)
    wait_idle(qtbot, unlocked)
    QTest.keyClicks(iki.indikator, "Indeks kepuasan masyarakat")
    _type(iki.target, "85")
    _type(iki.satuan, "Indeks")
    _press(iki.save_button)
    wait_idle(qtbot, unlocked)
    skp = page.view.skp
    assert skp.jenis_jabatan.value == "jpt_pratama"
    assert skp.rhk[0].perspektif is not None and skp.rhk[0].perspektif.value == "Proses Bisnis"
    assert skp.rhk[0].iki[0].aspek is None
    assert page.view.problems == 0 and _("Ready to submit.") in page.status.text()
