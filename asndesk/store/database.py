"""The open store: one long-lived SQLCipher connection, migrations, and write transactions.

A `WriteTx` is the only way to change data: it collects row changes, appends the outbox op
and the audit entry, and commits them together — or nothing at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asndesk.errors import ProfileCorrupt, ProfileLocked
from asndesk.store import audit, migrations, outbox
from asndesk.store.connection import DatabaseError, open_encrypted
from asndesk.store.ids import Hlc, local_now, uuid7


@dataclass
class Changes:
    """What a write changed: entity kind -> ids, plus non-blocking warnings for the user.

    The UI refreshes from this record, after a local edit and after a sync pull alike.
    """

    entities: dict[str, set[str]] = field(default_factory=dict)
    warnings: list[Any] = field(default_factory=list)
    ops: list[outbox.Op] = field(default_factory=list)
    primary_id: str | None = None  # the entity a create use case made

    def add(self, kind: str, entity_id: str) -> None:
        self.entities.setdefault(kind, set()).add(entity_id)

    def touched(self, kind: str) -> bool:
        return bool(self.entities.get(kind))

    def merge(self, other: Changes) -> None:
        for kind, ids in other.entities.items():
            self.entities.setdefault(kind, set()).update(ids)
        self.warnings.extend(other.warnings)
        self.ops.extend(other.ops)


class WriteTx:
    """One open write transaction; see `Store.write`."""

    def __init__(self, store: Store, actor: str, request_id: str) -> None:
        self.store = store
        self.conn = store.conn
        self.actor = actor
        self.request_id = request_id
        self.changes = Changes()
        self.now_utc = datetime.now(UTC).isoformat(timespec="milliseconds")
        self.device_time = local_now()

    def execute(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> Any:
        return self.conn.execute(sql, params)

    @contextmanager
    def savepoint(self, name: str) -> Iterator[None]:
        """A unit inside the transaction: an exception undoes only its writes, then rises."""
        if not name.isidentifier():
            raise ValueError("savepoint names are identifiers")
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

    def op(
        self,
        kind: str,
        entity_kind: str,
        entity_id: str,
        payload: dict[str, Any],
        base_version: int | None = None,
    ) -> outbox.Op:
        """Record the row change in `Changes`, queue its op, and audit it (no payload)."""
        new_op = outbox.append_op(
            self.conn,
            kind=kind,
            entity_kind=entity_kind,
            entity_id=entity_id,
            base_version=base_version,
            payload=payload,
            hlc=self.store.next_hlc(),
            device_time=self.device_time,
            created_at=self.now_utc,
        )
        self.changes.add(entity_kind, entity_id)
        self.changes.ops.append(new_op)
        self.audit(f"{entity_kind}.{kind}", entity_kind, entity_id)
        return new_op

    def audit(self, action: str, entity_kind: str | None = None, entity_id: str | None = None
              ) -> None:
        audit.append(self.conn, {
            "terjadi_pada": self.now_utc,
            "pelaku": self.actor,
            "aksi": action,
            "entitas_jenis": entity_kind,
            "entitas_id": entity_id,
            "request_id": self.request_id,
            "perangkat": self.store.device_id,
        })


class Store:
    """An unlocked profile's database. Use from one thread at a time (the DB lane)."""

    def __init__(self, conn: Any, device_id: str) -> None:
        self._conn: Any = conn
        self._lock = threading.RLock()
        self.device_id = device_id

    @classmethod
    def open(cls, path: Path, key: bytes, *, create: bool = False) -> Store:
        """Open (or create) the encrypted file and make it ready: see `adopt`."""
        return cls.adopt(open_encrypted(path, key, create=create))

    @classmethod
    def adopt(cls, conn: Any) -> Store:
        """Apply pending migrations on an open connection and make sure a device id exists.

        Takes ownership of `conn` (closed on failure). Benchmarks also use it on a plain
        SQLite connection, so both sides do exactly the same work apart from encryption.
        """
        try:
            migrations.migrate(conn)
            row = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
            device_id = row[0] if row else uuid7()
            if row is None:
                conn.execute("INSERT INTO meta VALUES ('device_id', ?)", (device_id,))
            return cls(conn, device_id)
        except DatabaseError:
            conn.close()
            raise ProfileCorrupt() from None
        except BaseException:
            conn.close()
            raise

    @property
    def conn(self) -> Any:
        if self._conn is None:
            raise ProfileLocked()
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        """Checkpoint the WAL into the main file and drop the connection (and its key)."""
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    self._conn.close()
                    self._conn = None

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def meta_keys(self, prefix: str) -> list[str]:
        """Meta keys starting with `prefix` (e.g. every form draft)."""
        rows = self.conn.execute("SELECT key FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key",
                                 (len(prefix), prefix)).fetchall()
        return [str(r[0]) for r in rows]

    def delete_meta(self, key: str) -> None:
        self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def next_hlc(self) -> str:
        """Advance the stored HLC (call inside a write transaction)."""
        last = self.meta("hlc")
        now_ms = int(time.time() * 1000)
        current = Hlc.parse(last) if last else Hlc(0, 0, self.device_id)
        reading = current.tick(now_ms)
        self.set_meta("hlc", str(reading))
        return str(reading)

    @contextmanager
    def write(self, actor: str) -> Iterator[WriteTx]:
        """A write transaction: commits rows + ops + audit together, or rolls all back."""
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            tx = WriteTx(self, actor, uuid7())
            try:
                yield tx
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[Any]:
        with self._lock:
            return list(self.conn.execute(sql, params).fetchall())
