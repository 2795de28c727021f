"""What the Bawahan page and its dialogs show, read on the DB lane and put into words:
the team, one subordinate's SKP as the supervisor reviews it (with the supervisor's own RHK
each RHK serves), the evidence of a realisation, and the fate of the supervisor's decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from asndesk.domain.periods import PolaPeriode, buat_periode
from asndesk.domain.skp import BERAKHLAK, JenisRhk, StatusSkp
from asndesk.i18n import _, current_locale
from asndesk.team_usecases import TeamSkpView
from asndesk.workspace import Workspace
from ui.models.team_table_model import TeamRow, team_rows
from ui.pages.realisasi_data import period_name
from ui.skp_words import ASPEK, JENIS_JABATAN, STATUS, rhk_number, word
from ui.sync_messages import refusal_words, state_words


@dataclass
class TeamData:
    tahun: int
    years: list[int]
    rows: list[TeamRow]


def load_team(ws: Workspace, tahun: int, today: date) -> TeamData:
    members = ws.team(tahun, today=today)
    years = sorted({today.year, today.year - 1, tahun}, reverse=True)
    return TeamData(tahun, years, team_rows(members))


def periods_of(ws: Workspace, tahun: int) -> list[tuple[str, str]]:
    """(id, name) of the year's periods as HR set them, else the default quarters; the
    annual period (the one the yearly evaluation rates) is always offered."""
    found = [(p["id"], period_name(p)) for p in ws.periods(tahun)]
    if not found:
        made = buat_periode(tahun, PolaPeriode.TRIWULANAN, ws.calendar())
        found = [(p.id, p.label(current_locale())) for p in made]
    if f"{tahun}-TH" not in {pid for pid, _name in found}:
        found.append((f"{tahun}-TH", _("Year {year}").format(year=tahun)))
    return found


# -- one subordinate's SKP ------------------------------------------------------------------
@dataclass
class OwnRhk:
    nomor: str
    teks: str


@dataclass
class ReviewData:
    view: TeamSkpView
    tahun: int
    own_rhk: list[OwnRhk] = field(default_factory=list)
    periods: dict[str, str] = field(default_factory=dict)

    @property
    def nama(self) -> str:
        return str(self.view.person["nama"])

    def target(self) -> dict[str, Any] | None:
        """What a decision now acts on: the submitted SKP, else a submitted amendment."""
        if self.view.skp is not None and self.view.head.get("status") == StatusSkp.DIAJUKAN:
            return self.view.head
        return next((a for a in self.view.amandemen if a.get("status") == StatusSkp.DIAJUKAN),
                    None)

    def pending(self) -> list[dict[str, Any]]:
        """This device's approve/return not yet answered by the server."""
        return [d for d in self.view.decisions if d["kind"] in ("approve", "return")
                and d["state"] in ("pending", "sent")]


def load_review(ws: Workspace, nip: str, tahun: int) -> ReviewData:
    view = ws.team_member(nip, tahun)
    year = int(view.head.get("tahun") or tahun)
    own: list[OwnRhk] = []
    heads = ws.skp_list(year)
    if heads:
        mine = ws.skp(heads[0]["id"])
        own = [OwnRhk(rhk_number(mine, i), r.teks) for i, r in enumerate(mine.rhk)]
    return ReviewData(view, year, own, dict(periods_of(ws, year)))


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def intervened(rhk_atasan: str | None, own: Iterable[OwnRhk]) -> OwnRhk | None:
    """The supervisor's own RHK that a subordinate's RHK names (same words, any spacing)."""
    wanted = _norm(rhk_atasan)
    return next((r for r in own if wanted and _norm(r.teks) == wanted), None)


def intervention_text(rhk_atasan: str | None, data: ReviewData) -> str:
    if not rhk_atasan:
        return _("Names none of your RHK.")
    mine = intervened(rhk_atasan, data.own_rhk)
    if mine is not None:
        return _("Serves your RHK {number}: {text}").format(number=mine.nomor, text=mine.teks)
    if not data.own_rhk:
        return _("Serves “{text}” (you have no SKP of {year} on this device to compare "
                 "with)").format(text=rhk_atasan, year=data.tahun)
    return _("Serves “{text}”, which is not one of your RHK of {year}").format(
        text=rhk_atasan, year=data.tahun)


def evidence_lines(bukti: Iterable[Mapping[str, Any]] | None) -> list[str]:
    """The evidence (bukti dukung) of a realisation, one line each: a file or a link."""
    lines = []
    for item in bukti or ():
        if item.get("tautan"):
            lines.append(_("Link: {url}").format(url=item["tautan"]))
        elif item.get("nama_file"):
            lines.append(_("File: {name}").format(name=item["nama_file"]))
    return lines


def skp_text(data: ReviewData) -> str:
    """The whole SKP as plain lines, for a read-only pane a screen reader reads line by line."""
    view, skp = data.view, data.view.skp
    person = view.person
    lines = [f"{person['nama']} — NIP {person['nip']}"
             + (f" — {person['jabatan']}" if person.get("jabatan") else "")]
    if skp is None:
        lines.append(_("No SKP of {year} has been synced yet.").format(year=data.tahun))
        return "\n".join(lines)
    lines.append(_("SKP {year}: {status} (version {version}); {jabatan}").format(
        year=skp.tahun, status=word(STATUS, skp.status), version=skp.version,
        jabatan=word(JENIS_JABATAN, skp.jenis_jabatan)))
    if view.head.get("catatan_pengembalian"):
        lines.append(_("Return note: {text}").format(text=view.head["catatan_pengembalian"]))
    for section, title in ((JenisRhk.UTAMA, _("A. Main RHK")),
                           (JenisRhk.TAMBAHAN, _("B. Additional RHK"))):
        found = [(i, r) for i, r in enumerate(skp.rhk) if r.jenis == section]
        if not found:
            continue
        lines += ["", title]
        for i, rhk in found:
            lines.append(_("RHK {number}: {text}").format(number=rhk_number(skp, i),
                                                          text=rhk.teks))
            lines.append("  " + intervention_text(rhk.rhk_atasan, data))
            for n, iki in enumerate(rhk.iki, start=1):
                aspek = f" ({word(ASPEK, iki.aspek)})" if iki.aspek else ""
                lines.append("  " + _("IKI {number}: {text}; target {target} {unit}").format(
                    number=n, text=iki.indikator, target=iki.target_nilai,
                    unit=iki.target_satuan) + aspek)
    lines += ["", _("Work behaviour (BerAKHLAK)")]
    lines += [f"  {v.kode}. {v.nama}" for v in BERAKHLAK]
    if skp.lampiran:
        lines += ["", _("Attachments")] + [f"  {item.teks}" for item in skp.lampiran]
    lines += ["", _("Realisations")]
    names = {i.id: i.indikator for r in skp.rhk for i in r.iki}
    if not view.realisasi:
        lines.append("  " + _("none yet"))
    for r in view.realisasi:
        period = data.periods.get(r.get("period_id") or "", r.get("period_id") or "")
        value = f" [{r['nilai']}]" if r.get("nilai") else ""
        lines.append(f"  {period} — {names.get(r.get('iki_id') or '', '?')}: "
                     f"{r.get('uraian') or ''}{value}")
        evidence = evidence_lines(r.get("bukti"))
        lines += [f"    {e}" for e in evidence] or ["    " + _("No evidence attached.")]
    for a in view.amandemen:
        lines += ["", _("Amendment request ({status}, version {version}): {reason}").format(
            status=word(STATUS, a.get("status")), version=a.get("version"),
            reason=a.get("alasan") or "")]
    if view.decisions:
        lines += ["", _("Your decisions on this SKP")]
        lines += ["  " + decision_text(d) for d in view.decisions]
    return "\n".join(lines)


def decision_text(d: Mapping[str, Any]) -> str:
    """"Approval (version 3): accepted by the server" — with the refusal, in words, if any."""
    kind = {"approve": _("Approval"), "return": _("Return for revision"),
            "rate": _("Rating"), "create": _("Feedback")}.get(d["kind"], d["kind"])
    text = _("{kind}: {state}").format(kind=kind, state=state_words(d["state"]))
    if d.get("base_version") is not None:
        text = _("{kind} (version {version}): {state}").format(
            kind=kind, version=d["base_version"], state=state_words(d["state"]))
    if d["state"] in ("rejected", "conflict"):
        text += " — " + refusal_words(d.get("reason") or "", d.get("message_id") or "",
                                      d.get("params") or {})
    return text
