"""`asndesk demo`: the app over the demo office opens the employee's profile, marked DEMO."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from asndesk.i18n import _
from tests.ui.conftest import wait_idle


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo office made once for the module (the slow part), stopped; tests start copies."""
    from sync.demo_office import open_demo

    folder = tmp_path_factory.mktemp("made") / "demo"
    open_demo(folder).stop()
    return folder


@pytest.fixture
def demo(qapp, qtbot, made: Path, tmp_path: Path) -> Iterator[object]:
    from sync.demo_office import open_demo
    from ui.demo_launch import start_demo

    shutil.copytree(made, tmp_path / "demo")
    office = open_demo(tmp_path / "demo")
    desktop = start_demo(qapp, office)
    yield desktop
    # Stop syncing first and let its last signals reach the pages while the task runner
    # still takes work (shutdown() ends the runner).
    desktop.sync.stop()
    qtbot.wait(50)
    wait_idle(qtbot, desktop)
    window = desktop.window
    desktop.shutdown()
    if window is not None:
        window.close()
    office.stop()


def test_the_demo_opens_its_employee_marked_demo(demo, qtbot) -> None:
    qtbot.waitUntil(lambda: demo.window is not None, timeout=15_000)
    wait_idle(qtbot, demo)
    window = demo.window
    assert window.isVisible() and demo.dialog is None  # no unlock prompt
    assert window.windowTitle().startswith(_("DEMO — {title}").format(title=""))
    assert "Siti Aminah" in window.windowTitle()
    assert demo.home.name == "demo" and demo.manager.root == demo.home / "profiles"


def test_the_demo_syncs_with_its_server(demo, qtbot) -> None:
    """The entry made after the last sync is sent by the app's own sync worker."""
    qtbot.waitUntil(lambda: demo.window is not None, timeout=15_000)
    qtbot.waitUntil(lambda: demo.sync.last_outcome is not None, timeout=20_000)
    assert demo.sync.last_outcome.error is None
    assert demo.sync.last_outcome.report.acked == 1
    demo.ctx.read(lambda ws: ws.pending_count(), lambda n: setattr(demo, "_pending", n))
    qtbot.waitUntil(lambda: getattr(demo, "_pending", None) == 0, timeout=10_000)


def test_the_demo_unlock_screen_says_demo_too(demo, qtbot) -> None:
    qtbot.waitUntil(lambda: demo.window is not None, timeout=15_000)
    wait_idle(qtbot, demo)
    demo.lock()
    wait_idle(qtbot, demo)
    assert demo.window is None and demo.dialog is not None
    assert demo.dialog.windowTitle().startswith(_("DEMO — {title}").format(title=""))


def test_the_demo_as_supervisor_shows_the_bawahan_page(qapp, qtbot, made: Path,
                                                       tmp_path: Path) -> None:
    """`asndesk demo --as supervisor`: the supervisor's profile, with the team the demo made."""
    from sync.demo_office import open_demo
    from ui.demo_launch import start_demo

    shutil.copytree(made, tmp_path / "demo")
    office = open_demo(tmp_path / "demo")
    desktop = start_demo(qapp, office, sync_enabled=False, supervisor=True)
    try:
        qtbot.waitUntil(lambda: desktop.window is not None, timeout=15_000)
        wait_idle(qtbot, desktop)
        assert desktop.roles == {"supervisor"}
        page = desktop.window.open_page("bawahan")
        wait_idle(qtbot, desktop)
        names = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
        assert any("Siti Aminah" in str(n) for n in names), names
    finally:
        window = desktop.window
        desktop.shutdown()
        if window is not None:
            window.close()
        office.stop()
