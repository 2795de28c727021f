"""What a report holds, in words: the preview's accessible description and visible summary.

A page image is not readable by a screen reader, so the summary names the document, its
page count and its key figures (the predikat, the hours logged, the IKM, …) in the UI
language. Qt-free: built from the gathered document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asndesk.domain.formatting import format_angka, format_durasi_menit, format_rentang_tanggal
from asndesk.i18n import _, current_locale, ngettext
from asndesk.reports.log_doc import nama_bulan, ringkasan
from asndesk.reports.models import (
    EvaluasiDoc,
    IkmDoc,
    KantorDoc,
    LayananDoc,
    LogDoc,
    SkpDoc,
)
from ui.report_jobs import BY_KIND, Gathered


def pages_text(pages: int) -> str:
    return ngettext("{n} page", "{n} pages", pages).format(n=pages)


def page_counter(pages: int) -> str:
    """"Halaman 1 dari N": the preview always shows the first page."""
    return _("Page 1 of {n}").format(n=pages)


def summary(gathered: Gathered, pages: int | None = None) -> str:
    """Title, page count (PDFs) and key figures of a gathered report."""
    title = _(BY_KIND[gathered.request.kind].title)
    parts = [title]
    if pages is not None:
        parts.append(pages_text(pages))
    parts += figures(gathered.doc)
    if gathered.tabel is not None:
        n = len(gathered.tabel.baris)
        parts.append(ngettext("{n} row", "{n} rows", n).format(n=n))
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def figures(doc: Any) -> list[str]:
    """The few numbers a reader wants first, per kind of document."""
    for cls, words in _FIGURES:
        if isinstance(doc, cls):
            return words(doc)
    return []


def _skp(doc: SkpDoc) -> list[str]:
    n = len(doc.skp.rhk)
    return [_("SKP {year}, status {status}").format(year=doc.skp.tahun,
                                                    status=doc.skp.status.value),
            ngettext("{n} RHK", "{n} RHK", n).format(n=n)]


def _evaluasi(doc: EvaluasiDoc) -> list[str]:
    return [_("Period {period}").format(period=doc.periode.id), _predikat(doc)]


def _layanan(doc: LayananDoc) -> list[str]:
    t = doc.total
    return [_("{received} services received, {done} completed, {on_time} on time").format(
        received=t.permohonan, done=t.selesai, on_time=t.tepat_waktu),
        _("Dates {range}").format(range=format_rentang_tanggal(doc.dari, doc.sampai))]


def _ikm(doc: IkmDoc) -> list[str]:
    h = doc.hasil
    value = format_angka(h.ikm_konversi_bulat, 2, locale=current_locale())
    return [_("{unit}: IKM {value}, service quality {mutu}").format(
        unit=doc.unit_layanan, value=value, mutu=h.mutu.value),
        ngettext("{n} respondent", "{n} respondents", h.jumlah_responden).format(
            n=h.jumlah_responden)]


def _predikat(doc: EvaluasiDoc) -> str:
    if doc.predikat is None:
        return _("No predikat yet (the pejabat penilai has not given both ratings)")
    return _("Predikat {predikat}").format(predikat=doc.predikat.value)


def _log(doc: LogDoc) -> list[str]:
    hari, menit, norma = ringkasan(doc)
    entries = sum(len(h.entri) for h in doc.hari)
    locale = current_locale()
    return [nama_bulan(doc.tahun, doc.bulan, locale),
            ngettext("{n} entry", "{n} entries", entries).format(n=entries),
            _("{logged} logged against a norm of {norm} over {days} working days").format(
                logged=format_durasi_menit(menit, locale=locale),
                norm=format_durasi_menit(norma, locale=locale), days=hari)]


def _kantor(doc: KantorDoc) -> list[str]:
    counts = ", ".join(f"{p.value} {n}" for p, n in doc.jumlah_predikat.items() if n)
    n = len(doc.pegawai)
    return [_("Unit {unit}, period {period}").format(unit=doc.unit_nama, period=doc.periode.id),
            ngettext("{n} employee", "{n} employees", n).format(n=n),
            _("Predikat: {counts}").format(counts=counts) if counts else
            _("No predikat given yet")]


_FIGURES: tuple[tuple[type, Callable[[Any], list[str]]], ...] = (
    (SkpDoc, _skp), (EvaluasiDoc, _evaluasi), (LogDoc, _log), (LayananDoc, _layanan),
    (IkmDoc, _ikm), (KantorDoc, _kantor))
