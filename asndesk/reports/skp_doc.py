"""The SKP document (penetapan): JA/JF and JPT layouts, signatures, then the LAMPIRAN page.

Layout per shared/domain.md §7: title, approach, agency, period; identity blocks side by
side; HASIL KERJA in A. UTAMA / B. TAMBAHAN; PERILAKU KERJA; place, date, signatures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from asndesk.domain.formatting import format_tanggal
from asndesk.domain.skp import BERAKHLAK, JenisLampiran, JenisRhk, Rhk, Skp
from asndesk.reports.labels import label
from asndesk.reports.layout import (
    SEL,
    SEL_TEBAL,
    Kertas,
    MetaPdf,
    Penandatangan,
    angka,
    bagian,
    blok_identitas,
    blok_tanda_tangan,
    build_pdf,
    judul,
    lebar_isi,
    p,
    tabel,
)
from asndesk.reports.models import Pengesahan, Pihak, SkpDoc


def tempat_tanggal(pengesahan: Pengesahan, locale: str) -> str:
    tanggal = format_tanggal(pengesahan.tanggal, locale=locale)
    return (pengesahan.tempat + ", " + tanggal) if pengesahan.tempat else tanggal


def tanda_tangan(pihak: Pihak, pengesahan: Pengesahan, kertas: Kertas, locale: str) -> Table:
    """Employee left, evaluator right (the usual pair on SKP and evaluation forms)."""
    return blok_tanda_tangan(Penandatangan(label("pegawai", locale), pihak.pegawai),
                             Penandatangan(label("penilai", locale), pihak.penilai),
                             tempat_tanggal(pengesahan, locale), kertas, locale)


def tanda_tangan_laporan(pihak: Pihak, pengesahan: Pengesahan, kertas: Kertas, locale: str
                         ) -> Table:
    """A report's signatures: the officer who made it left, the evaluator acknowledging right."""
    return blok_tanda_tangan(
        Penandatangan(label("pelapor", locale), pihak.pegawai),
        Penandatangan(label("mengetahui", locale) + "\n" + label("penilai", locale),
                      pihak.penilai),
        tempat_tanggal(pengesahan, locale), kertas, locale)


def kop(skp: Skp, pihak: Pihak, title: str, locale: str, periode: str | None = None
        ) -> list[Flowable]:
    """Title, approach, agency and period lines (UPPERCASE)."""
    lines = [title, label("pendekatan", locale).format(x=label(skp.pendekatan.value, locale))]
    if pihak.instansi:
        lines.append(pihak.instansi)
    lines.append(label("periode_penilaian", locale).format(
        x=periode or label("skp_periode", locale).format(tahun=skp.tahun)))
    return judul(*lines)


def target_teks(nilai: Any, satuan: str, locale: str) -> str:
    return angka(nilai, locale) + " " + satuan


def hasil_kerja_rows(skp: Skp, locale: str, cells: Any, span: Sequence[int] = (0, 1, 2)
                     ) -> tuple[list[list[Any]], list[Any]]:
    """Body rows of a HASIL KERJA table, grouped A. UTAMA / B. TAMBAHAN, one row per IKI.

    `cells(rhk, iki, locale)` gives the row's columns after "No"; the columns in `span`
    describe the RHK itself and span its IKI rows. Returns (rows, extra table styles).
    """
    body: list[list[Any]] = []
    extra: list[Any] = []
    ncol = len(cells(None, None, locale)) + 1
    for jenis, key in ((JenisRhk.UTAMA, "utama"), (JenisRhk.TAMBAHAN, "tambahan")):
        row_no = len(body) + 1  # +1: the header row
        body.append([Paragraph(label(key, locale).upper(), SEL_TEBAL)] + [""] * (ncol - 1))
        extra.append(("SPAN", (0, row_no), (-1, row_no)))
        rhks: list[Rhk] = [r for r in skp.rhk if r.jenis is jenis]
        if not rhks:
            body.append(["-"] * ncol)
        for nomor, rhk in enumerate(rhks, start=1):
            first = len(body) + 1
            for iki in rhk.iki or (None,):
                body.append([str(nomor), *cells(rhk, iki, locale)])
            last = len(body)
            if last > first:
                extra += [("SPAN", (col, first), (col, last)) for col in span]
    return body, extra


def _cells_ja(rhk: Rhk | None, iki: Any, locale: str) -> list[Any]:
    if rhk is None:
        return [None] * 5
    if iki is None:
        return [rhk.rhk_atasan, rhk.teks, "-", "-", "-"]
    return [rhk.rhk_atasan, rhk.teks, iki.aspek.value if iki.aspek else "-", iki.indikator,
            target_teks(iki.target_nilai, iki.target_satuan, locale)]


def _cells_jpt(rhk: Rhk | None, iki: Any, locale: str) -> list[Any]:
    if rhk is None:
        return [None] * 4
    perspektif = rhk.perspektif.value if rhk.perspektif else "-"
    if iki is None:
        return [rhk.teks, perspektif, "-", "-"]
    return [rhk.teks, perspektif, iki.indikator,
            target_teks(iki.target_nilai, iki.target_satuan, locale)]


def tabel_hasil_kerja(skp: Skp, kertas: Kertas, locale: str) -> Table:
    w = lebar_isi(kertas)
    if skp.jenis_jabatan.is_jpt:
        header = [label(k, locale) for k in ("no", "rhk", "perspektif", "iki", "target")]
        widths = [w * f for f in (0.06, 0.34, 0.16, 0.30, 0.14)]
        body, extra = hasil_kerja_rows(skp, locale, _cells_jpt)
    else:
        header = [label(k, locale) for k in ("no", "rhk_atasan", "rhk", "aspek", "iki", "target")]
        widths = [w * f for f in (0.05, 0.22, 0.24, 0.11, 0.24, 0.14)]
        body, extra = hasil_kerja_rows(skp, locale, _cells_ja)
    return tabel(header, body, widths, extra)


def tabel_perilaku(skp: Skp, kertas: Kertas, locale: str,
                   umpan_balik: dict[int, tuple[str, ...]] | None = None) -> Table:
    """PERILAKU KERJA: the seven BerAKHLAK values with guides, expectations (and feedback)."""
    w = lebar_isi(kertas)
    ekspektasi = {pk.kode: pk.ekspektasi_khusus for pk in skp.perilaku}
    header = [label("no", locale), label("perilaku_kerja", locale), label("ekspektasi", locale)]
    widths = [w * 0.05, w * 0.55, w * 0.40]
    if umpan_balik is not None:
        header.append(label("umpan_balik", locale))
        widths = [w * 0.05, w * 0.45, w * 0.22, w * 0.28]
    body = []
    for nilai in BERAKHLAK:
        guides = [Paragraph(nilai.nama, SEL_TEBAL)] + [p("- " + g, SEL) for g in nilai.panduan]
        row: list[Any] = [str(nilai.kode), guides, ekspektasi.get(nilai.kode)]
        if umpan_balik is not None:
            row.append("\n".join(umpan_balik.get(nilai.kode, ())) or "-")
        body.append(row)
    return tabel(header, body, widths)


def _lampiran(doc: SkpDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    skp = doc.skp
    story: list[Flowable] = [PageBreak(), *kop(skp, doc.pihak, label("lampiran", locale), locale)]
    w = lebar_isi(kertas)
    for jenis in JenisLampiran:
        story += bagian(label(jenis.value, locale))
        items = [lp.teks for lp in skp.lampiran if lp.jenis is jenis]
        body = [[str(i), t] for i, t in enumerate(items, start=1)] or [["-", "-"]]
        story.append(tabel([label("no", locale), label(jenis.value, locale)], body,
                           [w * 0.06, w * 0.94]))
    story += [Spacer(1, 8 * mm), tanda_tangan(doc.pihak, doc.pengesahan, kertas, locale)]
    return story


def render_skp(doc: SkpDoc, kertas: Kertas = Kertas.A4, locale: str = "id") -> bytes:
    """The SKP penetapan document and its LAMPIRAN page, as PDF bytes."""
    skp = doc.skp
    story: list[Flowable] = [
        *kop(skp, doc.pihak, label("skp", locale), locale),
        blok_identitas([(label("pegawai", locale), doc.pihak.pegawai),
                        (label("penilai", locale), doc.pihak.penilai)], kertas, locale),
        *bagian(label("hasil_kerja", locale)),
        tabel_hasil_kerja(skp, kertas, locale),
        *bagian(label("perilaku_kerja", locale)),
        tabel_perilaku(skp, kertas, locale),
        Spacer(1, 8 * mm),
        tanda_tangan(doc.pihak, doc.pengesahan, kertas, locale),
        *_lampiran(doc, kertas, locale),
    ]
    nama = doc.pihak.pegawai.nama_lengkap if doc.pihak.pegawai else None
    meta = MetaPdf(title=f"{label('skp', locale)} {skp.tahun}",
                   subject=label("skp", locale), author=nama or "asndesk", locale=locale)
    return build_pdf(story, meta, kertas)
