"""`GET /admin/devices` against a real server on 127.0.0.1, through `roster_admin`: an HR
officer sees the devices of the people of its units it may manage (never an admin's, nor
those of an HR officer with wider units, nor other units'), `unit_id` narrows, an admin sees
everyone's, anyone else is refused; a listed device revoked then shows as revoked."""

from __future__ import annotations

from pathlib import Path

import pytest

from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync import roster_admin
from sync.client import SyncClient, SyncError
from sync.roster_admin import ManagedDeviceInfo
from sync.server import accounts
from sync.server.schema import hr_assignment, org_unit
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer

HADI = "197001011995031001"     # KEC-01, a plain employee
RINA = "199305052020122001"     # KEC-03, also Siti's unit
WIDE = "198001012005011001"     # KEC-01, HR of KEC-01 and KEC-02: beyond Siti's units
ADMIN = "197501011999031002"    # KEC-01, the server's administrator
JOKO = "199306062020121001"     # KEC-02, not Siti's unit

# nip -> (nama, unit, the device it logs in from)
PEOPLE = {NIP: ("Siti Aminah", "KEC-01", "pc-siti"),
          HADI: ("Hadi Prasetyo", "KEC-01", "pc-hadi"),
          RINA: ("Rina Wulandari", "KEC-03", "pc-rina"),
          WIDE: ("Wawan Luas", "KEC-01", "pc-wawan"),
          ADMIN: ("Adi Admin", "KEC-01", "pc-admin"),
          JOKO: ("Joko Susilo", "KEC-02", "pc-joko")}


@pytest.fixture
def clients(tmp_path: Path, server: RunningServer) -> dict[str, SyncClient]:
    """Three units; Siti is HR of KEC-01 and KEC-03, Wawan of KEC-01 and KEC-02; everyone
    logged in from one device of their own."""
    with server.engine.begin() as conn:
        for unit, nama in (("KEC-01", "Kec. Sukamaju"), ("KEC-02", "Kec. Mekarsari"),
                           ("KEC-03", "Kec. Cibeureum")):
            conn.execute(org_unit.insert().values(id=unit, kode=unit[-2:], nama=nama))
        ids = {nip: accounts.create_person(conn, server.clock(), nip=nip, nama=nama,
                                           password=PASSWORD, unit_id=unit,
                                           is_admin=nip == ADMIN)
               for nip, (nama, unit, _device) in PEOPLE.items()}
        for nip, unit in ((NIP, "KEC-01"), (NIP, "KEC-03"), (WIDE, "KEC-01"),
                          (WIDE, "KEC-02")):
            conn.execute(hr_assignment.insert().values(person_id=ids[nip], unit_id=unit))
    out = {}
    for nip, (nama, _unit, device_name) in PEOPLE.items():
        manager = ProfileManager(tmp_path / device_name, kdf_policy=KdfParams.floor)
        ws, _key = Workspace.create_profile(nip, nama, PASSWORD, manager=manager)
        client = SyncClient(ws, server.url)
        client.login(nip, PASSWORD, device_name)
        out[nip] = client
    return out


def _names(devices: list[ManagedDeviceInfo]) -> list[str]:
    return sorted(d.name or "" for d in devices)


def test_hr_sees_its_units_people_and_unit_id_narrows(clients: dict[str, SyncClient]) -> None:
    hr = clients[NIP]
    seen = roster_admin.list_unit_devices(hr)
    # Not Wawan's (HR beyond Siti's units), not the admin's, not Joko's (KEC-02).
    assert _names(seen) == ["pc-hadi", "pc-rina", "pc-siti"]
    hadi = next(d for d in seen if d.name == "pc-hadi")
    assert isinstance(hadi, ManagedDeviceInfo)
    assert (hadi.person_nip, hadi.person_nama, hadi.unit_id) == (HADI, "Hadi Prasetyo",
                                                                 "KEC-01")
    assert hadi.revoked_at is None and hadi.created_at
    assert not {"person_nip", "person_nama", "unit_id"} & set(hadi.extra)
    assert _names(roster_admin.list_unit_devices(hr, "KEC-03")) == ["pc-rina"]
    assert _names(roster_admin.list_unit_devices(hr, "KEC-01")) == ["pc-hadi", "pc-siti"]
    # Another HR officer's unit lists nothing for Siti, rather than its people.
    assert roster_admin.list_unit_devices(hr, "KEC-02") == []
    # The same rule the other way: Siti's KEC-03 is beyond Wawan's units, so her device
    # stays out of his list, while Hadi's and Joko's are in it.
    assert _names(roster_admin.list_unit_devices(clients[WIDE])) == [
        "pc-hadi", "pc-joko", "pc-wawan"]


def test_admin_sees_everyone_and_others_are_refused(clients: dict[str, SyncClient]) -> None:
    everyone = roster_admin.list_unit_devices(clients[ADMIN])
    assert _names(everyone) == sorted(device for _n, _u, device in PEOPLE.values())
    assert {d.person_nip for d in everyone} == set(PEOPLE)
    assert _names(roster_admin.list_unit_devices(clients[ADMIN], "KEC-02")) == ["pc-joko"]
    for plain in (HADI, JOKO):
        with pytest.raises(SyncError) as err:
            roster_admin.list_unit_devices(clients[plain])
        assert err.value.code == "forbidden"


def test_a_listed_device_revoked_then_shows_revoked(clients: dict[str, SyncClient]) -> None:
    hr = clients[NIP]
    rina = next(d for d in roster_admin.list_unit_devices(hr) if d.person_nip == RINA)
    done = roster_admin.revoke_device(hr, rina.id)
    assert done.id == rina.id and done.revoked_at is not None
    after = {d.name: d for d in roster_admin.list_unit_devices(hr)}
    assert after["pc-rina"].revoked_at == done.revoked_at
    assert after["pc-hadi"].revoked_at is None and after["pc-siti"].revoked_at is None
    # What the list hides stays out of reach: the admin's device is not Siti's to revoke.
    admin_device = next(d for d in roster_admin.list_unit_devices(clients[ADMIN])
                        if d.person_nip == ADMIN)
    with pytest.raises(SyncError) as err:
        roster_admin.revoke_device(hr, admin_device.id)
    assert err.value.code == "not_found"
