"""Shared fixtures: a private ASNDESK_HOME per test and fast (policy-floor) KDF parameters."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ASNDESK_LANG"] = "id"

from asndesk.i18n import set_locale
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace

NIP = "198609262015051001"
NIP_B = "199001012020122002"
PASSWORD = "kata sandi rahasia"


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in Indonesian, whatever an earlier one (e.g. `main(["--lang", "en"])`)
    left behind: the language is process-wide state."""
    set_locale("id")
    yield
    set_locale("id")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("ASNDESK_HOME", str(home))
    monkeypatch.setenv("ASNDESK_KDF", "floor")
    return home


@pytest.fixture
def manager(home: Path) -> ProfileManager:
    return ProfileManager(home, kdf_policy=KdfParams.floor)


@pytest.fixture
def workspace(manager: ProfileManager) -> Iterator[Workspace]:
    ws, _ = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    yield ws
    if ws.store.is_open:
        ws.lock()
