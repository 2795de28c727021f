"""Pushing the outbox: contiguous batches sized by bytes, adapting to how the link performs.

A batch aims at `TARGET_SECONDS` on the wire: after a quick answer the byte budget doubles,
after a slow one or a failure it halves (a reset then costs less to send again). The budget is
remembered in the profile, so the next sync starts where this one ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from asndesk.store.outbox import Op
from sync import wire
from sync.progress import Progress
from sync.protocol import PUSH_PATH, OpEnvelope, OpStatus, ProtocolError, PushRequest, PushResponse

if TYPE_CHECKING:
    from sync.client import SyncClient, SyncReport

MIN_BATCH_BYTES = 16 * 1024
MAX_BATCH_BYTES = 2 * 1024 * 1024  # raw JSON; the server takes 8 MiB bodies and 500 ops
TARGET_SECONDS = 8.0


class PushBudget:
    """The byte budget of the next batch (raw JSON of its ops)."""

    def __init__(self, start: int) -> None:
        self.bytes = min(MAX_BATCH_BYTES, max(MIN_BATCH_BYTES, start))

    def answered(self, seconds: float) -> None:
        if seconds < TARGET_SECONDS / 3:
            self.bytes = min(MAX_BATCH_BYTES, self.bytes * 2)
        elif seconds > TARGET_SECONDS * 2:
            self.bytes = max(MIN_BATCH_BYTES, self.bytes // 2)

    def failed(self) -> None:
        self.bytes = max(MIN_BATCH_BYTES, self.bytes // 2)


def contiguous_batch(ops: list[Op], budget: int) -> tuple[list[Op], int]:
    """A contiguous run of ops within `budget` bytes (at least one op), and its size."""
    batch: list[Op] = []
    size = 0
    for op in ops:
        if batch and (op.seq != batch[-1].seq + 1 or size > budget):
            break
        batch.append(op)
        size += len(wire.dumps(OpEnvelope.from_outbox(op).to_wire()))
    return batch, size


# Sends one encoded PushRequest and returns the decoded answer (default: `/sync/v1/push`).
Sender = Callable[[dict[str, Any], "SyncReport"], dict[str, Any]]


class PushEngine:
    """Sends one client's queued ops; answers are recorded as they arrive.

    `send` replaces the route and its authentication (a revoked device's final push signs
    each body instead of sending a token, sync/final_push.py); batching stays the same.
    """

    def __init__(self, client: SyncClient, start_bytes: int, send: Sender | None = None) -> None:
        self.client = client
        self.send: Sender = send or (lambda message, report: client.call(PUSH_PATH, message,
                                                                           report))
        self.ws = client.ws
        stored = self.ws.sync_setting("push_bytes")
        self.budget = PushBudget(int(stored) if stored else start_bytes)

    def push_all(self, report: SyncReport) -> None:
        """Everything queued, oldest first; a gap the server reports is filled from there."""
        ops = self.ws.unacked_ops()
        counts = self.ws.outbox_counts()
        total, sent_bytes = counts["pending"] + counts["sent"], 0
        while ops:
            batch, size = contiguous_batch(ops, self.budget.bytes)
            self.ws.mark_sent([op.seq for op in batch])
            answer = self._send(batch, report)
            report.pushed += len(batch)
            sent_bytes += size
            for result in answer.results:
                report.acked += result.status is OpStatus.APPLIED
                report.rejected += result.status is OpStatus.REJECTED
                report.conflicts += result.status is OpStatus.CONFLICT
            self.client.notify(Progress("push", min(report.pushed, total), total, sent_bytes, 0))
            if answer.need_from is not None:
                # The server lacks earlier ops (e.g. restored from a backup): send from there.
                ops = self._from(answer.need_from)
                continue
            ops = self.ws.unacked_ops()
        self._remember()

    def repush_from(self, server_seq: int, report: SyncReport) -> None:
        """Send again every op from the first one acked after `server_seq` (replays are safe)."""
        first = self.ws.first_acked_after(server_seq)
        ops = self.ws.ops_from(first) if first is not None else []
        while ops:
            batch, _ = contiguous_batch(ops, self.budget.bytes)
            answer = self._send(batch, report)
            report.repushed += len(answer.results)
            ops = (self._from(answer.need_from) if answer.need_from is not None
                   else self.ws.ops_from(batch[-1].seq + 1))
        self._remember()

    def _send(self, batch: list[Op], report: SyncReport) -> PushResponse:
        from sync.client import TransientError  # noqa: PLC0415 (client imports this module)

        message = PushRequest(self.ws.store.device_id,
                              tuple(OpEnvelope.from_outbox(op) for op in batch),
                              sent_at=self.client.sent_at())
        started = time.monotonic()
        try:
            answer = PushResponse.from_wire(self.send(message.to_wire(), report))
        except ProtocolError:
            self.budget.failed()
            raise TransientError("bad_answer") from None
        except TransientError:
            self.budget.failed()
            self._remember()
            raise
        self.budget.answered(time.monotonic() - started)
        self.ws.record_push_results([r.to_wire() for r in answer.results])
        if not answer.results and answer.need_from is None:
            raise TransientError("no_progress")
        return answer

    def _from(self, seq: int) -> list[Op]:
        from sync.client import SyncError  # noqa: PLC0415

        ops = self.ws.ops_from(seq)
        if not ops or ops[0].seq != seq:
            raise SyncError("need_from_unavailable")
        return ops

    def _remember(self) -> None:
        if self.ws.sync_setting("push_bytes") != str(self.budget.bytes):
            self.ws.set_sync_settings(push_bytes=str(self.budget.bytes))
