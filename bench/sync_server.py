"""Server throughput: 50 concurrent simulated devices pushing and pulling, SQLite and PostgreSQL.

    .venv/bin/python bench/sync_server.py [--devices 50] [--ops 200] [--batch 50]
                                          [--pg postgresql+psycopg://…] [--json]

Prints figures (not a test). The server runs as its own process (`asndesk server`, one
uvicorn worker), so the simulated devices (threads here, each with its own keep-alive
`requests.Session`, Ed25519 device key and zstd bodies, exactly what `SyncClient` sends)
do not share its interpreter. Each device is a different person (NIP), logs in (untimed),
then pushes `--ops` new log harian entries in batches of `--batch`, then pulls its `own`
partition to the end. Timed: from the moment all devices start to the moment the last one
finishes. Reported: ops applied per second, push latency p50/p95, pull time, and a check
that the server holds exactly devices × ops entries (nothing lost, nothing twice).
PostgreSQL runs when `--pg` (or $ASNDESK_TEST_PG) names a database: its public schema is
dropped and recreated. With PostgreSQL a second run uses two server processes on the same
database, as an agency would behind a load balancer (devices split between them).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from asndesk.store.ids import uuid7  # noqa: E402
from sync import wire  # noqa: E402
from sync.protocol import (  # noqa: E402
    PULL_PATH,
    PUSH_PATH,
    OpEnvelope,
    Partition,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync.server import accounts  # noqa: E402
from sync.server.db import open_database  # noqa: E402
from sync.server.schema import entity  # noqa: E402

PASSWORD = "kata sandi bench yang panjang"
KEGIATAN = ["Merekam KTP-el", "Verifikasi berkas KK", "Rapat koordinasi kecamatan",
            "Menyusun laporan bulanan", "Melayani konsultasi warga"]


def nip_of(n: int) -> str:
    return f"198609262015051{n:03d}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(url: str, devices: int) -> None:
    """A fresh database with one person per device (password hashing is untimed)."""
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    engine = open_database(url)
    with engine.begin() as conn:
        for n in range(1, devices + 1):
            accounts.create_person(conn, time.time(), nip=nip_of(n), nama=f"Pegawai {n}",
                                   password=PASSWORD)
    engine.dispose()


def start_servers(url: str, count: int) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    procs, urls = [], []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(count):
        port = free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "asndesk", "server", "--db", url, "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        urls.append(f"http://127.0.0.1:{port}")
    for base in urls:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
    return procs, urls


class Device:
    """One simulated device: its person, key, session and the ops it will push."""

    def __init__(self, n: int, base: str) -> None:
        self.n, self.base, self.nip = n, base, nip_of(n)
        self.id = uuid7()
        self.key = Ed25519PrivateKey.generate()
        self.http = requests.Session()
        self.token = ""
        self.push_latencies: list[float] = []
        self.applied = 0
        self.pull_s = 0.0
        self.retries = 0
        self.error: str | None = None

    def login(self) -> None:
        public = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        answer = self.http.post(f"{self.base}/auth/login", json={
            "nip": self.nip, "password": PASSWORD, "device_id": self.id,
            "device_public_key": base64.b64encode(public).decode(), "device_name": "bench"},
            timeout=60)
        answer.raise_for_status()
        self.token = answer.json()["access_token"]

    def _post(self, path: str, message: dict[str, Any]) -> dict[str, Any]:
        answer = self.http.post(f"{self.base}{path}", data=wire.encode(message, "zstd"), headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": wire.MEDIA_TYPE,
            "Content-Encoding": "zstd", "Accept-Encoding": "zstd"}, timeout=120)
        answer.raise_for_status()
        return wire.decode(answer.content, answer.headers.get("Content-Encoding"))

    def ops(self, count: int) -> list[OpEnvelope]:
        made = []
        for seq in range(1, count + 1):
            day = 1 + seq % 28
            hour = 7 + seq % 8
            made.append(OpEnvelope(
                seq=seq, op_id=uuid7(), kind="create", entity_kind="log_harian",
                entity_id=str(uuid.uuid4()), base_version=None,
                payload={"tanggal": f"2026-10-{day:02d}", "jam_mulai": f"{hour:02d}:00",
                         "jam_selesai": f"{hour:02d}:45", "kegiatan": KEGIATAN[seq % 5],
                         "output_jumlah": str(1 + seq % 4), "output_satuan": "Berkas"},
                hlc=f"{int(time.time() * 1000):013d}-{seq % 100000:05d}-{self.id}",
                device_time=datetime.now(UTC).isoformat(), utc_offset_min=420))
        return made

    def run(self, ops: list[OpEnvelope], batch: int, start: threading.Barrier) -> None:
        start.wait()
        try:
            for first in range(0, len(ops), batch):
                began = time.perf_counter()
                message = PushRequest(self.id, tuple(ops[first:first + batch])).to_wire()
                for attempt in range(4):
                    # As SyncClient does: an answer that does not come is asked for again
                    # (the server answers a replay from its stored results).
                    try:
                        answer = PushResponse.from_wire(self._post(PUSH_PATH, message))
                        break
                    except requests.RequestException:
                        if attempt == 3:
                            raise
                        self.retries += 1
                self.push_latencies.append(time.perf_counter() - began)
                self.applied += sum(r.status.value == "applied" for r in answer.results)
            began = time.perf_counter()
            cursor = None
            while True:
                page = PullResponse.from_wire(self._post(PULL_PATH, PullRequest(
                    {Partition("own"): cursor}).to_wire())).pages[0]
                cursor = page.cursor
                if not page.more:
                    break
            self.pull_s = time.perf_counter() - began
        except Exception as exc:  # a bench reports failures instead of hiding them
            self.error = f"{type(exc).__name__}: {exc}"


def run(url: str, label: str, *, devices: int, ops: int, batch: int, instances: int
        ) -> dict[str, Any]:
    prepare(url, devices)
    procs, urls = start_servers(url, instances)
    try:
        fleet = [Device(n, urls[n % len(urls)]) for n in range(1, devices + 1)]
        for d in fleet:
            d.login()
        planned = [d.ops(ops) for d in fleet]
        barrier = threading.Barrier(devices + 1)
        threads = [threading.Thread(target=d.run, args=(p, batch, barrier))
                   for d, p in zip(fleet, planned, strict=True)]
        for t in threads:
            t.start()
        barrier.wait()
        began = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = int(conn.execute(select(func.count()).select_from(entity)).scalar() or 0)
    engine.dispose()
    latencies = sorted(x for d in fleet for x in d.push_latencies)
    applied = sum(d.applied for d in fleet)
    return {
        "backend": label, "instances": instances, "devices": devices, "ops": devices * ops,
        "applied": applied, "stored": stored, "errors": [d.error for d in fleet if d.error],
        "retries": sum(d.retries for d in fleet),
        "seconds": round(elapsed, 2), "ops_per_s": round(applied / elapsed, 1),
        "push_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "push_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "pull_mean_s": round(statistics.mean(d.pull_s for d in fleet), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--ops", type=int, default=200, help="ops per device")
    parser.add_argument("--batch", type=int, default=50, help="ops per push")
    parser.add_argument("--pg", default=os.environ.get("ASNDESK_TEST_PG"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    common = {"devices": args.devices, "ops": args.ops, "batch": args.batch}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run(f"sqlite:///{Path(tmp) / 'server.db'}", "SQLite", instances=1,
                           **common))
    if args.pg:
        results.append(run(args.pg, "PostgreSQL", instances=1, **common))
        results.append(run(args.pg, "PostgreSQL", instances=2, **common))
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{args.devices} devices x {args.ops} ops, batches of {args.batch}")
        for r in results:
            ok = r["applied"] == r["ops"] == r["stored"] and not r["errors"]
            print(f"{r['backend']:<11} x{r['instances']}: {r['ops_per_s']:>7} ops/s "
                  f"({r['ops']} ops in {r['seconds']} s), push p50 {r['push_p50_ms']} ms, "
                  f"p95 {r['push_p95_ms']} ms, pull {r['pull_mean_s']} s/device, "
                  f"{r['retries']} pushes asked again after a timeout, "
                  f"{'all applied once' if ok else 'MISMATCH ' + str(r)}")
        if len(results) > 1:
            print(f"PostgreSQL/SQLite ops/s ratio: "
                  f"{results[1]['ops_per_s'] / results[0]['ops_per_s']:.2f}")
    return 0 if all(r["applied"] == r["ops"] == r["stored"] and not r["errors"]
                    for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
