"""CSV/XLSX exports (golden contents), the e-Kinerja entry order, the SIASN mapping, and how
files are written and audited; then the `asndesk report` command line."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from asndesk import i18n
from asndesk.cli.main import main
from asndesk.errors import ValidationError
from asndesk.reports.service import Reports
from asndesk.workspace import Workspace
from tests.core.report_data import NIP, NIP_PENILAI, PASSWORD, Ids, fill, make_workspace

NOV = {"dari": date(2026, 11, 1), "sampai": date(2026, 11, 30)}


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Ids]]:
    ws = make_workspace(tmp_path_factory.mktemp("home"))
    ids = fill(ws)
    yield ws, ids
    ws.lock()


def _csv(data: bytes) -> str:
    assert data.startswith("\ufeff".encode())
    return data.decode("utf-8-sig")


def test_log_csv_golden(filled: tuple[Workspace, Ids]) -> None:
    ws, _ = filled
    assert _csv(Reports(ws, "id").export("log", "csv", **NOV)) == (
        "Tanggal,Jam mulai,Jam selesai,Durasi (menit),Kegiatan,Output,Satuan,RHK,Bukti dukung\r\n"
        "2026-11-02,07:30,12:00,270,Merekam KTP-el warga Desa Sukamaju,12,Keping,"
        "Terlaksananya perekaman KTP-el warga,https://drive.example/foto-rekam\r\n"
        "2026-11-02,13:00,16:00,180,Menyusun laporan <harian> & rekap,,,"
        "Tersusunnya laporan bulanan pelayanan,\r\n"
        "2026-11-03,07:30,10:00,150,Melayani konsultasi KK,,,,\r\n"
    )


def test_layanan_csv_golden_in_english(filled: tuple[Workspace, Ids]) -> None:
    ws, _ = filled
    assert _csv(Reports(ws, "en").export("layanan", "csv", **NOV)) == (
        "Code,Service type,Received,Completed,Status,Duration (working days),"
        "Standard (working days),Within standard,Satisfaction (1–4),Complaint,"
        "Complaint resolved,Outcome,Notes\r\n"
        "KTP,Perekaman KTP-el,2026-11-02T09:00+07:00,2026-11-04T10:00+07:00,selesai,2,3,1,,0,0,,"
        "\r\n"
        "KTP,Perekaman KTP-el,2026-11-02T10:00+07:00,2026-11-09T10:00+07:00,selesai,5,3,0,,0,0,,"
        "\r\n"
        "KTP,Perekaman KTP-el,2026-11-03T09:00+07:00,,diproses,,3,,,0,0,,\r\n"
        "KK,Penerbitan Kartu Keluarga,2026-11-04T09:00+07:00,2026-11-05T09:00+07:00,selesai,1,"
        "1,1,,1,1,,\r\n"
    )


def test_realisasi_and_ekinerja_csv_golden(filled: tuple[Workspace, Ids]) -> None:
    ws, _ = filled
    reports = Reports(ws, "id")
    assert _csv(reports.export("realisasi", "csv", tahun=2026)).splitlines() == [
        "Periode,Mulai,Selesai,Jenis RHK,Rencana hasil kerja,Aspek,Indikator,Target,Satuan,"
        "Realisasi,Uraian,Bukti dukung",
        "Triwulan I 2026,2026-01-01,2026-03-31,utama,Terlaksananya perekaman KTP-el warga,"
        "Kuantitas,Jumlah KTP-el terekam,1200,Keping,280,Perekaman KTP-el triwulan I,"
        "https://drive.example/ktp-tw1",
        "Triwulan II 2026,2026-04-01,2026-06-30,utama,Terlaksananya perekaman KTP-el warga,"
        "Kuantitas,Jumlah KTP-el terekam,1200,Keping,315.5,Perekaman KTP-el triwulan II,"
        "https://drive.example/ktp-tw2",
        "Triwulan II 2026,2026-04-01,2026-06-30,utama,Terlaksananya perekaman KTP-el warga,"
        "Waktu,Perekaman selesai tepat waktu,12,Bulan,3,Semua perekaman selesai,",
    ]
    # e-Kinerja's entry order: the plan first, then per period action plan → realisasi +
    # evidence → feedback.
    assert _csv(reports.export("ekinerja", "csv", tahun=2026)).splitlines() == [
        "Urutan,Tahap,Periode,No. RHK,Isian,Nilai/Target,Satuan,Keterangan",
        "1,RHK,,A.1,Terlaksananya perekaman KTP-el warga,,,"
        "Meningkatnya cakupan dokumen kependudukan",
        "2,Indikator,,A.1,Jumlah KTP-el terekam,1200,Keping,Kuantitas",
        "3,Indikator,,A.1,Perekaman selesai tepat waktu,12,Bulan,Waktu",
        "4,RHK,,B.1,Tersusunnya laporan bulanan pelayanan,,,Tersedianya data kinerja kecamatan",
        "5,Indikator,,B.1,Laporan tersusun,12,Dokumen,Kuantitas",
        "6,Realisasi,Triwulan I 2026,A.1,Perekaman KTP-el triwulan I,280,Keping,"
        "Jumlah KTP-el terekam",
        "7,Bukti dukung,Triwulan I 2026,A.1,https://drive.example/ktp-tw1,,,"
        "Jumlah KTP-el terekam",
        "8,Rencana aksi,Triwulan II 2026,A.1,Jemput bola perekaman di desa,,,",
        "9,Realisasi,Triwulan II 2026,A.1,Perekaman KTP-el triwulan II,315.5,Keping,"
        "Jumlah KTP-el terekam",
        "10,Bukti dukung,Triwulan II 2026,A.1,https://drive.example/ktp-tw2,,,"
        "Jumlah KTP-el terekam",
        "11,Realisasi,Triwulan II 2026,A.1,Semua perekaman selesai,3,Bulan,"
        "Perekaman selesai tepat waktu",
        "12,Umpan balik,Triwulan II 2026,A.1,Pertahankan kecepatan perekaman,,,",
    ]


def test_xlsx_has_typed_cells(filled: tuple[Workspace, Ids]) -> None:
    ws, _ = filled
    book = load_workbook(io.BytesIO(Reports(ws, "id").export("log", "xlsx", **NOV)))
    sheet = book["Log harian"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Tanggal", "Jam mulai", "Jam selesai", "Durasi (menit)", "Kegiatan",
                         "Output", "Satuan", "RHK", "Bukti dukung"]
    assert values[1] == [datetime(2026, 11, 2), "07:30", "12:00", 270,
                         "Merekam KTP-el warga Desa Sukamaju", 12, "Keping",
                         "Terlaksananya perekaman KTP-el warga",
                         "https://drive.example/foto-rekam"]
    assert values[3][5:8] == [None, None, None]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["A2"].number_format == "DD/MM/YYYY"
    realisasi = load_workbook(io.BytesIO(
        Reports(ws, "id").export("realisasi", "xlsx", tahun=2026)))["Realisasi"]
    assert [c.value for c in realisasi[3]][7:10] == [1200, "Keping", 315.5]


def test_spreadsheet_formulas_in_text_are_neutralised(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "home2")
    try:
        ws.add_log("2026-11-20", "08:00", "09:00", "=HYPERLINK(\"http://x\",\"klik\")")
        reports = Reports(ws, "id")
        csv_text = _csv(reports.export("log", "csv", **NOV))
        assert ',"\'=HYPERLINK(""http://x"",""klik"")",' in csv_text
        cell = load_workbook(io.BytesIO(reports.export("log", "xlsx", **NOV)))["Log harian"]["E2"]
        assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\",\"klik\")"
    finally:
        ws.lock()


def test_siasn_mapping(filled: tuple[Workspace, Ids]) -> None:
    ws, _ = filled
    mapped = json.loads(Reports(ws, "id").siasn(2026))
    assert mapped == {
        "tahun": 2026, "hasilKinerjaNilai": 1, "perilakuKerjaNilai": 1,
        "kuadranKinerjaNilai": 1, "penilaiNipNrp": NIP_PENILAI,
        "penilaiNama": "Drs. Budi Santoso", "penilaiJabatan": "Camat Sukamaju",
        "penilaiUnorNama": "Kecamatan Sukamaju", "penilaiGolongan": "IV/a",
        "statusPenilai": "ASN",
    }
    with pytest.raises(ValidationError) as err:
        Reports(ws, "id").siasn(2027)
    assert err.value.code == "not_rated"


def test_save_writes_only_the_chosen_file_and_audits_without_personal_data(
        filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, _ = filled
    reports = Reports(ws, "id")
    out = tmp_path / "keluar"
    out.mkdir()
    target = out / "skp.pdf"
    reports.save("skp", reports.skp(tahun=2026), target)
    assert sorted(p.name for p in out.iterdir()) == ["skp.pdf"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(ValidationError) as err:
        reports.save("skp", b"%PDF-other", target)
    assert err.value.code == "exists" and target.read_bytes().startswith(b"%PDF-1.")
    reports.save("skp", b"%PDF-new", target, overwrite=True)
    assert target.read_bytes() == b"%PDF-new"
    last = ws.store.conn.execute(
        "SELECT aksi, entitas_jenis, entitas_id FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert tuple(last) == ("report.skp", "pdf", None)
    rows = ws.store.conn.execute("SELECT * FROM audit_log WHERE aksi LIKE 'report.%'").fetchall()
    assert len(rows) == 2 and not any("Siti" in str(v) or "skp.pdf" in str(v)
                                      for r in rows for v in r)
    assert ws.verify_audit().ok


def test_cli_report_and_export(workspace: Workspace, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    fill(workspace)
    workspace.lock()
    monkeypatch.setenv("ASNDESK_PASSWORD", PASSWORD)
    pdf = tmp_path / "evaluasi.pdf"
    assert main(["report", "evaluasi", "--periode", "2026-TW2", "--kertas", "F4",
                 "--tempat", "Sukamaju", "--tanggal", "01/12/2026", "--out", str(pdf)]) == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "EVALUASI KINERJA PEGAWAI" in text and "Sukamaju, 1 Desember 2026" in text
    assert "935.43" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                      text=True).stdout
    assert main(["report", "log", "--bulan", "11/2026", "--out", str(tmp_path / "log.pdf")]) == 0
    assert main(["report", "export", "ekinerja", "--tahun", "2026",
                 "--out", str(tmp_path / "ek.xlsx")]) == 0
    assert load_workbook(tmp_path / "ek.xlsx")["e-Kinerja"]["B2"].value == "RHK"
    assert main(["report", "export", "siasn", "--tahun", "2026",
                 "--out", str(tmp_path / "siasn.json")]) == 0
    assert json.loads((tmp_path / "siasn.json").read_text())["kuadranKinerjaNilai"] == 1
    capsys.readouterr()
    # An existing file is refused with one line and exit code 2; nothing is overwritten.
    assert main(["report", "ikm", "--unit", "Kecamatan Sukamaju", "--dari", "2026-11-01",
                 "--sampai", "2026-11-30", "--out", str(pdf)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err and "Traceback" not in err
    assert "EVALUASI" in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                        text=True).stdout
    monkeypatch.setitem(i18n._state, "lang", "id")  # restored after `--lang en` below
    assert main(["--lang", "en", "report", "skp", "--tahun", "2026",
                 "--out", str(tmp_path / "skp-en.pdf")]) == 0
    assert b"/Lang (en)" in (tmp_path / "skp-en.pdf").read_bytes()
    assert main(["report", "export", "log", "--out", str(tmp_path / "x.txt")]) == 2
    capsys.readouterr()
    assert main(["report", "layanan", "--dari", "31/02/2026", "--sampai", "2026-03-31",
                 "--out", str(tmp_path / "y.pdf")]) == 2
    assert main(["report", "log", "--bulan", "13/2026", "--out", str(tmp_path / "y.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "31/02/2026" in err and "Traceback" not in err
    # Only the files asked for: no temporary copies next to them (`home` is the profile).
    assert sorted(os.listdir(tmp_path)) == ["ek.xlsx", "evaluasi.pdf", "home", "log.pdf",
                                           "siasn.json", "skp-en.pdf"]
    assert NIP not in capsys.readouterr().out
