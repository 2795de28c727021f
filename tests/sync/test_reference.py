"""Reference data on the real server: HR/admin routes, the `ref` partition, closed periods."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from asndesk.paths import resource_path
from asndesk.store.ids import uuid7
from asndesk.store.ledger import partition_checksum
from asndesk.workspace import Workspace
from sync.protocol import (
    MIN_PULL_BYTES,
    Change,
    Cursor,
    OpEnvelope,
    OpStatus,
    Partition,
    PullResponse,
    Reason,
)
from sync.server import accounts, reference_store
from sync.server.db import make_engine, meta, upgrade
from sync.server.schema import audit_event, org_unit, supervisor_link
from sync.server.store_changes import checksum_of
from tests.sync.conftest import RunningServer, _fresh_database
from tests.sync.test_server_admin import Org, org  # noqa: F401  (a fixture)
from tests.sync.test_server_auth import Device, login
from tests.sync.test_server_sync import (  # the last two are fixtures used below
    NIP_SUP,
    Session,
    _envelopes,
    _session,
    client,  # noqa: F401
    people,  # noqa: F401
)

REF = Partition("ref")
NIP_ADMIN = "197501012000031004"


def calendar_file(tahun: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path("calendars", f"libur-{tahun}.json")
                                      .read_text(encoding="utf-8"))
    return data


def _audited(org: Org, action: str) -> int:
    with org.server.engine.connect() as conn:
        return len(conn.execute(select(audit_event.c.id)
                                .where(audit_event.c.action == action)).all())


def test_employees_read_hr_and_admins_write(org: Org) -> None:
    generate = {"tahun": 2026, "pola": "triwulanan"}
    refused = org.call("pegawai", "POST", "/ref/periods/generate", json=generate)
    assert (refused.status_code, refused.json()) == (403, {"error": "forbidden"})
    assert _audited(org, "ref.period.generate.denied") == 1
    for role in ("hr_a", "hr_b", "admin"):  # idempotent: existing periods are kept
        answer = org.call(role, "POST", "/ref/periods/generate", json=generate)
        assert answer.status_code == 200, answer.text
        assert [p["id"] for p in answer.json()] == [
            "2026-TW1", "2026-TW2", "2026-TW3", "2026-TW4", "2026-TH"]
    listed = org.call("pegawai", "GET", "/ref/periods", params={"tahun": 2026}).json()
    assert listed[1]["mulai"] == "2026-04-01" and listed[1]["selesai"] == "2026-06-30"
    assert all(p["status"] == "terbuka" and p["version"] == 1 for p in listed)

    for role, path, body in (
            ("pegawai", "/ref/periods/2026-TW1/close", None),
            ("pegawai", "/ref/service-types", {"kode": "KTP", "nama": "KTP-el",
                                               "standar_hari_kerja": 3}),
            ("pegawai", "/ref/holidays", {"tanggal": "2026-11-23", "nama": "Libur",
                                          "jenis": "cuti_bersama"})):
        assert org.call(role, "POST", path, json=body).status_code == 403
    assert org.call("pegawai", "PUT", "/ref/holidays/2026",
                    json=calendar_file(2026)).status_code == 403
    assert org.call("pegawai", "DELETE", "/ref/holidays/2026-01-01").status_code == 403
    closed = org.call("hr_b", "POST", "/ref/periods/2026-TW1/close")
    assert closed.status_code == 200 and closed.json()["status"] == "ditutup"
    assert _audited(org, "ref.period.close") == 1
    again = org.call("admin", "POST", "/ref/periods/2026-TW1/close")  # nothing changes
    assert again.json()["version"] == closed.json()["version"]
    assert _audited(org, "ref.period.close") == 1

    made = org.call("hr_a", "POST", "/ref/service-types",
                    json={"kode": " KTP ", "nama": "Perekaman KTP-el", "standar_hari_kerja": 3})
    assert made.status_code == 200, made.text
    ktp = made.json()
    assert (ktp["kode"], ktp["aktif"]) == ("KTP", True)
    duplicate = org.call("admin", "POST", "/ref/service-types",
                         json={"kode": "ktp", "nama": "Lagi", "standar_hari_kerja": 1})
    assert (duplicate.status_code, duplicate.json()["error"]) == (409, "duplicate_kode")
    path = f"/ref/service-types/{ktp['id']}"
    assert org.call("pegawai", "PATCH", path, json={"nama": "X"}).status_code == 403
    changed = org.call("hr_b", "PATCH", path, json={"standar_hari_kerja": 5}).json()
    assert (changed["standar_hari_kerja"], changed["version"]) == (5, 2)
    off = org.call("admin", "POST", f"{path}/deactivate").json()
    assert off["aktif"] is False
    assert org.call("pegawai", "GET", "/ref/service-types").json() == []
    every = org.call("pegawai", "GET", "/ref/service-types", params={"semua": "true"}).json()
    assert [t["kode"] for t in every] == ["KTP"]


def test_every_write_route_refuses_employees_and_changes_nothing(org: Org) -> None:
    org.call("hr_a", "POST", "/ref/periods/generate", json={"tahun": 2026, "pola": "semesteran"})
    kk = org.call("hr_a", "POST", "/ref/service-types",
                  json={"kode": "KK", "nama": "KK", "standar_hari_kerja": 1}).json()["id"]
    org.call("hr_a", "POST", "/ref/holidays", json={"tanggal": "2026-11-23", "nama": "Libur",
                                                     "jenis": "cuti_bersama"})
    with org.server.engine.connect() as conn:
        before = meta(conn, "change_seq")
    routes: list[tuple[str, str, Any]] = [
        ("POST", "/ref/periods", {"tahun": 2028, "jenis": "tahunan", "nomor": 1,
                                  "mulai": "2028-01-01", "selesai": "2028-12-31",
                                  "batas_pengisian": "2029-01-08"}),
        ("POST", "/ref/periods/generate", {"tahun": 2028, "pola": "bulanan"}),
        ("PATCH", "/ref/periods/2026-S1", {"batas_pengisian": "2026-07-31"}),
        ("POST", "/ref/periods/2026-S1/close", None),
        ("POST", "/ref/periods/2026-S1/reopen", None),
        ("POST", "/ref/service-types", {"kode": "X", "nama": "X", "standar_hari_kerja": 1}),
        ("PATCH", f"/ref/service-types/{kk}", {"standar_hari_kerja": 9}),
        ("POST", f"/ref/service-types/{kk}/deactivate", None),
        ("DELETE", "/ref/holidays/2026-11-23", None),
        ("PUT", "/ref/holidays/2026", calendar_file(2026)),
        ("POST", "/ref/holidays", {"tanggal": "2026-11-24", "nama": "X", "jenis": "cuti_bersama"}),
    ]
    for method, path, body in routes:
        answer = org.call("pegawai", method, path, json=body)
        assert (answer.status_code, answer.json()) == (403, {"error": "forbidden"}), path
    with org.server.engine.connect() as conn:
        assert meta(conn, "change_seq") == before
        denied = conn.execute(select(audit_event.c.action).where(
            audit_event.c.action.like("ref.%.denied"))).scalars().all()
    assert len(denied) == len(routes)
    for method, path, body in routes:  # an HR officer of another unit may: data is agency-wide
        answer = org.call("hr_b", method, path, json=body)
        assert answer.status_code == 200, (path, answer.text)


def test_validation_codes(org: Org) -> None:
    def post(path: str, body: Any, method: str = "POST") -> tuple[int, dict[str, Any]]:
        answer = org.call("hr_a", method, path, json=body)
        return answer.status_code, answer.json()

    period = {"tahun": 2027, "jenis": "triwulan", "nomor": 1, "mulai": "2027-01-01",
              "selesai": "2027-03-31", "batas_pengisian": "2027-04-07"}
    assert post("/ref/periods", {**period, "nomor": 5}) == (
        422, {"error": "out_of_range", "field": "nomor"})
    assert post("/ref/periods", {**period, "selesai": "2026-12-31"})[1]["error"] == "wrong_year"
    assert post("/ref/periods", {**period, "mulai": "2027-04-01"}) == (
        422, {"error": "end_before_start", "field": "selesai"})
    assert post("/ref/periods", {**period, "batas_pengisian": "2027-03-30"})[1] == {
        "error": "deadline_before_end", "field": "batas_pengisian"}
    created = post("/ref/periods", period)
    assert created[0] == 200 and created[1]["id"] == "2027-TW1"
    assert post("/ref/periods", period) == (409, {"error": "exists"})
    assert post("/ref/periods/generate", {"tahun": 2027, "pola": "bulanan"}) == (
        409, {"error": "other_pattern"})
    monthly = {**period, "jenis": "bulanan", "selesai": "2027-01-31"}
    assert post("/ref/periods", monthly) == (409, {"error": "other_pattern"})
    assert post("/ref/periods/2027-TW1", {"selesai": "2026-12-01"}, "PATCH")[0] == 422
    moved = post("/ref/periods/2027-TW1", {"batas_pengisian": "2027-04-30"}, "PATCH")
    assert moved[0] == 200 and moved[1]["batas_pengisian"] == "2027-04-30"
    assert post("/ref/periods/2099-TW1", {}, "PATCH") == (404, {"error": "not_found"})
    assert post("/ref/periods/2099-TW1/close", None) == (404, {"error": "not_found"})
    assert post("/ref/service-types", {"kode": "   ", "nama": "X",
                                       "standar_hari_kerja": 1})[1]["field"] == "kode"
    assert post("/ref/service-types", {"kode": "A\x00", "nama": "X",
                                       "standar_hari_kerja": 1})[0] == 422
    assert post("/ref/service-types/none", {"nama": "X"}, "PATCH")[0] == 404

    wrong_year = calendar_file(2026)
    assert post("/ref/holidays/2027", wrong_year, "PUT") == (
        422, {"error": "wrong_year", "field": "tahun"})
    assert post("/ref/holidays/2026", {**wrong_year, "hari": "x"}, "PUT")[1]["field"] == "hari"
    assert post("/ref/holidays/2026", {**wrong_year, "sumber": "a\x00"}, "PUT")[0] == 422
    assert post("/ref/holidays/2026", {**wrong_year, "hari": [{"tanggal": "2026-02-30",
                                                                "nama": "X",
                                                                "jenis": "cuti_bersama"}]},
                "PUT")[1] == {"error": "bad_date", "field": "tanggal"}
    assert post("/ref/holidays", {"tanggal": "2026-13-01", "nama": "X",
                                  "jenis": "cuti_bersama"})[0] == 422
    assert post("/ref/holidays/2026-01-01", None, "DELETE") == (404, {"error": "not_found"})


def _ref_session(server: RunningServer, nip: str, password: str) -> Session:
    answer = login(server, nip, password, Device())
    assert answer.status_code == 200, answer.text
    return Session(server, answer.json()["access_token"], "")


def _pull_all(session: Session, cursor: Cursor | None, max_bytes: int
              ) -> tuple[list[Change], Cursor, list[PullResponse]]:
    changes: list[Change] = []
    answers = []
    while True:
        answer = session.pull({REF: cursor}, max_bytes)
        answers.append(answer)
        page = answer.pages[0]
        changes.extend(page.changes)
        cursor = page.cursor
        if not page.more:
            return changes, cursor, answers


def test_ref_partition_pages_cursor_and_checksum(org: Org) -> None:
    from tests.sync.test_server_admin import NIP, PASSWORD

    assert org.call("admin", "POST", "/admin/units",
                    json={"id": "KEC-03", "nama": "Kecamatan Baru"}).status_code == 200
    assert org.call("admin", "POST", "/admin/units", json={
        "id": "KEL-031", "nama": "Kelurahan Satu", "induk_id": "KEC-03"}).status_code == 200
    assert org.call("admin", "PUT", "/ref/holidays/2026",
                    json=calendar_file(2026)).status_code == 200
    org.call("hr_a", "POST", "/ref/periods/generate", json={"tahun": 2026, "pola": "semesteran"})
    org.call("hr_a", "POST", "/ref/service-types",
             json={"kode": "KK", "nama": "Kartu Keluarga", "standar_hari_kerja": 2})
    # A parent changed after its child: pages carry only its newest version, after the child.
    org.call("admin", "POST", "/admin/units", json={"id": "KEC-03", "nama": "Kecamatan Tiga"})

    reader = _ref_session(org.server, NIP["pegawai"], PASSWORD)
    changes, cursor, answers = _pull_all(reader, None, MIN_PULL_BYTES)
    assert len(answers) > 1  # 4 KB pages: the 25 holidays alone need more than one
    kinds: dict[str, list[str]] = {}
    for change in changes:
        kinds.setdefault(change.entity_kind, []).append(change.entity_id)
    assert kinds["org_unit"] == ["KEL-031", "KEC-03"]
    assert len(kinds["holiday"]) == len(calendar_file(2026)["hari"])
    assert kinds["period"] == ["2026-S1", "2026-S2", "2026-TH"]
    assert len(kinds["service_type"]) == 1
    by_id = {c.entity_id: c for c in changes}
    assert by_id["KEC-03"].data == {"id": "KEC-03", "kode": None, "nama": "Kecamatan Tiga",
                                    "induk_id": None}
    service_type = by_id[kinds["service_type"][0]].data
    assert service_type is not None and service_type["sumber"] == "server"
    live = [(c.entity_kind, c.entity_id, c.version) for c in changes]
    assert answers[-1].pages[0].checksum == partition_checksum(live)
    with org.server.engine.connect() as conn:
        assert cursor == Cursor(meta(conn, "epoch"), int(meta(conn, "change_seq")))

    quiet = reader.pull({REF: cursor}).pages[0]
    assert quiet.changes == () and not quiet.more and quiet.cursor == cursor

    moved = calendar_file(2026)
    gone = moved["hari"].pop(0)
    moved["hari"][0]["nama"] = "Nama baru"
    report = org.call("hr_a", "PUT", "/ref/holidays/2026", json=moved).json()
    assert (report["added"], report["updated"], report["removed"]) == (0, 1, 1)
    delta = reader.pull({REF: cursor}).pages[0]
    assert [(c.entity_id, c.data is None) for c in delta.changes] == [
        (moved["hari"][0]["tanggal"], False), (gone["tanggal"], True)]
    current = {(c.entity_kind, c.entity_id): c.version for c in changes}
    for change in delta.changes:
        current.pop((change.entity_kind, change.entity_id))
        if change.data is not None:
            current[(change.entity_kind, change.entity_id)] = change.version
    assert delta.checksum == partition_checksum((k, i, v) for (k, i), v in current.items())


def test_ref_partition_needs_a_login(server: RunningServer) -> None:
    answer = Session(server, "not-a-token", "").post(
        "/sync/v1/pull", {"protocol": 1, "max_bytes": MIN_PULL_BYTES, "cursors": {"ref": None}})
    assert answer.status_code == 401


# --- closed periods on the server ---------------------------------------------------------

def _op(seq: int, kind: str, entity_kind: str, entity_id: str, base: int | None,
        payload: dict[str, Any]) -> OpEnvelope:
    return OpEnvelope(seq=seq, op_id=uuid7(), kind=kind, entity_kind=entity_kind,
                      entity_id=entity_id, base_version=base, payload=payload,
                      hlc=f"{1763880000000 + seq:013d}-00000-{uuid7()}",
                      device_time="2026-11-23T08:00:00.000+07:00", utc_offset_min=420)


@pytest.fixture
def admin(server: RunningServer) -> Session:
    from tests.conftest import PASSWORD

    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP_ADMIN, nama="Admin",
                               password=PASSWORD, is_admin=True)
    return _ref_session(server, NIP_ADMIN, PASSWORD)


def _admin_call(server: RunningServer, admin: Session, method: str, path: str,
                body: Any = None) -> dict[str, Any]:
    import requests

    answer = requests.request(method, server.url + path, json=body, timeout=30,
                              headers={"Authorization": f"Bearer {admin.token}"})
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json() if isinstance(answer.json(), dict) else {}
    return result


def test_closed_period_refuses_realisasi_logs_and_ratings_until_reopened(
        client: tuple[Workspace, Session], server: RunningServer, people: dict[str, str],
        admin: Session) -> None:
    ws, employee = client
    skp = ws.create_skp(2026, "pelaksana").primary_id or ""
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
    iki = ws.add_iki(rhk or "", "KTP-el terekam", "1200", "Keping",
                     aspek="Kuantitas").primary_id or ""
    ws.submit_skp(skp)
    ws.add_service_type("KTP", "Perekaman KTP-el", 3)
    assert all(r.status is OpStatus.APPLIED for r in employee.push(_envelopes(ws)).results)
    with server.engine.begin() as conn:
        conn.execute(supervisor_link.insert().values(
            id=uuid7(), pegawai_id=people["pegawai"], penilai_id=people["atasan"],
            berlaku_mulai="2026-01-01"))
    boss = _session(server, NIP_SUP)
    from tests.conftest import NIP

    def version() -> int:  # what the supervisor sees now (realisasi move the SKP's version)
        changes = boss.pull({Partition("team", NIP): None}).pages[0].changes
        return next(c.version for c in changes if c.entity_id == skp)

    seen = version()
    assert boss.push([_op(1, "approve", "skp", skp, seen, {})]).results[0].status \
        is OpStatus.APPLIED
    _admin_call(server, admin, "POST", "/ref/periods/generate",
                {"tahun": 2026, "pola": "triwulanan"})
    _admin_call(server, admin, "POST", "/ref/periods/2026-TW1/close")

    # The device has not heard of the closing yet: its own periods are open.
    ws.ensure_periods(2026)
    pushed = len(ws.outbox())
    ws.record_realisasi(iki, "2026-TW1", "300 KTP-el terekam")
    ws.add_log("2026-02-10", "08:00", "10:00", "Merekam KTP-el")
    ws.add_service_log("KTP", "2026-02-10 09:00", selesai="2026-02-12 10:00")
    ws.record_realisasi(iki, "2026-TW2", "350 KTP-el terekam")
    results = employee.push(_envelopes(ws, pushed)).results
    assert [(r.status, r.reason, r.message_id, dict(r.params)) for r in results] == [
        (OpStatus.REJECTED, Reason.PERIOD_CLOSED, "period_closed", {"period_id": "2026-TW1"}),
        (OpStatus.REJECTED, Reason.PERIOD_CLOSED, "period_closed", {"period_id": "2026-TW1"}),
        (OpStatus.APPLIED, None, None, {}),   # service logs are the office's register
        (OpStatus.APPLIED, None, None, {}),
    ]
    rating = {"skp_id": skp, "period_id": "2026-TW1", "rating_hasil_kerja":
              "Sesuai Ekspektasi", "rating_perilaku": "Sesuai Ekspektasi"}
    refused = boss.push([_op(2, "rate", "penilaian", uuid7(), version(), rating)]).results[0]
    assert (refused.reason, refused.message_id) == (Reason.PERIOD_CLOSED, "period_closed")
    # A closed annual period locks every day of the year for log harian.
    _admin_call(server, admin, "POST", "/ref/periods/2026-TH/close")
    seq = len(ws.outbox()) + 1
    late = employee.push([_op(seq, "create", "log_harian", uuid7(), None, {
        "tanggal": "2026-08-03", "jam_mulai": "08:00", "jam_selesai": "09:00",
        "kegiatan": "Rapat"})]).results[0]
    assert (late.reason, late.params["period_id"]) == (Reason.PERIOD_CLOSED, "2026-TH")

    _admin_call(server, admin, "POST", "/ref/periods/2026-TW1/reopen")
    _admin_call(server, admin, "POST", "/ref/periods/2026-TH/reopen")
    again = employee.push([
        _op(seq + 1, "create", "realisasi", uuid7(), None,
            {"iki_id": iki, "period_id": "2026-TW1", "uraian": "300 KTP-el terekam"}),
        _op(seq + 2, "create", "log_harian", uuid7(), None, {
            "tanggal": "2026-02-10", "jam_mulai": "08:00", "jam_selesai": "09:00",
            "kegiatan": "Merekam KTP-el"})]).results
    assert [r.status for r in again] == [OpStatus.APPLIED, OpStatus.APPLIED]
    rated = boss.push([_op(3, "rate", "penilaian", uuid7(), version(), rating)]).results[0]
    assert rated.status is OpStatus.APPLIED, rated


def test_roster_import_publishes_new_units(org: Org) -> None:
    from tests.sync.test_server_admin import NIP, PASSWORD, ROSTER

    assert org.call("admin", "POST", "/admin/roster/import", json={"csv": ROSTER}).ok
    reader = _ref_session(org.server, NIP["pegawai"], PASSWORD)
    changes, _, _ = _pull_all(reader, None, 256 * 1024)
    assert [(c.entity_id, (c.data or {}).get("nama")) for c in changes] == [
        ("KEL-01", "Kelurahan Baru")]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_publishes_the_units_that_existed(backend: str, tmp_path: Path) -> None:
    engine = make_engine(_fresh_database(backend, tmp_path))
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="KAB-01", nama="Kabupaten"))
        conn.execute(org_unit.insert().values(id="KEC-01-SUKAMAJU-DENGAN-NAMA-PANJANG-SEKALI",
                                              nama="Kecamatan", induk_id="KAB-01"))
    upgrade(engine)
    with engine.connect() as conn:
        head = int(meta(conn, "change_seq"))
        rows = conn.execute(reference_store.changes_query(0, head, 100)).all()
        assert [(r.id, json.loads(r.data)["induk_id"]) for r in rows] == [
            ("KAB-01", None), ("KEC-01-SUKAMAJU-DENGAN-NAMA-PANJANG-SEKALI", "KAB-01")]
        assert checksum_of(conn, [reference_store.REF_OWNER]) == partition_checksum(
            (r.kind, r.id, r.version) for r in rows)
    engine.dispose()
