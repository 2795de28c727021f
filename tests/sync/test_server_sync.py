"""Push and pull against the real server, with ops made by a real client workspace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from asndesk.store.ids import uuid7
from asndesk.store.ledger import partition_checksum
from asndesk.workspace import Workspace
from sync import wire
from sync.protocol import (
    PULL_PATH,
    PUSH_PATH,
    Cursor,
    OpEnvelope,
    OpStatus,
    Partition,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    Reason,
)
from sync.server import accounts
from sync.server.schema import audit_event, change_log, conflict, supervisor_link
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.test_server_auth import Device, bearer, login

NIP_SUP = "197001011995031001"


@dataclass
class Session:
    server: RunningServer
    token: str
    device_id: str

    def post(self, path: str, message: dict[str, Any], encoding: str = "zstd"
             ) -> requests.Response:
        return requests.post(
            f"{self.server.url}{path}", data=wire.encode(message, encoding), timeout=30,
            headers={**bearer(self.token), "Content-Type": wire.MEDIA_TYPE,
                     "Content-Encoding": encoding, "Accept-Encoding": "zstd, gzip"})

    def push(self, ops: list[OpEnvelope]) -> PushResponse:
        answer = self.post(PUSH_PATH, PushRequest(self.device_id, tuple(ops)).to_wire())
        assert answer.status_code == 200, answer.text
        assert answer.headers["Content-Encoding"] == "zstd"
        return PushResponse.from_wire(wire.decode(answer.content, "zstd"))

    def pull(self, cursors: dict[Partition, Cursor | None], max_bytes: int = 256 * 1024
             ) -> PullResponse:
        answer = self.post(PULL_PATH, PullRequest(cursors, max_bytes).to_wire())
        assert answer.status_code == 200, answer.text
        return PullResponse.from_wire(wire.decode(answer.content, "zstd"))


@pytest.fixture
def people(server: RunningServer) -> dict[str, str]:
    with server.engine.begin() as conn:
        return {
            "pegawai": accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                                              password=PASSWORD),
            "atasan": accounts.create_person(conn, server.clock(), nip=NIP_SUP, nama="Rahmat",
                                             password=PASSWORD),
        }


def _session(server: RunningServer, nip: str, device_id: str | None = None) -> Session:
    device = Device(device_id)
    answer = login(server, nip, PASSWORD, device)
    assert answer.status_code == 200, answer.text
    return Session(server, answer.json()["access_token"], device.id)


@pytest.fixture
def client(workspace: Workspace, server: RunningServer, people: dict[str, str]
           ) -> Iterator[tuple[Workspace, Session]]:
    yield workspace, _session(server, NIP, workspace.store.device_id)


def _envelopes(ws: Workspace, after: int = 0) -> list[OpEnvelope]:
    return [OpEnvelope.from_outbox(op) for op in ws.outbox() if op.seq > after]


def _fill(ws: Workspace) -> dict[str, str]:
    skp = ws.create_skp(2026, "pelaksana").primary_id or ""
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan KTP-el").primary_id
    ws.add_iki(rhk or "", "KTP-el terekam", "1200", "Keping", aspek="Kuantitas")
    ws.submit_skp(skp)
    log = ws.add_log("2026-11-20", "08:00", "10:00", "Merekam KTP-el", tautan=["https://x.id/b"])
    ws.edit_log(log.primary_id or "", kegiatan="Merekam KTP-el warga")
    gone = ws.add_log("2026-11-21", "08:00", "09:00", "Salah catat").primary_id or ""
    ws.delete_log(gone)
    ws.add_service_type("KTP", "Perekaman KTP-el", 3)
    ws.add_service_log("KTP", "2026-11-20 09:00", selesai="2026-11-25 10:00")
    ws.add_training("Pelayanan Prima", "2026-03-01", "2026-03-03", "24")
    return {"skp": skp, "log": log.primary_id or "", "gone": gone}


def test_a_whole_outbox_applies_once_and_replays_identically(
    client: tuple[Workspace, Session], server: RunningServer
) -> None:
    ws, session = client
    ids = _fill(ws)
    ops = _envelopes(ws)
    first = session.push(ops)
    assert [r.status for r in first.results] == [OpStatus.APPLIED] * len(ops), [
        (r.seq, r.reason, r.message_id, dict(r.params)) for r in first.results
        if r.status is not OpStatus.APPLIED]
    with server.engine.connect() as conn:
        changes = conn.execute(select(func.count()).select_from(change_log)).scalar()
    again = session.push(ops)  # e.g. the ack was lost on the way back
    assert again.to_wire()["results"] == first.to_wire()["results"]
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(change_log)).scalar() == changes
    page = session.pull({Partition("own"): None}).pages[0]
    by_id = {c.entity_id: c for c in page.changes}
    assert by_id[ids["skp"]].data is not None and by_id[ids["skp"]].data["status"] == "Diajukan"
    assert by_id[ids["log"]].data["kegiatan"] == "Merekam KTP-el warga"  # type: ignore[index]
    assert by_id[ids["log"]].data["bukti"] == [{"tautan": "https://x.id/b"}]  # type: ignore[index]
    assert by_id[ids["gone"]].data is None  # deleted: a tombstone, not silence
    live = [(c.entity_kind, c.entity_id, c.version) for c in page.changes if c.data is not None]
    assert page.checksum == partition_checksum(live)  # incremental == recomputed
    assert not page.more


def test_seq_reuse_gap_and_rejections_never_wedge(client: tuple[Workspace, Session],
                                                  server: RunningServer) -> None:
    ws, session = client
    ws.add_log("2026-11-20", "08:00", "09:00", "Rapat")
    ws.add_log("2026-11-20", "09:00", "10:00", "Rapat lagi")
    ops = _envelopes(ws)
    session.push(ops[:1])
    forged = OpEnvelope(**{**ops[0].__dict__, "op_id": uuid7()})
    reused = session.push([forged])
    assert reused.results[0].reason is Reason.SEQ_REUSED
    with server.engine.connect() as conn:
        assert conn.execute(select(audit_event).where(
            audit_event.c.action == "push.seq_reused")).first() is not None
    ws.add_log("2026-11-20", "10:00", "11:00", "Rapat ketiga")
    later = _envelopes(ws, after=2)
    gap = session.push(later)
    assert gap.need_from == 2 and gap.results == ()
    # An op the server refuses (RHK of an SKP it never saw) consumes its seq; the next applies.
    bad = OpEnvelope(seq=2, op_id=ops[1].op_id, kind="create", entity_kind="rhk",
                     entity_id=uuid7(), base_version=None,
                     payload={"skp_id": uuid7(), "jenis": "utama", "teks": "x"},
                     hlc=ops[1].hlc, device_time=ops[1].device_time, utc_offset_min=420)
    answer = session.push([bad, *later])
    assert [r.status for r in answer.results] == [OpStatus.REJECTED, OpStatus.APPLIED]
    assert answer.results[0].reason is Reason.NOT_FOUND


def test_two_devices_merge_fields_and_record_conflicts(
    client: tuple[Workspace, Session], server: RunningServer
) -> None:
    ws, phone = client
    log_id = ws.add_log("2026-11-20", "08:00", "09:00", "Rapat").primary_id or ""
    phone.push(_envelopes(ws))
    laptop = _session(server, NIP)
    template = _envelopes(ws)[0]

    def edit(seq: int, fields: dict[str, Any]) -> OpEnvelope:
        return OpEnvelope(seq=seq, op_id=uuid7(), kind="edit_fields", entity_kind="log_harian",
                          entity_id=log_id, base_version=1, payload=fields, hlc=template.hlc,
                          device_time=template.device_time, utc_offset_min=420)

    ws.edit_log(log_id, kegiatan="Rapat koordinasi")
    assert phone.push(_envelopes(ws, after=1)).results[0].status is OpStatus.APPLIED
    disjoint = laptop.push([edit(1, {"output_jumlah": "2", "output_satuan": "Notula"})])
    assert disjoint.results[0].status is OpStatus.APPLIED and disjoint.results[0].version == 3
    clash = laptop.push([edit(2, {"kegiatan": "Rapat desa"})])
    result = clash.results[0]
    assert result.status is OpStatus.CONFLICT and result.reason is Reason.CONCURRENT_EDIT
    assert result.params["fields"] == ["kegiatan"]
    page = phone.pull({Partition("own"): None}).pages[0]
    state = next(c for c in page.changes if c.entity_id == log_id).data or {}
    assert (state["kegiatan"], state["output_satuan"]) == ("Rapat koordinasi", "Notula")
    with server.engine.connect() as conn:
        record = conn.execute(select(conflict)).one()
    assert json.loads(record.device_value) == "Rapat desa"  # nothing typed is lost
    assert json.loads(record.server_value) == "Rapat koordinasi"


def test_server_enforces_workflow_and_fields(client: tuple[Workspace, Session]) -> None:
    ws, session = client
    skp = ws.create_skp(2026, "pelaksana").primary_id or ""
    ops = _envelopes(ws)
    answer = session.push(ops)
    assert answer.results[0].status is OpStatus.APPLIED
    base = ops[0]

    def op(seq: int, kind: str, payload: dict[str, Any]) -> OpEnvelope:
        return OpEnvelope(seq=seq, op_id=uuid7(), kind=kind, entity_kind="skp", entity_id=skp,
                          base_version=1, payload=payload, hlc=base.hlc,
                          device_time=base.device_time, utc_offset_min=420)

    results = session.push([
        op(2, "edit_fields", {"status": "Disetujui"}),   # S-15: no self-approval
        op(3, "submit", {"status": "Diajukan"}),          # empty plan: refused by the server
        op(4, "approve", {}),                              # not the employee's to do
        op(5, "comment", {"teks": "x"}),                   # not applied by this server yet
    ]).results
    assert [r.reason for r in results] == [Reason.FORBIDDEN, Reason.INVALID, Reason.FORBIDDEN,
                                           Reason.UNSUPPORTED]
    assert results[1].params["field"] == "rhk"


def test_paged_pull_is_complete_without_duplicates(client: tuple[Workspace, Session]) -> None:
    ws, session = client
    for n in range(60):
        ws.add_log("2026-11-20", f"{7 + n % 10:02d}:00", f"{7 + n % 10:02d}:30",
                   f"Kegiatan nomor {n} " + "x" * 150)
    session.push(_envelopes(ws))
    cursor: Cursor | None = None
    seen: list[str] = []
    pages = 0
    while True:
        page = session.pull({Partition("own"): cursor}, max_bytes=4096).pages[0]
        pages += 1
        seen += [c.entity_id for c in page.changes]
        cursor = page.cursor
        if not page.more:
            break
    assert pages > 3 and len(seen) == len(set(seen)) == 60
    quiet = session.pull({Partition("own"): cursor}).pages[0]
    assert quiet.changes == () and quiet.cursor == cursor  # a no-op sync: one request
    stale = session.pull({Partition("own"): Cursor("old-epoch", cursor.seq)}).pages[0]
    assert len(stale.changes) == 60  # another epoch restarts the partition


def test_partitions_are_scoped(client: tuple[Workspace, Session], server: RunningServer,
                               people: dict[str, str]) -> None:
    ws, session = client
    ws.add_log("2026-11-20", "08:00", "09:00", "Rapat")
    session.push(_envelopes(ws))
    boss = _session(server, NIP_SUP)
    team = {Partition("team", NIP): None}
    assert boss.post(PULL_PATH, PullRequest(team).to_wire()).status_code == 403
    assert boss.pull({Partition("own"): None}).pages[0].changes == ()
    with server.engine.begin() as conn:
        conn.execute(supervisor_link.insert().values(
            id=uuid7(), pegawai_id=people["pegawai"], penilai_id=people["atasan"],
            berlaku_mulai="2026-01-01"))
    page = boss.pull(team).pages[0]
    assert [c.data["kegiatan"] for c in page.changes] == ["Rapat"]  # type: ignore[index]
    assert session.post(PULL_PATH, PullRequest({Partition("unit", "KEC-01"): None}).to_wire()
                        ).status_code == 403


def test_bad_bodies_and_foreign_device(client: tuple[Workspace, Session]) -> None:
    ws, session = client
    ws.add_log("2026-11-20", "08:00", "09:00", "Rapat")
    other = PushRequest(uuid7(), tuple(_envelopes(ws))).to_wire()
    assert session.post(PUSH_PATH, other).status_code == 403
    answer = requests.post(f"{session.server.url}{PUSH_PATH}", data=b"<html>portal</html>",
                           headers=bearer(session.token), timeout=10)
    assert (answer.status_code, answer.json()) == (400, {"error": "bad_json"})
    broken = PushRequest(session.device_id, tuple(_envelopes(ws))).to_wire()
    broken["ops"][0]["kind"] = "drop"
    answer = session.post(PUSH_PATH, broken, encoding="gzip")
    assert (answer.status_code, answer.json()) == (400, {"error": "unknown_kind"})
