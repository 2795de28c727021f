"""Offline bundles end to end: a device exports, another person's office PC uploads, the
device imports the reply — against the real server (SQLite and PostgreSQL), in any order with
online sync, and refused whole when tampered, expired, misaddressed or from a revoked device.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select, update

from asndesk.store import attachment_sync_repo
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync import bundle
from sync.bundle_device import BundleUploader, NoServerKeys, export_bundle, import_reply
from sync.client import SyncClient, SyncError
from sync.server import accounts, blob_store, epochs
from sync.server.schema import audit_event, blob_file, change_log, device, entity, op_result
from tests.conftest import NIP, NIP_B, PASSWORD
from tests.sync.conftest import RunningServer

DAY = 24 * 3600


@dataclass
class World:
    server: RunningServer
    tmp: Path
    laptop: Workspace      # Siti's device: logged in once, then offline
    office: Workspace      # Budi's profile on the office PC, logged in

    def device(self, name: str) -> Workspace:
        """Another device of Siti, logged in (so the server knows its key)."""
        ws = _profile(self.tmp, name, NIP, "Siti Aminah")
        SyncClient(ws, self.server.url).login(NIP, PASSWORD, name)
        return ws

    def upload(self, data: bytes) -> bytes:
        return BundleUploader(self.office, self.server.url).upload(data)

    def round_trip(self, ws: Workspace) -> Any:
        data, _ = export_bundle(ws)
        return import_reply(ws, self.upload(data))


def _profile(tmp: Path, name: str, nip: str, nama: str) -> Workspace:
    manager = ProfileManager(tmp / name, kdf_policy=KdfParams.floor)
    ws, _ = Workspace.create_profile(nip, nama, PASSWORD, manager=manager)
    return ws


@pytest.fixture
def world(server: RunningServer, tmp_path: Path) -> Iterator[World]:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                               password=PASSWORD)
        accounts.create_person(conn, server.clock(), nip=NIP_B, nama="Budi", password=PASSWORD)
    laptop = _profile(tmp_path, "laptop", NIP, "Siti Aminah")
    office = _profile(tmp_path, "office", NIP_B, "Budi")
    SyncClient(laptop, server.url).login(NIP, PASSWORD, "Laptop")
    SyncClient(office, server.url).login(NIP_B, PASSWORD, "PC kantor")
    made = World(server, tmp_path, laptop, office)
    yield made
    for ws in (laptop, office):
        if ws.store.is_open:
            ws.lock()


def snapshot(ws: Workspace) -> dict[str, list[Any]]:
    """Every row of every table of the profile: "nothing changed" means exactly that."""
    conn = ws.store.conn
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'")]
    return {name: sorted(map(tuple, conn.execute(f"SELECT * FROM {name}").fetchall()), key=repr)
            for name in names}


def server_counts(server: RunningServer) -> tuple[int, ...]:
    with server.engine.connect() as conn:
        return tuple(int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
                     for t in (change_log, op_result, entity, blob_file))


def _kegiatan(ws: Workspace) -> list[str]:
    return sorted(r["kegiatan"] for r in ws.logs())


def test_round_trip_through_another_persons_pc(world: World) -> None:
    laptop, server = world.laptop, world.server
    evidence = world.tmp / "daftar-hadir.txt"
    evidence.write_text("Daftar hadir rapat koordinasi\n")
    laptop.add_log("2026-11-20", "08:00", "10:00", "Rapat koordinasi", bukti=[evidence])
    laptop.add_log("2026-11-21", "08:00", "09:00", "Merekam KTP-el")
    # Meanwhile Siti's office PC synced something the laptop has not seen.
    pc = world.device("pc")
    pc.add_log("2026-11-19", "13:00", "14:00", "Apel pagi")
    SyncClient(pc, server.url).sync_once()
    before = server_counts(server)

    data, exported = export_bundle(laptop)
    assert (exported.ops, exported.files, exported.files_left) == (3, 1, 0)
    assert {op.state for op in laptop.outbox()} == {"sent"}  # in flight on a USB stick
    assert b"Rapat" not in data and NIP.encode() not in data
    reply = world.upload(data)
    summary = import_reply(laptop, reply)

    assert (summary.acked, summary.rejected, summary.conflicts) == (3, 0, 0)
    assert {op.state for op in laptop.outbox()} == {"acked"}
    assert _kegiatan(laptop) == ["Apel pagi", "Merekam KTP-el", "Rapat koordinasi"]
    assert summary.files_stored == 1 and not summary.more
    with server.engine.connect() as conn:
        digest = laptop.outbox()[1].payload["sha256"]
        assert blob_store.file_info(conn, digest) is not None
        owners = {r.owner_id for r in conn.execute(select(entity.c.owner_id))}
        actions = [r.action for r in conn.execute(select(audit_event.c.action))]
    assert len(owners) == 1  # pushed as Siti, not as Budi who uploaded
    assert "bundle.upload" in actions
    assert server_counts(server)[0] > before[0]
    assert attachment_sync_repo.uploads_due(laptop.store.conn) == []  # not sent twice
    # The office PC's own profile learnt nothing of Siti's data.
    assert world.office.logs() == []
    # With nothing queued, a bundle still fetches what others did (e.g. at the office).
    pc.add_log("2026-11-22", "07:30", "08:00", "Apel senin")
    SyncClient(pc, server.url).sync_once()
    data, exported = export_bundle(laptop)
    assert exported.ops == 0
    again = import_reply(laptop, world.upload(data))
    assert (again.acked, again.received) == (0, 1)
    assert "Apel senin" in _kegiatan(laptop)
    pc.lock()


def test_applied_twice_changes_nothing(world: World) -> None:
    laptop, server = world.laptop, world.server
    laptop.add_log("2026-11-20", "08:00", "10:00", "Rapat koordinasi")
    data, _ = export_bundle(laptop)
    reply = world.upload(data)
    import_reply(laptop, reply)
    after_first = snapshot(laptop)
    counts = server_counts(server)

    again = import_reply(laptop, reply)
    assert (again.acked, again.received) == (0, 0)
    assert snapshot(laptop) == after_first
    second_reply = world.upload(data)  # the same bundle uploaded again, at another time
    assert server_counts(server) == counts
    import_reply(laptop, second_reply)
    assert snapshot(laptop) == after_first


def test_bundle_then_online_sync_then_late_import(world: World) -> None:
    """The reply comes back after online syncs moved on: it must not roll anything back."""
    laptop, server = world.laptop, world.server
    log_id = laptop.add_log("2026-11-20", "08:00", "10:00", "Versi awal").primary_id or ""
    data, _ = export_bundle(laptop)
    stale_reply = world.upload(data)  # holds the log as "Versi awal"
    online = SyncClient(laptop, server.url)
    online.sync_once()  # replays the op (stored result), pulls
    pc = world.device("pc")
    pc_client = SyncClient(pc, server.url)
    pc_client.sync_once()
    pc.edit_log(log_id, kegiatan="Versi terbaru")
    pc_client.sync_once()
    online.sync_once()
    assert _kegiatan(laptop) == ["Versi terbaru"]
    before = snapshot(laptop)

    summary = import_reply(laptop, stale_reply)
    assert summary.received == 0
    assert snapshot(laptop) == before  # no older state, no cursor moved back
    with server.engine.connect() as conn:
        creates = conn.execute(select(func.count()).select_from(change_log).where(
            change_log.c.entity_id == log_id, change_log.c.version == 1)).scalar()
    assert creates == 1 and _kegiatan(laptop) == ["Versi terbaru"]
    assert online.sync_once().pulled == 0
    pc.lock()


def test_online_sync_first_then_newer_reply(world: World) -> None:
    """Synced online after exporting; the reply made later is newer and is applied."""
    laptop, server = world.laptop, world.server
    log_id = laptop.add_log("2026-11-20", "08:00", "10:00", "Versi awal").primary_id or ""
    data, _ = export_bundle(laptop)
    online = SyncClient(laptop, server.url)
    assert online.sync_once().acked == 1  # the same op, online first
    pc = world.device("pc")
    pc_client = SyncClient(pc, server.url)
    pc_client.sync_once()
    pc.edit_log(log_id, kegiatan="Diubah di PC")
    pc_client.sync_once()

    summary = import_reply(laptop, world.upload(data))
    assert summary.acked == 0  # answered online already: that answer stays
    assert summary.received == 1 and _kegiatan(laptop) == ["Diubah di PC"]
    assert [op.state for op in laptop.outbox()] == ["acked"]
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(op_result)).scalar() == 2
    report = online.sync_once()
    assert (report.pushed, report.pulled) == (0, 0) and not report.unverified
    pc.lock()


def _refused(world: World, data: bytes) -> str:
    counts = server_counts(world.server)
    with pytest.raises(SyncError) as err:
        world.upload(data)
    assert server_counts(world.server) == counts  # nothing of it applied
    return err.value.code


def test_server_refuses_tampered_expired_and_misaddressed_bundles(world: World) -> None:
    laptop = world.laptop
    laptop.add_log("2026-11-20", "08:00", "10:00", "Rapat koordinasi")
    data, _ = export_bundle(laptop)
    for position in (3, 20, len(data) // 2, len(data) - 70, len(data) - 1):
        tampered = bytearray(data)
        tampered[position] ^= 0x40
        assert _refused(world, bytes(tampered)) in ("bundle_invalid", "bundle_wrong_server")
    old, _ = export_bundle(laptop, now=time.time() - 31 * DAY)
    assert _refused(world, old) == "bundle_expired"
    keys = laptop.sync_setting("server_keys") or ""
    other_id = {**json.loads(keys), "server_id": "00000000-0000-4000-8000-000000000000"}
    laptop.set_sync_settings(server_keys=json.dumps(other_id))
    assert _refused(world, export_bundle(laptop)[0]) == "bundle_wrong_server"
    other_key = {**json.loads(keys),
                 "x25519": bundle.b64(bundle.x25519_public(X25519PrivateKey.generate()))}
    laptop.set_sync_settings(server_keys=json.dumps(other_key))
    assert _refused(world, export_bundle(laptop)[0]) == "bundle_wrong_server"
    laptop.set_sync_settings(server_keys=keys)
    stranger = _profile(world.tmp, "stranger", NIP, "Siti Aminah")  # never logged in
    with pytest.raises(NoServerKeys):
        export_bundle(stranger)
    stranger.set_sync_settings(server_keys=keys)
    assert _refused(world, export_bundle(stranger)[0]) == "bundle_invalid"
    stranger.lock()
    # A reply is not something to upload.
    reply = world.upload(data)
    assert _refused(world, reply) == "bundle_wrong_kind"


def test_revoked_device_is_refused_and_the_uploader_is_untouched(world: World) -> None:
    laptop, server = world.laptop, world.server
    laptop.add_log("2026-11-20", "08:00", "10:00", "Rapat koordinasi")
    data, _ = export_bundle(laptop)
    with server.engine.begin() as conn:
        conn.execute(update(device).where(device.c.id == laptop.store.device_id)
                     .values(revoked_at=accounts.iso(server.clock())))
    assert _refused(world, data) == "bundle_device_revoked"
    assert world.office.store.is_open and world.office.sync_setting("url")


def test_device_refuses_foreign_tampered_and_expired_replies(world: World) -> None:
    laptop = world.laptop
    laptop.add_log("2026-11-20", "08:00", "10:00", "Rapat koordinasi")
    mine, _ = export_bundle(laptop)
    reply = world.upload(mine)
    pc = world.device("pc")
    pc.add_log("2026-11-21", "08:00", "10:00", "Dari PC")
    foreign = world.upload(export_bundle(pc)[0])
    before = snapshot(laptop)

    with pytest.raises(bundle.BundleWrongRecipient):
        import_reply(laptop, foreign)  # the reply to another device's bundle
    for position in (5, len(reply) // 2, len(reply) - 1):
        tampered = bytearray(reply)
        tampered[position] ^= 0x01
        with pytest.raises(bundle.BundleError):
            import_reply(laptop, bytes(tampered))
    with pytest.raises(bundle.BundleExpired):
        import_reply(laptop, reply, now=time.time() + 31 * DAY)
    with pytest.raises(bundle.BundleWrongKind):
        import_reply(laptop, mine)
    assert snapshot(laptop) == before  # every refusal was whole
    assert import_reply(laptop, reply).acked == 1
    pc.lock()


@pytest.mark.slow
def test_cli_export_upload_import(server: RunningServer, tmp_path: Path) -> None:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti", password=PASSWORD)
        accounts.create_person(conn, server.clock(), nip=NIP_B, nama="Budi", password=PASSWORD)
    root = Path(__file__).resolve().parents[2]

    def cli(home: str, *args: str, code: int = 0) -> str:
        env = {**os.environ, "ASNDESK_HOME": str(tmp_path / home), "PYTHONPATH": str(root),
               "ASNDESK_PASSWORD": "sandi lokal panjang", "ASNDESK_SERVER_PASSWORD": PASSWORD,
               "ASNDESK_NEW_PASSWORD": "sandi lokal panjang",
               "ASNDESK_KDF": "floor", "ASNDESK_LANG": "en"}
        result = subprocess.run([sys.executable, "-m", "asndesk", *args], env=env, text=True,
                                capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
        assert result.returncode == code, (args, result.stdout, result.stderr)
        return result.stdout + result.stderr

    stick = tmp_path / "usb" / "siti.asnb"
    stick.parent.mkdir()
    cli("laptop", "profile", "create", "--nip", NIP, "--nama", "Siti")
    cli("laptop", "login", "--server", server.url)
    cli("laptop", "log", "add", "--tanggal", "2026-11-20", "--mulai", "08:00", "--selesai",
        "09:00", "--kegiatan", "Rapat koordinasi")
    assert "1 changes, 0 files" in cli("laptop", "bundle", "export", str(stick))
    cli("office", "profile", "create", "--nip", NIP_B, "--nama", "Budi")
    assert "Log in to the server first" in cli("office", "bundle", "upload", str(stick), code=2)
    cli("office", "login", "--server", server.url)
    reply = stick.with_name("siti-reply.asnb")
    assert str(reply) in cli("office", "bundle", "upload", str(stick))
    broken = bytearray(reply.read_bytes())
    broken[len(broken) // 2] ^= 1
    stick.with_name("broken.asnb").write_bytes(bytes(broken))
    assert "damaged" in cli("laptop", "bundle", "import", str(stick.with_name("broken.asnb")),
                            code=2)
    assert "sent 1, refused 0" in cli("laptop", "bundle", "import", str(reply))
    assert "sent 0, refused 0" in cli("laptop", "bundle", "import", str(reply))
    assert "Waiting: 0; sent, no answer yet: 0" in cli("laptop", "sync", "status")


def test_server_restored_from_backup_gets_the_lost_ops_by_bundle(world: World) -> None:
    from tests.sync.test_restore_and_verify import _backup, _restore

    laptop, server = world.laptop, world.server
    first = [laptop.add_log("2026-11-20", f"{n + 7:02d}:00", f"{n + 8:02d}:00",
                            f"Sebelum {n}").primary_id or "" for n in range(3)]
    world.round_trip(laptop)
    backup = _backup(server.engine)
    for n in range(2):
        laptop.add_log("2026-11-21", f"{n + 7:02d}:00", f"{n + 8:02d}:00", f"Sesudah {n}")
    laptop.edit_log(first[0], kegiatan="Sebelum 0, diperbaiki")
    world.round_trip(laptop)
    _restore(server.engine, backup)
    with server.engine.begin() as conn:
        epochs.start_new_epoch(conn)

    laptop.add_log("2026-11-22", "07:00", "08:00", "Setelah pemulihan")
    told = world.round_trip(laptop)  # the server lacks ops 4-6: it says so in the reply
    assert told.acked == 0 and laptop.sync_setting("bundle_resend_from") == "4"
    data, exported = export_bundle(laptop)
    assert exported.ops == 4  # ops 4-7 again, not the first three
    summary = import_reply(laptop, world.upload(data))
    assert summary.acked == 1 and laptop.sync_setting("bundle_resend_from") is None
    with server.engine.connect() as conn:
        texts = sorted(r.data for r in conn.execute(select(entity.c.data).where(
            entity.c.kind == "log_harian")))
    assert len(texts) == 6 and any("diperbaiki" in t for t in texts)
    assert {op.state for op in laptop.outbox()} == {"acked"}
    report = SyncClient(laptop, server.url).sync_once()  # online agrees: nothing to do
    assert (report.pushed, report.repushed) == (0, 0) and not report.unverified
