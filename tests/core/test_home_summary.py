"""The Beranda summary: SKP step, deadlines in working days, outbox, RHK progress, week, JP.

Every expected figure is worked out by hand from the shipped 2025/2026 holiday calendars
(1 Jan 2026 and 16 Jan 2026 are libur nasional; 16–17 Feb 2026 cuti bersama + Imlek).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from asndesk.domain.periods import JenisPeriode
from asndesk.domain.skp import JenisRhk, StatusSkp
from asndesk.home_usecases import (
    JenisTenggat,
    JenisTugas,
    LangkahSkp,
    ProgresRhk,
    SinkronRingkas,
)
from asndesk.store import home_repo
from asndesk.workspace import Workspace
from tests.conftest import NIP

WED = date(2026, 1, 14)  # a Wednesday; Friday 16 January 2026 is Isra Mi'raj (libur)


def _sql(ws: Workspace, sql: str, params: tuple[object, ...] = ()) -> None:
    with ws.store.write(NIP) as tx:
        tx.execute(sql, params)


def _skp_2026(ws: Workspace) -> tuple[str, dict[str, str]]:
    """A Draft SKP 2026: R1 (2 IKI), T1 tambahan (1 IKI), R2 (1 IKI; 2 items to fix)."""
    skp = ws.create_skp(2026, "pelaksana").primary_id
    assert skp
    ids: dict[str, str] = {}
    for name, jenis, atasan in (("R1", "utama", "Atasan 1"), ("T1", "tambahan", "Atasan 2"),
                                ("R2", "utama", None)):
        rhk = ws.add_rhk(skp, f"Hasil kerja {name}", jenis=jenis, rhk_atasan=atasan).primary_id
        assert rhk
        ids[name] = rhk
    for key, rhk, aspek in (("R1a", "R1", "Kuantitas"), ("R1b", "R1", "Kualitas"),
                            ("T1a", "T1", "Waktu"), ("R2a", "R2", None)):
        iki = ws.add_iki(ids[rhk], f"Indikator {key}", 10, "Dokumen", aspek=aspek).primary_id
        assert iki
        ids[key] = iki
    return skp, ids


def test_empty_profile_says_make_the_skp(workspace: Workspace) -> None:
    s = workspace.home_summary(date(2026, 3, 2))  # a Monday, no SKP, no periods
    assert s.hari_ini == date(2026, 3, 2)
    assert s.skp.tahun == 2026
    assert s.skp.langkah is LangkahSkp.BUAT
    assert (s.skp.skp_id, s.skp.status, s.skp.disetujui) == (None, None, False)
    assert s.periode is None and s.progres == () and s.skp_progres_id is None
    assert (s.iki_total, s.iki_terisi) == (0, 0)
    # 31 January has passed: still listed, overdue by 30 days / 19 working days
    # (February: 5 + 5 + 3 + 5 working days, 16–17 Feb off; then Monday 2 March).
    [t] = s.tenggat
    assert t.jenis is JenisTenggat.PENETAPAN_SKP
    assert t.tanggal == date(2026, 1, 31)
    assert (t.hari_tersisa, t.hari_kerja_tersisa, t.terlambat) == (-30, -19, True)
    assert t.periode is None and (t.jumlah_iki, t.iki_terisi) == (0, 0)
    assert s.sinkron == SinkronRingkas(menunggu=0, ditolak=0, konflik=0)
    w = s.minggu
    assert (w.mulai, w.selesai) == (date(2026, 3, 2), date(2026, 3, 8))
    assert (w.menit, w.jumlah_log, w.hari_kerja, w.target_menit) == (0, 0, 5, 2250)
    assert w.norma_menit == 2250 and w.kurang_menit == 2250
    assert w.hari_kosong == ()  # Monday: no working day before today yet
    assert (s.jp.tahun, s.jp.total, s.jp.target, s.jp.kurang) == (2026, Decimal(0), 20,
                                                                   Decimal(20))
    [todo] = s.tugas
    assert (todo.jenis, todo.halaman, todo.tenggat, todo.jumlah) == (
        JenisTugas.BUAT_SKP, "skp", t, 0)


def test_draft_week_with_deadlines_outbox_progress_and_jp(workspace: Workspace) -> None:
    ws = workspace
    skp, ids = _skp_2026(ws)
    ws.ensure_periods(2026, "bulanan")  # January's batas pengisian: 6 February 2026
    ws.record_realisasi(ids["R1a"], "2026-01", "Lima dokumen selesai")
    ws.record_realisasi(ids["T1a"], "2026-02", "Bulan lain: tidak dihitung untuk Januari")
    # The week of Monday 12 – Sunday 18 January; entries outside it do not count.
    ws.add_log("2026-01-09", "08:00", "16:00", "Minggu lalu")
    ws.add_log("2026-01-12", "07:30", "12:00", "Senin pagi")        # 270 min
    ws.add_log("2026-01-12", "13:00", "16:00", "Senin siang")       # 180 min
    ws.add_log("2026-01-14", "08:00", "09:30", "Rabu")              # 90 min
    ws.add_log("2026-01-18", "09:00", "10:00", "Minggu, lembur")    # 60 min
    ws.add_log("2026-01-19", "08:00", "12:00", "Minggu depan")
    ws.add_training("Pelatihan SIAK", "2026-01-05", "2026-01-07", 12)
    ws.add_training("Pelatihan tahun lalu", "2025-12-29", "2025-12-31", 30)
    # Outbox: everything so far acked; then 2 refused, 1 conflict open, 1 settled, 1 pending.
    _sql(ws, "UPDATE outbox SET state = 'acked'")
    seqs = [r[0] for r in ws.store.conn.execute("SELECT seq FROM outbox ORDER BY seq")]
    _sql(ws, "UPDATE outbox SET state = 'rejected' WHERE seq IN (?, ?)", (seqs[0], seqs[1]))
    _sql(ws, "UPDATE outbox SET state = 'conflict' WHERE seq IN (?, ?)", (seqs[2], seqs[3]))
    _sql(ws, "UPDATE outbox SET resolved_at = '2026-01-13T01:00:00Z', resolution = 'mine'"
         " WHERE seq = ?", (seqs[3],))
    ws.add_log("2026-01-15", "08:00", "09:00", "Kamis, belum terkirim")  # 60 min, pending

    s = ws.home_summary(WED)
    assert s.skp.langkah is LangkahSkp.AJUKAN
    assert (s.skp.skp_id, s.skp.status, s.skp.revisi) == (skp, StatusSkp.DRAFT, 0)
    assert s.skp.belum_lengkap == 2  # R2: no RHK atasan, its IKI has no aspek
    assert s.skp.catatan_pengembalian is None and s.skp.disetujui is False

    assert s.periode is not None and s.periode.id == "2026-01"
    assert s.periode.jenis is JenisPeriode.BULANAN
    assert s.skp_progres_id == skp
    assert s.progres == (
        ProgresRhk(ids["R1"], JenisRhk.UTAMA, 1, "Hasil kerja R1", 2, 1),
        ProgresRhk(ids["R2"], JenisRhk.UTAMA, 2, "Hasil kerja R2", 1, 0),
        ProgresRhk(ids["T1"], JenisRhk.TAMBAHAN, 1, "Hasil kerja T1", 1, 0),
    )
    assert [p.lengkap for p in s.progres] == [False, False, False]
    assert (s.iki_total, s.iki_terisi) == (4, 1)

    # January's realisasi is due 6 Feb (23 days; working days 15, 19–23, 26–30 Jan, 2–6 Feb:
    # 16), the SKP penetapan 31 Jan (17 days; 15, 19–23, 26–30 Jan: 11). Nearest first.
    skp_due, real_due = s.tenggat
    assert (skp_due.jenis, skp_due.tanggal) == (JenisTenggat.PENETAPAN_SKP, date(2026, 1, 31))
    assert (skp_due.hari_tersisa, skp_due.hari_kerja_tersisa, skp_due.terlambat) == (
        17, 11, False)
    assert (real_due.jenis, real_due.tanggal) == (JenisTenggat.REALISASI, date(2026, 2, 6))
    assert (real_due.hari_tersisa, real_due.hari_kerja_tersisa) == (23, 16)
    assert real_due.periode is not None and real_due.periode.id == "2026-01"
    assert (real_due.jumlah_iki, real_due.iki_terisi, real_due.belum_terisi) == (4, 1, 3)

    assert s.sinkron == SinkronRingkas(menunggu=1, ditolak=2, konflik=1)
    w = s.minggu
    assert (w.mulai, w.selesai) == (date(2026, 1, 12), date(2026, 1, 18))
    assert w.menit == 270 + 180 + 90 + 60 + 60
    assert w.jumlah_log == 5
    assert (w.hari_kerja, w.target_menit, w.norma_menit) == (4, 1800, 2250)  # 16 Jan off
    assert w.kurang_menit == 1800 - 660
    assert w.hari_kosong == (date(2026, 1, 13),)  # Tuesday; today (Wednesday) not judged
    assert (s.jp.total, s.jp.kurang, s.jp.terpenuhi) == (Decimal(12), Decimal(8), False)

    assert [(t.jenis, t.halaman, t.jumlah) for t in s.tugas] == [
        (JenisTugas.AJUKAN_SKP, "skp", 2),
        (JenisTugas.ISI_REALISASI, "realisasi", 3),
        (JenisTugas.PERBAIKI_DITOLAK, "sinkronisasi", 2),
        (JenisTugas.SELESAIKAN_KONFLIK, "sinkronisasi", 1),
        (JenisTugas.ISI_LOG, "log", 1),
    ]
    assert s.tugas[0].tenggat == skp_due and s.tugas[1].tenggat == real_due
    assert s.tugas[2].tenggat is None


def test_submitted_returned_and_approved(workspace: Workspace) -> None:
    ws = workspace
    skp, _ = _skp_2026(ws)
    _sql(ws, "UPDATE skp SET status = 'Diajukan' WHERE id = ?", (skp,))
    s = ws.home_summary(WED)
    assert (s.skp.langkah, s.skp.status, s.skp.belum_lengkap) == (
        LangkahSkp.MENUNGGU, StatusSkp.DIAJUKAN, 0)
    assert [t.jenis for t in s.tenggat] == [JenisTenggat.PENETAPAN_SKP]  # not approved yet
    assert [t.jenis for t in s.tugas] == [JenisTugas.ISI_LOG]  # waiting is not a to-do

    _sql(ws, "UPDATE skp SET status = 'Dikembalikan', catatan_pengembalian = ? WHERE id = ?",
         ("Lengkapi RHK atasan pada R2", skp))
    s = ws.home_summary(WED)
    assert (s.skp.langkah, s.skp.status) == (LangkahSkp.PERBAIKI, StatusSkp.DIKEMBALIKAN)
    assert s.skp.catatan_pengembalian == "Lengkapi RHK atasan pada R2"
    assert s.skp.belum_lengkap == 2
    assert (s.tugas[0].jenis, s.tugas[0].jumlah) == (JenisTugas.PERBAIKI_SKP, 2)

    _sql(ws, "UPDATE skp SET status = 'Disetujui' WHERE id = ?", (skp,))
    s = ws.home_summary(WED)
    assert (s.skp.langkah, s.skp.disetujui, s.skp.catatan_pengembalian) == (
        LangkahSkp.DISETUJUI, True, None)
    assert s.tenggat == ()  # approved: no penetapan deadline, no periods set up
    assert [t.jenis for t in s.tugas] == [JenisTugas.ISI_LOG]


def test_revision_after_approval_and_last_years_deadlines(workspace: Workspace) -> None:
    ws = workspace
    # 2025: an approved SKP (one RHK, three IKI); Triwulan IV and the annual evaluation are
    # due on 8 January 2026 (the 5th working day after 31 Dec; 1 Jan is a holiday).
    old = ws.create_skp(2025, "pelaksana").primary_id
    assert old
    rhk = ws.add_rhk(old, "Layanan 2025", rhk_atasan="Atasan").primary_id
    assert rhk
    iki = [ws.add_iki(rhk, f"IKI {n}", 5, "Berkas", aspek="Kuantitas").primary_id
           for n in range(3)]
    ws.ensure_periods(2025, "triwulanan")
    ws.record_realisasi(iki[0], "2025-TW4", "Selesai")
    _sql(ws, "UPDATE skp SET status = 'Disetujui' WHERE id = ?", (old,))
    # 2026: approved revisi 0 and a Draft revisi 1 (an amendment in progress).
    approved, ids = _skp_2026(ws)
    _sql(ws, "UPDATE skp SET status = 'Disetujui' WHERE id = ?", (approved,))
    revision = ws.create_skp(2026, "pelaksana").primary_id
    _sql(ws, "UPDATE skp SET revisi = 1 WHERE id = ?", (revision,))
    ws.ensure_periods(2026, "triwulanan")
    ws.record_realisasi(ids["R1a"], "2026-TW1", "Sudah")

    s = ws.home_summary(date(2026, 1, 5))  # Monday
    assert (s.skp.skp_id, s.skp.revisi, s.skp.langkah) == (revision, 1, LangkahSkp.AJUKAN)
    assert s.skp.disetujui is True
    assert s.skp.belum_lengkap == 1  # the new revision has no RHK yet
    assert s.skp_progres_id == approved  # realisasi goes on the approved plan
    assert s.periode is not None and s.periode.id == "2026-TW1"
    assert [(p.nomor, p.iki_terisi, p.jumlah_iki) for p in s.progres] == [
        (1, 1, 2), (2, 0, 1), (1, 0, 1)]
    # 2025-TW4 and 2025-TH, both 8 January: 3 days, 3 working days (6, 7, 8); no SKP deadline.
    tw4, th = s.tenggat
    assert tw4.periode is not None and th.periode is not None
    assert (tw4.periode.id, th.periode.id) == ("2025-TW4", "2025-TH")
    assert tw4.tanggal == th.tanggal == date(2026, 1, 8)
    assert (tw4.hari_tersisa, tw4.hari_kerja_tersisa) == (3, 3)
    assert (tw4.jumlah_iki, tw4.iki_terisi) == (3, 1)
    assert (th.jumlah_iki, th.iki_terisi) == (3, 0)
    assert [(t.jenis, t.jumlah) for t in s.tugas] == [
        (JenisTugas.AJUKAN_SKP, 1), (JenisTugas.ISI_REALISASI, 2),
        (JenisTugas.ISI_REALISASI, 3)]
    assert s.tugas[0].tenggat is None  # an approved SKP exists: no penetapan deadline

    # A period HR closed takes no realisasi: its deadline is not listed.
    _sql(ws, "UPDATE period SET status = 'ditutup' WHERE id = '2025-TW4'")
    assert [t.periode.id for t in ws.home_summary(date(2026, 1, 5)).tenggat if t.periode] == [
        "2025-TH"]
    # Due today: 0 days left; the day after, gone.
    [due] = [t for t in ws.home_summary(date(2026, 1, 8)).tenggat if t.periode]
    assert (due.hari_tersisa, due.hari_kerja_tersisa, due.terlambat) == (0, 0, False)
    assert [t for t in ws.home_summary(date(2026, 1, 9)).tenggat if t.periode] == []


def test_deadline_window_is_thirty_days(workspace: Workspace) -> None:
    ws = workspace
    ws.ensure_periods(2026, "bulanan")  # January's batas: 6 Feb; February's: 6 March
    _sql(ws, "UPDATE period SET batas_pengisian = '2026-03-13' WHERE id = '2026-02'")
    # 11 Feb: January's deadline has passed (not listed); 13 March is exactly 30 days ahead.
    [feb] = [t for t in ws.home_summary(date(2026, 2, 11)).tenggat if t.periode]
    assert feb.periode is not None and feb.periode.id == "2026-02"
    assert (feb.hari_tersisa, feb.hari_kerja_tersisa) == (30, 20)  # 2+3+5+5+5; 16-17 Feb off
    # 10 Feb: 31 days ahead is outside the window.
    assert [t for t in ws.home_summary(date(2026, 2, 10)).tenggat if t.periode] == []


def test_queries_use_indexes(workspace: Workspace) -> None:
    """The week total walks the day index (no sort), progress the RHK/IKI/realisasi indexes,
    and the outbox counts its state index: none scans a whole table."""
    conn = workspace.store.conn

    def plan(sql: str, params: tuple[object, ...]) -> str:
        return " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))

    week = plan(home_repo.WEEK_SQL, ("2026-01-12", "2026-01-18"))
    assert "SEARCH log_harian USING INDEX log_harian_by_day (tanggal>? AND tanggal<?)" in week
    assert "TEMP B-TREE" not in week
    progress = plan(home_repo.PROGRESS_SQL, ("2026-01", "x"))
    assert "SEARCH r USING INDEX rhk_by_skp (skp_id=?)" in progress
    assert "SEARCH i USING INDEX iki_by_rhk (rhk_id=?)" in progress
    assert "SEARCH re USING INDEX sqlite_autoindex_realisasi_2 (iki_id=? AND period_id=?)" in (
        progress)
    assert "SCAN" not in progress  # the temp B-trees sort one SKP's handful of RHK
    counts = plan(home_repo.OUTBOX_SQL, ())
    assert counts.count("outbox_by_state (state=?)") == 3 and "SCAN outbox" not in counts
    assert home_repo.log_minutes_by_day(conn, "2026-01-12", "2026-01-18") == []
    assert home_repo.outbox_todo_counts(conn) == {"pending": 0, "rejected": 0, "conflict": 0}
