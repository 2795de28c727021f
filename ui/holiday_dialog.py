"""Adding one holiday (libur nasional or cuti bersama) to the office server's calendar, e.g. a
cuti bersama announced late; the year's other days stay as they are."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from asndesk.i18n import _
from sync.reference_admin import JENIS_LIBUR
from ui.forms import Form
from ui.models.holiday_table_model import jenis_libur_text
from ui.pages.org_online import ErrorPlace, dialog_foot
from ui.pages.page_widgets import tab_leaves
from ui.qt_dates import to_qdate


class HolidayDialog(QDialog):
    """Emits `submitted(values)`; the page calls `accept()` or shows the error in `place`."""

    submitted = Signal(dict)

    def __init__(self, tahun: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.org_holiday")
        self.setWindowTitle(_("asndesk — add a holiday in {year}").format(year=tahun))
        self.resize(560, 340)
        column = QVBoxLayout(self)
        intro = QLabel(_("The day stops counting as a working day on every device after its "
                         "next sync (service times and input deadlines)."))
        intro.setObjectName("dialog.org_holiday.intro")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = Form("org.holiday.form")
        self.tanggal = self.form.add_date("tanggal", _("&Date"))
        today = date.today()
        self.tanggal.setDate(to_qdate(today if today.year == tahun else date(tahun, 1, 1)))
        tab_leaves(self.tanggal)
        self.nama = self.form.add_line("nama", _("&Name"), max_length=200,
                                       description=_("e.g. Cuti bersama Idulfitri"))
        self.jenis = self.form.add_combo("jenis", _("&Kind"),
                                         [(jenis_libur_text(j), j) for j in JENIS_LIBUR])
        column.addWidget(self.form)
        self.submit, self.cancel, self.message = dialog_foot(
            column, "dialog.org_holiday", _("Sa&ve on the server"))
        self.place = ErrorPlace(self.message, self.form)
        self.submit.clicked.connect(lambda _checked=False: self.submitted.emit(self.values()))
        self.cancel.clicked.connect(lambda _checked=False: self.reject())

    @property
    def is_new(self) -> bool:
        """Adding (a holiday is never changed in place, only removed and added)."""
        return True

    @property
    def editing_id(self) -> str | None:
        return None

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.tanggal.setFocus()
