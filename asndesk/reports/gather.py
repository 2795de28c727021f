"""Gather what a document prints from the store (through `report_repo`) into `models`.

Identities are taken in order of authority: the period's rating snapshot, then the SKP's
snapshot, then the local roster; whatever none of them holds stays unknown.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from asndesk.domain.calendar import BATAS_HARIAN_MENIT, HolidayCalendar
from asndesk.domain.periods import JenisPeriode, Periode
from asndesk.domain.ratings import CapaianOrganisasi, Rating
from asndesk.domain.skp import Skp
from asndesk.errors import NotFound, ValidationError
from asndesk.i18n import N_
from asndesk.reports.models import (
    EvaluasiDoc,
    HariLog,
    LogDoc,
    LogEntri,
    Pengesahan,
    Pihak,
    RealisasiBaris,
    SkpDoc,
)
from asndesk.reports.people import Identitas, identitas_dari, pertama, snapshot
from asndesk.store import report_repo, skp_repo


def periode_dari_row(row: dict[str, Any]) -> Periode:
    return Periode(
        id=row["id"], tahun=int(row["tahun"]), jenis=JenisPeriode(row["jenis"]),
        nomor=int(row["nomor"]), mulai=date.fromisoformat(row["mulai"]),
        selesai=date.fromisoformat(row["selesai"]),
        batas_pengisian=date.fromisoformat(row["batas_pengisian"]),
    )


def _pegawai_roster(conn: Any, nip: str, head: dict[str, Any] | None) -> Identitas | None:
    row = report_repo.person_with_unit(conn, nip)
    if row is None:
        return None
    data = dict(row)
    # An SKP belongs to one position: its own jabatan/unit win over today's roster.
    if head is not None:
        data["jabatan"] = head.get("jabatan") or data.get("jabatan")
        data["unit_kerja"] = head.get("unit_kerja") or data.get("unit_nama")
    return identitas_dari(data)


def pihak(conn: Any, nip: str, head: dict[str, Any] | None = None,
          rating: dict[str, Any] | None = None, on_date: date | None = None) -> Pihak:
    """The employee, evaluator and evaluator's superior, as far as they are known locally."""
    snap = snapshot(rating.get("snapshot") if rating else None)
    head = head or {}
    on = (on_date or date.today()).isoformat()
    roster = report_repo.person_with_unit(conn, nip)
    link = report_repo.supervisor_link(conn, roster["id"], on) if roster else None
    penilai_nip = rating.get("penilai_nip") if rating else None
    return Pihak(
        pegawai=pertama(identitas_dari(snap.get("pegawai")),
                        identitas_dari(snapshot(head.get("pegawai_snapshot"))),
                        _pegawai_roster(conn, nip, head or None)),
        penilai=pertama(
            identitas_dari(snap.get("penilai")),
            identitas_dari(snapshot(head.get("penilai_snapshot"))),
            identitas_dari(report_repo.person_with_unit(conn, penilai_nip)),
            identitas_dari(report_repo.person_by_id(conn, link["penilai_id"]) if link else None),
        ),
        atasan_penilai=pertama(
            identitas_dari(snap.get("atasan_penilai")),
            identitas_dari(snapshot(head.get("atasan_penilai_snapshot"))),
            identitas_dari(report_repo.person_by_id(conn, link["atasan_penilai_id"])
                           if link else None),
        ),
        instansi=report_repo.top_unit_name(conn, nip),
    )


def skp_id_for(conn: Any, nip: str, skp_id: str | None, tahun: int | None) -> str:
    """The SKP named, or the one to print for `tahun` (NotFound when there is none)."""
    if skp_id:
        return skp_id
    found = report_repo.latest_skp_id(conn, nip, tahun or date.today().year)
    if found is None:
        raise NotFound(kind=N_("SKP"), id=str(tahun or date.today().year))
    return found


def gather_skp(conn: Any, skp_id: str, pengesahan: Pengesahan) -> SkpDoc:
    skp = skp_repo.load_skp(conn, skp_id)
    head = skp_repo.skp_head(conn, skp_id)
    return SkpDoc(skp=skp, pihak=pihak(conn, skp.nip_pegawai, head, on_date=pengesahan.tanggal),
                  pengesahan=pengesahan)


def _enum_or_none(cls: Any, value: Any) -> Any:
    try:
        return cls(value) if value else None
    except ValueError:
        return None


def gather_evaluasi(conn: Any, skp_id: str, period_id: str, pengesahan: Pengesahan
                    ) -> EvaluasiDoc:
    """Realisasi (with evidence), feedback and ratings of one SKP over one period."""
    skp: Skp = skp_repo.load_skp(conn, skp_id)
    head = skp_repo.skp_head(conn, skp_id)
    periode = periode_dari_row(report_repo.period(conn, period_id))
    if periode.tahun != skp.tahun:
        raise ValidationError("period_id", "other_year",
                              N_("The period {id} is not in the SKP's year."), id=period_id)
    inside = report_repo.periods_within(conn, periode.mulai.isoformat(),
                                       periode.selesai.isoformat())
    by_id = {r["id"]: periode_dari_row(r) for r in inside}
    by_id[periode.id] = periode
    realisasi_rows = report_repo.realisasi_of_skp(conn, skp_id, list(by_id))
    bukti: dict[str, list[str]] = defaultdict(list)
    for b in report_repo.evidence_of(conn, "realisasi", [r["id"] for r in realisasi_rows]):
        bukti[b["pemilik_id"]].append(_nama_bukti(b))
    realisasi: dict[str, list[RealisasiBaris]] = defaultdict(list)
    iki_rhk: dict[str, str] = {}
    for rhk in skp.rhk:
        for iki in rhk.iki:
            iki_rhk[iki.id] = rhk.id
    real_rhk: dict[str, str] = {}
    for r in realisasi_rows:
        realisasi[r["iki_id"]].append(RealisasiBaris(
            periode=by_id[r["period_id"]], nilai=Decimal(r["nilai"]) if r["nilai"] else None,
            uraian=r["uraian"], bukti=tuple(bukti.get(r["id"], ()))))
        real_rhk[r["id"]] = iki_rhk.get(r["iki_id"], "")
    fb_rhk: dict[str, list[str]] = defaultdict(list)
    fb_perilaku: dict[int, list[str]] = defaultdict(list)
    catatan: list[str] = []
    for f in report_repo.feedback(conn, skp_id, list(by_id), periode.mulai.isoformat(),
                                  periode.selesai.isoformat()):
        jenis, target = f["sasaran_jenis"], f["sasaran_id"]
        if jenis == "rhk" and target:
            fb_rhk[target].append(f["teks"])
        elif jenis == "realisasi" and target in real_rhk:
            fb_rhk[real_rhk[target]].append(f["teks"])
        elif jenis == "perilaku" and target and str(target).isdigit():
            fb_perilaku[int(target)].append(f["teks"])
        else:
            catatan.append(f["teks"])
    rating = report_repo.penilaian(conn, skp_id, period_id)
    return EvaluasiDoc(
        skp=skp,
        pihak=pihak(conn, skp.nip_pegawai, head, rating, on_date=periode.selesai),
        periode=periode, pengesahan=pengesahan,
        realisasi={k: tuple(v) for k, v in realisasi.items()},
        umpan_balik_rhk={k: tuple(v) for k, v in fb_rhk.items()},
        umpan_balik_perilaku={k: tuple(v) for k, v in fb_perilaku.items()},
        catatan=tuple(catatan),
        rating_hasil=_enum_or_none(Rating, rating and rating["rating_hasil_kerja"]),
        rating_perilaku=_enum_or_none(Rating, rating and rating["rating_perilaku"]),
        capaian=_enum_or_none(CapaianOrganisasi, rating and rating["capaian_organisasi"]),
    )


def _nama_bukti(row: dict[str, Any]) -> str:
    nama = str(row["nama_file"] or row["tautan"] or "")
    return nama + (" (" + row["keterangan"] + ")" if row.get("keterangan") else "")


def _jam(text: str) -> int:
    jam, menit = text.split(":")[:2]
    return int(jam) * 60 + int(menit)


def gather_log(conn: Any, nip: str, tahun: int, bulan: int, *, calendar: HolidayCalendar,
               pengesahan: Pengesahan) -> LogDoc:
    """Every day of the month with its entries and norm (7 h 30 min per working day)."""
    if not 1 <= bulan <= 12:
        raise ValidationError("bulan", "out_of_range",
                              N_("The month must be between 1 and 12."))
    awal = date(tahun, bulan, 1)
    akhir = (date(tahun + (bulan == 12), bulan % 12 + 1, 1)) - timedelta(days=1)
    entries = report_repo.logs_between(conn, awal.isoformat(), akhir.isoformat())
    bukti: dict[str, list[str]] = defaultdict(list)
    for b in report_repo.evidence_of(conn, "log_harian", [e["id"] for e in entries]):
        bukti[b["pemilik_id"]].append(_nama_bukti(b))
    rhk_ids: list[str] = []
    rhk_teks: list[str] = []
    by_day: dict[str, list[LogEntri]] = defaultdict(list)
    for e in entries:
        nomor = None
        if e["rhk_id"]:
            if e["rhk_id"] not in rhk_ids:
                rhk_ids.append(e["rhk_id"])
                rhk_teks.append(e["rhk_teks"] or "")
            nomor = rhk_ids.index(e["rhk_id"]) + 1
        output = None
        if e["output_jumlah"]:
            output = e["output_jumlah"] + (" " + e["output_satuan"] if e["output_satuan"] else "")
        by_day[e["tanggal"]].append(LogEntri(
            mulai=e["jam_mulai"], selesai=e["jam_selesai"],
            menit=_jam(e["jam_selesai"]) - _jam(e["jam_mulai"]), kegiatan=e["kegiatan"],
            output=output, rhk_no=nomor, bukti=tuple(bukti.get(e["id"], ()))))
    hari = []
    d = awal
    while d <= akhir:
        libur = calendar.libur_pada(d)
        kerja = calendar.is_working_day(d)
        hari.append(HariLog(tanggal=d, norma_menit=BATAS_HARIAN_MENIT if kerja else 0,
                            libur=libur.nama if libur else None,
                            entri=tuple(by_day.get(d.isoformat(), ()))))
        d += timedelta(days=1)
    return LogDoc(pihak=pihak(conn, nip, on_date=akhir), tahun=tahun, bulan=bulan,
                  hari=tuple(hari), rhk=tuple(rhk_teks), pengesahan=pengesahan)
