"""The Qt binding must not lose references: PySide6 6.12.0 on CPython 3.11 dropped one
reference to None per void call (PYSIDE-3474), and the app aborted ("none_dealloc") once None's
count ran out. pyproject pins below it; this catches any build with the same fault."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPushButton

CALLS = 2000


def test_void_calls_keep_none_alive(qapp) -> None:
    colour = QColor()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        colour.setRgb(1, 2, 3)
    assert sys.getrefcount(None) > before - CALLS // 2


def test_slots_and_bool_calls_keep_their_references(qapp) -> None:
    button = QPushButton("x")
    button.clicked.connect(lambda *_: True)
    counts = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(CALLS):
        button.click()
        button.isVisible()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    assert all(a > b - CALLS // 2 for a, b in zip(after, counts, strict=True)), (counts, after)
