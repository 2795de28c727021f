"""Report use cases on an unlocked workspace: build a document or export in memory, then
write it only to the path the person chose and audit that it happened (never its content).

    reports = Reports(workspace, locale="id", kertas=Kertas.F4)
    reports.save("skp", reports.skp(tahun=2026), Path("skp-2026.pdf"))
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asndesk.domain.periods import Periode, PolaPeriode, batas_penetapan_skp, buat_periode
from asndesk.errors import NotFound, ValidationError
from asndesk.i18n import N_, current_locale
from asndesk.reports import gather
from asndesk.reports.ekinerja import siasn_skp, tabel_ekinerja
from asndesk.reports.evaluasi_doc import render_dokumen_evaluasi, render_evaluasi
from asndesk.reports.exports import (
    Tabel,
    tabel_kantor,
    tabel_layanan,
    tabel_log,
    tabel_realisasi,
    to_csv,
    to_xlsx,
)
from asndesk.reports.ikm_doc import gather_ikm, render_ikm
from asndesk.reports.kantor_doc import render_kantor
from asndesk.reports.kantor_gather import gather_kantor, pilih_unit
from asndesk.reports.labels import cek_bahasa
from asndesk.reports.layanan_doc import gather_layanan, render_layanan
from asndesk.reports.layout import Kertas
from asndesk.reports.log_doc import render_log
from asndesk.reports.models import (
    EvaluasiDoc,
    IkmDoc,
    KantorDoc,
    LayananDoc,
    LogDoc,
    Pengesahan,
    SkpDoc,
)
from asndesk.reports.skp_doc import render_skp
from asndesk.store import report_repo

if TYPE_CHECKING:
    from asndesk.workspace import Workspace

KINDS = frozenset({"skp", "evaluasi", "dokumen-evaluasi", "log", "layanan", "ikm", "kantor",
                   "export-log", "export-layanan", "export-realisasi", "export-ekinerja",
                   "export-siasn"})
"""What `save` may audit (the action is `report.<kind>`; no ids, no content)."""
RENDERERS: dict[str, Callable[[Any, Kertas, str], bytes]] = {
    "skp": render_skp, "evaluasi": render_evaluasi,
    "dokumen-evaluasi": render_dokumen_evaluasi, "log": render_log, "layanan": render_layanan,
    "ikm": render_ikm, "kantor": render_kantor}
"""Document kind → its renderer (the gathered doc of `Reports.<kind>_doc`, paper, language)."""
BATAS_SINKRON_HARI = 7
"""Laporan kantor: a person whose devices have not reached the server for this many days."""


class Reports:
    """Documents and exports of one unlocked profile, in one document language and paper."""

    def __init__(self, workspace: Workspace, locale: str | None = None,
                 kertas: Kertas | str = Kertas.A4) -> None:
        self.ws = workspace
        self.locale = cek_bahasa(locale or current_locale())
        try:
            self.kertas = Kertas(kertas)
        except ValueError:
            raise ValidationError("kertas", "unknown", N_("Unknown paper size {value}; use A4 "
                                  "or F4."), value=str(kertas)) from None

    # -- documents -----------------------------------------------------------------------
    # The `*_doc` methods gather (they read the store: the desktop app runs them on its DB
    # lane); the renderers are pure, so the app renders on another thread (see `render`).
    def skp_doc(self, *, skp_id: str | None = None, tahun: int | None = None,
                tempat: str | None = None, tanggal: date | None = None) -> SkpDoc:
        """What the SKP penetapan prints; dated the day it was approved unless `tanggal`."""
        conn = self.ws.store.conn
        sid = gather.skp_id_for(conn, self.ws.owner_nip, skp_id, tahun)
        if tanggal is None:
            approved = report_repo.approval_date(conn, sid)
            # Stored as a UTC instant: the civil date is the one on this computer's clock.
            tanggal = datetime.fromisoformat(approved).astimezone().date() if approved else None
        return gather.gather_skp(conn, sid, _pengesahan(tempat, tanggal))

    def skp(self, *, skp_id: str | None = None, tahun: int | None = None,
            tempat: str | None = None, tanggal: date | None = None) -> bytes:
        """The SKP penetapan; dated the day it was approved unless `tanggal` is given."""
        doc = self.skp_doc(skp_id=skp_id, tahun=tahun, tempat=tempat, tanggal=tanggal)
        return render_skp(doc, self.kertas, self.locale)

    def evaluasi_doc(self, period_id: str, *, skp_id: str | None = None,
                     tempat: str | None = None, tanggal: date | None = None) -> EvaluasiDoc:
        """What an evaluation prints (the PDFs use it; the desktop app can show it too)."""
        conn = self.ws.store.conn
        period = report_repo.period(conn, period_id)
        sid = gather.skp_id_for(conn, self.ws.owner_nip, skp_id, int(period["tahun"]))
        return gather.gather_evaluasi(conn, sid, period_id, _pengesahan(tempat, tanggal))

    def evaluasi(self, period_id: str, *, skp_id: str | None = None,
                 tempat: str | None = None, tanggal: date | None = None) -> bytes:
        doc = self.evaluasi_doc(period_id, skp_id=skp_id, tempat=tempat, tanggal=tanggal)
        return render_evaluasi(doc, self.kertas, self.locale)

    def dokumen_evaluasi(self, period_id: str, *, skp_id: str | None = None,
                         tempat: str | None = None, tanggal: date | None = None) -> bytes:
        doc = self.evaluasi_doc(period_id, skp_id=skp_id, tempat=tempat, tanggal=tanggal)
        return render_dokumen_evaluasi(doc, self.kertas, self.locale)

    def log_doc(self, tahun: int, bulan: int, *, tempat: str | None = None,
                tanggal: date | None = None) -> LogDoc:
        return gather.gather_log(self.ws.store.conn, self.ws.owner_nip, tahun, bulan,
                                 calendar=self.ws.calendar(),
                                 pengesahan=_pengesahan(tempat, tanggal))

    def log(self, tahun: int, bulan: int, *, tempat: str | None = None,
            tanggal: date | None = None) -> bytes:
        doc = self.log_doc(tahun, bulan, tempat=tempat, tanggal=tanggal)
        return render_log(doc, self.kertas, self.locale)

    def layanan_doc(self, dari: date, sampai: date, *, tempat: str | None = None,
                    tanggal: date | None = None) -> LayananDoc:
        _cek_rentang(dari, sampai)
        conn = self.ws.store.conn
        rows = report_repo.service_logs_between(conn, dari.isoformat(), sampai.isoformat())
        return gather_layanan(rows, gather.pihak(conn, self.ws.owner_nip, on_date=sampai),
                              dari, sampai, _pengesahan(tempat, tanggal))

    def layanan(self, dari: date, sampai: date, *, tempat: str | None = None,
                tanggal: date | None = None) -> bytes:
        doc = self.layanan_doc(dari, sampai, tempat=tempat, tanggal=tanggal)
        return render_layanan(doc, self.kertas, self.locale)

    def ikm_doc(self, unit_layanan: str, dari: date, sampai: date, *,
                populasi: int | None = None, tempat: str | None = None,
                tanggal: date | None = None) -> IkmDoc:
        """IKM of one service unit; the population defaults to the services completed."""
        _cek_rentang(dari, sampai)
        conn = self.ws.store.conn
        rows = report_repo.skm_responses(conn, unit_layanan, dari.isoformat(),
                                         sampai.isoformat())
        if populasi is None:
            populasi = report_repo.completed_services(conn, dari.isoformat(),
                                                      sampai.isoformat()) or None
        return gather_ikm(rows, gather.pihak(conn, self.ws.owner_nip, on_date=sampai),
                          unit_layanan, dari, sampai, populasi=populasi,
                          pengesahan=_pengesahan(tempat, tanggal))

    def ikm(self, unit_layanan: str, dari: date, sampai: date, *, populasi: int | None = None,
            tempat: str | None = None, tanggal: date | None = None) -> bytes:
        doc = self.ikm_doc(unit_layanan, dari, sampai, populasi=populasi, tempat=tempat,
                           tanggal=tanggal)
        return render_ikm(doc, self.kertas, self.locale)

    def skm_units(self) -> list[str]:
        """The service units this device holds survey (SKM) responses of, from sync."""
        return report_repo.skm_units(self.ws.store.conn)

    def kantor_doc(self, unit_id: str | None = None, *, tahun: int | None = None,
                   periode: str | None = None, capaian: str | None = None,
                   batas_skp: date | None = None, batas_sinkron_hari: int = BATAS_SINKRON_HARI,
                   tempat: str | None = None, tanggal: date | None = None) -> KantorDoc:
        """What the Laporan kantor of an HR unit holds, from the unit replica (offline).

        The period defaults to the year's annual one; `capaian` (capaian kinerja organisasi)
        defaults to the one the period's ratings name; the SKP deadline to end of January."""
        if isinstance(batas_sinkron_hari, bool) or not (
                isinstance(batas_sinkron_hari, int) and batas_sinkron_hari >= 1):
            raise ValidationError("batas_sinkron", "out_of_range",
                                  N_("The number of days must be at least 1."))
        conn = self.ws.store.conn
        me = self.ws.roles() or {}
        unit = pilih_unit(me, unit_id)
        per = self._periode(tahun, periode)
        age = self.ws.roles_age()
        return gather_kantor(
            conn, me, unit, per, pihak=gather.pihak(conn, self.ws.owner_nip, on_date=per.selesai),
            fetched_at=None if age is None else time.time() - age, capaian=capaian,
            batas_skp=batas_skp or batas_penetapan_skp(per.tahun),
            batas_sinkron_hari=batas_sinkron_hari, pengesahan=_pengesahan(tempat, tanggal))

    def kantor(self, unit_id: str | None = None, *, fmt: str = "pdf", **kwargs: Any) -> bytes:
        """The Laporan kantor as PDF, or its unit monitoring rows as CSV or XLSX (see
        `kantor_doc` for the arguments)."""
        if fmt not in ("pdf", "csv", "xlsx"):
            raise ValidationError("format", "unknown", N_("{value} is not a valid choice here."),
                                  value=fmt)
        doc = self.kantor_doc(unit_id, **kwargs)
        if fmt == "pdf":
            return render_kantor(doc, self.kertas, self.locale)
        rows = tabel_kantor(doc, self.locale)
        return to_csv(rows, self.locale) if fmt == "csv" else to_xlsx(rows, self.locale)

    def _periode(self, tahun: int | None, period_id: str | None) -> Periode:
        """The period named (within `tahun` when both are given), else the year's annual one."""
        conn = self.ws.store.conn
        if period_id:
            found = gather.periode_dari_row(report_repo.period(conn, period_id))
            if tahun is not None and found.tahun != tahun:
                raise ValidationError("periode", "other_year",
                                      N_("The period {id} is not in the year {tahun}."),
                                      id=period_id, tahun=tahun)
            return found
        tahun = tahun or date.today().year
        try:
            return gather.periode_dari_row(report_repo.period(conn, f"{tahun}-TH"))
        except NotFound:
            return buat_periode(tahun, PolaPeriode.TRIWULANAN, self.ws.calendar())[-1]

    # -- exports -------------------------------------------------------------------------
    def tabel(self, jenis: str, *, dari: date | None = None, sampai: date | None = None,
              skp_id: str | None = None, tahun: int | None = None) -> Tabel:
        """The rows of an export: log and layanan need dari/sampai; realisasi and ekinerja
        take the SKP (or the year's)."""
        conn = self.ws.store.conn
        if jenis in ("log", "layanan"):
            if dari is None or sampai is None:
                raise ValidationError("dari", "missing", N_("This value is required."))
            _cek_rentang(dari, sampai)
            return (tabel_log if jenis == "log" else tabel_layanan)(conn, dari, sampai)
        sid = gather.skp_id_for(conn, self.ws.owner_nip, skp_id, tahun)
        if jenis == "realisasi":
            return tabel_realisasi(conn, sid, self.locale)
        if jenis == "ekinerja":
            return tabel_ekinerja(conn, sid, self.locale)
        raise ValidationError("jenis", "unknown", N_("{value} is not a valid choice here."),
                              value=jenis)

    def export(self, jenis: str, fmt: str, **kwargs: Any) -> bytes:
        """An export as CSV or XLSX bytes (see `tabel` for the arguments)."""
        if fmt not in ("csv", "xlsx"):
            raise ValidationError("format", "unknown", N_("{value} is not a valid choice here."),
                                  value=fmt)
        data = self.tabel(jenis, **kwargs)
        return to_csv(data, self.locale) if fmt == "csv" else to_xlsx(data, self.locale)

    def siasn(self, tahun: int) -> bytes:
        """The year's result mapped to SIASN's SKP fields, as UTF-8 JSON."""
        mapped = siasn_skp(self.ws.store.conn, self.ws.owner_nip, tahun)
        return (json.dumps(mapped, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    # -- writing -------------------------------------------------------------------------
    def save(self, kind: str, data: bytes, path: Path, *, overwrite: bool = False) -> Path:
        """Write `data` to `path` (a new file unless `overwrite`) and audit `report.<kind>`.

        Nothing else is written: no temporary copy; a failed write removes what it began.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown report kind {kind!r}")
        write_new_file(path, data, overwrite=overwrite)
        with self.ws.store.write(self.ws.owner_nip) as tx:
            tx.audit(f"report.{kind}", path.suffix.lstrip(".").lower()[:10] or None)
        return path


def render(kind: str, doc: Any, kertas: Kertas | str, locale: str) -> bytes:
    """The PDF of a gathered document of `kind` (a key of `RENDERERS`); pure: it needs no
    workspace, so any thread may run it."""
    try:
        renderer = RENDERERS[kind]
    except KeyError:
        raise ValueError(f"unknown document kind {kind!r}") from None
    return renderer(doc, Kertas(kertas), cek_bahasa(locale))


def write_new_file(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write bytes to exactly `path` (mode 0600); refuse an existing file unless told."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise ValidationError("out", "exists",
                              N_("The file {path} already exists; choose another name."),
                              path=str(path)) from None
    except OSError as exc:
        raise ValidationError("out", "cannot_write", N_("Cannot write to {path}: {reason}."),
                              path=str(path), reason=exc.strerror or "") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise ValidationError("out", "cannot_write", N_("Cannot write to {path}: {reason}."),
                              path=str(path), reason=exc.strerror or "") from None


def _pengesahan(tempat: str | None, tanggal: date | None) -> Pengesahan:
    tempat = " ".join(tempat.split()) if tempat else None
    return Pengesahan(tanggal=tanggal or date.today(), tempat=tempat or None)


def _cek_rentang(dari: date, sampai: date) -> None:
    if sampai < dari:
        raise ValidationError("sampai", "bad_order",
                              N_("The end date must not be before the start date."))
