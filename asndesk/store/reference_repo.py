"""Reference data kept locally: the owner's person record, periods, HR holiday updates.

These rows come from HR through sync (server-authoritative); until then local defaults
stand in (see `ActivityUseCases.ensure_periods`).
"""

from __future__ import annotations

from typing import Any

from asndesk.store import rows


def person_by_nip(conn: Any, nip: str) -> dict[str, Any] | None:
    found = rows.select(conn, "SELECT * FROM person WHERE nip = ?", (nip,))
    return found[0] if found else None


def periods(conn: Any, tahun: int) -> list[dict[str, Any]]:
    return rows.select(
        conn, "SELECT * FROM period WHERE tahun = ? ORDER BY jenis = 'tahunan', mulai", (tahun,)
    )


def holidays(conn: Any) -> list[dict[str, Any]]:
    return rows.select(conn, "SELECT * FROM holiday ORDER BY tanggal")
