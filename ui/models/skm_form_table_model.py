"""The saved SKM forms of a service unit and period (SKM page): date, service type, the nine
answers as one compact text ("3 4 3 3 4 4 3 2 4", "-" for an element left blank), the
suggestion and who typed it in; column 0 reads the whole form in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from asndesk.domain.formatting import format_tanggal
from asndesk.domain.ikm import UNSUR_SKM
from asndesk.i18n import _
from ui.models.rows_table_model import RowsTableModel

ANSWER_KEYS = tuple(f"u{n}" for n in range(1, len(UNSUR_SKM) + 1))
BLANK = "-"  # an element the respondent left blank


@dataclass(frozen=True)
class SkmFormRow:
    id: str
    tanggal: date
    jenis: str  # "kode — nama" of the service type, "" when not specified
    jawaban: tuple[int | None, ...]  # U1..U9
    saran: str
    milik_sendiri: bool  # False: another person's form from sync (read-only here)
    owner_nip: str = ""

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> SkmFormRow:
        """From a `Workspace.skm_responses` row (own forms and replicas alike)."""
        kode, nama = row.get("jenis_kode"), row.get("jenis_nama")
        jenis = f"{kode} — {nama}" if kode and nama else str(kode or nama or "")
        return cls(
            id=str(row["id"]), tanggal=date.fromisoformat(str(row["tanggal"])), jenis=jenis,
            jawaban=tuple(_answer(row.get(key)) for key in ANSWER_KEYS),
            saran=str(row.get("saran") or ""),
            milik_sendiri=bool(row.get("milik_sendiri", 1)),
            owner_nip=str(row.get("owner_nip") or ""))

    def answers_text(self) -> str:
        return " ".join(BLANK if a is None else str(a) for a in self.jawaban)

    def answers_words(self) -> str:
        """"U1 3, U2 4, …": each answer named by its element, a blank one said as such."""
        return ", ".join(
            f"{kode} {a}" if a is not None else _("{code} not answered").format(code=kode)
            for kode, a in zip(UNSUR_SKM, self.jawaban, strict=True))

    def owner_text(self) -> str:
        if self.milik_sendiri:
            return _("You")
        return _("Another officer ({nip})").format(nip=self.owner_nip) if self.owner_nip \
            else _("Another officer")

    def summary(self) -> str:
        words = _("Form of {date}, service type {type}: {answers}.").format(
            date=format_tanggal(self.tanggal), type=self.jenis or _("not specified"),
            answers=self.answers_words())
        if self.saran:
            words += " " + _("Suggestion: {text}").format(text=self.saran)
        if not self.milik_sendiri:
            words += " " + _("Typed in by another officer; read-only here.")
        return words


def _answer(value: object) -> int | None:
    if value is None or value == "":
        return None
    return int(str(value))


def form_rows(found: list[dict[str, Any]]) -> list[SkmFormRow]:
    return [SkmFormRow.of(r) for r in found]


class SkmFormTableModel(RowsTableModel[SkmFormRow]):
    TANGGAL, JENIS, JAWABAN, SARAN, PENGISI = range(5)
    tooltip_columns = (1, 3)  # the long ones: service type and suggestion

    def headers(self) -> tuple[str, ...]:
        return (_("Date"), _("Service type"), _("Answers U1–U9"), _("Suggestion"),
                _("Typed in by"))

    def display(self, row: SkmFormRow, col: int) -> str:
        if col == self.TANGGAL:
            return format_tanggal(row.tanggal)
        if col == self.JENIS:
            return row.jenis
        if col == self.JAWABAN:
            return row.answers_text()
        if col == self.SARAN:
            return row.saran
        return row.owner_text()

    def spoken(self, row: SkmFormRow, col: int) -> str:
        if col == self.JAWABAN:
            return row.answers_words()
        if col == self.JENIS and not row.jenis:
            return _("not specified")
        return self.display(row, col)

    def summary(self, row: SkmFormRow) -> str:
        return row.summary()

    def sort_key(self, row: SkmFormRow, col: int) -> Any:
        if col == self.TANGGAL:
            return row.tanggal.toordinal()
        return self.display(row, col).casefold()
