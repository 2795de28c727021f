"""A unit's predikat distribution against its capaian kinerja organisasi (Organisasi page):
one row per predikat with its count, share of the rated members, the SE 3/2023 guidance for
that predikat and whether the unit departs from it (as `distribution_warnings` says)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from asndesk.domain.formatting import format_persen
from asndesk.domain.ratings import ATURAN_DISTRIBUSI, CapaianOrganisasi, Predikat
from asndesk.i18n import _, ngettext
from ui.models.rows_table_model import RowsTableModel


def guidance_text(capaian: str | None, predikat: Predikat) -> str:
    """What SE 3/2023 says about `predikat` for `capaian` ("" when it says nothing)."""
    if capaian not in set(CapaianOrganisasi):
        return ""
    parts = []
    for rule in ATURAN_DISTRIBUSI[CapaianOrganisasi(capaian)]:
        if predikat not in rule.predikat:
            continue
        others = [p.value for p in rule.predikat if p is not predikat]
        if rule.jenis == "max":
            text = _("at most {limit}%").format(limit=rule.batas)
        elif rule.jenis == "min":
            text = _("at least {limit}%").format(limit=rule.batas)
        elif rule.jenis == "at_least_one":
            text = _("at least one")
        else:
            text = _("none")
        if others:
            text = _("{rule} (together with {other})").format(rule=text, other=others[0])
        parts.append(text)
    return "; ".join(parts)


@dataclass(frozen=True)
class DistributionRow:
    predikat: Predikat
    count: int
    total: int
    guidance: str
    departs: bool

    @property
    def id(self) -> str:
        return self.predikat.value

    def percent_text(self) -> str:
        return format_persen(Fraction(100 * self.count, self.total), 2) if self.total else "—"

    def state_text(self) -> str:
        if not self.guidance:
            return _("no guidance")
        return _("departs from the guidance") if self.departs else _("within the guidance")

    def summary(self) -> str:
        people = ngettext("{n} employee", "{n} employees", self.count).format(n=self.count)
        text = _("{predikat}: {people}, {percent}").format(
            predikat=self.predikat.value, people=people, percent=self.percent_text())
        if self.guidance:
            text += "; " + _("guidance {guidance}, {state}").format(
                guidance=self.guidance, state=self.state_text())
        return text


def distribution_rows(found: Mapping[str, Any]) -> list[DistributionRow]:
    """Rows from `Workspace.unit_distribution`; a predikat named by a warning departs."""
    named: set[str] = set()
    for warning in found.get("warnings", []):
        named.add(str(warning.params.get("predikat")))
        if "predikat_lain" in warning.params:
            named.add(str(warning.params["predikat_lain"]))
    counts, total, capaian = found["counts"], int(found["total"]), found.get("capaian")
    return [DistributionRow(p, int(counts.get(p.value, 0)), total, guidance_text(capaian, p),
                            p.value in named) for p in Predikat]


class DistributionTableModel(RowsTableModel[DistributionRow]):
    PREDIKAT, JUMLAH, PERSEN, PANDUAN, KEADAAN = range(5)

    def headers(self) -> tuple[str, ...]:
        return (_("Predikat"), _("Employees"), _("Share of rated"), _("Guidance"),
                _("Against the guidance"))

    def display(self, row: DistributionRow, col: int) -> str:
        if col == self.PREDIKAT:
            return row.predikat.value
        if col == self.JUMLAH:
            return str(row.count)
        if col == self.PERSEN:
            return row.percent_text()
        if col == self.PANDUAN:
            return row.guidance or "—"
        return row.state_text()

    def spoken(self, row: DistributionRow, col: int) -> str:
        if col == self.PERSEN and not row.total:
            return _("nobody rated yet")
        if col == self.PANDUAN and not row.guidance:
            return _("no guidance")
        return self.display(row, col)

    def summary(self, row: DistributionRow) -> str:
        return row.summary()

    def sort_key(self, row: DistributionRow, col: int) -> Any:
        if col in (self.PREDIKAT, self.KEADAAN):
            return list(Predikat).index(row.predikat)
        if col in (self.JUMLAH, self.PERSEN):
            return row.count
        return self.display(row, col).casefold()
