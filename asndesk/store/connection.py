"""Open a SQLCipher database with a raw 256-bit key and the pragmas asndesk relies on.

sqlcipher3 is registered as `pysqlite3` before sqlite-utils is imported, so sqlite-utils'
own `except sqlite3.OperationalError` clauses catch SQLCipher's errors too (stack-notes.md).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import sqlcipher3
import sqlcipher3.dbapi2

sys.modules.setdefault("pysqlite3", sqlcipher3)
sys.modules.setdefault("pysqlite3.dbapi2", sqlcipher3.dbapi2)

import sqlite_utils  # noqa: E402  (must come after the registration above)

from asndesk.errors import ProfileCorrupt  # noqa: E402

KEY_BYTES = 32
# 64 MiB page cache: with SQLCipher's default cache, encrypted reads were up to 3.8x slower.
CACHE_SIZE_KIB = 64 * 1024

DatabaseError = sqlcipher3.dbapi2.DatabaseError
OperationalError = sqlcipher3.dbapi2.OperationalError
IntegrityError = sqlcipher3.dbapi2.IntegrityError


def _key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        # Never echo the key: only its length.
        raise ValueError(f"data key must be {KEY_BYTES} bytes, got {len(key)}")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def open_encrypted(path: Path, key: bytes, *, create: bool = False) -> Any:
    """Open (or create) the SQLCipher file at `path` keyed with the raw `key`.

    The key has already passed the AES-GCM unwrap, so it is the right one: a file it cannot
    decrypt is damaged (`ProfileCorrupt`), never "wrong password". Returns a sqlcipher3
    connection in autocommit mode (explicit BEGIN).
    """
    if not create and not path.exists():
        raise ProfileCorrupt()
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        # SQLCipher logs decrypt failures to stderr by default; they are mapped to typed errors.
        conn.execute("PRAGMA cipher_log_level = NONE")
        # The raw key skips SQLCipher's own PBKDF2; our Argon2id wrap already did the work.
        conn.execute(_key_pragma(key))
        # Memory security stays OFF (SQLCipher's default): ON locks and wipes every SQLite
        # allocation process-wide and made reads 3-15x slower (docs/benchmarks.md). SQLCipher
        # still wipes its own key and cipher buffers; decrypted rows also live in Python
        # objects, which no pragma can wipe, so ON bought little real protection.
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError:
            raise ProfileCorrupt() from None
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Temp tables and sorts stay in RAM: no plaintext spill into temp files.
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
        conn.execute("PRAGMA busy_timeout = 5000")
    except BaseException:
        conn.close()
        raise
    return conn


def check_integrity(conn: Any) -> list[str]:
    """SQLCipher's HMAC check of every page plus SQLite's structural check; [] when sound."""
    problems = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    problems += [row[0] for row in rows if row[0] != "ok"]
    return problems


def as_sqlite_utils(conn: Any) -> sqlite_utils.Database:
    """Wrap an open connection for sqlite-utils helpers (bulk insert, table introspection)."""
    return sqlite_utils.Database(conn)
