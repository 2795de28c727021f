"""SKM by keyboard: a paper form is nine digits and Enter (focus moves on by itself, every
answer field is named after its element), errors land under their field with the typing
kept, and the IKM shown agrees with `hitung_ikm` on the same answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget

from asndesk.domain.formatting import format_angka
from asndesk.domain.ikm import UNSUR_SKM, SkmResponse, hitung_ikm, ukuran_sampel_krejcie_morgan
from asndesk.i18n import _
from tests.ui.a11y_checks import acc_description
from tests.ui.conftest import wait_idle
from tests.ui.keyboard import focused, open_page, read, tab_to
from ui.models.skm_table_model import NrrTableModel, ikm_text, sample_text

UNIT = "Loket Dukcapil Sukamaju"
FORMS = ("342334443", "444444444", "212321232", "433443344")


@pytest.fixture(autouse=True)
def _no_late_draft_save(desktop):
    """Typing starts the app's draft timer; it must not fire after the runner is shut."""
    yield
    desktop._draft_timer.stop()


@pytest.fixture
def skm_page(qtbot, unlocked):
    return open_page(qtbot, unlocked, "skm")


def press(key: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    """One key to whatever has focus now (focus moves as answers are typed)."""
    target = focused()
    assert target is not None
    QTest.keyClick(target, key, modifier)


def type_form(page, digits: str) -> None:
    """A whole form: the nine digits, then Enter on the last element; no other key."""
    for digit in digits:
        press(digit)
    assert focused() is page.answers[8]  # each digit moved focus on by itself
    press(Qt.Key.Key_Return)


def test_answer_fields_are_named_after_their_elements(skm_page) -> None:
    names = [edit.accessibleName() for edit in skm_page.answers]
    assert names == [f"{kode} {nama}" for kode, nama in UNSUR_SKM.items()]
    assert names[0] == "U1 Persyaratan"
    assert all("1" in edit.accessibleDescription() and "4" in edit.accessibleDescription()
               for edit in skm_page.answers)
    assert skm_page.findChild(QWidget, "skm.form.u9") is skm_page.answers[8]


def test_whole_forms_by_keyboard_and_ikm_agrees_with_the_domain(qtbot, unlocked, skm_page
                                                                ) -> None:
    page = skm_page
    assert focused() is page.entry.unit  # the first form of a pile: its unit first
    QTest.keyClicks(page.entry.unit, UNIT)
    tab_to(page.answers[0])  # past the service type and the date, kept for later forms

    type_form(page, FORMS[0])
    wait_idle(qtbot, unlocked)
    assert unlocked.announcer.history[-1] == (_("Saved (form {n})").format(n=1), False)
    assert focused() is page.answers[0]
    assert all(edit.text() == "" for edit in page.answers)
    assert page.entry.unit.text() == UNIT  # kept for the next form

    for number, digits in enumerate(FORMS[1:], start=2):
        type_form(page, digits)  # nine digits and Enter: nothing else
        wait_idle(qtbot, unlocked)
        assert (_("Saved (form {n})").format(n=number), False) in unlocked.announcer.history
        assert focused() is page.answers[0]

    # Ctrl+Enter saves from anywhere; an element left blank stays unanswered.
    for digit in "33333333":
        press(digit)
    assert focused() is page.answers[8]
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, unlocked)
    assert (_("Saved (form {n})").format(n=5), False) in unlocked.announcer.history

    today = date.today().isoformat()
    stored = read(qtbot, unlocked, lambda ws: ws.skm_responses(UNIT, today, today))
    typed = [*FORMS, "33333333-"]
    assert ["".join(str(r[f"u{k}"] or "-") for k in range(1, 10)) for r in stored] == typed

    # The IKM, by keyboard: the unit is offered, the period is this year.
    show = page.findChild(QWidget, "skm.ikm.show")
    tab_to(page.populasi)
    QTest.keyClicks(page.populasi, "100")
    tab_to(show)
    QTest.keyClick(show, Qt.Key.Key_Space)
    wait_idle(qtbot, unlocked)
    expected = hitung_ikm(SkmResponse({f"U{i}": None if d == "-" else int(d)
                                       for i, d in enumerate(f, start=1)}) for f in typed)
    summary = read(qtbot, unlocked, lambda ws: ws.ikm_summary(
        UNIT, f"{date.today().year}-01-01", f"{date.today().year}-12-31", 100))
    assert summary.hasil == expected
    assert page.ikm_label.text() == ikm_text(summary)
    assert format_angka(expected.ikm_konversi_bulat, 2) in page.ikm_label.text()
    assert f"{expected.mutu.value} ({expected.mutu.kinerja_unit})" in page.ikm_label.text()
    assert page.sample_label.text() == sample_text(summary)
    assert str(ukuran_sampel_krejcie_morgan(100)) in page.sample_label.text()
    model = page.nrr_model
    assert model.rowCount() == 9
    for row, kode in enumerate(UNSUR_SKM):
        nrr = model.index(row, NrrTableModel.NRR).data()
        assert nrr == format_angka(expected.nrr[kode], 3)
        answered = model.index(row, NrrTableModel.MENJAWAB).data()
        assert answered == str(expected.jumlah_menjawab[kode])
    assert (page.ikm_label.text(), False) in unlocked.announcer.history


def test_wrong_keys_are_refused_aloud_and_errors_keep_the_typing(qtbot, unlocked, skm_page
                                                                 ) -> None:
    page = skm_page
    page.answers[0].setFocus()
    press("5")
    assert page.answers[0].text() == "" and focused() is page.answers[0]
    said, assertive = unlocked.announcer.history[-1]
    assert assertive and said.startswith("U1 Persyaratan")
    press("x")
    assert page.answers[0].text() == ""

    # Backspace on an empty answer goes back to the element before.
    press("3")
    assert focused() is page.answers[1]
    press(Qt.Key.Key_Backspace)
    assert focused() is page.answers[0]
    press("2")  # a new digit replaces the answer
    assert page.answers[0].text() == "2" and focused() is page.answers[1]

    # No unit: the error is under the unit field, focus goes there, nothing typed is lost.
    for digit in "44444444":
        press(digit)
    press(Qt.Key.Key_Return)
    wait_idle(qtbot, unlocked)
    error = page.findChild(QWidget, "skm.form.unit_layanan.error")
    assert error.isVisible() and error.text() == _("This value is required.")
    assert acc_description(page.entry.unit) == error.text()
    assert focused() is page.entry.unit
    assert "".join(e.text() for e in page.answers) == "244444444"
    assert unlocked.announcer.history[-1][1] is True


def test_the_last_form_can_be_deleted_after_a_review(qtbot, unlocked, skm_page) -> None:
    page = skm_page
    QTest.keyClicks(page.entry.unit, UNIT)
    tab_to(page.answers[0])
    type_form(page, "111111111")
    wait_idle(qtbot, unlocked)
    undo = page.findChild(QWidget, "skm.form.delete_last")
    tab_to(undo)
    QTest.keyClick(undo, Qt.Key.Key_Space)
    box = page.confirm_box
    assert isinstance(box, QMessageBox) and box.windowTitle() == _(
        "asndesk — delete the last SKM form")
    qtbot.waitExposed(box)
    QTest.keyClick(box, Qt.Key.Key_Return)  # Cancel is the default: nothing is deleted
    qtbot.waitUntil(lambda: page.confirm_box is None, timeout=3000)
    wait_idle(qtbot, unlocked)
    today = date.today().isoformat()
    assert len(read(qtbot, unlocked, lambda ws: ws.skm_responses(UNIT, today, today))) == 1

    QTest.keyClick(undo, Qt.Key.Key_Space)
    box = page.confirm_box
    qtbot.waitExposed(box)
    box.findChild(QWidget, "dialog.skm_delete.delete").click()
    wait_idle(qtbot, unlocked)
    assert read(qtbot, unlocked, lambda ws: ws.skm_responses(UNIT, today, today)) == []
    assert (_("Form {n} deleted.").format(n=1), False) in unlocked.announcer.history
    assert not undo.isEnabled() and page.window().focusWidget() is page.answers[0]


def test_nrr_model_reads_each_row_in_words_and_sample_words_say_the_source() -> None:
    from asndesk.skm_usecases import POPULASI_LAYANAN, IkmRingkasan

    hasil = hitung_ikm([SkmResponse({f"U{i}": 3 for i in range(1, 10)}),
                        SkmResponse({f"U{i}": 4 for i in range(1, 10)})])
    summary = IkmRingkasan(UNIT, date(2026, 1, 1), date(2026, 6, 30), 2, hasil, None, 10,
                           POPULASI_LAYANAN, ukuran_sampel_krejcie_morgan(10),
                           nrr=dict(hasil.nrr), jumlah_menjawab=dict(hasil.jumlah_menjawab))
    model = NrrTableModel()
    model.set_summary(summary)
    first = model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert first.startswith("U1 Persyaratan") and format_angka(hasil.nrr["U1"], 3) in first
    assert model.index(0, NrrTableModel.TERTIMBANG).data() == format_angka(
        hasil.nrr["U1"] / 9, 3)
    words = sample_text(summary)
    assert str(ukuran_sampel_krejcie_morgan(10)) in words and "10" in words

    # An element nobody answered: the others still show, that one reads as unanswered.
    partial = replace(summary, hasil=None, nrr={**summary.nrr, "U6": None},
                      jumlah_menjawab={**summary.jumlah_menjawab, "U6": 0})
    model.set_summary(partial)
    assert model.rowCount() == 9 and model.index(5, NrrTableModel.NRR).data() == ""
    assert model.index(5, 0).data(Qt.ItemDataRole.AccessibleTextRole) == _(
        "{code} {name}: nobody answered it yet").format(code="U6", name=UNSUR_SKM["U6"])
    model.set_summary(replace(summary, jumlah_form=0))
    assert model.rowCount() == 0
    unknown = replace(summary, populasi=None, populasi_sumber=None, sampel_minimal=None)
    assert sample_text(unknown) != words and "2" in sample_text(unknown)


def test_a_half_typed_form_is_kept_as_a_draft(qtbot, unlocked, skm_page) -> None:
    page = skm_page
    assert page.drafts() == {}
    QTest.keyClicks(page.entry.unit, UNIT)
    tab_to(page.answers[0])
    for digit in "423":
        press(digit)
    draft = page.drafts()[page.DRAFT_KEY]
    assert (draft["unit_layanan"], draft["u1"], draft["u3"], draft["u4"]) == (UNIT, "4", "3", "")
    page.entry.clear_for_next()
    page.entry.unit.clear()
    page.restore_drafts({page.DRAFT_KEY: draft})
    assert page.entry.unit.text() == UNIT
    assert [e.text() for e in page.answers[:4]] == ["4", "2", "3", ""]
