"""Reference data kept locally: the owner's person record, periods, HR holiday updates.

These rows come from HR through sync (server-authoritative, `reference_pull`); until then
local defaults stand in (see `ActivityUseCases.ensure_periods`). Closed periods lock writes.
"""

from __future__ import annotations

import json
from typing import Any

from asndesk.errors import PeriodClosed
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


def closed_period_on(conn: Any, tanggal: str) -> str | None:
    """The id of a closed period that contains the civil date `tanggal`, if any."""
    row = conn.execute(
        "SELECT id FROM period WHERE status = 'ditutup' AND mulai <= ? AND selesai >= ?"
        " ORDER BY jenis = 'tahunan', mulai LIMIT 1", (tanggal, tanggal)).fetchone()
    return None if row is None else str(row[0])


def require_open_period(conn: Any, period_id: str) -> None:
    """Refuse, before anything is queued, a write into a period HR closed."""
    row = conn.execute("SELECT status FROM period WHERE id = ?", (period_id,)).fetchone()
    if row is not None and row[0] == "ditutup":
        raise PeriodClosed(id=period_id)


def require_open_day(conn: Any, tanggal: str) -> None:
    """Refuse a log harian dated inside a closed period (the server refuses it too)."""
    closed = closed_period_on(conn, tanggal)
    if closed is not None:
        raise PeriodClosed(id=closed)


def unit_capaian(conn: Any, unit_id: str) -> dict[str, str]:
    """An org unit's capaian kinerja organisasi by year ({} when none was published)."""
    row = conn.execute("SELECT capaian FROM org_unit WHERE id = ?", (unit_id,)).fetchone()
    if row is None or not row[0]:
        return {}
    return {str(k): str(v) for k, v in json.loads(row[0]).items()}


def org_units(conn: Any) -> list[dict[str, Any]]:
    """The office's org units as the `ref` partition sent them (stand-ins for a parent not
    yet received, version 0, are left out), by name."""
    return [{"id": r[0], "nama": r[1]} for r in conn.execute(
        "SELECT id, nama FROM org_unit WHERE version > 0 ORDER BY nama, id").fetchall()]
