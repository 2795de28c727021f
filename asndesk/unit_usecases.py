"""The HR officer's view of a unit (pengelola kepegawaian), and the owner's own assessments.

Per person in each unit the officer manages: SKP status, whether an approval is pending,
last contact with the server, last change, and realisasi per period — from the last sync;
the monitoring list (SKP set by the deadline, log this week, waiting decisions, days since
the last sync) and its CSV export, written only where the officer chose and audited.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asndesk.domain.parsing import server_instant
from asndesk.domain.periods import batas_penetapan_skp
from asndesk.domain.skp import StatusSkp
from asndesk.errors import NotFound
from asndesk.i18n import N_
from asndesk.reports.exports import Kolom, Nilai, Tabel, to_csv
from asndesk.reports.kantor_gather import data_per, pilih_unit
from asndesk.reports.service import write_new_file
from asndesk.store import rows, team_repo, unit_repo
from asndesk.team_usecases import latest_skp, summary_of

if TYPE_CHECKING:
    from asndesk.store.database import Store, WriteTx

BATAS_SINKRON_HARI = 7
"""The monitoring's default: a person not seen by the server for this many days stands out."""


@dataclass(frozen=True)
class MemberStatus:
    """One member of an HR unit as the monitoring lists them (from the last sync)."""

    nip: str
    nama: str
    jabatan: str | None
    status_skp: StatusSkp | None       # the year's SKP; None: none synced
    lewat_batas: bool                  # not yet set (disetujui) and the deadline has passed
    log_minggu_ini: int                # log harian entries dated in this week (Mon–Sun)
    menunggu: int                      # the submitted SKP and amendments awaiting a decision
    penilai_nip: str | None
    penilai_nama: str | None
    terakhir_sinkron: datetime | None  # the person's latest contact with the server
    hari_tanpa_sinkron: int | None     # whole days from then to the data's as-of instant

    @property
    def skp_ditetapkan(self) -> bool:
        return self.status_skp is StatusSkp.DISETUJUI

    def belum_sinkron(self, hari: int) -> bool:
        """Not seen by the server for `hari` days or more (or never)."""
        return self.hari_tanpa_sinkron is None or self.hari_tanpa_sinkron >= hari


@dataclass(frozen=True)
class UnitMonitor:
    unit_id: str
    unit_nama: str
    tahun: int
    batas_skp: date          # the deadline to set the year's SKP
    minggu: tuple[date, date]
    data_per: datetime       # when the server described the unit (the last /me answer)
    people: tuple[MemberStatus, ...]


class UnitUseCases:
    store: Store
    owner_nip: str

    def roles(self) -> dict[str, Any] | None:  # provided by TeamUseCases
        raise NotImplementedError

    def roles_age(self, now: float | None = None) -> float | None:  # by TeamUseCases
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    def hr_units(self) -> list[dict[str, Any]]:
        """The units this person manages as HR officer (from the last /me answer)."""
        me = self.roles() or {}
        return [{"id": u["id"], "nama": u["nama"], "members": len(u.get("members", []))}
                for u in me.get("hr_units", [])]

    def unit_status(self, unit_id: str | None = None, tahun: int | None = None
                    ) -> list[dict[str, Any]]:
        """Each managed unit (or just `unit_id`) with one status line per member."""
        tahun = tahun or date.today().year
        units = self.hr_units()
        if unit_id is not None:
            units = [u for u in units if u["id"] == unit_id]
            if not units:
                raise NotFound(kind=N_("organisation unit"), id=unit_id)
        out = []
        for unit in units:
            partition = f"unit:{unit['id']}"
            members = []
            for person in team_repo.people(self.store.conn, partition):
                summary = summary_of(self.store.conn, partition, person["nip"], tahun)
                skp = summary["skp"]
                members.append({
                    "nip": person["nip"], "nama": person["nama"], "jabatan": person["jabatan"],
                    "last_seen_at": person["info"].get("last_seen_at"), **summary,
                    "approval_pending": bool(skp and skp["status"] == StatusSkp.DIAJUKAN),
                })
            out.append({**unit, "tahun": tahun, "people": members,
                        "pending": sum(m["approval_pending"] for m in members),
                        "without_skp": sum(m["skp"] is None for m in members)})
        return out

    def unit_monitor(self, unit_id: str | None = None, *, tahun: int | None = None,
                     today: date | None = None) -> UnitMonitor:
        """The monitoring list of one HR unit (the only one, when `unit_id` is None)."""
        today = today or date.today()
        tahun = tahun or today.year
        me = self.roles() or {}
        unit = pilih_unit(me, unit_id)
        partition = f"unit:{unit['id']}"
        conn = self.store.conn
        monday = today - timedelta(days=today.weekday())
        logs = unit_repo.logs_between(conn, partition, monday, monday + timedelta(days=6))
        by_owner: dict[str, list[dict[str, Any]]] = {}
        for record in team_repo.records(conn, partition, ("skp", "amandemen")):
            by_owner.setdefault(record["owner_nip"], []).append(record)
        age = self.roles_age()
        as_of = data_per(me, None if age is None else datetime.now(UTC).timestamp() - age)
        batas = batas_penetapan_skp(tahun)
        team = {s["nip"] for s in me.get("subordinates", [])}
        people = []
        for person in team_repo.people(conn, partition):
            own = by_owner.get(person["nip"], [])
            head = latest_skp((r for r in own if r["kind"] == "skp"), tahun)
            status = _status(head)
            waiting = sum(1 for r in own if r["kind"] == "amandemen"
                          and r.get("status") == StatusSkp.DIAJUKAN
                          and head is not None and r.get("skp_id") == head["id"])
            info = person["info"]
            penilai_nip, penilai_nama = info.get("penilai_nip"), info.get("penilai_nama")
            if not penilai_nip and person["nip"] in team:   # the officer is the penilai
                penilai_nip, penilai_nama = self.owner_nip, me.get("nama")
            seen = server_instant(info.get("last_seen_at"))
            people.append(MemberStatus(
                nip=person["nip"], nama=person["nama"], jabatan=person.get("jabatan"),
                status_skp=status,
                lewat_batas=status is not StatusSkp.DISETUJUI and today > batas,
                log_minggu_ini=logs.get(person["nip"], 0),
                menunggu=int(status is StatusSkp.DIAJUKAN) + waiting,
                penilai_nip=penilai_nip, penilai_nama=penilai_nama, terakhir_sinkron=seen,
                hari_tanpa_sinkron=(None if seen is None
                                    else max(0, (as_of - seen) // timedelta(days=1)))))
        return UnitMonitor(unit["id"], unit.get("nama") or unit["id"], tahun, batas,
                           (monday, monday + timedelta(days=6)), as_of, tuple(people))

    def export_unit_monitor(self, path: Path, nips: list[str], *, unit_id: str | None = None,
                            tahun: int | None = None, today: date | None = None,
                            batas_sinkron_hari: int = BATAS_SINKRON_HARI,
                            locale: str = "id", overwrite: bool = False) -> Path:
        """Write the listed members (`nips`, in that order: the list as shown) as CSV to
        exactly `path`, and audit that an export was made (never its content)."""
        monitor = self.unit_monitor(unit_id, tahun=tahun, today=today)
        by_nip = {p.nip: p for p in monitor.people}
        tabel = tabel_monitor(monitor, [by_nip[n] for n in nips if n in by_nip],
                              batas_sinkron_hari)
        write_new_file(path, to_csv(tabel, locale), overwrite=overwrite)
        with self._write() as tx:
            tx.audit("export.unit_monitor", "csv")
        return path

    # -- the owner's own SKP, as the supervisor assessed it ------------------------------------
    def own_assessments(self, skp_id: str) -> dict[str, list[dict[str, Any]]]:
        """Ratings (with the server's predikat) and feedback on one's own SKP, as synced."""
        head = rows.get(self.store.conn, "skp", skp_id)
        if head["pegawai_nip"] != self.owner_nip:
            raise NotFound(kind=rows.LABELS["skp"], id=skp_id)
        return team_repo.own_assessments(self.store.conn, skp_id)


def tabel_monitor(monitor: UnitMonitor, people: list[MemberStatus],
                  batas_sinkron_hari: int) -> Tabel:
    """The monitoring rows as an export table (canonical values, headers per language)."""
    baris: list[tuple[Nilai, ...]] = [(monitor.unit_id, monitor.tahun, p.nip, p.nama, p.jabatan,
              p.status_skp.value if p.status_skp else None, p.lewat_batas, p.log_minggu_ini,
              p.menunggu, p.penilai_nip, p.penilai_nama,
              p.terakhir_sinkron.date() if p.terakhir_sinkron else None, p.hari_tanpa_sinkron,
              p.belum_sinkron(batas_sinkron_hari)) for p in people]
    kolom = (
        Kolom("unit", "Unit kerja", "Unit"), Kolom("tahun", "Tahun", "Year"),
        Kolom("nip", "NIP", "NIP"), Kolom("nama", "Nama", "Name"),
        Kolom("jabatan", "Jabatan", "Position"), Kolom("status_skp", "Status SKP", "SKP status"),
        Kolom("lewat_batas", "SKP belum ditetapkan lewat batas", "SKP not set, past deadline"),
        Kolom("log_minggu_ini", "Log harian minggu ini", "Daily log entries this week"),
        Kolom("menunggu", "Menunggu persetujuan", "Awaiting approval"),
        Kolom("penilai_nip", "NIP pejabat penilai", "Evaluator NIP"),
        Kolom("penilai_nama", "Pejabat penilai", "Evaluator"),
        Kolom("terakhir_terhubung", "Terakhir terhubung", "Last contact"),
        Kolom("hari_tanpa_sinkron", "Hari tanpa sinkron", "Days without sync"),
        Kolom("belum_sinkron", "Belum sinkron", "Not synced"),
    )
    return Tabel("Monitoring unit", kolom, baris)


def _status(head: dict[str, Any] | None) -> StatusSkp | None:
    try:
        return StatusSkp(head["status"]) if head and head.get("status") else None
    except ValueError:
        return None   # a status this version does not know reads as unknown
