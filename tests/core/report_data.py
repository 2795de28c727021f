"""One realistic profile for the report tests: an approved SKP, realisasi, ratings, feedback,
a month of log harian, service logs and SKM responses, through the real encrypted store.

What a supervisor decides (approval, ratings, feedback) and the roster reach an employee's
device by sync; here those rows are written the way a pull writes them (plain inserts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from asndesk.store import rows
from asndesk.store.database import WriteTx
from asndesk.store.ids import uuid7
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace

NIP = "198609262015051001"
NIP_PENILAI = "197001011995031001"
PASSWORD = "kata sandi rahasia"
UNIT_LAYANAN = "Kecamatan Sukamaju"


@dataclass
class Ids:
    skp: str
    rhk_utama: str
    rhk_tambahan: str
    iki_ktp: str
    iki_waktu: str


def make_workspace(home: Path) -> Workspace:
    manager = ProfileManager(home, kdf_policy=KdfParams.floor)
    ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager,
                                     gelar_belakang="S.Kom.", golongan="III/a",
                                     jabatan="Pengadministrasi Kependudukan")
    return ws


def _raw_insert(tx: WriteTx, table: str, row: dict[str, object]) -> None:
    """Insert as a pull does (`rows.insert` would add `updated_at`, which penilaian lacks)."""
    tx.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
               tuple(row.values()))


def _roster(ws: Workspace) -> None:
    with ws.store.write(NIP) as tx:
        now = tx.now_utc
        rows.insert(tx, "org_unit", {"id": "u-kab", "nama": "Pemerintah Kabupaten Sukamaju"})
        rows.insert(tx, "org_unit", {"id": "u-kec", "nama": "Kecamatan Sukamaju",
                                     "induk_id": "u-kab"})
        tx.execute("UPDATE person SET unit_id = 'u-kec' WHERE nip = ?", (NIP,))
        rows.insert(tx, "person", {"id": "p-penilai", "nip": NIP_PENILAI, "jenis_asn": "PNS",
                                   "nama": "Budi Santoso", "gelar_depan": "Drs.",
                                   "jabatan": "Camat Sukamaju", "golongan": "IV/a",
                                   "unit_id": "u-kec"})
        owner = tx.execute("SELECT id FROM person WHERE nip = ?", (NIP,)).fetchone()[0]
        # The atasan pejabat penilai is not on this device: documents must not invent one.
        rows.insert(tx, "supervisor_link", {"id": uuid7(), "pegawai_id": owner,
                                            "penilai_id": "p-penilai", "atasan_penilai_id": None,
                                            "berlaku_mulai": "2026-01-01", "updated_at": now})


def _skp(ws: Workspace) -> Ids:
    skp = ws.create_skp(2026, "pelaksana", jabatan="Pengadministrasi Kependudukan",
                        unit_kerja="Kecamatan Sukamaju").primary_id
    assert skp
    utama = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el warga",
                       rhk_atasan="Meningkatnya cakupan dokumen kependudukan").primary_id
    assert utama
    ktp = ws.add_iki(utama, "Jumlah KTP-el terekam", "1200", "Keping",
                     aspek="Kuantitas").primary_id
    waktu = ws.add_iki(utama, "Perekaman selesai tepat waktu", "12", "Bulan",
                       aspek="Waktu").primary_id
    tambahan = ws.add_rhk(skp, "Tersusunnya laporan bulanan pelayanan", jenis="tambahan",
                          rhk_atasan="Tersedianya data kinerja kecamatan").primary_id
    assert tambahan and ktp and waktu
    ws.add_iki(tambahan, "Laporan tersusun", "12", "Dokumen", aspek="Kuantitas")
    ws.add_lampiran(skp, "dukungan_sumber_daya", "Perangkat perekaman KTP-el")
    ws.add_lampiran(skp, "skema_pertanggungjawaban", "Laporan bulanan kepada Camat")
    ws.add_lampiran(skp, "konsekuensi", "Teguran tertulis bila target tidak tercapai")
    ws.submit_skp(skp)
    with ws.store.write(NIP_PENILAI) as tx:  # the approval, as sync brings it
        tx.execute("UPDATE skp SET status = 'Disetujui' WHERE id = ?", (skp,))
        rows.insert(tx, "skp_status_history", {"id": uuid7(), "skp_id": skp, "dari": "Diajukan",
                                               "ke": "Disetujui", "oleh_nip": NIP_PENILAI,
                                               "terjadi_pada": "2026-01-20T02:00:00+00:00"})
    return Ids(skp, utama, tambahan, ktp, waktu)


def _period_work(ws: Workspace, ids: Ids) -> None:
    ws.ensure_periods(2026, "triwulanan")
    ws.record_realisasi(ids.iki_ktp, "2026-TW1", "Perekaman KTP-el triwulan I", nilai="280",
                        tautan=["https://drive.example/ktp-tw1"])
    ws.record_realisasi(ids.iki_ktp, "2026-TW2", "Perekaman KTP-el triwulan II", nilai="315.5",
                        tautan=["https://drive.example/ktp-tw2"])
    ws.record_realisasi(ids.iki_waktu, "2026-TW2", "Semua perekaman selesai", nilai="3")
    with ws.store.write(NIP) as tx:  # no use case writes rencana aksi yet
        rows.insert(tx, "rencana_aksi", {"id": uuid7(), "rhk_id": ids.rhk_utama,
                                         "period_id": "2026-TW2",
                                         "teks": "Jemput bola perekaman di desa"})
    snap = json.dumps({"penilai": {"nama": "Budi Santoso", "gelar_depan": "Drs.",
                                   "nip": NIP_PENILAI, "jenis_asn": "PNS", "golongan": "IV/a",
                                   "jabatan": "Camat Sukamaju",
                                   "unit_kerja": "Kecamatan Sukamaju"}})
    with ws.store.write(NIP_PENILAI) as tx:
        for period, hasil, perilaku, predikat, capaian in (
                ("2026-TW2", "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Baik", "Baik"),
                ("2026-TH", "Di Atas Ekspektasi", "Di Atas Ekspektasi", "Sangat Baik",
                 "Istimewa"),
                # A stored predikat that contradicts the ratings: documents must recompute.
                ("2026-TW3", "Di Bawah Ekspektasi", "Di Bawah Ekspektasi", "Sangat Baik",
                 "Kurang")):
            _raw_insert(tx, "penilaian", {
                "id": uuid7(), "skp_id": ids.skp, "period_id": period,
                "rating_hasil_kerja": hasil, "rating_perilaku": perilaku, "predikat": predikat,
                "capaian_organisasi": capaian, "penilai_nip": NIP_PENILAI, "snapshot": snap,
                "dinilai_pada": "2026-07-03T02:00:00+00:00"})
        for jenis, target, teks, when in (
                ("rhk", ids.rhk_utama, "Pertahankan kecepatan perekaman", "2026-05-12"),
                ("perilaku", "1", "Ramah kepada warga lansia", "2026-06-02"),
                ("umum", None, "Layak diusulkan untuk kenaikan pangkat", "2026-06-30")):
            rows.insert(tx, "umpan_balik", {
                "id": uuid7(), "skp_id": ids.skp, "sasaran_jenis": jenis, "sasaran_id": target,
                "period_id": "2026-TW2", "pemberi_nip": NIP_PENILAI, "teks": teks,
                "dibuat_pada": when + "T03:00:00+00:00"})


def _logs_and_services(ws: Workspace, ids: Ids) -> None:
    # Monday 2 November 2026: exactly the 7 h 30 min norm; Tuesday: 2 h 30 min.
    ws.add_log("2026-11-02", "07:30", "12:00", "Merekam KTP-el warga Desa Sukamaju",
               output_jumlah="12", output_satuan="Keping", rhk_id=ids.rhk_utama,
               tautan=["https://drive.example/foto-rekam"])
    ws.add_log("2026-11-02", "13:00", "16:00", "Menyusun laporan <harian> & rekap",
               rhk_id=ids.rhk_tambahan)
    ws.add_log("2026-11-03", "07:30", "10:00", "Melayani konsultasi KK")
    ws.add_service_type("KTP", "Perekaman KTP-el", 3)
    ws.add_service_type("KK", "Penerbitan Kartu Keluarga", 1)
    ws.add_service_log("KTP", "2026-11-02 09:00", selesai="2026-11-04 10:00")  # 2 days
    ws.add_service_log("KTP", "2026-11-02 10:00", selesai="2026-11-09 10:00")  # 5 days
    ws.add_service_log("KTP", "2026-11-03 09:00", status="diproses")
    ws.add_service_log("KK", "2026-11-04 09:00", selesai="2026-11-05 09:00", pengaduan=True,
                       pengaduan_selesai=True)  # 1 day, a resolved complaint
    with ws.store.write(NIP) as tx:
        for i in range(4):
            answers = {f"u{k}": 3 for k in range(1, 9)} | {"u9": 4 if i < 2 else 3}
            rows.insert(tx, "skm_response", {"id": uuid7(), "unit_layanan": UNIT_LAYANAN,
                                             "tanggal": "2026-11-10", **answers,
                                             "created_at": tx.now_utc})


def fill(ws: Workspace) -> Ids:
    """Everything the report tests print; returns the ids they need."""
    _roster(ws)
    ids = _skp(ws)
    _period_work(ws, ids)
    _logs_and_services(ws, ids)
    return ids
