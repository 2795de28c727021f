"""IKM / SKM per PermenPANRB 14/2017 (domain.md §5)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asndesk.domain.ikm import (
    UNSUR_SKM,
    MutuPelayanan,
    SkmResponse,
    hitung_ikm,
    mutu_dari_nilai,
    ukuran_sampel_krejcie_morgan,
)
from asndesk.errors import ValidationError

KODE = [f"U{i}" for i in range(1, 10)]


def semua(nilai: int) -> SkmResponse:
    return SkmResponse(dict.fromkeys(KODE, nilai))


def test_nine_elements_in_order() -> None:
    assert list(UNSUR_SKM) == KODE
    assert UNSUR_SKM["U2"] == "Sistem, Mekanisme, dan Prosedur"
    assert UNSUR_SKM["U4"] == "Biaya/Tarif"
    assert UNSUR_SKM["U8"] == "Penanganan Pengaduan, Saran dan Masukan"
    assert UNSUR_SKM["U9"] == "Sarana dan Prasarana"


@pytest.mark.parametrize(
    ("nilai", "mutu"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25", "D"),
        # Rounded half-up to 2 decimals first, at the third decimal:
        ("88.305", "A"),
        ("88.3049999", "B"),
        ("76.605", "B"),
        ("76.6049", "C"),
        ("64.995", "C"),
        ("64.9949", "D"),
    ],
)
def test_mutu_boundaries(nilai: str, mutu: str) -> None:
    assert mutu_dari_nilai(Decimal(nilai)) == MutuPelayanan(mutu)


def test_mutu_labels() -> None:
    assert [m.kinerja_unit for m in MutuPelayanan] == [
        "Sangat Baik",
        "Baik",
        "Kurang Baik",
        "Tidak Baik",
    ]


def test_mutu_of_exact_fraction_rounds_half_up() -> None:
    assert mutu_dari_nilai(Fraction(17661, 200)) == MutuPelayanan.A  # 88.305 exactly
    assert mutu_dari_nilai(Fraction(17661, 200) - Fraction(1, 10**9)) == MutuPelayanan.B


@pytest.mark.parametrize("nilai", [Decimal("24.99"), Decimal("100.01"), Decimal(0)])
def test_mutu_out_of_range(nilai: Decimal) -> None:
    with pytest.raises(ValidationError) as info:
        mutu_dari_nilai(nilai)
    assert info.value.code == "out_of_range"


def test_nrr_ignores_unanswered_items() -> None:
    responses = [
        semua(4),
        SkmResponse({**dict.fromkeys(KODE, 2), "U3": None}),
        SkmResponse({k: 3 for k in KODE if k != "U5"}),  # U5 missing: not answered
    ]
    hasil = hitung_ikm(responses)
    assert hasil.jumlah_responden == 3
    assert hasil.nrr["U3"] == Fraction(4 + 3, 2)
    assert hasil.nrr["U5"] == Fraction(4 + 2, 2)
    assert hasil.nrr["U1"] == 3
    assert hasil.jumlah_menjawab["U3"] == 2
    expected = (7 * Fraction(3) + Fraction(7, 2) + 3) / 9
    assert hasil.ikm_nilai == expected
    assert hasil.ikm_konversi == expected * 25


def test_weight_is_exactly_one_ninth_not_0_11() -> None:
    # 11 respondents answer 4 and 9 answer 3 everywhere: every NRR = 71/20 = 3.55.
    hasil = hitung_ikm([semua(4)] * 11 + [semua(3)] * 9)
    assert hasil.ikm_nilai == Fraction(71, 20)
    assert hasil.ikm_konversi == Fraction("88.75")
    assert hasil.ikm_konversi_bulat == Decimal("88.75")
    assert hasil.mutu == MutuPelayanan.A
    # With the rounded weight 0.11 the value would be 87.8625 → B: make sure we don't do that.
    salah = sum(Decimal("3.55") * Decimal("0.11") for _ in range(9)) * 25
    assert mutu_dari_nilai(salah) == MutuPelayanan.B


def test_all_ones_and_all_fours() -> None:
    assert hitung_ikm([semua(1)]).ikm_konversi == 25
    assert hitung_ikm([semua(1)]).mutu == MutuPelayanan.D
    assert hitung_ikm([semua(4)]).ikm_konversi == 100
    assert hitung_ikm([semua(4)]).mutu == MutuPelayanan.A


def test_no_responses_is_an_error() -> None:
    with pytest.raises(ValidationError) as info:
        hitung_ikm([])
    assert (info.value.field, info.value.code) == ("responses", "missing")


def test_element_nobody_answered_is_an_error() -> None:
    with pytest.raises(ValidationError) as info:
        hitung_ikm([SkmResponse({**dict.fromkeys(KODE, 3), "U7": None})] * 5)
    assert (info.value.field, info.value.code) == ("answers[U7]", "no_answers")


@pytest.mark.parametrize(
    ("answers", "field", "code"),
    [
        ({"U1": 0}, "answers[U1]", "out_of_range"),
        ({"U1": 5}, "answers[U1]", "out_of_range"),
        ({"U9": -1}, "answers[U9]", "out_of_range"),
        ({"U10": 3}, "answers[U10]", "unknown_key"),
        ({"u1": 3}, "answers[u1]", "unknown_key"),
        ({"U2": 2.5}, "answers[U2]", "bad_type"),
        ({"U2": True}, "answers[U2]", "bad_type"),
    ],
)
def test_bad_answers(answers: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        SkmResponse(answers)  # type: ignore[arg-type]
    assert (info.value.field, info.value.code) == (field, code)


def test_response_is_a_private_copy() -> None:
    answers: dict[str, int | None] = {"U1": 3}
    response = SkmResponse(answers)
    answers["U1"] = 9
    assert response.answers["U1"] == 3


@given(
    st.lists(
        st.fixed_dictionaries({k: st.one_of(st.none(), st.integers(1, 4)) for k in KODE}),
        min_size=1,
        max_size=30,
    )
)
def test_ikm_always_within_25_and_100(rows: list[dict[str, int | None]]) -> None:
    # Guarantee every element has at least one answer.
    responses = [SkmResponse(r) for r in rows] + [semua(2)]
    hasil = hitung_ikm(responses)
    assert 1 <= hasil.ikm_nilai <= 4
    assert 25 <= hasil.ikm_konversi <= 100
    assert hasil.ikm_konversi == hasil.ikm_nilai * 25
    assert hasil.mutu == mutu_dari_nilai(hasil.ikm_konversi)


def _krejcie_morgan(n: int) -> Fraction:
    chi, p, d = Fraction("3.841"), Fraction(1, 2), Fraction("0.05")
    return chi * n * p * (1 - p) / (d * d * (n - 1) + chi * p * (1 - p))


# Values of the published Krejcie–Morgan (1970) table that the formula reproduces.
@pytest.mark.parametrize(
    ("populasi", "sampel"),
    [
        (1, 1),
        (10, 10),
        (50, 44),
        (100, 80),
        (200, 132),
        (500, 217),
        (1000, 278),
        (10000, 370),
        (1000000, 384),
    ],
)
def test_krejcie_morgan(populasi: int, sampel: int) -> None:
    assert ukuran_sampel_krejcie_morgan(populasi) == sampel
    # Independent check: the exact value is within half a respondent of the result.
    assert abs(_krejcie_morgan(populasi) - sampel) <= Fraction(1, 2)


@pytest.mark.parametrize("populasi", [0, -5, True])
def test_krejcie_morgan_bad_population(populasi: int) -> None:
    with pytest.raises(ValidationError):
        ukuran_sampel_krejcie_morgan(populasi)
