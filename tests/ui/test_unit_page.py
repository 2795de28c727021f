"""Unit Kerja, the HR officer's monitoring: the models without widgets (words for every
cell, filters, waiting decisions per penilai), then the page with real widgets over a unit
filled the way sync fills it — filters, the N-days spin box, export of the shown list, the
not-connected note and the roster path kept for later."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from asndesk.domain.skp import StatusSkp
from asndesk.i18n import _
from asndesk.store.ids import uuid7
from asndesk.unit_usecases import MemberStatus
from asndesk.workspace import Workspace
from sync.roster_admin import DeviceInfo, RosterLine, RosterReport, RowProblem
from tests.core.kantor_data import MEMBERS, UNIT, fill_unit
from tests.core.test_team_usecases import change
from tests.ui.sync_helpers import wait_idle, write
from ui.models.device_table_model import DeviceRow, DeviceTableModel
from ui.models.roster_preview_table_model import (
    ROW_CODES,
    RosterPreviewTableModel,
    preview_rows,
)
from ui.models.unit_table_model import (
    PenilaiTableModel,
    UnitTableModel,
    matches,
    penilai_rows,
)
from ui.skp_words import STATUS

ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole


def _member(nama: str, **kw: object) -> MemberStatus:
    base: dict[str, object] = dict(
        nip="199001012020122002", nama=nama, jabatan=None, status_skp=StatusSkp.DISETUJUI,
        lewat_batas=False, log_minggu_ini=2, menunggu=0, penilai_nip="197001011995031001",
        penilai_nama="Hadi", terakhir_sinkron=datetime(2026, 11, 20, 1, tzinfo=UTC),
        hari_tanpa_sinkron=3)
    base.update(kw)
    return MemberStatus(**base)  # type: ignore[arg-type]


def test_unit_model_reads_every_cell_in_words_and_filters() -> None:
    late = _member("Budi", status_skp=StatusSkp.DIAJUKAN, lewat_batas=True, log_minggu_ini=0,
                   menunggu=1, terakhir_sinkron=None, hari_tanpa_sinkron=None)
    fine = _member("Citra", nip="199203032019031003")
    model = UnitTableModel([late, fine])
    assert model.index(0, UnitTableModel.SKP).data() == _("{status}, past the deadline").format(
        status=_(STATUS[StatusSkp.DIAJUKAN]))
    assert model.index(0, UnitTableModel.SINKRON).data() == _("never synced")
    summary = model.index(0, 0).data(ACCESSIBLE)
    assert "Budi" in summary and _("never synced") in summary and "Hadi" in summary
    assert [matches(p, "no_skp", 7) for p in (late, fine)] == [True, False]
    assert [matches(p, "no_log", 7) for p in (late, fine)] == [True, False]
    assert [matches(p, "waiting", 7) for p in (late, fine)] == [True, False]
    assert [matches(p, "not_synced", 3) for p in (late, fine)] == [True, True]
    assert [matches(p, "not_synced", 4) for p in (late, fine)] == [True, False]
    assert [matches(p, "all", 7, "032019") for p in (late, fine)] == [False, True]  # NIP part
    assert [matches(p, "all", 7, "buD") for p in (late, fine)] == [True, False]


def test_waiting_decisions_are_grouped_per_penilai_unknown_last() -> None:
    rows = penilai_rows([
        _member("A", menunggu=1, penilai_nip=None, penilai_nama=None),
        _member("B", menunggu=2), _member("C", menunggu=1), _member("D", menunggu=0)])
    assert [(r.nip, r.menunggu, r.pegawai) for r in rows] == [
        ("197001011995031001", 3, ("B", "C")), (None, 1, ("A",))]
    model = PenilaiTableModel(rows)
    assert model.index(1, 0).data() == _("Not known here")
    assert "B, C" in model.index(0, 0).data(ACCESSIBLE)


def test_roster_preview_marks_refused_lines_with_the_servers_reason() -> None:
    lines = [RosterLine(2, {"nip": "1", "nama": "Budi", "nip_penilai": "197001011995031001"}),
             RosterLine(5, {"nip": "2", "nama": "Salah", "unit_kode": "KEC-02"})]
    unchecked = RosterPreviewTableModel(preview_rows(lines, None))
    assert unchecked.index(0, 1).data() == _("Not checked yet")
    report = RosterReport(2, 1, 0, 0, 0, 1, 0, errors=(
        RowProblem(5, "unit_kode", "forbidden_unit"), RowProblem(5, "row", "brand_new")))
    model = RosterPreviewTableModel(preview_rows(lines, report))
    assert model.index(0, 1).data() == _("Accepted")
    assert model.index(0, RosterPreviewTableModel.PENILAI).data() == "197001011995031001"
    refused = model.index(1, 1).data()
    assert _(ROW_CODES["forbidden_unit"]) in refused and "unit_kode" in refused
    assert _("not accepted (code {code})").format(code="brand_new") in refused
    assert model.index(1, 0).data(ACCESSIBLE).startswith(_("Line {line}").format(line=5))
    assert (report.accepted, report.bad_lines) == (1, {5})


def test_device_rows_mark_this_computer_and_revoked_ones() -> None:
    devices = [DeviceInfo("d1", "pc-kantor", "2026-11-01T01:00:00+00:00",
                          "2026-12-01T02:00:00+00:00", None),
               DeviceInfo("d2", None, "2026-10-01T01:00:00+00:00", None,
                          "2026-11-30T01:00:00+00:00")]
    model = DeviceTableModel([DeviceRow(devices[0], True), DeviceRow(devices[1])])
    assert model.index(0, 0).data() == _("{name} (this computer)").format(name="pc-kantor")
    assert model.index(1, DeviceTableModel.LAST_SYNC).data() == _("never")
    assert model.index(1, DeviceTableModel.STATE).data().startswith(
        _("Revoked on {date}").format(date="")[:5])


# -- the page, with real widgets -------------------------------------------------------------
def _fill(ws: Workspace) -> None:
    fill_unit(ws)
    today = date.today()
    page = [change(30 + n, "log_harian", uuid7(), 1, {"id": f"l{n}", "tanggal": tanggal,
                                                       "kegiatan": "Rapat"}, owner)
            for n, (owner, tanggal) in enumerate([
                (MEMBERS[2].nip, today.isoformat()),
                (MEMBERS[3].nip, (today - timedelta(days=today.weekday() + 1)).isoformat())])]
    ws.apply_pull_page(f"unit:{UNIT}", page, {"epoch": "e", "seq": 60})


def _page(qtbot, unlocked):
    from ui.pages.unit_page import UnitPage

    write(qtbot, unlocked, _fill)
    page = UnitPage(unlocked.ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, unlocked)
    return page


def _names(page) -> list[str]:
    return [p.nama for p in page.shown()]


def test_page_lists_the_unit_and_filters_by_keyboard_choices(unlocked, qtbot) -> None:
    page = _page(qtbot, unlocked)
    assert page.required_roles == frozenset({"hr", "admin"})
    assert _names(page) == sorted(m.nama for m in MEMBERS)
    assert page.unit.currentData() == UNIT and page.unit.accessibleName()
    assert page.summary.text().startswith("Kecamatan Sukamaju, ")
    page.filter.setCurrentIndex(page.filter.findData("no_log"))
    # Only Dedi logged this week (Eka's entry is last Sunday's).
    assert "Dedi Kurniawan" not in _names(page) and "Eka Putri" in _names(page)
    page.filter.setCurrentIndex(page.filter.findData("waiting"))
    assert _names(page) == ["Budi Santoso", "Gita Lestari"]
    page.filter.setCurrentIndex(page.filter.findData("not_synced"))
    assert page.days.value() == 7
    assert _names(page) == ["Citra Dewi", "Eka Putri", "Fajar Nugroho"]
    page.days.setValue(30)
    assert _names(page) == ["Citra Dewi"]            # never synced stays listed
    page.filter.setCurrentIndex(page.filter.findData("all"))
    page.search.setText("gita")
    assert _names(page) == ["Gita Lestari"]
    assert [(r.nama, r.menunggu) for r in page.penilai_model.rows] == [
        ("Siti Aminah", 1), (None, 1)]
    # No office server on this profile: the online note says what waits for one.
    assert page.online.text() == _(
        "This profile is not connected to an office server: the list shows what the last sync "
        "brought, and importing a roster or revoking devices will work once it is connected "
        "(on the Settings page).")


def test_export_writes_the_shown_list_where_chosen(unlocked, qtbot, tmp_path: Path) -> None:
    page = _page(qtbot, unlocked)
    page.filter.setCurrentIndex(page.filter.findData("no_skp"))
    assert _names(page) == ["Budi Santoso", "Citra Dewi", "Fajar Nugroho"]
    page.choose_save_path = lambda _start: ""
    page.export()
    assert unlocked.announcer.history[-1] == (_("Not exported."), False)
    folder = tmp_path / "ekspor"
    folder.mkdir()
    out = folder / "daftar"
    page.choose_save_path = lambda _start: str(out)
    page.export_button.click()
    wait_idle(qtbot, unlocked)
    written = folder / "daftar.csv"
    assert [p.name for p in folder.iterdir()] == ["daftar.csv"]   # nothing else, no temp
    rows = list(csv.reader(io.StringIO(written.read_bytes().decode("utf-8-sig"))))
    assert [r[3] for r in rows[1:]] == ["Budi Santoso", "Citra Dewi", "Fajar Nugroho"]
    said = unlocked.announcer.history[-1][0]
    assert str(written) in said
    page.export_to(written)   # a second export to the same file is refused, said plainly
    wait_idle(qtbot, unlocked)
    assert str(written) in page.summary.text() and unlocked.announcer.history[-1][1]


def test_roster_path_is_kept_for_later_and_over_a_lock(unlocked, qtbot) -> None:
    page = _page(qtbot, unlocked)
    dialog = page.open_roster()
    qtbot.waitExposed(dialog)
    dialog.path.setText("/media/usb/roster.csv")
    dialog.close_button.click()
    assert page.drafts() == {"unit.roster": {"path": "/media/usb/roster.csv"}}
    again = page.open_roster()
    assert again.path.text() == "/media/usb/roster.csv"
    again.reject()
    page.roster_path = ""
    page.restore_drafts({"unit.roster": {"path": "/tmp/r.csv"}})
    assert page.roster_path == "/tmp/r.csv"


def test_a_profile_without_hr_units_is_told_why_the_list_is_empty(unlocked, qtbot) -> None:
    from ui.pages.unit_page import UnitPage

    page = UnitPage(unlocked.ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, unlocked)
    assert page.model.rowCount() == 0 and not page.export_button.isEnabled()
    assert page.summary.text() == _("This profile manages no unit as HR officer (pengelola "
                                    "kepegawaian) yet; sync first.")
