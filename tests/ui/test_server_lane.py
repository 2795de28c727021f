"""`ctx.server`: office-server calls run on their own network lane (never the GUI thread or
the DB lane), over the profile's own connection, and say clearly when there is no server."""

from __future__ import annotations

import threading

from sync.client import SyncClient, SyncError
from sync.server import accounts
from tests.conftest import NIP
from tests.ui.conftest import wait_idle

SERVER_PASSWORD = "sandi server kantor"


def test_without_a_server_the_call_fails_as_not_connected(qtbot, unlocked) -> None:
    errors: list[BaseException] = []
    unlocked.ctx.server(lambda client: client.rest("GET", "/me"), lambda _r: None,
                        errors.append)
    wait_idle(qtbot, unlocked)
    assert [type(e) for e in errors] == [SyncError]
    assert errors[0].code == "not_connected"  # type: ignore[attr-defined]


def test_calls_run_on_the_network_lane_with_the_session(qtbot, unlocked, sqlite_server) -> None:
    with sqlite_server.engine.begin() as conn:
        accounts.create_person(conn, sqlite_server.clock(), nip=NIP, nama="Siti Aminah",
                               password=SERVER_PASSWORD)
    done: list[object] = []
    unlocked.ctx.read(lambda ws: SyncClient(ws, sqlite_server.url).login(
        NIP, SERVER_PASSWORD, "PC kantor"), done.append)
    wait_idle(qtbot, unlocked)
    assert done

    seen: list[tuple[str, dict[str, object]]] = []

    def call(client: SyncClient) -> tuple[str, dict[str, object]]:
        return threading.current_thread().name, client.rest("GET", "/me")
    unlocked.ctx.server(call, seen.append)
    wait_idle(qtbot, unlocked)
    thread, me = seen[0]
    assert thread.startswith("asndesk-net")
    assert me["nip"] == NIP and me["nama"] == "Siti Aminah"

    # After lock the lane's connection is closed and late answers are dropped.
    ctx = unlocked.ctx
    unlocked.lock()
    wait_idle(qtbot, unlocked)
    late: list[object] = []
    ctx.server(lambda client: client.rest("GET", "/me"), late.append, late.append)
    wait_idle(qtbot, unlocked)
    assert late == [] and ctx._net_ws is None
