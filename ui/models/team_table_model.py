"""The supervisor's subordinates, one row each (Bawahan page): SKP status, what waits for a
decision, this week's log harian and the last sync; with the page's filters as a proxy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from asndesk.domain.skp import StatusSkp
from asndesk.i18n import _, ngettext
from ui.models.feedback_table_model import when_text
from ui.models.rows_table_model import ROW_ROLE, SORT_ROLE, RowsTableModel
from ui.skp_words import STATUS, word

ALL, NO_SKP = "all", "none"  # status filter values besides the SKP statuses


@dataclass(frozen=True)
class TeamRow:
    nip: str
    nama: str
    jabatan: str
    skp_id: str | None
    status: str | None          # StatusSkp value of this year's SKP, None: none synced
    version: int | None
    amendments_waiting: int      # amendments submitted to the supervisor
    pending_decisions: int       # this device's decisions not yet answered by the server
    log_week: int
    log_year: int
    realisasi: int
    last_seen: str | None        # the person's last sync, when the server says
    last_change: str | None      # the newest of their records this device has

    @property
    def id(self) -> str:
        return self.nip

    @property
    def needs_decision(self) -> bool:
        """Submitted (SKP or amendment) and not decided here yet."""
        waiting = self.status == StatusSkp.DIAJUKAN or self.amendments_waiting > 0
        return waiting and self.pending_decisions == 0

    def status_text(self) -> str:
        return word(STATUS, self.status) if self.status else _("No SKP synced")

    def decision_text(self) -> str:
        if self.pending_decisions:
            return _("Your decision waits to be sent")
        if self.needs_decision:
            return (_("Amendment needs your decision") if self.status != StatusSkp.DIAJUKAN
                    else _("Needs your decision"))
        return ""

    def synced_text(self) -> str:
        if self.last_seen:
            return when_text(self.last_seen)
        if self.last_change:
            return _("changes up to {when}").format(when=when_text(self.last_change))
        return _("not yet")

    def week_text(self) -> str:
        return ngettext("{n} entry", "{n} entries", self.log_week).format(n=self.log_week)


def team_rows(members: Iterable[Mapping[str, Any]]) -> list[TeamRow]:
    """Rows from `Workspace.team()`."""
    out = []
    for m in members:
        skp = m.get("skp") or {}
        info = m.get("info") or {}
        out.append(TeamRow(
            nip=m["nip"], nama=m["nama"], jabatan=m.get("jabatan") or "",
            skp_id=skp.get("id"), status=skp.get("status"), version=skp.get("version"),
            amendments_waiting=int(m.get("amendments_waiting") or 0),
            pending_decisions=int(m.get("pending_decisions") or 0),
            log_week=int(m.get("log_week") or 0), log_year=int(m.get("log_harian") or 0),
            realisasi=int(m.get("realisasi") or 0), last_seen=info.get("last_seen_at"),
            last_change=m.get("last_change")))
    return out


def matches(row: TeamRow, status: str = ALL, needs_only: bool = False, text: str = "") -> bool:
    """The page's filters: status (ALL, NO_SKP or a StatusSkp value), only those needing
    the supervisor's decision, and a name, NIP or jabatan search."""
    if status == NO_SKP and row.status is not None:
        return False
    if status not in (ALL, NO_SKP) and row.status != status:
        return False
    if needs_only and not row.needs_decision:
        return False
    needle = text.strip().casefold()
    compact = "".join(needle.split())  # a NIP is often typed in groups ("1985 0101 …")
    return (not needle or needle in row.nama.casefold() or needle in row.jabatan.casefold()
            or (bool(compact) and compact in row.nip))


class TeamTableModel(RowsTableModel[TeamRow]):
    NAMA, STATUS, KEPUTUSAN, MINGGU, SINKRON = range(5)

    def headers(self) -> tuple[str, ...]:
        return (_("Name"), _("SKP status"), _("Your decision"), _("Daily log this week"),
                _("Last sync"))

    def display(self, row: TeamRow, col: int) -> str:
        if col == self.NAMA:
            return row.nama
        if col == self.STATUS:
            return row.status_text()
        if col == self.KEPUTUSAN:
            return row.decision_text()
        if col == self.MINGGU:
            return str(row.log_week)
        return row.synced_text()

    def spoken(self, row: TeamRow, col: int) -> str:
        if col == self.MINGGU:
            return row.week_text()
        return self.display(row, col)

    def summary(self, row: TeamRow) -> str:
        parts = [f"{row.nama}, NIP {row.nip}"]
        if row.jabatan:
            parts.append(row.jabatan)
        parts.append(_("SKP: {status}").format(status=row.status_text()))
        if row.decision_text():
            parts.append(row.decision_text())
        parts.append(_("daily log this week: {count}").format(count=row.week_text()))
        parts.append(_("last sync: {when}").format(when=row.synced_text()))
        return "; ".join(parts)

    def sort_key(self, row: TeamRow, col: int) -> Any:
        if col == self.MINGGU:
            return row.log_week
        if col == self.SINKRON:
            return row.last_seen or row.last_change or ""
        if col == self.KEPUTUSAN:
            return (not row.needs_decision, -row.pending_decisions)
        return self.display(row, col).casefold()


class TeamFilterProxy(QSortFilterProxyModel):
    """Sorts on `SORT_ROLE` and keeps the rows `matches` accepts."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.status, self.needs_only, self.text = ALL, False, ""

    def set_filters(self, status: str, needs_only: bool, text: str) -> None:
        self.beginFilterChange()
        self.status, self.needs_only, self.text = status, needs_only, text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        row = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return isinstance(row, TeamRow) and matches(row, self.status, self.needs_only,
                                                    self.text)

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
