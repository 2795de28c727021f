"""The Laporan page's details form: year, period, month, dates, units, paper and format.

Only the rows the chosen document needs are shown. Changing any of them never makes a
report (A-20); the page's buttons do. Field keys are the core's field names, so an error
such as `ValidationError("periode", …)` lands under the right control.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from asndesk.domain.formatting import format_rentang_tanggal
from asndesk.i18n import _, current_locale
from ui.forms import Form, refill_combo
from ui.qt_dates import to_date
from ui.report_jobs import (
    BULAN,
    DARI,
    PERIODE,
    SAMPAI,
    TAHUN,
    UNIT,
    UNIT_LAYANAN,
    Availability,
    Choice,
    ReportRequest,
)

YEARS_BACK, YEARS_AHEAD = 6, 1
FORMAT_NAMES = {"pdf": "PDF", "csv": "CSV", "xlsx": "XLSX (Excel)", "json": "JSON"}


class ReportParams(Form):
    """A `Form` whose visible rows follow the chosen document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("report.form", parent)
        today = date.today()
        self.unit = self.add_combo(UNIT, _("Unit you manage"), [],
                                   description=_("The unit of the office report"))
        self.unit_layanan = self.add_combo(UNIT_LAYANAN, _("Service unit"), [],
                                           description=_("The unit the survey answers are of"))
        years = range(today.year + YEARS_AHEAD, today.year - YEARS_BACK - 1, -1)
        self.tahun = self.add_combo(TAHUN, _("Year"), [(str(y), y) for y in years])
        self.tahun.setCurrentIndex(self.tahun.findData(today.year))
        self.periode = self.add_combo(PERIODE, _("Period"), [],
                                      description=_("Periods of the chosen year"))
        locale = current_locale()
        self.bulan = self.add_combo(BULAN, _("Month"), [
            (format_date(date(2000, m, 1), "LLLL", locale=locale), m) for m in range(1, 13)])
        self.bulan.setCurrentIndex(today.month - 1)
        self.dari = self.add_date(DARI, _("From date"))
        self.dari.setDate(QDate(today.year, today.month, 1))
        self.sampai = self.add_date(SAMPAI, _("To date"))
        self.kertas = self.add_combo("kertas", _("Paper size"), [
            (_("A4 (210 × 297 mm)"), "A4"), (_("F4 / folio (215 × 330 mm)"), "F4")])
        self.format = self.add_combo("format", _("File format"), [])
        self._choice: Choice | None = None

    # -- following the chosen document ---------------------------------------------------
    def show_for(self, choice: Choice) -> None:
        """Show the rows `choice` needs; keep every value typed so far (errors keep choices)."""
        self._choice = choice
        self.clear_errors()
        for key, field in self.fields.items():
            wanted = key in choice.params or (key == "kertas" and "pdf" in choice.formats) or \
                key == "format"
            self.layout_.setRowVisible(field.label, wanted)
        current = self.format.currentData()
        self.format.blockSignals(True)
        self.format.clear()
        for fmt in choice.formats:
            self.format.addItem(FORMAT_NAMES[fmt], fmt)
        self.format.setCurrentIndex(max(0, self.format.findData(current)))
        self.format.blockSignals(False)

    def set_availability(self, found: Availability) -> None:
        refill_combo(self.unit, [(name, uid) for uid, name in found.hr_units])
        refill_combo(self.unit_layanan, [(name, name) for name in found.skm_units])

    def set_periods(self, tahun: int, rows: list[dict[str, Any]]) -> None:
        """The periods of `tahun` (ignored if the year changed again meanwhile)."""
        if self.tahun.currentData() != tahun:
            return
        refill_combo(self.periode, [(period_label(r), r["id"]) for r in rows])
        description = _("Periods of the chosen year") if rows else _(
            "There are no periods for {year} on this device yet; sync, or open the "
            "Realisasi page once to make the default ones.").format(year=tahun)
        self.fields[PERIODE].description = description
        self.periode.setAccessibleDescription(description)

    # -- reading -------------------------------------------------------------------------
    def request(self, locale: str) -> ReportRequest:
        """The chosen document and details, as the lanes take them."""
        assert self._choice is not None
        params = self._choice.params
        fmt = self.format.currentData() or self._choice.formats[0]

        def want(key: str, value: Any) -> Any:
            return value if key in params else None
        return ReportRequest(
            kind=self._choice.kind, fmt=fmt, kertas=self.kertas.currentData(), locale=locale,
            tahun=want(TAHUN, self.tahun.currentData()),
            bulan=want(BULAN, self.bulan.currentData()),
            periode=want(PERIODE, self.periode.currentData()),
            dari=want(DARI, to_date(self.dari.date())),
            sampai=want(SAMPAI, to_date(self.sampai.date())),
            unit_layanan=want(UNIT_LAYANAN, self.unit_layanan.currentData()),
            unit=want(UNIT, self.unit.currentData()))


def period_label(row: dict[str, Any]) -> str:
    """"2026-TW2 (1 April – 30 Juni 2026)"."""
    span = format_rentang_tanggal(date.fromisoformat(row["mulai"]),
                                  date.fromisoformat(row["selesai"]))
    return f"{row['id']} ({span})"
