"""Amendment requests: only for the owner's approved SKP, queued as one op with the request,
one unanswered request at a time, read back with the server's answer."""

from __future__ import annotations

import pytest

from asndesk.amendment_usecases import AmendmentPending
from asndesk.errors import InvalidState, NotFound, ValidationError
from asndesk.store import outbox, remote_repo
from asndesk.workspace import Workspace
from tests.conftest import NIP


def _approved_skp(ws: Workspace) -> str:
    """An SKP submitted here, then approved as a pull would write it (every op answered)."""
    skp = ws.create_skp(2026, "pelaksana").primary_id or ""
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
    ws.add_iki(rhk or "", "KTP-el terekam", "1200", "Keping", aspek="Kuantitas")
    ws.submit_skp(skp)
    head = ws.skp_list(2026)[0]
    with ws.store.write(NIP) as tx:
        for op in outbox.unacked(tx.conn):
            outbox.record_result(tx.conn, op.seq, op.op_id, "acked", {"status": "applied"})
        remote_repo.apply_remote(tx, "skp", skp, head["version"] + 1,
                                 {**head, "status": "Disetujui"})
    assert ws.skp(skp).status.value == "Disetujui"
    return skp


def test_request_queues_one_create_op_and_is_listed(workspace: Workspace) -> None:
    skp = _approved_skp(workspace)
    before = workspace.pending_count()
    changes = workspace.request_amendment(skp, "  Target KTP-el naik karena pemekaran desa \n")
    assert workspace.pending_count() == before + 1
    [op] = workspace.outbox(("pending",))
    assert (op.kind, op.entity_kind, op.entity_id) == ("create", "amandemen", changes.primary_id)
    assert op.payload == {"skp_id": skp, "alasan": "Target KTP-el naik karena pemekaran desa"}
    assert changes.touched("amandemen") and changes.touched("skp")
    [request] = workspace.amendments(skp)
    assert (request["id"], request["state"], request["alasan"]) == (
        changes.primary_id, "pending", "Target KTP-el naik karena pemekaran desa")
    assert workspace.amendments("another-skp") == []
    assert workspace.verify_audit().ok


def test_reason_is_optional_and_a_second_request_waits(workspace: Workspace) -> None:
    skp = _approved_skp(workspace)
    workspace.request_amendment(skp, "   ")
    [op] = workspace.outbox(("pending",))
    assert op.payload == {"skp_id": skp}
    with pytest.raises(AmendmentPending):
        workspace.request_amendment(skp)
    assert workspace.pending_count() == 1
    with workspace.store.write(NIP) as tx:  # the server refused it (e.g. one already open)
        outbox.record_result(tx.conn, op.seq, op.op_id, "rejected",
                             {"reason": "E_INVALID_STATE", "message_id": "amendment_open"})
    [request] = workspace.amendments(skp)
    assert (request["state"], request["message_id"]) == ("rejected", "amendment_open")
    workspace.request_amendment(skp, "Tambah RHK baru")
    assert [a["state"] for a in workspace.amendments(skp)] == ["rejected", "pending"]


def test_refused_before_approval_and_for_bad_input(workspace: Workspace) -> None:
    skp = workspace.create_skp(2026, "pelaksana").primary_id or ""
    with pytest.raises(InvalidState):
        workspace.request_amendment(skp, "Terlalu awal")
    approved = _approved_skp(workspace)
    with pytest.raises(ValidationError) as err:
        workspace.request_amendment(approved, "x" * 2001)
    assert (err.value.field, err.value.code) == ("alasan", "too_long")
    with pytest.raises(NotFound):
        workspace.request_amendment("no-such-skp")
    assert workspace.amendments(approved) == []
    assert not any(op.entity_kind == "amandemen" for op in workspace.outbox())
