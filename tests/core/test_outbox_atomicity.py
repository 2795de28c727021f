"""Outbox atomicity: a writer killed with SIGKILL mid-loop leaves rows and ops in step."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from tests.conftest import NIP, PASSWORD

ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from asndesk.workspace import Workspace
    nip, password, evidence = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    ws = Workspace.open(nip, password)
    n = 0
    last_log = None
    while True:
        n += 1
        step = n % 4
        if step == 0 and last_log:
            ws.edit_log(last_log, kegiatan=f"diubah {n}")
        elif step == 1:
            files = [evidence] if n % 5 == 0 else []
            last_log = ws.add_log("2026-11-20", "08:00", "08:30", f"kegiatan {n}",
                                  bukti=files).primary_id
        elif step == 2:
            ws.add_service_log("KTP", "2026-11-20 09:00", selesai="2026-11-24 10:00")
        elif step == 3 and n % 3 == 0 and last_log:
            ws.delete_log(last_log)
            last_log = None
        print(n, flush=True)
""")


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [25, 80, 161])
def test_sigkill_mid_write_keeps_rows_and_ops_in_step(
    home: Path, tmp_path: Path, kill_after: int
) -> None:
    manager = ProfileManager(home, kdf_policy=KdfParams.floor)
    ws, _ = Workspace.create_profile(NIP, "Siti", PASSWORD, manager=manager)
    ws.add_service_type("KTP", "Perekaman KTP-el", 3)
    ws.lock()
    evidence = tmp_path / "bukti.txt"
    evidence.write_text("daftar hadir")
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ASNDESK_HOME": str(home)}
    child = subprocess.Popen(
        [sys.executable, str(script), NIP, PASSWORD, str(evidence)],
        stdout=subprocess.PIPE, text=True, env=env,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if int(line) >= kill_after:
            break
    child.send_signal(signal.SIGKILL)  # no cleanup, mid-transaction more often than not
    child.wait(timeout=30)

    ws = Workspace.open(NIP, PASSWORD, manager=manager)
    conn = ws.store.conn
    ops = conn.execute(
        "SELECT seq, kind, entity_kind, entity_id FROM outbox ORDER BY seq").fetchall()
    assert [op[0] for op in ops] == list(range(1, len(ops) + 1)), "seq has a gap"
    assert len(ops) >= kill_after // 2

    deleted = {op[3] for op in ops if op[1] == "delete"}
    created = {(op[2], op[3]) for op in ops if op[1] == "create"}
    edits = Counter(op[3] for op in ops if op[1] == "edit_fields")
    attaches = Counter(op[3] for op in ops if op[1] == "attach")

    logs = dict(conn.execute("SELECT id, version FROM log_harian").fetchall())
    services = {r[0] for r in conn.execute("SELECT id FROM service_log")}
    # Every row has its op …
    assert {("log_harian", i) for i in logs} <= created
    assert {("service_log", i) for i in services} <= created
    # … and every op its row (unless a later op deleted it).
    assert {i for k, i in created if k == "log_harian"} - deleted == set(logs)
    assert {i for k, i in created if k == "service_log"} == services
    for log_id, version in logs.items():
        assert version == 1 + edits[log_id]
    links = Counter(r[0] for r in conn.execute(
        "SELECT pemilik_id FROM bukti WHERE pemilik_jenis = 'log_harian'"))
    for log_id in logs:
        assert links[log_id] == attaches[log_id]
    # One audit entry per op (plus profile creation), and the chain is intact.
    audited = conn.execute("SELECT count(*) FROM audit_log WHERE aksi != 'profile.create'"
                           ).fetchone()[0]
    assert audited == len(ops)
    assert ws.verify_audit().ok
    ws.lock()
