"""Offline bundles on the Sync page: save the queue to a file for a USB stick, import the
server's reply. Sealing and applying run on the DB lane, file reading and writing on the IO
lane; the result is said in words (and announced), failures assertively.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asndesk.errors import UserFacingError
from asndesk.i18n import _
from asndesk.store.database import Changes
from sync.bundle_commands import BundleFileError
from ui.context import AppContext

BUNDLE_SUFFIX = ".asnb"

# (parent, title, start path, filter) -> the chosen path or "" (tests replace these)
PathChooser = Callable[[QWidget, str, str, str], str]


def write_file(path: Path, data: bytes) -> None:
    """Whole file or nothing: written beside the target, then renamed over it."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise BundleFileError(name=path.name) from None


def read_file(path: Path, limit: int) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise BundleFileError(name=path.name)
        return path.read_bytes()
    except OSError:
        raise BundleFileError(name=path.name) from None


def _save_path(parent: QWidget, title: str, start: str, filters: str) -> str:
    return QFileDialog.getSaveFileName(parent, title, start, filters)[0]


def _open_path(parent: QWidget, title: str, start: str, filters: str) -> str:
    return QFileDialog.getOpenFileName(parent, title, start, filters)[0]


class BundlePanel(QGroupBox):
    """"No connection? Carry the changes on a USB stick"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_("No connection? Carry the changes on a USB stick"), parent)
        self.setObjectName("sync.bundle")
        self.ctx = ctx
        self.choose_save_path: PathChooser = _save_path
        self.choose_open_path: PathChooser = _open_path
        self.working = False
        column = QVBoxLayout(self)
        intro = QLabel(_("Save the queued changes to a bundle file, upload it at any office PC "
                         "that has a connection, then import the reply file here."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        row = QHBoxLayout()
        self.export_button = QPushButton(_("Save a bundle for USB…"))
        self.export_button.setObjectName("sync.bundle.export")
        self.export_button.setAccessibleName(_("Save a bundle for USB…"))
        self.import_button = QPushButton(_("Import a reply file…"))
        self.import_button.setObjectName("sync.bundle.import")
        self.import_button.setAccessibleName(_("Import a reply file…"))
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        column.addLayout(row)
        self.result = QLabel()  # a status label: no accessible name, so its text is read
        self.result.setObjectName("sync.bundle.result")
        self.result.setWordWrap(True)
        column.addWidget(self.result)
        self.export_button.clicked.connect(self.ask_export)
        self.import_button.clicked.connect(self.ask_import)

    def _filters(self) -> str:
        return _("asndesk bundles (*{suffix})").format(suffix=BUNDLE_SUFFIX)

    # -- asking where --------------------------------------------------------------------
    def ask_export(self) -> None:
        if self.working:
            return
        start = str(Path.home() / f"asndesk-{datetime.now():%Y%m%d-%H%M}{BUNDLE_SUFFIX}")
        path = self.choose_save_path(self, _("asndesk — save an offline bundle"), start,
                                     self._filters())
        if path:
            if not path.endswith(BUNDLE_SUFFIX) and not Path(path).suffix:
                path += BUNDLE_SUFFIX  # some platform dialogs do not add it
            self.export_bundle(Path(path))

    def ask_import(self) -> None:
        if self.working:
            return
        path = self.choose_open_path(self, _("asndesk — import the server's reply"),
                                     str(Path.home()), self._filters())
        if path:
            self.import_reply(Path(path))

    # -- export --------------------------------------------------------------------------
    def export_bundle(self, path: Path) -> None:
        """Seal the queue on the DB lane, write the file on the IO lane, then say so."""
        from sync.bundle_device import export_bundle  # noqa: PLC0415

        def sealed(result: tuple[bytes, Any]) -> None:
            data, summary = result
            self.ctx.io(lambda: write_file(path, data),
                        lambda _r: self._exported(path, summary), self._failed)

        self._busy(True)
        self.ctx.read(export_bundle, sealed, self._failed)

    def _exported(self, path: Path, summary: Any) -> None:
        text = _("Bundle saved to {file}: {ops} changes, {files} files. Upload it at an "
                 "office PC with a connection, then import the reply here.").format(
                     file=path.name, ops=summary.ops, files=summary.files)
        if summary.files_left:
            text += " " + _("{count} files did not fit; they are sent when this computer "
                            "syncs online.").format(count=summary.files_left)
        if summary.ops_left:
            text += " " + _("More changes are queued than one bundle carries; save another "
                            "bundle after importing the reply.")
        self._said(text)
        self._queue_changed(Changes())

    # -- import --------------------------------------------------------------------------
    def import_reply(self, path: Path) -> None:
        """Read the file on the IO lane, apply it on the DB lane (all checks first)."""
        from sync import bundle  # noqa: PLC0415
        from sync.bundle_device import import_reply  # noqa: PLC0415

        def apply(data: bytes) -> None:
            self.ctx.read(lambda ws: import_reply(ws, data), self._imported, self._failed)

        self._busy(True)
        self.ctx.io(lambda: read_file(path, bundle.MAX_REPLY_BYTES), apply, self._failed)

    def _imported(self, summary: Any) -> None:
        text = _("Reply imported: sent {acked}, refused {rejected}, conflicts {conflicts}, "
                 "received {received}.").format(acked=summary.acked, rejected=summary.rejected,
                                                conflicts=summary.conflicts,
                                                received=summary.received)
        if summary.more:
            text += " " + _("The server has more for this computer: save and upload another "
                            "bundle, or sync online.")
        self._said(text)
        changes = Changes()
        for kind in summary.changed:
            changes.add(kind, "*")
        self._queue_changed(changes)

    # -- results -------------------------------------------------------------------------
    def _queue_changed(self, changes: Changes) -> None:
        changes.add("outbox", "*")
        self.ctx.changed.emit(changes)

    def _busy(self, busy: bool) -> None:
        # A flag, not setEnabled: disabling the focused button would move the focus.
        self.working = busy

    def _said(self, text: str, *, assertive: bool = False) -> None:
        self._busy(False)
        self.result.setText(text)
        self.ctx.announcer.say(text, assertive=assertive)

    def _failed(self, exc: BaseException) -> None:
        text = exc.message() if isinstance(exc, UserFacingError) else _(
            "The bundle could not be made or read. Nothing was changed.")
        self._said(text, assertive=True)
