"""Register the shipped fonts with Qt, so text renders even on a PC without system fonts.

Without any font Qt draws empty boxes and prints nothing (stack-notes.md); DejaVu Sans in
`resources/fonts/` covers Indonesian and is the same face the PDF documents embed.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from asndesk.paths import resource_path

SHIPPED = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def register_shipped_fonts() -> list[str]:
    """Add the shipped TTFs to the application font database; returns their families."""
    families: list[str] = []
    for name in SHIPPED:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    return sorted(set(families))
