"""The SKP page's table models without widgets: rows, headers, words for coded values
(Qt.AccessibleTextRole) and column 0 reading the whole row."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from asndesk.domain.skp import (
    Aspek,
    Iki,
    JenisJabatan,
    JenisLampiran,
    JenisRhk,
    Lampiran,
    Pendekatan,
    PerilakuKerja,
    Perspektif,
    Rhk,
    Skp,
    StatusSkp,
    perilaku_awal,
    skp_problems,
)
from asndesk.i18n import _, ngettext
from tests.conftest import NIP
from ui.models.iki_table_model import IkiTableModel, iki_rows
from ui.models.rhk_table_model import RhkTableModel, rhk_rows
from ui.models.rows_table_model import ROW_ROLE
from ui.models.skp_extras_table_model import (
    LampiranTableModel,
    PerilakuTableModel,
    ProblemTableModel,
    lampiran_rows,
    perilaku_rows,
    problem_rows,
)
from ui.models.skp_history_table_model import SkpHistoryTableModel, timeline

SPOKEN = Qt.ItemDataRole.AccessibleTextRole
H = Qt.Orientation.Horizontal


def _skp(jenis_jabatan: JenisJabatan = JenisJabatan.PELAKSANA) -> Skp:
    iki = (Iki("i1", "KTP-el terekam", Decimal("1200"), "Keping", Aspek.KUANTITAS),
           Iki("i2", "Ketepatan data", Decimal("2.5"), "Persen", None))
    return Skp("s1", NIP, 2026, jenis_jabatan, Pendekatan.KUANTITATIF, StatusSkp.DRAFT, (
        Rhk("r1", JenisRhk.UTAMA, "Terlaksananya perekaman KTP-el", iki, "Cakupan KTP-el"),
        Rhk("r2", JenisRhk.UTAMA, "Tertibnya arsip", (), None),
        Rhk("r3", JenisRhk.TAMBAHAN, "Terlaksananya sosialisasi", (), None,
            Perspektif.PROSES_BISNIS)),
        (*perilaku_awal()[:6], PerilakuKerja(7, "Aktif berbagi data antarseksi")),
        (Lampiran("l1", JenisLampiran.KONSEKUENSI, "Teguran tertulis"),))


def _texts(model, row: int, role=Qt.ItemDataRole.DisplayRole) -> list[str]:
    return [model.index(row, c).data(role) for c in range(model.columnCount())]


def test_rhk_rows_split_by_section_and_numbered() -> None:
    skp = _skp()
    utama, tambahan = RhkTableModel(rhk_rows(skp, JenisRhk.UTAMA)), RhkTableModel(
        rhk_rows(skp, JenisRhk.TAMBAHAN))
    assert (utama.rowCount(), tambahan.rowCount(), utama.columnCount()) == (2, 1, 4)
    assert [utama.headerData(c, H) for c in range(4)] == [
        _("RHK"), _("Supervisor's RHK this serves"), _("Perspective"), _("Indicators (IKI)")]
    assert _texts(utama, 0) == ["A.1 Terlaksananya perekaman KTP-el", "Cakupan KTP-el", "", "2"]
    assert [r.index for r in tambahan.rows] == [2] and tambahan.row_at(0).nomor == "B.1"
    first = utama.index(0, 0).data(SPOKEN)
    assert "A.1" in first and "Cakupan KTP-el" in first and ngettext(
        "{n} indicator", "{n} indicators", 2).format(n=2) in first
    assert _texts(tambahan, 0, SPOKEN)[2] == _("Business process")  # a word, not a code
    assert utama.index(1, 2).data(SPOKEN) == _("none")  # an empty cell never reads as nothing
    assert utama.index(0, 0).data(ROW_ROLE).id == "r1" and utama.row_of("r2") == 1


def test_iki_model_reads_target_and_aspect_as_words() -> None:
    model = IkiTableModel(iki_rows(_skp().rhk[0]))
    assert [model.headerData(c, H) for c in range(4)] == [
        _("Indicator"), _("Target"), _("Unit"), _("Aspect")]
    assert _texts(model, 0) == ["1. KTP-el terekam", "1.200", "Keping", _("Quantity")]
    assert _texts(model, 1)[1] == "2,5"  # Indonesian decimal comma
    summary = model.index(0, 0).data(SPOKEN)
    assert all(part in summary for part in ("KTP-el terekam", "1.200 Keping", _("Quantity")))
    assert model.index(1, 3).data(SPOKEN) == _("no aspect")
    assert model.row_at(1).form_values() == {"indikator": "Ketepatan data",
                                             "target_nilai": "2,5", "target_satuan": "Persen",
                                             "aspek": None}


def test_history_adds_the_synced_return_with_its_note() -> None:
    history = [{"terjadi_pada": "2026-01-05T01:00:00.000+00:00", "dari": None, "ke": "Draft"},
               {"terjadi_pada": "2026-01-06T01:00:00.000+00:00", "dari": "Draft",
                "ke": "Diajukan"}]
    head = {"status": "Dikembalikan", "catatan_pengembalian": "Naikkan target",
            "updated_at": "2026-01-07T02:30:00.000+00:00"}
    rows = timeline(history, head)
    assert [(r.dari, r.ke, r.catatan) for r in rows] == [
        (None, "Draft", None), ("Draft", "Diajukan", None),
        ("Diajukan", "Dikembalikan", "Naikkan target")]
    model = SkpHistoryTableModel(rows)
    assert [model.headerData(c, H) for c in range(3)] == [
        _("When"), _("Status change"), _("Supervisor's note")]
    assert model.index(2, 1).data() == _("{before} to {after}").format(
        before=_("Submitted"), after=_("Returned for revision"))
    assert "2026" in model.index(2, 0).data()
    assert "Naikkan target" in model.index(2, 0).data(SPOKEN)
    assert model.index(0, 2).data(SPOKEN) == _("no note")
    assert model.index(0, 1).data() == _("Created as {status}").format(status=_("Draft"))
    # Nothing to add when the history already ends at the head's status.
    assert len(timeline(history, {"status": "Diajukan"})) == 2


def test_perilaku_lampiran_and_problems() -> None:
    skp = _skp()
    perilaku = PerilakuTableModel(perilaku_rows(skp))
    assert perilaku.rowCount() == 7 and perilaku.columnCount() == 3
    assert perilaku.index(0, 0).data() == "1. Berorientasi Pelayanan"
    assert "Memahami dan memenuhi kebutuhan masyarakat" in perilaku.index(0, 0).data(SPOKEN)
    assert perilaku.index(6, 2).data() == "Aktif berbagi data antarseksi"
    assert perilaku.index(0, 2).data(SPOKEN) == _("no special expectation")
    lampiran = LampiranTableModel(lampiran_rows(skp))
    assert _texts(lampiran, 0) == [_("Consequences"), "Teguran tertulis"]
    assert lampiran.index(0, 0).data(SPOKEN) == _("Consequences") + ": Teguran tertulis"

    problems = ProblemTableModel(problem_rows(skp, skp_problems(skp)))
    fields = [r.field for r in problems.rows]
    assert fields == ["rhk[0].iki[1].aspek", "rhk[1].rhk_atasan", "rhk[1].iki",
                      "rhk[2].perspektif", "rhk[2].rhk_atasan", "rhk[2].iki"]
    assert problems.index(0, 0).data() == ", ".join(
        [_("RHK {number}").format(number="A.1"), _("IKI {number}").format(number=2),
         _("Aspect")])
    assert problems.index(3, 0).data().startswith(_("RHK {number}").format(number="B.1"))
    assert problems.index(0, 0).data(SPOKEN).endswith(_("Choose the aspek."))
