"""Supervisor and HR end to end: real server, real engine, three people's encrypted profiles.

The employee submits; the pejabat penilai syncs, reads the team, decides (through the use
cases and the CLI); the decision travels back; HR reads the unit. Stale decisions are refused
and stay visible.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from asndesk.cli.main import main
from asndesk.errors import NotFound
from asndesk.store.ids import uuid7
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient, TransientError
from sync.protocol import Change, OpEnvelope, OpStatus, ProtocolError
from sync.server import accounts
from sync.server.schema import hr_assignment, org_unit, supervisor_link
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.faultproxy import FaultProxy
from tests.sync.test_server_sync import _session

NIP_SUP = "197001011995031001"
NIP_HR = "198001012005012002"
UNIT = "kec-sukamaju"


@dataclass
class Person:
    ws: Workspace
    client: SyncClient


@dataclass
class Office:
    server: RunningServer
    pegawai: Person
    atasan: Person
    hr: Person
    link_id: str


def _person(server: RunningServer, home: Path, nip: str, nama: str) -> Person:
    ws, _ = Workspace.create_profile(nip, nama, PASSWORD,
                                     manager=ProfileManager(home, kdf_policy=KdfParams.floor))
    client = SyncClient(ws, server.url)
    client.login(nip, PASSWORD)
    return Person(ws, client)


@pytest.fixture
def office(server: RunningServer, home: Path) -> Iterator[Office]:
    now = server.clock()
    link_id = uuid7()
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id=UNIT, nama="Kecamatan Sukamaju"))
        ids = {nip: accounts.create_person(conn, now, nip=nip, nama=nama, password=PASSWORD,
                                           unit_id=UNIT, jabatan=jabatan)
               for nip, nama, jabatan in ((NIP, "Siti Aminah", "Pengadministrasi"),
                                          (NIP_SUP, "Rahmat Hidayat", "Kepala Seksi"),
                                          (NIP_HR, "Dewi Lestari", "Analis SDM"))}
        conn.execute(supervisor_link.insert().values(
            id=link_id, pegawai_id=ids[NIP], penilai_id=ids[NIP_SUP],
            berlaku_mulai="2026-01-01"))
        conn.execute(hr_assignment.insert().values(person_id=ids[NIP_HR], unit_id=UNIT))
    people = [_person(server, home, nip, nama) for nip, nama in (
        (NIP, "Siti Aminah"), (NIP_SUP, "Rahmat Hidayat"), (NIP_HR, "Dewi Lestari"))]
    yield Office(server, pegawai=people[0], atasan=people[1], hr=people[2], link_id=link_id)
    for p in people:
        if p.ws.store.is_open:
            p.ws.lock()


def _submit(ws: Workspace, tahun: int = 2026) -> tuple[str, str]:
    skp = ws.create_skp(tahun, "pelaksana").primary_id or ""
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
    iki = ws.add_iki(rhk or "", "KTP-el terekam", "1200", "Keping", aspek="Kuantitas").primary_id
    ws.submit_skp(skp)
    return skp, iki or ""


def _cli(*args: str) -> int:
    return main(["--lang", "en", "--profile", NIP_SUP, *args])


def test_submit_approve_rate_round_trip(office: Office, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pegawai, atasan = office.pegawai, office.atasan
    skp, iki = _submit(pegawai.ws)
    pegawai.ws.ensure_periods(2026)
    pegawai.ws.record_realisasi(iki, "2026-TW1", "Terekam 300 keping", nilai="300")
    pegawai.ws.add_log("2026-03-02", "08:00", "10:00", "Merekam KTP-el warga")
    assert pegawai.client.sync_once().rejected == 0

    first = atasan.client.sync_once()
    assert atasan.ws.role_partitions() == [f"team:{NIP}"]
    assert first.pulled > 0
    assert atasan.ws.logs() == [] and atasan.ws.skp_list() == []  # not mixed into own tables
    [member] = atasan.ws.team(2026)
    assert (member["nama"], member["skp"]["status"]) == ("Siti Aminah", "Diajukan")
    assert (member["log_harian"], member["realisasi"]) == (1, 1)
    quiet = atasan.client.sync_once()
    assert (quiet.requests, quiet.pulled) == (1, 0)  # own, ref and team in one request

    monkeypatch.setenv("ASNDESK_PASSWORD", PASSWORD)
    assert _cli("team", "list", "--tahun", "2026") == 0
    assert "Diajukan" in capsys.readouterr().out
    assert _cli("team", "approve", skp) == 0
    report = atasan.client.sync_once()
    assert (report.acked, report.rejected) == (1, 0)
    assert atasan.ws.team(2026)[0]["skp"]["status"] == "Disetujui"

    pegawai.client.sync_once()
    assert pegawai.ws.skp(skp).status.value == "Disetujui"

    atasan.ws.rate_skp(skp, "2026-TW1", "Di Atas Ekspektasi", "Sesuai Ekspektasi")
    assert atasan.client.sync_once().acked == 1
    assert atasan.ws.team_member(NIP).penilaian[0]["predikat"] == "Baik"
    pegawai.client.sync_once()
    [rating] = pegawai.ws.own_assessments(skp)["penilaian"]
    assert (rating["period_id"], rating["predikat"]) == ("2026-TW1", "Baik")
    assert main(["--lang", "en", "--profile", NIP, "skp", "show", skp]) == 0
    assert "→ predikat Baik" in capsys.readouterr().out  # the employee sees it too
    assert _cli("team", "show", NIP) == 0
    shown = capsys.readouterr().out
    assert "Baik" in shown and "accepted by the server" in shown


def test_return_with_a_note_reaches_the_employee(office: Office) -> None:
    pegawai, atasan = office.pegawai, office.atasan
    skp, _ = _submit(pegawai.ws)
    pegawai.client.sync_once()
    atasan.client.sync_once()
    atasan.ws.return_skp(skp, "Target IKI terlalu rendah; naikkan ke 1.500")
    assert atasan.client.sync_once().acked == 1
    pegawai.client.sync_once()
    head = pegawai.ws.skp_list(2026)[0]
    assert head["status"] == "Dikembalikan"
    assert head["catatan_pengembalian"] == "Target IKI terlalu rendah; naikkan ke 1.500"


def test_a_stale_approval_is_refused_and_stays_visible(office: Office,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pegawai, atasan = office.pegawai, office.atasan
    skp, _ = _submit(pegawai.ws)
    pegawai.client.sync_once()
    atasan.client.sync_once()
    seen = atasan.ws.team(2026)[0]["skp"]["version"]
    # Meanwhile the employee takes the plan back, changes it and submits again.
    pegawai.ws.withdraw_skp(skp)
    rhk = pegawai.ws.skp(skp).rhk[0]
    pegawai.ws.edit_rhk(rhk.id, teks="Terlaksananya perekaman KTP-el seluruh desa")
    pegawai.ws.submit_skp(skp)
    pegawai.client.sync_once()
    atasan.ws.approve_skp(skp)  # on the version seen before the change
    report = atasan.client.sync_once()
    assert report.rejected == 1
    [decision] = atasan.ws.team_decisions(skp)
    assert (decision["state"], decision["reason"], decision["params"]["seen"]) == (
        "rejected", "E_STALE_DECISION", seen)
    assert [op.kind for op in atasan.ws.outbox(("rejected",))] == ["approve"]
    monkeypatch.setenv("ASNDESK_PASSWORD", PASSWORD)
    assert _cli("team", "decisions") == 0
    assert "E_STALE_DECISION" in capsys.readouterr().out
    # The pull brought the new version: deciding again on what is now seen is accepted.
    assert atasan.ws.team(2026)[0]["skp"]["version"] > seen
    atasan.ws.approve_skp(skp)
    assert atasan.client.sync_once().acked == 1
    pegawai.client.sync_once()
    assert pegawai.ws.skp(skp).status.value == "Disetujui"


def test_hr_sees_the_unit_but_decides_nothing(office: Office) -> None:
    pegawai, hr = office.pegawai, office.hr
    skp, iki = _submit(pegawai.ws)
    pegawai.ws.ensure_periods(2026)
    pegawai.ws.record_realisasi(iki, "2026-TW1", "Terekam 300 keping", nilai="300")
    pegawai.client.sync_once()
    hr.client.sync_once()
    assert hr.ws.role_partitions() == [f"unit:{UNIT}"]
    [unit] = hr.ws.unit_status(tahun=2026)
    by_nip = {m["nip"]: m for m in unit["people"]}
    assert set(by_nip) == {NIP, NIP_SUP, NIP_HR}
    siti = by_nip[NIP]
    assert (siti["skp"]["status"], siti["approval_pending"]) == ("Diajukan", True)
    assert siti["realisasi_per_period"] == {"2026-TW1": 1}
    assert siti["last_seen_at"] is not None and siti["last_change"] is not None
    assert (unit["pending"], unit["without_skp"]) == (1, 2)
    # /me names each member's pejabat penilai (the Laporan kantor groups approvals by it).
    members = {m["nip"]: m for m in (hr.ws.roles() or {})["hr_units"][0]["members"]}
    assert (members[NIP]["penilai_nip"], members[NIP]["penilai_nama"]) == (NIP_SUP,
                                                                           "Rahmat Hidayat")
    assert members[NIP_SUP]["penilai_nip"] is None
    assert hr.ws.logs() == [] and hr.ws.team(2026) == []
    with pytest.raises(NotFound):
        hr.ws.approve_skp(skp)


def test_an_ended_supervisor_link_drops_the_team_partition(office: Office) -> None:
    pegawai, atasan = office.pegawai, office.atasan
    _submit(pegawai.ws)
    pegawai.client.sync_once()
    atasan.client.sync_once()
    assert len(atasan.ws.team(2026)) == 1
    with office.server.engine.begin() as conn:
        conn.execute(update(supervisor_link).where(supervisor_link.c.id == office.link_id)
                     .values(berlaku_sampai="2026-01-31"))
    # The stored /me answer is still fresh: the refused partition makes the client ask again.
    atasan.client.sync_once()
    assert atasan.ws.role_partitions() == []
    assert atasan.ws.team(2026) == []
    assert f"team:{NIP}" not in atasan.ws.sync_cursors()
    assert atasan.client.sync_once().requests == 1


def test_feedback_reaches_the_employee(office: Office) -> None:
    pegawai, atasan = office.pegawai, office.atasan
    skp, _ = _submit(pegawai.ws)
    pegawai.client.sync_once()
    atasan.client.sync_once()
    rhk = atasan.ws.team_member(NIP).skp.rhk[0].id  # type: ignore[union-attr]
    atasan.ws.give_feedback(skp, "Rumuskan RHK lebih terukur", sasaran_jenis="rhk",
                            sasaran_id=rhk)
    report = atasan.client.sync_once()
    [decision] = atasan.ws.team_decisions(skp)
    if decision["reason"] == "E_UNSUPPORTED":
        pytest.skip("the server does not apply umpan_balik ops yet (workflow helper's part)")
    assert report.acked == 1, decision
    assert [f["teks"] for f in atasan.ws.team_member(NIP).umpan_balik] == [
        "Rumuskan RHK lebih terukur"]
    pegawai.client.sync_once()
    [feedback] = pegawai.ws.own_assessments(skp)["umpan_balik"]
    assert (feedback["sasaran_jenis"], feedback["sasaran_id"], feedback["teks"]) == (
        "rhk", rhk, "Rumuskan RHK lebih terukur")


def test_change_owner_is_optional_and_checked() -> None:
    plain = Change(1, "skp", uuid7(), 2, {"status": "Draft"})
    assert "owner_nip" not in plain.to_wire() and "updated_at" not in plain.to_wire()
    assert Change.from_wire(plain.to_wire()) == plain  # an older server's pages still parse
    owned = Change(1, "skp", uuid7(), 2, None, owner_nip=NIP, updated_at="2026-11-23T01:00:00")
    assert Change.from_wire(owned.to_wire()) == owned
    with pytest.raises(ProtocolError):
        Change.from_wire({**owned.to_wire(), "owner_nip": "19860926 201505"})


def _op(seq: int, kind: str, entity_kind: str, entity_id: str, base: int | None,
        payload: dict[str, Any]) -> OpEnvelope:
    return OpEnvelope(seq=seq, op_id=uuid7(), kind=kind, entity_kind=entity_kind,
                      entity_id=entity_id, base_version=base, payload=payload,
                      hlc=f"{1763880000000 + seq:013d}-00000-{uuid7()}",
                      device_time="2026-11-23T08:00:00.000+07:00", utc_offset_min=420)


def test_an_amendment_is_approved_by_the_penilai(office: Office) -> None:
    pegawai, atasan = office.pegawai, office.atasan
    skp, _ = _submit(pegawai.ws)
    pegawai.client.sync_once()
    atasan.client.sync_once()
    atasan.ws.approve_skp(skp)
    atasan.client.sync_once()
    # The employee's other device edits the approved plan: the server keeps it as an
    # amendment, which the employee then submits (raw ops: that device has no UI for it).
    laptop = _session(office.server, NIP)
    rhk = pegawai.ws.skp(skp).rhk[0].id
    held = laptop.push([_op(1, "edit_fields", "rhk", rhk, 1, {
        "teks": "Terlaksananya perekaman KTP-el seluruh desa", "skp_id": skp})]).results[0]
    assert held.message_id == "kept_as_amendment", held
    amendment = str(held.params["amandemen"])
    assert laptop.push([_op(2, "submit", "amandemen", amendment, None, {})]).results[0].status \
        is OpStatus.APPLIED
    atasan.client.sync_once()
    assert atasan.ws.team(2026)[0]["amendments_waiting"] == 1
    [shown] = atasan.ws.team_member(NIP).amandemen
    assert (shown["id"], shown["status"], len(shown["perubahan"])) == (amendment, "Diajukan", 1)
    atasan.ws.approve_skp(amendment)
    assert atasan.client.sync_once().acked == 1
    assert atasan.ws.team(2026)[0]["amendments_waiting"] == 0
    pegawai.client.sync_once()
    assert pegawai.ws.skp(skp).rhk[0].teks == "Terlaksananya perekaman KTP-el seluruh desa"


def test_a_captive_portal_is_not_taken_for_the_roles(office: Office) -> None:
    atasan = office.atasan
    port = int(office.server.url.rsplit(":", 1)[1])
    with FaultProxy("127.0.0.1", port) as proxy:
        client = SyncClient(atasan.ws, proxy.url)
        proxy.html_200(path_prefix="/me")  # a Wi-Fi login page answering 200
        with pytest.raises(TransientError) as err:
            client.sync_once()
        assert err.value.code == "not_protocol"
        assert atasan.ws.roles() is None and atasan.ws.role_partitions() == []
        report = client.sync_once()
        assert atasan.ws.role_partitions() == [f"team:{NIP}"]
        assert report.requests == 3  # /me, own, team


def test_roles_are_asked_only_when_the_servers_stamp_says_they_changed(office: Office) -> None:
    pegawai, atasan = office.pegawai, office.atasan
    # An employee with no subordinates and no unit never needs /me: one request, own and ref.
    first = pegawai.client.sync_once()
    assert first.requests == 1 and pegawai.ws.roles() is None
    assert {"own", "ref"} <= set(pegawai.ws.sync_cursors())
    # The supervisor's first sync learns from the stamp that it has a team, asks /me, and
    # pulls the team in the same sync.
    atasan.client.sync_once()
    assert atasan.ws.role_partitions() == [f"team:{NIP}"]
    # A new subordinate while the stored /me answer is still fresh: the next sync sees the
    # stamp change and brings the new partition along, without waiting for the answer to age.
    new_nip = "199203032019032003"
    with office.server.engine.begin() as conn:
        sup = accounts.find_by_nip(conn, NIP_SUP)
        new_id = accounts.create_person(conn, office.server.clock(), nip=new_nip,
                                        nama="Rina Marlina", password=PASSWORD, unit_id=UNIT)
        conn.execute(supervisor_link.insert().values(
            id=uuid7(), pegawai_id=new_id, penilai_id=sup.id, berlaku_mulai="2026-01-01"))
    newcomer = _person(office.server, atasan.ws.manager.root.parent, new_nip, "Rina Marlina")
    try:
        newcomer.ws.add_log("2026-03-02", "08:00", "09:00", "Verifikasi berkas")
        newcomer.client.sync_once()
    finally:
        newcomer.ws.lock()
    atasan.client.sync_once()
    assert set(atasan.ws.role_partitions()) == {f"team:{NIP}", f"team:{new_nip}"}
    assert {m["nama"] for m in atasan.ws.team(2026)} == {"Siti Aminah", "Rina Marlina"}
    quiet = atasan.client.sync_once()
    assert (quiet.requests, quiet.pulled) == (1, 0)   # own, ref and both teams in one request


def test_roles_tell_the_supervisor_each_subordinates_last_contact_and_jenjang(
        office: Office) -> None:
    from sync.server.schema import person

    with office.server.engine.begin() as conn:
        conn.execute(update(person).where(person.c.nip == NIP).values(jenjang="Ahli Pertama"))
    office.atasan.client.refresh_roles()
    (sub,) = office.atasan.ws.roles()["subordinates"]  # type: ignore[index]
    assert sub["nip"] == NIP and sub["jenjang"] == "Ahli Pertama"
    assert sub["last_seen_at"]  # the employee's login in the fixture is a contact
