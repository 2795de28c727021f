"""`asndesk team …` (pejabat penilai) and `asndesk unit status` (pengelola kepegawaian).

Everything reads what the last `asndesk sync` brought; decisions are queued and sent at the
next sync, where the server may still refuse them (shown by `team show` and `sync status`).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from asndesk.cli.common import opened, print_table
from asndesk.cli.record_commands import done
from asndesk.cli.team_view import describe_decision, print_member, print_team, print_unit
from asndesk.domain.ratings import Rating, predikat_kinerja
from asndesk.i18n import _

# Short forms accepted on the command line for the three ratings.
RATING_WORDS = {"atas": Rating.DI_ATAS_EKSPEKTASI, "sesuai": Rating.SESUAI_EKSPEKTASI,
                "bawah": Rating.DI_BAWAH_EKSPEKTASI}


def _rating(text: str) -> str:
    return str(RATING_WORDS.get(text.strip().lower(), text.strip()))


def register(sub: Any) -> None:
    team = sub.add_parser("team", help=_("your subordinates' SKP (pejabat penilai)"))
    tsub = team.add_subparsers(dest="action", required=True)
    tl = tsub.add_parser("list", help=_("your team and their SKP status"))
    tl.add_argument("--tahun", type=int, default=date.today().year)
    tl.set_defaults(func=cmd_team_list)
    ts = tsub.add_parser("show", help=_("one subordinate's SKP, realisations and ratings"))
    ts.add_argument("nip")
    ts.add_argument("--tahun", type=int, default=date.today().year)
    ts.add_argument("--skp", help=_("a particular SKP id"))
    ts.set_defaults(func=cmd_team_show)
    ta = tsub.add_parser("approve", help=_("approve a submitted SKP or amendment"))
    ta.add_argument("skp_id", metavar="ID")
    ta.set_defaults(func=cmd_team_approve)
    tr = tsub.add_parser("return", help=_("return a submitted SKP or amendment for revision"))
    tr.add_argument("skp_id", metavar="ID")
    tr.add_argument("--catatan", required=True, help=_("what must be changed"))
    tr.set_defaults(func=cmd_team_return)
    tt = tsub.add_parser("rate", help=_("rate a period of an approved SKP"))
    tt.add_argument("skp_id")
    tt.add_argument("--periode", required=True, help=_("period id, e.g. 2026-TW1"))
    tt.add_argument("--hasil-kerja", required=True, help=_("atas, sesuai or bawah (ekspektasi)"))
    tt.add_argument("--perilaku", required=True, help=_("atas, sesuai or bawah (ekspektasi)"))
    tt.set_defaults(func=cmd_team_rate)
    tf = tsub.add_parser("feedback", help=_("give feedback (umpan balik) on an SKP"))
    tf.add_argument("skp_id")
    tf.add_argument("--teks", required=True)
    tf.add_argument("--tentang", default="umum", help=_("umum, rhk, realisasi or perilaku"))
    tf.add_argument("--sasaran", help=_("id of the RHK or realisation, or 1–7 for behaviour"))
    tf.add_argument("--periode", help=_("period id, e.g. 2026-TW1"))
    tf.set_defaults(func=cmd_team_feedback)
    td = tsub.add_parser("decisions", help=_("your decisions and what the server answered"))
    td.set_defaults(func=cmd_team_decisions)
    unit = sub.add_parser("unit", help=_("the units you manage (pengelola kepegawaian)"))
    usub = unit.add_subparsers(dest="action", required=True)
    us = usub.add_parser("status", help=_("SKP and realisation status per person"))
    us.add_argument("unit_id", nargs="?")
    us.add_argument("--tahun", type=int, default=date.today().year)
    us.set_defaults(func=cmd_unit_status)


def cmd_team_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        members = ws.team(args.tahun)
    print_team(members, args.tahun)
    return 0


def cmd_team_show(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        view = ws.team_member("".join(args.nip.split()), args.tahun, args.skp)
    print_member(view)
    return 0


def cmd_team_approve(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.approve_skp(args.skp_id)
    return done(changes, _("Approval queued; it will be sent at the next sync."))


def cmd_team_return(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.return_skp(args.skp_id, args.catatan)
    return done(changes, _("Return queued; it will be sent at the next sync."))


def cmd_team_rate(args: argparse.Namespace) -> int:
    hasil, perilaku = _rating(args.hasil_kerja), _rating(args.perilaku)
    with opened(args) as ws:
        changes = ws.rate_skp(args.skp_id, args.periode, hasil, perilaku)
    predikat = predikat_kinerja(hasil, perilaku)
    return done(changes, _("Rating queued (predikat {predikat}, as computed here; the server "
                           "decides). It will be sent at the next sync.").format(
        predikat=predikat.value))


def cmd_team_feedback(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.give_feedback(args.skp_id, args.teks, sasaran_jenis=args.tentang,
                                   sasaran_id=args.sasaran, period_id=args.periode)
    return done(changes, _("Feedback queued; it will be sent at the next sync."))


def cmd_team_decisions(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        found = ws.team_decisions()
    if not found:
        print(_("No decisions yet."))
        return 0
    print_table(["seq", _("SKP or amendment"), _("Decision")],
                [(d["seq"], d["target"], describe_decision(d)) for d in found])
    return 0


def cmd_unit_status(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        units = ws.unit_status(args.unit_id, args.tahun)
    print_unit(units)
    return 0
