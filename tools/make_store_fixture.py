"""Write `tests/fixtures/store-v<N>.db`: a store at the current schema, for upgrade tests.

Run once when a schema version ships (`python tools/make_store_fixture.py`), commit the file,
and never regenerate an old one: later migrations are tested against it as it was. The raw
key is a fixed test key (`tests/fixtures/store-fixture.key`), never used for real data.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from asndesk.store import migrations  # noqa: E402
from asndesk.store.database import Store  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
KEY = bytes.fromhex((FIXTURES / "store-fixture.key").read_text().strip())


def main() -> None:
    version = migrations.latest_version()
    path = FIXTURES / f"store-v{version}.db"
    if path.exists():
        raise SystemExit(f"{path.name} exists; fixtures of shipped schemas are never rewritten")
    store = Store.open(path, KEY, create=True)
    conn = store.conn
    owner = "198609262015051001"
    with store.write(owner) as tx:
        tx.execute("INSERT INTO meta VALUES ('owner_nip', ?)", (owner,))
        tx.execute(
            "INSERT INTO person (id, nip, jenis_asn, nama, updated_at)"
            " VALUES ('p1', ?, 'PNS', 'Siti Aminah', '2026-01-02T00:00:00Z')", (owner,))
        tx.execute(
            "INSERT INTO skp (id, pegawai_nip, tahun, jenis_jabatan, pendekatan, status,"
            " created_at, updated_at) VALUES ('s1', ?, 2026, 'pelaksana', 'kuantitatif',"
            " 'Draft', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z')", (owner,))
        tx.execute(
            "INSERT INTO rhk (id, skp_id, jenis, urutan, teks, rhk_atasan, updated_at)"
            " VALUES ('r1', 's1', 'utama', 1, 'Terlaksananya perekaman KTP-el',"
            " 'Meningkatnya layanan', '2026-01-02T00:00:00Z')")
        tx.execute(
            "INSERT INTO iki (id, rhk_id, urutan, aspek, indikator, target_nilai, target_satuan,"
            " updated_at) VALUES ('i1', 'r1', 1, 'Kuantitas', 'KTP-el terekam', '1200', 'Keping',"
            " '2026-01-02T00:00:00Z')")
        tx.execute(
            "INSERT INTO log_harian (id, tanggal, jam_mulai, jam_selesai, kegiatan, rhk_id,"
            " created_at, updated_at) VALUES ('l1', '2026-01-05', '08:00', '11:30',"
            " 'Merekam KTP-el warga desa', 'r1', '2026-01-05T04:00:00Z', '2026-01-05T04:00:00Z')")
        tx.op("create", "log_harian", "l1", {"kegiatan": "Merekam KTP-el warga desa"})
    store.close()
    del conn
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
