"""Where asndesk keeps data and finds its shipped resources.

`ASNDESK_HOME` overrides the platform data dir (tests, portable installs); `resource_path`
works from a source tree and from a PyInstaller bundle alike.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "asndesk"


def data_home() -> Path:
    """The root folder for all local data: `$ASNDESK_HOME`, else the platform's user data dir."""
    override = os.environ.get("ASNDESK_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def profiles_dir() -> Path:
    """Folder that holds one sub-folder per person (`<home>/profiles/<NIP>/`)."""
    return data_home() / "profiles"


def resources_root() -> Path:
    """The shipped `resources/` folder (inside the bundle when frozen)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource, e.g. `resource_path("calendars", "id-2026.json")`."""
    return resources_root().joinpath(*parts)
