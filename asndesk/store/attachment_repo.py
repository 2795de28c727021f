"""Attachments (encrypted inside the store, deduplicated by content hash) and evidence links."""

from __future__ import annotations

from typing import Any

from asndesk.errors import NotFound
from asndesk.evidence import PreparedFile
from asndesk.store import attachment_sync_repo, rows
from asndesk.store.database import WriteTx
from asndesk.store.ids import uuid7


def put(tx: WriteTx, prepared: PreparedFile) -> tuple[str, bool]:
    """Store the file once per content hash; returns (attachment id, newly stored?)."""
    digest = prepared.sha256
    found = tx.execute("SELECT id FROM attachment WHERE sha256 = ?", (digest,)).fetchone()
    if found is not None:
        # A pull may have announced this file without its bytes yet: these are the bytes.
        attachment_sync_repo.fill_placeholder(tx, digest, prepared.data)
        return str(found[0]), False
    attachment_id = uuid7()
    rows.insert(tx, "attachment", {
        "id": attachment_id,
        "sha256": digest,
        "nama_file": prepared.nama_file,
        "mime": prepared.mime,
        "ukuran": len(prepared.data),
        "ukuran_asli": prepared.ukuran_asli,
        "lebar": prepared.lebar,
        "tinggi": prepared.tinggi,
        "data": prepared.data,
        "created_at": tx.now_utc,
    })
    return attachment_id, True


def link(
    tx: WriteTx, pemilik_jenis: str, pemilik_id: str, *, attachment_id: str | None = None,
    tautan: str | None = None, keterangan: str | None = None,
) -> str:
    bukti_id = uuid7()
    rows.insert(tx, "bukti", {
        "id": bukti_id,
        "pemilik_jenis": pemilik_jenis,
        "pemilik_id": pemilik_id,
        "attachment_id": attachment_id,
        "tautan": tautan,
        "keterangan": keterangan,
        "created_at": tx.now_utc,
    })
    return bukti_id


def evidence_of(conn: Any, pemilik_jenis: str, pemilik_id: str) -> list[dict[str, Any]]:
    """Evidence rows of one owner with file metadata (not the bytes)."""
    return rows.select(
        conn,
        "SELECT b.id, b.tautan, b.keterangan, b.created_at, a.id AS attachment_id, a.nama_file,"
        " a.mime, a.ukuran, a.sha256 FROM bukti b LEFT JOIN attachment a ON a.id = b.attachment_id"
        " WHERE b.pemilik_jenis = ? AND b.pemilik_id = ? ORDER BY b.created_at, b.rowid",
        (pemilik_jenis, pemilik_id),
    )


def data_of(conn: Any, attachment_id: str) -> bytes:
    row = conn.execute("SELECT data, ukuran FROM attachment WHERE id = ?",
                       (attachment_id,)).fetchone()
    if row is None or len(row[0]) != row[1]:  # unknown, or announced by a pull and not here yet
        raise NotFound(kind=rows.LABELS["attachment"], id=attachment_id)
    return bytes(row[0])


def unlink_owner(tx: WriteTx, pemilik_jenis: str, pemilik_id: str) -> None:
    """Drop the evidence links of a deleted owner (files stay: other owners may share them)."""
    tx.execute("DELETE FROM bukti WHERE pemilik_jenis = ? AND pemilik_id = ?",
               (pemilik_jenis, pemilik_id))
