"""Gather the Laporan kantor of one HR unit from what the device holds: the `unit:<id>` replica
and the server's last /me answer (never the network). Values a record lacks stay unknown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from asndesk.domain.activity import Pelatihan, jp_summary, new_pelatihan
from asndesk.domain.parsing import server_instant
from asndesk.domain.periods import Periode
from asndesk.domain.ratings import CapaianOrganisasi, Rating
from asndesk.domain.skp import StatusSkp
from asndesk.errors import NotFound, ValidationError
from asndesk.i18n import N_
from asndesk.reports.layanan_doc import ringkas_layanan
from asndesk.reports.models import KantorDoc, PegawaiKantor, Pengesahan, Pihak
from asndesk.reports.people import Identitas, identitas_dari, pertama
from asndesk.store import report_repo, team_repo
from asndesk.team_usecases import latest_skp

KINDS = ("skp", "amandemen", "penilaian", "pelatihan", "service_log", "service_type")
"""The replica records the report reads (log harian and realisasi are not needed)."""
E = TypeVar("E", bound=StrEnum)


def pilih_unit(me: dict[str, Any] | None, unit_id: str | None) -> dict[str, Any]:
    """The HR unit named, or the only one this person manages (from the stored /me)."""
    units: list[dict[str, Any]] = list((me or {}).get("hr_units", []))
    if unit_id is not None:
        found = next((u for u in units if u["id"] == unit_id), None)
        if found is None:
            raise NotFound(kind=N_("organisation unit"), id=unit_id)
        return found
    if len(units) == 1:
        return units[0]
    if not units:
        raise ValidationError("unit", "no_unit", N_("This profile manages no unit as HR "
                              "officer (pengelola kepegawaian) yet; sync first."))
    raise ValidationError("unit", "choose_unit", N_("Name the unit to report on: {units}."),
                          units=", ".join(u["id"] for u in units))


def data_per(me: dict[str, Any], fetched_at: float | None) -> datetime:
    """The instant the unit's data describes: the server's time in /me, else when it came."""
    found = server_instant(me.get("server_time"))
    if found is None and fetched_at is not None:
        found = datetime.fromtimestamp(fetched_at, UTC)
    return found or datetime.now(UTC)


def _enum(cls: type[E], value: object) -> E | None:
    """The member of `cls` a stored value names; an unknown or empty value reads as unknown."""
    try:
        return cls(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _pelatihan(records: Iterable[dict[str, Any]], sampai: date) -> list[Pelatihan]:
    """Trainings that validate and ended by `sampai`; a damaged record is left out."""
    out = []
    for r in records:
        try:
            item = new_pelatihan(id=r["id"], nama=r.get("nama") or "-",
                                 tanggal_mulai=r.get("tanggal_mulai") or "",
                                 tanggal_selesai=r.get("tanggal_selesai") or "",
                                 jp=r.get("jp") or "", penyelenggara=r.get("penyelenggara"))
        except ValidationError:
            continue
        if item.tanggal_selesai <= sampai:
            out.append(item)
    return out


class _Penilai:
    """Who decides a member's SKP, as far as this device knows, in order of authority: the
    owner (the member is in the owner's own team), the server's word in the last /me answer,
    the local roster's link in force, then whoever rated the member last (their NIP, named
    when some list here knows it)."""

    def __init__(self, conn: Any, owner: Identitas | None, on: date) -> None:
        self.conn, self.owner, self.on = conn, owner, on.isoformat()
        self.team = {p["nip"] for p in team_repo.people(conn, "team")}

    def of(self, nip: str, penilaian: list[dict[str, Any]]) -> Identitas | None:
        if nip in self.team and self.owner is not None:
            return self.owner
        member = team_repo.person(self.conn, nip)
        told = (member or {}).get("info", {})
        if told.get("penilai_nip"):
            known = report_repo.person_with_unit(self.conn, told["penilai_nip"])
            return pertama(identitas_dari(known),
                           Identitas(nama_lengkap=told.get("penilai_nama"),
                                     nip=told["penilai_nip"]))
        roster = report_repo.person_with_unit(self.conn, nip)
        link = report_repo.supervisor_link(self.conn, roster["id"], self.on) if roster else None
        if link and link.get("penilai_id"):
            return identitas_dari(report_repo.person_by_id(self.conn, link["penilai_id"]))
        rated = [r for r in penilaian if r.get("penilai_nip")]
        if not rated:
            return None
        last = str(max(rated, key=lambda r: str(r.get("dinilai_pada") or ""))["penilai_nip"])
        known = report_repo.person_with_unit(self.conn, last) or team_repo.person(self.conn, last)
        return pertama(identitas_dari(known), Identitas(nip=last))


def _layanan(conn: Any, logs: list[dict[str, Any]], types: list[dict[str, Any]],
             periode: Periode) -> tuple[list[dict[str, Any]], int]:
    """The period's service logs as `ringkas_layanan` rows, and how many had no known type."""
    known = {t["id"]: t for t in types}
    inside = [r for r in logs
              if periode.mulai.isoformat() <= str(r.get("diterima_tanggal") or "")
              <= periode.selesai.isoformat()]
    missing = sorted({str(r.get("service_type_id")) for r in inside} - set(known))
    known.update(report_repo.service_types_by_id(conn, missing))
    rows, unknown = [], 0
    for r in inside:
        jenis = known.get(str(r.get("service_type_id")))
        if jenis is None or jenis.get("standar_hari_kerja") is None:
            unknown += 1
            continue
        rows.append({"jenis_kode": jenis["kode"], "jenis_nama": jenis["nama"],
                     "standar_hari_kerja": jenis["standar_hari_kerja"], "status": r.get("status"),
                     "durasi_hari_kerja": r.get("durasi_hari_kerja"),
                     "pengaduan": int(bool(r.get("pengaduan"))),
                     "pengaduan_selesai": int(bool(r.get("pengaduan_selesai")))})
    return rows, unknown


def _capaian(given: CapaianOrganisasi | str | None, ratings: Iterable[dict[str, Any]]
             ) -> CapaianOrganisasi | None:
    """The capaian given, else the one the period's ratings all name (if they agree)."""
    if isinstance(given, CapaianOrganisasi):
        return given
    if given:
        found = _enum(CapaianOrganisasi, given)
        if found is None:
            raise ValidationError("capaian", "unknown", N_("Unknown value {value}."),
                                  value=str(given))
        return found
    named = {r.get("capaian_organisasi") for r in ratings} - {None, ""}
    return _enum(CapaianOrganisasi, named.pop()) if len(named) == 1 else None


def gather_kantor(conn: Any, me: dict[str, Any], unit: dict[str, Any], periode: Periode, *,
                  pihak: Pihak, fetched_at: float | None, capaian: CapaianOrganisasi | str | None,
                  batas_skp: date, batas_sinkron_hari: int, pengesahan: Pengesahan) -> KantorDoc:
    """Every member of `unit` with their SKP, pending decisions, period rating, JP and last
    contact; the unit's service KPIs for the period; all from the replica."""
    partition = f"unit:{unit['id']}"
    by_owner: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for record in team_repo.records(conn, partition, KINDS):
        by_owner[record["owner_nip"]][record["kind"]].append(record)
    tahun = periode.tahun
    penilai = _Penilai(conn, pihak.pegawai, periode.selesai)
    members, period_ratings = [], []
    for person in team_repo.people(conn, partition):
        own = by_owner.get(person["nip"], {})
        year_skps = {r["id"] for r in own.get("skp", []) if r.get("tahun") == tahun}
        head = latest_skp(own.get("skp", []), tahun)
        rated = [r for r in own.get("penilaian", [])
                 if r.get("period_id") == periode.id and r.get("skp_id") in year_skps]
        rating = max(rated, key=lambda r: str(r.get("dinilai_pada") or ""), default=None)
        period_ratings += rated
        members.append(PegawaiKantor(
            nip=person["nip"], nama=person["nama"], jabatan=person.get("jabatan"),
            status_skp=_enum(StatusSkp, head and head.get("status")),
            amandemen_diajukan=sum(1 for a in own.get("amandemen", [])
                                   if a.get("status") == StatusSkp.DIAJUKAN
                                   and a.get("skp_id") in year_skps),
            penilai=penilai.of(person["nip"], own.get("penilaian", [])),
            rating_hasil=_enum(Rating, rating and rating.get("rating_hasil_kerja")),
            rating_perilaku=_enum(Rating, rating and rating.get("rating_perilaku")),
            jp=jp_summary(_pelatihan(own.get("pelatihan", []), periode.selesai), tahun),
            terakhir_sinkron=server_instant(person["info"].get("last_seen_at"))))
    logs = [r for own in by_owner.values() for r in own.get("service_log", [])]
    types = [r for own in by_owner.values() for r in own.get("service_type", [])]
    rows, unknown = _layanan(conn, logs, types, periode)
    baris, total = ringkas_layanan(rows)
    return KantorDoc(
        pihak=pihak, unit_id=unit["id"], unit_nama=unit.get("nama") or unit["id"],
        periode=periode, data_per=data_per(me, fetched_at), batas_skp=batas_skp,
        batas_sinkron_hari=batas_sinkron_hari, capaian=_capaian(capaian, period_ratings),
        pegawai=tuple(members), layanan=tuple(baris), layanan_total=total,
        layanan_tersimpan=bool(logs), layanan_tanpa_jenis=unknown,
        pelatihan_tersimpan=any(own.get("pelatihan") for own in by_owner.values()),
        pengesahan=pengesahan)
