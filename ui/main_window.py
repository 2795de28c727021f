"""The main window: a page list, the page stack, menus with shortcuts, and the status bar.

It only composes pages and wires actions; data work lives in the pages and the core.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from asndesk.errors import UserFacingError
from asndesk.i18n import _
from ui.context import AppContext
from ui.pages.page import Page
from ui.pages.registry import SHORTCUTS
from ui.status_bar import AppStatusBar


class MainWindow(QMainWindow):
    """Built per unlocked profile; `lock_requested` and `quit_requested` go to the app."""

    lock_requested = Signal()
    quit_requested = Signal()

    def __init__(self, ctx: AppContext, page_types: Sequence[type[Page]]) -> None:
        super().__init__()
        self.ctx = ctx
        self.app: Any = None  # the DesktopApp (settings page applies through it)
        self.setObjectName("main_window")
        self.setWindowTitle(_("asndesk — {name}").format(name=ctx.profile_name))
        self.pages: list[Page] = []
        self.nav = QListWidget()
        self.nav.setObjectName("main_window.nav")
        self.nav.setAccessibleName(_("Pages"))
        self.nav.setAccessibleDescription(
            _("Choose a page; each has a shortcut too (Ctrl+1 … Ctrl+0, Alt+1 …), shown in "
              "the Pages menu"))
        self.nav.setMaximumWidth(260)
        self.stack = QStackedWidget()
        self.stack.setObjectName("main_window.stack")
        # The frame is in the window before the pages are built: with the app's style sheet,
        # moving a built page into it re-polishes every widget again (bench/ui_startup.py:
        # about 40 % of the time from unlock to Beranda).
        body = QWidget()
        row = QHBoxLayout(body)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        for page_type in page_types:
            # Large text (200 %) must stay readable: every page scrolls rather than clips.
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            # The page's own controls take focus (and the area scrolls to them); the area
            # itself would be an unnamed Tab stop.
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.stack.addWidget(scroll)
            page = page_type(ctx)
            self.pages.append(page)
            scroll.setObjectName(f"scroll.{page.page_id}")
            scroll.setWidget(page)
            QListWidgetItem(page.title(), self.nav)
        self.nav.currentRowChanged.connect(self.show_page)
        # A screen reader picks a page by selecting its item (AT-SPI Selection), which
        # does not move the current row: follow the selection too.
        self.nav.itemSelectionChanged.connect(self._nav_selected)
        self.status = AppStatusBar()
        self.setStatusBar(self.status)
        self._build_menus()
        ctx.error.connect(self.show_error)
        self.nav.setCurrentRow(0)
        ctx.announcer.set_source(body)
        self.resize(1100, 720)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        profile = bar.addMenu(_("&Profile"))
        self.lock_action = self._action(profile, _("&Lock now"), "Ctrl+L",
                                        self.lock_requested.emit, name="action.lock")
        profile.addSeparator()
        self._action(profile, _("&Quit"), "Ctrl+Q", self.quit_requested.emit, name="action.quit")
        pages = bar.addMenu(_("P&ages"))
        for n, page in enumerate(self.pages):
            key = SHORTCUTS.get(page.page_id, "")
            self._action(pages, page.title(), key, lambda n=n: self.show_page(n, focus=True),
                         name=f"action.page.{page.page_id}")
        sync = bar.addMenu(_("&Sync"))
        self.sync_action = self._action(sync, _("Sync &now"), "Ctrl+Shift+S",
                                        self.ctx.sync_requested.emit, name="action.sync_now")

    def _action(self, menu: Any, text: str, shortcut: str, slot: Any, *,
                name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)  # stable for tests and AT, whatever the language
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def show_page(self, index: int, *, focus: bool = False) -> None:
        if not 0 <= index < len(self.pages):
            return
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)  # comes back here through currentRowChanged ...
            if not focus:
                return
            # ... which cannot carry `focus`: finish here (showing the page twice is harmless).
        self.stack.setCurrentIndex(index)
        page = self.pages[index]
        if focus:
            target = page.first_focus()
            (target or self.nav).setFocus()

    def _nav_selected(self) -> None:
        selected = self.nav.selectionModel().selectedRows()
        if selected and selected[0].row() != self.nav.currentRow():
            self.nav.setCurrentRow(selected[0].row())

    def page(self, page_id: str) -> Page:
        for page in self.pages:
            if page.page_id == page_id:
                return page
        raise KeyError(page_id)

    def open_page(self, page_id: str) -> Page:
        page = self.page(page_id)
        self.show_page(self.pages.index(page), focus=True)
        return page

    def show_error(self, exc: BaseException) -> None:
        """An error no form took: say what happened; never show a traceback or secrets."""
        text = exc.message() if isinstance(exc, UserFacingError) else _(
            "Something went wrong. Your data is safe; try again, or restart asndesk.")
        box = QMessageBox(QMessageBox.Icon.Warning, _("asndesk — problem"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("dialog.error")
        box.open()

    def all_drafts(self) -> dict[str, dict[str, Any]]:
        drafts: dict[str, dict[str, Any]] = {}
        for page in self.pages:
            drafts.update(page.drafts())
        return drafts

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        for page in self.pages:
            page.restore_drafts(drafts)
