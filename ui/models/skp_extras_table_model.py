"""The SKP's perilaku kerja (the seven BerAKHLAK values, read-only) and its lampiran lines,
plus the problems that block submitting (for the review dialog)."""

from __future__ import annotations

from dataclasses import dataclass

from asndesk.domain.skp import BERAKHLAK, JenisLampiran, Skp
from asndesk.errors import ValidationError
from asndesk.i18n import _
from ui.models.rows_table_model import RowsTableModel
from ui.skp_words import LAMPIRAN, problem_place, word


@dataclass(frozen=True)
class PerilakuRow:
    kode: int
    nama: str
    panduan: tuple[str, ...]
    ekspektasi: str | None


def perilaku_rows(skp: Skp) -> list[PerilakuRow]:
    """The seven values in official order, with any ekspektasi khusus the SKP holds."""
    expectations = {p.kode: p.ekspektasi_khusus for p in skp.perilaku}
    return [PerilakuRow(n.kode, n.nama, n.panduan, expectations.get(n.kode) or None)
            for n in BERAKHLAK]


class PerilakuTableModel(RowsTableModel[PerilakuRow]):
    NILAI, PANDUAN, EKSPEKTASI = range(3)

    def headers(self) -> tuple[str, ...]:
        return (_("Core value"), _("Behaviour guides"), _("Leader's special expectation"))

    def display(self, row: PerilakuRow, col: int) -> str:
        if col == self.NILAI:
            return f"{row.kode}. {row.nama}"
        if col == self.PANDUAN:
            return "; ".join(row.panduan)
        return row.ekspektasi or ""

    def spoken(self, row: PerilakuRow, col: int) -> str:
        if col == self.EKSPEKTASI and not row.ekspektasi:
            return _("no special expectation")
        return self.display(row, col)

    def summary(self, row: PerilakuRow) -> str:
        text = _("{number}. {value}: {guides}").format(
            number=row.kode, value=row.nama, guides="; ".join(row.panduan))
        if row.ekspektasi:
            text += "; " + _("special expectation: {text}").format(text=row.ekspektasi)
        return text


@dataclass(frozen=True)
class LampiranRow:
    id: str
    index: int
    jenis: JenisLampiran
    teks: str


def lampiran_rows(skp: Skp) -> list[LampiranRow]:
    return [LampiranRow(item.id, i, item.jenis, item.teks) for i, item in enumerate(skp.lampiran)]


class LampiranTableModel(RowsTableModel[LampiranRow]):
    JENIS, TEKS = range(2)

    def headers(self) -> tuple[str, ...]:
        return (_("List"), _("Text"))

    def display(self, row: LampiranRow, col: int) -> str:
        return word(LAMPIRAN, row.jenis) if col == self.JENIS else row.teks

    def summary(self, row: LampiranRow) -> str:
        return f"{word(LAMPIRAN, row.jenis)}: {row.teks}"


@dataclass(frozen=True)
class ProblemRow:
    field: str          # the core's path, e.g. "rhk[0].iki[1].target_nilai"
    place: str          # the same in words
    message: str


def problem_rows(skp: Skp, problems: list[ValidationError]) -> list[ProblemRow]:
    return [ProblemRow(p.field, problem_place(skp, p.field), p.message()) for p in problems]


class ProblemTableModel(RowsTableModel[ProblemRow]):
    PLACE, MESSAGE = range(2)

    def headers(self) -> tuple[str, ...]:
        return (_("Where"), _("What to fix"))

    def display(self, row: ProblemRow, col: int) -> str:
        return row.place if col == self.PLACE else row.message

    def summary(self, row: ProblemRow) -> str:
        return _("{field}: {message}").format(field=row.place, message=row.message)
