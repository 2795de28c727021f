"""Composition root: builds the task runner, announcer, settings and sync worker, runs the
profile flow (pick → unlock/create → main window → lock), and hands each window what it needs.

No window reaches for a global: everything a page needs comes in its `AppContext`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from asndesk.errors import UnlockDelayed, UserFacingError
from asndesk.i18n import _, set_locale
from asndesk.office_file import OfficeConfig
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from ui import ui_settings
from ui.announce import Announcer
from ui.auto_lock import AutoLock, IdleWarningDialog, warn_idle
from ui.context import AppContext
from ui.fonts import register_shipped_fonts
from ui.main_window import MainWindow
from ui.opening import UNREAD, Opening, read_opening
from ui.pages.registry import page_types, visible_pages
from ui.profile_picker_dialog import ProfilePickerDialog
from ui.sync_worker import OFFLINE_CODES, SyncWorker, parse_last_success
from ui.task_runner import TaskRunner, freeze_startup_objects
from ui.theme import apply_theme
from ui.unlock_dialog import UnlockDialog

DRAFT_SAVE_MS = 3000  # typing is saved to the encrypted store this soon after it stops


class DesktopApp(QObject):
    """The running app. `start()` shows the first window; tests drive it the same way."""

    def __init__(self, qapp: QApplication, *, home: Path | None = None,
                 manager: ProfileManager | None = None, sync_enabled: bool = True,
                 demo: bool = False) -> None:
        super().__init__()
        self.qapp = qapp
        self.demo = demo  # every window title says DEMO: sample data, not a real profile
        self.home = home
        self.manager = manager or ProfileManager(home)
        self.settings = ui_settings.load(home)
        register_shipped_fonts()
        set_locale(self.settings.language)
        self.resolved_theme = apply_theme(qapp, self.settings.theme, self.settings.text_scale)
        self.runner = TaskRunner(self)
        self.announcer = Announcer()
        self.sync = SyncWorker()
        self.sync.finished.connect(self._sync_finished)
        self.sync_enabled = sync_enabled
        self.window: MainWindow | None = None
        self.dialog: QWidget | None = None
        self.ctx: AppContext | None = None
        self.nip: str | None = None
        self.roles: frozenset[str] = frozenset()  # which role pages the window shows
        self.auto_lock = AutoLock(self.settings.auto_lock_minutes)
        self.office_lock_minutes: int | None = None  # the office file's policy, when it sets one
        self.auto_lock.warn.connect(self._warn_idle)
        self.auto_lock.lock.connect(self.lock)
        self._idle_dialog: IdleWarningDialog | None = None
        self._online: bool | None = None  # None: no server set up
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_SAVE_MS)
        self._draft_timer.timeout.connect(self.save_drafts)

    # -- profile flow --------------------------------------------------------------------
    def start(self) -> None:
        profiles = self.manager.list()
        if len(profiles) == 1:
            self.show_unlock(profiles[0].nip)
        elif profiles:
            self.show_picker()
        else:
            self.show_create()

    def show_picker(self) -> None:
        picker = ProfilePickerDialog(self.manager.list(), self.settings.last_profile)
        picker.chosen.connect(self.show_unlock)
        picker.create_requested.connect(self.show_create)
        self._show_dialog(picker)

    def show_create(self) -> None:
        from ui.create_profile_dialog import CreateProfileDialog  # noqa: PLC0415 (first run)

        dialog = CreateProfileDialog(self.runner, self.announcer, self.manager)
        dialog.created.connect(self._opened)
        dialog.cancelled.connect(self.start if self.manager.list() else self.qapp.quit)
        self._show_dialog(dialog)

    def show_unlock(self, nip: str) -> None:
        info = self.manager.get(nip)
        dialog = UnlockDialog(info.nama, self.announcer)
        dialog.submitted.connect(lambda password: self._unlock(dialog, nip, password))
        dialog.back_requested.connect(self.show_picker)
        dialog.recover_requested.connect(lambda: self.show_recovery(nip))
        remaining = self.manager.delay_remaining(nip)
        self._show_dialog(dialog)
        if remaining > 0:
            dialog.delayed(remaining, UnlockDelayed(seconds=remaining).message())

    def show_recovery(self, nip: str) -> None:
        from ui.recovery_dialog import RecoveryDialog  # noqa: PLC0415 (rarely needed)

        dialog = RecoveryDialog(self.runner, self.announcer, self.manager, nip)
        dialog.recovered.connect(self._opened)
        dialog.cancelled.connect(lambda: self.show_unlock(nip))
        self._show_dialog(dialog)

    def _unlock(self, dialog: UnlockDialog, nip: str, password: str) -> None:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, UnlockDelayed):
                dialog.delayed(int(exc.params.get("seconds", 1)), exc.message())
            elif isinstance(exc, UserFacingError):
                remaining = self.manager.delay_remaining(nip)
                if remaining > 0:
                    dialog.delayed(remaining, exc.message() + " " +
                                   UnlockDelayed(seconds=remaining).message())
                else:
                    dialog.failed(exc.message())
            else:
                dialog.failed(_("The profile could not be opened."))
        self.runner.db(lambda: Workspace.open(nip, password, manager=self.manager),
                       self._opened, failed)
        # While the KDF runs on the DB lane (0.5-1 s, without the GIL), load the page modules
        # here, on the GUI thread (a module may create a QObject at import): the window is
        # built right after, and the first Beranda came 0.3 s later without this
        # (bench/ui_startup.py). The dialog says "Unlocking…" meanwhile.
        QTimer.singleShot(0, page_types)

    def _show_dialog(self, dialog: QWidget) -> None:
        if self.demo:  # the demo's unlock and picker windows say so too, not only the main one
            dialog.setWindowTitle(_("DEMO — {title}").format(title=dialog.windowTitle()))
        old, self.dialog = self.dialog, dialog
        dialog.show()
        if old is not None:
            old.close()
            old.deleteLater()

    # -- an open profile -----------------------------------------------------------------
    def open_workspace(self, ws: Workspace) -> None:
        """Show an already unlocked profile (the demo opens its profile without a prompt)."""
        self._opened(ws)

    def _opened(self, ws: Workspace) -> None:
        """Unlocked: past the office's days-offline limit a server login comes first."""
        def checked(opening: Opening) -> None:
            self.roles = opening.roles
            if opening.reauth_required:
                self._show_reauth(ws, opening)
            else:
                self._show_main(ws, opening)
        self.runner.db(lambda: read_opening(ws, self.home), checked,
                       lambda _exc: self._show_main(ws, UNREAD))

    def _show_reauth(self, ws: Workspace, opening: Opening) -> None:
        from ui.reauth_dialog import ReauthDialog  # noqa: PLC0415 (rarely needed)

        assert opening.offline is not None
        dialog = ReauthDialog(self.runner, self.announcer, lambda: ws, opening.offline,
                              nip=ws.owner_nip, url=opening.url or "")
        dialog.connected.connect(lambda url: self._show_main(ws, replace(opening, url=url)))
        dialog.lock_requested.connect(lambda: self._lock_unopened(ws))
        self._show_dialog(dialog)

    def _lock_unopened(self, ws: Workspace) -> None:
        """The person chose not to log in now: the profile is locked again, nothing lost."""
        self.runner.db(ws.lock)
        self.show_unlock(ws.owner_nip)

    def _show_main(self, ws: Workspace, opening: Opening) -> None:
        self.nip = ws.owner_nip
        self.settings.last_profile = ws.owner_nip
        ui_settings.save(self.settings, self.home)
        ctx = AppContext(self.runner, self.announcer, self.settings, ws,
                         profile_name=ws.profile.nama, nip=ws.owner_nip)
        self.ctx = ctx
        window = self._build_window(ctx)
        ctx.changed.connect(self._after_change)
        ctx.sync_requested.connect(self.sync.request)
        self.sync.changed.connect(ctx.changed.emit)
        window.show()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self._restore_drafts(ctx)
        self._connect_drafts(window)
        self.auto_lock.start()
        self._apply_office(opening.office)
        if opening.url is None:
            ctx.read(lambda w: w.sync_setting("url"), self._start_sync)
        else:
            self._start_sync(opening.url or None)
        self._refresh_status()
        freeze_startup_objects()

    def _apply_office(self, office: OfficeConfig | None) -> None:
        """The office's auto-lock time, when its file sets one, wins over the person's."""
        minutes = office.policy.auto_lock_minutes if office is not None else None
        self.office_lock_minutes = minutes
        if minutes is None:
            return  # the person's own setting, already in force
        self.auto_lock.set_minutes(minutes)
        if self.window is not None:
            # By name, not by class: page modules load after the unlock screen (cold start).
            settings = self.window.page("pengaturan")
            settings.set_office_lock(minutes)  # type: ignore[attr-defined]

    def _set_online(self, online: bool | None) -> None:
        """Remembered, so a window rebuilt after a language change shows it again."""
        self._online = online
        if self.window is not None:
            self.window.status.set_connection(online)

    def _start_sync(self, url: str | None) -> None:
        self._set_online(None if url is None else False)
        if url and self.sync_enabled and self.ctx is not None:
            ctx = self.ctx
            # Opening the sibling connection is disk work: the DB lane does it.
            self.runner.db(lambda: self.sync.start(ctx.workspace_for_lane(), url))

    def connect_server(self, url: str) -> None:
        """After the person logged in to a server from the settings page: start syncing."""
        self._start_sync(url)

    def _build_window(self, ctx: AppContext) -> MainWindow:
        window = MainWindow(ctx, visible_pages(page_types(), self.roles))
        window.app = self
        if self.demo:
            window.setWindowTitle(_("DEMO — {title}").format(title=window.windowTitle()))
        self.window = window
        for page in window.pages:  # the Sync page follows the worker (progress, outcomes)
            attach = getattr(page, "attach_sync", None)
            if callable(attach):
                attach(self.sync)
        if self.office_lock_minutes is not None:  # a window rebuilt in another language
            window.page("pengaturan").set_office_lock(  # type: ignore[attr-defined]
                self.office_lock_minutes)
        window.lock_requested.connect(self.lock)
        window.quit_requested.connect(self.quit)
        return window

    def rebuild_window(self) -> None:
        """After a language change (or a change of roles): the same profile, drafts and
        page, in new words (with the role pages the person now has)."""
        if self.window is None or self.ctx is None:
            return
        old = self.window
        drafts, current = old.all_drafts(), old.stack.currentIndex()
        page_id = old.pages[current].page_id if 0 <= current < len(old.pages) else ""
        geometry = old.saveGeometry()
        window = self._build_window(self.ctx)
        window.restoreGeometry(geometry)
        window.restore_drafts(drafts)
        self._connect_drafts(window)
        window.show()
        ids = [p.page_id for p in window.pages]
        page = ids.index(page_id) if page_id in ids else 0  # a role page may be gone
        window.show_page(page)
        window.status.set_connection(self._online)
        # Focus where the person was working (A-20: the change did not navigate). Set after
        # the page is current: show_page(focus=True) from row 0 changes rows without focus.
        target = window.pages[page].first_focus() if 0 <= page < len(window.pages) else None
        window.activateWindow()
        (target or window.nav).setFocus()
        old.close()
        old.deleteLater()
        self._refresh_status()

    def _restore_drafts(self, ctx: AppContext) -> None:
        def read(ws: Workspace) -> dict[str, dict[str, Any]]:
            return {key: found for key in ws.draft_keys() if (found := ws.draft(key))}

        def put(drafts: dict[str, dict[str, Any]]) -> None:
            if drafts and self.window is not None:
                self.window.restore_drafts(drafts)
                self.announcer.say(_("Unsaved typing from last time was restored."))
        ctx.read(read, put)

    def _connect_drafts(self, window: MainWindow) -> None:
        from ui.forms import Form  # noqa: PLC0415

        for form in window.findChildren(Form):
            form.changed.connect(self._draft_timer.start)

    def save_drafts(self) -> None:
        """Write every form's unsaved typing into the encrypted store (DB lane)."""
        if self.window is None or self.ctx is None:
            return
        drafts = self.window.all_drafts()
        known = set(drafts)

        def write(ws: Workspace) -> None:
            for key in ws.draft_keys():
                if key not in known:
                    ws.discard_draft(key)
            for key, values in drafts.items():
                ws.save_draft(key, values)
        # Bound now: `lock()` drops self.ctx right after this, before the DB lane runs it (and
        # queues the workspace's lock behind it), so the lock's own save must not see None.
        ctx = self.ctx
        self.runner.db(lambda: write(ctx.workspace_for_lane()))

    def _after_change(self, changes: Any) -> None:
        if changes.ops:
            self.sync.local_change()
        self._refresh_status()

    def _refresh_status(self) -> None:
        if self.ctx is None:
            return

        def read(ws: Workspace) -> tuple[int, float | None]:
            return ws.pending_count(), parse_last_success(ws.sync_setting("last_success"))

        def show(found: tuple[int, float | None]) -> None:
            count, stored = found
            if self.window is not None:
                self.window.status.set_pending(count)
                self.window.status.set_last_sync(
                    max(filter(None, (stored, self.sync.last_success)), default=None))
        self.ctx.read(read, show)

    def _sync_finished(self, outcome: Any) -> None:
        """Online unless the server could not be reached; the queue count changed too, and
        the server may have given or taken a role (supervisor, HR officer)."""
        self._set_online(outcome.error not in OFFLINE_CODES)
        self._refresh_status()
        if self.ctx is not None:
            self.ctx.read(lambda ws: ws.role_names(), self.set_roles)

    def set_roles(self, roles: frozenset[str]) -> None:
        """Show the pages these roles allow; the window is rebuilt only when they change."""
        if roles != self.roles:
            self.roles = roles
            self.rebuild_window()

    def _warn_idle(self, seconds: int) -> None:
        if self.window is None:
            return
        self._idle_dialog = warn_idle(self.auto_lock, self.window, seconds, self.announcer)

    def lock(self) -> None:
        """Save drafts, stop sync, forget the key, and show the unlock screen again."""
        if self.window is None or self.ctx is None:
            return
        nip = self.nip or ""
        self.auto_lock.stop()
        self._draft_timer.stop()
        self.save_drafts()
        self.sync.stop(wait=False)  # a request in flight must not freeze the window
        ctx, window = self.ctx, self.window
        self.sync.changed.disconnect(ctx.changed.emit)
        ctx.close()
        self.announcer.set_source(None)
        self.ctx = None
        self.window = None
        if self._idle_dialog is not None:
            self._idle_dialog.close()
            self._idle_dialog = None
        self.runner.db(ctx.workspace_for_lane().lock)
        window.close()
        window.deleteLater()
        self.show_unlock(nip)

    def quit(self) -> None:
        self.shutdown()
        self.qapp.quit()

    def shutdown(self) -> None:
        """Save drafts, stop timers and sync, lock the profile, finish the DB lane's work."""
        self._draft_timer.stop()
        self.auto_lock.stop()
        if self.window is not None and self.ctx is not None:
            self.save_drafts()
            self.sync.stop()
            self.runner.db(self.ctx.workspace_for_lane().lock)
            self.ctx.close()  # answers still queued have no window left to go to
        self.runner.shutdown(wait=True)

    def apply_settings(self) -> None:
        """After the settings page changed language, theme, text size or auto-lock."""
        ui_settings.save(self.settings, self.home)
        from asndesk.i18n import current_locale  # noqa: PLC0415

        relabel = current_locale() != self.settings.language
        set_locale(self.settings.language)
        self.resolved_theme = apply_theme(self.qapp, self.settings.theme,
                                          self.settings.text_scale)
        self.auto_lock.set_minutes(self.office_lock_minutes or self.settings.auto_lock_minutes)
        if relabel:
            QTimer.singleShot(0, self.rebuild_window)  # not inside the settings page's slot
