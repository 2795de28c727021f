"""The office server's holidays of one year (Organisasi page): date with weekday, name, and
libur nasional or cuti bersama in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from asndesk.domain.formatting import format_tanggal
from asndesk.i18n import N_, _, gettext
from ui.models.rows_table_model import RowsTableModel

JENIS_LIBUR_LABELS = {"libur_nasional": N_("National holiday"),
                      "cuti_bersama": N_("Collective leave (cuti bersama)")}


def jenis_libur_text(jenis: str) -> str:
    return gettext(JENIS_LIBUR_LABELS[jenis]) if jenis in JENIS_LIBUR_LABELS else jenis


@dataclass(frozen=True)
class HolidayRow:
    tanggal: date
    nama: str
    jenis: str

    @classmethod
    def from_dict(cls, r: Mapping[str, Any]) -> HolidayRow:
        return cls(date.fromisoformat(str(r["tanggal"])), str(r["nama"]), str(r["jenis"]))

    @property
    def id(self) -> str:
        return self.tanggal.isoformat()

    def summary(self) -> str:
        return _("{date}: {name}, {kind}").format(
            date=format_tanggal(self.tanggal, dengan_hari=True), name=self.nama,
            kind=jenis_libur_text(self.jenis))


class HolidayTableModel(RowsTableModel[HolidayRow]):
    TANGGAL, NAMA, JENIS = range(3)

    def set_holidays(self, raw: Sequence[Mapping[str, Any]]) -> None:
        self.set_rows(sorted((HolidayRow.from_dict(r) for r in raw), key=lambda h: h.tanggal))

    def headers(self) -> tuple[str, ...]:
        return (_("Date"), _("Name"), _("Kind"))

    def display(self, row: HolidayRow, col: int) -> str:
        if col == self.TANGGAL:
            return format_tanggal(row.tanggal, dengan_hari=True)
        if col == self.NAMA:
            return row.nama
        return jenis_libur_text(row.jenis)

    def summary(self, row: HolidayRow) -> str:
        return row.summary()

    def sort_key(self, row: HolidayRow, col: int) -> Any:
        if col == self.TANGGAL:
            return row.tanggal.isoformat()
        return self.display(row, col).casefold()
