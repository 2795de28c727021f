"""Fault-injecting HTTP/1.1 TCP proxy for the sync tests and benchmarks (stdlib only).

``FaultProxy`` sits between a real client (``requests``, keep-alive) and a real server on
127.0.0.1. Its asyncio loop runs in its own thread, so tests drive it from ordinary code::

    with FaultProxy("127.0.0.1", server_port, latency_ms=200) as proxy:
        proxy.reset_after_upstream(path_prefix="/sync/v1/push")  # the next push only
        session.post(proxy.url + "/sync/v1/push", data=body)       # -> ConnectionError

Each client connection gets its own upstream connection, opened at its first forwarded request;
when either side closes, the other is closed too (an idle close by the server reaches the
client, as through a plain TCP proxy). The proxy understands HTTP only as far as it must: it
reads each request head and forwards the body by ``Content-Length`` or chunked framing (so
requests on keep-alive connections are counted exactly, chunked uploads included), then the
response head and body (``Content-Length``, chunked, or until close; none for HEAD, 204, 304).
Bytes are relayed unchanged. Not supported: ``Expect: 100-continue`` and 1xx responses
(``requests`` sends neither), upgrades, non-HTTP/1.x streams (the connection is dropped).
Requests on one connection are handled in turn; pipelined ones wait.

Faults are queued from any thread at any time; each request takes the first queued fault whose
``path_prefix`` its target starts with. ``times=1`` (default): the next such request only;
``times=n``: the next n; ``times=None``: all of them until ``clear_faults()``. See ``Fault``.

Link emulation (``rate_bps``, ``latency_ms``; constructor or ``set_link()``, any time) applies to
all bytes both ways, faults or not. Each direction is one link shared by all connections: a
piece (about 50 ms of data) leaves once the previous one has been serialised at ``rate_bps``
(a token bucket one piece deep) and arrives ``latency_ms`` later. Latency is pipelined, not
added per chunk; a 400 ms RTT is ``latency_ms=200``. Local answers wait one latency first.

Counters (thread-safe): ``connections_accepted``, ``requests_seen``, ``request_log`` (list of
(method, target)), ``bytes_up`` (received from clients), ``bytes_down`` (delivered to clients).
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import socket
import struct
import sys
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partialmethod

READ_CHUNK = 65536
HEAD_LIMIT = 1 << 20
LOCAL_KINDS = ("reset_before_upstream", "html_200", "status_5xx")
KINDS = (*LOCAL_KINDS, "reset_after_upstream", "stall", "trickle", "truncate")
CAPTIVE_PORTAL_HTML = (
    b'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
    b"<title>Wi-Fi Gratis - Login</title></head>\n<body><h1>Selamat datang di Wi-Fi Gratis</h1>"
    b'\n<p>Silakan masuk untuk melanjutkan.</p>\n<form method="post" action="/login">'
    b"<input name=\"voucher\"><button>Masuk</button></form></body></html>\n"
)


@dataclass
class Fault:
    """A queued fault; ``fired`` counts the requests it has hit.

    - ``reset_before_upstream``: read the request, RST the client; the server sees nothing.
    - ``reset_after_upstream``: forward the request, read the whole response, then RST the
      client instead of answering ("the server committed but the client never heard").
    - ``stall``: relay ``after_bytes`` bytes of the response (head included), then hold the
      connection silent for ``seconds`` and close it.
    - ``trickle``: relay the response at ``bytes_per_s`` in pieces (about 10 a second).
    - ``truncate``: relay the head and ``body_bytes`` bytes of the body (raw framing if
      chunked), then close with a FIN.
    - ``html_200``: answer a captive-portal login page (``text/html``) without the server.
    - ``status_5xx``: answer ``status`` with a short text body without the server.

    Local answers keep the connection alive. Faults after the server always read its whole
    response, so the server sees a normal exchange.
    """

    kind: str
    times: int | None = 1
    path_prefix: str = ""
    after_bytes: int = 0
    seconds: float = 30.0
    bytes_per_s: int = 2000
    body_bytes: int = 0
    status: int = 503
    fired: int = 0


NO_FAULT = Fault("")


def _parse_head(head: bytes) -> tuple[list[bytes], dict[bytes, bytes]]:
    """Split a message head into its start line's words and lower-cased headers."""
    first, *lines = head[:-4].split(b"\r\n")
    headers = {}
    for line in lines:
        name, sep, value = line.partition(b":")
        if not sep:
            raise ValueError(line)
        headers[name.strip().lower()] = value.strip()
    start = [*first.split(b" ", 2), b""][:3]  # the reason phrase may be missing
    if not start[1]:
        raise ValueError(first)
    return start, headers


async def _exactly(reader: asyncio.StreamReader, n: int) -> AsyncIterator[bytes]:
    while n > 0:
        if not (piece := await reader.read(min(n, READ_CHUNK))):
            raise asyncio.IncompleteReadError(b"", n)
        n -= len(piece)
        yield piece


async def _body(reader: asyncio.StreamReader, headers: dict[bytes, bytes],
                until_close: bool) -> AsyncIterator[bytes]:
    """Yield the raw bytes of a message body, chunk framing and trailers included."""
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        while True:
            yield (line := await reader.readuntil(b"\r\n"))
            if (size := int(line.split(b";")[0].strip(), 16)) == 0:
                break
            async for piece in _exactly(reader, size + 2):
                yield piece
        while (line := await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
            yield line
        yield line
    elif b"content-length" in headers:
        async for piece in _exactly(reader, int(headers[b"content-length"])):
            yield piece
    elif until_close:
        while piece := await reader.read(READ_CHUNK):
            yield piece


def _rst(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0) instead of a FIN."""
    with contextlib.suppress(OSError):
        writer.get_extra_info("socket").setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _local_response(fault: Fault) -> bytes:
    status = 200 if fault.kind == "html_200" else fault.status
    phrase = http.HTTPStatus(status).phrase
    ctype, body = b"text/plain; charset=utf-8", f"{status} {phrase} (faultproxy)\n".encode()
    if fault.kind == "html_200":
        ctype, body = b"text/html; charset=utf-8", CAPTIVE_PORTAL_HTML
    return (b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCache-Control: "
            b"no-store\r\n\r\n%s" % (status, phrase.encode(), ctype, len(body), body))


class _Pipe:
    """One direction of one connection: writes pieces in order, at link-emulated times."""

    def __init__(self, proxy: FaultProxy, writer: asyncio.StreamWriter, direction: str) -> None:
        self._proxy, self._writer, self._dir = proxy, writer, direction
        self._queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue(maxsize=64)
        self._error: OSError | None = None
        self.trickle_bps, self._trickle_free = 0, 0.0
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def send(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        now, free = asyncio.get_running_loop().time(), self._proxy._link_free
        rate, latency = self._proxy.rate_bps, self._proxy.latency_ms / 1000
        trickle = self.trickle_bps
        step = len(data) or 1
        if rate:
            step = min(step, max(256, rate // 160))  # ~50 ms of data
        if trickle:
            step = min(step, max(1, trickle // 10))
        for i in range(0, len(data), step):
            piece, due = data[i : i + step], now
            if trickle:
                due = self._trickle_free = max(due, self._trickle_free) + len(piece) / trickle
            if rate:
                due = free[self._dir] = max(due, free[self._dir]) + len(piece) * 8 / rate
            await self._queue.put((due + latency, piece))

    async def flush(self) -> None:
        await self._queue.join()
        if self._error is not None:
            raise self._error

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due, data = await self._queue.get()
            try:
                if self._error is None:
                    await asyncio.sleep(max(0.0, due - loop.time()))
                    self._writer.write(data)
                    await self._writer.drain()
                    if self._dir == "down":
                        self._proxy._count(bytes_down=len(data))
            except OSError as exc:  # the peer went away: report it at the next send/flush
                self._error = exc
            finally:
                self._queue.task_done()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


class _Connection:
    """One client connection and its upstream connection (opened when first needed)."""

    def __init__(self, proxy: FaultProxy, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self.proxy, self.c_reader, self.c_writer = proxy, reader, writer
        self.down = _Pipe(proxy, writer, "down")
        self.u_reader: asyncio.StreamReader | None = None
        self.u_writer: asyncio.StreamWriter | None = None
        self.up: _Pipe | None = None

    async def serve(self) -> None:
        """Handle requests until a side closes or a fault ends the connection."""
        while (head := await self._next_head()) is not None:
            (method, target, version), headers = _parse_head(head)
            if not version.startswith(b"HTTP/1."):
                raise ValueError(version)
            fault = self.proxy._take_fault(method.decode("latin-1"), target.decode("latin-1"))
            body = _body(self.c_reader, headers, until_close=False)
            if fault.kind in LOCAL_KINDS:
                async for piece in body:
                    self.proxy._count(bytes_up=len(piece))
                if fault.kind == "reset_before_upstream":
                    _rst(self.c_writer)
                    return
                await asyncio.sleep(self.proxy.latency_ms / 1000)  # the request's way up
                await self.down.send(_local_response(fault))
                await self.down.flush()
            else:
                if self.up is None:
                    self.u_reader, self.u_writer = await asyncio.open_connection(
                        self.proxy.upstream_host, self.proxy.upstream_port, limit=HEAD_LIMIT)
                    self.up = _Pipe(self.proxy, self.u_writer, "up")
                await self.up.send(head)
                async for piece in body:
                    self.proxy._count(bytes_up=len(piece))
                    await self.up.send(piece)
                if not await self._relay_response(method, fault):
                    return
            if headers.get(b"connection", b"").lower() == b"close":
                return

    async def _next_head(self) -> bytes | None:
        """The next request head; None on a clean EOF, or if the server closed while idle."""
        c_task = asyncio.ensure_future(self.c_reader.readuntil(b"\r\n\r\n"))
        u_task = asyncio.ensure_future(  # an idle upstream's EOF, or a never-set event
            self.u_reader.read(1) if self.u_reader else asyncio.Event().wait())
        try:
            done, _ = await asyncio.wait((c_task, u_task), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (c_task, u_task):
                task.cancel()
            await asyncio.gather(c_task, u_task, return_exceptions=True)
        if u_task in done:
            if c_task not in done:
                return None  # mirror the server's close (or unsolicited bytes) to the client
            await self.drop_upstream()  # raced with a new request: use a fresh connection
        try:
            head = c_task.result()
        except asyncio.IncompleteReadError as exc:
            if exc.partial:
                raise
            return None
        self.proxy._count(bytes_up=len(head))
        return head

    async def _relay_response(self, method: bytes, fault: Fault) -> bool:
        """Relay one response, applying ``fault``; True if the connection stays usable."""
        assert self.u_reader is not None
        head = await self.u_reader.readuntil(b"\r\n\r\n")
        (version, status, _), headers = _parse_head(head)
        no_body = method == b"HEAD" or status in (b"204", b"304") or status.startswith(b"1")
        framed = no_body or b"content-length" in headers or b"transfer-encoding" in headers
        keep = (framed and version != b"HTTP/1.0"
                and headers.get(b"connection", b"").lower() != b"close")
        budget = fault.after_bytes if fault.kind == "stall" else sys.maxsize
        body_budget = fault.body_bytes if fault.kind == "truncate" else sys.maxsize
        self.down.trickle_bps = fault.bytes_per_s if fault.kind == "trickle" else 0
        silent = fault.kind == "reset_after_upstream"

        async def emit(data: bytes, is_body: bool) -> None:
            nonlocal budget, body_budget
            if is_body:
                data = data[: max(0, body_budget)]
                body_budget -= len(data)
            data = data[: max(0, budget)]
            budget -= len(data)
            if data and not silent:
                await self.down.send(data)

        await emit(head, False)
        if not no_body:
            async for piece in _body(self.u_reader, headers, until_close=True):
                await emit(piece, True)
        self.down.trickle_bps = 0
        if silent:
            _rst(self.c_writer)
            return False
        await self.down.flush()
        if fault.kind == "stall":
            await asyncio.sleep(fault.seconds)
        return keep and fault.kind not in ("stall", "truncate")

    async def drop_upstream(self) -> None:
        if self.up is not None:
            await self.up.close()
        if self.u_writer is not None:
            self.u_writer.transport.abort()
        self.u_reader = self.u_writer = self.up = None

    async def close(self, graceful: bool) -> None:
        await self.down.close()
        await self.drop_upstream()
        if graceful:  # everything sent was flushed: a FIN
            self.c_writer.close()
        else:
            self.c_writer.transport.abort()


class FaultProxy:
    """A fault-injecting proxy to ``upstream_host:upstream_port``, listening on 127.0.0.1."""

    def __init__(self, upstream_host: str, upstream_port: int, *, rate_bps: int = 0,
                 latency_ms: float = 0.0) -> None:
        self.upstream_host, self.upstream_port = upstream_host, upstream_port
        self.rate_bps, self.latency_ms = rate_bps, latency_ms
        self.port = 0
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._stats = dict.fromkeys(
            ("connections_accepted", "requests_seen", "bytes_up", "bytes_down"), 0)
        self._log: list[tuple[str, str]] = []
        self._link_free = {"up": 0.0, "down": 0.0}  # used by the loop thread only
        self._tasks: set[asyncio.Task[None]] = set()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: OSError | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        """Listen on a free port (``.port``) and serve from a new thread; returns self."""
        if self._thread is not None:
            raise RuntimeError("FaultProxy already started")
        self._ready.clear()
        self.port, self._error = 0, None
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(),),
                                        name="faultproxy", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if not self.port:
            self._thread.join(5)
            self._thread = None
            raise RuntimeError("FaultProxy failed to start") from self._error
        return self

    def stop(self) -> None:
        """Close the listener and every connection (stalls included) and join the thread."""
        if self._thread is None or self._loop is None or self._stop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop has already gone
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)
        if self._thread.is_alive():
            raise RuntimeError("FaultProxy thread did not stop")
        self._thread = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _main(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        try:
            server = await asyncio.start_server(self._handle, "127.0.0.1", 0, limit=HEAD_LIMIT)
            self.port = server.sockets[0].getsockname()[1]
        except OSError as exc:
            self._error = exc
            return
        finally:
            self._ready.set()
        await self._stop.wait()
        server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await server.wait_closed()
        await asyncio.sleep(0)  # run the transports' connection_lost callbacks (socket close)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._count(connections_accepted=1)
        conn, graceful = _Connection(self, reader, writer), False
        try:
            await conn.serve()
            graceful = True
        except (OSError, EOFError, ValueError, asyncio.LimitOverrunError):
            pass  # a side hung up or spoke something we do not relay: drop the connection
        except asyncio.CancelledError:
            pass  # stop(): end quietly (3.11's start_server logs cancelled handler tasks)
        finally:
            await conn.close(graceful)
            self._tasks.discard(task)

    def inject(self, kind: str, *, times: int | None = 1, path_prefix: str = "",
               **params: float) -> Fault:
        """Queue a fault of ``kind`` with ``Fault`` parameters and return it."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        fault = Fault(kind, times, path_prefix, **params)  # type: ignore[arg-type]
        with self._lock:
            self._faults.append(fault)
        return fault

    # One setter per kind, keyword arguments only: times=, path_prefix=, and (defaults shown):
    reset_before_upstream = partialmethod(inject, "reset_before_upstream")
    reset_after_upstream = partialmethod(inject, "reset_after_upstream")
    stall = partialmethod(inject, "stall")  # after_bytes=0, seconds=30.0
    trickle = partialmethod(inject, "trickle")  # bytes_per_s=2000
    truncate = partialmethod(inject, "truncate")  # body_bytes=0
    html_200 = partialmethod(inject, "html_200")
    status_5xx = partialmethod(inject, "status_5xx")  # status=503

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def set_link(self, rate_bps: int = 0, latency_ms: float = 0.0) -> None:
        """Emulate a link: ``rate_bps`` bits/s each way (0: unlimited), one-way latency."""
        self.rate_bps, self.latency_ms = rate_bps, latency_ms

    def _take_fault(self, method: str, target: str) -> Fault:
        with self._lock:
            self._stats["requests_seen"] += 1
            self._log.append((method, target))
            for fault in self._faults:
                if target.startswith(fault.path_prefix):
                    fault.fired += 1
                    if fault.times is not None and fault.fired >= fault.times:
                        self._faults.remove(fault)
                    return fault
        return NO_FAULT

    def _count(self, **deltas: int) -> None:
        with self._lock:
            for key, delta in deltas.items():
                self._stats[key] += delta

    def _stat(self, key: str) -> int:
        with self._lock:
            return self._stats[key]

    connections_accepted = property(lambda self: self._stat("connections_accepted"))
    requests_seen = property(lambda self: self._stat("requests_seen"))
    bytes_up = property(lambda self: self._stat("bytes_up"))
    bytes_down = property(lambda self: self._stat("bytes_down"))

    @property
    def request_log(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._log)
