"""The status bar: online/offline, "N perubahan menunggu sinkronisasi", last successful sync.

Its labels are plain, unnamed QLabels on purpose: naming a QLabel hides its live text from
screen readers (stack-notes.md); changes are announced by the sync page, not here.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from asndesk.domain.formatting import format_tanggal
from asndesk.i18n import _, ngettext


class AppStatusBar(QStatusBar):
    """Three permanent labels, updated by `set_*` from the main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusbar")
        self.connection = QLabel()
        self.connection.setObjectName("statusbar.connection")
        self.pending = QLabel()
        self.pending.setObjectName("statusbar.pending")
        self.last_sync = QLabel()
        self.last_sync.setObjectName("statusbar.last_sync")
        for label in (self.connection, self.pending, self.last_sync):
            self.addPermanentWidget(label)
        self.set_connection(None)
        self.set_pending(0)
        self.set_last_sync(None)

    def set_connection(self, online: bool | None) -> None:
        """None: no server configured (working offline by choice)."""
        if online is None:
            text = _("Offline (no server set up)")
        else:
            text = _("Online") if online else _("Offline")
        self.connection.setText(text)

    def set_pending(self, count: int) -> None:
        self.pending.setText(ngettext("{n} change waiting to sync",
                                      "{n} changes waiting to sync", count).format(n=count))

    def set_last_sync(self, when: float | None) -> None:
        if when is None:
            self.last_sync.setText(_("Never synced"))
            return
        moment = datetime.fromtimestamp(when)
        self.last_sync.setText(_("Last synced: {date} {time}").format(
            date=format_tanggal(moment.date()), time=moment.strftime("%H:%M")))
