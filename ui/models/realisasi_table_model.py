"""The IKI of one SKP with their target and the realisasi of one period (Realisasi page).

Rows are built from the core's `Skp` and `realisasi_list` dicts by `realisasi_rows`, so the
model is tested without widgets. Column 0 (the indicator) reads the whole row to a screen
reader; an empty realisasi reads "not filled in yet", never a blank cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from asndesk.domain.skp import JenisRhk, Skp
from asndesk.i18n import _, ngettext
from ui.models.rows_table_model import RowsTableModel, angka


@dataclass(frozen=True)
class RealisasiRow:
    """One IKI and, when recorded, its realisasi in the chosen period."""

    iki_id: str
    rhk: str
    rhk_jenis: str
    indikator: str
    aspek: str | None
    target_nilai: Decimal
    target_satuan: str
    realisasi_id: str | None = None
    nilai: Decimal | None = None
    uraian: str = ""
    bukti: int = 0

    @property
    def target(self) -> str:
        return f"{angka(self.target_nilai)} {self.target_satuan}".strip()

    @property
    def recorded(self) -> bool:
        return self.realisasi_id is not None

    def realisasi_text(self) -> str:
        if not self.recorded:
            return _("not filled in yet")
        if self.nilai is None:
            return _("recorded, no value")
        return f"{angka(self.nilai)} {self.target_satuan}".strip()

    def bukti_text(self) -> str:
        return ngettext("{n} evidence item", "{n} evidence items", self.bukti).format(n=self.bukti)

    def summary(self) -> str:
        """What column 0 reads to a screen reader: the whole row in one sentence."""
        parts = [self.indikator,
                 _("target {target}").format(target=self.target),
                 _("realisation: {value}").format(value=self.realisasi_text())]
        if self.recorded:
            parts.append(self.bukti_text())
        return "; ".join(parts)


def realisasi_rows(skp: Skp, realisasi: Iterable[dict[str, Any]]) -> list[RealisasiRow]:
    """Every IKI of `skp` in document order (A. Utama, then B. Tambahan), with its realisasi
    of the period `realisasi` (the core's `realisasi_list(skp_id, period_id)`) came from."""
    by_iki = {r["iki_id"]: r for r in realisasi}
    out = []
    for rhk in skp.rhk:
        for iki in rhk.iki:
            r = by_iki.get(iki.id)
            out.append(RealisasiRow(
                iki_id=iki.id, rhk=rhk.teks, rhk_jenis=str(rhk.jenis), indikator=iki.indikator,
                aspek=None if iki.aspek is None else str(iki.aspek),
                target_nilai=iki.target_nilai, target_satuan=iki.target_satuan,
                realisasi_id=None if r is None else r["id"],
                nilai=None if r is None or r.get("nilai") in (None, "") else Decimal(r["nilai"]),
                uraian="" if r is None else r.get("uraian") or "",
                bukti=0 if r is None else int(r.get("bukti") or 0)))
    return out


class RealisasiTableModel(RowsTableModel[RealisasiRow]):
    INDIKATOR, RHK, TARGET, REALISASI, URAIAN, BUKTI = range(6)
    tooltip_columns = frozenset({INDIKATOR, RHK, URAIAN})

    def headers(self) -> tuple[str, ...]:
        return (_("Indicator (IKI)"), _("RHK"), _("Target"), _("Realisation"),
                _("Description"), _("Evidence"))

    def display(self, r: RealisasiRow, col: int) -> str:
        if col == self.INDIKATOR:
            return r.indikator
        if col == self.RHK:
            return r.rhk
        if col == self.TARGET:
            return r.target
        if col == self.REALISASI:
            return r.realisasi_text()
        if col == self.URAIAN:
            return r.uraian
        return r.bukti_text()

    def summary(self, r: RealisasiRow) -> str:
        return r.summary()

    def spoken(self, r: RealisasiRow, col: int) -> str:
        if col == self.RHK:
            jenis = _("Main") if r.rhk_jenis == JenisRhk.UTAMA else _("Additional")
            return f"{r.rhk} ({jenis})"
        if col == self.URAIAN and not r.uraian:
            return _("no description")
        return self.display(r, col)

    def sort_key(self, r: RealisasiRow, col: int) -> Any:
        if col == self.TARGET:
            return float(r.target_nilai)
        if col == self.REALISASI:
            return -1.0 if r.nilai is None else float(r.nilai)
        if col == self.BUKTI:
            return r.bukti
        return self.display(r, col).casefold()

    def row_key(self, r: RealisasiRow) -> object:
        return r.iki_id
