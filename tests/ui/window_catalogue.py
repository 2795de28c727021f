"""Every window and dialog the app has, opened for the accessibility checks.

`ui_window_classes()` finds each QDialog/QMainWindow subclass defined under `ui/`; the
catalogue must have a factory for every one of them (a new dialog without one fails the
suite), so the checks really walk every window, not a hand-picked few.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

import ui

Factory = Callable[[Any], Iterator[tuple[str, QWidget]]]


def ui_window_classes() -> set[str]:
    """Qualified names of every window/dialog class defined in the ui package."""
    found: set[str] = set()
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        if info.name in ("ui.__main__",):
            continue
        module = importlib.import_module(info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and issubclass(obj, QDialog | QMainWindow):
                found.add(f"{obj.__module__}.{obj.__qualname__}")
    return found


def _picker(app: Any) -> QWidget:
    from ui.profile_picker_dialog import ProfilePickerDialog

    return ProfilePickerDialog(app.manager.list(), app.nip or "")


def _unlock(app: Any) -> QWidget:
    from ui.unlock_dialog import UnlockDialog

    return UnlockDialog("Siti Aminah", app.announcer)


def _idle(app: Any) -> QWidget:
    from ui.auto_lock import IdleWarningDialog

    return IdleWarningDialog(25, app.window)


def _main(app: Any) -> QWidget:
    return app.window


def _conflict(app: Any) -> QWidget:
    from asndesk.conflict_usecases import Conflict, FieldConflict
    from ui.conflict_dialog import ConflictDialog

    # Two clashing fields, so the per-field merge choices are shown and checked too.
    conflict = Conflict(7, "log_harian", "log-1", "2026-11-20T08:00:00+07:00",
                        (FieldConflict("kegiatan", "Rapat desa", "Rapat koordinasi"),
                         FieldConflict("output_jumlah", "1", None)), 3)
    return ConflictDialog(conflict, app.announcer, app.window)


def _server_login(app: Any) -> QWidget:
    from ui.server_login_dialog import ServerLoginDialog

    return ServerLoginDialog(app.runner, app.announcer, app.ctx.workspace_for_lane,
                             nip=app.nip or "", url="https://skp.example.go.id",
                             parent=app.window)


def _reauth(app: Any) -> QWidget:
    from asndesk.offline_policy import OfflineStatus
    from ui.reauth_dialog import ReauthDialog

    return ReauthDialog(app.runner, app.announcer, app.ctx.workspace_for_lane,
                        OfflineStatus(31, 30, True), nip=app.nip or "",
                        url="https://skp.example.go.id", parent=app.window)


def _change_password(app: Any) -> QWidget:
    from ui.change_password_dialog import ChangePasswordDialog

    return ChangePasswordDialog(app.runner, app.announcer, lambda _old, _new: None,
                                "Siti Aminah", app.window)


def _recovery(app: Any) -> QWidget:
    from ui.recovery_dialog import RecoveryDialog

    return RecoveryDialog(app.runner, app.announcer, app.manager, app.nip or "")


def _create_profile(app: Any) -> QWidget:
    from ui.create_profile_dialog import CreateProfileDialog

    return CreateProfileDialog(app.runner, app.announcer, app.manager)


def _skp_submit(app: Any) -> QWidget:
    from ui.models.skp_extras_table_model import ProblemRow
    from ui.skp_submit_dialog import SkpSubmitDialog

    return SkpSubmitDialog("SKP 2026\nA.1 Terlaksananya perekaman KTP-el", [
        ProblemRow("rhk[0].iki[0].target_nilai", "RHK A.1, IKI 1, Target", "Wajib diisi.")],
        app.window)


def _skp_amendment(app: Any) -> QWidget:
    from ui.skp_amendment_dialog import SkpAmendmentDialog

    return SkpAmendmentDialog("SKP 2026", app.window)


def _team_review(app: Any) -> QWidget:
    from tests.ui.team_samples import review_data
    from ui.team_review_dialog import TeamReviewDialog

    return TeamReviewDialog(app.ctx, review_data(), app.window)


def _team_feedback(app: Any) -> QWidget:
    from tests.ui.team_samples import review_data
    from ui.team_feedback_dialog import TeamFeedbackDialog

    return TeamFeedbackDialog(app.ctx, review_data(), app.window)


def _team_rating(app: Any) -> QWidget:
    from tests.ui.team_samples import rating_data
    from ui.team_rating_dialog import TeamRatingDialog

    return TeamRatingDialog(app.ctx, rating_data(), app.window)


def _roster_import(app: Any) -> QWidget:
    from ui.roster_import_dialog import RosterImportDialog

    return RosterImportDialog(app.ctx, app.window, path="/home/siti/roster-kecamatan.csv")


def _devices(app: Any) -> QWidget:
    from ui.devices_dialog import DevicesDialog

    return DevicesDialog(app.ctx, app.window)


def _org_period(app: Any) -> QWidget:
    from ui.period_dialog import PeriodDialog

    return PeriodDialog(2026, None, app.window)  # a new period: every field shown


def _org_service_type(app: Any) -> QWidget:
    from ui.service_type_dialog import ServiceTypeDialog

    return ServiceTypeDialog(None, app.window)


def _org_holiday(app: Any) -> QWidget:
    from ui.holiday_dialog import HolidayDialog

    return HolidayDialog(2026, app.window)


# class qualname -> a function that opens one instance (given the unlocked DesktopApp).
FACTORIES: dict[str, Callable[[Any], QWidget]] = {
    "ui.profile_picker_dialog.ProfilePickerDialog": _picker,
    "ui.unlock_dialog.UnlockDialog": _unlock,
    "ui.auto_lock.IdleWarningDialog": _idle,
    "ui.main_window.MainWindow": _main,
    "ui.skp_submit_dialog.SkpSubmitDialog": _skp_submit,
    "ui.skp_amendment_dialog.SkpAmendmentDialog": _skp_amendment,
    "ui.conflict_dialog.ConflictDialog": _conflict,
    "ui.server_login_dialog.ServerLoginDialog": _server_login,
    "ui.reauth_dialog.ReauthDialog": _reauth,
    "ui.change_password_dialog.ChangePasswordDialog": _change_password,
    "ui.recovery_dialog.RecoveryDialog": _recovery,
    "ui.create_profile_dialog.CreateProfileDialog": _create_profile,
    "ui.team_review_dialog.TeamReviewDialog": _team_review,
    "ui.team_feedback_dialog.TeamFeedbackDialog": _team_feedback,
    "ui.team_rating_dialog.TeamRatingDialog": _team_rating,
    "ui.roster_import_dialog.RosterImportDialog": _roster_import,
    "ui.devices_dialog.DevicesDialog": _devices,
    "ui.period_dialog.PeriodDialog": _org_period,
    "ui.service_type_dialog.ServiceTypeDialog": _org_service_type,
    "ui.holiday_dialog.HolidayDialog": _org_holiday,
}


def screens(app: Any, qtbot: Any) -> Iterator[tuple[str, QWidget]]:
    """Every page of the main window (the role pages too), then every dialog, each shown
    and settled."""
    app.set_roles(frozenset({"supervisor", "hr", "admin"}))
    qtbot.waitUntil(lambda: app.runner.pending == 0, timeout=10_000)
    window = app.window
    for index, page in enumerate(window.pages):
        window.show_page(index)
        qtbot.waitUntil(lambda: app.runner.pending == 0, timeout=10_000)
        yield f"page {page.page_id}", window
    for name, factory in FACTORIES.items():
        if name == "ui.main_window.MainWindow":
            continue
        dialog = factory(app)
        dialog.show()
        qtbot.waitExposed(dialog)
        try:
            yield name.rsplit(".", 1)[-1], dialog
        finally:
            dialog.close()
            dialog.deleteLater()
