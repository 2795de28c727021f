"""Store benchmark: bulk load, unlock, first page, search, month aggregate; encrypted vs plain.

    .venv/bin/python bench/store.py [--scale 0.1] [--json] [--reps 9] [--plans]

Prints figures (not a test), all in a temporary ASNDESK_HOME deleted at the end. A profile gets
100,000 service logs + 50,000 log harian (x scale) through the real store (floor KDF for setup);
the same rows go into a plain stdlib-sqlite3 copy built from the same migration SQL and pragmas.
The baseline is a separate SQLite library (stdlib sqlite3), so that no SQLCipher setting of the
process can touch it. stdlib here is SQLite 3.40, whose trigram tokenizer lacks
`remove_diacritics` (3.45+), so that option is dropped there (the texts have no diacritics).
Reads: one warm-up, then the median of --reps (>= 7) runs, encrypted and plain interleaved;
"cold" opens a new connection per run (the OS page cache stays warm). Targets are the product's,
never tuned here.
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
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlcipher3

from asndesk.store import keys, migrations
from asndesk.store.activity_repo import fts_query
from asndesk.store.database import Store
from asndesk.store.ids import uuid7
from asndesk.store.profiles import ProfileManager, UnlockedKey
from asndesk.workspace import Workspace

NIP = "198609262015051001"
PASSWORD = "kata sandi bench yang panjang"
WIB = timezone(timedelta(hours=7))
END = date(2026, 11, 20)  # data runs for two years up to this Friday
CHUNK = 10_000  # rows per bulk transaction
PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON",
           "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536", "PRAGMA busy_timeout = 5000")
TARGET_RATIO = 1.2

TYPES = [("KTP", "Perekaman KTP-el", 1), ("KK", "Kartu Keluarga", 1), ("AKL", "Akta Kelahiran", 3),
         ("AKM", "Akta Kematian", 3), ("AKW", "Akta Perkawinan", 5), ("PDH", "Surat Pindah", 2),
         ("KIA", "Kartu Identitas Anak", 2), ("LGS", "Legalisir dokumen", 1),
         ("UBD", "Perubahan biodata", 5), ("SKT", "Surat keterangan tempat tinggal", 7)]
# Villages get Zipf weights: the last one is rare (~0.1 % of entries), the first very common.
DESA = ["Sukamaju", "Mekarsari", "Sidorejo", "Sukasari", "Margahayu", "Tanjungsari", "Cibodas",
        "Sumberejo", "Kedungwaru", "Banyuurip", "Pagerwojo", "Tegalrejo", "Wonosari", "Karanganyar",
        "Sindangsari", "Jatimulya", "Ngemplak", "Purwodadi", "Cikarang", "Karangwuni"]
DOK = ["Kartu Keluarga", "Akta Kelahiran", "Akta Kematian", "KIA", "surat pindah", "KTP-el"]
LAP = ["kinerja", "pelayanan", "rekapitulasi perekaman KTP-el", "capaian SKP", "IKM"]
TOPIK = ["pelayanan adminduk", "pemutakhiran data", "SPM kependudukan", "zona integritas",
         "survei kepuasan masyarakat", "inovasi layanan"]
TEMPAT = ["Aula Kantor Bupati", "ruang rapat Dinas", "Kantor Kecamatan", "Bappeda"]
BULAN = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
BULAN = BULAN.split()
TEMPLATES = [
    "Merekam data KTP-el warga Desa {desa}", "Memverifikasi berkas {dok} warga Desa {desa}",
    "Menyusun laporan {lap} bulan {bulan} {tahun}", "Menginput data {dok} ke aplikasi SIAK",
    "Mencetak {dok} untuk {n} pemohon", "Menghadiri rapat koordinasi {topik} di {tempat}",
    "Melayani konsultasi {topik} bagi warga Desa {desa}", "Mengarsipkan berkas {dok} tahun {tahun}",
    "Menindaklanjuti pengaduan masyarakat terkait {topik}", "Memperbaiki data ganda {dok}",
    "Menyiapkan bahan paparan {topik} untuk pimpinan", "Jemput bola perekaman KTP-el di {desa}"]
SEARCHES = [("common word", "data"), ("rare word", DESA[-1].lower()), ("two words", "rekam ktp")]
SVC_COLS = tuple("id service_type_id diterima_pada diterima_tanggal selesai_pada durasi_hari_kerja"
                 " status hasil kepuasan pengaduan pengaduan_selesai catatan version created_at"
                 " updated_at".split())
LOG_COLS = tuple("id tanggal jam_mulai jam_selesai kegiatan output_jumlah output_satuan version"
                 " created_at updated_at".split())
DAYS = [d for d in (END - timedelta(n) for n in range(730, -1, -1)) if d.weekday() < 5]
log = partial(print, file=sys.stderr, flush=True)


def gen_services(rng: random.Random, n: int, type_ids: dict[str, str]) -> list[tuple[Any, ...]]:
    """Service logs over two years of working days: ~75 % done (with duration), 3 % complaints."""
    out = []
    for at in sorted(datetime.combine(rng.choice(DAYS), datetime.min.time(), WIB)
                     + timedelta(minutes=480 + rng.randrange(420)) for _ in range(n)):
        kode, _, std = rng.choice(TYPES)
        status = rng.choices(["selesai", "diproses", "diterima", "ditolak"], [75, 13, 8, 4])[0]
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
        catatan = rng.choice(["Pemohon lansia", "Berkas kurang"]) if rng.random() < .1 else None
        stamp = at.astimezone(UTC).isoformat(timespec="milliseconds")
        out.append((uuid7(int(at.timestamp() * 1000)), type_ids[kode],
                    at.isoformat(timespec="minutes"), at.date().isoformat(), done, durasi, status,
                    hasil, kepuasan, complaint, complaint * int(rng.random() < .7), catatan, 1,
                    stamp, stamp))
    return out


def gen_logs(rng: random.Random, n: int) -> list[tuple[Any, ...]]:
    """Log harian texts built from word lists; 15-minute slots between 07:30 and 16:30."""
    out = []
    weights = [1 / (i + 1) ** 1.5 for i in range(len(DESA))]
    for _ in range(n):
        day, slot = rng.choice(DAYS), rng.randrange(30, 62)
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


def bulk_insert(conn: Any, table: str, cols: tuple[str, ...], data: list[Any]) -> float:
    """executemany into the real table (FTS triggers fire), CHUNK rows per transaction."""
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    start = time.perf_counter()
    for i in range(0, len(data), CHUNK):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, data[i:i + CHUNK])
        conn.execute("COMMIT")
    return time.perf_counter() - start


def open_plain(path: Path, create: bool = False) -> Any:
    """stdlib sqlite3 with the store's pragmas; `create` applies the same migration SQL."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    for m in migrations.all_migrations() if create else ():
        sql = m.sql.replace(" remove_diacritics 1", "")  # see the module doc
        conn.executescript(f"BEGIN;\n{sql}\n;PRAGMA user_version = {m.version};\nCOMMIT;")
    return conn


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired(enc: Callable[[], Any], plain: Callable[[], Any], reps: int) -> tuple[float, float]:
    """Median ms of each after one warm-up, interleaving the two."""
    enc(), plain()
    pairs = [(timed(enc), timed(plain)) for _ in range(reps)]
    return tuple(statistics.median(x) * 1000 for x in zip(*pairs, strict=True))  # type: ignore


def machine() -> dict[str, Any]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    one = sqlcipher3.connect(":memory:").execute
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "sqlcipher": one("PRAGMA cipher_version").fetchone()[0],
            "sqlite_in_sqlcipher3": one("SELECT sqlite_version()").fetchone()[0],
            "sqlite_stdlib": sqlite3.sqlite_version}


def run(args: argparse.Namespace, home: Path) -> dict[str, Any]:
    figures: list[dict[str, Any]] = []

    def add(name: str, path: str, enc: float, plain: float | None = None,
            target: float | None = None, ratio_target: float | None = None, unit: str = "ms"
            ) -> None:
        ratio = None if plain is None else (plain / enc if unit == "rows/s" else enc / plain)
        checks = ([enc < target] if target else []) + (
            [ratio <= ratio_target] if ratio_target and ratio else [])  # time, then ratio
        figures.append({"name": name, "path": path, "encrypted": enc, "plain": plain,
                        "unit": unit, "ratio": ratio, "target_ms": target,
                        "target_ratio": ratio_target,
                        "result": " ".join("PASS" if ok else "MISS" for ok in checks) or "info"})

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
    plain = open_plain(plain_path, create=True)
    plain.executemany("INSERT INTO service_type VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      ws.store.conn.execute("SELECT * FROM service_type").fetchall())
    log("bulk insert (encrypted, then plain) ...")
    for table, cols, data in (("service_log", SVC_COLS, services),
                              ("log_harian", LOG_COLS, logs)):
        enc_s = bulk_insert(ws.store.conn, table, cols, data)
        plain_s = bulk_insert(plain, table, cols, data)
        add(f"bulk insert {table}{' + FTS' if table == 'log_harian' else ''} ({len(data):,})",
            f"Store.conn executemany, {CHUNK:,}/tx", len(data) / enc_s, len(data) / plain_s,
            unit="rows/s")
    ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain_ws = Workspace(Store.adopt(plain), UnlockedKey(ws.profile, bytearray(32)), floor_mgr)
    open_enc = partial(Store.open, ws.db_path, bytes(ws._key.dek) if ws._key else b"")

    def plain_store() -> Store:
        return Store.adopt(open_plain(plain_path))  # the same work as Store.open, unencrypted

    def cold(opener: Callable[[], Store], query: Callable[[Workspace], Any]) -> Callable[[], Any]:
        def go() -> None:
            fresh = Workspace(opener(), plain_ws._key, floor_mgr)  # type: ignore[arg-type]
            # (reads never use the key object; the data key went into `opener` already)
            query(fresh)
            fresh.store.close()
        return go

    count = "SELECT count(*) FROM log_harian_fts WHERE log_harian_fts MATCH ?"
    hits = {q: plain.execute(count, (fts_query(q.split()),)).fetchone()[0] for _, q in SEARCHES}
    reads: list[tuple[str, Callable[[Workspace], Any], float, bool]] = [
        ("first page (50)", lambda w: w.logs(limit=50), 50, True),
        *((f'search {label} "{q}" ({hits[q]:,} hits)', lambda w, q=q: w.logs(cari=q), 50, False)
          for label, q in SEARCHES),
        ("month aggregate 2026-03", lambda w: w.service_month_summary(2026, 3), 100, False)]
    log("reads ...")
    for name, query, target, on_cold in reads:  # the targets apply to cold or to warm
        assert query(ws) == query(plain_ws), name  # identical data, identical answers
        for kind, path, enc, base in (
                ("cold", "open + query + close", cold(open_enc, query), cold(plain_store, query)),
                ("warm", "long-lived connection", partial(query, ws), partial(query, plain_ws))):
            checked = on_cold == (kind == "cold")
            add(f"{name}, {kind}", path, *paired(enc, base, args.reps),
                target if checked else None, TARGET_RATIO if checked else None)
        if args.plans:
            show_plans(query, ws)

    n_uc = max(200, int(2_000 * args.scale))
    log(f"use case: {n_uc:,} x add_log on each ...")
    rates = {}
    for label, target_ws in (("encrypted", ws), ("plain", plain_ws)):
        start = time.perf_counter()
        for i in range(n_uc):  # five a day, without overlap, on days before the bulk data
            target_ws.add_log(date(2023, 1, 2) + timedelta(i // 5), f"{8 + i % 5:02d}:00",
                              f"{8 + i % 5:02d}:45", f"Mengentri data usulan kenaikan pangkat {i}",
                              output_jumlah="1", output_satuan="Berkas")
        rates[label] = n_uc / (time.perf_counter() - start)
    add(f"add_log use case ({n_uc:,} rows, 1 tx each)", "Workspace.add_log (+ outbox, audit)",
        rates["encrypted"], rates["plain"], unit="rows/s")
    memsec = ws.store.conn.execute("PRAGMA cipher_memory_security").fetchone()[0]
    ws.lock()
    plain_ws.store.close()

    def unlock(mgr: ProfileManager, page: bool) -> None:
        unlocked = Workspace.open(NIP, PASSWORD, manager=mgr)
        assert not page or len(unlocked.logs(limit=50)) == 50
        unlocked.lock()

    for label, policy in (("floor", keys.KdfParams.floor), ("calibrated", keys.calibrate)):
        mgr = ProfileManager(home, kdf_policy=policy)
        if label == "calibrated":  # re-wrap the data key with this machine's calibrated KDF
            mgr.change_password(NIP, PASSWORD, PASSWORD)
        kdf = json.loads((mgr.get(NIP).folder / "keys.json").read_text())["kdf"]
        for page in (False, True):
            unlock(mgr, page)  # warm-up
            add(f"unlock{' + first page' * page}, {label} KDF ({kdf['memory_kib'] // 1024} MiB,"
                f" t={kdf['iterations']})", f"Workspace.open{' + ws.logs' * page} + lock",
                1000 * statistics.median(timed(partial(unlock, mgr, page)) for _ in range(5)))
    sizes = {k: round(f.stat().st_size / 2**20, 1) for k, f in
             (("encrypted_mb", ws.db_path), ("plain_mb", plain_path))}
    assert plain_path.read_bytes()[:16] == b"SQLite format 3\0" != ws.db_path.read_bytes()[:16]
    return {"machine": machine(), "scale": args.scale, "reps": args.reps,
            "memory_security": memsec, "rows": {"service_log": n_svc, "log_harian": n_log},
            "sizes": sizes, "figures": figures}


def show_plans(query: Callable[[Workspace], Any], ws: Workspace) -> None:
    """Capture the SQL a read runs (a spy in place of the connection); print its plan."""
    conn, seen = ws.store.conn, []
    ws.store._conn = SimpleNamespace(execute=lambda sql, p=(): seen.append((sql, p))
                                     or conn.execute(sql, p))
    try:
        query(ws)
    finally:
        ws.store._conn = conn
    for sql, params in seen:
        plan = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        log(f"  {sql}\n" + "\n".join(f"    {r[-1]}" for r in plan))


def report(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"asndesk store bench — scale {result['scale']}, {result['rows']}, median of "
          f"{result['reps']}, cipher_memory_security {result['memory_security']}, "
          f"{result['total_s']} s\n{m['nproc']} x {m['cpu']}, Python {m['python']}, SQLCipher "
          f"{m['sqlcipher']} (SQLite {m['sqlite_in_sqlcipher3']}), stdlib SQLite "
          f"{m['sqlite_stdlib']}, {result['sizes']}")
    print(f"{'figure':58} {'path':36} {'encrypted':>11} {'plain':>11} enc/pl {'target':>14} result")
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
    parser.add_argument("--reps", type=lambda v: max(7, int(v)), default=9,
                        help="repetitions per read (at least 7)")
    parser.add_argument("--plans", action="store_true", help="EXPLAIN QUERY PLAN per read")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asndesk-bench-") as tmp:
        os.environ["ASNDESK_HOME"] = tmp  # belt and braces: managers get `home` explicitly
        start = time.perf_counter()
        result = run(args, Path(tmp))
        result["total_s"] = round(time.perf_counter() - start, 1)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        report(result)


if __name__ == "__main__":
    main()
