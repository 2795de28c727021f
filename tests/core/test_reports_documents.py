"""Official documents read back with poppler: headings, identities, computed values, formats,
paper sizes, metadata, and a PNG render of every page (fails if poppler cannot read it)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from asndesk.domain.calendar import BATAS_HARIAN_MENIT, working_days_between
from asndesk.domain.formatting import format_durasi_menit, format_persen
from asndesk.errors import NotFound, ValidationError
from asndesk.reports.service import Reports
from asndesk.store import rows
from asndesk.store.ids import uuid7
from asndesk.workspace import Workspace
from tests.core.report_data import NIP_PENILAI, UNIT_LAYANAN, Ids, fill, make_workspace

SIGNED = date(2026, 12, 1)
NOV = (date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Ids]]:
    ws = make_workspace(tmp_path_factory.mktemp("home"))
    ids = fill(ws)
    yield ws, ids
    ws.lock()


def _pdf(tmp_path: Path, data: bytes, name: str = "doc.pdf") -> Path:
    assert data.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _text(path: Path) -> str:
    """pdftotext's reading order and its layout order, each with whitespace collapsed.

    Wrapped table cells read whole in the first; table rows read whole in the second.
    """
    found = []
    for mode in ([], ["-layout"]):
        out = subprocess.run(["pdftotext", *mode, str(path), "-"], capture_output=True,
                             text=True, check=True)
        found.append(" ".join(out.stdout.split()))
    return "\n".join(found)


def _pages(path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True,
                          text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)]


def _render(path: Path, tmp_path: Path) -> None:
    """Every page to PNG at low resolution; poppler must not complain."""
    result = subprocess.run(["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "pg")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr, result.stderr
    pngs = sorted(tmp_path.glob("pg*.png"))
    assert len(pngs) == len(_pages(path))
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000


def test_skp_document(filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, _ = filled
    path = _pdf(tmp_path, Reports(ws, "id").skp(tahun=2026, tempat="Sukamaju", tanggal=SIGNED))
    text = _text(path)
    for expected in ("SASARAN KINERJA PEGAWAI", "PENDEKATAN: KUANTITATIF",
                     "PEMERINTAH KABUPATEN SUKAMAJU",
                     "PERIODE PENILAIAN: 1 JANUARI SD 31 DESEMBER TAHUN 2026",
                     "PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA", "Siti Aminah, S.Kom.",
                     "19860926 201505 1 001", "Penata Muda, III/a", "Drs. Budi Santoso",
                     "19700101 199503 1 001", "Pembina, IV/a", "HASIL KERJA", "A. UTAMA",
                     "B. TAMBAHAN", "Meningkatnya cakupan dokumen kependudukan",
                     "1.200 Keping", "Kuantitas", "PERILAKU KERJA", "Berorientasi Pelayanan",
                     "Kolaboratif", "Sukamaju, 1 Desember 2026",
                     "LAMPIRAN SASARAN KINERJA PEGAWAI", "DUKUNGAN SUMBER DAYA",
                     "Perangkat perekaman KTP-el", "SKEMA PERTANGGUNGJAWABAN", "KONSEKUENSI"):
        assert expected in text, expected
    pages = _pages(path)
    assert f"Halaman 1 dari {len(pages)}" in text and f"Halaman {len(pages)} dari" in text
    # The 18 digits are only ever printed grouped.
    assert "198609262015051001" not in text
    assert all(abs(w - 595.28) < 0.1 and abs(h - 841.89) < 0.1 for w, h in pages)
    raw = path.read_bytes()
    assert b"/Lang (id-ID)" in raw and b"DejaVuSans" in raw and b"/FontFile2" in raw
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Title:           Sasaran Kinerja Pegawai 2026" in info
    assert "Author:          Siti Aminah, S.Kom." in info
    assert "Subject:         Sasaran Kinerja Pegawai" in info
    _render(path, tmp_path)
    # Without a date, the SKP is dated the day it was approved (ditetapkan), not today.
    text = _text(_pdf(tmp_path, Reports(ws, "id").skp(tahun=2026), "undated.pdf"))
    assert "20 Januari 2026" in text


def test_skp_jpt_variant_on_f4(filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, _ = filled
    skp = ws.create_skp(2027, "jpt_pratama").primary_id
    assert skp
    rhk = ws.add_rhk(skp, "Meningkatnya kualitas layanan publik kabupaten",
                     perspektif="Penerima Layanan").primary_id
    assert rhk
    ws.add_iki(rhk, "Indeks kepuasan masyarakat", "82.5", "Indeks")
    path = _pdf(tmp_path, Reports(ws, "id", "F4").skp(skp_id=skp, tanggal=SIGNED))
    text = _text(path)
    assert "PERSPEKTIF" in text and "Penerima Layanan" in text and "82,5 Indeks" in text
    assert "ASPEK" not in text and "DIINTERVENSI" not in text
    # F4 is 215 x 330 mm.
    assert all(abs(w - 609.45) < 0.1 and abs(h - 935.43) < 0.1 for w, h in _pages(path))
    _render(path, tmp_path)


def test_evaluasi_period_with_realisasi_feedback_and_predikat(
        filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, _ = filled
    path = _pdf(tmp_path, Reports(ws, "id").evaluasi("2026-TW2", tanggal=SIGNED))
    text = _text(path)
    for expected in ("EVALUASI KINERJA PEGAWAI", "PERIODE: TRIWULAN II 2026",
                     "1 APRIL S.D. 30 JUNI 2026", "CAPAIAN KINERJA ORGANISASI BAIK",
                     "POLA DISTRIBUSI", "REALISASI BERDASARKAN BUKTI DUKUNG",
                     "315,5 — Perekaman KTP-el triwulan II", "https://drive.example/ktp-tw2",
                     "Pertahankan kecepatan perekaman", "Ramah kepada warga lansia",
                     "Rating Hasil Kerja Di Atas Ekspektasi",
                     "Rating Perilaku Kerja Sesuai Ekspektasi",
                     "Predikat Kinerja Pegawai BAIK",
                     "Layak diusulkan untuk kenaikan pangkat", "Drs. Budi Santoso"):
        assert expected in text, expected
    # Only this period's realisasi: triwulan I is not shown here.
    assert "triwulan I " not in text and "ktp-tw1" not in text
    _render(path, tmp_path)


def test_annual_evaluation_collects_the_year(filled: tuple[Workspace, Ids],
                                             tmp_path: Path) -> None:
    ws, _ = filled
    text = _text(_pdf(tmp_path, Reports(ws, "id").evaluasi("2026-TH", tanggal=SIGNED)))
    assert "[Triwulan I 2026] 280 — Perekaman KTP-el triwulan I" in text
    assert "[Triwulan II 2026] 315,5" in text
    assert "Predikat Kinerja Pegawai SANGAT BAIK" in text and "ISTIMEWA" in text


def test_predikat_is_recomputed_and_never_defaulted(filled: tuple[Workspace, Ids],
                                                    tmp_path: Path) -> None:
    ws, _ = filled
    reports = Reports(ws, "id")
    # TW3's stored predikat says Sangat Baik, but both ratings are Di Bawah Ekspektasi.
    text = _text(_pdf(tmp_path, reports.evaluasi("2026-TW3", tanggal=SIGNED), "tw3.pdf"))
    assert "Predikat Kinerja Pegawai SANGAT KURANG" in text and "SANGAT BAIK" not in text
    text = _text(_pdf(tmp_path, reports.dokumen_evaluasi("2026-TW1", tanggal=SIGNED)))
    assert "PREDIKAT KINERJA PEGAWAI Belum dinilai" in text
    for predikat in ("Sangat Baik", "SANGAT BAIK", "BAIK ", "Butuh Perbaikan"):
        assert predikat not in text


def test_a_cell_taller_than_a_page_splits(filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, ids = filled
    with ws.store.write(NIP_PENILAI) as tx:
        for i in range(60):
            rows.insert(tx, "umpan_balik", {
                "id": uuid7(), "skp_id": ids.skp, "sasaran_jenis": "rhk",
                "sasaran_id": ids.rhk_tambahan, "period_id": "2026-TW4",
                "teks": f"Catatan {i + 1}: " + "laporan perlu dilengkapi data desa " * 5,
                "dibuat_pada": "2026-11-02T03:00:00+00:00"})
    path = _pdf(tmp_path, Reports(ws, "id").evaluasi("2026-TW4", tanggal=SIGNED))
    text = _text(path)
    assert "Catatan 1:" in text and "Catatan 60:" in text and len(_pages(path)) >= 3
    _render(path, tmp_path)


def test_dokumen_evaluasi_one_page_without_invented_superior(
        filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, _ = filled
    path = _pdf(tmp_path, Reports(ws, "id").dokumen_evaluasi("2026-TH", tanggal=SIGNED))
    text = _text(path)
    assert len(_pages(path)) == 1
    for expected in ("DOKUMEN EVALUASI KINERJA PEGAWAI", "PERIODE: TAHUNAN 2026",
                     "1 PEGAWAI YANG DINILAI", "2 PEJABAT PENILAI KINERJA",
                     "3 ATASAN PEJABAT PENILAI KINERJA NAMA : - NIP : - PANGKAT/GOL. RUANG : -",
                     "4 CAPAIAN KINERJA ORGANISASI ISTIMEWA",
                     "5 PREDIKAT KINERJA PEGAWAI SANGAT BAIK",
                     "6 CATATAN/REKOMENDASI Layak diusulkan"):
        assert expected in text, expected
    _render(path, tmp_path)


def test_log_harian_month(filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, _ = filled
    path = _pdf(tmp_path, Reports(ws, "id").log(2026, 11, tanggal=SIGNED))
    text = _text(path)
    hari_kerja = working_days_between(date(2026, 10, 31), NOV[1], ws.calendar())
    norma = hari_kerja * BATAS_HARIAN_MENIT
    for expected in ("LAPORAN LOG HARIAN", "BULAN: NOVEMBER 2026",
                     "Senin, 2 November 2026 2 7 jam 30 menit 7 jam 30 menit 0 menit",
                     "Selasa, 3 November 2026 1 2 jam 30 menit 7 jam 30 menit −5 jam",
                     f"HARI KERJA : {hari_kerja}", "DURASI : 10 jam",
                     "NORMA JAM KERJA : " + format_durasi_menit(norma, locale="id"),
                     format_persen(Fraction(600 * 100, norma), locale="id"),
                     "07.30–12.00", "Merekam KTP-el warga Desa Sukamaju", "12 Keping",
                     "Menyusun laporan <harian> & rekap", "RHK TERKAIT",
                     "1 Terlaksananya perekaman KTP-el warga",
                     "2 Tersusunnya laporan bulanan pelayanan", "DAFTAR BUKTI DUKUNG",
                     "https://drive.example/foto-rekam"):
        assert expected in text, expected
    assert "Sabtu, 7 November" not in text  # an idle weekend is left out
    _render(path, tmp_path)


def test_layanan_report(filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, _ = filled
    path = _pdf(tmp_path, Reports(ws, "id").layanan(*NOV, tanggal=SIGNED))
    text = _text(path)
    for expected in ("LAPORAN KINERJA PELAYANAN", "1 NOVEMBER S.D. 30 NOVEMBER 2026",
                     "KK Penerbitan Kartu Keluarga 1 1 1 1 (100,00%) 1,0 1,00 1/1",
                     "KTP Perekaman KTP-el 3 3 2 1 (50,00%) 3,5 3,50 0/0",
                     "TOTAL - 4 3 2 (66,67%) 2,0 2,67 1/1", "GRAFIK VOLUME DAN KETEPATAN"):
        assert expected in text, expected
    _render(path, tmp_path)


def test_ikm_report(filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, _ = filled
    reports = Reports(ws, "id")
    path = _pdf(tmp_path, reports.ikm(UNIT_LAYANAN, *NOV, tanggal=SIGNED))
    text = _text(path)
    # Eight elements at 3, U9 at 3,5: IKM = 27,5/9 = 3,0556 → 76,39 → C (Kurang Baik).
    for expected in ("LAPORAN INDEKS KEPUASAN MASYARAKAT", "UNIT LAYANAN: KECAMATAN SUKAMAJU",
                     "U1 Persyaratan 4 3,000 0,333", "U9 Sarana dan Prasarana 4 3,500 0,389",
                     "Nilai IKM (1–4) 3,056", "IKM Unit Pelayanan (25–100) 76,39",
                     "Mutu Pelayanan C", "Kinerja Unit Pelayanan Kurang Baik",
                     "Jumlah Responden 4",
                     "Sampel minimal (Krejcie–Morgan, populasi 3) 3 — terpenuhi"):
        assert expected in text, expected
    _render(path, tmp_path)
    text = _text(_pdf(tmp_path, reports.ikm(UNIT_LAYANAN, *NOV, populasi=100), "p100.pdf"))
    assert "(Krejcie–Morgan, populasi 100) 80 — belum terpenuhi" in text
    with pytest.raises(ValidationError) as err:
        reports.ikm("Unit lain", *NOV)
    assert err.value.field == "responses"


def test_english_variant(filled: tuple[Workspace, Ids], tmp_path: Path) -> None:
    ws, _ = filled
    path = _pdf(tmp_path, Reports(ws, "en").evaluasi("2026-TW2", tanggal=SIGNED))
    text = _text(path)
    for expected in ("EMPLOYEE PERFORMANCE EVALUATION", "PERIOD: QUARTER II 2026",
                     "APPROACH: QUANTITATIVE",
                     "1 APRIL TO 30 JUNE 2026", "1,200 Keping", "315.5 —", "Page 1 of",
                     "1 December 2026"):
        assert expected in text, expected
    assert b"/Lang (en)" in path.read_bytes()
    reports = Reports(ws, "en")
    for name, data, expected in (
            ("skp", reports.skp(tahun=2026), "ANNEX TO THE EMPLOYEE PERFORMANCE TARGETS"),
            ("dok", reports.dokumen_evaluasi("2026-TH"), "EVALUATOR'S SUPERIOR"),
            ("log", reports.log(2026, 11), "Monday, 2 November 2026"),
            ("lay", reports.layanan(*NOV), "2 (66.67%)"),
            ("ikm", reports.ikm(UNIT_LAYANAN, *NOV), "Service Unit IKM (25–100) 76.39")):
        text = _text(_pdf(tmp_path, data, name + ".pdf"))
        assert expected in text and "Page 1 of" in text, name


def test_bad_requests_are_typed_errors(filled: tuple[Workspace, Ids]) -> None:
    ws, _ = filled
    reports = Reports(ws, "id")
    with pytest.raises(NotFound):
        reports.skp(tahun=2031)
    with pytest.raises(NotFound):
        reports.evaluasi("2026-TW9")
    with pytest.raises(ValidationError):
        reports.log(2026, 13)
    with pytest.raises(ValidationError):
        reports.layanan(NOV[1], NOV[0])
    with pytest.raises(ValidationError):
        Reports(ws, "fr")
    with pytest.raises(ValidationError):
        Reports(ws, "id", "Letter")
