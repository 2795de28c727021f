"""The devices dialog end to end: the app logged in to a real server on 127.0.0.1 as the HR
officer of a unit opens it from Unit Kerja, sees the devices of the unit's people with
whose each is (not another unit's), switches to its own devices and back without revoking
anything, and revokes a member's device after a confirmation that names the person and
defaults to Cancel; the server then holds it revoked. Then the model's person column."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton
from sqlalchemy import select

from asndesk.i18n import _
from sync.roster_admin import DeviceInfo, ManagedDeviceInfo
from sync.server import accounts
from sync.server.schema import device, hr_assignment, org_unit
from tests.conftest import NIP, PASSWORD
from tests.ui import a11y_checks
from tests.ui.sync_helpers import (
    SYNC_TIMEOUT_MS,
    log_in_through_settings,
    other_device,
    read,
    record_outcomes,
    wait_idle,
)
from ui.devices_dialog import MANAGED, MINE
from ui.models.device_table_model import DeviceRow, DeviceTableModel

ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
HADI = "197001011995031001"   # a member of Siti's unit
RINA = "199305052020122001"   # of another unit


@pytest.fixture(autouse=True)
def _net_lane_closed_before_shutdown(unlocked, qtbot):
    """Close the office-server connection while the network lane still runs (a cancelled
    close at app shutdown reaches the runner's callback as an error; see
    tests/ui/test_roster_import.py)."""
    yield
    unlocked.ctx.close()
    wait_idle(qtbot, unlocked)


def _office(server, tmp_path: Path) -> None:
    """KEC-01 (Siti its HR officer, Hadi a member) and KEC-02 (Rina); Hadi and Rina each
    logged in from a computer of their own."""
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="KEC-01", kode="01", nama="Kec. Sukamaju"))
        conn.execute(org_unit.insert().values(id="KEC-02", kode="02", nama="Kec. Mekarsari"))
        hr = accounts.create_person(conn, server.clock(), nip=NIP, nama="Siti Aminah",
                                    password=PASSWORD, unit_id="KEC-01")
        for nip, nama, unit in ((HADI, "Hadi Prasetyo", "KEC-01"),
                                (RINA, "Rina Wulandari", "KEC-02")):
            accounts.create_person(conn, server.clock(), nip=nip, nama=nama,
                                   password=PASSWORD, unit_id=unit)
        conn.execute(hr_assignment.insert().values(person_id=hr, unit_id="KEC-01"))
    other_device(server, tmp_path / "pc-hadi", HADI, "Hadi Prasetyo")
    other_device(server, tmp_path / "pc-rina", RINA, "Rina Wulandari")


def _revoked(server) -> dict[str, str | None]:
    with server.engine.connect() as conn:
        return {r.name: r.revoked_at for r in conn.execute(select(device))}


def _select(dialog, row: DeviceRow) -> None:
    source = dialog.model.index(dialog.model.rows.index(row), 0)
    dialog.view.setCurrentIndex(dialog.view.model().mapFromSource(source))


def _confirm(qtbot, dialog) -> QMessageBox:
    qtbot.waitUntil(lambda: dialog.confirm_box is not None and dialog.confirm_box.isVisible())
    return dialog.confirm_box


def test_hr_lists_and_revokes_a_unit_members_device(
        unlocked, qtbot, sqlite_server, tmp_path: Path) -> None:
    _office(sqlite_server, tmp_path)
    outcomes = record_outcomes(unlocked)
    log_in_through_settings(qtbot, unlocked, sqlite_server.url)
    outcomes.wait_next(qtbot, 0)    # the first sync stores /me: Siti is HR of KEC-01
    wait_idle(qtbot, unlocked)
    assert "hr" in read(qtbot, unlocked, lambda ws: ws.role_names())
    from ui.pages.unit_page import UnitPage

    page = UnitPage(unlocked.ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, unlocked)
    assert page.unit.currentData() == "KEC-01"
    dialog = page.open_devices()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=SYNC_TIMEOUT_MS)
    # The unit's people, Siti's own computer among them; Rina (KEC-02) is not listed.
    assert dialog.scope.currentData() == MANAGED
    assert "Kec. Sukamaju" in dialog.scope.currentText()
    label = next(lb for lb in dialog.findChildren(QLabel) if lb.buddy() is dialog.scope)
    assert label.text().replace("&", "") in dialog.scope.accessibleName()
    assert not dialog.view.isColumnHidden(DeviceTableModel.PERSON)
    here = next(r for r in dialog.model.rows if r.this_computer)
    hadi = next(r for r in dialog.model.rows if not r.this_computer)
    person = _("{name} (NIP {nip})").format(name="Hadi Prasetyo", nip=HADI)
    assert (hadi.device.name, hadi.person) == ("pc-hadi", person)
    assert here.device.person_nip == NIP
    assert person in dialog.model.index(dialog.model.rows.index(hadi), 0).data(ACCESSIBLE)
    # The catalogue's walk sees only the own-devices view (no roles there): check this one.
    problems = [p for check in a11y_checks.ALL_CHECKS for p in check(dialog)]
    assert problems == []

    # Own devices and back: only this computer, no person column; nothing revoked.
    dialog.scope.setCurrentIndex(dialog.scope.findData(MINE))
    qtbot.waitUntil(lambda: [r.device.name for r in dialog.model.rows] == [here.device.name],
                    timeout=SYNC_TIMEOUT_MS)
    assert dialog.view.isColumnHidden(DeviceTableModel.PERSON)
    assert not isinstance(dialog.model.rows[0].device, ManagedDeviceInfo)
    dialog.scope.setCurrentIndex(dialog.scope.findData(MANAGED))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=SYNC_TIMEOUT_MS)
    assert not any(_revoked(sqlite_server).values())

    hadi = next(r for r in dialog.model.rows if r.device.name == "pc-hadi")
    _select(dialog, hadi)
    dialog.revoke_button.click()
    box = _confirm(qtbot, dialog)
    cancel = box.findChild(QPushButton, "dialog.device_revoke.cancel")
    assert box.defaultButton() is cancel and person in box.text()
    cancel.click()
    qtbot.waitUntil(lambda: dialog.confirm_box is None)
    assert not any(_revoked(sqlite_server).values())

    _select(dialog, hadi)
    dialog.revoke_button.click()
    _confirm(qtbot, dialog).findChild(QPushButton, "dialog.device_revoke.revoke").click()
    qtbot.waitUntil(lambda: any(r.device.revoked_at for r in dialog.model.rows),
                    timeout=SYNC_TIMEOUT_MS)
    on_server = _revoked(sqlite_server)
    assert on_server["pc-hadi"] is not None and on_server["pc-rina"] is None
    assert on_server[here.device.name] is None
    shown = next(r for r in dialog.model.rows if r.device.name == "pc-hadi")
    assert shown.device.revoked_at == on_server["pc-hadi"]
    assert _("Revoked {name} of {person}.").format(name="pc-hadi", person=person) in \
        dialog.status.text()
    dialog.reject()


def test_person_column_names_whose_device_and_reads_first() -> None:
    theirs = ManagedDeviceInfo("d1", "pc-hadi", "2026-11-01T01:00:00+00:00", None, None,
                               person_nip=HADI, person_nama="Hadi Prasetyo", unit_id="KEC-01")
    mine = DeviceInfo("d2", "pc-kantor", "2026-11-01T01:00:00+00:00", None, None)
    model = DeviceTableModel([DeviceRow(theirs), DeviceRow(mine, True)])
    person = _("{name} (NIP {nip})").format(name="Hadi Prasetyo", nip=HADI)
    assert model.index(0, DeviceTableModel.PERSON).data() == person
    assert model.index(0, 0).data(ACCESSIBLE).startswith(person)
    assert model.index(1, DeviceTableModel.PERSON).data() == ""
    assert model.headerData(DeviceTableModel.PERSON,
                            Qt.Orientation.Horizontal) == _("Person")
