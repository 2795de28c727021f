"""HR's service types on the office server (Organisasi page): code, name, standard time in
working days and whether new services may use the type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from asndesk.i18n import _
from ui.models.rows_table_model import RowsTableModel
from ui.models.service_table_model import hari_kerja_text


@dataclass(frozen=True)
class ServiceTypeRow:
    id: str
    kode: str
    nama: str
    standar_hari_kerja: int
    aktif: bool

    @classmethod
    def from_dict(cls, r: Mapping[str, Any]) -> ServiceTypeRow:
        return cls(str(r["id"]), str(r["kode"]), str(r["nama"]), int(r["standar_hari_kerja"]),
                   bool(r.get("aktif", True)))

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kode": self.kode, "nama": self.nama,
                "standar_hari_kerja": self.standar_hari_kerja, "aktif": self.aktif}

    def active_text(self) -> str:
        return _("active") if self.aktif else _("deactivated")

    def summary(self) -> str:
        return _("{code} — {name}, standard time {standard}, {state}").format(
            code=self.kode, name=self.nama, standard=hari_kerja_text(self.standar_hari_kerja),
            state=self.active_text())


class ServiceTypeTableModel(RowsTableModel[ServiceTypeRow]):
    KODE, NAMA, STANDAR, AKTIF = range(4)

    def set_types(self, raw: Sequence[Mapping[str, Any]]) -> None:
        self.set_rows([ServiceTypeRow.from_dict(r) for r in raw])

    def headers(self) -> tuple[str, ...]:
        return (_("Code"), _("Name"), _("Standard time (working days)"), _("State"))

    def display(self, row: ServiceTypeRow, col: int) -> str:
        if col == self.KODE:
            return row.kode
        if col == self.NAMA:
            return row.nama
        if col == self.STANDAR:
            return str(row.standar_hari_kerja)
        return row.active_text()

    def spoken(self, row: ServiceTypeRow, col: int) -> str:
        if col == self.STANDAR:
            return hari_kerja_text(row.standar_hari_kerja)
        return self.display(row, col)

    def summary(self, row: ServiceTypeRow) -> str:
        return row.summary()

    def sort_key(self, row: ServiceTypeRow, col: int) -> Any:
        if col == self.STANDAR:
            return row.standar_hari_kerja
        return self.display(row, col).casefold()
