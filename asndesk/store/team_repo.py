"""Other people's records a supervisor or HR officer may read: the replica tables (schema 2).

Pulled `team:`/`unit:` pages land here, never in the owner's own tables. The owner's own
ratings and feedback (written by the supervisor) arrive in the `own` partition and go to the
own `penilaian`/`umpan_balik` tables, which the plain remote writer does not handle.
"""

from __future__ import annotations

import json
import re
from typing import Any

from asndesk.domain.calendar import default_calendar
from asndesk.domain.periods import PolaPeriode, buat_periode
from asndesk.store import ledger, remote_repo, rows
from asndesk.store.database import WriteTx

_PERIOD_ID = re.compile(r"^(\d{4})-(TW[1-4]|S[12]|0[1-9]|1[0-2]|TH)$")
OWN_ASSESSMENT = frozenset({"penilaian", "umpan_balik"})


def is_replica(partition: str) -> bool:
    return partition.startswith(("team:", "unit:"))


# -- writing pulled pages -------------------------------------------------------------------
def apply_pulled(tx: WriteTx, partition: str, change: dict[str, Any]) -> bool:
    """Write one pulled change where it belongs; False when skipped."""
    if is_replica(partition):
        return apply_replica(tx, partition, change)
    if change["entity_kind"] in OWN_ASSESSMENT:
        return apply_own_assessment(tx, change)
    return remote_repo.apply_remote(tx, change["entity_kind"], change["entity_id"],
                                    change["version"], change["data"])


def apply_replica(tx: WriteTx, partition: str, change: dict[str, Any]) -> bool:
    """Upsert (or drop, when deleted) one record of another person in `partition`."""
    owner = change.get("owner_nip") or (partition[5:] if partition.startswith("team:") else None)
    key = (partition, change["entity_kind"], change["entity_id"])
    if change.get("data") is None:
        gone = tx.execute("DELETE FROM replica_entity WHERE partition = ? AND kind = ?"
                          " AND id = ?", key)
        return bool(gone.rowcount)
    if not owner:
        return False  # a unit page from a server that does not say whose record it is
    tx.execute(
        "INSERT INTO replica_entity (partition, kind, id, owner_nip, version, data, changed_at,"
        " received_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (partition, kind, id) DO UPDATE SET"
        " owner_nip = excluded.owner_nip, version = excluded.version, data = excluded.data,"
        " changed_at = excluded.changed_at, received_at = excluded.received_at",
        (*key, owner, change["version"], json.dumps(change["data"], ensure_ascii=False),
         change.get("updated_at"), tx.now_utc))
    tx.changes.add(f"replica_{change['entity_kind']}", change["entity_id"])
    return True


def apply_own_assessment(tx: WriteTx, change: dict[str, Any]) -> bool:
    """The supervisor's rating or feedback on the owner's own SKP, into the own tables."""
    kind, entity_id, data = change["entity_kind"], change["entity_id"], change.get("data")
    if data is None:
        gone = tx.execute(f"DELETE FROM {kind} WHERE id = ?", (entity_id,))
        return bool(gone.rowcount)
    _ensure_period(tx, data.get("period_id"))
    if kind == "penilaian":
        row = {"id": entity_id, "skp_id": data["skp_id"], "period_id": data["period_id"],
               "rating_hasil_kerja": data["rating_hasil_kerja"],
               "rating_perilaku": data["rating_perilaku"], "predikat": data["predikat"],
               "capaian_organisasi": data.get("capaian_organisasi"),
               "penilai_nip": data.get("penilai_nip"),
               "dinilai_pada": data.get("dinilai_pada") or tx.now_utc,
               "version": change["version"]}
        # One rating per SKP and period: a re-rating under a new id replaces the old one.
        tx.execute("DELETE FROM penilaian WHERE skp_id = ? AND period_id = ? AND id != ?",
                   (row["skp_id"], row["period_id"], entity_id))
    else:
        row = {"id": entity_id, "skp_id": data["skp_id"],
               "sasaran_jenis": data["sasaran_jenis"], "sasaran_id": data.get("sasaran_id"),
               "period_id": data.get("period_id"),
               "pemberi_nip": data.get("pemberi_nip"), "teks": data["teks"],
               "dibuat_pada": data.get("dibuat_pada") or data.get("created_at") or tx.now_utc}
    columns = ", ".join(row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != "id")
    tx.execute(f"INSERT INTO {kind} ({columns}) VALUES ({', '.join('?' for _ in row)})"
               f" ON CONFLICT (id) DO UPDATE SET {updates}", tuple(row.values()))
    tx.changes.add(kind, entity_id)
    return True


def _ensure_period(tx: WriteTx, period_id: Any) -> None:
    """A rating may name a period this device has not made yet: add that year's defaults."""
    match = _PERIOD_ID.match(str(period_id or ""))
    if not match or tx.execute("SELECT 1 FROM period WHERE id = ?", (period_id,)).fetchone():
        return
    code = match[2]
    pola = (PolaPeriode.BULANAN if code[0].isdigit() else PolaPeriode.SEMESTERAN
            if code.startswith("S") else PolaPeriode.TRIWULANAN)
    for p in buat_periode(int(match[1]), pola, default_calendar()):
        tx.execute(
            "INSERT OR IGNORE INTO period (id, tahun, jenis, nomor, mulai, selesai,"
            " batas_pengisian, updated_at) VALUES (?,?,?,?,?,?,?,?)",
            (p.id, p.tahun, str(p.jenis), p.nomor, p.mulai.isoformat(), p.selesai.isoformat(),
             p.batas_pengisian.isoformat(), tx.now_utc))


# -- roles from the server's /me answer -----------------------------------------------------
def replace_people(tx: WriteTx, me: dict[str, Any]) -> None:
    """Rewrite the roster of subordinates and HR units' members from one /me answer."""
    tx.execute("DELETE FROM replica_person")
    people: list[tuple[str, str, str, str | None, str | None, str]] = []
    for sub in me.get("subordinates", []):
        # `last_seen_at` and `jenjang` are kept when the server sends them (the team page
        # shows the last sync, the rating dialog the angka kredit of a Jabatan Fungsional).
        info = {k: sub.get(k) for k in ("link_id", "berlaku_mulai", "berlaku_sampai",
                                        "atasan_penilai_nip", "last_seen_at", "jenjang")}
        people.append(("team", sub["nip"], sub["nama"], sub.get("jabatan"), sub.get("unit_id"),
                       json.dumps(info)))
    for unit in me.get("hr_units", []):
        for member in unit.get("members", []):
            people.append((f"unit:{unit['id']}", member["nip"], member["nama"],
                           member.get("jabatan"), unit["id"],
                           json.dumps({k: member.get(k) for k in (
                               "last_seen_at", "penilai_nip", "penilai_nama")})))
    tx.conn.executemany("INSERT OR REPLACE INTO replica_person (scope, nip, nama, jabatan,"
                        " unit_id, info) VALUES (?,?,?,?,?,?)", people)


def prune(tx: WriteTx, keep: set[str]) -> list[str]:
    """Forget partitions no longer readable (a link ended, an HR post moved), cursors too."""
    held = {r[0] for r in tx.execute("SELECT DISTINCT partition FROM replica_entity")}
    cursors = remote_repo.cursors(tx.conn)
    held |= {p for p in cursors if is_replica(p)}
    dropped = sorted(p for p in held if p not in keep)
    for partition in dropped:
        tx.execute("DELETE FROM replica_entity WHERE partition = ?", (partition,))
        ledger.clear(tx.conn, partition)  # a later grant starts that partition afresh
        cursors.pop(partition, None)
    if dropped:
        tx.store.set_meta("sync_cursors", json.dumps(cursors, sort_keys=True))
    return dropped


# -- reading ---------------------------------------------------------------------------------
def people(conn: Any, scope: str) -> list[dict[str, Any]]:
    found = rows.select(conn, "SELECT * FROM replica_person WHERE scope = ? ORDER BY nama, nip",
                        (scope,))
    for person in found:
        person["info"] = json.loads(person["info"])
    return found


def person(conn: Any, nip: str) -> dict[str, Any] | None:
    found = rows.select(conn, "SELECT * FROM replica_person WHERE nip = ? ORDER BY scope != 'team'"
                        " LIMIT 1", (nip,))
    if not found:
        return None
    found[0]["info"] = json.loads(found[0]["info"])
    return found[0]


def records(conn: Any, partition: str, kinds: tuple[str, ...], owner_nip: str | None = None
            ) -> list[dict[str, Any]]:
    """Records of `kinds` in a partition (optionally one owner's): the server's fields plus
    `version`, `owner_nip`, `kind` and `changed_at`."""
    marks = ",".join("?" for _ in kinds)
    sql = (f"SELECT kind, id, owner_nip, version, data, changed_at, received_at"
           f" FROM replica_entity WHERE partition = ? AND kind IN ({marks})")
    params: tuple[Any, ...] = (partition, *kinds)
    if owner_nip is not None:
        sql += " AND owner_nip = ?"
        params += (owner_nip,)
    out = []
    for r in conn.execute(sql + " ORDER BY kind, id", params).fetchall():
        record = json.loads(r[4])
        record.update(kind=r[0], id=r[1], owner_nip=r[2], version=r[3], changed_at=r[5],
                      received_at=r[6])
        out.append(record)
    return out


def activity(conn: Any, partition: str) -> dict[str, dict[str, Any]]:
    """Per owner: records per kind and the latest change (server time, else receipt time)."""
    out: dict[str, dict[str, Any]] = {}
    for owner, kind, count, last in conn.execute(
            "SELECT owner_nip, kind, count(*), max(coalesce(changed_at, received_at))"
            " FROM replica_entity WHERE partition = ? GROUP BY owner_nip, kind", (partition,)):
        entry = out.setdefault(owner, {"counts": {}, "last_change": None})
        entry["counts"][kind] = count
        if last and (entry["last_change"] is None or last > entry["last_change"]):
            entry["last_change"] = last
    return out


def version_of(conn: Any, partition: str, kind: str, entity_id: str) -> int | None:
    """The server version a replica record has now (None: not here)."""
    row = conn.execute("SELECT version FROM replica_entity WHERE partition = ? AND kind = ?"
                       " AND id = ?", (partition, kind, entity_id)).fetchone()
    return None if row is None else int(row[0])


def year_counts(conn: Any, partition: str, nip: str, tahun: int
                ) -> tuple[int, dict[str, int], int]:
    """One person's log harian of `tahun`, realisasi per period of `tahun`, and amendments
    waiting for a decision."""
    prefix = f"{tahun}-%"
    logs = conn.execute("SELECT count(*) FROM replica_entity WHERE partition = ? AND owner_nip = ?"
                        " AND kind = 'log_harian' AND json_extract(data, '$.tanggal') LIKE ?",
                        (partition, nip, prefix)).fetchone()[0]
    per_period = {str(period_id): int(count) for period_id, count in conn.execute(
        "SELECT json_extract(data, '$.period_id'), count(*) FROM replica_entity"
        " WHERE partition = ? AND owner_nip = ? AND kind = 'realisasi'"
        " AND json_extract(data, '$.period_id') LIKE ? GROUP BY 1", (partition, nip, prefix))}
    waiting = conn.execute("SELECT count(*) FROM replica_entity WHERE partition = ? AND"
                           " owner_nip = ? AND kind = 'amandemen' AND"
                           " json_extract(data, '$.status') = 'Diajukan'",
                           (partition, nip)).fetchone()[0]
    return int(logs), per_period, int(waiting)


def log_count_between(conn: Any, partition: str, nip: str, start: str, end: str) -> int:
    """One person's log harian dated from `start` to `end` (ISO dates, both included)."""
    return int(conn.execute(
        "SELECT count(*) FROM replica_entity WHERE partition = ? AND owner_nip = ?"
        " AND kind = 'log_harian' AND json_extract(data, '$.tanggal') BETWEEN ? AND ?",
        (partition, nip, start, end)).fetchone()[0])


def own_assessments(conn: Any, skp_id: str) -> dict[str, list[dict[str, Any]]]:
    """Ratings and feedback on one of the owner's SKPs, as the pull wrote them."""
    return {
        "penilaian": rows.select(conn, "SELECT * FROM penilaian WHERE skp_id = ?"
                                 " ORDER BY period_id", (skp_id,)),
        "umpan_balik": rows.select(conn, "SELECT * FROM umpan_balik WHERE skp_id = ?"
                                   " ORDER BY dibuat_pada, id", (skp_id,)),
    }
