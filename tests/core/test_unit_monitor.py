"""The HR officer's unit monitoring from a replica filled the way sync fills it: SKP set by
the deadline, log harian this week, waiting decisions per member, days since the last sync;
and the export of the listed rows (only where asked, audited)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from asndesk.domain.skp import StatusSkp
from asndesk.errors import NotFound, ValidationError
from asndesk.store.ids import uuid7
from asndesk.workspace import Workspace
from tests.core.kantor_data import MEMBERS, NIP_HADI, UNIT, fill_unit
from tests.core.report_data import NIP
from tests.core.test_team_usecases import change

DEDI, EKA = MEMBERS[2].nip, MEMBERS[3].nip
TODAY = date(2026, 11, 25)   # a Wednesday: the week is 23–29 November


def _logs(ws: Workspace) -> None:
    page = [change(20 + n, "log_harian", uuid7(), 1, {"id": f"l{n}", "tanggal": tanggal,
                                                       "kegiatan": "Rapat"}, owner)
            for n, (owner, tanggal) in enumerate([
                (DEDI, "2026-11-23"), (DEDI, "2026-11-29"), (DEDI, "2026-11-22"),
                (EKA, "2026-11-30"), (EKA, "2026-11-24")])]
    ws.apply_pull_page(f"unit:{UNIT}", page, {"epoch": "e", "seq": 40})


def test_monitor_lists_every_member_with_what_hr_follows(workspace: Workspace) -> None:
    fill_unit(workspace)
    _logs(workspace)
    monitor = workspace.unit_monitor(tahun=2026, today=TODAY)
    assert (monitor.unit_id, monitor.batas_skp, monitor.minggu) == (
        UNIT, date(2026, 1, 31), (date(2026, 11, 23), date(2026, 11, 29)))
    by_nip = {p.nip: p for p in monitor.people}
    assert [p.nama for p in monitor.people] == sorted(m.nama for m in MEMBERS)
    for m in MEMBERS:
        p = by_nip[m.nip]
        assert p.status_skp == (StatusSkp(m.status) if m.status else None), m.nama
        # Past 31 January, everyone without an approved SKP is late.
        assert p.lewat_batas is (m.status != "Disetujui"), m.nama
    assert by_nip[DEDI].log_minggu_ini == 2      # the 22nd is last week, not this one
    assert by_nip[EKA].log_minggu_ini == 1       # the 30th is next week
    budi, gita, fajar = by_nip[MEMBERS[0].nip], by_nip[MEMBERS[5].nip], by_nip[MEMBERS[4].nip]
    assert (budi.menunggu, gita.menunggu, fajar.menunggu) == (1, 1, 0)  # SKP; amendment
    # The officer decides for her own subordinate; the server named Hadi for Fajar.
    assert (budi.penilai_nip, budi.penilai_nama) == (NIP, "Siti Aminah")
    assert (fajar.penilai_nip, fajar.penilai_nama) == (NIP_HADI, "Hadi Prasetyo")
    # Days are counted to the /me answer's time (23 Nov 01:00 UTC), not to the clock.
    assert [by_nip[m.nip].hari_tanpa_sinkron for m in MEMBERS] == [3, None, 3, 22, 7, 0, 0]
    assert [by_nip[m.nip].belum_sinkron(7) for m in MEMBERS] == [
        False, True, False, True, True, False, False]


def test_before_the_deadline_nobody_is_late(workspace: Workspace) -> None:
    fill_unit(workspace)
    monitor = workspace.unit_monitor(tahun=2026, today=date(2026, 1, 31))
    assert not any(p.lewat_batas for p in monitor.people)
    assert workspace.unit_monitor(tahun=2027, today=date(2027, 2, 1)).people[0].status_skp \
        is None


def test_unknown_unit_and_no_unit_are_said(workspace: Workspace) -> None:
    with pytest.raises(ValidationError) as err:
        workspace.unit_monitor()
    assert err.value.code == "no_unit"
    fill_unit(workspace)
    with pytest.raises(NotFound):
        workspace.unit_monitor("kec-lain")


def test_export_writes_the_listed_rows_only_there_and_audits(workspace: Workspace,
                                                             tmp_path: Path) -> None:
    fill_unit(workspace)
    out = tmp_path / "monitoring.csv"
    listed = [EKA, MEMBERS[1].nip]
    before = {p.name for p in tmp_path.iterdir()}
    workspace.export_unit_monitor(out, listed, tahun=2026, today=TODAY, batas_sinkron_hari=7)
    assert {p.name for p in tmp_path.iterdir()} - before == {"monitoring.csv"}
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:4] == ["Unit kerja", "Tahun", "NIP", "Nama"]
    assert [(r[2], r[3], r[12], r[13]) for r in rows[1:]] == [
        (EKA, "Eka Putri", "22", "1"), (MEMBERS[1].nip, "Citra Dewi", "", "1")]
    actions = [r[0] for r in workspace.store.conn.execute("SELECT aksi FROM audit_log")]
    assert actions[-1] == "export.unit_monitor"
    with pytest.raises(ValidationError) as err:   # never overwrites what is there
        workspace.export_unit_monitor(out, listed, tahun=2026, today=TODAY)
    assert err.value.field == "out"
