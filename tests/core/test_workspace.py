"""Workspace use cases: one transaction per write, `Changes` records, nothing left on refusal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from asndesk.activity_usecases import LogOverlapWarning
from asndesk.domain.activity import DailyTotalWarning
from asndesk.errors import InvalidState, NotFound, ValidationError
from asndesk.skp_usecases import SkpNotReady
from asndesk.store.rows import StaleVersion
from asndesk.workspace import Workspace


def _counts(ws: Workspace) -> dict[str, int]:
    conn = ws.store.conn
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("log_harian", "outbox", "audit_log", "attachment", "bukti", "skp", "rhk",
                      "iki", "service_log", "pelatihan")}


def _ready_skp(ws: Workspace) -> tuple[str, str, str]:
    skp = ws.create_skp(2026, "pelaksana", jabatan="Pengadministrasi Kependudukan").primary_id
    assert skp
    rhk = ws.add_rhk(skp, "Terlaksananya perekaman KTP-el",
                     rhk_atasan="Meningkatnya cakupan dokumen kependudukan").primary_id
    assert rhk
    iki = ws.add_iki(rhk, "Jumlah KTP-el terekam", "1200", "Keping", aspek="Kuantitas")
    assert iki.primary_id
    return skp, rhk, iki.primary_id


def test_skp_draft_submit_and_lock(workspace: Workspace) -> None:
    skp_id, _, iki_id = _ready_skp(workspace)
    skp = workspace.skp(skp_id)
    assert [p.kode for p in skp.perilaku] == [1, 2, 3, 4, 5, 6, 7]
    assert skp.rhk[0].iki[0].target_nilai == 1200
    assert skp.version == 3  # created, +RHK, +IKI
    changes = workspace.submit_skp(skp_id)
    assert changes.entities == {"skp": {skp_id}}
    assert [op.kind for op in changes.ops] == ["submit"]
    assert changes.ops[0].base_version == 3
    with pytest.raises(InvalidState):
        workspace.add_rhk(skp_id, "RHK baru", rhk_atasan="x")
    with pytest.raises(InvalidState):
        workspace.edit_iki(iki_id, target_nilai="5")
    workspace.withdraw_skp(skp_id)
    workspace.edit_iki(iki_id, target_nilai="1300")
    history = [h["ke"] for h in workspace.skp_history(skp_id)]
    assert history == ["Draft", "Diajukan", "Draft"]


def test_submit_lists_every_problem_and_writes_nothing(workspace: Workspace) -> None:
    skp_id = workspace.create_skp(2026, "pelaksana").primary_id
    assert skp_id
    rhk_id = workspace.add_rhk(skp_id, "RHK tanpa indikator").primary_id
    before = _counts(workspace)
    with pytest.raises(SkpNotReady) as err:
        workspace.submit_skp(skp_id)
    fields = {p.field for p in err.value.problems}
    assert any("iki" in f for f in fields) and any("rhk_atasan" in f for f in fields)
    assert _counts(workspace) == before
    assert workspace.skp(skp_id).status == "Draft"
    assert rhk_id


def test_stale_edit_is_refused(workspace: Workspace) -> None:
    log_id = workspace.add_log("2026-11-20", "08:00", "09:00", "Rapat koordinasi").primary_id
    assert log_id
    workspace.edit_log(log_id, expected_version=1, kegiatan="Rapat koordinasi desa")
    with pytest.raises(StaleVersion):
        workspace.edit_log(log_id, expected_version=1, kegiatan="versi lama")
    assert workspace.logs()[0]["kegiatan"] == "Rapat koordinasi desa"


def test_log_warnings_do_not_block(workspace: Workspace) -> None:
    workspace.add_log("2026-11-20", "07:30", "12:00", "Pelayanan KTP")
    changes = workspace.add_log("2026-11-20", "11:00", "16:00", "Pelayanan KK")
    kinds = {type(w) for w in changes.warnings}
    assert kinds == {DailyTotalWarning, LogOverlapWarning}
    assert len(workspace.logs(dari="2026-11-20", sampai="2026-11-20")) == 2
    ok = workspace.add_log("2026-11-21", "08:00", "15:30", "Tepat 7 jam 30 menit")
    assert ok.warnings == []


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"jam_mulai": "10:00", "jam_selesai": "09:00"}, "jam_selesai"),
    ({"kegiatan": "   "}, "kegiatan"),
    ({"tanggal": "31/02/2026"}, "tanggal"),
    ({"rhk_id": "tidak-ada"}, None),
    ({"bukti": [Path("/nonexistent/berkas.pdf")]}, "bukti"),
])
def test_refused_log_leaves_nothing(workspace: Workspace, kwargs: dict, field: str | None
                                    ) -> None:
    base = {"tanggal": "2026-11-20", "jam_mulai": "08:00", "jam_selesai": "09:00",
            "kegiatan": "Rapat"}
    base.update(kwargs)
    before = _counts(workspace)
    with pytest.raises((ValidationError, NotFound)) as err:
        workspace.add_log(base.pop("tanggal"), base.pop("jam_mulai"), base.pop("jam_selesai"),
                          base.pop("kegiatan"), **base)
    if field:
        assert isinstance(err.value, ValidationError) and err.value.field == field
    assert _counts(workspace) == before


def test_failure_inside_transaction_rolls_everything_back(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _counts(workspace)
    from asndesk.store import outbox

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(outbox, "append_op", boom)
    with pytest.raises(RuntimeError):
        workspace.add_log("2026-11-20", "08:00", "09:00", "Rapat")
    assert _counts(workspace) == before


def test_evidence_images_are_downscaled_and_deduplicated(workspace: Workspace,
                                                          tmp_path: Path) -> None:
    photo = tmp_path / "foto.jpg"
    img = Image.new("RGB", (4000, 3000), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make; must not survive
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=95, exif=exif)
    photo.write_bytes(buf.getvalue())
    a = workspace.add_log("2026-11-20", "08:00", "09:00", "Foto kegiatan", bukti=[photo])
    workspace.add_log("2026-11-21", "08:00", "09:00", "Foto sama", bukti=[photo],
                      tautan=["https://drive.example/x"])
    conn = workspace.store.conn
    rows = conn.execute("SELECT lebar, tinggi, ukuran, ukuran_asli, data FROM attachment"
                        ).fetchall()
    assert len(rows) == 1  # same content stored once
    lebar, tinggi, ukuran, asli, data = rows[0]
    assert max(lebar, tinggi) == 1600 and ukuran < asli
    assert b"KameraRahasia" not in data
    evidence = workspace.evidence("log_harian", a.primary_id or "")
    assert [e["nama_file"] for e in evidence] == ["foto.jpg"]
    kinds = [op.kind for op in workspace.outbox()]
    assert kinds.count("attach") == 3  # two files + one link


def test_service_log_working_days_and_month_summary(workspace: Workspace) -> None:
    workspace.add_service_type("KTP", "Perekaman KTP-el", 3)
    # Fri 20 Nov → Wed 25 Nov 2026: Mon, Tue, Wed = 3 working days (within the standard).
    workspace.add_service_log("KTP", "2026-11-20 09:00", selesai="2026-11-25 10:00")
    workspace.add_service_log("KTP", "2026-11-02 09:00", selesai="2026-11-09 10:00",
                              pengaduan=True)
    workspace.add_service_log("KTP", "2026-11-23 09:00")
    logs = workspace.service_logs()
    assert [r["durasi_hari_kerja"] for r in logs] == [None, 3, 5]
    (summary,) = workspace.service_month_summary(2026, 11)
    assert (summary["jumlah"], summary["selesai"], summary["tepat_waktu"],
            summary["pengaduan"]) == (3, 2, 1, 1)
    with pytest.raises(ValidationError) as err:
        workspace.add_service_log("XYZ", "2026-11-20 09:00")
    assert err.value.field == "jenis"
    with pytest.raises(ValidationError):
        workspace.add_service_type("KTP", "Lagi", 2)


def test_realisasi_training_and_periods(workspace: Workspace) -> None:
    _, _, iki_id = _ready_skp(workspace)
    periods = workspace.ensure_periods(2026)
    assert "2026-TW1" in periods.entities["period"]
    assert workspace.ensure_periods(2026).entities == {}  # only once
    first = workspace.record_realisasi(iki_id, "2026-TW1", "300 keping terekam", nilai="300")
    second = workspace.record_realisasi(iki_id, "2026-TW1", "320 keping terekam", nilai="320")
    assert first.primary_id == second.primary_id
    assert [op.kind for op in second.ops] == ["edit_fields"]
    workspace.add_training("Pelatihan Pelayanan Prima", "2026-03-01", "2026-03-03", "24")
    summary = workspace.jp_summary(2026)
    assert summary.total == 24 and summary.kurang == 0


def test_search_finds_indonesian_word_forms(workspace: Workspace) -> None:
    workspace.add_log("2026-11-20", "08:00", "09:00", "Merekam data KTP-el warga")
    workspace.add_log("2026-11-20", "09:00", "10:00", "Perekaman ulang sidik jari")
    workspace.add_log("2026-11-20", "10:00", "11:00", "Rapat di kantor camat")
    assert len(workspace.logs(cari="rekam")) == 2
    assert len(workspace.logs(cari="rekam KTP")) == 1
    assert len(workspace.logs(cari="el")) == 1  # short word: substring fallback
    assert workspace.logs(cari='"); DROP TABLE log_harian; --') == []
