"""The HR officer's unit monitoring as tables: one row per member, and the decisions waiting
per pejabat penilai; the filters the page offers. Tested without widgets.

Rows are the core's `MemberStatus` (asndesk/unit_usecases.py); every coded value reads as
words, and column 0 reads the whole row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from asndesk.domain.formatting import format_tanggal
from asndesk.i18n import N_, _, ngettext
from asndesk.unit_usecases import MemberStatus
from ui.models.rows_table_model import RowsTableModel
from ui.skp_words import STATUS

# filter key -> its label (the page's combo); "all" first
FILTERS = {
    "all": N_("Everyone"),
    "no_skp": N_("SKP not set (not yet approved)"),
    "no_log": N_("No daily log this week"),
    "waiting": N_("Waiting for an approval"),
    "not_synced": N_("Not synced for the chosen number of days"),
}


def matches(p: MemberStatus, kind: str, days: int, search: str = "") -> bool:
    """Whether a member is listed under filter `kind` (`days`: the not-synced threshold) and
    the typed `search` (part of the name or NIP, any case)."""
    needle = search.strip().casefold()
    if needle and needle not in p.nama.casefold() and needle not in p.nip:
        return False
    if kind == "no_skp":
        return not p.skp_ditetapkan
    if kind == "no_log":
        return p.log_minggu_ini == 0
    if kind == "waiting":
        return p.menunggu > 0
    if kind == "not_synced":
        return p.belum_sinkron(days)
    return True


def skp_text(p: MemberStatus) -> str:
    text = _(STATUS[p.status_skp]) if p.status_skp else _("No SKP")
    return _("{status}, past the deadline").format(status=text) if p.lewat_batas else text


def log_text(p: MemberStatus) -> str:
    return ngettext("{n} entry", "{n} entries", p.log_minggu_ini).format(n=p.log_minggu_ini)


def waiting_text(p: MemberStatus) -> str:
    if not p.menunggu:
        return _("nothing waiting")
    return ngettext("{n} waiting", "{n} waiting", p.menunggu).format(n=p.menunggu)


def penilai_text(p: MemberStatus) -> str:
    return p.penilai_nama or p.penilai_nip or _("not known here")


def sync_text(p: MemberStatus) -> str:
    if p.terakhir_sinkron is None or p.hari_tanpa_sinkron is None:
        return _("never synced")
    day = format_tanggal(p.terakhir_sinkron.astimezone().date())
    if p.hari_tanpa_sinkron == 0:
        return _("{date} (today)").format(date=day)
    return ngettext("{date} ({n} day ago)", "{date} ({n} days ago)",
                    p.hari_tanpa_sinkron).format(date=day, n=p.hari_tanpa_sinkron)


class UnitTableModel(RowsTableModel[MemberStatus]):
    NAMA, SKP, LOG, MENUNGGU, PENILAI, SINKRON = range(6)

    def headers(self) -> tuple[str, ...]:
        return (_("Name"), _("SKP"), _("Daily log this week"), _("Approvals"),
                _("Pejabat penilai"), _("Last sync"))

    def row_key(self, row: MemberStatus) -> object:
        return row.nip

    def display(self, p: MemberStatus, col: int) -> str:
        if col == self.NAMA:
            return f"{p.nama} ({p.nip})"
        if col == self.SKP:
            return skp_text(p)
        if col == self.LOG:
            return log_text(p)
        if col == self.MENUNGGU:
            return waiting_text(p)
        if col == self.PENILAI:
            return penilai_text(p)
        return sync_text(p)

    def summary(self, p: MemberStatus) -> str:
        return _("{name}, NIP {nip}: SKP {skp}; daily log this week: {log}; approvals: "
                 "{waiting}; pejabat penilai: {penilai}; last sync: {sync}").format(
            name=p.nama, nip=p.nip, skp=skp_text(p), log=log_text(p), waiting=waiting_text(p),
            penilai=penilai_text(p), sync=sync_text(p))

    def sort_key(self, p: MemberStatus, col: int) -> Any:
        if col == self.LOG:
            return p.log_minggu_ini
        if col == self.MENUNGGU:
            return p.menunggu
        if col == self.SINKRON:   # never synced sorts as the longest gap
            return 10**6 if p.hari_tanpa_sinkron is None else p.hari_tanpa_sinkron
        return self.display(p, col).casefold()


@dataclass(frozen=True)
class PenilaiRow:
    """One pejabat penilai with the decisions the unit's members wait for."""

    nip: str | None
    nama: str | None
    menunggu: int
    pegawai: tuple[str, ...]     # names of the members waiting

    @property
    def id(self) -> str:
        return self.nip or ""


def penilai_rows(people: Iterable[MemberStatus]) -> list[PenilaiRow]:
    """Waiting decisions grouped by pejabat penilai, most waiting first (unknown last)."""
    groups: dict[str | None, list[MemberStatus]] = {}
    for p in people:
        if p.menunggu:
            groups.setdefault(p.penilai_nip, []).append(p)
    rows = [PenilaiRow(nip, next((m.penilai_nama for m in found if m.penilai_nama), None),
                       sum(m.menunggu for m in found), tuple(m.nama for m in found))
            for nip, found in groups.items()]
    return sorted(rows, key=lambda r: (r.nip is None, -r.menunggu, r.nama or ""))


class PenilaiTableModel(RowsTableModel[PenilaiRow]):
    NAMA, MENUNGGU, PEGAWAI = range(3)

    def headers(self) -> tuple[str, ...]:
        return (_("Pejabat penilai"), _("Waiting"), _("For"))

    def display(self, r: PenilaiRow, col: int) -> str:
        if col == self.NAMA:
            if r.nip is None:
                return _("Not known here")
            return f"{r.nama} ({r.nip})" if r.nama else r.nip
        if col == self.MENUNGGU:
            return str(r.menunggu)
        return ", ".join(r.pegawai)

    def summary(self, r: PenilaiRow) -> str:
        return ngettext("{penilai}: {n} decision waiting, for {people}",
                        "{penilai}: {n} decisions waiting, for {people}", r.menunggu).format(
            penilai=self.display(r, self.NAMA), n=r.menunggu, people=", ".join(r.pegawai))

    def sort_key(self, r: PenilaiRow, col: int) -> Any:
        return r.menunggu if col == self.MENUNGGU else self.display(r, col).casefold()
