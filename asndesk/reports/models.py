"""What each document prints, as plain frozen data (gathered once, rendered many ways)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from asndesk.domain.activity import JpRingkasan
from asndesk.domain.ikm import HasilIkm
from asndesk.domain.periods import Periode
from asndesk.domain.ratings import (
    CapaianOrganisasi,
    DistributionWarning,
    Predikat,
    Rating,
    distribution_warnings,
    predikat_kinerja,
)
from asndesk.domain.skp import Skp, StatusSkp
from asndesk.reports.people import Identitas


@dataclass(frozen=True)
class Pihak:
    """The people on a document; any of them may be unknown locally (None)."""

    pegawai: Identitas | None
    penilai: Identitas | None = None
    atasan_penilai: Identitas | None = None
    instansi: str | None = None


@dataclass(frozen=True)
class Pengesahan:
    """Place and date printed above the signatures (place optional: never guessed)."""

    tanggal: date
    tempat: str | None = None


@dataclass(frozen=True)
class SkpDoc:
    skp: Skp
    pihak: Pihak
    pengesahan: Pengesahan


@dataclass(frozen=True)
class RealisasiBaris:
    """One realisasi of an IKI in one period, with the names of its evidence."""

    periode: Periode
    nilai: Decimal | None
    uraian: str
    bukti: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvaluasiDoc:
    skp: Skp
    pihak: Pihak
    periode: Periode
    pengesahan: Pengesahan
    realisasi: Mapping[str, tuple[RealisasiBaris, ...]] = field(default_factory=dict)
    """By IKI id."""
    umpan_balik_rhk: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """By RHK id (feedback on the RHK and on its IKI's realisasi)."""
    umpan_balik_perilaku: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    catatan: tuple[str, ...] = ()
    rating_hasil: Rating | None = None
    rating_perilaku: Rating | None = None
    capaian: CapaianOrganisasi | None = None

    @property
    def predikat(self) -> Predikat | None:
        """Computed from the two ratings, never read as typed; None until both exist."""
        if self.rating_hasil is None or self.rating_perilaku is None:
            return None
        return predikat_kinerja(self.rating_hasil, self.rating_perilaku)


@dataclass(frozen=True)
class LogEntri:
    mulai: str
    selesai: str
    menit: int
    kegiatan: str
    output: str | None
    rhk_no: int | None
    bukti: tuple[str, ...] = ()


@dataclass(frozen=True)
class HariLog:
    """One calendar day of the month: its entries and its share of the working-time norm."""

    tanggal: date
    norma_menit: int
    libur: str | None
    entri: tuple[LogEntri, ...] = ()

    @property
    def menit(self) -> int:
        return sum(e.menit for e in self.entri)


@dataclass(frozen=True)
class LogDoc:
    pihak: Pihak
    tahun: int
    bulan: int
    hari: tuple[HariLog, ...]
    rhk: tuple[str, ...]
    """Linked RHK texts; an entry's `rhk_no` is the 1-based position here."""
    pengesahan: Pengesahan


@dataclass(frozen=True)
class LayananBaris:
    """KPIs of one service type over the report's span (durations in working days)."""

    kode: str
    nama: str
    standar: int | None
    """Standard time in working days; None on the total row."""
    permohonan: int
    selesai: int
    tepat_waktu: int
    median: Fraction | None
    rata: Fraction | None
    pengaduan: int
    pengaduan_selesai: int

    @property
    def persen_tepat(self) -> Fraction | None:
        """Share of completed requests done within the standard (percent), None if none done."""
        return Fraction(self.tepat_waktu * 100, self.selesai) if self.selesai else None


@dataclass(frozen=True)
class LayananDoc:
    pihak: Pihak
    dari: date
    sampai: date
    baris: tuple[LayananBaris, ...]
    total: LayananBaris
    pengesahan: Pengesahan


@dataclass(frozen=True)
class IkmDoc:
    pihak: Pihak
    unit_layanan: str
    dari: date
    sampai: date
    hasil: HasilIkm
    populasi: int | None
    sampel_minimal: int | None
    pengesahan: Pengesahan


@dataclass(frozen=True)
class PegawaiKantor:
    """One member of an HR officer's unit, as the device holds them after the last sync."""

    nip: str
    nama: str
    jabatan: str | None
    status_skp: StatusSkp | None
    """The year's SKP (the one the server changed last); None when there is none."""
    amandemen_diajukan: int
    penilai: Identitas | None
    """The pejabat penilai as far as this device knows (None: not known here)."""
    rating_hasil: Rating | None
    rating_perilaku: Rating | None
    jp: JpRingkasan
    terakhir_sinkron: datetime | None
    """The person's latest contact with the server (any device), from /me."""

    @property
    def predikat(self) -> Predikat | None:
        """Computed from the period's two ratings, never read as stored."""
        if self.rating_hasil is None or self.rating_perilaku is None:
            return None
        return predikat_kinerja(self.rating_hasil, self.rating_perilaku)

    @property
    def menunggu(self) -> int:
        """Decisions waiting for the pejabat penilai: the submitted SKP and amendments."""
        return int(self.status_skp is StatusSkp.DIAJUKAN) + self.amandemen_diajukan


@dataclass(frozen=True)
class KantorDoc:
    """The Laporan kantor of one unit and period, from the unit replica only."""

    pihak: Pihak
    unit_id: str
    unit_nama: str
    periode: Periode
    data_per: datetime
    """When the server described the unit (the /me answer): the data's as-of instant."""
    batas_skp: date
    batas_sinkron_hari: int
    capaian: CapaianOrganisasi | None
    pegawai: tuple[PegawaiKantor, ...]
    layanan: tuple[LayananBaris, ...]
    layanan_total: LayananBaris
    layanan_tersimpan: bool
    """Whether the replica holds any service log of the unit (else the KPIs are unknown)."""
    layanan_tanpa_jenis: int
    """Service logs in the period whose service type this device does not know (not counted)."""
    pelatihan_tersimpan: bool
    pengesahan: Pengesahan

    def hari_tanpa_sinkron(self, who: PegawaiKantor) -> int | None:
        """Whole days from the person's last contact to `data_per` (None: never synced)."""
        if who.terakhir_sinkron is None:
            return None
        return max(0, (self.data_per - who.terakhir_sinkron) // timedelta(days=1))

    def belum_sinkron(self, who: PegawaiKantor) -> bool:
        hari = self.hari_tanpa_sinkron(who)
        return hari is None or hari >= self.batas_sinkron_hari

    @property
    def jumlah_predikat(self) -> dict[Predikat, int]:
        counts = dict.fromkeys(Predikat, 0)
        for who in self.pegawai:
            if who.predikat is not None:
                counts[who.predikat] += 1
        return counts

    @property
    def peringatan(self) -> list[DistributionWarning]:
        """SE 3/2023 warnings for the unit's predikat; none without a capaian."""
        if self.capaian is None:
            return []
        return distribution_warnings(self.capaian, self.jumlah_predikat)
