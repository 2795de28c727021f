"""The saved SKM forms list by keyboard: a mistyped form (not only the last) is corrected in
the entry form and the IKM follows `hitung_ikm`; Escape cancels a correction; delete asks
first with Cancel as the default."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget

from asndesk.domain.formatting import format_tanggal
from asndesk.domain.ikm import SkmResponse, hitung_ikm
from asndesk.i18n import _
from tests.ui.conftest import wait_idle
from tests.ui.keyboard import focused, open_page, read, tab_to
from ui.models.rows_table_model import ROW_ROLE, SORT_ROLE
from ui.models.skm_form_table_model import SkmFormRow, SkmFormTableModel, form_rows
from ui.models.skm_table_model import ikm_text

UNIT = "Loket Dukcapil Sukamaju"
FORMS = ("342334443", "444444444", "212321232")
YEAR = date.today().year


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    """Typing starts the app's draft timer; it must not fire after the runner is shut."""
    yield
    desktop._draft_timer.stop()


def press(key: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    target = focused()
    assert target is not None
    QTest.keyClick(target, key, modifier)


def stored(qtbot, desktop) -> list[str]:
    """The unit's forms this year as digit strings ("-" for a blank element)."""
    found = read(qtbot, desktop, lambda ws: ws.skm_responses(UNIT, f"{YEAR}-01-01",
                                                            f"{YEAR}-12-31"))
    return ["".join(str(r[f"u{k}"] or "-") for k in range(1, 10)) for r in found]


def expected_ikm(forms: list[str]):
    return hitung_ikm(SkmResponse({f"U{i}": None if d == "-" else int(d)
                                   for i, d in enumerate(f, start=1)}) for f in forms)


@pytest.fixture
def listed(qtbot, unlocked):
    """Three forms typed in, then the IKM of the unit shown: the list has them."""
    page = open_page(qtbot, unlocked, "skm")
    QTest.keyClicks(page.entry.unit, UNIT)
    tab_to(page.answers[0])
    for digits in FORMS:
        for digit in digits:
            press(digit)
        press(Qt.Key.Key_Return)
        wait_idle(qtbot, unlocked)
    show = page.findChild(QWidget, "skm.ikm.show")
    tab_to(show)
    QTest.keyClick(show, Qt.Key.Key_Space)
    wait_idle(qtbot, unlocked)
    assert page.forms.model.rowCount() == len(FORMS)
    return page


def choose(qtbot, page, row: int) -> None:
    """Tab to the list and arrow down to `row`."""
    view = page.forms.view
    tab_to(view)
    QTest.keyClick(view, Qt.Key.Key_Home)
    for _n in range(row):
        QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == row


def test_model_reads_each_form_in_words_without_widgets() -> None:
    found = [
        {"id": "a", "tanggal": "2026-03-02", "jenis_kode": "KTP", "jenis_nama": "Cetak KTP",
         "u1": 3, "u2": 4, "u3": 3, "u4": 3, "u5": 4, "u6": None, "u7": 3, "u8": 2, "u9": 4,
         "saran": "Antrian lebih cepat", "milik_sendiri": 1},
        {"id": "b", "tanggal": "2026-01-15", "service_type_id": None, "u1": 1, "u2": 1,
         "u3": 1, "u4": 1, "u5": 1, "u6": 1, "u7": 1, "u8": 1, "u9": 1, "saran": None,
         "milik_sendiri": 0, "owner_nip": "198001012005011001"},
    ]
    model = SkmFormTableModel()
    model.set_rows(form_rows(found))
    assert model.rowCount() == 2 and model.columnCount() == 5
    assert model.index(0, SkmFormTableModel.JAWABAN).data() == "3 4 3 3 4 - 3 2 4"
    assert model.index(0, SkmFormTableModel.JENIS).data() == "KTP — Cetak KTP"
    assert model.index(0, SkmFormTableModel.SARAN).data() == "Antrian lebih cepat"
    assert model.index(0, SkmFormTableModel.TANGGAL).data() == format_tanggal(date(2026, 3, 2))
    words = model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert format_tanggal(date(2026, 3, 2)) in words and "U1 3" in words
    assert _("{code} not answered").format(code="U6") in words
    assert "Antrian lebih cepat" in words
    spoken = model.index(0, SkmFormTableModel.JAWABAN).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("U1 3, U2 4")
    other = model.index(1, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert _("Typed in by another officer; read-only here.") in other
    assert model.index(1, SkmFormTableModel.JENIS).data(
        Qt.ItemDataRole.AccessibleTextRole) == _("not specified")
    assert "198001012005011001" in model.index(1, SkmFormTableModel.PENGISI).data()
    assert model.index(1, SkmFormTableModel.SARAN).data(
        Qt.ItemDataRole.AccessibleTextRole) == _("none")
    row = model.index(1, 3).data(ROW_ROLE)
    assert isinstance(row, SkmFormRow) and row.id == "b" and not row.milik_sendiri
    assert model.index(1, 0).data(SORT_ROLE) < model.index(0, 0).data(SORT_ROLE)


def test_a_form_is_corrected_by_keyboard_and_the_ikm_follows(qtbot, unlocked, listed
                                                             ) -> None:
    page = listed
    before = page.ikm_label.text()
    choose(qtbot, page, 1)
    assert page.forms.view.currentIndex().data(ROW_ROLE).answers_text() == "4 4 4 4 4 4 4 4 4"
    press(Qt.Key.Key_Return)  # Enter on a row corrects it
    wait_idle(qtbot, unlocked)
    assert focused() is page.answers[0]
    assert "".join(e.text() for e in page.answers) == FORMS[1]
    assert page.entry.unit.text() == UNIT
    assert page.save_button.text() == _("Save the correction")
    cancel = page.findChild(QWidget, "skm.form.cancel_correction")
    assert cancel.isVisible()

    for digit in "111122223":
        press(digit)
    press(Qt.Key.Key_Return)
    wait_idle(qtbot, unlocked)
    assert (_("Saved: the form is corrected."), False) in unlocked.announcer.history
    now = [FORMS[0], FORMS[2], "111122223"]
    assert sorted(stored(qtbot, unlocked)) == sorted(now)  # replaced, not added
    assert page.save_button.text() == _("Save form") and not cancel.isVisible()
    assert all(e.text() == "" for e in page.answers)

    summary = read(qtbot, unlocked, lambda ws: ws.ikm_summary(
        UNIT, f"{YEAR}-01-01", f"{YEAR}-12-31"))
    assert summary.hasil == expected_ikm(now)
    assert page.ikm_label.text() == ikm_text(summary) != before
    answers = {page.forms.model.index(r, SkmFormTableModel.JAWABAN).data()
               for r in range(page.forms.model.rowCount())}
    assert answers == {" ".join(f) for f in now}
    assert focused() is page.forms.view


def test_escape_cancels_a_correction_and_the_draft_keeps_it(qtbot, unlocked, listed) -> None:
    page = listed
    page.answers[0].setFocus()
    for digit in "42":  # a new form half-typed when a correction starts
        press(digit)
    choose(qtbot, page, 0)
    QTest.keyClick(page.findChild(QWidget, "skm.forms.correct"), Qt.Key.Key_Space)
    wait_idle(qtbot, unlocked)
    assert "".join(e.text() for e in page.answers) == FORMS[0]
    press("1")
    draft = page.drafts()[page.DRAFT_KEY]
    assert draft["u1"] == "1" and draft["correct_id"] == page.correcting

    press(Qt.Key.Key_Escape)
    wait_idle(qtbot, unlocked)
    assert page.correcting is None
    # The half-typed new form is back, the entry saves new forms again.
    assert [e.text() for e in page.answers[:3]] == ["4", "2", ""]
    assert page.drafts()[page.DRAFT_KEY]["u2"] == "2"
    assert page.save_button.text() == _("Save form")
    assert sorted(stored(qtbot, unlocked)) == sorted(FORMS)  # nothing saved
    assert (_("Correction cancelled; the saved form is unchanged."), False) in \
        unlocked.announcer.history

    # A draft of a correction (after a lock) comes back as a correction.
    page.restore_drafts({page.DRAFT_KEY: draft})
    assert page.correcting == draft["correct_id"]
    assert page.save_button.text() == _("Save the correction")
    assert page.answers[0].text() == "1"
    page.stop_correcting()
    assert [e.text() for e in page.answers[:3]] == ["4", "2", ""]


def test_delete_asks_first_and_cancel_is_the_default(qtbot, unlocked, listed) -> None:
    page = listed
    choose(qtbot, page, 2)
    delete = page.findChild(QWidget, "skm.forms.delete")
    tab_to(delete)
    QTest.keyClick(delete, Qt.Key.Key_Space)
    box = page.forms.confirm_box
    assert isinstance(box, QMessageBox)
    assert box.windowTitle() == _("asndesk — delete a saved SKM form")
    qtbot.waitExposed(box)
    QTest.keyClick(box, Qt.Key.Key_Return)  # Enter takes the default: Cancel
    qtbot.waitUntil(lambda: page.forms.confirm_box is None, timeout=3000)
    wait_idle(qtbot, unlocked)
    assert sorted(stored(qtbot, unlocked)) == sorted(FORMS)

    QTest.keyClick(delete, Qt.Key.Key_Space)
    box = page.forms.confirm_box
    qtbot.waitExposed(box)
    box.findChild(QWidget, "dialog.skm_form_delete.delete").click()
    wait_idle(qtbot, unlocked)
    assert sorted(stored(qtbot, unlocked)) == sorted(FORMS[:2])
    assert (_("Form deleted."), False) in unlocked.announcer.history
    assert page.forms.model.rowCount() == 2
    summary = read(qtbot, unlocked, lambda ws: ws.ikm_summary(
        UNIT, f"{YEAR}-01-01", f"{YEAR}-12-31"))
    assert summary.hasil == expected_ikm(list(FORMS[:2]))
    assert page.ikm_label.text() == ikm_text(summary)
    # The last form saved was this one: "delete the last" has nothing left to delete.
    assert not page.undo_button.isEnabled()


def test_correcting_state_passes_the_checks_at_200_percent(qtbot, unlocked, listed) -> None:
    from PySide6.QtWidgets import QApplication

    from tests.ui import a11y_checks
    from ui.theme import apply_theme

    page = listed
    choose(qtbot, page, 0)
    press(Qt.Key.Key_Return)
    wait_idle(qtbot, unlocked)
    assert page.findChild(QWidget, "skm.form.cancel_correction").isVisible()
    window = unlocked.window
    apply_theme(QApplication.instance(), "light", 200)
    try:
        window.resize(1280, 800)
        for _pass in range(3):
            QApplication.processEvents()
            if window.layout() is not None:
                window.layout().activate()
        problems = [p for check in (a11y_checks.check_clipping, a11y_checks.check_names,
                                    a11y_checks.check_tables, a11y_checks.check_shortcuts)
                    for p in check(window)]
        assert not problems, "\n".join(problems)
    finally:
        apply_theme(QApplication.instance(), "light", 100)
