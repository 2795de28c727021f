"""Hypothesis stateful test: two devices of one person edit offline and sync through a lossy
link in any interleaving; at the end no op is lost or applied twice and all replicas agree."""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from sqlalchemy import select

from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient, SyncReport, TransientError
from sync.server import accounts
from sync.server.schema import entity
from sync.server.store_changes import checksum_of
from tests.sync.conftest import RunningServer
from tests.sync.faultproxy import FaultProxy

PASSWORD = "kata sandi bersama"
WORDS = ("Rapat", "Merekam KTP-el", "Menyusun laporan", "Verifikasi berkas", "Pelayanan")
FAULTS = ("none", "lost_ack", "portal")
_numbers = itertools.count(1)


# -- helpers shared with test_stateful_supervisor.py ---------------------------------------
def fresh_nip(born: str = "19860926", appointed: str = "201505") -> str:
    """A NIP not used yet in this test run (the server lives for the whole test)."""
    return f"{born}{appointed}{1 + next(_numbers) % 2}{next(_numbers) % 999 + 1:03d}"


def new_device(folder: Path, name: str, nip: str, nama: str, url: str
               ) -> tuple[Workspace, SyncClient]:
    """An encrypted profile (test KDF floor) on one device, logged in through `url`."""
    manager = ProfileManager(folder / name, kdf_policy=KdfParams.floor)
    ws, _ = Workspace.create_profile(nip, nama, PASSWORD, manager=manager)
    client = SyncClient(ws, url, stall_timeout=5)
    client.login(nip, PASSWORD)
    return ws, client


def sync_through(proxy: FaultProxy, client: SyncClient, fault: str) -> SyncReport | None:
    """One sync with `fault` on the link: the push's ack lost after the server committed, or
    a captive portal's HTML 200 answering the pull. None when the sync failed (transient)."""
    if fault == "lost_ack":
        proxy.reset_after_upstream(path_prefix="/sync/v1/push")
    elif fault == "portal":
        proxy.html_200(path_prefix="/sync/v1/pull")
    try:
        return client.sync_once()
    except TransientError:
        return None
    finally:
        proxy.clear_faults()


@pytest.mark.slow
@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_devices_converge_in_any_interleaving(server: RunningServer) -> None:
    port = int(server.url.rsplit(":", 1)[1])

    class TwoDevices(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.nip = fresh_nip()
            with server.engine.begin() as conn:
                self.person = accounts.create_person(conn, server.clock(), nip=self.nip,
                                                     nama="Siti", password=PASSWORD)
            self.folder = Path(tempfile.mkdtemp(prefix="asndesk-stateful-"))
            self.proxy = FaultProxy("127.0.0.1", port).start()
            self.devices: list[Workspace] = []
            self.clients: list[SyncClient] = []
            for name in ("pc", "laptop"):
                ws, client = new_device(self.folder, name, self.nip, "Siti", self.proxy.url)
                self.devices.append(ws)
                self.clients.append(client)

        def _logs(self, device: int) -> list[dict[str, Any]]:
            return self.devices[device].logs(limit=1000)

        @rule(device=st.integers(0, 1), word=st.sampled_from(WORDS), hour=st.integers(7, 15))
        def add(self, device: int, word: str, hour: int) -> None:
            self.devices[device].add_log("2026-11-20", f"{hour:02d}:00", f"{hour:02d}:30", word)

        @precondition(lambda self: any(self._logs(d) for d in (0, 1)))
        @rule(device=st.integers(0, 1), pick=st.integers(0, 50), word=st.sampled_from(WORDS),
              field=st.sampled_from(["kegiatan", "output"]))
        def edit(self, device: int, pick: int, word: str, field: str) -> None:
            logs = self._logs(device)
            if not logs:
                return
            log = logs[pick % len(logs)]
            # Few distinct values, so that edits often repeat what the server already has.
            changes = ({"kegiatan": word} if field == "kegiatan"
                       else {"output_jumlah": str(pick % 2 + 1), "output_satuan": "Berkas"})
            self.devices[device].edit_log(log["id"], **changes)

        @precondition(lambda self: any(self._logs(d) for d in (0, 1)))
        @rule(device=st.integers(0, 1), pick=st.integers(0, 50))
        def delete(self, device: int, pick: int) -> None:
            logs = self._logs(device)
            if logs:
                self.devices[device].delete_log(logs[pick % len(logs)]["id"])

        @rule(device=st.integers(0, 1), fault=st.sampled_from(FAULTS))
        def sync(self, device: int, fault: str) -> None:
            sync_through(self.proxy, self.clients[device], fault)

        def teardown(self) -> None:
            try:
                self.proxy.clear_faults()
                for device in (0, 1, 0, 1):
                    self.clients[device].sync_once()
                self._check()
            finally:
                for ws in self.devices:
                    ws.lock()
                self.proxy.stop()
                shutil.rmtree(self.folder, ignore_errors=True)

        def _check(self) -> None:
            for ws in self.devices:
                states = {op.state for op in ws.outbox(("pending", "sent"))}
                assert states == set(), "an op was never answered"
            view = [{r["id"]: (r["kegiatan"], r["output_jumlah"], r["output_satuan"])
                     for r in self._logs(d)} for d in (0, 1)]
            with server.engine.connect() as conn:
                rows = conn.execute(select(entity).where(entity.c.owner_id == self.person,
                                                         entity.c.kind == "log_harian")).all()
            live = {r.id: (json.loads(r.data)["kegiatan"], json.loads(r.data).get("output_jumlah"),
                           json.loads(r.data).get("output_satuan"))
                    for r in rows if not r.deleted}
            assert view[0] == view[1] == live, "replicas differ"
            with server.engine.connect() as conn:
                expected = checksum_of(conn, [self.person])
            assert [ws.ledger_checksum("own") for ws in self.devices] == [expected] * 2, (
                "a replica's checksum differs from the server's")
            created = {op.entity_id for ws in self.devices for op in ws.outbox()
                       if op.kind == "create" and op.entity_kind == "log_harian"}
            assert {r.id for r in rows} == created, "a create was lost or invented"

    run_state_machine_as_test(TwoDevices, settings=settings(
        max_examples=12, stateful_step_count=14, deadline=None, database=None))
