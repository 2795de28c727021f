"""The fault proxy relays HTTP/1.1 faithfully and injects each fault as documented.

A small stdlib HTTP/1.1 server (keep-alive) runs in a thread; a real ``requests.Session`` talks
to it through the proxy. Timing bands are generous: they must hold on a loaded 2-core machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from faultproxy import FaultProxy


def blob(n: int) -> bytes:
    return bytes((i * 7 + i // 251) % 256 for i in range(n))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Upstream

    def log_message(self, *args: object) -> None:
        pass

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", ""):
            body = b""
            while size := int(self.rfile.readline().split(b";")[0], 16):
                body += self.rfile.read(size)
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b""):
                pass
            return body
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def _send(self, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self._read_body()
        self.server.bodies.append((self.path, body))
        self._send(json.dumps({"len": len(body), "sha256": hashlib.sha256(body).hexdigest()})
                   .encode())

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.gets.append(self.path)
        if url.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (blob(1000), b"x", blob(5000)):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self._send(blob(int(parse_qs(url.query).get("n", ["100"])[0])),
                       "application/octet-stream")


class Upstream(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.bodies: list[tuple[str, bytes]] = []
        self.gets: list[str] = []


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[FaultProxy]:
    upstream.bodies.clear()
    upstream.gets.clear()
    with FaultProxy("127.0.0.1", upstream.server_address[1]) as proxy:
        yield proxy
    assert not [t for t in threading.enumerate() if t.name == "faultproxy"]


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def test_pass_through_keep_alive(proxy: FaultProxy, upstream: Upstream,
                                 session: requests.Session) -> None:
    bodies = [b"", b"{}", os.urandom(1000), os.urandom(200_000), b"\r\n\r\nPOST / HTTP/1.1\r\n"]
    for body in bodies:
        r = session.post(proxy.url + "/sync/v1/push", data=body, timeout=5)
        assert r.json() == {"len": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    assert session.get(proxy.url + "/blob?n=70000", timeout=5).content == blob(70000)
    chunked = session.get(proxy.url + "/chunked", timeout=5)
    assert chunked.content == blob(1000) + b"x" + blob(5000)
    # A chunked upload (generator body) is framed exactly: the next request still works.
    r = session.post(proxy.url + "/up", data=iter([b"abc", os.urandom(3000), b"z"]), timeout=5)
    assert r.json()["len"] == 3004
    assert session.get(proxy.url + "/blob?n=10", timeout=5).content == blob(10)

    assert [b for _, b in upstream.bodies[:5]] == bodies
    assert proxy.connections_accepted == 1
    assert proxy.requests_seen == 9
    assert [m for m, _ in proxy.request_log] == ["POST"] * 5 + ["GET"] * 2 + ["POST", "GET"]
    assert proxy.bytes_up > 201_000 + 3004
    assert proxy.bytes_down > 70_000 + 6001


def test_reset_before_upstream(proxy: FaultProxy, upstream: Upstream,
                               session: requests.Session) -> None:
    fault = proxy.reset_before_upstream()
    with pytest.raises(requests.ConnectionError):
        session.post(proxy.url + "/sync/v1/push", data=b"op-1", timeout=5)
    assert upstream.bodies == []
    assert fault.fired == 1
    # Only the next request: the retry goes through, on a new connection.
    assert session.post(proxy.url + "/sync/v1/push", data=b"op-1", timeout=5).ok
    assert upstream.bodies == [("/sync/v1/push", b"op-1")]
    assert proxy.connections_accepted == 2


def test_reset_after_upstream(proxy: FaultProxy, upstream: Upstream,
                              session: requests.Session) -> None:
    proxy.reset_after_upstream()
    with pytest.raises(requests.ConnectionError):
        session.post(proxy.url + "/sync/v1/push", data=b"op-2" * 1000, timeout=5)
    assert upstream.bodies == [("/sync/v1/push", b"op-2" * 1000)]


@pytest.mark.parametrize("kind", ["reset_before_upstream", "reset_after_upstream"])
def test_resets_are_tcp_rsts(proxy: FaultProxy, kind: str) -> None:
    getattr(proxy, kind)()
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=3) as raw:
        raw.sendall(b"POST /sync/v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nop")
        with pytest.raises(ConnectionResetError):  # not a FIN (b""), not a response
            raw.recv(1000)


def test_stall_hits_the_read_timeout(proxy: FaultProxy, upstream: Upstream,
                                     session: requests.Session) -> None:
    proxy.stall(seconds=10)
    t0 = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        session.post(proxy.url + "/sync/v1/push", data=b"op-3", timeout=(2, 0.5))
    assert 0.4 <= time.monotonic() - t0 <= 3
    assert upstream.bodies == [("/sync/v1/push", b"op-3")]
    assert session.get(proxy.url + "/blob?n=5", timeout=5).content == blob(5)


def test_stall_mid_body(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.stall(after_bytes=1000, seconds=10)
    with pytest.raises(requests.ConnectionError, match="timed out"):
        session.get(proxy.url + "/blob?n=4000", timeout=(2, 0.5))


def test_trickle(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.trickle(bytes_per_s=2000)
    t0 = time.monotonic()
    r = session.get(proxy.url + "/blob?n=4000", timeout=(2, 1))
    assert r.content == blob(4000)
    assert 1.5 <= time.monotonic() - t0 <= 6


def test_truncate(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.truncate(body_bytes=1000)
    with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
        session.get(proxy.url + "/blob?n=4000", timeout=5)
    r = session.get(proxy.url + "/blob?n=4000", stream=True, timeout=5)
    assert r.raw.read(5000) == blob(4000)  # the next request is whole again

    proxy.truncate(body_bytes=1000)
    r = session.get(proxy.url + "/blob?n=4000", stream=True, timeout=5)
    assert r.headers["Content-Length"] == "4000"
    got = b""
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for piece in r.iter_content(100):
            got += piece
    assert got == blob(1000)


def test_html_200_captive_portal(proxy: FaultProxy, upstream: Upstream,
                                 session: requests.Session) -> None:
    proxy.html_200()
    r = session.post(proxy.url + "/sync/v1/push", data=b"op-4", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert b"<html" in r.content
    assert upstream.bodies == []
    assert session.post(proxy.url + "/sync/v1/push", data=b"op-4", timeout=5).json()["len"] == 4
    assert proxy.connections_accepted == 1  # the local answer kept the connection alive


def test_status_5xx(proxy: FaultProxy, upstream: Upstream, session: requests.Session) -> None:
    proxy.status_5xx(status=502)
    proxy.status_5xx()
    assert session.post(proxy.url + "/a", data=b"x", timeout=5).status_code == 502
    r = session.post(proxy.url + "/b", data=b"x", timeout=5)
    assert r.status_code == 503
    assert r.text.startswith("503")
    assert upstream.bodies == []
    assert session.post(proxy.url + "/c", data=b"x", timeout=5).ok


def test_path_scope_and_until_cleared(proxy: FaultProxy, upstream: Upstream,
                                      session: requests.Session) -> None:
    fault = proxy.status_5xx(times=None, path_prefix="/sync/v1/push")
    for _ in range(3):
        assert session.post(proxy.url + "/sync/v1/push", data=b"p", timeout=5).status_code == 503
    assert session.post(proxy.url + "/sync/v1/pull", data=b"q", timeout=5).ok
    assert fault.fired == 3
    proxy.clear_faults()
    assert session.post(proxy.url + "/sync/v1/push", data=b"p", timeout=5).ok
    assert upstream.bodies == [("/sync/v1/pull", b"q"), ("/sync/v1/push", b"p")]

    proxy.reset_before_upstream(times=2, path_prefix="/sync/v1/push")
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            session.post(proxy.url + "/sync/v1/push", data=b"p", timeout=5)
    assert session.post(proxy.url + "/sync/v1/push", data=b"p", timeout=5).ok


def test_rate_limit_both_directions(proxy: FaultProxy, upstream: Upstream,
                                    session: requests.Session) -> None:
    proxy.set_link(rate_bps=80_000)
    t0 = time.monotonic()
    assert session.get(proxy.url + "/blob?n=20000", timeout=5).content == blob(20000)
    assert 1.5 <= time.monotonic() - t0 <= 4
    t0 = time.monotonic()
    assert session.post(proxy.url + "/up", data=blob(10000), timeout=5).json()["len"] == 10000
    assert 0.7 <= time.monotonic() - t0 <= 3


def test_latency_is_per_direction_and_pipelined(proxy: FaultProxy,
                                                session: requests.Session) -> None:
    session.get(proxy.url + "/blob?n=1", timeout=5)  # connect first
    proxy.set_link(latency_ms=150)
    t0 = time.monotonic()
    assert session.get(proxy.url + "/blob?n=300000", timeout=5).content == blob(300000)
    assert 0.3 <= time.monotonic() - t0 <= 1.5  # one RTT, not one per chunk


def test_stop_closes_everything(upstream: Upstream, session: requests.Session) -> None:
    proxy = FaultProxy("127.0.0.1", upstream.server_address[1]).start()
    port = proxy.port
    assert session.get(proxy.url + "/blob?n=10", timeout=5).ok  # an idle keep-alive connection
    proxy.stall(seconds=60)
    stalled = socket.create_connection(("127.0.0.1", port))
    stalled.sendall(b"GET /blob HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.2)
    t0 = time.monotonic()
    proxy.stop()
    assert time.monotonic() - t0 < 2
    assert not [t for t in threading.enumerate() if t.name == "faultproxy"]
    stalled.settimeout(2)
    try:  # closed by the proxy (FIN or RST), not left hanging
        assert stalled.recv(100) == b""
    except ConnectionResetError:
        pass
    stalled.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
    with pytest.raises(requests.ConnectionError):
        session.get(proxy.url + "/blob?n=10", timeout=5)


def test_idle_close_by_server_is_mirrored() -> None:
    listener = socket.create_server(("127.0.0.1", 0))

    def serve_once_then_idle_close() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(1000)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            time.sleep(0.3)

    thread = threading.Thread(target=serve_once_then_idle_close)
    thread.start()
    with listener, FaultProxy("127.0.0.1", listener.getsockname()[1]) as proxy, \
            socket.create_connection(("127.0.0.1", proxy.port)) as client:
        client.settimeout(3)
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while not data.endswith(b"ok"):
            data += client.recv(1000)
        assert data.startswith(b"HTTP/1.1 200 OK")
        assert client.recv(1000) == b""  # the server's idle close reaches the client
    thread.join(5)
