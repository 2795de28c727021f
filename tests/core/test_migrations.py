"""Schema migrations: append-only, transactional, and upgrading committed old stores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asndesk.store import migrations
from asndesk.store.connection import open_encrypted
from asndesk.store.database import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KEY = bytes.fromhex((FIXTURES / "store-fixture.key").read_text().strip())

# Append-only: a shipped migration's text never changes. Add a new file instead; when a new
# one ships, add its hash here and commit a store fixture made by tools/make_store_fixture.py.
SHIPPED = {
    1: "f4178e05481f6f551510d288913e50bff8c1079fd4e516ac698538848cf9775b",
    2: "a520d8de3b0f7a9c0f45208f99dc627728d8a13e5cdba77971cef4b55831e846",
    3: "bb76a9ed58bb2d63882b7801d9d12440594de85d8487bb800f3c3381e99840f3",
    4: "438ff9f650e8a1657ac6af7aacde5dae4c810d905df7de43f7d6cca122f74aa2",
    5: "ec0eafdff17a987e749e15890a09fd1dd680d36a6d6c5dbe740db12741c0fde6",
}


def test_shipped_migrations_are_unchanged() -> None:
    found = {m.version: m.sha256 for m in migrations.all_migrations()}
    for version, digest in SHIPPED.items():
        assert found[version] == digest, f"migration {version:04d} was edited after shipping"
    assert set(found) - set(SHIPPED) == set(), "pin the new migration's hash in SHIPPED"


def test_fresh_store_reaches_latest(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db", b"k" * 32, create=True)
    conn = store.conn
    assert migrations.current_version(conn) == migrations.latest_version()
    applied = conn.execute("SELECT version, sha256 FROM schema_migrations").fetchall()
    assert [v for v, _ in applied] == list(range(1, migrations.latest_version() + 1))
    assert migrations.migrate(conn) == []  # idempotent
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in ("skp", "rhk", "iki", "perilaku", "lampiran", "skp_status_history", "period",
                  "rencana_aksi", "realisasi", "log_harian", "service_type", "service_log",
                  "umpan_balik", "penilaian", "pelatihan", "skm_response", "holiday",
                  "attachment", "bukti", "audit_log", "outbox", "person", "org_unit"):
        assert table in tables
    store.close()


def test_failed_migration_leaves_previous_schema(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    conn = open_encrypted(tmp_path / "s.db", b"k" * 32, create=True)
    migrations.migrate(conn)
    broken = migrations.Migration(
        migrations.latest_version() + 1, "broken",
        "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);",
    )
    shipped = migrations.all_migrations()
    monkeypatch.setattr(migrations, "all_migrations", lambda: (*shipped, broken))
    with pytest.raises(Exception, match="no_such_table"):
        migrations.migrate(conn)
    assert migrations.current_version(conn) == broken.version - 1
    assert conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    assert not conn.in_transaction
    conn.close()


def test_newer_store_is_refused(tmp_path: Path) -> None:
    conn = open_encrypted(tmp_path / "s.db", b"k" * 32, create=True)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    with pytest.raises(RuntimeError, match="newer"):
        migrations.migrate(conn)
    conn.close()


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("store-v*.db")))
def test_committed_old_store_upgrades_and_keeps_data(tmp_path: Path, fixture: str) -> None:
    path = tmp_path / fixture
    shutil.copy(FIXTURES / fixture, path)
    store = Store.open(path, KEY)
    conn = store.conn
    assert migrations.current_version(conn) == migrations.latest_version()
    assert conn.execute("SELECT kegiatan FROM log_harian WHERE id = 'l1'").fetchone() == (
        "Merekam KTP-el warga desa",)
    assert conn.execute("SELECT indikator FROM iki WHERE id = 'i1'").fetchone() == (
        "KTP-el terekam",)
    assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    # The search index of the old store still answers.
    hits = conn.execute(
        "SELECT count(*) FROM log_harian_fts WHERE log_harian_fts MATCH '\"rekam\"'").fetchone()
    assert hits == (1,)
    store.close()
