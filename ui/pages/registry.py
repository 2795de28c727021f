"""The main window's pages, in navigation order (Ctrl+1 … Ctrl+9, then Ctrl+0, follow it)."""

from __future__ import annotations

from ui.pages.page import Page


def page_types() -> list[type[Page]]:
    """Imported here, not at module load, so the unlock screen appears before page code."""
    from ui.pages.feedback_page import FeedbackPage  # noqa: PLC0415
    from ui.pages.home_page import HomePage  # noqa: PLC0415
    from ui.pages.log_page import LogPage  # noqa: PLC0415
    from ui.pages.realisasi_page import RealisasiPage  # noqa: PLC0415
    from ui.pages.report_page import ReportPage  # noqa: PLC0415
    from ui.pages.service_page import ServicePage  # noqa: PLC0415
    from ui.pages.settings_page import SettingsPage  # noqa: PLC0415
    from ui.pages.skp_page import SkpPage  # noqa: PLC0415
    from ui.pages.sync_page import SyncPage  # noqa: PLC0415
    from ui.pages.training_page import TrainingPage  # noqa: PLC0415

    return [HomePage, SkpPage, LogPage, ServicePage, RealisasiPage, FeedbackPage, TrainingPage,
            SyncPage, ReportPage, SettingsPage]  # Pengaturan stays last
