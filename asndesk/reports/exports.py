"""Tabular exports (log harian, service logs, realisasi, unit monitoring) as CSV or XLSX.

CSV holds canonical values (ISO dates, "." decimals) so any tool reads it back; XLSX holds
typed cells (dates, numbers) that the spreadsheet shows in its own locale. Headers are in
the document language. Text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from asndesk.reports.gather import periode_dari_row
from asndesk.reports.labels import cek_bahasa
from asndesk.reports.models import KantorDoc
from asndesk.store import report_repo, skp_repo

Nilai = str | int | Decimal | date | bool | None

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Kolom:
    """One column: a stable key, its header per language, and an XLSX number format."""

    key: str
    id: str
    en: str
    format: str | None = None

    def judul(self, locale: str) -> str:
        return self.id if cek_bahasa(locale) == "id" else self.en


@dataclass(frozen=True)
class Tabel:
    nama: str
    """Sheet name (≤ 31 characters)."""
    kolom: tuple[Kolom, ...]
    baris: list[tuple[Nilai, ...]]


def _csv_teks(value: Nilai) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # OWASP's CSV-injection advice: text a spreadsheet would evaluate starts with a quote.
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(tabel: Tabel, locale: str) -> bytes:
    """UTF-8 with BOM (so spreadsheet apps detect it), CRLF rows, header first."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([k.judul(locale) for k in tabel.kolom])
    writer.writerows([_csv_teks(v) for v in row] for row in tabel.baris)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(tabel: Tabel, locale: str) -> bytes:
    """One sheet: bold header, frozen first row, filter, typed cells, readable widths."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has one sheet
    ws.title = tabel.nama[:31]
    ws.append([k.judul(locale) for k in tabel.kolom])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(tabel.baris, start=2):
        for c, (kolom, value) in enumerate(zip(tabel.kolom, row, strict=True), start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # openpyxl would store it as a formula
            if kolom.format and value is not None:
                cell.number_format = kolom.format
    for c, kolom in enumerate(tabel.kolom, start=1):
        longest = max([len(kolom.judul(locale))] + [len(_csv_teks(row[c - 1]))
                                                     for row in tabel.baris[:200]])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, longest + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


TANGGAL = "DD/MM/YYYY"
DESIMAL = "#,##0.##"


def _bukti(conn: Any, jenis: str, ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, list[str]] = defaultdict(list)
    for b in report_repo.evidence_of(conn, jenis, ids):
        found[b["pemilik_id"]].append(str(b["nama_file"] or b["tautan"]))
    return {k: "; ".join(v) for k, v in found.items()}


def desimal(text: str | None) -> Decimal | None:
    """A stored decimal text as a Decimal (empty → None)."""
    return Decimal(text) if text not in (None, "") else None


def tabel_log(conn: Any, dari: date, sampai: date) -> Tabel:
    entries = report_repo.logs_between(conn, dari.isoformat(), sampai.isoformat())
    bukti = _bukti(conn, "log_harian", [e["id"] for e in entries])
    baris: list[tuple[Nilai, ...]] = []
    for e in entries:
        jm, mm_ = (int(x) for x in e["jam_mulai"].split(":")[:2])
        js, ms = (int(x) for x in e["jam_selesai"].split(":")[:2])
        baris.append((date.fromisoformat(e["tanggal"]), e["jam_mulai"], e["jam_selesai"],
                      js * 60 + ms - jm * 60 - mm_, e["kegiatan"], desimal(e["output_jumlah"]),
                      e["output_satuan"], e["rhk_teks"], bukti.get(e["id"])))
    kolom = (
        Kolom("tanggal", "Tanggal", "Date", TANGGAL), Kolom("jam_mulai", "Jam mulai", "Start"),
        Kolom("jam_selesai", "Jam selesai", "End"),
        Kolom("durasi_menit", "Durasi (menit)", "Duration (minutes)"),
        Kolom("kegiatan", "Kegiatan", "Activity"),
        Kolom("output_jumlah", "Output", "Output", DESIMAL),
        Kolom("output_satuan", "Satuan", "Unit"), Kolom("rhk", "RHK", "RHK"),
        Kolom("bukti", "Bukti dukung", "Evidence"),
    )
    return Tabel("Log harian", kolom, baris)


def tabel_layanan(conn: Any, dari: date, sampai: date) -> Tabel:
    rows = report_repo.service_logs_between(conn, dari.isoformat(), sampai.isoformat())
    baris: list[tuple[Nilai, ...]] = []
    for r in rows:
        durasi = r["durasi_hari_kerja"]
        sesuai = None if durasi is None else int(durasi) <= int(r["standar_hari_kerja"])
        baris.append((r["jenis_kode"], r["jenis_nama"], r["diterima_pada"], r["selesai_pada"],
                      r["status"], durasi, int(r["standar_hari_kerja"]), sesuai, r["kepuasan"],
                      bool(r["pengaduan"]), bool(r["pengaduan_selesai"]), r["hasil"],
                      r["catatan"]))
    kolom = (
        Kolom("kode", "Kode", "Code"), Kolom("jenis_layanan", "Jenis layanan", "Service type"),
        Kolom("diterima_pada", "Diterima", "Received"),
        Kolom("selesai_pada", "Selesai", "Completed"), Kolom("status", "Status", "Status"),
        Kolom("durasi_hari_kerja", "Durasi (hari kerja)", "Duration (working days)"),
        Kolom("standar_hari_kerja", "Standar (hari kerja)", "Standard (working days)"),
        Kolom("sesuai_standar", "Sesuai standar", "Within standard"),
        Kolom("kepuasan", "Kepuasan (1–4)", "Satisfaction (1–4)"),
        Kolom("pengaduan", "Pengaduan", "Complaint"),
        Kolom("pengaduan_selesai", "Pengaduan selesai", "Complaint resolved"),
        Kolom("hasil", "Hasil", "Outcome"), Kolom("catatan", "Catatan", "Notes"),
    )
    return Tabel("Layanan", kolom, baris)


def tabel_realisasi(conn: Any, skp_id: str, locale: str) -> Tabel:
    """Every realisasi of one SKP, period by period, next to its IKI and target."""
    skp = skp_repo.load_skp(conn, skp_id)
    periods = {r["id"]: periode_dari_row(r) for r in report_repo.periods_within(
        conn, f"{skp.tahun:04d}-01-01", f"{skp.tahun:04d}-12-31")}
    rows = report_repo.realisasi_of_skp(conn, skp_id, list(periods))
    bukti = _bukti(conn, "realisasi", [r["id"] for r in rows])
    iki_of = {iki.id: (rhk, iki) for rhk in skp.rhk for iki in rhk.iki}
    baris: list[tuple[Nilai, ...]] = []
    for r in rows:
        rhk, iki = iki_of[r["iki_id"]]
        periode = periods[r["period_id"]]
        baris.append((periode.label(locale), periode.mulai, periode.selesai, rhk.jenis.value,
                      rhk.teks, iki.aspek.value if iki.aspek else None, iki.indikator,
                      iki.target_nilai, iki.target_satuan, desimal(r["nilai"]), r["uraian"],
                      bukti.get(r["id"])))
    kolom = (
        Kolom("periode", "Periode", "Period"), Kolom("mulai", "Mulai", "From", TANGGAL),
        Kolom("selesai", "Selesai", "To", TANGGAL), Kolom("jenis_rhk", "Jenis RHK", "RHK kind"),
        Kolom("rhk", "Rencana hasil kerja", "Work result plan"),
        Kolom("aspek", "Aspek", "Aspect"), Kolom("indikator", "Indikator", "Indicator"),
        Kolom("target", "Target", "Target", DESIMAL), Kolom("satuan", "Satuan", "Unit"),
        Kolom("realisasi", "Realisasi", "Realisation", DESIMAL),
        Kolom("uraian", "Uraian", "Description"), Kolom("bukti", "Bukti dukung", "Evidence"),
    )
    return Tabel("Realisasi", kolom, baris)


def tabel_kantor(doc: KantorDoc, locale: str) -> Tabel:
    """The Laporan kantor's unit monitoring, one row per member (the PDF's per-person facts)."""
    baris: list[tuple[Nilai, ...]] = []
    for w in doc.pegawai:
        seen = w.terakhir_sinkron
        baris.append((
            doc.periode.label(locale), w.nip, w.nama, w.jabatan,
            w.status_skp.value if w.status_skp else None, w.menunggu,
            w.penilai.nip if w.penilai else None, w.penilai.nama_lengkap if w.penilai else None,
            w.rating_hasil.value if w.rating_hasil else None,
            w.rating_perilaku.value if w.rating_perilaku else None,
            w.predikat.value if w.predikat else None, w.jp.total, w.jp.kurang,
            seen.astimezone().date() if seen else None, doc.hari_tanpa_sinkron(w),
            doc.belum_sinkron(w)))
    kolom = (
        Kolom("periode", "Periode", "Period"), Kolom("nip", "NIP", "NIP"),
        Kolom("nama", "Nama", "Name"), Kolom("jabatan", "Jabatan", "Position"),
        Kolom("status_skp", "Status SKP", "SKP status"),
        Kolom("menunggu", "Menunggu persetujuan", "Awaiting approval"),
        Kolom("penilai_nip", "NIP pejabat penilai", "Evaluator NIP"),
        Kolom("penilai_nama", "Pejabat penilai", "Evaluator"),
        Kolom("rating_hasil_kerja", "Rating hasil kerja", "Work result rating"),
        Kolom("rating_perilaku", "Rating perilaku kerja", "Work behaviour rating"),
        Kolom("predikat", "Predikat kinerja", "Performance rating"),
        Kolom("jp", "JP", "JP", DESIMAL), Kolom("jp_kurang", "Kekurangan JP", "JP missing",
                                               DESIMAL),
        Kolom("terakhir_terhubung", "Terakhir terhubung", "Last contact", TANGGAL),
        Kolom("hari_tanpa_sinkron", "Hari tanpa sinkron", "Days without sync"),
        Kolom("belum_sinkron", "Belum sinkron", "Not synced"),
    )
    return Tabel("Laporan kantor", kolom, baris)
