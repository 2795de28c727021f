"""IKM (Indeks Kepuasan Masyarakat) report of a service unit per PermenPANRB 14/2017.

NRR per element, the IKM on both scales, mutu pelayanan, and the respondents against the
Krejcie–Morgan sample size; all values come from `asndesk.domain.ikm` (exact arithmetic).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from asndesk.domain.formatting import format_rentang_tanggal
from asndesk.domain.ikm import UNSUR_SKM, SkmResponse, hitung_ikm, ukuran_sampel_krejcie_morgan
from asndesk.reports.charts import grafik_batang
from asndesk.reports.labels import label
from asndesk.reports.layout import (
    SEL_TEBAL,
    Kertas,
    MetaPdf,
    angka,
    bagian,
    build_pdf,
    judul,
    lebar_isi,
    p,
    tabel,
)
from asndesk.reports.models import IkmDoc, Pengesahan, Pihak
from asndesk.reports.skp_doc import tanda_tangan_laporan

DESIMAL_NRR = 3
"""NRR and the 1–4 IKM are printed with 3 decimals, the converted IKM with 2 (as classified)."""


def gather_ikm(skm_rows: list[dict[str, Any]], pihak: Pihak, unit_layanan: str, dari: date,
               sampai: date, *, populasi: int | None, pengesahan: Pengesahan) -> IkmDoc:
    """Compute the IKM from survey rows (columns u1..u9); no responses → ValidationError."""
    responses = [SkmResponse({key: row[key.lower()] for key in UNSUR_SKM}) for row in skm_rows]
    hasil = hitung_ikm(responses)
    sampel = ukuran_sampel_krejcie_morgan(populasi) if populasi else None
    return IkmDoc(pihak=pihak, unit_layanan=unit_layanan, dari=dari, sampai=sampai, hasil=hasil,
                  populasi=populasi, sampel_minimal=sampel, pengesahan=pengesahan)


def _tabel_unsur(doc: IkmDoc, kertas: Kertas, locale: str) -> Flowable:
    w = lebar_isi(kertas)
    hasil = doc.hasil
    bobot = Fraction(1, len(UNSUR_SKM))
    body: list[list[Any]] = []
    for kode, nama in UNSUR_SKM.items():
        body.append([kode, nama, angka(hasil.jumlah_menjawab[kode], locale),
                     angka(hasil.nrr[kode], locale, DESIMAL_NRR),
                     angka(hasil.nrr[kode] * bobot, locale, DESIMAL_NRR)])
    n = len(body) + 1
    body.append([p(label("nilai_ikm", locale).upper(), SEL_TEBAL), "", "", "",
                 angka(hasil.ikm_nilai, locale, DESIMAL_NRR)])
    header = [label(k, locale) for k in ("kode", "unsur", "menjawab", "nrr", "nrr_tertimbang")]
    return tabel(header, body, [w * f for f in (0.08, 0.47, 0.15, 0.13, 0.17)],
                 [("SPAN", (0, n), (3, n))])


def _ringkasan(doc: IkmDoc, kertas: Kertas, locale: str) -> Flowable:
    w = lebar_isi(kertas)
    hasil = doc.hasil
    rows: list[list[Any]] = [
        [label("nilai_ikm", locale), angka(hasil.ikm_nilai, locale, DESIMAL_NRR)],
        [label("ikm_konversi", locale), angka(hasil.ikm_konversi_bulat, locale, 2)],
        [label("mutu", locale), hasil.mutu.value],
        [label("kinerja_unit", locale), hasil.mutu.kinerja_unit],
        [label("responden", locale), angka(hasil.jumlah_responden, locale)],
    ]
    if doc.populasi and doc.sampel_minimal is not None:
        cukup = hasil.jumlah_responden >= doc.sampel_minimal
        rows.append([label("sampel", locale).format(n=angka(doc.populasi, locale)),
                     angka(doc.sampel_minimal, locale) + " — "
                     + label("sampel_cukup" if cukup else "sampel_kurang", locale)])
    return tabel([label("hasil_ikm", locale), ""], rows, [w * 0.55, w * 0.45])


def render_ikm(doc: IkmDoc, kertas: Kertas = Kertas.A4, locale: str = "id") -> bytes:
    """The IKM report of one service unit over a span of dates, as PDF bytes."""
    rentang = format_rentang_tanggal(doc.dari, doc.sampai, locale=locale)
    story: list[Flowable] = [
        *judul(label("ikm", locale), label("unit_layanan", locale) + ": " + doc.unit_layanan,
               label("rentang", locale).format(x=rentang)),
        *bagian(label("unsur", locale)),
        _tabel_unsur(doc, kertas, locale),
        Spacer(1, 4 * mm),
        _ringkasan(doc, kertas, locale),
        *bagian(label("grafik_nrr", locale)),
        # The chart repeats the NRR column above (never the only place a value is shown).
        grafik_batang(list(UNSUR_SKM), [(label("nrr", locale),
                                         [float(doc.hasil.nrr[k]) for k in UNSUR_SKM])],
                      lebar_isi(kertas), locale, skala_maks=4),
        Spacer(1, 8 * mm),
        KeepTogether([tanda_tangan_laporan(doc.pihak, doc.pengesahan, kertas, locale)]),
    ]
    nama = doc.pihak.pegawai.nama_lengkap if doc.pihak.pegawai else None
    meta = MetaPdf(title=f"{label('ikm', locale)} {doc.unit_layanan} {rentang}",
                   subject=label("ikm", locale), author=nama or "asndesk", locale=locale)
    return build_pdf(story, meta, kertas)
