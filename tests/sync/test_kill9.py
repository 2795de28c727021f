"""kill -9 of the client and of the server in the middle of a sync: nothing lost, nothing twice."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select, text

from asndesk.store import outbox
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.server.schema import change_log

ROOT = Path(__file__).resolve().parents[2]
NIP = "198609262015051001"
OPS = 1500


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Office:
    """A server process and one employee's client home, driven through the real CLI."""

    def __init__(self, tmp: Path) -> None:
        self.server_home, self.client_home = tmp / "server", tmp / "client"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        base = {**os.environ, "PYTHONPATH": str(ROOT), "ASNDESK_LANG": "en", "ASNDESK_KDF": "floor"}
        self.server_env = {**base, "ASNDESK_HOME": str(self.server_home),
                           "ASNDESK_ADMIN_PASSWORD": "sandi di server"}
        self.client_env = {**base, "ASNDESK_HOME": str(self.client_home),
                           "ASNDESK_PASSWORD": "sandi lokal panjang",
                           "ASNDESK_SERVER_PASSWORD": "sandi di server"}
        self.server: subprocess.Popen[str] | None = None

    def cli(self, *args: str, env: dict[str, str], code: int | None = 0
            ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "asndesk", *args], env=env, text=True,
                                capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
        if code is not None:
            assert result.returncode == code, (args, result.stdout, result.stderr)
        return result

    def start_server(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "-m", "asndesk", "server", "--port", str(self.port)],
            env=self.server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline
            time.sleep(0.1)

    def kill_server(self) -> None:
        assert self.server is not None
        self.server.send_signal(signal.SIGKILL)
        self.server.wait(timeout=10)

    def sync_process(self) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "asndesk", "sync"], env=self.client_env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL, text=True)

    def server_changes(self) -> int:
        engine = create_engine(f"sqlite:///{self.server_home / 'server' / 'server.db'}")
        with engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(change_log)).scalar()
            dupes = conn.execute(text(
                "SELECT count(*) FROM (SELECT entity_id FROM change_log"
                " GROUP BY entity_id HAVING count(*) > 1)")).scalar()
        engine.dispose()
        assert dupes == 0
        return int(count or 0)


@pytest.fixture
def office(tmp_path: Path) -> Office:
    office = Office(tmp_path)
    office.cli("server", "init", "--admin-nip", NIP, "--admin-nama", "Siti",
               env=office.server_env)
    office.start_server()
    manager = ProfileManager(office.client_home, kdf_policy=KdfParams.floor)
    ws, _ = Workspace.create_profile(NIP, "Siti", "sandi lokal panjang", manager=manager)
    for n in range(OPS):
        ws.add_log(f"2026-{1 + n % 10:02d}-{1 + n % 28:02d}", "08:00", "08:30",
                   f"Kegiatan nomor {n}")
    ws.lock()
    office.cli("login", "--server", office.url, env=office.client_env)
    yield office
    if office.server and office.server.poll() is None:
        office.server.send_signal(signal.SIGKILL)
        office.server.wait(timeout=10)


def _states(office: Office) -> dict[str, int]:
    manager = ProfileManager(office.client_home, kdf_policy=KdfParams.floor)
    ws = Workspace.open(NIP, "sandi lokal panjang", manager=manager)
    try:
        counts = outbox.count_by_state(ws.store.conn)
        return {s: counts[s] for s in ("pending", "sent", "acked")}
    finally:
        ws.lock()


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.8, 1.6])
def test_client_killed_mid_sync(office: Office, delay: float) -> None:
    proc = office.sync_process()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    office.cli("sync", env=office.client_env)
    assert office.server_changes() == OPS
    assert _states(office) == {"pending": 0, "sent": 0, "acked": OPS}


@pytest.mark.slow
def test_server_killed_mid_push(office: Office) -> None:
    proc = office.sync_process()
    time.sleep(1.0)
    office.kill_server()  # mid-push: its open transaction dies with it
    office.start_server()
    assert proc.wait(timeout=120) == 0  # the client's backoff retried and finished
    office.cli("sync", env=office.client_env)
    assert office.server_changes() == OPS
    assert _states(office)["acked"] == OPS
