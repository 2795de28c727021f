"""Typed conversions between Qt's QDate/QTime and Python's date/time.

PySide6's stubs type `QDate.toPython()` and `QTime.toPython()` as `object` and leave out the
`QDate(datetime.date)` conversion, so every page goes through these instead.
"""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, QTime


def to_date(day: QDate) -> date:
    return day.toPython()  # type: ignore[return-value]  # PySide6's stub says object; it is a date


def to_time(moment: QTime) -> time:
    return moment.toPython()  # type: ignore[return-value]  # PySide6's stub says object; it is a time


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
