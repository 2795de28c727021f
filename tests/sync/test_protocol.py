"""Protocol messages: what arrives is validated; what leaves round-trips; checksums agree."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asndesk.store.ids import uuid7
from asndesk.store.ledger import change_digest, partition_checksum
from asndesk.workspace import Workspace
from sync import wire
from sync.protocol import (
    Change,
    Cursor,
    OpEnvelope,
    OpResult,
    OpStatus,
    Partition,
    ProtocolError,
    PullPage,
    PullRequest,
    PushRequest,
    PushResponse,
    Reason,
)

DEVICE = "01a20964-902a-7e48-bdc2-21082e93567a"


def _op(seq: int, **over: Any) -> dict[str, Any]:
    op = {"seq": seq, "op_id": uuid7(), "kind": "create", "entity_kind": "log_harian",
          "entity_id": uuid7(), "base_version": None, "payload": {"kegiatan": "Rapat"},
          "hlc": f"{1763880000000 + seq:013d}-00000-{DEVICE}",
          "device_time": "2026-11-23T08:00:00.000+07:00", "utc_offset_min": 420}
    op.update(over)
    return op


def test_outbox_ops_travel_unchanged(workspace: Workspace) -> None:
    workspace.add_log("2026-11-20", "08:00", "09:00", "Rapat koordinasi")
    log_id = workspace.logs()[0]["id"]
    workspace.edit_log(log_id, kegiatan="Rapat koordinasi desa")
    ops = workspace.outbox()
    request = PushRequest(workspace.store.device_id,
                          tuple(OpEnvelope.from_outbox(op) for op in ops))
    again = PushRequest.from_wire(wire.decode(wire.encode(request.to_wire()), "zstd"))
    assert again == request
    assert [op.kind for op in again.ops] == ["create", "edit_fields"]
    assert again.ops[1].base_version == 1


@pytest.mark.parametrize(("mutate", "code"), [
    (lambda ops: ops.__setitem__(1, _op(5)), "not_contiguous"),
    (lambda ops: ops[0].update(kind="drop_table"), "unknown_kind"),
    (lambda ops: ops[0].update(entity_kind="user"), "unknown_entity"),
    (lambda ops: ops[0].update(op_id="not-a-uuid"), "bad_id"),
    (lambda ops: ops[0].update(seq=0), "bad_seq"),
    (lambda ops: ops[0].update(seq=True), "bad_type"),
    (lambda ops: ops[0].update(payload=["x"]), "bad_type"),
    (lambda ops: ops[0].update(utc_offset_min=9999), "bad_offset"),
    (lambda ops: ops[0].update(hlc="yesterday"), "bad_hlc"),
    (lambda ops: ops[0].pop("entity_id"), "missing"),
    (lambda ops: ops[1].update(op_id=ops[0]["op_id"]), "duplicate_op_id"),
    (lambda ops: ops.clear(), "bad_batch_size"),
])
def test_bad_pushes_are_refused_with_a_code(mutate: Any, code: str) -> None:
    ops = [_op(7), _op(8)]
    mutate(ops)
    with pytest.raises(ProtocolError) as err:
        PushRequest.from_wire({"protocol": 1, "device_id": DEVICE, "ops": ops})
    assert err.value.code == code
    assert "Rapat" not in str(err.value)  # errors never echo content


def test_other_protocol_versions_are_refused() -> None:
    with pytest.raises(ProtocolError) as err:
        PushRequest.from_wire({"protocol": 2, "device_id": DEVICE, "ops": [_op(1)]})
    assert err.value.code == "unsupported_protocol"


def test_push_response_round_trip_and_rules() -> None:
    op_id = uuid7()
    response = PushResponse(
        epoch="e1",
        results=(OpResult(3, op_id, OpStatus.APPLIED, version=2, server_seq=41),
                 OpResult(4, uuid7(), OpStatus.REJECTED, reason=Reason.STALE_DECISION,
                          message_id="stale", params={"seen": 3, "current": 4},
                          current={"status": "Diajukan"})),
    )
    assert PushResponse.from_wire(wire.decode(wire.encode(response.to_wire()), "zstd")) == response
    with pytest.raises(ProtocolError):  # a rejection must say why
        OpResult.from_wire({"seq": 1, "op_id": op_id, "status": "rejected"})
    with pytest.raises(ProtocolError):  # an application must say the new version
        OpResult.from_wire({"seq": 1, "op_id": op_id, "status": "applied"})
    with pytest.raises(ProtocolError):
        PushResponse.from_wire({"protocol": 1, "epoch": "e", "results": []})
    gap = PushResponse.from_wire({"protocol": 1, "epoch": "e", "results": [], "need_from": 12})
    assert gap.need_from == 12


@pytest.mark.parametrize("text", ["own", "ref", "team:198609262015051001", "unit:KEC-01"])
def test_partitions_round_trip(text: str) -> None:
    assert str(Partition.parse(text)) == text


@pytest.mark.parametrize("text", ["", "own:x", "team:123", "team:", "unit:", "unit:a b",
                                  "all", "ref:1", "unit:" + "x" * 65])
def test_bad_partitions(text: str) -> None:
    with pytest.raises(ProtocolError):
        Partition.parse(text)


def test_pull_messages_round_trip_and_limits() -> None:
    request = PullRequest({Partition("own"): Cursor("e1", 40), Partition("ref"): None})
    assert PullRequest.from_wire(request.to_wire()) == request
    too_big = request.to_wire() | {"max_bytes": 10**9}
    with pytest.raises(ProtocolError):
        PullRequest.from_wire(too_big)
    page = PullPage(Partition("own"), (Change(41, "log_harian", uuid7(), 2, {"kegiatan": "x"}),
                                       Change(44, "log_harian", uuid7(), 1, None)),
                    Cursor("e1", 44), "00000000000000ff", more=False)
    assert PullPage.from_wire(wire.decode(wire.encode(page.to_wire(), "gzip"), "gzip")) == page
    unordered = page.to_wire()
    unordered["changes"].reverse()
    with pytest.raises(ProtocolError):
        PullPage.from_wire(unordered)


@given(st.lists(st.tuples(st.sampled_from(["skp", "log_harian"]), st.uuids().map(str),
                          st.integers(1, 50)), max_size=40, unique_by=lambda t: t[1]))
def test_checksum_is_order_independent_and_incremental(items: list) -> None:
    shuffled = items[:]
    random.Random(1).shuffle(shuffled)
    assert partition_checksum(items) == partition_checksum(shuffled)
    if items:
        kind, entity_id, version = items[0]
        bumped = [(kind, entity_id, version + 1), *items[1:]]
        assert partition_checksum(bumped) != partition_checksum(items)
        # The server's incremental update (subtract old digest, add new) gives the same value.
        total = int(partition_checksum(items), 16)
        total = (total - change_digest(kind, entity_id, version)
                 + change_digest(kind, entity_id, version + 1)) % 2**64
        assert f"{total:016x}" == partition_checksum(bumped)
