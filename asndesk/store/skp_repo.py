"""SKP aggregate persistence: the SKP row, its RHK, IKI, perilaku, lampiran and history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from asndesk.domain.skp import (
    Aspek,
    Iki,
    JenisJabatan,
    JenisLampiran,
    JenisRhk,
    Lampiran,
    Pendekatan,
    PerilakuKerja,
    Perspektif,
    Rhk,
    Skp,
    StatusSkp,
)
from asndesk.store import rows


def load_skp(conn: Any, skp_id: str) -> Skp:
    """The whole SKP as a frozen domain object (`NotFound` if there is none)."""
    head = rows.get(conn, "skp", skp_id)
    rhk_rows = rows.select(
        conn,
        "SELECT * FROM rhk WHERE skp_id = ? ORDER BY jenis = 'tambahan', urutan, rowid",
        (skp_id,),
    )
    iki_rows = rows.select(
        conn,
        "SELECT iki.* FROM iki JOIN rhk ON rhk.id = iki.rhk_id WHERE rhk.skp_id = ?"
        " ORDER BY iki.urutan, iki.rowid",
        (skp_id,),
    )
    by_rhk: dict[str, list[Iki]] = {}
    for r in iki_rows:
        by_rhk.setdefault(r["rhk_id"], []).append(
            Iki(
                id=r["id"],
                indikator=r["indikator"],
                target_nilai=Decimal(r["target_nilai"]),
                target_satuan=r["target_satuan"],
                aspek=Aspek(r["aspek"]) if r["aspek"] else None,
                urutan=r["urutan"],
            )
        )
    rhk = tuple(
        Rhk(
            id=r["id"],
            jenis=JenisRhk(r["jenis"]),
            teks=r["teks"],
            iki=tuple(by_rhk.get(r["id"], ())),
            rhk_atasan=r["rhk_atasan"],
            perspektif=Perspektif(r["perspektif"]) if r["perspektif"] else None,
            urutan=r["urutan"],
        )
        for r in rhk_rows
    )
    perilaku = tuple(
        PerilakuKerja(kode=r["kode"], ekspektasi_khusus=r["ekspektasi_khusus"])
        for r in rows.select(
            conn, "SELECT kode, ekspektasi_khusus FROM perilaku WHERE skp_id = ? ORDER BY kode",
            (skp_id,),
        )
    )
    lampiran = tuple(
        Lampiran(id=r["id"], jenis=JenisLampiran(r["jenis"]), teks=r["teks"], urutan=r["urutan"])
        for r in rows.select(
            conn, "SELECT * FROM lampiran WHERE skp_id = ? ORDER BY jenis, urutan, rowid",
            (skp_id,),
        )
    )
    return Skp(
        id=head["id"],
        nip_pegawai=head["pegawai_nip"],
        tahun=head["tahun"],
        jenis_jabatan=JenisJabatan(head["jenis_jabatan"]),
        pendekatan=Pendekatan(head["pendekatan"]),
        status=StatusSkp(head["status"]),
        rhk=rhk,
        perilaku=perilaku,
        lampiran=lampiran,
        version=head["version"],
    )


def skp_head(conn: Any, skp_id: str) -> dict[str, Any]:
    return rows.get(conn, "skp", skp_id)


def list_skp(conn: Any, nip: str, tahun: int | None = None) -> list[dict[str, Any]]:
    """SKP headers of one person, newest year and revision first."""
    sql = "SELECT * FROM skp WHERE pegawai_nip = ?"
    params: tuple[Any, ...] = (nip,)
    if tahun is not None:
        sql += " AND tahun = ?"
        params += (tahun,)
    return rows.select(conn, sql + " ORDER BY tahun DESC, revisi DESC, created_at DESC", params)


def skp_id_of_rhk(conn: Any, rhk_id: str) -> str:
    return str(rows.get(conn, "rhk", rhk_id)["skp_id"])


def skp_id_of_iki(conn: Any, iki_id: str) -> str:
    iki = rows.get(conn, "iki", iki_id)
    return skp_id_of_rhk(conn, iki["rhk_id"])


def next_order(conn: Any, table: str, parent_col: str, parent_id: str) -> int:
    """The next `urutan` under a parent (append at the end)."""
    if (table, parent_col) not in {("rhk", "skp_id"), ("iki", "rhk_id"), ("lampiran", "skp_id")}:
        raise ValueError("unsupported ordering target")
    row = conn.execute(
        f"SELECT coalesce(max(urutan), 0) + 1 FROM {table} WHERE {parent_col} = ?", (parent_id,)
    ).fetchone()
    return int(row[0])


def status_history(conn: Any, skp_id: str) -> list[dict[str, Any]]:
    return rows.select(
        conn, "SELECT * FROM skp_status_history WHERE skp_id = ? ORDER BY terjadi_pada, rowid",
        (skp_id,),
    )

