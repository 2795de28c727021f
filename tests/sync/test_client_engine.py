"""The client engine end to end: two devices of one person, a real server, a faulty link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import DeviceRevoked, SyncClient, SyncError, TransientError
from sync.server import accounts
from sync.server.schema import change_log
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.faultproxy import FaultProxy


@pytest.fixture
def person(server: RunningServer) -> str:
    with server.engine.begin() as conn:
        return accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                                      password=PASSWORD)


def _device(tmp_path: Path, name: str) -> Workspace:
    manager = ProfileManager(tmp_path / name, kdf_policy=KdfParams.floor)
    ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    return ws


@pytest.fixture
def devices(tmp_path: Path, server: RunningServer, person: str
            ) -> Iterator[tuple[Workspace, Workspace]]:
    a, b = _device(tmp_path, "pc-kantor"), _device(tmp_path, "laptop")
    yield a, b
    a.lock()
    b.lock()


def _changes(server: RunningServer) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(change_log)).scalar() or 0)


def test_two_devices_converge(devices: tuple[Workspace, Workspace],
                              server: RunningServer) -> None:
    a, b = devices
    ca, cb = SyncClient(a, server.url), SyncClient(b, server.url)
    ca.login(NIP, PASSWORD, "PC kantor")
    cb.login(NIP, PASSWORD, "Laptop")
    a.add_service_type("KTP", "Perekaman KTP-el", 3)
    a.add_service_log("KTP", "2026-11-20 09:00", selesai="2026-11-25 10:00")
    log_id = a.add_log("2026-11-20", "08:00", "10:00", "Merekam KTP-el").primary_id or ""
    report = ca.sync_once()
    assert (report.pushed, report.acked, report.rejected) == (3, 3, 0)
    assert a.outbox(("pending", "sent")) == []
    cb.sync_once()
    assert [r["kegiatan"] for r in b.logs()] == ["Merekam KTP-el"]
    assert b.service_logs()[0]["durasi_hari_kerja"] == 3
    b.edit_log(log_id, kegiatan="Merekam KTP-el warga desa")
    cb.sync_once()
    ca.sync_once()
    assert a.logs()[0]["kegiatan"] == "Merekam KTP-el warga desa"
    quiet = ca.sync_once()
    assert quiet.requests == 1 and quiet.pulled == 0  # a no-op sync is one request


def test_lost_acks_and_portals_never_duplicate(devices: tuple[Workspace, Workspace],
                                               server: RunningServer) -> None:
    a, _ = devices
    port = server.url.rsplit(":", 1)[1]
    with FaultProxy("127.0.0.1", int(port)) as proxy:
        client = SyncClient(a, proxy.url, stall_timeout=2)
        client.login(NIP, PASSWORD)
        for n in range(5):
            a.add_log("2026-11-20", f"{8 + n:02d}:00", f"{8 + n:02d}:30", f"Kegiatan {n}")
        proxy.reset_after_upstream(path_prefix="/sync/v1/push")  # server commits, ack lost
        with pytest.raises(TransientError):
            client.sync_once()
        assert _changes(server) == 5
        assert {op.state for op in a.outbox()} == {"sent"}
        proxy.html_200(path_prefix="/sync/v1/push")  # a captive portal's login page
        with pytest.raises(TransientError) as err:
            client.sync_once()
        assert err.value.code == "not_protocol"
        sleeps: list[float] = []
        proxy.stall(seconds=5, path_prefix="/sync/v1/pull")
        report = client.sync(sleep=sleeps.append, rand=lambda: 0.5)
        assert len(sleeps) == 1 and sleeps[0] == 0.5  # full jitter: rand × base × 2^attempt
        # The first attempt pushed (replays answered from stored results) and then stalled
        # in the pull; the second found nothing to push and pulled to the end.
        assert (report.pushed, report.pulled, report.skipped) == (0, 5, 0)
        assert _changes(server) == 5  # exactly once
        assert {op.state for op in a.outbox()} == {"acked"}


def test_rejected_ops_stay_visible_and_do_not_block(devices: tuple[Workspace, Workspace],
                                                    server: RunningServer) -> None:
    a, _ = devices
    client = SyncClient(a, server.url)
    client.login(NIP, PASSWORD)
    skp = a.create_skp(2026, "pelaksana").primary_id or ""
    client.sync_once()
    # The SKP went under review on the server meanwhile (here the row is set directly): a
    # local RHK edit is then refused (after approval it would be held as an amendment).
    with server.engine.begin() as conn:
        from sync.server.schema import entity
        row = conn.execute(select(entity.c.data).where(entity.c.id == skp)).scalar_one()
        conn.execute(entity.update().where(entity.c.id == skp).values(
            data=row.replace('"Draft"', '"Diajukan"')))
    a.add_rhk(skp, "RHK yang terlambat", rhk_atasan="x")
    a.add_log("2026-11-20", "08:00", "09:00", "Tetap terkirim")
    report = client.sync_once()
    assert (report.rejected, report.acked) == (1, 1)
    rejected = a.outbox(("rejected",))
    assert [op.entity_kind for op in rejected] == ["rhk"]


def test_insecure_urls_and_revoked_devices(devices: tuple[Workspace, Workspace],
                                           server: RunningServer) -> None:
    a, _ = devices
    with pytest.raises(SyncError) as err:
        SyncClient(a, "http://kantor.example.go.id:8470")
    assert err.value.code == "insecure_url"
    client = SyncClient(a, server.url)
    client.login(NIP, PASSWORD)
    from sync.server.schema import device
    with server.engine.begin() as conn:
        conn.execute(device.update().values(revoked_at="2026-11-23T00:00:00+00:00"))
    a.add_log("2026-11-20", "08:00", "09:00", "Rapat")
    with pytest.raises(DeviceRevoked):
        client.sync_once()
