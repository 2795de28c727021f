"""Database engines and migrations for the server: SQLite (WAL) by default, or PostgreSQL.

`open_database(url)` returns an engine at the latest schema; `upgrade` runs Alembic
programmatically, so `asndesk server init` needs no alembic.ini.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select

from sync.server.schema import server_meta

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for `url` with the settings each backend needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply Alembic revisions up to `revision` in one transaction per run."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def open_database(url: str) -> Engine:
    """Engine at the latest schema, with the server's secret and epoch in place."""
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        present = {row.key for row in conn.execute(select(server_meta.c.key))}
        for key in ("token_secret", "epoch"):
            if key not in present:
                # Both are per database, not per process: every instance signs and checks
                # tokens with the same secret. The epoch names this database's history;
                # restoring a backup must give it a new one (clients then re-push).
                conn.execute(server_meta.insert().values(key=key, value=secrets.token_hex(32)
                                                         if key == "token_secret"
                                                         else secrets.token_hex(8)))
    return engine


def meta(conn: Any, key: str) -> str:
    value = conn.execute(select(server_meta.c.value).where(server_meta.c.key == key)).scalar()
    if value is None:
        raise RuntimeError(f"server_meta {key} missing; run asndesk server init")
    return str(value)
