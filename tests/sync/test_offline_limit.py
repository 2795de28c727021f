"""The office's days-offline limit (office.json `policy.max_days_offline`): past it, a profile
that syncs with the office server needs a server login again; login, sync and bundles count as
contact; setting the clock back does not reset it; the command line enforces it too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from asndesk.offline_policy import DAY_S
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.server import accounts
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def connected(workspace: Workspace, server: RunningServer) -> SyncClient:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                               password=PASSWORD)
    client = SyncClient(workspace, server.url)
    client.login(NIP, PASSWORD, "PC kantor")
    return client


def test_no_limit_without_an_office_limit_or_a_server(workspace: Workspace) -> None:
    assert workspace.offline_status(30) is None            # never connected to a server
    workspace.set_sync_settings(url="https://skp.example.go.id")
    assert workspace.offline_status(None) is None          # the office sets no limit


def test_past_the_limit_a_login_is_required_and_a_sync_lifts_it(
        workspace: Workspace, connected: SyncClient) -> None:
    now = time.time()
    status = workspace.offline_status(30, now=now)
    assert status is not None and (status.days_offline, status.reauth_required) == (0, False)
    assert not workspace.offline_status(30, now=now + 30 * DAY_S).reauth_required  # type: ignore[union-attr]
    late = workspace.offline_status(30, now=now + 31 * DAY_S)
    assert late is not None and (late.days_offline, late.reauth_required) == (31, True)

    # Setting the computer's date back does not reset the count.
    back = workspace.offline_status(30, now=now + 1 * DAY_S)
    assert back is not None and back.reauth_required

    workspace.set_sync_settings(latest_seen=None)  # (only so the test's clock is the real one)
    workspace.set_sync_settings(last_contact=repr(now - 40 * DAY_S))  # as if it was then
    assert workspace.offline_status(30).reauth_required  # type: ignore[union-attr]
    connected.sync_once(["own"])                         # a completed sync is contact
    assert not workspace.offline_status(30).reauth_required  # type: ignore[union-attr]


def test_login_counts_as_contact(workspace: Workspace, connected: SyncClient) -> None:
    workspace.set_sync_settings(last_contact=repr(time.time() - 90 * DAY_S))  # as if it was then
    assert workspace.offline_status(60).reauth_required  # type: ignore[union-attr]
    connected.login(NIP, PASSWORD, "PC kantor")
    assert not workspace.offline_status(60).reauth_required  # type: ignore[union-attr]


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASNDESK_HOME": str(home), "ASNDESK_PASSWORD": PASSWORD,
           "ASNDESK_KDF": "floor", "ASNDESK_LANG": "en", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "asndesk", "--profile", NIP, *args],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                          timeout=120, check=False)


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_command_line_refuses_past_the_limit_except_to_reconnect(
        workspace: Workspace, connected: SyncClient, server: RunningServer, home: Path) -> None:
    (home / "office.json").write_text(json.dumps({
        "server_url": server.url, "office_name": "Kantor Test",
        "policy": {"max_days_offline": 7}}), encoding="utf-8")
    workspace.set_sync_settings(last_contact=repr(time.time() - 8 * DAY_S))  # as if it was then
    refused = _cli(home, "log", "list")
    assert refused.returncode != 0
    assert "has not reached the office server for 8 days (the office allows 7)" in \
        refused.stderr
    assert "asndesk login" in refused.stderr
    synced = _cli(home, "sync")
    assert synced.returncode == 0, synced.stderr
    assert _cli(home, "log", "list").returncode == 0


def test_an_older_answer_never_rewinds_the_last_contact(workspace: Workspace) -> None:
    workspace.set_sync_settings(url="https://skp.example.go.id")
    now = time.time()
    workspace.note_server_contact(now)
    workspace.note_server_contact(now - 20 * DAY_S)  # a reply bundle made three weeks ago
    status = workspace.offline_status(7, now=now + DAY_S)
    assert status is not None and (status.days_offline, status.reauth_required) == (1, False)
