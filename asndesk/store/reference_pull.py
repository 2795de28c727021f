"""Writing the `ref` partition — HR's periods, holidays, service types and org units — into
the local tables. Server rows are marked `sumber = 'server'` and win over local defaults.

Holidays: a year the server sent replaces that year of the shipped calendar (see
`Workspace.calendar`, which reloads when `HOLIDAY_STAMP` moves). Periods: a year the server
sent drops the local default periods nothing refers to. Service types: a local type whose
kode HR now publishes is merged into HR's (its service logs move over, with ops, so the
server learns it too) — "HR's list replaces local ones once sync lands".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from asndesk.store.database import WriteTx

HOLIDAY_STAMP = "reference.holiday_stamp"
_REF_ONLY = frozenset({"period", "holiday", "org_unit"})


def is_reference(kind: str, data: dict[str, Any] | None) -> bool:
    """Whether a pulled change is reference data (server service types say `sumber`)."""
    if kind in _REF_ONLY:
        return True
    return kind == "service_type" and data is not None and data.get("sumber") == "server"


def apply(tx: WriteTx, kind: str, entity_id: str, version: int,
          data: dict[str, Any] | None) -> bool:
    """Upsert (or remove, when `data` is None) one reference item; False when skipped."""
    handler = _HANDLERS[kind]
    changed = handler(tx, entity_id, version, data)
    if changed:
        tx.changes.add(kind, entity_id)
    return changed


def _period(tx: WriteTx, period_id: str, version: int, data: dict[str, Any] | None) -> bool:
    if data is None:
        if _period_used(tx, period_id):
            # Records still name it: keep it, but as a local row HR no longer vouches for.
            tx.execute("UPDATE period SET sumber = 'lokal' WHERE id = ?", (period_id,))
            return False
        return bool(tx.execute("DELETE FROM period WHERE id = ?", (period_id,)).rowcount)
    values = (period_id, int(data["tahun"]), data["jenis"], int(data["nomor"]), data["mulai"],
              data["selesai"], data["batas_pengisian"], data.get("status") or "terbuka",
              tx.now_utc)
    tx.execute(
        "INSERT INTO period (id, tahun, jenis, nomor, mulai, selesai, batas_pengisian, status,"
        " sumber, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'server', ?)"
        " ON CONFLICT (id) DO UPDATE SET tahun = excluded.tahun, jenis = excluded.jenis,"
        " nomor = excluded.nomor, mulai = excluded.mulai, selesai = excluded.selesai,"
        " batas_pengisian = excluded.batas_pengisian, status = excluded.status,"
        " sumber = 'server', updated_at = excluded.updated_at", values)
    for (local_id,) in tx.execute("SELECT id FROM period WHERE tahun = ? AND sumber = 'lokal'",
                                  (int(data["tahun"]),)).fetchall():
        if not _period_used(tx, local_id):
            tx.execute("DELETE FROM period WHERE id = ?", (local_id,))
            tx.changes.add("period", local_id)
    return True


def _period_used(tx: WriteTx, period_id: str) -> bool:
    for table in ("realisasi", "rencana_aksi", "penilaian", "umpan_balik"):
        if tx.execute(f"SELECT 1 FROM {table} WHERE period_id = ? LIMIT 1",
                      (period_id,)).fetchone():
            return True
    return False


def _holiday(tx: WriteTx, tanggal: str, version: int, data: dict[str, Any] | None) -> bool:
    if data is None:
        gone = tx.execute("DELETE FROM holiday WHERE tanggal = ? AND sumber = 'server'",
                          (tanggal,)).rowcount
    else:
        tahun = int(data["tahun"])
        # The server's year replaces whatever else this device held for that year.
        tx.execute("DELETE FROM holiday WHERE tahun = ? AND sumber != 'server'", (tahun,))
        tx.execute(
            "INSERT INTO holiday (tanggal, tahun, nama, jenis, sumber)"
            " VALUES (?, ?, ?, ?, 'server') ON CONFLICT (tanggal) DO UPDATE SET"
            " tahun = excluded.tahun, nama = excluded.nama, jenis = excluded.jenis,"
            " sumber = 'server'", (tanggal, tahun, data["nama"], data["jenis"]))
        gone = 1
    if gone:
        stamp = int(tx.store.meta(HOLIDAY_STAMP) or 0) + 1
        tx.store.set_meta(HOLIDAY_STAMP, str(stamp))
    return bool(gone)


def _org_unit(tx: WriteTx, unit_id: str, version: int, data: dict[str, Any] | None) -> bool:
    if data is None:
        used = tx.execute("SELECT 1 FROM person WHERE unit_id = ? UNION ALL"
                          " SELECT 1 FROM org_unit WHERE induk_id = ? LIMIT 1",
                          (unit_id, unit_id)).fetchone()
        return not used and bool(tx.execute("DELETE FROM org_unit WHERE id = ?",
                                            (unit_id,)).rowcount)
    parent = data.get("induk_id")
    if parent:
        # Pages carry each unit's newest version only, so a parent may come after its child:
        # a stand-in row holds the reference until the parent's own change arrives.
        tx.execute("INSERT OR IGNORE INTO org_unit (id, nama, version, updated_at)"
                   " VALUES (?, ?, 0, ?)", (parent, parent, tx.now_utc))
    capaian = data.get("capaian")
    tx.execute(
        "INSERT INTO org_unit (id, kode, nama, induk_id, capaian, version, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kode = excluded.kode,"
        " nama = excluded.nama, induk_id = excluded.induk_id, capaian = excluded.capaian,"
        " version = excluded.version, updated_at = excluded.updated_at",
        (unit_id, data.get("kode"), data["nama"], parent,
         json.dumps(capaian, sort_keys=True) if isinstance(capaian, dict) else None,
         version, tx.now_utc))
    return True


def _service_type(tx: WriteTx, type_id: str, version: int, data: dict[str, Any] | None
                  ) -> bool:
    if data is None:
        return False  # HR deactivates service types, never deletes them
    clash = tx.execute("SELECT id, version FROM service_type WHERE kode = ? AND id != ?",
                       (data["kode"], type_id)).fetchone()
    if clash is not None:
        _merge_local_type(tx, clash[0], clash[1], type_id)
    tx.execute(
        "INSERT INTO service_type (id, kode, nama, standar_hari_kerja, aktif, sumber, version,"
        " updated_at) VALUES (?, ?, ?, ?, ?, 'server', ?, ?) ON CONFLICT (id) DO UPDATE SET"
        " kode = excluded.kode, nama = excluded.nama,"
        " standar_hari_kerja = excluded.standar_hari_kerja, aktif = excluded.aktif,"
        " sumber = 'server', version = excluded.version, updated_at = excluded.updated_at",
        (type_id, data["kode"], data["nama"], int(data["standar_hari_kerja"]),
         1 if data.get("aktif", True) else 0, version, tx.now_utc))
    return True


def _merge_local_type(tx: WriteTx, local_id: str, local_version: int, server_id: str) -> None:
    """Move a local type's service logs to HR's type of the same kode, then drop it; both
    moves are queued as ops, so the owner's other devices and the server follow."""
    logs = tx.execute("SELECT id, version FROM service_log WHERE service_type_id = ?",
                      (local_id,)).fetchall()
    # The new type row must exist before logs point at it; it is inserted under a kode that
    # cannot clash, and takes its real kode once the local type is gone.
    tx.execute("INSERT OR IGNORE INTO service_type (id, kode, nama, standar_hari_kerja, sumber,"
               " updated_at) VALUES (?, ?, '', 0, 'server', ?)",
               (server_id, f"\x1f{server_id}", tx.now_utc))
    for log_id, log_version in logs:
        tx.execute("UPDATE service_log SET service_type_id = ?, version = ?, updated_at = ?"
                   " WHERE id = ?", (server_id, log_version + 1, tx.now_utc, log_id))
        tx.op("edit_fields", "service_log", log_id, {"service_type_id": server_id},
              base_version=log_version)
    tx.execute("UPDATE skm_response SET service_type_id = ? WHERE service_type_id = ?",
                (server_id, local_id))
    tx.execute("DELETE FROM service_type WHERE id = ?", (local_id,))
    tx.op("delete", "service_type", local_id, {}, base_version=local_version)


_HANDLERS: dict[str, Callable[[WriteTx, str, int, dict[str, Any] | None], bool]] = {
    "period": _period, "holiday": _holiday, "org_unit": _org_unit,
    "service_type": _service_type,
}
