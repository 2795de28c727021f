"""Laporan kantor for the HR officer: SKP completion, approvals pending per pejabat penilai,
predikat distribution against the capaian kinerja organisasi (SE 3/2023), service KPIs, JP
and devices not synced. A section with no data says so; none is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from asndesk.domain.activity import HAK_JP_TAHUNAN
from asndesk.domain.formatting import format_rentang_tanggal, format_tanggal
from asndesk.domain.ratings import URUTAN_PREDIKAT, Predikat
from asndesk.domain.skp import StatusSkp
from asndesk.reports.charts import grafik_batang, kurva_distribusi
from asndesk.reports.labels import label
from asndesk.reports.layanan_doc import kpi_layanan
from asndesk.reports.layout import (
    SEL,
    SEL_TEBAL,
    Kertas,
    MetaPdf,
    angka,
    bagian,
    baris_label,
    build_pdf,
    judul,
    lebar_isi,
    p,
    persen,
    tabel,
)
from asndesk.reports.models import KantorDoc, PegawaiKantor
from asndesk.reports.people import Identitas, nip_cetak
from asndesk.reports.skp_doc import tanda_tangan_laporan

URUTAN_STATUS: tuple[StatusSkp | None, ...] = (
    StatusSkp.DISETUJUI, StatusSkp.DIAJUKAN, StatusSkp.DIKEMBALIKAN, StatusSkp.DRAFT, None)


def bagi(n: int, total: int, locale: str) -> str:
    """n as a share of total ("61,95%"), or "-" when there is nothing to share."""
    return persen(Fraction(n * 100, total), locale) if total else "-"


def tanggal_lokal(when: datetime | None, locale: str) -> str | None:
    """The civil date of a UTC instant on this computer's clock, as printed."""
    return None if when is None else format_tanggal(when.astimezone().date(), locale=locale)


def status_teks(status: StatusSkp | None, locale: str) -> str:
    return status.value if status is not None else label("belum_ada_skp", locale)


def _lebar(kertas: Kertas, *fractions: float) -> list[float]:
    w = lebar_isi(kertas)
    return [w * f for f in fractions]


def _sub(key: str, locale: str, **params: Any) -> list[Flowable]:
    return [Spacer(1, 2 * mm), p(label(key, locale).format(**params).upper(), SEL_TEBAL)]


def _skp(doc: KantorDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    total = len(doc.pegawai)
    lewat = doc.data_per.astimezone().date() > doc.batas_skp
    batas = (format_tanggal(doc.batas_skp, locale=locale) + " ("
             + label("batas_lewat" if lewat else "batas_belum", locale) + ")")
    counts = {s: sum(1 for w in doc.pegawai if w.status_skp is s) for s in URUTAN_STATUS}
    body: list[list[Any]] = [[status_teks(s, locale), angka(n, locale), bagi(n, total, locale)]
                             for s, n in counts.items()]
    body.append([p(label("total", locale).upper(), SEL_TEBAL), angka(total, locale),
                 bagi(total, total, locale)])
    story: list[Flowable] = [
        *bagian(label("kelengkapan_skp", locale).format(tahun=doc.periode.tahun)),
        baris_label([(label("batas_skp", locale), batas)], _lebar(kertas, 0.30, 0.03, 0.67)),
        tabel([label(k, locale) for k in ("status_skp", "jumlah_pegawai", "persentase")], body,
              _lebar(kertas, 0.50, 0.25, 0.25)),
        *_sub("belum_disetujui", locale),
    ]
    belum = [w for w in doc.pegawai if w.status_skp is not StatusSkp.DISETUJUI]
    if not doc.pegawai:
        return [*story, p(label("tidak_ada_pegawai", locale))]
    if not belum:
        return [*story, p(label("semua_disetujui", locale))]
    catatan = label("lewat_batas", locale) if lewat else "-"
    rows = [[str(i), w.nama, nip_cetak(w.nip), w.jabatan, status_teks(w.status_skp, locale),
             catatan] for i, w in enumerate(belum, start=1)]
    header = [label(k, locale) for k in ("no", "nama", "nip", "jabatan", "status_skp",
                                          "keterangan")]
    return [*story, tabel(header, rows, _lebar(kertas, 0.05, 0.25, 0.22, 0.20, 0.14, 0.14))]


def _penilai_teks(who: Identitas | None, locale: str) -> str:
    if who is None:
        return label("penilai_tak_dikenal", locale)
    return "\n".join(x for x in (who.nama_lengkap, label("nip", locale) + " "
                                 + (who.nip_cetak or "-")) if x)


def _menunggu(doc: KantorDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    story = bagian(label("menunggu", locale))
    groups: dict[str | None, list[PegawaiKantor]] = defaultdict(list)
    for w in doc.pegawai:
        if w.menunggu:
            groups[(w.penilai.nip or w.penilai.nama_lengkap) if w.penilai else None].append(w)
    if not groups:
        return [*story, p(label("tidak_menunggu", locale))]

    def urutan(key: str | None) -> tuple[bool, str, str]:
        who = groups[key][0].penilai
        return key is None, (who.nama_lengkap or "") if who else "", key or ""

    rows = []
    for i, key in enumerate(sorted(groups, key=urutan), start=1):
        people = groups[key]
        rows.append([str(i), _penilai_teks(people[0].penilai, locale),
                     angka(sum(w.status_skp is StatusSkp.DIAJUKAN for w in people), locale),
                     angka(sum(w.amandemen_diajukan for w in people), locale),
                     "; ".join(w.nama + " (" + (nip_cetak(w.nip) or "-") + ")" for w in people)])
    header = [label(k, locale) for k in ("no", "penilai", "skp_diajukan", "amandemen_diajukan",
                                          "pegawai")]
    return [*story, tabel(header, rows, _lebar(kertas, 0.05, 0.28, 0.12, 0.15, 0.40)),
            Spacer(1, 1 * mm), p(label("sumber_penilai", locale))]


def _distribusi(doc: KantorDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    counts = doc.jumlah_predikat
    dinilai = sum(counts.values())
    capaian = doc.capaian.value.upper() if doc.capaian else label("capaian_belum", locale)
    body: list[list[Any]] = [[pr.value, angka(counts[pr], locale),
                              bagi(counts[pr], dinilai, locale)] for pr in Predikat]
    body += [[p(label("dinilai", locale).upper(), SEL_TEBAL), angka(dinilai, locale),
              bagi(dinilai, dinilai, locale)],
             [label("belum_dinilai", locale), angka(len(doc.pegawai) - dinilai, locale), "-"]]
    story: list[Flowable] = [
        *bagian(label("distribusi", locale)),
        baris_label([(label("capaian_organisasi", locale), capaian),
                     (label("periode_nilai", locale), doc.periode.label(locale))],
                    _lebar(kertas, 0.30, 0.03, 0.67)),
        tabel([label("predikat", locale), label("jumlah_pegawai", locale),
               label("persentase", locale)], body, _lebar(kertas, 0.50, 0.25, 0.25)),
    ]
    w = lebar_isi(kertas)
    if dinilai:
        story.append(KeepTogether([*_sub("grafik_distribusi", locale), grafik_batang(
            [pr.value for pr in URUTAN_PREDIKAT],
            [(label("jumlah_pegawai", locale), [counts[pr] for pr in URUTAN_PREDIKAT])],
            w, locale)]))
    if doc.capaian is None:
        return [*story, p(label("capaian_tak_ada", locale))]
    story.append(KeepTogether([*_sub("pola_distribusi", locale),
                               kurva_distribusi(doc.capaian, None, w)]))
    if not dinilai:
        return [*story, p(label("belum_ada_penilaian", locale))]
    warnings = doc.peringatan
    if not warnings:
        return [*story, p(label("sesuai_pedoman", locale))]
    return [*story, *_sub("peringatan", locale),
            *[p("• " + warning.message(locale), SEL) for warning in warnings]]


def _layanan(doc: KantorDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    story = bagian(label("pelayanan_unit", locale))
    if not doc.layanan_tersimpan:
        return [*story, p(label("tanpa_log_layanan", locale))]
    story += kpi_layanan(doc.layanan, doc.layanan_total, kertas, locale)
    if doc.layanan_tanpa_jenis:
        story.append(p(label("jenis_tak_dikenal", locale).format(
            n=angka(doc.layanan_tanpa_jenis, locale))))
    return story


def _kompetensi(doc: KantorDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    total = len(doc.pegawai)
    met = sum(1 for w in doc.pegawai if w.jp.terpenuhi)
    jp_unit = sum((w.jp.total for w in doc.pegawai), Decimal(0))
    rentang = format_rentang_tanggal(date(doc.periode.tahun, 1, 1), doc.periode.selesai,
                                     locale=locale)
    story: list[Flowable] = [
        *bagian(label("kompetensi", locale).format(jp=HAK_JP_TAHUNAN)),
        baris_label([
            (label("memenuhi_jp", locale).format(jp=HAK_JP_TAHUNAN),
             label("dari_pegawai", locale).format(n=angka(met, locale),
                                                  total=angka(total, locale),
                                                  persen=bagi(met, total, locale))),
            (label("total_jp", locale), angka(jp_unit, locale)),
            (label("rata_jp", locale),
             angka(Fraction(jp_unit) / total, locale, 2) if total else "-"),
        ], _lebar(kertas, 0.30, 0.03, 0.67)),
        p(label("jp_dihitung", locale).format(x=rentang)),
    ]
    if not doc.pelatihan_tersimpan:
        story.append(p(label("tanpa_pelatihan", locale)))
    story += _sub("di_bawah_jp", locale, jp=HAK_JP_TAHUNAN)
    below = [w for w in doc.pegawai if not w.jp.terpenuhi]
    if not below:
        return [*story, p(label("semua_jp", locale).format(jp=HAK_JP_TAHUNAN))]
    rows = [[str(i), w.nama, nip_cetak(w.nip), angka(w.jp.total, locale),
             angka(w.jp.kurang, locale)] for i, w in enumerate(below, start=1)]
    header = [label(k, locale) for k in ("no", "nama", "nip", "jp", "kurang_jp")]
    return [*story, tabel(header, rows, _lebar(kertas, 0.05, 0.40, 0.25, 0.13, 0.17))]


def _sinkron(doc: KantorDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    story = bagian(label("sinkron", locale).format(n=doc.batas_sinkron_hari))
    def lama(w: PegawaiKantor) -> tuple[bool, int]:  # never synced first, then the longest
        hari = doc.hari_tanpa_sinkron(w)
        return hari is not None, -(hari or 0)

    late = sorted((w for w in doc.pegawai if doc.belum_sinkron(w)), key=lama)
    if not late:
        return [*story, p(label("semua_sinkron", locale).format(n=doc.batas_sinkron_hari))]
    rows = []
    for i, w in enumerate(late, start=1):
        hari = doc.hari_tanpa_sinkron(w)
        rows.append([str(i), w.nama, nip_cetak(w.nip),
                     tanggal_lokal(w.terakhir_sinkron, locale) or label("belum_pernah", locale),
                     "-" if hari is None else angka(hari, locale)])
    header = [label(k, locale) for k in ("no", "nama", "nip", "terakhir_sinkron",
                                          "hari_tanpa_sinkron")]
    return [*story, tabel(header, rows, _lebar(kertas, 0.05, 0.35, 0.25, 0.23, 0.12))]


def _rekap(doc: KantorDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    story = bagian(label("rekap_pegawai", locale))
    if not doc.pegawai:
        return [*story, p(label("tidak_ada_pegawai", locale))]
    rows = [[str(i), w.nama + "\n" + (nip_cetak(w.nip) or "-"), w.jabatan,
             status_teks(w.status_skp, locale),
             w.predikat.value if w.predikat else label("belum_dinilai", locale),
             angka(w.jp.total, locale),
             tanggal_lokal(w.terakhir_sinkron, locale) or label("belum_pernah", locale)]
            for i, w in enumerate(doc.pegawai, start=1)]
    header = [label(k, locale) for k in ("no", "nama", "jabatan", "status_skp", "predikat", "jp",
                                          "terakhir_sinkron")]
    return [*story, tabel(header, rows,
                          _lebar(kertas, 0.05, 0.27, 0.19, 0.12, 0.14, 0.07, 0.16))]


def _kop(doc: KantorDoc, kertas: Kertas, locale: str) -> list[Flowable]:
    lines: Sequence[str] = [label("kantor", locale), label("kantor_sub", locale)]
    if doc.pihak.instansi:
        lines = [*lines, doc.pihak.instansi]
    rentang = format_rentang_tanggal(doc.periode.mulai, doc.periode.selesai, locale=locale)
    return [*judul(*lines, doc.unit_nama,
                   label("periode", locale).format(x=doc.periode.label(locale)), rentang),
            baris_label([(label("unit_kerja", locale), doc.unit_nama),
                         (label("jumlah_pegawai", locale), angka(len(doc.pegawai), locale)),
                         (label("data_per", locale), tanggal_lokal(doc.data_per, locale))],
                        _lebar(kertas, 0.30, 0.03, 0.67))]


def render_kantor(doc: KantorDoc, kertas: Kertas = Kertas.A4, locale: str = "id") -> bytes:
    """The Laporan kantor of one unit and period, as PDF bytes."""
    story: list[Flowable] = [*_kop(doc, kertas, locale)]
    for section in (_skp, _menunggu, _distribusi, _layanan, _kompetensi, _sinkron, _rekap):
        story += section(doc, kertas, locale)
    story += [Spacer(1, 8 * mm),
              KeepTogether([tanda_tangan_laporan(doc.pihak, doc.pengesahan, kertas, locale)])]
    nama = doc.pihak.pegawai.nama_lengkap if doc.pihak.pegawai else None
    meta = MetaPdf(title=f"{label('kantor', locale)} {doc.unit_nama} "
                         f"{doc.periode.label(locale)}",
                   subject=label("kantor", locale), author=nama or "asndesk", locale=locale)
    return build_pdf(story, meta, kertas)
