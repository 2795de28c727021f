"""Indonesian (and English) formatting of dates, times, numbers, money and durations.

Every function takes `locale` ("id" or "en"), defaulting to `asndesk.i18n.current_locale()`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel.dates import format_date
from babel.numbers import format_decimal

from asndesk.errors import ValidationError
from asndesk.i18n import N_, SUPPORTED_LOCALES, current_locale

Angka = int | Decimal | float | Fraction

ZONA_WAKTU: dict[str, int] = {"WIB": 420, "WITA": 480, "WIT": 540}
"""The three Indonesian time zones and their UTC offsets in minutes."""

MAKS_DESIMAL = 10
_ZONA_UTC = re.compile(r"UTC[+-]\d{2}:\d{2}")

# Joining words per locale. They live here rather than in the gettext catalog because these
# functions take an explicit `locale`, which may differ from the process-wide UI language.
_KATA: dict[str, dict[str, str]] = {
    "id": {"sampai": "s.d.", "pukul": "pukul "},
    "en": {"sampai": "to", "pukul": ""},
}


def _locale(locale: str | None) -> str:
    loc = current_locale() if locale is None else locale
    if loc not in SUPPORTED_LOCALES:
        raise ValidationError(
            "locale", "unsupported", N_("The language {locale} is not supported."), locale=loc
        )
    return loc


def _ke_angka(x: object, field: str) -> Decimal | Fraction:
    """Exact value of `x`; floats go through `str` so 2.675 means 2.675, not 2.67499999…."""
    if isinstance(x, bool) or not isinstance(x, int | Decimal | float | Fraction):
        raise ValidationError(field, "bad_type", N_("The value must be a number."))
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ValidationError(field, "bad_number", N_("The value must be a finite number."))
        return Decimal(str(x))
    value = Decimal(x)
    if not value.is_finite():
        raise ValidationError(field, "bad_number", N_("The value must be a finite number."))
    return value


def bulatkan(x: Angka, desimal: int = 2, field: str = "angka") -> Decimal:
    """Round `x` half-up (ties away from zero) to `desimal` places, exactly, as a Decimal.

    Fractions are rounded exactly, without an intermediate decimal approximation, so that
    e.g. an IKM of exactly 88.305 becomes 88.31 while 88.30499… becomes 88.30.
    """
    if (
        isinstance(desimal, bool)
        or not isinstance(desimal, int)
        or not 0 <= desimal <= MAKS_DESIMAL
    ):
        raise ValidationError(
            "desimal", "out_of_range", N_("Decimals must be between 0 and {max}."), max=MAKS_DESIMAL
        )
    value = _ke_angka(x, field)
    quantum = Decimal(1).scaleb(-desimal)
    if isinstance(value, Fraction):
        scaled = abs(value) * 10**desimal
        units = math.floor(scaled + Fraction(1, 2))
        result = Decimal(units).scaleb(-desimal).quantize(quantum)
        return -result if value < 0 and units else result
    result = value.quantize(quantum, rounding=ROUND_HALF_UP)
    # Avoid printing "-0,00" for tiny negative values.
    return abs(result) if result == 0 else result


def _pola(desimal: int) -> str:
    return "#,##0" + ("." + "0" * desimal if desimal else "")


def format_angka(x: Angka, desimal: int = 2, locale: str | None = None) -> str:
    """Number with grouping: id "1.234.567,89", en "1,234,567.89" (rounded half-up first)."""
    loc = _locale(locale)
    # Babel would round half-even; we round half-up ourselves, so Babel only lays out digits.
    value = bulatkan(x, desimal)
    return format_decimal(value, format=_pola(desimal), locale=loc)


def format_persen(x: Angka, desimal: int = 2, locale: str | None = None) -> str:
    """A percentage given as its percent value: 61.95 → id "61,95%", en "61.95%"."""
    return format_angka(x, desimal, locale) + "%"


def format_rupiah(x: Angka, desimal: int = 2, locale: str | None = None) -> str:
    """Money in rupiah: id "Rp5.000,00" (no space); en "IDR 5,000.00"; the sign goes first."""
    loc = _locale(locale)
    value = bulatkan(x, desimal)
    prefix = "Rp" if loc == "id" else "IDR "
    sign = "-" if value < 0 else ""
    return sign + prefix + format_decimal(abs(value), format=_pola(desimal), locale=loc)


def _cek_tanggal(d: object, field: str) -> dt.date:
    if not isinstance(d, dt.date):
        raise ValidationError(field, "bad_date", N_("The value must be a date."))
    return d


def format_tanggal(d: dt.date, dengan_hari: bool = False, locale: str | None = None) -> str:
    """Long date: id "5 Januari 2024" / "Jumat, 5 Januari 2024"; en "5 January 2024"."""
    loc = _locale(locale)
    d = _cek_tanggal(d, "tanggal")
    pola = "EEEE, d MMMM y" if dengan_hari else "d MMMM y"
    return format_date(d, pola, locale=loc)


def format_rentang_tanggal(a: dt.date, b: dt.date, locale: str | None = None) -> str:
    """Date range: "1 Januari s.d. 31 Desember 2024"; the year is printed once if shared.

    Different years print both: "1 Desember 2023 s.d. 31 Januari 2024"; en uses "to".
    `a` after `b` is a ValidationError (code "bad_order").
    """
    loc = _locale(locale)
    a = _cek_tanggal(a, "tanggal_mulai")
    b = _cek_tanggal(b, "tanggal_selesai")
    if a > b:
        raise ValidationError(
            "tanggal_selesai", "bad_order", N_("The end date must not be before the start date.")
        )
    awal = format_date(a, "d MMMM" if a.year == b.year else "d MMMM y", locale=loc)
    akhir = format_date(b, "d MMMM y", locale=loc)
    return awal + " " + _KATA[loc]["sampai"] + " " + akhir


def zona_dari_offset(minutes: int) -> str:
    """UTC offset in minutes → "WIB" (420), "WITA" (480), "WIT" (540), else "UTC+hh:mm"."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or abs(minutes) >= 24 * 60:
        raise ValidationError(
            "offset", "out_of_range", N_("The UTC offset must be a whole number of minutes.")
        )
    for nama, offset in ZONA_WAKTU.items():
        if offset == minutes:
            return nama
    sign = "-" if minutes < 0 else "+"
    jam, menit = divmod(abs(minutes), 60)
    return "UTC" + sign + str(jam).zfill(2) + ":" + str(menit).zfill(2)


def format_jam(
    t: dt.time | dt.datetime, zona: str | None = "WIB", locale: str | None = None
) -> str:
    """Clock time: id "pukul 07.30 WIB", en "07:30 WIB"; seconds are dropped (not rounded).

    `zona` is WIB, WITA, WIT, a "UTC+hh:mm" label from `zona_dari_offset`, or None to omit.
    """
    loc = _locale(locale)
    if isinstance(t, dt.datetime):
        t = t.time()
    if not isinstance(t, dt.time):
        raise ValidationError("jam", "bad_time", N_("The value must be a time of day."))
    if zona is not None and zona not in ZONA_WAKTU and not _ZONA_UTC.fullmatch(zona):
        raise ValidationError(
            "zona", "unknown", N_("Unknown time zone {zona}; use WIB, WITA or WIT."), zona=zona
        )
    pemisah = "." if loc == "id" else ":"
    teks = _KATA[loc]["pukul"] + str(t.hour).zfill(2) + pemisah + str(t.minute).zfill(2)
    return teks if zona is None else teks + " " + zona


def format_durasi_menit(m: int, locale: str | None = None) -> str:
    """Duration: id "7 jam 30 menit", "1 jam", "0 menit"; en "7 hours 30 minutes"."""
    loc = _locale(locale)
    if isinstance(m, bool) or not isinstance(m, int):
        raise ValidationError("durasi", "bad_type", N_("The duration must be whole minutes."))
    if m < 0:
        raise ValidationError("durasi", "negative", N_("The duration must not be negative."))
    jam, menit = divmod(m, 60)
    if loc == "id":
        bagian = ([str(jam) + " jam"] if jam else []) + ([str(menit) + " menit"] if menit else [])
        return " ".join(bagian) or "0 menit"
    bagian = []
    if jam:
        bagian.append(str(jam) + (" hour" if jam == 1 else " hours"))
    if menit or not jam:
        bagian.append(str(menit) + (" minute" if menit == 1 else " minutes"))
    return " ".join(bagian)
