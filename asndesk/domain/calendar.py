"""Working days: Monday–Friday minus the libur nasional and cuti bersama of each SKB 3 Menteri.

Used for the jangka waktu pelayanan of service logs and for period deadlines (batas pengisian).
"""

from __future__ import annotations

import bisect
import enum
import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from asndesk.errors import ValidationError
from asndesk.i18n import N_, gettext
from asndesk.paths import resource_path

TAHUN_MIN = 2000
TAHUN_MAKS = 2100

# Perpres 21/2023: 37 h 30 min a week over Mon–Fri, 32 h 30 min during Ramadan.
JAM_KERJA_MINGGUAN_MENIT = 37 * 60 + 30
JAM_KERJA_MINGGUAN_RAMADAN_MENIT = 32 * 60 + 30

# 7 h 30 min per day: an *assumed* cap (domain.md §3). Exceeding it only warns, never blocks,
# because overtime and field work are real and the official text could not be confirmed.
BATAS_HARIAN_MENIT = 7 * 60 + 30

_ISO_TANGGAL = re.compile(r"\d{4}-\d{2}-\d{2}")
_NAMA_BERKAS = re.compile(r"libur-(\d{4})\.json")
_KUNCI_BERKAS = frozenset({"tahun", "sumber", "status", "catatan", "hari"})
_KUNCI_HARI = frozenset({"tanggal", "nama", "jenis", "catatan"})
_NEGATIF = N_("The number of days must not be negative.")
_WAJIB = N_("The field {key} is required.")


class JenisLibur(enum.StrEnum):
    """Kind of non-working day set by the SKB."""

    LIBUR_NASIONAL = "libur_nasional"
    CUTI_BERSAMA = "cuti_bersama"


class StatusKalender(enum.StrEnum):
    """Whether a year's data comes from a published SKB or is asndesk's estimate."""

    RESMI = "resmi"
    PERKIRAAN = "perkiraan"


@dataclass(frozen=True)
class HariLibur:
    """One libur nasional or cuti bersama day (it may fall on a weekend, as the SKB lists it)."""

    tanggal: date
    nama: str
    jenis: JenisLibur


@dataclass(frozen=True)
class InfoKalender:
    """Where one year's data comes from: its `sumber` (SKB numbers) and `status`."""

    tahun: int
    sumber: str
    status: StatusKalender
    catatan: str | None = None


def jam_kerja_mingguan(ramadan: bool) -> int:
    """Weekly working time in minutes: 2250 (37 h 30 min), or 1950 (32 h 30 min) in Ramadan."""
    return JAM_KERJA_MINGGUAN_RAMADAN_MENIT if ramadan else JAM_KERJA_MINGGUAN_MENIT


def _hari_kerja_sampai(ordinal: int) -> int:
    """Number of Mondays–Fridays among ordinals 1..ordinal (ordinal 1, 1 Jan 0001, is a Monday)."""
    return (ordinal // 7) * 5 + min(ordinal % 7, 5)


def _sebagai_tanggal(value: object, field: str) -> date:
    # A datetime counts by its own civil date; anything else that is not a date is a caller bug
    # that should still surface as a named field rather than a TypeError deep inside.
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ValidationError(field, "bad_date", N_("The value must be a date."))
    return value


@dataclass(frozen=True, init=False, repr=False)
class HolidayCalendar:
    """An immutable set of libur nasional / cuti bersama days, with per-year source info.

    A year is *covered* when the calendar has data for it; dates in uncovered years are treated
    as having no holidays (see `coverage_gaps` so the UI can warn).
    """

    hari: tuple[HariLibur, ...]
    info_tahun: tuple[InfoKalender, ...]
    _per_tanggal: Mapping[date, HariLibur] = field(repr=False, compare=False, hash=False)
    # Ordinals of the days that actually remove a working day (weekend holidays do not).
    _libur_hari_kerja: tuple[int, ...] = field(repr=False, compare=False, hash=False)

    def __init__(self, hari: Iterable[HariLibur] = (), info: Iterable[InfoKalender] = ()) -> None:
        per_tanggal: dict[date, HariLibur] = {}
        for h in hari:
            if h.tanggal in per_tanggal:
                _duplikat(h.tanggal)
            per_tanggal[h.tanggal] = h
        urut = dict(sorted(per_tanggal.items()))
        per_tahun = {i.tahun: i for i in info}
        object.__setattr__(self, "hari", tuple(urut.values()))
        object.__setattr__(self, "info_tahun", tuple(per_tahun[t] for t in sorted(per_tahun)))
        object.__setattr__(self, "_per_tanggal", MappingProxyType(urut))
        libur = tuple(d.toordinal() for d in urut if d.weekday() < 5)
        object.__setattr__(self, "_libur_hari_kerja", libur)

    def __iter__(self) -> Iterator[HariLibur]:
        return iter(self.hari)

    def __len__(self) -> int:
        return len(self.hari)

    def __repr__(self) -> str:
        return f"HolidayCalendar(years={self.years()!r}, days={len(self)})"

    def libur_pada(self, d: date) -> HariLibur | None:
        """The holiday or cuti bersama entry on `d`, if any."""
        return self._per_tanggal.get(_sebagai_tanggal(d, "tanggal"))

    def is_holiday(self, d: date) -> bool:
        """True when `d` is a libur nasional or cuti bersama (whatever the weekday)."""
        return self.libur_pada(d) is not None

    def is_working_day(self, d: date) -> bool:
        """True for Monday–Friday that is neither a libur nasional nor a cuti bersama."""
        d = _sebagai_tanggal(d, "tanggal")
        return d.weekday() < 5 and d not in self._per_tanggal

    def holidays_between(self, a: date, b: date) -> tuple[HariLibur, ...]:
        """Entries with a <= tanggal <= b, in date order (b before a → ValidationError)."""
        a = _sebagai_tanggal(a, "tanggal_mulai")
        b = _sebagai_tanggal(b, "tanggal_selesai")
        _cek_urutan(a, b)
        return tuple(h for h in self.hari if a <= h.tanggal <= b)

    def years(self) -> tuple[int, ...]:
        """The years this calendar has data for, ascending."""
        return tuple(sorted({i.tahun for i in self.info_tahun} | {h.tanggal.year for h in self}))

    def info(self, tahun: int) -> InfoKalender | None:
        """Source and status of one year's data (None if it was built without file info)."""
        return next((i for i in self.info_tahun if i.tahun == tahun), None)

    def merge(self, other: HolidayCalendar) -> HolidayCalendar:
        """A new calendar where every year covered by `other` replaces this one's whole year.

        HR updates work by year: an updated 2027 file drops all shipped 2027 entries, including
        estimated days that the official SKB moved or removed.
        """
        diganti = set(other.years())
        hari = [h for h in self if h.tanggal.year not in diganti] + list(other)
        info = [i for i in self.info_tahun if i.tahun not in diganti] + list(other.info_tahun)
        return HolidayCalendar(hari, info)


def _duplikat(tanggal: date) -> NoReturn:
    raise ValidationError(
        "tanggal",
        "duplicate",
        N_("The date {tanggal} appears more than once in the holiday calendar."),
        tanggal=tanggal.isoformat(),
    )


def _cek_urutan(mulai: date, selesai: date, field: str = "tanggal_selesai") -> None:
    if selesai < mulai:
        raise ValidationError(
            field,
            "end_before_start",
            N_("The end date {selesai} is before the start date {mulai}."),
            mulai=mulai.isoformat(),
            selesai=selesai.isoformat(),
        )


# --------------------------------------------------------------------------- loading files


def _teks(data: Mapping[str, Any], key: str, wajib: bool = True, **params: Any) -> str | None:
    """The stripped text under `key`; the field name is the key itself (stable for the UI)."""
    value = data.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    if value is not None and not isinstance(value, str):
        msg = N_("The field {key} must be text.")
        raise ValidationError(key, "bad_type", msg, key=key, **params)
    if wajib:
        raise ValidationError(key, "missing", _WAJIB, key=key, **params)
    return None


def _kunci_asing(data: Mapping[str, Any], allowed: frozenset[str], field: str, **p: Any) -> None:
    # Unknown keys are rejected so that a typo ("tangal") is reported instead of ignored.
    for key in data:
        if key not in allowed:
            raise ValidationError(field, "unknown_key", N_("Unknown field {key}."), key=key, **p)


def _parse_hari(item: object, nomor: int, tahun: int) -> HariLibur:
    if not isinstance(item, Mapping):
        msg = N_("Entry {nomor} must be an object.")
        raise ValidationError("hari", "bad_type", msg, nomor=nomor)
    _kunci_asing(item, _KUNCI_HARI, "hari", nomor=nomor)
    teks = str(_teks(item, "tanggal", nomor=nomor))
    tanggal = None
    if _ISO_TANGGAL.fullmatch(teks):
        try:
            tanggal = date.fromisoformat(teks)
        except ValueError:
            pass  # e.g. 2026-02-30: reported below like any other malformed date
    if tanggal is None:
        msg = N_("Entry {nomor}: {value} is not a valid date (use YYYY-MM-DD).")
        raise ValidationError("tanggal", "bad_date", msg, nomor=nomor, value=teks)
    if tanggal.year != tahun:
        msg = N_("Entry {nomor}: the date {value} is not in the year {tahun}.")
        raise ValidationError("tanggal", "wrong_year", msg, nomor=nomor, value=teks, tahun=tahun)
    nama = str(_teks(item, "nama", nomor=nomor))
    jenis = str(_teks(item, "jenis", nomor=nomor))
    if jenis not in set(JenisLibur):
        msg = N_("Entry {nomor}: unknown kind {value} (use libur_nasional or cuti_bersama).")
        raise ValidationError("jenis", "unknown", msg, nomor=nomor, value=jenis)
    return HariLibur(tanggal, nama, JenisLibur(jenis))


def parse_calendar_json(data: Mapping[str, Any]) -> HolidayCalendar:
    """Validate one year's decoded JSON (format in resources/calendars/README.md)."""
    if not isinstance(data, Mapping):
        raise ValidationError("kalender", "bad_type", N_("The calendar must be a JSON object."))
    _kunci_asing(data, _KUNCI_BERKAS, "kalender")
    tahun = data.get("tahun")
    if tahun is None:
        raise ValidationError("tahun", "missing", _WAJIB, key="tahun")
    if isinstance(tahun, bool) or not isinstance(tahun, int):
        raise ValidationError("tahun", "bad_type", N_("The year must be a whole number."))
    if not TAHUN_MIN <= tahun <= TAHUN_MAKS:
        msg = N_("The year must be between {min} and {max}.")
        raise ValidationError("tahun", "out_of_range", msg, min=TAHUN_MIN, max=TAHUN_MAKS)
    sumber = str(_teks(data, "sumber"))
    status = str(_teks(data, "status"))
    if status not in set(StatusKalender):
        msg = N_("Unknown status {value} (use resmi or perkiraan).")
        raise ValidationError("status", "unknown", msg, value=status)
    catatan = _teks(data, "catatan", wajib=False)
    daftar = data.get("hari")
    if daftar is None:
        raise ValidationError("hari", "missing", _WAJIB, key="hari")
    if not isinstance(daftar, list):
        raise ValidationError("hari", "bad_type", N_("The field {key} must be a list."), key="hari")
    hari = [_parse_hari(item, nomor, tahun) for nomor, item in enumerate(daftar, start=1)]
    return HolidayCalendar(hari, [InfoKalender(tahun, sumber, StatusKalender(status), catatan)])


def load_calendar_file(path: Path | str) -> HolidayCalendar:
    """Read and validate one `libur-YYYY.json` file; problems raise ValidationError."""
    p = Path(path)
    try:
        # A year's file is a few KB; refuse anything absurd before reading it into memory.
        if p.stat().st_size > 1_000_000:
            raise OSError("too large")
        teks = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        msg = N_("The file {berkas} cannot be read.")
        raise ValidationError("berkas", "unreadable", msg, berkas=p.name) from None
    try:
        data = json.loads(teks)
    except json.JSONDecodeError as exc:
        msg = N_("The file {berkas} is not valid JSON (line {baris}).")
        raise ValidationError("berkas", "bad_json", msg, berkas=p.name, baris=exc.lineno) from None
    return parse_calendar_json(data)


@functools.lru_cache(maxsize=1)
def default_calendar() -> HolidayCalendar:
    """All calendars shipped in resources/calendars, merged (cached for the process)."""
    hasil = HolidayCalendar()
    for p in sorted(resource_path("calendars").glob("libur-*.json")):
        kalender = load_calendar_file(p)
        cocok = _NAMA_BERKAS.fullmatch(p.name)
        if cocok is None or kalender.years() != (int(cocok.group(1)),):
            msg = N_("The file {berkas} does not hold the year its name says.")
            raise ValidationError("tahun", "file_name_mismatch", msg, berkas=p.name)
        hasil = hasil.merge(kalender)
    return hasil


# --------------------------------------------------------------------------- working days


def working_days_between(start: date, end: date, calendar: HolidayCalendar) -> int:
    """Number of working days d with start < d <= end (end before start → ValidationError)."""
    start = _sebagai_tanggal(start, "tanggal_mulai")
    end = _sebagai_tanggal(end, "tanggal_selesai")
    _cek_urutan(start, end)
    s, e = start.toordinal(), end.toordinal()
    hari_kerja = _hari_kerja_sampai(e) - _hari_kerja_sampai(s)
    libur = calendar._libur_hari_kerja
    return hari_kerja - (bisect.bisect_right(libur, e) - bisect.bisect_right(libur, s))


def add_working_days(start: date, n: int, calendar: HolidayCalendar) -> date:
    """The n-th working day after `start` (n = 0 → `start` itself).

    This is the date by which a service with a standard of n working days must be done:
    the first date d with working_days_between(start, d) == n.
    """
    start = _sebagai_tanggal(start, "tanggal")
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValidationError("hari_kerja", "bad_type", N_("The number of days must be whole."))
    if n < 0:
        raise ValidationError("hari_kerja", "negative", _NEGATIF)
    hari, sisa = start, n
    # Jump whole weeks while far away (each jump counts at most sisa-5 days), then walk day
    # by day so that the answer is always the first date that reaches n.
    while sisa > 10:
        langkah = hari + timedelta(weeks=(sisa - 5) // 5)
        sisa -= working_days_between(hari, langkah, calendar)
        hari = langkah
    while sisa > 0:
        hari += timedelta(days=1)
        if calendar.is_working_day(hari):
            sisa -= 1
    return hari


def service_duration_working_days(
    received: datetime, completed: datetime, calendar: HolidayCalendar
) -> int:
    """Working days a service took: working_days_between(received.date(), completed.date()).

    Same day → 0. Both datetimes must be naive or both aware. Aware values are compared as
    instants (completed before received → ValidationError), but each is counted by its own
    civil date in its own offset, as the officer wrote it down; if offsets make the completion's
    civil date earlier than the receipt's, the duration is 0.
    """
    if not isinstance(received, datetime) or not isinstance(completed, datetime):
        raise ValidationError("diterima_pada", "bad_type", N_("The value must be a date and time."))
    if (received.utcoffset() is None) != (completed.utcoffset() is None):
        msg = N_("Both times must either have a time zone or not have one.")
        raise ValidationError("selesai_pada", "mixed_timezones", msg)
    if completed < received:
        msg = N_("The completion time is before the time the request was received.")
        raise ValidationError("selesai_pada", "end_before_start", msg)
    if completed.date() <= received.date():
        return 0
    return working_days_between(received.date(), completed.date(), calendar)


def within_standard(duration: int, standard_days: int) -> bool:
    """True when a service took no more than its standard (both in working days)."""
    if duration < 0 or standard_days < 0:
        raise ValidationError("hari_kerja", "negative", _NEGATIF)
    return duration <= standard_days


# --------------------------------------------------------------------------- coverage


def _tahun(value: date | int, field: str) -> int:
    if isinstance(value, date):
        return value.year
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "bad_type", N_("The year must be a whole number."))
    return value


def coverage_gaps(calendar: HolidayCalendar, a: date | int, b: date | int) -> tuple[int, ...]:
    """Years from a to b (dates or years, inclusive) that the calendar has no data for."""
    awal, akhir = _tahun(a, "tahun_mulai"), _tahun(b, "tahun_selesai")
    if akhir < awal:
        msg = N_("The end year {selesai} is before the start year {mulai}.")
        raise ValidationError("tahun_selesai", "end_before_start", msg, mulai=awal, selesai=akhir)
    ada = set(calendar.years())
    return tuple(t for t in range(awal, akhir + 1) if t not in ada)


@dataclass(frozen=True)
class CalendarCoverageWarning:
    """Working days in `tahun` are unreliable: no data (code "missing") or an estimate."""

    code: str
    tahun: tuple[int, ...]

    @property
    def message_id(self) -> str:
        if self.code == "missing":
            return N_("The holiday calendar for {tahun} is missing; holidays are not counted.")
        return N_("The holiday calendar for {tahun} is an estimate; install the official SKB.")

    def message(self) -> str:
        """The warning in the current locale."""
        return gettext(self.message_id).format(tahun=", ".join(str(t) for t in self.tahun))


def coverage_warnings(
    calendar: HolidayCalendar, a: date | int, b: date | int
) -> tuple[CalendarCoverageWarning, ...]:
    """Warnings for years from a to b that are missing or only estimated (perkiraan)."""
    hilang = coverage_gaps(calendar, a, b)
    awal, akhir = _tahun(a, "tahun_mulai"), _tahun(b, "tahun_selesai")
    perkiraan = tuple(
        t
        for t in range(awal, akhir + 1)
        if (i := calendar.info(t)) is not None and i.status is StatusKalender.PERKIRAAN
    )
    pasangan = (("missing", hilang), ("estimated", perkiraan))
    return tuple(CalendarCoverageWarning(code, tahun) for code, tahun in pasangan if tahun)
