"""The demo office's sample content: who works there, HR's reference data, and what the demo
employee and her pejabat penilai write — dated relative to the day the demo is made.

Plain data and use-case calls only; `sync/demo_office.py` decides when each step runs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from asndesk.workspace import Workspace

# Fixed and printed on purpose: it is a demo, and every demo person shares it.
PASSWORD = "asndesk demo"  # noqa: S105 (a demo; printed at every start)
UNIT_ID = "DEMO-KEC"
UNIT_NAMA = "Kecamatan Sukamaju (DEMO)"


@dataclass(frozen=True)
class DemoPerson:
    nip: str
    nama: str
    jabatan: str
    jenis_jabatan: str
    golongan: str
    jenjang: str = ""


ADMIN = DemoPerson("197501012000031004", "Admin Demo", "Administrator Sistem", "pelaksana",
                   "III/a")
HR_OFFICER = DemoPerson("198001012005012002", "Dewi Lestari",
                        "Analis Sumber Daya Manusia Aparatur", "fungsional_keahlian", "III/c",
                        "Ahli Pertama")
SUPERVISOR = DemoPerson("197001011995031001", "Rahmat Hidayat", "Kepala Seksi Pelayanan",
                        "pengawas", "III/d")
EMPLOYEE = DemoPerson("198609262015051001", "Siti Aminah", "Pengadministrasi Perkantoran",
                      "pelaksana", "II/c")
COLLEAGUES = (
    DemoPerson("199001012020122002", "Rina Wulandari", "Operator Layanan Operasional",
               "pelaksana", "II/b"),
    DemoPerson("199203152019031003", "Budi Santoso", "Pengolah Data dan Informasi",
               "pelaksana", "II/c"),
)
STAFF = (HR_OFFICER, SUPERVISOR, EMPLOYEE, *COLLEAGUES)  # the roster; the admin is not on it

# HR's service list: (kode, nama, standar hari kerja).
SERVICE_TYPES = (
    ("KTP", "Perekaman KTP-el", 3),
    ("KK", "Penerbitan Kartu Keluarga", 5),
    ("SKTM", "Surat Keterangan Tidak Mampu", 1),
)

_ROSTER_COLUMNS = ("nip", "jenis_asn", "nama", "jabatan", "jenis_jabatan", "jenjang",
                   "golongan", "unit_kode", "unit_nama", "nip_penilai", "berlaku_mulai")


def roster_csv(tahun: int) -> str:
    """The office as HR would export it: everyone in one unit; Rahmat rates his staff."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_ROSTER_COLUMNS)
    for person in STAFF:
        penilai = "" if person in (SUPERVISOR, HR_OFFICER) else SUPERVISOR.nip
        writer.writerow((person.nip, "PNS", person.nama, person.jabatan, person.jenis_jabatan,
                         person.jenjang, person.golongan, UNIT_ID, UNIT_NAMA, penilai,
                         f"{tahun}-01-01"))
    return out.getvalue()


# -- the employee's plan and work ---------------------------------------------------------

# (teks, jenis, rhk_atasan, [(indikator, target, satuan, aspek)]); a JA/JF SKP names the
# supervisor's RHK each one supports (rhk_atasan).
_PLAN = (
    ("Terlaksananya pelayanan administrasi kependudukan di loket kecamatan yang tepat waktu",
     "utama", "Meningkatnya kualitas pelayanan publik di Kecamatan Sukamaju",
     (("Berkas layanan administrasi kependudukan yang diproses", "1200", "berkas",
       "Kuantitas"),
      ("Layanan yang selesai sesuai standar waktu", "95", "persen", "Waktu"))),
    ("Tersusunnya laporan bulanan pelayanan kecamatan", "utama",
     "Tersedianya data kinerja pelayanan yang akurat",
     (("Laporan bulanan yang disampaikan tepat waktu", "12", "laporan", "Kuantitas"),)),
    ("Terlaksananya tugas sekretariat Musrenbang Kecamatan", "tambahan",
     "Terselenggaranya Musrenbang Kecamatan yang partisipatif",
     (("Notulen dan berita acara Musrenbang yang tersusun", "2", "dokumen", "Kuantitas"),)),
)

# Realisasi of an ended quarter for the first three IKI above: (uraian, nilai template).
_QUARTER_WORK = (
    ("Berkas KTP-el, KK dan surat keterangan diverifikasi dan diinput ke SIAK", "{n}"),
    ("Sebagian besar layanan selesai dalam standar waktu; keterlambatan karena gangguan "
     "jaringan SIAK", "{pct}"),
    ("Laporan bulanan pelayanan disampaikan ke Camat setiap tanggal 5", "3"),
)

# (jam_mulai, jam_selesai, kegiatan, jumlah, satuan, index of the RHK)
_DAY_LOGS = (
    (("07:30", "09:30", "Menerima dan memverifikasi berkas permohonan KTP-el", "14", "berkas",
      0),
     ("07:30", "09:00", "Melayani konsultasi warga tentang perubahan data Kartu Keluarga", "9",
      "orang", 0)),
    (("09:30", "11:45", "Menginput permohonan Kartu Keluarga ke SIAK", "11", "berkas", 0),
     ("09:00", "11:30", "Mencetak dan menyerahkan Surat Keterangan Tidak Mampu", "6", "surat",
      0)),
    (("13:00", "15:30", "Merekap layanan harian untuk laporan bulanan", "1", "rekap", 1),
     ("13:00", "15:00", "Mengarsipkan berkas layanan yang sudah selesai", "25", "berkas", 0)),
)

# (kode, working days before today it arrived, working days it took or None = still open,
#  kepuasan 1–4; a 2 came with a complaint)
_SERVICES = (
    ("KTP", 9, 2, 4), ("KK", 9, 4, 4), ("SKTM", 8, 0, 3), ("KTP", 7, 3, 4),
    ("KK", 9, 6, 2), ("KTP", 5, 1, 4), ("SKTM", 4, 1, 4), ("KK", 3, None, None),
    ("KTP", 2, 1, 3), ("SKTM", 1, 0, 4), ("KTP", 1, None, None),
)


@dataclass
class DemoPlan:
    """Ids of the demo employee's records, for the supervisor's steps."""

    skp_id: str
    rhk_ids: list[str] = field(default_factory=list)
    iki_ids: list[str] = field(default_factory=list)
    realisasi_ids: dict[str, list[str]] = field(default_factory=dict)  # period id → ids


def write_plan(ws: Workspace, today: date) -> DemoPlan:
    """This year's SKP with its RHK and IKI, submitted to the pejabat penilai."""
    skp_id = ws.create_skp(today.year, EMPLOYEE.jenis_jabatan, jabatan=EMPLOYEE.jabatan,
                           unit_kerja=UNIT_NAMA).primary_id or ""
    plan = DemoPlan(skp_id)
    for teks, jenis, atasan, indicators in _PLAN:
        rhk = ws.add_rhk(skp_id, teks, jenis=jenis, rhk_atasan=atasan).primary_id or ""
        plan.rhk_ids.append(rhk)
        for indikator, target, satuan, aspek in indicators:
            plan.iki_ids.append(ws.add_iki(rhk, indikator, target, satuan,
                                           aspek=aspek).primary_id or "")
    ws.submit_skp(skp_id)
    return plan


def record_work(ws: Workspace, plan: DemoPlan, today: date) -> None:
    """Realisasi of every quarter begun so far, a week of log harian, recent services, and
    a training course."""
    quarters = [p for p in ws.periods(today.year)
                if p["jenis"] == "triwulan" and date.fromisoformat(p["mulai"]) <= today]
    for number, period in enumerate(quarters, start=1):
        current = date.fromisoformat(period["selesai"]) >= today
        found: list[str] = []
        # The quarter under way has only its running count so far; the rest comes at its end.
        work = _QUARTER_WORK[:1] if current else _QUARTER_WORK
        for iki_id, (uraian, nilai) in zip(plan.iki_ids, work, strict=False):
            value = nilai.format(n=230 + 40 * number if not current else 120,
                                 pct=92 + number)
            found.append(ws.record_realisasi(iki_id, period["id"], uraian,
                                             nilai=value).primary_id or "")
        if number == 1 and not current:
            found.append(ws.record_realisasi(
                plan.iki_ids[3], period["id"], "Notulen dan berita acara Musrenbang Kecamatan "
                "tersusun dan ditandatangani", nilai="2").primary_id or "")
        plan.realisasi_ids[period["id"]] = found
    calendar = ws.calendar()
    days = [today - timedelta(days=n) for n in range(7, 0, -1)]
    for index, day in enumerate(d for d in days if calendar.is_working_day(d)):
        for variants in _DAY_LOGS:
            mulai, selesai, kegiatan, jumlah, satuan, rhk = variants[index % len(variants)]
            ws.add_log(day, mulai, selesai, kegiatan, output_jumlah=jumlah,
                       output_satuan=satuan, rhk_id=plan.rhk_ids[rhk])
    # Citizens come on working days: `ago` counts working days back from today.
    open_days = [d for d in (today - timedelta(days=n) for n in range(1, 40))
                 if calendar.is_working_day(d)]
    for kode, ago, took, kepuasan in _SERVICES:
        diterima = datetime.combine(open_days[ago - 1], datetime.min.time())
        diterima += timedelta(hours=8, minutes=10 * ago)
        done_at = _finished(diterima, took, calendar, today)
        ws.add_service_log(kode, diterima.isoformat(sep=" ", timespec="minutes"),
                           selesai=done_at, hasil="Dokumen diserahkan" if done_at else None,
                           kepuasan=kepuasan if done_at else None,
                           pengaduan=kepuasan == 2, pengaduan_selesai=kepuasan == 2,
                           catatan="Warga mengeluhkan antrean; sudah dijelaskan"
                           if kepuasan == 2 else None)
    record_training(ws, today)


def record_training(ws: Workspace, today: date) -> None:
    """A three-day course earlier this year, counted towards the yearly JP."""
    mulai = max(date(today.year, 1, 1), today - timedelta(days=60))
    ws.add_training("Pelatihan Pelayanan Prima", mulai, min(mulai + timedelta(days=2), today),
                    "24", penyelenggara="BKPSDM Kabupaten Sukamaju")


def _finished(diterima: datetime, took: int | None, calendar: Any, today: date) -> str | None:
    """When a service that took `took` working days was done (None: still open or future)."""
    if took is None:
        return None
    done = diterima.date()
    while took > 0:
        done += timedelta(days=1)
        took -= calendar.is_working_day(done)
    if done >= today:
        return None
    return f"{done.isoformat()} 14:30"


def log_today(ws: Workspace, plan: DemoPlan, today: date) -> None:
    """One entry made after the last sync: the app shows it waiting, then sends it."""
    ws.add_log(today, "07:30", "08:30", "Menyiapkan loket dan memeriksa antrean layanan",
               output_jumlah="1", output_satuan="kegiatan", rhk_id=plan.rhk_ids[0])


# -- the pejabat penilai ------------------------------------------------------------------

def approve(ws: Workspace, plan: DemoPlan) -> None:
    ws.approve_skp(plan.skp_id)


def assess(ws: Workspace, plan: DemoPlan, today: date) -> None:
    """Ratings of the quarters that have ended, and umpan balik on the year so far."""
    quarters = [p for p in ws.periods(today.year) if p["jenis"] == "triwulan"]
    ended = [p for p in quarters if date.fromisoformat(p["selesai"]) < today]
    for number, period in enumerate(ended, start=1):
        hasil = "Di Atas Ekspektasi" if number % 2 == 0 else "Sesuai Ekspektasi"
        ws.rate_skp(plan.skp_id, period["id"], hasil, "Sesuai Ekspektasi")
    current = next((p for p in quarters if date.fromisoformat(p["mulai"]) <= today
                    <= date.fromisoformat(p["selesai"])), None)
    ws.give_feedback(plan.skp_id, "Pelayanan di loket berjalan baik. Pertahankan ketepatan "
                     "waktu, dan mohon rekap harian dikirim sebelum pukul 16.00.",
                     period_id=current["id"] if current else None)
    ws.give_feedback(plan.skp_id, "Target 95 persen tepat waktu hampir tercapai; catat "
                     "penyebab setiap berkas yang terlambat agar bisa kita perbaiki.",
                     sasaran_jenis="rhk", sasaran_id=plan.rhk_ids[0])
    ws.give_feedback(plan.skp_id, "Warga menyampaikan apresiasi atas keramahan di loket. "
                     "Terima kasih.", sasaran_jenis="perilaku", sasaran_id="1")
    if ended:
        last = ended[-1]["id"]
        ids = plan.realisasi_ids.get(last) or []
        if ids:
            ws.give_feedback(plan.skp_id, "Rekap realisasi triwulan ini lengkap dan rapi.",
                             sasaran_jenis="realisasi", sasaran_id=ids[0], period_id=last)
