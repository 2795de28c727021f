"""Organisasi › Predikat Organisasi: per HR unit and year, the capaian kinerja organisasi set
on the office server, and under it the unit's predikat distribution — from the ratings synced
to this device — against the SE 3/2023 guidance (warnings only, never blocking)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from asndesk.domain.ratings import CapaianOrganisasi
from asndesk.i18n import _, ngettext
from sync import reference_admin as ra
from ui.context import AppContext
from ui.forms import Form, refill_combo
from ui.models.distribution_table_model import DistributionTableModel, distribution_rows
from ui.models.period_table_model import PeriodRow, name_of_id
from ui.pages.org_online import ErrorPlace, OnlineSection
from ui.pages.page_widgets import button, heading, make_table, status_label


class CapaianPanel(OnlineSection):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "org.capaian", parent)
        self.tahun = 0
        self._asked = 0
        # Values set on the server that this device's next sync has yet to bring: judged
        # against at once, so the distribution below follows what HR just chose.
        self.just_set: dict[tuple[str, int], str] = {}
        self.found: dict[str, Any] | None = None
        note = QLabel(_("The pimpinan's capaian kinerja organisasi guides how the unit's "
                        "predikat may spread (SE MenPANRB 3/2023). Departures are warnings; "
                        "they never block a rating."))
        note.setObjectName("org.capaian.note")
        note.setWordWrap(True)
        self.column.addWidget(note)
        self.form = Form("org.capaian")
        self.unit = self.form.add_combo("unit", _("&Unit"), [])
        self.capaian = self.form.add_combo(
            "capaian", _("&Capaian kinerja organisasi"),
            [(_("(not set)"), "")] + [(c.value, c.value) for c in CapaianOrganisasi],
            description=_("For the year chosen above"))
        self.column.addWidget(self.form)
        self.place = ErrorPlace(self.status, self.form)
        self.column.addWidget(self.status)
        row = QHBoxLayout()
        self.save_button = button(_("Save the capaian on the server"), "org.capaian.save",
                                  self.save)
        row.addWidget(self.save_button)
        row.addStretch(1)
        self.column.addLayout(row)
        self.busy_buttons = [self.save_button]
        self._build_distribution()
        self.unit.currentIndexChanged.connect(lambda _i: self.load_unit())

    def _build_distribution(self) -> None:
        self.column.addWidget(heading(_("Predikat distribution of the unit"),
                                      "org.capaian.distribution.heading"))
        self.period_form = Form("org.capaian.period")
        self.period = self.period_form.add_combo(
            "period_id", _("&Rated period"), [],
            description=_("Periods of the year with ratings synced to this device"))
        self.period.currentIndexChanged.connect(lambda _i: self.load_unit(keep_period=True))
        self.column.addWidget(self.period_form)
        self.summary = status_label("org.capaian.summary")
        self.column.addWidget(self.summary)
        self.model = DistributionTableModel(parent=self)
        self.table = make_table("org.capaian.table", _("Predikat distribution of the unit"),
                                self.model)
        self.table.setMinimumHeight(200)
        self.table.horizontalHeader().resizeSection(0, 180)
        self.table.horizontalHeader().resizeSection(3, 260)
        self.column.addWidget(self.table)
        self.warnings = status_label("org.capaian.warnings")
        self.column.addWidget(self.warnings)
        self.column.addStretch(1)

    # -- loading (all from this device: the last sync's /me and unit partitions) ---------
    def load(self, tahun: int) -> None:
        self.tahun = tahun
        self.ctx.read(lambda ws: ws.capaian_units(), self._show_units)

    def _show_units(self, units: list[dict[str, Any]]) -> None:
        refill_combo(self.unit, [(u["nama"], u["id"]) for u in units])
        for w in (self.unit, self.capaian, self.save_button, self.period):
            w.setEnabled(bool(units))
        if not units:
            self.model.set_rows([])
            self.summary.setText(_("This profile manages no unit as HR officer (as of the "
                                   "last sync), so there is no distribution to show."))
            self.warnings.clear()
            return
        self.load_unit()

    def load_unit(self, keep_period: bool = False) -> None:
        unit_id, tahun = self.unit.currentData(), self.tahun
        if not unit_id:
            return
        period_id = self.period.currentData() if keep_period else None
        override = self.just_set.get((unit_id, tahun))
        self._asked += 1
        asked = self._asked

        def query(ws: Any) -> tuple[str | None, dict[str, Any], list[dict[str, Any]]]:
            return (ws.capaian_organisasi(tahun, unit_id),
                    ws.unit_distribution(unit_id, tahun, period_id, capaian=override),
                    ws.periods(tahun))
        self.ctx.read(query, lambda found: self._show(asked, *found))

    def _show(self, asked: int, stored: str | None, found: dict[str, Any],
              periods: list[dict[str, Any]]) -> None:
        if asked != self._asked:
            return  # the unit, year or period changed meanwhile
        key = (found["unit_id"], found["tahun"])
        if key in self.just_set and (stored or "") == self.just_set[key]:
            del self.just_set[key]  # the sync brought it: the device agrees now
        self.found = found
        self.capaian.blockSignals(True)
        index = self.capaian.findData(found["capaian"] or "")
        self.capaian.setCurrentIndex(max(index, 0))
        self.capaian.blockSignals(False)
        names = {p: name_of_id(p) for p in found["periods"]}
        names.update({p["id"]: PeriodRow.from_dict(p).nama for p in periods})
        refill_combo(self.period, [(names.get(p, p), p) for p in found["periods"]])
        self.period.blockSignals(True)
        self.period.setCurrentIndex(max(self.period.findData(found["period_id"]), 0))
        self.period.blockSignals(False)
        self.model.set_rows(distribution_rows(found))
        self.summary.setText(self.summary_text(found, names))
        warnings = [w.message() for w in found["warnings"]]
        self.warnings.setText("\n".join(f"• {w}" for w in warnings) if warnings else (
            _("The distribution is within the guidance.") if found["capaian"] and
            found["total"] else ""))
        self.warnings.setProperty("role", "warning" if warnings else None)

    @staticmethod
    def summary_text(found: dict[str, Any], names: dict[str, str]) -> str:
        members = len(found["members"])
        if not found["records"]:
            text = _("{unit}: its employees' records reach only the unit's HR officers, so "
                     "the distribution is shown to them; the capaian can be set here.").format(
                unit=found["unit_nama"])
        elif found["period_id"] is None:
            text = _("{unit}: no ratings of {year} synced to this device yet.").format(
                unit=found["unit_nama"], year=found["tahun"])
        else:
            text = ngettext("{unit}, {period}: {rated} of {n} employee rated.",
                            "{unit}, {period}: {rated} of {n} employees rated.", members
                            ).format(unit=found["unit_nama"], rated=found["total"], n=members,
                                     period=names.get(found["period_id"], found["period_id"]))
        if found["capaian"]:
            count = len(found["warnings"])
            text += " " + ngettext(
                "Against capaian kinerja organisasi {capaian}: {n} warning.",
                "Against capaian kinerja organisasi {capaian}: {n} warnings.", count).format(
                    capaian=found["capaian"], n=count)
        else:
            text += " " + _("No capaian kinerja organisasi is set for {year}, so there is no "
                            "guidance to compare with.").format(year=found["tahun"])
        return text

    # -- the one change: the capaian, on the server -----------------------------------------
    def save(self) -> None:
        unit_id, tahun = self.unit.currentData(), self.tahun
        value = self.capaian.currentData() or None
        if not unit_id:
            return

        def done(_result: Any) -> None:
            self.just_set[(unit_id, tahun)] = value or ""
            self.load_unit(keep_period=True)
        self.run(lambda c: ra.set_unit_capaian(c, unit_id, tahun, value), done,
                 progress=_("Saving the capaian on the office server…"))
