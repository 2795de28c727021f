"""The organisation predicate: HR sets it on the server (through `SyncClient.rest`), it reaches
every device with the org unit in `ref`, and the person's roles come from the stored /me."""

from __future__ import annotations

import pytest

from asndesk.workspace import Workspace
from sync.client import SyncClient, SyncError
from sync.server import accounts
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.test_reference import _admin_call, admin  # noqa: F401  (a fixture)
from tests.sync.test_server_sync import Session


@pytest.fixture
def hr_client(workspace: Workspace, server: RunningServer, admin: Session
              ) -> SyncClient:
    _admin_call(server, admin, "POST", "/admin/units", {"id": "KEC-03", "nama": "Kecamatan"})
    _admin_call(server, admin, "POST", "/admin/units", {"id": "KEC-04", "nama": "Lain"})
    with server.engine.begin() as conn:
        me = accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                                    password=PASSWORD, unit_id="KEC-03")
    _admin_call(server, admin, "POST", "/admin/hr", {"person_id": me, "unit_id": "KEC-03"})
    client = SyncClient(workspace, server.url)
    client.login(NIP, PASSWORD, "PC kantor")
    return client


def test_hr_sets_capaian_and_every_device_reads_it_offline(
        hr_client: SyncClient, workspace: Workspace) -> None:
    ws = workspace
    assert ws.role_names() == frozenset()  # nothing known before /me
    answer = hr_client.rest("PUT", "/admin/units/KEC-03/capaian/2026", json_body={
        "capaian": "Baik"})
    assert answer == {"unit_id": "KEC-03", "tahun": 2026, "capaian": "Baik",
                      "by_year": {"2026": "Baik"}}
    hr_client.rest("PUT", "/admin/units/KEC-03/capaian/2025", json_body={
        "capaian": "Istimewa"})
    assert hr_client.sync_once().rejected == 0
    assert ws.role_names() == {"hr"}
    assert ws.capaian_organisasi(2026) == "Baik"           # the person's own unit
    assert ws.capaian_organisasi(2025, "KEC-03") == "Istimewa"
    assert ws.capaian_organisasi(2024) is None
    assert ws.capaian_organisasi(2026, "KEC-04") is None

    hr_client.rest("PUT", "/admin/units/KEC-03/capaian/2026", json_body={"capaian": None})
    hr_client.sync_once()
    assert ws.capaian_organisasi(2026) is None
    assert ws.capaian_organisasi(2025) == "Istimewa"


def test_capaian_refusals_name_the_reason(hr_client: SyncClient) -> None:
    with pytest.raises(SyncError) as bad:
        hr_client.rest("PUT", "/admin/units/KEC-03/capaian/2026",
                       json_body={"capaian": "Luar Biasa"})
    assert (bad.value.code, bad.value.field) == ("invalid", "capaian")
    with pytest.raises(SyncError) as other:  # not this officer's unit
        hr_client.rest("PUT", "/admin/units/KEC-04/capaian/2026", json_body={"capaian": "Baik"})
    assert other.value.code == "forbidden"
    with pytest.raises(SyncError) as year:
        hr_client.rest("PUT", "/admin/units/KEC-03/capaian/1999", json_body={"capaian": "Baik"})
    assert year.value.code == "invalid_request"


def test_rest_refreshes_an_expired_access_token(hr_client: SyncClient,
                                               workspace: Workspace) -> None:
    workspace.set_sync_settings(access="expired-or-forged")
    answer = hr_client.rest("PUT", "/admin/units/KEC-03/capaian/2026",
                            json_body={"capaian": "Kurang"})
    assert answer["capaian"] == "Kurang"
    assert workspace.sync_setting("access") != "expired-or-forged"
