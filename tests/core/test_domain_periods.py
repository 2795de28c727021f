"""Penilaian periods and their batas pengisian (asndesk.domain.periods)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asndesk.domain.calendar import (
    HariLibur,
    HolidayCalendar,
    JenisLibur,
    default_calendar,
    working_days_between,
)
from asndesk.domain.periods import (
    JenisPeriode,
    PolaPeriode,
    buat_periode,
    periode_untuk_tanggal,
)
from asndesk.errors import ValidationError

CAL = default_calendar()
D = date.fromisoformat


@pytest.mark.parametrize(
    ("pola", "jenis", "count", "first_id", "last_id"),
    [
        (PolaPeriode.BULANAN, JenisPeriode.BULANAN, 12, "2026-01", "2026-12"),
        (PolaPeriode.TRIWULANAN, JenisPeriode.TRIWULAN, 4, "2026-TW1", "2026-TW4"),
        (PolaPeriode.SEMESTERAN, JenisPeriode.SEMESTER, 2, "2026-S1", "2026-S2"),
    ],
)
def test_patterns(
    pola: PolaPeriode, jenis: JenisPeriode, count: int, first_id: str, last_id: str
) -> None:
    periods = buat_periode(2026, pola, CAL)
    assert len(periods) == count + 1
    *bagian, tahunan = periods
    assert all(p.jenis is jenis for p in bagian)
    assert [p.nomor for p in bagian] == list(range(1, count + 1))
    assert (bagian[0].id, bagian[-1].id) == (first_id, last_id)
    assert (tahunan.id, tahunan.jenis, tahunan.mulai, tahunan.selesai) == (
        "2026-TH", JenisPeriode.TAHUNAN, D("2026-01-01"), D("2026-12-31"),
    )  # fmt: skip
    assert len({p.id for p in periods}) == len(periods)


@pytest.mark.parametrize("tahun", [2024, 2025, 2026, 2027, 2028])
@pytest.mark.parametrize("pola", list(PolaPeriode))
@pytest.mark.parametrize("n", [1, 5, 10])
def test_contiguous_cover_and_deadlines(tahun: int, pola: PolaPeriode, n: int) -> None:
    *bagian, _ = buat_periode(tahun, pola, CAL, batas_hari_kerja=n)
    assert bagian[0].mulai == date(tahun, 1, 1)
    assert bagian[-1].selesai == date(tahun, 12, 31)
    for a, b in itertools.pairwise(bagian):
        assert b.mulai == a.selesai + timedelta(days=1)
    hari = sum((p.selesai - p.mulai).days + 1 for p in bagian)
    assert hari == (date(tahun + 1, 1, 1) - date(tahun, 1, 1)).days
    for p in buat_periode(tahun, pola, CAL, batas_hari_kerja=n):
        assert CAL.is_working_day(p.batas_pengisian), p.id
        assert working_days_between(p.selesai, p.batas_pengisian, CAL) == n


@pytest.mark.parametrize(
    ("pola", "pid", "batas"),
    [
        ("triwulanan", "2026-TW1", "2026-04-08"),  # skips Wafat Yesus Kristus (3 April)
        ("bulanan", "2026-03", "2026-04-08"),
        ("semesteran", "2026-S1", "2026-07-07"),
        ("bulanan", "2026-05", "2026-06-08"),  # skips 1 June (Hari Lahir Pancasila)
    ],
)
def test_known_deadlines(pola: str, pid: str, batas: str) -> None:
    periods = {p.id: p for p in buat_periode(2026, pola, CAL)}
    assert periods[pid].batas_pengisian == D(batas)


def test_annual_deadline_uses_next_year() -> None:
    kal = HolidayCalendar([HariLibur(D("2031-01-01"), "Tahun Baru", JenisLibur.LIBUR_NASIONAL)])
    tahunan = buat_periode(2030, PolaPeriode.SEMESTERAN, kal, batas_hari_kerja=3)[-1]
    assert tahunan.batas_pengisian == D("2031-01-06")  # 2, 3 (Fri), 6 January (Mon)


def test_zero_days_means_last_day() -> None:
    for p in buat_periode(2026, PolaPeriode.BULANAN, CAL, batas_hari_kerja=0):
        assert p.batas_pengisian == p.selesai


@pytest.mark.parametrize(
    ("pid", "pola", "nama", "label_en"),
    [
        ("2026-01", "bulanan", "Januari 2026", "January 2026"),
        ("2026-08", "bulanan", "Agustus 2026", "August 2026"),
        ("2026-TW2", "triwulanan", "Triwulan II 2026", "Quarter II 2026"),
        ("2026-TW4", "triwulanan", "Triwulan IV 2026", "Quarter IV 2026"),
        ("2026-S1", "semesteran", "Semester I 2026", "Semester I 2026"),
        ("2026-TH", "semesteran", "Tahunan 2026", "Annual 2026"),
    ],
)
def test_names(pid: str, pola: str, nama: str, label_en: str) -> None:
    p = {p.id: p for p in buat_periode(2026, pola, CAL)}[pid]
    assert p.nama == nama
    assert p.label("en") == label_en
    assert p.label("id") == nama


@pytest.mark.parametrize(
    ("args", "field", "code"),
    [
        ({"tahun": 1999}, "tahun", "out_of_range"),
        ({"tahun": 2101}, "tahun", "out_of_range"),
        ({"tahun": "2026"}, "tahun", "bad_type"),
        ({"tahun": True}, "tahun", "bad_type"),
        ({"pola": "harian"}, "pola", "unknown"),
        ({"batas_hari_kerja": -1}, "batas_hari_kerja", "negative"),
        ({"batas_hari_kerja": 2.5}, "batas_hari_kerja", "bad_type"),
    ],
)
def test_rejects(args: dict[str, Any], field: str, code: str) -> None:
    kwargs: dict[str, Any] = {"tahun": 2026, "pola": "bulanan", "calendar": CAL, **args}
    with pytest.raises(ValidationError) as e:
        buat_periode(**kwargs)
    assert (e.value.field, e.value.code) == (field, code)


@pytest.mark.parametrize(
    ("pola", "d", "expected"),
    [
        ("triwulanan", "2026-01-01", "2026-TW1"),
        ("triwulanan", "2026-03-31", "2026-TW1"),
        ("triwulanan", "2026-04-01", "2026-TW2"),
        ("triwulanan", "2026-12-31", "2026-TW4"),
        ("bulanan", "2026-02-28", "2026-02"),
        ("semesteran", "2026-07-01", "2026-S2"),
        ("semesteran", "2027-01-01", None),  # another year: no period, never the annual one
    ],
)
def test_periode_untuk_tanggal(pola: str, d: str, expected: str | None) -> None:
    found = periode_untuk_tanggal(buat_periode(2026, pola, CAL), D(d))
    assert (found.id if found else None) == expected


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(list(PolaPeriode)),
)
def test_every_day_has_exactly_one_period(d: date, pola: PolaPeriode) -> None:
    periods = buat_periode(d.year, pola, CAL, batas_hari_kerja=1)
    containing = [p for p in periods if p.jenis is not JenisPeriode.TAHUNAN and p.memuat(d)]
    assert len(containing) == 1
    assert periode_untuk_tanggal(periods, d) == containing[0]
