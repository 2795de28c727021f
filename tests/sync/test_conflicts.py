"""Conflicts end to end: the same field edited offline on two devices, then settled by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from asndesk.cli.main import main
from asndesk.errors import NotFound, ValidationError
from asndesk.i18n import set_locale
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.server import accounts
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer


@pytest.fixture
def devices(tmp_path: Path, server: RunningServer, monkeypatch: pytest.MonkeyPatch,
            ) -> Iterator[tuple[Workspace, Workspace, ProfileManager]]:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                               password=PASSWORD)
    # The laptop's profile lives where the command line looks for it.
    monkeypatch.setenv("ASNDESK_HOME", str(tmp_path / "laptop"))
    monkeypatch.setenv("ASNDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("ASNDESK_KDF", "floor")
    made = []
    for root in (tmp_path / "pc", tmp_path / "laptop"):
        manager = ProfileManager(root, kdf_policy=KdfParams.floor)
        ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
        SyncClient(ws, server.url).login(NIP, PASSWORD, root.name)
        made.append((ws, manager))
    yield made[0][0], made[1][0], made[1][1]
    for ws, _ in made:
        if ws.store.is_open:
            ws.lock()


def _clash(a: Workspace, b: Workspace, url: str) -> str:
    """Both devices edit `kegiatan` of one log offline; A syncs first, so B gets a conflict."""
    log_id = a.add_log("2026-11-20", "08:00", "09:00", "Rapat").primary_id or ""
    SyncClient(a, url).sync_once()
    SyncClient(b, url).sync_once()
    a.edit_log(log_id, kegiatan="Rapat koordinasi")
    b.edit_log(log_id, kegiatan="Rapat desa", output_jumlah="1", output_satuan="Notula")
    SyncClient(a, url).sync_once()
    report = SyncClient(b, url).sync_once()
    assert report.conflicts == 1
    return log_id


def test_keep_mine_wins_on_every_device(devices: tuple[Workspace, Workspace, ProfileManager],
                                        server: RunningServer) -> None:
    a, b, _ = devices
    log_id = _clash(a, b, server.url)
    [conflict] = b.conflicts()
    assert (conflict.entity_kind, conflict.entity_id) == ("log_harian", log_id)
    assert [(f.field, f.mine, f.theirs) for f in conflict.fields] == [
        ("kegiatan", "Rapat desa", "Rapat koordinasi")]
    # The disjoint field merged; the clashing one shows the server's value until settled.
    row = next(r for r in b.logs() if r["id"] == log_id)
    assert (row["kegiatan"], row["output_satuan"]) == ("Rapat koordinasi", "Notula")
    with pytest.raises(ValidationError):
        b.resolve_conflict(conflict.seq, "merged", {"jam_mulai": "07:00"})
    with pytest.raises(NotFound):
        b.resolve_conflict(conflict.seq + 100, "mine")
    b.resolve_conflict(conflict.seq, "mine")
    assert b.conflicts() == []
    report = SyncClient(b, server.url).sync_once()
    assert (report.acked, report.conflicts) == (1, 0)
    SyncClient(a, server.url).sync_once()
    assert next(r for r in a.logs() if r["id"] == log_id)["kegiatan"] == "Rapat desa"
    assert a.ledger_checksum("own") == b.ledger_checksum("own")


def test_keep_theirs_and_merge_from_the_command_line(
        devices: tuple[Workspace, Workspace, ProfileManager], server: RunningServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, b, _ = devices
    log_id = _clash(a, b, server.url)
    seq = b.conflicts()[0].seq
    pending_before = len(b.outbox(("pending",)))
    b.lock()
    try:
        _command_line(seq, capsys)
    finally:
        set_locale("id")
    laptop = Workspace.open(NIP, PASSWORD, manager=devices[2])
    try:
        assert len(laptop.outbox(("pending",))) == pending_before + 1
        SyncClient(laptop, server.url).sync_once()
        SyncClient(a, server.url).sync_once()
        assert next(r for r in a.logs() if r["id"] == log_id)["kegiatan"] == "Rapat koordinasi desa"
    finally:
        laptop.lock()


def _command_line(seq: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "conflicts", "list"]) == 0
    shown = capsys.readouterr().out
    assert '"Rapat desa"' in shown and '"Rapat koordinasi"' in shown and f"Conflict {seq}" in shown
    assert main(["conflicts", "resolve", str(seq), "--set", "kegiatan=Rapat koordinasi desa"]) == 0
    assert main(["conflicts", "resolve", str(seq), "--keep", "theirs"]) == 2  # settled already
    assert main(["conflicts", "list"]) == 0
    assert "No conflicts." in capsys.readouterr().out


def test_keep_theirs_queues_nothing(devices: tuple[Workspace, Workspace, ProfileManager],
                                    server: RunningServer) -> None:
    a, b, _ = devices
    log_id = _clash(a, b, server.url)
    pending = len(b.outbox(("pending",)))
    b.resolve_conflict(b.conflicts()[0].seq, "theirs")
    assert len(b.outbox(("pending",))) == pending and b.conflicts() == []
    assert next(r for r in b.logs() if r["id"] == log_id)["kegiatan"] == "Rapat koordinasi"
    quiet = SyncClient(b, server.url).sync_once()
    assert quiet.pushed == 0 and quiet.unverified == set()


def _plan_on_both(a: Workspace, b: Workspace, url: str) -> tuple[str, str]:
    """A Draft SKP (one RHK, one IKI) made on A and synced to B; returns (skp, rhk)."""
    skp = a.create_skp(2026, "pelaksana").primary_id or ""
    rhk = a.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id or ""
    a.add_iki(rhk, "KTP-el terekam", "1200", "Keping", aspek="Kuantitas")
    SyncClient(a, url).sync_once()
    SyncClient(b, url).sync_once()
    return skp, rhk


def test_a_device_never_clashes_with_its_own_edits_nor_overwrites_unseen_ones(
        devices: tuple[Workspace, Workspace, ProfileManager], server: RunningServer) -> None:
    # Regression: conflicts were judged by the device's local version counter, which runs
    # apart from the server's once another device edits too: B's second edit clashed with its
    # own first one, and B's kegiatan overwrote A's newer one without a conflict.
    a, b, _ = devices
    log_id = a.add_log("2026-11-20", "08:00", "09:00", "Rapat").primary_id or ""
    SyncClient(a, server.url).sync_once()
    SyncClient(b, server.url).sync_once()
    for kegiatan in ("Rapat koordinasi", "Rapat koordinasi camat"):
        a.edit_log(log_id, kegiatan=kegiatan)
        SyncClient(a, server.url).sync_once()
    b.edit_log(log_id, output_jumlah="1", output_satuan="Notula")
    b.edit_log(log_id, output_jumlah="2")
    b.edit_log(log_id, kegiatan="Rapat desa")
    report = SyncClient(b, server.url).sync_once()
    assert (report.acked, report.conflicts) == (2, 1)
    [conflict] = b.conflicts()
    assert [(f.field, f.mine, f.theirs) for f in conflict.fields] == [
        ("kegiatan", "Rapat desa", "Rapat koordinasi camat")]
    SyncClient(a, server.url).sync_once()
    row = next(r for r in a.logs() if r["id"] == log_id)
    assert (row["kegiatan"], row["output_jumlah"], row["output_satuan"]) == (
        "Rapat koordinasi camat", "2", "Notula")


def test_a_field_saved_unchanged_is_no_edit(
        devices: tuple[Workspace, Workspace, ProfileManager], server: RunningServer) -> None:
    a, b, _ = devices
    _, rhk = _plan_on_both(a, b, server.url)
    a.edit_rhk(rhk, teks="Terlaksananya perekaman KTP-el seluruh desa")
    SyncClient(a, server.url).sync_once()
    b.edit_rhk(rhk, teks="Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan layanan")
    report = SyncClient(b, server.url).sync_once()  # teks as B had it: only rhk_atasan moved
    assert (report.acked, report.conflicts) == (1, 0)
    [shown] = b.skp(a.skp_list(2026)[0]["id"]).rhk
    assert (shown.teks, shown.rhk_atasan) == (
        "Terlaksananya perekaman KTP-el seluruh desa", "Cakupan layanan")


def test_keeping_theirs_does_not_bring_back_an_older_server_value(
        devices: tuple[Workspace, Workspace, ProfileManager], server: RunningServer) -> None:
    # Regression: "theirs" wrote the server's value of the conflict's time over a newer one
    # pulled since, and no later pull corrected it.
    a, b, _ = devices
    log_id = a.add_log("2026-11-20", "08:00", "09:00", "Rapat").primary_id or ""
    SyncClient(a, server.url).sync_once()
    SyncClient(b, server.url).sync_once()
    a.edit_log(log_id, kegiatan="Rapat koordinasi")
    SyncClient(a, server.url).sync_once()
    b.edit_log(log_id, kegiatan="Rapat desa")
    assert SyncClient(b, server.url).sync_once().conflicts == 1
    a.edit_log(log_id, kegiatan="Rapat koordinasi camat")
    SyncClient(a, server.url).sync_once()
    SyncClient(b, server.url).sync_once()
    b.resolve_conflict(b.conflicts()[0].seq, "theirs")
    assert next(r for r in b.logs() if r["id"] == log_id)["kegiatan"] == "Rapat koordinasi camat"
    assert SyncClient(b, server.url).sync_once().pushed == 0


def test_a_refused_plan_edit_is_undone_on_the_device(
        devices: tuple[Workspace, Workspace, ProfileManager], server: RunningServer) -> None:
    # Regression: B edited its Draft while A had submitted the plan; the server refused the
    # edit but B kept showing it for good (the RHK never changed on the server, so no pull
    # brought it back).
    a, b, _ = devices
    skp, rhk = _plan_on_both(a, b, server.url)
    a.submit_skp(skp)
    SyncClient(a, server.url).sync_once()
    b.edit_rhk(rhk, teks="Terlaksananya perekaman KTP-el seluruh desa")
    report = SyncClient(b, server.url).sync_once()
    [refused] = b.outbox(("rejected",))
    assert (report.rejected, refused.kind) == (1, "edit_fields")  # still shown, with a reason
    plan = b.skp(skp)
    assert (plan.status.value, plan.rhk[0].teks) == ("Diajukan", "Terlaksananya perekaman KTP-el")
    assert b.ledger_checksum("own") == a.ledger_checksum("own")

