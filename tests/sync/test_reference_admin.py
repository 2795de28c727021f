"""HR's organisation settings through `sync.reference_admin` against the real server: periods,
service types, holidays and a unit's capaian; refusals come back on the right field."""

from __future__ import annotations

import pytest

from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.workspace import Workspace
from sync import reference_admin as ra
from sync.client import SyncClient, TransientError
from sync.server import accounts
from sync.server.schema import hr_assignment, org_unit
from tests.conftest import NIP, NIP_B, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.test_reference import calendar_file

UNIT, OTHER_UNIT = "KEC-01", "KEC-02"


@pytest.fixture
def hr(workspace: Workspace, server: RunningServer) -> SyncClient:
    """The profile's owner is HR officer of KEC-01 on the server, logged in."""
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id=UNIT, nama="Kecamatan Sukamaju"))
        conn.execute(org_unit.insert().values(id=OTHER_UNIT, nama="Kecamatan Mekarsari"))
        person = accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                                        password=PASSWORD, unit_id=UNIT)
        conn.execute(hr_assignment.insert().values(person_id=person, unit_id=UNIT))
    client = SyncClient(workspace, server.url)
    client.login(NIP, PASSWORD, "PC kepegawaian")
    return client


def _field_error(call: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()  # type: ignore[operator]
    return caught.value


def test_periods_create_move_close_reopen_and_generate(hr: SyncClient) -> None:
    made = ra.create_period(hr, tahun=2026, jenis="triwulan", nomor=2, mulai="2026-04-01",
                            selesai="2026-06-30", batas_pengisian="2026-07-07")
    assert (made["id"], made["status"]) == ("2026-TW2", "terbuka")
    taken = _field_error(lambda: ra.create_period(
        hr, tahun=2026, jenis="triwulan", nomor=2, mulai="2026-04-01", selesai="2026-06-30",
        batas_pengisian="2026-07-07"))
    assert (taken.code, taken.field) == ("exists", "nomor")
    other = _field_error(lambda: ra.create_period(
        hr, tahun=2026, jenis="bulanan", nomor=1, mulai="2026-01-01", selesai="2026-01-31",
        batas_pengisian="2026-02-06"))
    assert (other.code, other.field) == ("other_pattern", "jenis")

    moved = ra.update_period(hr, made, mulai="2026-04-01", selesai="2026-06-30",
                             batas_pengisian="2026-07-10")
    assert (moved["batas_pengisian"], moved["version"]) == ("2026-07-10", made["version"] + 1)
    early = _field_error(lambda: ra.update_period(hr, made, mulai="2026-04-01",
                                                  selesai="2026-06-30",
                                                  batas_pengisian="2026-06-01"))
    assert (early.code, early.field) == ("deadline_before_end", "batas_pengisian")
    assert ra.close_period(hr, "2026-TW2")["status"] == "ditutup"
    assert ra.reopen_period(hr, "2026-TW2")["status"] == "terbuka"

    year = ra.generate_periods(hr, 2026, "triwulanan", 5)
    assert [p["id"] for p in year] == ["2026-TW1", "2026-TW2", "2026-TW3", "2026-TW4", "2026-TH"]
    assert next(p for p in year if p["id"] == "2026-TW2")["batas_pengisian"] == "2026-07-10"
    assert ra.list_periods(hr, 2026) == year
    clash = _field_error(lambda: ra.generate_periods(hr, 2026, "bulanan"))
    assert (clash.code, clash.field) == ("other_pattern", "jenis")
    with pytest.raises(UserFacingError) as gone:
        ra.close_period(hr, "2026-TW9")
    assert isinstance(gone.value, ra.ServerRefused) and gone.value.code == "not_found"


def test_period_checks_name_the_field_before_sending(hr: SyncClient) -> None:
    for kwargs, field in (
            ({"jenis": "triwulan", "nomor": 5}, "nomor"),
            ({"mulai": "2025-12-31"}, "mulai"),
            ({"selesai": "2026-03-01", "mulai": "2026-03-02"}, "selesai"),
            ({"batas_pengisian": "2026-03-30"}, "batas_pengisian")):
        body = {"tahun": 2026, "jenis": "triwulan", "nomor": 1, "mulai": "2026-01-01",
                "selesai": "2026-03-31", "batas_pengisian": "2026-04-07", **kwargs}
        assert _field_error(lambda body=body: ra.create_period(hr, **body)).field == field
    assert ra.list_periods(hr, 2026) == []  # nothing reached the server


def test_service_types_create_change_deactivate_and_activate(hr: SyncClient) -> None:
    ktp = ra.create_service_type(hr, " KTP ", "Perekaman KTP-el", 3)
    assert (ktp["kode"], ktp["standar_hari_kerja"], ktp["aktif"]) == ("KTP", 3, True)
    twice = _field_error(lambda: ra.create_service_type(hr, "ktp", "Lagi", 1))
    assert (twice.code, twice.field) == ("duplicate_kode", "kode")
    long_code = _field_error(lambda: ra.create_service_type(hr, "K" * 33, "Panjang", 1))
    assert (long_code.code, long_code.field) == ("too_long", "kode")
    assert _field_error(lambda: ra.create_service_type(hr, "KK", "", 1)).field == "nama"

    changed = ra.update_service_type(hr, ktp, nama="Perekaman KTP elektronik",
                                     standar_hari_kerja=5)
    assert (changed["nama"], changed["standar_hari_kerja"]) == ("Perekaman KTP elektronik", 5)
    assert ra.deactivate_service_type(hr, ktp["id"])["aktif"] is False
    assert ra.list_service_types(hr, semua=False) == []
    again = ra.update_service_type(hr, changed, nama=changed["nama"], standar_hari_kerja=5,
                                   aktif=True)
    assert again["aktif"] is True
    assert [t["kode"] for t in ra.list_service_types(hr)] == ["KTP"]


def test_holidays_add_remove_and_replace_a_year(hr: SyncClient, tmp_path) -> None:
    added = ra.add_holiday(hr, "2026-11-23", "Cuti bersama daerah", "cuti_bersama")
    assert added["tahun"] == 2026
    same_day = _field_error(lambda: ra.add_holiday(hr, "2026-11-23", "Lagi", "libur_nasional"))
    assert (same_day.code, same_day.field) == ("exists", "tanggal")
    assert _field_error(lambda: ra.add_holiday(hr, "2026-11-24", "  ", "cuti_bersama")
                        ).field == "nama"

    file = tmp_path / "libur-2026.json"
    data = calendar_file(2026)
    file.write_text(__import__("json").dumps(data), encoding="utf-8")
    read = ra.read_calendar_file(file)
    report = ra.put_holidays(hr, 2026, read)
    assert report == {"tahun": 2026, "added": len(data["hari"]), "updated": 0, "removed": 1,
                      "total": len(data["hari"])}  # the day not in the file went
    days = ra.list_holidays(hr, 2026)
    assert [d["tanggal"] for d in days] == sorted(h["tanggal"] for h in data["hari"])
    wrong = _field_error(lambda: ra.put_holidays(hr, 2027, read))
    assert (wrong.code, wrong.field) == ("wrong_year", "berkas")
    ra.delete_holiday(hr, days[0]["tanggal"])
    assert len(ra.list_holidays(hr, 2026)) == len(days) - 1
    with pytest.raises(ra.ServerRefused):
        ra.delete_holiday(hr, days[0]["tanggal"])  # 404: already gone

    (tmp_path / "rusak.json").write_text("{", encoding="utf-8")
    assert _field_error(lambda: ra.read_calendar_file(tmp_path / "rusak.json")).field == "berkas"


def test_capaian_of_own_unit_only_and_it_reaches_the_device(hr: SyncClient,
                                                            workspace: Workspace) -> None:
    answer = ra.set_unit_capaian(hr, UNIT, 2026, "Baik")
    assert answer["by_year"] == {"2026": "Baik"}
    with pytest.raises(ra.ServerRefused) as refused:
        ra.set_unit_capaian(hr, OTHER_UNIT, 2026, "Istimewa")
    assert refused.value.code == "forbidden"
    assert _field_error(lambda: ra.set_unit_capaian(hr, UNIT, 2026, "Cukup")).field == "capaian"
    hr.sync_once()
    assert workspace.capaian_organisasi(2026, UNIT) == "Baik"
    assert ra.set_unit_capaian(hr, UNIT, 2026, None)["by_year"] == {}
    hr.sync_once()
    assert workspace.capaian_organisasi(2026, UNIT) is None


def test_employees_are_refused_and_an_unreachable_server_is_not_a_field_error(
        server: RunningServer, manager) -> None:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP_B, nama="Budi", password=PASSWORD)
    ws, _key = Workspace.create_profile(NIP_B, "Budi", PASSWORD, manager=manager)
    try:
        client = SyncClient(ws, server.url)
        client.login(NIP_B, PASSWORD, "PC")
        with pytest.raises(ra.ServerRefused) as refused:
            ra.create_service_type(client, "KTP", "KTP-el", 3)
        assert refused.value.code == "forbidden"
        assert refused.value.message() == _(ra._REFUSALS["forbidden"][0])
        client.base_url = "http://127.0.0.1:9"  # nothing listens there
        with pytest.raises(TransientError):
            ra.list_periods(client, 2026)
    finally:
        ws.lock()
