"""Survei Kepuasan Masyarakat: Indeks Kepuasan Masyarakat (IKM) per PermenPANRB 14/2017.

Exact arithmetic (Fraction): the weight is exactly 1/9 and the A–D boundaries are compared exactly.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from asndesk.domain.formatting import bulatkan
from asndesk.errors import ValidationError
from asndesk.i18n import N_

UNSUR_SKM: Mapping[str, str] = MappingProxyType(
    {
        "U1": "Persyaratan",
        "U2": "Sistem, Mekanisme, dan Prosedur",
        "U3": "Waktu Penyelesaian",
        "U4": "Biaya/Tarif",
        "U5": "Produk Spesifikasi Jenis Pelayanan",
        "U6": "Kompetensi Pelaksana",
        "U7": "Perilaku Pelaksana",
        "U8": "Penanganan Pengaduan, Saran dan Masukan",
        "U9": "Sarana dan Prasarana",
    }
)
"""The nine SKM elements, keyed by their stable codes U1–U9, in official order."""

NILAI_MIN, NILAI_MAKS = 1, 4
KONVERSI = 25
"""Factor from the 1–4 scale to the 25–100 scale."""


class MutuPelayanan(enum.StrEnum):
    """Mutu pelayanan (A–D) of a service unit from its converted IKM."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def kinerja_unit(self) -> str:
        """The official label: Sangat Baik, Baik, Kurang Baik, Tidak Baik."""
        return _KINERJA_UNIT[self]


_KINERJA_UNIT = {
    MutuPelayanan.A: "Sangat Baik",
    MutuPelayanan.B: "Baik",
    MutuPelayanan.C: "Kurang Baik",
    MutuPelayanan.D: "Tidak Baik",
}

# Lower bound (inclusive) of each class on the converted value rounded to 2 decimals.
BATAS_MUTU: tuple[tuple[Decimal, MutuPelayanan], ...] = (
    (Decimal("88.31"), MutuPelayanan.A),
    (Decimal("76.61"), MutuPelayanan.B),
    (Decimal("65.00"), MutuPelayanan.C),
    (Decimal("25.00"), MutuPelayanan.D),
)


@dataclass(frozen=True)
class SkmResponse:
    """One respondent's answers, keyed "U1".."U9"; a missing key or None means not answered."""

    answers: Mapping[str, int | None]

    def __post_init__(self) -> None:
        bersih: dict[str, int] = {}
        for key, value in self.answers.items():
            if key not in UNSUR_SKM:
                raise ValidationError(
                    "answers[" + str(key) + "]",
                    "unknown_key",
                    N_("Unknown survey element {key}; use U1 to U9."),
                    key=str(key),
                )
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(
                    "answers[" + key + "]", "bad_type", N_("The answer must be a whole number.")
                )
            if not NILAI_MIN <= value <= NILAI_MAKS:
                raise ValidationError(
                    "answers[" + key + "]",
                    "out_of_range",
                    N_("The answer must be between {min} and {max}."),
                    min=NILAI_MIN,
                    max=NILAI_MAKS,
                )
            bersih[key] = value
        # Keep a private read-only copy so later changes to the caller's dict can't leak in.
        object.__setattr__(self, "answers", MappingProxyType(bersih))


@dataclass(frozen=True)
class HasilIkm:
    """Result of `hitung_ikm`; exact values as Fraction, see `ikm_konversi_bulat`."""

    nrr: Mapping[str, Fraction]
    """Nilai rata-rata per element (1–4)."""
    jumlah_menjawab: Mapping[str, int]
    """How many respondents answered each element."""
    ikm_nilai: Fraction
    """IKM on the 1–4 scale (mean of the nine NRR, each weighted exactly 1/9)."""
    ikm_konversi: Fraction
    """IKM on the 25–100 scale (ikm_nilai × 25)."""
    mutu: MutuPelayanan
    jumlah_responden: int

    @property
    def ikm_konversi_bulat(self) -> Decimal:
        """The converted IKM rounded half-up to 2 decimals (the value that is classified)."""
        return bulatkan(self.ikm_konversi, 2)


def mutu_dari_nilai(konversi: Decimal | Fraction | int | float) -> MutuPelayanan:
    """Mutu pelayanan of a converted IKM (25–100), after rounding half-up to 2 decimals.

    A 88,31–100; B 76,61–88,30; C 65,00–76,60; D 25,00–64,99. Outside 25–100 → ValidationError.
    """
    nilai = bulatkan(konversi, 2, field="ikm_konversi")
    if not Decimal(25) <= nilai <= Decimal(100):
        raise ValidationError(
            "ikm_konversi",
            "out_of_range",
            N_("The IKM must be between {min} and {max}."),
            min=25,
            max=100,
        )
    for batas, mutu in BATAS_MUTU:
        if nilai >= batas:
            return mutu
    raise AssertionError("unreachable: the last boundary is the minimum")  # pragma: no cover


def hitung_ikm(responses: Iterable[SkmResponse]) -> HasilIkm:
    """Compute NRR per element, IKM (1–4 and 25–100) and mutu pelayanan from survey responses.

    NRR of an element = sum of its answers / respondents who answered it. No responses, or an
    element that nobody answered, cannot be computed → ValidationError.
    """
    jumlah: dict[str, int] = dict.fromkeys(UNSUR_SKM, 0)
    menjawab: dict[str, int] = dict.fromkeys(UNSUR_SKM, 0)
    responden = 0
    for response in responses:
        if not isinstance(response, SkmResponse):
            raise ValidationError(
                "responses", "bad_type", N_("Each response must be a survey response.")
            )
        responden += 1
        for key, value in response.answers.items():
            if value is not None:
                jumlah[key] += value
                menjawab[key] += 1
    if responden == 0:
        raise ValidationError(
            "responses", "missing", N_("The IKM needs at least one survey response.")
        )
    for key, count in menjawab.items():
        if count == 0:
            raise ValidationError(
                "answers[" + key + "]",
                "no_answers",
                N_("Nobody answered element {key} ({nama}); the IKM cannot be computed."),
                key=key,
                nama=UNSUR_SKM[key],
            )
    nrr = {key: Fraction(jumlah[key], menjawab[key]) for key in UNSUR_SKM}
    # Weight exactly 1/9: the rounded 0,111 or 0,11 of some spreadsheets skews the result.
    ikm_nilai = sum(nrr.values(), Fraction(0)) / len(UNSUR_SKM)
    ikm_konversi = ikm_nilai * KONVERSI
    return HasilIkm(
        nrr=MappingProxyType(nrr),
        jumlah_menjawab=MappingProxyType(menjawab),
        ikm_nilai=ikm_nilai,
        ikm_konversi=ikm_konversi,
        mutu=mutu_dari_nilai(ikm_konversi),
        jumlah_responden=responden,
    )


CHI_KUADRAT = Fraction("3.841")
PROPORSI = Fraction(1, 2)
GALAT = Fraction(5, 100)


def ukuran_sampel_krejcie_morgan(populasi: int) -> int:
    """Krejcie–Morgan sample size S = χ²NP(1−P) / (d²(N−1) + χ²P(1−P)), rounded to nearest.

    χ² = 3,841, P = 0,5, d = 0,05 (N = 100 → 80, N = 1000 → 278). Exact arithmetic; ties
    round up. `populasi` must be a whole number ≥ 1.
    """
    if isinstance(populasi, bool) or not isinstance(populasi, int) or populasi < 1:
        raise ValidationError(
            "populasi", "out_of_range", N_("The population must be a whole number of at least 1.")
        )
    pq = PROPORSI * (1 - PROPORSI)
    s = CHI_KUADRAT * populasi * pq / (GALAT**2 * (populasi - 1) + CHI_KUADRAT * pq)
    return math.floor(s + Fraction(1, 2))
