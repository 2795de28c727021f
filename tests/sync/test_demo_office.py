"""The demo office behind `asndesk demo`: a real server and sample office in its own home."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from asndesk.errors import WrongPassword
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync import demo_data
from sync.demo_office import (
    MARKER,
    SENTINEL,
    DemoError,
    DemoOffice,
    demo_home,
    demo_manager,
    open_demo,
)
from sync.server.db import make_engine
from sync.server.schema import person
from tests.conftest import NIP, PASSWORD


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoOffice]:
    """One office made for the module (making it is the slow part), kept running."""
    running = open_demo(tmp_path_factory.mktemp("made") / "demo")
    yield running
    running.stop()


@pytest.fixture
def office(made: DemoOffice) -> DemoOffice:
    return made


def _copy_of(made: DemoOffice, tmp_path: Path) -> Path:
    """The made office's folder copied (the SQLite WAL files along), to start it again."""
    folder = tmp_path / "demo"
    shutil.copytree(made.home, folder)
    return folder


def _counts(ws: Workspace) -> tuple[int, int, int, int, int]:
    [head] = ws.skp_list()
    seen = ws.own_assessments(head["id"])
    return (len(ws.skp_list()), len(ws.logs()), len(ws.service_logs()),
            len(seen["penilaian"]), len(seen["umpan_balik"]))


def test_demo_home_is_apart_from_real_profiles(home: Path) -> None:
    assert demo_home() == home / "demo"
    real, demo = ProfileManager().root, demo_manager(demo_home()).root
    assert (real, demo) == (home / "profiles", home / "demo" / "profiles")


def test_the_office_is_made_and_its_server_answers(office: DemoOffice) -> None:
    assert office.created
    assert office.server_url.startswith("http://127.0.0.1:")
    health = requests.get(f"{office.server_url}/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert (office.home / SENTINEL).is_file() and (office.home / MARKER).is_file()
    engine = make_engine(f"sqlite:///{office.home / 'server' / 'server.db'}")
    with engine.connect() as conn:
        nips = set(conn.execute(select(person.c.nip)).scalars())
    engine.dispose()
    assert nips == {p.nip for p in (demo_data.ADMIN, *demo_data.STAFF)}
    # HR's reference data is served to every logged-in device.
    ws = Workspace.open(office.employee_nip, office.password, manager=office.manager)
    try:
        types = ws.service_types()
        assert {t["kode"] for t in types} == {kode for kode, _n, _d in demo_data.SERVICE_TYPES}
        assert {t["sumber"] for t in types} == {"server"}
        tahun = ws.skp_list()[0]["tahun"]
        assert [p["id"] for p in ws.periods(tahun)] == [
            f"{tahun}-TW1", f"{tahun}-TW2", f"{tahun}-TW3", f"{tahun}-TW4", f"{tahun}-TH"]
        assert ws.sync_setting("url") == office.server_url
    finally:
        ws.lock()


def test_the_employee_profile_holds_a_worked_year(office: DemoOffice) -> None:
    with pytest.raises(WrongPassword):
        Workspace.open(office.employee_nip, "not the demo password", manager=office.manager)
    ws = Workspace.open(office.employee_nip, office.password, manager=office.manager)
    try:
        [head] = ws.skp_list()
        skp = ws.skp(head["id"])
        assert skp.status.value == "Disetujui"  # approved by the supervisor, via the server
        assert len(skp.rhk) == 3 and all(rhk.iki for rhk in skp.rhk)
        assert ws.logs() and ws.service_logs() and ws.realisasi_list(skp.id)
        seen = ws.own_assessments(skp.id)
        feedback = {f["sasaran_jenis"] for f in seen["umpan_balik"]}
        assert {"umum", "rhk", "perilaku"} <= feedback
        assert all(f["pemberi_nip"] == office.supervisor_nip for f in seen["umpan_balik"])
        # Only today's entry, made after the last sync, waits for the app to send it.
        assert ws.pending_count() == 1
        assert not ws.rejections() and not ws.conflicts()
    finally:
        ws.lock()
    supervisor = Workspace.open(office.supervisor_nip, office.password, manager=office.manager)
    try:
        team = {m["nip"]: m for m in supervisor.team()}
        assert set(team) == {office.employee_nip, *(p.nip for p in demo_data.COLLEAGUES)}
        assert team[office.employee_nip]["skp"]["status"] == "Disetujui"
    finally:
        supervisor.lock()


def test_a_second_start_reuses_the_office(made: DemoOffice, tmp_path: Path) -> None:
    ws = Workspace.open(made.employee_nip, made.password, manager=made.manager)
    before = _counts(ws)
    ws.lock()
    again = open_demo(_copy_of(made, tmp_path))
    try:
        assert not again.created
        ws = Workspace.open(again.employee_nip, again.password, manager=again.manager)
        try:
            assert _counts(ws) == before
            assert ws.sync_setting("url") == again.server_url  # logged in to the new port
        finally:
            ws.lock()
        engine = make_engine(f"sqlite:///{again.home / 'server' / 'server.db'}")
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(person)).scalar() == 1 + len(
                demo_data.STAFF)
        engine.dispose()
        assert sorted(p.nip for p in again.manager.list()) == sorted(
            json.loads((again.home / MARKER).read_text())["profiles"])
    finally:
        again.stop()


def test_real_profiles_are_untouched(home: Path, manager: ProfileManager) -> None:
    ws, _ = Workspace.create_profile(NIP, "Siti Aminah (asli)", PASSWORD, manager=manager)
    ws.add_log("2026-03-02", "08:00", "09:00", "Pekerjaan nyata")
    ws.lock()
    keyfile = (manager.root / NIP / "keys.json").read_bytes()
    office = open_demo(demo_home())
    try:
        # The demo employee has the same NIP as this test's real profile: still two people.
        assert office.employee_nip == NIP
        assert office.manager.root == home / "demo" / "profiles"
    finally:
        office.stop()
    assert [p.nama for p in manager.list()] == ["Siti Aminah (asli)"]
    assert (manager.root / NIP / "keys.json").read_bytes() == keyfile
    real = Workspace.open(NIP, PASSWORD, manager=manager)
    try:
        assert [log["kegiatan"] for log in real.logs()] == ["Pekerjaan nyata"]
        assert real.sync_setting("url") is None
    finally:
        real.lock()


def test_a_folder_that_is_not_the_demo_is_refused(home: Path, manager: ProfileManager) -> None:
    ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    ws.lock()
    with pytest.raises(DemoError):
        open_demo(home)  # the real data home: never cleared, never used
    assert [p.nip for p in manager.list()] == [NIP]


def test_a_cut_off_first_start_is_made_again(made: DemoOffice, tmp_path: Path) -> None:
    folder = _copy_of(made, tmp_path)
    (folder / MARKER).unlink()  # as if the first start had died before finishing
    office = open_demo(folder)
    try:
        assert office.created
        assert len(office.manager.list()) == 2
    finally:
        office.stop()


def test_a_demo_from_an_earlier_year_is_made_afresh(made: DemoOffice, tmp_path: Path) -> None:
    folder = _copy_of(made, tmp_path)
    marker = json.loads((folder / MARKER).read_text())
    marker["made_on"] = "2020-06-01"  # last year's SKP would leave this year's pages empty
    (folder / MARKER).write_text(json.dumps(marker))
    office = open_demo(folder)
    try:
        assert office.created
        assert json.loads((folder / MARKER).read_text())["made_on"] != "2020-06-01"
    finally:
        office.stop()


def test_a_demo_whose_password_was_changed_is_made_afresh(made: DemoOffice,
                                                          tmp_path: Path) -> None:
    folder = _copy_of(made, tmp_path)
    demo_manager(folder).change_password(made.employee_nip, made.password, "sandi baru saya")
    office = open_demo(folder)
    try:
        assert office.created
        Workspace.open(office.employee_nip, office.password, manager=office.manager).lock()
    finally:
        office.stop()
