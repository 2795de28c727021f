"""Evaluasi Kinerja Pegawai (per period) and the one-page Dokumen Evaluasi Kinerja Pegawai.

The predikat is computed from the two ratings at print time; with a rating missing the
form says "Belum dinilai" rather than printing any default.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from asndesk.domain.formatting import format_rentang_tanggal
from asndesk.domain.skp import JenisRhk, Rhk
from asndesk.reports.charts import kurva_distribusi
from asndesk.reports.labels import label
from asndesk.reports.layout import (
    SEL,
    SEL_TEBAL,
    Kertas,
    MetaPdf,
    angka,
    bagian,
    baris_label,
    blok_identitas,
    build_pdf,
    identitas_rows,
    judul,
    lebar_isi,
    p,
    tabel,
)
from asndesk.reports.models import EvaluasiDoc, RealisasiBaris
from asndesk.reports.skp_doc import tabel_perilaku, tanda_tangan, target_teks


def _realisasi_teks(r: RealisasiBaris | None, doc: EvaluasiDoc, locale: str) -> str:
    """One realisasi with its value and evidence; its period is named when several show."""
    if r is None:
        return "-"
    head = "[" + r.periode.label(locale) + "] " if r.periode.id != doc.periode.id else ""
    nilai = angka(r.nilai, locale) + " — " if r.nilai is not None else ""
    text = head + nilai + r.uraian
    if r.bukti:
        text += "\n" + label("bukti", locale) + ": " + "; ".join(r.bukti)
    return text


def _rows_rhk(doc: EvaluasiDoc, rhk: Rhk, nomor: int, first: int, locale: str
              ) -> tuple[list[list[Any]], list[Any]]:
    """One row per realisasi (an annual form holds a year of them), so rows stay small and
    split across pages. RHK, IKI and feedback print once; continuation rows leave them blank
    and hide the rule above (spans cannot split across pages)."""
    body: list[list[Any]] = []
    joins: list[Any] = []
    feedback = "\n".join(doc.umpan_balik_rhk.get(rhk.id, ())) or "-"
    for iki in rhk.iki or (None,):
        if iki is None:
            body.append([str(nomor), rhk.teks, "-", "-", "-", feedback])
            continue
        indikator = iki.indikator + (" (" + iki.aspek.value + ")" if iki.aspek else "")
        target = target_teks(iki.target_nilai, iki.target_satuan, locale)
        for i, r in enumerate(doc.realisasi.get(iki.id) or (None,)):
            row = first + len(body)
            if body:  # not the RHK's first row
                joins += [_join(c, row) for c in (0, 1, 5)]
            if i:
                joins += [_join(c, row) for c in (2, 3)]
            cont, more = bool(body), bool(i)
            body.append([Spacer(1, 1) if cont else str(nomor), Spacer(1, 1) if cont else rhk.teks,
                         Spacer(1, 1) if more else indikator, Spacer(1, 1) if more else target,
                         _realisasi_teks(r, doc, locale), Spacer(1, 1) if cont else feedback])
    return body, joins


def _join(col: int, row: int) -> tuple[Any, ...]:
    return ("LINEABOVE", (col, row), (col, row), 0.6, colors.white)


def _tabel_hasil(doc: EvaluasiDoc, kertas: Kertas, locale: str) -> Table:
    """HASIL KERJA with realisasi berdasarkan bukti dukung and umpan balik, A. UTAMA and
    B. TAMBAHAN."""
    body: list[list[Any]] = []
    extra: list[Any] = []
    for jenis, key in ((JenisRhk.UTAMA, "utama"), (JenisRhk.TAMBAHAN, "tambahan")):
        row_no = len(body) + 1  # +1: the header row
        body.append([p(label(key, locale).upper(), SEL_TEBAL)] + [""] * 5)
        extra.append(("SPAN", (0, row_no), (-1, row_no)))
        rhks = [r for r in doc.skp.rhk if r.jenis is jenis]
        if not rhks:
            body.append(["-"] * 6)
        for nomor, rhk in enumerate(rhks, start=1):
            rows, spans = _rows_rhk(doc, rhk, nomor, len(body) + 1, locale)
            body += rows
            extra += spans
    w = lebar_isi(kertas)
    header = [label(k, locale) for k in ("no", "rhk", "iki", "target", "realisasi",
                                          "umpan_balik")]
    widths = [w * f for f in (0.05, 0.20, 0.19, 0.11, 0.27, 0.18)]
    return tabel(header, body, widths, extra)


def _nilai(doc: EvaluasiDoc, locale: str) -> list[tuple[str, Any]]:
    belum = label("belum_dinilai", locale)
    predikat = doc.predikat
    return [
        (label("rating_hasil", locale), doc.rating_hasil.value if doc.rating_hasil else belum),
        (label("rating_perilaku", locale),
         doc.rating_perilaku.value if doc.rating_perilaku else belum),
        (label("predikat", locale), predikat.value.upper() if predikat else belum),
    ]


def _periode_lines(doc: EvaluasiDoc, locale: str) -> list[str]:
    return [label("periode", locale).format(x=doc.periode.label(locale)),
            format_rentang_tanggal(doc.periode.mulai, doc.periode.selesai, locale=locale)]


def _meta(doc: EvaluasiDoc, key: str, locale: str) -> MetaPdf:
    nama = doc.pihak.pegawai.nama_lengkap if doc.pihak.pegawai else None
    return MetaPdf(title=f"{label(key, locale)} {doc.periode.label(locale)}",
                   subject=label(key, locale), author=nama or "asndesk", locale=locale)


def render_evaluasi(doc: EvaluasiDoc, kertas: Kertas = Kertas.A4, locale: str = "id") -> bytes:
    """Evaluasi Kinerja Pegawai for one period, as PDF bytes."""
    w = lebar_isi(kertas)
    lines = [label("evaluasi", locale),
             label("pendekatan", locale).format(x=label(doc.skp.pendekatan.value, locale))]
    if doc.pihak.instansi:
        lines.append(doc.pihak.instansi)
    story: list[Flowable] = [
        *judul(*lines, *_periode_lines(doc, locale)),
        blok_identitas([(label("pegawai", locale), doc.pihak.pegawai),
                        (label("penilai", locale), doc.pihak.penilai)], kertas, locale),
        *bagian(label("capaian_organisasi", locale)),
        p(doc.capaian.value.upper() if doc.capaian else "-", SEL_TEBAL),
    ]
    if doc.capaian is not None:
        story += [*bagian(label("pola_distribusi", locale)),
                  kurva_distribusi(doc.capaian, doc.predikat, w)]
    story += [
        *bagian(label("hasil_kerja", locale)), _tabel_hasil(doc, kertas, locale),
        *bagian(label("perilaku_kerja", locale)),
        tabel_perilaku(doc.skp, kertas, locale, dict(doc.umpan_balik_perilaku)),
        Spacer(1, 3 * mm),
        tabel([label("predikat", locale), ""], _nilai(doc, locale), [w * 0.45, w * 0.55]),
    ]
    if doc.catatan:
        story += [*bagian(label("catatan", locale)), p("\n".join(doc.catatan), SEL)]
    story += [Spacer(1, 8 * mm),
              KeepTogether([tanda_tangan(doc.pihak, doc.pengesahan, kertas, locale)])]
    return build_pdf(story, _meta(doc, "evaluasi", locale), kertas)


def render_dokumen_evaluasi(doc: EvaluasiDoc, kertas: Kertas = Kertas.A4, locale: str = "id"
                            ) -> bytes:
    """The one-page Dokumen Evaluasi Kinerja Pegawai (for promotion files), as PDF bytes."""
    w = lebar_isi(kertas)
    inner = [w * 0.25, w * 0.03, w * 0.60]
    predikat = doc.predikat
    rows: list[list[Any]] = []
    for nomor, key, who in ((1, "pegawai", doc.pihak.pegawai),
                            (2, "penilai", doc.pihak.penilai),
                            (3, "atasan_penilai", doc.pihak.atasan_penilai)):
        rows.append([str(nomor), [p(label(key, locale).upper(), SEL_TEBAL),
                                  baris_label(identitas_rows(who, locale), inner)]])
    rows.append(["4", [p(label("capaian_organisasi", locale).upper(), SEL_TEBAL),
                       p(doc.capaian.value.upper() if doc.capaian else "-", SEL)]])
    rows.append(["5", [p(label("predikat", locale).upper(), SEL_TEBAL),
                       p(predikat.value.upper() if predikat else
                         label("belum_dinilai", locale), SEL)]])
    rows.append(["6", [p(label("catatan", locale).upper(), SEL_TEBAL),
                       p("\n".join(doc.catatan) or "-", SEL)]])
    lines = [label("dokumen_evaluasi", locale)]
    if doc.pihak.instansi:
        lines.append(doc.pihak.instansi)
    story: list[Flowable] = [
        *judul(*lines, *_periode_lines(doc, locale)),
        tabel([label("no", locale), ""], rows, [w * 0.06, w * 0.94]),
        Spacer(1, 8 * mm),
        tanda_tangan(doc.pihak, doc.pengesahan, kertas, locale),
    ]
    return build_pdf(story, _meta(doc, "dokumen_evaluasi", locale), kertas)
