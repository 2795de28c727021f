"""Roster import for the HR officer (online): choose a CSV, let the office server check it,
read the preview — every record by its line number, refused lines with the server's reason,
the supervisor links the file sets — and only then import the accepted rows, after a
confirmation. The file is read off the GUI thread; what was checked is what is imported.

Not connected or offline: the dialog says so; the chosen path stays for a later attempt.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from asndesk.errors import ValidationError
from asndesk.i18n import _, ngettext
from sync import roster_admin
from sync.client import SyncError
from sync.roster_admin import RosterLine, RosterReport
from ui.admin_messages import file_problem, server_error_text
from ui.confirm_box import Role, ask, confirm_box
from ui.context import AppContext
from ui.forms import Form
from ui.models.roster_preview_table_model import RosterPreviewTableModel, preview_rows
from ui.pages.page_widgets import button, make_table, status_label

ReadFile = tuple[str, list[RosterLine]]


def read_file(path: Path) -> ReadFile:
    """The file's text and its records (on the IO lane)."""
    text = roster_admin.load_roster_file(path)
    return text, roster_admin.read_roster(text)[1]


def report_text(r: RosterReport) -> str:
    """What a preview or an import says in one paragraph."""
    refused = sorted(r.bad_lines)
    parts = [ngettext("{n} row in the file", "{n} rows in the file", r.rows).format(n=r.rows),
             _("{accepted} accepted: {created} new, {updated} changed, {unchanged} "
               "unchanged").format(accepted=r.accepted, created=r.created, updated=r.updated,
                                   unchanged=r.unchanged),
             _("supervisor links: {opened} opened, {closed} closed").format(
                 opened=r.links_opened, closed=r.links_closed)]
    if r.units_created:
        parts.append(ngettext("{n} new unit", "{n} new units", r.units_created).format(
            n=r.units_created))
    if refused:
        parts.append(ngettext("{n} refused, on line {lines}", "{n} refused, on lines {lines}",
                              len(refused)).format(n=len(refused),
                                                   lines=", ".join(map(str, refused))))
    return "; ".join(parts) + "."


class RosterImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, path: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.text: str | None = None          # the file as checked: what an import sends
        self.lines: list[RosterLine] = []
        self.report: RosterReport | None = None
        self.imported: RosterReport | None = None
        self.confirm_box: QMessageBox | None = None
        self.setObjectName("dialog.roster_import")
        self.setWindowTitle(_("asndesk — import a roster (CSV)"))
        self.resize(900, 640)
        column = QVBoxLayout(self)
        intro = QLabel(_(
            "A CSV file (UTF-8, comma or semicolon) with a header line: nip, nama, jabatan, "
            "unit_kode, nip_penilai, nip_atasan_penilai and the other roster columns. The "
            "office server checks it first; nothing is changed before you import."))
        intro.setObjectName("dialog.roster_import.intro")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = Form("roster.form")
        self.path = self.form.add_line("path", _("CSV &file"), description=_(
            "The full path of the roster file; or choose it with the button below"))
        self.path.setText(path)
        self.path.textChanged.connect(self._stale)
        column.addWidget(self.form)
        row = QHBoxLayout()
        self.browse_button = button(_("C&hoose a file…"), "dialog.roster_import.browse",
                                    self.browse)
        self.check_button = button(_("&Check with the server"), "dialog.roster_import.check",
                                   self.check)
        for b in (self.browse_button, self.check_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        column.addLayout(row)
        self.status = status_label("dialog.roster_import.status")
        column.addWidget(self.status)
        self.model = RosterPreviewTableModel(parent=self)
        self.view = make_table("dialog.roster_import.table", _("Roster preview by line"),
                               self.model, sort_column=RosterPreviewTableModel.LINE)
        column.addWidget(self.view)
        row = QHBoxLayout()
        self.import_button = button(_("&Import the accepted rows…"),
                                    "dialog.roster_import.import", self.ask_import)
        self.import_button.setEnabled(False)
        self.close_button = button(_("Close"), "dialog.roster_import.close", self.reject)
        for b in (self.import_button, self.close_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        column.addLayout(row)

    # -- choosing and checking -------------------------------------------------------------
    def choose_path(self) -> str:
        """The file the person picks (tests replace this)."""
        return QFileDialog.getOpenFileName(
            self, _("asndesk — choose the roster file"), self.path.text() or str(Path.home()),
            _("CSV files (*.csv);;All files (*)"))[0]

    def browse(self) -> None:
        chosen = self.choose_path()
        if chosen:
            self.path.setText(chosen)
            self.check_button.setFocus()

    def _stale(self) -> None:
        """Another file named: the last preview no longer applies."""
        self.text, self.report = None, None
        self.import_button.setEnabled(False)

    def check(self) -> None:
        self.form.clear_errors()
        name = self.path.text().strip()
        if not name:
            self._path_error(_("Choose the CSV file first."))
            return
        self._stale()
        self.imported = None
        self.check_button.setEnabled(False)
        self.status.setText(_("Reading the file…"))
        self.ctx.io(lambda: read_file(Path(name)), lambda found: self._read(name, found),
                    self._failed)

    def _changed_meanwhile(self) -> None:
        self.check_button.setEnabled(True)
        self._say(_("The file name changed while checking; check again."))

    def _read(self, name: str, found: ReadFile) -> None:
        if self.path.text().strip() != name:
            self._changed_meanwhile()
            return
        self.text, self.lines = found
        self.model.set_rows(preview_rows(self.lines, None))
        self.status.setText(_("Checking the file with the office server…"))
        text = found[0]
        self.ctx.server(lambda client: roster_admin.preview_roster(client, text),
                        self._previewed, self._failed)

    def _previewed(self, report: RosterReport) -> None:
        if self.text is None:   # another file was named meanwhile: this verdict is not its
            self._changed_meanwhile()
            return
        self.check_button.setEnabled(True)
        self.report = report
        self.model.set_rows(preview_rows(self.lines, report))
        self.import_button.setEnabled(report.accepted > 0)
        self._say(_("Checked: {report}").format(report=report_text(report)))
        self.view.setFocus()
        if self.model.rowCount():
            first_bad = next((n for n, r in enumerate(self.model.rows) if r.refused), 0)
            proxy = self.view.model()
            assert isinstance(proxy, QSortFilterProxyModel)  # make_table sorts through one
            self.view.selectRow(proxy.mapFromSource(self.model.index(first_bad, 0)).row())

    def _failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.import_button.setEnabled(self.report is not None and self.report.accepted > 0)
        text = server_error_text(exc)
        file_level = isinstance(exc, roster_admin.RosterReadError | OSError) or (
            isinstance(exc, SyncError) and file_problem(exc.code, exc.field) is not None)
        if file_level:
            self._path_error(text)
        else:
            self.status.setText(text)
            self.ctx.announcer.say(text, assertive=True)

    def _path_error(self, text: str) -> None:
        self.status.setText("")
        self.form.show_error(ValidationError("path", "file", "{text}", text=text),
                             self.ctx.announcer)

    # -- importing -------------------------------------------------------------------------
    def ask_import(self) -> None:
        report, text = self.report, self.text
        if report is None or text is None:
            return
        question = _("Import the {n} accepted rows into the office roster?").format(
            n=report.accepted)
        if report.bad_lines:
            question += " " + _("The refused lines ({lines}) are left out; correct them and "
                                "import the file again later.").format(
                lines=", ".join(map(str, sorted(report.bad_lines))))
        # It changes the office's data: Cancel is the default, not a stray Enter.
        box = confirm_box(self, "dialog.roster_confirm", _("asndesk — confirm the roster import"),
                          question, _("Import"), action_key="import", role=Role.AcceptRole)

        def decided(confirmed: bool) -> None:
            self.confirm_box = None
            if confirmed:
                self.start_import(text)
            else:
                self.import_button.setFocus()
        self.confirm_box = ask(box, decided)

    def start_import(self, text: str) -> None:
        self.import_button.setEnabled(False)
        self.check_button.setEnabled(False)
        self.status.setText(_("Importing…"))
        self.ctx.server(lambda client: roster_admin.import_roster(client, text),
                        self._imported, self._failed)

    def _imported(self, report: RosterReport) -> None:
        self.check_button.setEnabled(True)
        self.imported, self.report = report, None
        self.model.set_rows(preview_rows(self.lines, report))
        self._say(_("Imported: {report} The next sync brings the changes to this "
                    "computer.").format(report=report_text(report)))
        self.close_button.setFocus()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.ctx.announcer.say(text)
