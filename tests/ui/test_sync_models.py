"""The outbox, refusal, conflict, feedback and realisasi table models, without any view.

Rows come from the core's real records where the core makes them (a profile's SKP, its
queue) and from the core's dataclasses otherwise; every coded value must read as words.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt

from asndesk.conflict_usecases import Conflict, FieldConflict, Rejection
from asndesk.i18n import _
from asndesk.workspace import Workspace
from ui.models.conflict_table_model import (
    ConflictFieldsModel,
    ConflictTableModel,
    conflict_rows,
    field_rows,
)
from ui.models.feedback_table_model import (
    PENILAIAN,
    UMPAN_BALIK,
    FeedbackTableModel,
    feedback_rows,
)
from ui.models.outbox_table_model import (
    OutboxTableModel,
    RejectedTableModel,
    queue_rows,
    rejected_rows,
)
from ui.models.realisasi_table_model import RealisasiTableModel, realisasi_rows
from ui.models.rows_table_model import ROW_ROLE, SORT_ROLE, angka
from ui.sync_messages import fix_words, refusal_words, state_words

ACC = Qt.ItemDataRole.AccessibleTextRole
DISPLAY = Qt.ItemDataRole.DisplayRole


def _skp(ws: Workspace) -> tuple[str, str, str]:
    skp = ws.create_skp(2026, "pelaksana").primary_id or ""
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el", rhk_atasan="Cakupan").primary_id
    iki = ws.add_iki(rhk or "", "KTP-el terekam", "1200", "Keping",
                     aspek="Kuantitas").primary_id or ""
    return skp, rhk or "", iki


def test_queue_rows_read_each_state_in_words(workspace: Workspace) -> None:
    skp, _rhk, _iki = _skp(workspace)
    ops = workspace.outbox()
    assert [op.state for op in ops] == ["pending"] * 3
    # Pretend the server answered: one refused, one in conflict (settled), one waiting.
    ops = [ops[0], replace(ops[1], state="rejected"), replace(ops[2], state="conflict")]
    model = OutboxTableModel(queue_rows(ops, open_conflicts=[]))
    assert model.rowCount() == 3 and model.columnCount() == 3
    states = [model.data(model.index(r, 2), DISPLAY) for r in range(3)]
    assert states == [state_words("pending"), state_words("rejected"),
                      state_words("settled")]
    assert model.data(model.index(0, 0), DISPLAY) == _("{action}: {thing}").format(
        action=_("Added"), thing=_("SKP"))
    summary = model.data(model.index(0, 0), ACC)
    assert _("Added") in summary and state_words("pending") in summary
    assert model.data(model.index(0, 1), ACC) == model.data(model.index(0, 1), DISPLAY)
    assert model.headerData(2, Qt.Orientation.Horizontal, DISPLAY) == _("State")
    # An open conflict says so; acked ops are not in the queue at all.
    open_ = queue_rows(ops, open_conflicts=[ops[2].seq])
    assert open_[2].state == "conflict"
    assert queue_rows([replace(ops[0], state="acked")]) == []
    assert model.row_at(0).entity_id == skp


def test_rejected_rows_say_why_and_what_to_do() -> None:
    refusal = Rejection(4, "create", "realisasi", "r-1", "2026-11-20T01:00:00+00:00",
                        "2026-11-20T08:00:00+07:00", "E_PERIOD_CLOSED", "period_closed",
                        {"period_id": "2026-TW1"})
    unknown = Rejection(5, "edit_fields", "log_harian", "l-1", "2026-11-20T01:00:00+00:00",
                        "", "E_INVALID", "", {"field": "kegiatan"})
    model = RejectedTableModel(rejected_rows([refusal, unknown]))
    assert model.columnCount() == 4
    assert model.data(model.index(0, 2), DISPLAY) == refusal_words(
        "E_PERIOD_CLOSED", "period_closed")
    assert model.data(model.index(0, 3), DISPLAY) == fix_words("E_PERIOD_CLOSED")
    # The field the server named is said in words, not as a column name.
    why = model.data(model.index(1, 2), DISPLAY)
    assert why.endswith(_("Field: {field}.").format(field=_("Activity")))
    assert "kegiatan" not in why
    assert refusal_words("E_SOMETHING_NEW") == _(
        "The server refused this change ({code}).").format(code="E_SOMETHING_NEW")
    assert refusal_words("E_PERIOD_CLOSED") in model.data(model.index(0, 0), ACC)
    assert model.data(model.index(1, 0), Qt.ItemDataRole.UserRole).entity_kind == "log_harian"


def test_conflicts_side_by_side_in_plain_words() -> None:
    conflict = Conflict(9, "log_harian", "l-1", "2026-11-20T01:00:00+00:00",
                        (FieldConflict("kegiatan", "Rapat desa", "Rapat koordinasi"),
                         FieldConflict("output_jumlah", None, 2)), 3)
    table = ConflictTableModel(conflict_rows([conflict]))
    assert table.rowCount() == 1
    fields = table.data(table.index(0, 1), DISPLAY)
    assert _("Activity") in fields and _("Output amount") in fields
    assert table.row_at(0).conflict is conflict
    side = ConflictFieldsModel(field_rows(conflict.fields))
    assert [side.data(side.index(0, c), DISPLAY) for c in range(3)] == [
        _("Activity"), "Rapat desa", "Rapat koordinasi"]
    assert side.data(side.index(1, 1), DISPLAY) == _("(empty)")  # never a blank cell
    assert side.data(side.index(0, 0), ACC) == _("{field}: mine {mine}; theirs {theirs}").format(
        field=_("Activity"), mine="Rapat desa", theirs="Rapat koordinasi")
    assert side.headerData(1, Qt.Orientation.Horizontal, ACC) == _("My value (this computer)")


def test_feedback_rows_newest_first_with_what_they_are_about(workspace: Workspace) -> None:
    skp_id, rhk, _iki = _skp(workspace)
    skp = workspace.skp(skp_id)
    head = workspace.skp_list(2026)[0]
    assessments = {
        "umpan_balik": [
            {"id": "f1", "sasaran_jenis": "rhk", "sasaran_id": rhk, "period_id": None,
             "teks": "Rumuskan RHK lebih terukur\nLihat contoh", "dibuat_pada":
             "2026-03-05T02:30:00+00:00", "pemberi_nip": "197001011995031001"},
            {"id": "f2", "sasaran_jenis": "perilaku", "sasaran_id": "1", "period_id": None,
             "teks": "Pelayanan ramah", "dibuat_pada": "2026-04-01T02:00:00+00:00"}],
        "penilaian": [
            {"id": "p1", "period_id": "2026-TW1", "predikat": "Baik",
             "rating_hasil_kerja": "Sesuai Ekspektasi", "rating_perilaku": "Sesuai Ekspektasi",
             "dinilai_pada": "2026-04-10T01:00:00+00:00"}],
    }
    rows = feedback_rows(skp, head, assessments, {"2026-TW1": "Triwulan I 2026"}, [])
    assert [r.id for r in rows] == ["p1", "f2", "f1"]  # newest first
    model = FeedbackTableModel(rows)
    assert model.data(model.index(0, FeedbackTableModel.JENIS), DISPLAY) == _("Rating")
    assert "Baik" in model.data(model.index(0, FeedbackTableModel.ISI), DISPLAY)
    about = model.data(model.index(2, FeedbackTableModel.TENTANG), DISPLAY)
    assert about == _("RHK: {text}").format(text="Terlaksananya perekaman KTP-el")
    # The table shows the first line; the detail pane has all of it, and who gave it.
    assert model.data(model.index(2, FeedbackTableModel.ISI), DISPLAY) == \
        "Rumuskan RHK lebih terukur"
    assert rows[2].detail().endswith("Rumuskan RHK lebih terukur\nLihat contoh")
    assert "197001011995031001" in rows[2].detail()
    summary = model.data(model.index(0, 0), ACC)
    assert _("Rating") in summary and "Triwulan I 2026" in summary
    assert model.data(model.index(1, FeedbackTableModel.PERIODE), ACC) == _("none")
    assert model.data(model.index(1, 0), ROW_ROLE).jenis == UMPAN_BALIK
    assert rows[0].jenis == PENILAIAN
    assert model.data(model.index(0, 0), SORT_ROLE) > model.data(model.index(1, 0), SORT_ROLE)
    assert model.row_of("f1") == 2 and model.row_of("nope") == -1


def test_realisasi_rows_with_and_without_a_value(workspace: Workspace) -> None:
    skp_id, _rhk, iki = _skp(workspace)
    workspace.ensure_periods(2026)
    workspace.record_realisasi(iki, "2026-TW1", "Terekam 300 keping", nilai="300,5",
                               tautan=["https://drive.example.go.id/ktp"])
    skp = workspace.skp(skp_id)
    empty = RealisasiTableModel(realisasi_rows(skp, workspace.realisasi_list(skp_id,
                                                                            "2026-TW2")))
    filled = RealisasiTableModel(realisasi_rows(skp, workspace.realisasi_list(skp_id,
                                                                             "2026-TW1")))
    col = RealisasiTableModel.REALISASI
    assert empty.data(empty.index(0, col), DISPLAY) == _("not filled in yet")
    assert empty.data(empty.index(0, RealisasiTableModel.URAIAN), ACC) == _("no description")
    assert filled.data(filled.index(0, col), DISPLAY) == f"{angka(Decimal('300.5'))} Keping"
    assert filled.data(filled.index(0, RealisasiTableModel.TARGET), DISPLAY) == \
        f"{angka(Decimal('1200'))} Keping"
    summary = filled.data(filled.index(0, 0), ACC)
    row = filled.row_at(0)
    assert summary.startswith("KTP-el terekam") and row.bukti_text() in summary
    assert (row.recorded, row.bukti, row.uraian) == (True, 1, "Terekam 300 keping")
    assert filled.data(filled.index(0, RealisasiTableModel.RHK), ACC) == \
        f"Terlaksananya perekaman KTP-el ({_('Main')})"
    assert filled.row_of(iki) == 0 and filled.row_of("x") == -1
