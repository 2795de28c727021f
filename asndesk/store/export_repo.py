"""Read-out of everything a profile holds about its owner, table by table ("Data saya").

Each query is scoped to the owner: SKP rows and their children by `pegawai_nip`, so data of
subordinates that sync brings to a supervisor's device is never part of a personal export.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_OWN_SKP = "SELECT id FROM skp WHERE pegawai_nip = :nip"
_OWN_RHK = f"SELECT id FROM rhk WHERE skp_id IN ({_OWN_SKP})"
_OWN_IKI = f"SELECT id FROM iki WHERE rhk_id IN ({_OWN_RHK})"

# table -> query; order is the export's order (parents before children).
EXPORT_QUERIES: dict[str, str] = {
    "person": "SELECT * FROM person WHERE nip = :nip",
    "skp": "SELECT * FROM skp WHERE pegawai_nip = :nip ORDER BY tahun, revisi",
    "skp_status_history":
        f"SELECT * FROM skp_status_history WHERE skp_id IN ({_OWN_SKP}) ORDER BY terjadi_pada",
    "rhk": f"SELECT * FROM rhk WHERE skp_id IN ({_OWN_SKP}) ORDER BY skp_id, jenis, urutan",
    "iki": f"SELECT * FROM iki WHERE rhk_id IN ({_OWN_RHK}) ORDER BY rhk_id, urutan",
    "perilaku": f"SELECT * FROM perilaku WHERE skp_id IN ({_OWN_SKP}) ORDER BY skp_id, kode",
    "lampiran": f"SELECT * FROM lampiran WHERE skp_id IN ({_OWN_SKP}) ORDER BY skp_id, urutan",
    "rencana_aksi": f"SELECT * FROM rencana_aksi WHERE rhk_id IN ({_OWN_RHK})",
    "realisasi": f"SELECT * FROM realisasi WHERE iki_id IN ({_OWN_IKI}) ORDER BY period_id",
    "umpan_balik":
        f"SELECT * FROM umpan_balik WHERE skp_id IN ({_OWN_SKP}) ORDER BY dibuat_pada",
    "penilaian": f"SELECT * FROM penilaian WHERE skp_id IN ({_OWN_SKP}) ORDER BY period_id",
    "log_harian": "SELECT * FROM log_harian ORDER BY tanggal, jam_mulai",
    "service_type": "SELECT * FROM service_type ORDER BY kode",
    "service_log": "SELECT * FROM service_log ORDER BY diterima_pada",
    "pelatihan": "SELECT * FROM pelatihan ORDER BY tanggal_mulai",
    "bukti": "SELECT * FROM bukti ORDER BY created_at",
    "attachment": "SELECT id, sha256, nama_file, mime, ukuran, ukuran_asli, lebar, tinggi,"
                  " created_at FROM attachment ORDER BY created_at",
    "outbox": "SELECT seq, op_id, kind, entity_kind, entity_id, state, created_at FROM outbox"
              " ORDER BY seq",
}


Table = tuple[str, list[str], list[tuple[Any, ...]]]


def export_rows(conn: Any, owner_nip: str) -> Iterator[Table]:
    """Yield (table, column names, rows) for every exported table, scoped to the owner."""
    for table, sql in EXPORT_QUERIES.items():
        cursor = conn.execute(sql, {"nip": owner_nip})
        columns = [d[0] for d in cursor.description]
        yield table, columns, cursor.fetchall()


def attachment_blobs(conn: Any) -> Iterator[tuple[str, str, bytes]]:
    """(id, file name, bytes) of every stored evidence file (not those still downloading)."""
    for row in conn.execute("SELECT id, nama_file, data FROM attachment"
                            " WHERE length(data) = ukuran ORDER BY created_at"):
        yield str(row[0]), str(row[1]), bytes(row[2])
