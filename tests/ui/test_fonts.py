"""Fonts are present: with none, Qt draws empty boxes and prints nothing (stack-notes.md)."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from ui.fonts import register_shipped_fonts


def test_shipped_font_registers_and_draws_text(qapp: QApplication) -> None:
    families = register_shipped_fonts()
    assert "DejaVu Sans" in families
    assert "DejaVu Sans" in QFontDatabase.families()
    metrics = QFontMetrics(qapp.font())
    assert metrics.horizontalAdvance("Sasaran Kinerja Pegawai") > 0
    assert metrics.inFontUcs4(ord("e"))
