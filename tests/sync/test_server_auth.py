"""Server accounts and devices over real HTTP: login, throttling, tokens, refresh, revocation."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select

from sync.protocol import REFRESH_CONTEXT
from sync.server import accounts
from sync.server.schema import audit_event, hr_assignment, metadata, org_unit, person
from tests.sync.conftest import RunningServer

NIP_A, NIP_B, NIP_HR = "198609262015051001", "199001012020122002", "197001011995031001"
PASSWORD = "kata sandi server"


class Device:
    def __init__(self, device_id: str | None = None) -> None:
        self.id = device_id or str(uuid.uuid4())
        self.key = Ed25519PrivateKey.generate()
        raw = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public = base64.b64encode(raw).decode()

    def sign(self, token: str) -> str:
        return base64.b64encode(self.key.sign(REFRESH_CONTEXT + token.encode())).decode()


@pytest.fixture
def people(server: RunningServer) -> dict[str, str]:
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="KEC-01", nama="Kecamatan Sukamaju"))
        conn.execute(org_unit.insert().values(id="KEC-02", nama="Kecamatan Mekarsari"))
        ids = {
            "a": accounts.create_person(conn, server.clock(), nip=NIP_A, nama="Siti",
                                        password=PASSWORD, unit_id="KEC-01"),
            "b": accounts.create_person(conn, server.clock(), nip=NIP_B, nama="Budi",
                                        password=PASSWORD, unit_id="KEC-02"),
            "hr": accounts.create_person(conn, server.clock(), nip=NIP_HR, nama="Rahmat",
                                         password=PASSWORD, unit_id="KEC-02"),
        }
        conn.execute(hr_assignment.insert().values(person_id=ids["hr"], unit_id="KEC-02"))
    return ids


def login(server: RunningServer, nip: str, password: str, device: Device) -> requests.Response:
    return requests.post(f"{server.url}/auth/login", json={
        "nip": nip, "password": password, "device_id": device.id,
        "device_public_key": device.public, "device_name": "Laptop kantor"}, timeout=30)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_schema_from_migrations_matches_the_tables(server: RunningServer) -> None:
    with server.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_health(server: RunningServer) -> None:
    answer = requests.get(f"{server.url}/health", timeout=10)
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
    assert requests.get(f"{server.url}/openapi.json", timeout=10).status_code == 200


def test_login_then_list_devices(server: RunningServer, people: dict[str, str]) -> None:
    device = Device()
    answer = login(server, "19860926 201505 1 001", PASSWORD, device)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["person_id"] == people["a"] and body["expires_in"] == 900
    devices = requests.get(f"{server.url}/devices", headers=bearer(body["access_token"]),
                           timeout=10).json()
    assert [d["id"] for d in devices] == [device.id]


def test_no_user_enumeration(server: RunningServer, people: dict[str, str]) -> None:  # S-17
    unknown = login(server, "199912312020121001", PASSWORD, Device())
    wrong = login(server, NIP_A, "salah sekali", Device())
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json()) == (
        401, {"error": "login_failed"})


def test_account_throttle_with_retry_info(server: RunningServer, people: dict[str, str]) -> None:
    device = Device()
    for _ in range(accounts.ACCOUNT_FREE_FAILURES - 1):
        assert login(server, NIP_A, "salah sekali", device).status_code == 401
    assert login(server, NIP_A, "salah sekali", device).status_code == 401  # 5th: now blocked
    blocked = login(server, NIP_A, PASSWORD, device)  # even the right password waits
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) == blocked.json()["retry_after"] == 30
    assert login(server, NIP_B, PASSWORD, Device()).status_code == 200  # others unaffected
    server.clock.advance(29)
    assert login(server, NIP_A, PASSWORD, device).status_code == 429
    server.clock.advance(1)
    assert login(server, NIP_A, PASSWORD, device).status_code == 200
    with server.engine.connect() as conn:
        failed = conn.execute(select(audit_event).where(audit_event.c.action == "login.failed"))
        assert all(row.actor is None for row in failed)


def test_address_throttle(server: RunningServer, people: dict[str, str]) -> None:
    for n in range(accounts.ADDRESS_FREE_FAILURES):
        nip = f"1999123120201210{n:02d}"
        assert login(server, nip, "x", Device()).status_code == 401
    assert login(server, NIP_B, PASSWORD, Device()).status_code == 429


def test_tokens_expire_and_refresh_needs_the_device_key(  # S-18
    server: RunningServer, people: dict[str, str]
) -> None:
    device, thief = Device(), Device()
    body = login(server, NIP_A, PASSWORD, device).json()
    server.clock.advance(15 * 60 + 1)
    assert requests.get(f"{server.url}/devices", headers=bearer(body["access_token"]),
                        timeout=10).status_code == 401
    stolen = {"refresh_token": body["refresh_token"], "device_id": device.id,
              "signature": thief.sign(body["refresh_token"])}
    assert requests.post(f"{server.url}/auth/refresh", json=stolen, timeout=10
                         ).status_code == 401
    fresh = requests.post(f"{server.url}/auth/refresh", timeout=10, json={
        "refresh_token": body["refresh_token"], "device_id": device.id,
        "signature": device.sign(body["refresh_token"])})
    assert fresh.status_code == 200
    pair = fresh.json()
    assert requests.get(f"{server.url}/devices", headers=bearer(pair["access_token"]),
                        timeout=10).status_code == 200
    # The spent token again (a replay, or a leak): refused, and the newer one dies with it.
    replay = requests.post(f"{server.url}/auth/refresh", timeout=10, json={
        "refresh_token": body["refresh_token"], "device_id": device.id,
        "signature": device.sign(body["refresh_token"])})
    assert replay.status_code == 401
    newer = requests.post(f"{server.url}/auth/refresh", timeout=10, json={
        "refresh_token": pair["refresh_token"], "device_id": device.id,
        "signature": device.sign(pair["refresh_token"])})
    assert newer.status_code == 401


def test_forged_access_token(server: RunningServer, people: dict[str, str]) -> None:
    body = login(server, NIP_A, PASSWORD, Device()).json()
    head, mac = body["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(head + "=="))
    claims["sub"] = people["b"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert requests.get(f"{server.url}/devices", headers=bearer(f"{forged}.{mac}"),
                        timeout=10).status_code == 401


def test_revocation_rules_and_effect(server: RunningServer, people: dict[str, str]) -> None:  # S-19
    dev_a, dev_b, dev_hr = Device(), Device(), Device()
    a = login(server, NIP_A, PASSWORD, dev_a).json()
    b = login(server, NIP_B, PASSWORD, dev_b).json()
    hr = login(server, NIP_HR, PASSWORD, dev_hr).json()
    # Another unit's employee cannot revoke (and cannot tell the device exists).
    denied = requests.post(f"{server.url}/devices/{dev_b.id}/revoke",
                           headers=bearer(a["access_token"]), timeout=10)
    missing = requests.post(f"{server.url}/devices/{uuid.uuid4()}/revoke",
                            headers=bearer(a["access_token"]), timeout=10)
    assert (denied.status_code, denied.json()) == (missing.status_code, missing.json()) == (
        404, {"error": "not_found"})
    # HR of B's unit can.
    done = requests.post(f"{server.url}/devices/{dev_b.id}/revoke",
                         headers=bearer(hr["access_token"]), timeout=10)
    assert done.status_code == 200 and done.json()["revoked_at"]
    gone = requests.get(f"{server.url}/devices", headers=bearer(b["access_token"]), timeout=10)
    assert (gone.status_code, gone.json()) == (401, {"error": "device_revoked"})
    again = requests.post(f"{server.url}/auth/refresh", timeout=10, json={
        "refresh_token": b["refresh_token"], "device_id": dev_b.id,
        "signature": dev_b.sign(b["refresh_token"])})
    assert again.status_code == 401
    relogin = login(server, NIP_B, PASSWORD, dev_b)
    assert (relogin.status_code, relogin.json()) == (403, {"error": "device_revoked"})
    with server.engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(audit_event.c.action))]
    assert "device.revoke.denied" in actions and "device.revoke" in actions


def test_disabled_account_loses_its_sessions(server: RunningServer,
                                             people: dict[str, str]) -> None:
    body = login(server, NIP_A, PASSWORD, Device()).json()
    with server.engine.begin() as conn:
        conn.execute(person.update().where(person.c.id == people["a"]).values(disabled=True))
    answer = requests.get(f"{server.url}/devices", headers=bearer(body["access_token"]),
                          timeout=10)
    assert (answer.status_code, answer.json()) == (401, {"error": "account_disabled"})


@pytest.mark.parametrize("body", [
    {"nip": "1986\x00", "password": PASSWORD},
    {"nip": NIP_A, "password": "rahasia\x00"},
    {"nip": NIP_A},
    "not json",
])
def test_bad_requests_get_generic_bodies(server: RunningServer, people: dict[str, str],
                                         body: Any) -> None:  # S-25
    device = Device()
    payload = body if isinstance(body, str) else {
        "device_id": device.id, "device_public_key": device.public, **body}
    answer = requests.post(f"{server.url}/auth/login", timeout=10,
                           data=payload if isinstance(payload, str) else json.dumps(payload),
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert answer.json() == {"error": "invalid_request"}
    assert "rahasia" not in answer.text and "Traceback" not in answer.text
