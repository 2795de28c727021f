"""The supervisor's and HR officer's use cases on a real encrypted store, without a server.

Replica rows arrive the way sync writes them: through `apply_pull_page`.
"""

from __future__ import annotations

from typing import Any

import pytest

from asndesk.cli.main import main
from asndesk.errors import InvalidState, NotFound, ValidationError
from asndesk.store.ids import uuid7
from asndesk.team_usecases import DecisionPending
from asndesk.workspace import Workspace
from tests.conftest import NIP, NIP_B, PASSWORD

NIP_C = "199203032019031003"
UNIT = "kec-sukamaju"


def change(seq: int, kind: str, entity_id: str, version: int, data: dict[str, Any] | None,
           owner: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"server_seq": seq, "entity_kind": kind, "entity_id": entity_id,
                           "version": version, "data": data,
                           "updated_at": f"2026-11-{10 + seq % 10:02d}T08:00:00+00:00"}
    if owner:
        out["owner_nip"] = owner
    return out


def roles(subordinates: list[str], unit_members: list[str]) -> dict[str, Any]:
    names = {NIP_B: "Budi Santoso", NIP_C: "Citra Dewi"}
    return {
        "nip": NIP, "nama": "Siti Aminah", "jabatan": "Kasi", "unit_id": UNIT, "is_admin": False,
        "subordinates": [{"nip": n, "nama": names[n], "jabatan": "Pengadministrasi",
                          "unit_id": UNIT, "link_id": uuid7(), "berlaku_mulai": "2026-01-01",
                          "berlaku_sampai": None, "atasan_penilai_nip": None}
                         for n in subordinates],
        "hr_units": [{"id": UNIT, "nama": "Kecamatan Sukamaju", "members": [
            {"nip": n, "nama": names[n], "jabatan": None,
             "last_seen_at": "2026-11-20T01:00:00+00:00"} for n in unit_members]}]
        if unit_members else [],
        "server_time": "2026-11-23T01:00:00+00:00",
    }


class Plan:
    """One subordinate's submitted SKP with an RHK, an IKI, a realisasi and a log harian."""

    def __init__(self, owner: str = NIP_B, status: str = "Diajukan") -> None:
        self.owner = owner
        self.skp, self.rhk, self.iki = uuid7(), uuid7(), uuid7()
        self.realisasi, self.log = uuid7(), uuid7()
        self.status = status

    def changes(self, version: int = 3, with_owner: bool = False) -> list[dict[str, Any]]:
        owner = self.owner if with_owner else None
        return [
            change(1, "rhk", self.rhk, 1, {"id": self.rhk, "skp_id": self.skp, "jenis": "utama",
                                           "urutan": 1, "teks": "Terlaksananya perekaman KTP-el",
                                           "rhk_atasan": "Cakupan KTP-el", "perspektif": None},
                   owner),
            change(2, "iki", self.iki, 1, {"id": self.iki, "rhk_id": self.rhk,
                                           "skp_id": self.skp, "urutan": 1, "aspek": "Kuantitas",
                                           "indikator": "KTP-el terekam", "target_nilai": "1200",
                                           "target_satuan": "Keping"}, owner),
            change(3, "realisasi", self.realisasi, 1, {
                "id": self.realisasi, "iki_id": self.iki, "period_id": "2026-TW1",
                "nilai": "300", "uraian": "Terekam 300 keping"}, owner),
            change(4, "log_harian", self.log, 1, {
                "id": self.log, "tanggal": "2026-03-02", "jam_mulai": "08:00",
                "jam_selesai": "10:00", "kegiatan": "Merekam KTP-el bawahan",
                "output_jumlah": None, "output_satuan": None, "rhk_id": self.rhk}, owner),
            change(5, "skp", self.skp, version, {
                "id": self.skp, "pegawai_nip": self.owner, "tahun": 2026,
                "jenis_jabatan": "pelaksana", "pendekatan": "kuantitatif",
                "status": self.status, "jabatan": None, "unit_kerja": None}, owner),
        ]


def _team(ws: Workspace, plan: Plan, version: int = 3) -> None:
    ws.record_roles(roles([plan.owner], []))
    ws.apply_pull_page(f"team:{plan.owner}", plan.changes(version), {"epoch": "e", "seq": 5})


def test_team_records_stay_out_of_the_owners_own_tables(workspace: Workspace) -> None:
    plan = Plan()
    _team(workspace, plan)
    assert workspace.logs() == []  # the subordinate's log harian is not the owner's
    assert workspace.skp_list() == []
    [member] = workspace.team(2026)
    assert (member["nip"], member["nama"]) == (NIP_B, "Budi Santoso")
    assert member["skp"]["status"] == "Diajukan" and member["skp"]["version"] == 3
    assert (member["log_harian"], member["realisasi"]) == (1, 1)
    assert member["last_change"] == "2026-11-15T08:00:00+00:00"
    assert workspace.team(2025)[0]["skp"] is None
    view = workspace.team_member(NIP_B, 2026)
    assert view.skp is not None and view.skp.rhk[0].iki[0].indikator == "KTP-el terekam"
    assert [r["uraian"] for r in view.realisasi] == ["Terekam 300 keping"]
    assert view.log_count == 1
    with pytest.raises(NotFound):
        workspace.team_member(NIP_C)


def test_approve_names_the_version_seen_and_is_queued_once(workspace: Workspace) -> None:
    plan = Plan()
    _team(workspace, plan, version=7)
    before = len(workspace.outbox())
    changes = workspace.approve_skp(plan.skp)
    [op] = changes.ops
    assert (op.kind, op.entity_kind, op.entity_id, op.base_version, op.payload) == (
        "approve", "skp", plan.skp, 7, {})
    assert len(workspace.outbox()) == before + 1
    with pytest.raises(DecisionPending):
        workspace.return_skp(plan.skp, "Target terlalu rendah")
    assert workspace.team(2026)[0]["pending_decisions"] == 1
    assert len(workspace.outbox()) == before + 1  # a refused decision writes nothing


def test_return_needs_a_note_and_a_submitted_skp(workspace: Workspace) -> None:
    plan = Plan()
    _team(workspace, plan)
    with pytest.raises(ValidationError) as err:
        workspace.return_skp(plan.skp, "   ")
    assert err.value.field == "catatan"
    assert workspace.outbox() == []
    [op] = workspace.return_skp(plan.skp, "Target IKI terlalu rendah").ops
    assert (op.kind, op.payload, op.base_version) == (
        "return", {"catatan": "Target IKI terlalu rendah"}, 3)
    draft = Plan(status="Draft")
    _team(workspace, draft)
    with pytest.raises(InvalidState):
        workspace.approve_skp(draft.skp)


def test_only_a_current_subordinates_skp_can_be_decided(workspace: Workspace) -> None:
    own = workspace.create_skp(2026, "pelaksana").primary_id or ""
    with pytest.raises(NotFound):
        workspace.approve_skp(own)  # one's own SKP is never approved by oneself
    plan = Plan()
    workspace.record_roles(roles([], [NIP_B]))  # HR of the unit, not the penilai
    workspace.apply_pull_page(f"unit:{UNIT}", plan.changes(with_owner=True),
                              {"epoch": "e", "seq": 5})
    with pytest.raises(NotFound):
        workspace.approve_skp(plan.skp)
    assert [(op.kind, op.entity_id) for op in workspace.outbox()] == [("create", own)]


def test_rating_validates_locally_and_reuses_the_periods_record(workspace: Workspace) -> None:
    plan = Plan(status="Disetujui")
    _team(workspace, plan, version=4)
    with pytest.raises(ValidationError) as err:
        workspace.rate_skp(plan.skp, "2026-TW1", "Di Atas Ekspektasi", "luar biasa")
    assert err.value.field == "rating_perilaku"
    with pytest.raises(ValidationError) as err:
        workspace.rate_skp(plan.skp, "2025-TW1", "Di Atas Ekspektasi", "Sesuai Ekspektasi")
    assert err.value.field == "period_id"
    [op] = workspace.rate_skp(plan.skp, "2026-TW1", "Di Atas Ekspektasi",
                              "Sesuai Ekspektasi").ops
    assert (op.kind, op.entity_kind, op.base_version) == ("rate", "penilaian", 4)
    assert op.payload == {"skp_id": plan.skp, "period_id": "2026-TW1",
                          "rating_hasil_kerja": "Di Atas Ekspektasi",
                          "rating_perilaku": "Sesuai Ekspektasi"}
    # The server's record for that period arrives; rating again must update it, not add one.
    workspace.apply_pull_page(f"team:{NIP_B}", [change(6, "penilaian", op.entity_id, 1, {
        "id": op.entity_id, "skp_id": plan.skp, "period_id": "2026-TW1",
        "rating_hasil_kerja": "Di Atas Ekspektasi", "rating_perilaku": "Sesuai Ekspektasi",
        "predikat": "Baik", "dinilai_pada": "2026-11-20T01:00:00+00:00"})],
        {"epoch": "e", "seq": 6})
    workspace.record_push_results([{"seq": op.seq, "op_id": op.op_id, "status": "applied",
                                    "version": 1}])
    [again] = workspace.rate_skp(plan.skp, "2026-TW1", "Sesuai Ekspektasi",
                                 "Sesuai Ekspektasi").ops
    assert again.entity_id == op.entity_id
    assert workspace.team_member(NIP_B).penilaian[0]["predikat"] == "Baik"
    submitted = Plan()
    _team(workspace, submitted)
    with pytest.raises(InvalidState):
        workspace.rate_skp(submitted.skp, "2026-TW1", "Sesuai Ekspektasi", "Sesuai Ekspektasi")


def test_feedback_points_at_the_skps_own_items(workspace: Workspace) -> None:
    plan = Plan()
    _team(workspace, plan)
    changes = workspace.give_feedback(plan.skp, "Tambahkan bukti foto", sasaran_jenis="realisasi",
                                      sasaran_id=plan.realisasi, period_id="2026-TW1")
    [op] = changes.ops
    assert (op.kind, op.entity_kind, op.entity_id, op.base_version) == (
        "create", "umpan_balik", changes.primary_id, None)
    assert op.payload == {"skp_id": plan.skp, "sasaran_jenis": "realisasi",
                          "sasaran_id": plan.realisasi, "period_id": "2026-TW1",
                          "teks": "Tambahkan bukti foto"}
    with pytest.raises(NotFound):
        workspace.give_feedback(plan.skp, "x", sasaran_jenis="rhk", sasaran_id=plan.iki)
    with pytest.raises(ValidationError) as err:
        workspace.give_feedback(plan.skp, "x", sasaran_jenis="sasaran")
    assert err.value.field == "sasaran_jenis"
    [general] = workspace.give_feedback(plan.skp, "Bagus").ops
    assert general.payload == {"skp_id": plan.skp, "sasaran_jenis": "umum", "teks": "Bagus"}


def test_a_refused_decision_stays_visible_with_its_reason(workspace: Workspace) -> None:
    plan = Plan()
    _team(workspace, plan)
    [op] = workspace.approve_skp(plan.skp).ops
    workspace.record_push_results([{
        "seq": op.seq, "op_id": op.op_id, "status": "rejected", "reason": "E_STALE_DECISION",
        "message_id": "stale_decision", "params": {"seen": 3, "current": 4}}])
    [decision] = workspace.team_member(NIP_B).decisions
    assert (decision["state"], decision["reason"], decision["params"]) == (
        "rejected", "E_STALE_DECISION", {"seen": 3, "current": 4})
    assert workspace.team(2026)[0]["pending_decisions"] == 0
    workspace.approve_skp(plan.skp)  # deciding again is allowed once the first was refused


def test_roles_that_end_take_their_records_and_cursors_along(workspace: Workspace) -> None:
    plan, other = Plan(), Plan(owner=NIP_C)
    workspace.record_roles(roles([NIP_B, NIP_C], []))
    assert workspace.role_partitions() == [f"team:{NIP_B}", f"team:{NIP_C}"]
    workspace.apply_pull_page(f"team:{NIP_B}", plan.changes(), {"epoch": "e", "seq": 5})
    workspace.apply_pull_page(f"team:{NIP_C}", other.changes(), {"epoch": "e", "seq": 9})
    dropped = workspace.record_roles(roles([NIP_C], []))
    assert dropped == [f"team:{NIP_B}"]
    assert f"team:{NIP_B}" not in workspace.sync_cursors()
    assert [m["nip"] for m in workspace.team(2026)] == [NIP_C]
    with pytest.raises(NotFound):
        workspace.approve_skp(plan.skp)
    assert workspace.roles_age() is not None and workspace.roles_age() < 60  # type: ignore[operator]


def test_unit_status_per_person(workspace: Workspace) -> None:
    plan = Plan()
    workspace.record_roles(roles([], [NIP_B, NIP_C]))
    assert workspace.role_partitions() == [f"unit:{UNIT}"]
    page = plan.changes(with_owner=True)
    page.append(change(6, "log_harian", uuid7(), 1, {"id": "x", "tanggal": "2026-04-01"}))
    _, skipped = workspace.apply_pull_page(f"unit:{UNIT}", page, {"epoch": "e", "seq": 6})
    assert skipped == 1  # a unit record that does not say whose it is is not guessed at
    [unit] = workspace.unit_status(tahun=2026)
    assert (unit["id"], unit["pending"], unit["without_skp"]) == (UNIT, 1, 1)
    budi, citra = unit["people"]
    assert (budi["nama"], budi["skp"]["status"], budi["approval_pending"]) == (
        "Budi Santoso", "Diajukan", True)
    assert budi["realisasi_per_period"] == {"2026-TW1": 1}
    assert budi["last_seen_at"] == "2026-11-20T01:00:00+00:00"
    assert (citra["skp"], citra["approval_pending"], citra["last_change"]) == (None, False, None)
    with pytest.raises(NotFound):
        workspace.unit_status("kec-lain")
    assert workspace.team(2026) == []  # HR of a unit is not a supervisor of its people


def test_own_ratings_and_feedback_arrive_in_the_own_tables(workspace: Workspace) -> None:
    skp = workspace.create_skp(2026, "pelaksana").primary_id or ""
    rating, feedback = uuid7(), uuid7()
    _, skipped = workspace.apply_pull_page("own", [
        change(1, "penilaian", rating, 1, {
            "id": rating, "skp_id": skp, "period_id": "2026-TW3",
            "rating_hasil_kerja": "Di Atas Ekspektasi", "rating_perilaku": "Sesuai Ekspektasi",
            "predikat": "Baik", "penilai_id": uuid7(), "dinilai_pada": "2026-10-05T01:00:00Z"}),
        change(2, "umpan_balik", feedback, 1, {
            "id": feedback, "skp_id": skp, "sasaran_jenis": "umum", "teks": "Pertahankan",
            "dibuat_pada": "2026-10-05T01:00:00Z"}),
    ], {"epoch": "e", "seq": 2})
    assert skipped == 0
    mine = workspace.own_assessments(skp)
    assert [(p["period_id"], p["predikat"]) for p in mine["penilaian"]] == [("2026-TW3", "Baik")]
    assert [f["teks"] for f in mine["umpan_balik"]] == ["Pertahankan"]
    assert [p["id"] for p in workspace.periods(2026)][:4] == [
        "2026-TW1", "2026-TW2", "2026-TW3", "2026-TW4"]  # the period was made for the rating


def test_cli_team_list_show_and_approve(workspace: Workspace, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    plan = Plan()
    _team(workspace, plan)
    workspace.lock()
    monkeypatch.setenv("ASNDESK_PASSWORD", PASSWORD)
    assert main(["--lang", "en", "team", "list", "--tahun", "2026"]) == 0
    listed = capsys.readouterr().out
    assert NIP_B in listed and "Budi Santoso" in listed and "Diajukan" in listed
    assert main(["--lang", "en", "team", "show", NIP_B]) == 0
    shown = capsys.readouterr().out
    assert "KTP-el terekam" in shown and "Terekam 300 keping" in shown
    assert main(["--lang", "en", "team", "return", plan.skp, "--catatan", " "]) == 2
    assert "--catatan" in capsys.readouterr().err
    assert main(["--lang", "en", "team", "approve", plan.skp]) == 0
    assert main(["--lang", "en", "team", "decisions"]) == 0
    assert "waiting to be sent" in capsys.readouterr().out
    assert main(["--lang", "en", "team", "rate", plan.skp, "--periode", "2026-TW1",
                 "--hasil-kerja", "atas", "--perilaku", "sesuai"]) == 2  # not approved yet


def test_amendments_are_decided_on_their_own_version(workspace: Workspace) -> None:
    plan = Plan(status="Disetujui")
    _team(workspace, plan, version=5)
    waiting, draft = uuid7(), uuid7()
    workspace.apply_pull_page(f"team:{NIP_B}", [
        change(6, "amandemen", waiting, 4, {
            "id": waiting, "skp_id": plan.skp, "status": "Diajukan", "alasan": "Target naik",
            "perubahan": [{"op_id": uuid7(), "kind": "edit_fields", "entity_kind": "iki"}]}),
        change(7, "amandemen", draft, 1, {"id": draft, "skp_id": plan.skp, "status": "Draft",
                                          "perubahan": []}),
    ], {"epoch": "e", "seq": 7})
    assert workspace.team(2026)[0]["amendments_waiting"] == 1
    view = workspace.team_member(NIP_B)
    assert {a["id"]: a["status"] for a in view.amandemen} == {waiting: "Diajukan",
                                                              draft: "Draft"}
    with pytest.raises(InvalidState):
        workspace.approve_skp(draft)  # not submitted by its owner yet
    [op] = workspace.return_skp(waiting, "Alasan kurang jelas").ops
    assert (op.kind, op.entity_kind, op.entity_id, op.base_version) == (
        "return", "amandemen", waiting, 4)
    assert [d["target"] for d in workspace.team_member(NIP_B).decisions] == [waiting]
    with pytest.raises(DecisionPending):
        workspace.approve_skp(waiting)
