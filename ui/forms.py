"""Labelled form fields with accessible names, inline validation errors and draft values.

Field keys are the core's field names, so a `ValidationError(field=…)` from a use case lands
on the right widget: the error is shown under it, put into its accessible description,
announced, and focus moves there (A-13). Nothing typed is cleared on error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from ui.announce import Announcer
from ui.qt_dates import to_date, to_qdate

DATE_FORMAT = "dd/MM/yyyy"  # a QDateEdit needs an explicit format to be read well
TIME_FORMAT = "HH:mm"


def plain(label: str) -> str:
    """The label without its mnemonic marker (what a screen reader should say)."""
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&")


@dataclass
class Field:
    key: str
    label: QLabel
    widget: QWidget
    error: QLabel
    description: str = ""


class Form(QWidget):
    """A vertical form; add fields with `add_*`, read them with `values()`."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.layout_ = QFormLayout(self)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields: dict[str, Field] = {}

    # -- building ------------------------------------------------------------------------
    def _add(self, key: str, label: str, widget: QWidget, description: str = "") -> Field:
        caption = QLabel(label)
        caption.setBuddy(widget)
        caption.setWordWrap(True)
        widget.setObjectName(f"{self.objectName()}.{key}")
        widget.setAccessibleName(plain(label))
        widget.setAccessibleDescription(description)
        error = QLabel()
        error.setObjectName(f"{self.objectName()}.{key}.error")
        error.setWordWrap(True)
        error.setVisible(False)
        error.setProperty("role", "error")
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(widget)
        column.addWidget(error)
        self.layout_.addRow(caption, box)
        field = Field(key, caption, widget, error, description)
        self.fields[key] = field
        return field

    def add_line(self, key: str, label: str, *, description: str = "", max_length: int = 0,
                 placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        if max_length:
            edit.setMaxLength(max_length)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self.changed)
        self._add(key, label, edit, description)
        return edit

    def add_text(self, key: str, label: str, *, description: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)  # no keyboard trap
        edit.setMinimumHeight(64)
        edit.textChanged.connect(self.changed)
        self._add(key, label, edit, description)
        return edit

    def add_combo(self, key: str, label: str, items: Sequence[tuple[str, Any]], *,
                  description: str = "") -> QComboBox:
        combo = QComboBox()
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self.changed)
        self._add(key, label, combo, description)
        return combo

    def add_date(self, key: str, label: str, *, description: str = "") -> QDateEdit:
        edit = QDateEdit(QDate.currentDate())
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setCalendarPopup(True)
        edit.dateChanged.connect(self.changed)
        self._add(key, label, edit, description or _("Date as day/month/year"))
        return edit

    def add_time(self, key: str, label: str, *, description: str = "") -> QTimeEdit:
        edit = QTimeEdit()
        edit.setDisplayFormat(TIME_FORMAT)
        edit.timeChanged.connect(self.changed)
        self._add(key, label, edit, description or _("Time as hours:minutes"))
        return edit

    def add_spin(self, key: str, label: str, *, unit: str, minimum: int = 0,
                 maximum: int = 9999, description: str = "") -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(minimum, maximum)
        spin.valueChanged.connect(self.changed)
        # suffixes are not read, so the unit goes into the name as well.
        spin.setSuffix(f" {unit}")
        field = self._add(key, label, spin, description)
        spin.setAccessibleName(f"{plain(label)} ({unit})")
        field.description = description
        return spin

    # -- values --------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Every field's current value (text, combo data, ISO date, HH:MM, int)."""
        return {key: _value_of(f.widget) for key, f in self.fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill fields (a restored draft); unknown keys are ignored."""
        for key, value in values.items():
            if key in self.fields and value is not None:
                _set_value(self.fields[key].widget, value)

    def clear(self) -> None:
        self.clear_text(self.fields)
        self.clear_errors()

    def clear_text(self, keys: Iterable[str]) -> None:
        """Empty the given fields that hold text (line and multi-line); others keep theirs."""
        for key in keys:
            w = self.fields[key].widget
            if isinstance(w, QLineEdit | QPlainTextEdit):
                w.clear()

    # -- errors --------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for f in self.fields.values():
            f.error.clear()
            f.error.setVisible(False)
            f.widget.setAccessibleDescription(f.description)

    def show_error(self, err: UserFacingError, announcer: Announcer | None = None,
                   fallback: str | None = None) -> bool:
        """Show one error on its field (or on `fallback`); returns whether a field took it."""
        problems: Iterable[Any] = getattr(err, "problems", None) or [err]
        return self.show_errors(list(problems), announcer, fallback)

    def show_errors(self, errors: list[UserFacingError], announcer: Announcer | None = None,
                    fallback: str | None = None) -> bool:
        self.clear_errors()
        first: Field | None = None
        spoken: list[str] = []
        for err in errors:
            key = err.field if isinstance(err, ValidationError) else None
            field = self.fields.get(key or "") or self.fields.get(fallback or "")
            text = err.message()
            if field is None:
                spoken.append(text)
                continue
            field.error.setText(text)
            field.error.setVisible(True)
            field.widget.setAccessibleDescription(text)
            spoken.append(_("{field}: {message}").format(field=plain(field.label.text()),
                                                          message=text))
            first = first or field
        if first is not None:
            first.widget.setFocus()
        if announcer is not None and spoken:
            announcer.say(" ".join(spoken), assertive=True)
        return first is not None


def add_dialog_buttons(layout: QBoxLayout, name: str, submit_text: str,
                       cancel_text: str) -> tuple[QPushButton, QPushButton]:
    """The submit/cancel row at the foot of a form dialog, right-aligned; Enter submits.
    Object names are `<name>.submit` and `<name>.cancel` (stable for tests, A-23)."""
    row = QHBoxLayout()
    submit = QPushButton(submit_text)
    submit.setObjectName(f"{name}.submit")
    submit.setDefault(True)
    cancel = QPushButton(cancel_text)
    cancel.setObjectName(f"{name}.cancel")
    row.addStretch(1)
    row.addWidget(submit)
    row.addWidget(cancel)
    layout.addLayout(row)
    return submit, cancel


def _value_of(w: QWidget) -> Any:
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QDateEdit):
        return to_date(w.date()).isoformat()
    if isinstance(w, QTimeEdit):
        return w.time().toString(TIME_FORMAT)
    if isinstance(w, QSpinBox):
        return w.value()
    raise TypeError(type(w).__name__)


def _set_value(w: QWidget, value: Any) -> None:
    if isinstance(w, QLineEdit):
        w.setText(str(value))
    elif isinstance(w, QPlainTextEdit):
        w.setPlainText(str(value))
    elif isinstance(w, QComboBox):
        index = w.findData(value)
        if index >= 0:
            w.setCurrentIndex(index)
    elif isinstance(w, QDateEdit):
        w.setDate(to_qdate(date.fromisoformat(str(value))))
    elif isinstance(w, QTimeEdit):
        parsed = time.fromisoformat(str(value))
        w.setTime(QTime(parsed.hour, parsed.minute))
    elif isinstance(w, QSpinBox):
        w.setValue(int(value))


def refill_combo(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
    """Replace a combo's items (text, data) without signals, keeping the chosen one when it
    is still there (refreshing a list never counts as the person choosing)."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, value in items:
        combo.addItem(text, value)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else (0 if items else -1))
    combo.blockSignals(False)
