"""The indicators (IKI) of one RHK: indicator, target, unit and aspect, for the SKP page.

The aspect reads as a word ("Kuantitas"); column 0 reads the whole indicator with its target.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from asndesk.domain.formatting import format_angka
from asndesk.domain.skp import Aspek, Rhk
from asndesk.i18n import _
from ui.models.rows_table_model import RowsTableModel
from ui.skp_words import ASPEK, word


def angka(x: Decimal | None) -> str:
    """A target as people write it here ("1.200", "2,5"): no decimals when whole."""
    if x is None:
        return ""
    exponent = x.normalize().as_tuple().exponent
    places = 0 if not isinstance(exponent, int) or exponent >= 0 else -exponent
    return format_angka(x, places)


@dataclass(frozen=True)
class IkiRow:
    id: str
    rhk_id: str
    nomor: int          # 1-based within its RHK
    indikator: str
    target_nilai: Decimal
    target_satuan: str
    aspek: Aspek | None

    def target_text(self) -> str:
        return f"{angka(self.target_nilai)} {self.target_satuan}".strip()

    def form_values(self) -> dict[str, object]:
        """The indicator in the keys of the IKI form (the core's field names)."""
        return {"indikator": self.indikator, "target_nilai": angka(self.target_nilai),
                "target_satuan": self.target_satuan,
                "aspek": str(self.aspek) if self.aspek else None}


def iki_rows(rhk: Rhk) -> list[IkiRow]:
    return [IkiRow(i.id, rhk.id, n, i.indikator, i.target_nilai, i.target_satuan, i.aspek)
            for n, i in enumerate(rhk.iki, start=1)]


class IkiTableModel(RowsTableModel[IkiRow]):
    INDIKATOR, TARGET, SATUAN, ASPEK = range(4)

    def headers(self) -> tuple[str, ...]:
        return (_("Indicator"), _("Target"), _("Unit"), _("Aspect"))

    def display(self, row: IkiRow, col: int) -> str:
        if col == self.INDIKATOR:
            return f"{row.nomor}. {row.indikator}"
        if col == self.TARGET:
            return angka(row.target_nilai)
        if col == self.SATUAN:
            return row.target_satuan
        return word(ASPEK, row.aspek)

    def spoken(self, row: IkiRow, col: int) -> str:
        if col == self.ASPEK and row.aspek is None:
            return _("no aspect")
        return self.display(row, col)

    def summary(self, row: IkiRow) -> str:
        text = _("IKI {number}: {indicator}; target {target}").format(
            number=row.nomor, indicator=row.indikator, target=row.target_text())
        if row.aspek is not None:
            text += "; " + _("aspect {name}").format(name=word(ASPEK, row.aspek))
        return text
