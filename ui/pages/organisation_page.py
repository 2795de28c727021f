"""Organisasi (HR officers and admins): the office's periods, service types, holidays and each
unit's capaian kinerja organisasi, changed online on the office server.

Each section is its own panel (`org_*_panel.py`); changes need the office server, and after
each one a sync is requested so the pulled reference data updates on every page.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTabWidget, QWidget

from asndesk.domain.calendar import TAHUN_MAKS, TAHUN_MIN
from asndesk.i18n import _
from ui.forms import plain
from ui.pages.org_capaian_panel import CapaianPanel
from ui.pages.org_holiday_panel import HolidayPanel
from ui.pages.org_online import OnlineSection
from ui.pages.org_period_panel import PeriodPanel
from ui.pages.org_service_type_panel import ServiceTypePanel
from ui.pages.page import Page
from ui.pages.page_widgets import button, status_label


class OrganisationPage(Page):
    page_id = "organisasi"
    required_roles: ClassVar[frozenset[str]] = frozenset({"hr", "admin"})
    # What a sync (after a change here, or anyone's) brings that these sections show.
    kinds: ClassVar[frozenset[str]] = frozenset({"period", "service_type", "holiday",
                                                 "org_unit", "replica_penilaian"})

    def title(self) -> str:
        return _("Organisation")

    def build(self) -> None:
        note = status_label("organisasi.note")
        note.setText(_("Periods, service types and holidays hold for the whole office and "
                       "live on the office server: changing them needs a connection, and "
                       "every device receives them at its next sync."))
        self.root.addWidget(note)
        row = QHBoxLayout()
        label = QLabel(_("&Year"))
        label.setObjectName("organisasi.tahun.label")
        self.tahun = QSpinBox()
        self.tahun.setObjectName("organisasi.tahun")
        self.tahun.setRange(TAHUN_MIN, TAHUN_MAKS)
        self.tahun.setValue(date.today().year)
        self.tahun.setAccessibleName(plain(label.text()))
        self.tahun.setAccessibleDescription(_("The year of the periods, holidays and capaian "
                                              "shown below"))
        label.setBuddy(self.tahun)
        row.addWidget(label)
        row.addWidget(self.tahun)
        row.addWidget(button(_("Refresh from the server"), "organisasi.refresh", self.load))
        row.addStretch(1)
        self.root.addLayout(row)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("organisasi.tabs")
        self.tabs.setAccessibleName(_("Organisation sections"))
        # The tab bar is what takes focus (the widget only forwards it): name it, and keep
        # the container itself out of the Tab order.
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar = self.tabs.tabBar()
        bar.setObjectName("organisasi.tabs.bar")
        bar.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        bar.setAccessibleName(_("Organisation sections"))
        bar.setAccessibleDescription(_("Left and right arrows choose a section"))
        self.periods = PeriodPanel(self.ctx)
        self.service_types = ServiceTypePanel(self.ctx)
        self.holidays = HolidayPanel(self.ctx)
        self.capaian = CapaianPanel(self.ctx)
        for panel, text in ((self.periods, _("Periods")),
                            (self.service_types, _("Service types")),
                            (self.holidays, _("Holidays")),
                            (self.capaian, _("Organisation predicate"))):
            self.tabs.addTab(panel, text)
        self.root.addWidget(self.tabs, 1)
        # The year applies when the person stops on it (editingFinished), not at every
        # arrow step: each change asks the server again.
        self.tahun.editingFinished.connect(self._year_chosen)
        self._shown_year = self.tahun.value()

    def _drafted(self) -> dict[str, OnlineSection]:
        return {"organisasi.period": self.periods, "organisasi.service_type": self.service_types,
                "organisasi.holiday": self.holidays}

    def drafts(self) -> dict[str, dict[str, Any]]:
        """The typing of an open "Add…" dialog (or one restored and not used yet)."""
        return {key: values for key, panel in self._drafted().items()
                if (values := panel.draft_values())}

    def restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        for key, panel in self._drafted().items():
            if drafts.get(key):
                panel.pending_draft = dict(drafts[key])

    def first_focus(self) -> QWidget | None:
        return self.tahun

    def _year_chosen(self) -> None:
        if self.tahun.value() != self._shown_year:
            self.load()

    def load(self) -> None:
        tahun = self._shown_year = self.tahun.value()
        self.periods.load(tahun)
        self.service_types.load()
        self.holidays.load(tahun)
        self.capaian.load(tahun)
