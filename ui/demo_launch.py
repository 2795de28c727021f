"""`asndesk demo` (and the README's run command): the app on a ready demo office.

A local server on 127.0.0.1 over the demo's own data home, a sample office, and the demo
employee's profile unlocked — clearly marked DEMO, and never mixed with real profiles.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from asndesk.i18n import _
from asndesk.workspace import Workspace
from sync.demo_office import DemoError, DemoOffice, demo_home, open_demo
from ui.app import DesktopApp


def start_demo(qapp: QApplication, office: DemoOffice, *, sync_enabled: bool = True,
               supervisor: bool = False) -> DesktopApp:
    """The app over a running demo office, its employee's (or supervisor's) profile opening
    without a prompt.

    The profile is unlocked on the DB lane (Argon2id is slow work); if that fails the usual
    unlock screen appears instead.
    """
    desktop = DesktopApp(qapp, home=office.home, manager=office.manager,
                         sync_enabled=sync_enabled, demo=True)
    nip = office.supervisor_nip if supervisor else office.employee_nip
    desktop.runner.db(
        lambda: Workspace.open(nip, office.password, manager=office.manager),
        desktop.open_workspace, lambda _exc: desktop.start())
    return desktop


def run_demo(*, supervisor: bool = False) -> int:
    """Start the demo server, open the demo profile, run the app until it is closed."""
    home = demo_home()
    print(_("Preparing the demo office in {path} …").format(path=home), file=sys.stderr)
    try:
        office = open_demo(home)
    except DemoError as err:
        print(_("asndesk: the demo could not be started: {reason}").format(reason=err),
              file=sys.stderr)
        return 2
    try:
        qapp = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(qapp, QApplication)
        qapp.setApplicationName("asndesk")
        print(_("Demo server: {url} — demo password for every person: {password}").format(
            url=office.server_url, password=office.password), file=sys.stderr)
        desktop = start_demo(qapp, office, supervisor=supervisor)
        code = qapp.exec()
        desktop.shutdown()
        return int(code)
    finally:
        office.stop()
