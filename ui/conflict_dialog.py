"""Settle one sync conflict: the record's fields side by side, then keep mine / theirs / merge.

The core's `resolve_conflict(seq, keep, merged)` does the work ("mine" and "merged" queue an
edit on top of the server's version; "theirs" queues nothing). The dialog only collects the
choice: `chosen(keep, merged)`; the page runs the write and calls `failed(text)` or closes it.
Keeping theirs throws this computer's values away, so it asks first, with Cancel the default.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from asndesk.conflict_usecases import Conflict
from asndesk.i18n import _
from ui.announce import Announcer
from ui.models.conflict_table_model import ConflictFieldsModel, field_rows
from ui.sync_messages import entity_words, value_words, when_words


class ConflictDialog(QDialog):
    """One conflict; `chosen("mine" | "theirs" | "merged", merged values or None)`."""

    chosen = Signal(str, object)

    def __init__(self, conflict: Conflict, announcer: Announcer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.announcer = announcer
        self.setObjectName("dialog.conflict")
        record = entity_words(conflict.entity_kind)
        self.setWindowTitle(_("asndesk — settle a conflict: {record}").format(record=record))
        layout = QVBoxLayout(self)
        intro = QLabel(_("This {record} was changed on this computer and on another device "
                         "(changed here: {when}). For each field below you see both values. "
                         "Choose what to keep; the choice goes to the server with the next "
                         "sync.").format(record=record, when=when_words(conflict.created_at)))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.model = ConflictFieldsModel(field_rows(conflict.fields), self)
        caption = QLabel(_("&Values side by side"))
        self.table = QTableView()
        self.table.setObjectName("conflict.fields")
        self.table.setAccessibleName(_("Values side by side"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        caption.setBuddy(self.table)
        layout.addWidget(caption)
        layout.addWidget(self.table)

        # Merge: a choice per field (only useful when more than one field clashed).
        self.choices: dict[str, QComboBox] = {}
        self.merge_box = QGroupBox(_("Or choose per field"))
        self.merge_box.setObjectName("conflict.merge")
        form = QFormLayout(self.merge_box)
        for f in conflict.fields:
            row = next(r for r in self.model.rows if r.field == f.field)
            label = QLabel(_("Keep for {field}").format(field=row.label))
            combo = QComboBox()
            combo.setObjectName(f"conflict.choice.{f.field}")
            combo.setAccessibleName(_("Keep for {field}").format(field=row.label))
            combo.addItem(_("Mine: {value}").format(value=value_words(f.mine)), "mine")
            combo.addItem(_("Theirs: {value}").format(value=value_words(f.theirs)), "theirs")
            label.setBuddy(combo)
            label.setWordWrap(True)
            form.addRow(label, combo)
            self.choices[f.field] = combo
        self.merge_box.setVisible(len(conflict.fields) > 1)
        layout.addWidget(self.merge_box)

        self.message = QLabel()
        self.message.setObjectName("conflict.message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.mine_button = QPushButton(_("Keep &mine"))
        self.mine_button.setObjectName("conflict.keep_mine")
        self.mine_button.setAccessibleDescription(_("Send this computer's values to the server"))
        self.theirs_button = QPushButton(_("Keep &theirs"))
        self.theirs_button.setObjectName("conflict.keep_theirs")
        self.theirs_button.setAccessibleDescription(
            _("Keep the other device's values; this computer's values are discarded"))
        self.merge_button = QPushButton(_("Keep my c&hoices per field"))
        self.merge_button.setObjectName("conflict.merge_apply")
        self.merge_button.setAccessibleDescription(
            _("Send the value chosen for each field above"))
        self.merge_button.setVisible(len(conflict.fields) > 1)
        self.cancel_button = QPushButton(_("&Cancel"))
        self.cancel_button.setObjectName("conflict.cancel")
        for button in (self.mine_button, self.theirs_button, self.merge_button,
                       self.cancel_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.cancel_button.setDefault(True)
        layout.addLayout(buttons)

        self.mine_button.clicked.connect(lambda: self._choose("mine", None))
        self.theirs_button.clicked.connect(self._theirs)
        self.merge_button.clicked.connect(self._merge)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(720, 420)
        self.table.setFocus()

    # -- choices -------------------------------------------------------------------------
    def merged_values(self) -> dict[str, Any]:
        """Per field, the value the person chose (for `resolve_conflict(…, "merged", …)`)."""
        values: dict[str, Any] = {}
        for f in self.conflict.fields:
            keep = self.choices[f.field].currentData()
            values[f.field] = f.mine if keep == "mine" else f.theirs
        return values

    def _merge(self) -> None:
        self._choose("merged", self.merged_values())

    def _theirs(self) -> None:
        if self.confirm_discard():
            self._choose("theirs", None)

    def confirm_discard(self) -> bool:
        """Review step: keeping theirs discards this computer's values (Cancel is default)."""
        box = QMessageBox(QMessageBox.Icon.Question, _("asndesk — discard my values?"),
                          _("Keep the other device's values? This computer's values for "
                            "these fields are discarded."),
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("dialog.conflict.confirm_theirs")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Discard

    def _choose(self, keep: str, merged: dict[str, Any] | None) -> None:
        self.message.clear()
        for button in (self.mine_button, self.theirs_button, self.merge_button):
            button.setEnabled(False)
        self.chosen.emit(keep, merged)

    # -- answers from the page -----------------------------------------------------------
    def failed(self, text: str) -> None:
        """The core refused: say why (assertively), keep the dialog open to choose again."""
        for button in (self.mine_button, self.theirs_button, self.merge_button):
            button.setEnabled(True)
        self.message.setText(text)
        self.announcer.say(text, assertive=True, source=self)
