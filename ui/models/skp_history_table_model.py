"""The SKP's status timeline: each move (Draft → Diajukan → …) with when, who and the
pejabat penilai's note when the SKP was returned (Dikembalikan).

A status that arrived by sync has no local history row: `timeline` adds it from the SKP head,
with the return note the server sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from asndesk.domain.skp import StatusSkp
from asndesk.i18n import _
from ui.models.rows_table_model import RowsTableModel
from ui.skp_words import STATUS, when, word


@dataclass(frozen=True)
class HistoryRow:
    terjadi_pada: str | None
    dari: str | None
    ke: str
    oleh_nip: str | None = None
    catatan: str | None = None

    def move_text(self) -> str:
        if self.dari is None:
            return _("Created as {status}").format(status=word(STATUS, self.ke))
        return _("{before} to {after}").format(before=word(STATUS, self.dari),
                                              after=word(STATUS, self.ke))


def timeline(history: Sequence[Mapping[str, Any]], head: Mapping[str, Any] | None
             ) -> list[HistoryRow]:
    """Local history rows, plus the SKP's current status when a sync brought it."""
    rows = [HistoryRow(h.get("terjadi_pada"), h.get("dari"), str(h["ke"]), h.get("oleh_nip"),
                       h.get("catatan")) for h in history]
    if head is None:
        return rows
    status = str(head.get("status") or "")
    note = head.get("catatan_pengembalian") if status == StatusSkp.DIKEMBALIKAN else None
    if not rows or rows[-1].ke != status:
        rows.append(HistoryRow(head.get("updated_at"), rows[-1].ke if rows else None, status,
                               None, note or None))
    elif note and not rows[-1].catatan:
        last = rows[-1]
        rows[-1] = HistoryRow(last.terjadi_pada, last.dari, last.ke, last.oleh_nip, note)
    return rows


class SkpHistoryTableModel(RowsTableModel[HistoryRow]):
    WAKTU, PERUBAHAN, CATATAN = range(3)

    def headers(self) -> tuple[str, ...]:
        return (_("When"), _("Status change"), _("Supervisor's note"))

    def display(self, row: HistoryRow, col: int) -> str:
        if col == self.WAKTU:
            return when(row.terjadi_pada)
        if col == self.PERUBAHAN:
            return row.move_text()
        return row.catatan or ""

    def spoken(self, row: HistoryRow, col: int) -> str:
        if col == self.CATATAN and not row.catatan:
            return _("no note")
        return self.display(row, col)

    def summary(self, row: HistoryRow) -> str:
        text = f"{when(row.terjadi_pada) or _('time unknown')}: {row.move_text()}"
        if row.catatan:
            text += "; " + _("supervisor's note: {text}").format(text=row.catatan)
        return text
