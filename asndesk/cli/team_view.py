"""Plain-text rendering of the supervisor's and HR officer's views, and of decisions' fate."""

from __future__ import annotations

from typing import Any

from asndesk.cli.common import print_table
from asndesk.cli.skp_view import print_skp
from asndesk.i18n import N_, _
from asndesk.team_usecases import TeamSkpView

# What the server's refusal of a decision means, by message id (reason codes stay visible).
REFUSALS = {
    "stale_decision": N_("the SKP changed after you saw it (version {seen}, now {current}); "
                         "sync, look again and decide again"),
    "not_your_subordinate": N_("you are not this person's pejabat penilai (any more)"),
    "note_required": N_("a note is required when returning an SKP"),
    "bad_transition": N_("not possible while the SKP is {status}"),
    "skp_not_approved": N_("only an approved SKP can be rated"),
    "not_found": N_("the SKP no longer exists on the server"),
}
STATES = {
    "pending": N_("waiting to be sent"),
    "sent": N_("sent, no answer yet"),
    "acked": N_("accepted by the server"),
    "rejected": N_("refused by the server"),
    "conflict": N_("conflict"),
}
KINDS = {"approve": N_("approve"), "return": N_("return"), "rate": N_("rate"),
         "create": N_("feedback")}


def when(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "—"


def describe_decision(d: dict[str, Any]) -> str:
    """One line: what was decided, on which SKP version, and what became of it."""
    kind, state = _(KINDS.get(d["kind"], d["kind"])), _(STATES.get(d["state"], d["state"]))
    text = (f"{kind}: {state}" if d["base_version"] is None else _(
        "{kind} (version {version}): {state}").format(kind=kind, version=d["base_version"],
                                                      state=state))
    if d["kind"] == "rate":
        text += f" — {d['payload'].get('period_id')}"
    if d["state"] in ("rejected", "conflict"):
        reason = REFUSALS.get(d["message_id"] or "")
        detail = _(reason).format(**{"seen": "?", "current": "?", "status": "?",
                                     **d["params"]}) if reason else d["message_id"]
        text += f" — {d['reason']}: {detail}"
    return text


def print_team(members: list[dict[str, Any]], tahun: int) -> None:
    if not members:
        print(_("No subordinates known yet. Sync first: asndesk sync"))
        return
    print(_("Team — SKP {year}").format(year=tahun))
    print_table(
        ["NIP", _("Name"), _("SKP status"), _("Version"), _("Amendments waiting"),
         _("Daily logs"), _("Realisations"), _("Last change"), _("Your decision")],
        [(m["nip"], m["nama"], m["skp"]["status"] if m["skp"] else _("(no SKP)"),
          m["skp"]["version"] if m["skp"] else "", m["amendments_waiting"] or "",
          m["log_harian"], m["realisasi"], when(m["last_change"]),
          _("waiting to be sent") if m["pending_decisions"] else "")
         for m in members])


def print_member(view: TeamSkpView) -> None:
    person = view.person
    print(f"{person['nama']} — NIP {person['nip']}" +
          (f" — {person['jabatan']}" if person.get("jabatan") else ""))
    if view.skp is None:
        print(_("No SKP for this year has been synced yet."))
        return
    print_skp(view.skp, [])
    if view.head.get("catatan_pengembalian"):
        print()
        print(_("Return note: {text}").format(text=view.head["catatan_pengembalian"]))
    print()
    print(_("REALISATIONS"))
    names = {i.id: i.indikator for r in view.skp.rhk for i in r.iki}
    if not view.realisasi:
        print("  " + _("(none)"))
    for r in view.realisasi:
        value = f" [{r['nilai']}]" if r.get("nilai") else ""
        print(f"  {r.get('period_id')}  {names.get(r.get('iki_id') or '', '?')}: "
              f"{r.get('uraian')}{value}   [id {r['id']}]")
    _ratings(view.penilaian)
    _feedback(view.umpan_balik)
    _amendments(view.amandemen)
    print()
    print(_("Daily log entries synced: {count}").format(count=view.log_count))
    if view.decisions:
        print()
        print(_("Your decisions on this SKP:"))
        for d in view.decisions:
            print(f"  - {describe_decision(d)}")


def print_unit(units: list[dict[str, Any]]) -> None:
    if not units:
        print(_("You manage no unit, or nothing is synced yet. Sync first: asndesk sync"))
        return
    for unit in units:
        print(_("Unit {id} — {name} — SKP {year}: {people} people, {pending} waiting for "
                "approval, {missing} without an SKP").format(
            id=unit["id"], name=unit["nama"], year=unit["tahun"], people=len(unit["people"]),
            pending=unit["pending"], missing=unit["without_skp"]))
        print_table(
            ["NIP", _("Name"), _("SKP status"), _("Approval pending"), _("Last sync"),
             _("Last change"), _("Realisations per period")],
            [(m["nip"], m["nama"], m["skp"]["status"] if m["skp"] else _("(no SKP)"),
              _("yes") if m["approval_pending"] else _("no"), when(m["last_seen_at"]),
              when(m["last_change"]),
              ", ".join(f"{k}: {v}" for k, v in sorted(m["realisasi_per_period"].items()))
              or "—")
             for m in unit["people"]])
        print()



def print_assessments(found: dict[str, list[dict[str, Any]]]) -> None:
    """The owner's own SKP as the supervisor assessed it (nothing when not assessed yet)."""
    if found["penilaian"]:
        _ratings(found["penilaian"])
    if found["umpan_balik"]:
        _feedback(found["umpan_balik"])


def _ratings(items: list[dict[str, Any]]) -> None:
    print()
    print(_("RATINGS"))
    if not items:
        print("  " + _("(none)"))
    for p in items:
        print("  " + _("{period}: work results {hasil}, behaviour {perilaku} → predikat "
                       "{predikat}").format(period=p.get("period_id"),
                                            hasil=p.get("rating_hasil_kerja"),
                                            perilaku=p.get("rating_perilaku"),
                                            predikat=p.get("predikat")))


def _feedback(items: list[dict[str, Any]]) -> None:
    print()
    print(_("FEEDBACK"))
    if not items:
        print("  " + _("(none)"))
    for f in items:
        target = f["sasaran_jenis"] + (f" {f['sasaran_id']}" if f.get("sasaran_id") else "")
        print(f"  {when(f.get('dibuat_pada'))}  [{target}] {f.get('teks')}")


def _amendments(items: list[dict[str, Any]]) -> None:
    if not items:
        return
    print()
    print(_("AMENDMENTS"))
    for a in items:
        print("  " + _("{id} (version {version}): {status}, {count} changes").format(
            id=a["id"], version=a["version"], status=a.get("status"),
            count=len(a.get("perubahan") or [])) + (f" — {a['alasan']}" if a.get("alasan")
                                                     else ""))
        if a.get("catatan_pengembalian"):
            print("    " + _("Return note: {text}").format(text=a["catatan_pengembalian"]))
