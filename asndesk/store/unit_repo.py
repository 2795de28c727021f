"""Reads over a unit's replica (`unit:<id>`) that the HR officer's monitoring needs in bulk."""

from __future__ import annotations

from datetime import date
from typing import Any


def logs_between(conn: Any, partition: str, dari: date, sampai: date) -> dict[str, int]:
    """Per owner: log harian entries dated `dari` … `sampai` (inclusive) in the partition."""
    return {str(owner): int(count) for owner, count in conn.execute(
        "SELECT owner_nip, count(*) FROM replica_entity WHERE partition = ?"
        " AND kind = 'log_harian' AND json_extract(data, '$.tanggal') BETWEEN ? AND ?"
        " GROUP BY owner_nip", (partition, dari.isoformat(), sampai.isoformat()))}

