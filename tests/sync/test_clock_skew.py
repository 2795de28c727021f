"""A device whose clock is days off: sync goes on, both ends record the skew, nobody is refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from asndesk.i18n import set_locale
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.server import accounts
from sync.server.schema import device
from sync.sync_commands import clock_note
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer

DAY = 24 * 3600.0


@pytest.fixture
def ws(tmp_path: Path, server: RunningServer) -> Iterator[Workspace]:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                               password=PASSWORD)
    manager = ProfileManager(tmp_path / "pc", kdf_policy=KdfParams.floor)
    workspace, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    yield workspace
    workspace.lock()


def _server_offset(server: RunningServer, device_id: str) -> int | None:
    with server.engine.connect() as conn:
        return conn.execute(select(device.c.clock_offset_s)
                            .where(device.c.id == device_id)).scalar()


@pytest.mark.parametrize("skew", [3 * DAY, -2 * DAY - 3600])
def test_a_clock_days_off_never_blocks_and_is_recorded(ws: Workspace, server: RunningServer,
                                                       skew: float) -> None:
    client = SyncClient(ws, server.url, clock=lambda: time.time() + skew)
    login = client.login(NIP, PASSWORD, "PC kecamatan")
    ws.add_log("2026-11-20", "08:00", "10:00", "Merekam KTP-el")
    ws.add_log("2026-11-21", "08:00", "09:00", "Verifikasi berkas")
    report = client.sync_once()
    assert (report.acked, report.rejected, report.conflicts) == (2, 0, 0)
    assert report.clock_offset_s == pytest.approx(skew, abs=5)
    assert float(ws.sync_setting("clock_offset") or 0) == pytest.approx(skew, abs=5)
    assert _server_offset(server, ws.store.device_id) == pytest.approx(skew, abs=5)
    devices = requests.get(f"{server.url}/devices", timeout=10, headers={
        "Authorization": f"Bearer {ws.sync_setting('access')}"}).json()
    assert devices[0]["clock_offset_s"] == pytest.approx(skew, abs=5)
    # The access token outlives nothing on the device's clock: the server's decides, and an
    # expired token is refreshed as usual whatever the device thinks the time is.
    server.clock.advance(3600)
    ws.add_log("2026-11-22", "08:00", "09:00", "Arsip berkas")
    again = client.sync_once()
    assert (again.acked, again.rejected) == (1, 0)
    assert login["access_token"] != ws.sync_setting("access")
    assert [r["tanggal"] for r in sorted(ws.logs(), key=lambda r: r["tanggal"])] == [
        "2026-11-20", "2026-11-21", "2026-11-22"]   # civil dates stay as the person typed them


def test_a_pull_records_a_new_skew_and_a_correct_clock_clears_the_warning(
        ws: Workspace, server: RunningServer) -> None:
    skewed = SyncClient(ws, server.url, clock=lambda: time.time() - 5 * DAY)
    skewed.login(NIP, PASSWORD)
    skewed.sync_once()                   # nothing to push: the pull alone measures the clock
    assert _server_offset(server, ws.store.device_id) == pytest.approx(-5 * DAY, abs=5)
    fixed = SyncClient(ws, server.url)
    fixed.sync_once()
    assert _server_offset(server, ws.store.device_id) == pytest.approx(0, abs=5)
    assert clock_note(float(ws.sync_setting("clock_offset") or 0)) is None


def test_clock_note_says_how_far_and_which_way() -> None:
    set_locale("id")
    assert clock_note(3 * DAY + 90) == (
        "Jam komputer ini 72 jam 2 menit lebih cepat dari jam server. Sinkronisasi tetap "
        "berjalan; setel jam komputer agar catatan baru mendapat waktu yang benar.")
    assert "lebih lambat" in (clock_note(-600) or "")
    assert clock_note(299) is None and clock_note(None) is None
    set_locale("en")
    try:
        assert clock_note(-2 * 3600) == (
            "This computer's clock is 2 hours behind the server's. Sync goes on; set the clock "
            "right so that new records get the right time.")
    finally:
        set_locale("id")
