"""`asndesk server init` and `asndesk server` as a newcomer runs them: real processes, real HTTP."""

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

from tests.sync.test_server_auth import Device

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "197001011995031001"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_init_then_serve_then_login(tmp_path: Path) -> None:
    env = {**os.environ, "ASNDESK_HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "ASNDESK_ADMIN_PASSWORD": "sandi admin kantor", "ASNDESK_LANG": "en"}
    run = [sys.executable, "-m", "asndesk", "server"]
    init = subprocess.run([*run, "init", "--admin-nip", "19700101 199503 1 001",
                           "--admin-nama", "Admin Kantor"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "server" / "server.db").exists()
    second = subprocess.run([*run, "init", "--admin-nip", ADMIN, "--admin-nama", "Lagi"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 2 and "already has an admin" in second.stderr
    bad = subprocess.run([*run, "init", "--admin-nip", "123", "--admin-nama", "X"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "admin_nip" in bad.stderr and "Traceback" not in bad.stderr

    port = _free_port()
    proc = subprocess.Popen([*run, "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.2)
        device = Device()
        answer = requests.post(f"{url}/auth/login", timeout=30, json={
            "nip": ADMIN, "password": "sandi admin kantor", "device_id": device.id,
            "device_public_key": device.public})
        assert answer.status_code == 200
        assert answer.json()["roles"]["admin"] is True
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
