"""The review step before submitting an SKP (A-20): every problem the core finds, in words
with the field, each one a jump to its widget; submitting is offered only when there are none.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from asndesk.i18n import _, ngettext
from ui.forms import plain
from ui.models.rows_table_model import ROW_ROLE
from ui.models.skp_extras_table_model import ProblemRow, ProblemTableModel


class SkpSubmitDialog(QDialog):
    """`problems` empty: a summary and "Submit"; else the list to fix. Emits `submit_requested`
    or `jump_requested(field path)`; the page does the work and closes the dialog."""

    submit_requested = Signal()
    jump_requested = Signal(str)

    def __init__(self, summary: str, problems: list[ProblemRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.skp_submit")
        self.setWindowTitle(_("asndesk — review the SKP before submitting"))
        self.resize(760, 520)
        column = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setObjectName("dialog.skp_submit.intro")
        self.intro.setWordWrap(True)
        column.addWidget(self.intro)
        caption = QLabel(_("&Summary of the plan"))
        caption.setWordWrap(True)
        self.summary = QPlainTextEdit(summary)
        self.summary.setObjectName("dialog.skp_submit.summary")
        self.summary.setReadOnly(True)
        self.summary.setTabChangesFocus(True)
        self.summary.setAccessibleName(plain(caption.text()))
        self.summary.setMaximumHeight(140)
        caption.setBuddy(self.summary)
        column.addWidget(caption)
        column.addWidget(self.summary)
        self.model = ProblemTableModel(problems, self)
        self.table = QTableView()
        self.table.setObjectName("dialog.skp_submit.problems")
        self.table.setAccessibleName(_("Items to fix before submitting"))
        self.table.setAccessibleDescription(_("Enter on an item goes to its field"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().resizeSection(0, 260)
        self.table.activated.connect(lambda _index: self.go_to_chosen())
        column.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.go_button = self._button(_("&Go to the chosen item"), "dialog.skp_submit.go",
                                      self.go_to_chosen)
        self.submit_button = self._button(_("Su&bmit to the pejabat penilai"),
                                          "dialog.skp_submit.submit", self._request_submit)
        self.cancel_button = self._button(_("Cancel"), "dialog.skp_submit.cancel", self.reject)
        for b in (self.go_button, self.submit_button, self.cancel_button):
            row.addWidget(b)
        row.addStretch(1)
        column.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("dialog.skp_submit.message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        self.message.setVisible(False)
        column.addWidget(self.message)
        self.set_problems(problems)

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setAccessibleName(plain(text))
        b.setAutoDefault(False)
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def _request_submit(self) -> None:
        # A slot returns nothing: PySide6 mishandles a bool (emit's) handed back to Qt.
        self.submit_requested.emit()

    def set_problems(self, problems: list[ProblemRow]) -> None:
        """Show these problems (after a refused submit too); focus goes to the first."""
        self.model.set_rows(problems)
        ready = not problems
        self.table.setVisible(not ready)
        self.go_button.setVisible(not ready)
        self.submit_button.setVisible(ready)
        if ready:
            self.intro.setText(_(
                "The SKP is complete. Submitting sends it to your pejabat penilai; you can "
                "withdraw it until they review it."))
            self.cancel_button.setDefault(True)  # an irreversible step is never the default
            self.summary.setFocus()
        else:
            self.intro.setText(ngettext(
                "Fix {n} item before submitting. Choose it and press Enter to go to its field.",
                "Fix {n} items before submitting. Choose one and press Enter to go to its "
                "field.", len(problems)).format(n=len(problems)))
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.setFocus()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def go_to_chosen(self) -> None:
        index = self.table.currentIndex()
        row = index.siblingAtColumn(0).data(ROW_ROLE) if index.isValid() else None
        if isinstance(row, ProblemRow):
            self.accept()
            self.jump_requested.emit(row.field)
