"""`asndesk login`, `asndesk sync` and `asndesk sync status` against a real server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sync.server import accounts
from tests.sync.conftest import RunningServer

ROOT = Path(__file__).resolve().parents[2]
NIP = "198609262015051001"


@pytest.mark.slow
def test_login_sync_status(server: RunningServer, tmp_path: Path) -> None:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti",
                               password="sandi di server")
    env = {**os.environ, "ASNDESK_HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "ASNDESK_PASSWORD": "sandi lokal panjang", "ASNDESK_NEW_PASSWORD": "sandi lokal panjang",
           "ASNDESK_SERVER_PASSWORD": "sandi di server", "ASNDESK_KDF": "floor",
           "ASNDESK_LANG": "en"}

    def cli(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "asndesk", *args], env=env, text=True,
                                capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
        assert result.returncode == code, (args, result.stdout, result.stderr)
        return result

    cli("profile", "create", "--nip", NIP, "--nama", "Siti")
    assert "not connected" in cli("sync", "status").stdout
    cli("sync", code=2)  # not logged in yet: says so, writes nothing
    cli("login", "--server", "http://kantor.example.go.id", code=2)  # plain http elsewhere
    cli("login", "--server", server.url)
    cli("log", "add", "--tanggal", "2026-11-20", "--mulai", "08:00", "--selesai", "09:00",
        "--kegiatan", "Rapat koordinasi")
    assert "Waiting: 1" in cli("sync", "status").stdout
    assert "Sent 1, refused 0, conflicts 0" in cli("sync").stdout
    status = cli("sync", "status").stdout
    assert "Waiting: 0" in status and "never" not in status
    # A second sync of the same profile while one runs (here: a held lock) waits its turn.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from sync.flight_lock import FlightLock; l = FlightLock(Path(sys.argv[1])); "
         "assert l.acquire(); print('held', flush=True); time.sleep(60)",
         str(tmp_path / "profiles" / NIP)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert "already syncing" in cli("sync", code=1).stderr
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert "Sent 0, refused 0" in cli("sync").stdout
