"""Pick whose profile to open on a shared PC: names only, never any data (issue 4)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asndesk.i18n import _
from asndesk.store.profiles import ProfileInfo


class ProfilePickerDialog(QDialog):
    """`chosen(nip)` when a profile is opened, `create_requested()` for a new one."""

    chosen = Signal(str)
    create_requested = Signal()

    def __init__(self, profiles: list[ProfileInfo], preselect: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.profile_picker")
        self.setWindowTitle(_("asndesk — choose your profile"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Each person on this computer has their own locked profile. "
                         "Choose yours, or create one."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        label = QLabel(_("&Profiles on this computer"))
        self.list = QListWidget()
        self.list.setObjectName("profile_picker.list")
        self.list.setAccessibleName(_("Profiles on this computer"))
        label.setBuddy(self.list)
        layout.addWidget(label)
        layout.addWidget(self.list)
        for info in profiles:
            item = QListWidgetItem(info.nama, self.list)
            item.setData(256, info.nip)  # Qt.UserRole
            if info.nip == preselect:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox()
        self.open_button = QPushButton(_("&Open"))
        self.open_button.setObjectName("profile_picker.open")
        self.open_button.setDefault(True)
        self.open_button.setEnabled(self.list.count() > 0)
        self.create_button = QPushButton(_("&New profile…"))
        self.create_button.setObjectName("profile_picker.create")
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)
        self.open_button.clicked.connect(self._open)
        self.list.itemActivated.connect(lambda _item: self._open())
        self.create_button.clicked.connect(self.create_requested.emit)
        (self.list if self.list.count() else self.create_button).setFocus()

    def _open(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(str(item.data(256)))
