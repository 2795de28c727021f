"""Read-only queries behind the dashboard (Dasbor): one's own tables, or the `team:`/`unit:`
replica partitions a supervisor or HR officer may read. Never writes.

Dates are civil ISO text; every query takes an inclusive [dari, sampai] range.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from asndesk.store import rows

ANSWER_COLUMNS = tuple(f"u{k}" for k in range(1, 10))


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" for _ in values) or "NULL"


# -- one's own tables ---------------------------------------------------------------------------
def own_service_logs(conn: Any, dari: str, sampai: str) -> list[dict[str, Any]]:
    """Own service logs received in [dari, sampai], with the type's code, name and standard."""
    return rows.select(
        conn,
        "SELECT s.id, s.service_type_id, s.diterima_tanggal, s.status, s.durasi_hari_kerja,"
        " t.kode AS jenis_kode, t.nama AS jenis_nama, t.standar_hari_kerja"
        " FROM service_log s LEFT JOIN service_type t ON t.id = s.service_type_id"
        " WHERE s.diterima_tanggal BETWEEN ? AND ? ORDER BY s.diterima_tanggal, s.rowid",
        (dari, sampai),
    )


def own_logs(conn: Any, dari: str, sampai: str) -> list[dict[str, Any]]:
    """Own log harian times in [dari, sampai] (what the activity calendar counts)."""
    return rows.select(
        conn,
        "SELECT id, tanggal, jam_mulai, jam_selesai FROM log_harian"
        " WHERE tanggal BETWEEN ? AND ? ORDER BY tanggal, jam_mulai",
        (dari, sampai),
    )


def own_trainings(conn: Any, dari: str, sampai: str) -> list[dict[str, Any]]:
    """Own trainings that ended in [dari, sampai] (JP count by the end date)."""
    return rows.select(
        conn,
        "SELECT id, nama, penyelenggara, tanggal_mulai, tanggal_selesai, jp FROM pelatihan"
        " WHERE tanggal_selesai BETWEEN ? AND ? ORDER BY tanggal_selesai, id",
        (dari, sampai),
    )


def own_ratings(conn: Any, nip: str, tahun: int) -> list[dict[str, Any]]:
    """Ratings of one's own SKPs whose period lies in `tahun`."""
    return rows.select(
        conn,
        "SELECT n.id, n.skp_id, n.period_id, n.predikat, n.capaian_organisasi, n.dinilai_pada"
        " FROM penilaian n JOIN skp s ON s.id = n.skp_id"
        " WHERE s.pegawai_nip = ? AND n.period_id LIKE ? ORDER BY n.period_id",
        (nip, f"{tahun:04d}-%"),
    )


def own_skm(conn: Any, dari: str, sampai: str) -> list[dict[str, Any]]:
    """Survey forms typed in on this device, dated in [dari, sampai]."""
    return rows.select(
        conn,
        f"SELECT id, unit_layanan, tanggal, {', '.join(ANSWER_COLUMNS)} FROM skm_response"
        " WHERE tanggal BETWEEN ? AND ? ORDER BY tanggal, rowid",
        (dari, sampai),
    )


def service_types(conn: Any) -> dict[str, dict[str, Any]]:
    """Every local service type (HR's published list and the device's own) by id."""
    found = rows.select(conn, "SELECT id, kode, nama, standar_hari_kerja FROM service_type")
    return {r["id"]: r for r in found}


# -- the replica partitions -----------------------------------------------------------------------
def team_partitions(conn: Any) -> list[str]:
    """`team:<NIP>` of every current subordinate (from the stored /me roster)."""
    return [f"team:{r[0]}" for r in conn.execute(
        "SELECT nip FROM replica_person WHERE scope = 'team' ORDER BY nama, nip")]


def people_of(conn: Any, partitions: Sequence[str]) -> dict[str, str]:
    """NIP -> name of the people the partitions belong to (team members, unit members)."""
    scopes = ["team" if p.startswith("team:") else p for p in partitions]
    nips = [p[5:] for p in partitions if p.startswith("team:")]
    found: dict[str, str] = {}
    for nip, nama, scope in conn.execute(
            f"SELECT nip, nama, scope FROM replica_person WHERE scope IN ({_marks(scopes)})"
            " ORDER BY nama, nip", tuple(scopes)):
        if scope != "team" or nip in nips:
            found[str(nip)] = str(nama)
    return found


def replica(conn: Any, partitions: Sequence[str], kind: str, *, date_path: str | None = None,
            dari: str | None = None, sampai: str | None = None) -> list[dict[str, Any]]:
    """Records of one kind in the partitions, each once (a person may be in a team and a unit),
    optionally only those whose `date_path` field (e.g. `$.tanggal`) lies in [dari, sampai]."""
    if not partitions:
        return []
    sql = (f"SELECT id, owner_nip, data FROM replica_entity WHERE partition IN"
           f" ({_marks(partitions)}) AND kind = ?")
    params: tuple[Any, ...] = (*partitions, kind)
    if date_path is not None:
        sql += " AND json_extract(data, ?) BETWEEN ? AND ?"
        params += (date_path, dari, sampai)
    out: dict[str, dict[str, Any]] = {}
    for entity_id, owner, data in conn.execute(sql + " ORDER BY id, partition", params):
        if entity_id in out:
            continue
        record = json.loads(data)
        record.update(id=entity_id, owner_nip=owner)
        out[entity_id] = record
    return list(out.values())


def replica_skm(conn: Any, partitions: Sequence[str], dari: str, sampai: str
                ) -> list[dict[str, Any]]:
    """Other people's survey forms in the partitions, dated in [dari, sampai]."""
    found = replica(conn, partitions, "skm_response", date_path="$.tanggal", dari=dari,
                    sampai=sampai)
    return [{"id": r["id"], "unit_layanan": r.get("unit_layanan"), "tanggal": r.get("tanggal"),
             **{c: r.get(c) for c in ANSWER_COLUMNS}} for r in found]
