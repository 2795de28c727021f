"""Read-only queries behind the official documents and exports (never writes).

Every query takes civil dates as ISO text; SKP-scoped queries take the SKP id, so a
supervisor's synced copies of a subordinate's SKP are read the same way as one's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asndesk.store import rows


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" for _ in values) or "NULL"


def person_with_unit(conn: Any, nip: str | None) -> dict[str, Any] | None:
    """A person row plus the name of their unit (`unit_nama`), when known locally."""
    if not nip:
        return None
    found = rows.select(
        conn,
        "SELECT p.*, u.nama AS unit_nama FROM person p LEFT JOIN org_unit u ON u.id = p.unit_id"
        " WHERE p.nip = ?",
        (nip,),
    )
    return found[0] if found else None


def person_by_id(conn: Any, person_id: str | None) -> dict[str, Any] | None:
    if not person_id:
        return None
    found = rows.select(
        conn,
        "SELECT p.*, u.nama AS unit_nama FROM person p LEFT JOIN org_unit u ON u.id = p.unit_id"
        " WHERE p.id = ?",
        (person_id,),
    )
    return found[0] if found else None


def top_unit_name(conn: Any, nip: str) -> str | None:
    """The name of the outermost unit above the person's unit (the instansi), if synced."""
    found = rows.select(
        conn,
        "WITH RECURSIVE up(id, nama, induk_id, depth) AS ("
        " SELECT u.id, u.nama, u.induk_id, 0 FROM org_unit u JOIN person p ON p.unit_id = u.id"
        " WHERE p.nip = ?"
        " UNION ALL SELECT u.id, u.nama, u.induk_id, up.depth + 1 FROM org_unit u"
        " JOIN up ON u.id = up.induk_id WHERE up.depth < 20)"
        " SELECT nama, depth FROM up ORDER BY depth DESC LIMIT 1",
        (nip,),
    )
    return str(found[0]["nama"]) if found and found[0]["depth"] > 0 else None


def supervisor_link(conn: Any, pegawai_id: str, on_date: str) -> dict[str, Any] | None:
    """The supervisor link in force on `on_date` (the latest one that started before it)."""
    found = rows.select(
        conn,
        "SELECT * FROM supervisor_link WHERE pegawai_id = ? AND berlaku_mulai <= ?"
        " AND (berlaku_sampai IS NULL OR berlaku_sampai >= ?)"
        " ORDER BY berlaku_mulai DESC LIMIT 1",
        (pegawai_id, on_date, on_date),
    )
    return found[0] if found else None


def latest_skp_id(conn: Any, nip: str, tahun: int) -> str | None:
    """The SKP to print for a year: approved first, then the highest revision, newest."""
    found = conn.execute(
        "SELECT id FROM skp WHERE pegawai_nip = ? AND tahun = ?"
        " ORDER BY status = 'Disetujui' DESC, revisi DESC, created_at DESC LIMIT 1",
        (nip, tahun),
    ).fetchone()
    return None if found is None else str(found[0])


def approval_date(conn: Any, skp_id: str) -> str | None:
    """When the SKP was last approved (ditetapkan), as stored (UTC instant text)."""
    found = conn.execute(
        "SELECT max(terjadi_pada) FROM skp_status_history WHERE skp_id = ? AND ke = 'Disetujui'",
        (skp_id,),
    ).fetchone()
    return None if found is None or found[0] is None else str(found[0])


def period(conn: Any, period_id: str) -> dict[str, Any]:
    return rows.get(conn, "period", period_id)


def periods_within(conn: Any, mulai: str, selesai: str) -> list[dict[str, Any]]:
    """Periods lying wholly inside [mulai, selesai] (an annual one holds all of its year)."""
    return rows.select(
        conn, "SELECT * FROM period WHERE mulai >= ? AND selesai <= ? ORDER BY mulai, selesai",
        (mulai, selesai),
    )


def realisasi_of_skp(conn: Any, skp_id: str, period_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Realisasi of the SKP's IKI in the given periods, with the period's dates."""
    return rows.select(
        conn,
        "SELECT r.*, p.mulai, p.selesai, p.jenis AS period_jenis, p.nomor AS period_nomor,"
        " p.tahun AS period_tahun FROM realisasi r JOIN iki i ON i.id = r.iki_id"
        " JOIN rhk h ON h.id = i.rhk_id JOIN period p ON p.id = r.period_id"
        f" WHERE h.skp_id = ? AND r.period_id IN ({_marks(period_ids)})"
        " ORDER BY p.mulai, r.created_at",
        (skp_id, *period_ids),
    )


def evidence_of(conn: Any, jenis: str, owner_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Evidence of many owners at once: file name or link, and its description."""
    return rows.select(
        conn,
        "SELECT b.pemilik_id, b.tautan, b.keterangan, a.nama_file FROM bukti b"
        " LEFT JOIN attachment a ON a.id = b.attachment_id"
        f" WHERE b.pemilik_jenis = ? AND b.pemilik_id IN ({_marks(owner_ids)})"
        " ORDER BY b.created_at, b.rowid",
        (jenis, *owner_ids),
    )


def feedback(conn: Any, skp_id: str, period_ids: Sequence[str], mulai: str, selesai: str
             ) -> list[dict[str, Any]]:
    """Umpan balik on an SKP given for these periods, or undated-period ones made inside
    [mulai, selesai] (by the civil date of `dibuat_pada`)."""
    return rows.select(
        conn,
        "SELECT * FROM umpan_balik WHERE skp_id = ? AND ("
        f" period_id IN ({_marks(period_ids)})"
        " OR (period_id IS NULL AND substr(dibuat_pada, 1, 10) BETWEEN ? AND ?))"
        " ORDER BY dibuat_pada, rowid",
        (skp_id, *period_ids, mulai, selesai),
    )


def feedback_of_periods(conn: Any, skp_id: str, period_ids: Sequence[str]
                        ) -> list[dict[str, Any]]:
    """Umpan balik on an SKP given for exactly these periods."""
    return rows.select(
        conn,
        f"SELECT * FROM umpan_balik WHERE skp_id = ? AND period_id IN ({_marks(period_ids)})"
        " ORDER BY dibuat_pada, rowid",
        (skp_id, *period_ids),
    )


def penilaian(conn: Any, skp_id: str, period_id: str) -> dict[str, Any] | None:
    found = rows.select(
        conn, "SELECT * FROM penilaian WHERE skp_id = ? AND period_id = ?", (skp_id, period_id)
    )
    return found[0] if found else None


def penilaian_of_year(conn: Any, nip: str, tahun: int) -> list[dict[str, Any]]:
    """Every rating of a person's SKP in a year, with the period's kind and dates."""
    return rows.select(
        conn,
        "SELECT n.*, p.jenis AS period_jenis, p.nomor AS period_nomor, p.mulai, p.selesai"
        " FROM penilaian n JOIN skp s ON s.id = n.skp_id JOIN period p ON p.id = n.period_id"
        " WHERE s.pegawai_nip = ? AND s.tahun = ? ORDER BY p.mulai, p.selesai",
        (nip, tahun),
    )


def rencana_aksi_of_skp(conn: Any, skp_id: str) -> list[dict[str, Any]]:
    return rows.select(
        conn,
        "SELECT a.*, p.mulai FROM rencana_aksi a JOIN rhk h ON h.id = a.rhk_id"
        " LEFT JOIN period p ON p.id = a.period_id WHERE h.skp_id = ?"
        " ORDER BY p.mulai, a.rowid",
        (skp_id,),
    )


def logs_between(conn: Any, dari: str, sampai: str) -> list[dict[str, Any]]:
    """Every log harian entry in [dari, sampai], oldest first (reports need the whole span)."""
    return rows.select(
        conn,
        "SELECT l.*, h.teks AS rhk_teks FROM log_harian l LEFT JOIN rhk h ON h.id = l.rhk_id"
        " WHERE l.tanggal BETWEEN ? AND ? ORDER BY l.tanggal, l.jam_mulai, l.rowid",
        (dari, sampai),
    )


def service_logs_between(conn: Any, dari: str, sampai: str) -> list[dict[str, Any]]:
    """Every service log received in [dari, sampai] with its type, oldest first."""
    return rows.select(
        conn,
        "SELECT s.*, t.kode AS jenis_kode, t.nama AS jenis_nama, t.standar_hari_kerja"
        " FROM service_log s JOIN service_type t ON t.id = s.service_type_id"
        " WHERE s.diterima_tanggal BETWEEN ? AND ? ORDER BY s.diterima_pada, s.rowid",
        (dari, sampai),
    )


def skm_responses(conn: Any, unit_layanan: str, dari: str, sampai: str) -> list[dict[str, Any]]:
    return rows.select(
        conn,
        "SELECT * FROM skm_response WHERE unit_layanan = ? AND tanggal BETWEEN ? AND ?"
        " ORDER BY tanggal, rowid",
        (unit_layanan, dari, sampai),
    )


def skm_units(conn: Any) -> list[str]:
    """The service units with survey responses on this device (they arrive by sync)."""
    return [str(row["unit_layanan"]) for row in rows.select(
        conn, "SELECT DISTINCT unit_layanan FROM skm_response ORDER BY unit_layanan")]


def completed_services(conn: Any, dari: str, sampai: str) -> int:
    """Services completed in [dari, sampai]: the SKM population when none is given."""
    found = conn.execute(
        "SELECT count(*) FROM service_log WHERE status = 'selesai'"
        " AND diterima_tanggal BETWEEN ? AND ?",
        (dari, sampai),
    ).fetchone()
    return int(found[0])


def service_types_by_id(conn: Any, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Local service types (HR's published list and the device's own) by id."""
    found = rows.select(
        conn, f"SELECT id, kode, nama, standar_hari_kerja FROM service_type"
              f" WHERE id IN ({_marks(ids)})", tuple(ids))
    return {r["id"]: r for r in found}
