"""What a sync (or an office-server call) reports: its typed failures, each with a stable
code the UI words (ui/sync_messages.py), and the counts of a completed sync."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class SyncError(Exception):
    """A sync failure with a stable code (translated by the UI, never echoing secrets)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.field: str | None = None   # the input an administration answer names
        self.detail: dict[str, Any] = {}  # that answer's other fields (never secrets)


class TransientError(SyncError):
    """Worth another attempt: no link, reset, stall, 5xx, or a non-protocol answer."""


class NeedsLogin(SyncError):
    """The server no longer accepts this device's tokens; the person must log in again."""


class DeviceRevoked(SyncError):
    """HR or an admin revoked this device (the caller crypto-shreds the profile).

    `final_push`: the office allows one last push of the queue first (sync/final_push.py);
    `final_report` says what it sent once it completed (None: no final push was made).
    """

    def __init__(self, code: str, *, final_push: bool = False) -> None:
        super().__init__(code)
        self.final_push = final_push
        self.final_report: SyncReport | None = None


class FinalPushPending(TransientError):
    """Revoked with a final push allowed, but it did not complete: keep the profile, retry."""


@dataclass
class SyncReport:
    pushed: int = 0
    acked: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled: int = 0
    skipped: int = 0
    requests: int = 0
    changed: set[str] = field(default_factory=set)
    repushed: int = 0  # acked ops sent again after the server was restored from a backup
    restarted: set[str] = field(default_factory=set)  # partitions pulled again from the start
    unverified: set[str] = field(default_factory=set)  # checksum still differs (see status)
    files_sent: int = 0  # evidence files uploaded completely (sync/attachments.py)
    files_fetched: int = 0
    file_bytes: int = 0  # file content moved either way
    # This device's clock minus the server's (seconds), from the last answer that said.
    clock_offset_s: float | None = None
