"""HR's periods on the office server (Organisasi page): name, dates, deadline and status in
words; column 0 reads the whole row."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from asndesk.domain.formatting import format_tanggal
from asndesk.domain.periods import JenisPeriode, Periode
from asndesk.i18n import N_, _, current_locale, gettext
from ui.models.rows_table_model import RowsTableModel

JENIS_LABELS = {"bulanan": N_("Monthly"), "triwulan": N_("Quarterly"),
                "semester": N_("Semester"), "tahunan": N_("Annual")}
STATUS_LABELS = {"terbuka": N_("Open"), "ditutup": N_("Closed")}


_PERIOD_ID = re.compile(r"^(\d{4})-(?:TW([1-4])|S([12])|(0[1-9]|1[0-2])|(TH))$")


def name_of_id(period_id: str) -> str:
    """"2026-TW2" → "Triwulan II 2026" (the id itself when it is not one of ours)."""
    match = _PERIOD_ID.match(period_id)
    if not match:
        return period_id
    tahun, tw, sem, bulan, _th = match.groups()
    jenis, nomor = (("triwulan", tw) if tw else ("semester", sem) if sem else
                    ("bulanan", bulan) if bulan else ("tahunan", "1"))
    day = date(int(tahun), 1, 1)
    return Periode(period_id, int(tahun), JenisPeriode(jenis), int(nomor), day, day,
                   day).label(current_locale())


def jenis_text(jenis: str) -> str:
    return gettext(JENIS_LABELS[jenis]) if jenis in JENIS_LABELS else jenis


def status_text(status: str) -> str:
    return gettext(STATUS_LABELS[status]) if status in STATUS_LABELS else status


@dataclass(frozen=True)
class PeriodRow:
    id: str
    tahun: int
    jenis: str
    nomor: int
    mulai: date
    selesai: date
    batas_pengisian: date
    status: str
    nama: str

    @classmethod
    def from_dict(cls, r: Mapping[str, Any]) -> PeriodRow:
        mulai, selesai = date.fromisoformat(str(r["mulai"])), date.fromisoformat(str(r["selesai"]))
        batas = date.fromisoformat(str(r["batas_pengisian"]))
        try:  # "Triwulan II 2026" / "Quarter II 2026"
            nama = Periode(str(r["id"]), int(r["tahun"]), JenisPeriode(r["jenis"]),
                           int(r["nomor"]), mulai, selesai, batas).label(current_locale())
        except (ValueError, IndexError):
            nama = str(r["id"])
        return cls(str(r["id"]), int(r["tahun"]), str(r["jenis"]), int(r["nomor"]), mulai,
                   selesai, batas, str(r.get("status") or "terbuka"), nama)

    @property
    def closed(self) -> bool:
        return self.status == "ditutup"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "tahun": self.tahun, "jenis": self.jenis, "nomor": self.nomor,
                "mulai": self.mulai.isoformat(), "selesai": self.selesai.isoformat(),
                "batas_pengisian": self.batas_pengisian.isoformat(), "status": self.status}

    def summary(self) -> str:
        return _("{name} ({kind}), {start} to {end}, input deadline {deadline}, {status}"
                 ).format(name=self.nama, kind=jenis_text(self.jenis),
                          start=format_tanggal(self.mulai), end=format_tanggal(self.selesai),
                          deadline=format_tanggal(self.batas_pengisian),
                          status=status_text(self.status))


class PeriodTableModel(RowsTableModel[PeriodRow]):
    NAMA, JENIS, MULAI, SELESAI, BATAS, STATUS = range(6)

    def set_periods(self, raw: Sequence[Mapping[str, Any]]) -> None:
        self.set_rows([PeriodRow.from_dict(r) for r in raw])

    def headers(self) -> tuple[str, ...]:
        return (_("Period"), _("Kind"), _("Start"), _("End"), _("Input deadline"),
                _("Status"))

    def display(self, row: PeriodRow, col: int) -> str:
        if col == self.NAMA:
            return row.nama
        if col == self.JENIS:
            return jenis_text(row.jenis)
        if col in (self.MULAI, self.SELESAI, self.BATAS):
            return format_tanggal((row.mulai, row.selesai, row.batas_pengisian)[col - 2])
        return status_text(row.status)

    def summary(self, row: PeriodRow) -> str:
        return row.summary()

    def sort_key(self, row: PeriodRow, col: int) -> Any:
        if col in (self.NAMA, self.MULAI):
            return (row.jenis == "tahunan", row.mulai.isoformat(), row.id)
        if col == self.SELESAI:
            return row.selesai.isoformat()
        if col == self.BATAS:
            return row.batas_pengisian.isoformat()
        return self.display(row, col).casefold()
