"""Bawahan page: the team's models (no widgets), then the page and its dialogs with real widgets
over a real encrypted profile whose team partitions were filled the way a sync fills them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from asndesk.domain.ratings import Predikat, distribution_warnings
from asndesk.i18n import _
from tests.conftest import NIP_B
from tests.core.test_team_usecases import NIP_C, Plan, roles
from tests.ui import a11y_checks
from tests.ui.conftest import wait_idle
from tests.ui.team_samples import OWN_RHK, rating_data, review_data
from ui.models.rows_table_model import ROW_ROLE
from ui.models.team_rating_table_model import angka_text, distribution, months_of
from ui.models.team_table_model import ALL, NO_SKP, TeamTableModel, matches, team_rows
from ui.pages.team_data import skp_text

YEAR = 2026


def _not_set() -> str:
    return _("The capaian kinerja organisasi of {year} is not set (or not synced yet), so the "
             "distribution cannot be compared with the guidance.")


def _member(nip: str, nama: str, status: str | None, **more: Any) -> dict[str, Any]:
    skp = None if status is None else {"id": f"skp-{nip}", "status": status, "version": 3}
    return {"nip": nip, "nama": nama, "jabatan": "Pengadministrasi", "info": {}, "skp": skp,
            "amendments_waiting": 0, "pending_decisions": 0, "log_week": 0, "log_harian": 0,
            "realisasi": 0, "last_change": None, **more}


# -- models, without widgets ------------------------------------------------------------------
def test_team_rows_filter_on_status_decision_and_search() -> None:
    rows = team_rows([
        _member("199001012020122002", "Budi Santoso", "Diajukan", log_week=4),
        _member("199203032019031003", "Citra Dewi", "Disetujui", amendments_waiting=1),
        _member("198501012010011001", "Dani", "Diajukan", pending_decisions=1),
        _member("197501012000011001", "Eka", None)])
    _budi, citra, dani, _eka = rows
    assert [r.needs_decision for r in rows] == [True, True, False, False]
    assert [r.nama for r in rows if matches(r, needs_only=True)] == ["Budi Santoso",
                                                                    "Citra Dewi"]
    assert [r.nama for r in rows if matches(r, "Diajukan")] == ["Budi Santoso", "Dani"]
    assert [r.nama for r in rows if matches(r, NO_SKP)] == ["Eka"]
    assert [r.nama for r in rows if matches(r, ALL, text="citra")] == ["Citra Dewi"]
    assert [r.nama for r in rows if matches(r, text="19900101 2020")] == ["Budi Santoso"]
    assert dani.decision_text() == _("Your decision waits to be sent")
    assert citra.decision_text() == _("Amendment needs your decision")

    model = TeamTableModel(rows)
    summary = model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Budi Santoso" in summary and _("Needs your decision") in summary
    assert model.index(0, TeamTableModel.MINGGU).data() == "4"
    assert model.index(3, TeamTableModel.STATUS).data() == _("No SKP synced")
    assert model.index(3, TeamTableModel.SINKRON).data() == _("not yet")


def test_ratings_predikat_distribution_and_angka_kredit_follow_the_domain() -> None:
    data = rating_data("Baik")
    ani, budi, citra = data.rows
    assert ani.predikat == Predikat.BAIK and budi.predikat is None
    assert not citra.rateable and budi.rateable
    counts = distribution(data.rows)
    assert counts[Predikat.BAIK] == 1 and sum(counts.values()) == 1
    assert [w.code for w in distribution_warnings("Baik", counts)] == [
        "baik_above_max", "butuh_perbaikan_or_kurang_missing"]
    assert ani.angka_kredit("Ahli Muda", f"{YEAR}-TH") == Decimal("25.000")
    assert ani.angka_kredit("Ahli Muda", f"{YEAR}-TW1") == Decimal("6.250")
    assert ani.angka_kredit("Pemula", f"{YEAR}-TH") is None  # not a keahlian jenjang
    assert budi.angka_kredit("Ahli Muda", f"{YEAR}-TH") is None  # not functional
    assert [months_of(p) for p in ("2026-TW2", "2026-S1", "2026-TH", "2026-03")] == [
        3, 6, 12, 1]


def test_the_review_text_names_the_supervisors_rhk_and_the_evidence() -> None:
    text = skp_text(review_data())
    assert _("Serves your RHK {number}: {text}").format(number="A.1", text=OWN_RHK) in text
    assert _("Serves “{text}”, which is not one of your RHK of {year}").format(
        text="Lain", year=YEAR) in text
    assert _("File: {name}").format(name="rekap-tw1.pdf") in text
    assert _("Link: {url}").format(url="https://drive.example.go.id/ktp") in text
    assert "Berorientasi Pelayanan" in text  # the BerAKHLAK values are read too


# -- the page and dialogs, with widgets ------------------------------------------------------
@pytest.fixture
def team(qtbot, unlocked):
    """Budi submitted his SKP (version 3); Citra's is approved (version 4). The supervisor's
    own SKP has the RHK Budi's RHK names (Plan's rhk_atasan "Cakupan KTP-el")."""
    budi, citra = Plan(NIP_B), Plan(NIP_C, status="Disetujui")

    def fill(ws):
        ws.record_roles(roles([NIP_B, NIP_C], []))
        ws.apply_pull_page(f"team:{NIP_B}", budi.changes(3), {"epoch": "e", "seq": 5})
        ws.apply_pull_page(f"team:{NIP_C}", citra.changes(4), {"epoch": "e", "seq": 5})
        own = ws.create_skp(YEAR, "pengawas").primary_id
        ws.add_rhk(own, "Cakupan KTP-el")
    _lane(qtbot, unlocked, fill)
    return unlocked, budi, citra


def _lane(qtbot, desktop, fn):
    got: list = []
    desktop.ctx.read(fn, lambda value: got.append((value,)))
    wait_idle(qtbot, desktop)
    assert got, "the DB lane did not answer"
    return got[0][0]


def open_team_page(qtbot, desktop):
    """The Bawahan page in the main window: shown once the stored /me makes the profile a
    supervisor (as after a sync, the app rereads the roles)."""
    if not any(p.page_id == "bawahan" for p in desktop.window.pages):
        desktop.set_roles(_lane(qtbot, desktop, lambda ws: ws.role_names()))
        wait_idle(qtbot, desktop)
    page = desktop.window.open_page("bawahan")
    page.load()
    wait_idle(qtbot, desktop)
    return page


def _select(page, nip: str) -> None:
    row = page.model.row_of(nip)
    page.table.setCurrentIndex(page.proxy.mapFromSource(page.model.index(row, 0)))
    page.table.setFocus()


def _ops(qtbot, desktop, kind: str) -> list:
    return _lane(qtbot, desktop, lambda ws: [o for o in ws.outbox(("pending",))
                                             if o.kind == kind])


def test_filters_and_enter_opens_the_review(qtbot, team) -> None:
    desktop, _budi, _citra = team
    page = open_team_page(qtbot, desktop)
    assert page.model.rowCount() == 2 and page.proxy.rowCount() == 2
    assert page.first_focus() is page.table
    page.needs_only.setChecked(True)
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 0).data(ROW_ROLE).nip == NIP_B
    page.needs_only.setChecked(False)
    page.search.setText("citra")
    assert page.proxy.rowCount() == 1
    page.search.clear()
    page.status_filter.setCurrentIndex(page.status_filter.findData("Disetujui"))
    assert [page.proxy.index(0, 0).data(ROW_ROLE).nip] == [NIP_C]
    page.status_filter.setCurrentIndex(0)

    _select(page, NIP_B)
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    wait_idle(qtbot, desktop)
    dialog = page.review_dialog
    assert dialog is not None and dialog.isVisible()
    assert _("Serves your RHK {number}: {text}").format(
        number="A.1", text="Cakupan KTP-el") in dialog.content.toPlainText()
    assert dialog.approve_button.isEnabled() and dialog.return_button.isEnabled()
    problems = [p for check in a11y_checks.ALL_CHECKS for p in check(dialog)]
    assert not problems, problems


def test_return_needs_a_note_and_keeps_the_typing(qtbot, team) -> None:
    desktop, budi, _citra = team
    page = open_team_page(qtbot, desktop)
    _select(page, NIP_B)
    page.open_review()
    wait_idle(qtbot, desktop)
    dialog = page.review_dialog
    QTest.keyClicks(dialog.note, "   ")
    dialog.return_button.click()
    wait_idle(qtbot, desktop)
    error = dialog.form.fields["catatan"].error
    assert not error.isHidden() and error.text()
    assert dialog.note.accessibleDescription() == error.text()
    assert QApplication.focusWidget() is dialog.note
    assert dialog.note.toPlainText() == "   "  # nothing typed is lost
    assert _ops(qtbot, desktop, "return") == []

    dialog.note.setPlainText("Target IKI terlalu rendah")
    dialog.return_button.click()
    wait_idle(qtbot, desktop)
    [op] = _ops(qtbot, desktop, "return")
    assert (op.entity_id, op.base_version, op.payload) == (
        budi.skp, 3, {"catatan": "Target IKI terlalu rendah"})
    assert not dialog.isVisible()
    wait_idle(qtbot, desktop)
    row = page.model.rows[page.model.row_of(NIP_B)]
    assert row.decision_text() == _("Your decision waits to be sent")


def test_approving_has_a_confirm_step_that_defaults_to_back(qtbot, team) -> None:
    desktop, budi, _citra = team
    page = open_team_page(qtbot, desktop)
    _select(page, NIP_B)
    page.open_review()
    wait_idle(qtbot, desktop)
    dialog = page.review_dialog
    dialog.approve_button.click()
    assert not dialog.confirm.isHidden() and dialog.decision_row.isHidden()
    assert dialog.back_button.isDefault()
    assert QApplication.focusWidget() is dialog.back_button
    assert "3" in dialog.confirm_text.text()  # the version being approved is named
    QTest.keyClick(dialog.back_button, Qt.Key.Key_Space)
    assert dialog.confirm.isHidden() and _ops(qtbot, desktop, "approve") == []

    dialog.approve_button.click()
    said = len(desktop.announcer.history)
    dialog.confirm_button.setFocus()
    QTest.keyClick(dialog.confirm_button, Qt.Key.Key_Space)
    wait_idle(qtbot, desktop)
    [op] = _ops(qtbot, desktop, "approve")
    assert (op.entity_id, op.base_version) == (budi.skp, 3)
    assert (_("Saved. The approval is sent at the next sync."), False) in \
        desktop.announcer.history[said:]


def test_feedback_on_a_realisation_shows_its_evidence(qtbot, team) -> None:
    desktop, budi, _citra = team
    page = open_team_page(qtbot, desktop)
    _select(page, NIP_B)
    page.open_feedback()
    wait_idle(qtbot, desktop)
    dialog = page.feedback_dialog
    dialog.choose(("realisasi", budi.realisasi, None))
    assert _("No evidence attached to this realisation.") in dialog.detail.toPlainText()
    dialog.send_button.click()
    wait_idle(qtbot, desktop)
    assert not dialog.text_form.fields["teks"].error.isHidden()
    assert QApplication.focusWidget() is dialog.teks
    dialog.teks.setPlainText("Lampirkan foto rekapan")
    dialog.send_button.click()
    wait_idle(qtbot, desktop)
    [op] = [o for o in _ops(qtbot, desktop, "create") if o.entity_kind == "umpan_balik"]
    assert op.payload == {"skp_id": budi.skp, "sasaran_jenis": "realisasi",
                          "sasaran_id": budi.realisasi, "period_id": "2026-TW1",
                          "teks": "Lampirkan foto rekapan"}


def test_feedback_dialog_lists_files_and_links_of_the_evidence(qtbot, unlocked) -> None:
    from tests.ui.team_samples import REAL
    from ui.team_feedback_dialog import TeamFeedbackDialog

    dialog = TeamFeedbackDialog(unlocked.ctx, review_data(), unlocked.window)
    dialog.choose(("realisasi", REAL, None))
    detail = dialog.detail.toPlainText()
    assert _("File: {name}").format(name="rekap-tw1.pdf") in detail
    assert _("Link: {url}").format(url="https://drive.example.go.id/ktp") in detail
    dialog.choose(("perilaku", "3", None))
    assert dialog.target() == ("perilaku", "3", None)


def test_period_rating_shows_the_predikat_and_queues_it(qtbot, team) -> None:
    desktop, _budi, citra = team
    page = open_team_page(qtbot, desktop)
    page.open_rating()
    wait_idle(qtbot, desktop)
    dialog = page.rating_dialog
    assert dialog.data.period_id == f"{YEAR}-TH"
    dialog.period.setCurrentIndex(dialog.period.findData(f"{YEAR}-TW1"))
    wait_idle(qtbot, desktop)
    assert dialog.data.period_id == f"{YEAR}-TW1"
    assert _ops(qtbot, desktop, "rate") == []  # a combo never saves
    assert dialog.capaian.text() == _not_set().format(year=YEAR)
    row = dialog.model.row_of(NIP_C)
    dialog.table.setCurrentIndex(dialog.model.index(row, 0))
    assert dialog.save_button.isEnabled()
    dialog.hasil.setCurrentIndex(dialog.hasil.findData("Di Atas Ekspektasi"))
    dialog.perilaku.setCurrentIndex(dialog.perilaku.findData("Di Atas Ekspektasi"))
    assert "Sangat Baik" in dialog.outcome.text()
    dialog.save_button.click()
    wait_idle(qtbot, desktop)
    [op] = _ops(qtbot, desktop, "rate")
    assert op.payload == {"skp_id": citra.skp, "period_id": f"{YEAR}-TW1",
                          "rating_hasil_kerja": "Di Atas Ekspektasi",
                          "rating_perilaku": "Di Atas Ekspektasi"}
    wait_idle(qtbot, desktop)
    rated = dialog.model.rows[dialog.model.row_of(NIP_C)]
    assert rated.state_text() == _("Waiting to be sent")
    assert "Sangat Baik: 1" in dialog.counts.text()
    budi_row = dialog.model.row_of(NIP_B)
    dialog.table.setCurrentIndex(dialog.model.index(budi_row, 0))
    assert not dialog.save_button.isEnabled()  # a submitted SKP is rated once approved


def test_rating_dialog_warns_against_the_capaian_and_shows_angka_kredit(qtbot,
                                                                        unlocked) -> None:
    from ui.team_rating_dialog import TeamRatingDialog

    data = rating_data("Baik")
    dialog = TeamRatingDialog(unlocked.ctx, data, unlocked.window)
    counts = distribution(data.rows)
    for warning in distribution_warnings("Baik", counts):
        assert warning.message() in dialog.warnings.text()
    assert not dialog.warnings.isHidden()
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))  # Ani, Ahli Muda, Baik
    assert dialog.jenjang.currentData() == "Ahli Muda" and dialog.jenjang.isEnabled()
    assert _("Angka kredit for this period: {value}.").format(
        value=angka_text(Decimal("25.000"))) in dialog.outcome.text()
    dialog.table.setCurrentIndex(dialog.model.index(1, 0))  # Budi, pelaksana
    assert not dialog.jenjang.isEnabled()
    no_capaian = TeamRatingDialog(unlocked.ctx, rating_data(None), unlocked.window)
    assert no_capaian.warnings.isHidden()
    assert no_capaian.capaian.text() == _not_set().format(year=YEAR)


def test_a_note_and_feedback_being_typed_survive_a_lock(qtbot, team) -> None:
    from tests.conftest import PASSWORD

    desktop, budi, _citra = team
    page = open_team_page(qtbot, desktop)
    _select(page, NIP_B)
    page.open_review()
    wait_idle(qtbot, desktop)
    page.review_dialog.note.setPlainText("Naikkan target")
    page.open_feedback()
    wait_idle(qtbot, desktop)
    page.feedback_dialog.choose(("rhk", budi.rhk, None))
    page.feedback_dialog.teks.setPlainText("RHK belum terukur")
    assert set(page.drafts()) == {"bawahan.review", "bawahan.feedback"}
    desktop.lock()
    wait_idle(qtbot, desktop)
    assert desktop.window is None
    desktop.dialog.password.setText(PASSWORD)
    desktop.dialog.unlock_button.click()
    qtbot.waitUntil(lambda: desktop.window is not None, timeout=10_000)
    again = open_team_page(qtbot, desktop)
    assert again is not page
    _select(again, NIP_B)
    again.open_review()
    wait_idle(qtbot, desktop)
    assert again.review_dialog.note.toPlainText() == "Naikkan target"
    again.open_feedback()
    wait_idle(qtbot, desktop)
    assert again.feedback_dialog.teks.toPlainText() == "RHK belum terukur"
    assert again.feedback_dialog.target()[:2] == ("rhk", budi.rhk)
    assert _ops(qtbot, desktop, "return") == []  # nothing was sent by restoring


def test_the_page_is_shown_to_supervisors_only(qtbot, unlocked) -> None:
    from ui.pages.team_page import TeamPage

    assert TeamPage.required_roles == frozenset({"supervisor"})
    assert "bawahan" not in [p.page_id for p in unlocked.window.pages]  # no /me yet


def test_the_filled_page_and_its_dialogs_pass_the_accessibility_checks(qtbot, team) -> None:
    """test_accessibility walks a profile that supervises nobody; this walks the team."""
    from ui.theme import apply_theme

    desktop, _budi, _citra = team
    page = open_team_page(qtbot, desktop)
    desktop.window.resize(1280, 800)
    _select(page, NIP_B)
    QApplication.processEvents()

    def problems(widget) -> list[str]:
        # Each window alone: the dialogs are the page's children, with their own mnemonics.
        return [p for check in a11y_checks.ALL_CHECKS for p in check(widget)]
    assert problems(page) == []
    targets = [w for w in a11y_checks.focusables(page)
               if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    desktop.window.activateWindow()
    page.year.setFocus()
    visited = [page.year, *a11y_checks.tab_cycle(desktop.window, qtbot, limit=300)]
    assert [a11y_checks._who(w) for w in targets if w not in visited] == []
    page.open_review()
    wait_idle(qtbot, desktop)
    assert problems(page.review_dialog) == []
    page.review_dialog.open_feedback()
    assert problems(page.review_dialog.feedback_dialog) == []
    page.open_rating()
    wait_idle(qtbot, desktop)
    assert problems(page.rating_dialog) == []
    screens = [page, page.review_dialog, page.rating_dialog, page.review_dialog.feedback_dialog]
    apply_theme(QApplication.instance(), "light", 200)
    try:
        QApplication.processEvents()
        cut = [p for widget in screens for p in a11y_checks.check_clipping(widget)]
        assert cut == [], "\n".join(cut)
    finally:
        apply_theme(QApplication.instance(), "light", 100)
