"""A reusable "attach evidence" control: a named button that opens a file dialog, the list of
chosen files, and a button to remove one from the list.

It only collects paths; the core reads, checks and downscales the files (asndesk/evidence.py)
on the DB lane when the record is saved. Errors about a file (`ValidationError` with field
`bukti`) are shown with `show_error`, which puts the message into the description of the
control that gets focus, and under the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asndesk.evidence import MAX_FILE_BYTES
from asndesk.i18n import _
from ui.announce import Announcer

Chooser = Callable[[QWidget], list[str]]


def file_filter() -> str:
    """The file dialog's filter: what `asndesk.evidence.ALLOWED_MIME` accepts."""
    return ";;".join([
        _("Evidence files (*.pdf *.jpg *.jpeg *.png *.webp *.txt *.csv *.doc *.docx *.xls *.xlsx)"),
        _("Images (*.jpg *.jpeg *.png *.webp)"),
        _("PDF documents (*.pdf)"),
        _("All files (*)"),
    ])


def choose_files(parent: QWidget) -> list[str]:
    """The platform's file dialog (several files at once)."""
    paths, _filter = QFileDialog.getOpenFileNames(
        parent, _("asndesk — choose evidence files"), "", file_filter())
    return list(paths)


class EvidencePicker(QWidget):
    """`paths()` are the files chosen so far; `changed` fires when the list changes."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None, *,
                 chooser: Chooser | None = None, announcer: Announcer | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.chooser: Chooser = chooser or choose_files  # tests replace it
        self.announcer = announcer  # says how many files are chosen (focus stays put)
        self._paths: list[Path] = []
        self.add_button = QPushButton(_("Attach evidence files…"))
        self.add_button.setObjectName(f"{name}.add")
        self.hint = _("PDF, images or office documents, at most {mb} MB each; photos are "
                      "made smaller before they are stored.").format(
                          mb=MAX_FILE_BYTES // (1024 * 1024))
        self.add_button.setAccessibleDescription(self.hint)
        self.add_button.clicked.connect(self.choose)
        self.list = QListWidget()
        self.list.setObjectName(f"{name}.list")
        self.list.setAccessibleName(_("Chosen evidence files"))
        self.list.setMaximumHeight(110)
        self.remove_button = QPushButton(_("Remove the chosen file from the list"))
        self.remove_button.setObjectName(f"{name}.remove")
        self.remove_button.clicked.connect(self.remove_current)
        self.count_label = QLabel()
        self.count_label.setObjectName(f"{name}.count")
        self.count_label.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName(f"{name}.error")
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        self.error.setVisible(False)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.count_label)
        column.addWidget(self.list)
        column.addWidget(self.error)
        self.setFocusProxy(self.add_button)
        self._refresh()

    # -- values --------------------------------------------------------------------------
    def paths(self) -> list[Path]:
        return list(self._paths)

    def set_paths(self, paths: Iterable[str | Path]) -> None:
        self._paths = []
        self.add_paths(paths, announce=False)
        if not self._paths:
            self._refresh()
            self.changed.emit()

    def add_paths(self, paths: Iterable[str | Path], *, announce: bool = True) -> None:
        """Add files (a file already in the list is not added twice)."""
        added = False
        for p in paths:
            path = Path(p)
            if path not in self._paths:
                self._paths.append(path)
                added = True
        if added:
            self.clear_error()
            self._refresh()
            self.list.setCurrentRow(self.list.count() - 1)
            self.changed.emit()
            if announce and self.announcer is not None:
                self.announcer.say(self.count_label.text())

    def clear(self) -> None:
        if self._paths or self.error.isVisible():
            self._paths = []
            self.clear_error()
            self._refresh()
            self.changed.emit()

    # -- actions -------------------------------------------------------------------------
    def choose(self) -> None:
        chosen = self.chooser(self)
        if chosen:
            self.add_paths(chosen)

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._paths):
            return
        del self._paths[row]
        self._refresh()
        self.changed.emit()
        if self._paths:
            self.list.setCurrentRow(min(row, len(self._paths) - 1))
            self.list.setFocus()
        else:
            self.add_button.setFocus()  # the list and this button are gone now

    # -- errors --------------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        """Show `text` under the list, in the description of the focused control; focus it."""
        self.error.setText(text)
        self.error.setVisible(True)
        self.add_button.setAccessibleDescription(text)
        self.list.setAccessibleDescription(text)
        target = self.list if self._paths else self.add_button
        target.setFocus()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.setVisible(False)
        self.add_button.setAccessibleDescription(self.hint)
        self.list.setAccessibleDescription("")

    def setEnabled(self, enabled: bool) -> None:
        super().setEnabled(enabled)
        self._refresh()

    # -- display -------------------------------------------------------------------------
    def _refresh(self) -> None:
        self.list.clear()
        for path in self._paths:
            item = QListWidgetItem(path.name)
            item.setToolTip(str(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        has = bool(self._paths)
        # Empty: only the attach button is a Tab stop (nothing to read or remove).
        self.list.setVisible(has)
        self.remove_button.setVisible(has)
        self.count_label.setText(
            _("No evidence file chosen.") if not has else
            _("Files chosen: {count}").format(count=len(self._paths)))
