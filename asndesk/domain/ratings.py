"""Ratings, predikat kinerja (SE MenPANRB 3/2023), distribution guidance and angka kredit.

All arithmetic is exact (Fraction/Decimal): the 70 %, 60 % and 10 % limits are compared exactly.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from asndesk.domain.formatting import bulatkan, format_angka
from asndesk.errors import ValidationError
from asndesk.i18n import N_, gettext, gettext_in


class Rating(enum.StrEnum):
    """Rating Hasil Kerja / Rating Perilaku Kerja given by the Pejabat Penilai Kinerja."""

    DI_ATAS_EKSPEKTASI = "Di Atas Ekspektasi"
    SESUAI_EKSPEKTASI = "Sesuai Ekspektasi"
    DI_BAWAH_EKSPEKTASI = "Di Bawah Ekspektasi"


class Predikat(enum.StrEnum):
    """Predikat Kinerja Pegawai, always computed from the two ratings."""

    SANGAT_BAIK = "Sangat Baik"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang/Misconduct"
    SANGAT_KURANG = "Sangat Kurang"


class CapaianOrganisasi(enum.StrEnum):
    """Capaian kinerja organisasi set by the pimpinan of the unit."""

    ISTIMEWA = "Istimewa"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang"
    SANGAT_KURANG = "Sangat Kurang"


class JenjangFungsional(enum.StrEnum):
    """Jenjang of a Jabatan Fungsional (keterampilan, then keahlian)."""

    PEMULA = "Pemula"
    TERAMPIL = "Terampil"
    MAHIR = "Mahir"
    PENYELIA = "Penyelia"
    AHLI_PERTAMA = "Ahli Pertama"
    AHLI_MUDA = "Ahli Muda"
    AHLI_MADYA = "Ahli Madya"
    AHLI_UTAMA = "Ahli Utama"


_A, _S, _B = Rating.DI_ATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DI_BAWAH_EKSPEKTASI

# Keyed (rating hasil kerja, rating perilaku); transcribed from the SE 3/2023 matrix.
MATRIKS_PREDIKAT: Mapping[tuple[Rating, Rating], Predikat] = MappingProxyType(
    {
        (_A, _A): Predikat.SANGAT_BAIK,
        (_A, _S): Predikat.BAIK,
        (_A, _B): Predikat.KURANG,
        (_S, _A): Predikat.BAIK,
        (_S, _S): Predikat.BAIK,
        (_S, _B): Predikat.KURANG,
        (_B, _A): Predikat.BUTUH_PERBAIKAN,
        (_B, _S): Predikat.BUTUH_PERBAIKAN,
        (_B, _B): Predikat.SANGAT_KURANG,
    }
)

PERSENTASE_ANGKA_KREDIT: Mapping[Predikat, Decimal] = MappingProxyType(
    {
        Predikat.SANGAT_BAIK: Decimal("1.50"),
        Predikat.BAIK: Decimal("1.00"),
        Predikat.BUTUH_PERBAIKAN: Decimal("0.75"),
        Predikat.KURANG: Decimal("0.50"),
        Predikat.SANGAT_KURANG: Decimal("0.25"),
    }
)
"""Share of the annual coefficient earned per predikat (Peraturan BKN 3/2023)."""

KOEFISIEN_TAHUNAN: Mapping[JenjangFungsional, Decimal] = MappingProxyType(
    {
        JenjangFungsional.PEMULA: Decimal("3.75"),
        JenjangFungsional.TERAMPIL: Decimal("5"),
        JenjangFungsional.MAHIR: Decimal("12.5"),
        JenjangFungsional.PENYELIA: Decimal("25"),
        JenjangFungsional.AHLI_PERTAMA: Decimal("12.5"),
        JenjangFungsional.AHLI_MUDA: Decimal("25"),
        JenjangFungsional.AHLI_MADYA: Decimal("37.5"),
        JenjangFungsional.AHLI_UTAMA: Decimal("50"),
    }
)
"""Annual angka kredit coefficient per jenjang (Peraturan BKN 3/2023)."""

ANGKA_KREDIT_DESIMAL = 3
"""Angka kredit is rounded half-up to this many decimals."""

E = TypeVar("E", bound=enum.StrEnum)


def _enum_value(cls: type[E], value: object, field_name: str) -> E:
    """Accept a member of `cls` or its exact string value; anything else names `field_name`."""
    if value is None or value == "":
        raise ValidationError(field_name, "missing", N_("This value is required."))
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
    raise ValidationError(field_name, "unknown", N_("Unknown value {value}."), value=str(value))


def predikat_kinerja(
    rating_hasil_kerja: Rating | str | None, rating_perilaku: Rating | str | None
) -> Predikat:
    """Predikat Kinerja Pegawai from the two ratings; a missing rating is an error, never a default.

    Raises ValidationError with field "rating_hasil_kerja" or "rating_perilaku".
    """
    hasil = _enum_value(Rating, rating_hasil_kerja, "rating_hasil_kerja")
    perilaku = _enum_value(Rating, rating_perilaku, "rating_perilaku")
    return MATRIKS_PREDIKAT[(hasil, perilaku)]


@dataclass(frozen=True)
class DistributionWarning:
    """One way the unit's predikat distribution departs from the SE 3/2023 guidance."""

    code: str
    message_id: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, locale: str | None = None) -> str:
        """The warning in `locale` (default: the current one); Decimal parameters use that
        language's number format."""
        shown: dict[str, Any] = {}
        for key, value in self.params.items():
            if isinstance(value, Decimal):
                exponent = value.as_tuple().exponent
                places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                shown[key] = format_angka(value, places, locale)
            else:
                shown[key] = value
        text = gettext(self.message_id) if locale is None else gettext_in(locale,
                                                                            self.message_id)
        return text.format(**shown)


Jenis = Literal["max", "min", "at_least_one", "none"]


@dataclass(frozen=True)
class _Aturan:
    code: str
    predikat: tuple[Predikat, ...]
    jenis: Jenis
    batas: int = 0  # percent


_MSG: dict[tuple[Jenis, int], str] = {
    ("max", 1): N_(
        "{actual}% of employees have predikat {predikat}; for capaian kinerja organisasi "
        "{capaian} the guidance is at most {limit}%."
    ),
    ("min", 1): N_(
        "{actual}% of employees have predikat {predikat}; for capaian kinerja organisasi "
        "{capaian} the guidance is at least {limit}%."
    ),
    ("min", 2): N_(
        "{actual}% of employees have predikat {predikat} or {predikat_lain}; for capaian "
        "kinerja organisasi {capaian} the guidance is at least {limit}%."
    ),
    ("at_least_one", 2): N_(
        "No employee has predikat {predikat} or {predikat_lain}; for capaian kinerja "
        "organisasi {capaian} the guidance is at least one."
    ),
    ("none", 1): N_(
        "Employees with predikat {predikat}: {count}; for capaian kinerja organisasi "
        "{capaian} the guidance is none."
    ),
}

_P = Predikat
ATURAN_DISTRIBUSI: Mapping[CapaianOrganisasi, tuple[_Aturan, ...]] = MappingProxyType(
    {
        CapaianOrganisasi.ISTIMEWA: (
            _Aturan("sangat_baik_above_max", (_P.SANGAT_BAIK,), "max", 70),
        ),
        CapaianOrganisasi.BAIK: (
            _Aturan("baik_above_max", (_P.BAIK,), "max", 70),
            _Aturan(
                "butuh_perbaikan_or_kurang_missing",
                (_P.BUTUH_PERBAIKAN, _P.KURANG),
                "at_least_one",
            ),
        ),
        CapaianOrganisasi.BUTUH_PERBAIKAN: (
            _Aturan("butuh_perbaikan_below_min", (_P.BUTUH_PERBAIKAN,), "min", 60),
            _Aturan("sangat_baik_above_max", (_P.SANGAT_BAIK,), "max", 10),
        ),
        CapaianOrganisasi.KURANG: (
            _Aturan("kurang_below_min", (_P.KURANG,), "min", 60),
            _Aturan("butuh_perbaikan_below_min", (_P.BUTUH_PERBAIKAN,), "min", 10),
            _Aturan("sangat_baik_above_max", (_P.SANGAT_BAIK,), "max", 10),
        ),
        CapaianOrganisasi.SANGAT_KURANG: (
            _Aturan("sangat_kurang_below_min", (_P.SANGAT_KURANG,), "min", 60),
            _Aturan(
                "kurang_or_butuh_perbaikan_below_min", (_P.KURANG, _P.BUTUH_PERBAIKAN), "min", 10
            ),
            _Aturan("sangat_baik_not_allowed", (_P.SANGAT_BAIK,), "none"),
        ),
    }
)
"""SE 3/2023 guidance per capaian kinerja organisasi (percent limits are inclusive)."""


def _validasi_jumlah(counts: Mapping[Predikat, int]) -> dict[Predikat, int]:
    jumlah = dict.fromkeys(Predikat, 0)
    for key, value in counts.items():
        predikat = _enum_value(Predikat, key, "counts")
        name = "counts[" + predikat.value + "]"
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(name, "bad_type", N_("The count must be a whole number."))
        if value < 0:
            raise ValidationError(name, "negative", N_("The count must not be negative."))
        jumlah[predikat] += value
    return jumlah


def distribution_warnings(
    capaian: CapaianOrganisasi | str, counts: Mapping[Predikat, int]
) -> list[DistributionWarning]:
    """Warnings where the unit's predikat counts depart from the SE 3/2023 guidance.

    Missing predikat count as 0; an empty unit gets no warnings. Only bad input raises
    (unknown capaian or predikat, negative or non-integer counts). Params of each warning:
    `capaian`, `predikat` (and `predikat_lain`), `count`, `total`, plus for percentage rules
    `actual` (percent, 2 decimals, half-up, display only) and `limit` (percent).
    """
    cap = _enum_value(CapaianOrganisasi, capaian, "capaian_kinerja_organisasi")
    jumlah = _validasi_jumlah(counts)
    total = sum(jumlah.values())
    if total == 0:
        return []
    hasil: list[DistributionWarning] = []
    for aturan in ATURAN_DISTRIBUSI[cap]:
        count = sum(jumlah[p] for p in aturan.predikat)
        persen = Fraction(count * 100, total)
        if aturan.jenis == "max":
            melanggar = persen > aturan.batas
        elif aturan.jenis == "min":
            melanggar = persen < aturan.batas
        elif aturan.jenis == "at_least_one":
            melanggar = count == 0
        else:
            melanggar = count > 0
        if not melanggar:
            continue
        params: dict[str, Any] = {
            "capaian": cap.value,
            "predikat": aturan.predikat[0].value,
            "count": count,
            "total": total,
        }
        if len(aturan.predikat) > 1:
            params["predikat_lain"] = aturan.predikat[1].value
        if aturan.jenis in ("max", "min"):
            params["actual"] = bulatkan(persen, 2)
            params["limit"] = Decimal(aturan.batas)
        message_id = _MSG[(aturan.jenis, len(aturan.predikat))]
        hasil.append(DistributionWarning(aturan.code, message_id, params))
    return hasil


def angka_kredit(
    predikat: Predikat | str, jenjang: JenjangFungsional | str, months: int = 12
) -> Decimal:
    """Angka kredit earned: percentage × annual coefficient × months/12.

    Exact arithmetic, then rounded half-up to 3 decimals (Baik, Ahli Muda, 12 → 25.000;
    Sangat Baik, Pemula, 1 → 0.469). `months` must be 1..12.
    """
    pred = _enum_value(Predikat, predikat, "predikat")
    jen = _enum_value(JenjangFungsional, jenjang, "jenjang")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
        raise ValidationError(
            "months", "out_of_range", N_("The number of months must be between 1 and 12.")
        )
    nilai = Fraction(PERSENTASE_ANGKA_KREDIT[pred]) * Fraction(KOEFISIEN_TAHUNAN[jen]) * months / 12
    return bulatkan(nilai, ANGKA_KREDIT_DESIMAL)


URUTAN_PREDIKAT: tuple[Predikat, ...] = (
    Predikat.SANGAT_KURANG, Predikat.KURANG, Predikat.BUTUH_PERBAIKAN, Predikat.BAIK,
    Predikat.SANGAT_BAIK,
)
"""Left to right on the curve, as in the SE 3/2023 figures."""

# The shape of each pattern, in relative units (not counts), following the figures of
# SE MenPANRB 3/2023: where the bulk of the unit's predikat is expected for each capaian.
# *(assumed)*: the SE gives curves, not numbers; these heights only reproduce their shape
# and respect its percentage limits (e.g. Istimewa keeps Sangat Baik at or below 70 %).
POLA_DISTRIBUSI: Mapping[CapaianOrganisasi, tuple[int, ...]] = MappingProxyType({
    CapaianOrganisasi.ISTIMEWA: (2, 4, 10, 34, 50),
    CapaianOrganisasi.BAIK: (3, 7, 15, 60, 15),
    CapaianOrganisasi.BUTUH_PERBAIKAN: (5, 15, 60, 15, 5),
    CapaianOrganisasi.KURANG: (10, 60, 20, 7, 3),
    CapaianOrganisasi.SANGAT_KURANG: (60, 20, 12, 8, 0),
})
