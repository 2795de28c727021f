"""Identity numbers (NIP, NI PPPK, NIP lama), golongan/pangkat and printed names.

Numbers have no check digit: we validate structure and plausibility, and warn on odd ages.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from types import MappingProxyType
from typing import Any, Literal

from asndesk.errors import ValidationError
from asndesk.i18n import N_, gettext

# Age (completed years) at TMT CPNS / appointment outside which we warn, never block.
# PNS: 18 is the legal minimum (PP 11/2017); 46 allows the honorer appointments of
# PP 48/2005 (regular CPNS intake stops at 35, or 40 for some positions).
USIA_MIN_CPNS, USIA_MAKS_CPNS = 18, 46
# PPPK: 18 minimum; up to one year before the retirement age of the position (≤ 65 for some
# jabatan fungsional), so we warn only above 64.
USIA_MIN_PPPK, USIA_MAKS_PPPK = 18, 64

JenisKelamin = Literal["L", "P"]
_KELAMIN: dict[str, JenisKelamin] = {"1": "L", "2": "P"}
_DIGIT18 = re.compile(r"[0-9]{18}")


class JenisPegawai(enum.StrEnum):
    """Kind of ASN, which decides how the 18-digit number is read."""

    PNS = "PNS"
    PPPK = "PPPK"


@dataclass(frozen=True)
class IdentityWarning:
    """A plausibility warning about an identity number (shown, never blocking)."""

    code: str
    message_id: str
    params: dict[str, Any] = dc_field(default_factory=dict)

    def message(self) -> str:
        """The warning in the current locale."""
        return gettext(self.message_id).format(**self.params)


@dataclass(frozen=True)
class Nip:
    """A parsed NIP (PNS). `nip` holds the 18 digits; `grouped` is the printed form."""

    nip: str
    tanggal_lahir: dt.date
    tmt_cpns: tuple[int, int]
    """(year, month) of TMT CPNS."""
    jenis_kelamin: JenisKelamin
    nomor_urut: int
    warnings: tuple[IdentityWarning, ...] = ()

    @property
    def grouped(self) -> str:
        """ "19860926 201505 1 001"."""
        n = self.nip
        return n[:8] + " " + n[8:14] + " " + n[14] + " " + n[15:]

    def __str__(self) -> str:
        return self.nip


@dataclass(frozen=True)
class NiPppk:
    """A parsed Nomor Induk PPPK. `nomor` holds the 18 digits; `grouped` is the printed form."""

    nomor: str
    tanggal_lahir: dt.date
    tahun_pengangkatan: int
    kode: str
    """Two-digit code (00–99); not a month."""
    jenis_kelamin: JenisKelamin
    nomor_urut: int
    warnings: tuple[IdentityWarning, ...] = ()

    @property
    def grouped(self) -> str:
        """ "19900101 2022 21 1 001"."""
        n = self.nomor
        return n[:8] + " " + n[8:12] + " " + n[12:14] + " " + n[14] + " " + n[15:]

    def __str__(self) -> str:
        return self.nomor


def _digits(text: object, length: int, field_name: str) -> str:
    """Remove all whitespace and require exactly `length` ASCII digits."""
    if not isinstance(text, str):
        raise ValidationError(field_name, "missing", N_("This value is required."))
    compact = "".join(text.split())
    if not compact:
        raise ValidationError(field_name, "missing", N_("This value is required."))
    if not compact.isascii() or not compact.isdigit():
        raise ValidationError(field_name, "bad_chars", N_("Only digits are allowed."))
    if len(compact) != length:
        raise ValidationError(
            field_name,
            "bad_length",
            N_("The number must have {length} digits, not {actual}."),
            length=length,
            actual=len(compact),
        )
    return compact


def _tanggal_lahir(digits: str, field_name: str) -> dt.date:
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            field_name, "bad_date", N_("The birth date in the number is not a real date.")
        ) from None


def _kelamin_urut(digits: str, field_name: str) -> tuple[JenisKelamin, int]:
    kelamin = _KELAMIN.get(digits[14])
    if kelamin is None:
        raise ValidationError(
            field_name, "bad_sex", N_("The sex digit must be 1 (male) or 2 (female).")
        )
    urut = int(digits[15:])
    if urut == 0:
        raise ValidationError(
            field_name, "bad_sequence", N_("The sequence number must be 001 to 999.")
        )
    return kelamin, urut


def _usia(lahir: dt.date, tahun: int, bulan: int) -> int:
    """Completed years of age on the first day of (tahun, bulan)."""
    return tahun - lahir.year - ((bulan, 1) < (lahir.month, lahir.day))


def _peringatan_usia(usia: int, minimum: int, maksimum: int) -> tuple[IdentityWarning, ...]:
    if usia < minimum:
        return (
            IdentityWarning(
                "age_too_low",
                N_("The number implies an age of {age} at appointment (below {limit})."),
                {"age": usia, "limit": minimum},
            ),
        )
    if usia > maksimum:
        return (
            IdentityWarning(
                "age_too_high",
                N_("The number implies an age of {age} at appointment (above {limit})."),
                {"age": usia, "limit": maksimum},
            ),
        )
    return ()


def parse_nip(text: str, field: str = "nip") -> Nip:
    """Parse a PNS NIP, plain ("198609262015051001") or grouped ("19860926 201505 1 001").

    Whitespace anywhere is ignored. Checks a real birth date, TMT month 01–12, TMT not before
    the birth month, sex digit 1/2 and sequence 001–999; odd ages at TMT only warn.
    """
    digits = _digits(text, 18, field)
    lahir = _tanggal_lahir(digits, field)
    tmt_tahun, tmt_bulan = int(digits[8:12]), int(digits[12:14])
    if not 1 <= tmt_bulan <= 12:
        raise ValidationError(field, "bad_month", N_("The TMT CPNS month must be 01 to 12."))
    if (tmt_tahun, tmt_bulan) < (lahir.year, lahir.month):
        raise ValidationError(
            field, "tmt_before_birth", N_("The TMT CPNS in the number is before the birth date.")
        )
    kelamin, urut = _kelamin_urut(digits, field)
    warnings = _peringatan_usia(_usia(lahir, tmt_tahun, tmt_bulan), USIA_MIN_CPNS, USIA_MAKS_CPNS)
    return Nip(digits, lahir, (tmt_tahun, tmt_bulan), kelamin, urut, warnings)


def parse_ni_pppk(text: str, field: str = "ni_pppk") -> NiPppk:
    """Parse a Nomor Induk PPPK (18 digits, grouped "19900101 2022 21 1 001" accepted).

    Layout: birth date (8) · year of appointment (4) · code (2, any 00–99, not a month) ·
    sex (1) · sequence (3). Never checked with the PNS month rules.
    """
    digits = _digits(text, 18, field)
    lahir = _tanggal_lahir(digits, field)
    tahun = int(digits[8:12])
    if tahun < lahir.year:
        raise ValidationError(
            field,
            "appointment_before_birth",
            N_("The year of appointment in the number is before the birth year."),
        )
    kelamin, urut = _kelamin_urut(digits, field)
    # Only the year is known, so the age is taken at 1 January of that year.
    warnings = _peringatan_usia(_usia(lahir, tahun, 1), USIA_MIN_PPPK, USIA_MAKS_PPPK)
    return NiPppk(digits, lahir, tahun, digits[12:14], kelamin, urut, warnings)


def parse_nomor_induk(text: str, jenis: JenisPegawai | str) -> Nip | NiPppk:
    """Parse an 18-digit number as a NIP (jenis "PNS") or a NI PPPK (jenis "PPPK")."""
    if jenis == JenisPegawai.PNS:
        return parse_nip(text)
    if jenis == JenisPegawai.PPPK:
        return parse_ni_pppk(text)
    raise ValidationError(
        "jenis_pegawai", "unknown", N_("Unknown kind of employee {value}."), value=str(jenis)
    )


def validate_nip_lama(text: str, field: str = "nip_lama") -> str:
    """The legacy 9-digit NIP lama, whitespace removed."""
    return _digits(text, 9, field)


GOLONGAN_PNS: Mapping[str, str] = MappingProxyType(
    {
        "I/a": "Juru Muda",
        "I/b": "Juru Muda Tingkat I",
        "I/c": "Juru",
        "I/d": "Juru Tingkat I",
        "II/a": "Pengatur Muda",
        "II/b": "Pengatur Muda Tingkat I",
        "II/c": "Pengatur",
        "II/d": "Pengatur Tingkat I",
        "III/a": "Penata Muda",
        "III/b": "Penata Muda Tingkat I",
        "III/c": "Penata",
        "III/d": "Penata Tingkat I",
        "IV/a": "Pembina",
        "IV/b": "Pembina Tingkat I",
        "IV/c": "Pembina Utama Muda",
        "IV/d": "Pembina Utama Madya",
        "IV/e": "Pembina Utama",
    }
)
"""PNS golongan ruang, lowest first, to pangkat."""

GOLONGAN_PPPK: tuple[str, ...] = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip
"""PPPK golongan, lowest first."""

_GOLONGAN = re.compile(r"(IV|I{1,3})\s*[/\-.]?\s*([A-E])", re.IGNORECASE)


def normalisasi_golongan(golongan: str) -> str:
    """Canonical PNS golongan ("III/a") from "III/a", "iii/A", "III-a", "III a", "IIIa", "III.a".

    Anything else, or a ruang that does not exist (I/e), → ValidationError (field "golongan").
    """
    match = _GOLONGAN.fullmatch(golongan.strip()) if isinstance(golongan, str) else None
    kanonik = match[1].upper() + "/" + match[2].lower() if match else None
    if kanonik is None or kanonik not in GOLONGAN_PNS:
        raise ValidationError(
            "golongan",
            "unknown",
            N_("Unknown golongan {value}; write it like III/a."),
            value=str(golongan),
        )
    return kanonik


def pangkat_dari_golongan(golongan: str) -> str:
    """Pangkat of a PNS golongan ("III/a" → "Penata Muda"); spellings as `normalisasi_golongan`."""
    return GOLONGAN_PNS[normalisasi_golongan(golongan)]


def validate_golongan_pppk(golongan: str | int) -> str:
    """Canonical PPPK golongan "I".."XVII" from a Roman numeral (any case) or the number 1–17."""
    teks = str(golongan).strip().upper() if not isinstance(golongan, bool) else ""
    if teks.isascii() and teks.isdigit() and 1 <= int(teks) <= len(GOLONGAN_PPPK):
        return GOLONGAN_PPPK[int(teks) - 1]
    if teks in GOLONGAN_PPPK:
        return teks
    raise ValidationError(
        "golongan_pppk",
        "unknown",
        N_("Unknown PPPK golongan {value}; use I to XVII."),
        value=str(golongan),
    )


def _bersih(value: str | None, field_name: str) -> str:
    """Collapse whitespace; reject control characters."""
    if value is None:
        return ""
    if any(unicodedata.category(ch) == "Cc" and not ch.isspace() for ch in value):
        raise ValidationError(field_name, "bad_chars", N_("The text contains invalid characters."))
    return " ".join(value.split())


def format_nama_lengkap(
    nama: str, gelar_depan: str | None = None, gelar_belakang: str | None = None
) -> str:
    """Printed name with titles: "Dr. Siti Aminah, S.Pd., M.Pd.". Single names are fine."""
    inti = _bersih(nama, "nama")
    if not inti:
        raise ValidationError("nama", "missing", N_("This value is required."))
    depan = _bersih(gelar_depan, "gelar_depan")
    # Users sometimes type the separating comma themselves (", S.Pd."): don't double it.
    belakang = _bersih(gelar_belakang, "gelar_belakang").lstrip(", ").strip()
    hasil = (depan + " " + inti) if depan else inti
    return (hasil + ", " + belakang) if belakang else hasil
