"""Evidence files announced by pulls: placeholders, resumable pieces, hash checks (real store)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from asndesk.errors import NotFound
from asndesk.evidence import MAX_FILE_BYTES
from asndesk.store import attachment_repo, attachment_sync_repo, export_repo
from asndesk.store.attachment_sync_repo import MAX_ATTEMPTS
from asndesk.store.ids import uuid7
from asndesk.workspace import Workspace

LOG_ID = uuid7()


def _item(data: bytes, **extra: Any) -> dict[str, Any]:
    return {"attachment_id": uuid7(), "sha256": hashlib.sha256(data).hexdigest(),
            "nama_file": "foto.jpg", "mime": "image/jpeg", "ukuran": len(data), **extra}


def _pull(ws: Workspace, bukti: list[Any], seq: int = 1) -> None:
    data = {"id": LOG_ID, "tanggal": "2026-11-20", "jam_mulai": "08:00",
            "jam_selesai": "10:00", "kegiatan": "Merekam KTP-el", "bukti": bukti}
    ws.apply_pull_page("own", [{"server_seq": seq, "entity_kind": "log_harian",
                                "entity_id": LOG_ID, "version": seq, "data": data}],
                       {"epoch": "e1", "seq": seq})


def _write(ws: Workspace) -> Any:
    return ws.store.write(ws.owner_nip)


def test_a_pull_announces_files_and_links_without_duplicates(workspace: Workspace) -> None:
    data = os.urandom(5000)
    bad = [{"sha256": "bukan-hash", "ukuran": 1, "nama_file": "x", "mime": "x"},
           _item(b"x", ukuran=MAX_FILE_BYTES + 1), "bukan objek", {"tautan": ""}]
    _pull(workspace, [_item(data), {"tautan": "https://drive.example/bukti"}, *bad])
    _pull(workspace, [_item(data), {"tautan": "https://drive.example/bukti"}], seq=2)
    evidence = workspace.evidence("log_harian", LOG_ID)
    assert sorted((e["nama_file"] or "", e["tautan"] or "") for e in evidence) == [
        ("", "https://drive.example/bukti"), ("foto.jpg", "")]
    [task] = attachment_sync_repo.downloads_due(workspace.store.conn)
    assert (task.size, task.done_bytes) == (len(data), 0)
    file_id = next(e["attachment_id"] for e in evidence if e["attachment_id"])
    with pytest.raises(NotFound):  # announced, not here yet: never read as an empty file
        attachment_repo.data_of(workspace.store.conn, file_id)
    assert [name for _, name, _ in export_repo.attachment_blobs(workspace.store.conn)] == []
    assert attachment_sync_repo.status(workspace.store.conn) == {
        "upload_pending": 0, "download_pending": 1, "failed": 0}


def test_pieces_become_the_file_once_the_hash_matches(workspace: Workspace) -> None:
    data = os.urandom(10_000)
    _pull(workspace, [_item(data)])
    [task] = attachment_sync_repo.downloads_due(workspace.store.conn)
    with _write(workspace) as tx:
        attachment_sync_repo.save_part(tx, task.sha256, 0, data[:4000])
    [resumed] = attachment_sync_repo.downloads_due(workspace.store.conn)
    assert resumed.done_bytes == 4000  # a later sync asks only for the rest
    with _write(workspace) as tx:
        attachment_sync_repo.save_part(tx, task.sha256, 4000, data[4000:])
        assert attachment_sync_repo.finish_download(tx, resumed)
    assert attachment_repo.data_of(workspace.store.conn, task.attachment_id) == data
    assert attachment_sync_repo.downloads_due(workspace.store.conn) == []
    assert workspace.store.conn.execute("SELECT count(*) FROM attachment_part").fetchone()[0] == 0


def test_wrong_bytes_are_dropped_and_retried_a_few_times(workspace: Workspace) -> None:
    data = os.urandom(3000)
    _pull(workspace, [_item(data)])
    for attempt in range(1, MAX_ATTEMPTS + 1):
        [task] = attachment_sync_repo.downloads_due(workspace.store.conn)
        with _write(workspace) as tx:
            attachment_sync_repo.save_part(tx, task.sha256, 0, os.urandom(3000))
            assert not attachment_sync_repo.finish_download(tx, task)
        due = attachment_sync_repo.downloads_due(workspace.store.conn)
        assert len(due) == (0 if attempt == MAX_ATTEMPTS else 1)
        if due:
            assert due[0].done_bytes == 0  # starts over, the bad pieces are gone
    assert attachment_sync_repo.status(workspace.store.conn)["failed"] == 1


def test_attaching_the_same_file_here_fills_the_placeholder(workspace: Workspace,
                                                            tmp_path: Path) -> None:
    data = os.urandom(2000)
    _pull(workspace, [_item(data)])
    path = tmp_path / "laporan.pdf"
    path.write_bytes(data)
    changes = workspace.add_log("2026-11-21", "08:00", "09:00", "Rapat", bukti=[path])
    assert attachment_sync_repo.downloads_due(workspace.store.conn) == []
    assert attachment_sync_repo.uploads_due(workspace.store.conn) == []  # waits for the ack
    workspace.record_push_results([
        {"seq": op.seq, "op_id": op.op_id, "status": "applied"} for op in changes.ops])
    [task] = attachment_sync_repo.uploads_due(workspace.store.conn)
    assert attachment_repo.data_of(workspace.store.conn, task.attachment_id) == data
