"""The reads behind the desktop app's Bawahan page: the week's log harian per subordinate, the
kept /me details, and each subordinate's rating of a period (server's, queued, current)."""

from __future__ import annotations

from datetime import date

from asndesk.workspace import Workspace
from tests.conftest import NIP_B
from tests.core.test_team_usecases import NIP_C, Plan, _team, change, roles


def test_log_week_counts_monday_to_sunday_of_today(workspace: Workspace) -> None:
    plan = Plan()
    _team(workspace, plan)  # one log harian on Monday 2 March 2026
    more = [change(6, "log_harian", f"log-{day}", 1, {
        "id": f"log-{day}", "tanggal": day, "jam_mulai": "08:00", "jam_selesai": "09:00",
        "kegiatan": "Rapat", "output_jumlah": None, "output_satuan": None, "rhk_id": None})
        for day in ("2026-03-08", "2026-03-09", "2026-03-01")]
    workspace.apply_pull_page(f"team:{NIP_B}", more, {"epoch": "e", "seq": 6})
    [member] = workspace.team(2026, today=date(2026, 3, 4))  # a Wednesday
    assert member["log_week"] == 2  # Mon 2 and Sun 8 March; not 1 nor 9 March
    assert member["log_harian"] == 4
    assert workspace.team(2026, today=date(2026, 3, 9))[0]["log_week"] == 1


def test_last_seen_and_jenjang_from_me_are_kept(workspace: Workspace) -> None:
    me = roles([NIP_B, NIP_C], [])
    me["subordinates"][0].update(last_seen_at="2026-11-20T01:00:00+00:00",
                                 jenjang="Ahli Pertama")
    workspace.record_roles(me)
    budi, citra = workspace.team(2026)
    assert budi["info"]["last_seen_at"] == "2026-11-20T01:00:00+00:00"
    assert budi["info"]["jenjang"] == "Ahli Pertama"
    assert citra["info"]["jenjang"] is None and citra["skp"] is None


def test_team_ratings_prefer_a_queued_rating_until_the_servers_arrives(
        workspace: Workspace) -> None:
    plan = Plan(status="Disetujui")
    _team(workspace, plan, version=4)
    [entry] = workspace.team_ratings(2026, "2026-TW1")
    assert entry["skp"]["jenis_jabatan"] == "pelaksana"
    assert (entry["rating"], entry["queued"], entry["current"]) == (None, None, None)

    [op] = workspace.rate_skp(plan.skp, "2026-TW1", "Di Atas Ekspektasi",
                              "Sesuai Ekspektasi").ops
    [entry] = workspace.team_ratings(2026, "2026-TW1")
    assert entry["queued"]["state"] == "pending"
    assert entry["current"] == {"rating_hasil_kerja": "Di Atas Ekspektasi",
                                "rating_perilaku": "Sesuai Ekspektasi", "predikat": "Baik",
                                "source": "queued"}
    assert workspace.team_ratings(2026, "2026-TW2")[0]["current"] is None  # another period

    workspace.record_push_results([{"seq": op.seq, "op_id": op.op_id, "status": "applied",
                                    "version": 1}])
    assert workspace.team_ratings(2026, "2026-TW1")[0]["current"]["source"] == "queued"
    workspace.apply_pull_page(f"team:{NIP_B}", [change(6, "penilaian", op.entity_id, 1, {
        "id": op.entity_id, "skp_id": plan.skp, "period_id": "2026-TW1",
        "rating_hasil_kerja": "Di Atas Ekspektasi", "rating_perilaku": "Sesuai Ekspektasi",
        "predikat": "Baik"})], {"epoch": "e", "seq": 6})
    [entry] = workspace.team_ratings(2026, "2026-TW1")
    assert entry["rating"]["predikat"] == "Baik"
    assert entry["current"]["source"] == "server"


def test_a_refused_rating_never_counts(workspace: Workspace) -> None:
    plan = Plan(status="Disetujui")
    _team(workspace, plan, version=4)
    [op] = workspace.rate_skp(plan.skp, "2026-TW1", "Di Bawah Ekspektasi",
                              "Di Bawah Ekspektasi").ops
    workspace.record_push_results([{"seq": op.seq, "op_id": op.op_id, "status": "rejected",
                                    "reason": "E_INVALID_STATE",
                                    "message_id": "skp_not_approved"}])
    [entry] = workspace.team_ratings(2026, "2026-TW1")
    assert entry["queued"]["state"] == "rejected"
    assert entry["queued"]["message_id"] == "skp_not_approved"
    assert entry["current"] is None
