"""Colour themes (light, dark, high contrast), text size, focus ring and borders for the app.

Every text pair meets 4.5:1; focus ring, borders and chart series meet 3:1 (A-14 to A-17).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen, QStyleHints
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionButton,
    QStyleOptionComplex,
    QStyleOptionFrame,
    QWidget,
)

from asndesk.i18n import N_

THEMES = ("system", "light", "dark", "high_contrast")
THEME_LABELS = {"system": N_("Follow the system"), "light": N_("Light"), "dark": N_("Dark"),
                "high_contrast": N_("High contrast")}  # for the settings combo, in THEMES order
TEXT_SCALE_MIN, TEXT_SCALE_MAX = 100, 200  # percent of the platform's font size
MIN_TARGET_PX = 24  # WCAG 2.5.8 target size
FOCUS_RING_PX = 2   # WCAG 2.4.13 focus appearance: at least 2 px thick
MIN_TEXT_CONTRAST, MIN_NON_TEXT_CONTRAST = 4.5, 3.0

Role = QPalette.ColorRole
Group = QPalette.ColorGroup
# Unscaled font size, kept on the QApplication: re-applying never compounds (200 % then 100 %).
_BASE_POINT_SIZE_PROP = "asndesk_base_point_size"
_BASE_PIXEL_SIZE_PROP = "asndesk_base_pixel_size"

# --- Light: dark text on near-white ---------------------------------------------------------
LIGHT_WINDOW = QColor("#f3f3f3")
LIGHT_BASE = QColor("#ffffff")
LIGHT_ALTERNATE_BASE = QColor("#eef1f5")
LIGHT_BUTTON = QColor("#e6e6e6")
LIGHT_TEXT = QColor("#1a1a1a")
# Darker than Fusion's #308cc6 (3.69:1 under white): 6.3:1 with white text, and 5.0:1 or more
# against window, base and button, so the same colour also serves as the focus ring.
LIGHT_HIGHLIGHT = QColor("#1a5fb4")
LIGHT_HIGHLIGHTED_TEXT = QColor("#ffffff")
LIGHT_TOOLTIP_BASE = QColor("#ffffdc")
LIGHT_TOOLTIP_TEXT = QColor("#000000")
# Placeholder must stay readable (6.4:1), yet lighter than typed text so the two differ.
LIGHT_PLACEHOLDER = QColor("#5f5f5f")
# Disabled text: visibly lighter than normal text, yet 5.4:1 on the button face (Qt's is ~2:1).
LIGHT_DISABLED_TEXT = QColor("#5c5c5c")
LIGHT_DISABLED_HIGHLIGHT = QColor("#5f5f5f")  # grey selection in disabled views, white text
LIGHT_LINK = QColor("#0b57d0")
LIGHT_LINK_VISITED = QColor("#6a1b9a")
LIGHT_LIGHT = QColor("#ffffff")
LIGHT_MIDLIGHT = QColor("#ededed")
LIGHT_MID = QColor("#808080")   # lightest grey with 3:1 against the window (borders)
LIGHT_DARK = QColor("#5f5f5f")
LIGHT_SHADOW = QColor("#3c3c3c")
LIGHT_BRIGHT_TEXT = QColor("#ffffff")  # Qt: text drawn on Dark (e.g. pressed buttons)

# --- Dark: light text on dark grey ----------------------------------------------------------
DARK_WINDOW = QColor("#1f1f1f")
DARK_BASE = QColor("#181818")
DARK_ALTERNATE_BASE = QColor("#262626")
DARK_BUTTON = QColor("#2d2d2d")
DARK_TEXT = QColor("#e8e8e8")
# A light blue with black text (10:1): a saturated mid blue cannot reach 4.5:1 with white
# text and 3:1 against the dark window at once, and this one is also the focus ring (7.8:1).
DARK_HIGHLIGHT = QColor("#8ab4f8")
DARK_HIGHLIGHTED_TEXT = QColor("#000000")
DARK_TOOLTIP_BASE = QColor("#3c4043")
DARK_TOOLTIP_TEXT = QColor("#f1f1f1")
DARK_PLACEHOLDER = QColor("#a8a8a8")
DARK_DISABLED_TEXT = QColor("#a0a0a0")  # 5.3:1 on the button face
DARK_DISABLED_HIGHLIGHT = QColor("#9aa0a6")
DARK_LINK = QColor("#8ab4f8")
DARK_LINK_VISITED = QColor("#c58af9")
DARK_LIGHT = QColor("#4a4a4a")
DARK_MIDLIGHT = QColor("#3a3a3a")
# Border roles are lighter than the window here: on a dark window "darker" is invisible.
DARK_MID = QColor("#8a8a8a")
DARK_DARK = QColor("#6e6e6e")
DARK_SHADOW = QColor("#000000")
DARK_BRIGHT_TEXT = QColor("#ffffff")

# --- High contrast: after Windows "High Contrast Black" -------------------------------------
HC_BLACK = QColor("#000000")
HC_WHITE = QColor("#ffffff")
HC_ALTERNATE_BASE = QColor("#1a1a1a")  # alternating rows still differ, white text 17:1
HC_HIGHLIGHT = QColor("#1aebff")       # Windows HC Black "selected text" background (cyan)
HC_LINK = QColor("#ffff00")            # Windows HC Black hyperlink yellow; visited looks alike
HC_DISABLED_TEXT = QColor("#3ff23f")   # Windows HC Black "disabled text" green
HC_PLACEHOLDER = QColor("#c0c0c0")
# All bevel/border roles are white so every frame shows; BrightText (drawn on Dark) is black.

_SPECS: dict[str, tuple[dict[QPalette.ColorRole, QColor], dict[QPalette.ColorRole, QColor]]] = {
    "light": ({
        Role.Window: LIGHT_WINDOW, Role.WindowText: LIGHT_TEXT, Role.Base: LIGHT_BASE,
        Role.AlternateBase: LIGHT_ALTERNATE_BASE, Role.Text: LIGHT_TEXT, Role.Button: LIGHT_BUTTON,
        Role.ButtonText: LIGHT_TEXT, Role.Highlight: LIGHT_HIGHLIGHT,
        Role.HighlightedText: LIGHT_HIGHLIGHTED_TEXT, Role.ToolTipBase: LIGHT_TOOLTIP_BASE,
        Role.ToolTipText: LIGHT_TOOLTIP_TEXT, Role.PlaceholderText: LIGHT_PLACEHOLDER,
        Role.BrightText: LIGHT_BRIGHT_TEXT, Role.Link: LIGHT_LINK,
        Role.LinkVisited: LIGHT_LINK_VISITED, Role.Light: LIGHT_LIGHT,
        Role.Midlight: LIGHT_MIDLIGHT, Role.Mid: LIGHT_MID, Role.Dark: LIGHT_DARK,
        Role.Shadow: LIGHT_SHADOW,
    }, {
        Role.WindowText: LIGHT_DISABLED_TEXT, Role.Text: LIGHT_DISABLED_TEXT,
        Role.ButtonText: LIGHT_DISABLED_TEXT, Role.Base: LIGHT_WINDOW,
        Role.Highlight: LIGHT_DISABLED_HIGHLIGHT,
    }),
    "dark": ({
        Role.Window: DARK_WINDOW, Role.WindowText: DARK_TEXT, Role.Base: DARK_BASE,
        Role.AlternateBase: DARK_ALTERNATE_BASE, Role.Text: DARK_TEXT, Role.Button: DARK_BUTTON,
        Role.ButtonText: DARK_TEXT, Role.Highlight: DARK_HIGHLIGHT,
        Role.HighlightedText: DARK_HIGHLIGHTED_TEXT, Role.ToolTipBase: DARK_TOOLTIP_BASE,
        Role.ToolTipText: DARK_TOOLTIP_TEXT, Role.PlaceholderText: DARK_PLACEHOLDER,
        Role.BrightText: DARK_BRIGHT_TEXT, Role.Link: DARK_LINK,
        Role.LinkVisited: DARK_LINK_VISITED, Role.Light: DARK_LIGHT, Role.Midlight: DARK_MIDLIGHT,
        Role.Mid: DARK_MID, Role.Dark: DARK_DARK, Role.Shadow: DARK_SHADOW,
    }, {
        Role.WindowText: DARK_DISABLED_TEXT, Role.Text: DARK_DISABLED_TEXT,
        Role.ButtonText: DARK_DISABLED_TEXT, Role.Base: DARK_WINDOW,
        Role.Highlight: DARK_DISABLED_HIGHLIGHT,
    }),
    "high_contrast": ({
        Role.Window: HC_BLACK, Role.WindowText: HC_WHITE, Role.Base: HC_BLACK,
        Role.AlternateBase: HC_ALTERNATE_BASE, Role.Text: HC_WHITE, Role.Button: HC_BLACK,
        Role.ButtonText: HC_WHITE, Role.Highlight: HC_HIGHLIGHT, Role.HighlightedText: HC_BLACK,
        Role.ToolTipBase: HC_BLACK, Role.ToolTipText: HC_WHITE,
        Role.PlaceholderText: HC_PLACEHOLDER, Role.BrightText: HC_BLACK, Role.Link: HC_LINK,
        Role.LinkVisited: HC_LINK, Role.Light: HC_WHITE, Role.Midlight: HC_WHITE,
        Role.Mid: HC_WHITE, Role.Dark: HC_WHITE, Role.Shadow: HC_WHITE,
    }, {
        Role.WindowText: HC_DISABLED_TEXT, Role.Text: HC_DISABLED_TEXT,
        Role.ButtonText: HC_DISABLED_TEXT, Role.Highlight: HC_DISABLED_TEXT,
    }),
}

# QtCharts series colours, each >= 3:1 on CHART_BACKGROUND (use it as the chart background).
CHART_BACKGROUND: dict[str, QColor] = {name: spec[Role.Base] for name, (spec, _) in _SPECS.items()}
CHART_SERIES: dict[str, list[QColor]] = {
    name: [QColor(c) for c in colours.split()] for name, colours in (
        ("light", "#1a5fb4 #c01c28 #1e7b34 #b35900 #813d9c #00756a"),
        ("dark", "#8ab4f8 #f28b82 #81c995 #fdd663 #c58af9 #78d9ec"),
        ("high_contrast", "#ffff00 #1aebff #3ff23f #ffffff #ff80ff #ffa040"),
    )
}

# Text on background as drawn (BrightText is Qt's text on Dark; links sit on the window).
_TEXT_PAIRS = (
    (Role.WindowText, Role.Window), (Role.Text, Role.Base), (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button), (Role.ButtonText, Role.Window),
    (Role.HighlightedText, Role.Highlight), (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base), (Role.BrightText, Role.Dark),
    (Role.Link, Role.Base), (Role.Link, Role.Window),
    (Role.LinkVisited, Role.Base), (Role.LinkVisited, Role.Window),
)
# Focus ring (Highlight) and control borders (Mid; Dark for frames) against every surface they
# touch, see AccessibleStyle. Disabled controls are exempt (WCAG 1.4.11): no Disabled group.
_NON_TEXT_PAIRS = (
    *((Role.Highlight, bg) for bg in (Role.Window, Role.Base, Role.Button, Role.AlternateBase)),
    *((Role.Mid, bg) for bg in (Role.Window, Role.Base, Role.Button)),
    (Role.Dark, Role.Window), (Role.Dark, Role.Base),
)


def _check_theme(theme: str) -> None:
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; choose one of {THEMES}")


def palette_for(theme: str, system_dark: bool = False,
                system_high_contrast: bool = False) -> QPalette:
    """The palette of `theme`; "system" picks one from the two system hints."""
    _check_theme(theme)
    if theme == "system":
        theme = "high_contrast" if system_high_contrast else "dark" if system_dark else "light"
    colours, disabled = _SPECS[theme]
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(Group.All, role, colour)
    if (accent := getattr(Role, "Accent", None)) is not None:  # Qt >= 6.6, used by some styles
        palette.setColor(Group.All, accent, colours[Role.Highlight])
    for role, colour in disabled.items():
        palette.setColor(Group.Disabled, role, colour)
    return palette


def resolve_theme(theme: str, hints: QStyleHints | None = None) -> str:
    """"system" becomes "high_contrast", "dark" or "light" from the style hints (Qt >= 6.10
    reports the contrast preference, older Qt only the colour scheme); others stay as they are."""
    _check_theme(theme)
    if theme != "system":
        return theme
    if hints is None and QGuiApplication.instance() is None:
        return "light"
    hints = hints or QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    high = getattr(getattr(Qt, "ContrastPreference", None), "HighContrast", None)
    if (accessibility is not None and high is not None
            and accessibility().contrastPreference() == high):
        return "high_contrast"
    color_scheme = getattr(hints, "colorScheme", None)
    if color_scheme is not None and color_scheme() == Qt.ColorScheme.Dark:
        return "dark"
    return "light"


def _style_sheet() -> str:
    """Minimum target sizes only, no colour at all, so nothing overrides a high-contrast
    palette (A-15). Focus ring and borders come from `AccessibleStyle`: a style-sheet border
    makes combo and spin boxes non-native (their arrows vanish)."""
    targets = ("QPushButton", "QToolButton", "QLineEdit", "QComboBox", "QAbstractSpinBox",
               "QCheckBox", "QRadioButton")
    return (", ".join(targets) + f" {{ min-height: {MIN_TARGET_PX}px; }}\n"
            f"QPushButton, QToolButton {{ min-width: {MIN_TARGET_PX}px; }}\n")


def _outline(painter: QPainter, option: QStyleOption, role: QPalette.ColorRole, width: int,
             *, round_: bool = False) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, round_)
    pen = QPen(option.palette.color(role), width)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    rect = QRectF(option.rect).adjusted(width / 2, width / 2, -width / 2, -width / 2)
    (painter.drawEllipse if round_ else painter.drawRect)(rect)
    painter.restore()


def _frame(painter: QPainter, option: QStyleOption, *, border: bool = True) -> None:
    """The focus ring on a focused control, else (if `border`) a Mid border of 3:1 or more."""
    if option.state & QStyle.StateFlag.State_HasFocus:
        _outline(painter, option, Role.Highlight, FOCUS_RING_PX)
    elif border:
        _outline(painter, option, Role.Mid, 1)


_P = QStyle.PrimitiveElement
_BOXED_FRAMES = (QFrame.Shape.Box, QFrame.Shape.Panel, QFrame.Shape.StyledPanel,
                 QFrame.Shape.WinPanel)


class AccessibleStyle(QProxyStyle):
    """Fusion plus what Fusion lacks (A-14, A-17): a 2 px focus ring in Highlight whenever a
    control has focus (Fusion: 1 px, keyboard only) and control borders in Mid (Fusion derives
    them from Window: about 2:1, invisible on black). Both are roles `non_text_pairs` checks."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if element == _P.PE_FrameFocusRect:
            # Buttons, check boxes, radio buttons, tabs and the current cell of item views;
            # on a selected cell in the selected-text colour (>= 4.5:1 on Highlight).
            selected = option.state & QStyle.StateFlag.State_Selected
            role = Role.HighlightedText if selected else Role.Highlight
            _outline(painter, option, role, FOCUS_RING_PX)
            return
        super().drawPrimitive(element, option, painter, widget)
        if element == _P.PE_FrameLineEdit:
            _frame(painter, option)
        elif element in (_P.PE_IndicatorCheckBox, _P.PE_IndicatorRadioButton):
            _outline(painter, option, Role.Mid, 1,
                     round_=element == _P.PE_IndicatorRadioButton)

    def drawControl(self, element: QStyle.ControlElement, option: QStyleOption,
                    painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawControl(element, option, painter, widget)
        if element == QStyle.ControlElement.CE_PushButtonBevel:
            flat = isinstance(option, QStyleOptionButton) and bool(
                option.features & QStyleOptionButton.ButtonFeature.Flat)
            _frame(painter, option, border=not flat)
        elif (element == QStyle.ControlElement.CE_ShapedFrame
              and isinstance(option, QStyleOptionFrame) and option.frameShape in _BOXED_FRAMES):
            _frame(painter, option)  # text edits, tables, lists, framed panels

    def drawComplexControl(self, control: QStyle.ComplexControl, option: QStyleOptionComplex,
                           painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in (QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox):
            _frame(painter, option)


def _scale_font(app: QApplication, percent: int) -> None:
    font = app.font()
    if app.property(_BASE_POINT_SIZE_PROP) is None:
        app.setProperty(_BASE_POINT_SIZE_PROP, float(font.pointSizeF()))
        app.setProperty(_BASE_PIXEL_SIZE_PROP, int(font.pixelSize()))
    base_points = float(app.property(_BASE_POINT_SIZE_PROP))
    if base_points > 0:
        font.setPointSizeF(base_points * percent / 100)
    else:  # the platform gave the font in pixels
        font.setPixelSize(round(int(app.property(_BASE_PIXEL_SIZE_PROP)) * percent / 100))
    app.setFont(font)


def apply_theme(app: QApplication, theme: str, text_scale_percent: int = 100) -> str:
    """Fusion with focus ring and borders, the theme's palette, the text size (100-200 % of the
    original font) and the target-size style sheet. Idempotent; returns the resolved theme."""
    _check_theme(theme)
    if not TEXT_SCALE_MIN <= text_scale_percent <= TEXT_SCALE_MAX:
        raise ValueError(f"text size {text_scale_percent} % is outside "
                         f"{TEXT_SCALE_MIN}-{TEXT_SCALE_MAX} %")
    resolved = resolve_theme(theme, app.styleHints())
    app.setStyle(AccessibleStyle())  # the app takes ownership and deletes the previous one
    app.setPalette(palette_for(resolved))
    _scale_font(app, text_scale_percent)
    app.setStyleSheet(_style_sheet())  # replaces, never appends: the app-wide sheet is ours
    return resolved


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    rgb = colour.toRgb()
    return (0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF())
            + 0.0722 * channel(rgb.blueF()))


def contrast_ratio(fg: QColor, bg: QColor) -> float:
    """WCAG 2.x contrast ratio, 1.0 to 21.0 (the order of the colours does not matter)."""
    lighter, darker = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _pairs(palette: QPalette, groups: tuple[QPalette.ColorGroup, ...],
           roles: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole], ...],
           ) -> list[tuple[str, QColor, QColor]]:
    return [(f"{group.name} {fg.name}/{bg.name}", palette.color(group, fg),
             palette.color(group, bg)) for group in groups for fg, bg in roles]


def text_pairs(palette: QPalette) -> list[tuple[str, QColor, QColor]]:
    """(label, text colour, background) for every text pair, in every colour group."""
    return _pairs(palette, (Group.Active, Group.Inactive, Group.Disabled), _TEXT_PAIRS)


def _theme_of(palette: QPalette) -> str | None:
    for name, (spec, _) in _SPECS.items():
        if all(palette.color(Group.Active, role) == spec[role]
               for role in (Role.Window, Role.Base, Role.Text, Role.Highlight)):
            return name
    return None


def non_text_pairs(palette: QPalette, theme: str | None = None,
                   ) -> list[tuple[str, QColor, QColor]]:
    """(label, colour, background) for focus ring and borders and, when the palette is one of
    ours (or `theme` names it), the chart series on the chart background."""
    pairs = _pairs(palette, (Group.Active, Group.Inactive), _NON_TEXT_PAIRS)
    resolved = _theme_of(palette) if theme is None else resolve_theme(theme)
    if resolved is not None:
        pairs += [(f"chart series {i}", colour, CHART_BACKGROUND[resolved])
                  for i, colour in enumerate(CHART_SERIES[resolved])]
    return pairs
