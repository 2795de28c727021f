"""Penilaian periods of a performance year: monthly, Triwulan or Semester, plus the annual one.

Each period has a batas pengisian (input deadline) counted in working days after it ends.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from asndesk.domain.calendar import TAHUN_MAKS, TAHUN_MIN, HolidayCalendar, add_working_days
from asndesk.errors import ValidationError
from asndesk.i18n import N_

# *(assumed, configurable)*: domain.md gives no official deadline rule, so the default batas
# pengisian is the 5th working day after a period ends; agencies pass their own value.
BATAS_HARI_KERJA_DEFAULT = 5

# *(assumed, configurable)*: domain.md §2 sets the SKP deadline at the end of January without
# the exact article; callers may pass another date.
BULAN_BATAS_PENETAPAN_SKP = 1

_BULAN_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
_BULAN_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_ROMAWI = ("I", "II", "III", "IV")


class PolaPeriode(enum.StrEnum):
    """The agency's choice of penilaian periods within a year."""

    BULANAN = "bulanan"
    TRIWULANAN = "triwulanan"
    SEMESTERAN = "semesteran"


class JenisPeriode(enum.StrEnum):
    """Kind of one period; `tahunan` is the final annual evaluation."""

    BULANAN = "bulanan"
    TRIWULAN = "triwulan"
    SEMESTER = "semester"
    TAHUNAN = "tahunan"


# The kind of period each pattern produces and how many months each one spans.
_BULAN_PER_PERIODE = {
    PolaPeriode.BULANAN: (JenisPeriode.BULANAN, 1),
    PolaPeriode.TRIWULANAN: (JenisPeriode.TRIWULAN, 3),
    PolaPeriode.SEMESTERAN: (JenisPeriode.SEMESTER, 6),
}


@dataclass(frozen=True)
class Periode:
    """One penilaian period; `id` is deterministic ("2026-TW2", "2026-01", "2026-S1", "2026-TH")."""

    id: str
    tahun: int
    jenis: JenisPeriode
    nomor: int
    mulai: date
    selesai: date
    batas_pengisian: date

    @property
    def nama(self) -> str:
        """Indonesian name, e.g. "Januari 2026", "Triwulan II 2026", "Tahunan 2026"."""
        return self.label("id")

    def label(self, locale: str = "id") -> str:
        """The period's name in `locale` ("id" or "en"; anything else falls back to Indonesian)."""
        en = locale == "en"
        if self.jenis is JenisPeriode.BULANAN:
            nama = (_BULAN_EN if en else _BULAN_ID)[self.nomor - 1]
        elif self.jenis is JenisPeriode.TRIWULAN:
            nama = f"{'Quarter' if en else 'Triwulan'} {_ROMAWI[self.nomor - 1]}"
        elif self.jenis is JenisPeriode.SEMESTER:
            nama = f"Semester {_ROMAWI[self.nomor - 1]}"
        else:
            nama = "Annual" if en else "Tahunan"
        return f"{nama} {self.tahun}"

    def memuat(self, d: date) -> bool:
        """True when `d` lies within mulai..selesai (inclusive)."""
        return self.mulai <= d <= self.selesai


def _akhir_bulan(tahun: int, bulan: int) -> date:
    awal_berikut = date(tahun + 1, 1, 1) if bulan == 12 else date(tahun, bulan + 1, 1)
    return awal_berikut - timedelta(days=1)


def _cek_tahun(tahun: object) -> int:
    if isinstance(tahun, bool) or not isinstance(tahun, int):
        raise ValidationError("tahun", "bad_type", N_("The year must be a whole number."))
    if not TAHUN_MIN <= tahun <= TAHUN_MAKS:
        msg = N_("The year must be between {min} and {max}.")
        raise ValidationError("tahun", "out_of_range", msg, min=TAHUN_MIN, max=TAHUN_MAKS)
    return tahun


def _cek_pola(pola: object) -> PolaPeriode:
    if isinstance(pola, str) and pola in set(PolaPeriode):
        return PolaPeriode(pola)
    msg = N_("Unknown period pattern {value} (use bulanan, triwulanan or semesteran).")
    raise ValidationError("pola", "unknown", msg, value=str(pola))


def buat_periode(
    tahun: int,
    pola: PolaPeriode | str,
    calendar: HolidayCalendar,
    batas_hari_kerja: int = BATAS_HARI_KERJA_DEFAULT,
) -> tuple[Periode, ...]:
    """The periods of `pola` for `tahun` in order, followed by the annual evaluation.

    batas_pengisian = the `batas_hari_kerja`-th working day after the period ends (0 → the last
    day of the period). Raises ValidationError for a year outside 2000–2100, an unknown
    pattern or a negative number of days.
    """
    tahun = _cek_tahun(tahun)
    pola = _cek_pola(pola)
    if isinstance(batas_hari_kerja, bool) or not isinstance(batas_hari_kerja, int):
        msg = N_("The number of days must be whole.")
        raise ValidationError("batas_hari_kerja", "bad_type", msg)
    if batas_hari_kerja < 0:
        msg = N_("The number of days must not be negative.")
        raise ValidationError("batas_hari_kerja", "negative", msg)

    def batas(selesai: date) -> date:
        return add_working_days(selesai, batas_hari_kerja, calendar)

    jenis, bulan_per = _BULAN_PER_PERIODE[pola]
    hasil = []
    for nomor in range(1, 12 // bulan_per + 1):
        bulan_awal = (nomor - 1) * bulan_per + 1
        mulai = date(tahun, bulan_awal, 1)
        selesai = _akhir_bulan(tahun, bulan_awal + bulan_per - 1)
        if jenis is JenisPeriode.BULANAN:
            pid = f"{tahun}-{nomor:02d}"
        elif jenis is JenisPeriode.TRIWULAN:
            pid = f"{tahun}-TW{nomor}"
        else:
            pid = f"{tahun}-S{nomor}"
        hasil.append(Periode(pid, tahun, jenis, nomor, mulai, selesai, batas(selesai)))
    akhir_tahun = date(tahun, 12, 31)
    tahunan = Periode(
        f"{tahun}-TH", tahun, JenisPeriode.TAHUNAN, 1, date(tahun, 1, 1), akhir_tahun,
        batas(akhir_tahun),
    )  # fmt: skip
    return (*hasil, tahunan)


def periode_untuk_tanggal(periods: Iterable[Periode], d: date) -> Periode | None:
    """The non-annual period that contains `d`, or None when no period does."""
    for p in periods:
        if p.jenis is not JenisPeriode.TAHUNAN and p.memuat(d):
            return p
    return None


def batas_penetapan_skp(tahun: int) -> date:
    """The default deadline to set (tetapkan) the SKP of `tahun`: the last day of January."""
    tahun = _cek_tahun(tahun)
    return _akhir_bulan(tahun, BULAN_BATAS_PENETAPAN_SKP)
