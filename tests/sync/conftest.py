"""A real server on 127.0.0.1 (uvicorn in a thread) over a fresh database, and its clock.

Every server test runs on SQLite and on PostgreSQL (when ASNDESK_TEST_PG points at one).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from sync.server.app import create_app
from sync.server.db import open_database
from sync.server.threaded import ThreadedServer


@dataclass
class Clock:
    now: float = field(default_factory=time.time)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class RunningServer:
    url: str
    engine: Engine
    clock: Clock


PG_URL = os.environ.get("ASNDESK_TEST_PG")  # set by .ci/run, which starts PostgreSQL


def _fresh_database(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    if not PG_URL:
        pytest.skip("PostgreSQL not configured (set ASNDESK_TEST_PG; .ci/run does)")
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningServer]:
    engine = open_database(_fresh_database(request.param, tmp_path))
    clock = Clock()
    running = ThreadedServer(create_app(engine, clock)).start()
    yield RunningServer(running.url, engine, clock)
    running.stop()
    engine.dispose()
