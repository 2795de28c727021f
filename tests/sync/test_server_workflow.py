"""Workflow on the real server: umpan balik and komentar (append-only), amendment drafts for
edits that arrive after approval, and supervisor and employee acting at once in both orders."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from asndesk.store.ids import uuid7
from asndesk.store.ledger import partition_checksum
from asndesk.workspace import Workspace
from sync.protocol import Change, OpEnvelope, OpResult, OpStatus, Partition, Reason
from sync.server import accounts
from tests.conftest import NIP, NIP_B, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.test_server_decisions import submitted  # noqa: F401  (fixture)
from tests.sync.test_server_sync import (
    NIP_SUP,
    Session,
    _session,
    client,  # noqa: F401  (fixture)
    people,  # noqa: F401  (fixture)
)

Submitted = tuple[Workspace, Session, Session, str]


@dataclass
class Actor:
    """One device of one person, numbering its ops like an outbox does."""

    session: Session
    seq: int = 0
    sent: list[OpEnvelope] = field(default_factory=list)

    def send(self, kind: str, entity_kind: str, entity_id: str, payload: dict[str, Any],
             base: int | None = None) -> OpResult:
        op = OpEnvelope(seq=self.seq + 1, op_id=uuid7(), kind=kind, entity_kind=entity_kind,
                        entity_id=entity_id, base_version=base, payload=payload,
                        hlc=f"{1763880000000 + self.seq:013d}-00000-{uuid7()}",
                        device_time="2026-11-23T08:00:00.000+07:00", utc_offset_min=420)
        self.sent.append(op)
        return self.push(op)

    def push(self, op: OpEnvelope) -> OpResult:
        """Push one op as the next seq (an earlier op again: as after a server restore)."""
        self.seq += 1
        return self.session.push([replace(op, seq=self.seq)]).results[0]


def _pull(session: Session, partition: Partition, after: int = 0) -> dict[str, Change]:
    """Entity id -> its newest change in the partition after server seq `after`."""
    found: dict[str, Change] = {}
    cursor = None
    while True:
        page = session.pull({partition: cursor}).pages[0]
        found.update({c.entity_id: c for c in page.changes if c.server_seq > after})
        cursor = page.cursor
        if not page.more:
            return found


def _data(changes: dict[str, Change], entity_id: str) -> dict[str, Any]:
    data = changes[entity_id].data
    assert data is not None
    return dict(data)


def _plan(session: Session) -> tuple[dict[str, Change], str, str]:
    """The employee's own partition, the RHK id and the IKI id of the submitted plan."""
    own = _pull(session, Partition("own"))
    rhk = next(c.entity_id for c in own.values() if c.entity_kind == "rhk")
    iki = next(c.entity_id for c in own.values() if c.entity_kind == "iki")
    return own, rhk, iki


def _approve(boss: Actor, employee: Session, skp: str) -> int:
    """The supervisor approves the version the employee's data is at; returns the new one."""
    seen = _pull(employee, Partition("own"))[skp].version
    result = boss.send("approve", "skp", skp, {}, base=seen)
    assert result.status is OpStatus.APPLIED, result
    assert result.version is not None
    return result.version


def test_umpan_balik_is_the_penilais_append_only_and_seen_by_both(
    submitted: Submitted, server: RunningServer
) -> None:
    _, employee, boss_session, skp = submitted
    boss, device_b = Actor(boss_session), Actor(_session(server, NIP))
    _, rhk, _ = _plan(employee)
    feedback = uuid7()
    payload = {"skp_id": skp, "sasaran_jenis": "rhk", "sasaran_id": rhk,
               "period_id": "2026-TW1", "teks": "  Target perekaman bulan ini tercapai.  "}
    forged = boss.send("create", "umpan_balik", uuid7(), {**payload, "pemberi_nip": NIP})
    assert (forged.reason, forged.params["field"]) == (Reason.INVALID, "pemberi_nip")
    own_feedback = device_b.send("create", "umpan_balik", uuid7(), payload)
    assert (own_feedback.reason, own_feedback.message_id) == (Reason.FORBIDDEN,
                                                              "not_your_subordinate")
    foreign = boss.send("create", "umpan_balik", uuid7(), {**payload, "sasaran_id": uuid7()})
    assert (foreign.reason, foreign.message_id) == (Reason.INVALID, "bad_reference")
    bad_value = boss.send("create", "umpan_balik", uuid7(),
                          {**payload, "sasaran_jenis": "perilaku", "sasaran_id": "8"})
    assert (bad_value.reason, bad_value.params["field"]) == (Reason.INVALID, "sasaran_id")
    given = boss.send("create", "umpan_balik", feedback, payload)
    assert given.status is OpStatus.APPLIED and given.version == 1
    assert boss.send("create", "umpan_balik", uuid7(), {
        "skp_id": skp, "sasaran_jenis": "perilaku", "sasaran_id": 3, "teks": "Kompeten."
    }).status is OpStatus.APPLIED
    for kind in ("edit_fields", "delete"):
        changed = boss.send(kind, "umpan_balik", feedback, {"teks": "Diubah"}, base=1)
        assert (changed.reason, changed.message_id) == (Reason.FORBIDDEN, "append_only")
        assert changed.current is not None and changed.current["data"]["teks"] == (
            "Target perekaman bulan ini tercapai.")
    again = boss.send("create", "umpan_balik", feedback, payload)
    assert (again.reason, again.message_id) == (Reason.INVALID, "already_exists")
    for reader, partition in ((employee, Partition("own")), (boss_session, Partition("team", NIP))):
        stored = _data(_pull(reader, partition), feedback)
        assert stored["pemberi_nip"] == NIP_SUP and stored["pemberi_nama"] == "Rahmat"
        assert stored["teks"] == "Target perekaman bulan ini tercapai."
        assert (stored["sasaran_jenis"], stored["sasaran_id"]) == ("rhk", rhk)
        assert stored["dibuat_pada"].startswith("20")


def test_komentar_owner_and_penilai_only_replies_in_thread(
    submitted: Submitted, server: RunningServer
) -> None:
    _, employee, boss_session, skp = submitted
    boss, device_b = Actor(boss_session), Actor(_session(server, NIP))
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP_B, nama="Orang Lain",
                               password=PASSWORD)
    stranger = Actor(_session(server, NIP_B))
    question, answer = uuid7(), uuid7()
    assert device_b.send("comment", "komentar", question, {
        "skp_id": skp, "teks": "Apakah target 1200 keping wajar?"}).status is OpStatus.APPLIED
    reply = boss.send("comment", "komentar", answer,
                      {"skp_id": skp, "teks": "Wajar.", "balasan_untuk": question})
    assert reply.status is OpStatus.APPLIED
    nosy = stranger.send("comment", "komentar", uuid7(), {"skp_id": skp, "teks": "Halo"})
    assert (nosy.reason, nosy.message_id) == (Reason.FORBIDDEN, "not_yours")
    orphan = boss.send("comment", "komentar", uuid7(),
                       {"skp_id": skp, "teks": "?", "balasan_untuk": uuid7()})
    assert (orphan.reason, orphan.params["field"]) == (Reason.INVALID, "balasan_untuk")
    blank = device_b.send("comment", "komentar", uuid7(), {"skp_id": skp, "teks": "   "})
    assert (blank.reason, blank.params["field"]) == (Reason.INVALID, "teks")
    edited = device_b.send("edit_fields", "komentar", question, {"teks": "Lain"}, base=1)
    assert (edited.reason, edited.message_id) == (Reason.FORBIDDEN, "append_only")
    team = _pull(boss_session, Partition("team", NIP))
    own = _pull(employee, Partition("own"))
    for seen in (team, own):
        assert _data(seen, question)["penulis_nip"] == NIP
        assert _data(seen, answer)["penulis_nip"] == NIP_SUP
        assert _data(seen, answer)["balasan_untuk"] == question
    assert _data(own, question)["teks"] == "Apakah target 1200 keping wajar?"


def test_a_late_edit_becomes_an_amendment_applied_on_approval(
    submitted: Submitted, server: RunningServer
) -> None:
    _, employee, boss_session, skp = submitted
    boss, device_b = Actor(boss_session), Actor(_session(server, NIP))
    own, rhk, _ = _plan(employee)
    rhk_version, old_text = own[rhk].version, _data(own, rhk)["teks"]
    skp_version = _approve(boss, employee, skp)
    mark = max(c.server_seq for c in _pull(employee, Partition("own")).values())
    # Device B was offline with the plan still open: its edits reach an approved plan.
    late = device_b.send("edit_fields", "rhk", rhk, {"skp_id": skp, "teks": "RHK diperbaiki"},
                         base=rhk_version)
    assert late.status is OpStatus.APPLIED and late.message_id == "kept_as_amendment"
    amendment = str(late.params["amandemen"])
    new_iki = uuid7()
    assert device_b.send("create", "iki", new_iki, {
        "rhk_id": rhk, "skp_id": skp, "indikator": "Aduan ditangani", "target_nilai": "10",
        "target_satuan": "Aduan", "aspek": "Kualitas"}).params["amandemen"] == amendment
    follow_up = device_b.send("edit_fields", "iki", new_iki, {"target_nilai": "12"}, base=1)
    assert (follow_up.status, follow_up.params["amandemen"]) == (OpStatus.APPLIED, amendment)
    after = _pull(employee, Partition("own"), after=mark)
    assert _data(after, rhk)["teks"] == old_text  # re-announced: the plan is not touched
    assert after[rhk].version == rhk_version and new_iki not in after
    held = _data(after, amendment)
    assert held["status"] == "Draft" and [c["kind"] for c in held["perubahan"]] == [
        "edit_fields", "create", "edit_fields"]
    assert amendment in _pull(boss_session, Partition("team", NIP))
    asked = device_b.send("submit", "amandemen", amendment, {})
    assert asked.status is OpStatus.APPLIED and asked.version is not None
    stale = boss.send("approve", "amandemen", amendment, {}, base=asked.version - 1)
    assert (stale.reason, stale.params) == (Reason.STALE_DECISION,
                                            {"seen": asked.version - 1, "current": asked.version})
    self_approved = device_b.send("approve", "amandemen", amendment, {}, base=asked.version)
    assert self_approved.reason is Reason.FORBIDDEN
    approved = boss.send("approve", "amandemen", amendment, {}, base=asked.version)
    assert approved.status is OpStatus.APPLIED, approved
    plan = _pull(employee, Partition("own"))
    assert _data(plan, rhk)["teks"] == "RHK diperbaiki"
    assert _data(plan, new_iki)["target_nilai"] == "12"
    assert _data(plan, skp)["status"] == "Disetujui" and plan[skp].version > skp_version
    decided = _data(plan, amendment)
    assert decided["status"] == "Disetujui" and len(decided["hasil"]) == 3
    again = boss.send("approve", "amandemen", amendment, {}, base=approved.version)
    assert (again.reason, again.params["status"]) == (Reason.INVALID_STATE, "Disetujui")
    repushed = device_b.push(device_b.sent[0])  # the first held op again, under a new seq
    assert (repushed.message_id, repushed.params["amandemen"]) == ("kept_as_amendment",
                                                                  amendment)
    later = device_b.send("edit_fields", "rhk", rhk, {"teks": "Sekali lagi"},
                          base=plan[rhk].version)
    assert later.params["amandemen"] != amendment  # the decided one is closed; a new draft
    drafts = [c for c in _pull(employee, Partition("own")).values()
              if c.entity_kind == "amandemen" and c.data and c.data["status"] == "Draft"]
    assert [len(c.data["perubahan"]) for c in drafts if c.data] == [1]  # held once


def test_held_ops_replay_once_and_an_unfit_amendment_is_returned(
    submitted: Submitted, server: RunningServer
) -> None:
    _, employee, boss_session, skp = submitted
    boss, device_b = Actor(boss_session), Actor(_session(server, NIP))
    _, rhk, iki = _plan(employee)
    _approve(boss, employee, skp)
    gone = device_b.send("delete", "skp", skp, {})
    assert (gone.reason, gone.message_id) == (Reason.INVALID_STATE, "skp_not_editable")
    early = device_b.send("create", "amandemen", uuid7(), {"skp_id": uuid7()})
    assert early.reason is Reason.NOT_FOUND
    amendment = uuid7()
    opened = device_b.send("create", "amandemen", amendment,
                           {"skp_id": skp, "alasan": "Tugas baru dari pimpinan"})
    assert opened.status is OpStatus.APPLIED
    second = device_b.send("create", "amandemen", uuid7(), {"skp_id": skp})
    assert (second.reason, second.params) == (Reason.INVALID_STATE, {"amandemen": amendment})
    empty = device_b.send("submit", "amandemen", amendment, {})
    assert (empty.reason, empty.message_id) == (Reason.INVALID, "amendment_empty")
    op = OpEnvelope(seq=device_b.seq + 1, op_id=uuid7(), kind="delete", entity_kind="rhk",
                    entity_id=rhk, base_version=None, payload={"skp_id": skp},
                    hlc=f"1763880000000-00000-{uuid7()}", device_time="2026-11-23T08:00:00Z",
                    utc_offset_min=0)
    first = device_b.session.push([op]).results[0]
    replayed = device_b.session.push([op]).results[0]  # e.g. the answer was lost
    device_b.seq += 1
    assert first.params["amandemen"] == amendment and replayed == first
    held = _data(_pull(employee, Partition("own")), amendment)
    assert len(held["perubahan"]) == 1 and held["alasan"] == "Tugas baru dari pimpinan"
    asked = device_b.send("submit", "amandemen", amendment, {})
    assert asked.version is not None
    unfit = boss.send("approve", "amandemen", amendment, {}, base=asked.version)
    assert (unfit.reason, unfit.message_id) == (Reason.INVALID, "skp_not_ready")
    plan = _pull(employee, Partition("own"))
    assert plan[rhk].data is not None and plan[iki].data is not None  # all or nothing
    silent = boss.send("return", "amandemen", amendment, {}, base=asked.version)
    assert (silent.reason, silent.params["field"]) == (Reason.INVALID, "catatan")
    returned = boss.send("return", "amandemen", amendment,
                         {"catatan": "RHK utama tidak boleh dihapus"}, base=asked.version)
    assert returned.status is OpStatus.APPLIED
    withdraw = device_b.send("withdraw", "amandemen", amendment, {})
    assert withdraw.reason is Reason.INVALID_STATE
    stored = _data(_pull(boss_session, Partition("team", NIP)), amendment)
    assert (stored["status"], stored["catatan_pengembalian"]) == (
        "Dikembalikan", "RHK utama tidak boleh dihapus")
    discarded = device_b.send("delete", "amandemen", amendment, {})
    assert discarded.status is OpStatus.APPLIED
    assert _pull(employee, Partition("own"))[amendment].data is None
    fresh = device_b.send("edit_fields", "lampiran", uuid7(), {"teks": "x"})
    assert fresh.reason is Reason.NOT_FOUND  # no held create of it: nothing to join


@pytest.mark.parametrize("supervisor_first", [True, False])
def test_withdraw_and_approve_at_once(submitted: Submitted, server: RunningServer,
                                      supervisor_first: bool) -> None:
    _, employee, boss_session, skp = submitted
    boss, device_b = Actor(boss_session), Actor(_session(server, NIP))
    own, rhk, _ = _plan(employee)
    seen = own[skp].version  # both acted on this version, offline from each other
    if supervisor_first:
        assert boss.send("approve", "skp", skp, {}, base=seen).status is OpStatus.APPLIED
    withdrawn = device_b.send("withdraw", "skp", skp, {}, base=seen)
    edited = device_b.send("edit_fields", "rhk", rhk, {"teks": "Ditarik lalu diubah"},
                           base=own[rhk].version)
    if supervisor_first:
        assert (withdrawn.reason, withdrawn.params["status"]) == (Reason.INVALID_STATE,
                                                                 "Disetujui")
        assert withdrawn.current is not None and withdrawn.current["data"]["status"] == (
            "Disetujui")
        assert edited.message_id == "kept_as_amendment"  # not lost: an amendment draft
    else:
        late = boss.send("approve", "skp", skp, {}, base=seen)
        assert late.reason is Reason.STALE_DECISION
        assert late.current is not None and late.current["data"]["status"] == "Draft"
        assert edited.status is OpStatus.APPLIED and edited.message_id is None
    plan = _pull(employee, Partition("own"))
    assert _data(plan, skp)["status"] == ("Disetujui" if supervisor_first else "Draft")
    amendments = [c for c in plan.values() if c.entity_kind == "amandemen"]
    assert len(amendments) == (1 if supervisor_first else 0)
    text = _data(plan, rhk)["teks"]
    assert (text == "Ditarik lalu diubah") is not supervisor_first


@pytest.mark.parametrize("supervisor_first", [True, False])
def test_edit_and_return_at_once(submitted: Submitted, server: RunningServer,
                                 supervisor_first: bool) -> None:
    _, employee, boss_session, skp = submitted
    boss, device_b = Actor(boss_session), Actor(_session(server, NIP))
    own, rhk, _ = _plan(employee)
    seen, rhk_version = own[skp].version, own[rhk].version
    if supervisor_first:
        returned = boss.send("return", "skp", skp, {"catatan": "Perjelas RHK"}, base=seen)
        assert returned.status is OpStatus.APPLIED
    edited = device_b.send("edit_fields", "rhk", rhk, {"teks": "RHK diperjelas"},
                           base=rhk_version)
    if supervisor_first:
        assert edited.status is OpStatus.APPLIED  # returned plans are editable again
    else:
        # Under review nobody may change it under the supervisor's eyes: refused with the
        # current state, kept in the device's outbox; the return then still applies.
        assert (edited.reason, edited.message_id) == (Reason.INVALID_STATE,
                                                      "skp_not_editable")
        assert edited.current is not None and edited.current["data"]["teks"] != "RHK diperjelas"
        returned = boss.send("return", "skp", skp, {"catatan": "Perjelas RHK"}, base=seen)
        assert returned.status is OpStatus.APPLIED
        retried = device_b.send("edit_fields", "rhk", rhk, {"teks": "RHK diperjelas"},
                                base=rhk_version)
        assert retried.status is OpStatus.APPLIED
    plan = _pull(employee, Partition("own"))
    assert _data(plan, skp)["status"] == "Dikembalikan"
    assert _data(plan, skp)["catatan_pengembalian"] == "Perjelas RHK"
    assert _data(plan, rhk)["teks"] == "RHK diperjelas"


def test_team_and_own_pages_carry_every_workflow_record(
    submitted: Submitted, server: RunningServer
) -> None:
    _, employee, boss_session, skp = submitted
    boss, device_b = Actor(boss_session), Actor(_session(server, NIP))
    _, rhk, _ = _plan(employee)
    version = _approve(boss, employee, skp)
    rating_id = uuid7()
    rating = boss.send("rate", "penilaian", rating_id, {
        "skp_id": skp, "period_id": "2026-TW1", "rating_hasil_kerja": "Sesuai Ekspektasi",
        "rating_perilaku": "Sesuai Ekspektasi"}, base=version)
    assert rating.status is OpStatus.APPLIED
    assert _data(_pull(employee, Partition("own")), rating_id)["penilai_nip"] == NIP_SUP
    boss.send("create", "umpan_balik", uuid7(),
              {"skp_id": skp, "sasaran_jenis": "umum", "teks": "Pertahankan."})
    device_b.send("comment", "komentar", uuid7(), {"skp_id": skp, "teks": "Terima kasih."})
    device_b.send("edit_fields", "rhk", rhk, {"teks": "Amandemen"}, base=1)
    kinds = {"penilaian", "umpan_balik", "komentar", "amandemen"}
    for reader, partition in ((employee, Partition("own")),
                              (boss_session, Partition("team", NIP))):
        page = reader.pull({partition: None}).pages[0]
        assert kinds <= {c.entity_kind for c in page.changes}
        live = {(c.entity_kind, c.entity_id, c.version) for c in page.changes
                if c.data is not None}
        assert page.checksum == partition_checksum(live)  # re-announced rows counted once
    outsider = _session(server, NIP_SUP).pull({Partition("own"): None}).pages[0]
    assert not kinds & {c.entity_kind for c in outsider.changes}
