"""`asndesk report …`: official documents (PDF) and exports (CSV, XLSX, JSON) to --out FILE.

The document language follows the UI language (`--lang en` gives the English variant).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from asndesk.cli.common import opened
from asndesk.domain.parsing import parse_tanggal
from asndesk.domain.ratings import CapaianOrganisasi
from asndesk.errors import ValidationError
from asndesk.i18n import N_, _
from asndesk.reports.service import BATAS_SINKRON_HARI, Reports


def _tanggal(field: str, text: str | None) -> date | None:
    """Parsed inside the command (not as an argparse type) so a bad date is a typed error:
    one line on stderr and exit code 2, like every other refusal."""
    return None if text is None else parse_tanggal(field, text)


def _bulan(text: str) -> tuple[int, int]:
    """"2026-11" or "11/2026" → (2026, 11)."""
    parts = text.replace("/", "-").split("-")
    try:
        if len(parts) == 2:
            first, second = (int(x) for x in parts)
            tahun, bulan = (first, second) if first > 12 else (second, first)
            if 1 <= bulan <= 12 and 2000 <= tahun <= 2100:
                return tahun, bulan
    except ValueError:
        pass
    raise ValidationError("bulan", "bad_month",
                          N_("Write the month like 2026-11 or 11/2026."))


def _common(parser: argparse.ArgumentParser, out_help: str) -> None:
    parser.add_argument("--out", type=Path, required=True, help=out_help)
    parser.add_argument("--timpa", action="store_true",
                        help=_("overwrite the file if it already exists"))


def _document(parser: argparse.ArgumentParser) -> None:
    _common(parser, _("the PDF file to write"))
    parser.add_argument("--kertas", default="A4", choices=("A4", "F4"),
                        help=_("paper size (default: A4)"))
    parser.add_argument("--tempat", help=_("place printed above the signatures"))
    parser.add_argument("--tanggal",
                        help=_("date printed above the signatures (default: today)"))


def register(sub: Any) -> None:
    rep = sub.add_parser("report", help=_("official documents and exports"))
    rsub = rep.add_subparsers(dest="report", required=True)
    skp = rsub.add_parser("skp", help=_("the SKP document with its LAMPIRAN page"))
    skp.add_argument("--skp", help=_("SKP id (default: the year's approved SKP)"))
    skp.add_argument("--tahun", type=int, default=date.today().year)
    for name, helptext in (("evaluasi", _("Evaluasi Kinerja Pegawai of one period")),
                           ("dokumen-evaluasi", _("one-page Dokumen Evaluasi Kinerja Pegawai"))):
        ev = rsub.add_parser(name, help=helptext)
        ev.add_argument("--periode", required=True, help=_("period id, e.g. 2026-TW2, 2026-TH"))
        ev.add_argument("--skp", help=_("SKP id (default: the period year's SKP)"))
        _document(ev)
    _document(skp)
    log = rsub.add_parser("log", help=_("monthly log harian report"))
    log.add_argument("--bulan", required=True, help=_("month, e.g. 2026-11"))
    _document(log)
    lay = rsub.add_parser("layanan", help=_("service report over a span of dates"))
    lay.add_argument("--dari", required=True)
    lay.add_argument("--sampai", required=True)
    _document(lay)
    ikm = rsub.add_parser("ikm", help=_("IKM report of a service unit"))
    ikm.add_argument("--unit", required=True, help=_("service unit name as in the survey"))
    ikm.add_argument("--dari", required=True)
    ikm.add_argument("--sampai", required=True)
    ikm.add_argument("--populasi", type=int,
                     help=_("population for the sample size (default: services completed)"))
    _document(ikm)
    for p in (skp, log, lay, ikm, *(rsub.choices[n] for n in ("evaluasi", "dokumen-evaluasi"))):
        p.set_defaults(func=cmd_document)
    _register_kantor(rsub)
    ex = rsub.add_parser("export", help=_("CSV/XLSX exports, e-Kinerja order, SIASN JSON"))
    ex.add_argument("jenis", choices=("log", "layanan", "realisasi", "ekinerja", "siasn"))
    ex.add_argument("--format", choices=("csv", "xlsx", "json"),
                    help=_("csv or xlsx (default: from the file name); siasn is json"))
    ex.add_argument("--dari", help=_("log, layanan: from date"))
    ex.add_argument("--sampai", help=_("log, layanan: to date"))
    ex.add_argument("--skp", help=_("realisasi, ekinerja: SKP id"))
    ex.add_argument("--tahun", type=int, default=date.today().year)
    _common(ex, _("the file to write"))
    ex.set_defaults(func=cmd_export)


def _register_kantor(rsub: Any) -> None:
    kan = rsub.add_parser("kantor", help=_("Laporan kantor of a unit you manage as HR officer, "
                                           "from the last sync"))
    kan.add_argument("unit", nargs="?", help=_("unit id (default: the only unit you manage)"))
    kan.add_argument("--tahun", type=int, required=True)
    kan.add_argument("--periode",
                     help=_("period id, e.g. 2026-TW2 (default: the year's annual period)"))
    kan.add_argument("--capaian", help=_("capaian kinerja organisasi: Istimewa, Baik, Butuh "
                                         "Perbaikan, Kurang or Sangat Kurang (default: the one "
                                         "the period's ratings name)"))
    kan.add_argument("--batas-skp", help=_("deadline to set the SKP (default: 31 January)"))
    kan.add_argument("--batas-sinkron", type=int, default=BATAS_SINKRON_HARI,
                     help=_("days without contact that count as not synced (default: 7)"))
    kan.add_argument("--format", choices=("pdf", "csv", "xlsx"),
                     help=_("pdf, csv or xlsx (default: from the file name, else pdf)"))
    _document(kan)
    kan.set_defaults(func=cmd_kantor)


def _capaian(text: str | None) -> str | None:
    """"baik", "butuh-perbaikan" or "Sangat Kurang" → the official value (else as typed)."""
    if text is None:
        return None
    words = " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()
    return next((c.value for c in CapaianOrganisasi if c.value.casefold() == words), text)


def cmd_kantor(args: argparse.Namespace) -> int:
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    fmt = fmt if fmt in ("csv", "xlsx") else "pdf"
    with opened(args) as ws:
        reports = Reports(ws, kertas=args.kertas)
        data = reports.kantor(args.unit, fmt=fmt, tahun=args.tahun, periode=args.periode,
                              capaian=_capaian(args.capaian),
                              batas_skp=_tanggal("batas_skp", args.batas_skp),
                              batas_sinkron_hari=args.batas_sinkron, tempat=args.tempat,
                              tanggal=_tanggal("tanggal", args.tanggal))
        path = reports.save("kantor", data, args.out, overwrite=args.timpa)
    print(_("Saved to {path}.").format(path=path))
    return 0


def _build(reports: Reports, args: argparse.Namespace) -> bytes:
    when: dict[str, Any] = {"tempat": args.tempat, "tanggal": _tanggal("tanggal", args.tanggal)}
    kind = args.report
    if kind == "skp":
        return reports.skp(skp_id=args.skp, tahun=args.tahun, **when)
    if kind == "evaluasi":
        return reports.evaluasi(args.periode, skp_id=args.skp, **when)
    if kind == "dokumen-evaluasi":
        return reports.dokumen_evaluasi(args.periode, skp_id=args.skp, **when)
    if kind == "log":
        tahun, bulan = _bulan(args.bulan)
        return reports.log(tahun, bulan, **when)
    dari, sampai = _rentang(args)
    if kind == "layanan":
        return reports.layanan(dari, sampai, **when)
    return reports.ikm(args.unit, dari, sampai, populasi=args.populasi, **when)


def _rentang(args: argparse.Namespace) -> tuple[date, date]:
    dari, sampai = _tanggal("dari", args.dari), _tanggal("sampai", args.sampai)
    if dari is None or sampai is None:
        raise ValidationError("dari" if dari is None else "sampai", "missing",
                              N_("This value is required."))
    return dari, sampai


def cmd_document(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        reports = Reports(ws, kertas=args.kertas)
        path = reports.save(args.report, _build(reports, args), args.out, overwrite=args.timpa)
    print(_("Saved to {path}.").format(path=path))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if args.jenis == "siasn":
        fmt = "json" if fmt in ("", "json") else fmt
        if fmt != "json":
            raise ValidationError("format", "json_only",
                                  N_("The SIASN export is JSON only."))
    elif fmt not in ("csv", "xlsx"):
        raise ValidationError("format", "unknown",
                              N_("Choose --format csv or xlsx (or end the file name so)."))
    with opened(args) as ws:
        reports = Reports(ws)
        if args.jenis == "siasn":
            data = reports.siasn(args.tahun)
        elif args.jenis in ("log", "layanan"):
            dari, sampai = _rentang(args)
            data = reports.export(args.jenis, fmt, dari=dari, sampai=sampai)
        else:
            data = reports.export(args.jenis, fmt, skp_id=args.skp, tahun=args.tahun)
        path = reports.save("export-" + args.jenis, data, args.out, overwrite=args.timpa)
    print(_("Saved to {path}.").format(path=path))
    return 0
