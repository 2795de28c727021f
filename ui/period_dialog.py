"""Adding a period on the office server, or moving an existing one's dates and its input
deadline (batas pengisian). The page sends the values and keeps the dialog open on errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QVBoxLayout, QWidget

from asndesk.domain.calendar import default_calendar
from asndesk.domain.periods import buat_periode
from asndesk.i18n import _
from sync.reference_admin import NOMOR_MAKS
from ui.forms import Form
from ui.models.period_table_model import JENIS_LABELS, PeriodRow, jenis_text
from ui.pages.org_online import ErrorPlace, dialog_foot
from ui.pages.page_widgets import tab_leaves
from ui.qt_dates import to_qdate

_POLA = {"bulanan": "bulanan", "triwulan": "triwulanan", "semester": "semesteran",
         "tahunan": "triwulanan"}  # the annual period comes with every pattern


def suggested(tahun: int, jenis: str, nomor: int) -> dict[str, str] | None:
    """The natural dates of a period and the usual deadline (5 working days after)."""
    for p in buat_periode(tahun, _POLA[jenis], default_calendar()):
        if str(p.jenis) == jenis and p.nomor == nomor:
            return {"mulai": p.mulai.isoformat(), "selesai": p.selesai.isoformat(),
                    "batas_pengisian": p.batas_pengisian.isoformat()}
    return None


class PeriodDialog(QDialog):
    """Emits `submitted(values)`; the page calls `accept()` or shows the error in `place`."""

    submitted = Signal(dict)

    def __init__(self, tahun: int, period: PeriodRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tahun, self.period = tahun, period
        self.setObjectName("dialog.org_period")
        self.setWindowTitle(_("asndesk — add a period for {year}").format(year=tahun)
                            if period is None else
                            _("asndesk — change the dates of {period}").format(
                                period=period.nama))
        self.resize(560, 420)
        column = QVBoxLayout(self)
        intro = QLabel(_("Periods are set for the whole office on the office server; every "
                         "device receives them at its next sync.") if period is None else
                       _("{period} ({kind}). Move its dates or its input deadline.").format(
                           period=period.nama, kind=jenis_text(period.jenis)))
        intro.setObjectName("dialog.org_period.intro")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = Form("org.period.form")
        self.jenis: QComboBox | None = None
        self.nomor: QComboBox | None = None
        if period is None:
            self.jenis = self.form.add_combo(
                "jenis", _("&Kind of period"),
                [(_(label), value) for value, label in JENIS_LABELS.items()],
                description=_("A year has one pattern: monthly, quarterly or semester, plus "
                              "the annual period"))
            self.nomor = self.form.add_combo("nomor", _("&Number"), [])
            self.jenis.currentIndexChanged.connect(self._refill_numbers)
            self.nomor.currentIndexChanged.connect(self._suggest)
        self.mulai = self.form.add_date("mulai", _("&Start date"))
        self.selesai = self.form.add_date("selesai", _("&End date"))
        self.batas = self.form.add_date(
            "batas_pengisian", _("Input &deadline"),
            description=_("Last day to enter realisasi for the period, as day/month/year; "
                          "not before the end date"))
        tab_leaves(self.mulai, self.selesai, self.batas)
        column.addWidget(self.form)
        self.submit, self.cancel, self.message = dialog_foot(
            column, "dialog.org_period", _("Sa&ve on the server"))
        self.place = ErrorPlace(self.message, self.form)
        self.submit.clicked.connect(lambda _checked=False: self.submitted.emit(self.values()))
        self.cancel.clicked.connect(lambda _checked=False: self.reject())
        if period is None:
            self._refill_numbers()
        else:
            self.form.set_values(period.as_dict())

    def _refill_numbers(self) -> None:
        assert self.jenis is not None and self.nomor is not None
        jenis = str(self.jenis.currentData())
        self.nomor.blockSignals(True)
        self.nomor.clear()
        for n in range(1, NOMOR_MAKS[jenis] + 1):
            row = PeriodRow.from_dict({"id": "", "tahun": self.tahun, "jenis": jenis,
                                       "nomor": n, "mulai": f"{self.tahun}-01-01",
                                       "selesai": f"{self.tahun}-01-01",
                                       "batas_pengisian": f"{self.tahun}-01-01"})
            self.nomor.addItem(f"{n} — {row.nama}", n)
        self.nomor.blockSignals(False)
        self._suggest()

    def _suggest(self) -> None:
        """Fill the natural dates of the chosen period (the person can still move them)."""
        assert self.jenis is not None and self.nomor is not None
        dates = suggested(self.tahun, str(self.jenis.currentData()),
                          int(self.nomor.currentData() or 1))
        if dates:
            for key, edit in (("mulai", self.mulai), ("selesai", self.selesai),
                              ("batas_pengisian", self.batas)):
                edit.setDate(to_qdate(date.fromisoformat(dates[key])))

    @property
    def is_new(self) -> bool:
        """Adding (not changing) something."""
        return self.period is None

    @property
    def editing_id(self) -> str | None:
        """The period being changed (None when adding): a draft names it."""
        return None if self.period is None else self.period.id

    def values(self) -> dict[str, Any]:
        v = self.form.values()
        if self.period is not None:
            v.update(jenis=self.period.jenis, nomor=self.period.nomor)
        return {"tahun": self.tahun, **v}

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        (self.jenis or self.mulai).setFocus()
