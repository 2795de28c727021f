"""Checksums that catch a lost change, and a server restored from a backup.

The restore is done the way an operator does it: the database's contents go back to a
snapshot taken earlier (here table by table, on SQLite and PostgreSQL alike), then
`asndesk server restored` starts a new epoch — or the operator forgets that step.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from asndesk.cli.main import main
from asndesk.store import ledger
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.server import accounts, epochs
from sync.server.db import meta
from sync.server.schema import change_log, entity, metadata, op_result, person
from sync.server.store_changes import checksum_of
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer

Snapshot = dict[str, list[dict[str, Any]]]


def _backup(engine: Engine) -> Snapshot:
    with engine.connect() as conn:
        return {t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                for t in metadata.sorted_tables}


def _restore(engine: Engine, snapshot: Snapshot) -> None:
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        for table in metadata.sorted_tables:
            if snapshot[table.name]:
                conn.execute(table.insert(), snapshot[table.name])


@pytest.fixture
def devices(tmp_path: Path, server: RunningServer) -> Iterator[tuple[Workspace, Workspace]]:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                               password=PASSWORD)
    made = []
    for name in ("pc-kantor", "laptop"):
        manager = ProfileManager(tmp_path / name, kdf_policy=KdfParams.floor)
        ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
        SyncClient(ws, server.url).login(NIP, PASSWORD, name)
        made.append(ws)
    yield made[0], made[1]
    for ws in made:
        ws.lock()


def _server_checksum(server: RunningServer) -> str:
    with server.engine.connect() as conn:
        owner = conn.execute(select(person.c.id).where(person.c.nip == NIP)).scalar_one()
        return checksum_of(conn, [owner])


def _logs_on_server(server: RunningServer) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(entity).where(
            entity.c.kind == "log_harian", entity.c.deleted.is_(False))).scalar() or 0)


def test_ledger_checksum_matches_the_server_and_catches_a_skipped_change(
        devices: tuple[Workspace, Workspace], server: RunningServer) -> None:
    a, b = devices
    ca, cb = SyncClient(a, server.url), SyncClient(b, server.url)
    for n in range(3):
        a.add_log("2026-11-20", f"{n + 7:02d}:00", f"{n + 8:02d}:00", f"Kegiatan {n}")
    report = ca.sync_once()
    assert report.unverified == set() and report.restarted == set()
    conn = a.store.conn
    assert ledger.checksum(conn, "own") == ledger.recompute(conn, "own") != f"{0:016x}"
    with server.engine.connect() as sconn:
        head = int(meta(sconn, "change_seq"))
    # Device B adds a log; device A's cursor is then moved past it, as if a page got lost.
    b.add_log("2026-11-21", "08:00", "09:00", "Dari laptop")
    cb.sync_once()
    cursors = a.sync_cursors()
    with a.store.write("test") as tx:
        cursors["own"]["seq"] = head + 5
        from asndesk.store import remote_repo

        remote_repo.save_cursor(tx, "own", cursors["own"])
    healed = ca.sync_once()
    assert healed.restarted == {"own"} and healed.unverified == set()
    assert "Dari laptop" in [r["kegiatan"] for r in a.logs()]
    quiet = ca.sync_once()
    assert quiet.requests == 1 and quiet.restarted == set()  # verified: one request again
    assert a.ledger_checksum("own") == b.ledger_checksum("own")


def test_a_restored_server_gets_back_only_what_it_lost(
        devices: tuple[Workspace, Workspace], server: RunningServer) -> None:
    a, b = devices
    ca, cb = SyncClient(a, server.url), SyncClient(b, server.url)
    first = [a.add_log("2026-11-20", f"{n + 7:02d}:00", f"{n + 8:02d}:00",
                       f"Sebelum {n}").primary_id for n in range(3)]
    ca.sync_once()
    cb.sync_once()
    backup = _backup(server.engine)
    for n in range(2):
        a.add_log("2026-11-21", f"{n + 7:02d}:00", f"{n + 8:02d}:00", f"Sesudah {n}")
    a.edit_log(first[0] or "", kegiatan="Sebelum 0, diperbaiki")
    ca.sync_once()
    cb.sync_once()
    assert _logs_on_server(server) == 5

    _restore(server.engine, backup)
    with server.engine.begin() as conn:
        epochs.start_new_epoch(conn)
    assert _logs_on_server(server) == 3

    report = ca.sync_once()
    assert report.repushed == 3  # the two new logs and the edit; not the first three
    assert report.unverified == set() and report.restarted == set()
    assert _logs_on_server(server) == 5
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(op_result)).scalar() == 6
        texts = sorted(r.data for r in conn.execute(select(entity.c.data).where(
            entity.c.kind == "log_harian")))
    assert any("diperbaiki" in t for t in texts)
    # The other device had seen everything before the restore: it rebases, pulls the
    # re-applied versions (not the whole partition again) and verifies.
    again = cb.sync_once()
    assert again.unverified == set() and again.restarted == set()
    assert again.pulled <= 4
    assert a.ledger_checksum("own") == b.ledger_checksum("own") == _server_checksum(server)
    assert sorted(r["kegiatan"] for r in b.logs()) == sorted(r["kegiatan"] for r in a.logs())


def test_a_restore_without_a_new_epoch_is_still_caught(
        devices: tuple[Workspace, Workspace], server: RunningServer) -> None:
    a, _ = devices
    ca = SyncClient(a, server.url)
    a.add_log("2026-11-20", "07:00", "08:00", "Sebelum")
    ca.sync_once()
    backup = _backup(server.engine)
    a.add_log("2026-11-20", "08:00", "09:00", "Sesudah")
    ca.sync_once()
    _restore(server.engine, backup)  # the operator forgot `asndesk server restored`
    report = ca.sync_once()
    assert report.repushed == 1 and report.unverified == set()
    assert _logs_on_server(server) == 2
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(change_log)).scalar() == 2


def test_server_restored_command_starts_a_new_epoch(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    from sync.server.db import open_database

    engine = open_database(url)
    with engine.connect() as conn:
        before = meta(conn, "epoch")
    assert main(["server", "restored", "--db", url]) == 0
    with engine.connect() as conn:
        assert meta(conn, "epoch") != before
        assert epochs.history(conn) == [(before, 0)]
    engine.dispose()
