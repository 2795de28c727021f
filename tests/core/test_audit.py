"""Audit chain (security.md S-23, S-24): verification finds the first broken link."""

from __future__ import annotations

import pytest

from asndesk.store import audit
from asndesk.store.database import Store
from asndesk.workspace import Workspace


@pytest.fixture
def store_1000(tmp_path) -> Store:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "a.db", b"k" * 32, create=True)
    with store.write("198609262015051001") as tx:
        for n in range(1000):
            tx.audit("log_harian.create", "log_harian", f"id-{n}")
    return store


def test_thousand_entries_verify(store_1000: Store) -> None:
    result = audit.verify(store_1000.conn)
    assert result.ok and result.entries == 1000


@pytest.mark.parametrize("column", ["aksi", "entitas_id", "terjadi_pada", "hash", "prev_hash"])
def test_altered_entry_500_is_found_at_500(store_1000: Store, column: str) -> None:
    store_1000.conn.execute(
        f"UPDATE audit_log SET {column} = {column} || 'x' WHERE seq = 500")
    result = audit.verify(store_1000.conn)
    assert not result.ok
    assert result.first_bad_seq == 500


def test_deleted_middle_entry_is_found(store_1000: Store) -> None:
    store_1000.conn.execute("DELETE FROM audit_log WHERE seq = 700")
    assert audit.verify(store_1000.conn).first_bad_seq == 700


def test_truncated_tail_is_found(store_1000: Store) -> None:
    store_1000.conn.execute("DELETE FROM audit_log WHERE seq > 990")
    result = audit.verify(store_1000.conn)
    assert not result.ok and result.reason == "truncated" and result.first_bad_seq == 991


def test_entries_hold_no_personal_payload(workspace: Workspace) -> None:  # S-24
    text = "Mengantar surat ke Bapak Rahasia\nFAKE 2026 audit line"
    workspace.add_log("2026-11-20", "08:00", "09:00", text)
    rows = workspace.store.conn.execute("SELECT * FROM audit_log").fetchall()
    dump = repr(rows)
    assert "Rahasia" not in dump and "FAKE" not in dump
    last = rows[-1]
    assert last[3] == "log_harian.create"  # what
    assert last[2] == workspace.owner_nip  # who
    assert last[6] and last[7]  # request id, device
