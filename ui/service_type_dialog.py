"""Adding a service type (jenis layanan) on the office server, or renaming one and changing
its standard time in working days; the code of an existing type never changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from asndesk.i18n import _
from sync.reference_admin import MAKS_KODE, MAKS_NAMA, MAKS_STANDAR
from ui.forms import Form
from ui.models.service_type_table_model import ServiceTypeRow
from ui.pages.org_online import ErrorPlace, dialog_foot


class ServiceTypeDialog(QDialog):
    """Emits `submitted(values)`; the page calls `accept()` or shows the error in `place`."""

    submitted = Signal(dict)

    def __init__(self, item: ServiceTypeRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("dialog.org_service_type")
        self.setWindowTitle(_("asndesk — add a service type") if item is None else
                            _("asndesk — change the service type {code}").format(code=item.kode))
        self.resize(560, 360)
        column = QVBoxLayout(self)
        intro = QLabel(_("Service types and their standard times hold for the whole office; "
                         "every device receives them at its next sync.") if item is None else
                       _("Code {code}. The code stays; the name and the standard time may "
                         "change.").format(code=item.kode))
        intro.setObjectName("dialog.org_service_type.intro")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = Form("org.service_type.form")
        self.kode = None
        if item is None:
            self.kode = self.form.add_line(
                "kode", _("&Code"), max_length=MAKS_KODE,
                description=_("Short and unique, e.g. KTP; it cannot be changed later"))
        self.nama = self.form.add_line("nama", _("&Name"), max_length=MAKS_NAMA)
        self.standar = self.form.add_spin(
            "standar_hari_kerja", _("S&tandard time"), unit=_("working days"),
            maximum=MAKS_STANDAR,
            description=_("Service time promised to the public, counted in working days "
                          "(Monday to Friday without holidays)"))
        column.addWidget(self.form)
        self.submit, self.cancel, self.message = dialog_foot(
            column, "dialog.org_service_type", _("Sa&ve on the server"))
        self.place = ErrorPlace(self.message, self.form)
        self.submit.clicked.connect(lambda _checked=False: self.submitted.emit(self.values()))
        self.cancel.clicked.connect(lambda _checked=False: self.reject())
        if item is not None:
            self.form.set_values(item.as_dict())

    @property
    def is_new(self) -> bool:
        """Adding (not changing) something."""
        return self.item is None

    @property
    def editing_id(self) -> str | None:
        """The service type being changed (None when adding): a draft names it."""
        return None if self.item is None else self.item.id

    def values(self) -> dict[str, Any]:
        v = self.form.values()
        if self.item is not None:
            v["kode"] = self.item.kode
        return v

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        (self.kode or self.nama).setFocus()
