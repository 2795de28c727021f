"""Settling sync conflicts: the same field changed on two devices, shown side by side.

The server kept its value and recorded the device's; the owner now keeps theirs (a new
edit based on the server's version), keeps the server's, or types a merged value.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asndesk.errors import NotFound, ValidationError
from asndesk.i18n import N_
from asndesk.store import ledger, outbox, rows
from asndesk.store.database import Changes, WriteTx

if TYPE_CHECKING:
    from asndesk.store.database import Store

RESOLUTIONS = ("mine", "theirs", "merged")


@dataclass(frozen=True)
class FieldConflict:
    field: str
    mine: Any  # the value this device sent
    theirs: Any  # the value the server kept


@dataclass(frozen=True)
class Conflict:
    """One conflicting op: which record, and each field's two values."""

    seq: int
    entity_kind: str
    entity_id: str
    created_at: str
    fields: tuple[FieldConflict, ...]
    server_version: int


@dataclass(frozen=True)
class Rejection:
    """One op the server refused, with its stable reason code and message id (the UI says
    why in plain words and offers a way to fix it)."""

    seq: int
    kind: str
    entity_kind: str
    entity_id: str
    created_at: str
    device_time: str
    reason: str  # e.g. "E_PERIOD_CLOSED" (sync/protocol.py Reason)
    message_id: str  # e.g. "period_closed"
    params: dict[str, Any]


class ConflictUseCases:
    store: Store

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    def conflicts(self) -> list[Conflict]:
        """Unsettled conflicts, oldest first."""
        found = []
        for op, result in outbox.open_conflicts(self.store.conn):
            current = result.get("current") or {}
            server = current.get("data") or {}
            names = (result.get("params") or {}).get("fields") or []
            found.append(Conflict(
                seq=op.seq, entity_kind=op.entity_kind, entity_id=op.entity_id,
                created_at=op.created_at, server_version=int(current.get("version") or 0),
                fields=tuple(FieldConflict(n, op.payload.get(n), server.get(n)) for n in names)))
        return found

    def rejections(self) -> list[Rejection]:
        """Ops the server refused, oldest first (they stay in the queue, visible)."""
        return [Rejection(seq=op.seq, kind=op.kind, entity_kind=op.entity_kind,
                          entity_id=op.entity_id, created_at=op.created_at,
                          device_time=op.device_time, reason=str(result.get("reason") or ""),
                          message_id=str(result.get("message_id") or ""),
                          params=dict(result.get("params") or {}))
                for op, result in outbox.rejected_with_results(self.store.conn)]

    def resolve_conflict(self, seq: int, keep: str,
                         merged: dict[str, Any] | None = None) -> Changes:
        """Settle conflict `seq`: keep "mine", "theirs", or "merged" values for its fields.

        "mine" and "merged" queue an edit on top of the server's version, so it applies
        without a new conflict; "theirs" queues nothing (the server already has it).
        """
        if keep not in RESOLUTIONS:
            raise ValidationError("keep", "bad_choice", N_("Choose mine, theirs or merged."))
        found = next((c for c in self.conflicts() if c.seq == seq), None)
        if found is None:
            raise NotFound(kind=N_("conflict"), id=str(seq))
        names = [f.field for f in found.fields]
        if keep == "mine":
            values = {f.field: f.mine for f in found.fields}
        elif keep == "theirs":
            values = {f.field: f.theirs for f in found.fields}
        else:
            values = dict(merged or {})
            unknown = sorted(set(values) - set(names))
            if unknown or not values:
                raise ValidationError(unknown[0] if unknown else "merged", "not_in_conflict",
                                      N_("Only the fields in conflict can be merged: {fields}."),
                                      fields=", ".join(names))
        with self._write() as tx:
            local = rows.get(tx.conn, found.entity_kind, found.entity_id)
            if keep == "theirs":
                # The local row shows the server's value; no op: the server already has it.
                # A newer server copy pulled since the conflict is shown as it is: writing the
                # values of the conflict's time over it would leave this device behind.
                pulled = ledger.version_of(tx.conn, "own", found.entity_kind, found.entity_id)
                if pulled is None or pulled <= found.server_version:
                    rows.overwrite(tx, found.entity_kind, found.entity_id, values)
                tx.changes.add(found.entity_kind, found.entity_id)
            else:
                base = max(int(local["version"]), found.server_version)
                rows.set_version(tx, found.entity_kind, found.entity_id, base)
                version = rows.update(tx, found.entity_kind, found.entity_id, values)
                # Decided on the server's values the conflict showed: if they changed again
                # since, this edit is a conflict of its own.
                theirs = {f.field: f.theirs for f in found.fields if f.field in values}
                tx.op("edit_fields", found.entity_kind, found.entity_id,
                      {**values, outbox.SEEN: theirs}, base_version=version - 1)
            outbox.mark_resolved(tx.conn, seq, keep, tx.now_utc)
            tx.audit(f"conflict.{keep}", found.entity_kind, found.entity_id)
        return tx.changes
