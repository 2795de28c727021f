"""The table that says what a chart shows: one row per category, one column per series
(chart series first, then table-only columns such as counts), every cell in words.

`VALUE_ROLE` gives each value cell's number, so a test can hold the table against the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from asndesk.dashboard_charts import ChartData, angka
from asndesk.i18n import _
from ui.models.rows_table_model import RowsTableModel

VALUE_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class SeriesRow:
    index: int
    category: str
    values: tuple[float, ...]


class SeriesTableModel(RowsTableModel[SeriesRow]):
    """Fed by one `ChartData`; column 0 names the category and reads the whole row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__((), parent)
        self._data: ChartData | None = None

    def set_chart(self, data: ChartData) -> None:
        self._data = data
        self.set_rows([SeriesRow(i, category, tuple(s.values[i] for s in data.series))
                       for i, category in enumerate(data.categories)])
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    @property
    def chart(self) -> ChartData | None:
        return self._data

    def headers(self) -> tuple[str, ...]:
        if self._data is None:
            return (_("Category"),)
        return (self._data.category_title, *(s.name for s in self._data.series))

    def display(self, row: SeriesRow, col: int) -> str:
        if col == 0:
            return row.category
        decimals = self._data.decimals if self._data is not None else 1
        return angka(row.values[col - 1], decimals)

    def summary(self, row: SeriesRow) -> str:
        """ "Mar 2026: Average completion time (working days) 2,5; Completed services 3" """
        parts = "; ".join(f"{self.headers()[c]} {self.display(row, c)}"
                          for c in range(1, len(row.values) + 1))
        return _("{category}: {values}").format(category=row.category, values=parts)

    def sort_key(self, row: SeriesRow, col: int) -> Any:
        return row.index if col == 0 else row.values[col - 1]

    def row_key(self, row: SeriesRow) -> object:
        return row.index

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == VALUE_ROLE:
            if not index.isValid() or index.column() == 0 or \
                    not 0 <= index.row() < self.rowCount():
                return None
            return self.row_at(index.row()).values[index.column() - 1]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)
