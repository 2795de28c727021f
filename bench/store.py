"""Store benchmark: bulk load, unlock, first page, search and month aggregate, encrypted vs plain.

Run from the repository root (prints figures; it is not a test):

    .venv/bin/python bench/store.py [--scale 0.1] [--json] [--reps 9] [--plans] [--memsec-off]

Everything happens in a temporary ASNDESK_HOME, deleted at the end: the user's data is never
touched. One run builds a profile with 100,000 service logs and 50,000 log harian (x scale)
through the real store (`Workspace.create_profile`, policy-floor KDF for setup speed), loads the
same rows into a plain stdlib-sqlite3 copy, and times the reads each screen needs on both.

Plain baseline: stdlib sqlite3 with the same migration SQL and pragmas. It must be a separate
library: SQLCipher's `cipher_memory_security` is process-wide and cannot be switched off once
on, so an unkeyed sqlcipher3 connection in this process would pay it too. Here stdlib is
SQLite 3.40, whose trigram tokenizer lacks `remove_diacritics` (3.45+); that option is dropped
from the plain FTS table (the generated texts have no diacritics, so matches are identical).

Method: reads run after one warm-up; each figure is the median of --reps (>= 7) runs,
encrypted and plain interleaved so drift hits both. "Cold" opens a new connection for every
run and closes it after (the OS page cache stays warm). Targets come from the brief and are
never tuned here. `--memsec-off` is a what-if, not the shipping configuration: it turns the
store's `PRAGMA cipher_memory_security = ON` into OFF for this process only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlcipher3

from asndesk.store import connection, keys, migrations
from asndesk.store.activity_repo import fts_query
from asndesk.store.database import Store
from asndesk.store.ids import uuid7
from asndesk.store.profiles import ProfileManager, UnlockedKey
from asndesk.workspace import Workspace

NIP, NIP_FLOOR, NIP_CAL = "198609262015051001", "199001012020122002", "198805142014032003"
PASSWORD = "kata sandi bench yang panjang"
WIB = timezone(timedelta(hours=7))
END = date(2026, 11, 20)  # data runs for two years up to this Friday
CHUNK = 10_000  # rows per bulk transaction
PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON",
           "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536", "PRAGMA busy_timeout = 5000")
TARGET_RATIO = 1.2

TYPES = [("KTP", "Perekaman dan pencetakan KTP-el", 1), ("KK", "Penerbitan Kartu Keluarga", 1),
         ("AKL", "Akta Kelahiran", 3), ("AKM", "Akta Kematian", 3), ("AKW", "Akta Perkawinan", 5),
         ("PDH", "Surat Keterangan Pindah", 2), ("KIA", "Kartu Identitas Anak", 2),
         ("LGS", "Legalisir dokumen kependudukan", 1), ("UBD", "Perubahan biodata penduduk", 5),
         ("SKT", "Surat keterangan tempat tinggal", 7)]
DESA = ["Sukamaju", "Mekarsari", "Sidorejo", "Sukasari", "Margahayu", "Tanjungsari", "Cibodas",
        "Sumberejo", "Kedungwaru", "Banyuurip", "Pagerwojo", "Tegalrejo", "Wonosari", "Karanganyar",
        "Sindangsari", "Jatimulya", "Ngemplak", "Purwodadi", "Cikarang", "Karangwuni"]
RARE = DESA[-1]  # Zipf weights below make the last village rare (~0.1 % of entries)
DOK = ["Kartu Keluarga", "Akta Kelahiran", "Akta Kematian", "KIA", "surat pindah", "KTP-el",
       "biodata penduduk"]
LAP = ["kinerja", "pelayanan", "rekapitulasi perekaman KTP-el", "capaian SKP", "IKM"]
TOPIK = ["pelayanan adminduk", "pemutakhiran data", "SPM kependudukan", "zona integritas",
         "survei kepuasan masyarakat", "inovasi layanan"]
TEMPAT = ["Aula Kantor Bupati", "ruang rapat Dinas", "Kantor Kecamatan", "Bappeda"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember"]
TEMPLATES = [
    "Merekam data KTP-el warga Desa {desa}", "Memverifikasi berkas {dok} warga Desa {desa}",
    "Menyusun laporan {lap} bulan {bulan} {tahun}", "Menginput data {dok} ke aplikasi SIAK",
    "Mencetak {dok} untuk {n} pemohon", "Menghadiri rapat koordinasi {topik} di {tempat}",
    "Melayani konsultasi {topik} bagi warga Desa {desa}", "Mengarsipkan berkas {dok} tahun {tahun}",
    "Menindaklanjuti pengaduan masyarakat terkait {topik}",
    "Menyiapkan bahan paparan {topik} untuk pimpinan",
    "Melaksanakan jemput bola perekaman KTP-el di Desa {desa}",
    "Memperbaiki data ganda {dok} hasil konsolidasi",
]
SEARCHES = [("common word", "data"), ("rare word", RARE.lower()), ("two words", "rekam ktp")]
SVC_COLS = ("id", "service_type_id", "diterima_pada", "diterima_tanggal", "selesai_pada",
            "durasi_hari_kerja", "status", "hasil", "kepuasan", "pengaduan", "pengaduan_selesai",
            "catatan", "version", "created_at", "updated_at")
LOG_COLS = ("id", "tanggal", "jam_mulai", "jam_selesai", "kegiatan", "output_jumlah",
            "output_satuan", "version", "created_at", "updated_at")


class _MemsecOffConnection(sqlcipher3.Connection):  # type: ignore[misc]
    def execute(self, sql: str, *args: Any) -> Any:
        return super().execute(sql.replace("memory_security = ON", "memory_security = OFF"), *args)


class _MemsecOff:
    """Stands in for the sqlcipher3 module inside asndesk.store.connection (--memsec-off)."""

    @staticmethod
    def connect(*args: Any, **kwargs: Any) -> Any:
        return sqlcipher3.connect(*args, factory=_MemsecOffConnection, **kwargs)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def working_days(start: date, end: date) -> list[date]:
    return [start + timedelta(d) for d in range((end - start).days + 1)
            if (start + timedelta(d)).weekday() < 5]


def gen_services(rng: random.Random, n: int, type_ids: dict[str, str]) -> list[tuple[Any, ...]]:
    """Service logs over two years of working days: ~75 % done (with duration), 3 % complaints."""
    days, out = working_days(END - timedelta(730), END), []
    for at in sorted(datetime.combine(rng.choice(days), datetime.min.time(), WIB)
                     + timedelta(minutes=480 + rng.randrange(420)) for _ in range(n)):
        kode, _, std = rng.choice(TYPES)
        roll = rng.random()
        status = ("selesai" if roll < .75 else "diproses" if roll < .88
                  else "diterima" if roll < .96 else "ditolak")
        done = durasi = kepuasan = hasil = None
        if status == "selesai":
            durasi = max(0, round(rng.gauss(std * 0.8, std * 0.6 + 0.5)))
            done = (at + timedelta(days=durasi * 7 // 5, hours=rng.randrange(1, 6))).isoformat(
                timespec="minutes")
            hasil = "Dokumen diterbitkan dan diserahkan kepada pemohon"
            kepuasan = rng.choices([1, 2, 3, 4], [2, 8, 50, 40])[0] if rng.random() < .6 else None
        elif status == "ditolak":
            hasil = "Berkas tidak lengkap, dikembalikan ke pemohon"
        complaint = int(rng.random() < .03)
        catatan = rng.choice(["Pemohon lansia, dilayani prioritas", "Kurang fotokopi KK"]) if (
            rng.random() < .1) else None
        stamp = at.astimezone(UTC).isoformat(timespec="milliseconds")
        out.append((uuid7(int(at.timestamp() * 1000)), type_ids[kode],
                    at.isoformat(timespec="minutes"), at.date().isoformat(), done, durasi, status,
                    hasil, kepuasan, complaint, complaint * int(rng.random() < .7), catatan, 1,
                    stamp, stamp))
    return out


def gen_logs(rng: random.Random, n: int) -> list[tuple[Any, ...]]:
    """Log harian texts built from word lists; 15-minute slots between 07:30 and 16:30."""
    days, out = working_days(END - timedelta(730), END), []
    weights = [1 / (i + 1) ** 1.5 for i in range(len(DESA))]
    for _ in range(n):
        day, slot = rng.choice(days), rng.randrange(30, 62)
        end_slot = min(slot + rng.randrange(2, 9), 66)
        text = rng.choice(TEMPLATES).format(
            desa=rng.choices(DESA, weights)[0], dok=rng.choice(DOK), lap=rng.choice(LAP),
            topik=rng.choice(TOPIK), tempat=rng.choice(TEMPAT), bulan=rng.choice(BULAN),
            tahun=day.year, n=rng.randrange(2, 40))
        amount = (str(rng.randrange(1, 20)), rng.choice(["Dokumen", "Berkas", "Laporan"])) if (
            rng.random() < .6) else (None, None)
        at = datetime.combine(day, datetime.min.time(), WIB) + timedelta(minutes=15 * slot)
        stamp = at.astimezone(UTC).isoformat(timespec="milliseconds")
        out.append((uuid7(int(at.timestamp() * 1000)), day.isoformat(), f"{at:%H:%M}",
                    f"{at + timedelta(minutes=15 * (end_slot - slot)):%H:%M}", text, *amount, 1,
                    stamp, stamp))
    return sorted(out, key=lambda r: (r[1], r[2]))


def bulk_insert(conn: Any, table: str, cols: tuple[str, ...], data: list[tuple[Any, ...]]
                ) -> float:
    """executemany into the real table (FTS triggers fire), CHUNK rows per transaction."""
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    start = time.perf_counter()
    for i in range(0, len(data), CHUNK):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, data[i:i + CHUNK])
        conn.execute("COMMIT")
    return time.perf_counter() - start


def open_plain(path: Path) -> Any:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def create_plain(path: Path) -> Any:
    """The same migration SQL on an unencrypted stdlib-sqlite3 file (see the module doc)."""
    conn = open_plain(path)
    for m in migrations.all_migrations():
        sql = m.sql.replace(" remove_diacritics 1", "")
        conn.executescript(f"BEGIN;\n{sql}\n;PRAGMA user_version = {m.version};\nCOMMIT;")
    return conn


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired(enc: Callable[[], Any], plain: Callable[[], Any], reps: int) -> tuple[float, float]:
    """Median ms of each after one warm-up, interleaving the two."""
    enc(), plain()
    e, p = [], []
    for _ in range(reps):
        e.append(timed(enc))
        p.append(timed(plain))
    return statistics.median(e) * 1000, statistics.median(p) * 1000


def machine() -> dict[str, Any]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    conn = sqlcipher3.connect(":memory:")
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "sqlcipher": conn.execute(
                "PRAGMA cipher_version").fetchone()[0],
            "sqlite_in_sqlcipher3": conn.execute("SELECT sqlite_version()").fetchone()[0],
            "sqlite_stdlib": sqlite3.sqlite_version}


def run(args: argparse.Namespace, home: Path) -> dict[str, Any]:
    figures: list[dict[str, Any]] = []

    def add(name: str, path: str, enc: float, plain: float | None = None, unit: str = "ms",
            target: float | None = None, ratio_target: float | None = None) -> None:
        ratio = None if plain is None else (plain / enc if unit == "rows/s" else enc / plain)
        checks = ([enc < target] if target else []) + (
            [ratio <= ratio_target] if ratio_target and ratio else [])
        figures.append({"name": name, "path": path, "encrypted": enc, "plain": plain,
                        "unit": unit, "ratio": ratio, "target_ms": target,
                        "target_ratio": ratio_target,
                        "result": ("PASS" if all(checks) else "MISS") if checks else "info"})

    rng = random.Random(20261123)
    n_svc, n_log = int(100_000 * args.scale), int(50_000 * args.scale)
    floor_mgr = ProfileManager(home, kdf_policy=keys.KdfParams.floor)
    ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=floor_mgr)
    for kode, nama, std in TYPES:
        ws.add_service_type(kode, nama, std)
    type_ids = {t["kode"]: t["id"] for t in ws.service_types()}
    log(f"generating {n_svc:,} service logs and {n_log:,} log harian ...")
    services, logs = gen_services(rng, n_svc, type_ids), gen_logs(rng, n_log)
    plain_path = home / "plain.db"
    plain = create_plain(plain_path)
    plain.executemany("INSERT INTO service_type VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      ws.store.conn.execute("SELECT * FROM service_type").fetchall())
    log("bulk insert (encrypted, then plain) ...")
    for table, cols, data in (("service_log", SVC_COLS, services),
                              ("log_harian", LOG_COLS, logs)):
        enc_s = bulk_insert(ws.store.conn, table, cols, data)
        plain_s = bulk_insert(plain, table, cols, data)
        add(f"bulk insert {table}{' + FTS' if table == 'log_harian' else ''} ({len(data):,})",
            f"executemany, {CHUNK:,} rows/tx", len(data) / enc_s, len(data) / plain_s, "rows/s")
    for conn in (ws.store.conn, plain):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain_ws = Workspace(Store(plain), UnlockedKey(ws.profile, bytearray(32)), floor_mgr)
    dek = bytes(ws._key.dek) if ws._key else b""

    def cold_enc(query: Callable[[Workspace], Any]) -> Callable[[], Any]:
        def go() -> None:
            cold = Workspace(Store.open(ws.db_path, dek), ws._key, floor_mgr)
            query(cold)
            cold.store.close()
        return go

    def cold_plain(query: Callable[[Workspace], Any]) -> Callable[[], Any]:
        def go() -> None:
            conn = open_plain(plain_path)
            migrations.migrate(conn)
            cold = Workspace(Store(conn), plain_ws._key, floor_mgr)
            query(cold)
            cold.store.close()
        return go

    reads: list[tuple[str, Callable[[Workspace], Any], float, bool]] = [
        ("first page (50)", lambda w: w.logs(limit=50), 50, True)]
    for label, q in SEARCHES:
        hits = ws.store.conn.execute(
            "SELECT count(*) FROM log_harian_fts WHERE log_harian_fts MATCH ?",
            (fts_query(q.split()),)).fetchone()[0]
        reads.append((f'search {label} "{q}" ({hits:,} hits)',
                      lambda w, q=q: w.logs(cari=q), 50, False))
    reads.append(("month aggregate 2026-03", lambda w: w.service_month_summary(2026, 3), 100,
                   False))
    log("reads ...")
    assert len(ws.logs(limit=50)) == len(plain_ws.logs(limit=50)) == 50
    for name, query, target, cold_target in reads:
        e, p = paired(cold_enc(query), cold_plain(query), args.reps)
        add(f"{name}, cold", "open + query + close", e, p, target=target if cold_target else None,
            ratio_target=TARGET_RATIO if cold_target else None)
        e, p = paired(lambda q=query: q(ws), lambda q=query: q(plain_ws), args.reps)
        add(f"{name}, warm", "long-lived connection", e, p,
            target=None if cold_target else target,
            ratio_target=None if cold_target else TARGET_RATIO)
        if args.plans:
            show_plans(query, ws)
    def unlock_and_page() -> None:
        unlocked = Workspace.open(NIP, PASSWORD, manager=floor_mgr)
        assert len(unlocked.logs(limit=50)) == 50
        unlocked.lock()

    add("unlock + first page (floor KDF)", "Workspace.open + ws.logs + lock",
        statistics.median(timed(unlock_and_page) for _ in range(5)) * 1000)

    n_uc = max(200, int(2_000 * args.scale))
    log(f"use case: {n_uc:,} x add_log on each ...")
    rates = {}
    days = working_days(date(2023, 1, 2), date(2024, 10, 31))  # ~5 entries a day, no overlap
    for label, target_ws in (("encrypted", ws), ("plain", plain_ws)):
        start = time.perf_counter()
        for i in range(n_uc):
            target_ws.add_log(days[i // 5].isoformat(), f"{8 + i % 5:02d}:00",
                              f"{8 + i % 5:02d}:45", f"Mengentri data usulan kenaikan pangkat {i}",
                              output_jumlah="1", output_satuan="Berkas")
        rates[label] = n_uc / (time.perf_counter() - start)
    add(f"add_log use case ({n_uc:,} rows, 1 tx each)", "validation + row + outbox + audit",
        rates["encrypted"], rates["plain"], "rows/s")
    memsec = ws.store.conn.execute("PRAGMA cipher_memory_security").fetchone()[0]
    ws.lock()
    plain_ws.store.close()
    figures += unlock_figures(home)
    sizes = {"encrypted_mb": round(ws.db_path.stat().st_size / 2**20, 1),
             "plain_mb": round(plain_path.stat().st_size / 2**20, 1)}
    headers = {"encrypted": ws.db_path.read_bytes()[:16], "plain": plain_path.read_bytes()[:16]}
    assert headers["plain"] == b"SQLite format 3\0" != headers["encrypted"], headers
    return {"machine": machine(), "scale": args.scale, "reps": args.reps,
            "memory_security": memsec, "rows": {"service_log": n_svc, "log_harian": n_log},
            "sizes": sizes, "figures": figures}


def unlock_figures(home: Path) -> list[dict[str, Any]]:
    """Workspace.open (Argon2id unwrap + Store.open) on small profiles: floor and calibrated."""
    found = []
    for nip, label, policy in ((NIP_FLOOR, "floor", keys.KdfParams.floor),
                               (NIP_CAL, "calibrated", keys.calibrate)):
        mgr = ProfileManager(home, kdf_policy=policy)
        Workspace.create_profile(nip, "Budi Santoso", PASSWORD, manager=mgr)[0].lock()
        kdf = json.loads((mgr.get(nip).folder / "keys.json").read_text())["kdf"]
        samples = [timed(lambda n=nip, m=mgr: Workspace.open(n, PASSWORD, manager=m).lock())
                   for _ in range(5)]
        found.append({"name": f"unlock, {label} KDF ({kdf['memory_kib'] // 1024} MiB, "
                      f"t={kdf['iterations']})", "path": "Workspace.open + lock",
                      "encrypted": statistics.median(samples) * 1000, "plain": None,
                      "unit": "ms", "ratio": None, "target_ms": None, "target_ratio": None,
                      "result": "info"})
    return found


def show_plans(query: Callable[[Workspace], Any], ws: Workspace) -> None:
    """Capture the SQL a read runs and print SQLite's plan for it (stderr)."""
    seen: list[tuple[str, Any]] = []

    class Spy:
        def execute(self, sql: str, params: Any = ()) -> Any:
            seen.append((sql, params))
            return conn.execute(sql, params)

    conn, ws.store._conn = ws.store.conn, Spy()
    try:
        query(ws)
    finally:
        ws.store._conn = conn
    for sql, params in seen:
        log(f"  {sql}\n" + "\n".join(f"    {r[-1]}" for r in conn.execute(
            "EXPLAIN QUERY PLAN " + sql, params)))


def report(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"asndesk store bench — scale {result['scale']}, {result['rows']}, "
          f"median of {result['reps']}, cipher_memory_security {result['memory_security']}")
    print(f"{m['nproc']} x {m['cpu']}, Python {m['python']}, SQLCipher {m['sqlcipher']} "
          f"(SQLite {m['sqlite_in_sqlcipher3']}), stdlib SQLite {m['sqlite_stdlib']}, "
          f"files {result['sizes']}")
    print(f"{'figure':58} {'path':36} {'encrypted':>11} {'plain':>11} {'enc/pl':>6} "
          f"{'target':>14} result")
    for f in result["figures"]:
        fmt = "{:>11,.0f}" if f["unit"] == "rows/s" else "{:>8.1f} ms"
        target = " ".join(x for x in (f"<{f['target_ms']:.0f} ms" if f["target_ms"] else "",
                                      f"≤{f['target_ratio']}x" if f["target_ratio"] else "") if x)
        print(f"{f['name']:58} {f['path']:36} {fmt.format(f['encrypted'])} "
              f"{fmt.format(f['plain']) if f['plain'] is not None else '':>11} "
              f"{f['ratio'] or 0:>5.2f}x {target:>14} {f['result']}"
              .replace(" 0.00x", "      "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=1.0, help="data volume (1.0 = 150k rows)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--reps", type=int, default=9, help="repetitions per read (>= 7)")
    parser.add_argument("--memsec-off", action="store_true",
                        help="what-if: run the store with cipher_memory_security OFF")
    parser.add_argument("--plans", action="store_true", help="EXPLAIN QUERY PLAN per read")
    args = parser.parse_args()
    args.reps = max(7, args.reps)
    if args.memsec_off:
        connection.sqlcipher3 = _MemsecOff  # only this process; no file changes
    with tempfile.TemporaryDirectory(prefix="asndesk-bench-") as tmp:
        os.environ["ASNDESK_HOME"] = tmp  # belt and braces: managers get `home` explicitly
        start = time.perf_counter()
        result = run(args, Path(tmp))
        result["total_s"] = round(time.perf_counter() - start, 1)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        report(result)
        print(f"total {result['total_s']} s")


if __name__ == "__main__":
    main()
