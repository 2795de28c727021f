"""The office's limit on days without reaching the server (office.json `max_days_offline`).

Offline unlock uses the local wrapped key, but once a profile that syncs with an office server
has gone longer than the limit without an authenticated answer from it, the person must log
in to the server again before working on (architecture §4, Auth and devices). Nothing is
lost: the data stays on the device, encrypted, and queued changes go out at that login.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asndesk.store.database import Store

DAY_S = 86_400.0
CONTACT_KEY = "last_contact"       # sync.last_contact: UTC seconds of the last server answer
LATEST_SEEN_KEY = "latest_seen"    # sync.latest_seen: the latest clock reading this profile saw


@dataclass(frozen=True)
class OfflineStatus:
    """How long the profile has been without the server, against the office's limit."""

    days_offline: int       # whole days since the last contact
    limit_days: int
    reauth_required: bool


class OfflinePolicyUseCases:
    store: Store

    def sync_setting(self, key: str) -> str | None:  # provided by ReplicaUseCases
        raise NotImplementedError

    def set_sync_settings(self, **values: str | None) -> None:  # provided by ReplicaUseCases
        raise NotImplementedError

    def note_server_contact(self, now: float | None = None) -> None:
        """Record an authenticated answer from the office server (login, token refresh, a
        completed sync, an applied reply bundle, at the time the server made it)."""
        now = time.time() if now is None else now
        known = _number(self.sync_setting(CONTACT_KEY))
        if known is None or now > known:  # a late, older answer (a reply bundle) never rewinds
            self.set_sync_settings(**{CONTACT_KEY: repr(now)})

    def offline_status(self, max_days: int | None, now: float | None = None
                       ) -> OfflineStatus | None:
        """None when no limit applies (no office limit, or a profile not connected to a
        server); else the days since the last contact and whether a login is required.

        The clock is not trusted to go backwards: a reading earlier than one already seen
        counts as that later one, so setting the date back does not reset the limit.
        """
        if not max_days or not self.sync_setting("url"):
            return None
        now = time.time() if now is None else now
        seen = _number(self.sync_setting(LATEST_SEEN_KEY))
        if seen is not None and now < seen:
            now = seen
        else:
            self.set_sync_settings(**{LATEST_SEEN_KEY: repr(now)})
        # A profile connected before this was recorded counts from its first check.
        contact = _number(self.sync_setting(CONTACT_KEY))
        if contact is None:
            self.note_server_contact(now)
            contact = now
        days = int(max(0.0, (now - contact) / DAY_S))  # whole days: day N+1 is past N
        return OfflineStatus(days, max_days, days > max_days)


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
