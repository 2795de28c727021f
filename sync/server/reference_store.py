"""Reference data on the server — periods, service types, holidays, org units — kept as the
`ref` pull partition: every change is logged under the pseudo owner "ref", so `ref` gets the
same `(epoch, seq)` cursors, byte-bounded pages and checksums as a person's partitions.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, select, update

from asndesk.domain.calendar import HariLibur, HolidayCalendar, JenisLibur, default_calendar
from sync.server.accounts import iso
from sync.server.schema import change_log, org_unit, ref_entity, server_meta
from sync.server.store_changes import record_change

REF_OWNER = "ref"  # change_log/owner_checksum have no FK on owner_id: "ref" is no person
KINDS = frozenset({"period", "service_type", "holiday", "org_unit"})


def lock(conn: Connection) -> None:
    """Take the change counter first (as a push does): writers serialize, and on SQLite the
    write lock is held before any read, so a later write cannot fail on a stale snapshot."""
    conn.execute(update(server_meta).where(server_meta.c.key == "change_seq")
                 .values(value=server_meta.c.value))


def row_of(conn: Connection, kind: str, item_id: str) -> Any:
    return conn.execute(select(ref_entity).where(ref_entity.c.kind == kind,
                                                 ref_entity.c.id == item_id)).first()


def get(conn: Connection, kind: str, item_id: str) -> dict[str, Any] | None:
    """The item's current state, or None when absent or removed."""
    row = row_of(conn, kind, item_id)
    if row is None or row.deleted:
        return None
    data: dict[str, Any] = json.loads(row.data)
    return {**data, "version": row.version}


def live(conn: Connection, kind: str) -> list[dict[str, Any]]:
    """Every current item of a kind (reference lists are small: tens to hundreds)."""
    found = conn.execute(select(ref_entity).where(ref_entity.c.kind == kind,
                                                  ref_entity.c.deleted.is_(False))
                         .order_by(ref_entity.c.id))
    return [{**json.loads(r.data), "version": r.version} for r in found]


def put(conn: Connection, kind: str, item_id: str, data: dict[str, Any], now: float) -> bool:
    """Create or replace an item's state; False (and no change logged) when nothing differs."""
    current = row_of(conn, kind, item_id)
    text = json.dumps(data, sort_keys=True)
    if current is None:
        conn.execute(ref_entity.insert().values(kind=kind, id=item_id, version=1, data=text,
                                                deleted=False, updated_at=iso(now)))
        record_change(conn, REF_OWNER, kind, item_id, old=None, new=1)
        return True
    if not current.deleted and json.loads(current.data) == data:
        return False
    version = current.version + 1
    conn.execute(update(ref_entity).where(ref_entity.c.kind == kind, ref_entity.c.id == item_id)
                 .values(version=version, data=text, deleted=False, updated_at=iso(now)))
    record_change(conn, REF_OWNER, kind, item_id,
                  old=None if current.deleted else current.version, new=version)
    return True


def remove(conn: Connection, kind: str, item_id: str, now: float) -> bool:
    """Remove an item (a tombstone reaches the clients); False when it was not there."""
    current = row_of(conn, kind, item_id)
    if current is None or current.deleted:
        return False
    conn.execute(update(ref_entity).where(ref_entity.c.kind == kind, ref_entity.c.id == item_id)
                 .values(version=current.version + 1, deleted=True, updated_at=iso(now)))
    record_change(conn, REF_OWNER, kind, item_id, old=current.version, new=None)
    return True


def publish_org_units(conn: Connection, unit_ids: list[str], now: float) -> None:
    """Copy org units (after the admin routes or a roster import wrote them) into `ref`."""
    if not unit_ids:
        return
    lock(conn)
    for start in range(0, len(unit_ids), 500):
        chunk = unit_ids[start:start + 500]
        for unit in conn.execute(select(org_unit).where(org_unit.c.id.in_(chunk))):
            data = {"id": unit.id, "kode": unit.kode, "nama": unit.nama,
                    "induk_id": unit.induk_id}
            if unit.capaian:  # only once set, so older units keep their published state
                data["capaian"] = json.loads(unit.capaian)
            put(conn, "org_unit", unit.id, data, now)


def changes_query(start: int, head: int, limit: int) -> Select[Any]:
    """The `ref` partition's changes after `start`, each item at its newest version only
    (the columns a pull page needs, named as in the `entity` query)."""
    return (select(change_log.c.server_seq, change_log.c.owner_id, ref_entity.c.kind,
                   ref_entity.c.id, ref_entity.c.version, ref_entity.c.data,
                   ref_entity.c.deleted, ref_entity.c.updated_at)
            .join(ref_entity, and_(ref_entity.c.kind == change_log.c.entity_kind,
                                   ref_entity.c.id == change_log.c.entity_id,
                                   ref_entity.c.version == change_log.c.version))
            .where(change_log.c.owner_id == REF_OWNER, change_log.c.server_seq > start,
                   change_log.c.server_seq <= head)
            .order_by(change_log.c.server_seq).limit(limit))


def holidays(conn: Connection, tahun: int | None = None) -> list[dict[str, Any]]:
    items = live(conn, "holiday")
    return [h for h in items if tahun is None or h["tahun"] == tahun]


def calendar(conn: Connection) -> HolidayCalendar:
    """The shipped calendar with every year HR imported on the server replacing its own."""
    stored = [HariLibur(date.fromisoformat(h["tanggal"]), h["nama"], JenisLibur(h["jenis"]))
              for h in holidays(conn)]
    base = default_calendar()
    return base.merge(HolidayCalendar(stored)) if stored else base

