"""The Beranda ("what needs doing"): one read use case, `home_summary(today)`.

It gathers, for the day given (never the clock, so it is testable):
- this year's SKP and the next step for it (make it, submit it, wait, fix what was returned,
  or nothing: approved);
- deadlines in the next `HARI_TENGGAT` days: each open period's *batas pengisian* for
  realisasi, and the SKP's penetapan deadline (31 January, `batas_penetapan_skp`) while no
  SKP of the year is approved — that one stays listed once passed, as overdue;
- the outbox: changes waiting to be sent, refused ones and unsettled conflicts;
- per RHK of the SKP in force: how many of its IKI have a realisasi in the current period;
- this week's logged time against the norm (7 h 30 min per working day, so 37 h 30 min for a
  full Mon–Fri week; national holidays and cuti bersama count 0, as in the log report);
- JP of development this year against the 20 JP right;
- the to-do list built from all of the above, in the order a person would act on it.

Working days come from `calendar()` (Mon–Fri without libur nasional and cuti bersama). Every
figure is one small indexed query (`asndesk/store/home_repo.py`), so the summary stays fast
with 100,000 log harian in the profile (bench/ui_startup.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from asndesk.domain.activity import JpRingkasan
from asndesk.domain.calendar import (
    JAM_KERJA_MINGGUAN_MENIT,
    HolidayCalendar,
    working_days_between,
)
from asndesk.domain.periods import (
    JenisPeriode,
    Periode,
    batas_penetapan_skp,
    periode_untuk_tanggal,
)
from asndesk.domain.skp import JenisRhk, StatusSkp, skp_problems
from asndesk.store import home_repo, reference_repo, skp_repo

if TYPE_CHECKING:
    from asndesk.store.database import Store

HARI_TENGGAT = 30
"""Deadlines this many calendar days ahead (today included) are listed."""
MENIT_PER_HARI_KERJA = JAM_KERJA_MINGGUAN_MENIT // 5
"""7 h 30 min: the daily norm behind 37 h 30 min over Mon–Fri."""


class LangkahSkp(enum.StrEnum):
    """What to do next with this year's SKP."""

    BUAT = "buat"              # none yet: make it
    AJUKAN = "ajukan"          # Draft: complete and submit it
    MENUNGGU = "menunggu"      # Diajukan: waiting for the pejabat penilai
    PERBAIKI = "perbaiki"      # Dikembalikan: fix what the note says, submit again
    DISETUJUI = "disetujui"    # approved (ditetapkan): nothing to do


class JenisTenggat(enum.StrEnum):
    REALISASI = "realisasi"            # a period's batas pengisian
    PENETAPAN_SKP = "penetapan_skp"    # the SKP must be approved by 31 January


class JenisTugas(enum.StrEnum):
    """One kind of to-do on the Beranda; `Tugas.halaman` names the page that does it."""

    BUAT_SKP = "buat_skp"
    AJUKAN_SKP = "ajukan_skp"
    PERBAIKI_SKP = "perbaiki_skp"
    ISI_REALISASI = "isi_realisasi"
    PERBAIKI_DITOLAK = "perbaiki_ditolak"
    SELESAIKAN_KONFLIK = "selesaikan_konflik"
    ISI_LOG = "isi_log"


@dataclass(frozen=True)
class SkpRingkas:
    """This year's SKP (the newest revision) and the next step for it."""

    tahun: int
    langkah: LangkahSkp
    skp_id: str | None = None
    status: StatusSkp | None = None
    revisi: int = 0
    catatan_pengembalian: str | None = None  # the pejabat penilai's note (Dikembalikan)
    belum_lengkap: int = 0  # items that block submitting (Draft/Dikembalikan), 0 = ready
    disetujui: bool = False  # some SKP of the year is approved (an amendment may be open)


@dataclass(frozen=True)
class Tenggat:
    """One deadline. `hari_kerja_tersisa` counts working days after today up to and
    including `tanggal` (0 = due today; negative = overdue by that many working days);
    `hari_tersisa` counts calendar days the same way."""

    jenis: JenisTenggat
    tanggal: date
    hari_kerja_tersisa: int
    hari_tersisa: int
    periode: Periode | None = None  # the period whose realisasi is due (REALISASI)
    jumlah_iki: int = 0             # IKI of that year's SKP in force
    iki_terisi: int = 0             # of them, with a realisasi for the period

    @property
    def terlambat(self) -> bool:
        return self.hari_tersisa < 0

    @property
    def belum_terisi(self) -> int:
        return self.jumlah_iki - self.iki_terisi


@dataclass(frozen=True)
class SinkronRingkas:
    """Outbox state: changes not sent yet, refused by the server, conflicts not settled."""

    menunggu: int
    ditolak: int
    konflik: int


@dataclass(frozen=True)
class ProgresRhk:
    """One RHK of the SKP in force: how many of its IKI have a realisasi this period."""

    rhk_id: str
    jenis: JenisRhk
    nomor: int          # 1-based within its section (A. Utama / B. Tambahan)
    teks: str
    jumlah_iki: int
    iki_terisi: int

    @property
    def lengkap(self) -> bool:
        return self.jumlah_iki > 0 and self.iki_terisi == self.jumlah_iki


@dataclass(frozen=True)
class MingguRingkas:
    """Time logged from Monday (`mulai`) to Sunday (`selesai`) of today's week."""

    mulai: date
    selesai: date
    menit: int
    jumlah_log: int
    hari_kerja: int         # working days Mon–Fri in this week
    target_menit: int       # hari_kerja × 7 h 30 min
    hari_kosong: tuple[date, ...]  # working days before today with no entry

    norma_menit: int = JAM_KERJA_MINGGUAN_MENIT  # 37 h 30 min, the full-week norm

    @property
    def kurang_menit(self) -> int:
        return max(0, self.target_menit - self.menit)


@dataclass(frozen=True)
class Tugas:
    """One to-do: what (`jenis`), on which page (`halaman`: a main-window page id), and the
    deadline it serves, if any."""

    jenis: JenisTugas
    halaman: str
    tenggat: Tenggat | None = None
    jumlah: int = 0  # how many items (refused ops, conflicts, empty days, IKI left)


@dataclass(frozen=True)
class HomeSummary:
    """Everything the Beranda shows for `hari_ini`."""

    hari_ini: date
    skp: SkpRingkas
    tenggat: tuple[Tenggat, ...]
    sinkron: SinkronRingkas
    periode: Periode | None          # the period containing today (None: no period covers it)
    skp_progres_id: str | None       # the SKP whose RHK `progres` lists
    progres: tuple[ProgresRhk, ...]
    minggu: MingguRingkas
    jp: JpRingkasan
    tugas: tuple[Tugas, ...]

    @property
    def iki_total(self) -> int:
        return sum(p.jumlah_iki for p in self.progres)

    @property
    def iki_terisi(self) -> int:
        return sum(p.iki_terisi for p in self.progres)


def _periode(row: dict[str, Any]) -> Periode:
    return Periode(row["id"], int(row["tahun"]), JenisPeriode(row["jenis"]), int(row["nomor"]),
                   date.fromisoformat(row["mulai"]), date.fromisoformat(row["selesai"]),
                   date.fromisoformat(row["batas_pengisian"]))


def _sisa(today: date, tanggal: date, calendar: HolidayCalendar) -> tuple[int, int]:
    """(working days, calendar days) from today to `tanggal`, negative when it has passed."""
    if tanggal >= today:
        return working_days_between(today, tanggal, calendar), (tanggal - today).days
    return -working_days_between(tanggal, today, calendar), (tanggal - today).days


def _in_force(skps: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The SKP realisasi is written against: the newest approved one, else the newest."""
    return next((s for s in skps if s["status"] == StatusSkp.DISETUJUI), skps[0] if skps
                else None)


class HomeUseCases:
    """Mixin for `Workspace`: the Beranda's read-only summary."""

    store: Store
    owner_nip: str

    if TYPE_CHECKING:  # declared only: a stub here must never shadow the real ones
        def calendar(self) -> HolidayCalendar: ...  # Workspace

        def jp_summary(self, tahun: int) -> JpRingkasan: ...  # ActivityUseCases

    def home_summary(self, today: date) -> HomeSummary:
        """What needs doing on `today`: SKP step, deadlines, outbox, progress, week, JP."""
        conn = self.store.conn
        calendar = self.calendar()
        skps_by_year: dict[int, list[dict[str, Any]]] = {}

        def skps_of(tahun: int) -> list[dict[str, Any]]:
            if tahun not in skps_by_year:
                skps_by_year[tahun] = skp_repo.list_skp(conn, self.owner_nip, tahun)
            return skps_by_year[tahun]

        skp = self._skp_ringkas(today.year, skps_of(today.year))
        periode = periode_untuk_tanggal(
            [_periode(r) for r in reference_repo.periods(conn, today.year)], today)
        in_force = _in_force(skps_of(today.year))
        progres = self._progres(in_force["id"], periode.id if periode else None) if (
            in_force) else ()

        tenggat: list[Tenggat] = []
        horizon = today + timedelta(days=HARI_TENGGAT)
        for row in home_repo.periods_due(conn, today.isoformat(), horizon.isoformat()):
            p = _periode(row)
            force = _in_force(skps_of(p.tahun))
            due = self._progres(force["id"], p.id) if force else ()
            kerja, hari = _sisa(today, p.batas_pengisian, calendar)
            tenggat.append(Tenggat(JenisTenggat.REALISASI, p.batas_pengisian, kerja, hari, p,
                                   sum(c.jumlah_iki for c in due),
                                   sum(c.iki_terisi for c in due)))
        batas_skp = batas_penetapan_skp(today.year)
        if not skp.disetujui and batas_skp <= horizon:
            kerja, hari = _sisa(today, batas_skp, calendar)
            tenggat.append(Tenggat(JenisTenggat.PENETAPAN_SKP, batas_skp, kerja, hari))
        tenggat.sort(key=lambda t: (t.tanggal, t.jenis != JenisTenggat.PENETAPAN_SKP))

        counts = home_repo.outbox_todo_counts(conn)
        sinkron = SinkronRingkas(counts["pending"], counts["rejected"], counts["conflict"])
        minggu = self._minggu(today, calendar)
        jp = self.jp_summary(today.year)
        return HomeSummary(
            hari_ini=today, skp=skp, tenggat=tuple(tenggat), sinkron=sinkron, periode=periode,
            skp_progres_id=in_force["id"] if in_force else None, progres=progres,
            minggu=minggu, jp=jp, tugas=_tugas(skp, tenggat, sinkron, minggu))

    # -- parts ---------------------------------------------------------------------------
    def _skp_ringkas(self, tahun: int, skps: list[dict[str, Any]]) -> SkpRingkas:
        if not skps:
            return SkpRingkas(tahun, LangkahSkp.BUAT)
        head = skps[0]  # newest revision first
        status = StatusSkp(head["status"])
        disetujui = any(s["status"] == StatusSkp.DISETUJUI for s in skps)
        belum = 0
        if status in (StatusSkp.DRAFT, StatusSkp.DIKEMBALIKAN):
            belum = len(skp_problems(skp_repo.load_skp(self.store.conn, head["id"])))
        langkah = {StatusSkp.DRAFT: LangkahSkp.AJUKAN, StatusSkp.DIAJUKAN: LangkahSkp.MENUNGGU,
                   StatusSkp.DIKEMBALIKAN: LangkahSkp.PERBAIKI,
                   StatusSkp.DISETUJUI: LangkahSkp.DISETUJUI}[status]
        note = head["catatan_pengembalian"] if status is StatusSkp.DIKEMBALIKAN else None
        return SkpRingkas(tahun, langkah, head["id"], status, int(head["revisi"]), note, belum,
                          disetujui)

    def _progres(self, skp_id: str, period_id: str | None) -> tuple[ProgresRhk, ...]:
        found: list[ProgresRhk] = []
        nomor = {JenisRhk.UTAMA: 0, JenisRhk.TAMBAHAN: 0}
        for r in home_repo.rhk_progress(self.store.conn, skp_id, period_id):
            jenis = JenisRhk(r["jenis"])
            nomor[jenis] += 1
            found.append(ProgresRhk(r["id"], jenis, nomor[jenis], r["teks"],
                                    int(r["jumlah_iki"]), int(r["iki_terisi"])))
        return tuple(found)

    def _minggu(self, today: date, calendar: HolidayCalendar) -> MingguRingkas:
        senin = today - timedelta(days=today.weekday())
        minggu = senin + timedelta(days=6)
        per_day = {r["tanggal"]: r for r in home_repo.log_minutes_by_day(
            self.store.conn, senin.isoformat(), minggu.isoformat())}
        kerja = [senin + timedelta(days=i) for i in range(5)
                 if calendar.is_working_day(senin + timedelta(days=i))]
        kosong = tuple(d for d in kerja if d < today and d.isoformat() not in per_day)
        return MingguRingkas(
            mulai=senin, selesai=minggu,
            menit=sum(int(r["menit"] or 0) for r in per_day.values()),
            jumlah_log=sum(int(r["jumlah"]) for r in per_day.values()),
            hari_kerja=len(kerja), target_menit=len(kerja) * MENIT_PER_HARI_KERJA,
            hari_kosong=kosong)


def _tugas(skp: SkpRingkas, tenggat: list[Tenggat], sinkron: SinkronRingkas,
           minggu: MingguRingkas) -> tuple[Tugas, ...]:
    """The to-do list: the SKP first, then realisasi by deadline, then sync fixes, then log."""
    skp_deadline = next((t for t in tenggat if t.jenis is JenisTenggat.PENETAPAN_SKP), None)
    todo: list[Tugas] = []
    if skp.langkah is LangkahSkp.BUAT:
        todo.append(Tugas(JenisTugas.BUAT_SKP, "skp", skp_deadline))
    elif skp.langkah is LangkahSkp.AJUKAN:
        todo.append(Tugas(JenisTugas.AJUKAN_SKP, "skp", skp_deadline, skp.belum_lengkap))
    elif skp.langkah is LangkahSkp.PERBAIKI:
        todo.append(Tugas(JenisTugas.PERBAIKI_SKP, "skp", skp_deadline, skp.belum_lengkap))
    for t in tenggat:
        if t.jenis is JenisTenggat.REALISASI and t.belum_terisi > 0:
            todo.append(Tugas(JenisTugas.ISI_REALISASI, "realisasi", t, t.belum_terisi))
    if sinkron.ditolak:
        todo.append(Tugas(JenisTugas.PERBAIKI_DITOLAK, "sinkronisasi", jumlah=sinkron.ditolak))
    if sinkron.konflik:
        todo.append(Tugas(JenisTugas.SELESAIKAN_KONFLIK, "sinkronisasi",
                          jumlah=sinkron.konflik))
    if minggu.hari_kosong:
        todo.append(Tugas(JenisTugas.ISI_LOG, "log", jumlah=len(minggu.hari_kosong)))
    return tuple(todo)
