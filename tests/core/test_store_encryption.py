"""The store on disk: security.md S-01 (canaries), S-03 (tampering) and S-10 (no leaks)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from asndesk.errors import AsnDeskError, ProfileCorrupt, ValidationError
from asndesk.store.connection import DatabaseError, check_integrity, open_encrypted
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from tests.conftest import PASSWORD

CANARY_NIP = "197912312006041003"
CANARY_NAME = "Zulkarnaen Canarywati"
CANARY_TEXT = "Menyusun naskah kanari-7f3a rahasia"
CANARY_IKI = "Indikator kanari-91bc tersusun"


def _store_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()
            if p.name.startswith("store.db")}


def _assert_no_canary(blobs: dict[str, bytes], canaries: list[str]) -> None:
    for name, data in blobs.items():
        for canary in canaries:
            for encoded in (canary.encode("utf-8"), canary.encode("utf-16-le")):
                assert encoded not in data, f"{canary!r} readable in {name}"


def test_canaries_never_reach_db_wal_or_journal(manager: ProfileManager) -> None:  # S-01
    ws, _ = Workspace.create_profile(CANARY_NIP, CANARY_NAME, PASSWORD, manager=manager)
    folder = ws.profile.folder
    skp = ws.create_skp(2026, "pelaksana").primary_id
    rhk = ws.add_rhk(skp, "RHK kanari", rhk_atasan="RHK atasan").primary_id
    iki = ws.add_iki(rhk, CANARY_IKI, "12", "Dokumen", aspek="Kuantitas").primary_id
    log = ws.add_log("2026-11-20", "08:00", "10:00", CANARY_TEXT).primary_id
    assert log is not None and iki is not None
    canaries = [CANARY_NIP, CANARY_NAME, CANARY_TEXT, CANARY_IKI, "kanari-7f3a", "kanari-91bc"]
    # While open, the WAL holds the newest pages: it must be encrypted too.
    blobs = _store_bytes(folder)
    assert any(name.endswith("-wal") for name in blobs)
    _assert_no_canary(blobs, canaries)
    ws.edit_log(log, kegiatan=CANARY_TEXT + " diperbarui")
    ws.edit_iki(iki, indikator=CANARY_IKI + " lagi")
    ws.delete_log(log)
    _assert_no_canary(_store_bytes(folder), canaries)
    ws.lock()
    _assert_no_canary(_store_bytes(folder), canaries)
    # The search index copies the activity text; it lives inside the same encrypted file.
    again = Workspace.open(CANARY_NIP, PASSWORD, manager=manager)
    assert again.logs(cari="kanari") == []
    again.lock()


@pytest.mark.parametrize("where", ["header", "page2", "last_page"])
def test_flipped_bytes_never_read_silently(manager: ProfileManager, where: str) -> None:  # S-03
    ws, _ = Workspace.create_profile(CANARY_NIP, CANARY_NAME, PASSWORD, manager=manager)
    for n in range(200):
        ws.add_log("2026-11-20", "08:00", "08:30", f"kegiatan nomor {n} " + "x" * 200)
    db = ws.db_path
    ws.lock()
    data = bytearray(db.read_bytes())
    page = 4096
    offset = {"header": 100, "page2": page + 1500, "last_page": len(data) - 700}[where]
    data[offset] ^= 0x01
    db.write_bytes(bytes(data))
    try:
        opened = Workspace.open(CANARY_NIP, PASSWORD, manager=manager)
    except ProfileCorrupt:
        return  # refused at open: good
    try:
        problems = check_integrity(opened.store.conn)
        if problems:
            return  # reported: good
        with pytest.raises((DatabaseError, ProfileCorrupt)):
            opened.logs(limit=1000)
    finally:
        opened.store.conn.close()


def test_wrong_raw_key_is_reported_as_damage_not_data(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    conn = open_encrypted(path, b"k" * 32, create=True)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.close()
    with pytest.raises(ProfileCorrupt):
        open_encrypted(path, b"j" * 32)


def test_secrets_and_canaries_stay_out_of_logs_and_errors(
    manager: ProfileManager, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:  # S-10
    caplog.set_level(logging.DEBUG)
    ws, recovery = Workspace.create_profile(CANARY_NIP, CANARY_NAME, PASSWORD, manager=manager)
    errors: list[BaseException] = []
    attempts = [
        lambda: ws.add_log("2026-11-20", "10:00", "09:00", CANARY_TEXT),
        lambda: ws.add_log("2026-11-20", "08:00", "09:00", CANARY_TEXT + "\x00"),
        lambda: ws.add_log("2026-11-20", "08:00", "09:00", CANARY_TEXT * 200),
        lambda: ws.add_training(CANARY_TEXT, "2026-03-05", "2026-03-01", "10"),
        lambda: Workspace.open(CANARY_NIP, PASSWORD + CANARY_TEXT, manager=manager),
        lambda: manager.unlock_with_recovery(CANARY_NIP, recovery[:-4] + "AAAA", PASSWORD),
    ]
    for attempt in attempts:
        with pytest.raises(AsnDeskError) as caught:
            attempt()
        errors.append(caught.value)
    assert isinstance(errors[0], ValidationError) and errors[0].field == "jam_selesai"
    ws.lock()
    out, err = capfd.readouterr()
    texts = [caplog.text, out, err] + [
        " ".join((str(e), repr(e), repr(getattr(e, "params", {})))) for e in errors
    ]
    secrets_ = [CANARY_TEXT, "kanari-7f3a", PASSWORD, recovery, recovery.replace("-", "")]
    for text in texts:
        for secret in secrets_:
            assert secret not in text
