"""The question before an irreversible or office-wide action: Cancel is the default and the
Escape button (accessibility.md A-20), the action button is named for tests and AT (A-23).

`ask(box, on_decided)` opens it window-modally without blocking the event loop and calls
`on_decided(confirmed)` once it closes; the box deletes itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from asndesk.i18n import _

Icon = QMessageBox.Icon
Role = QMessageBox.ButtonRole


def confirm_box(parent: QWidget, name: str, title: str, text: str, action_text: str, *,
                action_key: str = "delete", icon: Icon = Icon.Question,
                role: Role = Role.DestructiveRole) -> QMessageBox:
    """Built, not shown. Object names: `name`, `name.<action_key>`, `name.cancel`; after it
    closes, its `confirmed` property says whether the action was chosen."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(name)
    action = box.addButton(action_text, role)
    action.setObjectName(f"{name}.{action_key}")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName(f"{name}.cancel")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setProperty("confirmed", False)

    def clicked(chosen: QAbstractButton) -> None:  # a slot returning nothing (not a bool)
        box.setProperty("confirmed", chosen is action)
    box.buttonClicked.connect(clicked)
    return box


def confirm_delete(parent: QWidget, name: str, title: str, text: str) -> QMessageBox:
    """A delete question ("Delete" / Cancel, Cancel by default)."""
    return confirm_box(parent, name, title, text, _("Delete"))


def ask(box: QMessageBox, on_decided: Callable[[bool], None]) -> QMessageBox:
    """Open `box`; `on_decided(confirmed)` runs after it closes. Returns the box (callers
    keep it as `confirm_box` so tests can answer it)."""
    def decided(_result: int) -> None:
        confirmed = bool(box.property("confirmed"))
        box.deleteLater()
        on_decided(confirmed)
    box.finished.connect(decided)
    box.open()
    return box
