"""The dashboard's data on a real encrypted store: every chart agrees with the domain functions
(`within_standard`, `hitung_ikm`, `distribution_warnings`, `jp_summary`), per scope.

Replica rows arrive the way sync writes them: through `apply_pull_page`.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from asndesk.dashboard_usecases import latest_ratings
from asndesk.domain.activity import jp_summary, new_pelatihan
from asndesk.domain.calendar import within_standard
from asndesk.domain.formatting import bulatkan
from asndesk.domain.ikm import UNSUR_SKM, SkmResponse, hitung_ikm
from asndesk.domain.ratings import CapaianOrganisasi, Predikat, distribution_warnings
from asndesk.errors import NotFound
from asndesk.store import rows
from asndesk.store.ids import uuid7
from asndesk.workspace import Workspace
from tests.conftest import NIP, NIP_B

NIP_C = "199203032019031003"
NIP_D = "199505052020121004"
UNIT = "kec-sukamaju"
YEAR = 2026
NAMES = {NIP_B: "Budi Santoso", NIP_C: "Citra Dewi", NIP_D: "Dewi Lestari"}


def change(seq: int, kind: str, data: dict[str, Any], owner: str) -> dict[str, Any]:
    return {"server_seq": seq, "entity_kind": kind, "entity_id": data["id"], "version": 1,
            "data": data, "owner_nip": owner, "updated_at": "2026-11-10T08:00:00+00:00"}


def roles(team: list[str], unit: list[str]) -> dict[str, Any]:
    return {
        "nip": NIP, "nama": "Siti Aminah", "unit_id": UNIT, "is_admin": False,
        "subordinates": [{"nip": n, "nama": NAMES[n], "jabatan": None, "unit_id": UNIT,
                          "link_id": uuid7(), "berlaku_mulai": "2026-01-01",
                          "berlaku_sampai": None, "atasan_penilai_nip": None} for n in team],
        "hr_units": [{"id": UNIT, "nama": "Kecamatan Sukamaju", "members": [
            {"nip": n, "nama": NAMES[n], "jabatan": None} for n in unit]}] if unit else [],
    }


def rating(owner: str, predikat: Predikat, period: str = "2026-TH",
           capaian: str | None = None) -> dict[str, Any]:
    return {"id": uuid7(), "skp_id": f"skp-{owner}", "period_id": period,
            "rating_hasil_kerja": "Sesuai Ekspektasi", "rating_perilaku": "Sesuai Ekspektasi",
            "predikat": predikat.value, "capaian_organisasi": capaian,
            "dinilai_pada": "2026-12-01T08:00:00+00:00"}


def add_form(ws: Workspace, unit: str, tanggal: str, answers: list[int | None]) -> SkmResponse:
    row = {"id": uuid7(), "unit_layanan": unit, "tanggal": tanggal,
           **{f"u{i + 1}": a for i, a in enumerate(answers)}}
    with ws.store.write(ws.owner_nip) as tx:
        rows.insert(tx, "skm_response", {**row, "created_at": tx.now_utc})
    return SkmResponse({f"U{i + 1}": a for i, a in enumerate(answers)})


@pytest.fixture
def own(workspace: Workspace) -> Workspace:
    """Two service types, five services, three log entries, two trainings."""
    ws = workspace
    ws.add_service_type("KTP", "Perekaman KTP-el", 1)
    ws.add_service_type("KK", "Kartu Keluarga", 3)
    for jenis, got, done in (("KTP", "2026-03-02T08:00", "2026-03-02T10:00"),
                             ("KTP", "2026-03-03T08:00", "2026-03-09T10:00"),
                             ("KK", "2026-03-04T08:00", "2026-03-06T10:00"),
                             ("KK", "2026-05-11T08:00", "2026-05-20T10:00")):
        ws.add_service_log(jenis, got, selesai=done)
    ws.add_service_log("KK", "2026-05-12T08:00")  # still open: not in either chart
    ws.add_log("2026-03-04", "08:00", "10:30", "Rapat koordinasi")
    ws.add_log("2026-03-04", "13:00", "14:00", "Menyusun notula")
    ws.add_log("2026-06-01", "08:00", "09:00", "Apel pagi")
    ws.add_training("Pelatihan SKP", "2026-02-02", "2026-02-03", "8")
    ws.add_training("Bimtek layanan", "2026-04-06", "2026-04-07", "2,5")
    return ws


def test_own_scope_is_all_a_new_profile_sees(workspace: Workspace) -> None:
    assert [s.key for s in workspace.dashboard_scopes()] == ["own"]
    board = workspace.dashboard("own", YEAR)
    assert [c.key for c in board.charts] == ["durasi", "standar", "predikat", "ikm",
                                              "aktivitas", "jp"]
    assert [c.kind for c in board.charts] == ["line", "bar", "bar", "bar", "heatmap", "bar"]
    assert all(c.summary.strip() for c in board.charts)
    with pytest.raises(NotFound):
        workspace.dashboard("team", YEAR)  # no subordinates: the team is not this person's


def test_service_charts_agree_with_the_stored_durations_and_the_standard(own: Workspace
                                                                         ) -> None:
    done = [r for r in own.service_logs() if r["status"] == "selesai"]
    standard = {t["id"]: t for t in own.service_types()}
    board = own.dashboard("own", YEAR)
    trend = board.chart("durasi")
    per_month: dict[str, list[int]] = {}
    for r in done:
        per_month.setdefault(r["diterima_tanggal"][5:7], []).append(r["durasi_hari_kerja"])
    assert len(trend.categories) == len(per_month) == 2
    assert list(trend.series[0].values) == [
        float(bulatkan(Fraction(sum(v), len(v)), 1)) for _m, v in sorted(per_month.items())]
    assert list(trend.series[1].values) == [len(v) for _m, v in sorted(per_month.items())]

    share = board.chart("standar")
    for name, value, count in zip(share.categories, share.series[0].values,
                                  share.series[1].values, strict=True):
        kind = next(t for t in standard.values() if name.startswith(t["kode"] + " "))
        mine = [r for r in done if r["service_type_id"] == kind["id"]]
        ok = sum(within_standard(r["durasi_hari_kerja"], kind["standar_hari_kerja"])
                 for r in mine)
        assert count == len(mine) and value == float(bulatkan(Fraction(ok * 100, len(mine)), 1))
    assert share.series[1].in_chart is False and share.value_max == 100


def test_satisfaction_chart_is_hitung_ikm_per_element(own: Workspace) -> None:
    big = [add_form(own, "Loket KTP", f"2026-04-{d:02d}", [4, 3, 2, 4, 3, 3, 4, None, 3])
           for d in range(1, 4)]
    big.append(add_form(own, "Loket KTP", "2026-04-05", [3, 3, 3, 3, 3, 3, 3, 2, 3]))
    small = [add_form(own, "Loket KK", "2026-04-06", [2, 2, 2, 2, 2, 2, 2, 2, 2])]
    add_form(own, "Loket KTP", "2025-12-31", [1] * 9)  # another year: not counted
    chart = own.dashboard("own", YEAR).chart("ikm")
    assert len(chart.categories) == len(UNSUR_SKM) and chart.value_max == 4
    expected = hitung_ikm(big)
    assert chart.series[0].name.endswith("Loket KTP")  # the unit with most forms comes first
    assert list(chart.series[0].values) == [float(bulatkan(expected.nrr[k], 2))
                                            for k in UNSUR_SKM]
    assert list(chart.series[1].values) == [
        float(bulatkan(hitung_ikm(small).nrr[k], 2)) for k in UNSUR_SKM]
    ikm = str(expected.ikm_konversi_bulat).replace(".", ",")
    assert ikm in chart.summary and expected.mutu.kinerja_unit in chart.summary


def test_activity_calendar_counts_hours_per_weekday(own: Workspace) -> None:
    chart = own.dashboard("own", YEAR).chart("aktivitas")
    assert len(chart.series) == 7 and len(chart.categories) == 53  # 29 Dec 2025 … 28 Dec 2026
    wednesday = chart.series[2].values
    week = next(i for i, label in enumerate(chart.categories) if "2 Mar 2026" in label)
    assert wednesday[week] == 3.5  # 2½ + 1 hours on Wednesday 4 March
    assert chart.series[0].values[week + 13] == 1.0  # Monday 1 June
    assert sum(sum(s.values) for s in chart.series) == 4.5
    assert chart.summary.startswith("4,5 ") and " 2 " in chart.summary


def test_jp_chart_agrees_with_jp_summary(own: Workspace) -> None:
    chart = own.dashboard("own", YEAR).chart("jp")
    assert len(chart.categories) == 12
    assert chart.series[0].values[1] == 8 and chart.series[0].values[3] == 2.5
    found = [new_pelatihan(id=r["id"], nama=r["nama"], tanggal_mulai=r["tanggal_mulai"],
                           tanggal_selesai=r["tanggal_selesai"], jp=r["jp"])
             for r in own.trainings(YEAR)]
    summary = jp_summary(found, YEAR)
    assert summary.total == Decimal("10.5")
    assert "10,5 JP" in chart.summary and "9,5 JP" in chart.summary


def seed_team(ws: Workspace) -> None:
    ws.record_roles(roles([NIP_B, NIP_C], [NIP_B, NIP_C, NIP_D]))
    ws.apply_pull_page(f"team:{NIP_B}", [
        change(1, "penilaian", rating(NIP_B, Predikat.BUTUH_PERBAIKAN, "2026-TW1"), NIP_B),
        change(2, "penilaian", rating(NIP_B, Predikat.BAIK), NIP_B),  # the annual one counts
        change(3, "log_harian", {"id": uuid7(), "tanggal": "2026-03-05", "jam_mulai": "08:00",
                                 "jam_selesai": "12:00", "kegiatan": "Rekam"}, NIP_B),
        change(4, "pelatihan", {"id": uuid7(), "nama": "Diklat", "tanggal_mulai": "2026-05-01",
                                "tanggal_selesai": "2026-05-03", "jp": "24"}, NIP_B),
    ], {"epoch": "e", "seq": 4})
    ws.apply_pull_page(f"team:{NIP_C}", [
        change(1, "penilaian", rating(NIP_C, Predikat.SANGAT_BAIK), NIP_C),
    ], {"epoch": "e", "seq": 1})
    ws.apply_pull_page(f"unit:{UNIT}", [
        change(1, "penilaian", rating(NIP_B, Predikat.BAIK, capaian="Baik"), NIP_B),
        change(2, "penilaian", rating(NIP_C, Predikat.SANGAT_BAIK, capaian="Baik"), NIP_C),
        change(3, "penilaian", rating(NIP_D, Predikat.BAIK, capaian="Baik"), NIP_D),
        change(4, "penilaian", rating(NIP_D, Predikat.SANGAT_KURANG, "2025-TH"), NIP_D),
    ], {"epoch": "e", "seq": 4})


def test_team_and_unit_scopes_read_their_partitions_only(workspace: Workspace) -> None:
    seed_team(workspace)
    assert [s.key for s in workspace.dashboard_scopes()] == ["own", "team", f"unit:{UNIT}"]
    team = workspace.dashboard("team", YEAR)
    predikat = team.chart("predikat")
    counts = dict(zip(predikat.categories, predikat.series[-1].values, strict=True))
    assert counts == {"Sangat Kurang": 0, "Kurang/Misconduct": 0, "Butuh Perbaikan": 0,
                      "Baik": 1, "Sangat Baik": 1}
    # The team's ratings name no capaian and no /me value is stored: nothing to compare with.
    assert len(predikat.chart_series) == 1 and predikat.notes == ()
    assert team.chart("aktivitas").summary.startswith("4 ")
    jp = team.chart("jp")
    assert jp.categories == (f"Budi Santoso ({NIP_B})", f"Citra Dewi ({NIP_C})")
    assert jp.series[0].values == (24.0, 0.0)
    unit = workspace.dashboard(f"unit:{UNIT}", YEAR)
    assert len(unit.chart("jp").categories) == 3
    assert sum(unit.chart("aktivitas").series[3].values) == 0  # team logs stay in the team
    with pytest.raises(NotFound):
        workspace.dashboard("unit:somewhere-else", YEAR)


def test_unit_distribution_is_compared_with_the_organisation_predicate(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_team(workspace)
    asked: list[tuple[int, str | None]] = []

    def capaian(tahun: int, unit_id: str | None = None) -> str | None:
        asked.append((tahun, unit_id))
        return "Sangat Kurang"
    monkeypatch.setattr(workspace, "capaian_organisasi", capaian)
    chart = workspace.dashboard(f"unit:{UNIT}", YEAR).chart("predikat")
    assert asked == [(YEAR, UNIT)]
    counts = {Predikat.BAIK: 2, Predikat.SANGAT_BAIK: 1}
    expected = distribution_warnings(CapaianOrganisasi.SANGAT_KURANG, counts)
    assert len(expected) == 3 and chart.notes == tuple(w.message() for w in expected)
    share, pattern = chart.chart_series
    assert share.values == (0.0, 0.0, 0.0, 66.7, 33.3)
    assert pattern.values == (60.0, 20.0, 12.0, 8.0, 0.0)
    assert " 3 " in chart.summary


def test_unit_capaian_falls_back_to_what_the_ratings_name(workspace: Workspace) -> None:
    seed_team(workspace)
    chart = workspace.dashboard(f"unit:{UNIT}", YEAR).chart("predikat")
    counts = Counter({Predikat.BAIK: 2, Predikat.SANGAT_BAIK: 1})
    expected = distribution_warnings(CapaianOrganisasi.BAIK, counts)
    assert [w.code for w in expected] == ["butuh_perbaikan_or_kurang_missing"]
    assert chart.notes == tuple(w.message() for w in expected)
    assert "Baik" in chart.chart_series[1].name


def test_latest_rating_per_person_prefers_the_annual_one() -> None:
    records = [{"id": "a", "owner_nip": NIP_B, "period_id": "2026-TW4", "predikat": "Baik",
                "dinilai_pada": "2026-12-30"},
               {"id": "b", "owner_nip": NIP_B, "period_id": "2026-TH", "predikat": "Sangat Baik",
                "dinilai_pada": "2026-12-01"},
               {"id": "c", "owner_nip": NIP_C, "period_id": "2026-TW1", "predikat": "Baik",
                "dinilai_pada": "2026-04-01"},
               {"id": "d", "owner_nip": NIP_C, "period_id": "2026-TW2", "predikat": "Kurang",
                "dinilai_pada": "2026-07-01"},
               {"id": "e", "owner_nip": NIP_D, "period_id": "2025-TH", "predikat": "Baik"}]
    assert sorted(r["id"] for r in latest_ratings(records, YEAR)) == ["b", "d"]


def test_unit_satisfaction_counts_own_and_members_forms_once(workspace: Workspace) -> None:
    seed_team(workspace)
    own_forms = [add_form(workspace, f"Loket {n}", "2026-04-01", [3] * 9) for n in "ABCD"]
    member = {"id": uuid7(), "unit_layanan": "Loket A", "tanggal": "2026-04-02",
              **{f"u{i}": 4 for i in range(1, 10)}}
    broken = {**member, "id": uuid7(), "u1": 7}  # damaged on some device: left out, said so
    workspace.apply_pull_page(f"unit:{UNIT}", [
        change(9, "skm_response", member, NIP_B), change(10, "skm_response", broken, NIP_B)],
        {"epoch": "e", "seq": 10})
    chart = workspace.dashboard(f"unit:{UNIT}", YEAR).chart("ikm")
    expected = hitung_ikm([own_forms[0], SkmResponse({f"U{i}": 4 for i in range(1, 10)})])
    assert chart.series[0].name.endswith("Loket A")
    assert list(chart.series[0].values) == [float(bulatkan(expected.nrr[k], 2))
                                            for k in UNSUR_SKM]
    assert len(chart.series) == 3 and len(chart.notes) == 2  # Loket D not shown; 1 damaged
    assert "Loket D" in chart.notes[0] and "1" in chart.notes[1]
    # One's own view counts only the forms typed in on this device.
    assert workspace.dashboard("own", YEAR).chart("ikm").series[0].values[0] == 3.0
