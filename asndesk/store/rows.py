"""Small, allow-listed row helpers shared by the repositories (insert, versioned update, delete).

Table and column names are checked against the schema's allow-list, so only values are
ever bound from user input.
"""

from __future__ import annotations

from typing import Any

from asndesk.errors import NotFound, UserFacingError
from asndesk.i18n import N_
from asndesk.store.database import WriteTx

VERSIONED = frozenset(
    {"org_unit", "person", "skp", "rhk", "iki", "rencana_aksi", "realisasi", "log_harian",
     "service_type", "service_log", "pelatihan", "penilaian"}
)
TABLES = VERSIONED | frozenset(
    {"perilaku", "lampiran", "skp_status_history", "attachment", "bukti", "umpan_balik",
     "skm_response", "holiday", "period", "supervisor_link"}
)


# What each table's rows are called in messages (msgids; translated when shown).
LABELS = {
    "org_unit": N_("organisation unit"), "person": N_("person"), "skp": N_("SKP"),
    "rhk": N_("RHK"), "iki": N_("IKI"), "rencana_aksi": N_("action plan"),
    "realisasi": N_("realisation"), "log_harian": N_("daily log entry"),
    "service_type": N_("service type"), "service_log": N_("service log entry"),
    "pelatihan": N_("training"), "penilaian": N_("rating"), "perilaku": N_("work behaviour"),
    "lampiran": N_("attachment line"), "skp_status_history": N_("status change"),
    "attachment": N_("evidence file"), "bukti": N_("evidence"), "umpan_balik": N_("feedback"),
    "skm_response": N_("survey response"), "holiday": N_("holiday"), "period": N_("period"),
    "supervisor_link": N_("supervisor link"),
}


class StaleVersion(UserFacingError):
    """The row changed since it was read (another window, or a sync pull)."""

    message_id = N_("This item was changed elsewhere in the meantime. Reload it and try again.")


def _check(table: str, columns: list[str] | tuple[str, ...] = ()) -> None:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    for column in columns:
        if not column.replace("_", "").isalnum():
            raise ValueError(f"bad column name {column!r}")


def check_columns(table: str, columns: list[str]) -> None:
    """Refuse a table or column name outside the allow-list (before building SQL with it)."""
    _check(table, columns)


def insert(tx: WriteTx, table: str, row: dict[str, Any]) -> None:
    """Insert `row`; versioned tables start at version 1 with `updated_at` set."""
    _check(table, list(row))
    if table in VERSIONED:
        row = {"version": 1, "updated_at": tx.now_utc, **row}
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    tx.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))


def get(conn: Any, table: str, row_id: str) -> dict[str, Any]:
    """The row as a dict, or `NotFound` naming what kind of thing is missing."""
    _check(table)
    cursor = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    row = cursor.fetchone()
    if row is None:
        raise NotFound(kind=LABELS[table], id=row_id)
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def update(
    tx: WriteTx, table: str, row_id: str, fields: dict[str, Any],
    expected_version: int | None = None,
) -> int:
    """Set `fields` and bump the version; refuse if the row moved past `expected_version`."""
    _check(table, list(fields))
    if table not in VERSIONED:
        raise ValueError(f"{table} is not versioned")
    current = get(tx.conn, table, row_id)
    if expected_version is not None and current["version"] != expected_version:
        raise StaleVersion()
    new_version = int(current["version"]) + 1
    sets = "".join(f"{name} = ?, " for name in fields)
    tx.execute(
        f"UPDATE {table} SET {sets}version = ?, updated_at = ? WHERE id = ?",
        (*fields.values(), new_version, tx.now_utc, row_id),
    )
    return new_version


def delete(tx: WriteTx, table: str, row_id: str) -> dict[str, Any]:
    """Delete one row by id; returns what it held (for the op's base version)."""
    current = get(tx.conn, table, row_id)
    tx.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
    return current


def select(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Run a read query and return dict rows."""
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def touch(tx: WriteTx, table: str, row_id: str) -> int:
    """Bump a parent's version without changing its fields (a child row changed)."""
    return update(tx, table, row_id, {})


def overwrite(tx: WriteTx, table: str, row_id: str, fields: dict[str, Any]) -> None:
    """Set `fields` to values the server holds, without a version bump or an op."""
    _check(table, list(fields))
    sets = ", ".join(f"{name} = ?" for name in fields)
    tx.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*fields.values(), row_id))


def set_version(tx: WriteTx, table: str, row_id: str, version: int) -> None:
    """Move a row's version (a conflict settled on the server's version of it)."""
    _check(table)
    tx.execute(f"UPDATE {table} SET version = ? WHERE id = ?", (version, row_id))
