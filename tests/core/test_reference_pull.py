"""Applying `ref` pages (HR's reference data) to a real encrypted store, without a server."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from asndesk.errors import PeriodClosed
from asndesk.workspace import Workspace


class Pages:
    """Feeds changes to the workspace as the sync engine would, one page at a time."""

    def __init__(self, ws: Workspace) -> None:
        self.ws, self.seq = ws, 0

    def apply(self, *changes: tuple[str, str, int, dict[str, Any] | None]) -> int:
        wire = []
        for kind, entity_id, version, data in changes:
            self.seq += 1
            wire.append({"server_seq": self.seq, "entity_kind": kind, "entity_id": entity_id,
                         "version": version, "data": data})
        _, skipped = self.ws.apply_pull_page("ref", wire, {"epoch": "e1", "seq": self.seq})
        return skipped


def _period(pid: str, nomor: int, mulai: str, selesai: str, status: str = "terbuka"
            ) -> tuple[str, str, int, dict[str, Any]]:
    return ("period", pid, 1, {"id": pid, "tahun": int(pid[:4]), "jenis": "triwulan",
                               "nomor": nomor, "mulai": mulai, "selesai": selesai,
                               "batas_pengisian": selesai, "status": status})


def _holiday(tanggal: str, nama: str) -> tuple[str, str, int, dict[str, Any]]:
    return ("holiday", tanggal, 1, {"tanggal": tanggal, "tahun": int(tanggal[:4]),
                                    "nama": nama, "jenis": "libur_nasional"})


def test_org_units_arrive_in_any_order(workspace: Workspace) -> None:
    pages = Pages(workspace)
    assert pages.apply(("org_unit", "KEL-1", 1, {"id": "KEL-1", "kode": "1", "nama": "Kelurahan",
                                                "induk_id": "KEC-1"})) == 0
    stand_in = workspace.store.query("SELECT nama FROM org_unit WHERE id = 'KEC-1'")
    assert [tuple(r) for r in stand_in] == [("KEC-1",)]
    pages.apply(("org_unit", "KEC-1", 2, {"id": "KEC-1", "kode": "01", "nama": "Kecamatan",
                                         "induk_id": None}))
    rows = workspace.store.query("SELECT id, nama, induk_id, version FROM org_unit ORDER BY id")
    assert [tuple(r) for r in rows] == [("KEC-1", "Kecamatan", None, 2),
                                        ("KEL-1", "Kelurahan", "KEC-1", 1)]
    pages.apply(("org_unit", "KEC-1", 3, None))  # a child still names it: kept
    assert len(workspace.store.query("SELECT id FROM org_unit")) == 2
    pages.apply(("org_unit", "KEL-1", 2, None))
    assert [tuple(r) for r in workspace.store.query("SELECT id FROM org_unit")] == [("KEC-1",)]


def test_server_holidays_replace_the_shipped_year_and_the_cache(workspace: Workspace) -> None:
    shipped = workspace.calendar()
    assert shipped.is_holiday(date(2026, 1, 1)) and not shipped.is_holiday(date(2026, 11, 23))
    pages = Pages(workspace)
    pages.apply(_holiday("2026-11-23", "Libur daerah"), _holiday("2026-12-25", "Natal"))
    calendar = workspace.calendar()  # reloaded: the stamp moved
    assert calendar.is_holiday(date(2026, 11, 23))
    assert not calendar.is_holiday(date(2026, 1, 1))  # the server's year replaces the file's
    assert calendar.is_holiday(date(2027, 1, 1))      # other years still come from the files
    pages.apply(("holiday", "2026-11-23", 2, None))
    assert not workspace.calendar().is_holiday(date(2026, 11, 23))
    sources = workspace.store.query("SELECT DISTINCT sumber FROM holiday")
    assert [tuple(r) for r in sources] == [("server",)]


def test_server_periods_replace_unused_local_defaults_and_lock(workspace: Workspace) -> None:
    workspace.ensure_periods(2026, "bulanan")
    skp = workspace.create_skp(2026, "pelaksana").primary_id or ""
    rhk = workspace.add_rhk(skp, "Terlaksananya layanan", rhk_atasan="Cakupan").primary_id
    iki = workspace.add_iki(rhk or "", "Layanan selesai", "100", "Layanan",
                            aspek="Kuantitas").primary_id or ""
    workspace.record_realisasi(iki, "2026-02", "Selesai 8")
    pages = Pages(workspace)
    pages.apply(_period("2026-TW1", 1, "2026-01-01", "2026-03-31", "ditutup"),
                _period("2026-TW2", 2, "2026-04-01", "2026-06-30"))
    ids = [r["id"] for r in workspace.periods(2026)]
    assert ids == ["2026-TW1", "2026-02", "2026-TW2"]  # a realisasi still names 2026-02
    with pytest.raises(PeriodClosed):
        workspace.add_log("2026-03-31", "08:00", "09:00", "Rapat")
    workspace.add_log("2026-04-01", "08:00", "09:00", "Rapat")
    with pytest.raises(PeriodClosed):
        workspace.record_realisasi(iki, "2026-TW1", "Selesai 20")
    pages.apply(("period", "2026-TW1", 2, {**_period("2026-TW1", 1, "2026-01-01",
                                                      "2026-03-31")[3]}))
    workspace.add_log("2026-03-31", "08:00", "09:00", "Rapat")  # reopened
    pages.apply(("period", "2026-02", 1, None))  # HR never had it: the local row is kept
    assert "2026-02" in [r["id"] for r in workspace.periods(2026)]
