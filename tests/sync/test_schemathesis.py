"""S-16: schemathesis on the live OpenAPI with each role's token: no 5xx, no undocumented status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from sync.server import accounts
from sync.server.schema import hr_assignment, org_unit
from tests.sync.conftest import RunningServer
from tests.sync.test_server_auth import Device

PASSWORD = "sandi server kantor"
ROLES = {"pegawai": "198609262015051001", "pengelola": "199001012020122002",
         "admin": "197001011995031001"}


@pytest.mark.slow
def test_no_server_errors_for_any_role(server: RunningServer, tmp_path: Path) -> None:
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="KEC-01", nama="Kecamatan Sukamaju"))
        ids = {role: accounts.create_person(conn, server.clock(), nip=nip, nama=role,
                                            password=PASSWORD, unit_id="KEC-01",
                                            is_admin=role == "admin")
               for role, nip in ROLES.items()}
        conn.execute(hr_assignment.insert().values(person_id=ids["pengelola"], unit_id="KEC-01"))
    binary = Path(sys.executable).with_name("schemathesis")
    # Log every role in first: the fuzzer's own wrong logins from this address would soon
    # (rightly) trip the per-address throttle for the next role's real login.
    tokens = {}
    for role, nip in ROLES.items():
        device = Device()
        answer = requests.post(f"{server.url}/auth/login", timeout=30, json={
            "nip": nip, "password": PASSWORD, "device_id": device.id,
            "device_public_key": device.public})
        assert answer.status_code == 200, (role, answer.text)
        tokens[role] = answer.json()["access_token"]
    for role, token in tokens.items():
        result = subprocess.run(
            [str(binary), "run", f"{server.url}/openapi.json",
             "-H", f"Authorization: Bearer {token}",
             "--checks", "not_a_server_error,status_code_conformance", "-n", "15",
             "--phases", "coverage,fuzzing", "--seed", "1"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path)
        assert result.returncode == 0, (role, result.stdout[-3000:])
