"""Sync over a poor link: 1,000 service logs through an emulated 50 kbit/s, 400 ms RTT link.

    .venv/bin/python bench/sync_link.py [--records 1000] [--reset-records 3000] [--no-reset]
                                        [--json]

Prints figures (not a test), all in a temporary directory deleted at the end. A real server
(uvicorn in a thread, `sync.server.app.create_app` over a SQLite file) sits behind
`tests/sync/faultproxy.FaultProxy` with rate_bps=50,000 and latency_ms=200 per direction; the
real `SyncClient` (default settings: zstd bodies, a push batch budget starting at 256 KB
and adapting to the link, one keep-alive session) syncs real encrypted workspaces (floor KDF
for setup). Phases:

1. Device A adds one service type and N service logs (`add_service_log`, realistic values),
   then one `sync_once` (push + pull of "own") is timed.
2. Device B (same person, fresh profile) does one `sync_once`: the fresh pull.
3. A no-op `sync_once` on A.
4. A adds one log harian (synced, untimed), edits it, then one timed `sync_once`.
5. A larger push on a fresh device C while a timer thread queues a reset on the next push
   request every 30 s (alternating `reset_before_upstream` / `reset_after_upstream`);
   `SyncClient.sync` retries with no sleep. Re-sent ops = ops marked sent − ops queued.

Bytes are the proxy's counters (TCP payload both ways, headers included) over the phase; each
`call` is wrapped to split them per request. Raw JSON = the sum of `wire.dumps(envelope)` over
the outbox ops of phase 1. Link floor = wire bytes × 8 / 50,000 s (both directions summed).
Login happens before a phase's counters start. Targets are the product's, never tuned here.
Server throughput with 50 concurrent devices (SQLite and PostgreSQL) is bench/sync_server.py.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from asndesk.store import outbox
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync import wire
from sync.client import SyncClient, SyncReport
from sync.protocol import OpEnvelope
from sync.server import accounts
from sync.server.app import create_app
from sync.server.db import open_database
from sync.server.threaded import ThreadedServer
from tests.sync.faultproxy import FaultProxy

NIP = "198609262015051001"
PASSWORD = "kata sandi bench yang panjang"
RATE_BPS = 50_000
LATENCY_MS = 200
RESET_EVERY_S = 30.0
T_SECONDS, T_FLOOR, T_BYTES = 30.0, 1.2, 0.35
DESA = ["Sukamaju", "Mekarsari", "Sidorejo", "Margahayu", "Tanjungsari", "Cibodas", "Wonosari"]
HASIL = ["KTP-el tercetak", "Berkas lengkap", "Dokumen diserahkan", "Menunggu blangko"]


def start_server(tmp: Path) -> tuple[ThreadedServer, Any]:
    engine = open_database(f"sqlite:///{tmp / 'server.db'}")
    with engine.begin() as conn:
        accounts.create_person(conn, time.time(), nip=NIP, nama="Siti Aminah", password=PASSWORD)
    return ThreadedServer(create_app(engine, time.time)).start(), engine


def device(tmp: Path, name: str) -> Workspace:
    manager = ProfileManager(tmp / name, kdf_policy=KdfParams.floor)
    ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    return ws


def fill(ws: Workspace, n: int, rng: random.Random) -> None:
    """N service logs over working days of 2026, 80 % finished, some with notes."""
    for i in range(n):
        day = 1 + (i * 7) % 28
        month = 1 + (i // 90) % 11
        start = f"2026-{month:02d}-{day:02d} {8 + rng.randrange(7):02d}:{rng.randrange(60):02d}"
        done = rng.random() < 0.8
        ws.add_service_log(
            "KTP", start,
            selesai=f"2026-{month + 1:02d}-{day:02d} 10:00" if done else None,
            hasil=rng.choice(HASIL) if done else None,
            kepuasan=rng.randint(2, 4) if done else None,
            pengaduan=rng.random() < 0.03,
            catatan=(f"Pemohon warga Desa {rng.choice(DESA)}, NIK "
                     f"{rng.randrange(10**15, 10**16)}") if rng.random() < 0.5 else None)


class Meter:
    """Wraps a client's `call` to log (path, seconds, bytes up, bytes down) per request."""

    def __init__(self, proxy: FaultProxy, client: SyncClient) -> None:
        self.proxy, self.calls = proxy, []  # type: list[tuple[str, float, int, int]]
        inner = client.call

        def call(path: str, message: dict[str, Any], report: SyncReport) -> dict[str, Any]:
            t0, up, down = time.perf_counter(), proxy.bytes_up, proxy.bytes_down
            try:
                return inner(path, message, report)
            finally:
                self.calls.append((path, time.perf_counter() - t0, proxy.bytes_up - up,
                                   proxy.bytes_down - down))

        client.call = call  # type: ignore[method-assign]

    def phase(self, fn: Any) -> dict[str, Any]:
        p = self.proxy
        before = (p.requests_seen, p.connections_accepted, p.bytes_up, p.bytes_down)
        self.calls.clear()
        t0 = time.perf_counter()
        report = fn()
        seconds = time.perf_counter() - t0
        up, down = p.bytes_up - before[2], p.bytes_down - before[3]
        wire_bytes = up + down
        floor = wire_bytes * 8 / RATE_BPS
        return {"seconds": round(seconds, 2), "client_requests": report.requests,
                "proxy_requests": p.requests_seen - before[0],
                "connections": p.connections_accepted - before[1], "bytes_up": up,
                "bytes_down": down, "wire_bytes": wire_bytes, "floor_s": round(floor, 2),
                "x_floor": round(seconds / floor, 2) if floor else None,
                "pushed": report.pushed, "pulled": report.pulled,
                "calls": [(c[0].rsplit("/", 1)[-1], round(c[1], 2), c[2], c[3])
                          for c in self.calls]}


def reset_phase(tmp: Path, proxy: FaultProxy, n: int, rng: random.Random) -> dict[str, Any]:
    ws = device(tmp, "device-c")
    ws.add_service_type("KK", "Kartu Keluarga", 1)
    fill_kk(ws, n, rng)
    client = SyncClient(ws, proxy.url)
    client.login(NIP, PASSWORD, "Device C")
    marked: list[int] = []
    inner = ws.mark_sent

    def mark_sent(seqs: list[int]) -> None:
        marked.append(len(seqs))
        inner(seqs)

    ws.mark_sent = mark_sent  # type: ignore[method-assign]
    stop, faults = threading.Event(), []

    def timer() -> None:
        while not stop.wait(RESET_EVERY_S):
            kind = ("reset_before_upstream", "reset_after_upstream")[len(faults) % 2]
            faults.append(proxy.inject(kind, path_prefix="/sync/v1/push"))

    thread = threading.Thread(target=timer, daemon=True)
    t0 = time.perf_counter()
    thread.start()
    report = client.sync(attempts=20, sleep=lambda s: None)
    seconds = time.perf_counter() - t0
    stop.set()
    thread.join()
    proxy.clear_faults()
    fired = sum(f.fired for f in faults)
    resent = sum(marked) - n
    ws.lock()
    return {"ops": n, "seconds": round(seconds, 1), "resets_fired": fired,
            "batches_sent": len(marked), "max_batch_ops": max(marked), "resent_ops": resent,
            "acked_in_final_attempt": report.acked,
            "pass": resent <= max(marked) * max(fired, 1)}


def fill_kk(ws: Workspace, n: int, rng: random.Random) -> None:
    for i in range(n):
        ws.add_service_log("KK", f"2026-{1 + i % 11:02d}-{1 + i % 28:02d} 09:{i % 60:02d}",
                           catatan=f"Permohonan KK warga Desa {rng.choice(DESA)} nomor {i}")


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    rng = random.Random(20261123)
    server, engine = start_server(tmp)
    port = int(server.url.rsplit(":", 1)[1])
    out: dict[str, Any] = {"records": args.records, "rate_bps": RATE_BPS,
                           "rtt_ms": 2 * LATENCY_MS}
    try:
        with FaultProxy("127.0.0.1", port, rate_bps=RATE_BPS, latency_ms=LATENCY_MS) as proxy:
            a, b = device(tmp, "device-a"), device(tmp, "device-b")
            a.add_service_type("KTP", "Perekaman KTP-el", 3)
            fill(a, args.records, rng)
            ops = outbox.list_ops(a.store.conn, ("pending",), limit=10 * args.records + 10)
            out["ops"] = len(ops)
            out["raw_json_bytes"] = sum(
                len(wire.dumps(OpEnvelope.from_outbox(op).to_wire())) for op in ops)
            ca, cb = SyncClient(a, proxy.url), SyncClient(b, proxy.url)
            ma, mb = Meter(proxy, ca), Meter(proxy, cb)
            ca.login(NIP, PASSWORD, "PC kantor")
            cb.login(NIP, PASSWORD, "Laptop")
            out["push"] = ma.phase(ca.sync_once)
            out["pull"] = mb.phase(cb.sync_once)
            out["pull"]["records_on_b"] = len(b.service_logs(limit=10 * args.records))
            out["noop"] = ma.phase(ca.sync_once)
            log_id = a.add_log("2026-11-20", "08:00", "10:00", "Merekam KTP-el").primary_id
            ca.sync_once()
            a.edit_log(log_id or "", kegiatan="Merekam KTP-el warga Desa Sukamaju")
            out["edit"] = ma.phase(ca.sync_once)
            out["connections_total_ab"] = proxy.connections_accepted
            a.lock()
            b.lock()
            if not args.no_reset:
                out["reset"] = reset_phase(tmp, proxy, args.reset_records, rng)
    finally:
        server.stop()
        engine.dispose()
    return out


def verdicts(r: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    rows = []
    for key, name in (("push", "Push"), ("pull", "Fresh pull")):
        p = r[key]
        rows += [(f"{name} time", f"{p['seconds']} s", f"<= {T_SECONDS:.0f} s",
                  p["seconds"] <= T_SECONDS),
                 (f"{name} / link floor", f"{p['x_floor']}x (floor {p['floor_s']} s)",
                  f"<= {T_FLOOR}x", p["x_floor"] <= T_FLOOR),
                 (f"{name} bytes / raw JSON", f"{p['wire_bytes'] / r['raw_json_bytes']:.3f}",
                  f"<= {T_BYTES}", p["wire_bytes"] <= T_BYTES * r["raw_json_bytes"])]
    rows.append(("No-op sync requests", str(r["noop"]["client_requests"]), "= 1",
                 r["noop"]["client_requests"] == 1))
    if "reset" in r:
        x = r["reset"]
        rows.append(("Ops re-sent after resets", f"{x['resent_ops']} ({x['resets_fired']} "
                     f"resets, batch {x['max_batch_ops']} ops)", "<= 1 batch per reset",
                     x["pass"]))
    return rows


def report(r: dict[str, Any]) -> None:
    print(f"Link {r['rate_bps']} bit/s, RTT {r['rtt_ms']} ms; {r['ops']} ops, "
          f"raw JSON {r['raw_json_bytes']:,} B")
    for key in ("push", "pull", "noop", "edit"):
        p = r[key]
        print(f"{key:5} {p['seconds']:7.2f} s  requests {p['client_requests']} (proxy "
              f"{p['proxy_requests']})  conns {p['connections']}  up {p['bytes_up']:,} B  "
              f"down {p['bytes_down']:,} B  floor {p['floor_s']} s  x{p['x_floor']}")
        for call in p["calls"]:
            print(f"      {call[0]:5} {call[1]:6.2f} s  up {call[2]:,} B  down {call[3]:,} B")
    print(f"TCP connections for A and B over all phases (logins included): "
          f"{r['connections_total_ab']}")
    if "reset" in r:
        print("reset", r["reset"])
    for name, value, target, ok in verdicts(r):
        print(f"{name:28} {value:34} {target:22} {'PASS' if ok else 'MISS'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--reset-records", type=int, default=3000)
    parser.add_argument("--no-reset", action="store_true", help="skip the reset phase")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asndesk-bench-sync-") as tmp:
        result = run(args, Path(tmp))
    result["verdicts"] = [(n, v, t, "PASS" if ok else "MISS") for n, v, t, ok in verdicts(result)]
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        report(result)


if __name__ == "__main__":
    main()
