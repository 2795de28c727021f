"""Per-computer app settings (language, theme, text size, auto-lock): no personal data.

Kept in `<data home>/ui.json` because they are needed before any profile is unlocked.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from asndesk.i18n import SUPPORTED_LOCALES
from asndesk.paths import data_home

AUTO_LOCK_CHOICES = (2, 5, 10, 15, 30, 60)  # minutes
TEXT_SCALES = (100, 125, 150, 175, 200)     # percent


@dataclass
class UiSettings:
    language: str = "id"
    theme: str = "system"
    text_scale: int = 100
    auto_lock_minutes: int = 10
    last_profile: str = ""  # NIP of the last unlocked profile (preselected in the picker)

    def validated(self) -> UiSettings:
        """A copy with out-of-range values replaced by defaults (a hand-edited file)."""
        default = UiSettings()
        return UiSettings(
            language=self.language if self.language in SUPPORTED_LOCALES else default.language,
            theme=self.theme if self.theme in ("system", "light", "dark", "high_contrast")
            else default.theme,
            text_scale=self.text_scale if self.text_scale in TEXT_SCALES else default.text_scale,
            auto_lock_minutes=(self.auto_lock_minutes if self.auto_lock_minutes
                               in AUTO_LOCK_CHOICES else default.auto_lock_minutes),
            last_profile=self.last_profile if self.last_profile.isdigit() else "",
        )


def settings_path(home: Path | None = None) -> Path:
    return (home or data_home()) / "ui.json"


def load(home: Path | None = None) -> UiSettings:
    """Read the settings; a missing or damaged file gives the defaults."""
    try:
        raw = json.loads(settings_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UiSettings()
    known = {f.name for f in fields(UiSettings)}
    try:
        return UiSettings(**{k: v for k, v in raw.items() if k in known}).validated()
    except TypeError:
        return UiSettings()


def save(settings: UiSettings, home: Path | None = None) -> None:
    """Write atomically (a crash mid-write keeps the old file)."""
    path = settings_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=1), encoding="utf-8")
    os.replace(tmp, path)
