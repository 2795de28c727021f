"""An office file's policy applies to the app: its auto-lock time wins over the person's
setting, is shown on the settings page as set by the office, and cannot be changed there."""

from __future__ import annotations

import json
from pathlib import Path

from asndesk.i18n import _
from tests.conftest import NIP, PASSWORD
from tests.ui.conftest import wait_idle


def _office_file(home: Path, minutes: int) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "office.json").write_text(json.dumps({
        "server_url": "https://kinerja.contoh.go.id", "office_name": "Kecamatan Sukamaju",
        "policy": {"auto_lock_minutes": minutes}}), encoding="utf-8")


def test_office_auto_lock_wins_and_is_shown_as_set_by_the_office(qtbot, desktop, manager,
                                                                  home: Path) -> None:
    from asndesk.workspace import Workspace

    _office_file(home, 5)
    ws, _key = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    ws.lock()
    assert desktop.settings.auto_lock_minutes == 10  # the person's own choice
    desktop.start()
    desktop.dialog.password.setText(PASSWORD)
    desktop.dialog.unlock_button.click()
    qtbot.waitUntil(lambda: desktop.window is not None, timeout=10_000)
    wait_idle(qtbot, desktop)
    assert desktop.office_lock_minutes == 5
    assert desktop.auto_lock.timeout_s == 5 * 60
    page = desktop.window.open_page("pengaturan")
    wait_idle(qtbot, desktop)
    combo = page.auto_lock
    assert not combo.isEnabled() and combo.currentData() == 5
    note = _("Set by your office: {n} minutes").format(n=5)
    assert page.office_lock_note.isVisibleTo(page) and page.office_lock_note.text() == note
    assert combo.accessibleDescription() == note
    # Applying the person's settings (e.g. a theme change) keeps the office's time.
    desktop.apply_settings()
    assert desktop.auto_lock.timeout_s == 5 * 60
    assert desktop.settings.auto_lock_minutes == 10  # their choice is kept for later


def test_without_a_policy_the_person_chooses(qtbot, unlocked) -> None:
    assert unlocked.office_lock_minutes is None
    page = unlocked.window.open_page("pengaturan")
    assert page.auto_lock.isEnabled()
    assert unlocked.auto_lock.timeout_s == unlocked.settings.auto_lock_minutes * 60
