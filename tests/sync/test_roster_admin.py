"""The HR officer's roster and device tasks through `SyncClient.rest` against a real server on
127.0.0.1: the preview marks bad rows by the same line numbers the client reads, the import
takes only what the server accepts, and devices are listed and revoked within HR's scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync import roster_admin
from sync.client import SyncClient, SyncError
from sync.server import accounts
from sync.server.schema import device, hr_assignment, org_unit
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer

HADI = "197001011995031001"       # already on the server: a penilai the file refers to
BUDI, CITRA, DEDI = "199001012020122002", "199203032019031003", "198505052010011004"
ROSTER = "\r\n".join([
    "NIP;Nama;Jabatan;Unit Kode;NIP Penilai;nip_atasan_penilai",           # 1
    f"{BUDI};Budi Santoso;Pengadministrasi;KEC-01;{HADI};",                 # 2
    f'{CITRA};Citra Dewi;"Analis;',                                         # 3 (two lines)
    'Data";KEC-01;;',                                                       # 4
    "1986092620151310;Salah Panjang;;KEC-01;;",                             # 5 bad NIP
    "",                                                                     # 6 blank
    "199305052020122001;Rina;;KEC-02;;",                                    # 7 not HR's unit
    "199109092015031006;Fajar;;KEC-01;199999999999999999;",                 # 8 unknown penilai
    f"{DEDI};Dedi Kurniawan;Analis;KEC-01;{BUDI};{HADI}",                   # 9 penilai above
]) + "\r\n"


def _client(tmp_path: Path, server: RunningServer, nip: str, name: str
            ) -> tuple[Workspace, SyncClient]:
    manager = ProfileManager(tmp_path / name, kdf_policy=KdfParams.floor)
    ws, _ = Workspace.create_profile(nip, "Siti Aminah", PASSWORD, manager=manager)
    client = SyncClient(ws, server.url)
    client.login(nip, PASSWORD, name)
    return ws, client


@pytest.fixture
def office(server: RunningServer) -> dict[str, str]:
    """Units KEC-01 (Siti is its HR officer, Hadi works there) and KEC-02 (Joko)."""
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="KEC-01", kode="01", nama="Kec. Sukamaju"))
        conn.execute(org_unit.insert().values(id="KEC-02", kode="02", nama="Kec. Mekarsari"))
        ids = {key: accounts.create_person(conn, server.clock(), nip=nip, nama=nama,
                                           password=PASSWORD, unit_id=unit)
               for key, nip, nama, unit in (("hr", NIP, "Siti Aminah", "KEC-01"),
                                            ("hadi", HADI, "Hadi Prasetyo", "KEC-01"),
                                            ("joko", "199306062020121001", "Joko", "KEC-02"))}
        conn.execute(hr_assignment.insert().values(person_id=ids["hr"], unit_id="KEC-01"))
    return ids


def test_lines_read_here_are_the_lines_the_server_names() -> None:
    names, lines = roster_admin.read_roster("\ufeff" + ROSTER)
    assert names == ["nip", "nama", "jabatan", "unit_kode", "nip_penilai",
                     "nip_atasan_penilai"]
    assert [r.line for r in lines] == [2, 3, 5, 7, 8, 9]
    assert lines[1].get("jabatan") == "Analis; Data"   # the quoted cell spans two lines
    assert lines[-1].get("nip_penilai") == BUDI


def test_preview_marks_bad_lines_and_import_takes_only_the_good_rows(
        tmp_path: Path, server: RunningServer, office: dict[str, str]) -> None:
    _ws, client = _client(tmp_path, server, NIP, "pc-kepegawaian")
    preview = roster_admin.preview_roster(client, ROSTER)
    assert [(e.line, e.field, e.code) for e in preview.errors] == [
        (5, "nip", "bad_length"), (7, "unit_kode", "forbidden_unit"),
        (8, "nip_penilai", "unknown_person")]
    assert (preview.rows, preview.accepted, preview.created, preview.links_opened) == (6, 3, 3, 2)
    assert roster_admin.list_people(client, "KEC-01")[0]["nama"] == "Hadi Prasetyo"
    assert len(roster_admin.list_people(client, "KEC-01")) == 2   # the preview wrote nothing

    done = roster_admin.import_roster(client, ROSTER)
    assert done.bad_lines == {5, 7, 8} and done.created == 3
    people = {p["nip"]: p for p in roster_admin.list_people(client, "KEC-01")}
    assert set(people) == {NIP, HADI, BUDI, CITRA, DEDI}
    assert (people[BUDI]["penilai_nip"], people[DEDI]["penilai_nip"],
            people[DEDI]["atasan_penilai_nip"]) == (HADI, BUDI, HADI)
    assert people[CITRA]["jabatan"] == "Analis; Data"
    again = roster_admin.preview_roster(client, ROSTER)
    assert (again.created, again.unchanged) == (0, 3)


def test_who_may_not_import_gets_a_code_and_other_units_stay_hidden(
        tmp_path: Path, server: RunningServer, office: dict[str, str]) -> None:
    _ws, joko = _client(tmp_path, server, "199306062020121001", "pc-joko")
    with pytest.raises(SyncError) as err:
        roster_admin.preview_roster(joko, ROSTER)
    assert err.value.code == "forbidden"
    _ws, hr = _client(tmp_path, server, NIP, "pc-hr")
    with pytest.raises(SyncError) as err:
        roster_admin.list_people(hr, "KEC-02")
    assert err.value.code == "not_found"
    with pytest.raises(SyncError) as err:   # the file as a whole: a column nobody knows
        roster_admin.preview_roster(hr, "nip;nama;hobi\r\n")
    assert (err.value.code, err.value.field) == ("unknown_column", "hobi")


def test_devices_are_listed_and_revoked_within_hr_scope(
        tmp_path: Path, server: RunningServer, office: dict[str, str]) -> None:
    _ws, hr = _client(tmp_path, server, NIP, "pc-kantor")
    _client(tmp_path, server, NIP, "laptop-lama")
    _client(tmp_path, server, HADI, "pc-hadi")
    _client(tmp_path, server, "199306062020121001", "pc-joko")
    mine = roster_admin.list_devices(hr)
    assert sorted(d.name or "" for d in mine) == ["laptop-lama", "pc-kantor"]
    old = next(d for d in mine if d.name == "laptop-lama")
    revoked = roster_admin.revoke_device(hr, old.id)
    assert revoked.revoked_at is not None and revoked.id == old.id
    assert next(d for d in roster_admin.list_devices(hr) if d.id == old.id).revoked_at
    with server.engine.connect() as conn:
        by_name = {r.name: r.id for r in conn.execute(select(device.c.name, device.c.id))}
    # HR may revoke a device of its unit's people, not of another unit's (same 404 as none).
    assert roster_admin.revoke_device(hr, by_name["pc-hadi"]).revoked_at is not None
    for other in (by_name["pc-joko"], "no-such-device"):
        with pytest.raises(SyncError) as err:
            roster_admin.revoke_device(hr, other)
        assert err.value.code == "not_found"


def test_roster_file_is_read_as_the_server_would(tmp_path: Path) -> None:
    good = tmp_path / "roster.csv"
    good.write_bytes(("\ufeff" + ROSTER).encode("utf-8"))
    assert roster_admin.load_roster_file(good) == ROSTER
    latin = tmp_path / "latin.csv"
    latin.write_bytes("nip;nama\r\n;Jos\xe9\r\n".encode("latin-1"))
    huge = tmp_path / "huge.csv"
    huge.write_bytes(b"nama\n" + b"x" * roster_admin.MAX_BYTES)
    for path, code in ((latin, "not_utf8"), (huge, "too_large")):
        with pytest.raises(roster_admin.RosterReadError) as err:
            roster_admin.load_roster_file(path)
        assert err.value.code == code
