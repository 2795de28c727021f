"""First run through the create-profile dialog, password errors on their fields, recovery.

Every dialog runs inside the real `DesktopApp` (DB lane, Argon2id at the policy floor).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QFileDialog

from asndesk.errors import WeakPassword, WrongPassword
from asndesk.i18n import _
from asndesk.store.profiles import MIN_PASSWORD_LENGTH, check_password_policy
from asndesk.workspace import Workspace
from tests.conftest import NIP, PASSWORD
from tests.ui.a11y_checks import ALL_CHECKS
from tests.ui.conftest import wait_idle
from ui import create_profile_dialog as cpd
from ui.password_strength import estimate

KEY_RE = re.compile(r"^[A-Z2-7]{4}(?:-[A-Z2-7]{4}){7}$", re.MULTILINE)
NEW_PASSWORD = "sandi baru yang panjang"


def _focused(qtbot, widget) -> None:
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)


def _a11y(window) -> list[str]:
    """The shared U checks. Qt 6.12's combo box reports its current item as the accessible
    name even when one is set (and buddied), so A-04 is not asked of combos here; A-02 is."""
    combos = {c.objectName() for c in window.findChildren(QComboBox)}
    return [p for check in ALL_CHECKS for p in check(window)
            if not (p.endswith("(A-04)") and p.split(":")[0] in combos)]


def _fill_identity(dialog, nip: str = NIP, nama: str = "Siti Aminah") -> None:
    dialog.nip.setText(nip)
    dialog.nama.setText(nama)
    dialog.next_button.click()


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    """Typing starts the app's 3 s draft timer; it must not fire after the runner is shut."""
    yield
    desktop._draft_timer.stop()


@pytest.fixture
def create_dialog(qtbot, desktop):
    desktop.start()  # no profile yet: the create dialog is the first window
    dialog = desktop.dialog
    assert isinstance(dialog, cpd.CreateProfileDialog)
    qtbot.waitExposed(dialog)
    return dialog


# -- the strength meter agrees with the core ------------------------------------------------
@pytest.mark.parametrize("password", ["", "a", "abcdefg", "abcdefgh", "        ",
                                      "kata sandi", "aaaaaaaaaaaaaaaaaaaa", "Ab1!Ab1!Ab1!x"])
def test_strength_acceptance_is_the_core_policy(password: str) -> None:
    try:
        check_password_policy(password)
        accepted = True
    except WeakPassword:
        accepted = False
    found = estimate(password)
    assert found.acceptable is accepted
    assert (found.score >= 2) is accepted
    if not accepted and password:
        assert found.missing == MIN_PASSWORD_LENGTH - len(password)


# -- the whole first run --------------------------------------------------------------------
def test_create_profile_through_the_dialog(qtbot, desktop, create_dialog, manager, tmp_path,
                                           monkeypatch, caplog) -> None:
    dialog = create_dialog
    assert dialog.windowTitle() == _("asndesk — new profile")
    assert _a11y(dialog) == []
    _fill_identity(dialog)
    assert dialog.step == cpd.STEP_PASSWORD
    dialog.passwords.password.setText(PASSWORD)
    bar = dialog.passwords.strength
    assert bar.accessibleName() == _("Password strength")
    assert bar.value() == estimate(PASSWORD).score and bar.value() >= 2
    assert estimate(PASSWORD).label in bar.accessibleDescription()
    dialog.passwords.repeat.setText(PASSWORD)
    assert _a11y(dialog) == []
    dialog.create_button.click()
    wait_idle(qtbot, desktop)
    assert dialog.step == cpd.STEP_RECOVERY
    key = dialog.key_view.text()
    assert KEY_RE.fullmatch(key)
    assert dialog.key_view.isReadOnly()
    assert QApplication.clipboard().text() != key  # never copied for the person
    assert _a11y(dialog) == []

    # "Simpan ke berkas": written only where the person chose.
    chosen = tmp_path / "chosen" / "kunci.txt"
    chosen.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(chosen), "")))
    dialog.save_button.click()
    wait_idle(qtbot, desktop)
    saved = KEY_RE.findall(chosen.read_text(encoding="utf-8"))
    assert saved == [key]
    assert sorted(p.name for p in chosen.parent.iterdir()) == ["kunci.txt"]

    # "Cetak": the print dialog is accepted with a PDF printer into tmp_path.
    pdf = tmp_path / "printed.pdf"

    class FakePrintDialog:
        def __init__(self, printer: QPrinter, parent=None) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(pdf))

        def setWindowTitle(self, title: str) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(cpd, "QPrintDialog", FakePrintDialog)
    dialog.print_button.click()
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 500

    # The key is required to be confirmed before going on.
    assert not dialog.continue_button.isEnabled()
    dialog.reject()  # Esc at this step does not lose the key
    assert dialog.step == cpd.STEP_RECOVERY and dialog.isVisible()
    dialog.confirm.setChecked(True)
    dialog.continue_button.click()
    assert dialog.step == cpd.STEP_SERVER
    assert dialog.key_view.text() == ""  # shown once
    wait_idle(qtbot, desktop)
    assert dialog.server.nip.text() == NIP
    assert _a11y(dialog) == []
    dialog.offline_button.click()
    qtbot.waitUntil(lambda: desktop.window is not None, timeout=10_000)
    wait_idle(qtbot, desktop)
    assert desktop.nip == NIP

    # The key is nowhere in the profile folder, the settings or the log.
    for path in Path(desktop.home).rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
    assert key not in caplog.text

    # The profile exists and unlocks with that password; the saved key recovers it.
    desktop.lock()
    wait_idle(qtbot, desktop)
    manager.unlock(NIP, PASSWORD).wipe()
    manager.unlock_with_recovery(NIP, saved[0], NEW_PASSWORD).wipe()
    manager.unlock(NIP, NEW_PASSWORD).wipe()


def test_weak_password_keeps_typing_and_focuses_the_field(qtbot, desktop, create_dialog,
                                                          manager) -> None:
    dialog = create_dialog
    _fill_identity(dialog)
    dialog.passwords.password.setText("pendek")
    dialog.passwords.repeat.setText("pendek")
    dialog.create_button.click()
    wait_idle(qtbot, desktop)
    expected = WeakPassword(MIN_PASSWORD_LENGTH).message()
    field = dialog.passwords.password
    assert dialog.step == cpd.STEP_PASSWORD
    assert field.text() == "pendek" and dialog.passwords.repeat.text() == "pendek"
    assert field.accessibleDescription() == expected
    assert dialog.password_form.fields["password"].error.text() == expected
    _focused(qtbot, field)
    text, assertive = desktop.announcer.history[-1]
    assert assertive and expected in text
    assert manager.list() == []


def test_mismatched_passwords_keep_typing_and_focus_the_repeat(qtbot, desktop, create_dialog,
                                                               manager) -> None:
    dialog = create_dialog
    _fill_identity(dialog)
    dialog.passwords.password.setText(PASSWORD)
    dialog.passwords.repeat.setText(PASSWORD + "x")
    dialog.create_button.click()
    wait_idle(qtbot, desktop)
    repeat = dialog.passwords.repeat
    expected = _("The two passwords are not the same.")
    assert repeat.text() == PASSWORD + "x" and dialog.passwords.password.text() == PASSWORD
    assert repeat.accessibleDescription() == expected
    assert dialog.passwords.password.accessibleDescription() != expected
    _focused(qtbot, repeat)
    assert desktop.announcer.history[-1][1] is True
    assert manager.list() == []


def test_bad_nip_stays_on_step_one_with_the_error_on_the_field(qtbot, create_dialog) -> None:
    dialog = create_dialog
    _fill_identity(dialog, nip="1986 0926")
    assert dialog.step == cpd.STEP_IDENTITY
    assert dialog.nip.text() == "1986 0926"
    assert "18" in dialog.nip.accessibleDescription()
    _focused(qtbot, dialog.nip)


def test_existing_profile_error_lands_on_the_nip(qtbot, desktop, manager) -> None:
    ws, _key = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    ws.lock()
    dialog = cpd.CreateProfileDialog(desktop.runner, desktop.announcer, manager)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill_identity(dialog, nama="Orang Lain")
    dialog.passwords.password.setText(NEW_PASSWORD)
    dialog.passwords.repeat.setText(NEW_PASSWORD)
    dialog.create_button.click()
    wait_idle(qtbot, desktop)
    assert dialog.step == cpd.STEP_IDENTITY
    assert NIP in dialog.nip.accessibleDescription()
    _focused(qtbot, dialog.nip)
    manager.unlock(NIP, PASSWORD).wipe()  # the existing profile is untouched


def test_office_file_is_read_and_checked(home: Path) -> None:
    from asndesk.office_file import OfficeConfigError, load_office_config

    home.mkdir(parents=True, exist_ok=True)
    path = home / "office.json"
    path.write_text(json.dumps({"server_url": "https://skp.kantor.go.id/",
                                "office_name": "BKPSDM Kota Contoh", "office_code": "3271"}))
    config = load_office_config(home)
    assert config is not None
    assert (config.server_url, config.office_name) == ("https://skp.kantor.go.id",
                                                       "BKPSDM Kota Contoh")
    path.write_text(json.dumps({"server_url": "http://skp.kantor.go.id"}))
    with pytest.raises(OfficeConfigError, match="https://"):
        load_office_config(home)
    path.write_text("{ not json")
    with pytest.raises(OfficeConfigError, match="JSON"):
        load_office_config(home)


def test_first_run_connects_to_the_office_server(qtbot, desktop, create_dialog, home,
                                                 sqlite_server) -> None:
    from sync.server import accounts

    with sqlite_server.engine.begin() as conn:
        accounts.create_person(conn, sqlite_server.clock(), nip=NIP, nama="Siti Aminah",
                               password="sandi server")
    home.mkdir(parents=True, exist_ok=True)
    (home / "office.json").write_text(json.dumps({"server_url": sqlite_server.url,
                                                  "office_name": "Kantor Uji"}))
    dialog = create_dialog
    _fill_identity(dialog)
    dialog.passwords.password.setText(PASSWORD)
    dialog.passwords.repeat.setText(PASSWORD)
    dialog.create_button.click()
    wait_idle(qtbot, desktop)
    dialog.confirm.setChecked(True)
    dialog.continue_button.click()
    assert dialog.server.url.text() == sqlite_server.url.rstrip("/")  # from office.json
    assert "Kantor Uji" in dialog.server.office.text()
    dialog.server.password.setText("salah")
    dialog.connect_button.click()
    wait_idle(qtbot, desktop)
    assert desktop.window is None
    assert dialog.server.password.accessibleDescription() == _("The NIP or password is wrong.")
    assert dialog.server.password.text() == "salah"
    dialog.server.password.setText("sandi server")
    dialog.connect_button.click()
    qtbot.waitUntil(lambda: desktop.window is not None, timeout=10_000)
    wait_idle(qtbot, desktop)
    assert desktop.ctx is not None
    url = []
    desktop.ctx.read(lambda ws: ws.sync_setting("url"), url.append)
    wait_idle(qtbot, desktop)
    assert url == [sqlite_server.url.rstrip("/")]


# -- forgotten password ---------------------------------------------------------------------
def test_recovery_sets_a_new_password_and_opens(qtbot, desktop, manager) -> None:
    from ui.recovery_dialog import RecoveryDialog

    ws, key = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    ws.lock()
    desktop.start()
    desktop.dialog.recover_button.click()
    dialog = desktop.dialog
    assert isinstance(dialog, RecoveryDialog)
    qtbot.waitExposed(dialog)
    assert _a11y(dialog) == []
    wrong = "AAAA-" * 7 + "AAAA"
    dialog.key.setText(wrong)
    dialog.passwords.password.setText(NEW_PASSWORD)
    dialog.passwords.repeat.setText(NEW_PASSWORD)
    dialog.submit_button.click()
    wait_idle(qtbot, desktop)
    assert desktop.window is None
    assert dialog.key.accessibleDescription() == _("The recovery key is wrong.")
    assert dialog.passwords.password.text() == NEW_PASSWORD
    _focused(qtbot, dialog.key)
    dialog.key.setText(key.lower().replace("-", " "))  # as typed from paper
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: desktop.window is not None, timeout=10_000)
    wait_idle(qtbot, desktop)
    assert desktop.nip == NIP
    with pytest.raises(WrongPassword):
        manager.unlock(NIP, PASSWORD)
    manager.unlock(NIP, NEW_PASSWORD).wipe()


def test_recovery_cancel_returns_to_unlock(qtbot, desktop, manager) -> None:
    ws, _key = Workspace.create_profile(NIP, "Siti Aminah", PASSWORD, manager=manager)
    ws.lock()
    desktop.start()
    desktop.dialog.recover_button.click()
    desktop.dialog.cancel_button.click()
    assert desktop.dialog.objectName() == "dialog.unlock"
