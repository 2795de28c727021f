"""The client engine pulls HR's reference data (`ref`) into the local tables and respects it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from asndesk.errors import PeriodClosed, ValidationError
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.server import accounts
from tests.conftest import NIP, PASSWORD
from tests.sync.conftest import RunningServer
from tests.sync.test_reference import (  # the last one is a fixture used below
    _admin_call,
    admin,  # noqa: F401
    calendar_file,
)
from tests.sync.test_server_sync import Session


@pytest.fixture
def synced(workspace: Workspace, server: RunningServer) -> tuple[Workspace, SyncClient]:
    with server.engine.begin() as conn:
        accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                               password=PASSWORD)
    client = SyncClient(workspace, server.url)
    client.login(NIP, PASSWORD, "PC kantor")
    return workspace, client


def _rows(ws: Workspace, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.store.query(sql, params)]


def test_ref_pull_fills_local_tables_and_hr_types_replace_local_ones(
        synced: tuple[Workspace, SyncClient], server: RunningServer, admin: Session) -> None:
    ws, client = synced
    ws.add_service_type("KTP", "Perekaman KTP-el", 3)
    local_type = ws.service_types()[0]["id"]
    log_id = ws.add_service_log("KTP", "2026-11-20 09:00", selesai="2026-11-25 10:00").primary_id
    ws.ensure_periods(2026, "bulanan")  # local defaults until HR's periods arrive
    skp = ws.create_skp(2026, "pelaksana").primary_id or ""
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
    iki = ws.add_iki(rhk or "", "KTP-el terekam", "1200", "Keping",
                     aspek="Kuantitas").primary_id or ""
    ws.record_realisasi(iki, "2026-01", "100 KTP-el terekam")
    assert client.sync_once(["own"]).rejected == 0

    call = _admin_call
    call(server, admin, "POST", "/ref/periods/generate", {"tahun": 2026, "pola": "triwulanan"})
    call(server, admin, "POST", "/ref/periods/2026-TW1/close")
    hr_type = call(server, admin, "POST", "/ref/service-types",
                   {"kode": "KTP", "nama": "Perekaman KTP-el (resmi)", "standar_hari_kerja": 5})
    holidays = calendar_file(2026)
    holidays["hari"].append({"tanggal": "2026-11-23", "nama": "Cuti bersama daerah",
                             "jenis": "cuti_bersama"})
    call(server, admin, "PUT", "/ref/holidays/2026", holidays)
    call(server, admin, "POST", "/admin/units", {"id": "KEC-03", "nama": "Kecamatan Tiga"})
    call(server, admin, "POST", "/admin/units",
         {"id": "KEL-031", "nama": "Kelurahan Satu", "induk_id": "KEC-03"})

    report = client.sync_once(["own", "ref"])
    assert report.pulled >= 5 + 1 + len(holidays["hari"]) + 2
    periods = {r[0]: r[1:] for r in _rows(ws, "SELECT id, status, sumber FROM period"
                                              " WHERE tahun = 2026")}
    assert periods == {
        "2026-TW1": ("ditutup", "server"), "2026-TW2": ("terbuka", "server"),
        "2026-TW3": ("terbuka", "server"), "2026-TW4": ("terbuka", "server"),
        "2026-TH": ("terbuka", "server"),
        "2026-01": ("terbuka", "lokal"),  # a realisasi names it: kept
    }
    assert [(t["id"], t["kode"], t["standar_hari_kerja"], t["sumber"])
            for t in ws.service_types()] == [(hr_type["id"], "KTP", 5, "server")]
    assert _rows(ws, "SELECT service_type_id FROM service_log WHERE id = ?", log_id) == [
        (hr_type["id"],)]
    moved = [(op.kind, op.entity_kind, op.entity_id) for op in ws.outbox(("pending",))]
    assert moved == [("edit_fields", "service_log", log_id),
                     ("delete", "service_type", local_type)]
    assert _rows(ws, "SELECT id, induk_id FROM org_unit WHERE id LIKE 'KE%-03%' ORDER BY id"
                 ) == [("KEC-03", None), ("KEL-031", "KEC-03")]

    # The merge reaches the server: the service log now names HR's type there too.
    after = client.sync_once(["own", "ref"])
    assert (after.acked, after.rejected) == (2, 0)
    assert ws.outbox(("pending", "sent", "rejected")) == []

    # Working days now skip the day HR added (Fri 20 → Wed 25 Nov: 3 days, minus Mon 23).
    assert ws.calendar().is_holiday(date(2026, 11, 23))
    second = ws.add_service_log("KTP", "2026-11-20 09:00", selesai="2026-11-25 10:00")
    assert _rows(ws, "SELECT durasi_hari_kerja FROM service_log WHERE id = ?",
                 second.primary_id) == [(2,)]


def test_closed_periods_refuse_local_writes_until_reopened(
        synced: tuple[Workspace, SyncClient], server: RunningServer, admin: Session) -> None:
    ws, client = synced
    skp = ws.create_skp(2026, "pelaksana").primary_id or ""
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
    iki = ws.add_iki(rhk or "", "KTP-el terekam", "1200", "Keping",
                     aspek="Kuantitas").primary_id or ""
    log_id = ws.add_log("2026-02-10", "08:00", "10:00", "Merekam KTP-el").primary_id or ""
    _admin_call(server, admin, "POST", "/ref/periods/generate",
                {"tahun": 2026, "pola": "triwulanan"})
    _admin_call(server, admin, "POST", "/ref/periods/2026-TW1/close")
    client.sync_once(["own", "ref"])
    queued = len(ws.outbox())

    with pytest.raises(PeriodClosed) as refused:
        ws.record_realisasi(iki, "2026-TW1", "300 KTP-el terekam")
    assert str(refused.value) == "Periode 2026-TW1 sudah ditutup."
    with pytest.raises(PeriodClosed):
        ws.add_log("2026-03-02", "08:00", "10:00", "Merekam KTP-el")
    with pytest.raises(PeriodClosed):
        ws.edit_log(log_id, tanggal="2026-05-04")  # moving a day out of a closed period
    with pytest.raises(PeriodClosed):
        ws.delete_log(log_id)
    assert len(ws.outbox()) == queued  # nothing was queued
    ws.record_realisasi(iki, "2026-TW2", "350 KTP-el terekam")  # other periods stay open

    _admin_call(server, admin, "POST", "/ref/periods/2026-TW1/reopen")
    client.sync_once(["own", "ref"])
    ws.record_realisasi(iki, "2026-TW1", "300 KTP-el terekam")
    ws.add_log("2026-03-02", "08:00", "10:00", "Merekam KTP-el")
    report = client.sync_once(["own", "ref"])
    assert (report.acked, report.rejected) == (2, 0)


def test_deactivated_service_type_takes_no_new_logs(
        synced: tuple[Workspace, SyncClient], server: RunningServer, admin: Session) -> None:
    ws, client = synced
    made = _admin_call(server, admin, "POST", "/ref/service-types",
                       {"kode": "KK", "nama": "Kartu Keluarga", "standar_hari_kerja": 2})
    client.sync_once(["own", "ref"])
    ws.add_service_log("KK", "2026-11-20 09:00")
    with pytest.raises(ValidationError):
        ws.add_service_type("KK", "Kartu Keluarga lokal", 1)  # HR's kode is taken
    _admin_call(server, admin, "POST", f"/ref/service-types/{made['id']}/deactivate")
    client.sync_once(["own", "ref"])
    assert ws.service_types() == []
    with pytest.raises(ValidationError) as refused:
        ws.add_service_log("KK", "2026-11-21 09:00")
    assert refused.value.code == "inactive"
    assert client.sync_once(["own", "ref"]).rejected == 0
