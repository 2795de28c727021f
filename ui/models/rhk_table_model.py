"""RHK rows of one SKP section (A. Utama or B. Tambahan) for the SKP page's RHK tables.

Column 0 reads the whole RHK: its number, text, the supervisor's RHK it serves and how many
indicators (IKI) it has.
"""

from __future__ import annotations

from dataclasses import dataclass

from asndesk.domain.skp import JenisRhk, Perspektif, Skp
from asndesk.i18n import _, ngettext
from ui.models.rows_table_model import RowsTableModel
from ui.skp_words import PERSPEKTIF, rhk_number, word


@dataclass(frozen=True)
class RhkRow:
    id: str
    index: int          # position in `Skp.rhk` (the core's problem paths count this way)
    nomor: str          # "A.1", "B.2"
    jenis: JenisRhk
    teks: str
    rhk_atasan: str | None
    perspektif: Perspektif | None
    jumlah_iki: int

    def iki_text(self) -> str:
        return ngettext("{n} indicator", "{n} indicators", self.jumlah_iki).format(
            n=self.jumlah_iki)


def rhk_rows(skp: Skp, jenis: JenisRhk) -> list[RhkRow]:
    """The SKP's RHK of one section, numbered as printed."""
    return [RhkRow(r.id, i, rhk_number(skp, i), r.jenis, r.teks, r.rhk_atasan, r.perspektif,
                   len(r.iki))
            for i, r in enumerate(skp.rhk) if r.jenis == jenis]


class RhkTableModel(RowsTableModel[RhkRow]):
    TEKS, ATASAN, PERSPEKTIF, IKI = range(4)

    def headers(self) -> tuple[str, ...]:
        return (_("RHK"), _("Supervisor's RHK this serves"), _("Perspective"),
                _("Indicators (IKI)"))

    def display(self, row: RhkRow, col: int) -> str:
        if col == self.TEKS:
            return f"{row.nomor} {row.teks}"
        if col == self.ATASAN:
            return row.rhk_atasan or ""
        if col == self.PERSPEKTIF:
            return word(PERSPEKTIF, row.perspektif)
        return str(row.jumlah_iki)

    def spoken(self, row: RhkRow, col: int) -> str:
        if col == self.IKI:
            return row.iki_text()
        return self.display(row, col)

    def summary(self, row: RhkRow) -> str:
        parts = [_("RHK {number}: {text}").format(number=row.nomor, text=row.teks)]
        if row.rhk_atasan:
            parts.append(_("serves the supervisor's RHK: {text}").format(text=row.rhk_atasan))
        if row.perspektif is not None:
            parts.append(_("perspective {name}").format(name=word(PERSPEKTIF, row.perspektif)))
        parts.append(row.iki_text())
        return "; ".join(parts)
