"""The demo office behind `asndesk demo`: a real server on 127.0.0.1 over the demo's own data
home, a sample office made through the server's own routes, and profiles that sync with it.

The demo home is never the real profiles folder: `<data home>/demo`, marked by a file that
says so. Demo profiles use the policy-floor Argon2id parameters (not the per-machine
calibration) so the first start stays fast; the floor is the minimum real profiles get too.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Engine

from asndesk import paths
from asndesk.errors import UserFacingError
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from sync import demo_data
from sync.client import SyncClient, SyncError
from sync.server import accounts
from sync.server.app import create_app
from sync.server.db import open_database
from sync.server.threaded import ThreadedServer

DEMO_FOLDER = "demo"
SENTINEL = "ASNDESK-DEMO.txt"  # written first: only a folder holding it is ever cleared
MARKER = "office.json"  # written last: the office is complete and can be reused
FORMAT = 1
_SENTINEL_TEXT = ("This folder holds the asndesk DEMO office: a sample server database and "
                  "sample profiles, nothing real.\nDelete the folder to make the demo afresh "
                  "on the next `asndesk demo`.\n")


class DemoError(Exception):
    """The demo could not be made (a refused step, or a folder that is not the demo's)."""


def demo_home() -> Path:
    """`<data home>/demo` (so `$ASNDESK_HOME/demo` when set): apart from `<home>/profiles`."""
    return paths.data_home() / DEMO_FOLDER


def demo_manager(home: Path) -> ProfileManager:
    """Profiles of the demo home, wrapped at the policy floor (fast, still a real Argon2id)."""
    return ProfileManager(home, kdf_policy=KdfParams.floor)


@dataclass
class DemoOffice:
    """A running demo: its server on 127.0.0.1 and the people to log in as."""

    home: Path
    server_url: str
    password: str
    employee_nip: str
    supervisor_nip: str
    manager: ProfileManager
    created: bool  # True when this start made the office, False when it reused it
    _server: ThreadedServer
    _engine: Engine

    def stop(self) -> None:
        """Stop the server and close its database (the data stays for next time)."""
        self._server.stop()
        self._engine.dispose()


def open_demo(home: Path) -> DemoOffice:
    """Start the demo server over `home`, making the office first if it is not there yet.

    A demo made in an earlier year, cut off while being made, or that cannot be reopened
    (its password was changed in the app, a profile was deleted) is made afresh.
    """
    home = Path(home)
    _claim(home)
    today = date.today()
    if _reusable(home, today):
        try:
            return _start(home, today, make=False)
        except (UserFacingError, SyncError):
            pass
    return _start(home, today, make=True)


def _reusable(home: Path, today: date) -> bool:
    try:
        marker = json.loads((home / MARKER).read_text(encoding="utf-8"))
        return bool(marker["format"] == FORMAT
                    and date.fromisoformat(marker["made_on"]).year == today.year)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _start(home: Path, today: date, *, make: bool) -> DemoOffice:
    if make:
        _clear(home)
    (home / "server").mkdir(parents=True, exist_ok=True)
    engine = open_database(f"sqlite:///{home / 'server' / 'server.db'}")
    try:
        server = ThreadedServer(create_app(engine)).start()
    except BaseException:
        engine.dispose()
        raise
    office = DemoOffice(home, server.url, demo_data.PASSWORD, demo_data.EMPLOYEE.nip,
                        demo_data.SUPERVISOR.nip, demo_manager(home), make, server, engine)
    try:
        if make:
            _make_office(office, engine, today)
        else:
            _reconnect(office)
    except BaseException:
        office.stop()
        raise
    return office


def _claim(home: Path) -> None:
    """Refuse a folder that already holds anything but the demo (e.g. a real data home)."""
    sentinel = home / SENTINEL
    if home.exists() and any(home.iterdir()) and not sentinel.is_file():
        raise DemoError(f"{home} is not empty and is not an asndesk demo folder")
    home.mkdir(parents=True, exist_ok=True)
    sentinel.write_text(_SENTINEL_TEXT, encoding="utf-8")


def _clear(home: Path) -> None:
    """Remove an earlier demo (server database, demo profiles, marker) inside the demo folder."""
    (home / MARKER).unlink(missing_ok=True)  # first: a cut-off clear is never reused
    for name in ("server", "profiles"):
        if (home / name).exists():
            shutil.rmtree(home / name)


# -- making the office, through the server's own routes ------------------------------------

class OfficeApi:
    """One person's session with the demo server (as the admin and HR web tools would be)."""

    def __init__(self, url: str, nip: str, password: str) -> None:
        self.url = url
        key = Ed25519PrivateKey.generate()  # a throw-away device: the setup script's own
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        body = self._check(requests.post(f"{url}/auth/login", timeout=30, json={
            "nip": nip, "password": password, "device_id": str(uuid.uuid4()),
            "device_public_key": base64.b64encode(public).decode(),
            "device_name": "Demo setup"}), "/auth/login")
        self.headers = {"Authorization": f"Bearer {body['access_token']}"}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        answer = requests.request(method, self.url + path, json=body, headers=self.headers,
                                  timeout=30)
        return self._check(answer, path)

    @staticmethod
    def _check(answer: requests.Response, path: str) -> Any:
        if answer.status_code >= 400:
            raise DemoError(f"{path}: HTTP {answer.status_code} {answer.text[:200]}")
        return answer.json()


def _make_office(office: DemoOffice, engine: Engine, today: date) -> None:
    """Admin, roster, HR's reference data, then the employee's and supervisor's devices."""
    url, password = office.server_url, office.password
    with engine.begin() as conn:  # what `asndesk server init` does
        accounts.create_person(conn, time.time(), nip=demo_data.ADMIN.nip,
                               nama=demo_data.ADMIN.nama, password=password, is_admin=True)
    admin = OfficeApi(url, demo_data.ADMIN.nip, password)
    report = admin.call("POST", "/admin/roster/import",
                        {"csv": demo_data.roster_csv(today.year)})
    if report["errors"]:
        raise DemoError(f"roster refused: {report['errors']}")
    people = {p["nip"]: p["id"] for p in admin.call(
        "GET", f"/admin/people?unit={demo_data.UNIT_ID}")}
    admin.call("POST", "/admin/hr", {"person_id": people[demo_data.HR_OFFICER.nip],
                                     "unit_id": demo_data.UNIT_ID})
    for person in demo_data.STAFF:
        admin.call("POST", f"/admin/people/{people[person.nip]}/password",
                   {"password": password})
    hr = OfficeApi(url, demo_data.HR_OFFICER.nip, password)
    hr.call("POST", "/ref/periods/generate", {"tahun": today.year, "pola": "triwulanan"})
    for kode, nama, hari in demo_data.SERVICE_TYPES:
        hr.call("POST", "/ref/service-types",
                {"kode": kode, "nama": nama, "standar_hari_kerja": hari})
    calendar = paths.resource_path("calendars", f"libur-{today.year}.json")
    if calendar.is_file():  # HR publishes the year's holidays (SKB) to every device
        hr.call("PUT", f"/ref/holidays/{today.year}",
                json.loads(calendar.read_text(encoding="utf-8")))
    _make_profiles(office, today)
    (office.home / MARKER).write_text(json.dumps({
        "format": FORMAT, "made_on": today.isoformat(),
        "profiles": [office.employee_nip, office.supervisor_nip]}, indent=1), encoding="utf-8")


def _make_profiles(office: DemoOffice, today: date) -> None:
    """The employee plans, works and syncs; the supervisor approves, rates and comments."""
    employee = _device(office, demo_data.EMPLOYEE)
    supervisor = _device(office, demo_data.SUPERVISOR)
    try:
        _sync(employee)  # HR's periods, service types and holidays first
        plan = demo_data.write_plan(employee.ws, today)
        _sync(employee)
        _sync(supervisor)
        demo_data.approve(supervisor.ws, plan)
        _sync(supervisor)
        _sync(employee)
        demo_data.record_work(employee.ws, plan, today)
        _sync(employee)
        _sync(supervisor)
        demo_data.assess(supervisor.ws, plan, today)
        _sync(supervisor)
        _sync(employee)  # the approval, ratings and umpan balik arrive
        demo_data.log_today(employee.ws, plan, today)  # left queued for the app to send
    finally:
        employee.ws.lock()
        supervisor.ws.lock()


@dataclass
class _Device:
    ws: Workspace
    client: SyncClient


def _device(office: DemoOffice, person: demo_data.DemoPerson) -> _Device:
    ws, _recovery = Workspace.create_profile(
        person.nip, person.nama, office.password, jabatan=person.jabatan,
        golongan=person.golongan, manager=office.manager)
    client = SyncClient(ws, office.server_url)
    client.login(person.nip, office.password, device_name="Laptop demo")
    return _Device(ws, client)


def _sync(device: _Device) -> None:
    report = device.client.sync_once()
    if report.rejected or report.conflicts:
        raise DemoError(f"demo sync refused {report.rejected} change(s), "
                        f"{report.conflicts} conflict(s)")
    device.ws.set_sync_settings(last_success=time.strftime("%Y-%m-%d %H:%M:%S"))


def _reconnect(office: DemoOffice) -> None:
    """Reuse: the server has a new port, so each demo profile logs in to it again."""
    for nip in json.loads((office.home / MARKER).read_text(encoding="utf-8"))["profiles"]:
        ws = Workspace.open(nip, office.password, manager=office.manager)
        try:
            SyncClient(ws, office.server_url).login(nip, office.password,
                                                    device_name="Laptop demo")
        finally:
            ws.lock()
