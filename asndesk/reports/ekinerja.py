"""Exports for the national systems: the e-Kinerja entry order and the SIASN SKP mapping.

e-Kinerja has no import, so the export lists the SKP in the order its forms are typed:
RHK → indikator → (per period) rencana aksi → realisasi + bukti → umpan balik.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from asndesk.domain.ratings import Predikat, Rating, predikat_kinerja
from asndesk.domain.skp import JenisRhk, Skp
from asndesk.errors import ValidationError
from asndesk.i18n import N_
from asndesk.reports import gather
from asndesk.reports.exports import DESIMAL, Kolom, Nilai, Tabel, desimal
from asndesk.reports.labels import cek_bahasa
from asndesk.store import report_repo, skp_repo

_TAHAP = {
    "rhk": ("RHK", "RHK"), "indikator": ("Indikator", "Indicator"),
    "rencana_aksi": ("Rencana aksi", "Action plan"), "realisasi": ("Realisasi", "Realisation"),
    "bukti": ("Bukti dukung", "Evidence"), "umpan_balik": ("Umpan balik", "Feedback"),
}


def _tahap(key: str, locale: str) -> str:
    return _TAHAP[key][0 if cek_bahasa(locale) == "id" else 1]


class _Urutan:
    """Collects the rows in entry order, numbering them and their RHK (A.1, B.2, …)."""

    def __init__(self, skp: Skp, locale: str) -> None:
        self.locale = locale
        self.baris: list[tuple[Nilai, ...]] = []
        self.nomor: dict[str, str] = {}
        for jenis, prefix in ((JenisRhk.UTAMA, "A"), (JenisRhk.TAMBAHAN, "B")):
            for i, rhk in enumerate((r for r in skp.rhk if r.jenis is jenis), start=1):
                self.nomor[rhk.id] = f"{prefix}.{i}"

    def add(self, tahap: str, periode: str | None, rhk_id: str, isian: str | None, *,
            nilai: Any = None, satuan: str | None = None, ket: str | None = None) -> None:
        self.baris.append((len(self.baris) + 1, _tahap(tahap, self.locale), periode,
                           self.nomor[rhk_id], isian, nilai, satuan, ket))


def _rencana(urutan: _Urutan, skp: Skp) -> None:
    for rhk in skp.rhk:
        urutan.add("rhk", None, rhk.id, rhk.teks,
                   ket=rhk.perspektif.value if rhk.perspektif else rhk.rhk_atasan)
        for iki in rhk.iki:
            urutan.add("indikator", None, rhk.id, iki.indikator, nilai=iki.target_nilai,
                       satuan=iki.target_satuan, ket=iki.aspek.value if iki.aspek else None)


def _umpan_balik(conn: Any, skp: Skp, real: list[dict[str, Any]], period_ids: list[str]
                 ) -> dict[tuple[str, str], list[str]]:
    """Feedback per (RHK, period): on the RHK itself or on one of its IKI's realisasi."""
    rhk_of_iki = {iki.id: rhk.id for rhk in skp.rhk for iki in rhk.iki}
    rhk_of_real = {r["id"]: rhk_of_iki.get(r["iki_id"]) for r in real}
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in report_repo.feedback_of_periods(conn, skp.id, period_ids):
        target = (f["sasaran_id"] if f["sasaran_jenis"] == "rhk"
                  else rhk_of_real.get(f["sasaran_id"] or ""))
        if target in rhk_of_iki.values() or any(r.id == target for r in skp.rhk):
            found[(str(target), f["period_id"])].append(f["teks"])
    return found


def tabel_ekinerja(conn: Any, skp_id: str, locale: str) -> Tabel:
    """One row per thing to type into e-Kinerja, in e-Kinerja's entry order."""
    skp = skp_repo.load_skp(conn, skp_id)
    periods = [gather.periode_dari_row(r) for r in report_repo.periods_within(
        conn, f"{skp.tahun:04d}-01-01", f"{skp.tahun:04d}-12-31")]
    period_ids = [p.id for p in periods]
    urutan = _Urutan(skp, locale)
    _rencana(urutan, skp)
    aksi: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in report_repo.rencana_aksi_of_skp(conn, skp_id):
        aksi[(a["rhk_id"], a["period_id"])].append(a["teks"])
    real = report_repo.realisasi_of_skp(conn, skp_id, period_ids)
    by_iki_period = {(r["iki_id"], r["period_id"]): r for r in real}
    bukti: dict[str, list[str]] = defaultdict(list)
    for b in report_repo.evidence_of(conn, "realisasi", [r["id"] for r in real]):
        bukti[b["pemilik_id"]].append(str(b["nama_file"] or b["tautan"]))
    feedback = _umpan_balik(conn, skp, real, period_ids)
    for periode in periods:
        nama = periode.label(locale)
        for rhk in skp.rhk:
            for teks in aksi.get((rhk.id, periode.id), ()):
                urutan.add("rencana_aksi", nama, rhk.id, teks)
            for iki in rhk.iki:
                r = by_iki_period.get((iki.id, periode.id))
                if r is None:
                    continue
                urutan.add("realisasi", nama, rhk.id, r["uraian"], nilai=desimal(r["nilai"]),
                           satuan=iki.target_satuan, ket=iki.indikator)
                for item in bukti.get(r["id"], ()):
                    urutan.add("bukti", nama, rhk.id, item, ket=iki.indikator)
            for teks in feedback.get((rhk.id, periode.id), ()):
                urutan.add("umpan_balik", nama, rhk.id, teks)
    kolom = (
        Kolom("urutan", "Urutan", "Order"), Kolom("tahap", "Tahap", "Step"),
        Kolom("periode", "Periode", "Period"), Kolom("rhk_no", "No. RHK", "RHK no."),
        Kolom("isian", "Isian", "Entry"), Kolom("nilai", "Nilai/Target", "Value/Target", DESIMAL),
        Kolom("satuan", "Satuan", "Unit"), Kolom("keterangan", "Keterangan", "Note"),
    )
    return Tabel("e-Kinerja", kolom, urutan.baris)


# *(assumed, configurable)*: SIASN's numeric codes for the two ratings and the predikat
# quadrant. domain.md names the fields only; integrating agencies can override these maps.
SIASN_KODE_RATING: Mapping[Rating, int] = MappingProxyType({
    Rating.DI_ATAS_EKSPEKTASI: 1, Rating.SESUAI_EKSPEKTASI: 2, Rating.DI_BAWAH_EKSPEKTASI: 3,
})
SIASN_KODE_KUADRAN: Mapping[Predikat, int] = MappingProxyType({
    Predikat.SANGAT_BAIK: 1, Predikat.BAIK: 2, Predikat.BUTUH_PERBAIKAN: 3, Predikat.KURANG: 4,
    Predikat.SANGAT_KURANG: 5,
})


def siasn_skp(conn: Any, nip: str, tahun: int) -> dict[str, Any]:
    """A year's annual result in SIASN's SKP field names; unknown penilai fields are null.

    The kuadran (predikat) is computed from the two ratings, never copied as typed.
    """
    annual = [r for r in report_repo.penilaian_of_year(conn, nip, tahun)
              if r["period_jenis"] == "tahunan"]
    if not annual:
        raise ValidationError("tahun", "not_rated",
                              N_("There is no annual rating for {tahun} on this device yet."),
                              tahun=tahun)
    rating = annual[-1]
    hasil, perilaku = Rating(rating["rating_hasil_kerja"]), Rating(rating["rating_perilaku"])
    head = skp_repo.skp_head(conn, rating["skp_id"])
    penilai = gather.pihak(conn, nip, head, rating,
                           on_date=date.fromisoformat(rating["selesai"])).penilai
    status = None
    if penilai is not None:
        status = "NON ASN" if penilai.jenis_asn == "NON_ASN" or not penilai.nip else "ASN"
    return {
        "tahun": tahun,
        "hasilKinerjaNilai": SIASN_KODE_RATING[hasil],
        "perilakuKerjaNilai": SIASN_KODE_RATING[perilaku],
        "kuadranKinerjaNilai": SIASN_KODE_KUADRAN[predikat_kinerja(hasil, perilaku)],
        "penilaiNipNrp": penilai.nip if penilai else None,
        "penilaiNama": penilai.nama_lengkap if penilai else None,
        "penilaiJabatan": penilai.jabatan if penilai else None,
        "penilaiUnorNama": penilai.unit_kerja if penilai else None,
        "penilaiGolongan": penilai.golongan if penilai else None,
        "statusPenilai": status,
    }
