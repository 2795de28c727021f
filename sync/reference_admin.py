"""HR's organisation settings on the office server: periods, service types, holidays and the
capaian kinerja organisasi of a unit, as plain calls over `SyncClient.rest` (no Qt).

Every call is online. Bodies are checked here first with the server's own rules, so most
mistakes name their field before anything is sent; a refusal from the server becomes a
`ValidationError` on the field the server named (or the one its code implies), in words.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from asndesk.domain.activity import new_jenis_layanan
from asndesk.domain.calendar import TAHUN_MAKS, TAHUN_MIN, parse_calendar_json
from asndesk.domain.ratings import CapaianOrganisasi
from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import N_
from sync.client import SyncError

NOMOR_MAKS = {"bulanan": 12, "triwulan": 4, "semester": 2, "tahunan": 1}
POLA = ("bulanan", "triwulanan", "semesteran")
JENIS_LIBUR = ("libur_nasional", "cuti_bersama")
MAX_HOLIDAYS_PER_YEAR = 100  # the server's limit (calendar_routes.MAX_DAYS_PER_YEAR)
MAKS_KODE, MAKS_NAMA, MAKS_STANDAR = 32, 200, 365  # reference_routes.ServiceTypeBody
# Codes that mean the server was not reached or would not talk to this device at all.
NOT_REACHED = frozenset({"network", "not_connected", "no_session", "unauthenticated",
                         "refresh_failed", "insecure_url", "bad_url", "not_protocol",
                         "bad_answer", "bad_body", "internal_error", "http_error",
                         "tls_untrusted"})


class RestClient(Protocol):
    def rest(self, method: str, path: str, *, json_body: Any = None, content: bytes | None = None,
             content_type: str | None = None, params: dict[str, Any] | None = None) -> Any: ...


# What each refusal code means, and the field it lands on when the server names none.
_REFUSALS: dict[str, tuple[str, str | None]] = {
    "exists": (N_("This already exists on the server."), None),
    "other_pattern": (N_("The year already has periods of another pattern; a year has one "
                         "pattern (monthly, quarterly or semester)."), "jenis"),
    "out_of_range": (N_("The value is outside the allowed range."), None),
    "wrong_year": (N_("The date must fall in the chosen year."), "mulai"),
    "end_before_start": (N_("The end date is before the start date."), "selesai"),
    "deadline_before_end": (N_("The input deadline must not be before the end of the "
                               "period."), "batas_pengisian"),
    "duplicate_kode": (N_("Another service type already uses this code."), "kode"),
    "not_found": (N_("The server no longer has this record. Refresh the list."), None),
    "forbidden": (N_("Only HR officers and administrators may change this on the office "
                     "server."), None),
    "invalid_request": (N_("The office server did not accept these values. Check the "
                           "fields."), None),
    "too_many": (N_("A year may hold at most {max} holidays."), "hari"),
    "missing": (N_("This value is required."), None),
    "too_long": (N_("The text is too long."), None),
    "invalid": (N_("The office server does not know this value."), None),
}


_NOT_ABOUT_A_FIELD = frozenset({"forbidden", "not_found", "invalid_request"})


class ServerRefused(UserFacingError):
    """The office server refused a change and named no field we can show it on."""

    message_id = N_("The office server refused the change ({code}).")

    def __init__(self, code: str, message_id: str | None = None, **params: Any) -> None:
        self.code = code
        super().__init__(message_id, code=code, **params)


def refusal(exc: SyncError, default_field: str | None = None) -> UserFacingError:
    """The server's refusal in words, on the field it named (else on `default_field`, else
    the field its code implies)."""
    code = exc.code
    message, implied = _REFUSALS.get(code, (None, None))
    if code == "exists" and default_field:
        implied = default_field
    field = getattr(exc, "field", None) or implied or (
        None if code in _NOT_ABOUT_A_FIELD else default_field)
    if message is None:
        if field:
            return ValidationError(field, code, N_("The office server refused this value "
                                                   "({reason})."), reason=code)
        return ServerRefused(code)
    if field:
        return ValidationError(field, code, message, max=MAX_HOLIDAYS_PER_YEAR)
    return ServerRefused(code, message, max=MAX_HOLIDAYS_PER_YEAR)


def _call(client: RestClient, method: str, path: str, *, field: str | None = None,
          **kwargs: Any) -> Any:
    """One REST call; refusals (4xx) become field errors, offline/login errors pass on."""
    try:
        return client.rest(method, path, **kwargs)
    except SyncError as exc:
        if type(exc) is not SyncError or exc.code in NOT_REACHED:
            raise  # TransientError, NeedsLogin, DeviceRevoked …: the caller says "needs server"
        raise refusal(exc, field) from None


def _tahun(tahun: int, field: str = "tahun") -> int:
    if isinstance(tahun, bool) or not isinstance(tahun, int) or \
            not TAHUN_MIN <= tahun <= TAHUN_MAKS:
        raise ValidationError(field, "out_of_range", N_("The year must be between {min} and "
                                                        "{max}."), min=TAHUN_MIN, max=TAHUN_MAKS)
    return tahun


# -- periods -----------------------------------------------------------------------------------
def check_period(tahun: int, jenis: str, nomor: int, *, mulai: str, selesai: str,
                 batas_pengisian: str) -> None:
    """The server's checks of a period, so the field is named before anything is sent."""
    _tahun(tahun)
    if jenis not in NOMOR_MAKS:
        raise ValidationError("jenis", "unknown", N_("Unknown value {value}."), value=jenis)
    if not 1 <= nomor <= NOMOR_MAKS[jenis]:
        raise ValidationError("nomor", "out_of_range", N_(
            "The number must be between 1 and {max} for this kind of period."),
            max=NOMOR_MAKS[jenis])
    start, end = date.fromisoformat(mulai), date.fromisoformat(selesai)
    for name, day in (("mulai", start), ("selesai", end)):
        if day.year != tahun:
            raise ValidationError(name, "wrong_year", N_("The date must fall in the year "
                                                         "{tahun}."), tahun=tahun)
    if end < start:
        raise ValidationError("selesai", "end_before_start", _REFUSALS["end_before_start"][0])
    if date.fromisoformat(batas_pengisian) < end:
        raise ValidationError("batas_pengisian", "deadline_before_end",
                              _REFUSALS["deadline_before_end"][0])


def list_periods(client: RestClient, tahun: int) -> list[dict[str, Any]]:
    """The year's periods on the server, in order, the annual one last."""
    return list(_call(client, "GET", "/ref/periods", params={"tahun": _tahun(tahun)}))


def create_period(client: RestClient, *, tahun: int, jenis: str, nomor: int, mulai: str,
                  selesai: str, batas_pengisian: str) -> dict[str, Any]:
    check_period(tahun, jenis, nomor, mulai=mulai, selesai=selesai,
                 batas_pengisian=batas_pengisian)
    body = {"tahun": tahun, "jenis": jenis, "nomor": nomor, "mulai": mulai,
            "selesai": selesai, "batas_pengisian": batas_pengisian}
    return dict(_call(client, "POST", "/ref/periods", json_body=body, field="nomor"))


def update_period(client: RestClient, period: dict[str, Any], *, mulai: str, selesai: str,
                  batas_pengisian: str) -> dict[str, Any]:
    """Move a period's dates and deadline (`period` as listed: its year, kind and number)."""
    check_period(int(period["tahun"]), str(period["jenis"]), int(period["nomor"]),
                 mulai=mulai, selesai=selesai, batas_pengisian=batas_pengisian)
    body = {"mulai": mulai, "selesai": selesai, "batas_pengisian": batas_pengisian}
    return dict(_call(client, "PATCH", f"/ref/periods/{period['id']}", json_body=body))


def close_period(client: RestClient, period_id: str) -> dict[str, Any]:
    return dict(_call(client, "POST", f"/ref/periods/{period_id}/close"))


def reopen_period(client: RestClient, period_id: str) -> dict[str, Any]:
    return dict(_call(client, "POST", f"/ref/periods/{period_id}/reopen"))


def generate_periods(client: RestClient, tahun: int, pola: str, batas_hari_kerja: int = 5
                     ) -> list[dict[str, Any]]:
    """A year's periods from a pattern plus the annual one; existing ones are kept."""
    _tahun(tahun)
    if pola not in POLA:
        raise ValidationError("pola", "unknown", N_("Unknown value {value}."), value=pola)
    if not 0 <= batas_hari_kerja <= 60:
        raise ValidationError("batas_hari_kerja", "out_of_range", N_(
            "The number of working days must be between 0 and 60."))
    body = {"tahun": tahun, "pola": pola, "batas_hari_kerja": batas_hari_kerja}
    return list(_call(client, "POST", "/ref/periods/generate", json_body=body, field="pola"))


# -- service types ---------------------------------------------------------------------------
def list_service_types(client: RestClient, *, semua: bool = True) -> list[dict[str, Any]]:
    """Service types by kode; with `semua` the deactivated ones too."""
    return list(_call(client, "GET", "/ref/service-types",
                      params={"semua": "true" if semua else "false"}))


def check_service_type(kode: str, nama: str, standar_hari_kerja: int, item_id: str = "baru"
                       ) -> Any:
    """The server's checks of a service type (a validated `JenisLayanan`)."""
    checked = new_jenis_layanan(id=item_id, kode=kode, nama=nama,
                                standar_hari_kerja=standar_hari_kerja)
    for name, text, most in (("kode", checked.kode, MAKS_KODE), ("nama", checked.nama,
                                                                  MAKS_NAMA)):
        if len(text) > most:
            raise ValidationError(name, "too_long", N_(
                "At most {max} characters on the office server."), max=most)
    if checked.standar_hari_kerja > MAKS_STANDAR:
        raise ValidationError("standar_hari_kerja", "out_of_range", N_(
            "At most {max} working days."), max=MAKS_STANDAR)
    return checked


def create_service_type(client: RestClient, kode: str, nama: str, standar_hari_kerja: int
                        ) -> dict[str, Any]:
    checked = check_service_type(kode, nama, standar_hari_kerja)
    body = {"kode": checked.kode, "nama": checked.nama,
            "standar_hari_kerja": checked.standar_hari_kerja}
    return dict(_call(client, "POST", "/ref/service-types", json_body=body, field="kode"))


def update_service_type(client: RestClient, item: dict[str, Any], *, nama: str,
                        standar_hari_kerja: int, aktif: bool | None = None) -> dict[str, Any]:
    """Rename or change the standard time (the kode never changes); `aktif` (re)activates."""
    checked = check_service_type(str(item["kode"]), nama, standar_hari_kerja, str(item["id"]))
    body: dict[str, Any] = {"nama": checked.nama,
                            "standar_hari_kerja": checked.standar_hari_kerja}
    if aktif is not None:
        body["aktif"] = aktif
    return dict(_call(client, "PATCH", f"/ref/service-types/{item['id']}", json_body=body))


def deactivate_service_type(client: RestClient, type_id: str) -> dict[str, Any]:
    return dict(_call(client, "POST", f"/ref/service-types/{type_id}/deactivate"))


# -- holidays --------------------------------------------------------------------------------
def list_holidays(client: RestClient, tahun: int) -> list[dict[str, Any]]:
    """The days the server holds for a year (empty: devices use the shipped calendar)."""
    return list(_call(client, "GET", "/ref/holidays", params={"tahun": _tahun(tahun)}))


def check_holiday(tanggal: str, nama: str, jenis: str) -> None:
    _tahun(date.fromisoformat(tanggal).year, "tanggal")
    if not nama.strip():
        raise ValidationError("nama", "missing", N_("This value is required."))
    if len(nama.strip()) > MAKS_NAMA:
        raise ValidationError("nama", "too_long", N_(
            "At most {max} characters on the office server."), max=MAKS_NAMA)
    if jenis not in JENIS_LIBUR:
        raise ValidationError("jenis", "unknown", N_("Unknown value {value}."), value=jenis)


def add_holiday(client: RestClient, tanggal: str, nama: str, jenis: str) -> dict[str, Any]:
    check_holiday(tanggal, nama, jenis)
    body = {"tanggal": date.fromisoformat(tanggal).isoformat(), "nama": nama.strip(),
            "jenis": jenis}
    return dict(_call(client, "POST", "/ref/holidays", json_body=body, field="tanggal"))


def delete_holiday(client: RestClient, tanggal: str) -> dict[str, Any]:
    return dict(_call(client, "DELETE", f"/ref/holidays/{date.fromisoformat(tanggal)}"))


def read_calendar_file(path: Path | str) -> dict[str, Any]:
    """A `libur-YYYY.json` file, decoded and checked (field "berkas" when it is unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise ValidationError("berkas", "unreadable", N_(
            "The file could not be read as a holiday calendar (libur-YYYY.json).")) from None
    calendar = parse_calendar_json(data)
    if len(calendar) > MAX_HOLIDAYS_PER_YEAR:
        raise ValidationError("berkas", "too_many", _REFUSALS["too_many"][0],
                              max=MAX_HOLIDAYS_PER_YEAR)
    return dict(data)


def put_holidays(client: RestClient, tahun: int, calendar: dict[str, Any]) -> dict[str, Any]:
    """Replace the year's days with a calendar file's; returns added/updated/removed/total."""
    _tahun(tahun)
    if calendar.get("tahun") != tahun:
        raise ValidationError("berkas", "wrong_year", N_(
            "The file is the calendar of {found}, not of {tahun}."),
            found=calendar.get("tahun"), tahun=tahun)
    parse_calendar_json(calendar)
    return dict(_call(client, "PUT", f"/ref/holidays/{tahun}", json_body=calendar,
                      field="berkas"))


# -- the organisation predicate --------------------------------------------------------------
def set_unit_capaian(client: RestClient, unit_id: str, tahun: int,
                     capaian: CapaianOrganisasi | str | None) -> Any:
    """Set (or clear, with None) the unit's capaian kinerja organisasi for a year."""
    _tahun(tahun)
    try:
        value = None if capaian in (None, "") else CapaianOrganisasi(capaian).value
    except ValueError:
        raise ValidationError("capaian", "unknown", N_("Unknown value {value}."),
                              value=str(capaian)) from None
    return _call(client, "PUT", f"/admin/units/{unit_id}/capaian/{tahun}",
                 json_body={"capaian": value}, field="capaian")
