"""Log Harian: quick entry of one activity after another, the week at a glance, and a
searchable list of every entry that stays fast with 100,000 of them.

- Entry (`LogEntryForm`): Ctrl+Enter or "Save" saves; "Tersimpan" is announced (ctx.write),
  the core's warnings (overlap, more than 7 h 30 min a day) are shown and announced without
  blocking, the form clears for the next entry (the date stays, the next start is the last
  end) and focus goes back to the date.
- Week (`LogWeekPanel`): per-day totals and the week total against 37 h 30 min.
- List: newest first, paged through `ctx.read` (`logs(cari, limit, offset)`); typing in the
  search field re-queries the core's full-text search after 300 ms.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMessageBox, QTableView, QWidget

from asndesk.domain.formatting import format_tanggal
from asndesk.errors import PeriodClosed, UserFacingError, ValidationError
from asndesk.i18n import _, ngettext
from asndesk.store.database import Changes
from asndesk.store.rows import StaleVersion
from asndesk.workspace import Workspace
from ui.confirm_box import ask, confirm_delete
from ui.forms import plain
from ui.models.log_table_model import LogRow, LogTableModel
from ui.models.rows_table_model import ROW_ROLE
from ui.pages.log_entry_form import LogEntryForm, rhk_choices
from ui.pages.log_week_panel import LogWeekPanel
from ui.pages.page import Page
from ui.pages.page_widgets import button, current_row, heading, make_table, status_label
from ui.qt_dates import to_time

SEARCH_DELAY_MS = 300


class LogPage(Page):
    page_id = "log_harian"
    kinds: ClassVar[frozenset[str]] = frozenset({"log_harian", "rhk", "skp"})
    DRAFT_KEY = "log_harian.form"

    def title(self) -> str:
        return _("Daily log")

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        self._editing: tuple[str, int] | None = None
        self._saving = False
        self._query = ""
        self._announce_search = False
        self.confirm_box: QMessageBox | None = None
        self.entry = LogEntryForm(self.save, self.stop_editing, self.ctx.announcer)
        self.form, self.picker = self.entry.form, self.entry.picker
        self.tanggal, self.kegiatan = self.entry.tanggal, self.entry.kegiatan
        self.save_button = self.entry.save_button
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self.entry)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.root.addWidget(self.entry)
        self.week = LogWeekPanel(self.ctx)
        self.week.edit_requested.connect(self.edit_selected)
        self.week.delete_requested.connect(self.delete_selected)
        self.root.addWidget(self.week)
        self._build_list()
        search_key = QShortcut(QKeySequence("Ctrl+F"), self)
        search_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        search_key.activated.connect(self.search.setFocus)

    def _build_list(self) -> None:
        self.root.addWidget(heading(_("All entries"), "log.list.heading"))
        search_label = QLabel(_("Search activities"))
        search_label.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setObjectName("log.list.search")
        self.search.setAccessibleName(plain(search_label.text()))
        self.search.setAccessibleDescription(
            _("Words from the activity text; the list below follows as you type (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        search_label.setBuddy(self.search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.root.addWidget(search_label)
        self.root.addWidget(self.search)
        self.list_status = status_label("log.list.status")
        self.root.addWidget(self.list_status)
        self.list_model = LogTableModel(self._list_fetch, parent=self)
        self.list_model.page_loaded.connect(self._list_page_loaded)
        self.list_view = make_table("log.list.table", _("Daily log entries"), self.list_model)
        self.list_view.setMinimumHeight(300)
        self.list_view.horizontalHeader().resizeSection(0, 360)
        self.list_view.activated.connect(lambda _i: self.edit_selected(self.list_view))
        self.root.addWidget(self.list_view)
        row = QHBoxLayout()
        row.addWidget(button(_("Edit the chosen entry"), "log.list.edit",
                             lambda: self.edit_selected(self.list_view)))
        row.addWidget(button(_("Delete the chosen entry…"), "log.list.delete",
                             lambda: self.delete_selected(self.list_view)))
        row.addStretch(1)
        self.root.addLayout(row)

    def first_focus(self) -> QWidget | None:
        return self.tanggal

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        tahun = date.today().year
        self.ctx.read(lambda ws: rhk_choices(ws, tahun), self._show_rhk)
        self.week.load()
        self.list_model.restart()

    def _show_rhk(self, found: tuple[list[tuple[str, str, str]], dict[str, str]]) -> None:
        choices, names = found
        self.entry.show_rhk(choices, names)
        self.week.model.set_rhk_names(names)
        self.list_model.set_rhk_names(names)

    # -- the searchable list -------------------------------------------------------------
    def _list_fetch(self, offset: int, limit: int, deliver: Any) -> None:
        cari = self._query or None

        def failed(err: UserFacingError) -> None:
            deliver(None)
            self.ctx.announcer.say(err.message(), assertive=True)
        self.ctx.read(lambda ws: ws.logs(cari=cari, limit=limit, offset=offset), deliver, failed)

    def _apply_search(self) -> None:
        query = self.search.text().strip()
        if query == self._query:
            return
        self._query = query
        self._announce_search = True
        self.list_model.restart()

    def _list_page_loaded(self, _count: int) -> None:
        n = self.list_model.rowCount()
        more = not self.list_model.exhausted
        if self._query:
            text = (ngettext("{n} entry found", "{n} entries found", n).format(n=n) if not more
                    else _("{n} entries found so far; more appear as you scroll").format(n=n))
        elif n == 0:
            text = _("No entries yet.")
        else:
            text = _("Newest first; more entries appear as you scroll.")
        self.list_status.setText(text)
        if self._announce_search and self.list_model.pages_fetched == 1:
            self._announce_search = False
            self.ctx.announcer.say(text)

    # -- saving --------------------------------------------------------------------------
    def save(self) -> None:
        if self._saving:
            return
        fields = self.entry.fields()
        self.form.clear_errors()
        self.picker.clear_error()
        self.entry.show_message("")
        if self._editing is not None:
            log_id, version = self._editing

            def write(ws: Workspace) -> Changes:
                return ws.edit_log(log_id, expected_version=version, **fields)
        else:
            bukti = self.picker.paths()

            def write(ws: Workspace) -> Changes:
                return ws.add_log(**fields, bukti=bukti)
        self._saving = True
        self.save_button.setEnabled(False)
        self.ctx.write(write, self._saved, self._failed)

    def _done_saving(self) -> None:
        self._saving = False
        self.save_button.setEnabled(True)

    def _saved(self, changes: Changes) -> None:
        self._done_saving()
        warnings = [w.message() for w in changes.warnings]
        self.entry.show_warnings(warnings)
        if warnings:
            self.ctx.announcer.say(" ".join(warnings))  # polite: a warning, not an error
        last_end = to_time(self.entry.jam_selesai.time())
        self.stop_editing(announce=False)
        self.entry.clear_for_next()
        self.entry.set_times(last_end)
        self.tanggal.setFocus()

    def _failed(self, err: UserFacingError) -> None:
        self._done_saving()
        if isinstance(err, StaleVersion) and self._editing is not None:
            self._rebase_edit(self._editing[0])
            return
        if isinstance(err, ValidationError) and err.field == "bukti":
            self.picker.show_error(err.message())
            self.ctx.announcer.say(_("{field}: {message}").format(
                field=_("Evidence"), message=err.message()), assertive=True)
            return
        fallback = "tanggal" if isinstance(err, PeriodClosed) else None
        if not self.form.show_error(err, self.ctx.announcer, fallback=fallback):
            self.entry.show_message(err.message())

    def _rebase_edit(self, log_id: str) -> None:
        """The entry changed under the edit (a sync pull from another device): keep what was
        typed, and let a second Save put it over the newer version, knowingly."""
        def rebase(row: dict[str, Any]) -> None:
            if self._editing is not None and self._editing[0] == log_id:
                self._editing = (log_id, int(row["version"]))
            text = _("This entry was changed on another device while you were editing it. "
                     "Your typing is kept: press Save again to put your version in its place, "
                     "or Stop editing to keep the other one.")
            self.entry.show_message(text)
            self.ctx.announcer.say(text, assertive=True)
        self.ctx.read(lambda ws: ws.log_entry(log_id), rebase)

    # -- edit and delete -----------------------------------------------------------------
    def edit_selected(self, view: QTableView) -> None:
        row = current_row(view)
        if not isinstance(row, LogRow):
            self.ctx.announcer.say(_("Choose an entry in the list first."))
            return
        self.start_editing(row)

    def start_editing(self, row: LogRow) -> None:
        self._editing = (row.id, row.version)
        self.entry.show_row(row)
        self.entry.set_edit_mode(True)
        self.form.clear_errors()
        self.tanggal.setFocus()
        self.ctx.announcer.say(_("Editing the entry of {date}, {start}.").format(
            date=format_tanggal(row.tanggal, dengan_hari=True), start=row.waktu_text()))

    def stop_editing(self, announce: bool = True) -> None:
        was = self._editing is not None
        self._editing = None
        self.entry.set_edit_mode(False)
        if was and announce:
            self.entry.clear_for_next()
            self.tanggal.setFocus()
            self.ctx.announcer.say(_("Editing stopped; the form is empty for a new entry."))

    def delete_selected(self, view: QTableView) -> None:
        row = current_row(view)
        if not isinstance(row, LogRow):
            self.ctx.announcer.say(_("Choose an entry in the list first."))
            return
        box = confirm_delete(self, "dialog.log_delete", _("asndesk — delete a daily log entry"),
                             _("Delete this entry? This cannot be undone.") + "\n\n" +
                             row.summary())

        def decided(confirmed: bool) -> None:
            self.confirm_box = None
            view.setFocus()
            if confirmed:
                if self._editing is not None and self._editing[0] == row.id:
                    self.stop_editing(announce=False)
                    self.entry.clear_for_next()
                self.ctx.write(lambda ws: ws.delete_log(row.id), saved=_("Deleted."))
        self.confirm_box = ask(box, decided)

    # -- drafts --------------------------------------------------------------------------
    def drafts(self) -> dict[str, dict[str, Any]]:
        if not self.entry.has_typing() and self._editing is None:
            return {}
        draft: dict[str, Any] = {**self.form.values(),
                                 "bukti": [str(p) for p in self.picker.paths()]}
        if self._editing is not None:
            draft["edit_id"], draft["edit_version"] = self._editing
        return {self.DRAFT_KEY: draft}

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        draft = drafts.get(self.DRAFT_KEY)
        if not draft:
            return
        known = ("tanggal", "jam_mulai", "jam_selesai", "kegiatan", "output_jumlah",
                 "output_satuan")
        self.form.set_values({k: draft[k] for k in known if k in draft})
        self.entry.restore_rhk(draft.get("rhk_id"))
        if draft.get("edit_id"):
            self._editing = (str(draft["edit_id"]), int(draft.get("edit_version") or 1))
            self.entry.set_edit_mode(True)
        else:
            self.picker.set_paths(draft.get("bukti") or [])

    # -- for tests -----------------------------------------------------------------------
    def index_of(self, view: QTableView, log_id: str) -> QModelIndex:
        model = view.model()
        for r in range(model.rowCount()):
            index = model.index(r, 0)
            row = index.data(ROW_ROLE)
            if row is not None and row.id == log_id:
                return index
        return QModelIndex()
