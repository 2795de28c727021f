"""Closed periods are locked: ops that write into a period HR closed are refused.

What "writing into a period" means (domain.md §3, architecture §4 "closed periods locked"):
- a realisasi names its period (`period_id`): create, edit, delete and evidence of it;
- a rating (`rate`) names its period;
- a log harian is the day-by-day evidence of the period's work: one dated inside any closed
  period (including a closed annual one) may not be added, moved into, changed or deleted.
Service logs are *not* locked: they are the office's register of public services delivered
(the KPIs and the SKM count every service), not the employee's evidence for a rated period,
and a service recorded late must still be counted. SKM survey forms likewise: the public's
judgement of the unit, typed in when the paper pile is handled. Reopening a period unlocks it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from sync.protocol import OpEnvelope
from sync.server import entities, reference_store
from sync.server.entities import Refusal


def _refuse(period_id: str) -> Refusal:
    return Refusal("E_PERIOD_CLOSED", "period_closed", period_id=period_id)


def require_open(conn: Connection, period_id: str) -> None:
    """Refuse when `period_id` names a closed period (an unknown period is not locked)."""
    period = reference_store.get(conn, "period", period_id)
    if period is not None and period.get("status") == "ditutup":
        raise _refuse(period_id)


def closed_period_on(conn: Connection, tanggal: str) -> str | None:
    """The id of a closed period containing the civil date `tanggal` (YYYY-MM-DD), if any."""
    for period in reference_store.live(conn, "period"):
        if period.get("status") == "ditutup" and period["mulai"] <= tanggal <= period["selesai"]:
            return str(period["id"])
    return None


def check_op(conn: Connection, op: OpEnvelope, row: Any) -> None:
    """Refuse an employee's op that writes into a closed period (decisions: see `_rate`)."""
    stored = entities.data_of(row) if row is not None and not row.deleted else {}
    if op.entity_kind == "realisasi":
        for period_id in {stored.get("period_id"), op.payload.get("period_id")}:
            if isinstance(period_id, str) and period_id:
                require_open(conn, period_id)
    elif op.entity_kind == "log_harian":
        for tanggal in {stored.get("tanggal"), op.payload.get("tanggal")}:
            if isinstance(tanggal, str) and tanggal:
                closed = closed_period_on(conn, tanggal)
                if closed is not None:
                    raise _refuse(closed)
