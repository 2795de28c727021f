"""Printed wording of the official documents, per document language (`id` or `en`).

Kept here rather than in the gettext catalog for the same reason as `domain.formatting`:
a document takes an explicit language, which may differ from the process-wide UI
language, and the Indonesian wording is the form's official text, not a translation.
"""

from __future__ import annotations

from asndesk.errors import ValidationError
from asndesk.i18n import N_

_ID: dict[str, str] = {
    "halaman": "Halaman {n} dari {total}",
    "nama": "Nama", "nip": "NIP", "pangkat": "Pangkat/Gol. Ruang", "jabatan": "Jabatan",
    "unit_kerja": "Unit Kerja", "instansi": "Instansi",
    "pegawai": "Pegawai yang Dinilai", "penilai": "Pejabat Penilai Kinerja",
    "atasan_penilai": "Atasan Pejabat Penilai Kinerja",
    "skp": "Sasaran Kinerja Pegawai", "pendekatan": "Pendekatan: {x}",
    "kuantitatif": "Kuantitatif", "kualitatif": "Kualitatif",
    "periode_penilaian": "Periode Penilaian: {x}",
    "skp_periode": "1 Januari sd 31 Desember Tahun {tahun}",
    "hasil_kerja": "Hasil Kerja", "perilaku_kerja": "Perilaku Kerja",
    "utama": "A. Utama", "tambahan": "B. Tambahan", "no": "No",
    "rhk_atasan": "Rencana Hasil Kerja Pimpinan yang Diintervensi",
    "rhk": "Rencana Hasil Kerja", "aspek": "Aspek", "iki": "Indikator Kinerja Individu",
    "target": "Target", "perspektif": "Perspektif",
    "ekspektasi": "Ekspektasi Khusus Pimpinan",
    "lampiran": "Lampiran Sasaran Kinerja Pegawai",
    "dukungan_sumber_daya": "Dukungan Sumber Daya",
    "skema_pertanggungjawaban": "Skema Pertanggungjawaban", "konsekuensi": "Konsekuensi",
    "evaluasi": "Evaluasi Kinerja Pegawai", "dokumen_evaluasi": "Dokumen Evaluasi Kinerja Pegawai",
    "periode": "Periode: {x}",
    "capaian_organisasi": "Capaian Kinerja Organisasi",
    "pola_distribusi": "Pola Distribusi",
    "realisasi": "Realisasi Berdasarkan Bukti Dukung",
    "umpan_balik": "Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung",
    "rating_hasil": "Rating Hasil Kerja", "rating_perilaku": "Rating Perilaku Kerja",
    "predikat": "Predikat Kinerja Pegawai", "belum_dinilai": "Belum dinilai",
    "catatan": "Catatan/Rekomendasi", "bukti": "Bukti dukung",
    "log": "Laporan Log Harian", "bulan": "Bulan: {x}",
    "rekap_harian": "Rekapitulasi per Hari", "tanggal": "Tanggal",
    "jumlah_kegiatan": "Jumlah Kegiatan", "durasi": "Durasi", "norma": "Norma Jam Kerja",
    "selisih": "Selisih", "rincian": "Rincian Kegiatan", "jam": "Jam", "kegiatan": "Kegiatan",
    "output": "Output", "rhk_terkait": "RHK Terkait", "daftar_bukti": "Daftar Bukti Dukung",
    "jumlah": "Jumlah", "hari_kerja": "Hari kerja", "capaian_jam": "Capaian jam kerja",
    "libur": "Libur", "akhir_pekan": "Akhir pekan",
    "layanan": "Laporan Kinerja Pelayanan", "rentang": "Periode: {x}",
    "kpi_layanan": "Kinerja per Jenis Layanan",
    "kode": "Kode", "jenis_layanan": "Jenis Layanan", "standar": "Standar (hari kerja)",
    "permohonan": "Permohonan", "selesai": "Selesai", "tepat_waktu": "Sesuai Standar",
    "median": "Median (hari kerja)", "rata": "Rata-rata (hari kerja)",
    "pengaduan": "Pengaduan (diterima/ selesai)", "grafik_layanan": "Grafik Volume dan Ketepatan",
    "ikm": "Laporan Indeks Kepuasan Masyarakat", "unit_layanan": "Unit Layanan",
    "unsur": "Unsur Pelayanan", "menjawab": "Responden Menjawab", "nrr": "NRR",
    "nrr_tertimbang": "NRR Tertimbang", "nilai_ikm": "Nilai IKM (1–4)",
    "ikm_konversi": "IKM Unit Pelayanan (25–100)", "mutu": "Mutu Pelayanan",
    "kinerja_unit": "Kinerja Unit Pelayanan", "responden": "Jumlah Responden",
    "sampel": "Sampel minimal (Krejcie–Morgan, populasi {n})",
    "sampel_cukup": "terpenuhi", "sampel_kurang": "belum terpenuhi",
    "total": "Total", "tidak_ada_data": "Tidak ada data pada periode ini.",
    "hasil_ikm": "Hasil Pengukuran", "grafik_nrr": "Grafik NRR per Unsur",
    "pelapor": "Yang Melaporkan", "mengetahui": "Mengetahui,",
}

_EN: dict[str, str] = {
    "halaman": "Page {n} of {total}",
    "nama": "Name", "nip": "NIP", "pangkat": "Rank/Grade", "jabatan": "Position",
    "unit_kerja": "Work Unit", "instansi": "Agency",
    "pegawai": "Employee Assessed", "penilai": "Performance Evaluator",
    "atasan_penilai": "Evaluator's Superior",
    "skp": "Employee Performance Targets (SKP)", "pendekatan": "Approach: {x}",
    "kuantitatif": "Quantitative", "kualitatif": "Qualitative",
    "periode_penilaian": "Assessment Period: {x}",
    "skp_periode": "1 January to 31 December {tahun}",
    "hasil_kerja": "Work Results", "perilaku_kerja": "Work Behaviour",
    "utama": "A. Main", "tambahan": "B. Additional", "no": "No",
    "rhk_atasan": "Supervisor's Work Plan Supported", "rhk": "Work Result Plan (RHK)",
    "aspek": "Aspect", "iki": "Individual Performance Indicator", "target": "Target",
    "perspektif": "Perspective", "ekspektasi": "Supervisor's Specific Expectations",
    "lampiran": "Annex to the Employee Performance Targets",
    "dukungan_sumber_daya": "Resource Support",
    "skema_pertanggungjawaban": "Accountability Scheme", "konsekuensi": "Consequences",
    "evaluasi": "Employee Performance Evaluation",
    "dokumen_evaluasi": "Employee Performance Evaluation Document", "periode": "Period: {x}",
    "capaian_organisasi": "Organisational Performance", "pola_distribusi": "Distribution Pattern",
    "realisasi": "Realisation Based on Evidence",
    "umpan_balik": "Continuous Feedback Based on Evidence",
    "rating_hasil": "Work Result Rating", "rating_perilaku": "Work Behaviour Rating",
    "predikat": "Employee Performance Rating", "belum_dinilai": "Not rated yet",
    "catatan": "Notes/Recommendations", "bukti": "Evidence",
    "log": "Daily Log Report", "bulan": "Month: {x}",
    "rekap_harian": "Summary per Day", "tanggal": "Date", "jumlah_kegiatan": "Activities",
    "durasi": "Duration", "norma": "Working-time Norm", "selisih": "Difference",
    "rincian": "Activities in Detail", "jam": "Time", "kegiatan": "Activity",
    "output": "Output", "rhk_terkait": "Linked RHK", "daftar_bukti": "Evidence List",
    "jumlah": "Total", "hari_kerja": "Working days", "capaian_jam": "Working time achieved",
    "libur": "Holiday", "akhir_pekan": "Weekend",
    "layanan": "Public Service Performance Report", "rentang": "Period: {x}",
    "kpi_layanan": "Performance per Service Type",
    "kode": "Code", "jenis_layanan": "Service Type", "standar": "Standard (working days)",
    "permohonan": "Requests", "selesai": "Completed", "tepat_waktu": "Within Standard",
    "median": "Median (working days)", "rata": "Mean (working days)",
    "pengaduan": "Complaints (received/ resolved)",
    "grafik_layanan": "Volume and Timeliness Chart",
    "ikm": "Public Satisfaction Index Report", "unit_layanan": "Service Unit",
    "unsur": "Service Element", "menjawab": "Respondents Answering", "nrr": "NRR",
    "nrr_tertimbang": "Weighted NRR", "nilai_ikm": "IKM Value (1–4)",
    "ikm_konversi": "Service Unit IKM (25–100)", "mutu": "Service Quality",
    "kinerja_unit": "Service Unit Performance", "responden": "Respondents",
    "sampel": "Minimum sample (Krejcie–Morgan, population {n})",
    "sampel_cukup": "met", "sampel_kurang": "not met",
    "total": "Total", "tidak_ada_data": "No data in this period.",
    "hasil_ikm": "Results", "grafik_nrr": "NRR per Element",
    "pelapor": "Reported by", "mengetahui": "Acknowledged by,",
}

LABELS: dict[str, dict[str, str]] = {"id": _ID, "en": _EN}


def cek_bahasa(locale: str) -> str:
    """The document language, or a ValidationError naming the unsupported one."""
    if locale not in LABELS:
        raise ValidationError("lang", "unsupported",
                              N_("The language {locale} is not supported."), locale=locale)
    return locale


def label(key: str, locale: str) -> str:
    """The printed wording of `key` in `locale` (a missing key is a programming error)."""
    return LABELS[cek_bahasa(locale)][key]
