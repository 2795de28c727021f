"""Append-only, transactional schema migrations for the local store.

Migrations are `migrations/NNNN_name.sql`; each runs in its own transaction together with
the `PRAGMA user_version` bump, so a failure leaves the previous schema intact.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def all_migrations() -> tuple[Migration, ...]:
    """Every shipped migration, in order; numbering must be 1, 2, 3 … without gaps."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise RuntimeError(f"badly named migration file: {path.name}")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration numbering has a gap before {migration.version:04d}")
    return tuple(found)


def latest_version() -> int:
    return len(all_migrations())


def current_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any, target: int | None = None) -> list[int]:
    """Apply pending migrations up to `target` (default: latest); returns versions applied.

    A store newer than this program (user_version above latest) is refused rather than
    guessed at: an older asndesk must not write into a newer schema.
    """
    target = latest_version() if target is None else target
    have = current_version(conn)
    if have > latest_version():
        raise RuntimeError(
            f"store schema {have} is newer than this program supports ({latest_version()})"
        )
    applied = []
    for migration in all_migrations():
        if migration.version <= have or migration.version > target:
            continue
        _apply(conn, migration)
        applied.append(migration.version)
    return applied


def _apply(conn: Any, migration: Migration) -> None:
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    script = (
        "BEGIN IMMEDIATE;\n"
        f"{migration.sql}\n;\n"
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL,"
        " applied_at TEXT NOT NULL) STRICT;\n"
        f"INSERT INTO schema_migrations VALUES ({migration.version}, '{migration.name}',"
        f" '{migration.sha256}', '{stamp}');\n"
        f"PRAGMA user_version = {migration.version};\n"
        "COMMIT;"
    )
    try:
        conn.executescript(script)
    except Exception:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
