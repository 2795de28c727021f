"""Aggregates for the Beranda (home summary): small, index-backed queries only.

Each query answers one figure in SQL so that the Beranda stays fast with 100,000 log harian:
- week totals: `log_harian_by_day (tanggal, jam_mulai)` range on the week's dates, grouped
  by day in index order (no sort, no full scan);
- RHK progress: `rhk_by_skp`, `iki_by_rhk` and the `realisasi (iki_id, period_id)` unique
  index, one row per RHK;
- outbox to-dos: `outbox_by_state (state, seq)` ranges, so the acked ops kept for the
  retention window are never counted one by one;
- periods due: the period table holds a few dozen rows (no index needed).
"""

from __future__ import annotations

from typing import Any

from asndesk.store import rows

# Minutes since midnight of a stored "HH:MM" time.
_MENIT = "(CAST(substr({c}, 1, 2) AS INTEGER) * 60 + CAST(substr({c}, 4, 2) AS INTEGER))"

# The statements are module constants so that tests can EXPLAIN exactly what runs.
WEEK_SQL = (
    f"SELECT tanggal, sum({_MENIT.format(c='jam_selesai')} - {_MENIT.format(c='jam_mulai')})"
    " AS menit, count(*) AS jumlah FROM log_harian"
    " WHERE tanggal >= ? AND tanggal <= ? GROUP BY tanggal ORDER BY tanggal"
)
PROGRESS_SQL = (
    "SELECT r.id, r.jenis, r.urutan, r.teks, count(i.id) AS jumlah_iki,"
    " count(re.id) AS iki_terisi"
    " FROM rhk r LEFT JOIN iki i ON i.rhk_id = r.id"
    " LEFT JOIN realisasi re ON re.iki_id = i.id AND re.period_id = ?"
    " WHERE r.skp_id = ? GROUP BY r.id ORDER BY r.jenis = 'tambahan', r.urutan, r.rowid"
)
OUTBOX_SQL = (
    "SELECT (SELECT count(*) FROM outbox WHERE state = 'pending'),"
    " (SELECT count(*) FROM outbox WHERE state = 'rejected'),"
    " (SELECT count(*) FROM outbox WHERE state = 'conflict' AND resolved_at IS NULL)"
)


def log_minutes_by_day(conn: Any, dari: str, sampai: str) -> list[dict[str, Any]]:
    """Per civil date in [dari, sampai] that has entries: minutes logged and entry count."""
    return rows.select(conn, WEEK_SQL, (dari, sampai))


def rhk_progress(conn: Any, skp_id: str, period_id: str | None) -> list[dict[str, Any]]:
    """Per RHK of one SKP, in document order: its IKI count and how many have a realisasi
    in `period_id` (0 when `period_id` is None)."""
    return rows.select(conn, PROGRESS_SQL, (period_id, skp_id))


def periods_due(conn: Any, dari: str, sampai: str) -> list[dict[str, Any]]:
    """Open periods whose batas_pengisian falls in [dari, sampai], earliest first."""
    return rows.select(
        conn,
        "SELECT * FROM period WHERE status = 'terbuka' AND batas_pengisian >= ?"
        " AND batas_pengisian <= ? ORDER BY batas_pengisian, jenis = 'tahunan', mulai",
        (dari, sampai),
    )


def outbox_todo_counts(conn: Any) -> dict[str, int]:
    """Ops waiting to be sent (pending), refused by the server (rejected), and conflicts not
    settled yet — each counted on its own range of `outbox_by_state`."""
    row = conn.execute(OUTBOX_SQL).fetchone()
    return {"pending": int(row[0]), "rejected": int(row[1]), "conflict": int(row[2])}
