"""Realisasi: record an IKI's realisation in a period with evidence files and links; errors
name the field, move focus there and keep every typed character; typing survives switching
rows. Runs the real app (DB lane, encrypted profile) offscreen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from asndesk.i18n import _
from tests.ui.sync_helpers import read, wait_idle, write
from ui.forms import plain
from ui.models.realisasi_table_model import RealisasiTableModel
from ui.pages.realisasi_data import period_name

YEAR = date.today().year


def _plan(ws: Any) -> Any:
    skp = ws.create_skp(YEAR, "pelaksana").primary_id
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
    ws.add_iki(rhk, "KTP-el terekam", "1200", "Keping", aspek="Kuantitas")
    return ws.add_iki(rhk, "Warga puas dengan layanan", "90", "persen", aspek="Kualitas")


def _open(qtbot: Any, desktop: Any) -> Any:
    write(qtbot, desktop, _plan)
    page = desktop.window.open_page("realisasi")
    wait_idle(qtbot, desktop)
    page.period.setCurrentIndex(0)  # the first quarter
    wait_idle(qtbot, desktop)
    return page


def _cell(page: Any, row: int, column: int) -> str:
    model = page.model
    return str(model.data(model.index(row, column)))


def test_realisation_with_evidence_is_saved(unlocked, qtbot, tmp_path: Path) -> None:
    page = _open(qtbot, unlocked)
    assert page.period.count() >= 4  # the local default periods were made
    period = page.data.period
    assert page.period.currentText() == period_name(period)
    assert page.model.rowCount() == 2
    assert page.status.text().endswith(_("{done} of {total} indicators have a realisation.")
                                       .format(done=0, total=2))
    assert page._key is not None and page.save_button.isEnabled()

    photo = tmp_path / "rekap-ktp.txt"
    photo.write_text("300 keping terekam\n", encoding="utf-8")
    page.evidence.choose_files = lambda _parent: [str(photo)]
    page.evidence.add_files_button.click()
    page.evidence.link.setText("https://drive.example.go.id/ktp")  # typed, never "added"
    page.uraian.setPlainText("Terekam 300 keping di kecamatan")
    page.nilai.setText("300,5")
    said = len(unlocked.announcer.history)
    page.save_button.click()
    wait_idle(qtbot, unlocked)
    assert (_("Saved"), False) in unlocked.announcer.history[said:]
    row = next(r for r in page.model.rows if r.indikator == "KTP-el terekam")
    assert (row.recorded, row.bukti, row.uraian) == (True, 2, "Terekam 300 keping di kecamatan")
    assert _cell(page, page.model.row_of(row.iki_id), RealisasiTableModel.REALISASI) == \
        "300,5 Keping"
    qtbot.waitUntil(lambda: page.evidence.list.count() == 2)
    listed = [page.evidence.list.item(n).text() for n in range(2)]
    assert listed == [_("{name} (saved)").format(name="rekap-ktp.txt"),
                      _("{name} (saved)").format(name="https://drive.example.go.id/ktp")]
    assert page.evidence.link.text() == "" and page.drafts() == {}
    stored = read(qtbot, unlocked, lambda ws: ws.realisasi_list(ws.skp_list(YEAR)[0]["id"],
                                                                period["id"]))
    assert [(r["uraian"], r["nilai"], r["bukti"]) for r in stored] == [
        ("Terekam 300 keping di kecamatan", "300.5", 2)]
    assert page.status.text().endswith(_("{done} of {total} indicators have a realisation.")
                                       .format(done=1, total=2))


def test_invalid_value_names_the_field_and_keeps_the_typing(unlocked, qtbot,
                                                            tmp_path: Path) -> None:
    page = _open(qtbot, unlocked)
    page.uraian.setPlainText("Terekam sekitar tiga ratus")
    page.nilai.setText("tiga ratus")
    said = len(unlocked.announcer.history)
    page.save_button.click()
    wait_idle(qtbot, unlocked)
    error = page.form.fields["nilai"].error
    assert error.isVisibleTo(page) and error.text()
    assert page.nilai.accessibleDescription() == error.text()  # in its description
    assert unlocked.window.focusWidget() is page.nilai
    spoken, assertive = unlocked.announcer.history[-1]
    assert assertive and len(unlocked.announcer.history) > said
    assert plain(_("&Value achieved")) in spoken  # the summary names the field
    assert page.nilai.text() == "tiga ratus"
    assert page.uraian.toPlainText() == "Terekam sekitar tiga ratus"
    assert not page.model.rows[0].recorded

    # A file that is not evidence: said on the evidence list, nothing typed is lost.
    tool = tmp_path / "setup.exe"
    tool.write_bytes(b"MZ")
    page.nilai.setText("300")
    page.evidence.choose_files = lambda _parent: [str(tool)]
    page.evidence.add_files_button.click()
    page.save_button.click()
    wait_idle(qtbot, unlocked)
    assert page.evidence.error.isVisibleTo(page) and ".exe" in page.evidence.error.text()
    assert page.evidence.list.accessibleDescription() == page.evidence.error.text()
    assert unlocked.window.focusWidget() is page.evidence.list
    assert not page.form.fields["nilai"].error.isVisibleTo(page)
    assert (page.uraian.toPlainText(), page.nilai.text()) == ("Terekam sekitar tiga ratus",
                                                              "300")
    assert not page.model.rows[0].recorded


def test_typing_is_kept_when_moving_between_indicators(unlocked, qtbot) -> None:
    page = _open(qtbot, unlocked)
    first, second = (page.proxy.index(n, 0) for n in range(2))
    page.table.setCurrentIndex(first)
    page.uraian.setPlainText("Setengah jalan")
    page.table.setCurrentIndex(second)
    assert page.uraian.toPlainText() == ""
    assert any(key.startswith("realisasi.form:") for key in page.drafts())
    page.table.setCurrentIndex(first)
    assert page.uraian.toPlainText() == "Setengah jalan"
    # Choosing another period neither saves nor loses it.
    page.period.setCurrentIndex(1)
    wait_idle(qtbot, unlocked)
    assert page.uraian.toPlainText() == ""
    page.period.setCurrentIndex(0)
    wait_idle(qtbot, unlocked)
    assert page.uraian.toPlainText() == "Setengah jalan"
    assert not any(r.recorded for r in page.model.rows)
