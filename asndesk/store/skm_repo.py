"""Survey (SKM) responses: the device's own forms and those of a unit's members from sync.

An HR officer's unit partition brings other people's forms as replicas; the IKM of a service
unit counts every form once, whoever typed it in.
"""

from __future__ import annotations

import json
from typing import Any

from asndesk.store import rows
from asndesk.store.database import WriteTx

KIND = "skm_response"
ANSWER_COLUMNS = tuple(f"u{k}" for k in range(1, 10))
COLUMNS = ("id", "unit_layanan", "service_type_id", "tanggal", *ANSWER_COLUMNS, "saran")
"""The fields a form has on the device and on the wire (the server's allow-list)."""


def responses(conn: Any, unit_layanan: str, dari: str, sampai: str) -> list[dict[str, Any]]:
    """Every form of `unit_layanan` dated in [dari, sampai]: own ones first, then replicas of
    other people's (each id once), each with `milik_sendiri` and the service type's name."""
    own = rows.select(
        conn,
        "SELECT r.*, t.kode AS jenis_kode, t.nama AS jenis_nama, 1 AS milik_sendiri"
        " FROM skm_response r LEFT JOIN service_type t ON t.id = r.service_type_id"
        " WHERE r.unit_layanan = ? AND r.tanggal BETWEEN ? AND ?"
        " ORDER BY r.tanggal, r.created_at, r.rowid",
        (unit_layanan, dari, sampai),
    )
    seen = {r["id"] for r in own}
    others: list[dict[str, Any]] = []
    for replica in rows.select(
        conn,
        "SELECT id, owner_nip, data FROM replica_entity WHERE kind = ?"
        " AND json_extract(data, '$.unit_layanan') = ?"
        " AND json_extract(data, '$.tanggal') BETWEEN ? AND ? ORDER BY changed_at, id",
        (KIND, unit_layanan, dari, sampai),
    ):
        if replica["id"] in seen:
            continue  # the same form in two partitions (or the owner's own)
        seen.add(replica["id"])
        data = json.loads(replica["data"])
        row = {c: data.get(c) for c in COLUMNS}
        row.update(id=replica["id"], milik_sendiri=0, owner_nip=replica["owner_nip"])
        others.append(row)
    others.sort(key=lambda r: str(r["tanggal"]))
    return own + others


def units(conn: Any) -> list[str]:
    """Service units named by any form on this device (own or replicated), sorted."""
    found = rows.select(
        conn,
        "SELECT unit_layanan AS u FROM skm_response UNION SELECT json_extract(data,"
        " '$.unit_layanan') FROM replica_entity WHERE kind = ? ORDER BY 1",
        (KIND,),
    )
    return [str(r["u"]) for r in found if r["u"]]


def get(conn: Any, response_id: str) -> dict[str, Any]:
    """One own form (NotFound otherwise: replicas are other people's and read-only)."""
    return rows.get(conn, KIND, response_id)


def apply_remote(tx: WriteTx, entity_id: str, data: dict[str, Any] | None) -> bool:
    """A pulled own form (from another device of the owner): upsert, or delete when None.

    The table keeps no version (a form is created, corrected by replacement, or deleted), so
    this is what the generic pull writer cannot do for it."""
    if data is None:
        gone = tx.execute("DELETE FROM skm_response WHERE id = ?", (entity_id,))
        if gone.rowcount:
            tx.changes.add(KIND, entity_id)
        return bool(gone.rowcount)
    values = {c: data.get(c) for c in COLUMNS if c != "id"}
    exists = tx.execute("SELECT 1 FROM skm_response WHERE id = ?", (entity_id,)).fetchone()
    if exists is None:
        rows.insert(tx, KIND, {"id": entity_id, **values, "created_at": tx.now_utc})
    else:
        rows.overwrite(tx, KIND, entity_id, values)
    tx.changes.add(KIND, entity_id)
    return True
