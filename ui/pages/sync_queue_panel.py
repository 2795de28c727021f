"""The Sync page's lists: the queue, the changes the server refused (each with a way to fix
it) and the unsettled conflicts. It only shows rows and says what the person picked; the
page opens records and conflict dialogs.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from asndesk.conflict_usecases import Conflict, Rejection
from asndesk.i18n import _
from asndesk.store.outbox import Op
from ui.models.conflict_table_model import ConflictTableModel, conflict_rows
from ui.models.outbox_table_model import (
    OutboxTableModel,
    RejectedTableModel,
    queue_rows,
    rejected_rows,
)


def table_view(name: str, accessible: str, model: Any, parent: QWidget
               ) -> tuple[QTableView, QSortFilterProxyModel]:
    """A named, read-only, row-selecting table that Tab leaves (arrows move inside it)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setModel(proxy)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.setMinimumHeight(140)
    return view, proxy


def _status_label(name: str, layout: QVBoxLayout) -> QLabel:
    # Status labels keep no accessible name: a name would hide their live text.
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    layout.addWidget(label)
    return label


def _button(text: str, name: str, description: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", ""))
    if description:
        button.setAccessibleDescription(description)
    return button


class SyncQueuePanel(QWidget):
    """`fix_requested(kind, id)` for a refused change; `settle_requested(Conflict)`."""

    fix_requested = Signal(str, str)
    settle_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync.lists")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)

        queue = QGroupBox(_("Queue"))
        rows = QVBoxLayout(queue)
        self.queue_model = OutboxTableModel(parent=self)
        self.queue_view, self.queue_proxy = table_view(
            "sync.queue", _("Changes in the queue"), self.queue_model, self)
        self.queue_empty = _status_label("sync.queue.empty", rows)
        rows.addWidget(self.queue_view)
        column.addWidget(queue)

        refused = QGroupBox(_("Refused by the server"))
        rows = QVBoxLayout(refused)
        self.rejected_model = RejectedTableModel(parent=self)
        self.rejected_view, self.rejected_proxy = table_view(
            "sync.rejected", _("Changes the server refused"), self.rejected_model, self)
        self.rejected_empty = _status_label("sync.rejected.empty", rows)
        rows.addWidget(self.rejected_view)
        self.open_record_button = _button(
            _("Open the record to fix it"), "sync.rejected.open",
            _("Opens the page of the selected refused change"))
        rows.addLayout(self._row(self.open_record_button))
        column.addWidget(refused)

        conflicts = QGroupBox(_("Conflicts"))
        rows = QVBoxLayout(conflicts)
        self.conflict_model = ConflictTableModel(parent=self)
        self.conflict_view, self.conflict_proxy = table_view(
            "sync.conflicts", _("Conflicts: changed here and on another device"),
            self.conflict_model, self)
        self.conflict_empty = _status_label("sync.conflicts.empty", rows)
        rows.addWidget(self.conflict_view)
        self.settle_button = _button(
            _("Settle the selected conflict…"), "sync.conflicts.settle",
            _("Shows both values side by side: keep mine, keep theirs, or choose per field"))
        rows.addLayout(self._row(self.settle_button))
        column.addWidget(conflicts)

        self.open_record_button.clicked.connect(self.fix_selected)
        self.rejected_view.activated.connect(lambda _i: self.fix_selected())
        self.settle_button.clicked.connect(self.settle_selected)
        self.conflict_view.activated.connect(lambda _i: self.settle_selected())
        self.show_rows([], [], [])
        for label in (self.queue_empty, self.rejected_empty, self.conflict_empty):
            label.setText(_("Loading…"))

    @staticmethod
    def _row(button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        return row

    # -- content -------------------------------------------------------------------------
    def show_rows(self, ops: list[Op], rejections: list[Rejection],
                  conflicts: list[Conflict]) -> None:
        """Fill the three tables, keeping the selected refusal and conflict when still there."""
        keep_rejected = self._selected_seq(self.rejected_view, self.rejected_proxy,
                                           self.rejected_model)
        keep_conflict = self._selected_seq(self.conflict_view, self.conflict_proxy,
                                           self.conflict_model)
        self.queue_model.set_rows(queue_rows(ops, [c.seq for c in conflicts]))
        self.rejected_model.set_rows(rejected_rows(rejections))
        self.conflict_model.set_rows(conflict_rows(conflicts))
        self.queue_empty.setText("" if self.queue_model.rowCount() else
                                 _("Nothing in the queue: every change is on the server."))
        self.rejected_empty.setText("" if self.rejected_model.rowCount() else
                                    _("The server refused nothing."))
        self.conflict_empty.setText("" if self.conflict_model.rowCount() else
                                    _("No conflicts."))
        self._reselect(self.rejected_view, self.rejected_proxy, self.rejected_model,
                       keep_rejected)
        self._reselect(self.conflict_view, self.conflict_proxy, self.conflict_model,
                       keep_conflict)
        self.open_record_button.setEnabled(self.rejected_model.rowCount() > 0)
        self.settle_button.setEnabled(self.conflict_model.rowCount() > 0)

    @staticmethod
    def _selected_seq(view: QTableView, proxy: QSortFilterProxyModel, model: Any
                      ) -> int | None:
        row = SyncQueuePanel._selected(view, proxy)
        return None if row is None or row >= model.rowCount() else model.row_at(row).seq

    @staticmethod
    def _reselect(view: QTableView, proxy: QSortFilterProxyModel, model: Any,
                  seq: int | None) -> None:
        rows = model.rows
        if not rows:
            return
        source = next((n for n, r in enumerate(rows) if r.seq == seq), 0)
        view.selectRow(proxy.mapFromSource(model.index(source, 0)).row())

    @staticmethod
    def _selected(view: QTableView, proxy: QSortFilterProxyModel) -> int | None:
        """The selected source row (the first row when nothing is selected), or None."""
        rows = view.selectionModel().selectedRows() if view.selectionModel() else []
        index: QModelIndex = rows[0] if rows else view.currentIndex()
        if not index.isValid():
            return 0 if proxy.rowCount() else None
        return proxy.mapToSource(index).row()

    def conflict(self, seq: int) -> Conflict | None:
        return next((r.conflict for r in self.conflict_model.rows if r.seq == seq), None)

    # -- actions -------------------------------------------------------------------------
    def fix_selected(self) -> None:
        row = self._selected(self.rejected_view, self.rejected_proxy)
        if row is None:
            return
        item = self.rejected_model.row_at(row)
        self.fix_requested.emit(item.entity_kind, item.entity_id)

    def settle_selected(self) -> None:
        row = self._selected(self.conflict_view, self.conflict_proxy)
        if row is not None:
            self.settle_requested.emit(self.conflict_model.row_at(row).conflict)
