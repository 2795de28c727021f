"""Log harian rows for the Log Harian page: the week view, the searchable list, day totals.

The list is paged (`PagedTableModel`: the page's fetch runs the core's `logs(cari, …)` with
full-text search); the week is a fixed set of rows. Column 0 of every model reads the whole
row to a screen reader (`Qt.AccessibleTextRole`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from asndesk.domain.calendar import BATAS_HARIAN_MENIT, JAM_KERJA_MINGGUAN_MENIT
from asndesk.domain.formatting import format_durasi_menit, format_tanggal
from asndesk.i18n import _, ngettext
from ui.models.paged_table_model import PAGE_SIZE, Fetch, PagedTableModel, jam_teks
from ui.models.rows_table_model import angka

__all__ = ["PAGE_SIZE", "DayTotal", "DayTotalsModel", "LogRow", "LogTableModel",
           "PagedTableModel", "angka", "day_totals", "jam_teks", "week_start", "week_total_text"]


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")[:2]
    return int(h) * 60 + int(m)


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class LogRow:
    """One log harian entry as the core's `logs()` returns it."""

    id: str
    tanggal: date
    jam_mulai: str    # "HH:MM"
    jam_selesai: str  # "HH:MM"
    kegiatan: str
    output_jumlah: Decimal | None = None
    output_satuan: str | None = None
    rhk_id: str | None = None
    version: int = 1

    @classmethod
    def from_dict(cls, r: Mapping[str, Any]) -> LogRow:
        jumlah = r.get("output_jumlah")
        return cls(
            id=str(r["id"]), tanggal=date.fromisoformat(str(r["tanggal"])),
            jam_mulai=str(r["jam_mulai"])[:5], jam_selesai=str(r["jam_selesai"])[:5],
            kegiatan=str(r["kegiatan"]),
            output_jumlah=None if jumlah in (None, "") else Decimal(str(jumlah)),
            output_satuan=r.get("output_satuan") or None, rhk_id=r.get("rhk_id") or None,
            version=int(r.get("version") or 1))

    @property
    def durasi_menit(self) -> int:
        return max(0, _minutes(self.jam_selesai) - _minutes(self.jam_mulai))

    def waktu_text(self) -> str:
        return f"{jam_teks(self.jam_mulai)}–{jam_teks(self.jam_selesai)}"

    def output_text(self) -> str:
        if self.output_jumlah is None:
            return ""
        return f"{angka(self.output_jumlah)} {self.output_satuan or ''}".strip()

    def summary(self, rhk_name: str | None = None) -> str:
        """What column 0 reads: date, time, duration, the activity, output and RHK."""
        parts = [_("{date}, {start} to {end} ({duration})").format(
            date=format_tanggal(self.tanggal, dengan_hari=True),
            start=jam_teks(self.jam_mulai), end=jam_teks(self.jam_selesai),
            duration=format_durasi_menit(self.durasi_menit)), self.kegiatan]
        if self.output_jumlah is not None:
            parts.append(_("output {output}").format(output=self.output_text()))
        if rhk_name:
            parts.append(_("RHK: {rhk}").format(rhk=rhk_name))
        return "; ".join(parts)

    def as_form_values(self) -> dict[str, Any]:
        """The entry in the keys of the log form (the core's field names)."""
        return {"tanggal": self.tanggal.isoformat(), "jam_mulai": self.jam_mulai,
                "jam_selesai": self.jam_selesai, "kegiatan": self.kegiatan,
                "output_jumlah": angka(self.output_jumlah),
                "output_satuan": self.output_satuan or "", "rhk_id": self.rhk_id}


# --------------------------------------------------------------------------- log harian


class LogTableModel(PagedTableModel[LogRow]):
    """Log harian entries; paged (the list) or a fixed set of rows (the week)."""

    KEGIATAN, TANGGAL, WAKTU, DURASI, OUTPUT, RHK = range(6)

    def __init__(self, fetch: Fetch | None = None, *, page_size: int = PAGE_SIZE,
                 rhk_names: Mapping[str, str] | None = None, parent: Any = None) -> None:
        super().__init__(fetch, page_size=page_size, parent=parent)
        self._rhk_names: dict[str, str] = dict(rhk_names or {})

    def set_rhk_names(self, names: Mapping[str, str]) -> None:
        self._rhk_names = dict(names)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, self.RHK))

    def rhk_name(self, row: LogRow) -> str | None:
        if row.rhk_id is None:
            return None
        return self._rhk_names.get(row.rhk_id) or _("an RHK of another SKP")

    def convert(self, raw: Mapping[str, Any]) -> LogRow:
        return LogRow.from_dict(raw)

    def headers(self) -> tuple[str, ...]:
        return (_("Activity"), _("Date"), _("Time"), _("Duration"), _("Output"), _("RHK"))

    def display(self, r: LogRow, col: int) -> str:
        if col == self.KEGIATAN:
            return r.kegiatan
        if col == self.TANGGAL:
            return format_tanggal(r.tanggal, dengan_hari=True)
        if col == self.WAKTU:
            return r.waktu_text()
        if col == self.DURASI:
            return format_durasi_menit(r.durasi_menit)
        if col == self.OUTPUT:
            return r.output_text()
        return self.rhk_name(r) or ""

    def accessible(self, r: LogRow, col: int) -> str:
        if col == self.KEGIATAN:
            return r.summary(self.rhk_name(r))
        if col == self.WAKTU:
            return _("{start} to {end}").format(start=jam_teks(r.jam_mulai),
                                                end=jam_teks(r.jam_selesai))
        if col == self.OUTPUT and r.output_jumlah is None:
            return _("no output")
        if col == self.RHK and r.rhk_id is None:
            return _("not linked to an RHK")
        return self.display(r, col)

    def sort_key(self, r: LogRow, col: int) -> Any:
        if col in (self.TANGGAL, self.WAKTU):
            return f"{r.tanggal.isoformat()} {r.jam_mulai}"
        if col == self.DURASI:
            return r.durasi_menit
        if col == self.OUTPUT:
            return -1.0 if r.output_jumlah is None else float(r.output_jumlah)
        return self.display(r, col).casefold()


# --------------------------------------------------------------------------- week totals


def week_start(d: date) -> date:
    """The Monday of `d`'s week."""
    return d - timedelta(days=d.weekday())


@dataclass(frozen=True)
class DayTotal:
    tanggal: date
    menit: int
    entri: int

    @property
    def over_cap(self) -> bool:
        return self.menit > BATAS_HARIAN_MENIT

    def entries_text(self) -> str:
        return ngettext("{n} entry", "{n} entries", self.entri).format(n=self.entri)

    def summary(self) -> str:
        text = _("{day}: {total}, {entries}").format(
            day=format_tanggal(self.tanggal, dengan_hari=True),
            total=format_durasi_menit(self.menit), entries=self.entries_text())
        if self.over_cap:
            text += "; " + _("more than {cap}").format(cap=format_durasi_menit(BATAS_HARIAN_MENIT))
        return text


def day_totals(monday: date, logs: Iterable[LogRow]) -> list[DayTotal]:
    """Monday to Friday always, Saturday and Sunday only when something was logged on them."""
    minutes = {monday + timedelta(days=n): 0 for n in range(7)}
    counts = dict.fromkeys(minutes, 0)
    for log in logs:
        if log.tanggal in minutes:
            minutes[log.tanggal] += log.durasi_menit
            counts[log.tanggal] += 1
    return [DayTotal(d, minutes[d], counts[d]) for d in sorted(minutes)
            if d.weekday() < 5 or counts[d]]


def week_total_text(total_menit: int, target_menit: int = JAM_KERJA_MINGGUAN_MENIT) -> str:
    """"This week: 30 jam of 37 jam 30 menit (7 jam 30 menit short)"; or "… over"."""
    base = _("This week: {total} of {target}").format(
        total=format_durasi_menit(total_menit), target=format_durasi_menit(target_menit))
    if total_menit < target_menit:
        return base + " " + _("({rest} short)").format(
            rest=format_durasi_menit(target_menit - total_menit))
    if total_menit > target_menit:
        return base + " " + _("({rest} over)").format(
            rest=format_durasi_menit(total_menit - target_menit))
    return base + " " + _("(reached)")


class DayTotalsModel(PagedTableModel[DayTotal]):
    """The per-day totals of one week (fixed rows, via `set_rows`)."""

    HARI, TOTAL, ENTRI = range(3)

    def convert(self, raw: Mapping[str, Any]) -> DayTotal:
        return DayTotal(date.fromisoformat(str(raw["tanggal"])), int(raw["menit"]),
                        int(raw["entri"]))

    def headers(self) -> tuple[str, ...]:
        return (_("Day"), _("Total"), _("Entries"))

    def display(self, r: DayTotal, col: int) -> str:
        if col == self.HARI:
            return format_tanggal(r.tanggal, dengan_hari=True)
        if col == self.TOTAL:
            text = format_durasi_menit(r.menit)
            return text + " ⚠" if r.over_cap else text
        return r.entries_text()

    def accessible(self, r: DayTotal, col: int) -> str:
        if col == self.HARI:
            return r.summary()
        if col == self.TOTAL:
            text = format_durasi_menit(r.menit)
            if r.over_cap:
                text += ", " + _("more than {cap}").format(
                    cap=format_durasi_menit(BATAS_HARIAN_MENIT))
            return text
        return self.display(r, col)
