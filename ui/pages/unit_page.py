"""Unit Kerja: the HR officer's (pengelola kepegawaian) monitoring of a unit, offline from
what the last sync brought: who has no approved SKP by the deadline, who logged nothing this
week, decisions waiting per pejabat penilai, who has not synced for N days; filters; the
shown list exported to a CSV where the officer chooses. Roster import and devices open
dialogs that need the office server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QHeaderView, QWidget

from asndesk.domain.formatting import format_tanggal
from asndesk.errors import UserFacingError
from asndesk.i18n import _, ngettext
from asndesk.unit_usecases import BATAS_SINKRON_HARI, UnitMonitor
from asndesk.workspace import Workspace
from ui.devices_dialog import DevicesDialog
from ui.forms import Form
from ui.models.rows_table_model import ROW_ROLE
from ui.models.unit_table_model import (
    FILTERS,
    PenilaiTableModel,
    UnitTableModel,
    matches,
    penilai_rows,
)
from ui.pages.page import Page
from ui.pages.page_widgets import button, heading, make_table, status_label
from ui.roster_import_dialog import RosterImportDialog


@dataclass(frozen=True)
class UnitFacts:
    units: list[dict[str, Any]]        # the HR units (id, nama, members)
    monitor: UnitMonitor | None
    problem: str | None                # why there is no list (no unit yet, …)
    connected: bool                    # the profile has an office server


def unit_facts(ws: Workspace, unit_id: str | None) -> UnitFacts:
    units = ws.hr_units()
    if unit_id is None and units:
        unit_id = units[0]["id"]
    try:
        monitor, problem = ws.unit_monitor(unit_id), None
    except UserFacingError as err:
        monitor, problem = None, err.message()
    return UnitFacts(units, monitor, problem, bool(ws.sync_setting("url")))


class UnitPage(Page):
    page_id = "unit"
    required_roles: ClassVar[frozenset[str]] = frozenset({"hr", "admin"})
    kinds: ClassVar[frozenset[str]] = frozenset()   # any synced change may touch the unit
    DRAFT_KEY = "unit.roster"

    def title(self) -> str:
        return _("Work unit")

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        self.facts: UnitFacts | None = None
        self.roster_path = ""            # kept between imports, and over a lock (drafts)
        self.dialog: RosterImportDialog | DevicesDialog | None = None
        form = self.form = Form("unit.form")
        self.unit = form.add_combo("unit", _("&Unit"), [])
        self.filter = form.add_combo("filter", _("&Show"),
                                     [(_(label), key) for key, label in FILTERS.items()])
        self.days = form.add_spin("hari", _("&Not synced for at least"), unit=_("days"),
                                  minimum=1, maximum=365,
                                  description=_("Used by the filter of people not synced"))
        self.days.setValue(BATAS_SINKRON_HARI)
        self.search = form.add_line("cari", _("Searc&h name or NIP"), max_length=100)
        self.root.addWidget(form)
        self.unit.currentIndexChanged.connect(lambda _i: self._unit_chosen())
        self.filter.currentIndexChanged.connect(lambda _i: self.refilter())
        self.days.valueChanged.connect(lambda _v: self.refilter())
        self.search.textChanged.connect(lambda _t: self.refilter())
        self.summary = status_label("unit.summary")
        self.root.addWidget(self.summary)
        self.model = UnitTableModel(parent=self)
        self.view = make_table("unit.table", _("Members of the unit"), self.model,
                               sort_column=UnitTableModel.NAMA)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.root.addWidget(self.view)
        self.root.addWidget(heading(_("Approvals waiting per pejabat penilai"),
                                    "unit.penilai.heading"))
        self.penilai_model = PenilaiTableModel(parent=self)
        self.penilai_view = make_table("unit.penilai.table",
                                       _("Approvals waiting per pejabat penilai"),
                                       self.penilai_model, sort_column=PenilaiTableModel.MENUNGGU,
                                       order=Qt.SortOrder.DescendingOrder)
        self.penilai_view.setMinimumHeight(120)
        self.root.addWidget(self.penilai_view)
        row = QHBoxLayout()
        self.export_button = button(_("&Export the list (CSV)…"), "unit.export", self.export,
                                    _("Writes the people listed above to a file you choose"))
        self.roster_button = button(_("Import a &roster…"), "unit.roster", self.open_roster,
                                    _("Needs the office server"))
        self.devices_button = button(_("&Devices…"), "unit.devices", self.open_devices,
                                     _("Needs the office server"))
        for b in (self.export_button, self.roster_button, self.devices_button):
            row.addWidget(b)
        row.addStretch(1)
        self.root.addLayout(row)
        self.online = status_label("unit.online")
        self.root.addWidget(self.online)

    def first_focus(self) -> QWidget | None:
        return self.filter

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        unit_id = self.unit.currentData()
        self.ctx.read(lambda ws: unit_facts(ws, unit_id), self._show)

    def _unit_chosen(self) -> None:
        if self.facts is not None and self.unit.currentData() != (
                self.facts.monitor.unit_id if self.facts.monitor else None):
            self.load()

    def _show(self, facts: UnitFacts) -> None:
        self.facts = facts
        self.unit.blockSignals(True)
        self.unit.clear()
        for u in facts.units:
            self.unit.addItem(f"{u['nama']} ({u['id']})", u["id"])
        if facts.monitor is not None:
            self.unit.setCurrentIndex(max(0, self.unit.findData(facts.monitor.unit_id)))
        self.unit.blockSignals(False)
        self.online.setText(_(
            "This list works offline, from the last sync. Importing a roster and revoking "
            "devices need the office server.") if facts.connected else _(
            "This profile is not connected to an office server: the list shows what the "
            "last sync brought, and importing a roster or revoking devices will work once "
            "it is connected (on the Settings page)."))
        self.refilter()

    def shown(self) -> list[Any]:
        """The members the list shows now (filter and search applied), in the shown order."""
        proxy = self.view.model()
        return [proxy.index(n, 0).data(ROW_ROLE)
                for n in range(proxy.rowCount())]

    def refilter(self) -> None:
        monitor = self.facts.monitor if self.facts else None
        if monitor is None:
            self.model.set_rows([])
            self.penilai_model.set_rows([])
            self.summary.setText((self.facts.problem or "") if self.facts else "")
            self.export_button.setEnabled(False)
            return
        kind, days = self.filter.currentData(), self.days.value()
        listed = [p for p in monitor.people if matches(p, kind, days, self.search.text())]
        self.model.set_rows(listed)
        self.penilai_model.set_rows(penilai_rows(monitor.people))
        self.export_button.setEnabled(bool(listed))
        self.summary.setText(self.summary_text(monitor, len(listed), days))

    @staticmethod
    def summary_text(m: UnitMonitor, listed: int, days: int) -> str:
        people = m.people
        waiting = sum(p.menunggu for p in people)
        facts = [
            ngettext("{n} person listed of {total}", "{n} people listed of {total}",
                     listed).format(n=listed, total=len(people)),
            _("{n} without an approved SKP (deadline {date})").format(
                n=sum(not p.skp_ditetapkan for p in people), date=format_tanggal(m.batas_skp)),
            _("{n} without a daily log this week").format(
                n=sum(p.log_minggu_ini == 0 for p in people)),
            ngettext("{n} decision waiting", "{n} decisions waiting", waiting).format(
                n=waiting),
            ngettext("{n} not synced for {days} day or more",
                     "{n} not synced for {days} days or more", days).format(
                n=sum(p.belum_sinkron(days) for p in people), days=days)]
        return _("{unit}, {year}, as of the sync of {date}: {facts}.").format(
            unit=m.unit_nama, year=m.tahun, date=format_tanggal(m.data_per.astimezone().date()),
            facts="; ".join(facts))

    # -- export --------------------------------------------------------------------------
    def choose_save_path(self, start: str) -> str:
        """Where the person wants the file (tests replace this)."""
        return QFileDialog.getSaveFileName(self, _("asndesk — export the unit list"), start,
                                           _("CSV files (*.csv)"))[0]

    def export(self) -> None:
        monitor = self.facts.monitor if self.facts else None
        if monitor is None:
            return
        start = str(Path.home() / f"monitoring-{monitor.unit_id}-{date.today():%Y%m%d}.csv")
        chosen = self.choose_save_path(start)
        if not chosen:
            self.ctx.announcer.say(_("Not exported."))
            return
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        # The file dialog asked before replacing the file it returned; never one renamed here.
        self.export_to(path, overwrite=str(path) == chosen)

    def export_to(self, path: Path, *, overwrite: bool = False) -> None:
        monitor = self.facts.monitor if self.facts else None
        if monitor is None:
            return
        nips = [p.nip for p in self.shown()]
        unit_id, tahun, days = monitor.unit_id, monitor.tahun, self.days.value()

        def write(ws: Workspace) -> None:
            ws.export_unit_monitor(path, nips, unit_id=unit_id, tahun=tahun,
                                   batas_sinkron_hari=days, overwrite=overwrite)
        self.ctx.write(write, on_error=self._export_failed,
                       saved=ngettext("{n} person exported to {path}.",
                                      "{n} people exported to {path}.",
                                      len(nips)).format(n=len(nips), path=path))

    def _export_failed(self, err: UserFacingError) -> None:
        self.summary.setText(err.message())
        self.ctx.announcer.say(err.message(), assertive=True)

    # -- online dialogs ------------------------------------------------------------------
    def open_roster(self) -> RosterImportDialog:
        dialog = RosterImportDialog(self.ctx, self, path=self.roster_path)
        dialog.path.textChanged.connect(self._remember_path)
        self._open(dialog)
        return dialog

    def _remember_path(self, text: str) -> None:
        self.roster_path = text

    def open_devices(self) -> DevicesDialog:
        dialog = DevicesDialog(self.ctx, self, unit_id=self.unit.currentData())
        self._open(dialog)
        return dialog

    def _open(self, dialog: RosterImportDialog | DevicesDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog: RosterImportDialog | DevicesDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # -- drafts --------------------------------------------------------------------------
    def drafts(self) -> dict[str, dict[str, Any]]:
        return {self.DRAFT_KEY: {"path": self.roster_path}} if self.roster_path else {}

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        self.roster_path = str((drafts.get(self.DRAFT_KEY) or {}).get("path") or "")
