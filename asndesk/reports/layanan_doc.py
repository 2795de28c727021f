"""Layanan (public service) report over a span of dates: KPIs per service type and a chart.

Durations are in working days as recorded with each service (computed from the holiday
calendar when it was logged); "within standard" counts completed services only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from asndesk.domain.formatting import format_rentang_tanggal
from asndesk.reports.charts import grafik_batang
from asndesk.reports.labels import label
from asndesk.reports.layout import (
    KEPALA_KECIL,
    SEL_TEBAL,
    Kertas,
    MetaPdf,
    angka,
    bagian,
    blok_identitas,
    build_pdf,
    judul,
    lebar_isi,
    p,
    persen,
    tabel,
)
from asndesk.reports.models import LayananBaris, LayananDoc, Pengesahan, Pihak
from asndesk.reports.skp_doc import tanda_tangan_laporan


def median(values: Sequence[int]) -> Fraction | None:
    """Exact median (the mean of the two middle values for an even count)."""
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return Fraction(s[mid]) if len(s) % 2 else Fraction(s[mid - 1] + s[mid], 2)


def _baris(kode: str, nama: str, standar: int | None, rows: list[dict[str, Any]]
           ) -> LayananBaris:
    durasi_selesai = [(int(r["durasi_hari_kerja"]), r["standar_hari_kerja"]) for r in rows
                      if r["status"] == "selesai" and r["durasi_hari_kerja"] is not None]
    durasi = [d for d, _ in durasi_selesai]
    return LayananBaris(
        kode=kode, nama=nama, standar=standar, permohonan=len(rows), selesai=len(durasi),
        tepat_waktu=sum(1 for d, std in durasi_selesai if d <= int(std)),
        median=median(durasi), rata=Fraction(sum(durasi), len(durasi)) if durasi else None,
        pengaduan=sum(int(r["pengaduan"]) for r in rows),
        pengaduan_selesai=sum(int(r["pengaduan_selesai"]) for r in rows),
    )


def ringkas_layanan(rows: Iterable[dict[str, Any]]) -> tuple[list[LayananBaris], LayananBaris]:
    """KPIs per service type (ordered by code) and over all types, from service-log rows
    joined with their type (`jenis_kode`, `jenis_nama`, `standar_hari_kerja`)."""
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    all_rows = list(rows)
    for r in all_rows:
        by_type[r["jenis_kode"]].append(r)
    baris = [_baris(kode, items[0]["jenis_nama"], int(items[0]["standar_hari_kerja"]), items)
             for kode, items in sorted(by_type.items())]
    return baris, _baris("", "", None, all_rows)


def gather_layanan(service_rows: list[dict[str, Any]], pihak: Pihak, dari: date, sampai: date,
                   pengesahan: Pengesahan) -> LayananDoc:
    baris, total = ringkas_layanan(service_rows)
    return LayananDoc(pihak=pihak, dari=dari, sampai=sampai, baris=tuple(baris), total=total,
                      pengesahan=pengesahan)


def _row(b: LayananBaris, locale: str, total_label: str | None = None) -> list[Any]:
    first: list[Any] = ([p(total_label.upper(), SEL_TEBAL), ""] if total_label
                        else [b.kode, b.nama])
    return [*first, "-" if b.standar is None else str(b.standar), angka(b.permohonan, locale),
            angka(b.selesai, locale),
            angka(b.tepat_waktu, locale) + " (" + persen(b.persen_tepat, locale) + ")",
            angka(b.median, locale, 1) if b.median is not None else "-",
            angka(b.rata, locale, 2) if b.rata is not None else "-",
            angka(b.pengaduan, locale) + "/" + angka(b.pengaduan_selesai, locale)]


def kpi_layanan(baris: Sequence[LayananBaris], total: LayananBaris, kertas: Kertas,
                locale: str) -> list[Flowable]:
    """The KPI table per service type with its total row, then the volume chart (or the
    plain "no data" line); shared by the layanan report and the Laporan kantor."""
    if not baris:
        return [p(label("tidak_ada_data", locale))]
    w = lebar_isi(kertas)
    header = [label(k, locale) for k in ("kode", "jenis_layanan", "standar", "permohonan",
                                          "selesai", "tepat_waktu", "median", "rata",
                                          "pengaduan")]
    body = [_row(b, locale) for b in baris]
    body.append(_row(total, locale, label("total", locale)))
    widths = [w * f for f in (0.06, 0.19, 0.09, 0.12, 0.09, 0.13, 0.10, 0.10, 0.12)]
    n = len(body)
    chart = grafik_batang(
        [b.kode for b in baris],
        [(label("permohonan", locale), [b.permohonan for b in baris]),
         (label("tepat_waktu", locale), [b.tepat_waktu for b in baris])],
        w, locale)
    return [tabel(header, body, widths, [("SPAN", (0, n), (1, n))], KEPALA_KECIL),
            *bagian(label("grafik_layanan", locale)), chart]


def render_layanan(doc: LayananDoc, kertas: Kertas = Kertas.A4, locale: str = "id") -> bytes:
    """The service performance report with its table and chart, as PDF bytes."""
    rentang = format_rentang_tanggal(doc.dari, doc.sampai, locale=locale)
    lines = [label("layanan", locale)]
    unit = doc.pihak.pegawai.unit_kerja if doc.pihak.pegawai else None
    if unit:
        lines.append(unit)
    story: list[Flowable] = [
        *judul(*lines, label("rentang", locale).format(x=rentang)),
        blok_identitas([(label("pegawai", locale), doc.pihak.pegawai),
                        (label("penilai", locale), doc.pihak.penilai)], kertas, locale),
        *bagian(label("kpi_layanan", locale)),
        *kpi_layanan(doc.baris, doc.total, kertas, locale),
        Spacer(1, 8 * mm),
        KeepTogether([tanda_tangan_laporan(doc.pihak, doc.pengesahan, kertas, locale)]),
    ]
    nama = doc.pihak.pegawai.nama_lengkap if doc.pihak.pegawai else None
    meta = MetaPdf(title=f"{label('layanan', locale)} {rentang}",
                   subject=label("layanan", locale), author=nama or "asndesk", locale=locale)
    return build_pdf(story, meta, kertas)

