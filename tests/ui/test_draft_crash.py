"""A draft survives a crash: the app is killed with -9 after its draft timer saved the typing,
and the next unlock (a new process's worth of app) puts the typing back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtWidgets import QPlainTextEdit

from asndesk.workspace import Workspace
from tests.conftest import NIP, PASSWORD
from tests.ui.conftest import wait_idle
from ui.forms import Form

TYPED = "Menyusun laporan bulanan — belum disimpan"

# The child types into the Log Harian form and lets the app's own draft timer fire (no lock,
# no quit), says READY once the draft is in the store, then waits to be killed.
CHILD = textwrap.dedent("""
    import sys, time
    from PySide6.QtWidgets import QApplication, QPlainTextEdit, QLineEdit
    from ui.app import DesktopApp
    from ui.forms import Form
    qapp = QApplication([])
    app = DesktopApp(qapp, sync_enabled=False)
    app._draft_timer.setInterval(200)
    app.start()
    app.dialog.password.setText(sys.argv[1])
    app.dialog.unlock_button.click()
    deadline = time.monotonic() + 30
    def pump(until):
        while not until():
            if time.monotonic() > deadline:
                raise SystemExit("timed out")
            qapp.processEvents()
            time.sleep(0.01)
    pump(lambda: app.window is not None and app.runner.pending == 0)
    app.window.open_page("log_harian")
    form = app.window.findChild(Form, "log.form")
    widget = form.fields["kegiatan"].widget
    widget.setPlainText(sys.argv[2]) if isinstance(widget, QPlainTextEdit) \\
        else widget.setText(sys.argv[2])
    if not app._draft_timer.isActive():
        raise SystemExit("typing did not start the draft timer")
    pump(lambda: not app._draft_timer.isActive())  # the timer fired: the save is queued
    pump(lambda: app.runner.pending == 0)          # ... and done on the DB lane
    print("READY", flush=True)
    time.sleep(60)
""")


def test_typing_survives_kill_9(qtbot, desktop, manager, home: Path) -> None:
    ws, _key = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    ws.lock()
    env = {**os.environ, "ASNDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, "-c", CHILD, PASSWORD, TYPED], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[2])
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip() == "READY", child.stderr.read() if child.stderr else line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    with Workspace.open(NIP, PASSWORD, manager=manager) as check:
        saved = [check.draft(key) for key in check.draft_keys()]
    assert any(TYPED in (d or {}).values() for d in saved), saved

    desktop.start()
    desktop.dialog.password.setText(PASSWORD)
    desktop.dialog.unlock_button.click()
    qtbot.waitUntil(lambda: desktop.window is not None, timeout=10_000)
    wait_idle(qtbot, desktop)
    form = desktop.window.findChild(Form, "log.form")
    widget = form.fields["kegiatan"].widget
    text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    assert text == TYPED
