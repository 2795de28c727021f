"""Queries for day-to-day records: log harian, service logs, service types, training."""

from __future__ import annotations

import re
from typing import Any

from asndesk.store import rows

PAGE_SIZE = 50


def logs_page(
    conn: Any,
    *,
    dari: str | None = None,
    sampai: str | None = None,
    cari: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Log harian newest first, optionally within [dari, sampai] and matching `cari` (FTS5)."""
    where, params = _range("l.tanggal", dari, sampai)
    words = re.findall(r"\w+", cari or "", flags=re.UNICODE)
    long_words = [w for w in words if len(w) >= 3]
    inner = "SELECT l.rowid FROM log_harian l"
    if long_words:
        inner += " JOIN log_harian_fts f ON f.rowid = l.rowid"
        where.append("log_harian_fts MATCH ?")
        params.append(fts_query(long_words))
    for short in (w for w in words if len(w) < 3):
        # Trigrams cannot match 1–2 characters; those words fall back to a substring scan.
        where.append("l.kegiatan LIKE ? ESCAPE '\\'")
        params.append("%" + short.replace("_", "\\_") + "%")  # \w words hold no % or \\
    if where:
        inner += " WHERE " + " AND ".join(where)
    # Sort only the keys of the matches, then fetch the page's rows: a common search word
    # matches thousands of rows, and sorting them whole cost 5-8x (docs/benchmarks.md).
    # rowid breaks ties so that paging is stable.
    order = " ORDER BY {t}.tanggal DESC, {t}.jam_mulai DESC, {t}.rowid DESC"
    sql = (
        f"SELECT p.* FROM log_harian p WHERE p.rowid IN ({inner}{order.format(t='l')}"
        f" LIMIT ? OFFSET ?){order.format(t='p')}"
    )
    return rows.select(conn, sql, (*params, limit, offset))


def fts_query(words: list[str]) -> str:
    """A safe FTS5 query from typed words: each one quoted (a substring), all required."""
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


def logs_of_day(conn: Any, tanggal: str, exclude_id: str | None = None) -> list[dict[str, Any]]:
    return rows.select(
        conn,
        "SELECT * FROM log_harian WHERE tanggal = ? AND id IS NOT ? ORDER BY jam_mulai",
        (tanggal, exclude_id),
    )


def service_types(conn: Any, only_active: bool = True) -> list[dict[str, Any]]:
    sql = "SELECT * FROM service_type"
    if only_active:
        sql += " WHERE aktif = 1"
    return rows.select(conn, sql + " ORDER BY kode")


def service_type_by_code(conn: Any, kode: str) -> dict[str, Any] | None:
    found = rows.select(conn, "SELECT * FROM service_type WHERE kode = ?", (kode,))
    return found[0] if found else None


def service_logs_page(
    conn: Any, *, dari: str | None = None, sampai: str | None = None,
    limit: int = PAGE_SIZE, offset: int = 0,
) -> list[dict[str, Any]]:
    where, params = _range("s.diterima_tanggal", dari, sampai)
    sql = (
        "SELECT s.*, t.kode AS jenis_kode, t.nama AS jenis_nama,"
        " t.standar_hari_kerja FROM service_log s JOIN service_type t ON t.id = s.service_type_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY s.diterima_pada DESC LIMIT ? OFFSET ?"
    return rows.select(conn, sql, (*params, limit, offset))


def service_month_summary(conn: Any, tahun: int, bulan: int) -> list[dict[str, Any]]:
    """Per service type for one month: requests, completed, within standard, complaints."""
    prefix = f"{tahun:04d}-{bulan:02d}-"
    return rows.select(
        conn,
        "SELECT t.kode, t.nama, t.standar_hari_kerja,"
        " count(*) AS jumlah,"
        " sum(s.status = 'selesai') AS selesai,"
        " sum(s.status = 'selesai' AND s.durasi_hari_kerja <= t.standar_hari_kerja)"
        "   AS tepat_waktu,"
        " avg(s.durasi_hari_kerja) AS rata_hari_kerja,"
        " sum(s.pengaduan) AS pengaduan,"
        " sum(s.pengaduan_selesai) AS pengaduan_selesai"
        " FROM service_log s JOIN service_type t ON t.id = s.service_type_id"
        " WHERE s.diterima_tanggal >= ? AND s.diterima_tanggal < ?"
        " GROUP BY t.id ORDER BY t.kode",
        (prefix + "01", prefix + "99"),
    )


def trainings(conn: Any, tahun: int | None = None) -> list[dict[str, Any]]:
    if tahun is None:
        return rows.select(conn, "SELECT * FROM pelatihan ORDER BY tanggal_mulai DESC")
    return rows.select(
        conn,
        "SELECT * FROM pelatihan WHERE tanggal_selesai BETWEEN ? AND ?"
        " ORDER BY tanggal_mulai DESC",
        (f"{tahun:04d}-01-01", f"{tahun:04d}-12-31"),
    )


def realisasi_of(conn: Any, iki_id: str, period_id: str) -> dict[str, Any] | None:
    found = rows.select(
        conn, "SELECT * FROM realisasi WHERE iki_id = ? AND period_id = ?", (iki_id, period_id)
    )
    return found[0] if found else None


def _range(column: str, dari: str | None, sampai: str | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if dari:
        where.append(f"{column} >= ?")
        params.append(dari)
    if sampai:
        where.append(f"{column} <= ?")
        params.append(sampai)
    return where, params
