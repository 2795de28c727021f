"""The in-process (U) accessibility checks of accessibility.md, as functions over one window.

Each returns a list of offenders (object names and why); the test asserts it is empty, so a
failure lists every widget to fix at once.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)

from ui.forms import plain

MIN_TARGET = 24


def _who(w: QWidget) -> str:
    return w.objectName() or f"<{type(w).__name__} {plain(_visible_text(w))[:30]!r}>"


def _visible_text(w: QWidget) -> str:
    if isinstance(w, QAbstractButton | QLabel):
        return w.text()
    return ""


def acc_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Text.Name) if iface is not None else ""


def acc_description(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Text.Description) if iface is not None else ""


def focusables(window: QWidget) -> list[QWidget]:
    """Visible widgets that take keyboard focus (what Tab and a screen reader reach)."""
    found = []
    for w in window.findChildren(QWidget):
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus or not w.isVisibleTo(window):
            continue
        if not w.isEnabled():
            continue
        # A spin box's or combo's inner line edit is part of its parent control.
        parent = w.parentWidget()
        if isinstance(w, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox):
            continue
        if (type(w).__name__ in ("QScrollBar", "QScrollArea", "QStackedWidget", "QWidget",
                                "QFrame", "QSplitterHandle", "QTabBar", "QHeaderView",
                                "QCalendarWidget", "QToolButton") and not \
                isinstance(w, QAbstractButton)) or _is_internal(w):
            continue
        found.append(w)
    return found


def _is_internal(w: QWidget) -> bool:
    name = w.objectName()
    return name.startswith("qt_") or (w.parentWidget() is not None and
                                      w.parentWidget().objectName().startswith("qt_"))


def buddies(window: QWidget) -> dict[int, QLabel]:
    return {id(label.buddy()): label for label in window.findChildren(QLabel)
            if label.buddy() is not None}


def check_names(window: QWidget) -> list[str]:
    """A-01, A-03, A-04, A-23: named, name contains the visible label, stable objectName."""
    problems = []
    labels = buddies(window)
    for w in focusables(window):
        # Qt reports a combo box's current value as its accessible name (A-01 notes this for
        # Linux); the name a screen reader gets beside the buddy label is the one we set.
        name = w.accessibleName() if isinstance(w, QComboBox) else acc_name(w)
        if not name.strip():
            problems.append(f"{_who(w)}: no accessible name (A-01/A-03)")
            continue
        visible = plain(_visible_text(w)) if isinstance(w, QAbstractButton) else ""
        label = labels.get(id(w))
        if label is not None:
            visible = plain(label.text())
        if visible and visible.lower() not in name.lower():
            problems.append(f"{_who(w)}: name {name!r} lacks the label {visible!r} (A-04)")
        if not w.objectName():
            problems.append(f"{_who(w)}: no objectName (A-23)")
    return problems


def check_combos(window: QWidget) -> list[str]:
    """A-02: every combo box has a buddy label and an accessible name."""
    labels = buddies(window)
    return [f"{_who(c)}: combo without buddy label or name (A-02)"
            for c in window.findChildren(QComboBox)
            if c.isVisibleTo(window) and (id(c) not in labels or not c.accessibleName())]


def check_units(window: QWidget) -> list[str]:
    """A-05: a spin box's suffix (unit) is in its name or description."""
    problems = []
    for spin in window.findChildren(QSpinBox) + window.findChildren(QDoubleSpinBox):
        unit = spin.suffix().strip()
        if unit and spin.isVisibleTo(window) and unit not in acc_name(spin) + \
                acc_description(spin):
            problems.append(f"{_who(spin)}: unit {unit!r} not in name/description (A-05)")
    return problems


def check_tab_changes_focus(window: QWidget) -> list[str]:
    """A-08: multi-line edits hand Tab on (no keyboard trap)."""
    return [f"{_who(e)}: Tab is trapped (A-08)"
            for e in window.findChildren(QPlainTextEdit) + window.findChildren(QTextEdit)
            if e.isVisibleTo(window) and not e.isReadOnly() and not e.tabChangesFocus()]


def check_shortcuts(window: QWidget) -> list[str]:
    """A-09: no single-key shortcuts; menu items have a mnemonic or a shortcut; mnemonics
    unique among the visible buttons and labels of the window."""
    problems = []
    for action in window.actions() + [a for m in window.findChildren(QMenu)
                                      for a in m.actions()]:
        for seq in action.shortcuts():
            key = seq[0].toCombined() if seq.count() else 0
            mods = key & ~0x01FFFFFF
            base = key & 0x01FFFFFF
            if seq.count() and not mods and not (Qt.Key.Key_F1 <= base <= Qt.Key.Key_F35):
                problems.append(f"{action.objectName()}: single-key shortcut "
                                f"{seq.toString()} (A-09)")
    for menu in window.findChildren(QMenu):
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            if "&" not in action.text() and action.shortcut().isEmpty():
                problems.append(f"menu item {plain(action.text())!r}: no mnemonic or "
                                f"shortcut (A-09)")
    seen: dict[str, str] = {}
    for w in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
        if not w.isVisibleTo(window):
            continue
        match = re.search(r"&([^&\s])", w.text().replace("&&", ""))
        if not match:
            continue
        letter = match.group(1).lower()
        if letter in seen and seen[letter] != _who(w):
            problems.append(f"mnemonic &{letter} used by {seen[letter]} and {_who(w)} (A-09)")
        seen[letter] = _who(w)
    return problems


def check_tables(window: QWidget) -> list[str]:
    """A-10, A-11: tables named, with headers for every column; no tree views for lists."""
    problems = []
    for view in window.findChildren(QAbstractItemView):
        if not view.isVisibleTo(window):
            continue
        if isinstance(view, QTreeView):
            problems.append(f"{_who(view)}: QTreeView (A-11)")
        if isinstance(view, QTableView):
            if not view.accessibleName():
                problems.append(f"{_who(view)}: table without a name (A-10)")
            model = view.model()
            if model is not None:
                for col in range(model.columnCount()):
                    if not model.headerData(col, Qt.Orientation.Horizontal):
                        problems.append(f"{_who(view)}: column {col} has no header (A-10)")
    return problems


def check_targets(window: QWidget) -> list[str]:
    """A-17: interactive targets at least 24×24 px."""
    problems = []
    for w in focusables(window):
        if isinstance(w, QAbstractButton | QLineEdit | QComboBox | QAbstractSpinBox):
            size = w.size()
            if size.width() < MIN_TARGET or size.height() < MIN_TARGET:
                problems.append(f"{_who(w)}: {size.width()}×{size.height()} px (A-17)")
    return problems


def check_password_fields(window: QWidget) -> list[str]:
    """A-18: a password field accepts paste and has a named show-password toggle."""
    problems = []
    for edit in window.findChildren(QLineEdit):
        if edit.echoMode() != QLineEdit.EchoMode.Password or not edit.isVisibleTo(window):
            continue
        toggle = window.findChild(QAbstractButton, edit.objectName() + ".show")
        if toggle is None or not toggle.isCheckable() or not acc_name(toggle):
            problems.append(f"{_who(edit)}: no named show-password toggle (A-18)")
        if edit.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu:
            problems.append(f"{_who(edit)}: paste blocked (A-18)")
    return problems


def check_clipping(window: QWidget) -> list[str]:
    """A-16: at the current text size, labels and buttons show all their text."""
    problems = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text().strip():
            continue
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + 1:
                problems.append(f"{_who(label)}: needs {need} px, has {label.height()} (A-16)")
        elif label.sizeHint().width() > label.width() + 1 and not label.textFormat() == \
                Qt.TextFormat.RichText:
            problems.append(f"{_who(label)}: text cut ({label.sizeHint().width()} > "
                            f"{label.width()} px) (A-16)")
    for button in window.findChildren(QAbstractButton):
        if button.isVisibleTo(window) and button.text() and \
                button.minimumSizeHint().width() > button.width() + 1:
            problems.append(f"{_who(button)}: text cut (A-16)")
    return problems


def _shown_or_tabbed(w: QWidget, window: QWidget) -> bool:
    """Shown with `window`, or on a tab the keyboard can bring up (a QTabWidget page); a
    widget on a hidden page of the main window's stack is not on this screen."""
    node: QWidget | None = w
    while node is not None and node is not window:
        parent = node.parentWidget()
        if node.isHidden():
            tabs = parent.parentWidget() if parent is not None else None
            if not (isinstance(parent, QStackedWidget) and isinstance(tabs, QTabWidget)
                    and tabs.isTabEnabled(tabs.indexOf(node))):
                return False
        node = parent
    return True


def drawn_series(chart: QWidget) -> list[tuple[str, list[float]]]:
    """What a chart draws, read from QtCharts itself (or a painted heat map's series)."""
    from PySide6.QtCharts import QAbstractBarSeries, QChartView, QXYSeries

    if not isinstance(chart, QChartView):
        return [(s.name, list(s.values)) for s in chart.series()]  # type: ignore[attr-defined]
    out: list[tuple[str, list[float]]] = []
    for series in chart.chart().series():
        if isinstance(series, QXYSeries):
            out.append((series.name(), [p.y() for p in series.points()]))
        elif isinstance(series, QAbstractBarSeries):
            out += [(bars.label(), [bars.at(i) for i in range(bars.count())])
                    for bars in series.barSets()]
    return out


def drawn_categories(chart: QWidget) -> int:
    from PySide6.QtCharts import QBarCategoryAxis, QChartView

    if not isinstance(chart, QChartView):
        return len(chart.categories())  # type: ignore[attr-defined]
    axes = [a for a in chart.chart().axes(Qt.Orientation.Horizontal)
            if isinstance(a, QBarCategoryAxis)]
    return axes[0].count() if axes else 0


def chart_views(window: QWidget) -> list[QWidget]:
    """Every chart on this screen: QtCharts views and the painted heat maps."""
    from PySide6.QtCharts import QChartView

    from ui.charts.heatmap_view import HeatmapView

    return [w for w in window.findChildren(QWidget) if isinstance(w, QChartView | HeatmapView)
            and _shown_or_tabbed(w, window)]


def check_charts(window: QWidget) -> list[str]:
    """A-21: every chart (`<x>.chart`) has a named table (`<x>.table`) that Tab reaches and
    that holds exactly the numbers drawn, and a one-sentence summary (`<x>.summary`) that is
    also the chart's accessible description."""
    from ui.charts.series_table_model import VALUE_ROLE

    problems = []
    for chart in chart_views(window):
        who = _who(chart)
        base = chart.objectName().removesuffix(".chart")
        table = window.findChild(QTableView, f"{base}.table")
        summary = window.findChild(QLabel, f"{base}.summary")
        if not chart.objectName().endswith(".chart") or table is None:
            problems.append(f"{who}: a chart without its table {base}.table (A-21)")
            continue
        if not table.accessibleName() or not table.focusPolicy() & Qt.FocusPolicy.TabFocus \
                or not _shown_or_tabbed(table, window):
            problems.append(f"{who}: its table is unnamed or not reachable by Tab (A-21)")
        text = summary.text().strip() if summary is not None else ""
        if not text:
            problems.append(f"{who}: no text summary {base}.summary (A-21)")
        elif acc_description(chart) != summary.text():  # type: ignore[union-attr]
            problems.append(f"{who}: description is not the summary (A-21)")
        model = table.model()
        headers = [model.headerData(c, Qt.Orientation.Horizontal)
                   for c in range(model.columnCount())]
        if drawn_categories(chart) != model.rowCount():
            problems.append(f"{who}: {drawn_categories(chart)} categories drawn, "
                            f"{model.rowCount()} table rows (A-21)")
        for name, values in drawn_series(chart):
            if name not in headers[1:]:  # column 0 names the categories
                problems.append(f"{who}: series {name!r} has no table column (A-21)")
                continue
            column = [model.index(r, headers.index(name, 1)).data(VALUE_ROLE)
                      for r in range(model.rowCount())]
            if len(column) != len(values) or any(
                    c is None or abs(float(c) - v) > 1e-9 for c, v in zip(column, values,
                                                                          strict=False)):
                problems.append(f"{who}: series {name!r} drawn {values}, table {column} "
                                f"(A-21)")
    return problems


ALL_CHECKS = (check_names, check_combos, check_units, check_tab_changes_focus,
              check_shortcuts, check_tables, check_targets, check_password_fields)


def tab_cycle(window: QWidget, qtbot: object, limit: int = 400) -> list[QWidget]:
    """The widgets Tab visits from the current focus until it comes back (A-07)."""
    from PySide6.QtTest import QTest

    start = QApplication.focusWidget()
    visited: list[QWidget] = []
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        current = QApplication.focusWidget()
        if current is None or current is start or current in visited:
            break
        visited.append(current)
    return visited


__all__ = ["ALL_CHECKS", "QKeySequence", "check_clipping", "tab_cycle"]
