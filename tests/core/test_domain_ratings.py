"""Predikat matrix, SE 3/2023 distribution guidance and angka kredit (domain.md §4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asndesk.domain.ratings import (
    KOEFISIEN_TAHUNAN,
    CapaianOrganisasi,
    JenjangFungsional,
    Predikat,
    Rating,
    angka_kredit,
    distribution_warnings,
    predikat_kinerja,
)
from asndesk.errors import ValidationError
from asndesk.i18n import set_locale

A, S, B = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"
P = Predikat
C = CapaianOrganisasi


@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        (B, A, "Butuh Perbaikan"),
        (S, A, "Baik"),
        (A, A, "Sangat Baik"),
        (B, S, "Butuh Perbaikan"),
        (S, S, "Baik"),
        (A, S, "Baik"),
        (B, B, "Sangat Kurang"),
        (S, B, "Kurang/Misconduct"),
        (A, B, "Kurang/Misconduct"),
    ],
)
def test_predikat_matrix_all_nine_cells(hasil: str, perilaku: str, expected: str) -> None:
    assert predikat_kinerja(hasil, perilaku) == expected
    assert predikat_kinerja(Rating(hasil), Rating(perilaku)) is Predikat(expected)


@pytest.mark.parametrize(
    ("hasil", "perilaku", "field", "code"),
    [
        (None, S, "rating_hasil_kerja", "missing"),
        (S, None, "rating_perilaku", "missing"),
        ("", S, "rating_hasil_kerja", "missing"),
        (None, None, "rating_hasil_kerja", "missing"),
        ("Sesuai", S, "rating_hasil_kerja", "unknown"),
        (S, "sesuai ekspektasi", "rating_perilaku", "unknown"),
        (S, "SESUAI_EKSPEKTASI", "rating_perilaku", "unknown"),
    ],
)
def test_missing_or_unknown_rating_is_an_error(
    hasil: str | None, perilaku: str | None, field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        predikat_kinerja(hasil, perilaku)
    assert (info.value.field, info.value.code) == (field, code)


def _codes(capaian: C, counts: dict[P, int]) -> list[str]:
    return [w.code for w in distribution_warnings(capaian, counts)]


# Each rule at its boundary (allowed) and just past it (warns). Units of 10 000 employees
# make 70.01 % representable; 7 000 of 10 000 is exactly 70 %.
@pytest.mark.parametrize(
    ("capaian", "counts", "expected"),
    [
        (C.ISTIMEWA, {P.SANGAT_BAIK: 7, P.BAIK: 3}, []),
        (C.ISTIMEWA, {P.SANGAT_BAIK: 7001, P.BAIK: 2999}, ["sangat_baik_above_max"]),
        (C.ISTIMEWA, {P.SANGAT_BAIK: 700001, P.BAIK: 299999}, ["sangat_baik_above_max"]),
        (C.ISTIMEWA, {P.SANGAT_BAIK: 10}, ["sangat_baik_above_max"]),
        (C.BAIK, {P.BAIK: 7, P.SANGAT_BAIK: 2, P.BUTUH_PERBAIKAN: 1}, []),
        (C.BAIK, {P.BAIK: 7, P.SANGAT_BAIK: 2, P.KURANG: 1}, []),
        (C.BAIK, {P.BAIK: 7001, P.SANGAT_BAIK: 2998, P.KURANG: 1}, ["baik_above_max"]),
        (C.BAIK, {P.BAIK: 7, P.SANGAT_BAIK: 3}, ["butuh_perbaikan_or_kurang_missing"]),
        (
            C.BAIK,
            {P.BAIK: 8, P.SANGAT_KURANG: 2},
            ["baik_above_max", "butuh_perbaikan_or_kurang_missing"],
        ),
        (C.BUTUH_PERBAIKAN, {P.BUTUH_PERBAIKAN: 6, P.BAIK: 3, P.SANGAT_BAIK: 1}, []),
        (
            C.BUTUH_PERBAIKAN,
            {P.BUTUH_PERBAIKAN: 5999, P.BAIK: 3001, P.SANGAT_BAIK: 1000},
            ["butuh_perbaikan_below_min"],
        ),
        (
            C.BUTUH_PERBAIKAN,
            {P.BUTUH_PERBAIKAN: 6000, P.BAIK: 2999, P.SANGAT_BAIK: 1001},
            ["sangat_baik_above_max"],
        ),
        (C.KURANG, {P.KURANG: 6, P.BUTUH_PERBAIKAN: 1, P.SANGAT_BAIK: 1, P.BAIK: 2}, []),
        (
            C.KURANG,
            {P.KURANG: 5999, P.BUTUH_PERBAIKAN: 1000, P.SANGAT_BAIK: 1000, P.BAIK: 2001},
            ["kurang_below_min"],
        ),
        (
            C.KURANG,
            {P.KURANG: 6000, P.BUTUH_PERBAIKAN: 999, P.SANGAT_BAIK: 1000, P.BAIK: 2001},
            ["butuh_perbaikan_below_min"],
        ),
        (
            C.KURANG,
            {P.KURANG: 6000, P.BUTUH_PERBAIKAN: 1000, P.SANGAT_BAIK: 1001, P.BAIK: 1999},
            ["sangat_baik_above_max"],
        ),
        (C.SANGAT_KURANG, {P.SANGAT_KURANG: 6, P.KURANG: 1, P.BAIK: 3}, []),
        (C.SANGAT_KURANG, {P.SANGAT_KURANG: 6, P.BUTUH_PERBAIKAN: 1, P.BAIK: 3}, []),
        (
            C.SANGAT_KURANG,
            {P.SANGAT_KURANG: 5999, P.KURANG: 1000, P.BAIK: 3001},
            ["sangat_kurang_below_min"],
        ),
        (
            C.SANGAT_KURANG,
            {P.SANGAT_KURANG: 6000, P.KURANG: 500, P.BUTUH_PERBAIKAN: 499, P.BAIK: 3001},
            ["kurang_or_butuh_perbaikan_below_min"],
        ),
        (
            C.SANGAT_KURANG,
            {P.SANGAT_KURANG: 6, P.KURANG: 1, P.BAIK: 2, P.SANGAT_BAIK: 1},
            ["sangat_baik_not_allowed"],
        ),
    ],
)
def test_distribution_rules_at_and_past_boundaries(
    capaian: C, counts: dict[P, int], expected: list[str]
) -> None:
    assert _codes(capaian, counts) == expected


def test_empty_unit_has_no_warnings() -> None:
    for capaian in C:
        assert distribution_warnings(capaian, {}) == []
        assert distribution_warnings(capaian, dict.fromkeys(P, 0)) == []


def test_warning_params_and_message() -> None:
    set_locale("id")
    [warning] = distribution_warnings("Istimewa", {P.SANGAT_BAIK: 7001, P.BAIK: 2999})
    assert warning.params["actual"] == Decimal("70.01")
    assert warning.params["limit"] == 70
    assert warning.params["count"] == 7001
    assert warning.params["total"] == 10000
    assert "70,01%" in warning.message()
    assert "Sangat Baik" in warning.message()
    set_locale("en")
    try:
        assert "70.01%" in warning.message()
    finally:
        set_locale("id")


@pytest.mark.parametrize(
    ("counts", "field", "code"),
    [
        ({P.BAIK: -1}, "counts[Baik]", "negative"),
        ({P.BAIK: 1.5}, "counts[Baik]", "bad_type"),
        ({"Luar Biasa": 1}, "counts", "unknown"),
    ],
)
def test_bad_counts_raise(counts: dict[object, object], field: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        distribution_warnings(C.BAIK, counts)  # type: ignore[arg-type]
    assert (info.value.field, info.value.code) == (field, code)


def test_unknown_capaian_raises() -> None:
    with pytest.raises(ValidationError) as info:
        distribution_warnings("Cukup", {P.BAIK: 1})
    assert info.value.field == "capaian_kinerja_organisasi"


@given(st.sampled_from(list(C)), st.dictionaries(st.sampled_from(list(P)), st.integers(0, 500)))
def test_distribution_never_raises_on_valid_input(capaian: C, counts: dict[P, int]) -> None:
    warnings = distribution_warnings(capaian, counts)
    assert len({w.code for w in warnings}) == len(warnings)


def test_coefficients_match_domain() -> None:
    assert {j.value: v for j, v in KOEFISIEN_TAHUNAN.items()} == {
        "Pemula": Decimal("3.75"),
        "Terampil": Decimal("5"),
        "Mahir": Decimal("12.5"),
        "Penyelia": Decimal("25"),
        "Ahli Pertama": Decimal("12.5"),
        "Ahli Muda": Decimal("25"),
        "Ahli Madya": Decimal("37.5"),
        "Ahli Utama": Decimal("50"),
    }


# Annual angka kredit for Baik (100 %) per jenjang, then each percentage on Ahli Muda (25).
@pytest.mark.parametrize(
    ("predikat", "jenjang", "months", "expected"),
    [
        ("Baik", "Pemula", 12, "3.750"),
        ("Baik", "Terampil", 12, "5.000"),
        ("Baik", "Mahir", 12, "12.500"),
        ("Baik", "Penyelia", 12, "25.000"),
        ("Baik", "Ahli Pertama", 12, "12.500"),
        ("Baik", "Ahli Muda", 12, "25.000"),
        ("Baik", "Ahli Madya", 12, "37.500"),
        ("Baik", "Ahli Utama", 12, "50.000"),
        ("Sangat Baik", "Ahli Muda", 12, "37.500"),
        ("Butuh Perbaikan", "Ahli Muda", 12, "18.750"),
        ("Kurang/Misconduct", "Ahli Muda", 12, "12.500"),
        ("Sangat Kurang", "Ahli Muda", 12, "6.250"),
        ("Sangat Baik", "Pemula", 1, "0.469"),  # 0.46875 → half-up
        ("Butuh Perbaikan", "Pemula", 1, "0.234"),  # 0.234375
        ("Baik", "Ahli Pertama", 1, "1.042"),  # 1.041666…
        ("Baik", "Ahli Madya", 6, "18.750"),
        ("Sangat Kurang", "Pemula", 2, "0.156"),  # 0.15625 → half-up
    ],
)
def test_angka_kredit(predikat: str, jenjang: str, months: int, expected: str) -> None:
    result = angka_kredit(predikat, jenjang, months)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_angka_kredit_accepts_enums() -> None:
    assert angka_kredit(P.BAIK, JenjangFungsional.AHLI_MUDA) == Decimal("25.000")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("Baik", "Ahli Muda", 0), "months"),
        (("Baik", "Ahli Muda", 13), "months"),
        (("Baik", "Ahli Muda", True), "months"),
        (("Baik", "Ahli Tinggi", 12), "jenjang"),
        ((None, "Ahli Muda", 12), "predikat"),
    ],
)
def test_angka_kredit_bad_input(args: tuple[object, object, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        angka_kredit(*args)  # type: ignore[arg-type]
    assert info.value.field == field
