"""Screenshots of every page of the app, in the light, dark and high-contrast themes.

The app runs in-process over a fresh demo office (`sync/demo_office.py`) in a throw-away data
home, so nothing real is read or changed; each page is grabbed with `QWidget.grab()` at
1280×800 into `<out>/<nn>-<page>-<theme>.png`. Offscreen gives the same pixels as xcb under
Xvfb here, apart from focus (an offscreen window counts as active); neither has a window frame.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [--out DIR] [--lang id]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
THEMES = ("light", "dark", "high_contrast")
SIZE = (1280, 800)
PNG_COMPRESSION = 0  # Qt's PNG "quality": 0 is the smallest file (lossless either way)


def _wait(qapp: Any, done: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run the event loop until `done()` (background results arrive through it)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        qapp.processEvents()
        time.sleep(0.01)


def _settle(qapp: Any, desktop: Any) -> None:
    """Until every DB/IO task has delivered and the layouts have caught up."""
    _wait(qapp, lambda: desktop.runner.pending == 0)
    for _ in range(5):
        qapp.processEvents()
        time.sleep(0.02)
    _wait(qapp, lambda: desktop.runner.pending == 0)


def take(out: Path, language: str) -> list[Path]:
    """Start the app on a throw-away demo office and write one PNG per page and theme."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="asndesk-screenshots-") as tmp:
        os.environ["ASNDESK_HOME"] = tmp  # never the person's real (or demo) data home
        os.environ["ASNDESK_LANG"] = language
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415 (after the env is set)

        from sync.demo_office import open_demo  # noqa: PLC0415

        office = open_demo(Path(tmp) / "demo")
        try:
            qapp = QApplication.instance() or QApplication(sys.argv[:1])
            qapp.setApplicationName("asndesk")
            out.mkdir(parents=True, exist_ok=True)
            for old in out.glob("[0-9][0-9]-*.png"):  # a renamed page leaves no stale file
                old.unlink()
            return [path for theme in THEMES
                    for path in _one_theme(qapp, office, theme, language, out)]
        finally:
            office.stop()


def _one_theme(qapp: Any, office: Any, theme: str, language: str, out: Path) -> list[Path]:
    """The app started afresh in `theme` (as a person who chose it would see it)."""
    from ui import ui_settings  # noqa: PLC0415
    from ui.demo_launch import start_demo  # noqa: PLC0415

    ui_settings.save(ui_settings.UiSettings(language=language, theme=theme), office.home)
    desktop = start_demo(qapp, office)
    written = []
    try:
        _wait(qapp, lambda: desktop.window is not None)
        # The app's own sync runs first (the first start sends the queued entry): the
        # pictures show a synced profile.
        _wait(qapp, lambda: desktop.sync.last_outcome is not None)
        desktop.auto_lock.stop()
        window = desktop.window
        window.resize(*SIZE)
        for index, page in enumerate(window.pages):
            window.show_page(index)
            _settle(qapp, desktop)
            image = window.grab().toImage()
            path = out / f"{index + 1:02d}-{page.page_id}-{theme}.png"
            if not image.save(str(path), "PNG", PNG_COMPRESSION):
                raise OSError(f"could not write {path}")
            written.append(path)
    finally:
        desktop.sync.stop()
        _settle(qapp, desktop)
        window = desktop.window
        desktop.shutdown()
        if window is not None:
            window.close()
            window.deleteLater()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots",
                        help="folder for the PNG files (default: docs/screenshots)")
    parser.add_argument("--lang", default="id", choices=("id", "en"),
                        help="language of the app in the pictures (default: id)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    for path in take(args.out, args.lang):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
