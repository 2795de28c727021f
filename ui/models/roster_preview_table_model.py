"""The roster import's preview: each record of the chosen CSV by its line number, with the
server's verdict on that line in words (refused rows first say why), and the supervisor
links the file sets. Tested without widgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from asndesk.i18n import N_, _
from sync.roster_admin import RosterLine, RosterReport, RowProblem
from ui.models.rows_table_model import RowsTableModel

# The server's row codes (sync/server/roster_csv.py, roster.py and the identity checks).
ROW_CODES = {
    "missing": N_("a value is required here"),
    "bad_length": N_("wrong number of digits (a NIP has 18)"),
    "bad_chars": N_("contains characters that are not allowed"),
    "bad_date": N_("not a valid date (write YYYY-MM-DD)"),
    "bad_month": N_("the month inside the number is not valid"),
    "bad_sex": N_("the sex digit inside the NIP is not 1 or 2"),
    "bad_sequence": N_("the sequence number inside the NIP is not valid"),
    "age_too_low": N_("the birth date in the NIP gives an age that is too low"),
    "age_too_high": N_("the birth date in the NIP gives an age that is too high"),
    "appointment_before_birth": N_("the appointment year in the NIP is before the birth"),
    "tmt_before_birth": N_("the appointment date in the NIP is before the birth"),
    "unknown": N_("not a known value"),
    "not_allowed": N_("must be empty for this kind of employee"),
    "too_long": N_("the text is too long"),
    "self": N_("a person cannot be their own supervisor"),
    "conflict": N_("both a NIP and a name are given; give only one"),
    "too_many_fields": N_("the row has more cells than the header has columns"),
    "duplicate": N_("the same person is already on an earlier line of this file"),
    "ambiguous": N_("several people on the server have this name"),
    "forbidden_unit": N_("this unit is not one you manage"),
    "unknown_unit": N_("unknown unit; only an administrator can create one (with unit_nama)"),
    "unknown_person": N_("this supervisor is neither on the server nor on an accepted line "
                         "of this file"),
    "before_current": N_("the date is before the start of the supervisor link now in force"),
}


def problem_text(p: RowProblem) -> str:
    """One problem of a line in words: the column as the file names it, then why."""
    reason = _(ROW_CODES[p.code]) if p.code in ROW_CODES else _(
        "not accepted (code {code})").format(code=p.code)
    column = _("the row") if p.field == "row" else p.field
    return _("{column}: {reason}").format(column=column, reason=reason)


@dataclass(frozen=True)
class PreviewRow:
    line: int
    nip: str
    nama: str
    unit: str
    penilai: str
    atasan: str
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    checked: bool        # the server has given its verdict on this file

    @property
    def id(self) -> int:
        return self.line

    @property
    def refused(self) -> bool:
        return bool(self.problems)


def preview_rows(lines: Iterable[RosterLine], report: RosterReport | None) -> list[PreviewRow]:
    """Every record of the file; with the server's report, each line's problems and notes."""
    errors: dict[int, list[str]] = {}
    notes: dict[int, list[str]] = {}
    for found, into in (((report.errors if report else ()), errors),
                        ((report.warnings if report else ()), notes)):
        for p in found:
            into.setdefault(p.line, []).append(problem_text(p))
    return [PreviewRow(
        line=r.line, nip=r.get("nip"), nama=r.get("nama"), unit=r.get("unit_kode"),
        penilai=r.get("nip_penilai") or r.get("penilai_non_asn"),
        atasan=r.get("nip_atasan_penilai") or r.get("atasan_penilai_non_asn"),
        problems=tuple(errors.get(r.line, ())), notes=tuple(notes.get(r.line, ())),
        checked=report is not None) for r in lines]


class RosterPreviewTableModel(RowsTableModel[PreviewRow]):
    LINE, VERDICT, NIP, NAMA, UNIT, PENILAI, ATASAN = range(7)
    tooltip_columns = (1,)   # a long list of reasons is also in the tooltip

    def headers(self) -> tuple[str, ...]:
        return (_("Line"), _("Verdict"), _("NIP"), _("Name"), _("Unit"),
                _("Pejabat penilai (NIP)"), _("Atasan pejabat penilai (NIP)"))

    def verdict(self, r: PreviewRow) -> str:
        if not r.checked:
            return _("Not checked yet")
        if r.refused:
            return _("Refused: {reasons}").format(reasons="; ".join(r.problems))
        if r.notes:
            return _("Accepted, note: {notes}").format(notes="; ".join(r.notes))
        return _("Accepted")

    def display(self, r: PreviewRow, col: int) -> str:
        return (str(r.line), self.verdict(r), r.nip, r.nama, r.unit, r.penilai,
                r.atasan)[col]

    def summary(self, r: PreviewRow) -> str:
        parts = [_("Line {line}").format(line=r.line), self.verdict(r), r.nama or _("no name")]
        if r.penilai:
            parts.append(_("pejabat penilai {nip}").format(nip=r.penilai))
        if r.atasan:
            parts.append(_("atasan pejabat penilai {nip}").format(nip=r.atasan))
        return ", ".join(parts)

    def sort_key(self, r: PreviewRow, col: int) -> Any:
        return r.line if col == self.LINE else self.display(r, col).casefold()

