"""accessibility.md U checks over every window, page and dialog of the app (offscreen).

The catalogue (tests/ui/window_catalogue.py) must cover every QDialog/QMainWindow class in
`ui/`; each screen is shown at 1280×800 and checked; then the same at 200 % text size.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui import a11y_checks
from tests.ui.window_catalogue import FACTORIES, screens, ui_window_classes

SIZE = (1280, 800)


def test_catalogue_covers_every_window_class() -> None:
    missing = ui_window_classes() - set(FACTORIES)
    assert not missing, f"add a factory to tests/ui/window_catalogue.py for: {sorted(missing)}"


def _walk(unlocked, qtbot) -> Iterator[tuple[str, QWidget]]:
    for label, window in screens(unlocked, qtbot):
        window.resize(*SIZE)
        # Word-wrapped labels settle over more than one layout pass (height-for-width asks
        # the parent again): let the posted layout requests run out before measuring.
        for _pass in range(3):
            QApplication.processEvents()
            if window.layout() is not None:
                window.layout().activate()
        yield label, window


def test_u_checks_on_every_screen(unlocked, qtbot) -> None:
    problems: list[str] = []
    titles: dict[str, str] = {}
    for label, window in _walk(unlocked, qtbot):
        for check in a11y_checks.ALL_CHECKS:
            problems += [f"[{label}] {p}" for p in check(window)]
        title = window.windowTitle()
        if not title.strip():
            problems.append(f"[{label}] window without a title (A-06)")
        elif title in titles and titles[title] != type(window).__name__:
            problems.append(f"[{label}] title {title!r} also used by {titles[title]} (A-06)")
        titles.setdefault(title, type(window).__name__)
    assert not problems, "\n".join(problems)


def test_a21_every_chart_has_its_table_and_summary(unlocked, qtbot) -> None:
    """A-21 on every screen: each chart's table holds the numbers drawn, Tab reaches it, and
    its one-sentence summary is shown and is the chart's description. Charts are there (the
    Dasbor page has six), so this check cannot pass by finding none."""
    problems: list[str] = []
    charts: list[str] = []
    for label, window in _walk(unlocked, qtbot):
        charts += [f"{label}: {c.objectName()}" for c in a11y_checks.chart_views(window)]
        problems += [f"[{label}] {p}" for p in a11y_checks.check_charts(window)]
    assert charts, "no screen shows a chart: A-21 would check nothing"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scale", [100, 200])
def test_text_is_not_clipped(unlocked, qtbot, scale: int) -> None:
    from ui.theme import apply_theme

    apply_theme(QApplication.instance(), "light", scale)
    try:
        problems: list[str] = []
        for label, window in _walk(unlocked, qtbot):
            problems += [f"[{label} @ {scale} %] {p}" for p in a11y_checks.check_clipping(window)]
        assert not problems, "\n".join(problems)
    finally:
        apply_theme(QApplication.instance(), "light", 100)


def test_tab_reaches_every_control_and_shift_tab_reverses(unlocked, qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    problems: list[str] = []
    for label, window in _walk(unlocked, qtbot):
        window.activateWindow()
        targets = [w for w in a11y_checks.focusables(window)
                   if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        if not targets:
            continue
        targets[0].setFocus()
        QApplication.processEvents()
        visited = [QApplication.focusWidget(), *a11y_checks.tab_cycle(window, qtbot)]
        missed = [a11y_checks._who(w) for w in targets if w not in visited]
        if missed:
            problems.append(f"[{label}] Tab never reaches: {missed} (A-07)")
        if len(visited) > 2:
            visited[1].setFocus()
            QTest.keyClick(visited[1], Qt.Key.Key_Backtab)
            if QApplication.focusWidget() is not visited[0]:
                problems.append(f"[{label}] Shift+Tab does not go back (A-07)")
    assert not problems, "\n".join(problems)
