"""Reading values as users type them: dates, times, date-times and decimal numbers.

Accepts the Indonesian forms ("23/11/2026", "07.30", "2,5") as well as ISO ones.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation

from asndesk.errors import ValidationError
from asndesk.i18n import N_

WIB = timezone(timedelta(hours=7), "WIB")

_TGL_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TGL_ID = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")  # 23/11/2026 or 23-11-2026
_JAM = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?")  # 07:30, 07.30, 7:30, 07:30:00
_ZONA = re.compile(r"(?:Z|([+-])(\d{2}):?(\d{2}))")
_ANGKA = re.compile(r"-?\d+(?:[.,]\d+)?")


def wajib(field: str) -> ValidationError:
    """The "missing" ValidationError for `field` (to raise)."""
    return ValidationError(field, "missing", N_("This value is required."))


def parse_tanggal(field: str, value: date | str) -> date:
    """A date from a `date` or from "2026-11-23", "23/11/2026" or "23-11-2026"."""
    if isinstance(value, datetime):
        raise ValidationError(field, "bad_date", N_("The value must be a date without a time."))
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise wajib(field)
    teks = value.strip()
    iso, lokal = _TGL_ISO.fullmatch(teks), _TGL_ID.fullmatch(teks)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if lokal:
            return date(int(lokal[3]), int(lokal[2]), int(lokal[1]))
    except ValueError:
        pass  # 31/02/2026: a well-formed but impossible date
    msg = N_("{value} is not a valid date; write e.g. 23/11/2026 or 2026-11-23.")
    raise ValidationError(field, "bad_date", msg, value=teks)


def parse_jam(field: str, value: time | str) -> time:
    """A time of day from a `time` or from "07:30", "07.30" or "7:30" (seconds optional)."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if not isinstance(value, str) or not value.strip():
        raise wajib(field)
    teks = value.strip()
    cocok = _JAM.fullmatch(teks)
    try:
        if cocok:
            return time(int(cocok[1]), int(cocok[2]), int(cocok[3] or 0))
    except ValueError:
        pass  # 25:00 or 07:61
    raise ValidationError(
        field, "bad_time", N_("{value} is not a valid time; write e.g. 07.30."), value=teks
    )


def parse_waktu(field: str, value: datetime | str, zona_default: tzinfo = WIB) -> datetime:
    """An aware datetime from a `datetime` or "2026-11-20 09:15" (date and time as above,
    optionally followed by an offset such as "+07:00" or "Z"); no offset → `zona_default`."""
    if isinstance(value, datetime):
        return value if value.utcoffset() is not None else value.replace(tzinfo=zona_default)
    if not isinstance(value, str) or not value.strip():
        raise wajib(field)
    teks = value.strip()
    bagian = re.split(r"[ T]+", teks, maxsplit=1)
    if len(bagian) != 2:
        msg = N_("{value} is not a valid date and time; write e.g. 20/11/2026 09.15.")
        raise ValidationError(field, "bad_datetime", msg, value=teks)
    jam_teks, zona = bagian[1], zona_default
    cocok = re.search(r"\s*(Z|[+-]\d{2}:?\d{2})$", jam_teks)
    if cocok:
        z = _ZONA.fullmatch(cocok[1])
        if z is None or (z[2] and (int(z[2]) > 14 or int(z[3]) > 59)):
            raise ValidationError(
                field, "bad_offset", N_("{value} has an invalid UTC offset."), value=teks
            )
        if z[1]:
            menit = (int(z[2]) * 60 + int(z[3])) * (-1 if z[1] == "-" else 1)
            zona = timezone(timedelta(minutes=menit))
        else:
            zona = UTC
        jam_teks = jam_teks[: cocok.start()]
    return datetime.combine(parse_tanggal(field, bagian[0]), parse_jam(field, jam_teks), zona)


def parse_angka(field: str, value: Decimal | int | str | None) -> Decimal | None:
    """A number from a Decimal/int or text with a decimal comma or point ("2,5", "2.5");
    empty → None. Floats are refused: they cannot hold amounts like 0,1 exactly."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError(field, "bad_number", N_("The value must be a number."))
    if isinstance(value, str):
        teks = value.strip()
        if not _ANGKA.fullmatch(teks):
            msg = N_("{value} is not a number; write e.g. 2 or 2,5.")
            raise ValidationError(field, "bad_number", msg, value=teks)
        value = teks.replace(",", ".")
    try:
        hasil = Decimal(value)
    except InvalidOperation:
        hasil = Decimal("NaN")
    if not hasil.is_finite():
        raise ValidationError(field, "bad_number", N_("The value must be a number."))
    return hasil


def server_instant(text: object) -> datetime | None:
    """An ISO instant as the server writes it ("…Z" or an offset; UTC when it has none), or
    None when it is missing or unreadable (never raised: it only informs a view)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)
