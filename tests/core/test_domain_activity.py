"""Log harian, service logs and pelatihan validation (asndesk.domain.activity, .parsing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asndesk.domain.activity import (
    HAK_JP_TAHUNAN,
    LogHarian,
    StatusLayanan,
    daily_total_warning,
    jp_summary,
    new_jenis_layanan,
    new_log_harian,
    new_log_layanan,
    new_pelatihan,
    overlapping,
)
from asndesk.domain.calendar import (
    default_calendar,
    service_duration_working_days,
    within_standard,
)
from asndesk.domain.parsing import parse_jam, parse_tanggal
from asndesk.errors import ValidationError
from asndesk.i18n import set_locale

TODAY = date(2026, 11, 23)
WIB = timedelta(hours=7)


def log(**changes: Any) -> LogHarian:
    fields: dict[str, Any] = {
        "id": "log-1",
        "tanggal": "2026-11-23",
        "jam_mulai": "07:30",
        "jam_selesai": "09:00",
        "kegiatan": "Menyusun laporan",
        "hari_ini": TODAY,
    }
    fields.update(changes)
    return new_log_harian(**fields)


def assert_rejected(fn: Any, field: str, code: str, **kwargs: Any) -> None:
    with pytest.raises(ValidationError) as e:
        fn(**kwargs)
    assert (e.value.field, e.value.code) == (field, code)
    assert e.value.message()  # the message formats with its own parameters


# --------------------------------------------------------------------------- log harian


@pytest.mark.parametrize(
    "tanggal", ["2026-11-23", "23/11/2026", "23-11-2026", " 23/11/2026 ", date(2026, 11, 23)]
)
def test_date_formats(tanggal: Any) -> None:
    assert log(tanggal=tanggal).tanggal == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("jam", "expected"),
    [
        ("07:30", time(7, 30)),
        ("07.30", time(7, 30)),
        ("7:30", time(7, 30)),
        ("7.05", time(7, 5)),
        ("07:30:00", time(7, 30)),
    ],
)
def test_time_formats(jam: str, expected: time) -> None:
    assert log(jam_mulai=jam, jam_selesai="23:59").jam_mulai == expected


def test_valid_log() -> None:
    entry = log(jam_selesai="16.00", output_jumlah="2,5", output_satuan="Dokumen", rhk_id=" rhk-1 ")
    assert entry.durasi_menit == 510
    assert entry.output_jumlah == Decimal("2.5")
    assert (entry.output_satuan, entry.rhk_id) == ("Dokumen", "rhk-1")
    assert log(kegiatan="baris 1\n\tbaris 2").kegiatan == "baris 1\n\tbaris 2"
    assert log(tanggal="2026-11-24").tanggal == date(2026, 11, 24)  # tomorrow: time-zone slack
    assert log(output_jumlah="", output_satuan=" ").output_jumlah is None


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"tanggal": "2026-13-01"}, "tanggal", "bad_date"),
        ({"tanggal": "31/02/2026"}, "tanggal", "bad_date"),
        ({"tanggal": "23 Nov 2026"}, "tanggal", "bad_date"),
        ({"tanggal": ""}, "tanggal", "missing"),
        ({"tanggal": "2026-11-25"}, "tanggal", "future_date"),
        ({"jam_mulai": "25:00"}, "jam_mulai", "bad_time"),
        ({"jam_mulai": "7"}, "jam_mulai", "bad_time"),
        ({"jam_selesai": "9:6"}, "jam_selesai", "bad_time"),
        ({"jam_selesai": "07:30"}, "jam_selesai", "end_before_start"),
        ({"jam_selesai": "07.00"}, "jam_selesai", "end_before_start"),
        ({"kegiatan": ""}, "kegiatan", "missing"),
        ({"kegiatan": "   "}, "kegiatan", "missing"),
        ({"kegiatan": "a" * 2001}, "kegiatan", "too_long"),
        ({"kegiatan": "rapat\x00"}, "kegiatan", "bad_chars"),
        ({"kegiatan": "rapat\x07 pagi"}, "kegiatan", "bad_chars"),
        ({"output_jumlah": "-1", "output_satuan": "Dokumen"}, "output_jumlah", "negative"),
        ({"output_jumlah": "dua", "output_satuan": "Dokumen"}, "output_jumlah", "bad_number"),
        ({"output_jumlah": 2.5, "output_satuan": "Dokumen"}, "output_jumlah", "bad_number"),
        ({"output_jumlah": "2"}, "output_satuan", "missing"),
        ({"output_satuan": "Dokumen"}, "output_jumlah", "missing"),
        ({"output_jumlah": "1", "output_satuan": "x" * 51}, "output_satuan", "too_long"),
        ({"id": ""}, "id", "missing"),
    ],
)
def test_log_harian_rejects(changes: dict[str, Any], field: str, code: str) -> None:
    assert_rejected(log, field, code, **changes)


def test_2000_characters_is_allowed() -> None:
    assert len(log(kegiatan="a" * 2000).kegiatan) == 2000


@pytest.mark.parametrize(
    ("existing", "new", "warn"),
    [(0, 450, False), (0, 451, True), (300, 150, False), (300, 151, True), (0, 0, False)],
)
def test_daily_total_warning(existing: int, new: int, warn: bool) -> None:
    w = daily_total_warning(existing, new)
    assert (w is not None) is warn
    if w is not None:
        assert (w.total_menit, w.batas_menit) == (existing + new, 450)
        assert "{total}" in w.message_id


def test_daily_total_message() -> None:
    w = daily_total_warning(400, 51)
    assert w is not None
    set_locale("id")
    assert "7 jam 31 menit" in w.message() and "7 jam 30 menit" in w.message()


@pytest.mark.parametrize("bad", [-1, True, 1.5])
def test_daily_total_rejects(bad: Any) -> None:
    with pytest.raises(ValidationError):
        daily_total_warning(bad, 10)
    with pytest.raises(ValidationError):
        daily_total_warning(10, bad)


@pytest.mark.parametrize(
    ("mulai", "selesai", "hits"),
    [
        ("08:00", "09:00", ["a"]),  # inside a
        ("09:00", "10:00", []),  # touches a's end and b's start
        ("09:30", "10:30", ["b"]),
        ("07:00", "12:00", ["a", "b"]),
        ("12:00", "13:00", []),
    ],
)
def test_overlapping(mulai: str, selesai: str, hits: list[str]) -> None:
    existing = [
        log(id="a", jam_mulai="07:30", jam_selesai="09:00"),
        log(id="b", jam_mulai="10:00", jam_selesai="11:00"),
        log(id="c", tanggal="2026-11-22", jam_mulai="07:00", jam_selesai="12:00"),  # other day
    ]
    new = log(id="new", jam_mulai=mulai, jam_selesai=selesai)
    assert [e.id for e in overlapping(existing, new)] == hits
    # editing "a" itself is not an overlap with its old version
    assert "a" not in [e.id for e in overlapping(existing, log(id="a", jam_mulai="08:00"))]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_tanggal_round_trip(d: date) -> None:
    for teks in (
        d.isoformat(),
        d.strftime("%d/%m/%Y"),
        d.strftime("%d-%m-%Y"),
        f"{d.day}/{d.month}/{d.year}",
    ):
        assert parse_tanggal("tanggal", teks) == d


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_parse_jam_round_trip(t: time) -> None:
    for teks in (t.strftime("%H:%M"), t.strftime("%H.%M"), f"{t.hour}:{t.minute:02d}"):
        assert parse_jam("jam", teks) == t


@given(st.integers(0, 1438), st.integers(1, 1439))
def test_durasi_is_difference(a: int, b: int) -> None:
    if b <= a:
        return
    entry = log(jam_mulai=f"{a // 60}:{a % 60:02d}", jam_selesai=f"{b // 60}:{b % 60:02d}")
    assert entry.durasi_menit == b - a


# --------------------------------------------------------------------------- layanan


def layanan(**changes: Any) -> Any:
    fields: dict[str, Any] = {
        "id": "l-1",
        "jenis_layanan_id": "jl-1",
        "diterima_pada": "2026-11-20 09:15",
    }
    fields.update(changes)
    return new_log_layanan(**fields)


@pytest.mark.parametrize(
    ("teks", "expected"),
    [
        ("2026-11-20 09:15", datetime(2026, 11, 20, 9, 15, tzinfo=timezone(WIB))),
        ("20/11/2026 09.15", datetime(2026, 11, 20, 9, 15, tzinfo=timezone(WIB))),
        ("2026-11-20T09:15", datetime(2026, 11, 20, 9, 15, tzinfo=timezone(WIB))),
        (
            "2026-11-20 09:15 +08:00",
            datetime(2026, 11, 20, 9, 15, tzinfo=timezone(timedelta(hours=8))),
        ),
        ("2026-11-20T02:15Z", datetime(2026, 11, 20, 2, 15, tzinfo=UTC)),
    ],
)
def test_layanan_times(teks: str, expected: datetime) -> None:
    got = layanan(diterima_pada=teks).diterima_pada
    assert got == expected and got.utcoffset() == expected.utcoffset()


def test_layanan_default_offset_and_complete_record() -> None:
    wit = timezone(timedelta(hours=9))
    entry = layanan(
        selesai_pada="2026-11-24 10:00", status="selesai", hasil="Izin terbit", kepuasan="4",
        pengaduan=True, pengaduan_selesai=True, catatan=" ", zona_default=wit,
    )  # fmt: skip
    assert entry.diterima_pada.utcoffset() == timedelta(hours=9)
    assert (entry.status, entry.kepuasan, entry.catatan) == (StatusLayanan.SELESAI, 4, None)
    assert layanan(selesai_pada="", status="diproses").selesai_pada is None


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        (
            {"selesai_pada": "2026-11-20 09:00", "status": "selesai"},
            "selesai_pada",
            "end_before_start",
        ),
        ({"status": "selesai"}, "selesai_pada", "missing"),
        (
            {"selesai_pada": "2026-11-21 09:00", "status": "diproses"},
            "selesai_pada",
            "not_finished",
        ),
        ({"status": "batal"}, "status", "unknown"),
        ({"kepuasan": 0}, "kepuasan", "out_of_range"),
        ({"kepuasan": 5}, "kepuasan", "out_of_range"),
        ({"kepuasan": "2,5"}, "kepuasan", "out_of_range"),
        ({"pengaduan_selesai": True}, "pengaduan_selesai", "without_complaint"),
        ({"pengaduan": "ya"}, "pengaduan", "bad_type"),
        ({"diterima_pada": "2026-11-20"}, "diterima_pada", "bad_datetime"),
        ({"diterima_pada": "2026-11-20 09:15 +25:00"}, "diterima_pada", "bad_offset"),
        ({"diterima_pada": "2026-11-20 9"}, "diterima_pada", "bad_time"),
        ({"diterima_pada": ""}, "diterima_pada", "missing"),
        ({"jenis_layanan_id": ""}, "jenis_layanan_id", "missing"),
        ({"hasil": "ok\x00"}, "hasil", "bad_chars"),
    ],
)
def test_layanan_rejects(changes: dict[str, Any], field: str, code: str) -> None:
    assert_rejected(layanan, field, code, **changes)


def test_service_against_standard() -> None:
    jenis = new_jenis_layanan(
        id="jl-1", kode="KTP", nama="Perekaman KTP-el", standar_hari_kerja="3"
    )
    entry = layanan(
        diterima_pada="2026-03-17 10:00", selesai_pada="2026-03-25 09:00", status="selesai"
    )
    assert entry.selesai_pada is not None
    durasi = service_duration_working_days(
        entry.diterima_pada, entry.selesai_pada, default_calendar()
    )
    assert durasi == 1  # Nyepi, Idulfitri and cuti bersama are not counted
    assert within_standard(durasi, jenis.standar_hari_kerja)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"standar_hari_kerja": -1}, "standar_hari_kerja", "negative"),
        ({"standar_hari_kerja": "2,5"}, "standar_hari_kerja", "bad_type"),
        ({"standar_hari_kerja": ""}, "standar_hari_kerja", "missing"),
        ({"kode": ""}, "kode", "missing"),
        ({"nama": "x" * 501}, "nama", "too_long"),
    ],
)
def test_jenis_layanan_rejects(changes: dict[str, Any], field: str, code: str) -> None:
    fields = {"id": "jl", "kode": "K", "nama": "Layanan", "standar_hari_kerja": 5, **changes}
    assert_rejected(new_jenis_layanan, field, code, **fields)


def test_jenis_layanan_zero_standard() -> None:
    assert (
        new_jenis_layanan(id="jl", kode="K", nama="N", standar_hari_kerja=0).standar_hari_kerja == 0
    )


# --------------------------------------------------------------------------- pelatihan


def pelatihan(**changes: Any) -> Any:
    fields: dict[str, Any] = {
        "id": "p-1", "nama": "Pelatihan SKP", "tanggal_mulai": "2026-03-02",
        "tanggal_selesai": "2026-03-04", "jp": 8,
    }  # fmt: skip
    fields.update(changes)
    return new_pelatihan(**fields)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"tanggal_selesai": "2026-03-01"}, "tanggal_selesai", "end_before_start"),
        ({"jp": 0}, "jp", "not_positive"),
        ({"jp": "-2"}, "jp", "not_positive"),
        ({"jp": 1001}, "jp", "too_large"),
        ({"jp": "1000,5"}, "jp", "too_large"),
        ({"jp": ""}, "jp", "missing"),
        ({"nama": ""}, "nama", "missing"),
    ],
)
def test_pelatihan_rejects(changes: dict[str, Any], field: str, code: str) -> None:
    assert_rejected(pelatihan, field, code, **changes)


def test_jp_summary() -> None:
    trainings = [
        pelatihan(id="a", jp=8, penyelenggara="BKPSDM"),
        pelatihan(id="b", jp="4,5", tanggal_mulai="2026-11-30", tanggal_selesai="2026-11-30"),
        # started in 2026 but ended in 2027: counts for 2027
        pelatihan(id="c", jp=10, tanggal_mulai="2026-12-30", tanggal_selesai="2027-01-02"),
        pelatihan(id="d", jp=1000, tanggal_mulai="2025-01-06", tanggal_selesai="2025-06-30"),
    ]
    r = jp_summary(trainings, 2026)
    assert (r.total, r.target, r.kurang, r.terpenuhi) == (
        Decimal("12.5"),
        HAK_JP_TAHUNAN,
        Decimal("7.5"),
        False,
    )
    r27 = jp_summary(trainings, 2027)
    assert (r27.total, r27.kurang) == (Decimal(10), Decimal(10))
    r25 = jp_summary(trainings, 2025)
    assert (r25.kurang, r25.terpenuhi) == (Decimal(0), True)
    assert jp_summary([], 2026).kurang == Decimal(20)
    assert pelatihan(jp="1000").jp == Decimal(1000)


def test_server_instant_reads_the_servers_forms_and_never_raises() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from asndesk.domain.parsing import server_instant
    assert server_instant("2026-12-07T01:02:03Z") == datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC)
    assert server_instant("2026-12-07T08:02:03+07:00") == datetime(
        2026, 12, 7, 8, 2, 3, tzinfo=timezone(timedelta(hours=7)))
    assert server_instant("2026-12-07T01:02:03") == datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC)
    assert [server_instant(v) for v in (None, "", "kemarin", 5)] == [None] * 4
