"""The employee's day-to-day use cases: log harian, service logs, realisasi, training, periods.

Files are read and downscaled before the transaction opens, so a bad file refuses the whole
write and nothing is left behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asndesk.domain.activity import (
    JpRingkasan,
    LogHarian,
    StatusLayanan,
    daily_total_warning,
    jp_summary,
    new_jenis_layanan,
    new_log_harian,
    new_log_layanan,
    new_pelatihan,
    overlapping,
)
from asndesk.domain.calendar import HolidayCalendar, service_duration_working_days
from asndesk.domain.parsing import parse_angka
from asndesk.domain.periods import PolaPeriode, buat_periode
from asndesk.domain.skp import validate_text
from asndesk.errors import ValidationError
from asndesk.evidence import PreparedFile, prepare_file
from asndesk.i18n import N_, gettext
from asndesk.store import (
    activity_repo,
    attachment_repo,
    outbox,
    reference_repo,
    report_repo,
    rows,
)
from asndesk.store.database import Changes, WriteTx
from asndesk.store.ids import uuid7

if TYPE_CHECKING:
    from asndesk.store.database import Store

MAKS_TAUTAN = 2000


class LogOverlapWarning:
    """The new entry's time overlaps other entries of the same day (allowed, but shown)."""

    code = "overlap"
    message_id = N_("Other activities on the same day that overlap this one: {count}.")

    def __init__(self, count: int) -> None:
        self.count = count

    def message(self) -> str:
        return gettext(self.message_id).format(count=self.count)


def _log_from_row(r: dict[str, Any]) -> LogHarian:
    return LogHarian(
        id=r["id"], tanggal=date.fromisoformat(r["tanggal"]),
        jam_mulai=time.fromisoformat(r["jam_mulai"]),
        jam_selesai=time.fromisoformat(r["jam_selesai"]),
        kegiatan=r["kegiatan"],
        output_jumlah=Decimal(r["output_jumlah"]) if r["output_jumlah"] else None,
        output_satuan=r["output_satuan"], rhk_id=r["rhk_id"],
    )


def _log_row(log: LogHarian) -> dict[str, Any]:
    return {
        "id": log.id,
        "tanggal": log.tanggal.isoformat(),
        "jam_mulai": log.jam_mulai.strftime("%H:%M"),
        "jam_selesai": log.jam_selesai.strftime("%H:%M"),
        "kegiatan": log.kegiatan,
        "output_jumlah": None if log.output_jumlah is None else str(log.output_jumlah),
        "output_satuan": log.output_satuan,
        "rhk_id": log.rhk_id,
    }


class ActivityUseCases:
    store: Store
    owner_nip: str

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    def calendar(self) -> HolidayCalendar:  # provided by Workspace
        raise NotImplementedError

    # -- log harian ----------------------------------------------------------------------
    def add_log(
        self,
        tanggal: date | str,
        jam_mulai: str,
        jam_selesai: str,
        kegiatan: str,
        *,
        output_jumlah: str | Decimal | None = None,
        output_satuan: str | None = None,
        rhk_id: str | None = None,
        bukti: Sequence[Path] = (),
        tautan: Sequence[str] = (),
    ) -> Changes:
        """Record one activity; warns (never blocks) above 7 h 30 min a day or on overlap."""
        log = new_log_harian(
            id=uuid7(), tanggal=tanggal, jam_mulai=jam_mulai, jam_selesai=jam_selesai,
            kegiatan=kegiatan, output_jumlah=output_jumlah, output_satuan=output_satuan,
            rhk_id=rhk_id or None,
        )
        self._check_rhk(log.rhk_id)
        reference_repo.require_open_day(self.store.conn, log.tanggal.isoformat())
        files = _prepare_all(bukti)
        links = [validate_text("tautan", t, MAKS_TAUTAN) for t in tautan]
        with self._write() as tx:
            rows.insert(tx, "log_harian", {**_log_row(log), "created_at": tx.now_utc})
            tx.op("create", "log_harian", log.id, _log_row(log))
            _attach(tx, "log_harian", log.id, files, links)
            tx.changes.warnings.extend(self._day_warnings(tx, log))
        tx.changes.primary_id = log.id
        return tx.changes

    def edit_log(self, log_id: str, expected_version: int | None = None, **fields: Any
                 ) -> Changes:
        """Change some fields of an entry; the whole entry is re-validated."""
        current = rows.get(self.store.conn, "log_harian", log_id)
        merged = {**{k: current[k] for k in _log_row(_log_from_row(current))}, **fields}
        log = new_log_harian(**merged)
        self._check_rhk(log.rhk_id)
        for tanggal in {current["tanggal"], log.tanggal.isoformat()}:  # out of it, or into it
            reference_repo.require_open_day(self.store.conn, tanggal)
        new_row = _log_row(log)
        changed = {k: v for k, v in new_row.items() if v != current[k]}
        with self._write() as tx:
            if changed:
                version = rows.update(tx, "log_harian", log_id, changed, expected_version)
                tx.op("edit_fields", "log_harian", log_id,
                      {**changed, outbox.SEEN: {k: current[k] for k in changed}},
                      base_version=version - 1)
            tx.changes.warnings.extend(self._day_warnings(tx, log))
        return tx.changes

    def log_entry(self, log_id: str) -> dict[str, Any]:
        """One log harian entry as stored now (its current `version` included)."""
        return dict(rows.get(self.store.conn, "log_harian", log_id))

    def delete_log(self, log_id: str) -> Changes:
        current = rows.get(self.store.conn, "log_harian", log_id)
        reference_repo.require_open_day(self.store.conn, current["tanggal"])
        with self._write() as tx:
            old = rows.delete(tx, "log_harian", log_id)
            attachment_repo.unlink_owner(tx, "log_harian", log_id)
            tx.op("delete", "log_harian", log_id, {}, base_version=old["version"])
        return tx.changes

    def logs(self, *, dari: str | None = None, sampai: str | None = None,
             cari: str | None = None, limit: int = activity_repo.PAGE_SIZE, offset: int = 0
             ) -> list[dict[str, Any]]:
        """One page of log harian, newest first (`cari` searches the activity text)."""
        return activity_repo.logs_page(self.store.conn, dari=dari, sampai=sampai, cari=cari,
                                       limit=limit, offset=offset)

    def evidence(self, pemilik_jenis: str, pemilik_id: str) -> list[dict[str, Any]]:
        return attachment_repo.evidence_of(self.store.conn, pemilik_jenis, pemilik_id)

    def _day_warnings(self, tx: WriteTx, log: LogHarian) -> list[Any]:
        others = [_log_from_row(r) for r in
                  activity_repo.logs_of_day(tx.conn, log.tanggal.isoformat(), log.id)]
        minutes = sum(o.durasi_menit for o in others)
        found: list[Any] = []
        total = daily_total_warning(minutes, log.durasi_menit)
        if total is not None:
            found.append(total)
        clashes = overlapping(others, log)
        if clashes:
            found.append(LogOverlapWarning(len(clashes)))
        return found

    def _check_rhk(self, rhk_id: str | None) -> None:
        if rhk_id is not None:
            rows.get(self.store.conn, "rhk", rhk_id)

    # -- layanan -------------------------------------------------------------------------
    def add_service_type(self, kode: str, nama: str, standar_hari_kerja: int | str) -> Changes:
        """A local service type (HR's list replaces local ones once sync lands)."""
        jenis = new_jenis_layanan(id=uuid7(), kode=kode, nama=nama,
                                  standar_hari_kerja=standar_hari_kerja)
        if activity_repo.service_type_by_code(self.store.conn, jenis.kode) is not None:
            raise ValidationError("kode", "duplicate",
                                  N_("A service type with code {kode} already exists."),
                                  kode=jenis.kode)
        row: dict[str, Any] = {"id": jenis.id, "kode": jenis.kode, "nama": jenis.nama,
               "standar_hari_kerja": jenis.standar_hari_kerja}
        with self._write() as tx:
            rows.insert(tx, "service_type", row)
            tx.op("create", "service_type", jenis.id, row)
        tx.changes.primary_id = jenis.id
        return tx.changes

    def service_types(self) -> list[dict[str, Any]]:
        return activity_repo.service_types(self.store.conn)

    def add_service_log(
        self,
        jenis: str,
        diterima: str,
        *,
        selesai: str | None = None,
        status: str | None = None,
        hasil: str | None = None,
        kepuasan: int | str | None = None,
        pengaduan: bool = False,
        pengaduan_selesai: bool = False,
        catatan: str | None = None,
        bukti: Sequence[Path] = (),
    ) -> Changes:
        """Record one service; its duration in working days is computed from the calendar.
        Evidence files are linked as owner `log_layanan` (the sync pull's name for them)."""
        service_type = activity_repo.service_type_by_code(self.store.conn, jenis.strip())
        if service_type is None:
            raise ValidationError("jenis", "unknown",
                                  N_("There is no service type with code {kode}."),
                                  kode=jenis.strip())
        if not service_type["aktif"]:
            raise ValidationError("jenis", "inactive",
                                  N_("The service type {kode} is no longer in use."),
                                  kode=service_type["kode"])
        entry = new_log_layanan(
            id=uuid7(), jenis_layanan_id=service_type["id"], diterima_pada=diterima,
            selesai_pada=selesai or None,
            status=status or (StatusLayanan.SELESAI if selesai else StatusLayanan.DITERIMA),
            hasil=hasil, kepuasan=kepuasan, pengaduan=pengaduan,
            pengaduan_selesai=pengaduan_selesai, catatan=catatan,
        )
        files = _prepare_all(bukti)
        durasi = (service_duration_working_days(entry.diterima_pada, entry.selesai_pada,
                                                self.calendar())
                  if entry.selesai_pada else None)
        row: dict[str, Any] = {
            "id": entry.id,
            "service_type_id": entry.jenis_layanan_id,
            "diterima_pada": entry.diterima_pada.isoformat(timespec="minutes"),
            "diterima_tanggal": entry.diterima_pada.date().isoformat(),
            "selesai_pada": (entry.selesai_pada.isoformat(timespec="minutes")
                             if entry.selesai_pada else None),
            "durasi_hari_kerja": durasi,
            "status": str(entry.status),
            "hasil": entry.hasil,
            "kepuasan": entry.kepuasan,
            "pengaduan": int(entry.pengaduan),
            "pengaduan_selesai": int(entry.pengaduan_selesai),
            "catatan": entry.catatan,
        }
        with self._write() as tx:
            rows.insert(tx, "service_log", {**row, "created_at": tx.now_utc})
            tx.op("create", "service_log", entry.id, row)
            _attach(tx, "service_log", entry.id, files, [], pemilik="log_layanan")
        tx.changes.primary_id = entry.id
        return tx.changes

    def service_logs(self, *, dari: str | None = None, sampai: str | None = None,
                     limit: int = activity_repo.PAGE_SIZE, offset: int = 0
                     ) -> list[dict[str, Any]]:
        return activity_repo.service_logs_page(self.store.conn, dari=dari, sampai=sampai,
                                               limit=limit, offset=offset)

    def service_month_summary(self, tahun: int, bulan: int) -> list[dict[str, Any]]:
        return activity_repo.service_month_summary(self.store.conn, tahun, bulan)

    # -- periods and realisasi -----------------------------------------------------------
    def ensure_periods(self, tahun: int, pola: PolaPeriode | str = PolaPeriode.TRIWULANAN
                       ) -> Changes:
        """Local default periods for a year when HR's have not been synced yet."""
        with self._write() as tx:
            if not reference_repo.periods(tx.conn, tahun):
                for p in buat_periode(tahun, pola, self.calendar()):
                    rows.insert(tx, "period", {
                        "id": p.id, "tahun": p.tahun, "jenis": str(p.jenis), "nomor": p.nomor,
                        "mulai": p.mulai.isoformat(), "selesai": p.selesai.isoformat(),
                        "batas_pengisian": p.batas_pengisian.isoformat(),
                        "updated_at": tx.now_utc,
                    })
                    tx.changes.add("period", p.id)
                tx.audit("period.create_local")
        return tx.changes

    def periods(self, tahun: int) -> list[dict[str, Any]]:
        return reference_repo.periods(self.store.conn, tahun)

    def record_realisasi(
        self, iki_id: str, period_id: str, uraian: str, *, nilai: str | None = None,
        bukti: Sequence[Path] = (), tautan: Sequence[str] = (),
    ) -> Changes:
        """Realisasi of one IKI in one period (creates it, or edits the existing one)."""
        conn = self.store.conn
        rows.get(conn, "iki", iki_id)
        rows.get(conn, "period", period_id)
        reference_repo.require_open_period(conn, period_id)
        fields = {"uraian": validate_text("uraian", uraian, 4000),
                  "nilai": None if nilai in (None, "") else str(parse_angka("nilai", nilai))}
        files = _prepare_all(bukti)
        links = [validate_text("tautan", t, MAKS_TAUTAN) for t in tautan]
        with self._write() as tx:
            existing = activity_repo.realisasi_of(tx.conn, iki_id, period_id)
            if existing is None:
                row: dict[str, Any] = {"id": uuid7(), "iki_id": iki_id,
                                       "period_id": period_id, **fields}
                rows.insert(tx, "realisasi", {**row, "created_at": tx.now_utc})
                tx.op("create", "realisasi", row["id"], row)
                realisasi_id = row["id"]
            else:
                realisasi_id = existing["id"]
                version = rows.update(tx, "realisasi", realisasi_id, fields)
                tx.op("edit_fields", "realisasi", realisasi_id,
                      {**fields, outbox.SEEN: {k: existing[k] for k in fields}},
                      base_version=version - 1)
            _attach(tx, "realisasi", realisasi_id, files, links)
        tx.changes.primary_id = realisasi_id
        return tx.changes

    def realisasi_list(self, skp_id: str, period_id: str | None = None
                       ) -> list[dict[str, Any]]:
        """Realisasi of one SKP's IKI, in `period_id` or in every period of the SKP's year,
        each with `bukti`: how many evidence files and links it has."""
        conn = self.store.conn
        tahun = rows.get(conn, "skp", skp_id)["tahun"]
        period_ids = ([period_id] if period_id is not None
                      else [p["id"] for p in reference_repo.periods(conn, tahun)])
        if not period_ids:
            return []
        found = report_repo.realisasi_of_skp(conn, skp_id, period_ids)
        for r in found:
            r["bukti"] = len(attachment_repo.evidence_of(conn, "realisasi", r["id"]))
        return found

    # -- pengembangan kompetensi ---------------------------------------------------------
    def add_training(self, nama: str, tanggal_mulai: str | date, tanggal_selesai: str | date,
                     jp: str | int | Decimal, *, penyelenggara: str | None = None,
                     bukti: Sequence[Path] = ()) -> Changes:
        item = new_pelatihan(id=uuid7(), nama=nama, tanggal_mulai=tanggal_mulai,
                             tanggal_selesai=tanggal_selesai, jp=jp, penyelenggara=penyelenggara)
        files = _prepare_all(bukti)
        row: dict[str, Any] = {
            "id": item.id, "nama": item.nama, "penyelenggara": item.penyelenggara,
            "tanggal_mulai": item.tanggal_mulai.isoformat(),
            "tanggal_selesai": item.tanggal_selesai.isoformat(), "jp": str(item.jp)}
        with self._write() as tx:
            rows.insert(tx, "pelatihan", {**row, "created_at": tx.now_utc})
            tx.op("create", "pelatihan", item.id, row)
            _attach(tx, "pelatihan", item.id, files, [])
        tx.changes.primary_id = item.id
        return tx.changes

    def trainings(self, tahun: int | None = None) -> list[dict[str, Any]]:
        return activity_repo.trainings(self.store.conn, tahun)

    def jp_summary(self, tahun: int) -> JpRingkasan:
        items = [new_pelatihan(id=r["id"], nama=r["nama"], tanggal_mulai=r["tanggal_mulai"],
                               tanggal_selesai=r["tanggal_selesai"], jp=r["jp"],
                               penyelenggara=r["penyelenggara"])
                 for r in activity_repo.trainings(self.store.conn, tahun)]
        return jp_summary(items, tahun)


def _prepare_all(paths: Iterable[Path]) -> list[PreparedFile]:
    return [prepare_file(Path(p), field="bukti") for p in paths]


def _attach(tx: WriteTx, jenis: str, owner_id: str, files: list[PreparedFile],
            links: list[str], *, pemilik: str | None = None) -> None:
    """Store files, link them and the URLs to their owner, and queue one `attach` op each.
    `pemilik` is the owner's name in the evidence table when it differs from the entity kind."""
    for prepared in files:
        attachment_id, _ = attachment_repo.put(tx, prepared)
        attachment_repo.link(tx, pemilik or jenis, owner_id, attachment_id=attachment_id)
        tx.op("attach", jenis, owner_id, {
            "attachment_id": attachment_id, "sha256": prepared.sha256,
            "nama_file": prepared.nama_file, "mime": prepared.mime,
            "ukuran": len(prepared.data)})
    for link in links:
        attachment_repo.link(tx, pemilik or jenis, owner_id, tautan=link)
        tx.op("attach", jenis, owner_id, {"tautan": link})

