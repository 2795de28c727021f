"""Sinkronisasi: the sync state, "Sync now", progress, the queue, refused changes (with a way
to fix each), conflicts side by side, and offline bundles for a USB stick.

The page reads the queue through `ctx.read` (DB lane) and follows the sync worker through its
signals (`attach_sync`, called by the app). A finished sync is announced: a summary politely,
a failure assertively with the reason in plain words (ui/sync_messages.py). Progress is
announced at most once per 5 s (`Announcer.progress`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asndesk.conflict_usecases import Conflict, Rejection
from asndesk.domain.formatting import format_tanggal
from asndesk.i18n import _
from asndesk.store.database import Changes
from asndesk.store.outbox import Op
from asndesk.workspace import Workspace
from sync.progress import Progress
from sync.scheduler import Outcome
from ui.conflict_dialog import ConflictDialog
from ui.forms import plain
from ui.models.outbox_table_model import QUEUE_STATES
from ui.pages.page import Page
from ui.pages.sync_bundle_panel import BundlePanel
from ui.pages.sync_queue_panel import SyncQueuePanel
from ui.sync_messages import (
    PAGE_FOR_KIND,
    describe_error,
    outcome_words,
    progress_words,
    state_line,
)
from ui.sync_worker import SyncWorker, parse_last_success

SETTINGS_PAGE = "pengaturan"


@dataclass(frozen=True)
class SyncFacts:
    """What the page shows from the profile (read on the DB lane)."""

    url: str | None
    last_success: str | None
    ops: list[Op]
    conflicts: list[Conflict]
    rejections: list[Rejection]
    counts: dict[str, int] = field(default_factory=dict)


def read_facts(ws: Workspace) -> SyncFacts:
    return SyncFacts(ws.sync_setting("url"), ws.sync_setting("last_success"),
                     ws.outbox(QUEUE_STATES), ws.conflicts(), ws.rejections(),
                     ws.outbox_counts())


class SyncPage(Page):
    page_id = "sinkronisasi"
    kinds: ClassVar[frozenset[str]] = frozenset()  # every local write queues an op

    record_requested = Signal(str, str)  # entity kind, id: the fix-it path of a refusal

    def title(self) -> str:
        return _("Sync")

    # -- widgets -------------------------------------------------------------------------
    def build(self) -> None:
        self.worker: SyncWorker | None = None
        self.facts: SyncFacts | None = None
        self.dialog: ConflictDialog | None = None
        self._last_error: str | None = None
        self._asked = False  # the person pressed "Sync now": the next outcome is answered

        status = QGroupBox(_("Status"))
        column = QVBoxLayout(status)
        self.state_label = self._label("sync.state", column)
        self.server_label = self._label("sync.server", column)
        self.last_label = self._label("sync.last_success", column)
        self.counts_label = self._label("sync.counts", column)
        row = QHBoxLayout()
        self.sync_button = QPushButton(_("Sync &now"))
        self.sync_button.setObjectName("sync.now")
        self.sync_button.setAccessibleName(plain(_("Sync &now")))
        self.sync_button.setAccessibleDescription(
            _("Send the queued changes and fetch new ones now (Ctrl+Shift+S)"))
        self.login_button = QPushButton(_("Open Settings to log in"))
        self.login_button.setObjectName("sync.login")
        self.login_button.setAccessibleName(_("Open Settings to log in"))
        self.login_button.setVisible(False)
        row.addWidget(self.sync_button)
        row.addWidget(self.login_button)
        row.addStretch(1)
        column.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setObjectName("sync.progress")
        self.progress.setAccessibleName(_("Sync progress"))
        self.progress.setTextVisible(True)
        column.addWidget(self.progress)
        self.phase_label = self._label("sync.phase", column)
        self.root.addWidget(status)

        self.lists = SyncQueuePanel()
        self.root.addWidget(self.lists)
        self.bundles = BundlePanel(self.ctx)
        self.root.addWidget(self.bundles)
        self.root.addStretch(1)

        self.sync_button.clicked.connect(self.sync_now)
        self.login_button.clicked.connect(lambda: self._open_page(SETTINGS_PAGE))
        self.lists.fix_requested.connect(self.open_record)
        self.lists.settle_requested.connect(self._settle)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_state)
        self._reset_progress()
        self._show_facts()

    def _label(self, name: str, layout: QVBoxLayout) -> QLabel:
        # Status labels keep no accessible name: a name would hide their live text.
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        layout.addWidget(label)
        return label

    def first_focus(self) -> QWidget | None:
        return self.sync_button

    # -- the worker ----------------------------------------------------------------------
    def attach_sync(self, worker: SyncWorker) -> None:
        """Follow `worker` (the app calls this once per window)."""
        self.worker = worker
        worker.started.connect(self._on_started)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        if worker.syncing:
            self._on_started("sync")
        self._show_state()

    def sync_now(self) -> None:
        if self.current_state() == "no_server":
            self.ctx.announcer.say(state_line("no_server"), assertive=True)
            return
        if self.worker is None or not self.worker.active:
            self.ctx.announcer.say(state_line("stopped"), assertive=True)
            return
        self._asked = True
        self.ctx.sync_requested.emit()

    def _on_started(self, _reason: str) -> None:
        self.progress.setRange(0, 0)  # busy until the first step says how much
        text = _("Connecting to the server…")
        self.phase_label.setText(text)
        self.progress.setAccessibleDescription(text)
        self._show_state()
        self.ctx.announcer.progress(_("Syncing…"))

    def _on_progress(self, progress: Progress) -> None:
        text = progress_words(progress)
        if progress.items_total > 0:
            self.progress.setRange(0, progress.items_total)
            self.progress.setValue(min(progress.items_done, progress.items_total))
        else:
            self.progress.setRange(0, 0)
        self.phase_label.setText(text)
        self.progress.setAccessibleDescription(text)
        self.ctx.announcer.progress(text)

    def _on_finished(self, outcome: Outcome) -> None:
        self._reset_progress()
        self._show_state()
        text, assertive = outcome_words(outcome)
        self.phase_label.setText(text)
        report = outcome.report
        eventful = report is not None and bool(report.acked or report.rejected
                                               or report.conflicts or report.pulled)
        # Asked-for syncs always answer; automatic ones only when something happened or a
        # new kind of failure began (not once per retry while offline).
        if self._asked or outcome.reason == "manual" or eventful or (
                outcome.error is not None and outcome.error != self._last_error):
            self.ctx.announcer.say(text, assertive=assertive)
        self._asked = False
        self._last_error = outcome.error
        self.load()  # the queue changed either way (sent, refused or still waiting)

    def _reset_progress(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        text = _("Not syncing right now.")
        self.phase_label.setText(text)
        self.progress.setAccessibleDescription(text)

    def current_state(self) -> str:
        worker = self.worker
        url = self.facts.url if self.facts is not None else None
        if worker is None or not worker.url:
            return "stopped" if url else "no_server"
        return worker.state()

    def _show_state(self) -> None:
        state = self.current_state()
        retry = self.worker.retry_in() if self.worker is not None else None
        text = state_line(state, retry)
        if self.worker is not None and state in ("retry", "needs_login", "revoked") \
                and self.worker.last_outcome is not None:
            text += " " + describe_error(self.worker.last_outcome.error)
        if self.state_label.text() != text:
            self.state_label.setText(text)
        self.login_button.setVisible(state in ("no_server", "needs_login"))
        if state == "retry":
            self._ticker.start()
        else:
            self._ticker.stop()
        self._show_last_success()

    def _show_last_success(self) -> None:
        stored = parse_last_success(self.facts.last_success) if self.facts else None
        when = max(filter(None, (stored, self.worker.last_success if self.worker else None)),
                   default=None)
        if when is None:
            self.last_label.setText(_("Last successful sync: never"))
        else:
            moment = datetime.fromtimestamp(when)
            self.last_label.setText(_("Last successful sync: {date} {time}").format(
                date=format_tanggal(moment.date()), time=moment.strftime("%H:%M")))

    # -- data ----------------------------------------------------------------------------
    def load(self) -> None:
        self.ctx.read(read_facts, self._loaded)

    def _loaded(self, facts: SyncFacts) -> None:
        self.facts = facts
        self._show_facts()
        self._show_state()

    def _show_facts(self) -> None:
        facts = self.facts
        if facts is None:
            self.server_label.setText(_("Loading…"))
            return
        self.server_label.setText(_("Server: {url}").format(url=facts.url) if facts.url
                                  else _("Server: not set up"))
        counts = facts.counts
        self.counts_label.setText(_(
            "Waiting: {pending}; sent, no answer yet: {sent}; refused: {rejected}; "
            "conflicts: {conflict}.").format(
                pending=counts.get("pending", 0), sent=counts.get("sent", 0),
                rejected=counts.get("rejected", 0), conflict=len(facts.conflicts)))
        self.lists.show_rows(facts.ops, facts.rejections, facts.conflicts)

    # -- fix-it paths --------------------------------------------------------------------
    def open_record(self, kind: str, entity_id: str) -> None:
        """Open the page that shows the record; a page with `show_record` selects it."""
        self.record_requested.emit(kind, entity_id)
        page = self._open_page(PAGE_FOR_KIND.get(kind, ""))
        show = getattr(page, "show_record", None)
        if callable(show):
            show(kind, entity_id)

    def _open_page(self, page_id: str) -> Any:
        opener = getattr(self.window(), "open_page", None)
        try:
            if not callable(opener) or not page_id:
                raise KeyError(page_id)
            return opener(page_id)
        except KeyError:
            self.ctx.announcer.say(_("That page is not available in this version."),
                                   assertive=True)
            return None

    def open_conflict(self, seq: int | None = None) -> ConflictDialog | None:
        """Show one conflict side by side (the selected one, or conflict `seq`)."""
        if seq is None:
            self.lists.settle_selected()
            return self.dialog
        conflict = self.lists.conflict(seq)
        return None if conflict is None else self._settle(conflict)

    def _settle(self, conflict: Conflict) -> ConflictDialog:
        if self.dialog is not None:
            self.dialog.close()
        dialog = ConflictDialog(conflict, self.ctx.announcer, self.window())
        dialog.chosen.connect(lambda keep, merged: self._resolve(dialog, keep, merged))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _resolve(self, dialog: ConflictDialog, keep: str, merged: dict[str, Any] | None) -> None:
        seq = dialog.conflict.seq

        def done(_changes: Changes) -> None:
            dialog.accept()

        self.ctx.write(lambda ws: ws.resolve_conflict(seq, keep, merged), done,
                       lambda err: dialog.failed(err.message()),
                       saved=_("Conflict settled; your choice goes to the server with the next "
                               "sync."))

    def _dialog_closed(self, dialog: ConflictDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.lists.conflict_view.setFocus()
