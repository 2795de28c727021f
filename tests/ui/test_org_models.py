"""The Organisasi page's table models without widgets: coded values read as words, column 0
reads the whole row, numbers sort as numbers, and the distribution rows follow the domain."""

from __future__ import annotations

from PySide6.QtCore import Qt

from asndesk.domain.ratings import CapaianOrganisasi, Predikat, distribution_warnings
from asndesk.i18n import _
from ui.models.distribution_table_model import (
    DistributionTableModel,
    distribution_rows,
    guidance_text,
)
from ui.models.holiday_table_model import HolidayTableModel
from ui.models.period_table_model import PeriodTableModel, name_of_id
from ui.models.rows_table_model import SORT_ROLE
from ui.models.service_type_table_model import ServiceTypeTableModel

ACC = Qt.ItemDataRole.AccessibleTextRole


def test_periods_read_kind_and_status_as_words() -> None:
    model = PeriodTableModel()
    model.set_periods([
        {"id": "2026-TH", "tahun": 2026, "jenis": "tahunan", "nomor": 1, "mulai": "2026-01-01",
         "selesai": "2026-12-31", "batas_pengisian": "2027-01-08", "status": "terbuka"},
        {"id": "2026-TW2", "tahun": 2026, "jenis": "triwulan", "nomor": 2,
         "mulai": "2026-04-01", "selesai": "2026-06-30", "batas_pengisian": "2026-07-07",
         "status": "ditutup"}])
    row = model.row_of("2026-TW2")
    assert model.index(row, model.STATUS).data() == _("Closed")
    assert model.index(row, model.JENIS).data() == _("Quarterly")
    summary = model.index(row, 0).data(ACC)
    assert name_of_id("2026-TW2") in summary and _("Closed") in summary
    # the annual period sorts last, whatever its start
    keys = sorted(model.index(r, 0).data(SORT_ROLE) for r in range(2))
    assert keys[-1][0] is True
    assert name_of_id("2026-07") != "2026-07" and name_of_id("2026-X") == "2026-X"


def test_service_types_and_holidays_read_as_words() -> None:
    types = ServiceTypeTableModel()
    types.set_types([{"id": "a", "kode": "KTP", "nama": "KTP-el", "standar_hari_kerja": 3,
                      "aktif": False}])
    assert types.index(0, types.AKTIF).data() == _("deactivated")
    assert types.index(0, types.STANDAR).data() == "3"
    assert types.index(0, types.STANDAR).data(ACC) != "3"  # "3 working days"
    assert types.index(0, types.STANDAR).data(SORT_ROLE) == 3
    holidays = HolidayTableModel()
    holidays.set_holidays([{"tanggal": "2026-12-25", "nama": "Natal", "jenis": "libur_nasional"},
                           {"tanggal": "2026-01-01", "nama": "Tahun Baru",
                            "jenis": "cuti_bersama"}])
    assert [r.nama for r in holidays.rows] == ["Tahun Baru", "Natal"]  # by date
    assert holidays.index(1, holidays.JENIS).data() == _("National holiday")
    assert "Natal" in holidays.index(1, 0).data(ACC)


def test_distribution_rows_mark_exactly_what_the_warnings_name() -> None:
    counts = {Predikat.SANGAT_BAIK: 1, Predikat.BAIK: 8, Predikat.KURANG: 1}
    for capaian in CapaianOrganisasi:
        warnings = distribution_warnings(capaian, counts)
        found = {"counts": {p.value: n for p, n in counts.items()}, "total": 10,
                 "capaian": capaian.value, "warnings": warnings}
        named = {w.params["predikat"] for w in warnings} | {
            w.params.get("predikat_lain") for w in warnings}
        rows = distribution_rows(found)
        assert [r.predikat for r in rows] == list(Predikat)
        assert {r.predikat.value for r in rows if r.departs} == named - {None}
        assert all(r.guidance for r in rows if r.departs)
    model = DistributionTableModel()
    model.set_rows(distribution_rows({"counts": {"Baik": 8}, "total": 10, "capaian": "Baik",
                                      "warnings": distribution_warnings("Baik", {
                                          Predikat.BAIK: 8})}))
    baik = model.row_of("Baik")
    assert model.index(baik, model.PANDUAN).data() == _("at most {limit}%").format(limit=70)
    assert model.index(baik, model.KEADAAN).data() == _("departs from the guidance")
    assert guidance_text(None, Predikat.BAIK) == ""
    assert guidance_text("Sangat Kurang", Predikat.SANGAT_BAIK) == _("none")
    empty = DistributionTableModel()
    empty.set_rows(distribution_rows({"counts": {}, "total": 0, "capaian": None,
                                      "warnings": []}))
    assert empty.index(0, empty.PERSEN).data(ACC) == _("nobody rated yet")
