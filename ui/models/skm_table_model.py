"""The IKM of a service unit element by element (SKM page): code, element, how many answered,
NRR and weighted NRR (NRR × 1/9), straight from `hitung_ikm`'s exact values; and the words
the page shows for the IKM on both scales and for the sample."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from asndesk.domain.formatting import format_angka, format_rentang_tanggal
from asndesk.domain.ikm import UNSUR_SKM
from asndesk.i18n import _, current_locale, ngettext
from asndesk.skm_usecases import POPULASI_DIISI, IkmRingkasan
from ui.models.rows_table_model import RowsTableModel

DESIMAL_NRR = 3
"""NRR and the 1–4 IKM show 3 decimals, the 25–100 IKM 2 (the value that is classified),
as in the printed IKM report."""

def nrr_text(x: Fraction) -> str:
    return format_angka(x, DESIMAL_NRR)


@dataclass(frozen=True)
class NrrRow:
    kode: str
    nama: str
    menjawab: int
    nrr: Fraction | None  # None: nobody answered this element yet

    @property
    def id(self) -> str:
        return self.kode

    @property
    def tertimbang(self) -> Fraction | None:
        """The element's share of the IKM: weight exactly 1/9."""
        return None if self.nrr is None else self.nrr / len(UNSUR_SKM)

    def summary(self) -> str:
        if self.nrr is None:
            return _("{code} {name}: nobody answered it yet").format(code=self.kode,
                                                                     name=self.nama)
        return ngettext("{code} {name}: NRR {nrr}, {n} answer",
                        "{code} {name}: NRR {nrr}, {n} answers", self.menjawab).format(
            code=self.kode, name=self.nama, nrr=nrr_text(self.nrr), n=self.menjawab)


def nrr_rows(summary: IkmRingkasan) -> list[NrrRow]:
    """One row per element; none at all when there is no form yet."""
    if not summary.jumlah_form:
        return []
    return [NrrRow(kode, nama, summary.jumlah_menjawab.get(kode, 0), summary.nrr.get(kode))
            for kode, nama in UNSUR_SKM.items()]


class NrrTableModel(RowsTableModel[NrrRow]):
    KODE, UNSUR, MENJAWAB, NRR, TERTIMBANG = range(5)

    def set_summary(self, summary: IkmRingkasan | None) -> None:
        self.set_rows(nrr_rows(summary) if summary is not None else [])

    def headers(self) -> tuple[str, ...]:
        return (_("Code"), _("Element"), _("Answered"), _("NRR (1–4)"),
                _("Weighted NRR (× 1/9)"))

    def display(self, row: NrrRow, col: int) -> str:
        if col == self.KODE:
            return row.kode
        if col == self.UNSUR:
            return row.nama
        if col == self.MENJAWAB:
            return str(row.menjawab)
        value = row.nrr if col == self.NRR else row.tertimbang
        return "" if value is None else nrr_text(value)

    def summary(self, row: NrrRow) -> str:
        return row.summary()

    def sort_key(self, row: NrrRow, col: int) -> Any:
        if col == self.MENJAWAB:
            return row.menjawab
        if col in (self.NRR, self.TERTIMBANG):
            return row.nrr if row.nrr is not None else Fraction(-1)
        return self.display(row, col).casefold()


def ikm_text(summary: IkmRingkasan) -> str:
    """One sentence: the unit, the period, the IKM on both scales and its mutu (or why not)."""
    where = _("{unit}, {period}").format(
        unit=summary.unit_layanan,
        period=format_rentang_tanggal(summary.dari, summary.sampai, current_locale()))
    hasil = summary.hasil
    if hasil is None:
        reason = summary.masalah.message() if summary.masalah is not None else ""
        return _("{where}: the IKM cannot be computed yet. {reason}").format(
            where=where, reason=reason).strip()
    return ngettext(
        "{where}: IKM {nilai} on the 1–4 scale, {konversi} on the 25–100 scale; service "
        "quality {mutu} ({words}), from {n} form.",
        "{where}: IKM {nilai} on the 1–4 scale, {konversi} on the 25–100 scale; service "
        "quality {mutu} ({words}), from {n} forms.", hasil.jumlah_responden).format(
        where=where, nilai=nrr_text(hasil.ikm_nilai),
        konversi=format_angka(hasil.ikm_konversi_bulat, 2), mutu=hasil.mutu.value,
        words=hasil.mutu.kinerja_unit, n=hasil.jumlah_responden)


def sample_text(summary: IkmRingkasan) -> str:
    """The Krejcie–Morgan sample against the forms collected, saying where the population
    came from (typed, or the services completed in the period on this device)."""
    if summary.populasi is None or summary.sampel_minimal is None:
        return ngettext(
            "{n} form collected. No population known (no completed services recorded in "
            "this period): type the population to see the sample size needed.",
            "{n} forms collected. No population known (no completed services recorded in "
            "this period): type the population to see the sample size needed.",
            summary.jumlah_form).format(n=summary.jumlah_form)
    if summary.populasi_sumber == POPULASI_DIISI:
        source = _("population {n} as typed").format(n=summary.populasi)
    else:
        source = ngettext(
            "population {n}: the service completed in this period on this device",
            "population {n}: the services completed in this period on this device",
            summary.populasi).format(n=summary.populasi)
    needed = _("Sample needed (Krejcie–Morgan, {source}): {need} forms; collected: "
               "{got}.").format(source=source, need=summary.sampel_minimal,
                                got=summary.jumlah_form)
    short = summary.kekurangan_sampel or 0
    if short:
        return needed + " " + ngettext("{n} more form needed.", "{n} more forms needed.",
                                       short).format(n=short)
    return needed + " " + _("The sample is large enough.")
