"""A subordinate's SKP and a team's ratings as the supervisor's dialogs get them, built without a
store (for the window catalogue and the dialog tests)."""

from __future__ import annotations

from typing import Any

from asndesk.team_usecases import TeamSkpView, build_skp
from tests.conftest import NIP_B
from ui.models.team_rating_table_model import rating_rows
from ui.pages.team_data import OwnRhk, ReviewData
from ui.team_rating_dialog import RatingData

YEAR = 2026
SKP, RHK, RHK2, IKI, REAL = "skp-1", "rhk-1", "rhk-2", "iki-1", "real-1"
OWN_RHK = "Meningkatnya cakupan KTP-el di Kecamatan Sukamaju"


def _record(kind: str, rid: str, **data: Any) -> dict[str, Any]:
    return {"kind": kind, "id": rid, "owner_nip": NIP_B, "version": 1,
            "changed_at": "2026-11-20T01:00:00+00:00", "received_at": "2026-11-20T02:00:00Z",
            **data}


def review_data(status: str = "Diajukan", version: int = 3,
                decisions: list[dict[str, Any]] | None = None) -> ReviewData:
    head = _record("skp", SKP, pegawai_nip=NIP_B, tahun=YEAR, jenis_jabatan="pelaksana",
                   pendekatan="kuantitatif", status=status)
    head["version"] = version
    records = [head,
               _record("rhk", RHK, skp_id=SKP, jenis="utama", urutan=1,
                       teks="Terlaksananya perekaman KTP-el", rhk_atasan=OWN_RHK),
               _record("rhk", RHK2, skp_id=SKP, jenis="tambahan", urutan=1,
                       teks="Terlaksananya sekretariat Musrenbang", rhk_atasan="Lain"),
               _record("iki", IKI, rhk_id=RHK, skp_id=SKP, urutan=1, aspek="Kuantitas",
                       indikator="KTP-el terekam", target_nilai="1200",
                       target_satuan="keping")]
    realisasi = [_record("realisasi", REAL, iki_id=IKI, period_id=f"{YEAR}-TW1",
                         nilai="300", uraian="Terekam 300 keping", bukti=[
                             {"nama_file": "rekap-tw1.pdf", "sha256": "0" * 64,
                              "mime": "application/pdf", "ukuran": 10},
                             {"tautan": "https://drive.example.go.id/ktp"}])]
    view = TeamSkpView(person={"nip": NIP_B, "nama": "Budi Santoso",
                               "jabatan": "Pengadministrasi", "info": {}},
                       skps=[head], skp=build_skp(head, records), head=head,
                       realisasi=realisasi, decisions=decisions or [])
    return ReviewData(view, YEAR, [OwnRhk("A.1", OWN_RHK)],
                      {f"{YEAR}-TW1": "Triwulan I 2026"})


def rating_data(capaian: str | None = "Baik") -> RatingData:
    def entry(nip: str, nama: str, status: str, jenis: str, current: Any = None,
              jenjang: str | None = None) -> dict[str, Any]:
        return {"nip": nip, "nama": nama, "info": {"jenjang": jenjang},
                "skp": {"id": f"skp-{nip}", "status": status, "version": 2,
                        "jenis_jabatan": jenis},
                "rating": None, "queued": None, "current": current}
    entries = [
        entry("1", "Ani", "Disetujui", "fungsional_keahlian",
              {"rating_hasil_kerja": "Sesuai Ekspektasi",
               "rating_perilaku": "Sesuai Ekspektasi", "predikat": "Baik"}, "Ahli Muda"),
        entry("2", "Budi Santoso", "Disetujui", "pelaksana"),
        entry("3", "Citra", "Diajukan", "pelaksana"),
    ]
    periods = [(f"{YEAR}-TW1", "Triwulan I 2026"), (f"{YEAR}-TH", "Tahun 2026")]
    return RatingData(YEAR, f"{YEAR}-TH", periods, rating_rows(entries), capaian)
