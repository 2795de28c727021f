"""The sync queue and the refused changes, as tables (fed by dataclasses, tested without widgets).

`queue_rows` turns outbox ops into rows with words for every coded value; `rejected_rows`
does the same for the server's refusals (why, and how to fix it). Column 0 summarises the row
for screen readers (`Qt.AccessibleTextRole`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from asndesk.conflict_usecases import Rejection
from asndesk.i18n import _
from asndesk.store.outbox import Op
from ui.models.rows_table_model import RowsTableModel
from ui.sync_messages import fix_words, op_words, refusal_words, state_words, when_words

QUEUE_STATES = ("pending", "sent", "rejected", "conflict")  # acked ops are done: not shown


@dataclass(frozen=True)
class QueueRow:
    seq: int
    what: str
    when: str
    state: str         # "pending", "sent", "rejected", "conflict" or "settled"
    state_text: str
    entity_kind: str
    entity_id: str

    def summary(self) -> str:
        return _("{what}, {when}: {state}").format(what=self.what, when=self.when,
                                                   state=self.state_text)


@dataclass(frozen=True)
class RejectedRow:
    seq: int
    what: str
    when: str
    reason: str        # E_… code
    why: str
    fix: str
    entity_kind: str
    entity_id: str

    def summary(self) -> str:
        return _("{what}, {when}: refused. {why}").format(what=self.what, when=self.when,
                                                          why=self.why)


def queue_rows(ops: Iterable[Op], open_conflicts: Iterable[int] = ()) -> list[QueueRow]:
    """Rows for the ops still in the queue; a conflict already settled says so."""
    unsettled = set(open_conflicts)
    rows = []
    for op in ops:
        if op.state not in QUEUE_STATES:
            continue
        state = "settled" if op.state == "conflict" and op.seq not in unsettled else op.state
        rows.append(QueueRow(op.seq, op_words(op.kind, op.entity_kind),
                             when_words(op.device_time or op.created_at), state,
                             state_words(state), op.entity_kind, op.entity_id))
    return rows


def rejected_rows(rejections: Iterable[Rejection]) -> list[RejectedRow]:
    return [RejectedRow(r.seq, op_words(r.kind, r.entity_kind),
                        when_words(r.device_time or r.created_at), r.reason,
                        refusal_words(r.reason, r.message_id, r.params), fix_words(r.reason),
                        r.entity_kind, r.entity_id) for r in rejections]


class _RowsModel(RowsTableModel[Any]):
    """A read-only table over a list of row objects; subclasses name the columns. Rows are
    numbered in the vertical header."""

    columns: tuple[tuple[str, str], ...] = ()  # (attribute, header msgid)

    def headers(self) -> tuple[str, ...]:
        return tuple(_(msgid) for _attribute, msgid in self.columns)

    def display(self, row: Any, col: int) -> str:
        return str(getattr(row, self.columns[col][0]))

    def summary(self, row: Any) -> str:
        return str(row.summary())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return super().headerData(section, orientation, role)


class OutboxTableModel(_RowsModel):
    """The queue: what, when, state in words."""

    columns = (("what", "Change"), ("when", "When"), ("state_text", "State"))


class RejectedTableModel(_RowsModel):
    """Refused changes: what, when, why (plain words) and how to fix it."""

    columns = (("what", "Change"), ("when", "When"), ("why", "Why it was refused"),
               ("fix", "What you can do"))
