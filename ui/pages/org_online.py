"""What every section of the Organisasi page shares: its changes go to the office server.

`OnlineSection.run` shows and announces progress, runs the call on the network lane, and on
success announces "Tersimpan" and asks for a sync (so the pulled reference data updates on
every page). A refusal lands on the field the server named, keeping what was typed; when the
server cannot be reached the section says that it needs the office server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from asndesk.errors import UserFacingError
from asndesk.i18n import N_, _
from sync.client import NeedsLogin, SyncError
from ui.context import AppContext
from ui.forms import Form, add_dialog_buttons
from ui.pages.page_widgets import status_label
from ui.sync_messages import describe_error

EDITING = "_editing"  # in a draft: the id of the item a change dialog was changing
_NOT_REACHED = {
    "login": N_("The office server no longer accepts this computer's login. Log in again on "
                "the Settings page; nothing was changed and what you typed is kept."),
    "offline": N_("The office server cannot be reached now, so nothing was changed. What you "
                  "typed is kept; try again when connected to the office network."),
}


def needs_server_text(exc: SyncError) -> str:
    """Why an online change could not be made, with what to do."""
    if exc.code == "not_connected":
        return _("This section needs the office server. {reason}").format(
            reason=describe_error(exc.code))
    if isinstance(exc, NeedsLogin) or exc.code in ("no_session", "unauthenticated",
                                                   "refresh_failed"):
        return _(_NOT_REACHED["login"])
    if exc.code == "tls_untrusted":  # reached, but not proven to be the office's server
        return describe_error(exc.code)
    return _(_NOT_REACHED["offline"])


class ErrorPlace:
    """Where a refusal is shown: on a form's field when it names one, else in `message`."""

    def __init__(self, message: QLabel, form: Form | None = None,
                 fallback: str | None = None) -> None:
        self.message, self.form, self.fallback = message, form, fallback

    def clear(self) -> None:
        self.message.setVisible(False)
        if self.form is not None:
            self.form.clear_errors()

    def show(self, text: str, ctx: AppContext, *, error: bool = True,
             announce: bool = True) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "error" if error else None)
        self.message.style().polish(self.message)  # the theme colours errors by this role
        self.message.setVisible(True)
        if announce:
            ctx.announcer.say(text, assertive=error)

    def show_error(self, err: UserFacingError, ctx: AppContext) -> None:
        if self.form is None or not self.form.show_error(err, ctx.announcer, self.fallback):
            self.show(err.message(), ctx)


class OnlineSection(QWidget):
    """A section whose data lives on the office server; `status` tells its state."""

    def __init__(self, ctx: AppContext, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(name)
        self.busy = False
        self.column = QVBoxLayout(self)
        self.status = status_label(f"{name}.status")
        self.status.setVisible(False)
        self.place = ErrorPlace(self.status)
        self.busy_buttons: list[QPushButton] = []
        self.dialog: Any = None  # the section's open add/edit dialog, if any
        self.pending_draft: dict[str, Any] | None = None  # restored typing, not yet used

    # -- drafts: typing in an open add or change dialog survives a lock --------------------
    def draft_values(self) -> dict[str, Any]:
        dialog = self.dialog
        if dialog is not None and dialog.isVisible():
            values = dict(dialog.values())
            if dialog.editing_id is not None:  # a change: the draft names what it changes
                values[EDITING] = dialog.editing_id
            return values
        return dict(self.pending_draft or {})

    def prefill(self, dialog: Any) -> None:
        """Put typing restored from a draft into the dialog it was typed in (an "Add…" one,
        or the change of the same item), once."""
        draft = self.pending_draft
        if draft and draft.get(EDITING) == dialog.editing_id:
            dialog.form.set_values({k: v for k, v in draft.items() if k != EDITING})
            self.pending_draft = None
            self.ctx.announcer.say(_("What you typed last time is filled in again."))

    def run(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None], *,
            progress: str, saved: str | None = None, place: ErrorPlace | None = None,
            buttons: list[QPushButton] | None = None,
            check: Callable[[], Any] | None = None) -> bool:
        """Run the change `fn(client)` on the office server; False if it was not sent.

        `check` (the server's rules, pure and quick) runs first, here, so a mistake names its
        field even when the server is out of reach. On success `saved` (default
        "Tersimpan") is announced and a sync requested."""
        if self.busy:
            self.ctx.announcer.say(_("Still waiting for the office server…"))
            return False
        where = place or self.place
        where.clear()
        if check is not None:
            try:
                check()
            except UserFacingError as err:
                where.show_error(err, self.ctx)
                return False
        held = (buttons or []) + self.busy_buttons
        self._set_busy(True, held)
        self.status.setText(progress)
        self.status.setProperty("role", None)
        self.status.style().polish(self.status)
        self.status.setVisible(True)
        self.ctx.announcer.progress(progress)  # throttled

        def done(result: Any) -> None:
            self._set_busy(False, held)
            self.status.setVisible(False)
            self.ctx.announcer.say(saved or _("Saved"))
            self.ctx.sync_requested.emit()  # HR's change reaches this device's tables too
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(False, held)
            self.status.setVisible(False)
            if isinstance(exc, SyncError):
                where.show(needs_server_text(exc), self.ctx)
            elif isinstance(exc, UserFacingError):
                where.show_error(exc, self.ctx)
            else:
                self.ctx.error.emit(exc)
        self.ctx.server(fn, done, failed)
        return True

    def fetch(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        """Read from the office server (no announcement on success); a failure says the
        section needs the server. Callers drop answers to questions no longer asked."""
        def failed(exc: BaseException) -> None:
            # Shown, not announced: the person did not act (a page opening offline would
            # otherwise speak over itself, once per section).
            if isinstance(exc, SyncError):
                self.place.show(needs_server_text(exc), self.ctx, announce=False)
            elif isinstance(exc, UserFacingError):
                self.place.show(exc.message(), self.ctx, announce=False)
            else:
                self.ctx.error.emit(exc)
        def done(result: Any) -> None:
            if not self.busy:
                self.place.clear()  # an earlier "needs the office server" no longer holds
            on_done(result)
        self.ctx.server(fn, done, failed)

    def _set_busy(self, busy: bool, buttons: list[QPushButton]) -> None:
        self.busy = busy
        for b in buttons:
            b.setEnabled(not busy)


def dialog_foot(column: QVBoxLayout, name: str, submit_text: str
                ) -> tuple[QPushButton, QPushButton, QLabel]:
    """The submit/cancel row of an Organisasi dialog and, under it, its message line (the
    server's answer or why it could not be reached)."""
    submit, cancel = add_dialog_buttons(column, name, submit_text, _("Cancel"))
    message = status_label(f"{name}.message")
    message.setVisible(False)
    column.addWidget(message)
    return submit, cancel, message
