"""The base of the activity pages' table models: rows that arrive a page at a time.

`PagedTableModel` never holds more than the pages asked for: the view calls `fetchMore` when
it scrolls to the end, and the model asks its `fetch(offset, limit, deliver)` for the next page
(the page runs that through `ctx.read`, so the query is the core's). A new query (`restart`)
throws away rows and any answer still on its way for the old one; `set_rows` shows a fixed set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QModelIndex, Signal

from asndesk.i18n import current_locale
from ui.models.rows_table_model import ModelIndex, RowsTableModel

PAGE_SIZE = 50

Deliver = Callable[[Sequence[Mapping[str, Any]] | None], None]  # None: the page failed
Fetch = Callable[[int, int, Deliver], None]                     # offset, limit, deliver

R = TypeVar("R")


def jam_teks(hhmm: str) -> str:
    """A clock time as written here: id "07.30", en "07:30"."""
    return hhmm.replace(":", ".") if current_locale() == "id" else hhmm


class PagedTableModel(RowsTableModel[R]):
    """Rows arrive a page at a time from `fetch`; subclasses say how a dict becomes a row
    (`convert`) and how a row is shown (`headers`, `display`, `accessible`, `sort_key`).
    A cell reads exactly what `accessible` says (its display text unless a subclass says
    more: the rest of `RowsTableModel`'s reading rules do not apply)."""

    page_loaded = Signal(int)  # rows in the page that just arrived

    def __init__(self, fetch: Fetch | None = None, *, page_size: int = PAGE_SIZE,
                 parent: Any = None) -> None:
        super().__init__((), parent)
        self._fetch = fetch
        self.page_size = page_size
        self._generation = 0
        self._loading = False
        self._exhausted = fetch is None
        self.pages_fetched = 0

    # -- subclass hooks ------------------------------------------------------------------
    def convert(self, raw: Mapping[str, Any]) -> R:
        raise NotImplementedError

    def accessible(self, row: R, col: int) -> str:
        return self.display(row, col)

    # -- content -------------------------------------------------------------------------
    def restart(self, fetch: Fetch | None = None) -> None:
        """Forget every row (and answers still on their way), then ask for the first page."""
        if fetch is not None:
            self._fetch = fetch
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._loading = False
        self._exhausted = self._fetch is None
        self.pages_fetched = 0
        self.endResetModel()
        if self._fetch is not None:
            self.fetchMore(QModelIndex())

    def set_rows(self, rows: Iterable[Mapping[str, Any] | R]) -> None:
        """Show exactly these rows (no paging: a week, a month summary)."""
        self._generation += 1
        self.beginResetModel()
        self._rows = [r if not isinstance(r, Mapping) else self.convert(r) for r in rows]
        self._fetch = None
        self._loading = False
        self._exhausted = True
        self.endResetModel()

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    # -- paging (Qt) ---------------------------------------------------------------------
    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        self._loading = True
        generation = self._generation
        offset = len(self._rows)
        self._fetch(offset, self.page_size,
                    lambda page: self._arrived(generation, page))

    def _arrived(self, generation: int, page: Sequence[Mapping[str, Any]] | None) -> None:
        if not shiboken6.isValid(self):
            return  # the window was closed (a lock) while this page was being read
        if generation != self._generation:
            return  # an answer to a query that was replaced meanwhile
        self._loading = False
        if page is None:  # the read failed; scrolling again tries again
            return
        self.pages_fetched += 1
        new = [self.convert(r) for r in page]
        if len(page) < self.page_size:
            self._exhausted = True
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        self.page_loaded.emit(len(new))
