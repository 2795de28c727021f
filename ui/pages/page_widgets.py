"""Small widget builders the activity pages share (Log Harian, Layanan, Pengembangan
Kompetensi): named tables, headings, status lines, buttons, and Tab that leaves date fields.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from ui.models.rows_table_model import ROW_ROLE, SORT_ROLE


def make_table(name: str, accessible_name: str, model: Any, *, sort_column: int | None = None,
               order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> QTableView:
    """A read-only, row-selecting table; with `sort_column` it sorts through a proxy
    (on `SORT_ROLE`) and starts sorted by that column, not by Qt's default (column 0, Z–A)."""
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible_name)
    if sort_column is not None:
        proxy = QSortFilterProxyModel(view)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(sort_column, order)
    else:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setDefaultSectionSize(150)
    view.setMinimumHeight(220)
    return view


def current_row(view: QTableView) -> Any:
    """The row object (ROW_ROLE) of the view's current row, or None."""
    index = view.currentIndex()
    if not index.isValid():
        selected = view.selectionModel().selectedRows() if view.selectionModel() else []
        if not selected:
            return None
        index = selected[0]
    return index.siblingAtColumn(0).data(ROW_ROLE)


def heading(text: str, name: str) -> QLabel:
    label = QLabel(f"<h2>{text}</h2>")
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def status_label(name: str) -> QLabel:
    """A word-wrapped status line; deliberately without an accessible name (that would hide
    its live text from screen readers)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def button(text: str, name: str, slot: Any, description: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    if description:
        b.setAccessibleDescription(description)
    b.clicked.connect(lambda _checked=False: slot())
    return b


class _TabLeaves(QObject):
    """Qt moves Tab between the day, month and year *sections* of a date or time field, so a
    screen-reader user tabbing through a form lands in the same field three times. Here Tab
    and Shift+Tab move to the next or previous control; typing a full section ("07") or a
    separator still moves between sections, and so do Left/Right."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        forward = event.key() == Qt.Key.Key_Tab and \
            not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if isinstance(obj, QWidget):
            QWidget.focusNextPrevChild(obj, forward)  # QWidget's, not the section-moving one
        return True


_TAB_LEAVES = _TabLeaves()


def tab_leaves(*edits: QDateTimeEdit) -> None:
    """Make Tab leave these date/time fields instead of stepping through their sections."""
    for edit in edits:
        edit.installEventFilter(_TAB_LEAVES)
