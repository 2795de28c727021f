"""Monthly log harian report of one employee: per-day totals against the working-time norm,
the activities, their linked RHK and the evidence list.

The norm is 7 h 30 min per working day (37 h 30 min over Mon–Fri; national holidays and
cuti bersama count 0). *(assumed)*: Ramadan's shorter week is not applied, because the
calendar carries no Ramadan dates yet.
"""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction
from typing import Any

from babel.dates import format_date
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from asndesk.domain.formatting import format_durasi_menit, format_jam, format_tanggal
from asndesk.reports.labels import label
from asndesk.reports.layout import (
    SEL_TEBAL,
    Kertas,
    MetaPdf,
    bagian,
    baris_label,
    blok_identitas,
    build_pdf,
    judul,
    lebar_isi,
    p,
    persen,
    tabel,
)
from asndesk.reports.models import HariLog, LogDoc
from asndesk.reports.skp_doc import tanda_tangan


def nama_bulan(tahun: int, bulan: int, locale: str) -> str:
    """"November 2026" in the document's language."""
    return format_date(date(tahun, bulan, 1), "LLLL y", locale=locale)


def _selisih(menit: int, locale: str) -> str:
    if menit == 0:
        return format_durasi_menit(0, locale=locale)
    return ("+" if menit > 0 else "−") + format_durasi_menit(abs(menit), locale=locale)


def _jam(text: str, locale: str) -> str:
    """"07.30" (id) or "07:30" (en): a clock time without "pukul" or a zone, for tables."""
    jam, menit = text.split(":")[:2]
    return format_jam(time(int(jam), int(menit)), zona=None, locale=locale).removeprefix("pukul ")


def ringkasan(doc: LogDoc) -> tuple[int, int, int]:
    """(working days, minutes logged, norm minutes) over the month."""
    kerja = sum(1 for h in doc.hari if h.norma_menit)
    return kerja, sum(h.menit for h in doc.hari), sum(h.norma_menit for h in doc.hari)


def _keterangan(h: HariLog, locale: str) -> str:
    if h.libur:
        return label("libur", locale) + ": " + h.libur
    if not h.norma_menit:
        return label("akhir_pekan", locale)
    return ""


def _rekap(doc: LogDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    w = lebar_isi(kertas)
    body: list[list[Any]] = []
    for h in doc.hari:
        if not h.norma_menit and not h.entri:
            continue  # a weekend or holiday without work says nothing
        tanggal = format_tanggal(h.tanggal, dengan_hari=True, locale=locale)
        ket = _keterangan(h, locale)
        body.append([tanggal + ("\n" + ket if ket else ""), str(len(h.entri)),
                     format_durasi_menit(h.menit, locale=locale),
                     format_durasi_menit(h.norma_menit, locale=locale),
                     _selisih(h.menit - h.norma_menit, locale)])
    _, menit, norma = ringkasan(doc)
    jumlah = sum(len(h.entri) for h in doc.hari)
    body.append([p(label("jumlah", locale).upper(), SEL_TEBAL), str(jumlah),
                 format_durasi_menit(menit, locale=locale),
                 format_durasi_menit(norma, locale=locale), _selisih(menit - norma, locale)])
    header = [label(k, locale) for k in ("tanggal", "jumlah_kegiatan", "durasi", "norma",
                                          "selisih")]
    return [*bagian(label("rekap_harian", locale)),
            tabel(header, body, [w * f for f in (0.34, 0.12, 0.18, 0.18, 0.18)])]


def _rincian(doc: LogDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    w = lebar_isi(kertas)
    body = []
    for h in doc.hari:
        for e in h.entri:
            body.append([format_tanggal(h.tanggal, locale=locale),
                         _jam(e.mulai, locale) + "–" + _jam(e.selesai, locale), e.kegiatan,
                         e.output, str(e.rhk_no) if e.rhk_no else "-",
                         "; ".join(e.bukti) or "-"])
    if not body:
        return [*bagian(label("rincian", locale)), p(label("tidak_ada_data", locale))]
    header = [label(k, locale) for k in ("tanggal", "jam", "kegiatan", "output", "rhk",
                                          "bukti")]
    header[4] = "RHK"
    return [*bagian(label("rincian", locale)),
            tabel(header, body, [w * f for f in (0.15, 0.11, 0.38, 0.11, 0.06, 0.19)])]


def _rhk_dan_bukti(doc: LogDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    w = lebar_isi(kertas)
    story: list[Flowable] = [*bagian(label("rhk_terkait", locale))]
    rhk_rows = [[str(i), teks] for i, teks in enumerate(doc.rhk, start=1)] or [["-", "-"]]
    story.append(tabel([label("no", locale), label("rhk", locale)], rhk_rows,
                       [w * 0.06, w * 0.94]))
    bukti_rows = [[format_tanggal(h.tanggal, locale=locale), e.kegiatan, nama]
                  for h in doc.hari for e in h.entri for nama in e.bukti] or [["-", "-", "-"]]
    story += [*bagian(label("daftar_bukti", locale)),
              tabel([label("tanggal", locale), label("kegiatan", locale), label("bukti", locale)],
                    bukti_rows, [w * 0.18, w * 0.47, w * 0.35])]
    return story


def render_log(doc: LogDoc, kertas: Kertas = Kertas.A4, locale: str = "id") -> bytes:
    """The monthly log harian report, as PDF bytes."""
    w = lebar_isi(kertas)
    bulan = nama_bulan(doc.tahun, doc.bulan, locale)
    kerja, menit, norma = ringkasan(doc)
    capaian = Fraction(menit * 100, norma) if norma else None
    summary = baris_label([
        (label("hari_kerja", locale), str(kerja)),
        (label("durasi", locale), format_durasi_menit(menit, locale=locale)),
        (label("norma", locale), format_durasi_menit(norma, locale=locale)),
        (label("capaian_jam", locale), persen(capaian, locale)),
    ], [w * 0.3, w * 0.03, w * 0.67])
    story: list[Flowable] = [
        *judul(label("log", locale), label("bulan", locale).format(x=bulan)),
        blok_identitas([(label("pegawai", locale), doc.pihak.pegawai),
                        (label("penilai", locale), doc.pihak.penilai)], kertas, locale),
        Spacer(1, 3 * mm), summary,
        *_rekap(doc, kertas, locale), *_rincian(doc, kertas, locale),
        *_rhk_dan_bukti(doc, kertas, locale), Spacer(1, 8 * mm),
        KeepTogether([tanda_tangan(doc.pihak, doc.pengesahan, kertas, locale)]),
    ]
    nama = doc.pihak.pegawai.nama_lengkap if doc.pihak.pegawai else None
    meta = MetaPdf(title=f"{label('log', locale)} {bulan}", subject=label("log", locale),
                   author=nama or "asndesk", locale=locale)
    return build_pdf(story, meta, kertas)
