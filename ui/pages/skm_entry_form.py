"""The SKM paper-form entry, built for speed: nine one-key answer fields (U1–U9), each named
after its element, that take 1–4 and move on by themselves, so a whole form is nine digits
and Enter. Unit, service type and date stay for the next form of the pile.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from asndesk.domain.ikm import NILAI_MAKS, NILAI_MIN, UNSUR_SKM
from asndesk.i18n import _
from ui.announce import Announcer
from ui.forms import Form, plain
from ui.pages.page_widgets import button, heading, status_label, tab_leaves

ANSWER_KEYS = tuple(f"u{n}" for n in range(1, len(UNSUR_SKM) + 1))
DIGITS = frozenset(str(n) for n in range(NILAI_MIN, NILAI_MAKS + 1))


class AnswerEdit(QLineEdit):
    """One element's answer: a digit 1–4 replaces what is there and `answered` fires (the
    form moves focus on); any other character is refused with `refused` (announced, since a
    silent refusal tells a screen-reader user nothing); Backspace on an empty field goes
    back one element."""

    answered = Signal()
    refused = Signal()
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(1)
        self.setValidator(QRegularExpressionValidator(QRegularExpression("[1-4]?"), self))
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 6 + 24)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        typed = event.text()
        if mods == Qt.KeyboardModifier.NoModifier and typed in DIGITS and typed:
            self.setText(typed)
            self.answered.emit()
            return
        if mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier) and \
                typed and typed.isprintable() and not typed.isspace():
            self.refused.emit()
            return
        if event.key() == Qt.Key.Key_Backspace and not self.text():
            self.back.emit()
            return
        super().keyPressEvent(event)


class AnswerForm(Form):
    """A `Form` that also takes answer fields (label buddy, name, error line like the rest)."""

    def add_answer(self, key: str, label: str, description: str) -> AnswerEdit:
        edit = AnswerEdit()
        edit.textChanged.connect(self.changed)
        self._add(key, label, edit, description)
        return edit

    def unwrap_labels(self) -> None:
        """One line per label: a wrapped label is taller than its one-line field and clips
        at 200 % text; unwrapped, the label column takes the longest element name."""
        for field in self.fields.values():
            field.label.setWordWrap(False)


class SkmEntryForm(QWidget):
    """`form` holds the core's fields; `values()` are `add_skm_response`'s arguments."""

    def __init__(self, on_save: Any, announcer: Announcer, on_cancel: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("skm.entry")
        self.on_save = on_save
        self.announcer = announcer
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = heading(_("Enter a paper form"), "skm.form.heading")
        column.addWidget(self.heading)
        hint = status_label("skm.form.hint")
        hint.setText(_("Type each answer as one digit from 1 (not good) to 4 (very good); the "
                       "next element follows by itself. Enter on the last element or "
                       "Ctrl+Enter saves. Unit, service type and date stay for the next "
                       "form."))
        column.addWidget(hint)
        form = self.form = AnswerForm("skm.form")
        self.unit = form.add_line("unit_layanan", _("Service unit"), max_length=200,
                                  description=_("The unit whose service the form is about"))
        self.unit_model = QStringListModel(self)
        completer = QCompleter(self.unit_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        popup = completer.popup()
        if popup is not None:
            popup.setObjectName("skm.form.unit_layanan.choices")
            popup.setAccessibleName(_("Service units"))
        self.unit.setCompleter(completer)
        self.jenis: QComboBox = form.add_combo("service_type_id", _("Service type (optional)"),
                                               [(_("Not specified"), None)])
        self.tanggal = form.add_date("tanggal", _("Survey date"))
        tab_leaves(self.tanggal)
        scale = _("Answer 1 to 4: 1 not good, 2 less good, 3 good, 4 very good")
        self.answers: list[AnswerEdit] = []
        for index, (kode, nama) in enumerate(UNSUR_SKM.items()):
            edit = form.add_answer(ANSWER_KEYS[index], f"{kode} {nama}", scale)
            edit.answered.connect(lambda i=index: self._answered(i))
            edit.refused.connect(lambda i=index: self._refused(i))
            edit.back.connect(lambda i=index: self.answers[max(0, i - 1)].setFocus())
            edit.returnPressed.connect(lambda i=index: self._enter(i))
            self.answers.append(edit)
        self.saran = form.add_line("saran", _("Suggestion written on the form (optional)"),
                                   max_length=2000)
        self.saran.returnPressed.connect(self.on_save)
        form.unwrap_labels()
        column.addWidget(form)
        row = QHBoxLayout()
        self.save_button = button(_("Save form"), "skm.form.save", on_save,
                                  _("Ctrl+Enter also saves"))
        self.cancel_button = button(_("Cancel the correction"), "skm.form.cancel_correction",
                                    on_cancel or (lambda: None),
                                    _("Escape also cancels; the saved form stays as it was"))
        self.cancel_button.setVisible(False)
        # Escape leaves a correction from any field of the entry (only while correcting).
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.escape.setEnabled(False)
        self.escape.activated.connect(self.cancel_button.click)
        row.addWidget(self.save_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        column.addLayout(row)
        self.message = status_label("skm.form.message")
        self.message.setVisible(False)
        column.addWidget(self.message)
        self.counter = status_label("skm.form.counter")
        column.addWidget(self.counter)

    # -- keys ----------------------------------------------------------------------------
    def _answered(self, index: int) -> None:
        if index + 1 < len(self.answers):
            self.answers[index + 1].setFocus()

    def _enter(self, index: int) -> None:
        if index + 1 < len(self.answers):
            self.answers[index + 1].setFocus()
        else:
            self.on_save()

    def _refused(self, index: int) -> None:
        name = plain(self.form.fields[ANSWER_KEYS[index]].label.text())
        self.announcer.say(_("{field}: type 1, 2, 3 or 4.").format(field=name),
                           assertive=True)

    # -- reference data ------------------------------------------------------------------
    def set_reference(self, types: list[dict[str, Any]], units: list[str]) -> None:
        """Refill the service types (keeping the choice) and the units the completer offers."""
        chosen = self.jenis.currentData()
        self.jenis.blockSignals(True)
        self.jenis.clear()
        self.jenis.addItem(_("Not specified"), None)
        for t in types:
            self.jenis.addItem(f"{t['kode']} — {t['nama']}", t["id"])
        index = self.jenis.findData(chosen)
        self.jenis.setCurrentIndex(max(0, index))
        self.jenis.blockSignals(False)
        self.unit_model.setStringList(units)

    # -- values --------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        v = self.form.values()
        return {"unit_layanan": v["unit_layanan"], "tanggal": v["tanggal"],
                "jawaban": {key: v[key] for key in ANSWER_KEYS},
                "service_type_id": v["service_type_id"], "saran": v["saran"]}

    def has_answers(self) -> bool:
        return any(edit.text() for edit in self.answers) or bool(self.saran.text())

    def clear_for_next(self) -> None:
        """Empty the answers and the suggestion; unit, type and date stay for the next form."""
        self.form.clear_text([*ANSWER_KEYS, "saran"])
        self.form.clear_errors()
        self.message.setVisible(False)
        self.answers[0].setFocus()

    def show_form(self, row: dict[str, Any]) -> None:
        """Put a saved form (`Workspace.skm_response`) into the fields, blanks included."""
        self.form.clear_errors()
        self.message.setVisible(False)
        self.form.set_values({
            "unit_layanan": row["unit_layanan"], "tanggal": row["tanggal"],
            "saran": row.get("saran") or "",
            **{key: "" if row.get(key) is None else str(row[key]) for key in ANSWER_KEYS}})
        self.jenis.setCurrentIndex(max(0, self.jenis.findData(row.get("service_type_id"))))

    def set_correcting(self, correcting: bool) -> None:
        """The heading and Save say a correction is being made; Cancel and Escape stop it."""
        title = _("Correct a saved form") if correcting else _("Enter a paper form")
        self.heading.setText(f"<h2>{title}</h2>")
        self.save_button.setText(_("Save the correction") if correcting else _("Save form"))
        self.cancel_button.setVisible(correcting)
        self.escape.setEnabled(correcting)

    def draft(self) -> dict[str, Any]:
        return self.form.values() if self.has_answers() else {}

    def restore(self, draft: dict[str, Any]) -> None:
        self.form.set_values(draft)
