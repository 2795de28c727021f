"""Push batches: sized by bytes, adapting to the link, remembered, and reported as progress."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient, TransientError
from sync.progress import Progress
from sync.push_engine import (
    MAX_BATCH_BYTES,
    MIN_BATCH_BYTES,
    TARGET_SECONDS,
    PushBudget,
    contiguous_batch,
)
from sync.server import accounts
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.faultproxy import FaultProxy


def test_budget_grows_on_quick_answers_and_halves_on_slow_ones_or_failures() -> None:
    budget = PushBudget(64 * 1024)
    budget.answered(TARGET_SECONDS / 10)
    assert budget.bytes == 128 * 1024
    budget.answered(TARGET_SECONDS)          # on target: unchanged
    assert budget.bytes == 128 * 1024
    budget.answered(TARGET_SECONDS * 3)
    assert budget.bytes == 64 * 1024
    budget.failed()
    assert budget.bytes == 32 * 1024
    for _ in range(10):
        budget.failed()
    assert budget.bytes == MIN_BATCH_BYTES
    for _ in range(20):
        budget.answered(0.01)
    assert budget.bytes == MAX_BATCH_BYTES
    assert PushBudget(1).bytes == MIN_BATCH_BYTES and PushBudget(10**9).bytes == MAX_BATCH_BYTES


def _workspace(tmp_path: Path) -> Workspace:
    manager = ProfileManager(tmp_path / "pc", kdf_policy=KdfParams.floor)
    return Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)[0]


@pytest.fixture
def ws(tmp_path: Path, server: RunningServer) -> Iterator[Workspace]:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                               password=PASSWORD)
    workspace = _workspace(tmp_path)
    yield workspace
    workspace.lock()


def _logs(ws: Workspace, n: int) -> None:
    for i in range(n):
        ws.add_log("2026-11-20", "08:00", "08:30", f"Melayani warga nomor {i} " + "x" * 400)


def test_batches_are_contiguous_and_within_the_budget(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    _logs(ws, 30)
    ops = ws.unacked_ops()
    ws.lock()
    batch, size = contiguous_batch(ops, 4 * 1024)
    assert 1 < len(batch) < len(ops) and [o.seq for o in batch] == [o.seq for o in ops[:len(batch)]]
    before_last = contiguous_batch(batch[:-1], 10**6)[1]
    assert before_last <= 4 * 1024 < size      # the op that crossed the budget ends the batch
    one, _ = contiguous_batch(ops, 1)         # at least one op, whatever the budget
    assert len(one) == 1
    gap = [ops[0], ops[2], ops[3]]
    assert len(contiguous_batch(gap, 10**6)[0]) == 1   # never across a gap in seq


def test_a_reset_halves_the_budget_and_the_next_sync_starts_from_it(
        ws: Workspace, server: RunningServer) -> None:
    _logs(ws, 120)
    with FaultProxy("127.0.0.1", urlsplit(server.url).port or 0) as proxy:
        client = SyncClient(ws, proxy.url, max_push_bytes=64 * 1024, stall_timeout=5)
        client.login(NIP, PASSWORD)
        proxy.inject("reset_before_upstream", path_prefix="/sync/v1/push")
        with pytest.raises(TransientError):
            client.sync_once()
        assert ws.sync_setting("push_bytes") == str(32 * 1024)
        seen: list[Progress] = []
        again = SyncClient(ws, proxy.url, max_push_bytes=64 * 1024)
        assert again.pusher.budget.bytes == 32 * 1024     # remembered in the profile
        again.progress = seen.append
        report = again.sync_once()
    assert report.acked == 120 and ws.outbox(("pending", "sent")) == []
    pushes = [p for p in seen if p.phase == "push"]
    assert len(pushes) > 1 and pushes[-1].items_done == pushes[-1].items_total == 120
    assert [p.items_done for p in pushes] == sorted(p.items_done for p in pushes)
    # A loopback link answers fast: the budget grew back and was stored for next time.
    assert int(ws.sync_setting("push_bytes") or 0) > 32 * 1024
