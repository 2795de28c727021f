"""Holiday calendar data and working-day arithmetic (asndesk.domain.calendar)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asndesk.domain.calendar import (
    BATAS_HARIAN_MENIT,
    HariLibur,
    HolidayCalendar,
    InfoKalender,
    JenisLibur,
    StatusKalender,
    add_working_days,
    coverage_gaps,
    coverage_warnings,
    default_calendar,
    jam_kerja_mingguan,
    load_calendar_file,
    parse_calendar_json,
    service_duration_working_days,
    within_standard,
    working_days_between,
)
from asndesk.errors import ValidationError
from asndesk.i18n import set_locale
from asndesk.paths import resource_path

LN, CB = JenisLibur.LIBUR_NASIONAL, JenisLibur.CUTI_BERSAMA
D = date.fromisoformat
CAL = default_calendar()
SHIPPED = sorted(resource_path("calendars").glob("libur-*.json"))
WIB = timezone(timedelta(hours=7))


# --------------------------------------------------------------------------- shipped data


def test_shipped_files_cover_2025_to_2027() -> None:
    assert [p.name for p in SHIPPED] == ["libur-2025.json", "libur-2026.json", "libur-2027.json"]
    assert CAL.years() == (2025, 2026, 2027)


@pytest.mark.parametrize(
    ("tahun", "status", "n_libur", "n_cuti"),
    [
        (2025, StatusKalender.RESMI, 17, 11),  # 10 cuti bersama + 18 Agustus 2025 (SKB perubahan)
        (2026, StatusKalender.RESMI, 17, 8),
        (2027, StatusKalender.PERKIRAAN, 18, 0),  # Isra Mikraj twice; cuti bersama not guessed
    ],
)
def test_each_shipped_year(tahun: int, status: StatusKalender, n_libur: int, n_cuti: int) -> None:
    kal = load_calendar_file(resource_path("calendars", f"libur-{tahun}.json"))
    info = kal.info(tahun)
    assert info is not None and info.status is status and info.sumber
    assert kal.years() == (tahun,)
    assert sum(h.jenis is LN for h in kal) == n_libur
    assert sum(h.jenis is CB for h in kal) == n_cuti
    for bulan, hari in [(1, 1), (5, 1), (6, 1), (8, 17), (12, 25)]:
        entri = kal.libur_pada(date(tahun, bulan, hari))
        assert entri is not None and entri.jenis is LN, (bulan, hari)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_file_sanity(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    tanggal = [h["tanggal"] for h in raw["hari"]]
    assert len(tanggal) == len(set(tanggal)), "duplicate dates"
    assert tanggal == sorted(tanggal), "keep the file in date order for HR"
    for h in raw["hari"]:
        if h["jenis"] == "cuti_bersama":  # a cuti bersama on a weekend would be nonsense
            assert D(h["tanggal"]).weekday() < 5, h
    if raw["status"] == "perkiraan":
        assert "Nomor" not in raw["sumber"]  # never an invented SKB number
        assert raw.get("catatan")


@pytest.mark.parametrize(
    ("tanggal", "jenis"),
    [
        ("2025-03-31", LN),  # Idulfitri 1446 H
        ("2025-04-07", CB),
        ("2025-08-18", CB),  # HUT ke-80 RI, SKB 933/2025
        ("2026-03-21", LN),  # Idulfitri 1447 H
        ("2026-03-20", CB),
        ("2026-03-24", CB),
        ("2026-05-28", CB),
        ("2026-12-24", CB),
        ("2027-03-26", LN),  # Wafat Yesus Kristus: Easter 2027 is 28 March
    ],
)
def test_known_days(tanggal: str, jenis: JenisLibur) -> None:
    entri = CAL.libur_pada(D(tanggal))
    assert entri is not None and entri.jenis is jenis


# --------------------------------------------------------------------------- working days


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-16", "2026-03-16", 0),  # same day
        ("2026-03-06", "2026-03-13", 5),  # a plain week
        ("2026-03-13", "2026-03-20", 2),  # Nyepi + Idulfitri cuti bersama
        ("2026-03-13", "2026-03-27", 5),  # two weeks around Idulfitri 1447 H
        ("2026-03-07", "2026-03-13", 5),  # starts on a Saturday
        ("2026-03-09", "2026-03-15", 4),  # ends on a Sunday
        ("2026-03-07", "2026-03-08", 0),  # a weekend only
        ("2025-12-24", "2026-01-05", 5),  # year boundary: Natal, cuti bersama, Tahun Baru
        ("2025-08-15", "2025-08-19", 1),  # 18 Agustus 2025 cuti bersama
        ("2025-12-31", "2026-12-31", 240),  # 261 weekdays - 13 weekday libur - 8 cuti bersama
        ("2029-12-31", "2030-12-31", 261),  # year without data: weekdays only
    ],
)
def test_working_days_between(start: str, end: str, expected: int) -> None:
    assert working_days_between(D(start), D(end), CAL) == expected


def test_working_days_end_before_start() -> None:
    with pytest.raises(ValidationError) as e:
        working_days_between(D("2026-03-10"), D("2026-03-09"), CAL)
    assert (e.value.field, e.value.code) == ("tanggal_selesai", "end_before_start")


@pytest.mark.parametrize(
    ("d", "working"),
    [("2026-03-16", True), ("2026-03-14", False), ("2026-03-19", False), ("2026-03-23", False)],
)
def test_is_working_day(d: str, working: bool) -> None:
    assert CAL.is_working_day(D(d)) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-03-17", 0, "2026-03-17"),
        ("2026-03-17", 1, "2026-03-25"),  # skips Nyepi, Idulfitri and 4 cuti bersama days
        ("2026-03-06", 1, "2026-03-09"),  # Friday → Monday
        ("2026-03-07", 1, "2026-03-09"),  # from a Saturday
        ("2025-12-24", 2, "2025-12-30"),
        ("2026-01-01", 5, "2026-01-08"),  # from a holiday: 2, 5, 6, 7, 8 Jan
    ],
)
def test_add_working_days(start: str, n: int, expected: str) -> None:
    assert add_working_days(D(start), n, CAL) == D(expected)


@pytest.mark.parametrize("n", [-1, True, 1.5])
def test_add_working_days_rejects(n: Any) -> None:
    with pytest.raises(ValidationError) as e:
        add_working_days(D("2026-03-17"), n, CAL)
    assert e.value.field == "hari_kerja"


@pytest.mark.parametrize(
    ("received", "completed", "expected"),
    [
        (datetime(2026, 3, 16, 8), datetime(2026, 3, 16, 16), 0),
        (datetime(2026, 3, 6, 16), datetime(2026, 3, 9, 8), 1),
        (datetime(2026, 3, 17, 10), datetime(2026, 3, 25, 9), 1),
        (datetime(2026, 3, 2, 9, tzinfo=WIB), datetime(2026, 3, 5, 9, tzinfo=WIB), 3),
        # Same civil date in each own offset, although the instants are on different WIB days.
        (
            datetime(2026, 3, 2, 23, 30, tzinfo=WIB),
            datetime(2026, 3, 2, 17, tzinfo=UTC),
            0,
        ),
        # Later instant but earlier civil date: clamped to 0.
        (datetime(2026, 3, 3, 6, tzinfo=WIB), datetime(2026, 3, 2, 23, 30, tzinfo=UTC), 0),
    ],
)
def test_service_duration(received: datetime, completed: datetime, expected: int) -> None:
    assert service_duration_working_days(received, completed, CAL) == expected


@pytest.mark.parametrize(
    ("received", "completed", "code"),
    [
        (datetime(2026, 3, 16, 9), datetime(2026, 3, 16, 8), "end_before_start"),
        (
            datetime(2026, 3, 16, 9, tzinfo=WIB),
            datetime(2026, 3, 16, 1, tzinfo=UTC),
            "end_before_start",
        ),
        (datetime(2026, 3, 16, 9), datetime(2026, 3, 17, 9, tzinfo=WIB), "mixed_timezones"),
    ],
)
def test_service_duration_rejects(received: datetime, completed: datetime, code: str) -> None:
    with pytest.raises(ValidationError) as e:
        service_duration_working_days(received, completed, CAL)
    assert (e.value.field, e.value.code) == ("selesai_pada", code)


@pytest.mark.parametrize(
    ("duration", "standard", "ok"), [(0, 0, True), (3, 3, True), (4, 3, False)]
)
def test_within_standard(duration: int, standard: int, ok: bool) -> None:
    assert within_standard(duration, standard) is ok


def test_working_time_constants() -> None:
    assert jam_kerja_mingguan(False) == 2250
    assert jam_kerja_mingguan(True) == 1950
    assert BATAS_HARIAN_MENIT == 450


# --------------------------------------------------------------------------- parsing files


def _data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "tahun": 2030,
        "sumber": "uji",
        "status": "resmi",
        "hari": [
            {"tanggal": "2030-01-01", "nama": "Tahun Baru 2030 Masehi", "jenis": "libur_nasional"}
        ],
    }
    data.update(changes)
    return data


def _hari(
    tanggal: str = "2030-05-01", nama: str = "X", jenis: str = "libur_nasional"
) -> dict[str, str]:
    return {"tanggal": tanggal, "nama": nama, "jenis": jenis}


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (_data(hari=[_hari(tanggal="2030-02-30")]), "tanggal", "bad_date"),
        (_data(hari=[_hari(tanggal="1/5/2030")]), "tanggal", "bad_date"),
        (_data(hari=[_hari(tanggal="20300501")]), "tanggal", "bad_date"),
        (_data(hari=[_hari(tanggal="2031-05-01")]), "tanggal", "wrong_year"),
        (_data(hari=[_hari(jenis="libur")]), "jenis", "unknown"),
        (_data(hari=[_hari(), _hari(nama="Y")]), "tanggal", "duplicate"),
        (_data(hari=[_hari(nama=" ")]), "nama", "missing"),
        (_data(hari=[{**_hari(), "tangal": "x"}]), "hari", "unknown_key"),
        (_data(hari=["2030-05-01"]), "hari", "bad_type"),
        (_data(hari={"2030-05-01": "x"}), "hari", "bad_type"),
        (_data(status="final"), "status", "unknown"),
        (_data(sumber=""), "sumber", "missing"),
        (_data(tahun=1999), "tahun", "out_of_range"),
        (_data(tahun="2030"), "tahun", "bad_type"),
        (_data(catatan=5), "catatan", "bad_type"),
        (_data(extra=1), "kalender", "unknown_key"),
    ],
)
def test_parse_rejects(data: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(ValidationError) as e:
        parse_calendar_json(data)
    assert (e.value.field, e.value.code) == (field, code)
    assert e.value.message()  # every message formats with its own parameters


def test_duplicate_error_names_the_date() -> None:
    with pytest.raises(ValidationError) as e:
        parse_calendar_json(_data(hari=[_hari(), _hari()]))
    assert e.value.params["tanggal"] == "2030-05-01"
    assert "2030-05-01" in e.value.message()


def test_load_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "libur-2030.json"
    bad.write_text('{"tahun": 2030,', encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        load_calendar_file(bad)
    assert (e.value.field, e.value.code) == ("berkas", "bad_json")
    with pytest.raises(ValidationError) as e:
        load_calendar_file(tmp_path / "missing.json")
    assert e.value.code == "unreadable"
    good = tmp_path / "ok.json"
    good.write_text(json.dumps(_data()), encoding="utf-8")
    assert load_calendar_file(good).years() == (2030,)


def test_merge_replaces_whole_year() -> None:
    resmi = parse_calendar_json(
        {
            "tahun": 2027,
            "sumber": "SKB uji",
            "status": "resmi",
            "hari": [{"tanggal": "2027-01-01", "nama": "Tahun Baru", "jenis": "libur_nasional"}],
        }
    )
    merged = CAL.merge(resmi)
    assert [h.tanggal for h in merged.holidays_between(D("2027-01-01"), D("2027-12-31"))] == [
        D("2027-01-01")
    ]
    assert merged.holidays_between(D("2026-01-01"), D("2026-12-31")) == CAL.holidays_between(
        D("2026-01-01"), D("2026-12-31")
    )
    info = merged.info(2027)
    assert info is not None and info.status is StatusKalender.RESMI
    assert CAL.info(2027) is not None  # the original is untouched
    assert len(CAL.holidays_between(D("2027-01-01"), D("2027-12-31"))) == 18


def test_calendar_is_immutable_and_rejects_duplicates() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CAL.hari = ()  # type: ignore[misc]
    h = HariLibur(D("2030-01-01"), "A", LN)
    with pytest.raises(ValidationError) as e:
        HolidayCalendar([h, dataclasses.replace(h, nama="B")])
    assert e.value.code == "duplicate"
    kal = HolidayCalendar([h], [InfoKalender(2031, "x", StatusKalender.RESMI)])
    assert kal.years() == (2030, 2031)
    assert kal == HolidayCalendar([h], [InfoKalender(2031, "x", StatusKalender.RESMI)])


def test_holidays_between_is_inclusive() -> None:
    got = CAL.holidays_between(D("2026-03-18"), D("2026-03-20"))
    assert [h.tanggal for h in got] == [D("2026-03-18"), D("2026-03-19"), D("2026-03-20")]


def test_coverage() -> None:
    assert coverage_gaps(CAL, D("2026-01-01"), D("2028-06-30")) == (2028,)
    assert coverage_gaps(CAL, 2024, 2027) == (2024,)
    assert coverage_gaps(CAL, 2025, 2027) == ()
    warnings = coverage_warnings(CAL, 2026, 2028)
    assert [(w.code, w.tahun) for w in warnings] == [("missing", (2028,)), ("estimated", (2027,))]
    set_locale("en")
    try:
        assert "2028" in warnings[0].message()
    finally:
        set_locale("id")
    with pytest.raises(ValidationError):
        coverage_gaps(CAL, 2028, 2026)


# --------------------------------------------------------------------------- invariants

dates = st.dates(min_value=date(2024, 6, 1), max_value=date(2028, 6, 30))


@settings(max_examples=300)
@given(dates, dates, dates)
def test_working_days_additive(a: date, b: date, c: date) -> None:
    a, b, c = sorted((a, b, c))
    assert working_days_between(a, c, CAL) == (
        working_days_between(a, b, CAL) + working_days_between(b, c, CAL)
    )


@settings(max_examples=200)
@given(dates, st.integers(min_value=0, max_value=400))
def test_working_days_matches_brute_force(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    brute = sum(CAL.is_working_day(a + timedelta(days=i)) for i in range(1, span + 1))
    assert working_days_between(a, b, CAL) == brute


@settings(max_examples=300)
@given(dates, st.integers(min_value=0, max_value=300))
def test_add_working_days_round_trip(start: date, n: int) -> None:
    due = add_working_days(start, n, CAL)
    assert working_days_between(start, due, CAL) == n
    if n > 0:
        assert CAL.is_working_day(due)
        # the first such date: the day before is still one working day short
        assert working_days_between(start, due - timedelta(days=1), CAL) == n - 1
