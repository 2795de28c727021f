"""Indonesian and English formatting (domain.md §7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asndesk.domain.formatting import (
    bulatkan,
    format_angka,
    format_durasi_menit,
    format_jam,
    format_persen,
    format_rentang_tanggal,
    format_rupiah,
    format_tanggal,
    zona_dari_offset,
)
from asndesk.errors import ValidationError
from asndesk.i18n import set_locale

JUMAT = dt.date(2024, 1, 5)


@pytest.fixture
def english() -> Iterator[None]:
    set_locale("en")
    try:
        yield
    finally:
        set_locale("id")


@pytest.mark.parametrize(
    ("locale", "hari", "expected"),
    [
        ("id", False, "5 Januari 2024"),
        ("id", True, "Jumat, 5 Januari 2024"),
        ("en", False, "5 January 2024"),
        ("en", True, "Friday, 5 January 2024"),
    ],
)
def test_format_tanggal(locale: str, hari: bool, expected: str) -> None:
    assert format_tanggal(JUMAT, dengan_hari=hari, locale=locale) == expected


def test_default_locale_follows_i18n(english: None) -> None:
    assert format_tanggal(JUMAT) == "5 January 2024"
    set_locale("id")
    assert format_tanggal(JUMAT) == "5 Januari 2024"


def test_all_indonesian_month_names() -> None:
    bulan = [format_tanggal(dt.date(2026, m, 1), locale="id").split()[1] for m in range(1, 13)]
    assert bulan == [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "locale", "expected"),
    [
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31), "id", "1 Januari s.d. 31 Desember 2024"),
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31), "en", "1 January to 31 December 2024"),
        (
            dt.date(2023, 12, 1),
            dt.date(2024, 1, 31),
            "id",
            "1 Desember 2023 s.d. 31 Januari 2024",
        ),
        (dt.date(2023, 12, 1), dt.date(2024, 1, 31), "en", "1 December 2023 to 31 January 2024"),
        (dt.date(2024, 4, 1), dt.date(2024, 4, 1), "id", "1 April s.d. 1 April 2024"),
    ],
)
def test_format_rentang_tanggal(a: dt.date, b: dt.date, locale: str, expected: str) -> None:
    assert format_rentang_tanggal(a, b, locale=locale) == expected


def test_skp_period_heading_uppercase() -> None:
    teks = format_rentang_tanggal(dt.date(2026, 1, 1), dt.date(2026, 12, 31), locale="id")
    assert teks.upper() == "1 JANUARI S.D. 31 DESEMBER 2026"


def test_range_end_before_start() -> None:
    with pytest.raises(ValidationError) as info:
        format_rentang_tanggal(dt.date(2024, 2, 1), dt.date(2024, 1, 31))
    assert info.value.code == "bad_order"


@pytest.mark.parametrize(
    ("t", "zona", "locale", "expected"),
    [
        (dt.time(7, 30), "WIB", "id", "pukul 07.30 WIB"),
        (dt.time(7, 30), "WIB", "en", "07:30 WIB"),
        (dt.time(16, 5, 59), "WITA", "id", "pukul 16.05 WITA"),
        (dt.datetime(2024, 1, 5, 23, 0), "WIT", "id", "pukul 23.00 WIT"),
        (dt.time(0, 0), None, "id", "pukul 00.00"),
        (dt.time(9, 15), "UTC+07:00", "en", "09:15 UTC+07:00"),
    ],
)
def test_format_jam(t: dt.time, zona: str | None, locale: str, expected: str) -> None:
    assert format_jam(t, zona, locale=locale) == expected


def test_format_jam_unknown_zone() -> None:
    with pytest.raises(ValidationError) as info:
        format_jam(dt.time(7, 30), "EST")
    assert info.value.field == "zona"


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(420, "WIB"), (480, "WITA"), (540, "WIT"), (0, "UTC+00:00"), (330, "UTC+05:30"),
     (-300, "UTC-05:00"), (600, "UTC+10:00")],
)  # fmt: skip
def test_zona_dari_offset(minutes: int, expected: str) -> None:
    assert zona_dari_offset(minutes) == expected


@pytest.mark.parametrize(
    ("x", "desimal", "id_", "en"),
    [
        (Decimal("1234567.89"), 2, "1.234.567,89", "1,234,567.89"),
        (1234567.89, 2, "1.234.567,89", "1,234,567.89"),
        (1234567, 0, "1.234.567", "1,234,567"),
        (Decimal("2.675"), 2, "2,68", "2.68"),  # half-up, float-safe
        (2.675, 2, "2,68", "2.68"),  # float repr is 2.67499…; read as written
        (Decimal("0.125"), 2, "0,13", "0.13"),  # Babel alone would give half-even 0,12
        (Decimal("-0.001"), 2, "0,00", "0.00"),  # no "-0,00"
        (Decimal("-1234.5"), 1, "-1.234,5", "-1,234.5"),
        (Fraction(1, 3), 3, "0,333", "0.333"),
    ],
)
def test_format_angka(x: Decimal | float | int, desimal: int, id_: str, en: str) -> None:
    assert format_angka(x, desimal, locale="id") == id_
    assert format_angka(x, desimal, locale="en") == en


def test_format_persen() -> None:
    assert format_persen(61.95, locale="id") == "61,95%"
    assert format_persen(Decimal("61.95"), locale="en") == "61.95%"
    assert format_persen(100, 0, locale="id") == "100%"
    assert format_persen(Decimal("70.005"), locale="id") == "70,01%"


def test_format_rupiah() -> None:
    assert format_rupiah(5000, locale="id") == "Rp5.000,00"
    assert format_rupiah(Decimal("1234567.5"), locale="id") == "Rp1.234.567,50"
    assert format_rupiah(5000, locale="en") == "IDR 5,000.00"
    assert format_rupiah(-5000, locale="id") == "-Rp5.000,00"
    assert format_rupiah(5000, 0, locale="id") == "Rp5.000"


@pytest.mark.parametrize(
    ("m", "id_", "en"),
    [
        (450, "7 jam 30 menit", "7 hours 30 minutes"),
        (60, "1 jam", "1 hour"),
        (1, "1 menit", "1 minute"),
        (0, "0 menit", "0 minutes"),
        (61, "1 jam 1 menit", "1 hour 1 minute"),
        (2250, "37 jam 30 menit", "37 hours 30 minutes"),
    ],
)
def test_format_durasi_menit(m: int, id_: str, en: str) -> None:
    assert format_durasi_menit(m, locale="id") == id_
    assert format_durasi_menit(m, locale="en") == en


@pytest.mark.parametrize(
    ("call", "field", "code"),
    [
        (lambda: format_durasi_menit(-1), "durasi", "negative"),
        (lambda: format_angka(float("nan")), "angka", "bad_number"),
        (lambda: format_angka(Decimal("Infinity")), "angka", "bad_number"),
        (lambda: format_angka("12"), "angka", "bad_type"),  # type: ignore[arg-type]
        (lambda: format_angka(True), "angka", "bad_type"),
        (lambda: format_angka(1, 11), "desimal", "out_of_range"),
        (lambda: format_tanggal(JUMAT, locale="fr"), "locale", "unsupported"),
        (lambda: format_tanggal("2024-01-05"), "tanggal", "bad_date"),  # type: ignore[arg-type]
        (lambda: zona_dari_offset(24 * 60), "offset", "out_of_range"),
    ],
)
def test_invalid_inputs(call: object, field: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        call()  # type: ignore[operator]
    assert (info.value.field, info.value.code) == (field, code)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4), st.integers(0, 4))
def test_bulatkan_matches_decimal_half_up_for_fractions(x: Decimal, desimal: int) -> None:
    assert bulatkan(Fraction(x), desimal) == bulatkan(x, desimal)


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_format_angka_round_trips(x: Decimal) -> None:
    teks = format_angka(x, 2, locale="id")
    assert Decimal(teks.replace(".", "").replace(",", ".")) == x
