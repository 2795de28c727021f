"""`asndesk` with no arguments: the Qt application, the desktop app's flow, its exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from ui.app import DesktopApp


def run(argv: Sequence[str] | None = None) -> int:
    """Open the desktop app (the `asndesk` command with no arguments)."""
    qapp = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("asndesk")
    # No applicationDisplayName: X11 would append it to every specific window title.
    desktop = DesktopApp(qapp)
    desktop.start()
    code = qapp.exec()
    desktop.shutdown()
    return int(code)
