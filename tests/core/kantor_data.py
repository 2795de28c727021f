"""An HR officer's device holding one unit, filled the way sync fills it: the server's /me
answer through `record_roles`, then `unit:<id>` pages through `apply_pull_page`.

Seven members cover every case the Laporan kantor reports; `MEMBERS` is the truth the tests
compute their expectations from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asndesk.store.ids import uuid7
from asndesk.workspace import Workspace
from tests.core.report_data import NIP
from tests.core.test_team_usecases import UNIT, Plan, change

NIP_HADI = "197001011995031001"
SERVER_TIME = "2026-11-23T01:00:00+00:00"
A, S = "Di Atas Ekspektasi", "Sesuai Ekspektasi"


@dataclass
class Member:
    nip: str
    nama: str
    jabatan: str
    status: str | None
    last_seen: str | None
    rating: tuple[str, str] | None = None       # (hasil kerja, perilaku) for 2026-TW2
    penilai_nip: str | None = None
    trainings: list[tuple[str, str]] = field(default_factory=list)  # (tanggal_selesai, jp)
    amendment: bool = False
    told_penilai: bool = False   # the server's /me names Hadi as the member's penilai


MEMBERS = [
    Member("199001012020122002", "Budi Santoso", "Pengadministrasi", "Diajukan",
           "2026-11-20T01:00:00+00:00"),
    Member("199203032019031003", "Citra Dewi", "Pengolah Data", None, None),
    Member("198505052010011004", "Dedi Kurniawan", "Analis Kependudukan", "Disetujui",
           "2026-11-20T01:00:00+00:00", (A, A), NIP_HADI,
           [("2026-03-20", "16"), ("2026-05-08", "8")]),
    Member("198707072012012005", "Eka Putri", "Verifikator", "Disetujui",
           "2026-11-01T01:00:00+00:00", (S, S), NIP_HADI,
           [("2026-04-30", "12"), ("2025-12-10", "10"), ("2026-07-15", "9")]),
    Member("199109092015031006", "Fajar Nugroho", "Pengadministrasi", "Draft",
           "2026-11-16T00:30:00+00:00", told_penilai=True),
    Member("198812122014022007", "Gita Lestari", "Analis Kependudukan", "Disetujui",
           "2026-11-22T03:00:00+00:00", (S, A), NIP_HADI, [("2026-06-30", "20")],
           amendment=True),
    Member(NIP_HADI, "Hadi Prasetyo", "Sekretaris Kecamatan", "Disetujui",
           "2026-11-22T23:30:00+00:00"),
]
SUBORDINATE = MEMBERS[0].nip
"""Budi is also the officer's own subordinate: his pejabat penilai is the officer."""


def me() -> dict[str, Any]:
    """The /me answer: the officer (HR of the unit) with Budi as a direct subordinate."""
    return {
        "nip": NIP, "nama": "Siti Aminah", "jabatan": "Pengelola Kepegawaian", "unit_id": UNIT,
        "is_admin": False,
        "subordinates": [{"nip": SUBORDINATE, "nama": "Budi Santoso",
                          "jabatan": "Pengadministrasi", "unit_id": UNIT, "link_id": uuid7(),
                          "berlaku_mulai": "2026-01-01", "berlaku_sampai": None,
                          "atasan_penilai_nip": None}],
        "hr_units": [{"id": UNIT, "nama": "Kecamatan Sukamaju", "members": [
            {"nip": m.nip, "nama": m.nama, "jabatan": m.jabatan, "last_seen_at": m.last_seen,
             **({"penilai_nip": NIP_HADI, "penilai_nama": "Hadi Prasetyo"}
                if m.told_penilai else {})}
            for m in MEMBERS]}],
        "server_time": SERVER_TIME,
    }


def _member_changes(m: Member) -> list[dict[str, Any]]:
    if m.status is None:
        return []
    plan = Plan(owner=m.nip, status=m.status)
    out = plan.changes(with_owner=True)
    if m.rating:
        rid = uuid7()
        out.append(change(6, "penilaian", rid, 1, {
            "id": rid, "skp_id": plan.skp, "period_id": "2026-TW2",
            "rating_hasil_kerja": m.rating[0], "rating_perilaku": m.rating[1],
            # The server's stored predikat is never what the report prints: it recomputes.
            "predikat": "Sangat Kurang", "capaian_organisasi": "Baik",
            "penilai_nip": m.penilai_nip, "dinilai_pada": "2026-07-03T02:00:00+00:00"},
            m.nip))
    if m.amendment:
        aid = uuid7()
        out.append(change(7, "amandemen", aid, 2, {"id": aid, "skp_id": plan.skp,
                                                    "status": "Diajukan", "perubahan": []},
                          m.nip))
    return out


def _trainings(m: Member) -> list[dict[str, Any]]:
    out = []
    for selesai, jp in m.trainings:
        tid = uuid7()
        out.append(change(8, "pelatihan", tid, 1, {
            "id": tid, "nama": "Pelatihan teknis", "penyelenggara": "BKPSDM",
            "tanggal_mulai": selesai, "tanggal_selesai": selesai, "jp": jp}, m.nip))
    return out


SERVICES = [  # (owner, service type code, received, status, working days, complaint)
    (2, "KTP", "2026-04-06", "selesai", 2, False),
    (2, "KTP", "2026-05-11", "selesai", 5, False),
    (0, "KTP", "2026-06-29", "diproses", None, False),
    (0, "KK", "2026-06-01", "selesai", 1, True),
    (2, "?", "2026-05-12", "selesai", 1, False),      # a type nobody here knows
    (2, "KTP", "2026-07-01", "selesai", 9, True),     # after Triwulan II
]
STANDAR = {"KTP": 3, "KK": 1}


def _services(ws: Workspace) -> list[dict[str, Any]]:
    """KTP is a type Dedi pushed (it comes in the page); KK one this device holds locally."""
    kk = ws.add_service_type("KK", "Penerbitan Kartu Keluarga", STANDAR["KK"]).primary_id
    ktp = uuid7()
    out = [change(9, "service_type", ktp, 1, {"id": ktp, "kode": "KTP",
                                              "nama": "Perekaman KTP-el",
                                              "standar_hari_kerja": STANDAR["KTP"]},
                  MEMBERS[2].nip)]
    for owner, kode, tanggal, status, durasi, aduan in SERVICES:
        sid = uuid7()
        out.append(change(10, "service_log", sid, 1, {
            "id": sid, "service_type_id": {"KTP": ktp, "KK": kk}.get(kode, uuid7()),
            "diterima_pada": tanggal + "T09:00+07:00", "diterima_tanggal": tanggal,
            "selesai_pada": None, "durasi_hari_kerja": durasi, "status": status,
            "hasil": None, "kepuasan": None, "pengaduan": int(aduan),
            "pengaduan_selesai": int(aduan), "catatan": None}, MEMBERS[owner].nip))
    return out


def fill_unit(ws: Workspace) -> None:
    """The officer's device after a sync of the unit (and the year's periods)."""
    ws.ensure_periods(2026, "triwulanan")
    ws.record_roles(me())
    page: list[dict[str, Any]] = []
    for m in MEMBERS:
        page += _member_changes(m) + _trainings(m)
    page += _services(ws)
    for seq, item in enumerate(page, start=1):
        item["server_seq"] = seq
    _, skipped = ws.apply_pull_page(f"unit:{UNIT}", page, {"epoch": "e", "seq": len(page)})
    assert skipped == 0
