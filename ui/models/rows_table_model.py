"""The base of the list-shaped table models: a list of frozen row objects, fixed headers, and
words for every cell.

`RowsTableModel[R]` does the Qt side (`rowCount`, `columnCount`, `headerData`, `data`) once.
Subclasses say what a cell displays and what it reads as to a screen reader
(`Qt.AccessibleTextRole`): by default column 0 reads the whole row (`summary`) and an empty
cell reads "none", never nothing. Every cell also answers `ROW_ROLE` (the row object) and
`SORT_ROLE` (a sortable value, so numbers and dates sort as such behind a proxy).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from asndesk.domain.formatting import format_angka
from asndesk.i18n import _

ROW_ROLE = Qt.ItemDataRole.UserRole        # the row object itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 1   # a sortable value per cell

ModelIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


def angka(x: Decimal | None) -> str:
    """A number in a cell as people write it ("1.200", "2,5"): at most two decimals, none if
    whole."""
    if x is None:
        return ""
    exponent = x.normalize().as_tuple().exponent
    places = 0 if not isinstance(exponent, int) or exponent >= 0 else min(2, -exponent)
    return format_angka(x, places)


class RowsTableModel(QAbstractTableModel, Generic[R]):
    """Subclasses implement `headers()`, `display(row, col)` and `summary(row)`; the other
    hooks (`spoken`, `accessible`, `sort_key`, `row_key`, `tooltip_columns`) have defaults."""

    # The columns whose cells show their text as a tooltip (None: every column).
    tooltip_columns: ClassVar[Collection[int] | None] = None

    def __init__(self, rows: Sequence[R] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = list(rows)

    # -- subclass hooks --------------------------------------------------------------------
    def headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def display(self, row: R, col: int) -> str:
        raise NotImplementedError

    def summary(self, row: R) -> str:
        """What column 0 reads: the whole row in words."""
        raise NotImplementedError

    def spoken(self, row: R, col: int) -> str:
        """What another cell reads (its display text unless a subclass says more)."""
        return self.display(row, col)

    def accessible(self, row: R, col: int) -> str:
        """What a cell reads to a screen reader: the row's summary in column 0, `spoken`
        elsewhere, "none" rather than nothing."""
        text = self.summary(row) if col == 0 else self.spoken(row, col)
        return text or _("none")

    def sort_key(self, row: R, col: int) -> Any:
        return self.display(row, col).casefold()

    def row_key(self, row: R) -> object:
        """What `row_of` finds a row by: its `id` unless a subclass says otherwise."""
        return getattr(row, "id", None)

    # -- rows ------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def row_of(self, key: object) -> int:
        """The row whose `row_key` is `key`, or -1."""
        return next((n for n, r in enumerate(self._rows) if self.row_key(r) == key), -1)

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role not in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        headers = self.headers()
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.accessible(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = self.tooltip_columns is None or col in self.tooltip_columns
            return (self.display(row, col) or None) if shown else None
        if role == SORT_ROLE:
            return self.sort_key(row, col)
        return None
