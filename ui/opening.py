"""What the app reads right after unlock, on the DB lane, before any page shows.

The office file (its auto-lock time and days-offline limit), whether that limit asks for a
server login first, the profile's server address, and the person's roles (which role pages
the window gets). One read, so the main window is built once, with the right pages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from asndesk.office_file import OfficeConfig, OfficeConfigError, load_office_config
from asndesk.offline_policy import OfflineStatus
from asndesk.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opening:
    office: OfficeConfig | None
    offline: OfflineStatus | None   # None: no limit applies to this profile
    url: str | None                 # the profile's office server; "" none, None not read
    roles: frozenset[str]

    @property
    def reauth_required(self) -> bool:
        return self.offline is not None and self.offline.reauth_required


UNREAD = Opening(None, None, None, frozenset())  # when the read failed: no policy, no roles


def read_opening(ws: Workspace, home: Path | None) -> Opening:
    """On the DB lane (the office file is a disk read)."""
    try:
        office = load_office_config(home)
    except OfficeConfigError:
        # Shown and explained where the server is set up; no policy applies until fixed.
        log.warning("office file unusable; its policy does not apply")
        office = None
    limit = office.policy.max_days_offline if office is not None else None
    return Opening(office, ws.offline_status(limit), ws.sync_setting("url") or "",
                   ws.role_names())
