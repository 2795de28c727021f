"""A revoked device's final push (architecture §4): send the queue, close, then crypto-shred.

When the office revoked a device but allowed a final push (a laptop being retired, not a
stolen one), the `device_revoked` answer says `final_push: true`. The device then sends its
pending ops, oldest first in contiguous batches, through the same `PushEngine` as a normal
sync but to `FINAL_PUSH_PATH`, each body signed by the device key instead of a token (the
refresh tokens died with the revocation); it records the answers and calls `done`. Ops the
server refused are only reported: the profile is erased anyway.

If any of that fails on the way (no link, a reset, a server error), the profile is kept,
locked, and the next sync tries again (`FinalPushPending`): the wipe never loses what the
policy allows to be saved. When the server says no final push is allowed (any more: window
over, closed, account disabled), the caller erases as it always did.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial

from sync.client import DeviceRevoked, FinalPushPending, SyncClient, SyncError, SyncReport
from sync.protocol import (
    FINAL_DONE_CONTEXT,
    FINAL_PUSH_CONTEXT,
    FINAL_PUSH_DONE_PATH,
    FINAL_PUSH_PATH,
    PROTOCOL_VERSION,
)
from sync.push_engine import PushEngine

REFUSED = "final_push_refused"  # the server's one answer to any refused final push


@dataclass(frozen=True)
class RefusedOp:
    """An op the server rejected or held as a conflict; it is lost with the profile."""

    seq: int
    kind: str
    entity_kind: str
    state: str  # "rejected" or "conflict"


def final_push(client: SyncClient) -> SyncReport:
    """Send everything queued through the signed route, then close it (`done`).

    Raises `FinalPushPending` for anything worth another attempt and `SyncError(REFUSED)`
    when the server allows no final push.
    """
    report = SyncReport()
    engine = PushEngine(client, client.pusher.budget.bytes,
                        send=partial(client.signed_call, FINAL_PUSH_PATH, FINAL_PUSH_CONTEXT))
    done = json.dumps({"protocol": PROTOCOL_VERSION,
                       "device_id": client.ws.store.device_id}).encode()
    try:
        engine.push_all(report)
        client.signed_post(FINAL_PUSH_DONE_PATH, FINAL_DONE_CONTEXT, done, "application/json",
                           report)
    except SyncError as err:
        if err.code == REFUSED:
            raise
        raise FinalPushPending("final_push_pending") from None
    return report


def settle(client: SyncClient, revoked: DeviceRevoked) -> None:
    """Make the final push `revoked` allows, once; then `revoked.final_report` holds what it
    sent. `FinalPushPending` when it did not complete (keep the profile and retry); when
    the server refuses it, `revoked.final_push` becomes False (erase as before)."""
    if not revoked.final_push or revoked.final_report is not None:
        return
    try:
        revoked.final_report = final_push(client)
    except FinalPushPending:
        raise
    except SyncError as err:
        if err.code != REFUSED:
            raise FinalPushPending("final_push_pending") from None
        revoked.final_push = False


def refused_ops(client: SyncClient) -> list[RefusedOp]:
    """What the server rejected or held as a conflict (reported before the wipe)."""
    return [RefusedOp(op.seq, op.kind, op.entity_kind, op.state)
            for op in client.ws.outbox(("rejected", "conflict"))]
