"""Laporan kantor of an HR unit, from a replica filled the way sync fills it: text read back
with poppler (expectations computed here from the seeded data), A4/F4, PNG, CSV/XLSX, CLI."""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import time
from collections.abc import Iterator
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from asndesk.cli.main import main
from asndesk.domain.formatting import format_angka, format_persen
from asndesk.errors import NotFound, ValidationError
from asndesk.reports.service import Reports
from asndesk.workspace import Workspace
from tests.core.kantor_data import (
    MEMBERS,
    SERVER_TIME,
    SERVICES,
    STANDAR,
    UNIT,
    Member,
    fill_unit,
    me,
)
from tests.core.report_data import PASSWORD, make_workspace
from tests.core.test_reports_documents import _pages, _pdf, _render, _text

A, S, B = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"
# The SE MenPANRB 3/2023 matrix as domain.md §4 prints it, keyed (hasil kerja, perilaku).
SE_MATRIX = {(B, A): "Butuh Perbaikan", (S, A): "Baik", (A, A): "Sangat Baik",
             (B, S): "Butuh Perbaikan", (S, S): "Baik", (A, S): "Baik",
             (B, B): "Sangat Kurang", (S, B): "Kurang/Misconduct", (A, B): "Kurang/Misconduct"}
TW2_END = date(2026, 6, 30)
SIGNED = date(2026, 12, 1)


@pytest.fixture(scope="module")
def unit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The officer's device; the clock's zone is WIB so civil dates are the office's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Asia/Jakarta")
        time.tzset()
        ws = make_workspace(tmp_path_factory.mktemp("home"))
        fill_unit(ws)
        yield ws
        ws.lock()
    time.tzset()


def pct(n: int, total: int) -> str:
    return format_persen(Fraction(n * 100, total), 2, "id")


def jp_of(m: Member, until: date) -> int:
    return sum(int(jp) for selesai, jp in m.trainings
               if date.fromisoformat(selesai).year == 2026
               and date.fromisoformat(selesai) <= until)


def days_unsynced(m: Member) -> int | None:
    if m.last_seen is None:
        return None
    return (datetime.fromisoformat(SERVER_TIME) - datetime.fromisoformat(m.last_seen)).days


def service_row(kode: str, nama: str) -> str:
    inside = [s for s in SERVICES if s[1] == kode and "2026-04-01" <= s[2] <= "2026-06-30"]
    done = [s[4] for s in inside if s[3] == "selesai"]
    ok = sum(1 for d in done if d <= STANDAR[kode])
    aduan = sum(1 for s in inside if s[5])
    return (f"{kode} {nama} {STANDAR[kode]} {len(inside)} {len(done)} {ok} ({pct(ok, len(done))})"
            f" {format_angka(Fraction(statistics.median(done)), 1, 'id')}"
            f" {format_angka(Fraction(sum(done), len(done)), 2, 'id')} {aduan}/{aduan}")


def test_kantor_document(unit: Workspace, tmp_path: Path) -> None:
    path = _pdf(tmp_path, Reports(unit, "id").kantor(tahun=2026, periode="2026-TW2",
                                                      tempat="Sukamaju", tanggal=SIGNED))
    text = _text(path)
    n = len(MEMBERS)
    status = [m.status for m in MEMBERS]
    for expected in ("LAPORAN KANTOR", "PENGELOLAAN KINERJA PEGAWAI", "KECAMATAN SUKAMAJU",
                     "PERIODE: TRIWULAN II 2026", "1 APRIL S.D. 30 JUNI 2026",
                     f"JUMLAH PEGAWAI : {n}", "DATA PER (SINKRONISASI TERAKHIR) : 23 November 2026",
                     "A. KELENGKAPAN SKP TAHUN 2026",
                     "BATAS PENETAPAN SKP : 31 Januari 2026 (telah lewat)",
                     f"Disetujui {status.count('Disetujui')} "
                     f"{pct(status.count('Disetujui'), n)}",
                     f"Draft {status.count('Draft')} {pct(status.count('Draft'), n)}",
                     f"Belum ada SKP {status.count(None)} {pct(status.count(None), n)}",
                     f"TOTAL {n} 100,00%", "PEGAWAI YANG BELUM MEMILIKI SKP YANG DISETUJUI",
                     "2 Citra Dewi 19920303 201903 1 003 Pengolah Data",
                     "B. PERSETUJUAN YANG MENUNGGU PER PEJABAT PENILAI",
                     # Gita's amendment: Hadi rated her; Budi's SKP: he is the officer's own.
                     "1 Hadi Prasetyo 0 1 Gita Lestari (19881212 201402 2 007)",
                     "2 Siti Aminah, S.Kom. 1 0 Budi Santoso (19900101 202012 2 002)",
                     "C. DISTRIBUSI PREDIKAT KINERJA PEGAWAI",
                     "CAPAIAN KINERJA ORGANISASI : BAIK", "POLA DISTRIBUSI",
                     "PERINGATAN (SE MENPANRB 3/2023)",
                     "Tidak ada pegawai yang berpredikat Butuh Perbaikan atau Kurang/Misconduct; "
                     "untuk capaian kinerja organisasi Baik, ketentuannya paling sedikit satu "
                     "orang",
                     "D. KINERJA PELAYANAN UNIT", service_row("KTP", "Perekaman KTP-el"),
                     "tidak dikenal di perangkat ini: 1.",
                     "E. PENGEMBANGAN KOMPETENSI (HAK 20 JP PER TAHUN)",
                     "JP dihitung dari pelatihan yang selesai 1 Januari s.d. 30 Juni 2026.",
                     "F. PERANGKAT BELUM SINKRON 7 HARI ATAU LEBIH",
                     "1 Citra Dewi 19920303 201903 1 003 Belum pernah -",
                     "G. REKAPITULASI PER PEGAWAI", "Yang Melaporkan", "Sukamaju, 1 Desember 2026"):
        assert expected in text, expected
    assert "KK Penerbitan Kartu" in text and "1 (100,00%) 1,0 1,00 1/1" in text
    # Predikat: recomputed from the two ratings (the stored "Sangat Kurang" is never printed).
    predikat = [SE_MATRIX[m.rating] for m in MEMBERS if m.rating]
    for name in ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"):
        got = predikat.count(name)
        assert f"{name} {got} {pct(got, len(predikat))}" in text, name
    assert f"JUMLAH DINILAI {len(predikat)} 100,00%" in text
    assert f"Belum dinilai {n - len(predikat)} -" in text
    assert "ketentuannya paling banyak 70%" not in text  # 2 of 3 Baik is within the 70 %
    jp = {m.nama: jp_of(m, TW2_END) for m in MEMBERS}
    met = sum(1 for v in jp.values() if v >= 20)
    assert f"PEGAWAI MEMENUHI 20 JP : {met} dari {n} ({pct(met, n)})" in text
    assert f"JUMLAH JP UNIT : {sum(jp.values())}" in text
    assert f"RATA-RATA JP PER PEGAWAI : {format_angka(Fraction(sum(jp.values()), n), 2, 'id')}" \
        in text
    assert f"Eka Putri 19870707 201201 2 005 {jp['Eka Putri']} {20 - jp['Eka Putri']}" in text
    late = [m for m in MEMBERS if days_unsynced(m) is None or (days_unsynced(m) or 0) >= 7]
    assert {m.nama for m in late} == {"Citra Dewi", "Eka Putri", "Fajar Nugroho"}
    for m in late[1:]:
        seen = datetime.fromisoformat(m.last_seen or "").astimezone().date()
        assert f"{m.nama} " in text and f"{seen.day} November 2026 {days_unsynced(m)}" in text
    # Hadi was last seen at 23:30 UTC on the 22nd: the 23rd on the office's clock.
    assert "Hadi Prasetyo Sekretaris Kecamatan Disetujui Belum dinilai 0 23 November 2026" \
        in text
    pages = _pages(path)
    assert f"Halaman 1 dari {len(pages)}" in text and f"Halaman {len(pages)} dari" in text
    assert all(abs(w - 595.28) < 0.1 and abs(h - 841.89) < 0.1 for w, h in pages)
    raw = path.read_bytes()
    assert b"/Lang (id-ID)" in raw and b"DejaVuSans" in raw and b"/FontFile2" in raw
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Title:           Laporan Kantor Kecamatan Sukamaju Triwulan II 2026" in info
    assert "Author:          Siti Aminah, S.Kom." in info
    assert "Subject:         Laporan Kantor" in info
    assert "198812122014022007" not in text  # NIPs are printed grouped only
    _render(path, tmp_path)


def test_capaian_given_f4_and_english(unit: Workspace, tmp_path: Path) -> None:
    sb = sum(1 for m in MEMBERS if m.rating and SE_MATRIX[m.rating] == "Sangat Baik")
    rated = sum(1 for m in MEMBERS if m.rating)
    path = _pdf(tmp_path, Reports(unit, "id", "F4").kantor(
        tahun=2026, periode="2026-TW2", capaian="Butuh Perbaikan"))
    text = _text(path)
    assert f"{pct(sb, rated)} pegawai berpredikat Sangat Baik; untuk capaian kinerja organisasi " \
           "Butuh Perbaikan, ketentuannya paling banyak 10%." in text
    assert "0,00% pegawai berpredikat Butuh Perbaikan; untuk capaian kinerja organisasi Butuh " \
           "Perbaikan, ketentuannya paling sedikit 60%." in text
    assert all(abs(w - 609.45) < 0.1 and abs(h - 935.43) < 0.1 for w, h in _pages(path))
    _render(path, tmp_path)
    path = _pdf(tmp_path, Reports(unit, "en").kantor(tahun=2026, periode="2026-TW2"), "en.pdf")
    text = _text(path)
    for expected in ("OFFICE REPORT", "PERIOD: QUARTER II 2026", "A. SKP COMPLETION, 2026",
                     "31 January 2026 (passed)", f"No SKP 1 {pct(1, len(MEMBERS))}".replace(
                         ",", "."), "B. APPROVALS PENDING PER EVALUATOR",
                     "No employee has predikat Butuh Perbaikan or Kurang/Misconduct",
                     "F. DEVICES NOT SYNCED FOR 7 DAYS OR MORE", "Page 1 of"):
        assert expected in text, expected
    assert b"/Lang (en)" in path.read_bytes()


def test_sections_without_data_say_so(unit: Workspace, tmp_path: Path,
                                      home: Path) -> None:
    reports = Reports(unit, "id")
    # Triwulan I: nobody rated, no capaian named, no service logs in the period.
    text = _text(_pdf(tmp_path, reports.kantor(tahun=2026, periode="2026-TW1"), "tw1.pdf"))
    for expected in ("CAPAIAN KINERJA ORGANISASI : Belum ditetapkan",
                     "Capaian kinerja organisasi belum ditetapkan: kesesuaian distribusi",
                     "Tidak ada data pada periode ini."):
        assert expected in text, expected
    # The year (default: the annual period): Eka's July training now counts (12 + 9 JP).
    doc = reports.kantor_doc(tahun=2026, batas_sinkron_hari=30)
    assert doc.periode.id == "2026-TH"
    eka = next(w for w in doc.pegawai if w.nama == "Eka Putri")
    assert eka.jp.total == jp_of(MEMBERS[3], date(2026, 12, 31)) and eka.jp.terpenuhi
    assert [w.nama for w in doc.pegawai if doc.belum_sinkron(w)] == ["Citra Dewi"]
    # A unit whose members synced nothing yet: every section still says what it lacks.
    empty = make_workspace(home / "kosong")
    try:
        empty.record_roles(me())
        text = _text(_pdf(tmp_path, Reports(empty, "id").kantor(tahun=2026, capaian="Baik"),
                          "empty.pdf"))
        for expected in (f"Belum ada SKP {len(MEMBERS)} 100,00%",
                         "Tidak ada SKP atau amandemen yang menunggu persetujuan.",
                         "Belum ada pegawai yang dinilai pada periode ini.",
                         "Perangkat ini tidak menyimpan log layanan pegawai unit ini.",
                         "Belum ada data pelatihan pegawai unit ini di perangkat ini.",
                         f"PEGAWAI MEMENUHI 20 JP : 0 dari {len(MEMBERS)} (0,00%)"):
            assert expected in text, expected
    finally:
        empty.lock()


def test_kantor_csv_golden_and_xlsx(unit: Workspace) -> None:
    reports = Reports(unit, "id")
    data = reports.kantor(tahun=2026, periode="2026-TW2", fmt="csv")
    assert data.decode("utf-8-sig").splitlines() == [
        "Periode,NIP,Nama,Jabatan,Status SKP,Menunggu persetujuan,NIP pejabat penilai,"
        "Pejabat penilai,Rating hasil kerja,Rating perilaku kerja,Predikat kinerja,JP,"
        "Kekurangan JP,Terakhir terhubung,Hari tanpa sinkron,Belum sinkron",
        "Triwulan II 2026,199001012020122002,Budi Santoso,Pengadministrasi,Diajukan,1,"
        '198609262015051001,"Siti Aminah, S.Kom.",,,,0,20,2026-11-20,3,0',
        "Triwulan II 2026,199203032019031003,Citra Dewi,Pengolah Data,,0,,,,,,0,20,,,1",
        "Triwulan II 2026,198505052010011004,Dedi Kurniawan,Analis Kependudukan,Disetujui,0,"
        "197001011995031001,Hadi Prasetyo,Di Atas Ekspektasi,Di Atas Ekspektasi,Sangat Baik,"
        "24,0,2026-11-20,3,0",
        "Triwulan II 2026,198707072012012005,Eka Putri,Verifikator,Disetujui,0,"
        "197001011995031001,Hadi Prasetyo,Sesuai Ekspektasi,Sesuai Ekspektasi,Baik,12,8,"
        "2026-11-01,22,1",
        # No rating yet: the pejabat penilai is the server's word in the /me answer.
        "Triwulan II 2026,199109092015031006,Fajar Nugroho,Pengadministrasi,Draft,0,"
        "197001011995031001,Hadi Prasetyo,,,,0,20,2026-11-16,7,1",
        "Triwulan II 2026,198812122014022007,Gita Lestari,Analis Kependudukan,Disetujui,1,"
        "197001011995031001,Hadi Prasetyo,Sesuai Ekspektasi,Di Atas Ekspektasi,Baik,20,0,"
        "2026-11-22,0,0",
        "Triwulan II 2026,197001011995031001,Hadi Prasetyo,Sekretaris Kecamatan,Disetujui,0,"
        ",,,,,0,20,2026-11-23,0,0",
    ]
    sheet = load_workbook(io.BytesIO(reports.kantor(tahun=2026, periode="2026-TW2",
                                                    fmt="xlsx")))["Laporan kantor"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[4] == ["Triwulan II 2026", "198707072012012005", "Eka Putri", "Verifikator",
                         "Disetujui", 0, "197001011995031001", "Hadi Prasetyo",
                         "Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik", 12, 8,
                         datetime(2026, 11, 1), 22, True]
    assert sheet["N5"].number_format == "DD/MM/YYYY" and sheet.freeze_panes == "A2"


def test_bad_requests(unit: Workspace, home: Path) -> None:
    reports = Reports(unit, "id")
    with pytest.raises(NotFound):
        reports.kantor("kec-lain", tahun=2026)
    with pytest.raises(ValidationError) as err:
        reports.kantor(tahun=2025, periode="2026-TW2")
    assert err.value.field == "periode"
    with pytest.raises(ValidationError) as err:
        reports.kantor(tahun=2026, batas_sinkron_hari=0)
    assert err.value.field == "batas_sinkron"
    with pytest.raises(ValidationError) as err:
        reports.kantor(tahun=2026, capaian="Luar Biasa")
    assert err.value.field == "capaian"
    with pytest.raises(ValidationError) as err:
        reports.kantor(tahun=2026, fmt="docx")
    assert err.value.field == "format"
    alone = make_workspace(home / "sendiri")
    try:
        with pytest.raises(ValidationError) as err:
            Reports(alone, "id").kantor(tahun=2026)
        assert err.value.code == "no_unit"
    finally:
        alone.lock()


def test_cli_kantor_writes_only_the_chosen_files(
        workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    fill_unit(workspace)
    workspace.lock()
    monkeypatch.setenv("ASNDESK_PASSWORD", PASSWORD)
    out = tmp_path / "keluar"
    out.mkdir()
    assert main(["report", "kantor", UNIT, "--tahun", "2026", "--periode", "2026-TW2",
                 "--capaian", "butuh-perbaikan", "--kertas", "F4",
                 "--out", str(out / "kantor.pdf")]) == 0
    text = subprocess.run(["pdftotext", str(out / "kantor.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "LAPORAN KANTOR" in text and "BUTUH PERBAIKAN" in text
    assert main(["report", "kantor", "--tahun", "2026", "--periode", "2026-TW2",
                 "--out", str(out / "kantor.csv")]) == 0
    assert (out / "kantor.csv").read_bytes().startswith("\ufeffPeriode,NIP".encode())
    assert main(["report", "kantor", "--tahun", "2026", "--format", "xlsx",
                 "--out", str(out / "unit")]) == 0
    book = load_workbook(io.BytesIO((out / "unit").read_bytes()))
    assert book["Laporan kantor"]["C2"].value == "Budi Santoso"
    assert sorted(os.listdir(out)) == ["kantor.csv", "kantor.pdf", "unit"]
    capsys.readouterr()
    assert main(["report", "kantor", "--tahun", "2026", "--capaian", "luar biasa",
                 "--out", str(out / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--capaian" in err and "Traceback" not in err
    assert main(["report", "kantor", "kec-lain", "--tahun", "2026",
                 "--out", str(out / "x.pdf")]) == 2
    assert "kec-lain" in capsys.readouterr().err
    assert sorted(os.listdir(out)) == ["kantor.csv", "kantor.pdf", "unit"]


def test_audit_has_no_personal_data(unit: Workspace, tmp_path: Path) -> None:
    reports = Reports(unit, "id")
    reports.save("kantor", reports.kantor(tahun=2026, periode="2026-TW2"), tmp_path / "k.pdf")
    reports.save("kantor", reports.kantor(tahun=2026, fmt="csv"), tmp_path / "k.csv")
    found = unit.store.conn.execute(
        "SELECT aksi, entitas_jenis, entitas_id FROM audit_log WHERE aksi = 'report.kantor'"
        " ORDER BY seq").fetchall()
    assert [tuple(r) for r in found] == [("report.kantor", "pdf", None),
                                         ("report.kantor", "csv", None)]
    rows = unit.store.conn.execute("SELECT * FROM audit_log WHERE aksi = 'report.kantor'"
                                   ).fetchall()
    assert not any(s in str(v) for r in rows for v in r
                   for s in ("Siti", "Budi", UNIT, "k.pdf", MEMBERS[0].nip))
    assert unit.verify_audit().ok
