"""Evidence files on their resumable channel: real server, real stores, a link that breaks."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func, select

from asndesk.store import attachment_repo, attachment_sync_repo
from asndesk.store.ids import uuid7
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync import attachments
from sync.attachments import FileChannel
from sync.client import SyncClient, SyncReport, TransientError
from sync.progress import Progress
from sync.protocol import BLOB_FILES_PATH, BLOB_UPLOADS_PATH
from sync.server import accounts, blob_store
from sync.server.schema import (
    audit_event,
    blob_chunk,
    blob_file,
    blob_upload,
    hr_assignment,
    org_unit,
    supervisor_link,
)
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.faultproxy import FaultProxy
from tests.sync.test_server_auth import Device, login

NIPS = {"atasan": "197001011995031001", "rekan": "199001012020122002",
        "hr": "198001012005011003", "hr_lain": "198101012006011004",
        "admin": "196501011990031005"}
KIB = 1024


@dataclass
class Api:
    """A logged-in HTTP caller of the blob routes."""

    url: str
    token: str

    def call(self, method: str, path: str, **kwargs: object) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=30,
                                **kwargs)

    def create(self, data: bytes, size: int | None = None) -> requests.Response:
        return self.call("POST", BLOB_UPLOADS_PATH, json={
            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data) if size is None
            else size, "mime": "application/pdf"})

    def patch(self, sha256: str, offset: int, chunk: bytes) -> requests.Response:
        return self.call("PATCH", f"{BLOB_UPLOADS_PATH}/{sha256}", data=chunk, headers={
            "Upload-Offset": str(offset), "Content-Type": attachments.CHUNK_MEDIA_TYPE})

    def get(self, sha256: str, range_: str | None = None) -> requests.Response:
        return self.call("GET", f"{BLOB_FILES_PATH}/{sha256}",
                         headers={"Range": range_} if range_ else {})

    def upload(self, data: bytes, chunk: int = 256 * KIB) -> None:
        digest = hashlib.sha256(data).hexdigest()
        offset = self.create(data).json()["offset"]
        while offset < len(data):
            answer = self.patch(digest, offset, data[offset:offset + chunk])
            assert answer.status_code == 200, answer.text
            offset = answer.json()["offset"]


def _api(server: RunningServer, nip: str) -> Api:
    answer = login(server, nip, PASSWORD, Device())
    assert answer.status_code == 200, answer.text
    return Api(server.url, answer.json()["access_token"])


@pytest.fixture
def org(server: RunningServer) -> dict[str, str]:
    """The employee (NIP) with a supervisor, a colleague, HR of her unit and of another, admin."""
    now = server.clock()
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="KEC-01", nama="Kecamatan Sukamaju"))
        conn.execute(org_unit.insert().values(id="KEC-02", nama="Kecamatan Mekarsari"))
        ids = {"pegawai": accounts.create_person(conn, now, nip=NIP, nama="Siti Aminah",
                                                 password=PASSWORD, unit_id="KEC-01")}
        for role, nip in NIPS.items():
            ids[role] = accounts.create_person(
                conn, now, nip=nip, nama=role, password=PASSWORD, is_admin=role == "admin",
                unit_id="KEC-02" if role == "hr_lain" else "KEC-01")
        conn.execute(hr_assignment.insert().values(person_id=ids["hr"], unit_id="KEC-01"))
        conn.execute(hr_assignment.insert().values(person_id=ids["hr_lain"], unit_id="KEC-02"))
        conn.execute(supervisor_link.insert().values(
            id=uuid7(), pegawai_id=ids["pegawai"], penilai_id=ids["atasan"],
            berlaku_mulai="2020-01-01"))
    return ids


def _device(tmp_path: Path, name: str, server: RunningServer) -> tuple[Workspace, SyncClient]:
    manager = ProfileManager(tmp_path / name, kdf_policy=KdfParams.floor)
    ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    client = SyncClient(ws, server.url)
    client.login(NIP, PASSWORD, name)
    return ws, client


@pytest.fixture
def devices(tmp_path: Path, server: RunningServer, org: dict[str, str]
            ) -> Iterator[tuple[tuple[Workspace, SyncClient], tuple[Workspace, SyncClient]]]:
    a, b = _device(tmp_path, "pc-kantor", server), _device(tmp_path, "laptop", server)
    yield a, b
    a[0].lock()
    b[0].lock()


def _evidence_file(tmp_path: Path, size: int, name: str = "scan.pdf") -> tuple[Path, bytes]:
    data = os.urandom(size)
    path = tmp_path / name
    path.write_bytes(data)
    return path, data


def _log_with(ws: Workspace, path: Path) -> str:
    return ws.add_log("2026-11-20", "08:00", "10:00", "Merekam KTP-el",
                      bukti=[path]).primary_id or ""


def _stored(server: RunningServer, sha256: str) -> bytes | None:
    with server.engine.connect() as conn:
        info = blob_store.file_info(conn, sha256)
        return None if info is None else blob_store.read_range(conn, info, 0, info.size - 1)


def _count(server: RunningServer, table: object) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def test_round_trip_between_two_devices(devices: tuple[tuple[Workspace, SyncClient], ...],
                                        server: RunningServer, tmp_path: Path) -> None:
    (a, ca), (b, cb) = devices
    path, data = _evidence_file(tmp_path, 300 * KIB)
    log_id = _log_with(a, path)
    seen: list[Progress] = []
    ca.progress = seen.append
    report = ca.sync_once()
    assert (report.acked, report.files_sent) == (2, 1)
    assert report.file_bytes == len(data)
    assert _stored(server, hashlib.sha256(data).hexdigest()) == data
    uploads = [p for p in seen if p.phase == "upload"]
    assert uploads[-1] == Progress("upload", 1, 1, len(data), len(data))
    # One callback follows the whole sync: the ops first, then the file, then the pull.
    assert seen[0].phase == "push" and seen[0].items_total == 2
    assert {p.phase for p in seen} <= {"push", "upload", "pull"}

    got = cb.sync_once()
    assert got.files_fetched == 1
    [item] = b.evidence("log_harian", log_id)
    assert (item["nama_file"], item["ukuran"]) == ("scan.pdf", len(data))
    assert attachment_repo.data_of(b.store.conn, item["attachment_id"]) == data

    # Nothing left to move: no file request on either side.
    for client in (ca, cb):
        quiet = client.sync_once()
        assert (quiet.files_sent, quiet.files_fetched, quiet.file_bytes) == (0, 0, 0)


def test_download_resumes_with_range(devices: tuple[tuple[Workspace, SyncClient], ...],
                                     server: RunningServer, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (a, ca), (b, _) = devices
    chunk = 32 * KIB
    path, data = _evidence_file(tmp_path, 7 * chunk + 99)
    log_id = _log_with(a, path)
    ca.sync_once()
    monkeypatch.setattr(attachments, "MAX_CHUNK", chunk)  # a small fixed chunk
    b.set_sync_settings(file_chunk=str(chunk))
    with FaultProxy("127.0.0.1", urlsplit(server.url).port or 0) as proxy:
        cb = SyncClient(b, proxy.url, stall_timeout=2)
        proxy.truncate(path_prefix=BLOB_FILES_PATH, body_bytes=100)
        with pytest.raises(TransientError):  # a cut body is never taken for the piece
            cb.sync_once()
        assert b.evidence("log_harian", log_id)[0]["ukuran"] == len(data)

        cut_at: list[int] = []

        def cut_a_later_piece(progress: Progress) -> None:
            if progress.phase == "download" and progress.bytes_done >= 2 * chunk and not cut_at:
                cut_at.append(progress.bytes_done)
                proxy.reset_before_upstream(path_prefix=BLOB_FILES_PATH)

        cb.progress = cut_a_later_piece
        with pytest.raises(TransientError):
            cb.sync_once()
        [task] = attachment_sync_repo.downloads_due(b.store.conn)
        assert task.done_bytes == cut_at[0]  # the pieces before the cut are kept
        cb.progress = None
        before = proxy.bytes_down
        report = cb.sync_once()
        assert report.files_fetched == 1
        assert report.file_bytes == len(data) - task.done_bytes  # resumed, not restarted
        assert proxy.bytes_down - before < len(data) - task.done_bytes + 8 * KIB
    [item] = b.evidence("log_harian", log_id)
    assert attachment_repo.data_of(b.store.conn, item["attachment_id"]) == data


@pytest.mark.parametrize("cut", ["reset_before_upstream", "reset_after_upstream"])
def test_partial_upload_resumes_from_the_server_offset(
        devices: tuple[tuple[Workspace, SyncClient], ...], server: RunningServer,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: str) -> None:
    (a, _), _ = devices
    chunk = 64 * KIB
    monkeypatch.setattr(attachments, "MAX_CHUNK", chunk)  # a small fixed chunk
    a.set_sync_settings(file_chunk=str(chunk))
    path, data = _evidence_file(tmp_path, 10 * chunk + 1234)
    digest = hashlib.sha256(data).hexdigest()
    _log_with(a, path)
    with FaultProxy("127.0.0.1", urlsplit(server.url).port or 0) as proxy:
        client = SyncClient(a, proxy.url, stall_timeout=5)

        cut_at: list[int] = []

        def cut_a_later_chunk(progress: Progress) -> None:
            # Called before each chunk with the offset reached: cut the one after three.
            if progress.phase == "upload" and progress.bytes_done >= 3 * chunk and not cut_at:
                cut_at.append(progress.bytes_done)
                proxy.inject(cut, path_prefix=f"{BLOB_UPLOADS_PATH}/")

        client.progress = cut_a_later_chunk
        with pytest.raises(TransientError):
            client.sync_once()
        with server.engine.connect() as conn:
            state = blob_store.upload_state(conn, _person(server, NIP), digest)
        assert state is not None and not state.complete
        # Before the server: that chunk is missing; after it: stored, only the answer lost.
        assert state.offset == cut_at[0] + (chunk if cut == "reset_after_upstream" else 0)
        client.progress = None
        before = proxy.bytes_up
        report = client.sync_once()
        resent = proxy.bytes_up - before
        assert report.files_sent == 1
        # Only what the server lacked went up again (plus request heads), not the whole file.
        assert report.file_bytes == len(data) - state.offset
        assert resent < len(data) - state.offset + 8 * KIB
    assert _stored(server, digest) == data


def _person(server: RunningServer, nip: str) -> str:
    with server.engine.connect() as conn:
        return str(accounts.find_by_nip(conn, nip).id)


def test_a_link_cut_mid_body_stores_nothing(server: RunningServer, org: dict[str, str]) -> None:
    api = _api(server, NIP)
    data = os.urandom(100 * KIB)
    digest = hashlib.sha256(data).hexdigest()
    assert api.create(data).json() == {"sha256": digest, "size": len(data), "offset": 0,
                                       "complete": False}
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=10) as raw:
        raw.sendall((f"PATCH {BLOB_UPLOADS_PATH}/{digest} HTTP/1.1\r\nHost: x\r\n"
                     f"Authorization: Bearer {api.token}\r\nUpload-Offset: 0\r\n"
                     f"Content-Type: {attachments.CHUNK_MEDIA_TYPE}\r\n"
                     f"Content-Length: {64 * KIB}\r\n\r\n").encode() + data[:10 * KIB])
    head = api.call("HEAD", f"{BLOB_UPLOADS_PATH}/{digest}")
    assert head.status_code == 200
    assert (head.headers["Upload-Offset"], head.headers["Upload-Length"]) == ("0", str(len(data)))
    api.upload(data, chunk=40 * KIB)
    assert _stored(server, digest) == data


def test_hash_mismatch_discards_the_upload(server: RunningServer, org: dict[str, str]) -> None:
    api = _api(server, NIP)
    claimed, sent = os.urandom(50 * KIB), os.urandom(50 * KIB)
    digest = hashlib.sha256(claimed).hexdigest()
    api.create(claimed)
    assert api.patch(digest, 0, sent[:30 * KIB]).status_code == 200
    answer = api.patch(digest, 30 * KIB, sent[30 * KIB:])
    assert (answer.status_code, answer.json()) == (422, {"error": "hash_mismatch"})
    assert api.call("HEAD", f"{BLOB_UPLOADS_PATH}/{digest}").status_code == 404
    assert (_count(server, blob_file), _count(server, blob_chunk)) == (0, 0)
    with server.engine.begin() as conn, pytest.raises(blob_store.BlobRefused) as err:
        blob_store.put_blob(conn, digest, sent, _person(server, NIP))
    assert err.value.code == "hash_mismatch"


def test_chunks_at_a_wrong_offset_or_too_big(server: RunningServer, org: dict[str, str]) -> None:
    api = _api(server, NIP)
    data = os.urandom(3 * 1024 * KIB)
    digest = hashlib.sha256(data).hexdigest()
    api.create(data)
    assert api.patch(digest, 0, data[:100 * KIB]).json()["offset"] == 100 * KIB
    again = api.patch(digest, 0, data[:100 * KIB])  # a retry whose answer was lost
    assert (again.status_code, again.json()) == (409, {"error": "offset_mismatch",
                                                       "offset": 100 * KIB})
    assert again.headers["Upload-Offset"] == str(100 * KIB)
    ahead = api.patch(digest, 500 * KIB, data[500 * KIB:600 * KIB])
    assert (ahead.status_code, ahead.json()["offset"]) == (409, 100 * KIB)
    big = api.patch(digest, 100 * KIB, data[100 * KIB:100 * KIB + blob_store.MAX_CHUNK_BYTES + 1])
    assert (big.status_code, big.json()) == (413, {"error": "chunk_too_large"})
    small = os.urandom(10 * KIB)
    api.create(small)
    beyond = api.patch(hashlib.sha256(small).hexdigest(), 0, small + b"x")
    assert (beyond.status_code, beyond.json()) == (413, {"error": "beyond_size"})
    wrong_type = api.call("PATCH", f"{BLOB_UPLOADS_PATH}/{digest}", data=b"x",
                          headers={"Upload-Offset": "0", "Content-Type": "text/plain"})
    assert wrong_type.status_code == 415


def test_too_large_and_too_many_are_refused(server: RunningServer, org: dict[str, str]) -> None:
    api = _api(server, NIP)
    huge = api.create(b"", size=blob_store.MAX_BLOB_BYTES + 1)
    assert (huge.status_code, huge.json()) == (413, {"error": "too_large"})
    for n in range(blob_store.MAX_OPEN_UPLOADS):
        assert api.create(f"berkas {n}".encode()).status_code == 200
    more = api.create(b"satu lagi")
    assert (more.status_code, more.json()) == (429, {"error": "too_many_uploads"})
    same = api.create(b"berkas 0")  # an existing upload still answers (idempotent)
    assert same.status_code == 200 and same.json()["offset"] == 0


def test_who_may_download(devices: tuple[tuple[Workspace, SyncClient], ...],
                          server: RunningServer, org: dict[str, str], tmp_path: Path) -> None:
    (a, ca), _ = devices
    path, data = _evidence_file(tmp_path, 70 * KIB)
    digest = hashlib.sha256(data).hexdigest()
    _log_with(a, path)
    ca.sync_once()
    expected = {"atasan": 200, "hr": 200, "admin": 200, "rekan": 404, "hr_lain": 404}
    for role, status in expected.items():
        answer = _api(server, NIPS[role]).get(digest)
        assert answer.status_code == status, role
        if status == 200:
            assert answer.content == data
        else:
            assert answer.json() == {"error": "not_found"}  # the same as no such file
    with server.engine.connect() as conn:
        denied = conn.execute(select(func.count()).select_from(audit_event).where(
            audit_event.c.action == "blob.read.denied")).scalar()
    assert denied == 2
    # A colleague who has the same file (and sends it) may read it back; knowing the hash
    # alone is not enough, even when the server already holds those bytes.
    # The supervisor's own client fetches it on demand (kept nowhere); the colleague's not.
    for role, expected_bytes in (("atasan", data), ("rekan", None)):
        manager = ProfileManager(tmp_path / role, kdf_policy=KdfParams.floor)
        ws, _ = Workspace.create_profile(NIPS[role], role, PASSWORD, manager=manager)
        client = SyncClient(ws, server.url)
        client.login(NIPS[role], PASSWORD)
        assert FileChannel(client, SyncReport()).fetch_bytes(digest, len(data)) == expected_bytes
        ws.lock()
    rekan = _api(server, NIPS["rekan"])
    assert rekan.create(data).json()["complete"] is False
    rekan.upload(data)
    assert rekan.get(digest).content == data
    assert _count(server, blob_file) == 1


def test_range_reads(devices: tuple[tuple[Workspace, SyncClient], ...],
                     server: RunningServer, tmp_path: Path) -> None:
    (a, ca), _ = devices
    path, data = _evidence_file(tmp_path, 90 * KIB)
    digest = hashlib.sha256(data).hexdigest()
    _log_with(a, path)
    ca.sync_once()
    api = _api(server, NIP)
    part = api.get(digest, "bytes=1000-70999")
    assert part.status_code == 206 and part.content == data[1000:71000]
    assert part.headers["Content-Range"] == f"bytes 1000-70999/{len(data)}"
    assert api.get(digest, "bytes=-10").content == data[-10:]
    assert api.get(digest, f"bytes={len(data)}-").status_code == 416
    assert api.get(digest).content == data


def test_put_blob_for_bundles_is_idempotent(server: RunningServer, org: dict[str, str]) -> None:
    data = os.urandom(3 * blob_store.MAX_CHUNK_BYTES // 2)
    digest = hashlib.sha256(data).hexdigest()
    person = _person(server, NIP)
    for _ in range(2):
        with server.engine.begin() as conn:
            blob_store.put_blob(conn, digest, data, person)
    assert _stored(server, digest) == data
    assert (_count(server, blob_upload), _count(server, blob_chunk)) == (1, 2)
    state = _api(server, NIP).create(data).json()
    assert state["complete"] is True


def test_adaptive_chunk_grows_on_a_fast_link(devices: tuple[tuple[Workspace, SyncClient], ...]
                                             ) -> None:
    (a, ca), _ = devices
    ticks = iter([0.0, 0.01] * 10)
    channel = FileChannel(ca, SyncReport(), clock=lambda: next(ticks))
    start = channel.chunk
    channel._adapt(start, 0.01)
    assert channel.chunk == 2 * start
    assert a.sync_setting("file_chunk") == str(2 * start)
    channel._adapt(channel.chunk, 60.0)  # a slow link: about TARGET_SECONDS of data
    assert channel.chunk == attachments.MIN_CHUNK
