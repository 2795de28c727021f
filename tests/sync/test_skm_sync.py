"""SKM forms through a real server: an employee types paper forms in offline, the server stores
them as theirs, the employee's other device gets them back in its own table, the unit's HR
officer gets them as the unit's (never as their own), corrections and deletions follow, and
a form the server cannot accept is refused with the field named."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from asndesk.store.ids import uuid7
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.protocol import OpEnvelope, OpStatus
from sync.server import accounts
from sync.server.schema import entity, hr_assignment, org_unit, person
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.test_server_sync import _session

NIP_HR = "198001012005012002"
UNIT_ORG = "kec-sukamaju"
LOKET = "Loket Dukcapil Kecamatan Sukamaju"
HARI = date(2026, 11, 30)


@dataclass
class Device:
    ws: Workspace
    client: SyncClient


@dataclass
class Office:
    server: RunningServer
    laptop: Device  # the employee's
    kantor: Device  # the same employee's second device
    hr: Device


def _device(server: RunningServer, home: Path, nip: str, nama: str) -> Device:
    ws, _ = Workspace.create_profile(nip, nama, PASSWORD,
                                     manager=ProfileManager(home, kdf_policy=KdfParams.floor))
    client = SyncClient(ws, server.url)
    client.login(nip, PASSWORD)
    return Device(ws, client)


@pytest.fixture
def office(server: RunningServer, home: Path) -> Iterator[Office]:
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id=UNIT_ORG, nama="Kecamatan Sukamaju"))
        for nip, nama in ((NIP, "Siti Aminah"), (NIP_HR, "Dewi Lestari")):
            accounts.create_person(conn, server.clock(), nip=nip, nama=nama,
                                   password=PASSWORD, unit_id=UNIT_ORG)
        hr_id = conn.execute(select(person.c.id).where(person.c.nip == NIP_HR)).scalar()
        conn.execute(hr_assignment.insert().values(person_id=hr_id, unit_id=UNIT_ORG))
    devices = [_device(server, home / name, nip, nama) for name, nip, nama in (
        ("laptop", NIP, "Siti Aminah"), ("kantor", NIP, "Siti Aminah"),
        ("hr", NIP_HR, "Dewi Lestari"))]
    yield Office(server, *devices)
    for d in devices:
        if d.ws.store.is_open:
            d.ws.lock()


def _form(digits: str) -> dict[str, int]:
    return {f"U{i}": int(d) for i, d in enumerate(digits, start=1)}


def _stored(server: RunningServer) -> dict[str, dict[str, object]]:
    with server.engine.connect() as conn:
        found = conn.execute(select(entity).where(entity.c.kind == "skm_response",
                                                  entity.c.deleted.is_(False))).all()
    return {r.id: {"owner_id": r.owner_id, "data": r.data} for r in found}


def test_forms_travel_to_the_owners_other_device_and_to_hr(office: Office) -> None:
    laptop, kantor, hr = office.laptop, office.kantor, office.hr
    laptop.ws.add_service_type("KTP", "Perekaman KTP-el", 3)
    ktp = laptop.ws.service_types()[0]["id"]
    ids = [laptop.ws.add_skm_response(LOKET, "2026-11-10", _form(d), service_type_id=ktp,
                                      hari_ini=HARI).primary_id or ""
           for d in ("342334443", "444444444", "333333333")]
    report = laptop.client.sync_once()
    assert (report.acked, report.rejected) == (4, 0)
    stored = _stored(office.server)
    assert set(stored) == set(ids)

    kantor.client.sync_once()
    mine = laptop.ws.ikm_summary(LOKET, "2026-11-01", "2026-11-30")
    theirs = kantor.ws.ikm_summary(LOKET, "2026-11-01", "2026-11-30")
    assert theirs.jumlah_form == 3 and theirs.hasil == mine.hasil
    assert all(r["milik_sendiri"] == 1
               for r in kantor.ws.skm_responses(LOKET, "2026-11-01", "2026-11-30"))

    hr.client.sync_once()
    assert hr.ws.role_partitions() == [f"unit:{UNIT_ORG}"]
    assert hr.ws.skm_responses(LOKET, "2026-11-01", "2026-11-30") != []
    assert hr.ws.ikm_summary(LOKET, "2026-11-01", "2026-11-30").hasil == mine.hasil
    with pytest.raises(Exception):  # the unit's forms are read, never the HR officer's own
        hr.ws.skm_response(ids[0])
    assert hr.ws.skm_unit_names() == [LOKET]

    # A correction (replace) and a deletion on the laptop reach everyone.
    fixed = laptop.ws.correct_skm_response(ids[0], LOKET, "2026-11-10", _form("111111111"),
                                           hari_ini=HARI).primary_id or ""
    laptop.ws.delete_skm_response(ids[1])
    assert laptop.client.sync_once().rejected == 0
    assert set(_stored(office.server)) == {fixed, ids[2]}
    kantor.client.sync_once()
    hr.client.sync_once()
    for device in (kantor, hr):
        found = device.ws.skm_responses(LOKET, "2026-11-01", "2026-11-30")
        assert sorted(r["id"] for r in found) == sorted([fixed, ids[2]])
    assert kantor.ws.skm_response(fixed)["u1"] == 1


def test_forms_the_server_cannot_accept_are_refused(office: Office) -> None:
    session = _session(office.server, NIP)
    good = {"unit_layanan": LOKET, "tanggal": "2026-11-10", "service_type_id": None,
            "saran": None, **{f"u{i}": 3 for i in range(1, 10)}}
    bad = [
        ({**good, "u4": 5}, "u4"),
        ({**good, "u2": "3"}, "u2"),  # answers travel as numbers
        ({**good, "unit_layanan": " "}, "unit_layanan"),
        ({**good, **{f"u{i}": None for i in range(1, 10)}}, "u1"),
    ]
    ops = [OpEnvelope(seq=n, op_id=uuid7(), kind="create", entity_kind="skm_response",
                      entity_id=uuid7(), base_version=None, payload=payload,
                      hlc=office.laptop.ws.store.next_hlc(),
                      device_time="2026-11-10T09:00:00+07:00", utc_offset_min=420)
           for n, (payload, _) in enumerate([*bad, (good, "")], start=1)]
    ops.append(OpEnvelope(seq=len(ops) + 1, op_id=uuid7(), kind="create",
                          entity_kind="skm_response", entity_id=uuid7(), base_version=None,
                          payload={**good, "nip_petugas": NIP},
                          hlc=office.laptop.ws.store.next_hlc(),
                          device_time="2026-11-10T09:00:00+07:00", utc_offset_min=420))
    answer = session.push(ops)
    results = list(answer.results)
    for (_, field), result in zip(bad, results, strict=False):
        assert result.status is OpStatus.REJECTED
        assert result.params.get("field") == field
    assert results[len(bad)].status is OpStatus.APPLIED
    assert results[-1].status is OpStatus.REJECTED  # a field outside the allow-list
    assert list(_stored(office.server)) == [ops[len(bad)].entity_id]


def test_only_the_owner_removes_a_form(office: Office) -> None:
    laptop, hr = office.laptop, office.hr
    rid = laptop.ws.add_skm_response(LOKET, "2026-11-10", _form("333333333"),
                                     hari_ini=HARI).primary_id or ""
    laptop.client.sync_once()
    session = _session(office.server, NIP_HR)  # a device of its own
    delete = OpEnvelope(seq=1, op_id=uuid7(), kind="delete", entity_kind="skm_response",
                        entity_id=rid, base_version=None, payload={},
                        hlc=hr.ws.store.next_hlc(),
                        device_time="2026-11-10T09:00:00+07:00", utc_offset_min=420)
    [result] = session.push([delete]).results
    assert (result.status, result.message_id) == (OpStatus.REJECTED, "not_yours")
    assert rid in _stored(office.server)
