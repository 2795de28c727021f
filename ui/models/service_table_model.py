"""Service log rows (Layanan page): one month's services (paged) and the month summary.

Status codes read as words ("Selesai", not "selesai"), durations in working days, and
whether the service kept to its standard as a sentence; column 0 reads the whole row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from asndesk.domain.activity import StatusLayanan
from asndesk.domain.formatting import format_angka, format_persen, format_tanggal
from asndesk.i18n import N_, _, gettext, ngettext
from ui.models.paged_table_model import PagedTableModel, jam_teks

STATUS_LABELS = {
    StatusLayanan.DITERIMA: N_("Received"),
    StatusLayanan.DIPROSES: N_("In progress"),
    StatusLayanan.SELESAI: N_("Completed"),
    StatusLayanan.DITOLAK: N_("Rejected"),
}

KEPUASAN_LABELS = {1: N_("1 — not good"), 2: N_("2 — less than good"), 3: N_("3 — good"),
                   4: N_("4 — very good")}


def status_text(status: str) -> str:
    try:
        return gettext(STATUS_LABELS[StatusLayanan(status)])
    except ValueError:
        return status


def hari_kerja_text(n: int) -> str:
    return ngettext("{n} working day", "{n} working days", n).format(n=n)


def waktu_text(value: datetime) -> str:
    """ "5 Januari 2026 09.15" """
    return f"{format_tanggal(value.date())} {jam_teks(value.strftime('%H:%M'))}"


@dataclass(frozen=True)
class ServiceRow:
    id: str
    jenis_kode: str
    jenis_nama: str
    standar_hari_kerja: int
    diterima_pada: datetime
    selesai_pada: datetime | None
    durasi_hari_kerja: int | None
    status: str
    hasil: str | None = None
    kepuasan: int | None = None
    pengaduan: bool = False
    pengaduan_selesai: bool = False
    catatan: str | None = None

    @classmethod
    def from_dict(cls, r: Mapping[str, Any]) -> ServiceRow:
        selesai = r.get("selesai_pada")
        durasi = r.get("durasi_hari_kerja")
        kepuasan = r.get("kepuasan")
        return cls(
            id=str(r["id"]), jenis_kode=str(r["jenis_kode"]), jenis_nama=str(r["jenis_nama"]),
            standar_hari_kerja=int(r["standar_hari_kerja"]),
            diterima_pada=datetime.fromisoformat(str(r["diterima_pada"])),
            selesai_pada=datetime.fromisoformat(str(selesai)) if selesai else None,
            durasi_hari_kerja=None if durasi is None else int(durasi),
            status=str(r["status"]), hasil=r.get("hasil") or None,
            kepuasan=None if kepuasan is None else int(kepuasan),
            pengaduan=bool(r.get("pengaduan")), pengaduan_selesai=bool(r.get("pengaduan_selesai")),
            catatan=r.get("catatan") or None)

    @property
    def jenis(self) -> str:
        return f"{self.jenis_kode} — {self.jenis_nama}"

    @property
    def within_standard(self) -> bool | None:
        if self.durasi_hari_kerja is None:
            return None
        return self.durasi_hari_kerja <= self.standar_hari_kerja

    def standard_text(self) -> str:
        """Whether it kept to the standard, as a sentence (or "not finished yet")."""
        within = self.within_standard
        standar = hari_kerja_text(self.standar_hari_kerja)
        if within is None:
            return _("not finished yet (standard {standard})").format(standard=standar)
        if within:
            return _("within the standard of {standard}").format(standard=standar)
        return _("over the standard of {standard}").format(standard=standar)

    def complaint_text(self) -> str:
        if not self.pengaduan:
            return _("no complaint")
        return _("complaint resolved") if self.pengaduan_selesai else _("complaint open")

    def summary(self) -> str:
        parts = [self.jenis, _("received {when}").format(when=waktu_text(self.diterima_pada)),
                 status_text(self.status)]
        if self.durasi_hari_kerja is not None:
            parts.append(hari_kerja_text(self.durasi_hari_kerja))
        parts.append(self.standard_text())
        if self.pengaduan:
            parts.append(self.complaint_text())
        return "; ".join(parts)


class ServiceTableModel(PagedTableModel[ServiceRow]):
    JENIS, DITERIMA, SELESAI, STATUS, DURASI, STANDAR, PENGADUAN = range(7)

    def convert(self, raw: Mapping[str, Any]) -> ServiceRow:
        return ServiceRow.from_dict(raw)

    def headers(self) -> tuple[str, ...]:
        return (_("Service type"), _("Received"), _("Completed"), _("Status"),
                _("Working days"), _("Standard"), _("Complaint"))

    def display(self, r: ServiceRow, col: int) -> str:
        if col == self.JENIS:
            return r.jenis
        if col == self.DITERIMA:
            return waktu_text(r.diterima_pada)
        if col == self.SELESAI:
            return waktu_text(r.selesai_pada) if r.selesai_pada else ""
        if col == self.STATUS:
            return status_text(r.status)
        if col == self.DURASI:
            return "" if r.durasi_hari_kerja is None else str(r.durasi_hari_kerja)
        if col == self.STANDAR:
            within = r.within_standard
            mark = "" if within is None else (_("yes") if within else _("no"))
            return f"{r.standar_hari_kerja} ({mark})" if mark else str(r.standar_hari_kerja)
        return r.complaint_text() if r.pengaduan else ""

    def accessible(self, r: ServiceRow, col: int) -> str:
        if col == self.JENIS:
            return r.summary()
        if col == self.SELESAI and r.selesai_pada is None:
            return _("not finished yet")
        if col == self.DURASI:
            return (_("not finished yet") if r.durasi_hari_kerja is None
                    else hari_kerja_text(r.durasi_hari_kerja))
        if col == self.STANDAR:
            return r.standard_text()
        if col == self.PENGADUAN:
            return r.complaint_text()
        return self.display(r, col)

    def sort_key(self, r: ServiceRow, col: int) -> Any:
        if col == self.DITERIMA:
            return r.diterima_pada.isoformat()
        if col == self.DURASI:
            return -1 if r.durasi_hari_kerja is None else r.durasi_hari_kerja
        return self.display(r, col).casefold()


# --------------------------------------------------------------------------- month summary


@dataclass(frozen=True)
class ServiceSummaryRow:
    kode: str
    nama: str
    standar_hari_kerja: int
    jumlah: int
    selesai: int
    tepat_waktu: int
    rata_hari_kerja: float | None
    pengaduan: int
    pengaduan_selesai: int

    @classmethod
    def from_dict(cls, r: Mapping[str, Any]) -> ServiceSummaryRow:
        rata = r.get("rata_hari_kerja")
        return cls(str(r["kode"]), str(r["nama"]), int(r["standar_hari_kerja"]),
                   int(r["jumlah"] or 0), int(r["selesai"] or 0), int(r["tepat_waktu"] or 0),
                   None if rata is None else float(rata), int(r["pengaduan"] or 0),
                   int(r["pengaduan_selesai"] or 0))

    def percent_text(self) -> str:
        if not self.selesai:
            return "—"
        return format_persen(Fraction(100 * self.tepat_waktu, self.selesai), 1)

    def mean_text(self) -> str:
        return "—" if self.rata_hari_kerja is None else format_angka(self.rata_hari_kerja, 1)

    def summary(self) -> str:
        parts = [f"{self.kode} — {self.nama}",
                 ngettext("{n} request", "{n} requests", self.jumlah).format(n=self.jumlah),
                 _("{done} completed, {within} within the standard of {standard}").format(
                     done=self.selesai, within=self.tepat_waktu,
                     standard=hari_kerja_text(self.standar_hari_kerja))]
        if self.rata_hari_kerja is not None:
            parts.append(_("mean {days} working days").format(days=self.mean_text()))
        if self.pengaduan:
            parts.append(_("complaints: {received} received, {resolved} resolved").format(
                received=self.pengaduan, resolved=self.pengaduan_selesai))
        return "; ".join(parts)


class ServiceSummaryModel(PagedTableModel[ServiceSummaryRow]):
    JENIS, JUMLAH, SELESAI, TEPAT, PERSEN, RATA, PENGADUAN = range(7)

    def convert(self, raw: Mapping[str, Any]) -> ServiceSummaryRow:
        return ServiceSummaryRow.from_dict(raw)

    def headers(self) -> tuple[str, ...]:
        return (_("Service type"), _("Requests"), _("Completed"), _("Within standard"),
                _("% within standard"), _("Mean working days"), _("Complaints"))

    def display(self, r: ServiceSummaryRow, col: int) -> str:
        if col == self.JENIS:
            return f"{r.kode} — {r.nama}"
        if col == self.JUMLAH:
            return str(r.jumlah)
        if col == self.SELESAI:
            return str(r.selesai)
        if col == self.TEPAT:
            return str(r.tepat_waktu)
        if col == self.PERSEN:
            return r.percent_text()
        if col == self.RATA:
            return r.mean_text()
        return f"{r.pengaduan_selesai}/{r.pengaduan}"

    def accessible(self, r: ServiceSummaryRow, col: int) -> str:
        if col == self.JENIS:
            return r.summary()
        if col == self.PERSEN and not r.selesai:
            return _("none completed")
        if col == self.RATA and r.rata_hari_kerja is None:
            return _("none completed")
        if col == self.PENGADUAN:
            return _("{resolved} of {received} resolved").format(
                resolved=r.pengaduan_selesai, received=r.pengaduan)
        return self.display(r, col)
