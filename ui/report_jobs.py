"""The Laporan page's work, in three steps on the right threads: `gather` on the DB lane
(reads the workspace), `produce` on the IO lane (PDF/CSV/XLSX bytes, no workspace), and
`save` on the DB lane (the core writes only the chosen path and audits the export).

Qt-free on purpose: the page decides when each step runs; these functions only do it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from asndesk.errors import ValidationError
from asndesk.i18n import N_
from asndesk.reports.exports import Tabel, tabel_kantor, to_csv, to_xlsx
from asndesk.reports.service import RENDERERS, Reports, render
from asndesk.workspace import Workspace

# What a document needs is named by the form keys of the page (and the core's field names,
# so a ValidationError(field=…) lands on the right control).
TAHUN, PERIODE, BULAN, DARI, SAMPAI, UNIT_LAYANAN, UNIT = (
    "tahun", "periode", "bulan", "dari", "sampai", "unit_layanan", "unit")

# Data a team/unit document needs that only some profiles hold (see `Availability.missing`).
NEEDS_HR_UNIT, NEEDS_SERVICES, NEEDS_SKM = "hr_unit", "services", "skm"


@dataclass(frozen=True)
class Choice:
    """One entry of the document list."""

    kind: str
    """The core's kind (`Reports.save`): "skp", "log", "export-log", …"""
    title: str
    """A msgid (N_), translated when shown."""
    params: tuple[str, ...]
    formats: tuple[str, ...]
    needs: str | None = None

    @property
    def is_export(self) -> bool:
        return self.kind.startswith("export-")


CHOICES: tuple[Choice, ...] = (
    Choice("skp", N_("SKP document (with its LAMPIRAN page)"), (TAHUN,), ("pdf",)),
    Choice("evaluasi", N_("Evaluasi Kinerja Pegawai of one period"), (TAHUN, PERIODE), ("pdf",)),
    Choice("dokumen-evaluasi", N_("Dokumen Evaluasi Kinerja Pegawai (one page)"),
           (TAHUN, PERIODE), ("pdf",)),
    Choice("log", N_("Monthly daily log report"), (TAHUN, BULAN), ("pdf",)),
    Choice("layanan", N_("Service report over a span of dates"), (DARI, SAMPAI), ("pdf",),
           NEEDS_SERVICES),
    Choice("ikm", N_("IKM report of a service unit (public satisfaction)"),
           (UNIT_LAYANAN, DARI, SAMPAI), ("pdf",), NEEDS_SKM),
    Choice("kantor", N_("Office report of a unit you manage (Laporan kantor)"),
           (UNIT, TAHUN, PERIODE), ("pdf", "csv", "xlsx"), NEEDS_HR_UNIT),
    Choice("export-log", N_("Export: daily log entries"), (DARI, SAMPAI), ("csv", "xlsx")),
    Choice("export-layanan", N_("Export: service records"), (DARI, SAMPAI), ("csv", "xlsx"),
           NEEDS_SERVICES),
    Choice("export-realisasi", N_("Export: realisasi of the year's SKP"), (TAHUN,),
           ("csv", "xlsx")),
    Choice("export-ekinerja", N_("Export: SKP in e-Kinerja order"), (TAHUN,), ("csv", "xlsx")),
    Choice("export-siasn", N_("Export: the year's result for SIASN"), (TAHUN,), ("json",)),
)
BY_KIND = {c.kind: c for c in CHOICES}


@dataclass(frozen=True)
class ReportRequest:
    """Everything one report needs, taken from the page on the GUI thread."""

    kind: str
    fmt: str = "pdf"
    kertas: str = "A4"
    locale: str = "id"
    tahun: int | None = None
    bulan: int | None = None
    periode: str | None = None
    dari: date | None = None
    sampai: date | None = None
    unit_layanan: str | None = None
    unit: str | None = None

    @property
    def choice(self) -> Choice:
        return BY_KIND[self.kind]


@dataclass(frozen=True)
class Gathered:
    """The result of `gather`: a document to render, rows to convert, or finished bytes."""

    request: ReportRequest
    doc: Any = None
    tabel: Tabel | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class Availability:
    """What team/unit data this profile holds (the replica brought by sync)."""

    hr_units: list[tuple[str, str]] = field(default_factory=list)
    """(id, name) of every unit this person manages as HR officer."""
    skm_units: list[str] = field(default_factory=list)
    has_services: bool = False

    def missing(self, needs: str | None) -> bool:
        if needs == NEEDS_HR_UNIT:
            return not self.hr_units
        if needs == NEEDS_SKM:
            return not self.skm_units
        if needs == NEEDS_SERVICES:
            return not self.has_services
        return False


# ------------------------------------------------------------------ DB lane


def availability(ws: Workspace) -> Availability:
    me = ws.roles() or {}
    units = [(str(u["id"]), str(u.get("nama") or u["id"])) for u in me.get("hr_units", [])]
    return Availability(hr_units=units, skm_units=Reports(ws).skm_units(),
                        has_services=bool(ws.service_logs(limit=1)))


def periods(ws: Workspace, tahun: int) -> list[dict[str, Any]]:
    return ws.periods(tahun)


_DOCS: dict[str, Callable[[Reports, ReportRequest], Any]] = {
    "skp": lambda r, q: r.skp_doc(tahun=_required(q.tahun, TAHUN)),
    "evaluasi": lambda r, q: r.evaluasi_doc(_required(q.periode, PERIODE)),
    "dokumen-evaluasi": lambda r, q: r.evaluasi_doc(_required(q.periode, PERIODE)),
    "log": lambda r, q: r.log_doc(_required(q.tahun, TAHUN), _required(q.bulan, BULAN)),
    "layanan": lambda r, q: r.layanan_doc(_required(q.dari, DARI), _required(q.sampai, SAMPAI)),
    "ikm": lambda r, q: r.ikm_doc(_required(q.unit_layanan, UNIT_LAYANAN),
                                  _required(q.dari, DARI), _required(q.sampai, SAMPAI)),
    "kantor": lambda r, q: r.kantor_doc(q.unit, tahun=q.tahun, periode=q.periode),
}


def gather(ws: Workspace, req: ReportRequest) -> Gathered:
    """Read what the report holds (DB lane); nothing is rendered here."""
    reports = Reports(ws, locale=req.locale, kertas=req.kertas)
    if req.kind in _DOCS:
        return Gathered(req, doc=_DOCS[req.kind](reports, req))
    if req.kind == "export-siasn":
        return Gathered(req, data=reports.siasn(_required(req.tahun, TAHUN)))
    jenis = req.kind.removeprefix("export-")
    span: dict[str, Any] = ({"dari": req.dari, "sampai": req.sampai}
                            if jenis in ("log", "layanan") else {"tahun": req.tahun})
    return Gathered(req, tabel=reports.tabel(jenis, **span))


def save(ws: Workspace, req: ReportRequest, data: bytes, path: Path) -> Path:
    """Write the bytes to the chosen path through the core, which audits `report.<kind>`.

    The file dialog already asked before replacing a file, so an existing one is replaced."""
    return Reports(ws, locale=req.locale, kertas=req.kertas).save(req.kind, data, path,
                                                                  overwrite=True)


def _required(value: Any, key: str) -> Any:
    if value in (None, ""):
        raise ValidationError(key, "missing", N_("This value is required."))
    return value


# ------------------------------------------------------------------ IO lane


def produce(gathered: Gathered) -> bytes:
    """The file's bytes (IO lane): PDF rendering and CSV/XLSX conversion touch no workspace."""
    req = gathered.request
    if gathered.data is not None:
        return gathered.data
    if req.fmt == "pdf" and req.kind in RENDERERS:
        return render(req.kind, gathered.doc, req.kertas, req.locale)
    tabel = gathered.tabel if gathered.tabel is not None else tabel_kantor(gathered.doc,
                                                                          req.locale)
    return to_csv(tabel, req.locale) if req.fmt == "csv" else to_xlsx(tabel, req.locale)
