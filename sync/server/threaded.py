"""Run the server app on 127.0.0.1 in a background thread (tests, benchmarks, a local demo).

`asndesk server` is the way to run it for an office; this is for one process that needs a
real HTTP server beside its own work.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn


class ThreadedServer:
    """A uvicorn server on a free loopback port; `url` once started, `stop()` to end it."""

    def __init__(self, app: Any, host: str = "127.0.0.1", *, certfile: str | None = None,
                 keyfile: str | None = None) -> None:
        config = uvicorn.Config(app, host=host, port=0, log_level="warning", lifespan="off",
                                ssl_certfile=certfile, ssl_keyfile=keyfile)
        self._scheme = "https" if certfile else "http"
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="asndesk-server",
                                        daemon=True)
        self.url = ""

    def start(self, timeout: float = 10.0) -> ThreadedServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        host, port = self._server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"{self._scheme}://{host}:{port}"
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
