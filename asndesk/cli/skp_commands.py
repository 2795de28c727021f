"""`asndesk skp|realisasi|periode …`: the performance plan and its realisation."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from asndesk.cli.common import opened, print_table
from asndesk.cli.record_commands import done
from asndesk.cli.skp_view import print_skp
from asndesk.cli.team_view import print_assessments
from asndesk.i18n import _


def register(sub: Any) -> None:
    _register_skp(sub)
    rl = sub.add_parser("realisasi", help=_("realisation of an indicator in a period"))
    rsub = rl.add_subparsers(dest="action", required=True)
    ra = rsub.add_parser("add", help=_("record (or update) the realisation of one IKI"))
    ra.add_argument("iki_id")
    ra.add_argument("--periode", required=True, help=_("period id, e.g. 2026-TW1"))
    ra.add_argument("--uraian", required=True, help=_("what was achieved"))
    ra.add_argument("--nilai", help=_("achieved value, e.g. 300"))
    ra.add_argument("--bukti", action="append", type=Path, default=[],
                    help=_("evidence file (repeatable)"))
    ra.add_argument("--tautan", action="append", default=[], help=_("evidence link"))
    ra.set_defaults(func=cmd_realisasi_add)
    pr = sub.add_parser("periode", help=_("assessment periods"))
    psub = pr.add_subparsers(dest="action", required=True)
    pl = psub.add_parser("list", help=_("periods of a year (local defaults until synced)"))
    pl.add_argument("--tahun", type=int, default=date.today().year)
    pl.set_defaults(func=cmd_periode_list)


def _register_skp(sub: Any) -> None:
    skp = sub.add_parser("skp", help=_("Sasaran Kinerja Pegawai"))
    ksub = skp.add_subparsers(dest="action", required=True)
    kc = ksub.add_parser("create", help=_("start a Draft SKP"))
    kc.add_argument("--tahun", type=int, default=date.today().year)
    kc.add_argument("--jenis-jabatan", default="pelaksana",
                    help=_("pelaksana, pengawas, administrator, fungsional_keahlian, "
                           "fungsional_keterampilan, jpt_pratama, jpt_madya, jpt_utama"))
    kc.add_argument("--jabatan")
    kc.add_argument("--unit-kerja")
    kc.set_defaults(func=cmd_skp_create)
    kr = ksub.add_parser("add-rhk", help=_("add a Rencana Hasil Kerja"))
    kr.add_argument("skp_id")
    kr.add_argument("--teks", required=True)
    kr.add_argument("--jenis", default="utama", help=_("utama or tambahan"))
    kr.add_argument("--rhk-atasan", help=_("the supervisor's RHK this one serves"))
    kr.add_argument("--perspektif", help=_("JPT only"))
    kr.set_defaults(func=cmd_skp_add_rhk)
    ki = ksub.add_parser("add-iki", help=_("add an indicator to an RHK"))
    ki.add_argument("rhk_id")
    ki.add_argument("--indikator", required=True)
    ki.add_argument("--target", required=True)
    ki.add_argument("--satuan", required=True)
    ki.add_argument("--aspek", help=_("Kuantitas, Kualitas, Waktu or Biaya"))
    ki.set_defaults(func=cmd_skp_add_iki)
    kl = ksub.add_parser("add-lampiran", help=_("add a line to the Lampiran"))
    kl.add_argument("skp_id")
    kl.add_argument("--jenis", required=True,
                    help="dukungan_sumber_daya, skema_pertanggungjawaban, konsekuensi")
    kl.add_argument("--teks", required=True)
    kl.set_defaults(func=cmd_skp_add_lampiran)
    ks = ksub.add_parser("show", help=_("show an SKP (default: the latest)"))
    ks.add_argument("skp_id", nargs="?")
    ks.set_defaults(func=cmd_skp_show)
    ku = ksub.add_parser("submit", help=_("check the SKP and submit it to the supervisor"))
    ku.add_argument("skp_id")
    ku.set_defaults(func=cmd_skp_submit)


def cmd_skp_create(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.create_skp(args.tahun, args.jenis_jabatan, jabatan=args.jabatan,
                                unit_kerja=args.unit_kerja)
    return done(changes, _("Draft SKP created (id {id}).").format(id=changes.primary_id))


def cmd_skp_add_rhk(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.add_rhk(args.skp_id, args.teks, jenis=args.jenis,
                             rhk_atasan=args.rhk_atasan, perspektif=args.perspektif)
    return done(changes, _("Saved (id {id}).").format(id=changes.primary_id))


def cmd_skp_add_iki(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.add_iki(args.rhk_id, args.indikator, args.target, args.satuan,
                             aspek=args.aspek)
    return done(changes, _("Saved (id {id}).").format(id=changes.primary_id))


def cmd_skp_add_lampiran(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.add_lampiran(args.skp_id, args.jenis, args.teks)
    return done(changes, _("Saved (id {id}).").format(id=changes.primary_id))


def cmd_skp_show(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        skp_id = args.skp_id
        if skp_id is None:
            heads = ws.skp_list()
            if not heads:
                print(_("There is no SKP yet. Start one with: asndesk skp create"))
                return 0
            skp_id = heads[0]["id"]
        print_skp(ws.skp(skp_id), ws.skp_history(skp_id))
        print_assessments(ws.own_assessments(skp_id))  # the supervisor's ratings, feedback
    return 0


def cmd_skp_submit(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.submit_skp(args.skp_id)
    return done(changes, _("SKP submitted to the supervisor; it will be sent at the next sync."))


def cmd_realisasi_add(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        # Period ids start with their year ("2026-TW1"); make sure local defaults exist.
        year = args.periode[:4]
        ws.ensure_periods(int(year) if year.isdigit() else date.today().year)
        changes = ws.record_realisasi(args.iki_id, args.periode, args.uraian, nilai=args.nilai,
                                      bukti=args.bukti, tautan=args.tautan)
    return done(changes, _("Saved (id {id}).").format(id=changes.primary_id))


def cmd_periode_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        ws.ensure_periods(args.tahun)
        found = ws.periods(args.tahun)
    print_table(["id", _("From"), _("To"), _("Input deadline"), _("State")],
                [(p["id"], p["mulai"], p["selesai"], p["batas_pengisian"], p["status"])
                 for p in found])
    return 0
