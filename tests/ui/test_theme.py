"""Themes (A-14, A-15, A-17): contrast computed from the shipped palettes, system high
contrast followed, no colour style sheet anywhere that could override it.

The contrast formula here is written out independently of `ui.theme.contrast_ratio` (WCAG 2.x
relative luminance from the sRGB hex), so a wrong helper in the app cannot pass its own test.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import wait_idle
from ui import theme

Role = QPalette.ColorRole
Group = QPalette.ColorGroup
SHIPPED = ("light", "dark", "high_contrast")


def _wcag_ratio(a: QColor, b: QColor) -> float:
    def lum(colour: QColor) -> float:
        hexa = colour.name()  # "#rrggbb"
        out = []
        for i in (1, 3, 5):
            c = int(hexa[i:i + 2], 16) / 255
            out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_independent_formula_agrees_with_known_values() -> None:
    assert _wcag_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    # Fusion's default highlight under white text: the 3.69:1 accessibility.md warns about.
    assert _wcag_ratio(QColor("#308cc6"), QColor("#ffffff")) == pytest.approx(3.69, abs=0.01)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_text_pair_reaches_4_5(name: str) -> None:
    palette = theme.palette_for(name)
    pairs = theme.text_pairs(palette)
    # Every role pair the app draws text with, in every colour group, selected rows included.
    labels = {label for label, _fg, _bg in pairs}
    assert any("HighlightedText/Highlight" in label for label in labels)
    assert any(label.startswith("Disabled") for label in labels)
    low = [f"{label}: {_wcag_ratio(fg, bg):.2f}" for label, fg, bg in pairs
           if _wcag_ratio(fg, bg) < 4.5]
    assert not low, f"{name}: text pairs below 4.5:1: {low}"


@pytest.mark.parametrize("name", SHIPPED)
def test_focus_ring_borders_and_chart_series_reach_3(name: str) -> None:
    pairs = theme.non_text_pairs(theme.palette_for(name), name)
    assert any(label.startswith("chart series") for label, _f, _b in pairs)
    low = [f"{label}: {_wcag_ratio(fg, bg):.2f}" for label, fg, bg in pairs
           if _wcag_ratio(fg, bg) < 3.0]
    assert not low, f"{name}: non-text pairs below 3:1: {low}"


def test_themes_really_differ() -> None:
    bases = {theme.palette_for(n).color(Group.Active, Role.Window).name() for n in SHIPPED}
    assert len(bases) == 3


def _hints(contrast_high: bool, dark: bool) -> object:
    pref = Qt.ContrastPreference.HighContrast if contrast_high \
        else Qt.ContrastPreference.NoPreference
    return SimpleNamespace(
        accessibility=lambda: SimpleNamespace(contrastPreference=lambda: pref),
        colorScheme=lambda: Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)


@pytest.mark.parametrize(("high", "dark", "want"), [
    (True, False, "high_contrast"), (True, True, "high_contrast"),
    (False, True, "dark"), (False, False, "light")])
def test_system_theme_follows_the_platform(high: bool, dark: bool, want: str) -> None:
    assert theme.resolve_theme("system", _hints(high, dark)) == want  # type: ignore[arg-type]
    # A theme the person picked is kept whatever the system says.
    assert theme.resolve_theme("light", _hints(high, dark)) == "light"  # type: ignore[arg-type]


_COLOUR = re.compile(r"(color|background|border)\s*:|#[0-9a-fA-F]{3,8}\b|rgb\(", re.I)


def test_high_contrast_is_not_overridden_by_style_sheets(qtbot, unlocked) -> None:
    app = QApplication.instance()
    resolved = theme.apply_theme(app, "high_contrast", 100)
    try:
        assert resolved == "high_contrast"
        assert app.palette().color(Group.Active, Role.Window) == QColor("#000000")
        assert not _COLOUR.search(app.styleSheet()), app.styleSheet()
        window = unlocked.window
        offenders = []
        for index in range(len(window.pages)):
            window.show_page(index)
            wait_idle(qtbot, unlocked)
            offenders += [w.objectName() or type(w).__name__
                          for w in window.findChildren(QWidget)
                          if w.styleSheet() and _COLOUR.search(w.styleSheet())]
        assert not offenders, f"widgets with colour style sheets (A-15): {sorted(set(offenders))}"
    finally:
        theme.apply_theme(app, "light", 100)


def test_text_size_is_bounded_and_never_compounds(qapp) -> None:
    base = qapp.font().pointSizeF()
    try:
        theme.apply_theme(qapp, "light", 200)
        theme.apply_theme(qapp, "light", 200)
        assert qapp.font().pointSizeF() == pytest.approx(base * 2)
        theme.apply_theme(qapp, "light", 100)
        assert qapp.font().pointSizeF() == pytest.approx(base)
        with pytest.raises(ValueError):
            theme.apply_theme(qapp, "light", 250)
    finally:
        theme.apply_theme(qapp, "light", 100)


def test_focus_ring_and_target_size_constants_meet_wcag() -> None:
    assert theme.FOCUS_RING_PX >= 2
    assert theme.MIN_TARGET_PX >= 24
    assert f"min-height: {theme.MIN_TARGET_PX}px" in theme._style_sheet()
