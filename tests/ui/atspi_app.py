"""The real desktop app as the AT-SPI test starts it: `python -m tests.ui.atspi_app`.

The same `DesktopApp` flow as `asndesk` (profiles under $ASNDESK_HOME), with one test knob:
`--auto-lock-seconds N` shortens the idle timeout below the settings' 2-minute minimum so the
A-19 warning appears within seconds (it still comes `WARNING_S` before the lock).
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtWidgets import QApplication


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--auto-lock-seconds", type=float, default=0.0)
    args = parser.parse_args(argv)
    from ui.app import DesktopApp  # after the argument check: --help needs no Qt

    qapp = QApplication(sys.argv[:1])
    qapp.setApplicationName("asndesk")
    desktop = DesktopApp(qapp, sync_enabled=False)
    if args.auto_lock_seconds:
        desktop.auto_lock.timeout_s = args.auto_lock_seconds
    desktop.start()
    code = qapp.exec()
    desktop.shutdown()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
