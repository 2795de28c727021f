"""Supervisor decisions on the server: only the penilai, on the version seen; predikat computed."""

from __future__ import annotations

from typing import Any

import pytest

from asndesk.store.ids import uuid7
from asndesk.workspace import Workspace
from sync.protocol import OpEnvelope, OpStatus, Partition, Reason
from sync.server.schema import supervisor_link
from tests.sync.conftest import RunningServer
from tests.sync.test_server_sync import (  # the last two are fixtures used below
    NIP_SUP,
    Session,
    _envelopes,
    _session,
    client,  # noqa: F401
    people,  # noqa: F401
)


def _decision(seq: int, kind: str, entity_kind: str, entity_id: str, base: int,
              payload: dict[str, Any]) -> OpEnvelope:
    return OpEnvelope(seq=seq, op_id=uuid7(), kind=kind, entity_kind=entity_kind,
                      entity_id=entity_id, base_version=base, payload=payload,
                      hlc=f"{1763880000000 + seq:013d}-00000-{uuid7()}",
                      device_time="2026-11-23T08:00:00.000+07:00", utc_offset_min=420)


@pytest.fixture
def submitted(client: tuple[Workspace, Session], server: RunningServer,
              people: dict[str, str]) -> tuple[Workspace, Session, Session, str]:
    ws, employee = client
    skp = ws.create_skp(2026, "pelaksana").primary_id or ""
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
    ws.add_iki(rhk or "", "KTP-el terekam", "1200", "Keping", aspek="Kuantitas")
    ws.submit_skp(skp)
    employee.push(_envelopes(ws))
    with server.engine.begin() as conn:
        conn.execute(supervisor_link.insert().values(
            id=uuid7(), pegawai_id=people["pegawai"], penilai_id=people["atasan"],
            berlaku_mulai="2026-01-01"))
    return ws, employee, _session(server, NIP_SUP), skp


def _seen_version(boss: Session, skp: str) -> int:
    from tests.conftest import NIP

    page = boss.pull({Partition("team", NIP): None}).pages[0]
    return next(c.version for c in page.changes if c.entity_id == skp)


def test_only_the_penilai_decides_on_the_version_seen(
    submitted: tuple[Workspace, Session, Session, str]
) -> None:
    ws, employee, boss, skp = submitted
    seen = _seen_version(boss, skp)
    stale = boss.push([_decision(1, "approve", "skp", skp, seen - 1, {})]).results[0]
    assert stale.reason is Reason.STALE_DECISION
    assert stale.params == {"seen": seen - 1, "current": seen}
    next_seq = len(_envelopes(ws)) + 1
    self_approval = employee.push([_decision(next_seq, "approve", "skp", skp, seen, {})])
    assert self_approval.results[0].reason is Reason.FORBIDDEN  # no approving one's own SKP
    silent_return = boss.push([_decision(2, "return", "skp", skp, seen, {})]).results[0]
    assert (silent_return.reason, silent_return.params["field"]) == (Reason.INVALID, "catatan")
    approved = boss.push([_decision(3, "approve", "skp", skp, seen, {})]).results[0]
    assert approved.status is OpStatus.APPLIED
    page = employee.pull({Partition("own"): None}).pages[0]
    state = next(c.data for c in page.changes if c.entity_id == skp)
    assert state is not None and state["status"] == "Disetujui"


def test_rating_computes_the_predikat(submitted: tuple[Workspace, Session, Session, str]
                                      ) -> None:
    _, employee, boss, skp = submitted
    seen = _seen_version(boss, skp)
    rating_id = uuid7()
    early = boss.push([_decision(1, "rate", "penilaian", rating_id, seen, {
        "skp_id": skp, "period_id": "2026-TW1", "rating_hasil_kerja": "Di Atas Ekspektasi",
        "rating_perilaku": "Sesuai Ekspektasi"})]).results[0]
    assert early.reason is Reason.INVALID_STATE  # not approved yet
    boss.push([_decision(2, "approve", "skp", skp, seen, {})])
    rated = boss.push([_decision(3, "rate", "penilaian", rating_id, seen + 1, {
        "skp_id": skp, "period_id": "2026-TW1", "rating_hasil_kerja": "Di Atas Ekspektasi",
        "rating_perilaku": "Sesuai Ekspektasi", "predikat": "Sangat Baik"})]).results[0]
    assert rated.status is OpStatus.APPLIED and rated.params["predikat"] == "Baik"
    missing = boss.push([_decision(4, "rate", "penilaian", uuid7(), seen + 1, {
        "skp_id": skp, "period_id": "2026-TW2", "rating_hasil_kerja": "Sesuai Ekspektasi"}
    )]).results[0]
    assert (missing.reason, missing.params["field"]) == (Reason.INVALID, "rating_perilaku")
    page = employee.pull({Partition("own"): None}).pages[0]
    rating = next(c.data for c in page.changes if c.entity_id == rating_id)
    assert rating is not None and rating["predikat"] == "Baik"


def test_rating_a_period_again_under_a_new_id_replaces_its_rating(
    submitted: tuple[Workspace, Session, Session, str]
) -> None:
    # Regression: a device that rates a period again before syncing the first rating makes a
    # new id for it; the server kept both, so the period had two ratings (the owner's device,
    # one per period, showed only one of them).
    _, employee, boss, skp = submitted
    seen = _seen_version(boss, skp)
    boss.push([_decision(1, "approve", "skp", skp, seen, {})])
    first, second = uuid7(), uuid7()
    for seq, rating_id, hasil in ((2, first, "Sesuai Ekspektasi"),
                                  (3, second, "Di Atas Ekspektasi")):
        rated = boss.push([_decision(seq, "rate", "penilaian", rating_id, seen + 1, {
            "skp_id": skp, "period_id": "2026-TW1", "rating_hasil_kerja": hasil,
            "rating_perilaku": "Sesuai Ekspektasi"})]).results[0]
        assert rated.status is OpStatus.APPLIED
    page = employee.pull({Partition("own"): None}).pages[0]
    ratings = {c.entity_id: c.data for c in page.changes if c.entity_kind == "penilaian"}
    assert list(ratings) == [first]
    assert ratings[first] is not None and ratings[first]["predikat"] == "Baik"
