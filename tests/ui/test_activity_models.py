"""The activity table models without widgets: log harian (list, week, day totals), service
logs and month summary, trainings — rows, headers, words for coded values, column 0 reading
the whole row, paging, and sorting/filtering through a proxy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QSortFilterProxyModel, Qt

from asndesk.i18n import _, ngettext
from ui.models.log_table_model import (
    DayTotalsModel,
    LogRow,
    LogTableModel,
    day_totals,
    week_start,
    week_total_text,
)
from ui.models.rows_table_model import ROW_ROLE, SORT_ROLE
from ui.models.service_table_model import ServiceSummaryModel, ServiceTableModel
from ui.models.training_table_model import TrainingTableModel, training_rows

ACC = Qt.ItemDataRole.AccessibleTextRole
H = Qt.Orientation.Horizontal


def _log(n: int, day: str, start: str, end: str, text: str, **extra: object) -> dict:
    return {"id": f"log-{n}", "tanggal": day, "jam_mulai": start, "jam_selesai": end,
            "kegiatan": text, "version": 1, **extra}


def _cell(model, row: int, col: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, col), role)


# --------------------------------------------------------------------------- log harian


def test_log_rows_headers_and_words_for_screen_readers(qapp) -> None:
    model = LogTableModel(rhk_names={"rhk-1": "A.1 Layanan administrasi"})
    model.set_rows([
        _log(1, "2026-11-23", "07:30", "09:00", "Menyusun laporan",
             output_jumlah="2", output_satuan="Dokumen", rhk_id="rhk-1"),
        _log(2, "2026-11-23", "09:00", "10:15", "Rapat koordinasi"),
    ])
    assert model.rowCount() == 2 and model.columnCount() == 6
    assert [model.headerData(c, H) for c in range(6)] == [
        _("Activity"), _("Date"), _("Time"), _("Duration"), _("Output"), _("RHK")]
    assert _cell(model, 0, LogTableModel.KEGIATAN) == "Menyusun laporan"
    assert _cell(model, 0, LogTableModel.DURASI) == "1 jam 30 menit"
    assert _cell(model, 0, LogTableModel.OUTPUT) == "2 Dokumen"
    assert _cell(model, 0, LogTableModel.RHK) == "A.1 Layanan administrasi"
    summary = _cell(model, 0, 0, ACC)
    for part in ("Senin", "23 November 2026", "07.30", "09.00", "1 jam 30 menit",
                 "Menyusun laporan", "2 Dokumen", "A.1 Layanan administrasi"):
        assert part in summary, part
    # Empty cells are said in words, not as silence.
    assert _cell(model, 1, LogTableModel.OUTPUT) == ""
    assert _cell(model, 1, LogTableModel.OUTPUT, ACC) == _("no output")
    assert _cell(model, 1, LogTableModel.RHK, ACC) == _("not linked to an RHK")
    assert _cell(model, 1, LogTableModel.WAKTU, ACC) == _("{start} to {end}").format(
        start="09.00", end="10.15")
    row = _cell(model, 0, 0, ROW_ROLE)
    assert isinstance(row, LogRow) and row.output_jumlah == Decimal(2)
    assert model.row_of("log-2") == 1 and model.row_of("nope") == -1


def test_log_rhk_of_an_unknown_skp_still_reads_as_words(qapp) -> None:
    model = LogTableModel()
    model.set_rows([_log(1, "2026-11-23", "07:30", "08:00", "x", rhk_id="rhk-old")])
    assert _cell(model, 0, LogTableModel.RHK) == _("an RHK of another SKP")
    model.set_rhk_names({"rhk-old": "B.1 Lama"})
    assert _cell(model, 0, LogTableModel.RHK) == "B.1 Lama"


def test_log_sorting_and_filtering_through_a_proxy(qapp) -> None:
    model = LogTableModel()
    model.set_rows([_log(1, "2026-11-24", "13:00", "14:00", "Beta"),
                    _log(2, "2026-11-23", "08:00", "12:00", "alpha"),
                    _log(3, "2026-11-23", "07:00", "07:30", "Gamma")])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(LogTableModel.TANGGAL, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["Gamma", "alpha", "Beta"]
    proxy.sort(LogTableModel.DURASI, Qt.SortOrder.DescendingOrder)  # 240, 60, 30 minutes
    assert [proxy.index(r, 0).data() for r in range(3)] == ["alpha", "Beta", "Gamma"]
    proxy.sort(LogTableModel.KEGIATAN, Qt.SortOrder.AscendingOrder)  # case-blind
    assert [proxy.index(r, 0).data() for r in range(3)] == ["alpha", "Beta", "Gamma"]
    proxy.setFilterKeyColumn(LogTableModel.KEGIATAN)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterFixedString("GAM")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data(ROW_ROLE).id == "log-3"


def test_log_list_pages_and_drops_answers_to_an_old_query(qapp) -> None:
    asked: list[tuple[int, int, object]] = []
    model = LogTableModel(lambda offset, limit, deliver: asked.append((offset, limit, deliver)),
                          page_size=2)
    model.restart()
    assert [(o, n) for o, n, _d in asked] == [(0, 2)] and model.loading
    asked[0][2]([_log(1, "2026-11-24", "08:00", "09:00", "a"),
                 _log(2, "2026-11-24", "07:00", "08:00", "b")])
    assert model.rowCount() == 2 and model.canFetchMore()
    model.fetchMore()
    stale = asked[1][2]
    model.restart()  # a new search while page 2 was on its way
    stale([_log(9, "2026-11-20", "08:00", "09:00", "late")])
    assert model.rowCount() == 0
    asked[2][2]([_log(3, "2026-11-24", "08:00", "09:00", "c")])
    assert model.rowCount() == 1 and model.exhausted and not model.canFetchMore()
    assert model.pages_fetched == 1


def test_week_totals_against_37_hours_30_minutes(qapp) -> None:
    monday = week_start(date(2026, 11, 26))
    assert monday == date(2026, 11, 23)
    rows = [LogRow.from_dict(_log(n, f"2026-11-{23 + n}", "07:30", "16:00", "kerja"))
            for n in range(5)]  # 8 h 30 min a day
    totals = day_totals(monday, rows)
    assert [t.tanggal.weekday() for t in totals] == [0, 1, 2, 3, 4]  # weekend only if used
    days = DayTotalsModel()
    days.set_rows(totals)
    assert [days.headerData(c, H) for c in range(3)] == [_("Day"), _("Total"), _("Entries")]
    assert _cell(days, 0, DayTotalsModel.TOTAL) == "8 jam 30 menit ⚠"
    assert _("more than {cap}").format(cap="7 jam 30 menit") in _cell(days, 0, 1, ACC)
    one = ngettext("{n} entry", "{n} entries", 1).format(n=1)
    assert "Senin" in _cell(days, 0, 0, ACC) and one in _cell(days, 0, 0, ACC)
    assert week_total_text(5 * 510) == (
        _("This week: {total} of {target}").format(total="42 jam 30 menit",
                                                    target="37 jam 30 menit")
        + " " + _("({rest} over)").format(rest="5 jam"))
    assert week_total_text(30 * 60).endswith(_("({rest} short)").format(rest="7 jam 30 menit"))
    assert week_total_text(37 * 60 + 30).endswith(_("(reached)"))
    saturday = LogRow.from_dict(_log(9, "2026-11-28", "08:00", "09:00", "piket"))
    assert [t.tanggal.weekday() for t in day_totals(monday, [saturday])] == [0, 1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- layanan


def _service(n: int, status: str, durasi: int | None, **extra: object) -> dict:
    return {"id": f"svc-{n}", "jenis_kode": "KTP", "jenis_nama": "Perekaman KTP-el",
            "standar_hari_kerja": 3, "diterima_pada": "2026-11-20T09:15:00+07:00",
            "selesai_pada": None if durasi is None else "2026-11-25T10:00:00+07:00",
            "durasi_hari_kerja": durasi, "status": status, **extra}


def _days(n: int) -> str:
    return ngettext("{n} working day", "{n} working days", n).format(n=n)


def test_service_rows_say_status_duration_and_standard_in_words(qapp) -> None:
    model = ServiceTableModel()
    model.set_rows([_service(1, "selesai", 2, pengaduan=1, pengaduan_selesai=1),
                    _service(2, "diproses", None),
                    _service(3, "selesai", 5)])
    assert model.columnCount() == 7
    assert model.headerData(ServiceTableModel.STATUS, H) == _("Status")
    assert _cell(model, 0, ServiceTableModel.STATUS) == _("Completed")
    assert _cell(model, 1, ServiceTableModel.STATUS) == _("In progress")
    assert _cell(model, 0, ServiceTableModel.DURASI, ACC) == _days(2)
    assert _cell(model, 1, ServiceTableModel.DURASI, ACC) == _("not finished yet")
    assert _cell(model, 1, ServiceTableModel.SELESAI, ACC) == _("not finished yet")
    assert _cell(model, 0, ServiceTableModel.STANDAR, ACC) == \
        _("within the standard of {standard}").format(standard=_days(3))
    assert _cell(model, 2, ServiceTableModel.STANDAR, ACC) == \
        _("over the standard of {standard}").format(standard=_days(3))
    assert _cell(model, 0, ServiceTableModel.PENGADUAN, ACC) == _("complaint resolved")
    assert _cell(model, 1, ServiceTableModel.PENGADUAN, ACC) == _("no complaint")
    summary = _cell(model, 0, 0, ACC)
    for part in ("KTP — Perekaman KTP-el", "20 November 2026 09.15", _("Completed"),
                 _days(2), _("complaint resolved")):
        assert part in summary, part


def test_service_month_summary_rows(qapp) -> None:
    model = ServiceSummaryModel()
    model.set_rows([{"kode": "KTP", "nama": "Perekaman KTP-el", "standar_hari_kerja": 3,
                     "jumlah": 4, "selesai": 3, "tepat_waktu": 2, "rata_hari_kerja": 2.5,
                     "pengaduan": 1, "pengaduan_selesai": 0},
                    {"kode": "SKCK", "nama": "Pengantar SKCK", "standar_hari_kerja": 1,
                     "jumlah": 1, "selesai": 0, "tepat_waktu": 0, "rata_hari_kerja": None,
                     "pengaduan": 0, "pengaduan_selesai": 0}])
    assert [model.headerData(c, H) for c in range(2)] == [_("Service type"), _("Requests")]
    assert _cell(model, 0, ServiceSummaryModel.PERSEN) == "66,7%"
    assert _cell(model, 0, ServiceSummaryModel.RATA) == "2,5"
    assert _cell(model, 1, ServiceSummaryModel.PERSEN) == "—"
    assert _cell(model, 1, ServiceSummaryModel.PERSEN, ACC) == _("none completed")
    assert _cell(model, 0, ServiceSummaryModel.PENGADUAN, ACC) == \
        _("{resolved} of {received} resolved").format(resolved=0, received=1)
    summary = _cell(model, 0, 0, ACC)
    assert "KTP — Perekaman KTP-el" in summary and "4" in summary and "2,5" in summary


# --------------------------------------------------------------------------- pelatihan


def test_training_rows_jp_evidence_and_sorting(qapp) -> None:
    rows = training_rows(
        [{"id": "t1", "nama": "Pelatihan Dasar", "penyelenggara": "BPSDM",
          "tanggal_mulai": "2026-03-02", "tanggal_selesai": "2026-03-04", "jp": "24"},
         {"id": "t2", "nama": "Webinar ASN", "penyelenggara": None,
          "tanggal_mulai": "2026-05-10", "tanggal_selesai": "2026-05-10", "jp": "2.5"}],
        {"t1": 1})
    model = TrainingTableModel(rows)
    assert [model.headerData(c, H) for c in range(5)] == [
        _("Training"), _("Organiser"), _("Dates"), _("JP"), _("Evidence")]
    assert _cell(model, 0, TrainingTableModel.JP) == "24 JP"
    assert _cell(model, 1, TrainingTableModel.JP) == "2,5 JP"
    assert _cell(model, 1, TrainingTableModel.TANGGAL) == "10 Mei 2026"
    assert _cell(model, 1, TrainingTableModel.PENYELENGGARA, ACC) == _("no organiser given")
    assert _cell(model, 0, TrainingTableModel.BUKTI) == ngettext(
        "{n} evidence item", "{n} evidence items", 1).format(n=1)
    assert _cell(model, 1, TrainingTableModel.BUKTI) == ngettext(
        "{n} evidence item", "{n} evidence items", 0).format(n=0)
    summary = _cell(model, 0, 0, ACC)
    for part in ("Pelatihan Dasar", "BPSDM", "24 JP", "2026"):
        assert part in summary, part
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(TrainingTableModel.JP, Qt.SortOrder.AscendingOrder)  # numbers, not text
    assert [proxy.index(r, 0).data() for r in range(2)] == ["Webinar ASN", "Pelatihan Dasar"]
    proxy.sort(TrainingTableModel.TANGGAL, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 0).data(ROW_ROLE).id == "t2"
    assert model.row_of("t1") == 0
