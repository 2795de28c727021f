"""The main window's keyboard paths (A-09, A-25): Ctrl+1 … Ctrl+9 and Ctrl+0 open each page
with focus on its first control; the page list and the Pages menu name every page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import wait_idle

KEYS = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_6,
        Qt.Key.Key_7, Qt.Key.Key_8, Qt.Key.Key_9, Qt.Key.Key_0]  # the tenth page: Ctrl+0


def test_ctrl_digit_opens_each_page_with_focus_inside(qtbot, unlocked) -> None:
    window = unlocked.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    # Go backwards so every key press switches page (the first page is current at start).
    for index in reversed(range(min(len(window.pages), len(KEYS)))):
        page = window.pages[index]
        QTest.keyClick(window.windowHandle(), KEYS[index], Qt.KeyboardModifier.ControlModifier)
        wait_idle(qtbot, unlocked)
        assert window.stack.currentIndex() == index, page.page_id
        assert window.nav.currentRow() == index
        target = page.first_focus()
        if target is not None:
            qtbot.waitUntil(lambda t=target: QApplication.focusWidget() is t, timeout=3000)


def test_every_page_is_listed_and_in_the_pages_menu(unlocked) -> None:
    window = unlocked.window
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [page.title() for page in window.pages]
    names = {a.objectName() for a in window.actions()}
    assert {f"action.page.{p.page_id}" for p in window.pages} <= names
    assert window.pages[-1].page_id == "pengaturan"
