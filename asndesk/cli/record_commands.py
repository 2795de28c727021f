"""`asndesk log|service|skp|training|outbox|audit|export …`: the employee's records."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from asndesk.cli.common import opened, print_table, print_warnings
from asndesk.i18n import _


def register(sub: Any) -> None:
    _register_log(sub)
    _register_service(sub)
    _register_other(sub)


def _register_log(sub: Any) -> None:
    log = sub.add_parser("log", help=_("log harian (daily progress)"))
    lsub = log.add_subparsers(dest="action", required=True)
    add = lsub.add_parser("add", help=_("record one activity"))
    add.add_argument("--tanggal", default=date.today().isoformat(),
                     help=_("date, e.g. 2026-11-23 or 23/11/2026 (default: today)"))
    add.add_argument("--mulai", required=True, help=_("start time, e.g. 07:30"))
    add.add_argument("--selesai", required=True, help=_("end time, e.g. 09:00"))
    add.add_argument("--kegiatan", required=True, help=_("what you did"))
    add.add_argument("--output", help=_("output quantity, e.g. 2"))
    add.add_argument("--satuan", help=_("output unit, e.g. Dokumen"))
    add.add_argument("--rhk", help=_("id of the RHK this activity serves"))
    add.add_argument("--bukti", action="append", type=Path, default=[],
                     help=_("evidence file (repeatable)"))
    add.add_argument("--tautan", action="append", default=[], help=_("evidence link"))
    add.set_defaults(func=cmd_log_add)
    lst = lsub.add_parser("list", help=_("list activities, newest first"))
    lst.add_argument("--dari", help=_("from date (YYYY-MM-DD)"))
    lst.add_argument("--sampai", help=_("to date (YYYY-MM-DD)"))
    lst.add_argument("--cari", help=_("words to search for"))
    lst.add_argument("--limit", type=int, default=50)
    lst.set_defaults(func=cmd_log_list)
    rm = lsub.add_parser("delete", help=_("delete one activity"))
    rm.add_argument("id")
    rm.set_defaults(func=cmd_log_delete)


def _register_service(sub: Any) -> None:
    svc = sub.add_parser("service", help=_("layanan: service log"))
    ssub = svc.add_subparsers(dest="action", required=True)
    tadd = ssub.add_parser("type-add", help=_("add a service type (until HR data is synced)"))
    tadd.add_argument("--kode", required=True)
    tadd.add_argument("--nama", required=True)
    tadd.add_argument("--standar", required=True, help=_("standard time in working days"))
    tadd.set_defaults(func=cmd_service_type_add)
    ssub.add_parser("types", help=_("list service types")).set_defaults(func=cmd_service_types)
    sadd = ssub.add_parser("add", help=_("record one service delivered"))
    sadd.add_argument("--jenis", required=True, help=_("service type code"))
    sadd.add_argument("--diterima", required=True, help=_("received, e.g. '2026-11-20 09:15'"))
    sadd.add_argument("--selesai", help=_("completed, e.g. '2026-11-24 14:00'"))
    sadd.add_argument("--status", help=_("diterima, diproses, selesai or ditolak"))
    sadd.add_argument("--hasil")
    sadd.add_argument("--kepuasan", help=_("citizen satisfaction 1–4"))
    sadd.add_argument("--pengaduan", action="store_true", help=_("a complaint was made"))
    sadd.add_argument("--catatan")
    sadd.set_defaults(func=cmd_service_add)
    slist = ssub.add_parser("list", help=_("list services, newest first"))
    slist.add_argument("--dari")
    slist.add_argument("--sampai")
    slist.add_argument("--limit", type=int, default=50)
    slist.set_defaults(func=cmd_service_list)


def _register_other(sub: Any) -> None:
    tr = sub.add_parser("training", help=_("competency development (JP)"))
    tsub = tr.add_subparsers(dest="action", required=True)
    ta = tsub.add_parser("add", help=_("record a training"))
    ta.add_argument("--nama", required=True)
    ta.add_argument("--mulai", required=True, help=_("start date"))
    ta.add_argument("--selesai", required=True, help=_("end date"))
    ta.add_argument("--jp", required=True, help=_("jam pelajaran"))
    ta.add_argument("--penyelenggara")
    ta.add_argument("--bukti", action="append", type=Path, default=[])
    ta.set_defaults(func=cmd_training_add)
    tl = tsub.add_parser("list", help=_("trainings and JP of a year"))
    tl.add_argument("--tahun", type=int, default=date.today().year)
    tl.set_defaults(func=cmd_training_list)

    ob = sub.add_parser("outbox", help=_("changes waiting to be synced"))
    osub = ob.add_subparsers(dest="action", required=True)
    ol = osub.add_parser("list", help=_("list queued operations"))
    ol.add_argument("--all", action="store_true", help=_("include acknowledged ones"))
    ol.set_defaults(func=cmd_outbox_list)

    au = sub.add_parser("audit", help=_("the tamper-evident audit log"))
    asub = au.add_subparsers(dest="action", required=True)
    asub.add_parser("verify", help=_("check every link of the chain")
                    ).set_defaults(func=cmd_audit_verify)

    ex = sub.add_parser("export", help=_("export all of your data"))
    ex.add_argument("--format", choices=("json", "csv"), default="json")
    ex.add_argument("--out", type=Path, required=True,
                    help=_("a new file (json) or an empty folder (csv)"))
    ex.set_defaults(func=cmd_export)


def done(changes: Any, message: str) -> int:
    """Print the use case's warnings (stderr) and a confirmation line."""
    print_warnings(changes.warnings)
    print(message)
    return 0


def cmd_log_add(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.add_log(args.tanggal, args.mulai, args.selesai, args.kegiatan,
                             output_jumlah=args.output, output_satuan=args.satuan,
                             rhk_id=args.rhk, bukti=args.bukti, tautan=args.tautan)
    return done(changes, _("Saved (id {id}).").format(id=changes.primary_id))


def cmd_log_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        found = ws.logs(dari=args.dari, sampai=args.sampai, cari=args.cari, limit=args.limit)
    print_table(
        [_("Date"), _("Time"), _("Activity"), _("Output"), "id"],
        [(r["tanggal"], f"{r['jam_mulai']}–{r['jam_selesai']}", _clip(r["kegiatan"]),
          " ".join(x for x in (r["output_jumlah"], r["output_satuan"]) if x), r["id"])
         for r in found],
    )
    return 0


def cmd_log_delete(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        ws.delete_log(args.id)
    print(_("Deleted."))
    return 0


def cmd_service_type_add(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.add_service_type(args.kode, args.nama, args.standar)
    return done(changes, _("Saved (id {id}).").format(id=changes.primary_id))


def cmd_service_types(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        types = ws.service_types()
    print_table([_("Code"), _("Name"), _("Standard (working days)")],
                [(t["kode"], t["nama"], t["standar_hari_kerja"]) for t in types])
    return 0


def cmd_service_add(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.add_service_log(
            args.jenis, args.diterima, selesai=args.selesai, status=args.status,
            hasil=args.hasil, kepuasan=args.kepuasan, pengaduan=args.pengaduan,
            catatan=args.catatan)
    return done(changes, _("Saved (id {id}).").format(id=changes.primary_id))


def cmd_service_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        found = ws.service_logs(dari=args.dari, sampai=args.sampai, limit=args.limit)
    print_table(
        [_("Received"), _("Type"), _("Status"), _("Working days"), _("Standard"), "id"],
        [(r["diterima_pada"][:16].replace("T", " "), r["jenis_kode"], r["status"],
          r["durasi_hari_kerja"], r["standar_hari_kerja"], r["id"]) for r in found],
    )
    return 0


def cmd_training_add(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        changes = ws.add_training(args.nama, args.mulai, args.selesai, args.jp,
                                  penyelenggara=args.penyelenggara, bukti=args.bukti)
    return done(changes, _("Saved (id {id}).").format(id=changes.primary_id))


def cmd_training_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        found = ws.trainings(args.tahun)
        summary = ws.jp_summary(args.tahun)
    print_table([_("From"), _("To"), _("Training"), "JP"],
                [(r["tanggal_mulai"], r["tanggal_selesai"], _clip(r["nama"]), r["jp"])
                 for r in found])
    print(_("{year}: {total} of {target} JP; {missing} JP still to go.").format(
        year=args.tahun, total=summary.total, target=summary.target, missing=summary.kurang))
    return 0


def cmd_outbox_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        states = ("pending", "sent", "acked", "rejected", "conflict") if args.all else (
            "pending", "sent", "rejected", "conflict")
        ops = ws.outbox(states)
    print_table(["seq", _("State"), _("Action"), _("Item"), "id"],
                [(op.seq, op.state, op.kind, op.entity_kind, op.entity_id) for op in ops])
    print(_("Operations listed: {count}.").format(count=len(ops)))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        result = ws.verify_audit()
    if result.ok:
        print(_("Audit log intact: {count} entries verified.").format(count=result.entries))
        return 0
    print(_("Audit log BROKEN at entry {seq} ({reason}).").format(
        seq=result.first_bad_seq, reason=result.reason))
    return 1


def cmd_export(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        out = ws.export_json(args.out) if args.format == "json" else ws.export_csv(args.out)
    print(_("Exported to {path}.").format(path=out))
    return 0


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
