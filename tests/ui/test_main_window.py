"""The main window's keyboard paths (A-09, A-25): every page's fixed shortcut (Ctrl+1 … Ctrl+0
for the everyday pages, Alt+1 … for the others) opens it with focus on its first control; the
page list and the Pages menu name every page; role pages follow the person's roles."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import wait_idle
from ui.pages.registry import SHORTCUTS, page_types

ALL_ROLES = frozenset({"supervisor", "hr", "admin"})


def test_every_page_has_its_own_shortcut() -> None:
    ids = [t.page_id for t in page_types()]
    assert set(ids) == set(SHORTCUTS)
    assert len(set(SHORTCUTS.values())) == len(SHORTCUTS)
    assert [SHORTCUTS[i] for i in ids[:9]] == [f"Ctrl+{n}" for n in range(1, 10)]
    assert SHORTCUTS["pengaturan"] == "Ctrl+0" and ids[-1] == "pengaturan"


def test_shortcut_opens_each_page_with_focus_inside(qtbot, unlocked) -> None:
    unlocked.set_roles(ALL_ROLES)
    wait_idle(qtbot, unlocked)
    window = unlocked.window
    assert len(window.pages) == len(page_types())
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    # Go backwards so every key press switches page (the first page is current at start).
    for index in reversed(range(len(window.pages))):
        page = window.pages[index]
        QTest.keySequence(window.windowHandle(), QKeySequence(SHORTCUTS[page.page_id]))
        wait_idle(qtbot, unlocked)
        assert window.stack.currentIndex() == index, page.page_id
        assert window.nav.currentRow() == index
        target = page.first_focus()
        if target is not None:
            qtbot.waitUntil(lambda t=target: QApplication.focusWidget() is t, timeout=3000)


def test_role_pages_follow_the_roles_and_keep_typing(qtbot, unlocked) -> None:
    window = unlocked.window
    ids = [p.page_id for p in window.pages]
    assert "bawahan" not in ids and "unit" not in ids and "organisasi" not in ids
    assert {"dasbor", "skm"} <= set(ids)  # for everyone
    window.open_page("log_harian")
    form = window.page("log_harian").form  # type: ignore[attr-defined]
    form.set_values({"kegiatan": "Rapat koordinasi desa"})
    unlocked.set_roles(frozenset({"supervisor"}))
    wait_idle(qtbot, unlocked)
    window = unlocked.window
    ids = [p.page_id for p in window.pages]
    assert "bawahan" in ids and "unit" not in ids
    assert window.pages[window.stack.currentIndex()].page_id == "log_harian"
    assert window.page("log_harian").form.values()["kegiatan"] == \
        "Rapat koordinasi desa"  # type: ignore[attr-defined]
    unlocked.set_roles(frozenset())
    wait_idle(qtbot, unlocked)
    assert "bawahan" not in [p.page_id for p in unlocked.window.pages]


def test_every_page_is_listed_and_in_the_pages_menu(unlocked) -> None:
    window = unlocked.window
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [page.title() for page in window.pages]
    names = {a.objectName() for a in window.actions()}
    assert {f"action.page.{p.page_id}" for p in window.pages} <= names
    assert window.pages[-1].page_id == "pengaturan"
