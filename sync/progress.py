"""Progress of a sync, as the UI shows it: phase, items and bytes (Qt-free, no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """One step of a sync. A total of 0 means "not known yet" (a pull learns as it goes)."""

    phase: str  # "push", "upload", "pull" or "download"
    items_done: int
    items_total: int
    bytes_done: int
    bytes_total: int


ProgressFn = Callable[[Progress], None]
