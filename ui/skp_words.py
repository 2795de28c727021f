"""Words for the SKP's coded values (status, jenis jabatan, RHK jenis, aspek, perspektif,
lampiran) and for the core's problem paths ("rhk[0].iki[1].target_nilai"), as people say them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar

from asndesk.domain.formatting import format_jam, format_tanggal
from asndesk.domain.skp import (
    Aspek,
    JenisJabatan,
    JenisLampiran,
    JenisRhk,
    Perspektif,
    Skp,
    StatusSkp,
)
from asndesk.i18n import N_, _

STATUS = {
    StatusSkp.DRAFT: N_("Draft"), StatusSkp.DIAJUKAN: N_("Submitted"),
    StatusSkp.DISETUJUI: N_("Approved"), StatusSkp.DIKEMBALIKAN: N_("Returned for revision"),
}
JENIS_JABATAN = {
    JenisJabatan.JPT_UTAMA: N_("JPT Utama (senior executive)"),
    JenisJabatan.JPT_MADYA: N_("JPT Madya (senior executive)"),
    JenisJabatan.JPT_PRATAMA: N_("JPT Pratama (senior executive)"),
    JenisJabatan.ADMINISTRATOR: N_("Administrator"),
    JenisJabatan.PENGAWAS: N_("Pengawas (supervisor)"),
    JenisJabatan.PELAKSANA: N_("Pelaksana (staff)"),
    JenisJabatan.FUNGSIONAL_KEAHLIAN: N_("Fungsional keahlian (expert functional)"),
    JenisJabatan.FUNGSIONAL_KETERAMPILAN: N_("Fungsional keterampilan (skilled functional)"),
}
JENIS_RHK = {JenisRhk.UTAMA: N_("Main (Utama)"), JenisRhk.TAMBAHAN: N_("Additional (Tambahan)")}
ASPEK = {Aspek.KUANTITAS: N_("Quantity"), Aspek.KUALITAS: N_("Quality"),
         Aspek.WAKTU: N_("Time aspect"), Aspek.BIAYA: N_("Cost")}
PERSPEKTIF = {
    Perspektif.PENERIMA_LAYANAN: N_("Service recipients"),
    Perspektif.PROSES_BISNIS: N_("Business process"),
    Perspektif.PENGUATAN_INTERNAL: N_("Internal strengthening"),
    Perspektif.ANGGARAN: N_("Budget"),
}
LAMPIRAN = {
    JenisLampiran.DUKUNGAN_SUMBER_DAYA: N_("Resource support"),
    JenisLampiran.SKEMA_PERTANGGUNGJAWABAN: N_("Accountability scheme"),
    JenisLampiran.KONSEKUENSI: N_("Consequences"),
}
FIELD = {
    "teks": N_("RHK text"), "rhk_atasan": N_("Supervisor's RHK this serves"),
    "perspektif": N_("Perspective"), "iki": N_("indicators (IKI)"),
    "indikator": N_("Indicator"), "target_nilai": N_("Target"), "target_satuan": N_("Unit"),
    "aspek": N_("Aspect"), "ekspektasi_khusus": N_("Leader's special expectation"),
    "nip_pegawai": N_("NIP"), "tahun": N_("Year"), "rhk": N_("Main RHK"),
    "perilaku": N_("Work behaviour"), "lampiran_teks": N_("Text"),
}
_PATH = re.compile(r"(\w+)\[(\d+)\]")
_K = TypeVar("_K")


def word(table: Mapping[_K, str], value: object) -> str:
    """The translated word for a coded value; the value itself when it has none."""
    if value is None:
        return ""
    for key, msgid in table.items():
        if key == value or str(key) == str(value):
            return _(msgid)
    return str(value)


def when(iso: str | None) -> str:
    """A stored UTC moment in local time: "Senin, 2 Maret 2026, pukul 08.00"."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return f"{format_tanggal(moment.date(), dengan_hari=True)}, {format_jam(moment, zona=None)}"


def rhk_number(skp: Skp, index: int) -> str:
    """"A.1" / "B.2": the RHK's number in its section, as printed on the SKP."""
    rhk = skp.rhk[index]
    same = [r for r in skp.rhk[: index + 1] if r.jenis == rhk.jenis]
    return f"{'A' if rhk.jenis == JenisRhk.UTAMA else 'B'}.{len(same)}"


def problem_place(skp: Skp, field: str) -> str:
    """Where a problem is, in words: "RHK A.1, IKI 2, Target" for "rhk[0].iki[1].target_nilai"."""
    parts: list[str] = []
    parent = ""
    for segment in field.split("."):
        indexed = _PATH.fullmatch(segment)
        if indexed is None:
            key = "lampiran_teks" if parent == "lampiran" and segment == "teks" else segment
            parts.append(_(FIELD[key]) if key in FIELD else segment)
            continue
        parent, i = indexed.group(1), int(indexed.group(2))
        if parent == "rhk" and i < len(skp.rhk):
            parts.append(_("RHK {number}").format(number=rhk_number(skp, i)))
        elif parent == "iki":
            parts.append(_("IKI {number}").format(number=i + 1))
        elif parent == "perilaku":
            parts.append(_("Work behaviour {number}").format(number=i + 1))
        elif parent == "lampiran":
            parts.append(_("Attachment line {number}").format(number=i + 1))
    return ", ".join(parts)
