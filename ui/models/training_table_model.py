"""Trainings (pengembangan kompetensi) of one year, newest first, with JP and evidence count.

Rows are built from the core's `trainings` dicts by `training_rows`; tested without widgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from asndesk.domain.formatting import format_rentang_tanggal, format_tanggal
from asndesk.i18n import _, ngettext
from ui.models.rows_table_model import RowsTableModel, angka


@dataclass(frozen=True)
class TrainingRow:
    id: str
    nama: str
    penyelenggara: str
    mulai: date
    selesai: date
    jp: Decimal
    bukti: int = 0

    @property
    def tanggal(self) -> str:
        if self.mulai == self.selesai:
            return format_tanggal(self.mulai)
        return format_rentang_tanggal(self.mulai, self.selesai)

    @property
    def jp_text(self) -> str:
        return _("{jp} JP").format(jp=angka(self.jp))

    def bukti_text(self) -> str:
        return ngettext("{n} evidence item", "{n} evidence items", self.bukti).format(n=self.bukti)

    def summary(self) -> str:
        parts = [self.nama]
        if self.penyelenggara:
            parts.append(_("by {organiser}").format(organiser=self.penyelenggara))
        parts += [self.tanggal, self.jp_text, self.bukti_text()]
        return "; ".join(parts)


def training_rows(found: Iterable[Mapping[str, Any]],
                  bukti: Mapping[str, int] | None = None) -> list[TrainingRow]:
    """Rows from `trainings(tahun)` dicts; `bukti` maps a training id to its evidence count."""
    counts = bukti or {}
    return [TrainingRow(id=r["id"], nama=r["nama"], penyelenggara=r.get("penyelenggara") or "",
                        mulai=date.fromisoformat(r["tanggal_mulai"]),
                        selesai=date.fromisoformat(r["tanggal_selesai"]),
                        jp=Decimal(str(r["jp"])), bukti=int(counts.get(r["id"], 0)))
            for r in found]


class TrainingTableModel(RowsTableModel[TrainingRow]):
    NAMA, PENYELENGGARA, TANGGAL, JP, BUKTI = range(5)
    tooltip_columns = ()  # no tooltips: every cell shows all its text

    def headers(self) -> tuple[str, ...]:
        return (_("Training"), _("Organiser"), _("Dates"), _("JP"), _("Evidence"))

    def display(self, r: TrainingRow, col: int) -> str:
        if col == self.NAMA:
            return r.nama
        if col == self.PENYELENGGARA:
            return r.penyelenggara
        if col == self.TANGGAL:
            return r.tanggal
        if col == self.JP:
            return r.jp_text
        return r.bukti_text()

    def summary(self, r: TrainingRow) -> str:
        return r.summary()

    def spoken(self, r: TrainingRow, col: int) -> str:
        if col == self.PENYELENGGARA and not r.penyelenggara:
            return _("no organiser given")
        return self.display(r, col)

    def sort_key(self, r: TrainingRow, col: int) -> Any:
        if col == self.TANGGAL:
            return r.mulai.isoformat()
        if col == self.JP:
            return float(r.jp)
        if col == self.BUKTI:
            return r.bukti
        return self.display(r, col).casefold()
