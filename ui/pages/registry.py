"""The main window's pages in navigation order, each page's fixed shortcut, and which pages
a person's roles let them see."""

from __future__ import annotations

from ui.pages.page import Page


def page_types() -> list[type[Page]]:
    """Imported here, not at module load, so the unlock screen appears before page code."""
    from ui.pages.dashboard_page import DashboardPage  # noqa: PLC0415
    from ui.pages.feedback_page import FeedbackPage  # noqa: PLC0415
    from ui.pages.home_page import HomePage  # noqa: PLC0415
    from ui.pages.log_page import LogPage  # noqa: PLC0415
    from ui.pages.organisation_page import OrganisationPage  # noqa: PLC0415
    from ui.pages.realisasi_page import RealisasiPage  # noqa: PLC0415
    from ui.pages.report_page import ReportPage  # noqa: PLC0415
    from ui.pages.service_page import ServicePage  # noqa: PLC0415
    from ui.pages.settings_page import SettingsPage  # noqa: PLC0415
    from ui.pages.skm_page import SkmPage  # noqa: PLC0415
    from ui.pages.skp_page import SkpPage  # noqa: PLC0415
    from ui.pages.sync_page import SyncPage  # noqa: PLC0415
    from ui.pages.team_page import TeamPage  # noqa: PLC0415
    from ui.pages.training_page import TrainingPage  # noqa: PLC0415
    from ui.pages.unit_page import UnitPage  # noqa: PLC0415

    return [HomePage, SkpPage, LogPage, ServicePage, RealisasiPage, FeedbackPage, TrainingPage,
            SyncPage, ReportPage, DashboardPage, SkmPage, TeamPage, UnitPage, OrganisationPage,
            SettingsPage]  # Pengaturan stays last


def visible_pages(types: list[type[Page]], roles: frozenset[str]) -> list[type[Page]]:
    """The pages for a person with `roles` (a role page needs one of its `required_roles`)."""
    return [t for t in types if not t.required_roles or t.required_roles & roles]


# Fixed per page, whatever the roles: the ten everyday pages keep Ctrl+1 … Ctrl+9, Ctrl+0
# (Pengaturan keeps Ctrl+0 although it is listed last); the others take Alt+1 … (menu
# mnemonics are letters, so Alt+digit is free).
SHORTCUTS = {
    "beranda": "Ctrl+1", "skp": "Ctrl+2", "log_harian": "Ctrl+3", "layanan": "Ctrl+4",
    "realisasi": "Ctrl+5", "umpan_balik": "Ctrl+6", "kompetensi": "Ctrl+7",
    "sinkronisasi": "Ctrl+8", "laporan": "Ctrl+9", "pengaturan": "Ctrl+0",
    "dasbor": "Alt+1", "skm": "Alt+2", "bawahan": "Alt+3", "unit": "Alt+4",
    "organisasi": "Alt+5",
}
