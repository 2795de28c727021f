"""A revoked device's final push, end to end over a real server (SQLite and PostgreSQL).

Revocation with `final_push` lets the device send its queue once (signed by its key, no
token), close the window, and then crypto-shred (S-11, S-19); without it, or once the window
is over, closed or the account disabled, nothing is applied and the profile is erased. A
network failure during the final push keeps the profile for the next attempt.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from asndesk.errors import ProfileNotFound
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync import wire
from sync.bundle_device import BundleUploader
from sync.client import DeviceRevoked, FinalPushPending, SyncClient
from sync.protocol import (
    DEVICE_HEADER,
    FINAL_DONE_CONTEXT,
    FINAL_PUSH_CONTEXT,
    FINAL_PUSH_DONE_PATH,
    FINAL_PUSH_PATH,
    SIGNATURE_HEADER,
    OpEnvelope,
    PushRequest,
)
from sync.server import accounts
from sync.server.schema import audit_event, device, op_result
from sync.server.schema import person as person_table
from sync.sync_commands import shred_revoked
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.test_client_engine import person as person  # noqa: PLC0414 (fixture)
from tests.sync.test_server_auth import NIP_A, NIP_B, NIP_HR, Device, bearer, login
from tests.sync.test_server_auth import PASSWORD as SERVER_PASSWORD
from tests.sync.test_server_auth import people as people  # noqa: PLC0414 (fixture)


class Profile:
    """One device's profile, its manager and recovery key (to prove the crypto-shred)."""

    def __init__(self, root: Path) -> None:
        self.manager = ProfileManager(root, kdf_policy=KdfParams.floor)
        self.ws, self.recovery = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD,
                                                          manager=self.manager)

    def erased(self) -> bool:
        try:
            Workspace.open(NIP, PASSWORD, manager=self.manager).lock()
        except ProfileNotFound:
            pass
        else:
            return False
        with pytest.raises(ProfileNotFound):
            self.manager.unlock_with_recovery(NIP, self.recovery, "sandi baru sekali")
        return True

    def reopen(self) -> Workspace:
        self.ws = Workspace.open(NIP, PASSWORD, manager=self.manager)
        return self.ws


@pytest.fixture
def pair(tmp_path: Path, server: RunningServer, person: str
         ) -> Iterator[tuple[Profile, SyncClient, SyncClient]]:
    """Device A (to be revoked, three ops queued) and device B of the same person."""
    a, b = Profile(tmp_path / "laptop"), Profile(tmp_path / "pc-kantor")
    ca, cb = SyncClient(a.ws, server.url), SyncClient(b.ws, server.url)
    ca.login(NIP, PASSWORD, "Laptop lama")
    cb.login(NIP, PASSWORD, "PC kantor")
    for n in range(3):
        a.ws.add_log("2026-11-20", f"{8 + n:02d}:00", f"{8 + n:02d}:30", f"Kegiatan {n}")
    yield a, ca, cb
    for ws in (a.ws, b.ws):
        ws.lock()


def revoke(server: RunningServer, token: str, device_id: str,
           final_push: bool | None = None) -> requests.Response:
    body = None if final_push is None else {"final_push": final_push}
    return requests.post(f"{server.url}/devices/{device_id}/revoke", json=body,
                         headers=bearer(token), timeout=10)


def applied(server: RunningServer, device_id: str) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(op_result)
                                .where(op_result.c.device_id == device_id)).scalar() or 0)


def actions(server: RunningServer) -> list[str]:
    with server.engine.connect() as conn:
        return [r.action for r in conn.execute(select(audit_event.c.action)
                                               .order_by(audit_event.c.id))]


def proof(body: bytes, device_id: str, key: bytes, context: bytes,
          zstd: bool = True) -> dict[str, str]:
    """The headers of a final-push request made by hand: any device id, key and body."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signature = Ed25519PrivateKey.from_private_bytes(key).sign(
        context + hashlib.sha256(body).digest())
    headers = {DEVICE_HEADER: device_id, SIGNATURE_HEADER: base64.b64encode(signature).decode(),
               "Content-Type": wire.MEDIA_TYPE if zstd else "application/json",
               "Accept-Encoding": "identity"}
    if zstd:
        headers["Content-Encoding"] = "zstd"
    return headers


def signed(server: RunningServer, path: str, body: bytes, device_id: str, key: bytes,
           context: bytes, zstd: bool = True) -> requests.Response:
    return requests.post(f"{server.url}{path}", data=body, timeout=10,
                         headers=proof(body, device_id, key, context, zstd))


def push_body(ws: Workspace, device_id: str | None = None) -> bytes:
    ops = tuple(OpEnvelope.from_outbox(op) for op in ws.unacked_ops())
    return wire.encode(PushRequest(device_id or ws.store.device_id, ops).to_wire(), "zstd")


def done_body(device_id: str) -> bytes:
    return json.dumps({"protocol": 1, "device_id": device_id}).encode()


REFUSED = {"error": "final_push_refused"}


def test_final_push_sends_the_queue_once_then_erases(
        pair: tuple[Profile, SyncClient, SyncClient], server: RunningServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, ca, cb = pair
    device_id, token = a.ws.store.device_id, a.ws.sync_setting("access") or ""
    answer = revoke(server, cb.ws.sync_setting("access") or "", device_id, final_push=True)
    assert answer.status_code == 200 and answer.json()["final_push_until"]
    # Every normal route still refuses, and says that a final push is allowed.
    refused = requests.get(f"{server.url}/devices", headers=bearer(token), timeout=10)
    assert refused.json() == {"error": "device_revoked", "final_push": True}
    with pytest.raises(DeviceRevoked) as err:
        ca.sync_once()
    report = err.value.final_report
    assert report is not None and (report.pushed, report.acked, report.rejected) == (3, 3, 0)
    assert applied(server, device_id) == 3
    assert shred_revoked(a.ws, ca, err.value) == 3
    assert a.erased()
    printed = capsys.readouterr().err
    assert "sent 3" in printed or "terkirim 3" in printed
    log = actions(server)
    assert "device.revoke.final_push" in log and "final_push" in log
    assert log[-1] == "final_push.done"
    closed = requests.get(f"{server.url}/devices", headers=bearer(token), timeout=10)
    assert closed.json() == {"error": "device_revoked"}  # done: no final push any more


def test_without_final_push_nothing_arrives(pair: tuple[Profile, SyncClient, SyncClient],
                                            server: RunningServer) -> None:
    a, ca, cb = pair
    assert revoke(server, cb.ws.sync_setting("access") or "", a.ws.store.device_id
                  ).status_code == 200
    body, key = push_body(a.ws), a.ws.device_signing_key()
    with pytest.raises(DeviceRevoked) as err:
        ca.sync_once()
    assert not err.value.final_push and err.value.final_report is None
    # The device cannot push on its own either: a stolen laptop must not.
    answer = signed(server, FINAL_PUSH_PATH, body, a.ws.store.device_id, key,
                    FINAL_PUSH_CONTEXT)
    assert (answer.status_code, answer.json()) == (403, REFUSED)
    assert shred_revoked(a.ws, ca, err.value) == 3 and a.erased()
    assert applied(server, a.ws.store.device_id) == 0
    assert "final_push.denied.not_allowed" in actions(server)


def test_refusals_and_replays(pair: tuple[Profile, SyncClient, SyncClient],
                              server: RunningServer) -> None:  # S-18, S-21
    a, _, cb = pair
    dev_a, dev_b = a.ws.store.device_id, cb.ws.store.device_id
    key_a, key_b = a.ws.device_signing_key(), cb.ws.device_signing_key()
    # Not revoked: the route is not a way around tokens.
    body = push_body(a.ws)
    answer = signed(server, FINAL_PUSH_PATH, body, dev_a, key_a, FINAL_PUSH_CONTEXT)
    assert (answer.status_code, answer.json()) == (403, REFUSED)
    assert "final_push.denied.not_revoked" in actions(server)
    token_b = cb.ws.sync_setting("access") or ""
    assert revoke(server, token_b, dev_a, final_push=True).status_code == 200
    tampered = requests.post(f"{server.url}{FINAL_PUSH_PATH}", data=body[:-1] + b"\x00",
                             headers=proof(body, dev_a, key_a, FINAL_PUSH_CONTEXT), timeout=10)
    foreign = signed(server, FINAL_PUSH_PATH, body, dev_a, key_b, FINAL_PUSH_CONTEXT)
    unknown = signed(server, FINAL_PUSH_PATH, body, str(uuid.uuid4()), key_a,
                     FINAL_PUSH_CONTEXT)
    wrong_context = signed(server, FINAL_PUSH_PATH, body, dev_a, key_a, FINAL_DONE_CONTEXT)
    no_headers = requests.post(f"{server.url}{FINAL_PUSH_PATH}", data=body, timeout=10)
    for refused in (tampered, foreign, unknown, wrong_context, no_headers):
        assert (refused.status_code, refused.json()) == (403, REFUSED)
    # B, revoked too, cannot push A's ops with its own key (device id mismatch).
    assert revoke(server, token_b, dev_b, final_push=True).status_code == 200
    mismatch = signed(server, FINAL_PUSH_PATH, body, dev_b, key_b, FINAL_PUSH_CONTEXT)
    assert (mismatch.status_code, mismatch.json()) == (403, REFUSED)
    assert applied(server, dev_a) == 0 and applied(server, dev_b) == 0
    # The real thing, twice: one effect, identical answer.
    first = signed(server, FINAL_PUSH_PATH, body, dev_a, key_a, FINAL_PUSH_CONTEXT)
    headers = proof(body, dev_a, key_a, FINAL_PUSH_CONTEXT)
    again = requests.post(f"{server.url}{FINAL_PUSH_PATH}", data=body, headers=headers,
                          timeout=10)
    assert first.status_code == again.status_code == 200
    results = json.loads(first.content)["results"]
    assert [r["status"] for r in results] == ["applied"] * 3
    assert json.loads(again.content)["results"] == results
    assert applied(server, dev_a) == 3
    done = signed(server, FINAL_PUSH_DONE_PATH, done_body(dev_a), dev_a, key_a,
                  FINAL_DONE_CONTEXT, zstd=False)
    assert done.status_code == 200
    # After `done` the same signed requests are refused: replay is useless.
    replay = requests.post(f"{server.url}{FINAL_PUSH_PATH}", data=body, headers=headers,
                           timeout=10)
    replay_done = requests.post(f"{server.url}{FINAL_PUSH_DONE_PATH}", data=done_body(dev_a),
                                headers=proof(done_body(dev_a), dev_a, key_a,
                                              FINAL_DONE_CONTEXT, zstd=False), timeout=10)
    assert (replay.status_code, replay.json()) == (replay_done.status_code,
                                                   replay_done.json()) == (403, REFUSED)
    log = actions(server)
    for reason in ("bad_signature", "unknown_device", "bad_request", "device_mismatch",
                   "closed"):
        assert f"final_push.denied.{reason}" in log
    with server.engine.connect() as conn:
        audited = [r.target for r in conn.execute(select(audit_event.c.target).where(
            audit_event.c.action.like("final_push%")))]
    assert all(t is None or len(t) == 36 for t in audited)  # ids only, no content (S-24)


def test_window_over(pair: tuple[Profile, SyncClient, SyncClient],
                     server: RunningServer) -> None:
    a, ca, cb = pair
    dev_a = a.ws.store.device_id
    assert revoke(server, cb.ws.sync_setting("access") or "", dev_a, final_push=True
                  ).status_code == 200
    server.clock.advance(accounts.FINAL_PUSH_WINDOW_S + 1)
    body = push_body(a.ws)
    late = signed(server, FINAL_PUSH_PATH, body, dev_a, a.ws.device_signing_key(),
                  FINAL_PUSH_CONTEXT)
    assert (late.status_code, late.json()) == (403, REFUSED)
    with pytest.raises(DeviceRevoked) as err:  # (its token expired: learnt on refresh)
        ca.sync_once()
    assert not err.value.final_push
    assert shred_revoked(a.ws, ca, err.value) == 3 and a.erased()
    assert applied(server, dev_a) == 0
    assert "final_push.denied.window_over" in actions(server)


def test_disabled_account(pair: tuple[Profile, SyncClient, SyncClient],
                          server: RunningServer, person: str) -> None:
    a, ca, cb = pair
    dev_a = a.ws.store.device_id
    assert revoke(server, cb.ws.sync_setting("access") or "", dev_a, final_push=True
                  ).status_code == 200
    with server.engine.begin() as conn:
        conn.execute(person_table.update().where(person_table.c.id == person).values(disabled=True))
    body = push_body(a.ws)
    refused = signed(server, FINAL_PUSH_PATH, body, dev_a, a.ws.device_signing_key(),
                     FINAL_PUSH_CONTEXT)
    assert (refused.status_code, refused.json()) == (403, REFUSED)
    with pytest.raises(DeviceRevoked) as err:
        ca.sync_once()
    assert not err.value.final_push
    assert shred_revoked(a.ws, ca, err.value) == 3 and a.erased()
    assert applied(server, dev_a) == 0
    assert "final_push.denied.account_disabled" in actions(server)


class FlakySession(requests.Session):
    """Loses the connection on the first request to one path."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path, self.failed = path, False

    def post(self, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        if not self.failed and str(url).endswith(self.path):
            self.failed = True
            raise requests.ConnectionError("link down")
        return super().post(url, *args, **kwargs)


@pytest.mark.parametrize("lost", [FINAL_PUSH_PATH, FINAL_PUSH_DONE_PATH])
def test_network_failure_keeps_the_profile(pair: tuple[Profile, SyncClient, SyncClient],
                                           server: RunningServer, lost: str) -> None:
    a, _, cb = pair
    dev_a = a.ws.store.device_id
    assert revoke(server, cb.ws.sync_setting("access") or "", dev_a, final_push=True
                  ).status_code == 200
    server.clock.advance(20 * 60)  # the access token expired: `device_revoked` on refresh
    with pytest.raises(FinalPushPending):
        SyncClient(a.ws, server.url, session=FlakySession(lost)).sync_once()
    a.ws.lock()
    assert not a.erased()  # kept (locked) for the next attempt
    ws = a.reopen()
    client = SyncClient(ws, server.url)
    with pytest.raises(DeviceRevoked) as err:
        client.sync_once()
    assert err.value.final_report is not None
    assert shred_revoked(ws, client, err.value) == 3 and a.erased()
    assert applied(server, dev_a) == 3  # exactly once, whichever request was lost
    with server.engine.connect() as conn:
        row = conn.execute(select(device.c.final_push_done_at)
                           .where(device.c.id == dev_a)).one()
    assert row.final_push_done_at is not None


def test_bundle_upload_on_a_revoked_pc(pair: tuple[Profile, SyncClient, SyncClient],
                                       server: RunningServer) -> None:
    a, _, cb = pair
    assert revoke(server, cb.ws.sync_setting("access") or "", a.ws.store.device_id,
                  final_push=True).status_code == 200
    uploader = BundleUploader(a.ws, server.url)
    with pytest.raises(DeviceRevoked) as err:
        uploader.upload(b"not a bundle")
    assert err.value.final_push
    assert shred_revoked(a.ws, uploader, err.value) == 3 and a.erased()
    assert applied(server, a.ws.store.device_id) == 3


def test_only_who_may_revoke_chooses_final_push(server: RunningServer,
                                                people: dict[str, str]) -> None:  # S-13
    dev_a, dev_b, dev_hr = Device(), Device(), Device()
    a = login(server, NIP_A, SERVER_PASSWORD, dev_a).json()
    login(server, NIP_B, SERVER_PASSWORD, dev_b)
    hr = login(server, NIP_HR, SERVER_PASSWORD, dev_hr).json()
    denied = revoke(server, a["access_token"], dev_b.id, final_push=True)
    assert (denied.status_code, denied.json()) == (404, {"error": "not_found"})
    with server.engine.connect() as conn:
        row = conn.execute(select(device).where(device.c.id == dev_b.id)).one()
    assert row.revoked_at is None and row.final_push_until is None
    bad = requests.post(f"{server.url}/devices/{dev_b.id}/revoke", headers=bearer(
        hr["access_token"]), json={"final_push": "ya", "x": 1}, timeout=10)
    assert (bad.status_code, bad.json()) == (422, {"error": "invalid_request"})
    done = revoke(server, hr["access_token"], dev_b.id, final_push=True)
    assert done.status_code == 200 and done.json()["final_push_until"]
    assert "device.revoke.denied" in actions(server)
