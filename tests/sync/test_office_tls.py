"""The sync client trusts the office's own CA and checks its key pin (office.json), against a
real HTTPS server on 127.0.0.1 — and refuses any server that does not match (security S-12)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from asndesk.workspace import Workspace
from sync.client import SyncClient, TransientError
from sync.server import accounts
from sync.server.app import create_app
from sync.server.db import open_database
from sync.server.schema import device
from sync.server.threaded import ThreadedServer
from sync.tls_trust import OfficeTlsAdapter, spki_pin
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import Clock, RunningServer
from tests.sync.tls_certs import ServerTls, make_ca, server_tls


@pytest.fixture
def tls(tmp_path: Path) -> ServerTls:
    return server_tls(tmp_path / "tls")


@pytest.fixture
def https_server(tmp_path: Path, tls: ServerTls) -> Iterator[RunningServer]:
    engine = open_database(f"sqlite:///{tmp_path / 'server.db'}")
    clock = Clock()
    with engine.begin() as conn:
        accounts.create_person(conn, clock(), nip=NIP, nama="Siti Aminah", password=PASSWORD)
    running = ThreadedServer(create_app(engine, clock), certfile=tls.certfile,
                             keyfile=tls.keyfile).start()
    yield RunningServer(running.url, engine, clock)
    running.stop()
    engine.dispose()


def _office(home: Path, url: str, **trust: str) -> None:
    (home / "office.json").write_text(json.dumps(
        {"server_url": url, "office_name": "Kantor Kecamatan Test", **trust}), encoding="utf-8")


def _login(ws: Workspace, url: str) -> None:
    SyncClient(ws, url).login(NIP, PASSWORD, "PC kantor")


def test_office_ca_lets_the_client_sync_with_the_office_server(
        workspace: Workspace, https_server: RunningServer, tls: ServerTls, home: Path) -> None:
    assert https_server.url.startswith("https://127.0.0.1:")
    _office(home, https_server.url, ca_certificate=tls.ca_pem,
            public_key_pin=spki_pin(tls.der))
    client = SyncClient(workspace, https_server.url)
    assert isinstance(client.http.get_adapter(https_server.url + "/x"), OfficeTlsAdapter)
    client.login(NIP, PASSWORD, "PC kantor")
    workspace.add_log("2026-11-02", "07:30", "09:00", "Rapat koordinasi")
    report = client.sync_once(["own"])
    assert (report.pushed, report.rejected) == (1, 0)


def test_without_the_office_file_a_private_ca_is_not_trusted(
        workspace: Workspace, https_server: RunningServer) -> None:
    with pytest.raises(TransientError) as err:
        _login(workspace, https_server.url)
    assert err.value.code == "tls_untrusted"
    assert workspace.sync_setting("access") is None


def test_a_server_signed_by_another_ca_is_refused(
        workspace: Workspace, https_server: RunningServer, home: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    _key, stranger = make_ca("Some other CA")
    _office(home, https_server.url, ca_certificate=stranger.public_bytes(Encoding.PEM).decode())
    with pytest.raises(TransientError) as err:
        _login(workspace, https_server.url)
    assert err.value.code == "tls_untrusted"


def test_a_wrong_pin_is_refused_before_any_request_is_sent(
        workspace: Workspace, https_server: RunningServer, tls: ServerTls, home: Path) -> None:
    other = server_tls(home.parent / "other-tls")  # a different key, same kind of certificate
    _office(home, https_server.url, ca_certificate=tls.ca_pem,
            public_key_pin=spki_pin(other.der))
    with pytest.raises(TransientError) as err:
        _login(workspace, https_server.url)
    assert err.value.code == "tls_untrusted"
    with https_server.engine.connect() as conn:  # the password never reached the server
        assert conn.execute(select(device.c.id)).first() is None


def test_office_trust_applies_to_the_office_server_only(
        workspace: Workspace, https_server: RunningServer, tls: ServerTls, home: Path) -> None:
    # The office file names another address: its CA is not trusted for this server.
    _office(home, "https://kantor.example.go.id", ca_certificate=tls.ca_pem)
    client = SyncClient(workspace, https_server.url)
    assert not isinstance(client.http.get_adapter(https_server.url + "/x"), OfficeTlsAdapter)
    with pytest.raises(TransientError) as err:
        client.login(NIP, PASSWORD, "PC kantor")
    assert err.value.code == "tls_untrusted"


def test_spki_pin_matches_the_office_file_format(tls: ServerTls) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    from asndesk.office_file import parse_office_config
    pin = spki_pin(tls.der)
    config = parse_office_config(json.dumps({
        "server_url": "https://kantor.example.go.id", "office_name": "Kantor",
        "public_key_pin": pin}), Path("office.json"))
    assert config.public_key_pin == pin
    ca = x509.load_pem_x509_certificate(tls.ca_pem.encode())
    assert spki_pin(ca.public_bytes(Encoding.DER)) != pin  # the CA's key is not the server's
