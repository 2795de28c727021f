"""Screen-reader announcements ("Tersimpan", sync done/failed) that never move focus.

Qt ≥ 6.8 sends `QAccessibleAnnouncementEvent`; AT-SPI delivers it as `object:announcement`.
Progress is throttled to one announcement per 5 s (accessibility.md A-12).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget

PROGRESS_INTERVAL_S = 5.0


class Announcer(QObject):
    """Speaks through the accessibility API from a given widget; keeps a log for tests."""

    announced = Signal(str, bool)  # text, assertive

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._source: QWidget | None = None
        self._clock = clock
        self._last_progress = -PROGRESS_INTERVAL_S
        self.history: list[tuple[str, bool]] = []

    def set_source(self, widget: QWidget | None) -> None:
        """The widget the events come from (the active window's central widget)."""
        self._source = widget

    def say(self, text: str, *, assertive: bool = False, source: QWidget | None = None) -> None:
        """Announce `text` politely (or assertively, for failures); focus stays where it is."""
        widget = source or self._source
        self.history.append((text, assertive))
        del self.history[:-50]
        self.announced.emit(text, assertive)
        if widget is None or not shiboken6.isValid(widget):  # its window may be gone (lock)
            return
        event = QAccessibleAnnouncementEvent(widget, text)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                            else QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)

    def progress(self, text: str) -> bool:
        """Announce progress at most once per 5 s; returns whether it was spoken."""
        now = self._clock()
        if now - self._last_progress < PROGRESS_INTERVAL_S:
            return False
        self._last_progress = now
        self.say(text)
        return True
