"""Helpers for keyboard-only page tests: where focus is, Tab until a control, open a page
with focus on its first field, and a query on the DB lane as a page makes it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import wait_idle


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def tab_to(target: QWidget, limit: int = 40) -> None:
    """Press Tab until `target` has focus (fails if it is never reached)."""
    for _n in range(limit):
        if focused() is target:
            return
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is target, f"Tab never reached {target.objectName()}"


def open_page(qtbot: Any, desktop: Any, page_id: str) -> Any:
    """The page shown and settled, focus on its first field, the window active."""
    window = desktop.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    page = window.open_page(page_id)
    wait_idle(qtbot, desktop)
    qtbot.waitUntil(lambda: focused() is page.first_focus(), timeout=3000)
    return page


def read(qtbot: Any, desktop: Any, fn: Any) -> Any:
    """A query on the DB lane, as a page makes it; returns its result."""
    box: list[Any] = []
    desktop.window.ctx.read(fn, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]
