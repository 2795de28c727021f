"""Which evidence files still have to travel, and the pieces of downloads in progress.

Uploads are due for files whose `attach` op the server acked; downloads for files that a pull
announced (bukti metadata from the person's other devices). See migration 0003.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from asndesk.evidence import MAX_FILE_BYTES
from asndesk.store.database import WriteTx
from asndesk.store.ids import uuid7

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
MAX_ATTEMPTS = 3  # whole-file hash failures before a file is given up (stays visible)
# Server entity kind -> the local `bukti.pemilik_jenis` of its evidence.
BUKTI_OWNER = {"realisasi": "realisasi", "log_harian": "log_harian", "pelatihan": "pelatihan",
               "service_log": "log_layanan"}


@dataclass(frozen=True)
class FileTask:
    """One file to send or fetch."""

    attachment_id: str
    sha256: str
    mime: str
    size: int
    done_bytes: int = 0


def uploads_due(conn: Any) -> list[FileTask]:
    """Files held here whose `attach` op was acked and that the server has not confirmed."""
    rows = conn.execute(
        "SELECT DISTINCT a.id, a.sha256, a.mime, a.ukuran, coalesce(s.done_bytes, 0)"
        " FROM outbox o JOIN attachment a ON a.sha256 = json_extract(o.payload, '$.sha256')"
        " LEFT JOIN attachment_sync s ON s.sha256 = a.sha256"
        " WHERE o.kind = 'attach' AND o.state = 'acked' AND length(a.data) = a.ukuran"
        " AND (s.sha256 IS NULL OR (s.direction = 'up' AND s.state = 'pending'))"
        " ORDER BY a.created_at, a.id").fetchall()
    return [FileTask(*row) for row in rows]


def downloads_due(conn: Any) -> list[FileTask]:
    """Files announced by a pull and not here yet, with the bytes already fetched."""
    rows = conn.execute(
        "SELECT a.id, a.sha256, a.mime, a.ukuran,"
        " (SELECT coalesce(sum(length(p.data)), 0) FROM attachment_part p"
        "  WHERE p.sha256 = s.sha256)"
        " FROM attachment_sync s JOIN attachment a ON a.sha256 = s.sha256"
        " WHERE s.direction = 'down' AND s.state = 'pending' ORDER BY a.created_at, a.id"
    ).fetchall()
    return [FileTask(*row) for row in rows]


def _upsert(tx: WriteTx, sha256: str, direction: str, state: str, *, size: int, done: int,
            error: str | None = None) -> None:
    tx.execute(
        "INSERT INTO attachment_sync (sha256, direction, state, size, done_bytes, last_error,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET"
        " direction = excluded.direction, state = excluded.state, size = excluded.size,"
        " done_bytes = excluded.done_bytes, last_error = excluded.last_error,"
        " updated_at = excluded.updated_at",
        (sha256, direction, state, size, done, error, tx.now_utc))


def record_upload(tx: WriteTx, task: FileTask, done_bytes: int, *, complete: bool = False,
                  error: str | None = None) -> None:
    """Remember how far an upload got; `error` (a reason code) gives the file up."""
    state = "failed" if error else "done" if complete else "pending"
    _upsert(tx, task.sha256, "up", state, size=task.size, done=done_bytes, error=error)


def upload_failed(tx: WriteTx, task: FileTask, code: str) -> None:
    """A whole-file check failed on the server: retry later, give up after MAX_ATTEMPTS."""
    _upsert(tx, task.sha256, "up", "pending", size=task.size, done=0, error=code)
    tx.execute("UPDATE attachment_sync SET attempts = attempts + 1 WHERE sha256 = ?",
               (task.sha256,))
    tx.execute("UPDATE attachment_sync SET state = 'failed' WHERE sha256 = ? AND attempts >= ?",
               (task.sha256, MAX_ATTEMPTS))


def save_part(tx: WriteTx, sha256: str, start: int, data: bytes) -> None:
    """Keep one downloaded piece (inside the encrypted store) so a cut download resumes."""
    tx.execute("INSERT OR REPLACE INTO attachment_part (sha256, start, data) VALUES (?, ?, ?)",
               (sha256, start, data))
    tx.execute("UPDATE attachment_sync SET done_bytes = ?, updated_at = ? WHERE sha256 = ?",
               (start + len(data), tx.now_utc, sha256))


def finish_download(tx: WriteTx, task: FileTask) -> bool:
    """Move the pieces into the attachment if their SHA-256 matches; else start over."""
    pieces = [bytes(r[0]) for r in tx.execute(
        "SELECT data FROM attachment_part WHERE sha256 = ? ORDER BY start", (task.sha256,))]
    data = b"".join(pieces)
    tx.execute("DELETE FROM attachment_part WHERE sha256 = ?", (task.sha256,))
    if len(data) == task.size and hashlib.sha256(data).hexdigest() == task.sha256:
        tx.execute("UPDATE attachment SET data = ? WHERE sha256 = ?", (data, task.sha256))
        _upsert(tx, task.sha256, "down", "done", size=task.size, done=task.size)
        return True
    tx.execute("UPDATE attachment_sync SET attempts = attempts + 1 WHERE sha256 = ?",
               (task.sha256,))
    attempts = tx.execute("SELECT attempts FROM attachment_sync WHERE sha256 = ?",
                          (task.sha256,)).fetchone()[0]
    state = "failed" if attempts >= MAX_ATTEMPTS else "pending"
    tx.execute("UPDATE attachment_sync SET state = ?, done_bytes = 0, last_error = ?,"
               " updated_at = ? WHERE sha256 = ?",
               (state, "hash_mismatch", tx.now_utc, task.sha256))
    return False


def fill_placeholder(tx: WriteTx, sha256: str, data: bytes) -> None:
    """The same file was attached here before its download finished: keep the local bytes.

    It is then also uploaded from here (the server answers at once if this person's other
    device already sent it), so the file reaches the server even if that device never does.
    """
    waiting = tx.execute(
        "SELECT 1 FROM attachment a JOIN attachment_sync s ON s.sha256 = a.sha256"
        " WHERE a.sha256 = ? AND length(a.data) != a.ukuran AND s.direction = 'down'",
        (sha256,)).fetchone()
    if waiting is None or not data:
        return
    tx.execute("UPDATE attachment SET data = ? WHERE sha256 = ?", (data, sha256))
    tx.execute("DELETE FROM attachment_part WHERE sha256 = ?", (sha256,))
    _upsert(tx, sha256, "up", "pending", size=len(data), done=0)


def _announced(tx: WriteTx, item: dict[str, Any]) -> str | None:
    """The local attachment id for a pulled file's metadata (a placeholder if it is new)."""
    digest, size = item.get("sha256"), item.get("ukuran")
    name, mime = item.get("nama_file"), item.get("mime")
    if not (isinstance(digest, str) and SHA256_HEX.match(digest)
            and isinstance(size, int) and 0 <= size <= MAX_FILE_BYTES
            and isinstance(name, str) and name and isinstance(mime, str) and mime):
        return None
    found = tx.execute("SELECT id FROM attachment WHERE sha256 = ?", (digest,)).fetchone()
    if found is not None:
        return str(found[0])
    attachment_id = uuid7()
    tx.execute(
        "INSERT INTO attachment (id, sha256, nama_file, mime, ukuran, ukuran_asli, data,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, X'', ?)",
        (attachment_id, digest, name[:255], mime[:128], size, size, tx.now_utc))
    empty = size == 0 and digest == hashlib.sha256(b"").hexdigest()
    _upsert(tx, digest, "down", "done" if empty else "pending", size=size, done=0)
    return attachment_id


def apply_remote_bukti(tx: WriteTx, kind: str, entity_id: str, items: list[Any]) -> None:
    """Link the evidence a pull brought for one entity (files are fetched later)."""
    jenis = BUKTI_OWNER.get(kind)
    if jenis is None:
        return
    for item in items:
        if not isinstance(item, dict):
            continue
        link = item.get("tautan")
        attachment_id = None
        if item.get("sha256") is not None:
            attachment_id = _announced(tx, item)
            if attachment_id is None:
                continue
            found = tx.execute("SELECT 1 FROM bukti WHERE pemilik_jenis = ? AND pemilik_id = ?"
                               " AND attachment_id = ?", (jenis, entity_id, attachment_id))
        elif isinstance(link, str) and link:
            found = tx.execute("SELECT 1 FROM bukti WHERE pemilik_jenis = ? AND pemilik_id = ?"
                               " AND attachment_id IS NULL AND tautan = ?",
                               (jenis, entity_id, link))
        else:
            continue
        if found.fetchone() is None:
            tx.execute("INSERT INTO bukti (id, pemilik_jenis, pemilik_id, attachment_id, tautan,"
                       " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (uuid7(), jenis, entity_id, attachment_id,
                        link if isinstance(link, str) and link else None, tx.now_utc))
            tx.changes.add("bukti", entity_id)


def status(conn: Any) -> dict[str, int]:
    """Counts for `sync status`: files waiting to go up or come down, and files given up."""
    failed = conn.execute("SELECT count(*) FROM attachment_sync WHERE state = 'failed'"
                          ).fetchone()[0]
    return {"upload_pending": len(uploads_due(conn)),
            "download_pending": len(downloads_due(conn)), "failed": int(failed)}
