"""Evidence (bukti dukung) of one record: its saved files and links, and new ones to add.

Unlike `ui.evidence_picker` (files only) it also takes links and lists what the record
already has. It only collects paths and addresses; the core reads and checks the files on the
DB lane when the record is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asndesk.i18n import _
from ui.evidence_picker import file_filter
from ui.forms import plain


class EvidenceBox(QGroupBox):
    """Saved evidence of the record (listed) and the files/links to add on the next save.

    `choose_files(parent)` opens the file dialog; tests replace it. Reading the files happens
    in the core use case, on the DB lane.
    """

    changed = Signal()

    def __init__(self, prefix: str, *, links: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(_("Evidence (bukti dukung)"), parent)
        self.setObjectName(f"{prefix}.evidence")
        self.choose_files: Callable[[QWidget], list[str]] = _choose_files
        self._saved: list[str] = []
        self._files: list[Path] = []
        self._links: list[str] = []
        column = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName(f"{prefix}.evidence.list")
        self.list.setAccessibleName(_("Evidence"))
        self.list.setAccessibleDescription(
            _("Saved evidence, and new files or links that are added when you save"))
        self.list.setMaximumHeight(120)
        column.addWidget(self.list)
        buttons = QHBoxLayout()
        self.add_files_button = QPushButton(_("Add evidence &file…"))
        self.add_files_button.setObjectName(f"{prefix}.evidence.add_files")
        self.add_files_button.setAccessibleName(plain(self.add_files_button.text()))
        self.add_files_button.clicked.connect(self._pick)
        self.remove_button = QPushButton(_("&Remove from the list"))
        self.remove_button.setObjectName(f"{prefix}.evidence.remove")
        self.remove_button.setAccessibleName(plain(self.remove_button.text()))
        self.remove_button.setAccessibleDescription(
            _("Only new files and links can be removed; saved evidence stays"))
        self.remove_button.clicked.connect(self._remove_selected)
        buttons.addWidget(self.add_files_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.link: QLineEdit | None = None
        self.add_link_button: QPushButton | None = None
        if links:
            column.addLayout(self._link_row(prefix))
        self.error = QLabel()
        self.error.setObjectName(f"{prefix}.evidence.error")
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        self.error.setVisible(False)
        column.addWidget(self.error)

    def _link_row(self, prefix: str) -> QHBoxLayout:
        row = QHBoxLayout()
        caption = QLabel(_("&Link"))
        self.link = QLineEdit()
        self.link.setObjectName(f"{prefix}.evidence.link")
        self.link.setAccessibleName(_("Link"))
        self.link.setAccessibleDescription(
            _("Address of online evidence, e.g. a shared folder"))
        self.link.setPlaceholderText("https://…")
        self.link.returnPressed.connect(self._add_link)
        self.link.textChanged.connect(lambda _text: self.changed.emit())  # a draft too
        caption.setBuddy(self.link)
        self.add_link_button = QPushButton(_("Add l&ink"))
        self.add_link_button.setObjectName(f"{prefix}.evidence.add_link")
        self.add_link_button.setAccessibleName(plain(self.add_link_button.text()))
        self.add_link_button.clicked.connect(self._add_link)
        row.addWidget(caption)
        row.addWidget(self.link, 1)
        row.addWidget(self.add_link_button)
        return row

    # -- content -------------------------------------------------------------------------
    def set_saved(self, evidence: list[dict[str, Any]]) -> None:
        """What the record already has (the core's `evidence(...)` rows)."""
        self._saved = [str(e.get("nama_file") or e.get("tautan") or "") for e in evidence]
        self._refresh()

    def new_files(self) -> list[Path]:
        return list(self._files)

    def new_links(self) -> list[str]:
        """The links to add, including one typed but not yet added (Save must not lose it)."""
        typed = self.link.text().strip() if self.link is not None else ""
        return [*self._links, typed] if typed and typed not in self._links else list(self._links)

    def pending(self) -> dict[str, list[str]]:
        return {"bukti": [str(p) for p in self._files], "tautan": self.new_links()}

    def set_pending(self, values: dict[str, Any]) -> None:
        self._files = [Path(p) for p in values.get("bukti") or []]
        self._links = [str(t) for t in values.get("tautan") or []]
        self._clear_link()  # a typed link is among the pending ones now
        self._refresh()

    def clear_pending(self) -> None:
        self._files, self._links = [], []
        self._clear_link()
        self.clear_error()
        self._refresh()

    def add_files(self, paths: list[str | Path]) -> None:
        for p in paths:
            path = Path(p)
            if path not in self._files:
                self._files.append(path)
        self._refresh()
        self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        for w in (self.add_files_button, self.remove_button, self.link,
                  self.add_link_button):
            if w is not None:
                w.setEnabled(not read_only)

    # -- errors --------------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        self.list.setAccessibleDescription(text)
        self.list.setFocus()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.setVisible(False)
        self.list.setAccessibleDescription(
            _("Saved evidence, and new files or links that are added when you save"))

    # -- internals -----------------------------------------------------------------------
    def _clear_link(self) -> None:
        """Empty the link field without reporting it as typing (it is not the person's)."""
        if self.link is not None:
            self.link.blockSignals(True)
            self.link.clear()
            self.link.blockSignals(False)

    def _refresh(self) -> None:
        self.list.clear()
        for name in self._saved:
            QListWidgetItem(_("{name} (saved)").format(name=name), self.list)
        for path in self._files:
            item = QListWidgetItem(_("{name} (new file)").format(name=path.name), self.list)
            item.setData(Qt.ItemDataRole.UserRole, ("file", str(path)))
            item.setToolTip(str(path))
        for link in self._links:
            item = QListWidgetItem(_("{name} (new link)").format(name=link), self.list)
            item.setData(Qt.ItemDataRole.UserRole, ("link", link))
        if not (self._saved or self._files or self._links):
            QListWidgetItem(_("No evidence yet"), self.list)

    def _pick(self) -> None:
        chosen = self.choose_files(self)
        if chosen:
            self.add_files(list(chosen))

    def _add_link(self) -> None:
        if self.link is None:
            return
        text = self.link.text().strip()
        if text and text not in self._links:
            self._links.append(text)
            self.link.clear()
            self._refresh()
            self.changed.emit()

    def _remove_selected(self) -> None:
        item = self.list.currentItem()
        tag = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        if not tag:
            return
        kind, value = tag
        if kind == "file":
            self._files = [p for p in self._files if str(p) != value]
        else:
            self._links = [t for t in self._links if t != value]
        self._refresh()
        self.changed.emit()


def _choose_files(parent: QWidget) -> list[str]:
    paths, _filter = QFileDialog.getOpenFileNames(
        parent, _("asndesk — choose evidence files"), str(Path.home()), file_filter())
    return list(paths)
