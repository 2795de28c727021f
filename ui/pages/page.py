"""The base of every main-window page: a title, a refresh from `Changes`, drafts, focus.

A page loads its data through `ctx.read` (DB lane) and refreshes when `ctx.changed` carries a
kind it shows. Pages with forms report their drafts so a lock or crash never loses typing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from asndesk.store.database import Changes
from ui.context import AppContext


class Page(QWidget):
    """Subclasses set `page_id`, `kinds` and implement `title()`, `build()` and `load()`."""

    page_id: ClassVar[str] = ""
    kinds: ClassVar[frozenset[str]] = frozenset()  # entity kinds whose change means reload
    # Shown only to a person with one of these roles (`Workspace.role_names`); empty: to all.
    required_roles: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"page.{self.page_id}")
        self.root = QVBoxLayout(self)
        heading = QLabel(f"<h1>{self.title()}</h1>")
        heading.setObjectName(f"page.{self.page_id}.heading")
        heading.setWordWrap(True)
        self.root.addWidget(heading)
        self.loaded = False
        self.build()
        ctx.changed.connect(self._on_changed)

    # -- subclass hooks ------------------------------------------------------------------
    def title(self) -> str:
        raise NotImplementedError

    def build(self) -> None:
        """Create the widgets (no data yet)."""

    def load(self) -> None:
        """Ask for the page's data (through `self.ctx.read`)."""

    def drafts(self) -> dict[str, dict[str, Any]]:
        """form key -> values of every form with unsaved typing (saved at lock, on a timer)."""
        return {}

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        """Put restored drafts back into the forms (keys as returned by `drafts`)."""

    def first_focus(self) -> QWidget | None:
        """The widget that gets focus when the page is opened."""
        return None

    # -- shared behaviour ----------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self.loaded:
            self.loaded = True
            self.load()

    def _on_changed(self, changes: Changes) -> None:
        if self.loaded and (not self.kinds or any(changes.touched(k) for k in self.kinds)):
            self.load()
