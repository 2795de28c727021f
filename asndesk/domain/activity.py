"""Validation of day-to-day records: log harian, service logs (layanan) and pelatihan (JP).

Pure functions: the workspace calls them before writing; each accepts text as a user types it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from asndesk.domain.calendar import BATAS_HARIAN_MENIT
from asndesk.domain.formatting import format_durasi_menit
from asndesk.domain.parsing import WIB, parse_angka, parse_jam, parse_tanggal, parse_waktu, wajib
from asndesk.domain.skp import MAKS_SATUAN, validate_text
from asndesk.errors import ValidationError
from asndesk.i18n import N_, gettext

MAKS_ID = 100
MAKS_KEGIATAN = 2000
MAKS_TEKS = 2000  # hasil, catatan
MAKS_NAMA = 500
MAKS_KODE = 50
MAKS_JUMLAH = Decimal(10) ** 12
HAK_JP_TAHUNAN = 20  # every ASN's right to at least 20 JP of development a year
MAKS_JP = Decimal(1000)


def _teks_opsional(field: str, value: str | None, max_len: int) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validate_text(field, value, max_len)


def _bool(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, "bad_type", N_("The value must be yes or no."))
    return value


# --------------------------------------------------------------------------- log harian


@dataclass(frozen=True)
class LogHarian:
    """One entry of the daily progress log (log harian / progres harian)."""

    id: str
    tanggal: date
    jam_mulai: time
    jam_selesai: time
    kegiatan: str
    output_jumlah: Decimal | None
    output_satuan: str | None
    rhk_id: str | None

    @property
    def durasi_menit(self) -> int:
        """Minutes from jam_mulai to jam_selesai (an entry never crosses midnight)."""
        mulai = self.jam_mulai.hour * 60 + self.jam_mulai.minute
        return self.jam_selesai.hour * 60 + self.jam_selesai.minute - mulai


def new_log_harian(
    *,
    id: str,
    tanggal: date | str,
    jam_mulai: time | str,
    jam_selesai: time | str,
    kegiatan: str,
    output_jumlah: Decimal | int | str | None = None,
    output_satuan: str | None = None,
    rhk_id: str | None = None,
    hari_ini: date | None = None,
) -> LogHarian:
    """A validated LogHarian from values as typed; ValidationError names the first bad field.

    `hari_ini` (default: today) allows dates up to tomorrow, for time-zone slack; later dates
    are refused (code "future_date"). Work past midnight is logged as two entries.
    """
    log_id = validate_text("id", id, MAKS_ID)
    tgl = parse_tanggal("tanggal", tanggal)
    if tgl > (hari_ini or date.today()) + timedelta(days=1):
        msg = N_("The date {value} is in the future.")
        raise ValidationError("tanggal", "future_date", msg, value=tgl.isoformat())
    mulai = parse_jam("jam_mulai", jam_mulai)
    selesai = parse_jam("jam_selesai", jam_selesai)
    if selesai <= mulai:
        msg = N_("The end time must be after the start time.")
        raise ValidationError("jam_selesai", "end_before_start", msg)
    teks = validate_text("kegiatan", kegiatan, MAKS_KEGIATAN)
    jumlah = parse_angka("output_jumlah", output_jumlah)
    satuan = _teks_opsional("output_satuan", output_satuan, MAKS_SATUAN)
    if jumlah is not None and jumlah < 0:
        raise ValidationError("output_jumlah", "negative", N_("The value must not be negative."))
    if jumlah is not None and jumlah >= MAKS_JUMLAH:
        raise ValidationError("output_jumlah", "too_large", N_("The value is too large."))
    # An output is a quantity *and* its unit ("2 Dokumen"); half of it cannot be reported.
    if jumlah is not None and satuan is None:
        raise ValidationError(
            "output_satuan", "missing", N_("Give the unit of the output, e.g. Dokumen.")
        )
    if satuan is not None and jumlah is None:
        raise ValidationError("output_jumlah", "missing", N_("Give the amount of the output."))
    rhk = _teks_opsional("rhk_id", rhk_id, MAKS_ID)
    return LogHarian(log_id, tgl, mulai, selesai, teks, jumlah, satuan, rhk)


@dataclass(frozen=True)
class DailyTotalWarning:
    """One day's logs add up to more than the (assumed) 7 h 30 min cap: warn, don't block."""

    total_menit: int
    batas_menit: int = BATAS_HARIAN_MENIT
    code: str = "daily_total"

    @property
    def message_id(self) -> str:
        return N_("This day's activities add up to {total}, more than {batas}.")

    def message(self) -> str:
        """The warning in the current locale, durations written out ("7 jam 31 menit")."""
        total, batas = format_durasi_menit(self.total_menit), format_durasi_menit(self.batas_menit)
        return gettext(self.message_id).format(total=total, batas=batas)


def daily_total_warning(
    existing_minutes_that_day: int, new_minutes: int
) -> DailyTotalWarning | None:
    """A warning when the day's minutes with the new entry exceed BATAS_HARIAN_MENIT (450)."""
    for field, value in (("durasi", existing_minutes_that_day), ("durasi", new_minutes)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(
                field, "bad_duration", N_("The duration must be whole minutes ≥ 0.")
            )
    total = existing_minutes_that_day + new_minutes
    return DailyTotalWarning(total) if total > BATAS_HARIAN_MENIT else None


def overlapping(logs_of_day: Iterable[LogHarian], new: LogHarian) -> tuple[LogHarian, ...]:
    """Entries of the same day whose time ranges overlap `new` (a warning, not an error).

    Touching ranges (08.00–09.00 and 09.00–10.00) do not overlap; an entry with `new`'s id is
    the one being edited and is skipped.
    """
    return tuple(
        log
        for log in logs_of_day
        if log.id != new.id
        and log.tanggal == new.tanggal
        and log.jam_mulai < new.jam_selesai
        and new.jam_mulai < log.jam_selesai
    )


# --------------------------------------------------------------------------- layanan


class StatusLayanan(enum.StrEnum):
    """Where one service request stands."""

    DITERIMA = "diterima"
    DIPROSES = "diproses"
    SELESAI = "selesai"
    DITOLAK = "ditolak"


@dataclass(frozen=True)
class JenisLayanan:
    """A service type with its standard time (jangka waktu pelayanan) in working days."""

    id: str
    kode: str
    nama: str
    standar_hari_kerja: int


def new_jenis_layanan(
    *, id: str, kode: str, nama: str, standar_hari_kerja: int | str
) -> JenisLayanan:
    """A validated JenisLayanan; the standard is a whole number of working days ≥ 0."""
    jl_id = validate_text("id", id, MAKS_ID)
    jl_kode = validate_text("kode", kode, MAKS_KODE)
    jl_nama = validate_text("nama", nama, MAKS_NAMA)
    standar = parse_angka("standar_hari_kerja", standar_hari_kerja)
    if standar is None:
        raise wajib("standar_hari_kerja")
    if standar != standar.to_integral_value():
        raise ValidationError(
            "standar_hari_kerja", "bad_type", N_("The number of days must be whole.")
        )
    if standar < 0:
        msg = N_("The number of days must not be negative.")
        raise ValidationError("standar_hari_kerja", "negative", msg)
    return JenisLayanan(jl_id, jl_kode, jl_nama, int(standar))


@dataclass(frozen=True)
class LogLayanan:
    """One service delivered (layanan publik); times are timezone-aware."""

    id: str
    jenis_layanan_id: str
    diterima_pada: datetime
    selesai_pada: datetime | None
    status: StatusLayanan
    hasil: str | None
    kepuasan: int | None  # citizen satisfaction 1–4, optional
    pengaduan: bool
    pengaduan_selesai: bool
    catatan: str | None


def new_log_layanan(
    *,
    id: str,
    jenis_layanan_id: str,
    diterima_pada: datetime | str,
    selesai_pada: datetime | str | None = None,
    status: StatusLayanan | str = StatusLayanan.DITERIMA,
    hasil: str | None = None,
    kepuasan: int | str | None = None,
    pengaduan: bool = False,
    pengaduan_selesai: bool = False,
    catatan: str | None = None,
    zona_default: tzinfo = WIB,
) -> LogLayanan:
    """A validated LogLayanan; times without an offset are read in `zona_default` (WIB).

    selesai_pada is required for status selesai, allowed for ditolak (time of the decision) and
    refused while the request is still diterima/diproses.
    """
    log_id = validate_text("id", id, MAKS_ID)
    jenis_id = validate_text("jenis_layanan_id", jenis_layanan_id, MAKS_ID)
    if not isinstance(status, str) or status not in set(StatusLayanan):
        raise ValidationError("status", "unknown", N_("Unknown status {value}."), value=str(status))
    st = StatusLayanan(status)
    mulai = parse_waktu("diterima_pada", diterima_pada, zona_default)
    if isinstance(selesai_pada, str) and not selesai_pada.strip():
        selesai_pada = None  # an emptied form field
    selesai = None
    if selesai_pada is not None:
        selesai = parse_waktu("selesai_pada", selesai_pada, zona_default)
        if selesai < mulai:
            msg = N_("The completion time is before the time the request was received.")
            raise ValidationError("selesai_pada", "end_before_start", msg)
        if st in (StatusLayanan.DITERIMA, StatusLayanan.DIPROSES):
            msg = N_("A completion time needs the status selesai or ditolak.")
            raise ValidationError("selesai_pada", "not_finished", msg)
    elif st is StatusLayanan.SELESAI:
        raise ValidationError(
            "selesai_pada", "missing", N_("A completed service needs its completion time.")
        )
    nilai = parse_angka("kepuasan", kepuasan)
    if nilai is not None and nilai not in (1, 2, 3, 4):
        raise ValidationError("kepuasan", "out_of_range", N_("Satisfaction must be 1, 2, 3 or 4."))
    ada_pengaduan = _bool("pengaduan", pengaduan)
    if _bool("pengaduan_selesai", pengaduan_selesai) and not ada_pengaduan:
        msg = N_("A complaint can only be resolved if there was one.")
        raise ValidationError("pengaduan_selesai", "without_complaint", msg)
    return LogLayanan(
        log_id, jenis_id, mulai, selesai, st,
        _teks_opsional("hasil", hasil, MAKS_TEKS),
        None if nilai is None else int(nilai),
        ada_pengaduan, pengaduan_selesai,
        _teks_opsional("catatan", catatan, MAKS_TEKS),
    )  # fmt: skip


# --------------------------------------------------------------------------- pelatihan (JP)


@dataclass(frozen=True)
class Pelatihan:
    """A competency development activity with its jam pelajaran (JP)."""

    id: str
    nama: str
    penyelenggara: str | None
    tanggal_mulai: date
    tanggal_selesai: date
    jp: Decimal


def new_pelatihan(
    *,
    id: str,
    nama: str,
    tanggal_mulai: date | str,
    tanggal_selesai: date | str,
    jp: Decimal | int | str,
    penyelenggara: str | None = None,
) -> Pelatihan:
    """A validated Pelatihan: end not before start, 0 < JP ≤ 1000."""
    p_id = validate_text("id", id, MAKS_ID)
    p_nama = validate_text("nama", nama, MAKS_NAMA)
    p_oleh = _teks_opsional("penyelenggara", penyelenggara, MAKS_NAMA)
    mulai = parse_tanggal("tanggal_mulai", tanggal_mulai)
    selesai = parse_tanggal("tanggal_selesai", tanggal_selesai)
    if selesai < mulai:
        msg = N_("The end date is before the start date.")
        raise ValidationError("tanggal_selesai", "end_before_start", msg)
    nilai = parse_angka("jp", jp)
    if nilai is None:
        raise wajib("jp")
    if nilai <= 0:
        raise ValidationError("jp", "not_positive", N_("The JP must be more than 0."))
    if nilai > MAKS_JP:
        raise ValidationError(
            "jp", "too_large", N_("The JP must be at most {max}."), max=int(MAKS_JP)
        )
    return Pelatihan(p_id, p_nama, p_oleh, mulai, selesai, nilai)


@dataclass(frozen=True)
class JpRingkasan:
    """JP earned in a year against the 20 JP right; `kurang` is what is still missing."""

    tahun: int
    total: Decimal
    target: int
    kurang: Decimal

    @property
    def terpenuhi(self) -> bool:
        """True once the year's JP reach the target."""
        return self.kurang == 0


def jp_summary(trainings: Iterable[Pelatihan], tahun: int) -> JpRingkasan:
    """Total JP of the trainings that ended in `tahun` (counted by tanggal_selesai)."""
    total = sum((p.jp for p in trainings if p.tanggal_selesai.year == tahun), Decimal(0))
    return JpRingkasan(tahun, total, HAK_JP_TAHUNAN, max(Decimal(0), HAK_JP_TAHUNAN - total))
